#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: unifi_p2p_threat
short_description: Keep UniFi threat management from blocking the peer-to-peer traffic of Tailscale
version_added: 0.1.0
description:
  - Tailscale's firewall guidance for UniFi gateways is, with threat detection on, to uncheck the B(P2P) category, so that
    Tailscale nodes behind the gateway can connect directly instead of through DERP relays.
  - For each site named in O(sites), the module reads the threat management (IPS) settings document and removes the P2P
    category (C(emerging-p2p)) from its enabled categories. Every other category and every other field is written back
    exactly as read (the controller refuses an update that drops a field it manages).
  - It reports each site's IPS mode and the peer-to-peer related settings that still block (BitTorrent blocking, the
    dark-web list, Tor), which it leaves as they are.
  - A key of the settings document that looks peer-to-peer related but has no documented meaning (UniFi Network 9.0.108
    and later show a "Peer to Peer and Dark Web" toggle whose key is not documented) is a finding. When such a key is on,
    the module changes nothing and reports C(manual), with what to do in the UniFi interface.
  - When a site's threat management is off (IPS mode C(disabled)), nothing is changed on that site.
  - If the write of one site fails, the sites already written are put back as they were.
  - With O(state=absent) the P2P category is enabled again.
author:
  - DirectPath engineers (@directpath)
extends_documentation_fragment:
  - directpath.firewall.unifi
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Only reads (style probe, one login unless an API key is used, the site list and each site's IPS settings).
  diff_mode:
    support: full
    details: Shows each changed site's enabled categories before and after.
  platform:
    platforms: unifi
options:
  sites:
    description:
      - Names of the sites to check and change (the short name used in URLs, for example V(default), not the description).
      - A site that does not exist fails the module before anything is changed.
    type: list
    elements: str
    default: [default]
  state:
    description:
      - V(present) stops threat management from blocking the P2P category; V(absent) enables the P2P category again.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Verified against a simulator built from public client libraries (Kane610/aiounifi, ubiquiti-community/go-unifi) and
    provider issue threads, not against a live console; see the vendor page of the collection (docs/vendors/unifi.md) for
    what is verified and what is assumed.
  - The official UniFi Network Integration API has no threat management settings; this module uses the Network
    application's site API, the one its own web interface uses.
seealso:
  - name: Tailscale with UniFi gateways
    description: Tailscale's firewall guidance (Allow peer-to-peer traffic).
    link: https://tailscale.com/kb/1181/firewalls
'''

EXAMPLES = r'''
- name: Let Tailscale peers connect directly through the office gateway (API key, UniFi OS)
  directpath.firewall.unifi_p2p_threat:
    host: udm.office.example.com
    api_key: "{{ vault_unifi_api_key }}"
    ca_path: /etc/ssl/certs/office-ca.pem
    sites: [default]
  delegate_to: localhost

- name: Audit two sites of a self-hosted controller (check mode changes nothing)
  directpath.firewall.unifi_p2p_threat:
    host: unifi.example.com
    port: 8443
    controller_style: classic
    username: ansible
    password: "{{ vault_unifi_password }}"
    sites: [default, branch]
  check_mode: true
  delegate_to: localhost
'''

RETURN = r'''
changed:
  description: Whether a site's categories were (or, in check mode, would be) changed.
  returned: always
  type: bool
controller_style:
  description: The deployment found or given, V(unifios) or V(classic).
  returned: success
  type: str
  sample: unifios
sites:
  description: One entry per site.
  returned: success
  type: list
  elements: dict
  contains:
    site:
      description: Site name.
      type: str
    ips_mode:
      description: Threat management mode (V(ids), V(ips), V(ipsInline) or V(disabled)).
      type: str
    p2p_category_before:
      description: Whether the P2P category was enabled before the run.
      type: bool
    p2p_category_after:
      description: Whether the P2P category is enabled after the run (unchanged in check mode).
      type: bool
    p2p_like_blocking:
      description: Peer-to-peer related settings that still block (left as they are).
      type: list
      elements: str
    unknown_p2p_keys:
      description: Keys of the settings document that look peer-to-peer related and have no known meaning, with their values.
      type: dict
  sample: [{"site": "default", "ips_mode": "ips", "p2p_category_before": true, "p2p_category_after": false,
            "p2p_like_blocking": ["tor"], "unknown_p2p_keys": {}}]
compliance:
  description: The record the audit report reads (docs/audit.md); C(manual) when an unknown peer-to-peer key is on.
  returned: always
  type: dict
  sample: {"vendor": "unifi", "workaround": "p2p_threat", "status": "compliant", "changed": true, "applied": true,
           "findings": ["changed default.enabled_categories: [...] → [...]"], "exposure": ["..."], "state": "present"}
api_calls:
  description: Requests sent to the controller, as reads and writes (the login is counted as a read).
  returned: always
  type: dict
  sample: {"reads": 4, "writes": 1}
diff:
  description: Enabled categories of each changed site, before and after.
  returned: when diff mode is on
  type: dict
cause:
  description: Why the module failed (C(input), C(auth), C(unreachable), C(tls), C(timeout), C(api), C(unsupported), C(internal)).
  returned: failure
  type: str
device_unchanged:
  description: False only when a site may hold part of a change that could not be put back.
  returned: failure
  type: bool
'''

from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import module_main
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.p2p_threat import (
    P2P_THREAT_SPEC,
    VENDOR,
    WORKAROUND,
    run_p2p_threat,
)


def main():
    module_main(P2P_THREAT_SPEC, VENDOR, WORKAROUND, run_p2p_threat, supports_check_mode=True)


if __name__ == '__main__':
    main()
