# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""barracuda_udp_sessions against the Barracuda CloudGen Firewall REST simulator."""

from __future__ import annotations


import pytest

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.directpath.firewall.plugins.modules import barracuda_udp_sessions
from ansible_collections.directpath.firewall.tests.unit.plugins.modules.module_run import module_runners  # noqa: E402
from ansible_collections.directpath.firewall.tests.simulators.barracuda import BarracudaSimulator

RULE = 'DIRECTPATH-TAILSCALE-UDP'
HOSTS = ['10.10.0.5', '10.10.0.6']


@pytest.fixture
def sim(tmp_path):
    simulator = BarracudaSimulator(tmp_path / 'cgf', timeout_seconds=3.0).start()
    yield simulator
    simulator.stop()


@pytest.fixture
def warned(monkeypatch):
    # AnsibleModule.warn is how a module warns; where the text lands depends on ansible-core's context.
    texts = []
    monkeypatch.setattr(AnsibleModule, 'warn', lambda self, text: texts.append(text))
    return texts


run_module, run_module_output = module_runners(barracuda_udp_sessions)


def conn(sim, **extra):
    args = dict(host=sim.host, port=sim.port, api_token=sim.api_token, ca_path=sim.ca_path, timeout=1)
    args.update(extra)
    return args


def open_port(sim, **extra):
    return conn(sim, workaround='open_port', tailscale_hosts=list(HOSTS), **extra)


# -- udp_sessions: the manual record is the tested behaviour ----------------------------------------------------
def test_max_udp_is_manual_with_steps_restart_warning_and_override_and_writes_nothing(sim, capsys, warned):
    snapshot = sim.snapshot()
    for check_mode in (True, False):
        warned.clear()
        sim.journal.clear()
        result = run_module(capsys, conn(sim, max_udp_percent=60), check_mode=check_mode)
        assert result['changed'] is False
        record = result['compliance']
        assert record['vendor'] == 'barracuda' and record['workaround'] == 'udp_sessions' and record['status'] == 'manual'
        assert any('no REST API resource' in finding and '60' in finding for finding in record['findings'])
        advice = ' '.join(record['advice'])
        assert 'General Firewall Configuration' in advice and 'Max UDP [%]' in advice and 'to 60' in advice
        assert 'Send Changes' in advice and 'Activate' in advice
        assert 'RESTART WARNING' in advice and 'Firmware Restart' in advice
        assert 'Resource Protection' in advice
        assert 'private IPv4' in advice
        assert result['max_udp'] == {'readable': False, 'wanted_percent': 60, 'default_percent': 30, 'restart_required': True,
                                     'override_rule': None}
        assert result['box']['release'] == '9.0.2'
        # Module path: AnsibleModule.warn; action path: the result's warnings. (ansible-core keeps module
        # warnings in a process-wide list, so other tests' warnings may be there too: look for ours.)
        ours = {text for text in warned + result.get('warnings', []) if 'needs a person' in text and 'Firmware Restart' in text}
        assert len(ours) == 1
        assert sim.journal.writes() == [] and result['api_calls']['writes'] == 0
    assert sim.snapshot() == snapshot
    assert sim.control().state()['max_udp_percent'] == 30


def test_max_udp_names_the_managed_rule_for_the_per_rule_override(sim, capsys, warned):
    run_module(capsys, open_port(sim))
    result = run_module(capsys, conn(sim))
    assert result['max_udp']['override_rule'] == RULE
    assert any(RULE in text and 'Resource Protection' in text for text in result['compliance']['advice'])


def test_max_udp_percent_out_of_range_is_bad_input(sim, capsys):
    result = run_module(capsys, conn(sim, max_udp_percent=150))
    assert result['failed'] and result['cause'] == 'input'


