# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""panos_persistent_dipp against the PAN-OS XML API simulator, through the real pan-os-python."""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET

import pytest


pytest.importorskip('panos')

# pylint: disable=wrong-import-position
from ansible_collections.directpath.firewall.plugins.modules import panos_persistent_dipp  # noqa: E402
from ansible_collections.directpath.firewall.tests.unit.plugins.modules.module_run import module_runners  # noqa: E402
from ansible_collections.directpath.firewall.tests.simulators.panos import PanosSimulator  # noqa: E402

RULES_XPATH = "./devices/entry[@name='localhost.localdomain']/vsys/entry[@name='vsys1']/rulebase/nat/rules"


@pytest.fixture
def sim(tmp_path):
    # The simulator holds a 'timeout' fault longer than the module's timeout (conn() uses 1 s).
    simulator = PanosSimulator(tmp_path / 'panos', timeout_seconds=4.0).start()
    yield simulator
    simulator.stop()


run_module, run_module_output = module_runners(panos_persistent_dipp)


def conn(sim, **extra):
    args = dict(host=sim.host, port=sim.port, username=sim.username, password=sim.password,
                ca_path=sim.ca_path, timeout=1, commit_timeout=20)
    args.update(extra)
    return args


def translation_of(sim, rule, config='running'):
    root = ET.fromstring(sim.control().state()[config])
    [entry] = [entry for entry in root.find(RULES_XPATH) if entry.get('name') == rule]
    return entry.find('source-translation')[0].tag


def test_check_mode_reports_drift_and_sends_no_write(sim, capsys):
    before = sim.snapshot()
    result = run_module(capsys, conn(sim, rules=['lan-out']), check_mode=True)
    assert result['changed'] is True
    assert result['compliance']['status'] == 'drift'
    assert result['diff'] == {'before': {'lan-out': 'dynamic-ip-and-port'}, 'after': {'lan-out': 'persistent-dynamic-ip-and-port'}}
    assert sim.journal.writes() == []
    assert result['api_calls']['writes'] == 0
    assert sim.snapshot() == before


def test_apply_changes_only_the_selected_rule_and_commits(sim, capsys):
    result = run_module(capsys, conn(sim, rules=['lan-out']))
    assert result['changed'] is True
    assert result['compliance']['status'] == 'compliant'
    assert result['commit_job']
    assert translation_of(sim, 'lan-out') == 'persistent-dynamic-ip-and-port'
    assert translation_of(sim, 'dmz-static') == 'static-ip'
    root = ET.fromstring(sim.control().state()['running'])
    lan_out = root.find("%s/entry[@name='lan-out']" % RULES_XPATH)
    # The translated interface address is kept.
    assert lan_out.findtext('source-translation/persistent-dynamic-ip-and-port/interface-address/interface') == 'ethernet1/1'
    state = sim.control().state()
    assert state['pending_changes'] is False
    assert state['config_locks'] == []
    assert 'persistent DIPP' in state['jobs'][-1]['description']


def test_second_run_is_unchanged_and_sends_no_write(sim, capsys):
    run_module(capsys, conn(sim, rules=['lan-out']))
    sim.journal.clear()
    result = run_module(capsys, conn(sim, rules=['lan-out']))
    assert result['changed'] is False
    assert result['compliance']['status'] == 'compliant'
    assert sim.journal.writes() == []
    assert result['api_calls']['writes'] == 0


def test_hosts_select_the_first_enabled_rule_that_translates_them(sim, capsys):
    # guest-out (disabled, source any) comes first and is skipped; ts-egress (source: the static
    # address group holding 10.0.0.5) matches every destination, so lan-out below it never sees the
    # host's traffic and is left alone.
    result = run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.5']), check_mode=True)
    assert [rule['name'] for rule in result['rules']] == ['ts-egress']
    assert result['compliance']['exposure']
    result = run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.9']), check_mode=True)
    assert [rule['name'] for rule in result['rules']] == ['lan-out']


def test_disabled_rule_is_never_selected_even_when_named(sim, capsys):
    result = run_module(capsys, conn(sim, rules=['guest-out']))
    assert result['changed'] is False
    assert any("'guest-out' is disabled" in finding for finding in result['compliance']['findings'])
    assert sim.journal.writes() == []


def edited_config(sim, rule, edit):
    root = ET.fromstring(sim.control().state()['running'])
    edit(root.find("%s/entry[@name='%s']" % (RULES_XPATH, rule)))
    return ET.tostring(root, encoding='unicode')


