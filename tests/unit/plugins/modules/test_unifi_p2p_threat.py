# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""unifi_p2p_threat against the UniFi Network simulator (UniFi OS and classic controllers)."""

from __future__ import annotations


import pytest

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.directpath.firewall.plugins.modules import unifi_p2p_threat
from ansible_collections.directpath.firewall.tests.unit.plugins.modules.module_run import module_runners  # noqa: E402
from ansible_collections.directpath.firewall.tests.simulators.unifi import (
    P2P_CATEGORY, UNKNOWN_P2P_KEY, UnifiSimulator,
)


@pytest.fixture
def sim_factory(tmp_path):
    started = []

    def factory(**kwargs):
        kwargs.setdefault('timeout_seconds', 3.0)
        simulator = UnifiSimulator(tmp_path / ('unifi-%d' % len(started)), **kwargs).start()
        started.append(simulator)
        return simulator

    yield factory
    for simulator in started:
        simulator.stop()


@pytest.fixture
def sim(sim_factory):
    return sim_factory()


run_module, run_module_output = module_runners(unifi_p2p_threat)


def conn(sim, **extra):
    args = dict(host=sim.host, port=sim.port, username=sim.username, password=sim.password, ca_path=sim.ca_path, timeout=1)
    args.update(extra)
    return args


def logins(sim):
    return [entry for entry in sim.journal.entries() if entry['op'] == 'login']


def categories(sim, site='default'):
    return sim.control().state()['sites'][site]['ips']['enabled_categories']


def test_four_steps_check_apply_apply_check(sim, capsys):
    before_categories = categories(sim)
    before_document = sim.control().state()['sites']['default']['ips']
    snapshot = sim.snapshot()
    # 1. check mode: drift, the diff, zero writes.
    result = run_module(capsys, conn(sim), check_mode=True)
    assert result['changed'] is True
    assert result['compliance']['status'] == 'drift'
    assert result['diff'] == {'before': {'default.enabled_categories': before_categories},
                              'after': {'default.enabled_categories': [c for c in before_categories if c != P2P_CATEGORY]}}
    assert sim.journal.writes() == [] and result['api_calls']['writes'] == 0
    assert sim.snapshot() == snapshot
    assert len(logins(sim)) == 1
    assert result['sites'][0]['ips_mode'] == 'ips' and result['sites'][0]['p2p_category_before'] is True
    # 2. apply: only emerging-p2p leaves; every other field as read.
    sim.journal.clear()
    result = run_module(capsys, conn(sim))
    assert result['changed'] is True and result['compliance']['status'] == 'compliant' and result['compliance']['applied']
    assert [e['op'] for e in sim.journal.writes()] == ['set:setting/ips']
    assert len(logins(sim)) == 1
    after_document = sim.control().state()['sites']['default']['ips']
    assert after_document['enabled_categories'] == [c for c in before_categories if c != P2P_CATEGORY]
    assert {k: v for k, v in after_document.items() if k != 'enabled_categories'} == \
        {k: v for k, v in before_document.items() if k != 'enabled_categories'}
    assert sim.control().state()['sites']['default']['p2p_blocked'] is False
    assert sim.control().state()['sites']['branch']['p2p_blocked'] is True
    assert result['sites'][0]['p2p_category_after'] is False
    # 3. apply again: nothing to do, zero writes.
    sim.journal.clear()
    result = run_module(capsys, conn(sim))
    assert result['changed'] is False and result['compliance']['status'] == 'compliant'
    assert sim.journal.writes() == [] and result['api_calls']['writes'] == 0
    # 4. check mode again: compliant, zero writes.
    sim.journal.clear()
    result = run_module(capsys, conn(sim), check_mode=True)
    assert result['changed'] is False and result['compliance']['status'] == 'compliant'
    assert sim.journal.writes() == []


def test_classic_controller_is_detected_and_logged_in_once(sim_factory, capsys):
    sim = sim_factory(style='classic')
    result = run_module(capsys, conn(sim, sites=['default', 'branch']))
    assert result['controller_style'] == 'classic'
    assert result['changed'] is True
    assert len(logins(sim)) == 1
    assert [e['path'] for e in sim.journal.writes()] == ['/api/s/default/set/setting/ips', '/api/s/branch/set/setting/ips']
    state = sim.control().state()['sites']
    assert not state['default']['p2p_blocked'] and not state['branch']['p2p_blocked']


