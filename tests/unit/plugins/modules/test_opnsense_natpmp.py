# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.directpath.firewall.plugins.modules import opnsense_natpmp
from ansible_collections.directpath.firewall.tests.simulators.fakebox import create_box
from ansible_collections.directpath.firewall.tests.simulators.fakebox.harness import run_module

HOSTS = ['198.18.30.21']
OURS = 'allow 1024-65535 198.18.30.21/32 1024-65535'
USER_ACL = 'allow 2000-2100 198.18.40.50/32 2000-2100'


@pytest.fixture
def box(tmp_path):
    return create_box('opnsense', str(tmp_path / 'box'))


def args(box, **extra):
    values = dict(box.module_args('natpmp'), tailscale_hosts=HOSTS)
    values.update(extra)
    return values


def upnp(box):
    return ET.fromstring(box.config_bytes()).find('installedpackages/miniupnpd/config')


def permusers(node):
    return [(node.findtext('permuser%d' % i) or '') for i in range(1, 20) if node.find('permuser%d' % i) is not None]


def test_check_mode_sends_no_write(box):
    before = box.snapshot()
    result = run_module(opnsense_natpmp, args(box), check_mode=True)
    assert result['changed'] is True and result['api_calls']['writes'] == 0
    assert box.snapshot() == before


def test_apply_uses_opnsense_shapes_and_both_apply_steps(box):
    result = run_module(opnsense_natpmp, args(box))
    assert result['changed'] is True and result['compliance']['status'] == 'compliant'
    node = upnp(box)
    assert node.findtext('enable') == '1' and node.findtext('enable_natpmp') == '1' and node.findtext('permdefault') == '1'
    assert node.find('enable_upnp') is None
    assert permusers(node)[:2] == [OURS, USER_ACL] and set(permusers(node)[2:]) == {''}
    assert [entry['action'] for entry in box.journal()] == ['miniupnpd_configure_do', 'configctl_filter_reload']
    conf = box.miniupnpd_conf().splitlines()
    assert conf.index(OURS) + 1 == conf.index(USER_ACL)
    assert conf[conf.index(USER_ACL) + 1] == 'deny 1-65535 0.0.0.0/0 1-65535'
    assert 'enable_pcp_pmp=yes' in conf and 'enable_upnp=no' in conf and 'http_port=2189' in conf


def test_write_follows_opnsense_revision_and_backup_convention(box):
    run_module(opnsense_natpmp, args(box))
    revision = ET.fromstring(box.config_bytes()).find('revision')
    stamp = revision.findtext('time')
    # Config::save(): the NEW file is copied to backup/config-<revision time>.xml.
    assert box.backups() == ['config-%s.xml' % stamp]
    with open(os.path.join(box.backup_dir, box.backups()[0]), 'rb') as handle:
        assert handle.read() == box.config_bytes()
    assert b'<snatrules/>' in box.config_bytes()


def test_second_run_sends_no_write(box):
    run_module(opnsense_natpmp, args(box))
    before = box.snapshot()
    result = run_module(opnsense_natpmp, args(box))
    assert result['changed'] is False and result['api_calls']['writes'] == 0
    assert box.snapshot() == before


def test_failed_filter_reload_restores_config_and_drops_the_new_backup(box):
    original = box.config_bytes()
    box.inject('apply_fail', count=1, action='configctl_filter_reload', message='filter reload: syntax error in rules')
    result = run_module(opnsense_natpmp, args(box))
    assert result['failed'] is True and result['cause'] == 'commit' and result['device_unchanged'] is True
    assert 'syntax error in rules' in result['msg']
    assert box.config_bytes() == original
    assert box.backups() == []
    assert [(e['action'], e['ok']) for e in box.journal()] == [
        ('miniupnpd_configure_do', True), ('configctl_filter_reload', False),
        ('miniupnpd_configure_do', True), ('configctl_filter_reload', True)]
    assert box.miniupnpd_conf() is None


def test_corrupt_config_fails_without_touching_it(box):
    box.inject('config_corrupt')
    before = box.config_bytes()
    result = run_module(opnsense_natpmp, args(box))
    assert result['failed'] is True and result['cause'] == 'input'
    assert box.config_bytes() == before and box.journal() == []


def test_more_hosts_than_permuser_fields_raise_num_permuser_and_absent_restores_it(box):
    hosts = ['198.18.30.%d' % n for n in range(21, 30)]
    run_module(opnsense_natpmp, args(box, tailscale_hosts=hosts))
    node = upnp(box)
    assert node.findtext('num_permuser') == '10'
    assert len([line for line in permusers(node) if line]) == 10
    assert box.miniupnpd_conf().count('allow 1024-65535') == 9
    assert run_module(opnsense_natpmp, args(box, tailscale_hosts=hosts))['changed'] is False
    run_module(opnsense_natpmp, args(box, state='absent', tailscale_hosts=None))
    node = upnp(box)
    assert node.find('num_permuser') is None
    assert [line for line in permusers(node) if line] == [USER_ACL]


def test_absent_removes_ours_and_keeps_the_users_entry(box):
    run_module(opnsense_natpmp, args(box))
    result = run_module(opnsense_natpmp, args(box, state='absent'))
    assert result['changed'] is True and result['compliance']['exposure'] == []
    node = upnp(box)
    assert node.find('enable') is None and node.find('enable_natpmp') is None
    assert [line for line in permusers(node) if line] == [USER_ACL]
    assert box.miniupnpd_conf() is None


def test_results_never_carry_the_record_path_outside_the_config(box):
    result = run_module(opnsense_natpmp, args(box))
    assert result['settings']['acl'][0] == OURS
    assert ET.fromstring(box.config_bytes()).find('installedpackages/directpath_firewall/natpmp/acl').text == OURS
