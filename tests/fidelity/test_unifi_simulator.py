# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fidelity of the UniFi Network simulator: the shapes the public clients (aiounifi, go-unifi) rely on,
and the refusals a client must survive (partial settings writes, stale CSRF tokens, the login rate limit).

Driven over real HTTPS with TLS verification on, with no redirect following (the style probe depends on it).
"""

from __future__ import annotations

import http.client
import json
import ssl

import pytest

from ansible_collections.directpath.firewall.tests.simulators.unifi import (
    P2P_CATEGORY, UNKNOWN_P2P_KEY, UnifiSimulator,
)


@pytest.fixture(name='unifi_factory')
def unifi_factory_fixture(sim_state_dir):
    started = []

    def factory(**kwargs):
        simulator = UnifiSimulator(sim_state_dir / ('unifi-%d' % (len(started) + 1)), **kwargs).start()
        started.append(simulator)
        return simulator

    yield factory
    for simulator in started:
        simulator.stop()


class Client:
    """A minimal cookie-and-CSRF-keeping client, the way go-unifi's doRequest behaves."""

    def __init__(self, sim, prefix=None):
        self.sim = sim
        self.context = ssl.create_default_context(cafile=sim.ca_path)
        self.cookie = None
        self.csrf = None
        self.api_key = None
        self.prefix = sim.prefix if prefix is None else prefix

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPSConnection(self.sim.host, self.sim.port, context=self.context, timeout=10)
        sent = {'Accept': 'application/json'}
        if body is not None:
            sent['Content-Type'] = 'application/json; charset=utf-8'
        if self.cookie:
            sent['Cookie'] = self.cookie
        if self.csrf:
            sent['X-CSRF-Token'] = self.csrf
        if self.api_key:
            sent['X-API-KEY'] = self.api_key
        sent.update(headers or {})
        try:
            connection.request(method, path, body=None if body is None else json.dumps(body), headers=sent)
            answer = connection.getresponse()
            raw = answer.read()
            response_headers = {}
            for key, value in answer.getheaders():
                # Repeated headers (Set-Cookie) joined by ', ', as HTTP allows for most headers.
                key = key.lower()
                response_headers[key] = response_headers[key] + ', ' + value if key in response_headers else value
        finally:
            connection.close()
        updated = response_headers.get('x-updated-csrf-token') or response_headers.get('x-csrf-token')
        if updated and self.cookie:
            self.csrf = updated
        try:
            data = json.loads(raw.decode()) if raw else None
        except ValueError:
            data = raw.decode(errors='replace')
        return answer.status, data, response_headers

    def login(self, username=None, password=None):
        path = '/api/auth/login' if self.sim.style == 'unifios' else '/api/login'
        status, data, headers = self.request('POST', path, {'username': username or self.sim.username,
                                                            'password': password or self.sim.password,
                                                            'rememberMe': True})
        if status == 200:
            cookies = dict(part.strip().split(';', 1)[0].split('=', 1) for part in headers['set-cookie'].split(','))
            self.cookie = '; '.join('%s=%s' % item for item in cookies.items())
            # UniFi OS: the X-CSRF-Token header; classic: the csrf_token cookie.
            self.csrf = headers.get('x-csrf-token') or cookies.get('csrf_token')
        return status, data, headers

    def api(self, method, path, body=None):
        return self.request(method, self.prefix + path, body)


def _ips(client, site='default'):
    status, data, _headers = client.api('GET', '/api/s/%s/get/setting/ips' % site)
    assert status == 200, data
    assert data['meta']['rc'] == 'ok' and len(data['data']) == 1
    return data['data'][0]


def test_style_probe_unifios_answers_200_and_classic_redirects(unifi_factory):
    for style, expected in (('unifios', 200), ('classic', 302)):
        sim = unifi_factory(style=style)
        status, _data, headers = Client(sim).request('GET', '/')
        assert status == expected
        if style == 'unifios':
            assert headers.get('x-csrf-token')
        else:
            assert headers['location'] == '/manage'
        assert [entry['op'] for entry in sim.journal.entries()] == ['probe']


def test_unifios_login_sets_token_cookie_and_paths_live_under_proxy_network(unifi_factory):
    sim = unifi_factory(style='unifios')
    client = Client(sim)
    status, data, headers = client.login()
    assert status == 200 and data['username'] == sim.username
    assert headers['set-cookie'].startswith('TOKEN=') and headers['x-csrf-token'] and headers['x-token-expire-time'].isdigit()
    assert _ips(client)['key'] == 'ips'
    unprefixed = Client(sim, prefix='')
    status, _data, _headers = unprefixed.request('GET', '/api/s/default/get/setting/ips', headers={'Cookie': client.cookie})
    assert status == 404
    status, _data, _headers = client.request('POST', '/api/login', {'username': sim.username, 'password': sim.password})
    assert status == 404


