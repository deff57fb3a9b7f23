# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The FortiOS REST API simulator: each test proves one behaviour of the device the collection relies
on (docs/simulators.md says which shapes are verified and which inferred), and the last ones record why
the collection does not use fortiosapi 1.0.5 (docs/vendors/fortinet.md)."""

from __future__ import annotations

import io
import json
import logging
import ssl
import urllib.error
import urllib.request

import pytest

from ansible_collections.directpath.firewall.tests.simulators.fortios import FortiosSimulator, TAILSCALE_APP_ID


@pytest.fixture(name='fortios_factory')
def fortios_factory_fixture(tmp_path):
    started = []

    def factory(**kwargs):
        simulator = FortiosSimulator(tmp_path / ('fortios-%d' % (len(started) + 1)), **kwargs).start()
        started.append(simulator)
        return simulator

    yield factory
    for simulator in started:
        simulator.stop()


@pytest.fixture(name='sim')
def sim_fixture(fortios_factory):
    return fortios_factory()


def call(sim, method, path, body=None, token=None, headers=None, raw=False):
    """(HTTP status, parsed JSON or text) for one request with the Bearer token (``token=''`` sends none)."""
    send = dict(headers or {})
    token = sim.access_token if token is None else token
    if token:
        send['Authorization'] = 'Bearer ' + token
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(sim.url + path, method=method, data=data, headers=send)
    context = ssl.create_default_context(cafile=sim.ca_path)
    try:
        with urllib.request.urlopen(request, context=context, timeout=5) as answer:
            status, text, kind = answer.status, answer.read().decode(), answer.headers['Content-Type']
    except urllib.error.HTTPError as error:
        status, text, kind = error.code, error.read().decode(), error.headers['Content-Type']
    if raw or not kind.startswith('application/json'):
        return status, text
    return status, json.loads(text)


def test_monitor_system_status_has_version_build_and_serial_at_the_top_level(sim):
    status, answer = call(sim, 'GET', '/api/v2/monitor/system/status')
    assert status == 200
    assert (answer['version'], answer['build'], answer['serial']) == ('v7.4.7', 2731, sim.serial)
    assert answer['status'] == 'success' and answer['results']['hostname'] == 'fgt-sim'
    assert 'version' not in answer['results']


@pytest.mark.parametrize('query', ['', '?global=1', '?vdom=root'])
def test_cmdb_system_status_is_404_with_a_json_body_as_on_current_fortios(sim, query):
    status, answer = call(sim, 'GET', '/api/v2/cmdb/system/status' + query)
    assert status == 404
    assert answer['http_status'] == 404 and answer['status'] == 'error'


def test_bearer_token_is_required_and_a_bad_one_gets_the_html_401_page(sim):
    assert call(sim, 'GET', '/api/v2/monitor/system/status', token='')[0] == 401
    status, text = call(sim, 'GET', '/api/v2/monitor/system/status', token='0' * 30)
    assert status == 401 and '<title>401 Unauthorized</title>' in text
    assert sim.journal.entries()[-1]['kind'] == 'auth'


def test_access_token_in_the_url_is_refused_from_7_4_5_unless_enabled(fortios_factory):
    current = fortios_factory()
    path = '/api/v2/monitor/system/status?access_token=' + current.access_token
    assert call(current, 'GET', path, token='')[0] == 401
    current.control().set_state(rest_api_key_url_query=True)
    assert call(current, 'GET', path, token='')[0] == 200
    older = fortios_factory(version='v7.4.4')
    assert call(older, 'GET', '/api/v2/monitor/system/status?access_token=' + older.access_token, token='')[0] == 200


def test_application_name_is_keyed_by_name_and_found_by_id_filter(sim):
    status, answer = call(sim, 'GET', '/api/v2/cmdb/application/name?vdom=root&filter=id==%d' % TAILSCALE_APP_ID)
    assert status == 200
    assert answer['matched_count'] == 1 and answer['size'] > 1
    row = answer['results'][0]
    assert (row['name'], row['id'], row['category'], row['q_origin_key']) == ('Tailscale', TAILSCALE_APP_ID, 7, 'Tailscale')
    assert call(sim, 'GET', '/api/v2/cmdb/application/name/%d' % TAILSCALE_APP_ID)[0] == 404
    sim.control().set_state(tailscale_category=6)
    answer = call(sim, 'GET', '/api/v2/cmdb/application/name/Tailscale')[1]
    assert answer['results'][0]['category'] == 6


def test_application_categories_monitor_names_proxy_and_remote_access(sim):
    answer = call(sim, 'GET', '/api/v2/monitor/utm/application-categories?vdom=root')[1]
    names = {row['id']: row['name'] for row in answer['results']}
    assert names[6] == 'Proxy' and names[7] == 'Remote.Access'


def test_table_and_object_reads_use_the_cmdb_envelope(sim):
    status, answer = call(sim, 'GET', '/api/v2/cmdb/firewall/ssl-ssh-profile?vdom=root')
    assert status == 200
    for key in ('http_method', 'revision', 'vdom', 'path', 'name', 'status', 'http_status', 'serial', 'version', 'build', 'size'):
        assert key in answer
    assert {row['name'] for row in answer['results']} >= {'deep-inspection', 'custom-deep-inspection', 'corp-deep'}
    status, answer = call(sim, 'GET', '/api/v2/cmdb/firewall/ssl-ssh-profile/corp-deep?vdom=root')
    assert status == 200 and answer['mkey'] == 'corp-deep' and len(answer['results']) == 1
    assert answer['results'][0]['ssl-exempt'][0]['q_origin_key'] == 1


def test_missing_object_is_404_with_error_minus_3(sim):
    status, answer = call(sim, 'GET', '/api/v2/cmdb/firewall/address/no-such-address?vdom=root')
    assert (status, answer['error'], answer['status']) == (404, -3, 'error')
    status, answer = call(sim, 'PUT', '/api/v2/cmdb/firewall/address/no-such-address?vdom=root', {'comment': 'x'})
    assert (status, answer['error']) == (404, -3)


def test_vdoms_hold_their_own_objects_and_an_unknown_vdom_is_forbidden(sim):
    root = call(sim, 'GET', '/api/v2/cmdb/application/list?vdom=root')[1]
    branch = call(sim, 'GET', '/api/v2/cmdb/application/list?vdom=branch')[1]
    assert 'corp-strict' in {row['name'] for row in root['results']}
    assert {row['name'] for row in branch['results']} == {'default', 'branch-apps'}
    assert branch['vdom'] == 'branch'
    assert call(sim, 'GET', '/api/v2/cmdb/application/list?vdom=nosuch')[0] == 403


def test_invalid_value_answers_minus_651_with_cli_error_and_changes_nothing(sim):
    before = sim.control().snapshot()['digest']
    status, answer = call(sim, 'PUT', '/api/v2/cmdb/application/list/corp-strict?vdom=root',
                          {'entries': [{'id': 1, 'application': [{'id': TAILSCALE_APP_ID}], 'action': 'allow'}]})
    assert (status, answer['error'], answer['revision_changed']) == (500, -651, False)
    assert "value parse error before 'allow'" in answer['cli_error']
    assert sim.control().snapshot()['digest'] == before


def test_unknown_attribute_is_refused(sim):
    status, answer = call(sim, 'PUT', '/api/v2/cmdb/application/list/default?vdom=root', {'entries': [{'id': 1, 'acton': 'pass'}]})
    assert (status, answer['error']) == (500, -651)


def test_an_entry_written_without_action_blocks(sim):
    call(sim, 'PUT', '/api/v2/cmdb/application/list/guest-wifi?vdom=root',
         {'entries': [{'id': 1, 'category': [{'id': 5}]}, {'id': 2, 'application': [{'id': TAILSCALE_APP_ID}]}]})
    entries = call(sim, 'GET', '/api/v2/cmdb/application/list/guest-wifi?vdom=root')[1]['results'][0]['entries']
    assert entries[1]['action'] == 'block'


def test_id_lists_and_multi_values_are_stored_in_fortios_order(sim):
    status, _answer = call(sim, 'PUT', '/api/v2/cmdb/application/list/guest-wifi?vdom=root',
                           {'entries': [{'id': 7, 'category': [{'id': 8}, {'id': 5}], 'popularity': '5 3', 'action': 'block'},
                                        {'id': 2, 'application': [{'id': 31077}, {'id': 16427}], 'action': 'pass'}]})
    assert status == 200
    entries = call(sim, 'GET', '/api/v2/cmdb/application/list/guest-wifi?vdom=root')[1]['results'][0]['entries']
    assert [entry['id'] for entry in entries] == [7, 2]          # entries keep the configured order
    assert [row['id'] for row in entries[0]['category']] == [5, 8]
    assert [row['id'] for row in entries[1]['application']] == [16427, 31077]
    assert entries[0]['popularity'] == '3 5'


def test_exclusion_exists_from_6_4_4(fortios_factory):
    body = {'entries': [{'id': 1, 'category': [{'id': 6}], 'exclusion': [{'id': TAILSCALE_APP_ID}], 'action': 'block'}]}
    old = fortios_factory(version='v6.4.3')
    assert call(old, 'PUT', '/api/v2/cmdb/application/list/default?vdom=root', body)[1]['error'] == -651
    current = fortios_factory()
    assert call(current, 'PUT', '/api/v2/cmdb/application/list/default?vdom=root', body)[0] == 200


def test_unknown_application_or_category_id_is_refused(sim):
    answer = call(sim, 'PUT', '/api/v2/cmdb/application/list/default?vdom=root',
                  {'entries': [{'id': 1, 'category': [{'id': 99}], 'action': 'block'}]})[1]
    assert answer['error'] == -651


def test_ssl_exempt_must_reference_an_existing_wildcard_fqdn_object_which_then_cannot_be_deleted(sim):
    exempt = {'id': 2, 'type': 'wildcard-fqdn', 'wildcard-fqdn': 'dp-tailscale.com'}
    answer = call(sim, 'PUT', '/api/v2/cmdb/firewall/ssl-ssh-profile/corp-deep?vdom=root', {'ssl-exempt': [exempt]})[1]
    assert answer['error'] == -651 and 'dp-tailscale.com' in answer['cli_error']
    status, answer = call(sim, 'POST', '/api/v2/cmdb/firewall.wildcard-fqdn/custom?vdom=root',
                          {'name': 'dp-tailscale.com', 'wildcard-fqdn': '*.tailscale.com'})
    assert (status, answer['mkey'], answer['revision_changed']) == (200, 'dp-tailscale.com', True)
    assert call(sim, 'PUT', '/api/v2/cmdb/firewall/ssl-ssh-profile/corp-deep?vdom=root', {'ssl-exempt': [exempt]})[0] == 200
    status, answer = call(sim, 'DELETE', '/api/v2/cmdb/firewall.wildcard-fqdn/custom/dp-tailscale.com?vdom=root')
    assert (status, answer['error']) == (500, -23)
    assert call(sim, 'POST', '/api/v2/cmdb/firewall.wildcard-fqdn/custom?vdom=root',
                {'name': 'dp-tailscale.com', 'wildcard-fqdn': '*.tailscale.com'})[1]['error'] == -5


def test_wildcard_fqdn_object_needs_a_wildcard(sim):
    answer = call(sim, 'POST', '/api/v2/cmdb/firewall.wildcard-fqdn/custom?vdom=root',
                  {'name': 'plain', 'wildcard-fqdn': 'controlplane.tailscale.com'})[1]
    assert answer['error'] == -651


def test_builtin_inspection_profiles_are_read_only(sim):
    answer = call(sim, 'PUT', '/api/v2/cmdb/firewall/ssl-ssh-profile/deep-inspection?vdom=root', {'ssl-exempt': []})[1]
    assert answer['error'] == -651 and 'read-only' in answer['cli_error']


def test_revision_changed_is_false_for_a_write_that_changes_nothing(sim):
    current = call(sim, 'GET', '/api/v2/cmdb/firewall/ssl-ssh-profile/corp-deep?vdom=root')[1]['results'][0]
    status, answer = call(sim, 'PUT', '/api/v2/cmdb/firewall/ssl-ssh-profile/corp-deep?vdom=root',
                          {'ssl-exempt': current['ssl-exempt']})
    assert (status, answer['revision_changed']) == (200, False)
    answer = call(sim, 'PUT', '/api/v2/cmdb/firewall/ssl-ssh-profile/corp-deep?vdom=root', {'comment': 'changed'})[1]
    assert answer['revision_changed'] is True and answer['old_revision'] != answer['revision']


def test_fortiguard_application_table_is_read_only(sim):
    assert call(sim, 'PUT', '/api/v2/cmdb/application/name/Tailscale?vdom=root', {'category': 2})[0] == 405


def test_read_only_api_user_reads_but_cannot_write(sim):
    assert call(sim, 'GET', '/api/v2/cmdb/application/list?vdom=root', token=sim.read_only_token)[0] == 200
    before = sim.control().snapshot()['digest']
    assert call(sim, 'PUT', '/api/v2/cmdb/application/list/default?vdom=root', {'comment': 'x'}, token=sim.read_only_token)[0] == 403
    assert sim.control().snapshot()['digest'] == before


def test_journal_classifies_reads_and_writes(sim):
    call(sim, 'GET', '/api/v2/cmdb/application/list?vdom=root')
    call(sim, 'PUT', '/api/v2/cmdb/application/list/default?vdom=root', {'comment': 'x'})
    entries = sim.control().journal()
    assert [(entry['op'], entry['kind']) for entry in entries] == [
        ('get:cmdb/application/list', 'read'), ('put:cmdb/application/list', 'write')]


def test_faults_api_error_http_500_and_auth(sim):
    control = sim.control()
    before = control.snapshot()['digest']
    control.arm('api_error', match='put:cmdb/firewall/ssl-ssh-profile', code=-651, message='Injected refusal')
    answer = call(sim, 'PUT', '/api/v2/cmdb/firewall/ssl-ssh-profile/corp-deep?vdom=root', {'comment': 'x'})[1]
    assert (answer['error'], answer['cli_error']) == (-651, 'Injected refusal')
    assert control.snapshot()['digest'] == before
    control.arm('http_500', match='get:cmdb/application/list')
    assert call(sim, 'GET', '/api/v2/cmdb/application/list?vdom=root')[0] == 500
    control.arm('auth')
    assert call(sim, 'GET', '/api/v2/cmdb/application/list?vdom=root')[0] == 401
    assert call(sim, 'GET', '/api/v2/cmdb/application/list?vdom=root')[0] == 200


def test_timeout_fault_holds_then_drops(sim):
    sim.control().arm('timeout', seconds=0.3)
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        call(sim, 'GET', '/api/v2/monitor/system/status')
    assert sim.journal.entries()[-1]['status'] == 0


# ------------------------------------------------------------------------------------------------
# fortiosapi 1.0.5 against current FortiOS (why the collection uses its own HTTPS client)
# ------------------------------------------------------------------------------------------------
fortiosapi = pytest.importorskip('fortiosapi')


def _monitor_probe_subclass():
    from fortiosapi.exceptions import NotLogged

    class MonitorProbeFortiOSAPI(fortiosapi.FortiOSAPI):
        """The smallest change that logs in on current FortiOS: probe monitor/system/status ([fapi#81])."""

        def tokenlogin(self, host, apitoken, verify=True, cert=None, timeout=12, vdom='root'):
            self.host = host
            self.url_prefix = 'https://' + host
            self._session.headers.update({'Authorization': 'Bearer ' + apitoken})
            self._session.verify = verify
            self.timeout = timeout
            self._logged = True
            answer = self.monitor('system', 'status', vdom=vdom)
            if not isinstance(answer, dict) or 'version' not in answer:
                self._logged = False
                raise NotLogged()
            self._fortiversion = answer['version']
            return True

    return MonitorProbeFortiOSAPI


def test_stock_fortiosapi_token_login_fails_on_current_fortios(sim, monkeypatch):
    monkeypatch.delenv('REQUESTS_CA_BUNDLE', raising=False)
    monkeypatch.delenv('CURL_CA_BUNDLE', raising=False)
    from fortiosapi.exceptions import NotLogged
    with pytest.raises(NotLogged):
        fortiosapi.FortiOSAPI().tokenlogin('127.0.0.1:%d' % sim.port, sim.access_token, verify=sim.ca_path)
    assert sim.journal.entries()[-1]['op'] == 'get:cmdb/system/status'


def test_a_monitor_probe_subclass_logs_in_but_writes_the_token_into_its_debug_log(sim, monkeypatch):
    monkeypatch.delenv('REQUESTS_CA_BUNDLE', raising=False)
    monkeypatch.delenv('CURL_CA_BUNDLE', raising=False)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    library_log = logging.getLogger('fortiosapi')
    library_log.addHandler(handler)
    library_log.setLevel(logging.DEBUG)
    try:
        client = _monitor_probe_subclass()()
        client.tokenlogin('127.0.0.1:%d' % sim.port, sim.access_token, verify=sim.ca_path)
        assert client.get_version() == 'v7.4.7'
        answer = client.get('application', 'name', vdom='root', parameters={'filter': 'id==%d' % TAILSCALE_APP_ID})
        assert answer['results'][0]['category'] == 7
    finally:
        library_log.removeHandler(handler)
        library_log.setLevel(logging.NOTSET)
    # cmdb_url() logs the session headers, Authorization included, at DEBUG.
    assert sim.access_token in stream.getvalue()


def test_fortiosapi_session_ca_is_overridden_by_requests_ca_bundle(sim, monkeypatch):
    # requests merges REQUESTS_CA_BUNDLE over Session.verify: the device's CA the user named is ignored.
    import certifi
    import requests
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', certifi.where())
    with pytest.raises(requests.exceptions.SSLError):
        _monitor_probe_subclass()().tokenlogin('127.0.0.1:%d' % sim.port, sim.access_token, verify=sim.ca_path)


def test_fortiosapi_returns_a_raw_response_object_for_the_html_401(sim, monkeypatch):
    monkeypatch.delenv('REQUESTS_CA_BUNDLE', raising=False)
    monkeypatch.delenv('CURL_CA_BUNDLE', raising=False)
    client = _monitor_probe_subclass()()
    client.tokenlogin('127.0.0.1:%d' % sim.port, sim.access_token, verify=sim.ca_path)
    sim.control().arm('auth')
    answer = client.get('application', 'list', vdom='root')
    assert not isinstance(answer, dict) and answer.status_code == 401
