# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: audit_report
type: aggregate
short_description: Write the fleet audit report (JSON, Markdown, HTML) from the compliance records of a run
version_added: 0.1.0
description:
  - Collects the C(compliance) record of every task result that carries one (ok, changed and failed results, and each
    item of a loop), keyed by host, vendor and workaround; when the same key is reported twice, the last record wins.
  - At the end of the playbook run it writes C(<prefix>.json), C(<prefix>.md) and a self-contained C(<prefix>.html) into
    the report directory and prints a summary table. A run without any compliance record writes nothing.
  - The JSON file follows a versioned schema (C(schema_version)); see C(docs/audit.md) in the collection.
  - It works for any playbook that runs modules of this collection, not only the collection's own playbooks.
  - This callback must be enabled, for example with C(ANSIBLE_CALLBACKS_ENABLED=directpath.firewall.audit_report) or
    C(callbacks_enabled = directpath.firewall.audit_report) in the C([defaults]) section of C(ansible.cfg).
author:
  - DirectPath engineers (@directpath)
requirements:
  - enable in the configuration (C(callbacks_enabled))
options:
  report_dir:
    description:
      - Directory the report files are written to. Created when missing (mode 0700, see O(report_shared)).
      - A relative path set in C(ansible.cfg) is relative to the directory of that file; otherwise to the current directory.
      - The default is a directory of its own (not the current directory itself), so that it can be private.
    type: path
    default: directpath-reports
    env:
      - name: DIRECTPATH_REPORT_DIR
    ini:
      - section: callback_directpath_audit_report
        key: report_dir
  report_prefix:
    description: File name of the report files, without extension.
    type: str
    default: audit-report
    env:
      - name: DIRECTPATH_REPORT_PREFIX
    ini:
      - section: callback_directpath_audit_report
        key: report_prefix
  report_formats:
    description: Which files to write.
    type: list
    elements: str
    choices: [json, md, html]
    default: [json, md, html]
    env:
      - name: DIRECTPATH_REPORT_FORMATS
    ini:
      - section: callback_directpath_audit_report
        key: report_formats
  report_shared:
    description:
      - By default the report files are written readable by their owner only (mode 0600) and a report directory
        created by the callback is 0700, because the report describes the fleet's firewall layout.
      - Set to V(true) for a reports directory shared with a team (for example a setgid group directory). The
        files and a created directory then get the permissions the umask gives (0644 and 0755 with umask 022).
      - An existing directory keeps its own permissions either way.
    type: bool
    default: false
    version_added: 0.2.0
    env:
      - name: DIRECTPATH_REPORT_SHARED
    ini:
      - section: callback_directpath_audit_report
        key: report_shared
  summary:
    description: Print the summary table at the end of the run.
    type: bool
    default: true
    env:
      - name: DIRECTPATH_REPORT_SUMMARY
    ini:
      - section: callback_directpath_audit_report
        key: summary
notes:
  - Results hidden with C(no_log) carry no compliance record and are not reported.
  - A failed or unreachable task whose result has no compliance record is reported as C(error) with the task's
    message and a cause, when the task is one of this collection's or the host has C(directpath_vendor) (a role's
    argument check, an undefined vault variable, the SSH connection).
  - Every host with C(directpath_vendor) that a play of the run targeted is in the report when that play ran a task of
    this collection (a module, or a task of one of its roles) or reported a failure. A host that got no record at all
    (skipped, ended early) is reported C(error), cause C(not_run).
