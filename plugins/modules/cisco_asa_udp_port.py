#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: cisco_asa_udp_port
short_description: Open the Tailscale UDP port on a Cisco ASA for the Tailscale hosts only
version_added: 0.1.0
description:
  - Tailscale's firewall guidance for Cisco firewalls is to open a firewall port, so that peers on the internet can
    reach the Tailscale nodes behind the ASA directly instead of through DERP relays.
  - For each Tailscale host the module keeps a network object C(<object_prefix><address>) (C(host <address>)) and
    one entry in the access list O(acl), which must already be applied inbound to O(interface) with
    C(access-group), namely
    C(access-list <acl> extended permit udp any4 object <object> eq <tailscale_port>).
    The entry is inserted with C(line N) ahead of the access list's first explicit C(deny) (and ahead of the remarks
    directly above it); no other entry is touched, reordered or renumbered.
  - ASA 8.3 and later match access lists on the B(real) (pre-NAT) address, so O(tailscale_hosts) are the hosts'
    inside addresses, also when a static NAT publishes them.
  - Where the user asks for it (O(static_nat)), the object also carries a static NAT with port translation that
    forwards a UDP port of the outside interface (or of a mapped address) to the host's Tailscale port.
  - "The module owns exactly what it creates: objects named with O(object_prefix), the entries in O(acl) that
    reference them, and those objects' NAT. An entry on one of our objects that is not the wanted one (another port,
    another source) is replaced, and one found below a deny is moved ahead of it."
  - Configuration commands are sent one at a time in configuration mode, each checked for C(ERROR:) and
    C(% Invalid); C(write memory) follows only when something changed. If a command is refused, the session
    drops or the save fails, the module reconnects, reads the configuration again and undoes what this run
    changed, then fails naming the cause (and says what is left if the undo did not restore everything).
  - With O(state=absent) the module removes our entries for the named hosts, their NAT and, unless another access
    list still uses it, the object. Nothing else is removed.
author:
  - DirectPath engineers (@directpath)
