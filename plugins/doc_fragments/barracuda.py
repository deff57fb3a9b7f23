# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):
    """Connection options of every Barracuda CloudGen Firewall module (mirrors BARRACUDA_CONNECTION_SPEC in
    module_utils/clients/barracuda.py)."""

    DOCUMENTATION = r'''
options:
  host:
    description:
      - Hostname or management IP address of the CloudGen Firewall whose REST API is enabled for HTTPS (Box > Infrastructure
        Services > REST API Service, with Bind to Management IPs).
      - If not set, the environment variable E(BARRACUDA_HOST) is used.
    type: str
    required: true
  port:
    description: HTTPS port of the REST API service, as set in the REST API Service configuration.
    type: int
    default: 8443
  api_token:
    description:
      - REST API token, sent in the C(X-API-Token) header. Preferred over a password.
      - If not set, the environment variable E(BARRACUDA_API_TOKEN) is used.
      - One of O(api_token) or O(username)/O(password) is required.
    type: str
  username:
    description:
      - Administrator for HTTP basic authentication, when no O(api_token) is given. Requires O(password).
      - If not set, the environment variable E(BARRACUDA_USERNAME) is used.
    type: str
  password:
    description:
      - Password of O(username). Mutually exclusive with O(api_token).
      - If not set, the environment variable E(BARRACUDA_PASSWORD) is used.
    type: str
  validate_certs:
    description:
      - Verify the firewall's TLS certificate (on by default; the REST API service uses the certificate imported or created in
        its configuration). Turn off only for lab devices.
    type: bool
    default: true
  ca_path:
    description: PEM file with the CA certificate(s) that signed the REST API service's certificate.
    type: path
  timeout:
    description: Seconds to wait for each API answer.
    type: int
    default: 30
  change_message:
    description:
      - Revision control message sent with every configuration change (the C(rcsMessage) query parameter); it appears in the
        firewall's configuration history.
    type: str
    default: "directpath.firewall: Tailscale direct connections"
notes:
  - "Runs on the controller (use C(delegate_to: localhost)); the firewall is reached over its REST API."
  - All Barracuda modules of this collection are in the action group C(directpath.firewall.barracuda), so connection options
    can be set once with C(module_defaults).
'''