def test_hosts_without_nat_rule_are_not_applicable(sim, capsys):
    def scope_to_lan(entry):
        entry.find('source/member').text = 'lan-net'
    sim.control().set_state(config=edited_config(sim, 'lan-out', scope_to_lan))
    result = run_module(capsys, conn(sim, tailscale_hosts=['172.16.9.9']), check_mode=True)
    assert result['compliance']['status'] == 'not_applicable'
    assert result['changed'] is False


def test_firewall_without_shared_addresses_or_nat_rules_reads_as_empty(sim, capsys):
    root = ET.fromstring(sim.control().state()['running'])
    root.remove(root.find('shared'))
    rulebase = root.find("./devices/entry[@name='localhost.localdomain']/vsys/entry[@name='vsys1']/rulebase")
    rulebase.remove(rulebase.find('nat'))
    sim.control().set_state(config=ET.tostring(root, encoding='unicode'))
    result = run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.5']), check_mode=True)
    assert 'failed' not in result, result.get('msg')
    assert result['compliance']['status'] == 'not_applicable'


def test_connection_options_fall_back_to_environment(sim, capsys, monkeypatch):
    monkeypatch.setenv('PANOS_HOSTNAME', sim.host)
    monkeypatch.setenv('PANOS_API_KEY', sim.api_key)
    result = run_module(capsys, dict(port=sim.port, ca_path=sim.ca_path, rules=['lan-out']), check_mode=True)
    assert result['compliance']['status'] == 'drift'


def test_rule_with_static_translation_is_reported_not_changed(sim, capsys):
    result = run_module(capsys, conn(sim, rules=['dmz-static']))
    assert result['changed'] is False
    assert any('static-ip' in finding for finding in result['compliance']['findings'])
    assert sim.journal.writes() == []


def test_unknown_rule_fails_with_the_existing_names(sim, capsys):
    result = run_module(capsys, conn(sim, rules=['no-such-rule']))
    assert result['failed'] is True
    assert result['cause'] == 'input'
    assert 'lan-out' in result['msg']


def test_old_panos_changes_nothing_and_reports_manual_with_options(tmp_path, capsys):
    with PanosSimulator(tmp_path / 'old', sw_version='10.2.4') as old:
        result = run_module(capsys, conn(old, rules=['lan-out']))
        assert result['changed'] is False
        assert result['compliance']['status'] == 'manual'
        assert 'persistent-dipp' in ' '.join(result['compliance']['advice'])
        assert '41641' in ' '.join(result['compliance']['advice'])
        assert old.journal.writes() == []


def test_old_panos_with_opt_in_enables_the_global_setting_without_commit(tmp_path, capsys):
    with PanosSimulator(tmp_path / 'old', sw_version='10.2.4') as old:
        args = conn(old, rules=['lan-out'], legacy_global_setting=True)
        result = run_module(capsys, args, check_mode=True)
        assert result['compliance']['status'] == 'drift'
        assert result['diff'] == {'before': {'system setting persistent-dipp': 'disabled'},
                                  'after': {'system setting persistent-dipp': 'enabled'}}
        assert old.journal.writes() == []
        running_before = old.control().state()['running']
        result = run_module(capsys, args)
        assert result['changed'] is True
        # Set, but not in effect before a restart: never compliant.
        assert result['compliance']['status'] == 'manual'
        assert any('request restart system' in advice for advice in result['compliance']['advice'])
        assert any('takes effect after' in finding for finding in result['compliance']['findings'])
        state = old.control().state()
        assert state['persistent_dipp_global'] is True
        assert state['running'] == running_before
        assert state['jobs'] == []
        old.journal.clear()
        result = run_module(capsys, args)
        assert result['changed'] is False
        assert result['compliance']['status'] == 'manual'
        assert old.journal.writes() == []
        result = run_module(capsys, dict(args, global_setting_restart_confirmed=True), check_mode=True)
        assert result['compliance']['status'] == 'compliant'
        assert old.journal.writes() == []
        result = run_module(capsys, dict(args, state='absent'))
        assert result['changed'] is True
        assert old.control().state()['persistent_dipp_global'] is False


