#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: tailscale_path_info
short_description: Tell, on a Tailscale node, which peers are reached directly and which through a relay
version_added: 0.1.0
description:
  - Runs C(tailscale status --json) and C(tailscale netcheck --format=json) on the node and returns, for every peer, the
    path its packets take right now - V(direct), V(peer-relay) (a Tailscale Peer Relay), V(derp) (a DERP relay server),
    V(idle) (no recent traffic, so no path to report) or V(offline) - plus the netcheck facts that decide whether direct
    connections can work (UDP, C(MappingVariesByDestIP), UPnP / NAT-PMP / PCP, preferred DERP region, public address).
  - A peer counts as DERP-relayed only when it is active and has neither a direct address (C(CurAddr)) nor a peer relay
    (C(PeerRelay)) while its C(Relay) field is set. C(Relay) alone says nothing about the path - it is the peer's home DERP
    region and is set on direct paths too - and is returned as RV(peers[].home_derp).
  - Idle peers cannot be classified until traffic flows. Name them in O(ping_peers) and the module first runs
    C(tailscale ping --until-direct) on each (which stops at the first direct reply), then reads the status again.
  - Netcheck's JSON is not a stable interface; keys a version lacks come back as V(null) and unknown keys are listed in
    RV(netcheck.unknown_keys), so the module works with old and new releases alike (C(HairPinning) went away in 1.68,
    C(Now) came in 1.78, C(PeerRelay) in 1.86).
  - The module changes nothing on the node. Its C(compliance) record (vendor V(tailscale), workaround V(direct_path)) is
    V(compliant) when every peer expected to be direct is direct, V(drift) when one of them is relayed, and V(manual)
    when one of them cannot be classified (idle or offline) or there is no peer to check.
author:
  - DirectPath engineers (@directpath)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - The module only reads. In check mode it still runs the C(tailscale ping) of O(ping_peers) - a few small disco
        packets to the named peers that change no configuration - because without traffic an idle peer has no path to
        report. Leave O(ping_peers) empty to send nothing.
  diff_mode:
    support: none
  platform:
    platforms: posix
options:
  tailscale_path:
    description:
      - The C(tailscale) CLI to run; a name looked up in E(PATH) (and C(/usr/bin), C(/usr/sbin), C(/usr/local/bin)) or an
        absolute path.
    type: str
    default: tailscale
  ping_peers:
    description:
      - Peers to C(tailscale ping) before the status is read, so that idle peers get a path to classify. Each is a peer's
        MagicDNS short name, host name, full DNS name or Tailscale IP.
      - Pinged peers are expected to be direct unless O(expect_direct) says otherwise.
    type: list
    elements: str
    default: []
  ping_count:
    description: The most pings sent to one peer (C(tailscale ping -c)); the CLI stops early once the path is direct.
    type: int
    default: 10
  ping_timeout:
    description: Seconds to wait for each pong (C(tailscale ping --timeout)).
    type: int
    default: 5
  expect_direct:
    description:
      - The peers that must be on a direct path for the node to be compliant, named like O(ping_peers).
      - Default - every peer that is active or was pinged. Naming a peer that C(tailscale status) does not know fails
        the module.
    type: list
    elements: str
  accept_peer_relay:
    description:
      - Count a path through a Tailscale Peer Relay as good enough for O(expect_direct). Tailscale tries direct first,
        then a peer relay, then DERP; a peer relay is often the best a hard NAT allows.
    type: bool
    default: false
  netcheck:
    description:
      - Run C(tailscale netcheck --format=json) too. It sends STUN probes to the DERP servers and takes a few seconds.
        A netcheck that fails does not fail the module; RV(netcheck_error) says why.
    type: bool
    default: true
notes:
  - Runs on the Tailscale node itself (not delegated to the controller). C(tailscale status) needs no root; on hosts
    where the socket is restricted, use C(become).
  - Clear failures - the CLI is not installed (cause C(dependency)), tailscaled is not running (cause C(unreachable)), the
    node is logged out or waits for approval (cause C(auth)), stopped (cause C(unreachable)), or prints something that
    is not JSON (cause C(api)).
