# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""cisco_asa_udp_port against the Cisco ASA SSH simulator, through the real netmiko ``cisco_asa`` driver.

One simulator serves the whole file (an SSH login costs about a second); every test starts from the
seed configuration with an empty journal and no armed fault.
"""

from __future__ import annotations

import socket

import pytest


pytest.importorskip('netmiko')
paramiko = pytest.importorskip('paramiko')

# pylint: disable=wrong-import-position
from ansible_collections.directpath.firewall.plugins.modules import cisco_asa_udp_port  # noqa: E402
from ansible_collections.directpath.firewall.tests.unit.plugins.modules.module_run import module_runners  # noqa: E402
from ansible_collections.directpath.firewall.tests.simulators.cisco_asa import (  # noqa: E402
    CiscoAsaSimulator,
    default_config,
)

ACL = 'outside_access_in'
ENTRY_A = 'extended permit udp any4 object directpath-ts-10.0.0.5 eq 41641'
ENTRY_B = 'extended permit udp any4 object directpath-ts-10.0.0.6 eq 41641'
SEED_ACL = ['remark published services',
            'extended permit tcp any4 object web-server eq https',
            'extended permit tcp object partner-range object web-server eq ssh',
            'extended permit icmp any4 any4 echo-reply',
            'extended deny ip any any log']


@pytest.fixture(name='asa', scope='module')
def asa_fixture(tmp_path_factory):
    simulator = CiscoAsaSimulator(tmp_path_factory.mktemp('asa'), timeout_seconds=4.0).start()
    yield simulator
    simulator.stop()


@pytest.fixture(name='sim')
def sim_fixture(asa):
    asa.faults.clear()
    asa.state_update({'reset': True, 'password': 'directpath-sim', 'enable_secret': 'directpath-enable'})
    asa.journal.clear()
    return asa


run_module, run_module_output = module_runners(cisco_asa_udp_port)


def conn(sim, **extra):
    args = dict(host='127.0.0.1', port=sim.ssh_port, username=sim.username, password=sim.password,
                enable_secret=sim.enable_secret, host_key=sim.host_key_line, timeout=3,
                acl=ACL, tailscale_hosts=['10.0.0.5', '10.0.0.6'])
    args.update(extra)
    return args


def acl_of(sim, name=ACL):
    return sim.state_dump()['acls'].get(name, [])


def config_ops(sim):
    """Journal entries of configuration commands, and of anything that enters configuration mode."""
    return [entry['op'] for entry in sim.journal.entries()
            if entry['op'].startswith('config') or entry['op'].startswith('exec:conf')]


def test_four_steps_check_apply_apply_check(sim, capsys):
    before = sim.snapshot()
    # 1. check mode: drift, the diff, and not a single configuration command (not even netmiko's terminal width).
    result = run_module(capsys, conn(sim), check_mode=True)
    assert result['changed'] is True
    assert result['compliance']['status'] == 'drift'
    assert result['diff']['after']['access-list %s: directpath-ts-10.0.0.5' % ACL] == [ENTRY_A]
    assert result['diff']['before']['object directpath-ts-10.0.0.6'] is None
    assert result['api_calls'] == {'reads': 4, 'writes': 0}
    assert sim.journal.writes() == [] and config_ops(sim) == []
    assert sim.snapshot() == before
    assert result['compliance']['exposure'] == [
        'UDP 41641 from any IPv4 source to 10.0.0.5 (access-list outside_access_in, interface outside)',
        'UDP 41641 from any IPv4 source to 10.0.0.6 (access-list outside_access_in, interface outside)']

    # 2. apply: two objects, two entries inserted ahead of the deny, saved.
    sim.journal.clear()
    result, out = run_module_output(capsys, conn(sim))
    assert sim.password not in out and sim.enable_secret not in out
    assert result['changed'] is True and result['saved'] is True
    assert result['compliance']['status'] == 'compliant' and result['compliance']['applied'] is True
    assert acl_of(sim) == SEED_ACL[:4] + [ENTRY_A, ENTRY_B] + SEED_ACL[4:]
    state = sim.state_dump()
    assert state['objects']['directpath-ts-10.0.0.5']['address'] == 'host 10.0.0.5'
    assert state['unsaved_changes'] is False
    writes = [entry['op'] for entry in sim.journal.writes()]
    assert writes == ['config:object network directpath-ts-10.0.0.5', 'config-network-object:host 10.0.0.5',
                      # typed at the (config-network-object)# prompt, where a global command leaves the sub-mode
                      'config-network-object:object network directpath-ts-10.0.0.6', 'config-network-object:host 10.0.0.6',
                      'config:access-list %s line 5 %s' % (ACL, ENTRY_A), 'config:access-list %s line 6 %s' % (ACL, ENTRY_B),
                      'exec:write memory']
    assert 'exec:show access-list %s' % ACL in sim.journal.ops()   # line numbers read because we insert

    # 3. apply again: nothing to do, nothing written.
    sim.journal.clear()
    result = run_module(capsys, conn(sim))
    assert result['changed'] is False and result['saved'] is False
    assert sim.journal.writes() == []
    assert result['api_calls']['writes'] == 0
    assert 'exec:show access-list %s' % ACL not in sim.journal.ops()   # no insert, no line numbers

    # 4. check mode again: compliant, nothing written.
    sim.journal.clear()
    result = run_module(capsys, conn(sim), check_mode=True)
    assert result['changed'] is False
    assert result['compliance']['status'] == 'compliant'
    assert sim.journal.writes() == [] and config_ops(sim) == []


def test_static_nat_where_asked_and_idempotent(sim, capsys):
    args = conn(sim, tailscale_hosts=['10.0.0.5'], static_nat=[{'host': '10.0.0.5'}])
    result = run_module(capsys, args)
    assert result['changed'] is True
    nat = 'nat (inside,outside) static interface service udp 41641 41641'
    assert sim.state_dump()['objects']['directpath-ts-10.0.0.5']['nat'] == nat
    assert "UDP 41641 on the outside interface's address forwarded to 10.0.0.5:41641 (static NAT)" in result['compliance']['exposure']
    # The ACL references the real (pre-NAT) address's object, not the mapped address.
    assert ENTRY_A in acl_of(sim)
    sim.journal.clear()
    result = run_module(capsys, args)
    assert result['changed'] is False and sim.journal.writes() == []
    # Dropping the NAT from the options removes it from our object (we own it), nothing else.
    result = run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.5']))
    assert result['diff'] == {'before': {'nat directpath-ts-10.0.0.5': nat}, 'after': {'nat directpath-ts-10.0.0.5': None}}
    assert sim.state_dump()['objects']['directpath-ts-10.0.0.5']['nat'] is None
    assert sim.state_dump()['objects']['web-server']['nat'] == 'nat (dmz,outside) static 203.0.113.10'


def seeded(sim, extra_objects, acl_lines):
    """The seed configuration with extra objects and the outside ACL replaced by ``acl_lines``."""
    text = default_config()
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith('access-list %s ' % ACL))
    kept = [line for line in lines if not line.startswith('access-list %s ' % ACL)]
    new = kept[:start] + extra_objects + ['access-list %s %s' % (ACL, line) for line in acl_lines] + kept[start:]
    sim.state_update({'config': '\n'.join(new) + '\n'})
    sim.journal.clear()


OUR_OBJECT_A = ['object network directpath-ts-10.0.0.5', ' host 10.0.0.5']


def test_peer_bug_127_an_entry_below_the_deny_is_moved_not_just_reported(sim, capsys):
    """cisco.asa acls #127: a line reported changed but not moved. Our entry sits below the deny (dead): it must move."""
    seeded(sim, OUR_OBJECT_A, SEED_ACL + [ENTRY_A])
    result = run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.5']), check_mode=True)
    assert result['changed'] is True
    assert result['diff']['before']['access-list %s: directpath-ts-10.0.0.5' % ACL] == [
        ENTRY_A + ' (below the deny at line 5: never matched)']
    result = run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.5']))
    assert result['changed'] is True
    assert acl_of(sim) == SEED_ACL[:4] + [ENTRY_A] + SEED_ACL[4:]
    sim.journal.clear()
    assert run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.5']))['changed'] is False
    assert sim.journal.writes() == []