def test_opt_in_on_a_version_without_the_global_setting_stays_manual(tmp_path, capsys):
    with PanosSimulator(tmp_path / 'older', sw_version='10.1.3') as older:
        result = run_module(capsys, conn(older, rules=['lan-out'], legacy_global_setting=True))
        assert result['changed'] is False
        assert result['compliance']['status'] == 'manual'
        assert older.journal.writes() == []


def test_failed_global_setting_leaves_it_unchanged(tmp_path, capsys):
    with PanosSimulator(tmp_path / 'old', sw_version='10.2.4') as old:
        old.control().arm('http_500', match='op:set system setting persistent-dipp')
        before = old.state_components()
        result = run_module(capsys, conn(old, rules=['lan-out'], legacy_global_setting=True))
        assert result['failed'] is True
        assert result['cause'] == 'api'
        assert old.state_components() == before


def test_state_absent_puts_back_dynamic_ip_and_port(sim, capsys):
    run_module(capsys, conn(sim, rules=['lan-out']))
    result = run_module(capsys, conn(sim, rules=['lan-out'], state='absent'))
    assert result['changed'] is True
    assert translation_of(sim, 'lan-out') == 'dynamic-ip-and-port'


@pytest.mark.parametrize('fault, match, cause', [
    ('commit_fail', None, 'commit'),
    ('lock_held', None, 'lock'),
    ('http_500', 'config:edit', 'api'),
    ('api_error', 'config:edit', 'api'),
])
def test_fault_fails_clearly_and_leaves_the_device_unchanged(sim, capsys, fault, match, cause):
    control = sim.control()
    control.arm(fault, match=match)
    before = {k: v for k, v in sim.state_components().items() if k != 'commit_locks'}
    result, out = run_module_output(capsys, conn(sim, rules=['lan-out']))
    assert result['failed'] is True, out
    assert result['cause'] == cause, result['msg']
    assert result['compliance']['status'] == 'error'
    after = {k: v for k, v in sim.state_components().items() if k != 'commit_locks'}
    assert after == before, result['msg']
    assert result['device_unchanged'] is True


def test_auth_failure_names_the_cause(sim, capsys):
    result, out = run_module_output(capsys, conn(sim, password='wrong-password-123', rules=['lan-out']))
    assert result['failed'] is True
    assert result['cause'] == 'auth'
    assert 'wrong-password-123' not in out


def test_invalid_api_key_names_the_cause(sim, capsys):
    args = dict(host=sim.host, port=sim.port, api_key='LUFRPTnot-a-valid-key==', ca_path=sim.ca_path, rules=['lan-out'])
    before = sim.snapshot()
    result, out = run_module_output(capsys, args)
    assert result['failed'] is True
    assert result['cause'] == 'auth'
    assert 'LUFRPTnot-a-valid-key==' not in out
    assert sim.snapshot() == before


def test_unreachable_firewall_fails_clearly(capsys):
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    args = dict(host='127.0.0.1', port=port, api_key='LUFRPTabc==', validate_certs=False, timeout=2, rules=['lan-out'])
    result = run_module(capsys, args)
    assert result['failed'] is True
    assert result['cause'] == 'unreachable'


def test_pending_changes_of_another_admin_block_the_change(sim, capsys):
    control = sim.control()

    def describe(entry):
        entry.find('description').text = 'edited by someone else'
    control.set_state(candidate=edited_config(sim, 'lan-out', describe))
    before = sim.state_components()
    result = run_module(capsys, conn(sim, rules=['lan-out']))
    assert result['cause'] == 'conflict'
    after = sim.state_components()
    assert after['running'] == before['running']
    assert after['candidate'] == before['candidate']


def test_api_key_never_appears_in_output(sim, capsys):
    key = sim.api_key
    result, out = run_module_output(capsys, conn(sim, rules=['lan-out']))
    assert result['changed'] is True
    assert key not in out
    assert sim.password not in out
    result, out = run_module_output(capsys, dict(host=sim.host, port=sim.port, api_key=key, ca_path=sim.ca_path, rules=['lan-out']))
    assert key not in out


def test_tls_without_the_right_ca_fails_and_with_it_succeeds(sim, capsys):
    args = conn(sim, rules=['lan-out'])
    del args['ca_path']
    result = run_module(capsys, args, check_mode=True)
    assert result['failed'] is True
    assert result['cause'] == 'tls'
    result = run_module(capsys, conn(sim, rules=['lan-out']), check_mode=True)
    assert 'failed' not in result


