# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):
    """Connection options of the OPNsense HTTPS API (mirrors API_SPEC in module_utils/clients/opnsense.py)."""

    DOCUMENTATION = r'''
options:
  api_url:
    description:
      - Base URL of the OPNsense web interface for the API path (26.7+). The module runs on the firewall, so the
        default is the firewall itself.
    type: str
    default: https://127.0.0.1
  api_key:
    description:
      - "API key (HTTP basic auth user) of a user with the privileges of the Firewall: Source NAT page and its API
        (C(api/firewall/source_nat/*)). Needed on OPNsense 26.7 and later."
      - If not set, the environment variable E(OPNSENSE_API_KEY) is used.
    type: str
  api_secret:
    description:
      - API secret (HTTP basic auth password) of O(api_key). Never logged or returned.
      - If not set, the environment variable E(OPNSENSE_API_SECRET) is used.
    type: str
  validate_certs:
    description: Verify the web interface's TLS certificate (give O(ca_path) for a self-signed one).
    type: bool
    default: true
  ca_path:
    description: PEM file with the CA that signed the web interface's certificate.
    type: path
  api_timeout:
    description: Seconds to wait for each API answer.
    type: int
    default: 30
'''
