# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""roles/ufw_lockdown with the real ufw, in a sandbox that cannot touch this machine's firewall.

Every ufw call goes through extensions/molecule/ufw_lockdown/ufw-in-netns: ufw's files come from a
sandbox copy bind-mounted in a private mount namespace, its rules land in a network namespace made
here. The tests prove the sandbox holds (the host's rules and ufw files are byte-identical after an
``ufw enable``), then run the role with ansible-playbook: check mode changes nothing, a run locks the
sandbox down, a second run changes nothing, and a public SSH connection is refused.

Needs root, the Debian packages ufw and iproute2, and permission to create namespaces; skipped,
with the reason, otherwise. docs/lockdown.md describes the approach.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import uuid

import pytest

import ansible_collections.directpath.firewall as collection

ROOT = os.path.dirname(os.path.abspath(collection.__file__)) if getattr(collection, '__file__', None) else \
    list(collection.__path__)[0]
COLLECTIONS_PATH = os.path.dirname(os.path.dirname(os.path.dirname(ROOT)))
WRAPPER = os.path.join(ROOT, 'extensions', 'molecule', 'ufw_lockdown', 'ufw-in-netns')
HOST_FILES = ['/etc/ufw/user.rules', '/etc/ufw/user6.rules', '/etc/ufw/ufw.conf', '/etc/default/ufw']


def _missing():
    if os.geteuid() != 0:
        return 'needs root (mount and network namespaces)'
    for tool in ('ufw', 'ip', 'iptables', 'unshare'):
        if shutil.which(tool) is None and not os.path.exists('/usr/sbin/' + tool):
            return 'needs %s (apt-get install ufw iproute2)' % tool
    probe = subprocess.run(['unshare', '--mount', '--net', 'true'], capture_output=True, check=False)
    if probe.returncode != 0:
        return 'cannot create namespaces here: %s' % probe.stderr.decode().strip()
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or '')


def host_snapshot():
    rules = subprocess.run(['iptables', '-S'], capture_output=True, text=True, check=True).stdout
    rules += subprocess.run(['ip6tables', '-S'], capture_output=True, text=True, check=True).stdout
    digests = {}
    for path in HOST_FILES:
        with open(path, 'rb') as handle:
            digests[path] = hashlib.sha256(handle.read()).hexdigest()
    return rules, digests


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
    box = {'dir': base, 'netns': netns, 'env': env}
    try:
        ufw(box, 'allow', '22/tcp')
        yield box
    finally:
        subprocess.run(['ip', 'netns', 'delete', netns], check=False)


def ufw(box, *args):
    result = subprocess.run([WRAPPER] + list(args), env=box['env'], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def run_role(box, tmp_path, check=False, ssh_connection=None, extra=None):
    """ansible-playbook on localhost with the role, ufw pointed at the wrapper; returns (rc, stats, stdout)."""
    variables = {
        'ufw_lockdown_command': ['env', 'UFW_SANDBOX_DIR=%s' % box['dir'], 'UFW_SANDBOX_NETNS=%s' % box['netns'], WRAPPER],
        'ufw_lockdown_defaults_file': str(box['dir'] / 'default-ufw'),
        'ufw_lockdown_local_connection_is_tailscale': True,
        'ansible_python_interpreter': sys.executable,
    }
    variables.update(extra or {})
    playbook = tmp_path / 'lockdown.yml'
    play = {'hosts': 'localhost', 'gather_facts': False, 'roles': ['directpath.firewall.ufw_lockdown']}
    if ssh_connection:
        # A local connection the role does not call "local": it reads SSH_CONNECTION like on a node.
        variables['ansible_connection'] = 'ansible.legacy.local'
        variables['ufw_lockdown_local_connection_is_tailscale'] = False
        play['environment'] = {'SSH_CONNECTION': ssh_connection}
    playbook.write_text(json.dumps([play]))
    (tmp_path / 'vars.json').write_text(json.dumps(variables))
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', '-c', 'local',
               '-e', '@%s' % (tmp_path / 'vars.json'), str(playbook)]
    if check:
        command.append('--check')
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_PATH, ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0')
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=300)
    recap = re.search(r'^localhost\s+:\s+(.*)$', result.stdout, re.MULTILINE)
    stats = dict((key, int(value)) for key, value in re.findall(r'(\w+)=(\d+)', recap.group(1))) if recap else {}
    return result.returncode, stats, result.stdout + result.stderr


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
    inside = subprocess.run(['ip', 'netns', 'exec', sandbox['netns'], 'iptables', '-S'],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    assert '-P INPUT DROP' in inside
    assert '-A ufw-user-input -i tailscale0 -j ACCEPT' in inside
    assert host_snapshot() == before


def test_role_check_mode_then_run_then_idempotent(sandbox, tmp_path):
    before_host = host_snapshot()
    before_status = ufw(sandbox, 'status', 'verbose')
    rc, stats, output = run_role(sandbox, tmp_path, check=True)
    assert rc == 0, output
    assert ufw(sandbox, 'status', 'verbose') == before_status == 'Status: inactive\n'
    assert 'ufw allow 22/tcp' in ufw(sandbox, 'show', 'added')

    rc, stats, output = run_role(sandbox, tmp_path)
    assert rc == 0, output
    assert stats['changed'] == 3  # tasks: defaults + tailscale0 rule (one loop), enable, delete 22/tcp
    status = ufw(sandbox, 'status', 'verbose')
    assert 'Status: active' in status and 'Default: deny (incoming), allow (outgoing)' in status
    assert 'Anywhere on tailscale0' in status and '22/tcp' not in status

    rc, stats, output = run_role(sandbox, tmp_path)
    assert rc == 0, output
    assert stats['changed'] == 0
    assert host_snapshot() == before_host


def test_role_refuses_to_drop_public_ssh_over_a_public_address(sandbox, tmp_path):
    rc, stats, output = run_role(sandbox, tmp_path, ssh_connection='203.0.113.5 51234 198.51.100.10 22')
    assert rc != 0
    assert 'Refusing to remove the public SSH rule(s) allow 22/tcp' in output
    assert '198.51.100.10 (from SSH_CONNECTION)' in output
    assert ufw(sandbox, 'status') == 'Status: inactive\n'
    assert 'ufw allow 22/tcp' in ufw(sandbox, 'show', 'added')


def test_role_over_tailscale_ipv6_removes_public_ssh(sandbox, tmp_path):
    rc, stats, output = run_role(sandbox, tmp_path, ssh_connection='fd7a:115c:a1e0::9 40000 fd7a:115c:a1e0::1101:203 22')
    assert rc == 0, output
    assert 'ufw allow 22/tcp' not in ufw(sandbox, 'show', 'added')
