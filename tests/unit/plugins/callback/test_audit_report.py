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


class FakeInventory(object):
    """The inventory as the strategy asks it: the hosts of a play's pattern, --limit applied."""

    def __init__(self, hosts):
        self.hosts = hosts

    def get_hosts(self, pattern='all', order=None):
        return list(self.hosts)


class FakePlay(object):
    """A play whose variable manager answers host variables, like ansible.playbook.Play."""

    def __init__(self, host_vars, name='Audit', targets=None):
        self._variable_manager = self
        self._host_vars = host_vars
        self._inventory = FakeInventory([FakeHost(name) for name in (targets or [])])
        self.hosts = 'all'
        self.name = name

    def get_name(self):
        return self.name

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
    assert callback.get_option('report_shared') is False


def test_options_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv('DIRECTPATH_REPORT_DIR', str(tmp_path / 'env-dir'))
    monkeypatch.setenv('DIRECTPATH_REPORT_PREFIX', 'audit-after')
    monkeypatch.setenv('DIRECTPATH_REPORT_FORMATS', 'json,html')
    monkeypatch.setenv('DIRECTPATH_REPORT_SHARED', 'true')
    plugin = callback_loader.get('directpath.firewall.audit_report')
    plugin.set_options()
    assert plugin.get_option('report_dir') == str(tmp_path / 'env-dir')
    assert plugin.get_option('report_prefix') == 'audit-after'
    assert plugin.get_option('report_formats') == ['json', 'html']
    assert plugin.get_option('report_shared') is True


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
    assert 'DIRECTPATH AUDIT REPORT (check mode): 3 device(s), 4 record(s), headline: error' in table
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


# Issue 10 item 2: a firewall that fails before any module runs stays in the report as error.
def test_failures_outside_our_modules_on_a_firewall_host_are_errors_with_their_cause(callback, tmp_path):
    play = FakePlay({'fw-spec': {'directpath_vendor': 'checkpoint'}, 'fw-vault': {'directpath_vendor': 'panos'},
                     'fw-ssh': {'directpath_vendor': 'pfsense'}, 'fw-ok': {'directpath_vendor': 'checkpoint'}})
    callback.v2_playbook_on_play_start(play)
    spec = {'failed': True, 'msg': 'Validation of arguments failed:\nvalue of directpath_state must be one of: present, absent, got: absnt',
            'argument_errors': ['value of directpath_state must be one of: present, absent, got: absnt']}
    callback.v2_runner_on_failed(FakeResult(FakeHost('fw-spec'), FakeTask("Validating arguments against arg spec 'main'",
                                                                          'ansible.builtin.validate_argument_spec'), spec))
    callback.v2_runner_on_failed(FakeResult(FakeHost('fw-vault'), FakeTask('validate', 'ansible.builtin.validate_argument_spec'),
                                            {'failed': True, 'msg': "Task failed: 'vault_panos_api_key' is undefined"}))
    callback.v2_runner_on_unreachable(FakeResult(FakeHost('fw-ssh'), FakeTask('gather', 'ansible.builtin.setup'),
                                                 {'unreachable': True, 'msg': 'ssh: connect to host 127.0.0.1 port 9: Connection refused'}))
    callback.v2_runner_on_ok(FakeResult(FakeHost('fw-ok'), FakeTask('g', 'directpath.firewall.guidance_info'),
                                        module_result('checkpoint', 'none', 'not_applicable')))
    callback.v2_playbook_on_stats(None)
    report = read_json(tmp_path)
    devices = dict((d['host'], d) for d in report['devices'])
    assert set(devices) == {'fw-spec', 'fw-vault', 'fw-ssh', 'fw-ok'}
    causes = dict((host, (d['vendor'], d['status'], d['records'][0]['cause'])) for host, d in devices.items() if host != 'fw-ok')
    assert causes == {'fw-spec': ('checkpoint', 'error', 'input'), 'fw-vault': ('panos', 'error', 'input'),
                      'fw-ssh': ('pfsense', 'error', 'unreachable')}
    assert 'got: absnt' in devices['fw-spec']['records'][0]['findings'][0]
    assert report['summary']['devices_by_status']['error'] == 3
    assert report['summary']['overall_status'] == 'error'
    assert report['summary']['headline']['verdict'] == 'error'


