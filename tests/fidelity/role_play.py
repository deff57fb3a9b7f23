# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run one role of the collection with a real ansible-playbook at -vvv --diff, for the "no secret in
the output" tests: one inventory host on loopback, the collection from the copy the tests run in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

__all__ = ['run_role_vvv']

# tests/fidelity/role_play.py -> the directory that holds ansible_collections/.
COLLECTIONS = Path(__file__).resolve().parents[5]


def run_role_vvv(tmp_path, role, hostvars, *extra, host='fw'):
    """``ansible-playbook -vvv --diff`` of role ``role`` on ``host`` with ``hostvars``; extra arguments
    (``--check``) follow. Returns the CompletedProcess (stdout and stderr as text)."""
    variables = dict(ansible_host='127.0.0.1', ansible_python_interpreter=sys.executable)
    variables.update(hostvars)
    inventory = tmp_path / 'inventory.yml'
    inventory.write_text(yaml.safe_dump({'all': {'hosts': {host: variables}}}, default_flow_style=False))
    playbook = tmp_path / 'play.yml'
    playbook.write_text('- hosts: %s\n  gather_facts: false\n  roles:\n    - role: directpath.firewall.%s\n' % (host, role))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS), ANSIBLE_NOCOLOR='1',
               ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')]
    return subprocess.run(command + ['-vvv', '--diff', '-i', str(inventory), str(playbook)] + list(extra),
                          env=env, capture_output=True, text=True, timeout=300, check=False)
