# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):
    """Connection options of every UniFi module (mirrors UNIFI_CONNECTION_SPEC in module_utils/clients/unifi.py)."""

    DOCUMENTATION = r'''
options:
  host:
    description:
      - Hostname or IP address of the UniFi console (UniFi OS) or of the self-hosted UniFi Network application.
      - If not set, the environment variable E(UNIFI_HOST) is used.
    type: str
    required: true
  port:
    description:
      - HTTPS port. UniFi OS consoles answer on 443; a self-hosted Network application usually on 8443.
    type: int
    default: 443
  api_key:
    description:
      - API key created in UniFi OS (Settings > Control Plane > Integrations), sent as C(X-API-KEY). The preferred
        credential where it works (no login, so the login rate limit never applies).
      - Works on UniFi OS consoles only; a self-hosted (classic) Network application does not accept API keys.
      - If not set, the environment variable E(UNIFI_API_KEY) is used.
      - One of O(api_key) or O(username)/O(password) is required.
    type: str
  username:
    description:
      - Local administrator of the console or controller (a UI.com account with two-factor authentication cannot log
        in through the API). Requires O(password).
      - If not set, the environment variable E(UNIFI_USERNAME) is used.
    type: str
  password:
    description:
      - Password of O(username). Mutually exclusive with O(api_key).
      - If not set, the environment variable E(UNIFI_PASSWORD) is used.
    type: str
  controller_style:
    description:
      - V(unifios) for a console (UDM, UCG, UDR, Cloud Key Gen2+; API under C(/proxy/network)), V(classic) for a
        self-hosted Network application, V(auto) to detect it from the answer to C(GET /) (UniFi OS answers 200, a
        classic controller redirects). With O(api_key), V(auto) means V(unifios).
    type: str
    choices: [auto, unifios, classic]
    default: auto
  validate_certs:
    description:
      - Verify the controller's TLS certificate. Turn off only for lab devices.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file with the CA certificate(s) that signed the controller's certificate (UniFi consoles ship a
        self-signed one; export it, or install a certificate from your own CA).
    type: path
  timeout:
    description: Seconds to wait for each API answer.
    type: int
    default: 30
notes:
  - "Runs on the controller (use C(delegate_to: localhost)); the console is reached over its HTTPS API."
  - The login endpoint of UniFi OS is rate-limited (HTTP 429 for about 45 seconds after several logins). The module logs in
    at most once per run and never retries a refused login.
  - All UniFi modules of this collection are in the action group C(directpath.firewall.unifi), so connection options can be
    set once with C(module_defaults).
'''
