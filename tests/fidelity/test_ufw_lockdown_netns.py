# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""roles/ufw_lockdown with the real ufw, in a sandbox that cannot touch this machine's firewall.

Every ufw call goes through extensions/molecule/ufw_lockdown/ufw-in-netns: ufw's files come from a
sandbox copy bind-mounted in a private mount namespace, its rules land in a network namespace made
here. The tests prove the sandbox holds (the host's rules and ufw files are byte-identical after an
``ufw enable``), then run the role with ansible-playbook, four steps per path (check mode, apply,
apply again, check mode again), asserting ``changed``, the checksums of every ufw file and the ufw
commands the role ran at each step. The guard tests (issue 9, items 18-22) run the role as if its
connection came over public SSH, over Tailscale, or locally, and prove it refuses before any write.

Needs root, the Debian packages ufw and iproute2, and permission to create namespaces; skipped,
with the reason, otherwise. docs/lockdown.md describes the approach, docs/security.md the guarantees.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid

import pytest

import ansible_collections.directpath.firewall as collection

ROOT = os.path.dirname(os.path.abspath(collection.__file__)) if getattr(collection, '__file__', None) else \
    list(collection.__path__)[0]
COLLECTIONS_PATH = os.path.dirname(os.path.dirname(os.path.dirname(ROOT)))
WRAPPER = os.path.join(ROOT, 'extensions', 'molecule', 'ufw_lockdown', 'ufw-in-netns')
# Everything ufw 0.36.2 reads or writes: its configuration directory, its defaults, its state directory
# (user*.rules live in /etc/ufw on Debian and in /lib/ufw on some older Ubuntu packages).
HOST_FILE_PATTERNS = ['/etc/ufw/**', '/etc/default/ufw', '/lib/ufw/**']
# ufw commands that only read; anything else the role runs is a write.
READ_COMMANDS = (['status'], ['status', 'verbose'], ['show', 'added'])
PUBLIC_SSH = '203.0.113.5 51234 198.51.100.10 22'
TAILSCALE_SSH = '100.90.1.2 51234 100.101.2.3 22'


def _missing():
    if os.geteuid() != 0:
        return 'needs root (mount and network namespaces)'
    for tool in ('ufw', 'ip', 'iptables', 'unshare', 'ss'):
        if shutil.which(tool) is None and not os.path.exists('/usr/sbin/' + tool):
            return 'needs %s (apt-get install ufw iproute2)' % tool
    probe = subprocess.run(['unshare', '--mount', '--net', 'true'], capture_output=True, check=False)
    if probe.returncode != 0:
        return 'cannot create namespaces here: %s' % probe.stderr.decode().strip()
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or '')


def _digests(paths):
    digests = {}
    for path in sorted(paths):
        if os.path.isfile(path):
            with open(path, 'rb') as handle:
                digests[path] = hashlib.sha256(handle.read()).hexdigest()
    return digests


def host_snapshot():
    """The host's packet filter and the checksum of every ufw file on the host."""
    rules = subprocess.run(['iptables', '-S'], capture_output=True, text=True, check=True).stdout
    rules += subprocess.run(['ip6tables', '-S'], capture_output=True, text=True, check=True).stdout
    paths = [path for pattern in HOST_FILE_PATTERNS for path in glob.glob(pattern, recursive=True)]
    return rules, _digests(paths)


def sandbox_files(box):
    """Checksum of every file of the sandboxed ufw (its /etc/ufw, with any backup ufw made, and /etc/default/ufw)."""
    paths = glob.glob(str(box['dir'] / 'etc-ufw' / '**'), recursive=True) + [str(box['dir'] / 'default-ufw')]
    return _digests(paths)


def netns_rules(box):
    return subprocess.run(['ip', 'netns', 'exec', box['netns'], 'iptables', '-S'],
                          capture_output=True, text=True, check=True).stdout.splitlines()