def test_classic_login_sets_unifises_and_has_no_prefix(unifi_factory):
    sim = unifi_factory(style='classic')
    client = Client(sim)
    status, data, headers = client.login()
    assert status == 200 and data == {'meta': {'rc': 'ok'}, 'data': []}
    assert headers['set-cookie'].startswith('unifises=') and ', csrf_token=' in headers['set-cookie']
    assert 'x-csrf-token' not in headers
    assert _ips(client)['key'] == 'ips'
    # The csrf_token cookie's value goes back in X-CSRF-Token on writes; it does not rotate.
    document = _ips(client)
    token = client.csrf
    status, _data, _headers = client.request('PUT', '/api/s/default/set/setting/ips', document, headers={'X-CSRF-Token': ''})
    assert status == 403
    status, _data, headers = client.api('PUT', '/api/s/default/set/setting/ips', document)
    assert status == 200 and 'x-updated-csrf-token' not in headers and client.csrf == token
    status, _data, _headers = client.request('POST', '/api/auth/login', {'username': sim.username, 'password': sim.password})
    assert status == 404


def test_bad_credentials_per_style(unifi_factory):
    status, data, _headers = Client(unifi_factory(style='unifios')).login(password='wrong')
    assert status == 401 and data['code'] == 'AUTHENTICATION_FAILED_INVALID_CREDENTIALS'
    status, data, _headers = Client(unifi_factory(style='classic')).login(password='wrong')
    assert status == 400 and data['meta'] == {'rc': 'error', 'msg': 'api.err.Invalid'}


def test_login_rate_limit_refuses_even_good_credentials_for_the_window(unifi_factory):
    sim = unifi_factory(login_limit=2, rate_limit_seconds=45)
    assert Client(sim).login()[0] == 200
    assert Client(sim).login(password='wrong')[0] == 401
    status, data, headers = Client(sim).login()
    assert status == 429
    assert data == {'code': 'AUTHENTICATION_FAILED_LIMIT_REACHED', 'message': "You've reached the login attempt limit"}
    assert 'retry-after' not in headers
    assert Client(sim).login()[0] == 429
    assert 40 < sim.control().state()['rate_limited_for'] <= 45
    assert sim.journal.counts()['auth'] == 4


def test_session_without_login_is_refused(unifi_factory):
    status, _data, _headers = Client(unifi_factory(style='unifios')).api('GET', '/api/self/sites')
    assert status == 401
    status, data, _headers = Client(unifi_factory(style='classic')).api('GET', '/api/self/sites')
    assert status == 401 and data['meta']['msg'] == 'api.err.LoginRequired'


def test_sites_and_unknown_site(unifi_factory):
    sim = unifi_factory()
    client = Client(sim)
    client.login()
    status, data, _headers = client.api('GET', '/api/self/sites')
    assert status == 200
    assert [site['name'] for site in data['data']] == ['default', 'branch']
    assert set(data['data'][0]) == {'_id', 'name', 'desc', 'attr_hidden_id', 'attr_no_delete', 'role'}
    status, data, _headers = client.api('GET', '/api/s/nosuch/get/setting/ips')
    assert status == 400 and data['meta'] == {'rc': 'error', 'msg': 'api.err.NoSiteContext'}


def test_csrf_token_is_required_and_rotates_on_every_write(unifi_factory):
    sim = unifi_factory()
    client = Client(sim)
    client.login()
    document = _ips(client)
    login_token = client.csrf
    # No token: refused, nothing changed.
    before = sim.snapshot()
    status, _data, _headers = client.request('PUT', sim.prefix + '/api/s/default/set/setting/ips', document,
                                             headers={'X-CSRF-Token': ''})
    assert status == 403 and sim.snapshot() == before
    status, data, headers = client.api('PUT', '/api/s/default/set/setting/ips', document)
    assert status == 200 and data['meta']['rc'] == 'ok' and len(data['data']) == 1
    assert headers['x-updated-csrf-token'] and headers['x-updated-csrf-token'] != login_token
    # The token taken from the login answer no longer works.
    status, _data, _headers = client.request('PUT', sim.prefix + '/api/s/default/set/setting/ips', document,
                                             headers={'X-CSRF-Token': login_token})
    assert status == 403
    # The rotated one does (the client keeps X-Updated-Csrf-Token like go-unifi).
    assert client.api('PUT', '/api/s/default/set/setting/ips', document)[0] == 200


def test_api_key_works_on_unifios_only(unifi_factory):
    sim = unifi_factory(style='unifios')
    client = Client(sim)
    client.api_key = sim.api_key
    document = _ips(client)
    document['enabled_categories'] = [c for c in document['enabled_categories'] if c != P2P_CATEGORY]
    status, _data, _headers = client.api('PUT', '/api/s/default/set/setting/ips', document)
    assert status == 200
    assert sim.journal.counts()['auth'] == 0
    client.api_key = 'not-the-key'
    assert client.api('GET', '/api/self/sites')[0] == 401
    classic = unifi_factory(style='classic')
    client = Client(classic)
    client.api_key = classic.api_key
    assert client.api('GET', '/api/self/sites')[0] == 401


@pytest.mark.parametrize('damage', ['drop_id', 'drop_site_id', 'drop_suppression', 'drop_key', 'change_id', 'unknown_field',
                                    'bad_category', 'bad_mode', 'duplicate_category', 'networks_emptied', 'bad_network'])
