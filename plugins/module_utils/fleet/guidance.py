# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: fleet. Tailscale's firewall guidance, one row per firewall, as data; the guidance_info logic.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/ only (the guidance needs no device).

Source: "Using Tailscale with your firewall" (tailscale.com/docs/integrations/firewalls,
the table "Firewall compatibility and workarounds" and the per-vendor sections), plus
the vendor pages it links (Palo Alto, pfSense, OPNsense). Each row says what Tailscale
expects behind that firewall, the documented workaround, which of our modules and
roles apply it, and the caveats the audit report repeats to the firewall's owner.
"""

from __future__ import annotations

from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import compliance_record

__all__ = [
    'GUIDANCE',
    'GUIDANCE_INFO_SPEC',
    'NOT_FIREWALLS',
    'NO_WORKAROUND',
    'RANDOMIZE_CLIENT_PORT',
    'guidance_for',
    'guidance_record',
    'known_vendors',
    'run_guidance_info',
]

# How the workarounds relate to the tailnet policy option randomizeClientPort.
# 'wants': the recipe relies on it; 'conflicts': the recipe needs it off.
RANDOMIZE_CLIENT_PORT = {
    'wants': ('pfsense:static_port', 'opnsense:static_port', 'fortinet:randomize_port'),
    'conflicts': ('panos:selective_source_port',),
}

# directpath_vendor -> row. 'expected' uses the table's wording; 'status_without_device'
# is what the audit reports for rows that need no device API.
GUIDANCE = {
    'opnsense': {
        'firewall': 'OPNsense',
        'expected': 'Connects via DERP',
        'workaround': 'Enable NAT-PMP, or static NAT port mappings',
        'workarounds': ('natpmp', 'static_port'),
        'modules': ('opnsense_natpmp', 'opnsense_static_port'),
        'role': 'opnsense',
        'caveats': (
            'NAT-PMP lets the permitted hosts open any port mapping they ask for: scope it to the Tailscale hosts.',
            'Static-port outbound NAT is paired with randomizeClientPort in the tailnet policy.',
            'OPNsense needs one outbound NAT rule per address family (IPv4 and IPv6).',
        ),
    },
    'pfsense': {
        'firewall': 'pfSense',
        'expected': 'Connects via DERP',
        'workaround': 'Enable NAT-PMP, or static NAT port mappings',
        'workarounds': ('natpmp', 'static_port'),
        'modules': ('pfsense_natpmp', 'pfsense_static_port'),
        'role': 'pfsense',
        'caveats': (
            'NAT-PMP lets the permitted hosts open any port mapping they ask for: scope it to the Tailscale hosts.',
            'Static-port outbound NAT is paired with randomizeClientPort in the tailnet policy.',
            'pfSense Plus 25.11 / CE 2.9 offer endpoint-independent outbound NAT, which can replace static port.',
        ),
    },
    'barracuda': {
        'firewall': 'Barracuda',
        'expected': 'Connects via DERP',
        'workaround': 'Increase Max UDP sessions, and open a firewall port',
        'workarounds': ('udp_sessions', 'open_port'),
        'modules': ('barracuda_udp_sessions',),
        'role': 'barracuda',
        'caveats': (
            'Raising Max UDP takes effect only after a firewall (firmware) restart.',
            'Max UDP has no REST API resource: it is always a manual step (a forwarding rule can override it per rule).',
            'Open the port only for the Tailscale hosts and UDP port you name.',
        ),
    },
    'checkpoint': {
        'firewall': 'Check Point',
        'expected': 'Connects directly',
        'workaround': 'n/a',
        'workarounds': (),
        'modules': (),
        'role': None,
        'status_without_device': 'not_applicable',
        'caveats': ('Confirm with tailscale netcheck: MappingVariesByDestIP should be false.',),
    },
    'cisco': {
        'firewall': 'Cisco',
        'expected': 'Connects via DERP',
        'workaround': 'Open a firewall port',
        'workarounds': ('open_port',),
        'modules': ('cisco_asa_udp_port',),
        'role': 'cisco_asa',
        'caveats': ('Open the port only for the Tailscale hosts and UDP port you name.',),
    },
    'cisco_umbrella': {
        'firewall': 'Cisco with Cisco Umbrella Endpoint Security',
        'expected': 'Connects via DERP',
        'workaround': 'None',
        'workarounds': (),
        'modules': (),
        'role': None,
        'status_without_device': 'no_workaround',
        'caveats': (
            'Opening a firewall port does not help: with Umbrella endpoint security traffic always uses DERP relays.',
            'Consider a Tailscale peer relay inside the network, or exempting the Tailscale hosts from Umbrella.',
        ),
    },
    'fortinet': {
        'firewall': 'Fortinet',
        'expected': 'Connects via DERP',
        'workaround': 'Randomize port',
        'workarounds': ('randomize_port',),
        'modules': ('tailnet_policy',),
        # Nothing changes on the FortiGate: the tailnet host (directpath_vendor 'tailnet') applies it.
        'role': None,
        'applied_by': 'tailnet',
        'caveats': (
            'Problems often appear only once more than 5 people use Tailscale behind the same firewall.',
            'randomizeClientPort applies to the whole tailnet unless scoped with nodeAttrs randomize-client-port.',
        ),
    },
    'fortinet_dpi': {
        'firewall': 'Fortinet with FortiGate deep packet inspection',
        'expected': 'Unable to connect to control plane',
        'workaround': 'None',
        'workarounds': ('inspection_exempt',),
        'modules': ('fortigate_inspection_exempt',),
        'role': 'fortigate',
        'caveats': (
            'Symptom: x509 "controlplane.tailscale.com" certificate is not trusted in tailscale status.',
            'Disable or reduce SSL inspection for the Tailscale hosts; do not block the Proxy category '
            'or the FortiGuard Tailscale application (51457).',
            'FQDN exemptions cannot cover DERP relays: Tailscale reaches them by IP address without a DNS lookup '
            '(tailscale/tailscale#15217); exempt them with address objects.',
        ),
    },
    # Not a firewall: the tailnet's policy file, an inventory host of its own, where the Fortinet
    # row's workaround (and the randomizeClientPort the static-port recipes rely on) is applied.
    'tailnet': {
        'firewall': 'Tailscale tailnet policy file',
        'expected': 'n/a (not a firewall)',
        'workaround': 'randomizeClientPort, tailnet-wide or per tag (nodeAttrs randomize-client-port)',
        'workarounds': ('randomize_port',),
        'modules': ('tailnet_policy',),
        'role': 'tailnet',
        'caveats': (
            "randomizeClientPort overrides a node's --port setting (tailscale#11174).",
            'Scope it by tag when a Palo Alto selective NAT rule for UDP source port 41641 serves other nodes: that rule '
            'needs the fixed port.',
        ),
    },
    'panos': {
        'firewall': 'Palo Alto Networks',
        'expected': 'Connects via DERP',
        'workaround': 'Use Persistent Dynamic IP and Port',
        'workarounds': ('persistent_dipp',),
        'modules': ('panos_persistent_dipp',),
        'role': 'panos',
        'caveats': (
            'Persistent Dynamic IP and Port as a NAT rule translation type needs PAN-OS 11.1.1 or later.',
            'Older PAN-OS: the global persistent-dipp setting (10.1.6+/10.2.4+, restart needed), a selective '
            'rule for UDP source port 41641 (randomizeClientPort must be off), or Static IP NAT for one device.',
            'Palo Alto documents a reboot after changing DIPP NAT rules when DIPP rules already exist.',
        ),
    },
    'sophos': {
        'firewall': 'Sophos',
        'expected': 'Connects directly',
        'workaround': 'n/a',
        'workarounds': (),
        'modules': (),
        'role': None,
        'status_without_device': 'not_applicable',
        'caveats': ('Confirm with tailscale netcheck: MappingVariesByDestIP should be false.',),
    },
    'unifi': {
        'firewall': 'UniFi Gateways',
        'expected': 'Connects via DERP',
        'workaround': 'Allow peer-to-peer traffic',
        'workarounds': ('p2p_threat',),
        'modules': ('unifi_p2p_threat',),
        'role': 'unifi',
        'caveats': (
            'Only matters when threat detection is on: the P2P category must not be blocked.',
            'UniFi Network 9.0.108 and later show it as "Peer to Peer and Dark Web" (Security > Protection).',
        ),
    },
}


# Rows that are not firewalls of Tailscale's table, but hosts the dispatcher still sends to a role.
NOT_FIREWALLS = ('tailnet',)


def known_vendors():
    return sorted(GUIDANCE)


def guidance_for(vendor):
    """Return the guidance row of ``vendor`` or raise KeyError naming the known vendors."""
    try:
        return GUIDANCE[vendor]
    except KeyError:
        raise KeyError('unknown vendor %r; known vendors: %s' % (vendor, ', '.join(known_vendors())))


COLLECTION = 'directpath.firewall'
NO_WORKAROUND = 'none'
# The guidance writes "n/a" or "None" in its workaround column when there is nothing to apply.
EMPTY_WORKAROUND_TEXT = ('n/a', 'None')

GUIDANCE_INFO_SPEC = ArgumentSpec(
    argument_spec=dict(
        vendor=dict(type='str', required=True),
        workaround=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    ),
)


def row_of(vendor):
    if vendor not in GUIDANCE:
        raise DirectPathError(
            'directpath_vendor %r is not a row of the guidance; known vendors: %s' % (vendor, ', '.join(known_vendors())),
            cause='input')
    return GUIDANCE[vendor]


def chosen_workaround(vendor, row, workaround):
    workarounds = list(row['workarounds'])
    if row.get('status_without_device'):
        if workaround not in (None, NO_WORKAROUND):
            raise DirectPathError('%s has no workaround to choose; leave workaround unset' % vendor, cause='input')
        return NO_WORKAROUND
    if workaround is None:
        if len(workarounds) != 1:
            raise DirectPathError('%s has several workarounds; set workaround to one of: %s' % (vendor, ', '.join(workarounds)),
                                  cause='input')
        return workarounds[0]
    if workaround not in workarounds:
        raise DirectPathError('%r is not a workaround of %s; choose one of: %s' % (workaround, vendor, ', '.join(workarounds)),
                              cause='input')
    return workaround


def how_to_apply(row):
    """The guidance's own words on what to do; its caveats when the table cell says None."""
    if row['workaround'] not in EMPTY_WORKAROUND_TEXT:
        return row['workaround']
    return ' '.join(row['caveats'])


