# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from ansible_collections.directpath.firewall.plugins.modules import pfsense_static_port
from ansible_collections.directpath.firewall.tests.simulators.fakebox import create_box, seeds
from ansible_collections.directpath.firewall.tests.simulators.fakebox.harness import run_module

HOSTS = ['198.18.10.21', '2001:db8:10::21']


@pytest.fixture
def box(tmp_path):
    return create_box('pfsense', str(tmp_path / 'box'))


def args(box, **extra):
    values = dict(box.module_args('static_port'), tailscale_hosts=HOSTS)
    values.update(extra)
    return values


def outbound(box):
    return ET.fromstring(box.config_bytes()).find('nat/outbound')


def test_check_mode_sends_no_write(box):
    before = box.snapshot()
    result = run_module(pfsense_static_port, args(box), check_mode=True)
    assert result['changed'] is True and result['api_calls']['writes'] == 0
    assert result['compliance']['status'] == 'drift'
    assert box.snapshot() == before


def test_rule_goes_on_top_with_static_port_and_users_rule_stays(box):
    result = run_module(pfsense_static_port, args(box))
    assert result['changed'] is True and result['nat_mapping'] == 'static_port'
    node = outbound(box)
    assert node.findtext('mode') == 'hybrid'
    rules = node.findall('rule')
    assert [rule.findtext('descr') for rule in rules] == [result['rule']['descr'], seeds.USER_OUTBOUND_DESCR]
    ours = rules[0]
    assert ours.find('staticnatport') is not None and ours.find('eimnat') is None
    assert ours.findtext('protocol') == 'udp' and ours.find('ipprotocol') is None
    assert ours.findtext('source/network') == 'directpath_tailscale'
    alias = [a for a in ET.fromstring(box.config_bytes()).findall('aliases/alias') if a.findtext('name') == 'directpath_tailscale'][0]
    assert alias.findtext('address') == '198.18.10.21 2001:db8:10::21' and alias.findtext('type') == 'host'
    assert box.journal()[-1]['action'] == 'filter_configure' and box.journal()[-1]['ok']
    assert any('randomizeClientPort' in advice for advice in result['compliance']['advice'])


def test_randomize_client_port_known_true_gives_no_advice(box):
    result = run_module(pfsense_static_port, args(box, tailnet_randomize_client_port=True))
    assert 'advice' not in result['compliance']


def test_randomize_client_port_false_is_a_finding(box):
    result = run_module(pfsense_static_port, args(box, tailnet_randomize_client_port=False), check_mode=True)
    assert any('randomizeClientPort' in finding for finding in result['compliance']['findings'])


def test_eim_is_preferred_where_the_version_has_it(tmp_path):
    box = create_box('pfsense', str(tmp_path / 'box'), version='25.11-RELEASE')
    result = run_module(pfsense_static_port, args(box))
    assert result['nat_mapping'] == 'endpoint_independent'
    ours = outbound(box).findall('rule')[0]
    assert ours.find('eimnat') is not None and ours.find('staticnatport') is None
    assert 'advice' not in result['compliance']


def test_eim_on_an_old_version_fails_as_unsupported(box):
    result = run_module(pfsense_static_port, args(box, nat_mapping='endpoint_independent'))
    assert result['failed'] is True and result['cause'] == 'unsupported'


def test_second_run_sends_no_write(box):
    run_module(pfsense_static_port, args(box))
    before = box.snapshot()
    result = run_module(pfsense_static_port, args(box))
    assert result['changed'] is False and result['api_calls']['writes'] == 0
    assert box.snapshot() == before


def test_diff_holds_exactly_what_changes(box):
    run_module(pfsense_static_port, args(box))
    result = run_module(pfsense_static_port, args(box, tailscale_hosts=HOSTS[:1]), check_mode=True)
    assert set(result['diff']['after']) == {'alias', 'rule'}
    assert result['diff']['after']['alias'] == ['198.18.10.21']
    assert result['diff']['after']['rule']['ipprotocol'] == 'inet'


def test_apply_failure_restores_config(box):
    original = box.config_bytes()
    box.inject('apply_fail', count=1, message='There were error(s) loading the rules')
    result = run_module(pfsense_static_port, args(box))
    assert result['failed'] is True and result['cause'] == 'commit' and result['device_unchanged'] is True
    assert box.config_bytes() == original


def test_corrupt_config_fails_without_touching_it(box):
    box.inject('config_corrupt')
    before = box.config_bytes()
    result = run_module(pfsense_static_port, args(box))
    assert result['failed'] is True and result['cause'] == 'input' and box.config_bytes() == before


def test_disabled_nat_is_manual(tmp_path):
    box = create_box('pfsense', str(tmp_path / 'box'), nat_mode='disabled')
    before = box.snapshot()
    result = run_module(pfsense_static_port, args(box))
    assert result['changed'] is False and result['compliance']['status'] == 'manual'
    assert box.snapshot() == before


def test_absent_removes_rule_and_alias_and_keeps_hybrid_for_the_users_rule(box):
    run_module(pfsense_static_port, args(box))
    result = run_module(pfsense_static_port, args(box, state='absent', tailscale_hosts=None))
    assert result['changed'] is True
    node = outbound(box)
    assert [rule.findtext('descr') for rule in node.findall('rule')] == [seeds.USER_OUTBOUND_DESCR]
    assert node.findtext('mode') == 'hybrid'
    assert any('left in hybrid' in finding for finding in result['compliance']['findings'])
    assert 'directpath_tailscale' not in box.config_bytes().decode()


def test_absent_restores_automatic_when_nothing_else_needs_hybrid(tmp_path):
    text = seeds.pfsense_config()
    start, end = text.index('\t\t\t<rule>'), text.index('</rule>') + len('</rule>\n')
    box = create_box('pfsense', str(tmp_path / 'box'), config_text=text[:start] + text[end:])
    run_module(pfsense_static_port, args(box))
    run_module(pfsense_static_port, args(box, state='absent'))
    assert outbound(box).findtext('mode') == 'automatic'
