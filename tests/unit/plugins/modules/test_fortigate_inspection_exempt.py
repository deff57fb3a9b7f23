# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""fortigate_inspection_exempt against the FortiOS REST API simulator."""

from __future__ import annotations

import json
import socket

import pytest


from ansible_collections.directpath.firewall.plugins.modules import fortigate_inspection_exempt
from ansible_collections.directpath.firewall.tests.unit.plugins.modules.module_run import module_runners  # noqa: E402
from ansible_collections.directpath.firewall.tests.simulators.fortios import FortiosSimulator, default_config

TAILSCALE = 51457


@pytest.fixture
def sim(tmp_path):
    simulator = FortiosSimulator(tmp_path / 'fortios').start()
    yield simulator
    simulator.stop()


run_module, run_module_output = module_runners(fortigate_inspection_exempt)


def conn(sim, **extra):
    args = dict(host=sim.host, port=sim.port, access_token=sim.access_token, ca_path=sim.ca_path, timeout=2,
                application_lists=['default', 'corp-strict', 'guest-wifi'],
                ssl_ssh_profiles=['custom-deep-inspection', 'corp-deep', 'certificate-inspection'])
    args.update(extra)
    # An option given as None is left out, as a play that omits it would.
    return {key: value for key, value in args.items() if value is not None}


def device(sim, vdom='root'):
    return sim.control().state()['config'][vdom]


def entries(sim, name, vdom='root'):
    return {entry['id']: entry for entry in device(sim, vdom)['application/list'][name]['entries']}


def exempt(sim, profile, vdom='root'):
    return {'%s:%s' % (row['type'], row[row['type']]) for row in device(sim, vdom)['firewall/ssl-ssh-profile'][profile]['ssl-exempt']}


def ids(rows):
    return [row['id'] for row in rows]


# ------------------------------------------------------------------------------------------------
# The four steps: check mode -> apply -> apply again -> check mode again
# ------------------------------------------------------------------------------------------------
def test_four_steps_check_apply_apply_check(sim, capsys):
    before = sim.snapshot()
    result = run_module(capsys, conn(sim), check_mode=True)
    assert result['changed'] is True and result['compliance']['status'] == 'drift'
    assert sim.journal.writes() == [] and result['api_calls']['writes'] == 0
    assert sim.snapshot() == before
    assert result['diff']['before']['wildcard FQDN object directpath-tailscale.com'] is None
    assert result['diff']['after']['application list default entry 1']['exclusion'] == [TAILSCALE]
    assert 'application list guest-wifi entry 1' not in result['diff']['after']

    sim.journal.clear()
    result = run_module(capsys, conn(sim))
    assert result['changed'] is True and result['compliance']['status'] == 'compliant'
    assert result['compliance']['applied'] is True
    assert len(sim.journal.writes()) == result['api_calls']['writes'] == 5
    assert all(entry['revision_changed'] for entry in result['revisions'])

    sim.journal.clear()
    result = run_module(capsys, conn(sim))
    assert result['changed'] is False and result['compliance']['status'] == 'compliant'
    assert sim.journal.writes() == [] and result['api_calls']['writes'] == 0

    after_apply = sim.snapshot()
    result = run_module(capsys, conn(sim), check_mode=True)
    assert result['changed'] is False and result['compliance']['status'] == 'compliant'
    assert sim.journal.writes() == [] and sim.snapshot() == after_apply


def test_apply_changes_only_what_blocks_tailscale(sim, capsys):
    run_module(capsys, conn(sim))
    default = entries(sim, 'default')
    assert ids(default[1]['exclusion']) == [TAILSCALE] and ids(default[1]['category']) == [2, 6]
    assert default[1]['action'] == 'block' and default[2]['action'] == 'pass'
    strict = entries(sim, 'corp-strict')
    assert ids(strict[1]['application']) == [16427]            # TeamViewer stays blocked
    assert strict[1]['log-packet'] == 'enable'                  # the entry's other settings are kept
    assert ids(strict[2]['exclusion']) == [TAILSCALE]           # Remote.Access stays blocked, except Tailscale
    assert (ids(strict[4]['application']), strict[4]['action']) == ([TAILSCALE], 'pass')
    assert device(sim)['application/list']['corp-strict']['other-application-action'] == 'block'
    assert entries(sim, 'guest-wifi')[1]['exclusion'] == []
    wildcard = device(sim)['firewall.wildcard-fqdn/custom']['directpath-tailscale.com']
    assert wildcard['wildcard-fqdn'] == '*.tailscale.com'
    assert exempt(sim, 'corp-deep') == {'address:payroll-saas', 'wildcard-fqdn:directpath-tailscale.com'}
    assert 'wildcard-fqdn:g-adobe' in exempt(sim, 'custom-deep-inspection')
    assert exempt(sim, 'certificate-inspection') == set()
    assert device(sim, 'branch') == default_config()['branch']


