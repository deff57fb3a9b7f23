# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: fleet. Which path each Tailscale peer takes (the logic of tailscale_path_info).

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/ and fleet/tailscale_cli.py.
"""

from __future__ import annotations

from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import compliance_record
from ansible_collections.directpath.firewall.plugins.module_utils.fleet.tailscale_cli import (
    PATHS,
    PATH_DERP,
    PATH_DIRECT,
    PATH_IDLE,
    PATH_OFFLINE,
    PATH_PEER_RELAY,
    TailscaleCli,
    match_peer,
    nat_findings,
)

__all__ = [
    'PATH_INFO_SPEC',
    'VENDOR',
    'WORKAROUND',
    'classify_paths',
    'describe_peer_path',
    'run_tailscale_path_info',
]

VENDOR = 'tailscale'
WORKAROUND = 'direct_path'

PATH_INFO_SPEC = ArgumentSpec(
    argument_spec=dict(
        tailscale_path=dict(type='str', default='tailscale'),
        ping_peers=dict(type='list', elements='str', default=[]),
        ping_count=dict(type='int', default=10),
        ping_timeout=dict(type='int', default=5),
        expect_direct=dict(type='list', elements='str'),
        accept_peer_relay=dict(type='bool', default=False),
        netcheck=dict(type='bool', default=True),
    ),
)


def resolve_peers(peers, names, option):
    chosen = []
    for name in names:
        peer = match_peer(peers, name)
        if peer is None:
            known = ', '.join(peer['name'] for peer in peers) or 'none'
            raise DirectPathError('%s names %r, but tailscale status has no such peer (peers: %s)' % (option, name, known),
                                  cause='input')
        if peer not in chosen:
            chosen.append(peer)
    return chosen


def describe_peer_path(peer):
    label = 'peer %s (%s)' % (peer['name'], peer['tailscale_ips'][0]) if peer['tailscale_ips'] else 'peer %s' % peer['name']
    path = peer['path']
    if path == PATH_DIRECT:
        return '%s: direct %s' % (label, peer['cur_addr'])
    if path == PATH_DERP:
        return "%s: relayed through DERP (the peer's home region %s)" % (label, peer['home_derp'])
    if path == PATH_PEER_RELAY:
        return '%s: through the peer relay %s' % (label, peer['peer_relay'])
    if path == PATH_OFFLINE:
        return '%s: offline, path unknown' % label
    ping = peer.get('ping')
    if ping:
        return '%s: still idle after tailscale ping (%s), path unknown' % (label, ping['message'] or ping['result'])
    return '%s: idle, path unknown until traffic flows (add it to ping_peers)' % label


def classify_paths(status, pings, params):
    """Mark the expected peers and build the compliance record from the paths."""
    peers = status['peers']
    pinged = {}
    for summary in pings:
        peer = match_peer(peers, summary['target'])
        if peer is not None:
            pinged[id(peer)] = summary
    for peer in peers:
        peer['ping'] = pinged.get(id(peer))
        peer['path_source'] = 'status'
        # The status is read right after the pings, but a peer can fall idle again in between
        # (45 s): then the path of its last pong is the best evidence there is.
        if peer['path'] == PATH_IDLE and peer['ping'] and peer['ping']['result'] in (PATH_DIRECT, PATH_PEER_RELAY, PATH_DERP):
            peer['path'] = peer['ping']['result']
            peer['path_source'] = 'ping'
            field = {PATH_DIRECT: 'cur_addr', PATH_PEER_RELAY: 'peer_relay', PATH_DERP: 'home_derp'}[peer['path']]
            peer[field] = peer[field] or peer['ping']['pongs'][-1]['detail']
    if params['expect_direct'] is not None:
        expected = resolve_peers(peers, params['expect_direct'], 'expect_direct')
    else:
        expected = [peer for peer in peers
                    if peer['path'] in (PATH_DIRECT, PATH_PEER_RELAY, PATH_DERP) or id(peer) in pinged]
    acceptable = (PATH_DIRECT, PATH_PEER_RELAY) if params['accept_peer_relay'] else (PATH_DIRECT,)
    relayed = [peer for peer in expected if peer['path'] in (PATH_DERP, PATH_PEER_RELAY) and peer['path'] not in acceptable]
    unclassified = [peer for peer in expected if peer['path'] in (PATH_IDLE, PATH_OFFLINE)]
    for peer in peers:
        peer['expected_direct'] = any(peer is other for other in expected)
    # Relayed peers first: they are what the report's reader has to act on.
    ordered = relayed + unclassified + [peer for peer in expected if peer not in relayed and peer not in unclassified]
    findings = [describe_peer_path(peer) for peer in ordered]
    if relayed:
        state = 'drift'
    elif unclassified:
        state = 'manual'
    elif not expected:
        state = 'manual'
        findings.append('no peer was active or pinged, so no path could be verified: name peers in ping_peers')
    else:
        state = 'compliant'
    return state, findings, relayed, unclassified


def run_tailscale_path_info(ctx, api_calls):
    """The whole run of tailscale_path_info: status, pings, status again, netcheck; never writes."""
    params = ctx.params
    if params['ping_count'] < 1 or params['ping_timeout'] < 1:
        raise DirectPathError('ping_count and ping_timeout must be at least 1', cause='input')
    cli = TailscaleCli(ctx, api_calls, params['tailscale_path'])
    status = cli.status()
    pings = [cli.ping(target, params['ping_count'], params['ping_timeout']) for target in params['ping_peers']]
    if pings:
        status = cli.status()
    netcheck, netcheck_error = None, None
    if params['netcheck']:
        try:
            netcheck = cli.netcheck()
        except DirectPathError as error:
            netcheck_error = error.message
    state, findings, relayed, unclassified = classify_paths(status, pings, params)
    if netcheck is not None:
        findings.extend(nat_findings(netcheck))
    elif netcheck_error:
        findings.append('netcheck failed: %s' % netcheck_error)
    summary = dict((path, 0) for path in PATHS)
    for peer in status['peers']:
        summary[peer['path']] += 1
    node = dict(status['self'], backend_state=status['backend_state'], version=status['version'], health=status['health'])
    result = dict(
        changed=False,
        peers=status['peers'],
        summary=summary,
        relayed=[peer['name'] for peer in relayed],
        unclassified=[peer['name'] for peer in unclassified],
        pings=pings,
        netcheck=netcheck,
        node=node,
        api_calls=api_calls.as_dict(),
        compliance=compliance_record(VENDOR, WORKAROUND, state, findings, [], node=node['name']),
    )
    if netcheck_error:
        result['netcheck_error'] = netcheck_error
    return result