def test_csrf_token_rotates_between_two_site_writes(sim, capsys):
    # The simulator refuses the token of the login answer after the first write: the second write only
    # passes if the client took X-Updated-Csrf-Token from the first answer.
    result = run_module(capsys, conn(sim, sites=['default', 'branch']))
    assert result['changed'] is True and 'failed' not in result
    assert [e['status'] for e in sim.journal.writes()] == [200, 200]


def test_api_key_needs_no_login(sim, capsys):
    result = run_module(capsys, dict(host=sim.host, port=sim.port, api_key=sim.api_key, ca_path=sim.ca_path, timeout=1))
    assert result['changed'] is True
    assert sim.journal.counts()['auth'] == 0
    assert [e['op'] for e in sim.journal.entries()][0] == 'sites'   # no style probe either


def test_api_key_on_a_classic_controller_fails_clearly(sim_factory, capsys):
    sim = sim_factory(style='classic')
    result = run_module(capsys, dict(host=sim.host, port=sim.port, api_key='k' * 20, ca_path=sim.ca_path,
                                     controller_style='classic', timeout=1))
    assert result['failed'] and result['cause'] == 'input' and 'UniFi OS' in result['msg']
    assert sim.journal.writes() == []


def test_rate_limited_login_fails_once_without_retry_and_changes_nothing(sim_factory, capsys):
    sim = sim_factory(login_limit=0)
    snapshot = sim.snapshot()
    result = run_module(capsys, conn(sim))
    assert result['failed'] and result['cause'] == 'auth'
    assert '429' in result['msg'] and 'API key' in result['msg']
    assert len(logins(sim)) == 1
    assert sim.snapshot() == snapshot
    assert result['compliance']['status'] == 'error'


def test_bad_password_is_an_auth_failure(sim, capsys):
    result = run_module(capsys, conn(sim, password='wrong-password'))
    assert result['failed'] and result['cause'] == 'auth' and 'rejected' in result['msg']
    assert sim.journal.writes() == []


def test_unknown_site_fails_before_any_write(sim, capsys):
    snapshot = sim.snapshot()
    result = run_module(capsys, conn(sim, sites=['default', 'warehouse']))
    assert result['failed'] and result['cause'] == 'input' and 'warehouse' in result['msg'] and 'branch' in result['msg']
    assert sim.snapshot() == snapshot and sim.journal.writes() == []


def test_unknown_p2p_key_on_is_manual_warns_and_writes_nothing(sim, capsys, monkeypatch):
    # AnsibleModule.warn is how a module warns; where the text lands depends on ansible-core's context.
    warned = []
    monkeypatch.setattr(AnsibleModule, 'warn', lambda self, text: warned.append(text))
    sim.control().set_state(ips={'default': {UNKNOWN_P2P_KEY: True}})
    snapshot = sim.snapshot()
    result = run_module(capsys, conn(sim))
    assert result['changed'] is False
    assert result['compliance']['status'] == 'manual'
    assert any(UNKNOWN_P2P_KEY in text for text in result['compliance']['findings'])
    assert result['compliance']['advice']
    # Module path: AnsibleModule.warn; action path: the result's warnings. (ansible-core keeps module
    # warnings in a process-wide list, so other tests' warnings may be there too: look for ours.)
    ours = {text for text in warned + result.get('warnings', []) if 'needs a person' in text and UNKNOWN_P2P_KEY in text}
    assert len(ours) == 1
    assert result['sites'][0]['unknown_p2p_keys'] == {UNKNOWN_P2P_KEY: True}
    assert sim.snapshot() == snapshot and sim.journal.writes() == []


def test_unknown_p2p_key_off_is_a_finding_and_the_category_is_fixed(sim, capsys):
    result = run_module(capsys, conn(sim))
    assert result['compliance']['status'] == 'compliant'
    assert any(UNKNOWN_P2P_KEY in text and 'left as it is' in text for text in result['compliance']['findings'])
    assert sim.control().state()['sites']['default']['ips'][UNKNOWN_P2P_KEY] is False


def test_threat_management_off_changes_nothing(sim, capsys):
    sim.control().set_state(ips={'default': {'ips_mode': 'disabled', 'enabled_networks': []}})
    result = run_module(capsys, conn(sim))
    assert result['changed'] is False and result['compliance']['status'] == 'compliant'
    assert any('threat management is off' in text for text in result['compliance']['findings'])
    assert sim.journal.writes() == []


def test_p2p_like_settings_are_reported_not_changed(sim, capsys):
    sim.control().set_state(ips={'default': {'restrict_torrents': True}})
    result = run_module(capsys, conn(sim))
    assert 'restrict_torrents' in result['sites'][0]['p2p_like_blocking']
    assert 'tor' in result['sites'][0]['p2p_like_blocking']
    state = sim.control().state()['sites']['default']['ips']
    assert state['restrict_torrents'] is True and 'tor' in state['enabled_categories']