# -- open_port: four steps ----------------------------------------------------------------------------------------
def test_open_port_four_steps(sim, capsys):
    order = sim.rule_names()
    snapshot = sim.snapshot()
    # 1. check mode
    result = run_module(capsys, open_port(sim), check_mode=True)
    assert result['changed'] is True and result['compliance']['status'] == 'drift'
    assert result['compliance']['workaround'] == 'open_port'
    assert set(result['diff']['after']) == {'network object %s-HOSTS' % RULE, 'service object %s-UDP' % RULE, 'forwarding rule %s' % RULE}
    assert result['diff']['after']['forwarding rule %s' % RULE]['destination'] == '%s-HOSTS' % RULE
    assert result['diff']['after']['service object %s-UDP' % RULE] == ['udp/41641']
    assert sim.journal.writes() == [] and result['api_calls']['writes'] == 0 and sim.snapshot() == snapshot
    # 2. apply
    sim.journal.clear()
    result = run_module(capsys, open_port(sim))
    assert result['changed'] is True and result['compliance']['status'] == 'compliant' and result['compliance']['applied']
    assert [e['op'] for e in sim.journal.writes()] == ['post:objects/networks', 'post:objects/services', 'post:rules']
    after = sim.rule_names()
    assert after[0] == RULE and after[1:] == order          # placed at the top, nobody else moved
    assert result['rule_order_after'] == after
    state = sim.control().state()
    assert [i['entry']['ip'] for i in state['networks']['%s-HOSTS' % RULE]['included']] == HOSTS
    assert state['services']['%s-UDP' % RULE]['entries'] == [{'entry': {'protocol': 'udp', 'udp': {'ports': ['41641']}}}]
    rule = next(r for r in state['rules'] if r['name'] == RULE)
    assert rule['source'] == {'references': 'Internet'} and rule['action']['type'] == 'pass'
    assert state['rcs_messages'] == ['directpath.firewall: Tailscale direct connections'] * 3
    # 3. apply again
    sim.journal.clear()
    result = run_module(capsys, open_port(sim))
    assert result['changed'] is False and sim.journal.writes() == [] and result['api_calls']['writes'] == 0
    # 4. check mode again
    result = run_module(capsys, open_port(sim), check_mode=True)
    assert result['changed'] is False and result['compliance']['status'] == 'compliant' and sim.journal.writes() == []


@pytest.mark.parametrize('placement, reference, index', [('bottom', None, 5), ('before', 'BLOCKALL', 4), ('after', 'LAN-2-INTERNET', 2)])
def test_placement_never_reorders_existing_rules(sim, capsys, placement, reference, index):
    order = sim.rule_names()
    extra = {'placement': placement}
    if reference:
        extra['placement_reference'] = reference
    result = run_module(capsys, open_port(sim, **extra))
    assert result['changed'] is True
    after = sim.rule_names()
    assert after.index(RULE) == index and [n for n in after if n != RULE] == order


def test_existing_managed_rule_keeps_its_position_when_hosts_change(sim, capsys):
    run_module(capsys, open_port(sim, placement='bottom'))
    order = sim.rule_names()
    sim.journal.clear()
    result = run_module(capsys, conn(sim, workaround='open_port', tailscale_hosts=['10.10.0.7'], placement='top'))
    assert result['changed'] is True
    assert [e['op'] for e in sim.journal.writes()] == ['put:objects/networks']
    assert sim.rule_names() == order
    assert [i['entry']['ip'] for i in sim.control().state()['networks']['%s-HOSTS' % RULE]['included']] == ['10.10.0.7']


def test_least_privilege_scope(sim, capsys):
    result = run_module(capsys, open_port(sim, tailscale_port=41642))
    exposure = ' '.join(result['compliance']['exposure'])
    assert '41642' in exposure and '10.10.0.5' in exposure and '10.10.0.6' in exposure and 'Internet' in exposure
    for bad in (['0.0.0.0/0'], ['10.0.0.0/8'], ['any'], ['fd7a::1']):
        failed = run_module(capsys, conn(sim, workaround='open_port', tailscale_hosts=bad))
        assert failed['failed'] and failed['cause'] == 'input'
    assert run_module(capsys, open_port(sim, source='Any'))['cause'] == 'input'
    assert run_module(capsys, conn(sim, workaround='open_port'))['cause'] == 'input'


def test_state_absent_removes_rule_and_objects_and_restores_order(sim, capsys):
    order = sim.rule_names()
    snapshot = sim.snapshot()
    run_module(capsys, open_port(sim))
    result = run_module(capsys, open_port(sim, state='absent'))
    assert result['changed'] is True
    assert sim.rule_names() == order
    state = sim.control().state()
    assert '%s-HOSTS' % RULE not in state['networks'] and '%s-UDP' % RULE not in state['services']
    assert sim.snapshot()['components'] == snapshot['components']
    assert run_module(capsys, open_port(sim, state='absent'))['changed'] is False


