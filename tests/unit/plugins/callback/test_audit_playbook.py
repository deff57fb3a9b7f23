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


def run_playbook(tmp_path, name, prefix, extra_args=()):
    inventory = str(tmp_path / 'inventory.yml')
    write_inventory(inventory)
    env = dict(os.environ)
    env.update({
        'ANSIBLE_COLLECTIONS_PATH': collections_root(),
        'ANSIBLE_CALLBACKS_ENABLED': 'directpath.firewall.audit_report',
        'DIRECTPATH_REPORT_DIR': str(tmp_path / 'out'),
        'DIRECTPATH_REPORT_PREFIX': prefix,
        'ANSIBLE_HOST_KEY_CHECKING': 'false',
        'ANSIBLE_RETRY_FILES_ENABLED': 'false',
        'ANSIBLE_NOCOLOR': '1',
        'ANSIBLE_LOCALHOST_WARNING': 'false',
        'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
    })
    command = playbook_command() + ['-i', inventory, 'directpath.firewall.%s' % name] + list(extra_args)
    process = subprocess.run(command, capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=300, check=False)
    report_path = tmp_path / 'out' / ('%s.json' % prefix)
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


def check_summary_table_and_report_paths_are_printed(process):
    assert 'DIRECTPATH AUDIT REPORT (check mode)' in process.stdout
    assert 'audit-before.html' in process.stdout
    assert 'The audit report is written at the end of the run to' in process.stdout


def test_audit_playbook_dispatches_every_guidance_row_and_reports_it(tmp_path):
    # One test for one playbook run: ansible-test runs every test in its own forked process,
    # so a shared fixture would run the playbook once per test.
    process, report = run_playbook(tmp_path, 'audit', 'audit-before')
    check_every_guidance_row_and_the_unknown_vendor_are_reported(report)
    check_audit_forces_check_mode_without_the_check_flag(report)
    check_rows_without_device_api_get_their_status(report)
    check_vendor_rows_go_to_their_role_or_are_reported_not_implemented(report)
    check_unknown_vendor_fails_with_the_list_of_known_vendors(process, report)
    check_summary_table_and_report_paths_are_printed(process)


def test_remediate_playbook_applies_and_reports_apply_mode(tmp_path):
    process, report = run_playbook(tmp_path, 'remediate', 'remediate', ['--limit', 'fw-checkpoint,fw-cisco_umbrella'])
    assert process.returncode == 0, process.stdout[-3000:]
    assert report['run_mode'] == 'apply'
    assert dict((d['host'], d['status']) for d in report['devices']) == {
        'fw-checkpoint': 'not_applicable', 'fw-cisco_umbrella': 'no_workaround'}


def test_remediate_with_check_flag_is_check_mode(tmp_path):
    dummy, report = run_playbook(tmp_path, 'remediate', 'dry-run', ['--check', '--limit', 'fw-sophos'])
    assert report['run_mode'] == 'check'