def test_missing_credentials_are_rejected_by_the_argument_spec(sim, capsys):
    result = run_module(capsys, dict(host=sim.host, rules=['lan-out']))
    assert result['failed'] is True
    assert 'api_key' in result['msg']


# ---- device safety (issue: no false "nothing changed", no lost update, no injection) -----------------

def commits(sim):
    return [entry for entry in sim.journal.entries() if entry['op'] == 'commit']


def test_four_steps_check_apply_apply_again_check_again(sim, capsys):
    args = conn(sim, tailscale_hosts=['10.0.0.5', '10.0.0.6'])
    result = run_module(capsys, args, check_mode=True)
    assert result['changed'] is True and sim.journal.writes() == []
    result = run_module(capsys, args)
    assert result['changed'] is True and result['compliance']['status'] == 'compliant'
    assert translation_of(sim, 'ts-egress') == 'persistent-dynamic-ip-and-port'
    assert translation_of(sim, 'lan-out') == 'dynamic-ip-and-port'
    assert translation_of(sim, 'guest-out') == 'dynamic-ip-and-port'
    sim.journal.clear()
    result = run_module(capsys, args)
    assert result['changed'] is False and sim.journal.writes() == []
    result = run_module(capsys, args, check_mode=True)
    assert result['changed'] is False and result['compliance']['status'] == 'compliant'
    assert sim.journal.writes() == []


def test_commit_job_outlasting_commit_timeout_is_unknown_never_nothing_changed(tmp_path, capsys):
    import time
    with PanosSimulator(tmp_path / 'slow', commit_seconds=3.0) as slow:
        result = run_module(capsys, conn(slow, rules=['lan-out'], commit_timeout=1))
        assert result['failed'] is True
        assert result['cause'] == 'timeout'
        assert result['device_unchanged'] is False
        assert result['details']['commit_job']
        assert 'show jobs id' in result['msg']
        assert 'nothing changed' not in result['msg']
        time.sleep(3.5)
        # The job the module gave up on committed anyway: "unknown" was the truth.
        assert translation_of(slow, 'lan-out') == 'persistent-dynamic-ip-and-port'


def test_slow_commit_within_commit_timeout_is_followed_to_its_end(tmp_path, capsys):
    with PanosSimulator(tmp_path / 'slowish', commit_seconds=1.2) as slowish:
        result = run_module(capsys, conn(slowish, rules=['lan-out'], commit_timeout=30))
        assert result['compliance']['status'] == 'compliant'
        assert translation_of(slowish, 'lan-out') == 'persistent-dynamic-ip-and-port'


def test_commit_request_without_answer_is_unknown_and_takes_our_edit_back(sim, capsys):
    sim.control().arm('timeout', match='commit')
    result = run_module(capsys, conn(sim, rules=['lan-out']))
    assert result['failed'] is True
    assert result['cause'] == 'timeout'
    assert result['device_unchanged'] is False
    assert 'show jobs all' in result['msg']
    state = sim.control().state()
    assert state['pending_changes'] is False
    assert translation_of(sim, 'lan-out', 'candidate') == 'dynamic-ip-and-port'


def test_lock_left_held_is_said_in_the_result_and_a_warning(sim, capsys, monkeypatch):
    from ansible.module_utils.basic import AnsibleModule
    warned = []
    monkeypatch.setattr(AnsibleModule, 'warn', lambda self, text: warned.append(text))
    sim.control().arm('api_error', match='op:request config-lock remove', message='Config is locked by the system')
    result = run_module(capsys, conn(sim, rules=['lan-out']))
    assert result['changed'] is True
    assert result['config_lock_released'] is False
    assert any('could not be released' in text for text in warned)
    assert sim.control().state()['config_locks'], 'the simulator still holds our lock'


def test_lock_released_is_said_too(sim, capsys):
    result = run_module(capsys, conn(sim, rules=['lan-out']))
    assert result['config_lock_released'] is True
    assert sim.control().state()['config_locks'] == []


def test_commit_is_a_partial_commit_of_our_own_changes(sim, capsys):
    run_module(capsys, conn(sim, rules=['lan-out']))
    assert len(commits(sim)) == 1
    job = sim.control().state()['jobs'][-1]
    assert job['user'] == 'admin'
    assert job['partial_admins'] == ['admin']