def test_findings_name_the_derp_limit_and_the_certificate_symptom(sim, capsys):
    result = run_module(capsys, conn(sim), check_mode=True)
    text = ' '.join(result['compliance']['findings'])
    assert 'FQDN exemptions cannot cover DERP' in text and 'tailscale#15217' in text
    assert 'x509: "controlplane.tailscale.com" certificate is not trusted' in text
    assert 'category 6 (Proxy)' in text and 'category 7 (Remote.Access)' in text
    assert result['compliance']['exposure']
    assert result['tailscale_application'] == {'id': TAILSCALE, 'name': 'Tailscale', 'category': 7,
                                               'category_name': 'Remote.Access', 'checked_categories': [6, 7]}


def test_list_fields_are_compared_as_sets(sim, capsys):
    run_module(capsys, conn(sim))
    # FortiOS may hand back id lists in another order than we wrote them: not a change.
    profile = device(sim)['application/list']['default']
    profile['entries'][0]['category'] = [{'id': 6}, {'id': 2}]
    profile['entries'][0]['exclusion'] = [{'id': TAILSCALE}]
    ssl = device(sim)['firewall/ssl-ssh-profile']['corp-deep']
    ssl['ssl-exempt'] = list(reversed(ssl['ssl-exempt']))
    sim.control().set_state(objects=[{'vdom': 'root', 'table': 'application/list', 'object': profile},
                                     {'vdom': 'root', 'table': 'firewall/ssl-ssh-profile', 'object': ssl}])
    sim.journal.clear()
    result = run_module(capsys, conn(sim))
    assert result['changed'] is False and sim.journal.writes() == []


def test_entry_that_blocks_only_tailscale_is_removed(sim, capsys):
    profile = device(sim)['application/list']['guest-wifi']
    profile['entries'].insert(0, dict(profile['entries'][0], id=9, category=[], application=[{'id': TAILSCALE}], popularity='1 2 3 4 5'))
    sim.control().set_state(objects=[{'vdom': 'root', 'table': 'application/list', 'object': profile}])
    result = run_module(capsys, conn(sim, application_lists=['guest-wifi'], ssl_ssh_profiles=None))
    assert result['changed'] is True
    assert sorted(entries(sim, 'guest-wifi')) == [1]
    assert result['diff']['after'] == {'application list guest-wifi entry 9': None}


def test_entry_naming_tailscale_and_its_category_loses_the_name_and_excludes_it(sim, capsys):
    profile = device(sim)['application/list']['guest-wifi']
    profile['entries'].insert(0, dict(profile['entries'][0], id=9, category=[{'id': 7}],
                                      application=[{'id': TAILSCALE}, {'id': 36935}], popularity='1 2 3 4 5'))
    sim.control().set_state(objects=[{'vdom': 'root', 'table': 'application/list', 'object': profile}])
    result = run_module(capsys, conn(sim, application_lists=['guest-wifi'], ssl_ssh_profiles=None))
    entry = entries(sim, 'guest-wifi')[9]
    assert (ids(entry['application']), ids(entry['category']), ids(entry['exclusion'])) == ([36935], [7], [TAILSCALE])
    assert result['diff']['after']['application list guest-wifi entry 9']['exclusion'] == [TAILSCALE]


def test_category_is_read_from_the_device(sim, capsys):
    # FortiGuard files Tailscale under Proxy (6): a list that blocks Remote.Access (7) no longer matches it.
    sim.control().set_state(tailscale_category=6)
    result = run_module(capsys, conn(sim, vdom='branch', application_lists=['branch-apps'], ssl_ssh_profiles=None), check_mode=True)
    assert result['changed'] is False
    assert result['tailscale_application']['checked_categories'] == [6]
    sim.control().set_state(tailscale_category=7)
    result = run_module(capsys, conn(sim, vdom='branch', application_lists=['branch-apps'], ssl_ssh_profiles=None))
    assert result['changed'] is True and result['vdom'] == 'branch'
    assert ids(entries(sim, 'branch-apps', 'branch')[1]['exclusion']) == [TAILSCALE]
    assert entries(sim, 'branch-apps', 'branch')[1]['action'] == 'reset'
    assert ids(entries(sim, 'default')[1]['exclusion']) == []   # root untouched


