#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: opnsense_static_port
short_description: Static-port outbound NAT for the Tailscale hosts on OPNsense
version_added: 0.1.0
description:
  - Tailscale's guidance for OPNsense is hybrid outbound NAT with UDP rules that keep the source port (B(Static Port)),
    one per address family, above the automatic rules, together with C(randomizeClientPort) in the tailnet policy.
  - The module switches outbound NAT from automatic to B(hybrid) and keeps one UDP rule per Tailscale host (source =
    the host's address, address family from the address, destination any, translation to the interface address,
    static port). Our rules carry a description that names them; no other rule is changed or moved.
  - "Which path: OPNsense 26.7 and later have C(staticnatport) in the source NAT API (C(api/firewall/source_nat/*));
    the module uses that API there (O(api_key)/O(api_secret) required). Older versions keep outbound NAT in
    config.xml (C(nat/outbound)); the module edits it with OPNsense's revision and backup convention and runs
    C(configctl filter reload). The result's C(path) says which was used."
  - The compliance record advises setting C(randomizeClientPort) unless O(tailnet_randomize_client_port=true).
  - With O(state=absent) our rules are removed, and the mode goes back to automatic when this module changed it and
    no other manual rule exists, on both paths (on the API path the previous mode is recorded in config.xml).
  - A failed apply is reported; on the config.xml path the previous file is restored and applied again, on the API
    path our rule changes are undone through the API and applied again (26.7 has no savepoint/revert any more).
author:
  - DirectPath engineers (@directpath)
extends_documentation_fragment:
  - directpath.firewall.opnsense
  - directpath.firewall.opnsense_api
  - directpath.firewall.pf_firewall.static_port
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Only reads (config.xml and the version file, or GET requests on the API path).
  diff_mode:
    support: full
    details: Shows the NAT mode and each of our rules before and after.
  platform:
    platforms: opnsense
notes:
  - "Default O(apply_command) on the config.xml path: C(/usr/local/sbin/configctl filter reload), what the Outbound
    NAT page's Apply runs."
seealso:
  - name: Tailscale on OPNsense
    description: Tailscale's guidance this module implements.
    link: https://tailscale.com/kb/1097/install-opnsense
'''

EXAMPLES = r'''
- name: Static-port outbound NAT (config.xml on OPNsense before 26.7, the API from 26.7)
  directpath.firewall.opnsense_static_port:
    tailscale_hosts: [198.18.30.21, "2001:db8:30::21"]
    api_key: "{{ vault_opnsense_api_key }}"
    api_secret: "{{ vault_opnsense_api_secret }}"
    ca_path: /usr/local/etc/ssl/web-ca.pem
    tailnet_randomize_client_port: true
'''

RETURN = r'''
product_version:
  description: The version the box reports.
  returned: success
  type: str
  sample: 26.7.1
path:
  description: How the change is made, C(api) or C(config.xml).
  returned: success
  type: str
  sample: api
rules:
  description: Our rules after the run, keyed by host address.
  returned: success
  type: dict
  sample: {"198.18.30.21": {"interface": "wan", "ipprotocol": "inet", "protocol": "udp", "source": "198.18.30.21",
           "target": "", "staticnatport": true, "disabled": false,
           "descr": "directpath.firewall: Tailscale host 198.18.30.21, UDP static port (managed by Ansible)"}}
api_calls:
  description: Reads and writes (HTTP requests on the API path; file writes and apply commands on the config.xml path).
  returned: always
  type: dict
  sample: {"reads": 3, "writes": 0}
compliance:
  description: The compliance record the audit report collects (see docs/audit.md).
  returned: always
  type: dict
  sample:
    vendor: opnsense
    workaround: static_port
    status: compliant
    exposure: ["outbound UDP from 198.18.30.21 via wan keeps its source port (static port); no inbound port is opened"]
diff:
  description: Changed fields before and after.
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.directpath.firewall.plugins.module_utils.clients.opnsense import OPNSENSE
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import module_main
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.opnsense_static_port import (
    OPNSENSE_STATIC_PORT_SPEC,
    run_opnsense_static_port,
)


def main():
    module_main(OPNSENSE_STATIC_PORT_SPEC, OPNSENSE.name, 'static_port', run_opnsense_static_port, supports_check_mode=True)


if __name__ == '__main__':
    main()