def test_unknown_placement_reference_fails_before_any_write(sim, capsys):
    result = run_module(capsys, open_port(sim, placement='before', placement_reference='NOPE'))
    assert result['failed'] and result['cause'] == 'input' and 'LAN-2-INTERNET' in result['msg']
    assert sim.journal.writes() == []


def test_policy_driven_firewall_is_unsupported(sim, capsys):
    sim.control().set_state(policy_driven=True)
    result = run_module(capsys, open_port(sim))
    assert result['failed'] and result['cause'] == 'unsupported' and 'policy' in result['msg']


# -- failures leave the firewall as it was ------------------------------------------------------------------------
@pytest.mark.parametrize('fault, match, cause', [
    ('api_error', 'post:rules', 'api'),          # objects created first, then undone
    ('lock_held', 'post:objects/services', 'lock'),
    ('http_500', 'post:rules', 'api'),
    ('auth', 'post:objects/networks', 'auth'),
    ('timeout', 'get:rules', 'timeout'),
])
def test_faults_fail_with_their_cause_and_undo(sim, capsys, fault, match, cause):
    snapshot = sim.snapshot()
    sim.control().arm(fault, count=5 if fault in ('timeout', 'http_500') else 1, match=match,
                      seconds=2 if fault == 'timeout' else None)
    result = run_module(capsys, open_port(sim))
    assert result['failed'] and result['cause'] == cause
    assert result['device_unchanged'] is True and result['compliance']['status'] == 'error'
    assert sim.snapshot()['components'] == snapshot['components']


def test_bad_token_is_an_auth_failure(sim, capsys):
    result = run_module(capsys, conn(sim, api_token='not-the-token-123'))
    assert result['failed'] and result['cause'] == 'auth'


def test_basic_auth_works(sim, capsys, warned):
    args = dict(host=sim.host, port=sim.port, username=sim.username, password=sim.password, ca_path=sim.ca_path)
    result = run_module(capsys, args)
    assert result['compliance']['status'] == 'manual'


def test_tls_on_by_default_and_unreachable(sim, capsys):
    args = conn(sim)
    del args['ca_path']
    result = run_module(capsys, args)
    assert result['failed'] and result['cause'] == 'tls' and sim.journal.entries() == []
    result = run_module(capsys, dict(host='127.0.0.1', port=1, api_token='token-value-1234', timeout=1))
    assert result['failed'] and result['cause'] == 'unreachable'


def test_secrets_never_in_output(sim, capsys, warned):
    _result, out = run_module_output(capsys, open_port(sim))
    assert sim.api_token not in out
    _result, out = run_module_output(capsys, conn(sim, api_token='Wrong-Token-Value-987'))
    assert 'Wrong-Token-Value-987' not in out
    _result, out = run_module_output(capsys, dict(host=sim.host, port=sim.port, username=sim.username, password=sim.password,
                                                  ca_path=sim.ca_path))
    assert sim.password not in out and all(sim.password not in text for text in warned)
    assert 'Firmware Restart' in ' '.join(warned) + out   # the warning was there to leak into


def test_failed_rule_creation_puts_replaced_objects_back(sim, capsys):
    run_module(capsys, open_port(sim))
    with sim.lock:
        sim.rules = [rule for rule in sim.rules if rule['name'] != RULE]
    snapshot = sim.snapshot()
    sim.control().arm('api_error', match='post:rules')
    result = run_module(capsys, conn(sim, workaround='open_port', tailscale_hosts=['10.10.0.9']))
    assert result['failed'] and result['device_unchanged'] is True and 'undone' in result['msg']
    assert [e['op'] for e in sim.journal.writes()][-3:] == ['put:objects/networks', 'post:rules', 'put:objects/networks']
    assert sim.snapshot()['components'] == snapshot['components']


@pytest.mark.parametrize('extra, text', [
    ({'tailscale_port': 70000}, 'tailscale_port'),
    ({'tailscale_port': 0}, 'tailscale_port'),
    ({'placement': 'before'}, 'placement_reference'),
    ({'tailscale_hosts': ['10.10.0.5', 'not-an-address']}, 'not-an-address'),
])
def test_bad_input_fails_before_any_request(sim, capsys, extra, text):
    args = open_port(sim)
    args.update(extra)
    result = run_module(capsys, args)
    assert result['failed'] and text in result['msg']
    assert sim.journal.entries() == []
