# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: fleet. Parsers for the Tailscale CLI's outputs and the path classifier.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/ and other fleet/ files.

Shapes were checked against the tailscale/tailscale source (1.103.0, 2026-08):
- ``tailscale status --json`` marshals ``ipnstate.Status``; each peer is an
  ``ipnstate.PeerStatus``. ``CurAddr``, ``Relay`` and ``PeerRelay`` carry no
  omitempty, but ``PeerRelay`` only exists since 1.86, so older daemons omit it.
  ``Peer`` is ``null`` when the node has no peers.
- ``Relay`` is the peer's *home* DERP region code and is filled in even when the
  path is direct (magicsock ``endpoint.populatePeerStatus``); ``CurAddr`` and
  ``PeerRelay`` are only filled in for a peer we sent to recently. The CLI's own
  text output decides "relay" with ``Relay != "" && CurAddr == "" && PeerRelay == ""``
  for active peers only; so do we.
- ``Active`` means "a packet went to this peer within the last 45 s"; a ``tailscale
  ping`` counts. Idle peers cannot be classified until traffic flows.
- ``tailscale netcheck --format=json`` marshals ``netcheck.Report``, declared
  unstable by the CLI (it says so on stderr). ``HairPinning`` was removed in
  1.68.0, ``Now`` added in 1.78.0; ``MappingVariesByDestIP``/``UPnP``/``PMP``/``PCP``/
  ``CaptivePortal`` are ``opt.Bool`` and marshal as ``null`` when unknown.
- ``tailscale ping`` has no JSON output. It prints ``pong from NAME (IP[, PORT]) via
  VIA in LATENCY`` per reply, VIA being ``IP:PORT`` (direct), ``DERP(code)`` or
  ``peer-relay(IP:PORT:vni:N)``. With ``--until-direct`` (the default) it exits 0
  on the first direct pong, else 1 with ``direct connection not established``
  (or ``no reply``) on stderr.
