#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: pfsense_static_port
short_description: Static-port (or endpoint-independent) outbound NAT for the Tailscale hosts on pfSense
version_added: 0.1.0
description:
  - Tailscale's guidance for pfSense is hybrid outbound NAT with a UDP rule that keeps the source port
    (B(Static Port)), placed above the automatic rules, together with C(randomizeClientPort) in the tailnet policy.
  - The module switches outbound NAT from automatic to B(hybrid) (hybrid and manual modes are kept), keeps a host
    alias C(directpath_tailscale) with the Tailscale hosts (IPv4 and IPv6), and keeps one outbound NAT rule for UDP
    from that alias to any destination, translated to the interface address. The rule is inserted at the top of the
    manual rules and found again by its description; no other rule is changed or moved.
  - On pfSense Plus 25.11 and later and CE 2.9 and later the rule uses B(Endpoint-Independent Mapping) instead of
    static port (O(nat_mapping=auto)), which needs no C(randomizeClientPort) (tailscale/tailscale#18035).
  - With C(static_port), the compliance record advises setting C(randomizeClientPort) unless
    O(tailnet_randomize_client_port=true) says the policy has it.
  - With O(state=absent) the rule and the alias are removed, and the mode goes back to automatic if this module
    changed it and no other manual rule exists.
  - The change is written to config.xml with pfSense's revision entry and backup copy and applied with
    C(filter_configure()); if the apply fails, the previous config.xml is restored and applied again.
author:
  - DirectPath engineers (@directpath)
extends_documentation_fragment:
  - directpath.firewall.pfsense
  - directpath.firewall.pf_firewall.static_port
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Only reads config.xml and the version file.
  diff_mode:
    support: full
    details: Shows the outbound NAT mode, the alias and the rule before and after.
  platform:
    platforms: pfsense
options:
  nat_mapping:
    description:
      - V(static_port) keeps the source port; V(endpoint_independent) uses pfSense's EIM-NAT (Plus 25.11+, CE 2.9+);
        V(auto) uses EIM where the version has it, else static port.
    type: str
    choices: [auto, static_port, endpoint_independent]
    default: auto
notes:
  - "Default O(apply_command): C(/usr/local/bin/php -r 'require_once(\"config.inc\"); require_once(\"filter.inc\");
    require_once(\"util.inc\"); if (filter_configure() != 0) { exit(1); } clear_subsystem_dirty(\"natconf\");
    clear_subsystem_dirty(\"filter\");'), what the Outbound NAT page's Apply runs (C(applyoutNATrules())). pfSense's
    optional REST API package is not used."
seealso:
  - name: Tailscale on pfSense
    description: Tailscale's guidance this module implements.
    link: https://tailscale.com/kb/1146/pfsense
'''

EXAMPLES = r'''
- name: Static-port outbound NAT for the Tailscale hosts (EIM where available)
  directpath.firewall.pfsense_static_port:
    tailscale_hosts: [198.18.10.21, "2001:db8:10::21"]
    tailnet_randomize_client_port: true

- name: Remove it again
  directpath.firewall.pfsense_static_port:
    state: absent
'''

RETURN = r'''
product_version:
  description: Content of the version file.
  returned: success
  type: str
  sample: 25.11-RELEASE
nat_mapping:
  description: The mapping the rule uses (C(static_port) or C(endpoint_independent)), or null with O(state=absent).
  returned: success
  type: str
  sample: endpoint_independent
rule:
  description: Our outbound NAT rule after the run (null when absent).
  returned: success
  type: dict
  sample: {"interface": "wan", "protocol": "udp", "ipprotocol": "inet46", "source": "directpath_tailscale",
           "destination": "any", "target": "", "staticnatport": false, "eimnat": true, "disabled": false,
           "descr": "directpath.firewall: Tailscale hosts, stable UDP mapping (managed by Ansible)"}
api_calls:
  description: File reads and writes (config.xml write and each apply command count as writes).
  returned: always
  type: dict
  sample: {"reads": 1, "writes": 0}
compliance:
  description: The compliance record the audit report collects (see docs/audit.md).
  returned: always
  type: dict
  sample:
    vendor: pfsense
    workaround: static_port
    status: drift
    findings: ["outbound NAT is in automatic mode: manual rules are ignored"]
    exposure: ["outbound UDP from 198.18.10.21 via wan keeps its source port (static port); no inbound port is opened"]
    advice: ["Set \"randomizeClientPort\": true in the tailnet policy file ..."]
diff:
  description: Changed fields before and after.
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.directpath.firewall.plugins.module_utils.clients.pfsense import PFSENSE
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import module_main
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.pfsense_static_port import (
    PFSENSE_STATIC_PORT_SPEC,
    run_pfsense_static_port,
)


def main():
    module_main(PFSENSE_STATIC_PORT_SPEC, PFSENSE.name, 'static_port', run_pfsense_static_port, supports_check_mode=True)


if __name__ == '__main__':
    main()
