# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.directpath.firewall.plugins.modules import pfsense_natpmp
from ansible_collections.directpath.firewall.tests.simulators.fakebox import create_box, seeds
from ansible_collections.directpath.firewall.tests.simulators.fakebox.harness import run_module

HOSTS = ['198.18.10.21', '198.18.10.22']
OURS = ['allow 1024-65535 198.18.10.21/32 1024-65535', 'allow 1024-65535 198.18.10.22/32 1024-65535']


@pytest.fixture
def box(tmp_path):
    return create_box('pfsense', str(tmp_path / 'box'))


def args(box, **extra):
    values = dict(box.module_args('natpmp'), tailscale_hosts=HOSTS)
    values.update(extra)
    return values


def upnp(box):
    return ET.fromstring(box.config_bytes()).find('installedpackages/miniupnpd/config')


def test_check_mode_sends_no_write(box):
    before = box.snapshot()
    result = run_module(pfsense_natpmp, args(box), check_mode=True)
    assert result['changed'] is True
    assert result['api_calls']['writes'] == 0
    assert result['compliance']['status'] == 'drift'
    assert box.snapshot() == before
    assert os.path.exists(box.path('tmp', 'config.cache'))


def test_apply_scopes_natpmp_to_the_tailscale_hosts(box):
    result = run_module(pfsense_natpmp, args(box))
    assert result['changed'] is True and result['compliance']['status'] == 'compliant'
    node = upnp(box)
    assert node.findtext('enable') == 'on' and node.findtext('enable_natpmp') == 'on' and node.findtext('permdefault') == 'on'
    assert node.find('enable_upnp') is None
    assert [row.findtext('permuser') for row in node.findall('row')] == OURS + [seeds.USER_ACL]
    conf = box.miniupnpd_conf().splitlines()
    assert conf[conf.index(OURS[0]):conf.index(OURS[0]) + 4] == OURS + [seeds.USER_ACL, 'deny 1-65535 0.0.0.0/0 1-65535']
    assert 'enable_pcp_pmp=yes' in conf and 'enable_upnp=no' in conf
    assert 'listening_ip=vtnet1' in conf and conf[0] == 'ext_ifname=vtnet0'
    exposure = result['compliance']['exposure']
    assert any('198.18.10.21/32' in item and '1024-65535' in item for item in exposure)
    assert any('198.18.10.22/32' in item for item in exposure)


def test_write_follows_pfsense_revision_and_backup_convention(box):
    original = box.config_bytes()
    run_module(pfsense_natpmp, args(box))
    # backup_config(): the previous file, named by its revision time.
    # backup_config() also lists the copy in backup/backup.cache.
    assert box.backups() == ['backup.cache', 'config-1700000100.xml']
    with open(os.path.join(box.backup_dir, 'config-1700000100.xml'), 'rb') as handle:
        assert handle.read() == original
    revision = ET.fromstring(box.config_bytes()).find('revision')
    assert revision.findtext('time').isdigit() and revision.findtext('time') != '1700000100'
    assert 'pfsense_natpmp' in revision.findtext('description')
    assert not os.path.exists(box.path('tmp', 'config.cache'))
    assert b'<sourceport></sourceport>' in box.config_bytes()


def test_second_run_sends_no_write(box):
    run_module(pfsense_natpmp, args(box))
    before = box.snapshot()
    result = run_module(pfsense_natpmp, args(box))
    assert result['changed'] is False
    assert result['api_calls']['writes'] == 0
    assert result['compliance']['status'] == 'compliant'
    assert box.snapshot() == before


def test_diff_holds_exactly_what_changes(box):
    result = run_module(pfsense_natpmp, args(box), check_mode=True)
    assert set(result['diff']['after']) == {'enable', 'enable_natpmp', 'permdefault', 'acl'}
    assert result['diff']['after']['acl'] == OURS + [seeds.USER_ACL]


def test_apply_failure_restores_config_and_fails(box):
    original = box.config_bytes()
    box.inject('apply_fail', count=1, message='filter_configure(): pfctl could not load the ruleset')
    result = run_module(pfsense_natpmp, args(box))
    assert result['failed'] is True
    assert result['cause'] == 'commit'
    assert 'pfctl could not load the ruleset' in result['msg']
    assert result['device_unchanged'] is True
    assert result['compliance']['status'] == 'error'
    assert box.config_bytes() == original
    assert [entry['ok'] for entry in box.journal()] == [False, True]
    assert box.journal()[1]['config_sha256'] == box.snapshot()['config_sha256']