def test_api_key_only_learns_its_administrator_and_commits_only_its_changes(sim, capsys):
    args = dict(host=sim.host, port=sim.port, api_key=sim.api_key, ca_path=sim.ca_path, rules=['lan-out'])
    result = run_module(capsys, args)
    assert result['compliance']['status'] == 'compliant'
    assert any(entry['op'] == 'op:show admins' for entry in sim.journal.entries())
    assert translation_of(sim, 'lan-out') == 'persistent-dynamic-ip-and-port'


def other_admin_edit(sim, rule, text):
    """Another administrator edits a rule's description through the XML API with their own key."""
    import pan.xapi
    sim.extra_keys['LUFRPTotheradminkey=='] = 'ops-jane'
    xapi = pan.xapi.PanXapi(hostname=sim.host, port=sim.port, api_key='LUFRPTotheradminkey==',
                            ssl_context=__import__('ssl').create_default_context(cafile=sim.ca_path))
    xapi.edit(xpath="/config/devices/entry[@name='localhost.localdomain']/vsys/entry[@name='vsys1']/rulebase/nat/rules/"
                    "entry[@name='%s']/description" % rule, element='<description>%s</description>' % text)


def unlocked_other_admin_edit(sim, rule, text):
    """A change by another administrator that our vsys-scoped lock does not stop (on a real firewall, for
    example, a shared object): written straight into the simulator's candidate and change log."""
    import copy
    with sim.lock:
        work = copy.deepcopy(sim.candidate)
        entry = work.find("%s/entry[@name='%s']" % (RULES_XPATH, rule))
        entry.find('description').text = text
        xpath = "/config/devices/entry[@name='localhost.localdomain']/vsys/entry[@name='vsys1']/rulebase/nat/rules/" \
                "entry[@name='%s']/description" % rule
        sim.candidate = work
        sim.change_log.append(('ops-jane', 'edit', xpath, '<description>%s</description>' % text))


def test_pending_changes_refusal_names_the_administrator(sim, capsys):
    other_admin_edit(sim, 'dmz-static', 'edited by jane')
    before = sim.state_components()
    result = run_module(capsys, conn(sim, rules=['lan-out']))
    assert result['failed'] is True
    assert result['cause'] == 'conflict'
    assert 'ops-jane' in result['msg']
    after = sim.state_components()
    assert after['running'] == before['running']
    assert after['candidate'] == before['candidate'], "the other administrator's work must stay in the candidate"


def test_partial_commit_leaves_another_admins_later_change_pending(sim, capsys, monkeypatch):
    # Another administrator's change that lands after our pending-changes check (a race the lock on
    # our vsys does not stop for shared objects) must not be committed by us, nor reverted.
    from ansible_collections.directpath.firewall.plugins.module_utils.clients import panos as panos_client
    original = panos_client.PanosClient.set_translation

    def set_then_race(self, name, translation):
        original(self, name, translation)
        unlocked_other_admin_edit(sim, 'dmz-static', 'edited by jane meanwhile')
    monkeypatch.setattr(panos_client.PanosClient, 'set_translation', set_then_race)
    result = run_module(capsys, conn(sim, rules=['lan-out']))
    assert result['compliance']['status'] == 'compliant'
    state = sim.control().state()
    running = ET.fromstring(state['running'])
    assert running.find("%s/entry[@name='dmz-static']" % RULES_XPATH).findtext('description') == 'DMZ web server, 1:1'
    candidate = ET.fromstring(state['candidate'])
    assert candidate.find("%s/entry[@name='dmz-static']" % RULES_XPATH).findtext('description') == 'edited by jane meanwhile'
    assert translation_of(sim, 'lan-out') == 'persistent-dynamic-ip-and-port'


def test_failed_commit_reverts_only_our_changes(sim, capsys, monkeypatch):
    from ansible_collections.directpath.firewall.plugins.module_utils.clients import panos as panos_client
    original = panos_client.PanosClient.set_translation

    def set_then_race(self, name, translation):
        original(self, name, translation)
        unlocked_other_admin_edit(sim, 'dmz-static', 'jane keeps this')
    monkeypatch.setattr(panos_client.PanosClient, 'set_translation', set_then_race)
    sim.control().arm('commit_fail')
    result = run_module(capsys, conn(sim, rules=['lan-out']))
    assert result['failed'] is True and result['cause'] == 'commit'
    assert result['device_unchanged'] is True
    candidate = ET.fromstring(sim.control().state()['candidate'])
    assert candidate.find("%s/entry[@name='dmz-static']" % RULES_XPATH).findtext('description') == 'jane keeps this'
    assert translation_of(sim, 'lan-out', 'candidate') == 'dynamic-ip-and-port'


