#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: guidance_info
short_description: The compliance record Tailscale's firewall guidance alone decides, for firewalls that need no device API
version_added: 0.1.0
description:
  - Returns the compliance record of one row of Tailscale's firewall guidance (a O(vendor), the value of the inventory
    variable C(directpath_vendor)) without contacting any device. It never changes anything.
  - For V(checkpoint) and V(sophos), Tailscale expects direct connections and no workaround is needed - status
    C(not_applicable), with the advice to confirm with C(tailscale netcheck) that C(MappingVariesByDestIP) is false.
  - For V(cisco_umbrella) (Cisco with Cisco Umbrella endpoint security) the guidance knows no workaround - status
    C(no_workaround), with the advice.
  - For V(fortinet) nothing changes on the firewall - status C(not_applicable), because its workaround (C(randomizeClientPort))
    is set in the tailnet policy file by the inventory host with C(directpath_vendor=tailnet) (role
    C(directpath.firewall.tailnet)). The finding says so, and what to set by hand without that host.
  - For a row whose workaround needs the device's API, the module reports C(manual) with the guidance's workaround as the
    finding. The role C(directpath.firewall.remediate) uses this only when this version of the collection has no role for
    that vendor yet, so the audit report says what to apply by hand instead of skipping the firewall silently.
  - An unknown O(vendor) fails with the list of known vendors (and a compliance record with status C(error)).
author:
  - DirectPath engineers (@directpath)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: The module never changes anything, so check mode and a normal run return the same record.
  diff_mode:
    support: none
  platform:
    platforms: all
options:
  vendor:
    description:
      - The firewall's row in Tailscale's guidance, as in the inventory variable C(directpath_vendor).
      - One of V(barracuda), V(checkpoint), V(cisco), V(cisco_umbrella), V(fortinet), V(fortinet_dpi), V(opnsense),
        V(panos), V(pfsense), V(sophos), V(tailnet) (the tailnet policy file, not a firewall), V(unifi). Any other value
        fails the module with that list.
    type: str
    required: true
  workaround:
    description:
      - For a row that has workarounds, which one the record is about (for example V(udp_sessions) for V(barracuda)).
      - Defaults to the row's only workaround; required for rows with several.
      - Rows without a workaround (V(checkpoint), V(sophos), V(cisco_umbrella)) report the workaround V(none).
    type: str
  state:
    description: The state the inventory asks for (C(directpath_state)); it is copied into the record.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - name: Using Tailscale with your firewall
    description: The guidance table this module reads.
    link: https://tailscale.com/kb/1181/firewalls
'''

EXAMPLES = r'''
- name: Report a Check Point firewall (no change needed)
  directpath.firewall.guidance_info:
    vendor: checkpoint
  delegate_to: localhost

- name: Report what to apply by hand on a Barracuda firewall
  directpath.firewall.guidance_info:
    vendor: barracuda
    workaround: "{{ item }}"
  loop: [udp_sessions, open_port]
  delegate_to: localhost
'''

RETURN = r'''
compliance:
  description: The compliance record the audit report collects (see docs/audit.md).
  returned: always
  type: dict
  sample:
    vendor: cisco_umbrella
    workaround: none
    status: no_workaround
    state: present
    applied: false
    findings: ["Cisco with Cisco Umbrella Endpoint Security: Tailscale expects 'Connects via DERP' and the guidance knows no workaround"]
    exposure: []
    advice: ["Consider a Tailscale peer relay inside the network, or exempting the Tailscale hosts from Umbrella."]
guidance:
  description: The vendor's row of the guidance table.
  returned: success
  type: dict
  sample:
    firewall: Check Point
    expected: Connects directly
    workaround: n/a
    workarounds: []
    modules: []
    role: null
    caveats: ["Confirm with tailscale netcheck: MappingVariesByDestIP should be false."]
api_calls:
  description: Device API calls; always none.
  returned: always
  type: dict
  sample: {"reads": 0, "writes": 0}
known_vendors:
  description: Every vendor the guidance table knows.
  returned: success
  type: list
  elements: str
  sample: [barracuda, checkpoint, cisco]
'''

from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import module_main
from ansible_collections.directpath.firewall.plugins.module_utils.fleet.guidance import GUIDANCE_INFO_SPEC, NO_WORKAROUND, run_guidance_info


def main():
    # The record names the vendor and workaround given ('unknown' / 'none' when not said).
    module_main(GUIDANCE_INFO_SPEC, lambda params: params['vendor'] or 'unknown',
                lambda params: params['workaround'] or NO_WORKAROUND, run_guidance_info, supports_check_mode=True)


if __name__ == '__main__':
    main()