def test_peer_bug_82_a_changed_port_leaves_no_orphaned_entry(sim, capsys):
    """cisco.asa acls #82: replacing entries left the old lines behind. A new port replaces our old entry."""
    run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.5']))
    result = run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.5'], tailscale_port=41642))
    assert result['changed'] is True
    ours = [entry for entry in acl_of(sim) if 'directpath-ts-10.0.0.5' in entry]
    assert ours == ['extended permit udp any4 object directpath-ts-10.0.0.5 eq 41642']
    assert [entry for entry in acl_of(sim) if 'directpath' not in entry] == SEED_ACL


def test_peer_pr_279_entries_using_object_names_cause_no_spurious_commands(sim, capsys):
    """cisco.asa PR #279: entries written with ``object NAME`` produced spurious commands. Other people's object
    entries (one even for the same host and port) are left alone, and our own object entries read back as equal."""
    others = ['object network legacy-ts', ' host 10.0.0.5']
    seeded(sim, others + OUR_OBJECT_A,
           SEED_ACL[:4] + ['extended permit udp any4 object legacy-ts eq 41641', ENTRY_A] + SEED_ACL[4:])
    result = run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.5']))
    assert result['changed'] is False
    assert sim.journal.writes() == []
    # Adding a second host touches only its own object and entry.
    sim.journal.clear()
    run_module(capsys, conn(sim))
    written = ' '.join(entry['op'] for entry in sim.journal.writes())
    assert 'legacy-ts' not in written and 'web-server' not in written and 'directpath-ts-10.0.0.5' not in written
    assert 'extended permit udp any4 object legacy-ts eq 41641' in acl_of(sim)


