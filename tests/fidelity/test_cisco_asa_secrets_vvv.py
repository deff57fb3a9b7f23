# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Cisco ASA password and enable secret never reach ansible-playbook's output, even at -vvv.

A real ansible-playbook run (role directpath.firewall.cisco_asa, diff mode, check mode then apply,
then a run whose change the ASA refuses and the module undoes) against the SSH simulator; its whole
output is searched for both secrets. The refusal quotes both secrets back, as a device's error text
might: they must arrive masked.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip('netmiko')

from ansible_collections.directpath.firewall.tests.simulators.cisco_asa import CiscoAsaSimulator  # noqa: E402  pylint: disable=wrong-import-position

COLLECTIONS = Path(__file__).resolve().parents[5]
PASSWORD = 'Sekr1t-ASA-Passw0rd'
ENABLE = 'Sekr1t-ASA-En4ble'

PLAYBOOK = """
- hosts: asa
  gather_facts: false
  roles:
    - role: directpath.firewall.cisco_asa
"""


def _playbook(tmp_path, sim, hosts, *extra):
    inventory = tmp_path / 'inventory.yml'
    inventory.write_text(
        'all:\n  hosts:\n    asa:\n'
        '      ansible_host: 127.0.0.1\n'
        '      ansible_python_interpreter: %s\n'
        '      cisco_asa_port: %d\n      cisco_asa_username: admin\n      cisco_asa_password: %s\n'
        '      cisco_asa_enable_secret: %s\n      cisco_asa_host_key: "%s"\n'
        '      cisco_asa_acl: outside_access_in\n      directpath_tailscale_hosts: [%s]\n'
        % (sys.executable, sim.ssh_port, PASSWORD, ENABLE, sim.host_key_line, hosts))
    playbook = tmp_path / 'play.yml'
    playbook.write_text(PLAYBOOK)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS), ANSIBLE_NOCOLOR='1',
               ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')]
    return subprocess.run(command + ['-vvv', '--diff', '-i', str(inventory), str(playbook)] + list(extra),
                          env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def sim(tmp_path):
    simulator = CiscoAsaSimulator(tmp_path / 'asa', password=PASSWORD, enable_secret=ENABLE).start()
    yield simulator
    simulator.stop()


def test_password_and_enable_secret_never_appear_at_vvv(tmp_path, sim):
    outputs = []
    for extra in (['--check'], []):
        run = _playbook(tmp_path, sim, '10.0.0.5', *extra)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        outputs.append(run.stdout + run.stderr)
    before = sim.snapshot()
    sim.faults.arm('api_error', match='directpath-ts-10.0.0.6', message='ERROR: %s %s rejected' % (PASSWORD, ENABLE))
    run = _playbook(tmp_path, sim, '10.0.0.5, 10.0.0.6')
    assert run.returncode != 0
    outputs.append(run.stdout + run.stderr)
    assert sim.snapshot() == before   # undone
    text = '\n'.join(outputs)
    assert 'directpath-ts-10.0.0.5 eq 41641' in text   # the runs really did the work
    assert 'rejected' in text                            # the device's error text was shown, masked
    assert PASSWORD not in text
    assert ENABLE not in text
