# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.fleet.tailscale_cli import (
    classify_peer,
    interpret_cli_failure,
    match_peer,
    nat_findings,
    parse_netcheck,
    parse_ping,
    parse_status,
)

FIXTURES = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, 'fixtures', 'tailscale')


def fixture(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def paths_of(status):
    return dict((peer['name'], peer['path']) for peer in status['peers'])


# --- classification -------------------------------------------------------------------------

def test_direct_peer_keeps_its_home_derp_but_is_direct():
    status = parse_status(fixture('status_direct.json'))
    peer = status['peers'][0]
    assert peer['path'] == 'direct'
    assert peer['cur_addr'] == '198.51.100.7:41641'
    # Relay is the home region and is set on a direct path: it must not make the peer "relayed".
    assert peer['home_derp'] == 'fra'


def test_active_peer_without_address_or_peer_relay_is_derp():
    assert paths_of(parse_status(fixture('status_derp.json'))) == {'laptop-fortigate': 'derp'}


def test_peer_relay_path_is_recognised():
    peer = parse_status(fixture('status_peer_relay.json'))['peers'][0]
    assert peer['path'] == 'peer-relay'
    assert peer['peer_relay'] == '192.0.2.40:40000:vni:12'


def test_mixed_tailnet_classifies_every_peer():
    assert paths_of(parse_status(fixture('status_mixed.json'))) == {
        'build-runner': 'peer-relay',
        'db-01': 'direct',
        'laptop-fortigate': 'derp',
        'nas': 'idle',
        'old-phone': 'offline',
    }


@pytest.mark.parametrize('peer, path', [
    ({'Active': False, 'Online': True, 'Relay': 'fra', 'CurAddr': '198.51.100.7:41641'}, 'idle'),
    ({'Active': False, 'Online': False, 'Relay': 'fra'}, 'offline'),
    ({'Active': True, 'Online': True, 'Relay': 'fra', 'CurAddr': '', 'PeerRelay': ''}, 'derp'),
    ({'Active': True, 'Online': True, 'Relay': 'fra'}, 'derp'),  # before 1.86 there is no PeerRelay key
    ({'Active': True, 'Online': True, 'Relay': '', 'CurAddr': '198.51.100.7:41641'}, 'direct'),
    ({'Active': True, 'Online': True, 'Relay': 'fra', 'PeerRelay': '192.0.2.40:1:vni:2'}, 'peer-relay'),
    ({'Active': True, 'Online': True, 'Relay': ''}, 'idle'),
])
def test_classify_peer_follows_the_cli_precedence(peer, path):
    assert classify_peer(peer) == path


def test_idle_recorded_status_of_an_old_release_parses():
    status = parse_status(fixture('status_v1_76_idle_recorded.json'))
    assert status['version'].startswith('1.76.1')
    assert status['self'] == {
        'name': 'ikuai-1', 'dns_name': 'ikuai-1.tail0000a0.ts.net',
        'tailscale_ips': ['100.104.58.51', 'fd7a:115c:a1e0::ef01:3a34'], 'home_derp': 'sea'}
    peer = status['peers'][0]
    assert (peer['name'], peer['path'], peer['peer_relay'], peer['home_derp']) == ('istoreos', 'idle', '', 'lax')


def test_a_node_without_peers_has_an_empty_list():
    assert parse_status(fixture('status_no_peers.json'))['peers'] == []


def test_match_peer_by_short_name_host_name_dns_name_and_ip():
    peers = parse_status(fixture('status_mixed.json'))['peers']
    for name in ('db-01', 'DB-01', 'db-01.tail4e7d2.ts.net.', '100.101.2.3', 'fd7a:115c:a1e0::1101:203'):
        assert match_peer(peers, name)['name'] == 'db-01'
    assert match_peer(peers, 'nope') is None


# --- daemon states and broken output --------------------------------------------------------

@pytest.mark.parametrize('name, cause, words', [
    ('status_logged_out.json', 'auth', 'logged out'),
    ('status_stopped.json', 'unreachable', 'stopped'),
])
def test_unusable_backend_states_fail_clearly(name, cause, words):
    with pytest.raises(DirectPathError) as error:
        parse_status(fixture(name))
    assert error.value.cause == cause
    assert words in error.value.message


def test_logged_out_error_keeps_the_login_url():
    with pytest.raises(DirectPathError) as error:
        parse_status(fixture('status_logged_out.json'))
    assert error.value.details['auth_url'].startswith('https://login.tailscale.com/a/')


def test_output_that_is_not_json_is_an_api_error():
    with pytest.raises(DirectPathError) as error:
        parse_status(fixture('ping_no_reply.stdout'))
    assert error.value.cause == 'api'
    with pytest.raises(DirectPathError):
        parse_status('{"BackendState": "Running", ')


@pytest.mark.parametrize('name', ['daemon_down.stderr', 'daemon_socket_missing.stderr'])
def test_daemon_not_running_is_unreachable(name):
    error = interpret_cli_failure('tailscale status --json', 1, '', fixture(name))
    assert error.cause == 'unreachable'
    assert 'tailscaled' in error.message


def test_logged_out_ping_text_is_an_auth_error():
    assert interpret_cli_failure('tailscale ping', 1, fixture('ping_logged_out.stdout'), '').cause == 'auth'


# --- netcheck --------------------------------------------------------------------------------

def test_hard_nat_netcheck():
    facts = parse_netcheck(fixture('netcheck_hard_nat.json'))
    assert facts['udp'] is True
    assert facts['mapping_varies_by_dest_ip'] is True
    assert facts['port_mapping'] == ['NAT-PMP']
    assert facts['preferred_derp'] == 4
    assert facts['global_v4'] == '203.0.113.9:61234'
    assert facts['global_v6'] is None
    assert facts['region_latency_ms'] == {'4': 17.6, '14': 25.5}
    assert facts['hair_pinning'] is None
    findings = nat_findings(facts)
    assert any('MappingVariesByDestIP is true' in finding and 'hard NAT' in finding for finding in findings)


def test_easy_nat_netcheck_has_no_nat_problem():
    facts = parse_netcheck(fixture('netcheck_easy_nat.json'))
    assert facts['mapping_varies_by_dest_ip'] is False
    assert nat_findings(facts) == []


def test_udp_blocked_netcheck():
    facts = parse_netcheck(fixture('netcheck_udp_blocked.json'))
    assert facts['udp'] is False
    assert facts['mapping_varies_by_dest_ip'] is None  # opt.Bool null: not known
    assert facts['global_v4'] is None
    assert any('UDP is blocked' in finding for finding in nat_findings(facts))


def test_netcheck_from_before_1_68_has_hairpinning_and_no_time():
    facts = parse_netcheck(fixture('netcheck_v1_66_hairpinning.json'))
    assert facts['hair_pinning'] is False
    assert facts['time'] is None
    assert facts['captive_portal'] is None
    assert facts['port_mapping'] == ['NAT-PMP', 'PCP']
    assert facts['unknown_keys'] == []


def test_netcheck_tolerates_unknown_and_missing_keys():
    facts = parse_netcheck(fixture('netcheck_future_extra_keys.json'))
    assert facts['time'] == '2027-01-05T08:00:00.000000001Z'
    assert facts['unknown_keys'] == ['QUICHolePunch']
    assert facts['ipv6'] is None and facts['upnp'] is None
    assert facts['mapping_varies_by_dest_ip'] is False


def test_netcheck_json_after_a_warning_line_still_parses():
    text = fixture('netcheck_warning.stderr') + fixture('netcheck_easy_nat.json')
    assert parse_netcheck(text)['udp'] is True


def test_netcheck_ignores_wrongly_typed_values():
    facts = parse_netcheck(json.dumps({'UDP': 'yes', 'PreferredDERP': True, 'RegionLatency': {'1': 'x', '2': 2000000}}))
    assert facts['udp'] is None and facts['preferred_derp'] is None
    assert facts['region_latency_ms'] == {'2': 2.0}


# --- ping ------------------------------------------------------------------------------------

def test_ping_that_ends_direct():
    summary = parse_ping(fixture('ping_direct_after_derp.stdout'), '', 0)
    assert summary['result'] == 'direct'
    assert summary['last_via'] == '198.51.100.20:41641'
    assert [pong['path'] for pong in summary['pongs']] == ['derp'] * 4 + ['direct']
    assert summary['pongs'][0]['detail'] == 'fra'


def test_ping_that_stays_on_derp_exits_1():
    summary = parse_ping(fixture('ping_derp_only.stdout'), fixture('ping_derp_only.stderr'), 1)
    assert summary['result'] == 'derp'
    assert len(summary['pongs']) == 10
    assert summary['message'] == 'direct connection not established'


def test_ping_through_a_peer_relay():
    summary = parse_ping(fixture('ping_peer_relay.stdout'), fixture('ping_peer_relay.stderr'), 1)
    assert summary['result'] == 'peer-relay'
    assert summary['pongs'][-1]['detail'] == '192.0.2.40:40000:vni:12'


def test_ping_without_reply():
    summary = parse_ping(fixture('ping_no_reply.stdout'), fixture('ping_no_reply.stderr'), 1)
    assert summary['result'] == 'no_reply'
    assert summary['pongs'] == []


def test_ping_to_ipv6_endpoint_and_peerapi_port():
    line = 'pong from monitoring (100.88.178.64, 41112) via [2604:a880:2:d1::36:d001]:41641 in 33ms\n'
    summary = parse_ping(line, '', 0)
    assert summary['result'] == 'direct'
    assert summary['pongs'][0]['ip'] == '100.88.178.64'
    assert summary['pongs'][0]['detail'] == '[2604:a880:2:d1::36:d001]:41641'