def test_partial_or_invalid_settings_writes_get_400_and_change_nothing(unifi_factory, damage):
    sim = unifi_factory(network_version='9.0.114')
    client = Client(sim)
    client.login()
    document = _ips(client)
    if damage.startswith('drop_'):
        document.pop({'drop_id': '_id', 'drop_site_id': 'site_id', 'drop_suppression': 'suppression', 'drop_key': 'key'}[damage])
    elif damage == 'change_id':
        document['_id'] = '0' * 24
    elif damage == 'unknown_field':
        document['p2p'] = False
    elif damage == 'bad_category':
        document['enabled_categories'].append('p2p')
    elif damage == 'bad_mode':
        document['ips_mode'] = 'prevent'
    elif damage == 'duplicate_category':
        document['enabled_categories'].append(document['enabled_categories'][0])
    elif damage == 'networks_emptied':
        document['enabled_networks'] = []
    elif damage == 'bad_network':
        document['enabled_networks'] = ['f' * 24]
    before = sim.snapshot()
    status, data, _headers = client.api('PUT', '/api/s/default/set/setting/ips', document)
    assert status == 400
    assert data['meta']['rc'] == 'error' and data['meta']['msg'] == 'api.err.InvalidPayload'
    assert sim.snapshot() == before


def test_whole_document_write_removes_p2p_and_keeps_every_other_category(unifi_factory):
    sim = unifi_factory()
    client = Client(sim)
    client.login()
    document = _ips(client)
    assert sim.p2p_blocked('default')
    others = [c for c in document['enabled_categories'] if c != P2P_CATEGORY]
    document['enabled_categories'] = others
    assert client.api('PUT', '/api/s/default/set/setting/ips', document)[0] == 200
    state = sim.control().state()['sites']
    assert state['default']['ips']['enabled_categories'] == others
    assert state['default']['p2p_blocked'] is False
    assert state['branch']['p2p_blocked'] is True


def test_document_fields_follow_the_network_version(unifi_factory):
    old = unifi_factory(network_version='8.6.9')
    client = Client(old)
    client.login()
    document = _ips(client)
    assert 'enabled_networks' in document and 'memory_optimized' not in document and UNKNOWN_P2P_KEY not in document
    document['memory_optimized'] = False
    assert client.api('PUT', '/api/s/default/set/setting/ips', document)[0] == 400
    before_toggle = unifi_factory(network_version='9.0.107')
    client = Client(before_toggle)
    client.login()
    assert UNKNOWN_P2P_KEY not in _ips(client)
    with_toggle = unifi_factory(network_version='9.0.114')
    client = Client(with_toggle)
    client.login()
    assert _ips(client)[UNKNOWN_P2P_KEY] is False


def test_unknown_p2p_toggle_blocks_p2p_even_without_the_category(unifi_factory):
    sim = unifi_factory()
    control = sim.control()
    categories = [c for c in sim.sites['default']['ips']['enabled_categories'] if c != P2P_CATEGORY]
    control.set_state(ips={'default': {'enabled_categories': categories, UNKNOWN_P2P_KEY: True}})
    assert control.state()['sites']['default']['p2p_blocked'] is True
    control.set_state(ips={'default': {'ips_mode': 'disabled'}})
    assert control.state()['sites']['default']['p2p_blocked'] is False


def test_journal_classifies_reads_writes_and_auth(unifi_factory):
    sim = unifi_factory()
    client = Client(sim)
    client.request('GET', '/')
    client.login()
    client.api('GET', '/api/self/sites')
    document = _ips(client)
    client.api('PUT', '/api/s/default/set/setting/ips', document)
    assert [(entry['op'], entry['kind']) for entry in sim.journal.entries()] == [
        ('probe', 'other'), ('login', 'auth'), ('sites', 'read'), ('get:setting/ips', 'read'), ('set:setting/ips', 'write')]
    assert sim.journal.summary() == {'reads': 2, 'writes': 1}


@pytest.mark.parametrize('fault', ['http_500', 'auth', 'api_error', 'timeout'])
def test_faults_on_the_settings_write_leave_the_device_unchanged(unifi_factory, fault):
    sim = unifi_factory(timeout_seconds=0.3)
    client = Client(sim)
    client.login()
    document = _ips(client)
    document['enabled_categories'] = [c for c in document['enabled_categories'] if c != P2P_CATEGORY]
    before = sim.snapshot()
    sim.control().arm(fault, match='set:setting/ips', seconds=0.3 if fault == 'timeout' else None)
    if fault == 'timeout':
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError, OSError)):
            client.api('PUT', '/api/s/default/set/setting/ips', document)
    else:
        status, data, _headers = client.api('PUT', '/api/s/default/set/setting/ips', document)
        assert status == {'http_500': 500, 'auth': 401, 'api_error': 400}[fault]
        if fault == 'api_error':
            assert data['meta']['rc'] == 'error'
    assert sim.snapshot() == before
    assert sim.journal.entries()[-1]['fault'] == fault
    assert sim.control().faults() == []