def guidance_record(vendor, workaround=None, state='present'):
    """The compliance record for ``vendor``'s guidance row (raises DirectPathError on bad input)."""
    row = row_of(vendor)
    name = chosen_workaround(vendor, row, workaround)
    status = row.get('status_without_device')
    if row.get('applied_by'):
        status = 'not_applicable'
        findings = ['%s: nothing to change on the firewall; its workaround (%s) is set in the tailnet policy file by the '
                    'host with directpath_vendor %s (role %s). Without that host in the inventory, %s by hand: %s' % (
                        row['firewall'], name, row['applied_by'], GUIDANCE[row['applied_by']]['role'],
                        'apply it' if state == 'present' else 'roll it back', how_to_apply(row))]
    elif status == 'not_applicable':
        findings = ["%s: Tailscale expects '%s'; no firewall change is needed" % (row['firewall'], row['expected'])]
    elif status == 'no_workaround':
        findings = ["%s: Tailscale expects '%s' and the guidance knows no workaround" % (row['firewall'], row['expected'])]
    else:
        status = 'manual'
        verb = 'apply' if state == 'present' else 'roll back'
        findings = ['no module for %s in this version of %s; %s by hand: %s' % (vendor, COLLECTION, verb, how_to_apply(row))]
    return compliance_record(vendor, name, status, findings, [], state=state, advice=list(row['caveats']))


def guidance_row(vendor):
    row = dict(GUIDANCE[vendor])
    for key in ('workarounds', 'modules', 'caveats'):
        row[key] = list(row.get(key, ()))
    return row


def run_guidance_info(ctx, api_calls):
    """The whole run of guidance_info: the row's record, no device involved."""
    params = ctx.params
    return dict(
        changed=False,
        compliance=guidance_record(params['vendor'], params['workaround'], params['state']),
        guidance=guidance_row(params['vendor']),
        known_vendors=known_vendors(),
        api_calls=api_calls.as_dict(),
        diff={'before': {}, 'after': {}},
    )
