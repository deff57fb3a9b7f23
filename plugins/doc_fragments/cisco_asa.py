# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):
    """Connection options of every Cisco ASA module (mirrors ASA_CONNECTION_SPEC in module_utils/clients/cisco_asa.py)."""

    DOCUMENTATION = r'''
options:
  host:
    description:
      - Hostname or IP address of the ASA interface that accepts SSH management connections.
      - If not set, the environment variable E(CISCO_ASA_HOST) is used.
    type: str
    required: true
  port:
    description: SSH port of the ASA.
    type: int
    default: 22
  username:
    description:
      - Administrator to log in with (C(aaa authentication ssh console LOCAL) or a AAA server).
      - If not set, the environment variable E(CISCO_ASA_USERNAME) is used.
    type: str
    required: true
  password:
    description:
      - Password of O(username).
      - If not set, the environment variable E(CISCO_ASA_PASSWORD) is used.
    type: str
    required: true
  enable_secret:
    description:
      - Enable password, to reach privileged EXEC mode with C(enable).
      - Without it the module uses the ASA's C(login) command with O(username) and O(password), which reaches
        privilege 15 only if that user has it.
      - If not set, the environment variable E(CISCO_ASA_ENABLE_SECRET) is used.
    type: str
  host_key_checking:
    description:
      - Verify the ASA's SSH host key against O(host_key) or O(known_hosts). An unknown or different key fails the
        module with cause C(tls) before anything is sent. Turn off only for lab devices.
    type: bool
    default: true
  host_key:
    description:
      - The ASA's SSH host key as C(ssh-keyscan) prints it after the host name, for example
        C(ecdsa-sha2-nistp256 AAAAE2Vj...). Read it on the ASA console with C(show crypto key mypubkey) or
        compare the fingerprint with C(show ssh fingerprint) before trusting it.
      - Mutually exclusive with O(known_hosts). Without either, the controller user's C(~/.ssh/known_hosts) is used.
    type: str
  known_hosts:
    description:
      - An OpenSSH C(known_hosts) file that holds the ASA's host key (as C([host]:port) for a port other than 22).
    type: path
  timeout:
    description: Seconds to wait for the SSH connection, the login and each command's answer.
    type: int
    default: 30
requirements:
  - netmiko >= 4.0 (Python library C(netmiko), which installs C(paramiko))
notes:
  - "Runs on the controller (use C(delegate_to: localhost)); the ASA is reached over SSH with netmiko's C(cisco_asa) driver."
  - Single-context mode, or the context the login lands in. Multiple-context C(changeto) is not used.
  - All Cisco ASA modules of this collection are in the action group C(directpath.firewall.cisco_asa), so connection
    options can be set once with C(module_defaults).
'''