seealso:
  - name: Connection types (Tailscale)
    description: Direct, peer relay and DERP connections, and how C(tailscale status) and C(tailscale ping) show them.
    link: https://tailscale.com/kb/1257/connection-types
  - name: Using Tailscale with your firewall
    description: Why peers end up relayed behind each firewall, and the workarounds this collection applies.
    link: https://tailscale.com/kb/1181/firewalls
'''

EXAMPLES = r'''
- name: Which peers of this node are direct right now
  directpath.firewall.tailscale_path_info:
  register: paths

- name: Wake two idle peers, then require them to be direct
  directpath.firewall.tailscale_path_info:
    ping_peers: [db-01, 100.101.2.3]
    ping_count: 5
  register: paths

- name: Only the file server must be direct; a peer relay is acceptable
  directpath.firewall.tailscale_path_info:
    ping_peers: [nas]
    expect_direct: [nas]
    accept_peer_relay: true
    netcheck: false

- name: Show the relayed peers
  ansible.builtin.debug:
    msg: "{{ paths.peers | selectattr('path', 'equalto', 'derp') | map(attribute='name') | list }}"
'''

RETURN = r'''
peers:
  description: Every peer of the node, sorted by name, with its current path.
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: The MagicDNS short name (as C(tailscale status) shows it), or the host name.
      type: str
      sample: db-01
    host_name:
      description: The peer's own host name.
      type: str
      sample: db-01
    dns_name:
      description: The full MagicDNS name, without the trailing dot.
      type: str
      sample: db-01.tail4e7d2.ts.net
    tailscale_ips:
      description: The peer's Tailscale addresses.
      type: list
      elements: str
      sample: [100.101.2.3, "fd7a:115c:a1e0::1101:203"]
    os:
      description: The peer's operating system.
      type: str
      sample: linux
    online:
      description: Whether the peer is connected to the control plane.
      type: bool
    active:
      description: Whether this node sent to the peer recently (the last 45 seconds in current releases).
      type: bool
    path:
      description: V(direct), V(peer-relay), V(derp), V(idle) (unknown until traffic flows) or V(offline).
      type: str
      sample: direct
    cur_addr:
      description: The peer's address on the direct path (C(CurAddr)); empty when not direct.
      type: str
      sample: 198.51.100.7:41641
    home_derp:
      description: The peer's home DERP region (C(Relay)). Set on direct paths too; the relay used only when RV(peers[].path) is V(derp).
      type: str
      sample: fra
    peer_relay:
      description: The peer relay in use (C(PeerRelay), C(ip:port:vni:N)); empty otherwise and on releases before 1.86.
      type: str
      sample: ""
    rx_bytes:
      description: Bytes received from the peer.
      type: int
    tx_bytes:
      description: Bytes sent to the peer.
      type: int
    public_key:
      description: The peer's node key.
      type: str
    expected_direct:
      description: Whether this peer counts for the compliance status.
      type: bool
    ping:
      description: The summary of this peer's C(tailscale ping) (as in RV(pings)), or V(null) when it was not pinged.
      type: dict
    path_source:
      description:
        - V(status) when RV(peers[].path) comes from C(tailscale status); V(ping) when the status still showed the pinged
          peer idle and the path is the one of its last pong.
      type: str
      sample: status
summary:
  description: How many peers are on each path.
  returned: success
  type: dict
  sample: {"direct": 1, "peer-relay": 0, "derp": 1, "idle": 2, "offline": 1}
relayed:
  description: The peers expected to be direct that are not (DERP, or a peer relay unless O(accept_peer_relay)).
  returned: success
  type: list
  elements: str
  sample: [laptop-fortigate]
unclassified:
  description: The peers expected to be direct whose path is unknown (idle or offline).
  returned: success
  type: list
  elements: str
  sample: []
