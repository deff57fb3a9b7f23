#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: barracuda_udp_sessions
short_description: Barracuda CloudGen Firewall - Max UDP steps (manual) and a narrow UDP port for Tailscale
version_added: 0.1.0
description:
  - Tailscale's firewall guidance for Barracuda is to increase B(Max UDP) and to consider opening a firewall port, so that
    Tailscale nodes behind the firewall can connect directly instead of through DERP relays. The two parts are reported
    separately (O(workaround)), so the audit shows one record for each.
  - O(workaround=udp_sessions) - "Max UDP [%]" (General Firewall Configuration) cannot be read or set through the
    CloudGen Firewall REST API, and a new value takes effect only after a firmware restart. The module reads the box,
    changes nothing, and reports C(manual) with the exact steps, the restart warning and the per-rule alternative (a
    forwarding rule's Resource Protection settings can override the limit for its own traffic). The record also shows as an
    Ansible warning.
  - O(workaround=open_port) - ensures one forwarding rule that passes UDP to O(tailscale_port) of the hosts in
    O(tailscale_hosts) only, from the network object O(source) (never C(Any)). The module keeps a network object with exactly
    those hosts (C(<rule_name>-HOSTS)) and a service object with exactly that UDP port (C(<rule_name>-UDP)). A new rule is
    inserted at O(placement); no existing rule is moved or changed, and an existing managed rule keeps the position it has.
  - If a write fails, the changes this run already made are undone, so the firewall is left as it was.
  - With O(state=absent), O(workaround=open_port) removes the rule and its two objects; O(workaround=udp_sessions) reports
    the manual steps to put Max UDP back.
author:
  - DirectPath engineers (@directpath)
extends_documentation_fragment:
  - directpath.firewall.barracuda
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Only reads (box info, the rule list, the managed rule and objects); no configuration change is sent.
  diff_mode:
    support: full
    details: Shows the managed rule and objects before and after.
  platform:
    platforms: barracuda_cgf
options:
  workaround:
    description:
      - V(udp_sessions) reports the Max UDP steps (manual, never writes); V(open_port) manages the narrow forwarding rule.
    type: str
    choices: [udp_sessions, open_port]
    default: udp_sessions
  max_udp_percent:
    description:
      - The Max UDP value (1-100 percent of the session slots) the manual steps name. Without it the steps say to raise the
        value above its current one.
    type: int
  tailscale_hosts:
    description:
      - IPv4 addresses (or networks of at most 65536 addresses, /16 and narrower) of the Tailscale nodes behind the firewall.
        Required for O(workaround=open_port) with O(state=present).
    type: list
    elements: str
    default: []
  tailscale_port:
    description: UDP port the Tailscale nodes listen on (C(tailscaled --port), default 41641).
    type: int
    default: 41641
  rule_name:
    description: Name of the managed forwarding rule; its objects are named after it.
    type: str
    default: DIRECTPATH-TAILSCALE-UDP
  source:
    description:
      - Network object the UDP traffic may come from. V(Internet) (every address except private networks) by default;
        C(Any) is refused.
    type: str
    default: Internet
  placement:
    description:
      - Where a new rule goes. V(top) makes it match before the existing rules (a later block rule cannot shadow it);
        V(before)/V(after) place it next to O(placement_reference). Existing rules keep their order.
    type: str
    choices: [top, bottom, before, after]
    default: top
  placement_reference:
    description: The existing rule for O(placement=before) or O(placement=after).
    type: str
  state:
    description: V(present) to apply, V(absent) to roll back.
    type: str
    choices: [present, absent]
    default: present
notes:
  - The forwarding rule passes traffic addressed to the hosts. A host with a private address behind NAT also needs a
    destination NAT (port forwarding) of the public address; this module does not create one.
  - Verified against a simulator built from Barracuda's REST API documentation and the public barracuda_api client, not
    against a live firewall. Whether a REST write is active without a separate activation step is assumed, not verified;
    see the vendor page of the collection (docs/vendors/barracuda.md).
seealso:
  - name: Tailscale with Barracuda firewalls
    description: Tailscale's firewall guidance (increase Max UDP, open a firewall port).
    link: https://tailscale.com/kb/1181/firewalls
'''

EXAMPLES = r'''
- name: Open UDP 41641 to the two Tailscale subnet routers only, above every other rule
  directpath.firewall.barracuda_udp_sessions:
    host: cgf.branch.example.com
    api_token: "{{ vault_barracuda_token }}"
    ca_path: /etc/ssl/certs/branch-ca.pem
    workaround: open_port
    tailscale_hosts: [10.10.0.5, 10.10.0.6]
  delegate_to: localhost

- name: Report what to do about Max UDP (always manual, shows a warning)
  directpath.firewall.barracuda_udp_sessions:
    host: cgf.branch.example.com
    api_token: "{{ vault_barracuda_token }}"
    workaround: udp_sessions
    max_udp_percent: 60
  delegate_to: localhost
'''

RETURN = r'''
changed:
  description: Whether the rule or its objects were (or, in check mode, would be) changed. Always false for udp_sessions.
  returned: always
  type: bool
compliance:
  description: The record the audit report reads (docs/audit.md); C(manual) for udp_sessions, with the steps in C(advice).
  returned: always
  type: dict
  sample: {"vendor": "barracuda", "workaround": "udp_sessions", "status": "manual", "changed": false, "applied": false,
           "findings": ["Max UDP [%] (General Firewall Configuration) has no REST API resource: ..."], "advice": ["..."]}
box:
  description: Hostname, model, firmware version and serial the box reports (udp_sessions).
  returned: success, workaround=udp_sessions
  type: dict
max_udp:
  description: What is known of Max UDP - not readable, the value asked for, the default, restart required, the rule that can override it.
  returned: success, workaround=udp_sessions
  type: dict
rule_name:
  description: The managed forwarding rule.
  returned: success, workaround=open_port
  type: str
hosts:
  description: The Tailscale hosts the rule and its network object are scoped to, normalised.
  returned: success, workaround=open_port
  type: list
  elements: str
rule_order_before:
  description: Forwarding rule names in order before the run.
  returned: success, workaround=open_port
  type: list
  elements: str
rule_order_after:
  description: Forwarding rule names in order after the change (only when something was applied).
  returned: when changed and not in check mode
  type: list
  elements: str
api_calls:
  description: Requests sent to the firewall, as reads and writes.
  returned: always
  type: dict
  sample: {"reads": 4, "writes": 3}
diff:
  description: The managed rule and objects, before and after.
  returned: when diff mode is on
  type: dict
cause:
  description: Why the module failed (C(input), C(auth), C(unreachable), C(tls), C(timeout), C(api), C(conflict), C(lock),
    C(unsupported), C(internal)).
  returned: failure
  type: str
device_unchanged:
  description: False only when the firewall may hold part of a change that could not be undone.
  returned: failure
  type: bool
'''

from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import module_main
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.udp_sessions import (
    UDP_SESSIONS_SPEC,
    VENDOR,
    run_udp_sessions,
    workaround_of,
)


def main():
    module_main(UDP_SESSIONS_SPEC, VENDOR, workaround_of, run_udp_sessions, supports_check_mode=True)


if __name__ == '__main__':
    main()
