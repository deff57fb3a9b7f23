# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):
    """Workaround options shared by the pfSense and OPNsense modules (both products run miniupnpd and pf).

    The vendor fragments (pfsense.py, opnsense.py) hold the on-box connection options.
    """

    # Options of pfsense_natpmp and opnsense_natpmp (mirrors NATPMP_SPEC in module_utils/workarounds/natpmp.py).
    NATPMP = r'''
options:
  tailscale_hosts:
    description:
      - IPv4 addresses of the Tailscale nodes behind the firewall (one address each, no networks).
      - Each gets one ACL entry C(allow <external_ports> <address>/32 <internal_ports>); every other host is denied.
      - miniupnpd's ACL entries and NAT-PMP are IPv4 only; an IPv6 address fails the module.
      - Required with O(state=present).
    type: list
    elements: str
  interfaces:
    description:
      - Internal interfaces (config.xml names such as V(lan), V(opt1)) the service listens on.
      - Interfaces listed already are kept; the ones this module adds are removed again with O(state=absent).
      - V(wan) and O(external_interface) are refused, as the product refuses them, and so is a name the configuration's
        C(<interfaces>) does not define (checked in check mode too; the error lists the names that exist).
    type: list
    elements: str
    default: [lan]
  external_interface:
    description: The interface that holds the default route (config.xml name, defined in its C(<interfaces>)).
    type: str
    default: wan
  external_ports:
    description:
      - External port or range a Tailscale host may map. Tailscale asks for random ports, keep it wide.
      - A port 1-65535 or a range C(low-high) in ASCII digits, lower port first.
    type: str
    default: 1024-65535
  internal_ports:
    description: Internal port or range a Tailscale host may map to.
    type: str
    default: 1024-65535
  enable_upnp:
    description:
      - Also allow UPnP IGD port mapping (Tailscale needs only NAT-PMP).
      - With V(false) the module never switches UPnP IGD on, switches it off again if an earlier run of this module
        switched it on, and otherwise leaves it as it is and reports it.
    type: bool
    default: false
  state:
    description:
      - V(present) enables NAT-PMP for the Tailscale hosts; V(absent) removes our ACL entries and switches off what
        this module switched on.
    type: str
    choices: [present, absent]
    default: present
'''

    # Options of pfsense_static_port and opnsense_static_port (mirrors STATIC_PORT_SPEC in module_utils/workarounds/static_port.py).
    STATIC_PORT = r'''
options:
  tailscale_hosts:
    description:
      - Addresses (IPv4 and/or IPv6, one address each) of the Tailscale nodes behind the firewall.
      - Outbound UDP from these addresses gets the stable mapping; nothing else does.
      - Required with O(state=present), and must not be empty then. IPv6 addresses without a zone (C(%eth0)).
    type: list
    elements: str
  interface:
    description: The outbound (WAN) interface the rule applies to, by config.xml name (defined in its C(<interfaces>)).
    type: str
    default: wan
  tailnet_randomize_client_port:
    description:
      - What the tailnet policy file says about C(randomizeClientPort), if you know (the tailnet_policy module manages it).
      - Unless V(true), a static-port result carries advice to set it; V(false) adds a finding.
    type: bool
  state:
    description: V(present) keeps our rule(s); V(absent) removes them.
    type: str
    choices: [present, absent]
    default: present
'''