@pytest.fixture
def sandbox(tmp_path):
    """A copy of ufw's files (incoming allowed, public SSH allowed, inactive) and a network namespace."""
    base = tmp_path / 'ufw-sandbox'
    base.mkdir()
    subprocess.run(['cp', '-a', '/etc/ufw', str(base / 'etc-ufw')], check=True)
    (base / 'sysctl-empty.conf').write_text('')
    with open('/etc/default/ufw') as handle:
        defaults = handle.read().splitlines()
    override = {'IPT_SYSCTL': str(base / 'sysctl-empty.conf'), 'DEFAULT_INPUT_POLICY': '"ACCEPT"'}
    lines = [line for line in defaults if line.split('=', 1)[0] not in override]
    lines += ['%s=%s' % item for item in override.items()]
    (base / 'default-ufw').write_text('\n'.join(lines) + '\n')
    netns = 'dp-ufw-test-%s' % uuid.uuid4().hex[:8]
    subprocess.run(['ip', 'netns', 'add', netns], check=True)
    env = dict(os.environ, UFW_SANDBOX_DIR=str(base), UFW_SANDBOX_NETNS=netns)
    # The role's ufw command: log every call (to see what ran, and in which order), then the wrapper.
    log = tmp_path / 'ufw-calls.log'
    logged = tmp_path / 'ufw-logged'
    logged.write_text('#!/bin/sh\nprintf "%%s\\n" "$*" >> %s\nexec env UFW_SANDBOX_DIR=%s UFW_SANDBOX_NETNS=%s %s "$@"\n'
                      % (log, base, netns, WRAPPER))
    logged.chmod(0o755)
    box = {'dir': base, 'netns': netns, 'env': env, 'log': log, 'command': [str(logged)], 'daemons': [], 'cleanup': []}
    try:
        ufw(box, 'allow', '22/tcp')
        yield box
    finally:
        for daemon in box['daemons']:
            daemon.kill()
            daemon.wait()
        for command in box['cleanup']:
            subprocess.run(command, check=False)
        subprocess.run(['ip', 'netns', 'delete', netns], check=False)


