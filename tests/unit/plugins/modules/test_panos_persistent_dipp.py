# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""panos_persistent_dipp against the PAN-OS XML API simulator, through the real pan-os-python."""

from __future__ import annotations

import json
import socket
import xml.etree.ElementTree as ET

import pytest

from ansible.module_utils.testing import patch_module_args

pytest.importorskip('panos')

# pylint: disable=wrong-import-position
from ansible_collections.directpath.firewall.plugins.modules import panos_persistent_dipp  # noqa: E402
from ansible_collections.directpath.firewall.tests.simulators.panos import PanosSimulator  # noqa: E402

RULES_XPATH = "./devices/entry[@name='localhost.localdomain']/vsys/entry[@name='vsys1']/rulebase/nat/rules"


@pytest.fixture
def sim(tmp_path):
    # The simulator holds a 'timeout' fault longer than the module's timeout (conn() uses 1 s).
    simulator = PanosSimulator(tmp_path / 'panos', timeout_seconds=4.0).start()
    yield simulator
    simulator.stop()


def run_module(capsys, args, check_mode=False, diff=True):
    return run_module_output(capsys, args, check_mode, diff)[0]


def run_module_output(capsys, args, check_mode=False, diff=True):
    module_args = dict(args)
    module_args['_ansible_check_mode'] = check_mode
    module_args['_ansible_diff'] = diff
    with patch_module_args(module_args):
        with pytest.raises(SystemExit):
            panos_persistent_dipp.main()
    out = capsys.readouterr().out
    return json.loads(out), out


def conn(sim, **extra):
    args = dict(host=sim.host, port=sim.port, username=sim.username, password=sim.password,
                ca_path=sim.ca_path, timeout=1, commit_timeout=20)
    args.update(extra)
    return args


def translation_of(sim, rule, config='running'):
    root = ET.fromstring(sim.control().state()[config])
    entry = root.find("%s/entry[@name='%s']" % (RULES_XPATH, rule))
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


def test_hosts_select_rules_whose_source_covers_them(sim, capsys):
    result = run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.5']), check_mode=True)
    assert [rule['name'] for rule in result['rules']] == ['lan-out']
    assert result['compliance']['exposure']


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
        assert result['compliance']['status'] == 'compliant'
        assert any('request restart system' in advice for advice in result['compliance']['advice'])
        state = old.control().state()
        assert state['persistent_dipp_global'] is True
        assert state['running'] == running_before
        assert state['jobs'] == []
        old.journal.clear()
        result = run_module(capsys, args)
        assert result['changed'] is False
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
    ('timeout', 'commit', 'timeout'),
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
