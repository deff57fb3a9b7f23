#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: tailnet_policy
short_description: Set randomizeClientPort in the tailnet policy file, tailnet-wide or for tagged devices
version_added: 0.1.0
description:
  - Tailscale's firewall guidance for Fortinet firewalls (and its static-port recipes for pfSense and OPNsense) is to
    set C(randomizeClientPort) to C(true) in the tailnet policy file, so that nodes use a random WireGuard source port
    instead of 41641 and many nodes behind one firewall stop colliding on the same translated port.
  - With O(scope=tailnet) the module manages the top-level key C(randomizeClientPort). With O(scope=tags) it manages
    a C(nodeAttrs) entry whose C(target) lists the tags and whose C(attr) is C(randomize-client-port), which gives the
    same behaviour to the devices with those tags only. A fleet that mixes recipes needs the tag scope, because Palo Alto's selective NAT rule
    for UDP source port 41641 needs the setting B(off) for the nodes it serves.
  - The policy file is edited as HuJSON text. Every comment, the order of the members and the formatting the users
    wrote are kept; only the key or the C(nodeAttrs) entry this module manages changes, and a member it adds is
    indented like its neighbours.
  - Concurrent edits are never lost. The file is read with its ETag and written with C(If-Match), so the API refuses
    the write (HTTP 412) when someone saved in between; the module then reads the file again, plans the change again
    on the new text and writes again, up to three times, then fails with cause C(conflict) without writing anything.
  - Every new text is sent to the API's validate endpoint before it is written; a refused text fails the module
    (cause C(input)) and nothing is written.
  - With O(state=absent) the setting is turned off for the scope. For tags, the module removes only those tags from
    C(nodeAttrs) entries that grant nothing but C(randomize-client-port); an entry that also grants other attributes
    to other targets, a C("*") target, or a tailnet-wide C(true) is reported as C(manual).
author:
  - DirectPath engineers (@directpath)
extends_documentation_fragment:
  - directpath.firewall.tailscale_api
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Only reads the policy file (and, with OAuth, requests a token); nothing is validated or written.
  diff_mode:
    support: full
    details: Shows the managed setting (or each tag's node attribute) before and after; RV(policy_diff) has the text diff.
  platform:
    platforms: tailscale
options:
  scope:
    description:
      - V(tailnet) manages the top-level key C(randomizeClientPort) for every node of the tailnet.
      - V(tags) manages the node attribute C(randomize-client-port) for the devices tagged with O(tags).
    type: str
    choices: [tailnet, tags]
    default: tailnet
  tags:
    description:
      - Tags (C(tag:name)) of the devices that get, or lose, the random port. Required with O(scope=tags); with
        O(scope=tailnet) the module fails rather than change every node.
      - The tags must be defined in the policy file's C(tagOwners); Tailscale refuses the file otherwise.
    type: list
    elements: str
  state:
    description:
      - V(present) turns the random port on for the scope; V(absent) turns it off.
    type: str
    choices: [present, absent]
    default: present
notes:
  - C(randomizeClientPort) overrides a node's C(--port) setting (tailscale#11174). Tailscale recommends it only as a
    workaround for firewalls that need it.
  - The nodes pick up the change from the control plane; C(tailscale debug control-knobs) on a node shows
    C(RandomizeClientPort).
seealso:
  - name: Using Tailscale with your firewall
    description: Tailscale's guidance this module implements (Fortinet row).
    link: https://tailscale.com/kb/1181/firewalls
  - name: Tailnet policy file syntax
    description: randomizeClientPort and nodeAttrs.
    link: https://tailscale.com/kb/1337/policy-syntax
'''

EXAMPLES = r'''
- name: Random WireGuard port for every node of the tailnet (Fortinet guidance)
  directpath.firewall.tailnet_policy:
    api_key: "{{ vault_tailscale_api_key }}"
  delegate_to: localhost

- name: Random port only for the nodes behind the FortiGates, with an OAuth client (scope policy_file)
  directpath.firewall.tailnet_policy:
    oauth_client_id: "{{ tailscale_oauth_client_id }}"
    oauth_client_secret: "{{ vault_tailscale_oauth_client_secret }}"
    scope: tags
    tags: [tag:branch-office]
  delegate_to: localhost

- name: Audit (check mode) with a read-only OAuth client (scope policy_file:read)
  directpath.firewall.tailnet_policy:
    oauth_client_id: "{{ tailscale_audit_client_id }}"
    oauth_client_secret: "{{ vault_tailscale_audit_client_secret }}"
  check_mode: true
  delegate_to: localhost
  register: rcp

- name: Keep the port fixed for the nodes behind a Palo Alto selective source-port rule
  directpath.firewall.tailnet_policy:
    api_key: "{{ vault_tailscale_api_key }}"
    scope: tags
    tags: [tag:hq]
    state: absent
  delegate_to: localhost
'''

RETURN = r'''
tailnet:
  description: The tailnet as given (C(-) is the API key's or OAuth client's own tailnet).
  returned: success
  type: str
  sample: "-"
etag:
  description: ETag of the policy file after the run (the new one when the module wrote it).
  returned: success
  type: str
  sample: '"e0b2816b418b3f266309d94426ac7668ab3c1fa87798785bf82f1085cc2f6d9c"'
randomize_client_port:
  description: Whether the random port is on tailnet-wide, and for each tag named, after the run (as planned in check mode).
  returned: success
  type: dict
  sample: {"tailnet_wide": false, "tags": {"tag:branch-office": true}}
conflicts_retried:
  description: How many times someone else saved the policy file between our read and our write (each time the
    module read it again and planned again).
  returned: success
  type: int
  sample: 0
policy_diff:
  description: Unified diff of the policy file text, the lines this run changes (or would change in check mode).
  returned: when changed
  type: str
  sample: "@@ -30,2 +30,4 @@\n \t},\n+\t// directpath.firewall: random WireGuard source port ...\n+\t\"randomizeClientPort\": true,\n }\n"
api_calls:
  description: Tailscale API requests this run made, split into reads and writes (token and validate requests count as reads).
  returned: always
  type: dict
  sample: {"reads": 1, "writes": 0}
compliance:
  description: The compliance record the audit report collects (see docs/audit.md).
  returned: always
  type: dict
  sample:
    vendor: tailnet
    workaround: randomize_port
    status: drift
    state: present
    applied: false
    findings: ["randomizeClientPort is off tailnet-wide; the workaround wants it on"]
    exposure: ["every node of the tailnet: WireGuard source port random instead of 41641 (no inbound port opened)"]
diff:
  description: The managed setting, or each tag's node attribute, before and after.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"randomizeClientPort": false}, "after": {"randomizeClientPort": true}}
'''

from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import module_main
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.randomize_port import (
    TAILNET_POLICY_SPEC,
    VENDOR,
    WORKAROUND,
    run_tailnet_policy,
)


def main():
    module_main(TAILNET_POLICY_SPEC, VENDOR, WORKAROUND, run_tailnet_policy, supports_check_mode=True)


if __name__ == '__main__':
    main()