def test_persistent_apply_failure_says_services_may_differ(box):
    original = box.config_bytes()
    box.inject('apply_fail', count=5)
    result = run_module(pfsense_natpmp, args(box))
    assert result['failed'] is True and result['device_unchanged'] is False
    assert 'applying it again failed too' in result['msg']
    assert box.config_bytes() == original


@pytest.mark.parametrize('fault', ['config_corrupt', 'config_missing'])
def test_unusable_config_fails_without_touching_it(box, fault):
    box.inject(fault)
    before = box.config_bytes() if fault == 'config_corrupt' else None
    result = run_module(pfsense_natpmp, args(box))
    assert result['failed'] is True and result['cause'] == 'input'
    assert box.journal() == [] and box.backups() == []
    if before is not None:
        assert box.config_bytes() == before


def test_apply_that_cannot_read_config_restores(box):
    original = box.config_bytes()
    box.inject('config_unreadable', count=1)
    result = run_module(pfsense_natpmp, args(box))
    assert result['failed'] is True and result['cause'] == 'commit'
    assert box.config_bytes() == original


@pytest.mark.parametrize('hosts,needle', [
    (['fd7a:115c:a1e0::5'], 'IPv4 only'),
    (['198.18.10.0/24'], 'single address'),
    (['tailscale-node'], 'not an IP address'),
])
def test_bad_hosts_are_refused(box, hosts, needle):
    before = box.snapshot()
    result = run_module(pfsense_natpmp, args(box, tailscale_hosts=hosts))
    assert result['failed'] is True and result['cause'] == 'input' and needle in result['msg']
    assert box.snapshot() == before


def test_wan_as_internal_interface_is_refused(box):
    result = run_module(pfsense_natpmp, args(box, interfaces=['wan']))
    assert result['failed'] is True and result['cause'] == 'input'


def test_absent_removes_ours_and_switches_off_only_what_we_switched_on(box):
    run_module(pfsense_natpmp, args(box, interfaces=['lan', 'opt1']))
    result = run_module(pfsense_natpmp, args(box, state='absent', tailscale_hosts=None))
    assert result['changed'] is True
    node = upnp(box)
    assert node.find('enable') is None and node.find('enable_natpmp') is None and node.find('permdefault') is None
    assert node.findtext('iface_array') == 'lan'
    assert [row.findtext('permuser') for row in node.findall('row')] == [seeds.USER_ACL]
    assert ET.fromstring(box.config_bytes()).find('installedpackages/directpath_firewall') is None
    assert box.miniupnpd_conf() is None
    assert run_module(pfsense_natpmp, args(box, state='absent', tailscale_hosts=None))['changed'] is False


def test_absent_keeps_a_service_the_user_enabled(tmp_path):
    text = seeds.pfsense_config().replace('<ext_iface>wan</ext_iface>',
                                          '<enable>on</enable><enable_natpmp>on</enable_natpmp><ext_iface>wan</ext_iface>')
    box = create_box('pfsense', str(tmp_path / 'box'), config_text=text)
    run_module(pfsense_natpmp, args(box))
    run_module(pfsense_natpmp, args(box, state='absent'))
    node = upnp(box)
    assert node.findtext('enable') == 'on' and node.findtext('enable_natpmp') == 'on'
    assert node.find('permdefault') is None


def test_removed_host_loses_its_entry(box):
    run_module(pfsense_natpmp, args(box))
    result = run_module(pfsense_natpmp, args(box, tailscale_hosts=HOSTS[:1]))
    assert result['changed'] is True
    assert [row.findtext('permuser') for row in upnp(box).findall('row')] == OURS[:1] + [seeds.USER_ACL]


def test_upnp_switched_on_by_someone_else_is_reported_not_changed(tmp_path):
    text = seeds.pfsense_config().replace('<ext_iface>wan</ext_iface>', '<enable_upnp>on</enable_upnp><ext_iface>wan</ext_iface>')
    box = create_box('pfsense', str(tmp_path / 'box'), config_text=text)
    result = run_module(pfsense_natpmp, args(box))
    assert upnp(box).findtext('enable_upnp') == 'on'
    assert any('UPnP IGD is on' in finding for finding in result['compliance']['findings'])


def test_upnp_only_when_asked_and_switched_off_again(box):
    run_module(pfsense_natpmp, args(box, enable_upnp=True))
    assert upnp(box).findtext('enable_upnp') == 'on'
    assert 'enable_upnp=yes' in box.miniupnpd_conf()
    run_module(pfsense_natpmp, args(box))
    assert upnp(box).find('enable_upnp') is None
