# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The callback driven event by event with fake task results, as Ansible's strategy would."""

from __future__ import annotations

import json
import os

import pytest

from ansible.plugins.loader import callback_loader

from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import compliance_record


class FakeHost(object):
    def __init__(self, name, host_vars=None):
        self.name = name
        self.vars = dict(host_vars or {})

    def get_name(self):
        return self.name


class FakeTask(object):
    def __init__(self, name, action='directpath.firewall.panos_persistent_dipp', check_mode=True):
        self.name = name
        self.action = action
        self.resolved_action = action
        self.check_mode = check_mode

    def get_name(self):
        return self.name


class FakeResult(object):
    """The attributes of ansible.executor.task_result.CallbackTaskResult the callback reads."""

    def __init__(self, host, task, result):
        self._host = host
        self._task = task
        self._result = result
        self.task_name = task.get_name()


class FakePlay(object):
    """A play whose variable manager answers host variables, like ansible.playbook.Play."""

    def __init__(self, host_vars):
        self._variable_manager = self
        self._host_vars = host_vars

    def get_vars(self, play=None, host=None, include_hostvars=True):
        return self._host_vars.get(host.get_name(), {})


class FakeDisplay(object):
    def __init__(self):
        self.lines = []
        self.warnings = []

    def display(self, msg, *args, **kwargs):
        self.lines.append(msg)

    def warning(self, msg, *args, **kwargs):
        self.warnings.append(msg)

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def module_result(vendor, workaround, status, **extra):
    result = {'changed': status == 'drift', 'api_calls': {'reads': 2, 'writes': 0},
              'compliance': compliance_record(vendor, workaround, status, ['%s is %s' % (workaround, status)], [],
                                              state='present', applied=False)}
    result.update(extra)
    return result


@pytest.fixture
def callback(tmp_path):
    plugin = callback_loader.get('directpath.firewall.audit_report')
    assert plugin is not None, 'the callback must load through the plugin loader'
    plugin._display = FakeDisplay()
    plugin.set_options(direct={'report_dir': str(tmp_path / 'reports'), 'report_prefix': 'audit-before'})
    return plugin


def read_json(tmp_path, prefix='audit-before'):
    with open(str(tmp_path / 'reports' / ('%s.json' % prefix))) as stream:
        return json.load(stream)


def test_callback_is_an_aggregate_that_must_be_enabled(callback):
    assert callback.CALLBACK_TYPE == 'aggregate'
    assert callback.CALLBACK_NEEDS_ENABLED is True
    assert callback.get_option('report_formats') == ['json', 'md', 'html']
    assert callback.get_option('summary') is True


def test_options_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv('DIRECTPATH_REPORT_DIR', str(tmp_path / 'env-dir'))
    monkeypatch.setenv('DIRECTPATH_REPORT_PREFIX', 'audit-after')
    monkeypatch.setenv('DIRECTPATH_REPORT_FORMATS', 'json,html')
    plugin = callback_loader.get('directpath.firewall.audit_report')
    plugin.set_options()
    assert plugin.get_option('report_dir') == str(tmp_path / 'env-dir')
    assert plugin.get_option('report_prefix') == 'audit-after'
    assert plugin.get_option('report_formats') == ['json', 'html']