def ufw(box, *args):
    result = subprocess.run([WRAPPER] + list(args), env=box['env'], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def make_active(box, incoming='allow'):
    """A server on which someone already enabled ufw (default incoming policy as given, public SSH allowed)."""
    ufw(box, 'default', incoming, 'incoming')
    assert 'active' in ufw(box, '--force', 'enable')


def fake_sshd(box, tmp_path, port):
    """A process named sshd listening on TCP ``port`` inside the sandbox's network namespace."""
    name = tmp_path / 'sshd'
    if not name.exists():
        name.symlink_to(os.path.realpath(sys.executable))
    code = ('import socket, time\n'
            's = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n'
            's.bind(("0.0.0.0", %d)); s.listen()\n'
            'time.sleep(600)\n' % port)
    daemon = subprocess.Popen(['ip', 'netns', 'exec', box['netns'], str(name), '-c', code])
    box['daemons'].append(daemon)
    for _attempt in range(50):
        listening = subprocess.run(['ip', 'netns', 'exec', box['netns'], 'ss', '-Hltnp'],
                                   capture_output=True, text=True, check=True).stdout
        if ':%d ' % port in listening and '"sshd"' in listening:
            return
        time.sleep(0.1)
    raise AssertionError('fake sshd did not listen: %s' % listening)


def wire_client(box):
    """A client network namespace wired to the sandbox's: a public link (client 198.51.100.5, node 198.51.100.10)
    and a link named tailscale0 on the node (client 100.90.1.2, node 100.101.2.3). The host's interfaces are untouched."""
    client = box['netns'] + '-c'
    subprocess.run(['ip', 'netns', 'add', client], check=True)
    box['cleanup'].append(['ip', 'netns', 'delete', client])
    links = [('pub-c', 'pub-n', '198.51.100.5/24', '198.51.100.10/24'),
             ('ts-c', 'tailscale0', '100.90.1.2/10', '100.101.2.3/10')]
    for client_end, node_end, client_address, node_address in links:
        subprocess.run(['ip', '-n', client, 'link', 'add', client_end, 'type', 'veth', 'peer', 'name', node_end,
                        'netns', box['netns']], check=True)
        subprocess.run(['ip', '-n', client, 'addr', 'add', client_address, 'dev', client_end], check=True)
        subprocess.run(['ip', '-n', box['netns'], 'addr', 'add', node_address, 'dev', node_end], check=True)
        subprocess.run(['ip', '-n', client, 'link', 'set', client_end, 'up'], check=True)
        subprocess.run(['ip', '-n', box['netns'], 'link', 'set', node_end, 'up'], check=True)
    for namespace in (client, box['netns']):
        subprocess.run(['ip', '-n', namespace, 'link', 'set', 'lo', 'up'], check=True)
    return client


def connects(client, address, port):
    """Whether a TCP connection from the client namespace to ``address``:``port`` is accepted."""
    code = ('import socket, sys\n'
            'try:\n    socket.create_connection((%r, %d), timeout=2).close()\n'
            'except OSError:\n    sys.exit(1)\n' % (address, port))
    return subprocess.run(['ip', 'netns', 'exec', client, sys.executable, '-c', code], check=False).returncode == 0


class Run:
    """One ansible-playbook run of the role: rc, recap stats, output, the ufw commands it ran."""

    def __init__(self, rc, stats, output, commands):
        self.rc, self.stats, self.output, self.commands = rc, stats, output, commands

    @property
    def writes(self):
        return [command for command in self.commands if command.split() not in [list(read) for read in READ_COMMANDS]]

    def index(self, command):
        assert command in self.writes, (command, self.writes)
        return self.writes.index(command)


def run_role(box, tmp_path, check=False, connection='local', ssh_connection=None, extra=None):
    """ansible-playbook on localhost with the role, ufw pointed at the sandbox.

    connection='local': ansible_connection local (the role treats it as a local connection).
    connection='ssh': a connection the role treats like SSH to a node (ansible.legacy.local, which it does
    not call "local"); ``ssh_connection`` is then the node's SSH_CONNECTION (None: not set).
    """
    variables = {
        'ufw_lockdown_command': box['command'],
        'ufw_lockdown_defaults_file': str(box['dir'] / 'default-ufw'),
        'ufw_lockdown_ss_command': ['ip', 'netns', 'exec', box['netns'], 'ss'],
        'ufw_lockdown_local_connection_is_tailscale': connection == 'local',
        'ansible_python_interpreter': sys.executable,
    }
    play = {'hosts': 'localhost', 'gather_facts': False, 'roles': ['directpath.firewall.ufw_lockdown']}
    if connection == 'ssh':
        variables['ansible_connection'] = 'ansible.legacy.local'
        variables['ufw_lockdown_local_connection_is_tailscale'] = False
        if ssh_connection:
            play['environment'] = {'SSH_CONNECTION': ssh_connection}
    variables.update(extra or {})
    playbook = tmp_path / 'lockdown.yml'
    playbook.write_text(json.dumps([play]))
    (tmp_path / 'vars.json').write_text(json.dumps(variables))
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', '-c', 'local',
               '-e', '@%s' % (tmp_path / 'vars.json'), str(playbook)]
    if check:
        command.append('--check')
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_PATH, ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0')
    env.pop('SSH_CONNECTION', None)
    if box['log'].exists():
        box['log'].unlink()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=300)
    recap = re.search(r'^localhost\s+:\s+(.*)$', result.stdout, re.MULTILINE)
    stats = dict((key, int(value)) for key, value in re.findall(r'(\w+)=(\d+)', recap.group(1))) if recap else {}
    commands = box['log'].read_text().splitlines() if box['log'].exists() else []
    return Run(result.returncode, stats, result.stdout + result.stderr, commands)


def assert_refused_untouched(box, run, before, *messages):
    """The role failed with ``messages`` before running any ufw write; ufw's files are byte-identical."""
    assert run.rc != 0, run.output
    for message in messages:
        assert message in run.output, run.output
    assert run.writes == [], run.writes
    assert sandbox_files(box) == before