def test_exempt_addresses_are_added_and_must_exist(sim, capsys):
    result = run_module(capsys, conn(sim, application_lists=None, ssl_ssh_profiles=['corp-deep'], exempt_addresses=['ts-derp-fra']))
    assert 'address:ts-derp-fra' in exempt(sim, 'corp-deep')
    before = sim.snapshot()
    result = run_module(capsys, conn(sim, application_lists=None, ssl_ssh_profiles=['corp-deep'], exempt_addresses=['no-such']))
    assert result['failed'] is True and result['cause'] == 'input' and "'no-such'" in result['msg']
    assert sim.snapshot() == before


def test_another_teams_object_with_the_same_pattern_already_exempts(sim, capsys):
    profile = device(sim)['firewall/ssl-ssh-profile']['corp-deep']
    profile['ssl-exempt'].append({'id': 2, 'type': 'wildcard-fqdn', 'wildcard-fqdn': 'net-tailscale', 'fortiguard-category': 0,
                                  'address': '', 'address6': '', 'regex': ''})
    sim.control().set_state(objects=[
        {'vdom': 'root', 'table': 'firewall.wildcard-fqdn/custom', 'object': {
            'name': 'net-tailscale', 'uuid': '7d3c1f52-0b6e-4f0a-9f7e-2a1c5e8d9b10', 'wildcard-fqdn': '*.Tailscale.com',
            'color': 3, 'comment': 'network team', 'visibility': 'enable'}},
        {'vdom': 'root', 'table': 'firewall/ssl-ssh-profile', 'object': profile}])
    result = run_module(capsys, conn(sim, application_lists=None, ssl_ssh_profiles=['corp-deep']))
    assert result['changed'] is False and sim.journal.writes() == []
    assert 'directpath-tailscale.com' not in device(sim)['firewall.wildcard-fqdn/custom']


def test_our_object_edited_by_someone_is_put_back_without_touching_the_profiles(sim, capsys):
    run_module(capsys, conn(sim, application_lists=None, ssl_ssh_profiles=['corp-deep']))
    wildcard = device(sim)['firewall.wildcard-fqdn/custom']['directpath-tailscale.com']
    sim.control().set_state(objects=[{'vdom': 'root', 'table': 'firewall.wildcard-fqdn/custom',
                                      'object': dict(wildcard, **{'wildcard-fqdn': '*.tailscale.io'})}])
    sim.journal.clear()
    result = run_module(capsys, conn(sim, application_lists=None, ssl_ssh_profiles=['corp-deep']))
    assert result['changed'] is True
    assert [entry['op'] for entry in sim.journal.writes()] == ['put:cmdb/firewall.wildcard-fqdn/custom']
    assert device(sim)['firewall.wildcard-fqdn/custom']['directpath-tailscale.com']['wildcard-fqdn'] == '*.tailscale.com'
    assert len([row for row in device(sim)['firewall/ssl-ssh-profile']['corp-deep']['ssl-exempt']
                if row['wildcard-fqdn'] == 'directpath-tailscale.com']) == 1


def test_profiles_without_deep_inspection_need_nothing(sim, capsys):
    result = run_module(capsys, conn(sim, application_lists=None, ssl_ssh_profiles=['certificate-inspection', 'no-inspection']))
    assert result['changed'] is False and result['compliance']['status'] == 'compliant'
    assert 'directpath-tailscale.com' not in device(sim)['firewall.wildcard-fqdn/custom']


# ------------------------------------------------------------------------------------------------
# Bad input
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize('extra, words', [
    ({'application_lists': ['no-such-list'], 'ssl_ssh_profiles': None}, "application list 'no-such-list' does not exist"),
    ({'application_lists': None, 'ssl_ssh_profiles': ['deep-inspection']}, 'read-only'),
    ({'application_lists': None, 'ssl_ssh_profiles': ['nope']}, "profile 'nope' does not exist"),
    ({'application_lists': None, 'exempt_fqdns': ['controlplane.tailscale.com']}, 'not a wildcard domain'),
    ({'vdom': 'nosuch'}, 'VDOM nosuch'),
])
def test_bad_input_fails_with_a_clear_message_and_changes_nothing(sim, capsys, extra, words):
    before = sim.snapshot()
    result = run_module(capsys, conn(sim, **extra))
    assert result['failed'] is True and words in result['msg']
    assert result['compliance']['status'] == 'error'
    assert sim.journal.writes() == [] and sim.snapshot() == before


def test_one_of_lists_or_profiles_is_required(sim, capsys):
    result = run_module(capsys, conn(sim, application_lists=None, ssl_ssh_profiles=None))
    assert result['failed'] is True and 'one of the following is required' in result['msg']


