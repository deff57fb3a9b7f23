# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):
    """Connection options of the Tailscale API modules (mirrors TAILSCALE_API_SPEC in module_utils/clients/tailscale_api.py)."""

    DOCUMENTATION = r'''
options:
  tailnet:
    description:
      - The tailnet whose policy file is managed. V(-) is the tailnet of the API key or OAuth client (recommended);
        otherwise the tailnet ID or organization name from the admin console's General settings.
      - If not set, the environment variable E(TAILSCALE_TAILNET) is used.
    type: str
    default: "-"
  api_key:
    description:
      - Tailscale API access token (C(tskey-api-...)). It acts with the permissions of the user who created it.
      - If not set, the environment variable E(TAILSCALE_API_KEY) is used.
      - One of O(api_key) or O(oauth_client_id)/O(oauth_client_secret) is required.
    type: str
  oauth_client_id:
    description:
      - ID of an OAuth client; the module requests a one-hour access token with its secret (client credentials).
      - The client needs the scope C(policy_file) to change the policy file; C(policy_file:read) is enough for check
        mode (audit).
      - If not set, the environment variable E(TAILSCALE_OAUTH_CLIENT_ID) is used.
    type: str
  oauth_client_secret:
    description:
      - Secret of O(oauth_client_id) (C(tskey-client-...)).
      - If not set, the environment variable E(TAILSCALE_OAUTH_CLIENT_SECRET) is used.
    type: str
  api_url:
    description:
      - Base URL of the Tailscale API.
      - If not set, the environment variable E(TAILSCALE_BASE_URL) is used.
    type: str
    default: https://api.tailscale.com
  validate_certs:
    description: Verify the API's TLS certificate. Turn off only against a lab server.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file with the CA certificate(s) that signed the API's certificate (a TLS-inspecting proxy's CA, or a lab
        server's). Without it the system's trusted CAs are used.
    type: path
  timeout:
    description: Seconds to wait for each API answer.
    type: int
    default: 30
notes:
  - "Runs on the controller (use C(delegate_to: localhost)); the Tailscale API is reached over HTTPS."
  - All Tailscale API modules of this collection are in the action group C(directpath.firewall.tailnet), so
    connection options can be set once with C(module_defaults).
'''