def four_steps(box, tmp_path, **connection):
    """check mode -> apply -> apply again -> check mode again; returns the apply run. Asserts at each step."""
    files = sandbox_files(box)
    check = run_role(box, tmp_path, check=True, **connection)
    assert check.rc == 0, check.output
    assert check.stats['changed'] > 0
    assert check.writes == []
    assert sandbox_files(box) == files
    assert 'would run: ufw allow in on tailscale0' in check.output

    apply = run_role(box, tmp_path, **connection)
    assert apply.rc == 0, apply.output
    assert apply.stats['changed'] > 0
    assert sandbox_files(box) != files
    status = ufw(box, 'status', 'verbose')
    assert 'Status: active' in status and 'Default: deny (incoming), allow (outgoing)' in status
    assert 'Anywhere on tailscale0' in status and '22/tcp' not in status
    assert '-P INPUT DROP' in netns_rules(box)
    assert '-A ufw-user-input -i tailscale0 -j ACCEPT' in netns_rules(box)
    files = sandbox_files(box)

    again = run_role(box, tmp_path, **connection)
    assert again.rc == 0, again.output
    assert again.stats['changed'] == 0
    assert again.writes == []
    assert sandbox_files(box) == files

    check = run_role(box, tmp_path, check=True, **connection)
    assert check.rc == 0, check.output
    assert check.stats['changed'] == 0
    assert check.writes == []
    assert sandbox_files(box) == files
    return apply


def assert_allow_first_deny_last(apply):
    """The tailscale0 allow rule is the first write; deny incoming and the public SSH removal come after it."""
    assert apply.writes[0] == 'allow in on tailscale0', apply.writes
    assert apply.index('default deny incoming') > apply.index('allow in on tailscale0')
    assert apply.index('delete allow 22/tcp') > apply.index('default deny incoming')
    if '--force enable' in apply.writes:
        assert apply.index('--force enable') < apply.index('default deny incoming')


