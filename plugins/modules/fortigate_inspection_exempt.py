#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: fortigate_inspection_exempt
short_description: Keep FortiGate application control and SSL inspection from breaking Tailscale
version_added: 0.2.0
description:
  - 'With FortiGate application control and SSL deep inspection, a FortiGate intercepts HTTPS connections to the
    Tailscale control plane and nodes cannot connect; the Tailscale client shows
    C(x509: "controlplane.tailscale.com" certificate is not trusted). Tailscale''s guidance is that nothing that
    inspects SSL may catch Tailscale, and that no rule may block the B(Proxy) category or the FortiGuard
    B(Tailscale) application (id 51457).'
  - For the VDOM and the profiles named, the module ensures that no application control entry blocks or resets the
    Tailscale application, and that every SSL/SSH inspection profile that does deep inspection exempts the Tailscale
    control-plane hosts.
  - "Application control: entries are read in order, as the FortiGate matches them. An entry that names the Tailscale
    application loses it (and is removed if it named nothing else). An entry that matches it through a category (the
    category the FortiGate's application database files Tailscale under, read from the device, or Proxy) or through
    filters gets an exclusion for the application, so the rest of what it blocks stays blocked. When no entry passes
    Tailscale and the list blocks other applications, a pass entry for Tailscale is appended. Other entries and
    settings are not changed."
  - "SSL/SSH inspection: for each pattern in O(exempt_fqdns) the module owns a wildcard FQDN object named
    C(directpath-<domain>) and adds an C(ssl-exempt) row for it to each named profile that inspects deeply, plus a
    row for each address object in O(exempt_addresses). Existing exemptions are kept, and a row for another wildcard
    FQDN object that holds the same pattern already counts. Profiles doing certificate inspection only, or none, are
    reported and left alone."
  - FQDN exemptions cannot cover DERP relays, which Tailscale reaches by IP address without a DNS lookup; the findings
    say so. Relays the network inspects can be exempted through address objects (O(exempt_addresses)).
  - FortiOS has no configuration transaction. The module writes one table per request (objects first, then application
    lists, then inspection profiles); if a write fails, the writes already made are undone in reverse order and the error says
    whether the FortiGate is back as it was.
author:
  - DirectPath engineers (@directpath)
extends_documentation_fragment:
  - directpath.firewall.fortios
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Only reads the FortiGate (system status, the application database and the named profiles); no write is sent.
  diff_mode:
    support: full
    details: Shows, per changed list, profile or object, the compared entries or exemptions before and after.
  platform:
    platforms: fortios
options:
  application_lists:
    description:
      - Names of the application control lists (sensors) to check, in O(vdom).
      - A named list that does not exist fails the module.
      - One of O(application_lists) or O(ssl_ssh_profiles) is required.
    type: list
    elements: str
  ssl_ssh_profiles:
    description:
      - Names of the SSL/SSH inspection profiles to check, in O(vdom) (the ones the firewall policies that carry
        Tailscale traffic use).
      - The built-in profiles C(deep-inspection), C(certificate-inspection) and C(no-inspection) are read-only on
        FortiOS; naming C(deep-inspection) fails with advice to clone it (for example to C(custom-deep-inspection)).
    type: list
    elements: str
  exempt_fqdns:
    description:
      - Wildcard domains to exempt from deep inspection, one wildcard FQDN object each.
      - The default covers the coordination server C(controlplane.tailscale.com), C(login.tailscale.com) and the
        other Tailscale service hosts.
    type: list
    elements: str
    default: ['*.tailscale.com']
  exempt_addresses:
    description:
      - Names of existing firewall address objects to exempt as well, for example the DERP relays the network
        team pins by IP address. A name that does not exist fails the module.
    type: list
    elements: str
    default: []
  tailscale_application_id:
    description:
      - FortiGuard application id of Tailscale. Change it only if FortiGuard renumbers the signature.
    type: int
    default: 51457
notes:
  - The module changes only the profiles named. It does not add or reorder firewall policies, and does not turn
    application control or inspection off.
  - On FortiOS before 6.4.4 application control entries have no exclusion; when an entry blocks Tailscale through a
    category there, the module changes nothing and reports C(manual).
  - To undo, remove the C(directpath-*) rows from the profiles' SSL exemptions, delete the C(directpath-*) wildcard
    FQDN objects and restore the application list entries (the diff shows them).
seealso:
  - name: Tailscale behind FortiGate application control and SSL inspection
    description: Tailscale's firewall guidance this module implements.
    link: https://tailscale.com/kb/1181/firewalls
  - name: FortiGuard application Tailscale
    description: The application control signature, id 51457.
    link: https://fortiguard.fortinet.com/appcontrol/51457
'''

EXAMPLES = r'''
- name: Let Tailscale through the office FortiGate's inspection
  directpath.firewall.fortigate_inspection_exempt:
    host: fgt-office.example.net
    access_token: "{{ vault_fortios_token }}"
    ca_path: /etc/ssl/corp-ca.pem
    vdom: root
    application_lists: [default, corp-strict]
    ssl_ssh_profiles: [custom-deep-inspection]
  delegate_to: localhost

- name: Audit (check mode) with a read-only API user
  directpath.firewall.fortigate_inspection_exempt:
    host: fgt-office.example.net
    access_token: "{{ vault_fortios_readonly_token }}"
    application_lists: [default]
    ssl_ssh_profiles: [custom-deep-inspection]
  check_mode: true
  delegate_to: localhost
  register: fortigate_audit

- name: Also exempt the relays the network team pins by address
  directpath.firewall.fortigate_inspection_exempt:
    host: fgt-office.example.net
    access_token: "{{ vault_fortios_token }}"
    ssl_ssh_profiles: [custom-deep-inspection]
    exempt_addresses: [ts-derp-fra]
  delegate_to: localhost
'''

RETURN = r'''
fortios_version:
  description: FortiOS version the FortiGate reports.
  returned: success
  type: str
  sample: v7.4.7
vdom:
  description: The VDOM the module worked in.
  returned: success
  type: str
  sample: root
tailscale_application:
  description: The Tailscale application as the FortiGate's application database files it, and the category ids checked.
  returned: success
  type: dict
  sample: {"id": 51457, "name": "Tailscale", "category": 7, "category_name": "Remote.Access", "checked_categories": [6, 7]}
application_lists:
  description: Each named application list, whether it blocked Tailscale and what changes (or would change).
  returned: success
  type: list
  elements: dict
  sample: [{"name": "default", "blocks_tailscale": true, "notes": ["entry 1 blocks Tailscale through category 6 (Proxy): Tailscale is excluded from it"]}]
ssl_ssh_profiles:
  description: Each named SSL/SSH profile, whether it inspects deeply and which exemptions were missing.
  returned: success
  type: list
  elements: dict
  sample: [{"name": "custom-deep-inspection", "deep_inspection": true, "missing_exemptions": ["wildcard-fqdn:directpath-tailscale.com"]}]
revisions:
  description: Each write made, with the configuration revision FortiOS reported and its C(revision_changed) flag.
  returned: changed and not check mode
  type: list
  elements: dict
  sample: [{"object": "wildcard directpath-tailscale.com", "revision": "c63617e0167c28ac6b3dba21da9ffdac", "revision_changed": true}]
api_calls:
  description: REST API requests this run made, split into reads and writes.
  returned: always
  type: dict
  sample: {"reads": 7, "writes": 0}
compliance:
  description: The compliance record the audit report collects (see docs/audit.md).
  returned: always
  type: dict
  sample:
    vendor: fortinet
    workaround: inspection_exempt
    status: drift
    state: present
    applied: false
    findings: ["application list 'default' blocks Tailscale: entry 1 blocks Tailscale through category 6 (Proxy): Tailscale is excluded from it"]
    exposure: ["SSL/SSH profile 'custom-deep-inspection': TLS to directpath-tailscale.com is no longer decrypted and inspected"]
diff:
  description: The compared entries, exemptions and objects that change, before and after.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"wildcard FQDN object directpath-tailscale.com": null}, "after": {"wildcard FQDN object directpath-tailscale.com": "*.tailscale.com"}}
'''

from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import module_main
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.inspection_exempt import (
    INSPECTION_EXEMPT_SPEC,
    VENDOR,
    WORKAROUND,
    run_inspection_exempt,
)


def main():
    module_main(INSPECTION_EXEMPT_SPEC, VENDOR, WORKAROUND, run_inspection_exempt, supports_check_mode=True)


if __name__ == '__main__':
    main()
