# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""opnsense_static_port on the source NAT API path (OPNsense 26.7+), against the API simulator."""

from __future__ import annotations

import json

import pytest

from ansible_collections.directpath.firewall.plugins.modules import opnsense_static_port
from ansible_collections.directpath.firewall.tests.simulators.fakebox import create_box
from ansible_collections.directpath.firewall.tests.simulators.fakebox.harness import run_module
from ansible_collections.directpath.firewall.tests.simulators.opnsense_api import OpnsenseApiSimulator

HOSTS = ['198.18.30.21', '2001:db8:30::21']


@pytest.fixture
def sim(tmp_path):
    simulator = OpnsenseApiSimulator(str(tmp_path / 'sim'))
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def box(tmp_path):
    return create_box('opnsense', str(tmp_path / 'box'), version='26.7.1')


def args(box, sim, **extra):
    values = dict(box.module_args('static_port'), tailscale_hosts=HOSTS, api_url=sim.url, api_key=sim.api_key,
                  api_secret=sim.api_secret, ca_path=sim.ca_path, api_timeout=5)
    values.update(extra)
    return values


def ours(sim):
    return [rule for rule in sim.state_dump()['running']['rules'].values()
            if rule['description'].startswith('directpath.firewall:')]


def test_check_mode_sends_only_reads(box, sim):
    before = sim.snapshot()
    result = run_module(opnsense_static_port, args(box, sim), check_mode=True)
    assert result['changed'] is True and result['path'] == 'api'
    assert result['api_calls']['writes'] == 0
    assert sim.journal.summary()['writes'] == 0
    assert sim.snapshot() == before


def test_apply_adds_one_rule_per_family_sets_hybrid_and_applies(box, sim):
    result = run_module(opnsense_static_port, args(box, sim))
    assert result['changed'] is True and result['compliance']['status'] == 'compliant'
    state = sim.state_dump()
    assert state['pending'] is False and state['running']['snat_mode'] == 'hybrid'
    rules = sorted(ours(sim), key=lambda rule: rule['ipprotocol'])
    assert [(r['ipprotocol'], r['source_net'], r['protocol'], r['staticnatport']) for r in rules] == [
        ('inet', '198.18.30.21', 'UDP', '1'), ('inet6', '2001:db8:30::21', 'UDP', '1')]
    assert sim.journal.ops()[-1] == 'source_nat:apply'
    assert box.journal() == []  # the API path does not touch config.xml or run the box's apply


def test_second_run_sends_no_write(box, sim):
    run_module(opnsense_static_port, args(box, sim))
    sim.journal.clear()
    result = run_module(opnsense_static_port, args(box, sim))
    assert result['changed'] is False and result['api_calls']['writes'] == 0
    assert sim.journal.summary()['writes'] == 0


def test_failed_apply_undoes_our_changes(box, sim):
    before = sim.snapshot()
    sim.faults.arm('commit_fail', count=1, message='Execute error')
    result = run_module(opnsense_static_port, args(box, sim))
    assert result['failed'] is True and result['cause'] == 'commit'
    assert result['device_unchanged'] is True and 'undone' in result['msg']
    assert sim.state_dump()['config']['rules'] == {} and sim.state_dump()['config']['snat_mode'] == 'automatic'
    assert sim.snapshot()['components']['config'] == before['components']['config']


@pytest.mark.parametrize('fault,cause', [('http_500', 'api'), ('auth', 'auth')])
def test_api_errors_fail_clearly_and_change_nothing(box, sim, fault, cause):
    before = sim.snapshot()
    sim.faults.arm(fault, count=5)
    result = run_module(opnsense_static_port, args(box, sim))
    assert result['failed'] is True and result['cause'] == cause
    assert sim.snapshot() == before


def test_validation_failure_is_reported_with_the_field(box, sim):
    sim.faults.arm('api_error', count=1, match='addRule', message='Text too long.')
    result = run_module(opnsense_static_port, args(box, sim))
    assert result['failed'] is True and 'rule.description' in result['msg']
    assert sim.state_dump()['config']['rules'] == {}


def test_secret_never_appears_in_results(box, sim):
    for check_mode in (True, False):
        result = run_module(opnsense_static_port, args(box, sim), check_mode=check_mode)
        assert sim.api_secret not in json.dumps(result)
    sim.faults.arm('http_500', count=5, message='boom %s' % sim.api_secret)
    result = run_module(opnsense_static_port, args(box, sim, tailscale_hosts=['198.18.30.99']))
    assert result['failed'] is True and sim.api_secret not in json.dumps(result)