def test_absent_removes_only_ours(sim, capsys):
    run_module(capsys, conn(sim, static_nat=[{'host': '10.0.0.6', 'mapped_port': 41700}]))
    sim.journal.clear()
    result = run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.6'], state='absent'))
    assert result['changed'] is True
    state = sim.state_dump()
    assert 'directpath-ts-10.0.0.6' not in state['objects']
    assert state['objects']['directpath-ts-10.0.0.5']['address'] == 'host 10.0.0.5'
    assert acl_of(sim) == SEED_ACL[:4] + [ENTRY_A] + SEED_ACL[4:]
    assert state['objects']['web-server']['nat'] == 'nat (dmz,outside) static 203.0.113.10'
    assert [entry['op'].split(':', 1)[1] for entry in sim.journal.writes()] == [
        'no access-list %s %s' % (ACL, ENTRY_B),
        'object network directpath-ts-10.0.0.6', 'no nat (inside,outside) static interface service udp 41641 41700',
        'no object network directpath-ts-10.0.0.6', 'write memory']
    sim.journal.clear()
    assert run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.6'], state='absent'))['changed'] is False
    assert sim.journal.writes() == []


def test_a_refused_command_mid_change_is_undone(sim, capsys):
    before = sim.snapshot()
    # The second entry's insert is refused: the objects and the first entry were already applied. The device's
    # error text happens to contain both secrets: they are masked.
    sim.faults.arm('api_error', match='line 6 ' + ENTRY_B,
                   message='ERROR: directpath-sim directpath-enable rejected\nERROR: % Invalid input detected')
    result, out = run_module_output(capsys, conn(sim))
    assert sim.password not in out and sim.enable_secret not in out and '********' in out
    assert result['cause'] == 'api'
    assert 'refused' in result['msg'] and 'undone' in result['msg']
    assert result['device_unchanged'] is True
    assert result['compliance']['status'] == 'error'
    assert sim.snapshot() == before
    assert 'exec:write memory' not in sim.journal.ops()


