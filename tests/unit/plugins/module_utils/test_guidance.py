# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The guidance table as data, and the dispatcher's mirror of it (roles/remediate/vars/main.yml)."""

from __future__ import annotations

import os

import pytest
import yaml

from ansible_collections.directpath.firewall.plugins.module_utils.fleet.guidance import (
    GUIDANCE,
    NOT_FIREWALLS,
    RANDOMIZE_CLIENT_PORT,
    guidance_for,
    known_vendors,
)
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import COMPLIANCE_STATUSES

COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))

# The rows of Tailscale's table "Firewall compatibility and workarounds" (Firewall | Expected behavior).
GUIDANCE_TABLE = {
    'opnsense': ('OPNsense', 'Connects via DERP'),
    'pfsense': ('pfSense', 'Connects via DERP'),
    'barracuda': ('Barracuda', 'Connects via DERP'),
    'checkpoint': ('Check Point', 'Connects directly'),
    'cisco': ('Cisco', 'Connects via DERP'),
    'cisco_umbrella': ('Cisco with Cisco Umbrella Endpoint Security', 'Connects via DERP'),
    'fortinet': ('Fortinet', 'Connects via DERP'),
    'fortinet_dpi': ('Fortinet with FortiGate deep packet inspection', 'Unable to connect to control plane'),
    'panos': ('Palo Alto Networks', 'Connects via DERP'),
    'sophos': ('Sophos', 'Connects directly'),
    'unifi': ('UniFi Gateways', 'Connects via DERP'),
}

# Which dispatcher branch every row takes: a vendor role, or a status with no device API.
DISPATCH = {
    'barracuda': ('role', 'barracuda'),
    'checkpoint': ('status', 'not_applicable'),
    'cisco': ('role', 'cisco_asa'),
    'cisco_umbrella': ('status', 'no_workaround'),
    'fortinet': ('applied_by', 'tailnet'),
    'fortinet_dpi': ('role', 'fortigate'),
    'opnsense': ('role', 'opnsense'),
    'panos': ('role', 'panos'),
    'pfsense': ('role', 'pfsense'),
    'sophos': ('status', 'not_applicable'),
    'tailnet': ('role', 'tailnet'),
    'unifi': ('role', 'unifi'),
}


def test_table_has_every_row_of_the_guidance_with_its_expected_behaviour():
    assert known_vendors() == sorted(list(GUIDANCE_TABLE) + list(NOT_FIREWALLS))
    for vendor, (firewall, expected) in GUIDANCE_TABLE.items():
        assert (GUIDANCE[vendor]['firewall'], GUIDANCE[vendor]['expected']) == (firewall, expected)


@pytest.mark.parametrize('vendor', sorted(DISPATCH))
def test_every_row_has_exactly_one_dispatch_branch(vendor):
    row = GUIDANCE[vendor]
    kind, value = DISPATCH[vendor]
    if kind == 'role':
        assert row['role'] == value
        assert not row.get('status_without_device')
        assert row['workarounds'], 'a row with a role names its workarounds'
    elif kind == 'applied_by':
        # Applied on another inventory host (the tailnet); the firewall itself gets guidance_info's record.
        assert row['role'] is None and not row.get('status_without_device')
        assert row['applied_by'] == value and GUIDANCE[value]['role']
        assert set(row['workarounds']) <= set(GUIDANCE[value]['workarounds'])
    else:
        assert row['role'] is None
        assert row['status_without_device'] == value
        assert row['workarounds'] == () and row['modules'] == ()


def test_statuses_without_device_are_compliance_statuses():
    for row in GUIDANCE.values():
        if row.get('status_without_device'):
            assert row['status_without_device'] in COMPLIANCE_STATUSES


def test_every_row_has_caveats_for_the_firewall_owner():
    for vendor, row in GUIDANCE.items():
        assert row['caveats'], vendor
        assert all(isinstance(caveat, str) and caveat for caveat in row['caveats'])


def test_randomize_client_port_entries_name_real_vendors():
    for key in RANDOMIZE_CLIENT_PORT['wants'] + RANDOMIZE_CLIENT_PORT['conflicts']:
        vendor, dummy = key.split(':')
        assert vendor in GUIDANCE
    for key in RANDOMIZE_CLIENT_PORT['wants']:
        vendor, workaround = key.split(':')
        assert workaround in GUIDANCE[vendor]['workarounds']


def test_unknown_vendor_lookup_names_the_known_vendors():
    with pytest.raises(KeyError, match='known vendors: barracuda, checkpoint'):
        guidance_for('juniper')


def test_remediate_role_mirrors_the_table():
    with open(os.path.join(COLLECTION_ROOT, 'roles', 'remediate', 'vars', 'main.yml')) as stream:
        rows = yaml.safe_load(stream)['remediate_rows']
    assert sorted(rows) == known_vendors()
    for vendor, row in GUIDANCE.items():
        assert rows[vendor] == {
            'role': row['role'],
            'workarounds': list(row['workarounds']),
            'status_without_device': row.get('status_without_device'),
        }, vendor


def _tasks(node):
    """Every task dict in a task file, blocks included."""
    if isinstance(node, list):
        for item in node:
            yield from _tasks(item)
    elif isinstance(node, dict):
        yield node
        for key in ('block', 'rescue', 'always'):
            yield from _tasks(node.get(key))


def test_vendor_roles_never_turn_check_mode_off():
    """The audit playbook promises never to write because its play runs in check mode; a task with
    check_mode: false in a role the dispatcher includes would break that promise."""
    roles = sorted(set(row['role'] for row in GUIDANCE.values() if row['role']))
    for role in roles:
        tasks_dir = os.path.join(COLLECTION_ROOT, 'roles', role, 'tasks')
        if not os.path.isdir(tasks_dir):
            continue
        for name in sorted(os.listdir(tasks_dir)):
            if not name.endswith(('.yml', '.yaml')):
                continue
            with open(os.path.join(tasks_dir, name)) as stream:
                for task in _tasks(yaml.safe_load(stream)):
                    assert task.get('check_mode', True) is not False, '%s/tasks/%s: %s' % (role, name, task.get('name'))
