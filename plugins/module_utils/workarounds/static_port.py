# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: workarounds. Static-port outbound NAT for the Tailscale hosts: what pfSense and OPNsense share.

PRIVATE to the directpath.firewall collection: may change at any time.

May import: engine/, transport/, clients/ and other workarounds/ files.

Tailscale's pfSense and OPNsense pages (tailscale.com/kb/1146, kb/1097): hybrid
outbound NAT, a rule for UDP with Static Port above the automatic rules, and
``randomizeClientPort: true`` in the tailnet policy. The guide's rule matches
source "any"; we match the Tailscale hosts' addresses instead. Not the source
port: with randomizeClientPort the client's port is random.
"""

from __future__ import annotations

import ipaddress

from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError

__all__ = ['STATIC_PORT_SPEC', 'exposure', 'parse_nat_hosts', 'randomize_advice']

STATIC_PORT_SPEC = ArgumentSpec(
    argument_spec=dict(
        tailscale_hosts=dict(type='list', elements='str'),
        interface=dict(type='str', default='wan'),
        tailnet_randomize_client_port=dict(type='bool'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    ),
    required_if=[('state', 'present', ['tailscale_hosts'])],
)


def parse_nat_hosts(values):
    """The hosts as single IPv4/IPv6 addresses, in the order given (duplicates dropped)."""
    hosts = []
    for value in values or []:
        try:
            network = ipaddress.ip_network(str(value).strip(), strict=True)
        except ValueError:
            raise DirectPathError('tailscale_hosts: %r is not an IP address' % (value,), cause='input')
        if network.num_addresses != 1:
            raise DirectPathError('tailscale_hosts: %s is a network; give each Tailscale host as one address' % value,
                                  cause='input')
        address = network.network_address
        if address not in hosts:
            hosts.append(address)
    return hosts


def randomize_advice(plan, told):
    """Advice/finding about the tailnet policy's randomizeClientPort (told: True, False or None)."""
    text = ('Set "randomizeClientPort": true in the tailnet policy file: with static-port outbound NAT, Tailscale\'s '
            'guide pairs the rule with it (tailscale.com/kb/1146, kb/1097)')
    if told is True:
        return
    plan.add_advice(text)
    if told is False:
        plan.add_finding('the tailnet policy does not set randomizeClientPort (tailnet_randomize_client_port=false): '
                         'static-port NAT alone is not the documented recipe')


def exposure(hosts, interface, mapping):
    what = 'keeps its source port (static port)' if mapping == 'static_port' else 'gets one mapping for every destination (endpoint-independent)'
    return 'outbound UDP from %s via %s %s; no inbound port is opened' % (
        ', '.join(str(host) for host in hosts), interface, what)