# ------------------------------------------------------------------------------------------------
# Versions
# ------------------------------------------------------------------------------------------------
def test_before_6_4_4_a_category_block_is_manual_with_a_warning(tmp_path, capsys):
    simulator = FortiosSimulator(tmp_path / 'old', version='v6.4.3').start()
    try:
        result = run_module(capsys, conn(simulator))
        assert result['changed'] is False and result['compliance']['status'] == 'manual'
        assert '6.4.4' in json.dumps(result['warnings'])
        assert simulator.journal.writes() == []
    finally:
        simulator.stop()


def test_missing_application_signature_is_reported(sim, capsys):
    sim.control().set_state(remove=[{'vdom': 'root', 'table': 'application/name', 'mkey': 'Tailscale'}])
    result = run_module(capsys, conn(sim, ssl_ssh_profiles=None), check_mode=True)
    assert any('no application 51457' in text for text in result['compliance']['findings'])
    assert result['tailscale_application']['checked_categories'] == [6]


# ------------------------------------------------------------------------------------------------
# Failures leave the device as it was
# ------------------------------------------------------------------------------------------------
def test_api_error_on_a_later_write_undoes_the_earlier_ones(sim, capsys):
    before = sim.snapshot()
    sim.control().arm('api_error', match='put:cmdb/firewall/ssl-ssh-profile', code=-651, message='Injected refusal')
    result = run_module(capsys, conn(sim))
    assert result['failed'] is True and result['cause'] == 'api'
    assert 'FortiOS error -651' in result['msg'] and 'Injected refusal' in result['msg']
    assert 'undone' in result['msg'] and result['device_unchanged'] is True
    assert sim.snapshot() == before


def test_failed_undo_says_the_device_may_be_changed(sim, capsys):
    sim.control().arm('api_error', match='put:cmdb/firewall/ssl-ssh-profile', count=2)
    sim.control().arm('http_500', match='delete:cmdb/firewall.wildcard-fqdn')
    result = run_module(capsys, conn(sim, application_lists=None, ssl_ssh_profiles=['corp-deep']))
    assert result['failed'] is True and result['device_unchanged'] is False
    assert 'directpath-tailscale.com' in result['msg']
    assert result['compliance']['device_unchanged'] is False


def test_http_500_on_a_write_fails_as_api_and_changes_nothing(sim, capsys):
    before = sim.snapshot()
    sim.control().arm('http_500', match='put:cmdb/application/list')
    result = run_module(capsys, conn(sim, ssl_ssh_profiles=None))
    assert result['failed'] is True and result['cause'] == 'api' and 'HTTP 500' in result['msg']
    assert sim.snapshot() == before


def test_read_only_api_user_audits_but_cannot_apply(sim, capsys):
    result = run_module(capsys, conn(sim, access_token=sim.read_only_token), check_mode=True)
    assert result['compliance']['status'] == 'drift'
    before = sim.snapshot()
    result = run_module(capsys, conn(sim, access_token=sim.read_only_token))
    assert result['failed'] is True and result['cause'] == 'auth' and 'HTTP 403' in result['msg']
    assert sim.snapshot() == before


def test_bad_token_fails_with_auth_and_never_shows_the_token(sim, capsys):
    token = 'Zx9' * 10
    result, out = run_module_output(capsys, conn(sim, access_token=token))
    assert result['failed'] is True and result['cause'] == 'auth' and 'HTTP 401' in result['msg']
    assert token not in out


def test_token_never_appears_in_results_or_diffs(sim, capsys):
    for check_mode in (True, False):
        _result, out = run_module_output(capsys, conn(sim), check_mode=check_mode)
        assert sim.access_token not in out
    sim.control().arm('api_error', match='put:', message='echo %s' % sim.access_token)
    _result, out = run_module_output(capsys, conn(sim, application_lists=None, ssl_ssh_profiles=['corp-deep']))
    assert sim.access_token not in out


def test_timeout_fails_with_cause_timeout(sim, capsys):
    sim.control().arm('timeout', count=5, seconds=3)
    result = run_module(capsys, conn(sim, timeout=1))
    assert result['failed'] is True and result['cause'] == 'timeout'


def test_unreachable_device_fails_with_cause_unreachable(sim, capsys):
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    result = run_module(capsys, conn(sim, port=port))
    assert result['failed'] is True and result['cause'] == 'unreachable'


def test_tls_is_verified_by_default(sim, capsys):
    result = run_module(capsys, conn(sim, ca_path=None))
    assert result['failed'] is True and result['cause'] == 'tls'
    assert sim.journal.entries() == []


def test_access_token_is_no_log_and_required():
    from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.inspection_exempt import INSPECTION_EXEMPT_SPEC
    option = INSPECTION_EXEMPT_SPEC.argument_spec['access_token']
    assert option['no_log'] is True and option['required'] is True
