# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args

from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import COMPLIANCE_STATUSES, ApiCalls, Plan, compliance_record
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import RunContext, execute, finish, module_main


def test_plan_without_differences_is_unchanged_and_compliant():
    plan = Plan('panos', 'persistent_dipp')
    plan.compare('lan-out', 'persistent-dynamic-ip-and-port', 'persistent-dynamic-ip-and-port', finding='never shown')
    assert not plan.changed
    assert plan.diff == {'before': {}, 'after': {}}
    record = plan.compliance(applied=False)
    assert record['status'] == 'compliant'
    assert record['findings'] == []


def test_diff_holds_only_the_fields_that_differ():
    plan = Plan('panos', 'persistent_dipp')
    plan.compare('a', 1, 1)
    plan.compare('b', 'x', 'y', finding='b differs')
    assert plan.changed
    assert plan.diff == {'before': {'b': 'x'}, 'after': {'b': 'y'}}
    assert plan.compliance(applied=False)['findings'] == ['b differs']


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


def _finish(check_mode, diff, plan, apply):
    return finish(RunContext({'name': 'x'}, check_mode=check_mode, diff=diff), plan, apply, ApiCalls())


def test_finish_in_check_mode_never_applies():
    plan = Plan('v', 'w')
    plan.compare('f', 1, 2)
    calls = []
    result = _finish(True, True, plan, calls.append)
    assert calls == []
    assert result['changed'] is True
    assert result['compliance']['status'] == 'drift'
    assert result['compliance']['changed'] is True
    assert result['compliance']['applied'] is False
    assert result['diff'] == {'before': {'f': 1}, 'after': {'f': 2}}


def test_finish_applies_once_when_changed():
    plan = Plan('v', 'w')
    plan.compare('f', 1, 2)
    calls = []
    result = _finish(False, False, plan, calls.append)
    assert calls == [plan]
    assert result['compliance']['status'] == 'compliant'
    assert 'diff' not in result


def test_finish_does_not_apply_without_changes():
    plan = Plan('v', 'w')
    plan.compare('f', 2, 2)
    calls = []
    result = _finish(False, True, plan, calls.append)
    assert calls == []
    assert result['changed'] is False


def test_findings_after_an_apply_say_before_and_after():
    plan = Plan('pfsense', 'natpmp')
    plan.compare('enable_natpmp', False, True, finding='PCP/NAT-PMP port mapping is off')
    plan.add_exposure('NAT-PMP mappings for 198.18.10.21')
    assert plan.compliance(applied=False)['findings'] == ['PCP/NAT-PMP port mapping is off']
    record = plan.compliance(applied=True)
    assert record['findings'] == ['changed enable_natpmp: off → on']
    assert record['changed'] is True and record['applied'] is True and record['state'] == 'present'


def test_execute_turns_directpath_error_into_failure_with_full_record():
    def body(ctx, api_calls):
        api_calls.read()
        raise DirectPathError('login refused', cause='auth')

    result = execute(RunContext({'state': 'present'}), 'v', 'w', body)
    assert result['failed'] is True
    assert result['cause'] == 'auth'
    assert result['device_unchanged'] is True
    assert result['api_calls'] == {'reads': 1, 'writes': 0}
    record = result['compliance']
    assert record['status'] == 'error'
    assert record['cause'] == 'auth'
    # The failure record has every field a success record has.
    success = Plan('v', 'w').compliance(applied=False)
    assert set(success) <= set(record)


def test_execute_blames_our_bug_not_the_device():
    def body(ctx, api_calls):
        return {}['missing']

    result = execute(RunContext({}), 'v', 'w', body)
    assert result['failed'] is True
    assert result['cause'] == 'internal'
    assert result['compliance']['cause'] == 'internal'
    assert 'device_unchanged' not in result
    assert 'KeyError' in result['msg']


def test_execute_warns_when_a_person_is_needed():
    def body(ctx, api_calls):
        plan = Plan('panos', 'persistent_dipp')
        plan.require_manual('PAN-OS 10.2.4 is too old')
        plan.add_advice('upgrade to 11.1.1')
        return finish(ctx, plan, None, api_calls)

    result = execute(RunContext({}), 'panos', 'persistent_dipp', body)
    assert result['compliance']['status'] == 'manual'
    assert len(result['warnings']) == 1
    assert 'PAN-OS 10.2.4 is too old' in result['warnings'][0]
    assert 'upgrade to 11.1.1' in result['warnings'][0]


def test_execute_does_not_warn_for_compliant():
    def body(ctx, api_calls):
        return finish(ctx, Plan('v', 'w'), None, api_calls)

    assert 'warnings' not in execute(RunContext({}), 'v', 'w', body)


def test_run_command_is_refused_where_no_command_runner_exists():
    with pytest.raises(DirectPathError) as error:
        RunContext({}).run_command(['true'])
    assert error.value.cause == 'internal'


def _module_main(args, body, capsys, spec=None):
    spec = spec or ArgumentSpec({'name': {'type': 'str'}})
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module_main(spec, 'v', 'w', body, supports_check_mode=True)
    return json.loads(capsys.readouterr().out)


def test_module_main_masks_secrets_and_fails_with_error_record(capsys):
    spec = ArgumentSpec({'password': {'type': 'str', 'no_log': True}})

    def body(ctx, api_calls):
        raise DirectPathError('login with s3cr3t-value refused', cause='auth')

    with patch_module_args({'password': 's3cr3t-value'}):
        with pytest.raises(SystemExit):
            module_main(spec, 'v', 'w', body, supports_check_mode=True)
    out = capsys.readouterr().out
    assert 's3cr3t-value' not in out
    result = json.loads(out)
    assert result['failed'] is True
    assert result['cause'] == 'auth'
    assert result['compliance']['status'] == 'error'


def test_module_main_masks_secrets_learnt_at_run_time(capsys):
    def body(ctx, api_calls):
        ctx.add_secret('generated-key-123')
        plan = Plan('v', 'w')
        plan.add_finding('the key generated-key-123 was used')
        return finish(ctx, plan, None, api_calls)

    out = _module_main({'name': 'x'}, body, capsys)
    assert 'generated-key-123' not in json.dumps(out)


def test_module_main_emits_manual_as_an_ansible_warning(capsys, monkeypatch):
    # AnsibleModule.warn is the module's way to warn (passing warnings to exit_json is deprecated);
    # where it ends up depends on whether ansible-core thinks it runs on the controller.
    warned = []
    monkeypatch.setattr(AnsibleModule, 'warn', lambda self, text: warned.append(text))

    def body(ctx, api_calls):
        plan = Plan('v', 'w')
        plan.require_manual('needs a restart')
        return finish(ctx, plan, None, api_calls)

    result = _module_main({'name': 'x'}, body, capsys)
    assert len(warned) == 1 and 'needs a restart' in warned[0]
    assert 'warnings' not in result or result['warnings']
    assert result['changed'] is False