def test_ignored_failure_on_a_host_without_vendor_is_still_ignored(callback, tmp_path):
    callback.v2_playbook_on_play_start(FakePlay({'fw-ok': {'directpath_vendor': 'checkpoint'}}))
    callback.v2_runner_on_failed(FakeResult(FakeHost('web1'), FakeTask('t', 'ansible.builtin.command'), {'failed': True, 'msg': 'x'}))
    callback.v2_runner_on_failed(FakeResult(FakeHost('fw-ok'), FakeTask('t', 'ansible.builtin.command'), {'failed': True, 'msg': 'x'}),
                                 ignore_errors=True)
    callback.v2_runner_on_ok(FakeResult(FakeHost('fw-ok'), FakeTask('g'), module_result('checkpoint', 'none', 'not_applicable')))
    callback.v2_playbook_on_stats(None)
    assert [(d['host'], d['status']) for d in read_json(tmp_path)['devices']] == [('fw-ok', 'not_applicable')]


def test_targeted_firewall_without_any_result_is_reported_not_audited(callback, tmp_path):
    play = FakePlay({'fw-a': {'directpath_vendor': 'checkpoint'}, 'fw-b': {'directpath_vendor': 'opnsense'}, 'node': {}},
                    name='Audit the firewalls', targets=['fw-a', 'fw-b', 'node'])
    callback.v2_playbook_on_play_start(play)
    callback.v2_runner_on_ok(FakeResult(FakeHost('fw-a'), FakeTask('g'), module_result('checkpoint', 'none', 'not_applicable')))
    # A later play that reports nothing (the "where is the report" play) adds no host.
    callback.v2_playbook_on_play_start(FakePlay({'other-fw': {'directpath_vendor': 'panos'}}, name='Report', targets=['other-fw']))
    callback.v2_playbook_on_stats(None)
    devices = dict((d['host'], d) for d in read_json(tmp_path)['devices'])
    assert set(devices) == {'fw-a', 'fw-b'}
    record = devices['fw-b']['records'][0]
    assert (devices['fw-b']['vendor'], record['status'], record['cause']) == ('opnsense', 'error', 'not_run')
    assert "in play 'Audit the firewalls'" in record['findings'][0]


# Issue 10 item 9: private files by default, the shared option from ansible.cfg / environment.
def test_report_files_are_private_unless_shared(tmp_path):
    for shared, file_mode, dir_mode in ((False, 0o600, 0o700), (True, 0o644, 0o755)):
        plugin = callback_loader.get('directpath.firewall.audit_report')
        plugin._display = FakeDisplay()
        target = tmp_path / ('shared' if shared else 'private')
        plugin.set_options(direct={'report_dir': str(target), 'report_shared': shared})
        plugin.v2_runner_on_ok(FakeResult(FakeHost('fw-cp'), FakeTask('g'), module_result('checkpoint', 'none', 'not_applicable')))
        old = os.umask(0o022)
        try:
            plugin.v2_playbook_on_stats(None)
        finally:
            os.umask(old)
        assert os.stat(str(target)).st_mode & 0o777 == dir_mode
        assert set(os.stat(path).st_mode & 0o777 for path in plugin.paths.values()) == {file_mode}


def test_default_report_dir_is_a_directory_of_its_own(monkeypatch, tmp_path):
    monkeypatch.delenv('DIRECTPATH_REPORT_DIR', raising=False)
    monkeypatch.chdir(str(tmp_path))
    plugin = callback_loader.get('directpath.firewall.audit_report')
    plugin.set_options()
    assert plugin.get_option('report_dir') == str(tmp_path / 'directpath-reports')


def test_a_play_of_this_collection_that_reported_nothing_still_reports_its_firewalls(callback, tmp_path):
    play = FakePlay({'fw-fg': {'directpath_vendor': 'fortinet'}}, name='Audit', targets=['fw-fg'])
    play.check_mode = True
    callback.v2_playbook_on_play_start(play)
    role_task = FakeTask('Report the randomizeClientPort row', 'ansible.builtin.include_role')
    role_task._role = type('Role', (), {'get_name': lambda self: 'directpath.firewall.remediate'})()
    callback.v2_playbook_on_task_start(role_task, False)
    callback.v2_playbook_on_stats(None)
    report = read_json(tmp_path)
    record = report['devices'][0]['records'][0]
    assert (report['devices'][0]['host'], record['status'], record['cause'], record['check_mode']) == ('fw-fg', 'error', 'not_run', True)


def test_a_play_without_tasks_of_this_collection_writes_nothing(callback, tmp_path):
    callback.v2_playbook_on_play_start(FakePlay({'fw-fg': {'directpath_vendor': 'fortinet'}}, targets=['fw-fg']))
    callback.v2_playbook_on_task_start(FakeTask('ping', 'ansible.builtin.ping'), False)
    callback.v2_runner_on_ok(FakeResult(FakeHost('fw-fg'), FakeTask('ping', 'ansible.builtin.ping'), {'ping': 'pong'}))
    callback.v2_playbook_on_stats(None)
    assert not os.path.exists(str(tmp_path / 'reports'))
