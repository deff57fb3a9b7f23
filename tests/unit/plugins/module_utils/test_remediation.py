# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.directpath.firewall.plugins.module_utils.remediation import (
    COMPLIANCE_STATUSES,
    ApiCalls,
    ArgumentSpec,
    DirectPathError,
    Plan,
    compliance_record,
    guard,
    run_plan,
)


def test_plan_without_differences_is_unchanged_and_compliant():
    plan = Plan('panos', 'persistent_dipp')
    plan.compare('lan-out', 'persistent-dynamic-ip-and-port', 'persistent-dynamic-ip-and-port', finding='never shown')
    assert not plan.changed
    assert plan.diff == {'before': {}, 'after': {}}
    assert plan.compliance(applied=False)['status'] == 'compliant'
    assert plan.findings == []


def test_diff_holds_only_the_fields_that_differ():
    plan = Plan('panos', 'persistent_dipp')
    plan.compare('a', 1, 1)
    plan.compare('b', 'x', 'y', finding='b differs')
    assert plan.changed
    assert plan.diff == {'before': {'b': 'x'}, 'after': {'b': 'y'}}
    assert plan.findings == ['b differs']


def test_status_is_drift_before_apply_and_compliant_after():
    plan = Plan('pfsense', 'natpmp')
    plan.compare('enable_natpmp', False, True)
    assert plan.compliance(applied=False)['status'] == 'drift'
    record = plan.compliance(applied=True)
    assert record['status'] == 'compliant'
    assert record['applied'] is True


def test_manual_plan_has_no_changes_and_reports_manual():
    plan = Plan('panos', 'persistent_dipp')
    plan.compare('lan-out', 'dynamic-ip-and-port', 'persistent-dynamic-ip-and-port')
    plan.require_manual('PAN-OS 10.2.4 is too old')
    assert not plan.changed
    assert plan.diff == {'before': {}, 'after': {}}
    record = plan.compliance(applied=False)
    assert record['status'] == 'manual'
    assert 'PAN-OS 10.2.4 is too old' in record['findings']


def test_comparing_a_field_twice_is_a_bug():
    plan = Plan('x', 'y')
    plan.compare('a', 1, 2)
    with pytest.raises(ValueError):
        plan.compare('a', 1, 2)


def test_compliance_record_rejects_unknown_status():
    with pytest.raises(ValueError):
        compliance_record('x', 'y', 'fine')
    for status in COMPLIANCE_STATUSES:
        assert compliance_record('x', 'y', status)['status'] == status


def test_error_cause_must_be_known():
    with pytest.raises(ValueError):
        raise DirectPathError('boom', cause='bad-luck')
    assert DirectPathError('boom', cause='auth').cause == 'auth'


def test_argument_spec_merge_keeps_both_and_refuses_duplicates():
    conn = ArgumentSpec({'host': {'type': 'str'}}, required_one_of=[('a', 'b')])
    mod = ArgumentSpec({'rules': {'type': 'list'}}, mutually_exclusive=[('c', 'd')])
    merged = conn.merge(mod)
    assert set(merged.argument_spec) == {'host', 'rules'}
    assert merged.required_one_of == [('a', 'b')]
    assert merged.mutually_exclusive == [('c', 'd')]
    assert 'rules' not in conn.argument_spec
    with pytest.raises(ValueError):
        merged.merge(ArgumentSpec({'host': {'type': 'str'}}))


def _run_module(check_mode, diff, plan, apply, capsys):
    spec = ArgumentSpec({'name': {'type': 'str'}})
    args = {'name': 'x', '_ansible_check_mode': check_mode, '_ansible_diff': diff}
    with patch_module_args(args):
        module = spec.create_ansible_module(supports_check_mode=True)
        with pytest.raises(SystemExit):
            run_plan(module, plan, apply, ApiCalls())
    return json.loads(capsys.readouterr().out)


def test_run_plan_in_check_mode_never_applies(capsys):
    plan = Plan('v', 'w')
    plan.compare('f', 1, 2)
    calls = []
    result = _run_module(True, True, plan, calls.append, capsys)
    assert calls == []
    assert result['changed'] is True
    assert result['compliance']['status'] == 'drift'
    assert result['diff'] == {'before': {'f': 1}, 'after': {'f': 2}}


def test_run_plan_applies_once_when_changed(capsys):
    plan = Plan('v', 'w')
    plan.compare('f', 1, 2)
    calls = []
    result = _run_module(False, False, plan, calls.append, capsys)
    assert calls == [plan]
    assert result['compliance']['status'] == 'compliant'
    assert 'diff' not in result


def test_run_plan_does_not_apply_without_changes(capsys):
    plan = Plan('v', 'w')
    plan.compare('f', 2, 2)
    calls = []
    result = _run_module(False, True, plan, calls.append, capsys)
    assert calls == []
    assert result['changed'] is False


def test_guard_turns_directpath_error_into_failure_with_error_record(capsys):
    spec = ArgumentSpec({'password': {'type': 'str', 'no_log': True}})
    with patch_module_args({'password': 's3cr3t-value'}):
        module = spec.create_ansible_module(supports_check_mode=True)

        def body():
            raise DirectPathError('login with s3cr3t-value refused', cause='auth')

        with pytest.raises(SystemExit):
            guard(module, 'v', 'w', ApiCalls(), body)
    out = capsys.readouterr().out
    assert 's3cr3t-value' not in out
    result = json.loads(out)
    assert result['failed'] is True
    assert result['cause'] == 'auth'
    assert result['compliance']['status'] == 'error'