def test_wrapper_refuses_without_sandbox_or_namespace(tmp_path):
    env = dict(os.environ, UFW_SANDBOX_DIR=str(tmp_path), UFW_SANDBOX_NETNS='no-such-ns-%s' % uuid.uuid4().hex[:6])
    result = subprocess.run([WRAPPER, 'status'], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 90 and 'no sandbox' in result.stderr
    (tmp_path / 'etc-ufw').mkdir()
    (tmp_path / 'default-ufw').write_text('')
    result = subprocess.run([WRAPPER, 'status'], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 91 and 'no network namespace' in result.stderr


def test_enable_in_the_sandbox_leaves_the_host_alone(sandbox):
    before = host_snapshot()
    ufw(sandbox, 'default', 'deny', 'incoming')
    ufw(sandbox, 'allow', 'in', 'on', 'tailscale0')
    assert 'active' in ufw(sandbox, '--force', 'enable')
    inside = netns_rules(sandbox)
    assert '-P INPUT DROP' in inside
    assert '-A ufw-user-input -i tailscale0 -j ACCEPT' in inside
    assert host_snapshot() == before


def test_ufw_dry_run_is_not_dry(sandbox):
    """Why the role never runs ufw --dry-run: ufw 0.36.2's set_enabled() writes ENABLED=yes to ufw.conf anyway,
    and reset moves the rules files aside whatever the flag says."""
    before = sandbox_files(sandbox)
    ufw(sandbox, '--dry-run', '--force', 'enable')
    assert 'ENABLED=yes' in (sandbox['dir'] / 'etc-ufw' / 'ufw.conf').read_text()
    assert sandbox_files(sandbox) != before
    before = sandbox_files(sandbox)
    ufw(sandbox, '--dry-run', '--force', 'reset')
    after = sandbox_files(sandbox)
    assert set(after) - set(before), 'reset --dry-run made no backup copy'
    assert 'ufw allow 22/tcp' not in ufw(sandbox, 'show', 'added')


def test_four_steps_inactive_ufw_local_connection_with_override(sandbox, tmp_path):
    before_host = host_snapshot()
    apply = four_steps(sandbox, tmp_path, connection='local')
    assert_allow_first_deny_last(apply)
    assert host_snapshot() == before_host


def test_four_steps_inactive_ufw_over_tailscale_ipv6(sandbox, tmp_path):
    apply = four_steps(sandbox, tmp_path, connection='ssh',
                       ssh_connection='fd7a:115c:a1e0::9 40000 fd7a:115c:a1e0::1101:203 22')
    assert_allow_first_deny_last(apply)


def test_four_steps_active_ufw_over_tailscale(sandbox, tmp_path):
    """Item 19: on a ufw that is already active, tailscale0 is allowed before deny incoming goes live."""
    make_active(sandbox)
    apply = four_steps(sandbox, tmp_path, connection='ssh', ssh_connection=TAILSCALE_SSH)
    assert_allow_first_deny_last(apply)
    assert '--force enable' not in apply.writes


def test_check_mode_on_inactive_ufw_writes_no_file(sandbox, tmp_path):
    """Item 22: an audit of a node whose ufw is off must not turn it on at the next boot."""
    before, before_host = sandbox_files(sandbox), host_snapshot()
    run = run_role(sandbox, tmp_path, check=True)
    assert run.rc == 0, run.output
    assert run.writes == []
    assert sandbox_files(sandbox) == before
    assert 'ENABLED=no' in (sandbox['dir'] / 'etc-ufw' / 'ufw.conf').read_text()
    assert 'would run: ufw --force enable' in run.output
    assert host_snapshot() == before_host


def test_check_mode_on_active_ufw_writes_no_file(sandbox, tmp_path):
    make_active(sandbox)
    before, rules = sandbox_files(sandbox), netns_rules(sandbox)
    run = run_role(sandbox, tmp_path, check=True, connection='ssh', ssh_connection=TAILSCALE_SSH)
    assert run.rc == 0, run.output
    assert run.writes == []
    assert sandbox_files(sandbox) == before and netns_rules(sandbox) == rules
    assert 'would run: ufw default deny incoming' in run.output


def test_active_ufw_public_connection_without_ssh_rule_is_refused(sandbox, tmp_path):
    """Item 18: ufw already active (allow incoming), no rule keeps the public SSH port open: no live deny."""
    make_active(sandbox)
    ufw(sandbox, 'delete', 'allow', '22/tcp')
    before, rules = sandbox_files(sandbox), netns_rules(sandbox)
    for check in (True, False):
        run = run_role(sandbox, tmp_path, check=check, connection='ssh', ssh_connection=PUBLIC_SSH)
        assert_refused_untouched(sandbox, run, before, 'Refusing to deny incoming traffic',
                                 '198.51.100.10 port 22 (from SSH_CONNECTION)')
    assert netns_rules(sandbox) == rules
    assert '-P INPUT ACCEPT' in rules


def test_active_ufw_public_connection_with_ssh_rule_kept(sandbox, tmp_path):
    """Item 18, the allowed case: public SSH kept by a rule, ufw_lockdown_remove_public_ssh false: deny goes live."""
    make_active(sandbox)
    run = run_role(sandbox, tmp_path, connection='ssh', ssh_connection=PUBLIC_SSH,
                   extra={'ufw_lockdown_remove_public_ssh': False})
    assert run.rc == 0, run.output
    assert run.writes[0] == 'allow in on tailscale0'
    status = ufw(sandbox, 'status', 'verbose')
    assert 'Default: deny (incoming)' in status and '22/tcp' in status


def test_stale_port_22_rule_does_not_keep_sshd_on_2222(sandbox, tmp_path):
    """Item 20: the guard checks the port the connection uses (SSH_CONNECTION says 2222), not rule names."""
    before = sandbox_files(sandbox)
    run = run_role(sandbox, tmp_path, connection='ssh', ssh_connection='203.0.113.5 51234 198.51.100.10 2222',
                   extra={'ufw_lockdown_remove_public_ssh': False})
    assert_refused_untouched(sandbox, run, before, 'Refusing to deny incoming traffic',
                             '198.51.100.10 port 2222 (from SSH_CONNECTION)')
    assert ufw(sandbox, 'status') == 'Status: inactive\n'

    ufw(sandbox, 'allow', '2000:3000/tcp')
    run = run_role(sandbox, tmp_path, connection='ssh', ssh_connection='203.0.113.5 51234 198.51.100.10 2222',
                   extra={'ufw_lockdown_remove_public_ssh': False})
    assert run.rc == 0, run.output
    assert 'Status: active' in ufw(sandbox, 'status')
    assert '-A ufw-user-input -p tcp -m multiport --dports 2000:3000 -j ACCEPT' in netns_rules(sandbox)


def test_without_ssh_connection_the_guard_reads_sshds_listening_ports(sandbox, tmp_path):
    """Item 20: no SSH_CONNECTION on the node: the ports sshd listens on must stay open."""
    before = sandbox_files(sandbox)
    run = run_role(sandbox, tmp_path, connection='ssh', extra={'ufw_lockdown_remove_public_ssh': False})
    assert_refused_untouched(sandbox, run, before, 'Refusing to deny incoming traffic',
                             'cannot tell which port')

    fake_sshd(sandbox, tmp_path, 2222)
    run = run_role(sandbox, tmp_path, connection='ssh', extra={'ufw_lockdown_remove_public_ssh': False})
    assert_refused_untouched(sandbox, run, before, 'Refusing to deny incoming traffic',
                             'port 2222 (from sshd listening ports)')

    ufw(sandbox, 'allow', '2222')
    run = run_role(sandbox, tmp_path, connection='ssh', extra={'ufw_lockdown_remove_public_ssh': False})
    assert run.rc == 0, run.output
    assert 'Status: active' in ufw(sandbox, 'status')


def test_local_connection_without_override_is_refused(sandbox, tmp_path):
    """Item 21: a local connection proves nothing; without the override the role changes nothing."""
    before = sandbox_files(sandbox)
    for check in (True, False):
        run = run_role(sandbox, tmp_path, check=check, connection='local',
                       extra={'ufw_lockdown_local_connection_is_tailscale': False, 'ufw_lockdown_remove_public_ssh': False})
        assert_refused_untouched(sandbox, run, before, 'Refusing to deny incoming traffic', 'local connection',
                                 'ufw_lockdown_local_connection_is_tailscale')
    assert ufw(sandbox, 'status') == 'Status: inactive\n'


def test_role_refuses_to_drop_public_ssh_over_a_public_address(sandbox, tmp_path):
    before = sandbox_files(sandbox)
    run = run_role(sandbox, tmp_path, connection='ssh', ssh_connection='203.0.113.5 51234 198.51.100.10 22')
    assert_refused_untouched(sandbox, run, before, 'Refusing to remove the public SSH rule(s) allow 22/tcp',
                             '198.51.100.10 (from SSH_CONNECTION)')
    assert ufw(sandbox, 'status') == 'Status: inactive\n'
    assert 'ufw allow 22/tcp' in ufw(sandbox, 'show', 'added')


def test_what_the_guard_accepts_the_packet_filter_admits(sandbox, tmp_path):
    """Item 20, end to end: real TCP connections from a client namespace. sshd on 2222 and a stale allow 22/tcp:
    refused, 2222 still reachable. With allow 2222/tcp the lock-down goes live: 2222 stays reachable on the
    public address, another port is cut there and reachable over tailscale0."""
    client = wire_client(sandbox)
    fake_sshd(sandbox, tmp_path, 2222)
    fake_sshd(sandbox, tmp_path, 8080)
    assert connects(client, '198.51.100.10', 2222) and connects(client, '198.51.100.10', 8080)
    connection = '198.51.100.5 51234 198.51.100.10 2222'

    run = run_role(sandbox, tmp_path, connection='ssh', ssh_connection=connection,
                   extra={'ufw_lockdown_remove_public_ssh': False})
    assert run.rc != 0 and 'TCP port(s) 2222' in run.output, run.output
    assert connects(client, '198.51.100.10', 2222)

    ufw(sandbox, 'allow', '2222/tcp')
    run = run_role(sandbox, tmp_path, connection='ssh', ssh_connection=connection,
                   extra={'ufw_lockdown_remove_public_ssh': False})
    assert run.rc == 0, run.output
    assert 'Status: active' in ufw(sandbox, 'status')
    assert connects(client, '198.51.100.10', 2222)
    assert not connects(client, '198.51.100.10', 8080)
    assert connects(client, '100.101.2.3', 8080)
