# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):
    """Connection options of every FortiOS module (mirrors FORTIOS_CONNECTION_SPEC in module_utils/clients/fortios.py)."""

    DOCUMENTATION = r'''
options:
  host:
    description:
      - Hostname or IP address of the FortiGate's management interface (REST API on HTTPS).
      - If not set, the environment variable E(FORTIOS_HOST) is used.
    type: str
    required: true
  port:
    description: HTTPS port of the administrative interface (C(config system global / set admin-sport)).
    type: int
    default: 443
  access_token:
    description:
      - API key of a REST API administrator (C(execute api-user generate-key <name>)), sent in the
        C(Authorization) header as a Bearer token, never in the URL (FortiOS 7.4.5 and later refuse URL tokens by
        default).
      - For an audit (check mode) an administrator profile with read access to firewall and application control
        settings is enough; to apply changes it needs read-write access to both.
      - The API user's trusted hosts must include the Ansible controller.
      - If not set, the environment variable E(FORTIOS_ACCESS_TOKEN) is used.
    type: str
    required: true
  validate_certs:
    description:
      - Verify the FortiGate's TLS certificate. Turn off only for lab devices.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file with the CA certificate(s) that signed the FortiGate's administrative certificate.
      - Without it the system's trusted CAs are used.
    type: path
  timeout:
    description: Seconds to wait for each API answer.
    type: int
    default: 30
  vdom:
    description:
      - Virtual domain whose profiles are managed (sent as C(?vdom=) on every request).
      - On a FortiGate without VDOMs this is C(root).
    type: str
    default: root
notes:
  - "Runs on the controller (use C(delegate_to: localhost)); the FortiGate is reached over its REST API."
  - All FortiOS modules of this collection are in the action group C(directpath.firewall.fortios), so connection
    options can be set once with C(module_defaults).
'''