def test_absent_removes_only_our_rules(box, sim):
    sim.state_update({'snat_mode': 'hybrid', 'rules': {'0b0e4b1c-2d3e-4f50-8a6b-7c8d9e0f1a2b': {
        'interface': 'wan', 'protocol': 'UDP', 'source_net': '198.18.40.50/32', 'destination_port': '5060',
        'staticnatport': '1', 'description': 'VoIP phones: static port for SIP'}}})
    run_module(opnsense_static_port, args(box, sim))
    result = run_module(opnsense_static_port, args(box, sim, state='absent', tailscale_hosts=None))
    assert result['changed'] is True
    rules = sim.state_dump()['running']['rules']
    assert [rule['description'] for rule in rules.values()] == ['VoIP phones: static port for SIP']


def test_simulator_rejects_unknown_fields_and_bad_choices(sim):
    errors = sim.validate_rule(dict(sim_rule(), static_port='1', ipprotocol='inet46', protocol='udp'))
    assert set(errors) == {'rule.static_port', 'rule.ipprotocol', 'rule.protocol'}


def sim_rule():
    from ansible_collections.directpath.firewall.tests.simulators.opnsense_api import RULE_DEFAULTS
    return dict(RULE_DEFAULTS, interface='wan')


# ---- undo of each kind after a failed apply (issue 9 item 13), and the mode restored on this path too ----------

OURS_21 = 'directpath.firewall: Tailscale host 198.18.30.21, UDP static port (managed by Ansible)'
OURS_99 = 'directpath.firewall: Tailscale host 198.18.30.99, UDP static port (managed by Ansible)'


def test_failed_apply_undoes_an_update_field_by_field(box, sim):
    sim.state_update({'snat_mode': 'hybrid', 'rules': {'3c1d5e7f-0a2b-4c6d-8e9f-1a2b3c4d5e6f': {
        'interface': 'opt1', 'protocol': 'UDP', 'source_net': '198.18.30.21', 'staticnatport': '1', 'sequence': '7',
        'ipprotocol': 'inet', 'description': OURS_21}}})
    before = sim.state_dump()['config']
    sim.faults.arm('commit_fail', count=1, message='Execute error')
    result = run_module(opnsense_static_port, args(box, sim, tailscale_hosts=['198.18.30.21']))
    assert result['failed'] is True and result['cause'] == 'commit' and result['device_unchanged'] is True
    assert 'source_nat:setRule' in sim.journal.ops()
    assert sim.state_dump()['config'] == before


def test_failed_apply_undoes_a_delete_with_every_field(box, sim):
    sim.state_update({'snat_mode': 'hybrid', 'rules': {'4d2e6f80-1b3c-4d7e-9fa0-2b3c4d5e6f70': {
        'interface': 'wan', 'protocol': 'UDP', 'source_net': '198.18.30.99', 'staticnatport': '1', 'sequence': '9',
        'ipprotocol': 'inet', 'description': OURS_99, 'log': '1'}}})
    before = list(sim.state_dump()['config']['rules'].values())
    sim.faults.arm('commit_fail', count=1, message='Execute error')
    result = run_module(opnsense_static_port, args(box, sim, state='absent', tailscale_hosts=None))
    assert result['failed'] is True and result['device_unchanged'] is True
    assert 'source_nat:delRule' in sim.journal.ops()
    assert list(sim.state_dump()['config']['rules'].values()) == before


def test_api_path_switches_the_mode_back_on_absent(box, sim):
    run_module(opnsense_static_port, args(box, sim))
    assert sim.state_dump()['running']['snat_mode'] == 'hybrid'
    result = run_module(opnsense_static_port, args(box, sim, state='absent', tailscale_hosts=None))
    assert result['changed'] is True
    assert sim.state_dump()['running']['snat_mode'] == 'automatic' and ours(sim) == []
    assert b'directpath_firewall' not in box.config_bytes()
    assert run_module(opnsense_static_port, args(box, sim, state='absent', tailscale_hosts=None))['changed'] is False


def test_api_path_keeps_a_hybrid_mode_the_admin_chose(box, sim):
    sim.state_update({'snat_mode': 'hybrid'})
    run_module(opnsense_static_port, args(box, sim))
    run_module(opnsense_static_port, args(box, sim, state='absent', tailscale_hosts=None))
    assert sim.state_dump()['running']['snat_mode'] == 'hybrid'
