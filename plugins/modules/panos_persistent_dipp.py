#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: panos_persistent_dipp
short_description: Use Persistent Dynamic IP and Port for the NAT rules that carry Tailscale traffic
version_added: 0.1.0
description:
  - Tailscale's firewall guidance for Palo Alto Networks firewalls is to use the NAT translation type
    B(Persistent Dynamic IP and Port), so that a client's translated port stays the same for every destination
    and Tailscale nodes behind the firewall can connect directly instead of through DERP relays.
  - The module finds the source-NAT rules that carry the Tailscale hosts' traffic (named in O(rules), or, for each
    of O(tailscale_hosts), the enabled rules PAN-OS would use for it, walking the rulebase top down, every rule whose
    source covers the host up to the first one that matches every destination and service) and changes their
    translation type from C(dynamic-ip-and-port) to C(persistent-dynamic-ip-and-port), keeping the translated
    address or interface. Rules with another translation type, and disabled rules, are reported, never changed.
    No other rule is touched.
  - The change is made in the candidate configuration under the configuration lock (scoped to O(vsys)), then
    committed as a B(partial commit of this administrator's changes only), with a description; the module follows
    the commit job. If the edit or the commit fails, our own changes are reverted in the candidate
    (C(revert config partial admin)), so the firewall is left as it was and other administrators' work is kept.
  - If another administrator has uncommitted changes, the module refuses to change anything (naming them when the
    firewall tells) rather than work around them.
  - If the commit job has not finished when O(commit_timeout) runs out, the outcome is unknown; the module fails
    with C(device_unchanged=false) and the job id, and says what to check. It never reports "nothing changed" for a
    commit the firewall accepted.
  - Per-rule persistent DIPP needs PAN-OS 11.1.1 or later. On older versions the module changes nothing and
    reports C(manual) with the options Palo Alto documents (the global C(persistent-dipp) setting, which needs a
    restart, a selective rule for UDP source port 41641, or Static IP NAT for a single device), unless
    O(legacy_global_setting=true) opts in to the global setting.
  - With O(state=absent) the rules are put back to plain C(dynamic-ip-and-port).
author:
  - DirectPath engineers (@directpath)
extends_documentation_fragment:
  - directpath.firewall.panos
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Only reads the firewall (system info and running configuration); no lock, edit or commit is sent.
  diff_mode:
    support: full
    details: Shows each changed rule's translation type before and after.
  platform:
    platforms: panos
options:
  rules:
    description:
      - Names of the NAT rules to use persistent DIPP.
      - A named rule that does not exist fails the module, and so does an empty list.
      - With O(tailscale_hosts) as well, every named rule must cover at least one of the hosts, or the module fails;
        the two options together are a check, not a union.
      - One of O(rules) or O(tailscale_hosts) is required.
    type: list
    elements: str
  tailscale_hosts:
    description:
      - Internal addresses (IP or CIDR) of the Tailscale nodes behind the firewall.
      - Without O(rules), the rules that translate these hosts' traffic are selected; for each host, top down, every
        enabled source-NAT rule whose source covers it (directly, through an address object or a static address
        group, or as C(any)) until the first one that matches every destination and service.
      - Rules whose source cannot be resolved here (FQDN, range or dynamic objects) are reported, never selected.
      - An empty list fails the module.
    type: list
    elements: str
  state:
    description:
      - V(present) uses persistent DIPP on the selected rules; V(absent) puts back dynamic IP and port.
    type: str
    choices: [present, absent]
    default: present
  commit_description:
    description: Description of the commit, shown in the firewall's commit history.
    type: str
    default: "directpath.firewall: persistent DIPP for Tailscale direct connections"
  commit_timeout:
    description: Seconds to wait for the commit job to finish.
    type: int
    default: 600
  legacy_global_setting:
    description:
      - On PAN-OS below 11.1.1 (10.1.6 and later, 10.2.4 and later, 11.0), use the operational system setting
        C(set system setting persistent-dipp enable yes) instead of reporting C(manual). With O(state=absent) the
        setting is turned off.
      - The setting applies to B(every) dynamic-IP-and-port NAT rule of the firewall, not only to the selected ones,
        and takes effect only after C(request restart system). The module never restarts the firewall; the result's
        C(advice) says a restart is needed. Set it on an HA peer as well.
      - Ignored on PAN-OS 11.1.1 and later, where the per-rule translation type is used.
    type: bool
    default: false
  global_setting_restart_confirmed:
    description:
      - On PAN-OS below 11.1.1, the global C(persistent-dipp) setting is in effect only after the firewall restarted,
        and PAN-OS does not report over its API whether that happened. While the setting is enabled and this option
        is false, the record says C(manual) (a restart is pending, or not confirmed). Set it to true once the firewall
        (and its HA peer) restarted after the setting was enabled; the audit then reports the setting as in effect.
    type: bool
    default: false
notes:
  - Palo Alto documents that, where DIPP or persistent-DIPP NAT rules already exist, the firewall should be rebooted
    after such rules are added, deleted or changed. The module does not reboot; the result's C(advice) says so.
  - Persistent DIPP makes the mapping endpoint-independent for every source the rule matches. Select a rule that
    matches only the Tailscale hosts where that matters.
  - The commit is scoped to the administrator the module logs in as (O(username), or the owner of O(api_key),
    learnt with C(show admins), PAN-OS 10.0 or later).
  - If the configuration lock cannot be released, the result has C(config_lock_released=false) and a warning, because the
    lock blocks other administrators until it is removed.
  - paloaltonetworks.panos C(panos_nat_rule2) cannot express persistent DIPP; with O(state=present) or C(replaced) it
    deletes the source translation of a rule this module changed. See the PAN-OS page of the collection's docs.
seealso:
  - name: Tailscale with Palo Alto Networks firewalls
    description: Tailscale's guidance this module implements.
    link: https://tailscale.com/kb/1181/firewalls
'''

EXAMPLES = r'''
- name: Persistent DIPP on the outbound NAT rule of the office firewall
  directpath.firewall.panos_persistent_dipp:
    host: fw-office.example.net
    api_key: "{{ vault_panos_api_key }}"
    ca_path: /etc/ssl/corp-ca.pem
    rules:
      - lan-out
  delegate_to: localhost

- name: Audit (check mode) the rules that carry two Tailscale nodes' traffic
  directpath.firewall.panos_persistent_dipp:
    host: fw-office.example.net
    username: automation
    password: "{{ vault_panos_password }}"
    tailscale_hosts:
      - 10.0.0.5
      - 10.0.0.6
  check_mode: true
  delegate_to: localhost
  register: dipp

- name: Roll back to plain dynamic IP and port
  directpath.firewall.panos_persistent_dipp:
    host: fw-office.example.net
    api_key: "{{ vault_panos_api_key }}"
    rules: [lan-out]
    state: absent
  delegate_to: localhost
'''

RETURN = r'''
sw_version:
  description: PAN-OS version the firewall reports.
  returned: success
  type: str
  sample: 11.1.2
rules:
  description: The selected NAT rules and their translation type before and after.
  returned: success
  type: list
  elements: dict
  sample: [{"name": "lan-out", "translation_before": "dynamic-ip-and-port", "translation_after": "persistent-dynamic-ip-and-port"}]
commit_job:
  description: ID of the commit job, when a commit was made.
  returned: changed and not check mode
  type: str
  sample: "42"
config_lock_released:
  description:
    - Whether the configuration lock the module took was released. V(false) means the lock is still held and blocks
      every other administrator until it is removed (a warning says so too).
  returned: when the module took the configuration lock
  type: bool
  sample: true
api_calls:
  description: XML API calls this run made, split into reads and writes (key generation counts as a read).
  returned: always
  type: dict
  sample: {"reads": 4, "writes": 0}
compliance:
  description: The compliance record the audit report collects (see docs/audit.md).
  returned: always
  type: dict
  sample:
    vendor: panos
    workaround: persistent_dipp
    status: drift
    state: present
    applied: false
    findings: ["NAT rule 'lan-out' uses dynamic-ip-and-port: the mapping varies by destination"]
    exposure: ["NAT rule 'lan-out': translated source port reused for every destination (no inbound port opened)"]
diff:
  description: Translation type of each changed rule (or, with O(legacy_global_setting), the global setting), before and after.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"lan-out": "dynamic-ip-and-port"}, "after": {"lan-out": "persistent-dynamic-ip-and-port"}}
'''

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.directpath.firewall.plugins.module_utils.clients.panos import HAS_PANOS
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import module_main
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.persistent_dipp import (
    PERSISTENT_DIPP_SPEC,
    VENDOR,
    WORKAROUND,
    run_persistent_dipp,
)


def require_panos(module):
    if not HAS_PANOS:
        module.fail_json(msg=missing_required_lib('pan-os-python'), cause='dependency')


def main():
    module_main(PERSISTENT_DIPP_SPEC, VENDOR, WORKAROUND, run_persistent_dipp, precheck=require_panos, supports_check_mode=True)


if __name__ == '__main__':
    main()
