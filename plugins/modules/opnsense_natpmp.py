#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: opnsense_natpmp
short_description: NAT-PMP on OPNsense, allowed only for the Tailscale hosts
version_added: 0.1.0
description:
  - Tailscale's guidance for OPNsense is to enable the UPnP service (plugin C(os-upnp)) with B(Allow NAT-PMP Port Mapping), so
    Tailscale nodes behind the firewall can ask for a port mapping and connect directly instead of through DERP.
  - The module enables the service for PCP/NAT-PMP on the given internal interfaces, adds one ACL entry per Tailscale
    host (C(allow <external ports> <host>/32 <internal ports>)) at the top of the ACL list, and turns on
    B(Default Deny), so every other host is refused. Port ranges stay wide (default C(1024-65535)) because Tailscale
    asks for random external ports; the address scope is what stays narrow.
  - UPnP IGD is not switched on unless O(enable_upnp=true).
  - Other ACL entries are kept, with their text and order. What the module switched on is recorded in
    C(installedpackages/directpath_firewall/natpmp) in config.xml, so O(state=absent) removes our ACL entries and
    switches off only what this module switched on.
  - The module runs on the firewall. It edits C(config.xml) with OPNsense's revision entry and backup copy, then runs
    what the plugin's page runs after saving, C(miniupnpd_configure_do()) (regenerates C(/var/etc/miniupnpd.conf) and
    restarts the daemon) and C(configctl filter reload). If that fails, the previous config.xml is restored and
    applied again, and the module fails.
  - The os-upnp plugin has no REST API (its ACL covers only the legacy pages), so config.xml is the only way.
  - OPNsense reads only C(permuser1) to C(permuser<num_permuser>) (default 8); when more entries are needed the
    module raises C(num_permuser) and restores it with O(state=absent).
author:
  - DirectPath engineers (@directpath)
extends_documentation_fragment:
  - directpath.firewall.opnsense
  - directpath.firewall.pf_firewall.natpmp
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Only reads config.xml and the version file; nothing is written and no command is run.
  diff_mode:
    support: full
    details: Shows each changed UPnP & NAT-PMP field and the ACL list before and after.
  platform:
    platforms: opnsense
notes:
  - "Default O(apply_command): C(/usr/local/bin/php -r 'require_once(\"config.inc\"); require_once(\"util.inc\");
    require_once(\"interfaces.inc\"); require_once(\"filter.inc\"); require_once(\"system.inc\");
    require_once(\"plugins.inc.d/miniupnpd.inc\"); miniupnpd_configure_do();') then C(/usr/local/sbin/configctl filter reload)."
  - The plugin registers C(miniupnpd_configure_do) only for the C(bootup) and C(newwanip) hooks, so C(pluginctl -c) would
    reconfigure far more than UPnP; the module calls the function directly, as the plugin's page does.
seealso:
  - name: Tailscale on OPNsense
    description: Tailscale's guidance this module implements.
    link: https://tailscale.com/kb/1097/install-opnsense
'''

EXAMPLES = r'''
- name: NAT-PMP for two Tailscale nodes on the LAN
  directpath.firewall.opnsense_natpmp:
    tailscale_hosts:
      - 198.18.30.21
      - 198.18.30.22
    interfaces: [lan]

- name: Audit only
  directpath.firewall.opnsense_natpmp:
    tailscale_hosts: [198.18.30.21]
  check_mode: true
  register: natpmp

- name: Roll back what the module enabled
  directpath.firewall.opnsense_natpmp:
    state: absent
'''

RETURN = r'''
product_version:
  description: Content of the version file.
  returned: success
  type: str
  sample: 26.1.6
settings:
  description: The UPnP & NAT-PMP settings after the run (or that a run would leave, in check mode).
  returned: success
  type: dict
  sample:
    enable: true
    enable_natpmp: true
    enable_upnp: false
    permdefault: true
    ext_iface: wan
    iface_array: [lan]
    acl: ["allow 1024-65535 198.18.30.21/32 1024-65535"]
    num_permuser: ''
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
    vendor: opnsense
    workaround: natpmp
    status: drift
    state: present
    applied: false
    findings: ["PCP/NAT-PMP port mapping is off: Tailscale cannot ask for a mapping"]
    exposure: ["NAT-PMP/PCP mappings, external ports 1024-65535 (UDP and TCP) to 198.18.30.21/32 internal ports 1024-65535, requested on lan"]
diff:
  description: Changed fields before and after.
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.directpath.firewall.plugins.module_utils.clients.opnsense import OPNSENSE
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import module_main
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.natpmp import natpmp_runner, natpmp_spec


def main():
    module_main(natpmp_spec(OPNSENSE), OPNSENSE.name, 'natpmp', natpmp_runner(OPNSENSE), supports_check_mode=True)


if __name__ == '__main__':
    main()
