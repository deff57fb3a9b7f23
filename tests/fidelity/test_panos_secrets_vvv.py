# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The PAN-OS password and the API key generated from it never reach ansible-playbook's output, even at -vvv.

A real ansible-playbook run (role directpath.firewall.panos, diff mode, check mode then apply, then a
failing run) against the PAN-OS simulator; its whole output is searched for both secrets.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ansible_collections.directpath.firewall.tests.simulators.panos import PanosSimulator

COLLECTIONS = Path(__file__).resolve().parents[5]
PASSWORD = 'Sekr1t-PanOS-Passw0rd'

PLAYBOOK = """
- hosts: fw
  gather_facts: false
  roles:
    - role: directpath.firewall.panos
"""


def _playbook(tmp_path, sim, *extra):
    inventory = tmp_path / 'inventory.yml'
    inventory.write_text(
        'all:\n  hosts:\n    fw:\n'
        '      ansible_host: 127.0.0.1\n'
        '      ansible_python_interpreter: %s\n'
        '      panos_port: %d\n      panos_username: admin\n      panos_password: %s\n'
        '      panos_ca_path: %s\n      panos_nat_rules: [lan-out]\n' % (sys.executable, sim.port, PASSWORD, sim.ca_path))
    playbook = tmp_path / 'play.yml'
    playbook.write_text(PLAYBOOK)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS), ANSIBLE_NOCOLOR='1',
               ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')]
    return subprocess.run(command + ['-vvv', '--diff', '-i', str(inventory), str(playbook)] + list(extra),
                          env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def sim(tmp_path):
    simulator = PanosSimulator(tmp_path / 'panos', password=PASSWORD).start()
    yield simulator
    simulator.stop()


def test_password_and_generated_key_never_appear_at_vvv(tmp_path, sim):
    key = sim.api_key
    outputs = []
    for extra in (['--check'], []):
        run = _playbook(tmp_path, sim, *extra)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        outputs.append(run.stdout + run.stderr)
    # A failing run too: the commit fails, so the error path's messages are searched as well.
    sim.control().set_state(reset=True)
    sim.control().arm('commit_fail')
    run = _playbook(tmp_path, sim)
    assert run.returncode != 0
    outputs.append(run.stdout + run.stderr)
    text = '\n'.join(outputs)
    assert 'persistent-dynamic-ip-and-port' in text  # the runs really did the work
    assert PASSWORD not in text
    assert key not in text
