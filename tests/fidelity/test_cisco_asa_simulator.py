# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Cisco ASA SSH simulator, driven by the real client: netmiko 4.8's ``cisco_asa`` driver over
paramiko. Output formats are checked with ntc-templates' parser for the same command (built from
real device captures). docs/simulators.md says what is verified and what is inferred.
"""

from __future__ import annotations

import os
import time

import pytest

netmiko = pytest.importorskip('netmiko')
paramiko = pytest.importorskip('paramiko')

from netmiko.exceptions import (  # noqa: E402  pylint: disable=wrong-import-position
    ConfigInvalidException, NetmikoAuthenticationException,
)

from ansible_collections.directpath.firewall.tests.simulators.cisco_asa import (  # noqa: E402  pylint: disable=wrong-import-position
    SESSION, CiscoAsaSimulator,
)

ERROR_PATTERN = r'ERROR:|% Invalid'
OURS = 'access-list outside_access_in line 5 extended permit udp any4 object ts-a eq 41641'


def connect(sim, **overrides):
    options = dict(device_type='cisco_asa', host='127.0.0.1', port=sim.ssh_port, username=sim.username,
                   password=sim.password, secret=sim.enable_secret, use_keys=False, allow_agent=False,
                   conn_timeout=10, fast_cli=False)
    options.update(overrides)
    return netmiko.ConnectHandler(**options)


@pytest.fixture(name='asa', scope='module')
def asa_fixture(tmp_path_factory):
    simulator = CiscoAsaSimulator(tmp_path_factory.mktemp('asa')).start()
    yield simulator
    simulator.stop()


@pytest.fixture(name='fresh')
def fresh_fixture(asa):
    """The module's simulator reset to its seed, journal and faults cleared."""
    asa.state_update({'reset': True})
    asa.journal.clear()
    asa.faults.clear()
    return asa


def test_connect_time_commands_are_session_kind_and_shows_parse_with_ntc_templates(fresh):
    from ntc_templates.parse import parse_output

    connection = connect(fresh)
    try:
        entries = fresh.journal.entries()
        ops = [entry['op'] for entry in entries]
        # [netmiko] session_preparation: login, show curpriv, enable, terminal pager 0, conf t / terminal width 511 / end.
        assert ops[0] == 'ssh:login'
        for op in ('exec:show curpriv', 'exec:enable', 'exec:terminal pager 0', 'exec:configure terminal',
                   'config:terminal width 511', 'config:end'):
            assert op in ops
        assert {entry['kind'] for entry in entries} <= {'auth', SESSION}
        assert fresh.journal.summary() == {'reads': 0, 'writes': 0}
        assert connection.find_prompt() == 'asa-sim#'

        shown = connection.send_command('show access-list outside_access_in')
        parsed = parse_output(platform='cisco_asa', command='show access-list', data=shown)
        header = parsed[0]
        assert header['acl_name'] == 'outside_access_in' and header['acl_tot_elem'] == '4'
        lines = [(row['line_num'], row['action'], row['remark']) for row in parsed[1:]]
        assert lines[0] == ('1', '', 'published services')
        assert ('5', 'deny', '') in lines
        # An ACE on "object web-server" is followed by its expansion with the object's address ([ntc]).
        expansion = [row for row in parsed if row['line_num'] == '2' and row['entry_dst_host']]
        assert expansion and expansion[0]['entry_dst_host'] == '192.0.2.10'
        assert expansion[0]['entry_hash'] == parsed[2]['line_hash']

        # An object-group entry expands to one indented line per member, each with its own hash ([ntc] update2 line 10).
        grouped = parse_output(platform='cisco_asa', command='show access-list',
                               data=connection.send_command('show access-list inside_access_in'))
        assert grouped[0]['acl_tot_elem'] == '3'
        members = [row for row in grouped if row['line_num'] == '1' and row['entry_hash']]
        assert [(row['entry_src_host'], row['entry_src_network']) for row in members] == [
            ('10.0.0.50', ''), ('', '10.0.9.0')]
        assert len({row['entry_hash'] for row in members} | {grouped[1]['line_hash']}) == 3

        running = connection.send_command('show running-config access-list outside_access_in')
        assert running.splitlines()[1].strip() == 'access-list outside_access_in extended permit tcp any4 object web-server eq https'
        assert connection.send_command('show running-config access-group').splitlines() == [
            'access-group outside_access_in in interface outside', 'access-group inside_access_in in interface inside']
        missing = connection.send_command('show access-list nope')
        assert 'ERROR: access-list <nope> does not exist' in missing
        assert fresh.journal.summary()['writes'] == 0
    finally:
        connection.disconnect()


