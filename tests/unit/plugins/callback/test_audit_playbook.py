# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The audit and remediate playbooks run for real (ansible-playbook in a subprocess) on an inventory
with one host per guidance row; the callback's report is read back.

Nothing here contacts a device: the rows that need none are answered by guidance_info, the vendors
whose role exists point at a closed loopback port (so their role fails fast and the report shows an
error record for them), and the vendors without a role in this version are reported manual.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from ansible_collections.directpath.firewall.plugins.module_utils.fleet.guidance import GUIDANCE, known_vendors

import ansible_collections.directpath.firewall.plugins.plugin_utils.report as report_module

CLOSED_PORT = 9  # discard: nothing listens on loopback, so connections are refused at once


def collections_root():
    path = os.path.dirname(os.path.abspath(report_module.__file__))
    while os.path.basename(path) != 'ansible_collections':
        path = os.path.dirname(path)
    return os.path.dirname(path)


def collection_dir():
    return os.path.join(collections_root(), 'ansible_collections', 'directpath', 'firewall')


def role_exists(role):
    return role is not None and os.path.isfile(os.path.join(collection_dir(), 'roles', role, 'tasks', 'main.yml'))


def playbook_command():
    executable = shutil.which('ansible-playbook', path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', ''))
    if executable:
        return [executable]
    probe = subprocess.run([sys.executable, '-m', 'ansible', 'playbook', '--version'], capture_output=True, check=False)
    if probe.returncode == 0:
        return [sys.executable, '-m', 'ansible', 'playbook']
    pytest.skip('ansible-playbook is not available to run the playbooks')
    return None


def write_inventory(path):
    hosts = {'fw-unknown': {'directpath_vendor': 'juniper'}, 'node-not-a-firewall': {}}
    for vendor in known_vendors():
        hosts['fw-%s' % vendor] = {
            'directpath_vendor': vendor,
            # Only used by vendor roles that exist: every connection is refused at once.
            'ansible_host': '127.0.0.1',
            'ansible_port': CLOSED_PORT,
            'ansible_connection': 'ssh',
            'ansible_ssh_common_args': '-o ConnectTimeout=3 -o BatchMode=yes',
            'panos_port': CLOSED_PORT,
            'panos_api_key': 'not-a-real-key',
            'panos_timeout': 3,
            'directpath_tailscale_hosts': ['10.0.0.5'],
        }
    with open(path, 'w') as stream:
        yaml.safe_dump({'all': {'hosts': hosts}}, stream)


def playbook_env(tmp_path, prefix, callback=True, report_dir=True):
    env = dict(os.environ)
    for name in ('ANSIBLE_CALLBACKS_ENABLED', 'DIRECTPATH_REPORT_DIR', 'DIRECTPATH_REPORT_PREFIX', 'ANSIBLE_CONFIG'):
        env.pop(name, None)
    env.update({
        'ANSIBLE_COLLECTIONS_PATH': collections_root(),
        'DIRECTPATH_REPORT_PREFIX': prefix,
        'ANSIBLE_HOST_KEY_CHECKING': 'false',
        'ANSIBLE_RETRY_FILES_ENABLED': 'false',
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_LOCALHOST_WARNING': 'false',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
    })
    if callback:
        env['ANSIBLE_CALLBACKS_ENABLED'] = 'directpath.firewall.audit_report'
    if report_dir:
        env['DIRECTPATH_REPORT_DIR'] = str(tmp_path / 'out')
    return env


def run_playbook(tmp_path, name, prefix, extra_args=(), inventory_hosts=None, env=None, report_dir=None):
    inventory = str(tmp_path / 'inventory.yml')
    if inventory_hosts is None:
        write_inventory(inventory)
    else:
        with open(inventory, 'w') as stream:
            yaml.safe_dump({'all': {'hosts': inventory_hosts}}, stream)
    env = env if env is not None else playbook_env(tmp_path, prefix)
    command = playbook_command() + ['-i', inventory, 'directpath.firewall.%s' % name] + list(extra_args)
    process = subprocess.run(command, capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=300, check=False)
    report_path = (report_dir or tmp_path / 'out') / ('%s.json' % prefix)
    assert report_path.is_file(), 'no report written:\n%s\n%s' % (process.stdout[-4000:], process.stderr[-4000:])
    with open(str(report_path)) as stream:
        return process, json.load(stream)


def devices_of(report):
    return dict((device['host'], device) for device in report['devices'])


def check_every_guidance_row_and_the_unknown_vendor_are_reported(report):
    hosts = set(devices_of(report))
    assert hosts == set(['fw-%s' % vendor for vendor in known_vendors()] + ['fw-unknown'])
    assert 'node-not-a-firewall' not in hosts


def check_audit_forces_check_mode_without_the_check_flag(report):
    assert report['run_mode'] == 'check'
    for device in report['devices']:
        for record in device['records']:
            assert record['applied'] is False
            assert record['check_mode'] is True, (device['host'], record)


def check_rows_without_device_api_get_their_status(report):
    for vendor, status in (('checkpoint', 'not_applicable'), ('sophos', 'not_applicable'), ('cisco_umbrella', 'no_workaround')):
        device = devices_of(report)['fw-%s' % vendor]
        assert [(record['workaround'], record['status']) for record in device['records']] == [('none', status)], vendor
        assert device['records'][0]['advice'] == list(GUIDANCE[vendor]['caveats'])


def check_vendor_rows_go_to_their_role_or_are_reported_not_implemented(report):
    for vendor in sorted(vendor for vendor, row in GUIDANCE.items() if row['role']):
        device = devices_of(report)['fw-%s' % vendor]
        role = GUIDANCE[vendor]['role']
        if role_exists(role):
            # The role ran against a closed port: whatever it says, it is not the "not implemented" record.
            assert device['records'], vendor
            assert not any('no module for' in ' '.join(record['findings']) for record in device['records']), vendor
        else:
            assert sorted(record['workaround'] for record in device['records']) == sorted(GUIDANCE[vendor]['workarounds'])
            for record in device['records']:
                assert record['status'] == 'manual', vendor
                assert record['findings'][0].startswith('no module for %s in this version of directpath.firewall; apply by hand: ' % vendor)


def check_unknown_vendor_fails_with_the_list_of_known_vendors(process, report):
    record = devices_of(report)['fw-unknown']['records'][0]
    assert record['status'] == 'error'
    assert record['msg'].endswith('known vendors: ' + ', '.join(known_vendors()))
    assert 'fatal: [fw-unknown' in process.stdout
    assert process.returncode != 0


def check_summary_table_and_report_paths_are_printed(process, tmp_path):
    assert 'DIRECTPATH AUDIT REPORT (check mode)' in process.stdout
    assert 'audit-before.html' in process.stdout
    assert 'The audit report is written at the end of the run by the callback directpath.firewall.audit_report' in process.stdout
    assert 'report (json): %s' % (tmp_path / 'out' / 'audit-before.json') in process.stdout


def test_audit_playbook_dispatches_every_guidance_row_and_reports_it(tmp_path):
    # One test for one playbook run: ansible-test runs every test in its own forked process,
    # so a shared fixture would run the playbook once per test.
    process, report = run_playbook(tmp_path, 'audit', 'audit-before')
    check_every_guidance_row_and_the_unknown_vendor_are_reported(report)
    check_audit_forces_check_mode_without_the_check_flag(report)
    check_rows_without_device_api_get_their_status(report)
    check_vendor_rows_go_to_their_role_or_are_reported_not_implemented(report)
    check_unknown_vendor_fails_with_the_list_of_known_vendors(process, report)
    check_summary_table_and_report_paths_are_printed(process, tmp_path)


def test_remediate_playbook_applies_and_reports_apply_mode(tmp_path):
    process, report = run_playbook(tmp_path, 'remediate', 'remediate', ['--limit', 'fw-checkpoint,fw-cisco_umbrella'])
    assert process.returncode == 0, process.stdout[-3000:]
    assert report['run_mode'] == 'apply'
    assert dict((d['host'], d['status']) for d in report['devices']) == {
        'fw-checkpoint': 'not_applicable', 'fw-cisco_umbrella': 'no_workaround'}


def test_remediate_with_check_flag_is_check_mode(tmp_path):
    dummy, report = run_playbook(tmp_path, 'remediate', 'dry-run', ['--check', '--limit', 'fw-sophos'])
    assert report['run_mode'] == 'check'


def firewall(vendor, **host_vars):
    host = {'directpath_vendor': vendor, 'ansible_host': '127.0.0.1', 'panos_port': CLOSED_PORT, 'panos_timeout': 3,
            'ansible_port': CLOSED_PORT, 'ansible_connection': 'ssh',
            'ansible_ssh_common_args': '-o ConnectTimeout=3 -o BatchMode=yes'}
    host.update(host_vars)
    return host


# Issue 10 item 2: a firewall that fails before any module runs is in the report as error, with its cause.
def test_firewalls_that_fail_before_any_module_are_reported_as_errors(tmp_path):
    hosts = {
        'fw-vault': firewall('panos', panos_api_key='{{ vault_panos_api_key }}', directpath_tailscale_hosts=['10.0.0.5']),
        'fw-typo': firewall('checkpoint', directpath_state='absnt'),
        'fw-ssh': firewall('pfsense', directpath_tailscale_hosts=['198.18.10.21']),
        'fw-ok': firewall('checkpoint'),
        'node-not-a-firewall': {},
    }
    process, report = run_playbook(tmp_path, 'audit', 'audit-failures', inventory_hosts=hosts)
    devices = devices_of(report)
    assert set(devices) == {'fw-vault', 'fw-typo', 'fw-ssh', 'fw-ok'}, process.stdout[-3000:]
    found = dict((host, (device['status'], device['records'][0]['cause'])) for host, device in devices.items() if host != 'fw-ok')
    assert found == {'fw-vault': ('error', 'input'), 'fw-typo': ('error', 'input'), 'fw-ssh': ('error', 'unreachable')}
    assert "'vault_panos_api_key' is undefined" in devices['fw-vault']['records'][0]['findings'][0]
    assert 'directpath_state must be one of: present, absent, got: absnt' in devices['fw-typo']['records'][0]['findings'][0]
    assert devices['fw-ok']['status'] == 'not_applicable'
    assert report['summary']['devices_by_status']['error'] == 3
    assert report['summary']['overall_status'] == 'error'
    assert report['summary']['headline']['verdict'] == 'error'
    assert 'DIRECTPATH AUDIT REPORT (check mode): 4 device(s)' in process.stdout


# Issue 10 item 10: the paths printed are the ones written when ansible.cfg sets report_dir and
# report_prefix, and the "callback not enabled" hint is printed under --limit too.
def test_report_paths_follow_ansible_cfg(tmp_path):
    config = tmp_path / 'ansible.cfg'
    config.write_text('[defaults]\ncallbacks_enabled = directpath.firewall.audit_report\n\n'
                      '[callback_directpath_audit_report]\nreport_dir = cfg-reports\nreport_prefix = nightly\n')
    env = playbook_env(tmp_path, 'ignored', callback=False, report_dir=False)
    env.pop('DIRECTPATH_REPORT_PREFIX')
    env['ANSIBLE_CONFIG'] = str(config)
    process, report = run_playbook(tmp_path, 'audit', 'nightly', env=env, report_dir=tmp_path / 'cfg-reports',
                                   inventory_hosts={'fw-checkpoint': firewall('checkpoint')})
    assert [device['host'] for device in report['devices']] == ['fw-checkpoint']
    # Every report path the run prints (the callback's, and any the playbook would guess) is where the files are.
    printed = re.findall(r'(/[^\s{}]+)/[^/\s{}]+\.(?:json|md|html|\{json,md,html\})', process.stdout)
    assert printed, process.stdout[-3000:]
    assert set(os.path.realpath(path) for path in printed) == {os.path.realpath(str(tmp_path / 'cfg-reports'))}
    assert 'report (json): %s' % (tmp_path / 'cfg-reports' / 'nightly.json') in process.stdout
    assert 'The audit report is written at the end of the run by the callback directpath.firewall.audit_report' in process.stdout


def test_callback_not_enabled_hint_under_limit(tmp_path):
    env = playbook_env(tmp_path, 'audit', callback=False)
    inventory = str(tmp_path / 'inventory.yml')
    write_inventory(inventory)
    command = playbook_command() + ['-i', inventory, 'directpath.firewall.audit', '--limit', 'fw-checkpoint,fw-sophos']
    process = subprocess.run(command, capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=300, check=False)
    assert process.returncode == 0, process.stdout[-3000:]
    assert process.stdout.count('The report callback is not enabled, so no report file is written') == 1, process.stdout[-3000:]
    assert not (tmp_path / 'out').exists()


# Issue 10 item 12: one string in directpath_tailscale_hosts works on every vendor role, as a list does.
def test_a_scalar_tailscale_hosts_works_on_every_vendor_role(tmp_path):
    from ansible_collections.directpath.firewall.tests.simulators.fakebox import create_box
    hosts = {}
    for vendor, address in (('pfsense', '198.18.10.21'), ('opnsense', '198.18.30.21')):
        box = create_box(vendor, str(tmp_path / ('box-%s' % vendor)))
        hosts['fw-%s' % vendor] = dict(box.hostvars(), directpath_tailscale_hosts=address,
                                       ansible_python_interpreter=sys.executable)
    hosts['fw-panos'] = firewall('panos', panos_api_key='not-a-real-key', directpath_tailscale_hosts='10.0.0.5')
    hosts['fw-panos-empty'] = firewall('panos', panos_api_key='not-a-real-key')
    hosts['fw-pfsense-empty'] = dict(create_box('pfsense', str(tmp_path / 'box-empty')).hostvars(),
                                     ansible_python_interpreter=sys.executable)
    process, report = run_playbook(tmp_path, 'audit', 'scalar', inventory_hosts=hosts)
    devices = devices_of(report)
    for host, address in (('fw-pfsense', '198.18.10.21'), ('fw-opnsense', '198.18.30.21')):
        records = devices[host]['records']
        assert sorted(record['workaround'] for record in records) == ['natpmp', 'static_port'], (host, records)
        for record in records:
            assert record['status'] != 'error', (host, record)
        assert address in json.dumps(records), (host, records)
        assert 'is not an IP address' not in process.stdout
    # PAN-OS takes the string too: it fails only on the closed port, not on its input.
    assert [(r['status'], r['cause']) for r in devices['fw-panos']['records']] == [('error', 'unreachable')]
    # No hosts at all: the role says which inventory variables to set, not the module's option names.
    for host, names in (('fw-panos-empty', ('directpath_tailscale_hosts', 'panos_nat_rules')),
                        ('fw-pfsense-empty', ('directpath_tailscale_hosts',))):
        record = devices[host]['records'][0]
        assert (record['status'], record['cause']) == ('error', 'input'), record
        for name in names:
            assert name in record['findings'][0], record
        assert 'tailscale_hosts:' not in record['findings'][0] and 'one of the following' not in record['findings'][0]
