# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""opnsense_static_port on the config.xml path (OPNsense before 26.7)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from ansible_collections.directpath.firewall.plugins.modules import opnsense_static_port
from ansible_collections.directpath.firewall.tests.simulators.fakebox import create_box, seeds
from ansible_collections.directpath.firewall.tests.simulators.fakebox.harness import run_module

HOSTS = ['198.18.30.21', '2001:db8:30::21']


@pytest.fixture
def box(tmp_path):
    return create_box('opnsense', str(tmp_path / 'box'), version='26.1.6')


def args(box, **extra):
    values = dict(box.module_args('static_port'), tailscale_hosts=HOSTS)
    values.update(extra)
    return values


def rules(box):
    return ET.fromstring(box.config_bytes()).findall('nat/outbound/rule')


def test_check_mode_sends_no_write(box):
    before = box.snapshot()
    result = run_module(opnsense_static_port, args(box), check_mode=True)
    assert result['changed'] is True and result['api_calls']['writes'] == 0 and result['path'] == 'config.xml'
    assert box.snapshot() == before


def test_one_rule_per_address_family_on_top(box):
    result = run_module(opnsense_static_port, args(box))
    assert result['changed'] is True
    found = rules(box)
    assert [r.findtext('ipprotocol') for r in found] == ['inet', 'inet6', 'inet']
    assert found[2].findtext('descr') == seeds.USER_OUTBOUND_DESCR
    for rule, host in zip(found[:2], HOSTS):
        assert rule.findtext('source/network') == host
        assert rule.findtext('staticnatport') == '1' and rule.findtext('protocol') == 'udp'
    assert ET.fromstring(box.config_bytes()).findtext('nat/outbound/mode') == 'hybrid'
    assert [e['action'] for e in box.journal()] == ['configctl_filter_reload']


def test_second_run_sends_no_write(box):
    run_module(opnsense_static_port, args(box))
    before = box.snapshot()
    result = run_module(opnsense_static_port, args(box))
    assert result['changed'] is False and result['api_calls']['writes'] == 0
    assert box.snapshot() == before


def test_apply_failure_restores_config(box):
    original = box.config_bytes()
    box.inject('apply_fail', count=1)
    result = run_module(opnsense_static_port, args(box))
    assert result['failed'] is True and result['cause'] == 'commit'
    assert box.config_bytes() == original and box.backups() == []


def test_absent_removes_only_ours(box):
    run_module(opnsense_static_port, args(box))
    result = run_module(opnsense_static_port, args(box, state='absent', tailscale_hosts=None))
    assert result['changed'] is True
    assert [r.findtext('descr') for r in rules(box)] == [seeds.USER_OUTBOUND_DESCR]


def test_api_version_without_credentials_fails_clearly(tmp_path):
    box = create_box('opnsense', str(tmp_path / 'box'), version='26.7.1')
    result = run_module(opnsense_static_port, args(box))
    assert result['failed'] is True and result['cause'] == 'input' and 'api_key' in result['msg']