def test_config_changes_errors_line_insert_and_write_memory(fresh):
    connection = connect(fresh)
    try:
        before = fresh.snapshot()
        # Without error_pattern netmiko flags nothing ([netmiko] send_config_set): the error is only in the text.
        output = connection.send_config_set(['access-list outside_access_in extended permitt udp any4 any4'])
        assert "ERROR: % Invalid input detected at '^' marker." in output
        caret_line = [line for line in output.splitlines() if line.strip() == '^'][0]
        command = 'access-list outside_access_in extended permitt udp any4 any4'
        assert caret_line.index('^') == len('asa-sim(config)# ') + command.index('permitt')
        with pytest.raises(ConfigInvalidException):
            connection.send_config_set(['access-list outside_access_in extended permit udp any4 object nope eq 41641'],
                                       error_pattern=ERROR_PATTERN)
        assert fresh.snapshot() == before

        connection.send_config_set(['object network ts-a', 'host 10.0.0.5', OURS], error_pattern=ERROR_PATTERN)
        shown = connection.send_command('show access-list outside_access_in')
        assert 'access-list outside_access_in line 5 extended permit udp any4 object ts-a eq 41641 (hitcnt=0)' in shown
        assert '  access-list outside_access_in line 5 extended permit udp any4 host 10.0.0.5 eq 41641 (hitcnt=0)' in shown
        assert 'access-list outside_access_in line 6 extended deny ip any any' in shown
        running = connection.send_command('show running-config access-list outside_access_in')
        assert 'line' not in running   # [cli-guide]: the line number is not saved
        duplicate = connection.send_config_set([OURS])
        assert 'WARNING: outside_access_in found duplicate element' in duplicate
        assert fresh.state_dump()['acls']['outside_access_in'].count('extended permit udp any4 object ts-a eq 41641') == 1
        refused = connection.send_config_set(['no object network ts-a'])
        assert 'Object is being used' in refused

        # Static interface PAT for the port, refused twice for the same mapped port.
        connection.send_config_set(['object network ts-a', 'nat (inside,outside) static interface service udp 41641 41641'],
                                   error_pattern=ERROR_PATTERN)
        clash = connection.send_config_set(['object network ts-b', 'host 10.0.0.6',
                                            'nat (inside,outside) static interface service udp 41641 41641'])
        assert 'ERROR: NAT unable to reserve ports.' in clash
        assert 'object network ts-a\n nat (inside,outside) static interface service udp 41641 41641' in \
            connection.send_command('show running-config nat')

        assert fresh.state_dump()['unsaved_changes'] is True
        saved = connection.save_config()
        assert '[OK]' in saved
        assert fresh.state_dump()['unsaved_changes'] is False
        assert 'object ts-a eq 41641' in fresh.state_dump()['startup']
        writes = [entry['op'] for entry in fresh.journal.writes()]
        assert 'exec:write mem' in writes
        assert all(entry['kind'] != 'write' for entry in fresh.journal.entries() if entry['op'].startswith('exec:show'))
    finally:
        connection.disconnect()


def test_login_path_without_enable_secret_and_bad_credentials(fresh):
    connection = connect(fresh, secret='')
    try:
        assert connection.find_prompt() == 'asa-sim#'
        assert 'exec:login' in fresh.journal.ops()
    finally:
        connection.disconnect()
    with pytest.raises(NetmikoAuthenticationException):
        connect(fresh, password='wrong')
    # A refused enable secret leaves the prompt at ">": netmiko's enable() waits for "#" and times out.
    with pytest.raises(netmiko.exceptions.ReadTimeout, match='#'):
        connect(fresh, secret='wrong-secret', read_timeout_override=2)
    assert fresh.journal.summary() == {'reads': 0, 'writes': 0}