def test_an_undo_that_fails_too_says_the_device_may_be_changed(sim, capsys):
    """The insert of the second entry is refused, and so is the undo's removal of the first: the result must not
    claim the device is unchanged, and names what to check."""
    sim.faults.arm('api_error', match='line 6 ' + ENTRY_B)
    sim.faults.arm('api_error', match='no access-list %s %s' % (ACL, ENTRY_A))
    result = run_module(capsys, conn(sim))
    assert result['cause'] == 'api'
    assert result['device_unchanged'] is False
    assert 'undoing this run' in result['msg'] and 'directpath-ts-10.0.0.5' in result['msg']
    assert 'the device may be partly changed' in ' '.join(result['compliance']['findings'])
    assert ENTRY_A in acl_of(sim)   # what is left is what the message says


def test_a_session_dropped_mid_change_is_detected_and_undone(sim, capsys):
    """The first insert is applied, then the session drops without an answer (netmiko sees only a read timeout):
    the module reconnects, reads the ACL again and removes what is left of this run."""
    before = sim.snapshot()
    sim.faults.arm('session_drop', match='line 5 ' + ENTRY_A, seconds=0.2)
    result = run_module(capsys, conn(sim, timeout=2))
    assert result['cause'] in ('timeout', 'unreachable')
    assert result['device_unchanged'] is True
    assert 'effect of that command is unknown' in result['msg'] and 'undone' in result['msg']
    assert sim.snapshot() == before
    logins = [entry for entry in sim.journal.entries() if entry['op'] == 'ssh:login']
    assert len(logins) == 2


def test_a_failed_save_undoes_the_change(sim, capsys):
    before = sim.snapshot()
    sim.faults.arm('api_error', match='write memory', message='ERROR: Failed to write configuration (disk0: full)')
    result = run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.5']))
    assert result['cause'] == 'api' and 'undone' in result['msg']
    assert sim.snapshot() == before


def test_a_session_lost_during_write_memory_undoes_running_and_warns_about_startup(sim, capsys):
    running_before = sim.state_dump()['running']
    sim.faults.arm('session_drop', match='write memory', seconds=0.2)
    result = run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.5'], timeout=2))
    assert result['failed'] is True
    assert 'may have completed' in result['msg'] and 'show startup-config' in result['msg']
    state = sim.state_dump()
    assert state['running'] == running_before
    assert ENTRY_A in state['startup']   # the save did complete: exactly what the message warns about


def test_auth_unreachable_host_key_and_input_failures_change_nothing(sim, capsys):
    before = sim.snapshot()
    result, out = run_module_output(capsys, conn(sim, password='wrong-password'))
    assert result['cause'] == 'auth' and 'wrong-password' not in out
    result, out = run_module_output(capsys, conn(sim, enable_secret='wrong-enable'))
    assert result['cause'] == 'auth' and 'wrong-enable' not in out and 'enable secret' in result['msg']
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    closed_port = listener.getsockname()[1]
    listener.close()
    result = run_module(capsys, conn(sim, port=closed_port))
    assert result['cause'] == 'unreachable'
    other = paramiko.ECDSAKey.generate(bits=256)
    other_key = '%s %s' % (other.get_name(), other.get_base64())
    result = run_module(capsys, conn(sim, host_key=other_key))
    assert result['cause'] == 'tls' and 'does not match' in result['msg']
    no_key = conn(sim)
    del no_key['host_key']
    result = run_module(capsys, no_key)
    assert result['cause'] == 'tls' and 'host_key' in result['msg']   # no known key: refused before login
    result = run_module(capsys, conn(sim, acl='inside_access_in'))
    assert result['cause'] == 'input' and 'not applied inbound to interface outside' in result['msg']
    result = run_module(capsys, conn(sim, tailscale_hosts=['0.0.0.0']))
    assert result['cause'] == 'input'
    result = run_module(capsys, conn(sim, tailscale_hosts=['10.0.0.0/24']))
    assert result['cause'] == 'input' and 'never a network' in result['msg']
    assert sim.snapshot() == before
    assert [entry for entry in sim.journal.entries() if entry['kind'] == 'write'] == []


def test_a_device_that_stops_answering_is_a_timeout(sim, capsys):
    sim.faults.arm('timeout', match='show running-config access-list', seconds=3)
    result = run_module(capsys, conn(sim, timeout=2))
    assert result['cause'] == 'timeout'
    assert sim.journal.writes() == []