def test_network_8_document_round_trips(sim_factory, capsys):
    sim = sim_factory(network_version='8.6.9')
    result = run_module(capsys, conn(sim))
    assert result['changed'] is True and 'failed' not in result
    assert 'memory_optimized' not in sim.control().state()['sites']['default']['ips']


def test_state_absent_puts_the_category_back(sim, capsys):
    run_module(capsys, conn(sim))
    result = run_module(capsys, conn(sim, state='absent'))
    assert result['changed'] is True and P2P_CATEGORY in categories(sim)
    assert run_module(capsys, conn(sim, state='absent'))['changed'] is False


def test_failed_second_site_write_puts_the_first_back(sim, capsys):
    snapshot = sim.snapshot()
    # The first write (default) passes; the second (branch) is refused; the first is then restored.
    original_set = sim._set_ips  # pylint: disable=protected-access
    calls = []

    def fail_on_branch(request, site_name, entry, headers, op, user):
        calls.append(site_name)
        if site_name == 'branch':
            sim.faults.arm('api_error', count=1, match='set:setting/ips')
        return original_set(request, site_name, entry, headers, op, user)

    sim._set_ips = fail_on_branch  # pylint: disable=protected-access
    result = run_module(capsys, conn(sim, sites=['default', 'branch']))
    assert result['failed'] and result['cause'] == 'api'
    assert 'put back' in result['msg'] and result['device_unchanged'] is True
    assert calls == ['default', 'branch', 'default']
    assert sim.snapshot() == snapshot


@pytest.mark.parametrize('fault, match, cause', [
    ('http_500', 'set:setting/ips', 'api'),
    ('api_error', 'set:setting/ips', 'api'),
    ('auth', 'set:setting/ips', 'auth'),
    ('timeout', 'get:setting/ips', 'timeout'),
    ('http_500', 'sites', 'api'),
])
def test_faults_fail_with_their_cause_and_leave_the_controller_unchanged(sim, capsys, fault, match, cause):
    snapshot = sim.snapshot()
    sim.control().arm(fault, count=5 if fault in ('timeout', 'http_500') else 1, match=match,
                      seconds=2 if fault == 'timeout' else None)
    result = run_module(capsys, conn(sim))
    assert result['failed'] and result['cause'] == cause
    assert result['device_unchanged'] is True
    assert result['compliance']['status'] == 'error'
    assert sim.snapshot() == snapshot


def test_unreachable_controller(capsys):
    result = run_module(capsys, dict(host='127.0.0.1', port=1, username='admin', password='not-a-real-password', timeout=1))
    assert result['failed'] and result['cause'] == 'unreachable'


def test_tls_verification_is_on_by_default(sim, capsys):
    args = conn(sim)
    del args['ca_path']
    result = run_module(capsys, args)
    assert result['failed'] and result['cause'] == 'tls'
    assert sim.journal.entries() == []


def test_secrets_never_in_output(sim_factory, capsys):
    sim = sim_factory()
    _result, out = run_module_output(capsys, conn(sim, password=sim.password))
    assert sim.password not in out
    assert len(sim.issued_secrets) >= 3   # session cookie, login CSRF token, rotated CSRF token
    assert all(value not in out for value in sim.issued_secrets)
    _result, out = run_module_output(capsys, dict(host=sim.host, port=sim.port, api_key=sim.api_key, ca_path=sim.ca_path))
    assert sim.api_key not in out
    # A failure message does not carry the password either.
    _result, out = run_module_output(capsys, conn(sim, password='Secret-Wrong-Pass'))
    assert 'Secret-Wrong-Pass' not in out


def test_bad_input_is_refused_by_the_argument_spec(sim, capsys):
    result = run_module(capsys, dict(host=sim.host, api_key='key-value-123', password='password-456', username='user1'))
    assert result['failed'] and 'mutually exclusive' in result['msg']
    result = run_module(capsys, conn(sim, sites=['default', 'default']))
    assert result['failed'] and result['cause'] == 'input'


@pytest.mark.parametrize('sites', [[], ['  ']])
def test_no_site_is_bad_input(sim, capsys, sites):
    result = run_module(capsys, conn(sim, sites=sites))
    assert result['failed'] and result['cause'] == 'input' and 'sites' in result['msg']
    assert sim.journal.entries() == []
