# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The PAN-OS simulator, driven by the real client stack: pan-os-python (``panos``) over pan-python
(``pan.xapi``). Each test proves one behaviour the collection relies on; docs/simulators.md says
which of them are verified against primary sources and which are inferred.
"""

from __future__ import annotations

import ssl
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest

pytest.importorskip('panos')

import pan.xapi  # noqa: E402  pylint: disable=wrong-import-position
from panos import errors as pan_errors  # noqa: E402  pylint: disable=wrong-import-position
from panos.firewall import Firewall  # noqa: E402  pylint: disable=wrong-import-position
from panos.policies import NatRule, Rulebase  # noqa: E402  pylint: disable=wrong-import-position

from ansible_collections.directpath.firewall.tests.simulators.panos import NAT_RULES_XPATH  # noqa: E402  pylint: disable=wrong-import-position

LAN_OUT = NAT_RULES_XPATH + "/entry[@name='lan-out']"
DMZ_STATIC = NAT_RULES_XPATH + "/entry[@name='dmz-static']"
PERSISTENT_ON_INTERFACE = ('<source-translation><persistent-dynamic-ip-and-port><interface-address>'
                           '<interface>ethernet1/1</interface><ip>203.0.113.1/24</ip>'
                           '</interface-address></persistent-dynamic-ip-and-port></source-translation>')
NEW_RULE = ('<entry name="ts-direct"><from><member>trust</member></from><to><member>untrust</member></to>'
            '<source><member>ts-node-a</member></source><destination><member>any</member></destination>'
            '<service>any</service><source-translation><dynamic-ip-and-port><interface-address>'
            '<interface>ethernet1/1</interface></interface-address></dynamic-ip-and-port></source-translation>'
            '<description>Tailscale node a</description></entry>')


def firewall(sim, password=None, api_key=None, timeout=5):
    """A pan-os-python Firewall pointed at the simulator (pan-os-python itself does not verify TLS)."""
    if api_key is not None:
        device = Firewall('127.0.0.1', api_key=api_key, port=sim.port)
    else:
        device = Firewall('127.0.0.1', sim.username, password if password is not None else sim.password, port=sim.port)
    device.timeout = timeout
    return device


def nat_rules(device, running_config=False):
    rulebase = Rulebase()
    device.add(rulebase)
    return {rule.name: rule for rule in NatRule.refreshall(rulebase, running_config=running_config)}


def result_xml(device):
    return ET.tostring(device.xapi.element_result, encoding='unicode')


# ------------------------------------------------------------------------------------------------
# Authentication
# ------------------------------------------------------------------------------------------------
def test_keygen_with_good_credentials_returns_the_devices_stable_key(panos_sim):
    sim, control = panos_sim
    assert firewall(sim).api_key == sim.api_key
    assert firewall(sim).api_key == sim.api_key  # the same user and password give the same key
    keygens = [entry for entry in control.journal() if entry['op'] == 'keygen']
    assert [entry['kind'] for entry in keygens] == ['auth', 'auth']


def test_keygen_with_bad_credentials_on_current_panos_is_http_403_which_pan_os_python_reports_as_url_error(panos_sim):
    sim, _control = panos_sim
    with pytest.raises(pan_errors.PanURLError) as raised:
        firewall(sim, password='wrong').refresh_system_info()
    assert str(raised.value) == 'URLError: code: 403 reason: Invalid Credential'
    assert not isinstance(raised.value, pan_errors.PanInvalidCredentials)


def test_keygen_with_bad_credentials_legacy_style_raises_pan_invalid_credentials(panos_sim_factory):
    sim, _control = panos_sim_factory(auth_style='legacy')
    with pytest.raises(pan_errors.PanInvalidCredentials, match=r'^Invalid credentials\.$'):
        firewall(sim, password='wrong').refresh_system_info()


def test_stale_api_key_is_rejected_like_bad_credentials(panos_sim):
    sim, control = panos_sim
    with pytest.raises(pan_errors.PanURLError, match='403'):
        firewall(sim, api_key='LUFRPT-not-a-key==').refresh_system_info()
    assert control.journal()[-1]['op'] == 'op:show system info'
    assert control.journal()[-1]['status'] == 403


def test_request_without_key_is_rejected_with_403(panos_sim):
    sim, _control = panos_sim
    data = urllib.parse.urlencode({'type': 'op', 'cmd': '<show><system><info/></system></show>'}).encode()
    request = urllib.request.Request(sim.url + '/api/', data=data)
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, context=ssl.create_default_context(cafile=sim.ca_path), timeout=5)
    assert raised.value.code == 403
    assert b"<msg>Invalid Credential</msg>" in raised.value.read()


def test_api_key_in_x_pan_key_header_is_accepted(panos_sim):
    sim, _control = panos_sim
    data = urllib.parse.urlencode({'type': 'op', 'cmd': '<show><system><info/></system></show>'}).encode()
    request = urllib.request.Request(sim.url + '/api/', data=data, headers={'X-PAN-KEY': sim.api_key})
    with urllib.request.urlopen(request, context=ssl.create_default_context(cafile=sim.ca_path), timeout=5) as answer:
        assert answer.headers['Content-Type'].startswith('application/xml')
        assert ET.fromstring(answer.read()).findtext('result/system/sw-version') == '11.1.2'


def test_auth_fault_rejects_a_valid_key_once(panos_sim):
    sim, control = panos_sim
    device = firewall(sim)
    device.refresh_system_info()
    control.arm('auth', match='op:show system info')
    with pytest.raises(pan_errors.PanURLError, match='403'):
        device.refresh_system_info()
    assert device.refresh_system_info().version == '11.1.2'


def test_pan_xapi_with_the_run_ca_verifies_tls_and_without_it_fails(panos_sim):
    sim, _control = panos_sim
    verified = pan.xapi.PanXapi(hostname='127.0.0.1', port=sim.port, api_username=sim.username, api_password=sim.password,
                                ssl_context=ssl.create_default_context(cafile=sim.ca_path), timeout=5)
    assert verified.keygen() == sim.api_key
    system_cas_only = pan.xapi.PanXapi(hostname='127.0.0.1', port=sim.port, api_username=sim.username,
                                       api_password=sim.password, ssl_context=ssl.create_default_context(), timeout=5)
    with pytest.raises(pan.xapi.PanXapiError, match='CERTIFICATE_VERIFY_FAILED'):
        system_cas_only.keygen()


# ------------------------------------------------------------------------------------------------
# System info and transport
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize('version', ['11.1.2', '10.2.4', '11.1.1-h1'])
def test_refresh_system_info_reports_the_configured_version(panos_sim_factory, version):
    sim, _control = panos_sim_factory(sw_version=version, model='PA-440', serial='012345678901')
    device = firewall(sim)
    info = device.refresh_system_info()
    assert info.version == version
    assert (info.platform, info.serial) == ('PA-440', '012345678901')
    assert device.content_version == sim.system['app-version']
    assert device.multi_vsys is False


def test_sw_version_can_be_seeded_through_the_control_api(panos_sim):
    sim, control = panos_sim
    control.set_state(sw_version='10.2.4')
    assert firewall(sim).refresh_system_info().version == '10.2.4'


def test_client_requests_are_form_posts_to_api_and_answers_are_xml(panos_sim):
    sim, control = panos_sim
    firewall(sim).refresh_system_info()
    entries = control.journal()
    assert {(entry['method'], entry['path']) for entry in entries} == {('POST', '/api/')}
    assert [entry['op'] for entry in entries] == ['keygen', 'op:show system info']


def test_version_request_type_reports_version_model_and_serial(panos_sim):
    sim, _control = panos_sim
    xapi = pan.xapi.PanXapi(hostname='127.0.0.1', port=sim.port, api_key=sim.api_key, timeout=5)
    xapi.ad_hoc('type=version', modify_qs=True)
    assert xapi.element_result.findtext('sw-version') == '11.1.2'
    assert xapi.element_result.findtext('model') == 'PA-VM'


def test_unknown_request_type_is_an_illegal_value_error(panos_sim):
    sim, _control = panos_sim
    xapi = pan.xapi.PanXapi(hostname='127.0.0.1', port=sim.port, api_key=sim.api_key, timeout=5)
    with pytest.raises(pan.xapi.PanXapiError, match=r'Illegal value for parameter "type" \[bogus\]\.'):
        xapi.ad_hoc('type=bogus', modify_qs=True)


def test_unknown_operational_command_is_rejected(panos_sim):
    sim, _control = panos_sim
    with pytest.raises(pan_errors.PanDeviceXapiError, match='is unexpected'):
        firewall(sim).op('show nonsense here')


# ------------------------------------------------------------------------------------------------
# Configuration reads and writes
# ------------------------------------------------------------------------------------------------
def test_natrule_refreshall_reads_the_seeded_rules(panos_sim):
    sim, _control = panos_sim
    rules = nat_rules(firewall(sim))
    assert list(rules) == ['guest-out', 'ts-egress', 'lan-out', 'dmz-static']
    assert rules['guest-out'].disabled is True
    assert rules['ts-egress'].source == ['tailscale-nodes']
    lan_out = rules['lan-out']
    assert (lan_out.fromzone, lan_out.tozone, lan_out.source, lan_out.service) == (['trust'], ['untrust'], ['any'], 'any')
    assert lan_out.source_translation_type == 'dynamic-ip-and-port'
    assert lan_out.source_translation_address_type == 'interface-address'
    assert lan_out.source_translation_interface == 'ethernet1/1'
    assert lan_out.uuid == '0d6e8a3c-7f41-4c2b-8b7e-5a9d2e4f1c10'
    dmz = rules['dmz-static']
    assert dmz.source_translation_type == 'static-ip'
    assert dmz.source_translation_static_translated_address == '203.0.113.20'
    assert dmz.source_translation_static_bi_directional is True


def test_get_reads_the_candidate_and_show_reads_the_running_config(panos_sim):
    sim, _control = panos_sim
    device = firewall(sim)
    device.xapi.edit(xpath=LAN_OUT + '/description', element='<description>changed</description>')
    device.xapi.get(xpath=LAN_OUT + '/description')
    assert device.xapi.element_result.findtext('description') == 'changed'
    device.xapi.show(xpath=LAN_OUT + '/description')
    assert device.xapi.element_result.findtext('description') == 'LAN to Internet'
    assert device.pending_changes() is True


def test_get_of_a_missing_node_succeeds_with_code_7_and_show_raises_no_such_node(panos_sim):
    sim, _control = panos_sim
    device = firewall(sim)
    device.xapi.get(xpath=NAT_RULES_XPATH + "/entry[@name='absent']")
    assert device.xapi.status == 'success'
    assert device.xapi.status_code == '7'
    assert len(device.xapi.element_result) == 0
    with pytest.raises(pan_errors.PanNoSuchNode, match='^No such node$'):
        device.xapi.show(xpath=NAT_RULES_XPATH + "/entry[@name='absent']")


def test_set_edit_and_delete_a_nat_rule_on_its_xpath(panos_sim):
    sim, _control = panos_sim
    device = firewall(sim)
    device.xapi.set(xpath=NAT_RULES_XPATH, element=NEW_RULE)
    assert device.xapi.status_code == '20'
    assert 'ts-direct' in nat_rules(device)
    device.xapi.edit(xpath=NAT_RULES_XPATH + "/entry[@name='ts-direct']/source-translation", element=PERSISTENT_ON_INTERFACE)
    device.xapi.get(xpath=NAT_RULES_XPATH + "/entry[@name='ts-direct']/source-translation")
    assert device.xapi.element_result.find('source-translation/persistent-dynamic-ip-and-port') is not None
    device.xapi.delete(xpath=NAT_RULES_XPATH + "/entry[@name='ts-direct']")
    assert 'ts-direct' not in nat_rules(device)
    assert device.pending_changes() is False


def test_set_of_a_member_merges_and_entry_names_select_nodes(panos_sim):
    sim, _control = panos_sim
    device = firewall(sim)
    device.xapi.set(xpath=LAN_OUT + '/source', element='<member>ts-node-a</member>')
    device.xapi.get(xpath=LAN_OUT + '/source')
    assert [m.text for m in device.xapi.element_result.iter('member')] == ['any', 'ts-node-a']
    device.xapi.get(xpath=NAT_RULES_XPATH + '/entry/@name')
    assert [e.get('name') for e in device.xapi.element_result] == ['guest-out', 'ts-egress', 'lan-out', 'dmz-static']


def test_natrule_create_through_pan_os_python_is_accepted(panos_sim):
    sim, _control = panos_sim
    device = firewall(sim)
    rulebase = Rulebase()
    device.add(rulebase)
    rule = NatRule(name='pan-os-python-rule', fromzone=['trust'], tozone=['untrust'], source=['ts-node-b'],
                   source_translation_type='dynamic-ip-and-port', source_translation_address_type='interface-address',
                   source_translation_interface='ethernet1/1')
    rulebase.add(rule)
    rule.create()
    assert nat_rules(device)['pan-os-python-rule'].source == ['ts-node-b']


# ------------------------------------------------------------------------------------------------
# Strictness
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize('version', ['10.2.4', '11.0.3', '11.1.0'])
def test_persistent_dipp_is_rejected_before_11_1_1_as_an_unknown_node(panos_sim_factory, version):
    sim, _control = panos_sim_factory(sw_version=version)
    before = sim.snapshot()
    with pytest.raises(pan_errors.PanDeviceXapiError) as raised:
        firewall(sim).xapi.edit(xpath=LAN_OUT + '/source-translation', element=PERSISTENT_ON_INTERFACE)
    assert str(raised.value) == ' lan-out -> source-translation -> persistent-dynamic-ip-and-port unexpected here'
    assert sim.snapshot() == before


@pytest.mark.parametrize('version', ['11.1.1', '11.1.2', '11.2.4', '12.1.0'])
def test_persistent_dipp_is_accepted_from_11_1_1_and_commits(panos_sim_factory, version):
    sim, _control = panos_sim_factory(sw_version=version)
    device = firewall(sim)
    device.xapi.edit(xpath=LAN_OUT + '/source-translation', element=PERSISTENT_ON_INTERFACE)
    assert device.commit(sync=True)['success'] is True
    device.xapi.show(xpath=LAN_OUT + '/source-translation/persistent-dynamic-ip-and-port/interface-address/interface')
    assert device.xapi.element_result.findtext('interface') == 'ethernet1/1'


def test_validation_error_envelope_is_the_nested_line_shape(panos_sim_factory):
    sim, _control = panos_sim_factory(sw_version='10.2.4')
    xapi = pan.xapi.PanXapi(hostname='127.0.0.1', port=sim.port, api_key=sim.api_key, timeout=5)
    with pytest.raises(pan.xapi.PanXapiError):
        xapi.edit(xpath=LAN_OUT + '/source-translation', element=PERSISTENT_ON_INTERFACE)
    assert (xapi.status, xapi.status_code) == ('error', '12')
    lines = [line.text for line in xapi.element_root.findall('msg/line/line')]
    assert lines == [' lan-out -> source-translation -> persistent-dynamic-ip-and-port unexpected here',
                     ' lan-out -> source-translation is invalid']


@pytest.mark.parametrize('action, xpath, element, message', [
    ('edit', LAN_OUT + '/source-translation',
     '<source-translation><dynamic-ip-and-port><interface-address><interface>ethernet1/1</interface><mtu>1</mtu>'
     '</interface-address></dynamic-ip-and-port></source-translation>',
     'interface-address -> mtu unexpected here'),
    ('set', LAN_OUT, '<bogus>1</bogus>', ' lan-out -> bogus unexpected here'),
    ('edit', LAN_OUT + '/source-translation',
     '<source-translation><dynamic-ip-and-port><translated-address><member>203.0.113.5</member></translated-address>'
     '</dynamic-ip-and-port><static-ip><translated-address>203.0.113.6</translated-address></static-ip></source-translation>',
     'source-translation -> static-ip unexpected here'),
    ('edit', LAN_OUT + '/source-translation', '<source-translation/>', 'needs one translation type'),
    ('edit', LAN_OUT + '/from', '<from/>', ' lan-out -> from needs at least one member'),
    ('set', LAN_OUT, '<disabled>maybe</disabled>', "disabled 'maybe' is not an allowed keyword"),
    ('set', LAN_OUT, '<nat-type>ipv5</nat-type>', "nat-type 'ipv5' is not an allowed keyword"),
    ('set', NAT_RULES_XPATH, NEW_RULE.replace('<to><member>untrust</member></to>', ''), ' ts-direct -> to is missing'),
    ('set', NAT_RULES_XPATH.rsplit('/', 2)[0], '<natt/>', 'rulebase -> natt unexpected here'),
])
def test_schema_violations_in_the_nat_rulebase_are_rejected_and_change_nothing(panos_sim, action, xpath, element, message):
    sim, _control = panos_sim
    xapi = firewall(sim).xapi
    before = sim.snapshot()
    with pytest.raises(pan_errors.PanDeviceXapiError) as raised:
        getattr(xapi, action)(xpath=xpath, element=element)
    assert message in str(raised.value)
    assert sim.snapshot() == before


def test_edit_whose_element_is_not_the_xpath_node_breaks_config_validity(panos_sim):
    sim, _control = panos_sim
    with pytest.raises(pan_errors.PanDeviceXapiError, match='Edit breaks config validity'):
        firewall(sim).xapi.edit(xpath=LAN_OUT + '/from', element='<to><member>untrust</member></to>')


def test_commit_of_a_rule_with_dangling_references_fails_validation(panos_sim):
    sim, control = panos_sim
    device = firewall(sim)
    device.xapi.set(xpath=NAT_RULES_XPATH, element=NEW_RULE.replace('<member>trust</member>', '<member>no-such-zone</member>'))
    result = device.commit(sync=True)
    assert result['success'] is False
    assert " rulebase -> nat -> rules -> ts-direct -> from 'no-such-zone' is not a valid reference" in result['messages']
    assert 'ts-direct' not in control.state()['running']


# ------------------------------------------------------------------------------------------------
# Commit, jobs, revert
# ------------------------------------------------------------------------------------------------
def test_commit_with_job_wait_succeeds_and_promotes_the_candidate(panos_sim):
    sim, control = panos_sim
    device = firewall(sim)
    device.xapi.edit(xpath=LAN_OUT + '/source-translation', element=PERSISTENT_ON_INTERFACE)
    result = device.commit(sync=True, cmd='<commit><description>directpath test</description></commit>')
    assert (result['success'], result['result']) == (True, 'OK')
    assert result['messages'] == ['Configuration committed successfully']
    assert device.pending_changes() is False
    state = control.state()
    assert 'persistent-dynamic-ip-and-port' in state['running']
    assert state['jobs'][-1]['description'] == 'directpath test'


def test_commit_job_is_active_until_it_finishes(panos_sim_factory):
    sim, control = panos_sim_factory(commit_seconds=0.3)
    device = firewall(sim)
    device.xapi.edit(xpath=LAN_OUT + '/description', element='<description>slow commit</description>')
    assert device.commit(sync=True)['success'] is True
    polls = [entry for entry in control.journal() if entry['op'] == 'op:show jobs']
    assert len(polls) >= 2


def test_commit_without_changes_returns_none_and_raises_commit_not_needed_on_request(panos_sim):
    sim, control = panos_sim
    device = firewall(sim)
    assert device.commit(sync=True) is None
    with pytest.raises(pan_errors.PanCommitNotNeeded):
        device.commit(sync=True, exception=True)
    assert not control.state()['jobs']


def test_commit_fail_fault_finishes_the_job_with_fail_and_keeps_running_config(panos_sim):
    sim, control = panos_sim
    device = firewall(sim)
    running_before = control.state()['running']
    device.xapi.edit(xpath=LAN_OUT + '/source-translation', element=PERSISTENT_ON_INTERFACE)
    control.arm('commit_fail')
    result = device.commit(sync=True)
    assert (result['success'], result['result']) == (False, 'FAIL')
    assert result['messages'][-1] == 'Commit failed'
    state = control.state()
    assert state['running'] == running_before
    assert 'persistent-dynamic-ip-and-port' in state['candidate']
    assert device.pending_changes() is True
    with pytest.raises(pan_errors.PanCommitFailed):
        control.arm('commit_fail')
        device.commit(sync=True, exception=True)


@pytest.mark.parametrize('revert', ['revert config', 'load config from running-config.xml'])
def test_reverting_the_candidate_discards_uncommitted_changes(panos_sim, revert):
    sim, control = panos_sim
    device = firewall(sim)
    before = sim.snapshot()
    device.xapi.edit(xpath=LAN_OUT + '/source-translation', element=PERSISTENT_ON_INTERFACE)
    assert sim.snapshot() != before
    if revert == 'revert config':
        device.xapi.op(cmd='<revert><config></config></revert>')
    else:
        device.revert_to_running_configuration()
    assert sim.snapshot() == before
    assert control.journal()[-1]['op'] in ('op:revert config', 'op:load config')


# ------------------------------------------------------------------------------------------------
# Locks
# ------------------------------------------------------------------------------------------------
def test_own_config_lock_is_taken_released_and_not_taken_twice(panos_sim):
    sim, control = panos_sim
    device = firewall(sim)
    assert device.add_config_lock(comment='directpath', scope='vsys1') is True
    assert control.state()['config_locks'] == [{'scope': 'vsys1', 'admin': 'admin', 'comment': 'directpath'}]
    with pytest.raises(pan_errors.PanLockError, match='You already own a config lock for scope vsys1'):
        device.add_config_lock(scope='vsys1')
    device.xapi.edit(xpath=LAN_OUT + '/description', element='<description>under my lock</description>')
    assert device.check_config_locks() is True
    assert device.remove_config_lock(scope='vsys1') is True
    assert device.remove_config_lock(scope='vsys1', exceptions=False) is False


def test_lock_held_fault_makes_writes_and_commit_raise_pan_lock_error(panos_sim):
    sim, control = panos_sim
    device = firewall(sim)
    control.arm('lock_held', match='config:edit')
    with pytest.raises(pan_errors.PanLockError, match='^Configuration is locked by other-admin$'):
        device.xapi.edit(xpath=LAN_OUT + '/description', element='<description>x</description>')
    device.xapi.edit(xpath=LAN_OUT + '/description', element='<description>x</description>')
    control.arm('lock_held', match='commit')
    with pytest.raises(pan_errors.PanLockError):
        device.commit(sync=True)
    control.arm('lock_held')
    with pytest.raises(pan_errors.PanLockError, match='^Config for scope vsys1 is currently locked by other-admin$'):
        device.add_config_lock(scope='vsys1')


def test_config_lock_of_another_admin_blocks_lock_writes_and_commit(panos_sim):
    sim, control = panos_sim
    device = firewall(sim)
    control.set_state(config_lock={'admin': 'bob', 'scope': 'vsys1', 'comment': 'maintenance'})
    with pytest.raises(pan_errors.PanLockError, match='currently locked by bob'):
        device.add_config_lock(scope='vsys1')
    with pytest.raises(pan_errors.PanLockError, match='^Configuration is locked by bob$'):
        device.xapi.edit(xpath=LAN_OUT + '/description', element='<description>x</description>')
    assert device.check_config_locks() is True
    control.set_state(config_lock=None)
    device.xapi.edit(xpath=LAN_OUT + '/description', element='<description>x</description>')


# ------------------------------------------------------------------------------------------------
# Transport faults
# ------------------------------------------------------------------------------------------------
def test_http_500_fault_surfaces_as_pan_url_error(panos_sim):
    sim, control = panos_sim
    device = firewall(sim)
    control.arm('http_500', match='op:show system info')
    with pytest.raises(pan_errors.PanURLError, match='^URLError: code: 500 reason: Internal Server Error$'):
        device.refresh_system_info()
    assert control.journal()[-1]['fault'] == 'http_500'


def test_timeout_fault_surfaces_as_a_bare_timeout_error_not_a_pan_exception(panos_sim_factory):
    sim, control = panos_sim_factory(timeout_seconds=3)
    device = firewall(sim, timeout=1)
    device.refresh_system_info()
    control.arm('timeout', match='op:show system info', seconds=1.5)
    with pytest.raises(TimeoutError) as raised:
        device.refresh_system_info()
    assert not isinstance(raised.value, pan_errors.PanDeviceError)
    entry = control.journal()[-1]
    assert (entry['fault'], entry['status']) == ('timeout', 0)
    assert device.refresh_system_info().version == '11.1.2'


def test_api_error_fault_returns_the_error_envelope_on_the_next_matching_write(panos_sim):
    sim, control = panos_sim
    device = firewall(sim)
    control.arm('api_error', match='config:edit', message='simulated device refusal', code=13)
    device.xapi.get(xpath=LAN_OUT)
    with pytest.raises(pan_errors.PanDeviceXapiError, match='^simulated device refusal$'):
        device.xapi.edit(xpath=LAN_OUT + '/description', element='<description>x</description>')
    assert device.xapi.status_code == '13'


def test_faults_the_api_does_not_have_cannot_be_armed(panos_sim):
    _sim, control = panos_sim
    from ansible_collections.directpath.firewall.tests.simulators.base import SimulatorControlError
    with pytest.raises(SimulatorControlError, match='stale_etag'):
        control.arm('stale_etag')


# ------------------------------------------------------------------------------------------------
# Journal
# ------------------------------------------------------------------------------------------------
def test_journal_classifies_reads_writes_and_auth(panos_sim):
    sim, control = panos_sim
    device = firewall(sim)
    device.refresh_system_info()
    nat_rules(device)
    device.pending_changes()
    device.add_config_lock(scope='vsys1')
    device.xapi.edit(xpath=LAN_OUT + '/source-translation', element=PERSISTENT_ON_INTERFACE)
    device.commit(sync=True)
    device.remove_config_lock(scope='vsys1')
    kinds = [(entry['op'], entry['kind']) for entry in control.journal()]
    assert kinds == [
        ('keygen', 'auth'),
        ('op:show system info', 'read'),
        ('config:get', 'read'),
        ('op:check pending-changes', 'read'),
        ('op:request config-lock add', 'write'),
        ('config:edit', 'write'),
        ('commit', 'write'),
        ('op:show jobs', 'read'),
        ('op:request config-lock remove', 'write'),
    ]
    assert control.summary() == {'reads': 4, 'writes': 4}


def test_an_audit_style_read_sequence_writes_nothing(panos_sim):
    sim, control = panos_sim
    device = firewall(sim)
    before = control.snapshot()
    device.refresh_system_info()
    device.xapi.show(xpath=NAT_RULES_XPATH)
    device.xapi.show(xpath=device.xpath_vsys() + '/address')
    device.pending_changes()
    assert control.summary()['writes'] == 0
    assert control.snapshot() == before


# ------------------------------------------------------------------------------------------------
# The pan-os-python gap the collection works around
# ------------------------------------------------------------------------------------------------
def test_natrule_does_not_know_the_persistent_translation_type_and_drops_it(panos_sim):
    """pan-os-python 1.13.1 panos/policies.py NatRule._setup (lines 638-643) declares
    source_translation_type with values ("dynamic-ip-and-port", "dynamic-ip", "static-ip"); the
    parser (panos/base.py ParamPath.parse_xml, the loop over possibilities at line 3283) only tries
    those, so a persistent rule reads back with no translation at all, and writing that object back
    erases the translation."""
    sim, control = panos_sim
    device = firewall(sim)
    device.xapi.edit(xpath=LAN_OUT + '/source-translation', element=PERSISTENT_ON_INTERFACE)
    assert device.commit(sync=True)['success'] is True

    rules = nat_rules(device)
    lan_out = rules['lan-out']
    assert lan_out.source_translation_type is None
    assert lan_out.source_translation_address_type is None
    assert lan_out.source_translation_interface is None
    assert lan_out.source_translation_ip_address is None
    assert rules['dmz-static'].source_translation_type == 'static-ip'
    assert nat_rules(device, running_config=True)['lan-out'].source_translation_type is None

    # Round trip: apply() the object as read -> the candidate rule has no source-translation left.
    lan_out.apply()
    device.xapi.get(xpath=LAN_OUT)
    assert device.xapi.element_result.find('entry/source-translation') is None
    assert control.state()['pending_changes'] is True


# ------------------------------------------------------------------------------------------------
# Global persistent-dipp system setting (operational command, PAN-OS 10.1.6+/10.2.4+/11.0)
# ------------------------------------------------------------------------------------------------
SHOW_GLOBAL = '<show><system><setting><persistent-dipp></persistent-dipp></setting></system></show>'
SET_GLOBAL = '<set><system><setting><persistent-dipp><enable>%s</enable></persistent-dipp></setting></system></set>'


def test_global_persistent_dipp_is_set_by_operational_command_without_commit(panos_sim_factory):
    sim, control = panos_sim_factory(sw_version='10.2.4')
    device = firewall(sim)
    device.xapi.op(SHOW_GLOBAL)
    assert 'Disabled' in result_xml(device)
    device.xapi.op(SET_GLOBAL % 'yes')
    device.xapi.op(SHOW_GLOBAL)
    assert 'Enabled' in result_xml(device)
    state = control.state()
    assert state['persistent_dipp_global'] is True
    assert state['pending_changes'] is False
    ops = [(entry['op'], entry['kind']) for entry in control.journal()]
    assert ('op:set system setting persistent-dipp', 'write') in ops
    assert ('op:show system setting persistent-dipp', 'read') in ops


def test_global_persistent_dipp_is_unknown_before_10_1_6(panos_sim_factory):
    sim, control = panos_sim_factory(sw_version='10.1.3')
    with pytest.raises(pan_errors.PanDeviceXapiError, match='is unexpected'):
        firewall(sim).xapi.op(SET_GLOBAL % 'yes')
    assert control.state()['persistent_dipp_global'] is False


def test_global_persistent_dipp_rejects_a_value_other_than_yes_or_no(panos_sim_factory):
    sim, control = panos_sim_factory(sw_version='10.2.4')
    with pytest.raises(pan_errors.PanDeviceXapiError, match='invalid'):
        firewall(sim).xapi.op(SET_GLOBAL % 'maybe')
    assert control.state()['persistent_dipp_global'] is False


def test_partial_commit_commits_only_the_named_admins_changes(panos_sim):
    # [commit-doc] partial commit of admin-level changes, sent the way pan-os-python's FirewallCommit does.
    from panos.firewall import FirewallCommit
    sim, control = panos_sim
    device = firewall(sim)
    sim.extra_keys['LUFRPTjanekey=='] = 'ops-jane'
    jane = firewall(sim, api_key='LUFRPTjanekey==')
    jane.xapi.edit(xpath=LAN_OUT + '/description', element='<description>jane was here</description>')
    device.xapi.edit(xpath=NAT_RULES_XPATH + "/entry[@name='dmz-static']/description",
                     element='<description>ours</description>')
    job = device.commit(sync=True, exception=True, cmd=FirewallCommit(description='ours only', admins=['admin']))
    assert job['result'] == 'OK'
    state = control.state()
    assert state['pending_changes'] is True
    running = ET.fromstring(state['running'])
    assert running.find('.' + NAT_RULES_XPATH[len('/config'):] + "/entry[@name='dmz-static']/description").text == 'ours'
    assert running.find('.' + LAN_OUT[len('/config'):] + '/description').text == 'LAN to Internet'
    device.xapi.op(cmd='<show><config><list><admins></admins></list></config></show>')
    assert [m.text for m in device.xapi.element_result.iter('member')] == ['ops-jane']


def test_revert_of_one_admin_keeps_the_others_changes(panos_sim):
    sim, control = panos_sim
    device = firewall(sim)
    sim.extra_keys['LUFRPTjanekey=='] = 'ops-jane'
    jane = firewall(sim, api_key='LUFRPTjanekey==')
    jane.xapi.edit(xpath=LAN_OUT + '/description', element='<description>jane was here</description>')
    device.xapi.edit(xpath=NAT_RULES_XPATH + "/entry[@name='dmz-static']/description",
                     element='<description>ours</description>')
    device.xapi.op(cmd='<revert><config><partial><admin><member>admin</member></admin></partial></config></revert>')
    candidate = ET.fromstring(control.state()['candidate'])
    assert candidate.find('.' + LAN_OUT[len('/config'):] + '/description').text == 'jane was here'
    assert candidate.find('.' + NAT_RULES_XPATH[len('/config'):] + "/entry[@name='dmz-static']/description").text == \
        'DMZ web server, 1:1'


def test_whoami_names_the_keys_administrator(panos_sim):
    sim, _control = panos_sim
    assert firewall(sim).whoami() == sim.username


def test_nat_rule_with_negated_source_is_rejected_as_the_schema_does(panos_sim):
    # [pol] NatRule has no negate_source (SecurityRule has): PAN-OS NAT rules cannot negate the source.
    sim, _control = panos_sim
    device = firewall(sim)
    with pytest.raises(Exception) as error:
        device.xapi.set(xpath=LAN_OUT, element='<negate-source>yes</negate-source>')
    assert 'negate-source' in str(error.value)