pings:
  description: One entry per O(ping_peers) item, in order.
  returned: success
  type: list
  elements: dict
  contains:
    target:
      description: The peer as named in O(ping_peers).
      type: str
    result:
      description: V(direct) (the CLI exited 0 on a direct pong), V(peer-relay), V(derp), V(no_reply) or V(error).
      type: str
    rc:
      description: The exit code of C(tailscale ping).
      type: int
    last_via:
      description: The path of the last pong, as the CLI printed it (C(DERP(fra)), C(198.51.100.7:41641), ...).
      type: str
    pongs:
      description: Every pong line, parsed (node, ip, via, path, detail, latency).
      type: list
      elements: dict
    message:
      description: What the CLI printed on stderr (C(direct connection not established), C(no reply), ...).
      type: str
  sample:
    - target: nas
      result: derp
      rc: 1
      last_via: DERP(fra)
      message: direct connection not established
      pongs: [{"node": "nas", "ip": "100.70.9.44", "via": "DERP(fra)", "path": "derp", "detail": "fra", "latency": "41ms"}]
netcheck:
  description:
    - The facts of C(tailscale netcheck), V(null) when O(netcheck=false) or the netcheck failed. Booleans are V(null) when
      netcheck did not find out (or this release does not report the key).
  returned: success
  type: dict
  contains:
    time:
      description: When the report was made (C(Now), since 1.78).
      type: str
    udp:
      description: A UDP STUN round trip worked. V(false) means UDP is blocked and only DERP can carry traffic.
      type: bool
    mapping_varies_by_dest_ip:
      description: V(true) means hard NAT (endpoint-dependent mapping).
      type: bool
    hair_pinning:
      description: Only reported before 1.68.
      type: bool
    upnp:
      description: The gateway answers UPnP.
      type: bool
    pmp:
      description: The gateway answers NAT-PMP.
      type: bool
    pcp:
      description: The gateway answers PCP.
      type: bool
    port_mapping:
      description: The port-mapping protocols found (V(UPnP), V(NAT-PMP), V(PCP)).
      type: list
      elements: str
    preferred_derp:
      description: The preferred DERP region ID.
      type: int
    global_v4:
      description: This node's public IPv4 address and port as STUN saw it.
      type: str
    global_v6:
      description: This node's public IPv6 address and port.
      type: str
    region_latency_ms:
      description: Latency to each DERP region (by region ID), in milliseconds.
      type: dict
    unknown_keys:
      description: Keys of the report this module does not know (newer releases).
      type: list
      elements: str
  sample:
    time: "2026-08-20T10:05:11.123456789Z"
    udp: true
    ipv4: true
    ipv6: false
    mapping_varies_by_dest_ip: true
    hair_pinning: null
    upnp: false
    pmp: true
    pcp: false
    port_mapping: [NAT-PMP]
    preferred_derp: 4
    global_v4: 203.0.113.9:61234
    global_v6: null
    region_latency_ms: {"4": 17.6, "14": 25.5}
    unknown_keys: []
netcheck_error:
  description: Why the netcheck failed; absent when it worked or did not run.
  returned: when the netcheck failed
  type: str
node:
  description: This node - its name, Tailscale addresses, home DERP region, the daemon's state and version.
  returned: success
  type: dict
  sample:
    name: edge-gw
    dns_name: edge-gw.tail4e7d2.ts.net
    tailscale_ips: [100.82.14.3]
    home_derp: fra
    backend_state: Running
    version: 1.90.6-t7d9a1c3e2-g4b8f0a2d1
    health: []
compliance:
  description: The compliance record the audit report collects (see docs/audit.md and docs/verify.md).
  returned: always
  type: dict
  sample:
    vendor: tailscale
    workaround: direct_path
    status: drift
    findings:
      - "peer laptop-fortigate (100.88.41.9): relayed through DERP (the peer's home region ams)"
      - "peer db-01 (100.101.2.3): direct 198.51.100.7:41641"
      - "netcheck: MappingVariesByDestIP is true: this node is behind hard NAT (endpoint-dependent mapping), ..."
    exposure: []
    node: edge-gw
api_calls:
  description: How many times the module ran the C(tailscale) CLI (reads); it never writes.
  returned: always
  type: dict
  sample: {"reads": 3, "writes": 0}
'''

from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import module_main
from ansible_collections.directpath.firewall.plugins.module_utils.fleet.path_info import PATH_INFO_SPEC, VENDOR, WORKAROUND, run_tailscale_path_info


def main():
    module_main(PATH_INFO_SPEC, VENDOR, WORKAROUND, run_tailscale_path_info, supports_check_mode=True)


if __name__ == '__main__':
    main()
