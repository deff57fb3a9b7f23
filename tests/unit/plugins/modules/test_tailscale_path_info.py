# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""tailscale_path_info run in-process against tests/fakes/tailscale, which replays recorded outputs."""

from __future__ import annotations

import json
import os

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.directpath.firewall.plugins.modules import tailscale_path_info

FAKE = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, os.pardir, 'fakes', 'tailscale'))


@pytest.fixture
def scenario(monkeypatch, tmp_path):
    journal = tmp_path / 'journal.jsonl'

    def choose(name):
        monkeypatch.setenv('FAKE_TAILSCALE_SCENARIO', name)
        monkeypatch.setenv('FAKE_TAILSCALE_STATE', str(journal))
        return journal
    return choose


def commands(journal):
    if not journal.exists():
        return []
    return [json.loads(line) for line in journal.read_text().splitlines() if line.strip()]


def run_module(capsys, check_mode=False, **args):
    args.setdefault('tailscale_path', FAKE)
    if check_mode:
        args['_ansible_check_mode'] = True
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exit_info:
            tailscale_path_info.main()
    return exit_info.value.code, json.loads(capsys.readouterr().out)


def by_name(result):
    return dict((peer['name'], peer) for peer in result['peers'])


def test_direct_peer_is_compliant(capsys, scenario):
    journal = scenario('direct')
    code, result = run_module(capsys)
    assert code == 0
    assert result['changed'] is False
    assert result['compliance']['vendor'] == 'tailscale'
    assert result['compliance']['workaround'] == 'direct_path'
    assert result['compliance']['status'] == 'compliant'
    assert result['compliance']['findings'] == ['peer db-01 (100.101.2.3): direct 198.51.100.7:41641']
    assert result['compliance']['exposure'] == []
    assert result['summary']['direct'] == 1
    assert result['netcheck']['mapping_varies_by_dest_ip'] is False
    assert result['node']['name'] == 'edge-gw' and result['node']['home_derp'] == 'fra'
    assert commands(journal) == [['status', '--json'], ['netcheck', '--format=json']]
    assert result['api_calls'] == {'reads': 2, 'writes': 0}


def test_derp_peer_is_drift_and_hard_nat_is_a_finding(capsys, scenario):
    scenario('derp')
    dummy, result = run_module(capsys)
    record = result['compliance']
    assert record['status'] == 'drift'
    assert result['relayed'] == ['laptop-fortigate']
    assert "relayed through DERP (the peer's home region ams)" in record['findings'][0]
    assert any('MappingVariesByDestIP is true' in finding for finding in record['findings'])


def test_mixed_tailnet_reports_each_path_and_names_the_relayed(capsys, scenario):
    scenario('mixed')
    dummy, result = run_module(capsys)
    peers = by_name(result)
    assert dict((name, peer['path']) for name, peer in peers.items()) == {
        'build-runner': 'peer-relay', 'db-01': 'direct', 'laptop-fortigate': 'derp', 'nas': 'idle', 'old-phone': 'offline'}
    # Default expectation: every active peer. Idle and offline ones are not judged.
    assert sorted(result['relayed']) == ['build-runner', 'laptop-fortigate']
    assert peers['nas']['expected_direct'] is False and peers['db-01']['expected_direct'] is True
    assert result['compliance']['status'] == 'drift'
    assert result['summary'] == {'direct': 1, 'peer-relay': 1, 'derp': 1, 'idle': 1, 'offline': 1}


def test_accept_peer_relay_and_expect_direct_narrow_the_judgement(capsys, scenario):
    scenario('mixed')
    dummy, result = run_module(capsys, expect_direct=['db-01', '100.77.5.12'], accept_peer_relay=True)
    assert result['compliance']['status'] == 'compliant'
    assert result['relayed'] == []


def test_expected_peer_that_is_idle_is_manual_not_compliant(capsys, scenario):
    scenario('mixed')
    dummy, result = run_module(capsys, expect_direct=['nas'])
    assert result['compliance']['status'] == 'manual'
    assert result['unclassified'] == ['nas']
    assert 'add it to ping_peers' in result['compliance']['findings'][0]


def test_expect_direct_naming_an_unknown_peer_fails(capsys, scenario):
    scenario('mixed')
    code, result = run_module(capsys, expect_direct=['ghost'])
    assert code == 1
    assert result['cause'] == 'input'
    assert "'ghost'" in result['msg'] and 'db-01' in result['msg']
    assert result['compliance']['status'] == 'error'


