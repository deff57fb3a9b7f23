# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fidelity of the Barracuda CloudGen Firewall REST simulator: the paths, payloads and {code, message}
errors the public barracuda_api client relies on, rule placement, and refusals that must change nothing."""

from __future__ import annotations

import base64
import http.client
import json
import ssl

import pytest

from ansible_collections.directpath.firewall.tests.simulators.barracuda import BarracudaSimulator

RULES = '/rest/config/v1/forwarding-firewall/rules'
NETWORKS = '/rest/config/v1/forwarding-firewall/objects/networks'
SERVICES = '/rest/config/v1/forwarding-firewall/objects/services'
MSG = '?rcsMessage=directpath-test'


@pytest.fixture(name='cgf')
def cgf_fixture(sim_state_dir):
    simulator = BarracudaSimulator(sim_state_dir / 'cgf', timeout_seconds=0.3).start()
    yield simulator
    simulator.stop()


def call(sim, method, path, body=None, token=True, headers=None):
    connection = http.client.HTTPSConnection(sim.host, sim.port, context=ssl.create_default_context(cafile=sim.ca_path), timeout=10)
    sent = {'Accept': 'application/json'}
    if token:
        sent['X-API-Token'] = sim.api_token if token is True else token
    if body is not None:
        sent['Content-Type'] = 'application/json'
    sent.update(headers or {})
    try:
        connection.request(method, path, body=None if body is None else json.dumps(body), headers=sent)
        answer = connection.getresponse()
        raw = answer.read()
    finally:
        connection.close()
    try:
        return answer.status, (json.loads(raw) if raw else None)
    except ValueError:
        return answer.status, raw.decode(errors='replace')


def tailscale_rule(name='TS-DIRECT', placement=None):
    rule = {'name': name, 'action': {'type': 'pass', 'connection': {'references': 'Original Source IP'}},
            'bidirectional': False, 'deactivated': False, 'dynamic': False, 'ipVersion': 'IPv4',
            'source': {'references': 'Internet'}, 'destination': {'references': 'Trusted LAN'},
            'service': {'references': 'Any-UDP'}, 'comment': 'test'}
    if placement:
        rule['position'] = placement
    return rule


def test_box_info_needs_a_token_or_basic_auth(cgf):
    status, data = call(cgf, 'GET', '/rest/control/v1/box/info')
    assert status == 200 and data['release'] == '9.0.2' and data['model'] == 'VF25' and data['serial']
    status, data = call(cgf, 'GET', '/rest/control/v1/box/info', token=False)
    assert status == 401 and set(data) == {'code', 'message'} and data['code'] == 401
    assert call(cgf, 'GET', '/rest/control/v1/box/info', token='wrong')[0] == 401
    basic = base64.b64encode(b'root:directpath-sim').decode()
    assert call(cgf, 'GET', '/rest/control/v1/box/info', token=False, headers={'Authorization': 'Basic ' + basic})[0] == 200


def test_rule_list_names_expand_and_single_rule(cgf):
    status, data = call(cgf, 'GET', RULES)
    assert status == 200 and data['rules'][0] == 'BOXES-2-LAN-AUTHENTICATION' and data['rules'][-1] == 'BLOCKALL'
    status, data = call(cgf, 'GET', RULES + '?expand=true')
    assert [rule['name'] for rule in data['rules']] == cgf.rule_names()
    status, data = call(cgf, 'GET', RULES + '/LAN-2-INTERNET')
    assert status == 200 and data['source'] == {'references': 'Trusted LAN'} and data['action']['type'] == 'pass'
    status, data = call(cgf, 'GET', RULES + '/NOPE')
    assert status == 404 and data['code'] == 404 and data['message']


def test_writes_record_the_rcs_message_and_need_json(cgf):
    # rcsMessage is optional (Barracuda's own PowerShell module writes objects without it); it is recorded.
    assert call(cgf, 'POST', RULES, tailscale_rule())[0] == 204
    assert call(cgf, 'DELETE', RULES + '/TS-DIRECT' + MSG)[0] == 204
    assert cgf.control().state()['rcs_messages'] == ['', 'directpath-test']
    before = cgf.snapshot()
    connection = http.client.HTTPSConnection(cgf.host, cgf.port, context=ssl.create_default_context(cafile=cgf.ca_path))
    connection.request('POST', RULES + MSG, body='name=x', headers={'X-API-Token': cgf.api_token,
                                                                    'Content-Type': 'application/x-www-form-urlencoded'})
    assert connection.getresponse().status == 415
    connection.close()
    assert cgf.snapshot() == before


@pytest.mark.parametrize('placement, expected_index', [
    (None, 5), ({'placement': 'bottom'}, 5), ({'placement': 'top'}, 0),
    ({'placement': 'before', 'reference': 'BLOCKALL'}, 4), ({'placement': 'after', 'reference': 'LAN-2-INTERNET'}, 2),
    ({'placement': 'exact', 'index': 3}, 3),
])
def test_placement_inserts_without_reordering_existing_rules(cgf, placement, expected_index):
    before = cgf.rule_names()
    status, data = call(cgf, 'POST', RULES + MSG, tailscale_rule(placement=placement))
    assert status == 204 and data is None
    after = cgf.rule_names()
    assert after.index('TS-DIRECT') == expected_index
    assert [name for name in after if name != 'TS-DIRECT'] == before
    stored = call(cgf, 'GET', RULES + '/TS-DIRECT')[1]
    assert 'position' not in stored and stored['destination'] == {'references': 'Trusted LAN'}
    assert cgf.control().state()['rcs_messages'] == ['directpath-test']


@pytest.mark.parametrize('change', ['duplicate', 'missing_object', 'bad_placement', 'bad_reference_rule', 'unknown_field',
                                    'bad_action', 'no_service'])
def test_refused_rule_writes_change_nothing(cgf, change):
    rule = tailscale_rule()
    expected = 400
    if change == 'duplicate':
        rule['name'] = 'LAN-2-INTERNET'
        expected = 409
    elif change == 'missing_object':
        rule['destination'] = {'references': 'ts-hosts'}
    elif change == 'bad_placement':
        rule['position'] = {'placement': 'middle'}
    elif change == 'bad_reference_rule':
        rule['position'] = {'placement': 'before', 'reference': 'NOPE'}
    elif change == 'unknown_field':
        rule['maxUdp'] = 80
    elif change == 'bad_action':
        rule['action'] = {'type': 'allow'}
    elif change == 'no_service':
        del rule['service']
    before = cgf.snapshot()
    status, data = call(cgf, 'POST', RULES + MSG, rule)
    assert status == expected and set(data) == {'code', 'message'} and data['code'] == expected
    assert cgf.snapshot() == before


def test_objects_create_read_duplicate_and_validation(cgf):
    network = {'name': 'ts-hosts', 'type': 'listIPv4Address', 'comment': 'Tailscale',
               'included': [{'entry': {'ip': '10.10.0.5'}}, {'entry': {'ip': '10.10.0.6'}}]}
    assert call(cgf, 'POST', NETWORKS + MSG, network)[0] == 204
    assert call(cgf, 'POST', NETWORKS + MSG, network)[0] == 409
    status, data = call(cgf, 'GET', NETWORKS)
    assert 'ts-hosts' in data['objects'] and 'Internet' in data['objects']
    assert call(cgf, 'GET', NETWORKS + '/ts-hosts')[1]['included'][1] == {'entry': {'ip': '10.10.0.6'}}
    service = {'name': 'ts-udp', 'comment': '', 'entries': [{'entry': {'protocol': 'udp', 'udp': {'ports': ['41641']}}}]}
    assert call(cgf, 'POST', SERVICES + MSG, service)[0] == 204
    before = cgf.snapshot()
    bad = dict(service, name='bad', entries=[{'entry': {'protocol': 'udp', 'udp': {'ports': ['70000']}}}])
    assert call(cgf, 'POST', SERVICES + MSG, bad)[0] == 400
    assert call(cgf, 'POST', NETWORKS + MSG, dict(network, name='bad', included=[{'entry': {'ip': 'not-an-ip'}}]))[0] == 400
    assert call(cgf, 'PATCH', NETWORKS + '/Internet' + MSG, {'comment': 'x'})[0] == 403
    assert call(cgf, 'PUT', NETWORKS + '/Internet' + MSG, dict(network, name='Internet'))[0] == 403
    assert cgf.snapshot() == before
    # PUT replaces the whole object (no merge with what was there).
    assert call(cgf, 'PUT', NETWORKS + '/ts-hosts' + MSG, dict(network, included=[{'entry': {'ip': '10.10.0.7'}}]))[0] == 204
    stored = call(cgf, 'GET', NETWORKS + '/ts-hosts')[1]
    assert stored['included'] == [{'entry': {'ip': '10.10.0.7'}}] and stored['type'] == 'listIPv4Address'
    rule = tailscale_rule()
    rule['destination'] = {'references': 'ts-hosts'}
    rule['service'] = {'references': 'ts-udp'}
    assert call(cgf, 'POST', RULES + MSG, rule)[0] == 204
    status, data = call(cgf, 'DELETE', NETWORKS + '/ts-hosts' + MSG)
    assert status == 409 and 'TS-DIRECT' in data['message']
    assert call(cgf, 'DELETE', RULES + '/TS-DIRECT' + MSG)[0] == 204
    assert call(cgf, 'DELETE', NETWORKS + '/ts-hosts' + MSG)[0] == 204


def test_patch_merges_and_can_move(cgf):
    assert call(cgf, 'POST', RULES + MSG, tailscale_rule())[0] == 204
    assert call(cgf, 'PATCH', RULES + '/TS-DIRECT' + MSG, {'comment': 'changed'})[0] == 204
    assert call(cgf, 'GET', RULES + '/TS-DIRECT')[1]['comment'] == 'changed'
    assert cgf.rule_names()[-1] == 'TS-DIRECT'
    assert call(cgf, 'PATCH', RULES + '/TS-DIRECT' + MSG, {'position': {'placement': 'before', 'reference': 'BLOCKALL'}})[0] == 204
    assert cgf.rule_names()[-2:] == ['TS-DIRECT', 'BLOCKALL']


def test_policy_driven_firewall_answers_409(cgf):
    cgf.control().set_state(policy_driven=True)
    status, data = call(cgf, 'GET', RULES)
    assert status == 409 and data['code'] == 409


def test_max_udp_has_no_rest_resource(cgf):
    for path in ('/rest/config/v1/forwarding-firewall/settings', '/rest/config/v1/firewall/general',
                 '/rest/control/v1/box/firewall/max-udp'):
        assert call(cgf, 'GET', path)[0] == 404
    assert cgf.control().state()['max_udp_percent'] == 30


def test_journal_kinds(cgf):
    call(cgf, 'GET', '/rest/control/v1/box/info')
    call(cgf, 'GET', RULES)
    call(cgf, 'POST', RULES + MSG, tailscale_rule())
    assert [(e['op'], e['kind']) for e in cgf.journal.entries()] == [
        ('box:info', 'read'), ('get:rules', 'read'), ('post:rules', 'write')]


@pytest.mark.parametrize('fault, status', [('http_500', 500), ('auth', 401), ('api_error', 400), ('lock_held', 409), ('timeout', 0)])
def test_faults_leave_the_box_unchanged(cgf, fault, status):
    before = cgf.snapshot()
    cgf.control().arm(fault, match='post:rules', seconds=0.3 if fault == 'timeout' else None)
    if fault == 'timeout':
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError, OSError)):
            call(cgf, 'POST', RULES + MSG, tailscale_rule())
    else:
        got, data = call(cgf, 'POST', RULES + MSG, tailscale_rule())
        assert got == status
        if fault != 'http_500':
            assert set(data) == {'code', 'message'}
    assert cgf.snapshot() == before
    assert cgf.journal.entries()[-1]['fault'] == fault