@pytest.mark.parametrize('name', ["evil' or @name='dmz-static", 'lan-out"]|/config', 'a' * 64, "x'\""])
def test_rule_names_that_could_change_the_xpath_are_refused(sim, capsys, name):
    before = sim.snapshot()
    result = run_module(capsys, conn(sim, rules=[name]))
    assert result['failed'] is True
    assert result['cause'] == 'input'
    assert sim.journal.writes() == []
    assert sim.snapshot() == before
    assert translation_of(sim, 'dmz-static') == 'static-ip'


def test_xpath_literal_quotes_every_name_safely():
    from ansible_collections.directpath.firewall.plugins.module_utils.clients.panos import xpath_literal
    from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
    assert xpath_literal('lan-out') == "'lan-out'"
    assert xpath_literal("it's") == '"it\'s"'
    with pytest.raises(DirectPathError):
        xpath_literal('both\'"')


@pytest.mark.parametrize('option', ['rules', 'tailscale_hosts'])
def test_an_empty_list_is_an_input_error_not_everything(sim, capsys, option):
    result = run_module(capsys, conn(sim, **{option: []}))
    assert result['failed'] is True
    assert result['cause'] == 'input'
    assert option in result['msg']
    assert sim.journal.writes() == []


def test_rules_and_hosts_together_must_agree(sim, capsys):
    result = run_module(capsys, conn(sim, rules=['dmz-static'], tailscale_hosts=['10.0.0.5']))
    assert result['failed'] is True and result['cause'] == 'input'
    assert 'dmz-static' in result['msg']
    result = run_module(capsys, conn(sim, rules=['ts-egress'], tailscale_hosts=['10.0.0.5']), check_mode=True)
    assert [rule['name'] for rule in result['rules']] == ['ts-egress']


def test_commit_lock_of_another_admin_is_cause_lock(sim, capsys):
    sim.control().set_state(commit_lock={'admin': 'ops-jane', 'scope': 'shared'})
    before = {k: v for k, v in sim.state_components().items() if k != 'commit_locks'}
    result = run_module(capsys, conn(sim, rules=['lan-out']))
    assert result['failed'] is True
    assert result['cause'] == 'lock', result['msg']
    assert result['device_unchanged'] is True
    after = {k: v for k, v in sim.state_components().items() if k != 'commit_locks'}
    assert after == before


def test_negated_source_is_never_guessed():
    from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import Plan
    from ansible_collections.directpath.firewall.plugins.module_utils.workarounds import persistent_dipp
    rule = ET.fromstring('<entry name="not-lan"><source><member>lan-net</member></source><negate-source>yes</negate-source>'
                         '<destination><member>any</member></destination><service>any</service><source-translation>'
                         '<dynamic-ip-and-port><interface-address><interface>ethernet1/1</interface></interface-address>'
                         '</dynamic-ip-and-port></source-translation></entry>')
    plan = Plan('panos', 'persistent_dipp')
    hosts = persistent_dipp.parse_networks(['172.16.9.9'], 'tailscale_hosts')
    selected = persistent_dipp.select_rules({'not-lan': rule}, None, hosts, {'lan-net': '10.0.0.0/24'}, plan)
    assert selected == []
    assert any('cannot be resolved' in finding for finding in plan.findings)


def test_rule_without_source_translation_names_the_panos_collection_as_likely_cause(sim, capsys):
    def strip_translation(entry):
        entry.remove(entry.find('source-translation'))
    sim.control().set_state(config=edited_config(sim, 'ts-egress', strip_translation))
    result = run_module(capsys, conn(sim, rules=['ts-egress']), check_mode=True)
    assert any('paloaltonetworks.panos' in finding for finding in result['compliance']['findings'])


def test_manual_result_is_an_ansible_warning(tmp_path, capsys, monkeypatch):
    from ansible.module_utils.basic import AnsibleModule
    warned = []
    monkeypatch.setattr(AnsibleModule, 'warn', lambda self, text: warned.append(text))
    with PanosSimulator(tmp_path / 'old', sw_version='10.2.4') as old:
        result = run_module(capsys, conn(old, rules=['lan-out']))
    assert result['compliance']['status'] == 'manual'
    assert len(warned) == 1 and 'needs a person' in warned[0] and '11.1.1' in warned[0]


