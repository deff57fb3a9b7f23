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

The outbound NAT mode logic lives here once (:func:`plan_nat_mode`) and serves
all three paths (pfSense config.xml, OPNsense config.xml, OPNsense API): a
disabled NAT needs a person; automatic becomes hybrid with the previous mode
recorded; ``state: absent`` puts the recorded mode back when no other manual
rule needs hybrid. The record is bookkeeping, never compared.
"""

from __future__ import annotations

from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.onbox_inputs import parse_host_addresses

__all__ = ['STATIC_PORT_SPEC', 'exposure', 'parse_nat_hosts', 'plan_nat_mode', 'randomize_advice']

STATIC_PORT_SPEC = ArgumentSpec(
    argument_spec=dict(
        tailscale_hosts=dict(type='list', elements='str'),
        interface=dict(type='str', default='wan'),
        tailnet_randomize_client_port=dict(type='bool'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    ),
    required_if=[('state', 'present', ['tailscale_hosts'])],
)


def parse_nat_hosts(values, required=True):
    """The hosts as single IPv4/IPv6 addresses, in the order given (duplicates dropped).

    An empty list with ``required`` fails: a rule for no host would still switch
    NAT to hybrid.
    """
    return [network.network_address for network in parse_host_addresses(
        values, ipv4_only=False, required=required, single_because='give each Tailscale host as one address')]


def plan_nat_mode(plan, mode, state, record, other_rules, what='outbound NAT'):
    """Compare the NAT mode in ``plan``; return ``(new mode, mode_before list for the record)``.

    ``record`` holds ``mode_before`` when one of our runs switched the mode;
    ``other_rules`` counts the manual rules that are not ours.
    """
    new_mode = mode
    mode_before = list(record.get('mode_before', []))
    if state == 'present':
        if mode == 'disabled':
            plan.require_manual('%s is disabled on this firewall: a static-port rule would not be used; enabling NAT is '
                                'a decision for a human' % what)
        elif mode == 'automatic':
            new_mode = 'hybrid'
            mode_before = ['automatic']
    else:
        if mode_before and mode == 'hybrid':
            if other_rules:
                plan.add_finding('%s left in hybrid mode: %d other manual rule(s) depend on it' % (what, other_rules))
            else:
                new_mode = mode_before[0]
        mode_before = []
    plan.compare('nat_mode', mode, new_mode,
                 finding='%s is in automatic mode: manual rules are ignored' % what if mode == 'automatic' else None)
    return new_mode, mode_before


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