extends_documentation_fragment:
  - directpath.firewall.cisco_asa
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: >-
      Only show commands are sent. The session is opened without any configuration-mode command (not even
      netmiko's C(terminal width) on connect).
  diff_mode:
    support: full
    details: Shows each owned object, access-list entry and NAT before and after.
  platform:
    platforms: cisco_asa
options:
  acl:
    description:
      - Name of the access list applied inbound to O(interface) (C(access-group <acl> in interface <interface>)).
      - The module never binds an access list to an interface; an access list that is not bound fails the module.
    type: str
    required: true
  interface:
    description: Name (C(nameif)) of the interface the Tailscale traffic arrives on, usually C(outside).
    type: str
    default: outside
  tailscale_hosts:
    description:
      - Real (pre-NAT) IPv4 addresses of the Tailscale nodes behind the ASA. Each gets its own object and entry.
      - Networks, C(any) and C(0.0.0.0) are refused.
    type: list
    elements: str
    required: true
  tailscale_port:
    description:
      - UDP port tailscaled listens on, on each host (C(tailscaled --port); 41641 unless changed).
    type: int
    default: 41641
  static_nat:
    description:
      - Static NAT with port translation for hosts that need a published address (object NAT on the host's object).
      - Leave empty where another NAT rule already makes the hosts reachable.
    type: list
    elements: dict
    default: []
    suboptions:
      host:
        description: One of O(tailscale_hosts).
        type: str
        required: true
      mapped_address:
        description: C(interface) (the address of O(interface)) or a public IPv4 address.
        type: str
        default: interface
      mapped_port:
        description:
          - UDP port on the mapped address. Defaults to O(tailscale_port).
          - Two hosts cannot share a mapped address and port.
        type: int
      real_interface:
        description: Interface (C(nameif)) the host sits behind.
        type: str
        default: inside
  object_prefix:
    description:
      - Prefix of the network objects this module creates and owns. Objects with another name are never changed.
    type: str
    default: directpath-ts-
  state:
    description:
      - V(present) opens the port for the hosts; V(absent) removes what the module added for them.
    type: str
    choices: [present, absent]
    default: present
  save:
    description: Run C(write memory) after a change, so that it survives a reload.
    type: bool
    default: true
notes:
  - "What opening the port exposes: UDP O(tailscale_port) on each named host, from any IPv4 source on the internet
    (peers' addresses are not known in advance). Nothing else is opened; tailscaled answers only Tailscale's
    authenticated WireGuard traffic on that port."
  - The module assumes the ASA's default of denying what the access list does not permit; see the vendor page
    (docs/vendors/cisco_asa.md) for what is verified and what is assumed.
seealso:
  - name: Using Tailscale with your firewall
    description: Tailscale's guidance this module implements.
    link: https://tailscale.com/kb/1181/firewalls
'''

EXAMPLES = r'''
- name: Open UDP 41641 for two Tailscale nodes in the ACL on the outside interface
  directpath.firewall.cisco_asa_udp_port:
    host: asa-office.example.net
    username: automation
    password: "{{ vault_asa_password }}"
    enable_secret: "{{ vault_asa_enable }}"
    host_key: "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB..."
    acl: outside_access_in
    tailscale_hosts:
      - 10.0.0.5
      - 10.0.0.6
  delegate_to: localhost

- name: Publish a subnet router on the outside interface's address, port 41641
  directpath.firewall.cisco_asa_udp_port:
    host: asa-office.example.net
    username: automation
    password: "{{ vault_asa_password }}"
    known_hosts: /etc/directpath/known_hosts
    acl: outside_access_in
    tailscale_hosts: [10.0.0.5]
    static_nat:
      - host: 10.0.0.5
        mapped_address: interface
  delegate_to: localhost

- name: Audit (check mode) without changing anything
  directpath.firewall.cisco_asa_udp_port:
    host: asa-office.example.net
    username: auditor
    password: "{{ vault_asa_password }}"
    acl: outside_access_in
    tailscale_hosts: [10.0.0.5]
  check_mode: true
  delegate_to: localhost
  register: asa

- name: Remove what the module added for one host
  directpath.firewall.cisco_asa_udp_port:
    host: asa-office.example.net
    username: automation
    password: "{{ vault_asa_password }}"
    acl: outside_access_in
    tailscale_hosts: [10.0.0.6]
    state: absent
  delegate_to: localhost
'''

RETURN = r'''
hosts:
  description: Per Tailscale host, the object, the access-list entry and the NAT the module wants.
  returned: success
  type: list
  elements: dict
  sample: [{"address": "10.0.0.5", "object": "directpath-ts-10.0.0.5",
            "entry": "extended permit udp any4 object directpath-ts-10.0.0.5 eq 41641", "nat": null}]
saved:
  description: Whether C(write memory) ran (only after a change, with O(save)).
  returned: success
  type: bool
  sample: true
api_calls:
  description: CLI commands this run sent, split into reads (show) and writes (configuration commands, write memory).
  returned: always
  type: dict
  sample: {"reads": 4, "writes": 0}
compliance:
  description: The compliance record the audit report collects (see docs/audit.md).
  returned: always
  type: dict
  sample:
    vendor: cisco
    workaround: open_port
    status: drift
    state: present
    applied: false
    findings: ["access-list outside_access_in does not permit UDP to 10.0.0.5 as wanted ahead of any deny (has: nothing)"]
    exposure: ["UDP 41641 from any IPv4 source to 10.0.0.5 (access-list outside_access_in, interface outside)"]
diff:
  description: Each owned object, access-list entry and NAT that changes, before and after.
  returned: when diff mode is on
  type: dict
  sample:
    before: {"object directpath-ts-10.0.0.5": null}
    after: {"object directpath-ts-10.0.0.5": "host 10.0.0.5"}
cause:
  description: Why the module failed (C(input), C(auth), C(unreachable), C(timeout), C(tls), C(api), C(internal)).
  returned: failure
  type: str
  sample: auth
device_unchanged:
  description: False only when an undo after a failure did not restore everything; the message says what to check.
  returned: failure
  type: bool
  sample: true
'''

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.directpath.firewall.plugins.module_utils.clients.cisco_asa import HAS_NETMIKO
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import module_main
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.cisco_asa_open_port import (
    OPEN_PORT_SPEC,
    VENDOR,
    WORKAROUND,
    run_open_port,
)


def require_netmiko(module):
    if not HAS_NETMIKO:
        module.fail_json(msg=missing_required_lib('netmiko'), cause='dependency')


def main():
    module_main(OPEN_PORT_SPEC, VENDOR, WORKAROUND, run_open_port, precheck=require_netmiko, supports_check_mode=True)


if __name__ == '__main__':
    main()
