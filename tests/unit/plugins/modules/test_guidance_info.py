# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.directpath.firewall.plugins.module_utils.fleet.guidance import GUIDANCE, known_vendors
from ansible_collections.directpath.firewall.plugins.modules import guidance_info

# What the module reports for every row of Tailscale's guidance table (the issue: "tests cover
# every guidance row's status"). Rows with a device API report manual: the module only speaks
# for them when this version has no role for the vendor.
EXPECTED_STATUS = {
    'barracuda': 'manual',
    'checkpoint': 'not_applicable',
    'cisco': 'manual',
    'cisco_umbrella': 'no_workaround',
    'fortinet': 'not_applicable',  # applied in the tailnet policy by the tailnet host
    'fortinet_dpi': 'manual',
    'opnsense': 'manual',
    'panos': 'manual',
    'pfsense': 'manual',
    'sophos': 'not_applicable',
    'tailnet': 'manual',
    'unifi': 'manual',
}


def run_module(capsys, **args):
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exit_info:
            guidance_info.main()
    return exit_info.value.code, json.loads(capsys.readouterr().out)


def test_expected_statuses_name_every_guidance_row():
    assert sorted(EXPECTED_STATUS) == known_vendors()


@pytest.mark.parametrize('vendor', sorted(EXPECTED_STATUS))
def test_every_guidance_row_reports_its_status(capsys, vendor):
    workarounds = list(GUIDANCE[vendor]['workarounds'])
    args = {'vendor': vendor}
    if len(workarounds) > 1:
        args['workaround'] = workarounds[-1]
    code, result = run_module(capsys, **args)
    assert code == 0
    record = result['compliance']
    assert record['status'] == EXPECTED_STATUS[vendor]
    assert record['vendor'] == vendor
    assert record['workaround'] == (workarounds[-1] if workarounds else 'none')
    assert record['applied'] is False and record['exposure'] == []
    assert record['advice'] == list(GUIDANCE[vendor]['caveats'])
    assert result['changed'] is False
    assert result['api_calls'] == {'reads': 0, 'writes': 0}
    assert result['guidance']['firewall'] == GUIDANCE[vendor]['firewall']


def test_check_point_and_sophos_say_no_change_is_needed(capsys):
    for vendor in ('checkpoint', 'sophos'):
        dummy, result = run_module(capsys, vendor=vendor)
        assert "expects 'Connects directly'; no firewall change is needed" in result['compliance']['findings'][0]
        assert any('MappingVariesByDestIP' in advice for advice in result['compliance']['advice'])


def test_fortinet_points_at_the_tailnet_host(capsys):
    dummy, result = run_module(capsys, vendor='fortinet')
    finding = result['compliance']['findings'][0]
    assert result['compliance']['workaround'] == 'randomize_port'
    assert 'nothing to change on the firewall' in finding and 'directpath_vendor tailnet (role tailnet)' in finding


def test_cisco_umbrella_has_no_workaround_and_gives_the_advice(capsys):
    dummy, result = run_module(capsys, vendor='cisco_umbrella')
    record = result['compliance']
    assert record['status'] == 'no_workaround'
    assert 'knows no workaround' in record['findings'][0]
    assert any('peer relay' in advice for advice in record['advice'])


def test_vendor_without_a_module_says_what_to_apply_by_hand(capsys):
    dummy, result = run_module(capsys, vendor='barracuda', workaround='udp_sessions')
    assert result['compliance']['findings'] == [
        'no module for barracuda in this version of directpath.firewall; apply by hand: '
        'Increase Max UDP sessions, and open a firewall port']


def test_fortinet_dpi_by_hand_quotes_the_guidance_text_not_none(capsys):
    dummy, result = run_module(capsys, vendor='fortinet_dpi')
    finding = result['compliance']['findings'][0]
    assert 'apply by hand: Symptom: x509' in finding and 'SSL inspection' in finding


def test_rollback_wording_for_state_absent(capsys):
    dummy, result = run_module(capsys, vendor='unifi', state='absent')
    assert result['compliance']['state'] == 'absent'
    assert 'roll back by hand: Allow peer-to-peer traffic' in result['compliance']['findings'][0]


def test_unknown_vendor_fails_listing_the_known_vendors(capsys):
    code, result = run_module(capsys, vendor='juniper')
    assert code == 1
    assert result['failed'] is True
    assert result['cause'] == 'input'
    assert result['msg'] == ("directpath_vendor 'juniper' is not a row of the guidance; known vendors: "
                             + ', '.join(known_vendors()))
    assert result['compliance']['status'] == 'error'
    assert result['compliance']['vendor'] == 'juniper'


def test_empty_vendor_fails_too(capsys):
    code, result = run_module(capsys, vendor='')
    assert code == 1
    assert 'known vendors: barracuda' in result['msg']
    assert result['compliance']['vendor'] == 'unknown'


@pytest.mark.parametrize('args, message', [
    ({'vendor': 'barracuda'}, 'barracuda has several workarounds; set workaround to one of: udp_sessions, open_port'),
    ({'vendor': 'panos', 'workaround': 'natpmp'}, "'natpmp' is not a workaround of panos; choose one of: persistent_dipp"),
    ({'vendor': 'checkpoint', 'workaround': 'open_port'}, 'checkpoint has no workaround to choose; leave workaround unset'),
])
def test_bad_workaround_fails_with_the_choices(capsys, args, message):
    code, result = run_module(capsys, **args)
    assert code == 1
    assert result['msg'] == message


def test_check_mode_returns_the_same_record(capsys):
    dummy, normal = run_module(capsys, vendor='sophos')
    dummy, checked = run_module(capsys, vendor='sophos', _ansible_check_mode=True)
    assert normal['compliance'] == checked['compliance']
