# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):
    """Connection options of every PAN-OS module (mirrors PANOS_CONNECTION_SPEC in module_utils/panos.py)."""

    DOCUMENTATION = r'''
options:
  host:
    description:
      - Hostname or IP address of the firewall's management interface (XML API on HTTPS).
      - If not set, the environment variable E(PANOS_HOSTNAME) is used.
    type: str
    required: true
  port:
    description: HTTPS port of the XML API.
    type: int
    default: 443
  username:
    description:
      - Administrator used to generate an API key. Requires O(password).
      - If not set, the environment variable E(PANOS_USERNAME) is used.
    type: str
  password:
    description:
      - Password of O(username). Mutually exclusive with O(api_key).
      - If not set, the environment variable E(PANOS_PASSWORD) is used.
    type: str
  api_key:
    description:
      - API key of an administrator with rights to read and edit the NAT policy and to commit.
      - If not set, the environment variable E(PANOS_API_KEY) is used.
      - One of O(api_key) or O(username)/O(password) is required.
    type: str
  validate_certs:
    description:
      - Verify the firewall's TLS certificate. Turn off only for lab devices.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file with the CA certificate(s) that signed the firewall's management certificate.
      - Without it the system's trusted CAs are used.
    type: path
  timeout:
    description: Seconds to wait for each API answer.
    type: int
    default: 30
  vsys:
    description: Virtual system whose NAT rulebase is managed.
    type: str
    default: vsys1
requirements:
  - pan-os-python >= 1.8 (Python library C(panos))
notes:
  - "Runs on the controller (use C(delegate_to: localhost)); the firewall is reached over its XML API."
  - All PAN-OS modules of this collection are in the action group C(directpath.firewall.panos), so connection options
    can be set once with C(module_defaults).
'''