def test_ping_brings_an_idle_peer_to_a_direct_path(capsys, scenario):
    journal = scenario('idle_then_direct')
    dummy, result = run_module(capsys, ping_peers=['nas'], ping_count=5, ping_timeout=3)
    nas = by_name(result)['nas']
    assert (nas['path'], nas['path_source'], nas['cur_addr']) == ('direct', 'status', '198.51.100.20:41641')
    assert result['pings'][0]['result'] == 'direct' and result['pings'][0]['rc'] == 0
    assert result['compliance']['status'] == 'compliant'
    # status, the ping (with the flags the real CLI takes), status again, netcheck.
    assert commands(journal) == [
        ['status', '--json'],
        ['ping', '-c', '5', '--until-direct', '--timeout', '3s', 'nas'],
        ['status', '--json'],
        ['netcheck', '--format=json'],
    ]


def test_ping_that_stays_on_derp_is_drift(capsys, scenario):
    scenario('idle_then_derp')
    dummy, result = run_module(capsys, ping_peers=['100.70.9.44'])
    assert by_name(result)['nas']['path'] == 'derp'
    assert result['pings'][0]['message'] == 'direct connection not established'
    assert result['compliance']['status'] == 'drift'


def test_pinged_peer_still_idle_in_status_takes_the_path_of_its_last_pong(capsys, scenario):
    scenario('mixed')  # the fake's status does not change after the ping here
    dummy, result = run_module(capsys, ping_peers=['nas'])
    nas = by_name(result)['nas']
    assert (nas['path'], nas['path_source'], nas['home_derp']) == ('derp', 'ping', 'fra')
    assert 'nas' in result['relayed']


def test_ping_without_reply_leaves_the_peer_unclassified(capsys, scenario):
    scenario('ping_no_reply')
    dummy, result = run_module(capsys, ping_peers=['nas'])
    assert result['pings'][0]['result'] == 'no_reply'
    assert result['compliance']['status'] == 'manual'
    assert 'still idle after tailscale ping (no reply)' in result['compliance']['findings'][0]


def test_check_mode_reads_the_same_and_still_pings(capsys, scenario):
    journal = scenario('idle_then_direct')
    dummy, result = run_module(capsys, check_mode=True, ping_peers=['nas'])
    assert result['changed'] is False
    assert result['compliance']['status'] == 'compliant'
    assert ['ping', '-c', '10', '--until-direct', '--timeout', '5s', 'nas'] in commands(journal)


def test_no_active_peer_is_manual(capsys, scenario):
    scenario('old_version')
    dummy, result = run_module(capsys)
    assert result['compliance']['status'] == 'manual'
    assert 'no peer was active or pinged' in result['compliance']['findings'][0]
    assert result['netcheck']['hair_pinning'] is False
    assert result['node']['version'].startswith('1.76.1')


def test_netcheck_can_be_skipped(capsys, scenario):
    journal = scenario('direct')
    dummy, result = run_module(capsys, netcheck=False)
    assert result['netcheck'] is None
    assert ['netcheck', '--format=json'] not in commands(journal)


def test_udp_blocked_is_reported(capsys, scenario):
    scenario('udp_blocked')
    dummy, result = run_module(capsys)
    assert result['netcheck']['udp'] is False
    assert any('UDP is blocked' in finding for finding in result['compliance']['findings'])


def test_future_netcheck_keys_are_listed_not_fatal(capsys, scenario):
    scenario('future_netcheck')
    code, result = run_module(capsys)
    assert code == 0
    assert result['netcheck']['unknown_keys'] == ['QUICHolePunch']


@pytest.mark.parametrize('name, cause, words', [
    ('daemon_down', 'unreachable', "doesn't appear to be running"),
    ('daemon_socket_missing', 'unreachable', 'tailscaled.sock'),
    ('logged_out', 'auth', 'logged out'),
    ('stopped', 'unreachable', 'stopped'),
    ('invalid_json', 'api', 'no JSON object'),
])
def test_daemon_problems_fail_clearly(capsys, scenario, name, cause, words):
    scenario(name)
    code, result = run_module(capsys)
    assert code == 1
    assert result['cause'] == cause
    assert words in result['msg']
    assert result['compliance']['status'] == 'error'
    assert result['compliance']['vendor'] == 'tailscale'


def test_missing_binary_is_a_dependency_error(capsys, scenario, tmp_path):
    scenario('direct')
    code, result = run_module(capsys, tailscale_path=str(tmp_path / 'no-such-tailscale'))
    assert code == 1
    assert result['cause'] == 'dependency'
    code, result = run_module(capsys, tailscale_path='tailscale-not-installed-here')
    assert result['cause'] == 'dependency'
    assert 'not installed' in result['msg']


def test_failed_netcheck_does_not_fail_the_module(capsys, scenario, tmp_path):
    broken = tmp_path / 'scenario.json'
    broken.write_text(json.dumps({'status': 'status_direct.json', 'netcheck': {'stderr': 'daemon_down.stderr', 'rc': 1}}))
    scenario(str(broken))
    code, result = run_module(capsys)
    assert code == 0
    assert result['netcheck'] is None
    assert 'tailscaled' in result['netcheck_error']
    assert result['compliance']['status'] == 'compliant'
    assert result['compliance']['findings'][-1].startswith('netcheck failed:')