def test_host_key_checking_accepts_the_known_key_and_rejects_another(fresh, tmp_path):
    known = tmp_path / 'known_hosts'
    known.write_text(fresh.known_hosts_line() + '\n')
    connection = connect(fresh, ssh_strict=True, system_host_keys=False, alt_host_keys=True, alt_key_file=str(known))
    connection.disconnect()
    other = paramiko.ECDSAKey.generate(bits=256)
    known.write_text('[127.0.0.1]:%d %s %s\n' % (fresh.ssh_port, other.get_name(), other.get_base64()))
    with pytest.raises(Exception) as raised:
        connect(fresh, ssh_strict=True, system_host_keys=False, alt_host_keys=True, alt_key_file=str(known))
    assert 'key' in str(raised.value).lower()


def test_pager_holds_output_until_a_key(fresh):
    """A client that does not send ``terminal pager 0`` sees ``<--- More --->`` (pager lines 24)."""
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect('127.0.0.1', port=fresh.ssh_port, username=fresh.username, password=fresh.password,
                   look_for_keys=False, allow_agent=False)
    try:
        shell = client.invoke_shell()

        def read_until(marker, seconds=5):
            data = ''
            deadline = time.time() + seconds
            while marker not in data and time.time() < deadline:
                if shell.recv_ready():
                    data += shell.recv(65535).decode()
                else:
                    time.sleep(0.02)
            return data

        read_until('asa-sim> ')
        shell.send('enable\n')
        assert 'Password: ' in read_until('Password: ')
        shell.send(fresh.enable_secret + '\n')
        echoed = read_until('asa-sim# ')
        assert fresh.enable_secret not in echoed and '*' * len(fresh.enable_secret) in echoed
        shell.send('show running-config\n')
        first = read_until('<--- More --->')
        assert '<--- More --->' in first and ': end' not in first
        shell.send(' ')
        rest = read_until('asa-sim# ')
        while '<--- More --->' in rest and 'asa-sim# ' not in rest:
            shell.send(' ')
            rest += read_until('asa-sim# ')
        assert 'access-group outside_access_in in interface outside' in first + rest
    finally:
        client.close()


def test_faults_session_drop_after_the_command_timeout_before_it_and_control_api(fresh):
    control = fresh.control()
    assert control.info()['vendor'] == 'cisco_asa'
    control.arm('session_drop', match='object network ts-drop')
    connection = connect(fresh, read_timeout_override=3)
    with pytest.raises(Exception):
        connection.send_config_set(['object network ts-drop', 'host 10.0.0.9'], error_pattern=ERROR_PATTERN)
    try:
        connection.disconnect()
    except Exception:  # pylint: disable=broad-except
        pass
    # The command ran before the drop: the object exists (without an address: the next line never came).
    assert 'ts-drop' in control.state()['objects']
    drop = [entry for entry in control.journal() if entry['fault'] == 'session_drop']
    assert drop and drop[0]['status'] == 0

    control.arm('timeout', match='access-list outside_access_in line 1', seconds=0.5)
    connection = connect(fresh, read_timeout_override=3)
    with pytest.raises(Exception):
        connection.send_config_set(['access-list outside_access_in line 1 remark never'], error_pattern=ERROR_PATTERN)
    assert 'remark never' not in control.state()['acls']['outside_access_in']
    with pytest.raises(Exception):
        control.arm('http_500')
    control.arm('slow', match='show access-list', seconds=1.0)
    connection = connect(fresh)
    try:
        started = time.time()
        assert 'elements' in connection.send_command('show access-list outside_access_in', read_timeout=10)
        assert time.time() - started >= 0.9
    finally:
        connection.disconnect()
    control.arm('auth', match='ssh:login')
    with pytest.raises(NetmikoAuthenticationException):
        connect(fresh)
    assert os.path.exists(fresh.host_key_path)