def test_ok_changed_failed_and_loop_results_are_all_collected(callback, tmp_path):
    play = FakePlay({'fw-pa': {'directpath_vendor': 'panos'}, 'fw-bc': {'directpath_vendor': 'barracuda'}})
    callback.v2_playbook_on_play_start(play)
    pa = FakeHost('fw-pa')
    callback.v2_runner_on_ok(FakeResult(pa, FakeTask('dipp'), module_result('panos', 'persistent_dipp', 'drift')))
    callback.v2_runner_on_failed(FakeResult(FakeHost('fw-pf'), FakeTask('natpmp', 'directpath.firewall.pfsense_natpmp'),
                                            module_result('pfsense', 'natpmp', 'error', failed=True, msg='ssh refused', cause='unreachable')))
    loop = {'changed': False, 'results': [module_result('barracuda', 'udp_sessions', 'manual'),
                                          module_result('barracuda', 'open_port', 'manual')]}
    callback.v2_runner_on_ok(FakeResult(FakeHost('fw-bc'), FakeTask('by hand', 'directpath.firewall.guidance_info'), loop))
    callback.v2_playbook_on_stats(None)

    report = read_json(tmp_path)
    statuses = dict(((d['host'], r['workaround']), r['status']) for d in report['devices'] for r in d['records'])
    assert statuses == {
        ('fw-bc', 'open_port'): 'manual',
        ('fw-bc', 'udp_sessions'): 'manual',
        ('fw-pa', 'persistent_dipp'): 'drift',
        ('fw-pf', 'natpmp'): 'error',
    }
    devices = dict((d['host'], d) for d in report['devices'])
    assert devices['fw-pa']['firewall'] == 'Palo Alto Networks'
    assert devices['fw-pf']['records'][0]['cause'] == 'unreachable'
    assert report['run_mode'] == 'check'
    for fmt in ('json', 'md', 'html'):
        assert os.path.isfile(str(tmp_path / 'reports' / ('audit-before.%s' % fmt)))
    table = '\n'.join(callback._display.lines)
    assert 'DIRECTPATH AUDIT REPORT (check mode): 3 device(s), 4 record(s), overall error' in table
    assert 'report (html): %s' % (tmp_path / 'reports' / 'audit-before.html') in table


def test_last_record_for_a_key_wins(callback, tmp_path):
    host = FakeHost('fw-pa')
    callback.v2_runner_on_ok(FakeResult(host, FakeTask('audit', check_mode=True), module_result('panos', 'persistent_dipp', 'drift')))
    callback.v2_runner_on_ok(FakeResult(host, FakeTask('apply', check_mode=False), module_result('panos', 'persistent_dipp', 'compliant')))
    callback.v2_playbook_on_stats(None)
    report = read_json(tmp_path)
    assert report['summary']['records'] == 1
    assert report['devices'][0]['records'][0]['status'] == 'compliant'
    assert report['run_mode'] == 'apply'


def test_failure_of_our_module_without_a_record_is_reported_as_error(callback, tmp_path):
    host = FakeHost('fw-pa', {'directpath_vendor': 'panos'})
    failed = {'failed': True, 'msg': 'missing required arguments: rules'}
    callback.v2_runner_on_failed(FakeResult(host, FakeTask('dipp'), failed))
    callback.v2_runner_on_unreachable(FakeResult(FakeHost('fw-x'), FakeTask('dipp'), {'unreachable': True, 'msg': 'timed out'}))
    callback.v2_playbook_on_stats(None)
    devices = dict((d['host'], d) for d in read_json(tmp_path)['devices'])
    record = devices['fw-pa']['records'][0]
    assert (devices['fw-pa']['vendor'], record['workaround'], record['status']) == ('panos', 'panos_persistent_dipp', 'error')
    assert record['findings'] == ['missing required arguments: rules']
    assert devices['fw-x']['records'][0]['findings'] == ['timed out']


def test_failures_of_other_collections_and_plain_results_are_ignored(callback, tmp_path):
    host = FakeHost('web1')
    callback.v2_runner_on_failed(FakeResult(host, FakeTask('apt', 'ansible.builtin.apt'), {'failed': True, 'msg': 'no'}))
    callback.v2_runner_on_ok(FakeResult(host, FakeTask('ping', 'ansible.builtin.ping'), {'ping': 'pong'}))
    assert callback.write() == {}
    callback.v2_playbook_on_stats(None)
    assert not os.path.exists(str(tmp_path / 'reports')), 'a run without compliance records writes no report'


def test_unwritable_directory_warns_instead_of_crashing(tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('not a directory')
    plugin = callback_loader.get('directpath.firewall.audit_report')
    plugin._display = FakeDisplay()
    plugin.set_options(direct={'report_dir': str(blocker / 'sub')})
    plugin.v2_runner_on_ok(FakeResult(FakeHost('fw-cp'), FakeTask('g'), module_result('checkpoint', 'none', 'not_applicable')))
    plugin.v2_playbook_on_stats(None)
    assert plugin._display.warnings and 'could not write the report' in plugin._display.warnings[0]
    assert plugin._display.lines, 'the summary table is still printed'