"""

from __future__ import annotations

import json
import os
import re

from ansible.module_utils.common.process import get_bin_path

from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError

__all__ = [
    'NETCHECK_FACTS',
    'PATHS',
    'PATH_DERP',
    'PATH_DIRECT',
    'PATH_IDLE',
    'PATH_OFFLINE',
    'PATH_PEER_RELAY',
    'SEARCH_DIRS',
    'TailscaleCli',
    'classify_peer',
    'interpret_cli_failure',
    'match_peer',
    'nat_findings',
    'parse_netcheck',
    'parse_ping',
    'parse_status',
]

# Every path a peer can be on, as this collection names them.
PATH_DIRECT = 'direct'
PATH_PEER_RELAY = 'peer-relay'
PATH_DERP = 'derp'
PATH_IDLE = 'idle'
PATH_OFFLINE = 'offline'
PATHS = (PATH_DIRECT, PATH_PEER_RELAY, PATH_DERP, PATH_IDLE, PATH_OFFLINE)

# The daemon states that can answer questions about peers (ipn.State names).
USABLE_BACKEND_STATES = ('Running', 'Starting')
BACKEND_STATE_CAUSES = {
    'NeedsLogin': ('auth', 'tailscale is logged out (BackendState NeedsLogin): log in with "tailscale up" first'),
    'NeedsMachineAuth': ('auth', 'this machine is waiting for approval by a tailnet admin (BackendState NeedsMachineAuth)'),
    'Stopped': ('unreachable', 'tailscale is stopped (BackendState Stopped): start it with "tailscale up"'),
    'NoState': ('unreachable', 'tailscaled has not started a backend yet (BackendState NoState)'),
}

# netcheck.Report key -> our fact name. Keys that a version lacks come back as None.
NETCHECK_FACTS = (
    ('Now', 'time'),
    ('UDP', 'udp'),
    ('IPv4', 'ipv4'),
    ('IPv6', 'ipv6'),
    ('IPv4CanSend', 'ipv4_can_send'),
    ('IPv6CanSend', 'ipv6_can_send'),
    ('OSHasIPv6', 'os_has_ipv6'),
    ('ICMPv4', 'icmpv4'),
    ('MappingVariesByDestIP', 'mapping_varies_by_dest_ip'),
    ('HairPinning', 'hair_pinning'),
    ('UPnP', 'upnp'),
    ('PMP', 'pmp'),
    ('PCP', 'pcp'),
    ('PreferredDERP', 'preferred_derp'),
    ('GlobalV4', 'global_v4'),
    ('GlobalV6', 'global_v6'),
    ('CaptivePortal', 'captive_portal'),
)

_PONG = re.compile(r'^pong from (?P<name>\S+) \((?P<ip>[^,)]+)(?:, (?P<peerapi_port>\d+))?\) via (?P<via>\S+) in (?P<latency>\S+)\s*$')
_VIA_DERP = re.compile(r'^DERP\((?P<region>[^)]*)\)$')
_VIA_PEER_RELAY = re.compile(r'^peer-relay\((?P<addr>[^)]*)\)$')


def _load_json_document(text, what):
    """Decode the JSON object in ``text``; tolerate lines before it (warnings, log lines)."""
    text = text or ''
    start = text.find('{')
    if start < 0:
        raise DirectPathError('%s printed no JSON object (output starts: %r)' % (what, text[:120]), cause='api')
    try:
        document = json.loads(text[start:])
    except ValueError as error:
        raise DirectPathError('%s printed invalid JSON: %s' % (what, error), cause='api')
    if not isinstance(document, dict):
        raise DirectPathError('%s printed JSON that is not an object' % what, cause='api')
    return document


def _text(value):
    return value if isinstance(value, str) else ''


def _short_name(dns_name, magic_dns_suffix):
    """``db-01.tail1234.ts.net.`` -> ``db-01`` (the name ``tailscale status`` shows)."""
    name = _text(dns_name).rstrip('.')
    suffix = _text(magic_dns_suffix).strip('.')
    if suffix and name.endswith('.' + suffix):
        return name[:-len(suffix) - 1]
    return name.split('.', 1)[0] if name else ''


def classify_peer(peer):
    """The path of one ``PeerStatus`` dict: direct, peer-relay, derp, idle or offline.

    Only an active peer has a current path. An inactive peer is ``offline`` when
    control says it is offline, else ``idle`` (unknown until traffic flows).
    """
    active = peer.get('Active') is True
    online = peer.get('Online') is not False
    if not active:
        return PATH_IDLE if online else PATH_OFFLINE
    cur_addr = _text(peer.get('CurAddr'))
    relay = _text(peer.get('Relay'))
    peer_relay = _text(peer.get('PeerRelay'))
    # Same precedence as the CLI's text output: a home DERP region with no
    # UDP path and no peer relay means the packets go through DERP.
    if relay and not cur_addr and not peer_relay:
        return PATH_DERP
    if cur_addr:
        return PATH_DIRECT
    if peer_relay:
        return PATH_PEER_RELAY
    # Active, but no path and no home DERP known: nothing to classify on.
    return PATH_IDLE if online else PATH_OFFLINE


def _peer_record(key, peer, magic_dns_suffix):
    dns_name = _text(peer.get('DNSName'))
    ips = [ip for ip in (peer.get('TailscaleIPs') or []) if isinstance(ip, str)]
    record = {
        'name': _short_name(dns_name, magic_dns_suffix) or _text(peer.get('HostName')),
        'host_name': _text(peer.get('HostName')),
        'dns_name': dns_name.rstrip('.'),
        'tailscale_ips': ips,
        'os': _text(peer.get('OS')),
        'online': peer.get('Online') is not False,
        'active': peer.get('Active') is True,
        'path': classify_peer(peer),
        'cur_addr': _text(peer.get('CurAddr')),
        'home_derp': _text(peer.get('Relay')),
        'peer_relay': _text(peer.get('PeerRelay')),
        'rx_bytes': peer.get('RxBytes') if isinstance(peer.get('RxBytes'), int) else 0,
        'tx_bytes': peer.get('TxBytes') if isinstance(peer.get('TxBytes'), int) else 0,
        'public_key': _text(peer.get('PublicKey')) or _text(key),
    }
    return record


def parse_status(text):
    """Parse ``tailscale status --json`` into ``{backend_state, version, self, peers}``.

    Raises DirectPathError when the output is not JSON or the backend cannot
    answer for peers (logged out, stopped, waiting for approval).
    """
    document = _load_json_document(text, 'tailscale status --json')
    state = _text(document.get('BackendState'))
    if state not in USABLE_BACKEND_STATES:
        cause, message = BACKEND_STATE_CAUSES.get(
            state, ('api', 'tailscale reports an unexpected BackendState %r' % (state,)))
        details = {'backend_state': state}
        if _text(document.get('AuthURL')):
            details['auth_url'] = document['AuthURL']
        raise DirectPathError(message, cause=cause, details=details)
    tailnet = document.get('CurrentTailnet') if isinstance(document.get('CurrentTailnet'), dict) else {}
    suffix = _text(tailnet.get('MagicDNSSuffix')) or _text(document.get('MagicDNSSuffix'))
    self_status = document.get('Self') if isinstance(document.get('Self'), dict) else {}
    peers = document.get('Peer') if isinstance(document.get('Peer'), dict) else {}
    records = [_peer_record(key, peer, suffix) for key, peer in peers.items() if isinstance(peer, dict)
               and not peer.get('ShareeNode')]
    records.sort(key=lambda record: (record['name'], record['public_key']))
    return {
        'backend_state': state,
        'version': _text(document.get('Version')),
        'magic_dns_suffix': suffix,
        'health': [message for message in (document.get('Health') or []) if isinstance(message, str)],
        'self': {
            'name': _short_name(self_status.get('DNSName'), suffix) or _text(self_status.get('HostName')),
            'dns_name': _text(self_status.get('DNSName')).rstrip('.'),
            'tailscale_ips': [ip for ip in (self_status.get('TailscaleIPs') or []) if isinstance(ip, str)],
            'home_derp': _text(self_status.get('Relay')),
        },
        'peers': records,
    }


def match_peer(peers, wanted):
    """The peer record ``wanted`` names (short name, host name, DNS name or Tailscale IP), or None."""
    needle = wanted.strip().rstrip('.').lower()
    for peer in peers:
        names = [peer['name'], peer['host_name'], peer['dns_name']] + list(peer['tailscale_ips'])
        if needle in [name.lower() for name in names if name]:
            return peer
    return None


def _opt_bool(value):
    """opt.Bool as JSON: true/false, or null/absent for "not checked"."""
    return value if isinstance(value, bool) else None


def parse_netcheck(text):
    """Parse ``tailscale netcheck --format=json``; unknown keys are kept aside, missing ones are None."""
    document = _load_json_document(text, 'tailscale netcheck --format=json')
    known = set(key for key, dummy in NETCHECK_FACTS) | set(('RegionLatency', 'RegionV4Latency', 'RegionV6Latency',
                                                            'GlobalV4Counters', 'GlobalV6Counters'))
    facts = {}
    for key, name in NETCHECK_FACTS:
        value = document.get(key)
        if key in ('GlobalV4', 'GlobalV6', 'Now'):
            facts[name] = value if isinstance(value, str) and value else None
        elif key == 'PreferredDERP':
            facts[name] = value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
        else:
            facts[name] = _opt_bool(value)
    latency = document.get('RegionLatency') if isinstance(document.get('RegionLatency'), dict) else {}
    facts['region_latency_ms'] = dict(
        (str(region), round(nanoseconds / 1e6, 1)) for region, nanoseconds in latency.items()
        if isinstance(nanoseconds, (int, float)) and not isinstance(nanoseconds, bool))
    facts['port_mapping'] = [label for label, name in (('UPnP', 'upnp'), ('NAT-PMP', 'pmp'), ('PCP', 'pcp'))
                             if facts[name] is True]
    facts['unknown_keys'] = sorted(key for key in document if key not in known)
    return facts


def nat_findings(facts):
    """What the netcheck facts say about direct connections, as audit findings."""
    findings = []
    if facts.get('udp') is False:
        findings.append('netcheck: UDP is blocked (no STUN reply): only DERP relays can carry traffic from this node')
    if facts.get('mapping_varies_by_dest_ip') is True:
        findings.append('netcheck: MappingVariesByDestIP is true: this node is behind hard NAT '
                        '(endpoint-dependent mapping), direct connections to other hard-NAT peers will fail')
    if facts.get('port_mapping'):
        findings.append('netcheck: the gateway offers port mapping (%s)' % ', '.join(facts['port_mapping']))
    return findings


def parse_ping(stdout, stderr, rc):
    """Summarise one ``tailscale ping`` run: result direct / peer-relay / derp / no_reply / error."""
    pongs = []
    for line in (stdout or '').splitlines():
        match = _PONG.match(line.strip())
        if not match:
            continue
        via = match.group('via')
        derp = _VIA_DERP.match(via)
        relay = _VIA_PEER_RELAY.match(via)
        if derp:
            path, detail = PATH_DERP, derp.group('region')
        elif relay:
            path, detail = PATH_PEER_RELAY, relay.group('addr')
        else:
            path, detail = PATH_DIRECT, via
        pongs.append({'node': match.group('name'), 'ip': match.group('ip'), 'via': via, 'path': path,
                      'detail': detail, 'latency': match.group('latency')})
    message = ' '.join(line.strip() for line in (stderr or '').splitlines() if line.strip())
    if rc == 0 and pongs and pongs[-1]['path'] == PATH_DIRECT:
        result = PATH_DIRECT
    elif pongs:
        result = pongs[-1]['path']
    elif 'no reply' in message or 'timed out' in (stdout or ''):
        result = 'no_reply'
    else:
        result = 'error'
    return {'result': result, 'rc': rc, 'pongs': pongs, 'last_via': pongs[-1]['via'] if pongs else None, 'message': message}


def interpret_cli_failure(command, rc, stdout, stderr):
    """A DirectPathError for a tailscale command that exited non-zero."""
    text = ' '.join(part.strip() for part in (stderr or '', stdout or '') if part and part.strip())
    lowered = text.lower()
    if 'failed to connect to local tailscale' in lowered or 'tailscaled.sock' in lowered:
        return DirectPathError('tailscaled is not reachable (%s): %s' % (command, text), cause='unreachable')
    if lowered.startswith('logged out'):
        return DirectPathError('tailscale is logged out: log in with "tailscale up" first', cause='auth')
    if 'tailscale is stopped' in lowered:
        return DirectPathError('tailscale is stopped: start it with "tailscale up"', cause='unreachable')
    return DirectPathError('%s exited with %s: %s' % (command, rc, text or '(no output)'), cause='api')


# Where the tailscale CLI is looked for besides PATH (packages install it in one of these).
SEARCH_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin']


class TailscaleCli(object):
    """Runs the tailscale CLI on the node and counts each run as a read.

    ``runner`` is anything with AnsibleModule's ``run_command(argv)`` (the engine's RunContext).
    """

    def __init__(self, runner, api_calls, tailscale_path='tailscale'):
        self.runner = runner
        self.api_calls = api_calls
        self.binary = self._find(tailscale_path)

    def _find(self, name):
        if os.sep in name:
            if os.path.isfile(name) and os.access(name, os.X_OK):
                return name
            raise DirectPathError('the tailscale CLI %s does not exist or is not executable' % name, cause='dependency')
        try:
            found = get_bin_path(name, opt_dirs=SEARCH_DIRS)
        except ValueError:
            found = None
        if not found:
            raise DirectPathError('the tailscale CLI (%s) is not installed on this host, or not in PATH' % name, cause='dependency')
        return found

    def run_tailscale(self, *args):
        self.api_calls.read()
        rc, stdout, stderr = self.runner.run_command([self.binary] + list(args))
        return rc, stdout, stderr

    def status(self):
        rc, stdout, stderr = self.run_tailscale('status', '--json')
        if rc != 0:
            raise interpret_cli_failure('tailscale status --json', rc, stdout, stderr)
        return parse_status(stdout)

    def netcheck(self):
        rc, stdout, stderr = self.run_tailscale('netcheck', '--format=json')
        if rc != 0:
            raise interpret_cli_failure('tailscale netcheck --format=json', rc, stdout, stderr)
        return parse_netcheck(stdout)

    def ping(self, target, count, timeout):
        rc, stdout, stderr = self.run_tailscale('ping', '-c', str(count), '--until-direct', '--timeout', '%ds' % timeout, target)
        summary = parse_ping(stdout, stderr, rc)
        if summary['result'] == 'error':
            failure = interpret_cli_failure('tailscale ping', rc, stdout, stderr)
            if failure.cause != 'api':
                # The daemon went away or logged out between two commands: no path is knowable.
                raise failure
        summary['target'] = target
        return summary
