# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet launcher at scale: one accept loop serves every member, the fleet's control API
reports every member's journal, and stopping releases every socket and thread.

Timing belongs to ``make bench`` (scripts/bench.py); these tests assert structure, not speed.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.directpath.firewall.tests.simulators import fleet as fleet_module
from ansible_collections.directpath.firewall.tests.simulators.base import SimulatorControl, SimulatorServer

MEMBERS = 40


def _get(url, ca_path, method='GET'):
    request = urllib.request.Request(url, method=method, data=b'' if method == 'POST' else None)
    context = ssl.create_default_context(cafile=str(ca_path))
    with urllib.request.urlopen(request, context=context, timeout=10) as answer:
        return json.loads(answer.read().decode())


def _keygen(hostvars):
    """One PAN-OS keygen request (a journaled auth request) against one member."""
    url = 'https://127.0.0.1:%d/api/?type=keygen' % hostvars['panos_port']
    body = urllib.parse.urlencode({'user': hostvars['panos_username'], 'password': hostvars['panos_password']}).encode()
    context = ssl.create_default_context(cafile=hostvars['panos_ca_path'])
    with urllib.request.urlopen(urllib.request.Request(url, data=body), context=context, timeout=10) as answer:
        return answer.status


def test_one_accept_loop_serves_every_member_and_the_control_api_counts_them(tmp_path):
    threads_before = threading.active_count()
    fleet = fleet_module.Fleet(tmp_path / 'fleet')
    try:
        fleet.start_vendors({'panos': MEMBERS, 'pfsense': 1})
        control_url = fleet.start_control()
        # The class-wide hook is only set while a factory runs.
        assert SimulatorServer.accept_loop is None
        # One accept thread for the whole fleet, not one per listening socket.
        assert threading.active_count() == threads_before + 1
        footprint = fleet.footprint()
        assert footprint['members'] == MEMBERS + 1
        assert footprint['listening_sockets'] == MEMBERS + 1  # the PAN-OS members and the control API

        panos = [member for member in fleet.members if member.vendor == 'panos']
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda member: _keygen(member.hostvars), panos))
        assert statuses == [200] * MEMBERS

        ca_path = panos[0].hostvars['panos_ca_path']
        journals = _get(control_url + '/_fleet/journal', ca_path)
        assert set(journals) == {member.name for member in fleet.members}
        assert all(journals[member.name]['counts']['auth'] == 1 for member in panos)
        assert journals['pfsense-1'] == {'vendor': 'pfsense', 'counts': {'read': 0, 'write': 0, 'auth': 0, 'other': 0}, 'ops': {}}
        # The member's own journal agrees with the fleet's view of it.
        assert SimulatorControl(panos[0].hostvars['directpath_sim_url'], ca_path).counts()['auth'] == 1

        taken = _get(control_url + '/_fleet/journal/clear', ca_path, method='POST')
        assert taken['panos-3']['ops'] == {'keygen': 1}
        after = _get(control_url + '/_fleet/journal', ca_path)
        assert all(sum(entry['counts'].values()) == 0 for entry in after.values())
        ports = [member.hostvars['panos_port'] for member in panos]
    finally:
        fleet.stop()
    assert threading.active_count() == threads_before
    # Every listening socket is closed: the ports can be bound again.
    for port in ports[:5]:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(('127.0.0.1', port))


def test_a_held_connection_does_not_stall_the_other_members(tmp_path):
    fleet = fleet_module.Fleet(tmp_path / 'fleet')
    try:
        first, second = fleet.start_vendors({'panos': 2})
        ca_path = first.hostvars['panos_ca_path']
        SimulatorControl(first.hostvars['directpath_sim_url'], ca_path).arm('timeout', seconds=5)
        holder = threading.Thread(target=lambda: _swallow(_keygen, first.hostvars), daemon=True)
        holder.start()
        # While panos-1 holds its client, panos-2 answers (connections have threads of their own).
        assert _keygen(second.hostvars) == 200
        assert holder.is_alive()
    finally:
        fleet.stop()


def test_a_fake_box_counts_apply_commands_since_the_last_clear(tmp_path):
    fleet = fleet_module.Fleet(tmp_path / 'fleet')
    try:
        (box,) = fleet.start_vendors({'pfsense': 1})
        journal = tmp_path / 'fleet' / 'pfsense-1' / 'journal.jsonl'
        journal.write_text(json.dumps({'action': 'filter_configure', 'kind': 'write'}) + '\n', encoding='utf-8')
        assert box.journal_counts(clear=True)['ops'] == {'apply:filter_configure': 1}
        assert box.journal_counts()['counts']['write'] == 0
        with journal.open('a', encoding='utf-8') as handle:
            handle.write(json.dumps({'action': 'sync_package_miniupnpd', 'kind': 'write'}) + '\n')
        assert box.journal_counts()['ops'] == {'apply:sync_package_miniupnpd': 1}
    finally:
        fleet.stop()


def _swallow(function, *args):
    try:
        function(*args)
    except OSError:
        pass