'''

from ansible.plugins.callback import CallbackBase

from ansible_collections.directpath.firewall.plugins.plugin_utils.report import (
    ReportCollector,
    build_report,
    failure_record,
    render_summary_table,
    unreported_host_record,
    write_report,
)

COLLECTION_PREFIX = 'directpath.firewall.'


class CallbackModule(CallbackBase):
    """Aggregates compliance records and writes the audit report at the end of the run."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'directpath.firewall.audit_report'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None):
        super(CallbackModule, self).__init__(display=display)
        self.collector = ReportCollector()
        self.paths = {}
        self._variable_manager = None
        self._play = None
        self._play_name = ''
        # Per play: the hosts it targets, and whether it ran a task of this collection (a module or a
        # role's task) or reported anything. Their directpath_vendor is read only at the end, and
        # only for hosts without a record: reading host variables costs time on a large inventory.
        self._plays = []
        self._vendors = {}

    # Events ---------------------------------------------------------------

    def v2_playbook_on_play_start(self, play):
        self._play = play
        self._play_name = _play_name(play)
        getter = getattr(play, 'get_variable_manager', None)
        self._variable_manager = getter() if callable(getter) else getattr(play, '_variable_manager', None)
        check_mode = getattr(play, 'check_mode', None)
        self._plays.append({'name': self._play_name, 'play': play, 'variable_manager': self._variable_manager,
                            'hosts': self._targeted_hosts(play), 'reported': False,
                            'check_mode': check_mode if isinstance(check_mode, bool) else None})

    def v2_playbook_on_task_start(self, task, is_conditional):
        if _is_ours(task):
            self._mark_reported()

    def v2_runner_on_ok(self, result):
        self._collect(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if not self._collect(result):
            self._collect_failure_without_record(result, ignore_errors=ignore_errors)

    def v2_runner_on_unreachable(self, result):
        self._collect_failure_without_record(result, unreachable=True)

    def v2_playbook_on_stats(self, stats):
        self._report_hosts_without_record()
        self.write()

    # Work -----------------------------------------------------------------

    def _mark_reported(self):
        if self._plays:
            self._plays[-1]['reported'] = True

    def _collect(self, result):
        host = _host_of(result)
        found = self.collector.add_result(host.get_name(), _payload_of(result), _task_name(result), _check_mode(result))
        if found:
            self._remember_vendor(host)
            self._mark_reported()
        return found

    def _collect_failure_without_record(self, result, ignore_errors=False, unreachable=False):
        action = _action(result)
        ours = action.startswith(COLLECTION_PREFIX)
        host = _host_of(result)
        vendor = self._remember_vendor(host)
        # A failure on a firewall host counts wherever it happens (role argument check, an undefined
        # vault variable, the connection); elsewhere only our own modules' failures do.
        if not ours and (vendor is None or ignore_errors):
            return
        self.collector.add_record(host.get_name(), failure_record(
            vendor or 'unknown', action, _payload_of(result), _task_name(result), _check_mode(result), unreachable=unreachable))
        self._mark_reported()

    def _report_hosts_without_record(self):
        reported = set(self.collector.hosts())
        checked = set(reported)
        for play in self._plays:
            if not play['reported']:
                continue
            for host in play['hosts']:
                name = host.get_name()
                if name in checked:
                    continue
                checked.add(name)
                vendor = self._vendor_of(host, play['play'], play['variable_manager'])
                if vendor:
                    self.collector.set_device_vendor(name, vendor)
                    self.collector.add_record(name, unreported_host_record(vendor, play['name'], play['check_mode']))

    def _targeted_hosts(self, play):
        """The hosts the play runs on (after --limit), best effort.

        The inventory is reached through the play's variable manager, as the strategy does; a
        play without one (a test double, another executor) targets nothing we can see.
        """
        inventory = getattr(self._variable_manager, '_inventory', None)
        if inventory is None:
            return []
        try:
            return list(inventory.get_hosts(play.hosts, order=getattr(play, 'order', None)))
        except Exception:  # pylint: disable=broad-except
            return []

    def _vendor_of(self, host, play=None, variable_manager=None):
        """The host's directpath_vendor (inventory, group_vars, host_vars), or None; read once per host."""
        name = host.get_name()
        if name in self._vendors:
            return self._vendors[name]
        variable_manager = variable_manager or self._variable_manager
        vendor = None
        if variable_manager is not None:
            try:
                host_vars = variable_manager.get_vars(play=play or self._play, host=host, include_hostvars=False)
                vendor = host_vars.get('directpath_vendor')
            except Exception:  # pylint: disable=broad-except
                vendor = None
        if vendor is None:
            vendor = host.vars.get('directpath_vendor') if isinstance(getattr(host, 'vars', None), dict) else None
        vendor = vendor if isinstance(vendor, str) and vendor and '{{' not in vendor else None
        self._vendors[name] = vendor
        return vendor

    def _remember_vendor(self, host):
        vendor = self._vendor_of(host)
        if vendor:
            self.collector.set_device_vendor(host.get_name(), vendor)
        return vendor

    def write(self):
        if not len(self.collector):
            return {}
        report = build_report(self.collector)
        try:
            self.paths = write_report(
                report,
                self.get_option('report_dir'),
                self.get_option('report_prefix'),
                self.get_option('report_formats'),
                shared=self.get_option('report_shared'),
            )
        except (OSError, ValueError) as error:
            self._display.warning('directpath.firewall.audit_report: could not write the report: %s' % error)
            self.paths = {}
        if self.get_option('summary'):
            self._display.display(render_summary_table(report, self.paths))
        return self.paths


def _is_ours(task):
    """Whether a task is a module of this collection or a task of one of its roles."""
    action = getattr(task, 'resolved_action', None) or getattr(task, 'action', None) or ''
    if str(action).startswith(COLLECTION_PREFIX):
        return True
    role = getattr(task, '_role', None)
    try:
        name = role.get_name() if role is not None else ''
    except Exception:  # pylint: disable=broad-except
        name = ''
    return str(name).startswith(COLLECTION_PREFIX)


def _play_name(play):
    try:
        return str(play.get_name() or '')
    except Exception:  # pylint: disable=broad-except
        return ''


# ansible-core 2.19 added the public properties host, task and result to the callback's task
# result; older cores only have the underscored attributes (deprecated from 2.23 on).
def _host_of(result):
    return getattr(result, 'host', None) or result._host


def _task_of(result):
    return getattr(result, 'task', None) or result._task


def _payload_of(result):
    payload = getattr(result, 'result', None)
    return payload if payload is not None else result._result


def _task_name(result):
    try:
        return result.task_name
    except AttributeError:
        return _task_of(result).get_name()


def _action(result):
    task = _task_of(result)
    action = getattr(task, 'resolved_action', None) or getattr(task, 'action', None) or ''
    return str(action)


def _check_mode(result):
    """True when the task ran in check mode, False when it applied, None when unknown."""
    value = getattr(_task_of(result), 'check_mode', None)
    if isinstance(value, bool):
        return value
    return None