def test_global_setting_enabled_by_hand_is_read_not_advised_again(tmp_path, capsys):
    with PanosSimulator(tmp_path / 'old', sw_version='10.2.4') as old:
        old.control().set_state(persistent_dipp_global=True)
        result = run_module(capsys, conn(old, rules=['lan-out']), check_mode=True)
        record = result['compliance']
        assert record['status'] == 'manual'
        assert any('restart' in finding for finding in record['findings'])
        assert not any('set system setting persistent-dipp enable yes' in advice for advice in record.get('advice', []))
        result = run_module(capsys, conn(old, rules=['lan-out'], global_setting_restart_confirmed=True), check_mode=True)
        assert result['compliance']['status'] == 'compliant'
        assert old.journal.writes() == []


def test_global_setting_off_is_reported_off(tmp_path, capsys):
    with PanosSimulator(tmp_path / 'old', sw_version='10.2.4') as old:
        result = run_module(capsys, conn(old, rules=['lan-out']), check_mode=True)
        assert result['compliance']['status'] == 'manual'
        assert any('setting is disabled' in finding for finding in result['compliance']['findings'])


def test_unreachable_message_names_host_and_port(capsys):
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    args = dict(host='127.0.0.1', port=port, api_key='LUFRPTabc==', validate_certs=False, timeout=2, rules=['lan-out'])
    result = run_module(capsys, args)
    assert result['cause'] == 'unreachable'
    assert '127.0.0.1' in result['msg'] and str(port) in result['msg']


EVIL = "x' or @name='dmz-static"


def with_evil_rule(sim):
    """A config holding a dynamic-IP-and-port rule whose name carries XPath syntax, before lan-out and
    after dmz-static in document order is what made an unquoted XPath select dmz-static."""
    root = ET.fromstring(sim.control().state()['running'])
    rules = root.find(RULES_XPATH)
    evil = ET.fromstring(
        '<entry name="%s"><from><member>trust</member></from><to><member>untrust</member></to>'
        '<source><member>10.0.0.77</member></source><destination><member>any</member></destination><service>any</service>'
        '<source-translation><dynamic-ip-and-port><interface-address><interface>ethernet1/1</interface></interface-address>'
        '</dynamic-ip-and-port></source-translation></entry>' % EVIL.replace("'", '&apos;'))
    names = [entry.get('name') for entry in rules]
    rules.insert(names.index('lan-out'), evil)
    sim.control().set_state(config=ET.tostring(root, encoding='unicode'))


def test_a_rule_name_is_quoted_so_it_never_selects_another_rule(sim, capsys):
    with_evil_rule(sim)
    result = run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.77']))
    assert 'failed' not in result, result.get('msg')
    assert translation_of(sim, 'dmz-static') == 'static-ip'
    assert translation_of(sim, EVIL) == 'persistent-dynamic-ip-and-port'


def test_a_named_rule_with_xpath_syntax_is_refused(sim, capsys):
    with_evil_rule(sim)
    result = run_module(capsys, conn(sim, rules=[EVIL]))
    assert result['failed'] is True and result['cause'] == 'input'
    assert translation_of(sim, 'dmz-static') == 'static-ip'
    assert sim.journal.writes() == []


def test_audit_reads_only_the_object_tables_the_sources_need(sim, capsys):
    # keygen, system info, NAT rules, then the vsys's addresses and groups (ts-egress names a vsys
    # group of vsys addresses): shared objects are not read.
    result = run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.5']), check_mode=True)
    assert result['api_calls'] == {'reads': 5, 'writes': 0}
    assert not any('/config/shared' in entry['detail'] for entry in sim.journal.entries())


def test_a_group_member_defined_in_shared_is_resolved(sim, capsys):
    root = ET.fromstring(sim.control().state()['running'])
    vsys = root.find("./devices/entry[@name='localhost.localdomain']/vsys/entry[@name='vsys1']")
    vsys.find('address-group/entry/static').append(ET.fromstring('<member>dns-resolver</member>'))
    sim.control().set_state(config=ET.tostring(root, encoding='unicode'))
    result = run_module(capsys, conn(sim, tailscale_hosts=['198.51.100.53']), check_mode=True)
    assert [rule['name'] for rule in result['rules']] == ['ts-egress']
    assert any('/config/shared' in entry['detail'] for entry in sim.journal.entries())
