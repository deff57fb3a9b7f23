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
    description: Directory the report files are written to. Created when missing.
    type: path
    default: .
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
  - A failed task of this collection whose result has no compliance record (for example a missing option) is
    reported as C(error) with the task's message, so a device never silently drops out of the report.
'''

from ansible.plugins.callback import CallbackBase

from ansible_collections.directpath.firewall.plugins.plugin_utils.report import (
    ReportCollector,
    build_report,
    normalise_record,
    render_summary_table,
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

    # Events ---------------------------------------------------------------

    def v2_playbook_on_play_start(self, play):
        self._play = play
        # Not a public attribute: used only to read directpath_vendor, with a fallback when absent.
        self._variable_manager = getattr(play, '_variable_manager', None)

    def v2_runner_on_ok(self, result):
        self._collect(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if not self._collect(result):
            self._collect_failure_without_record(result)

    def v2_runner_on_unreachable(self, result):
        self._collect_failure_without_record(result)

    def v2_playbook_on_stats(self, stats):
        self.write()

    # Work -----------------------------------------------------------------

    def _collect(self, result):
        host = _host_of(result)
        found = self.collector.add_result(host.get_name(), _payload_of(result), _task_name(result), _check_mode(result))
        if found:
            self._remember_vendor(host)
        return found

    def _collect_failure_without_record(self, result):
        action = _action(result)
        if not action.startswith(COLLECTION_PREFIX):
            return
        host = _host_of(result).get_name()
        vendor = self._remember_vendor(_host_of(result)) or 'unknown'
        payload = _payload_of(result)
        payload = payload if isinstance(payload, dict) else {}
        message = str(payload.get('msg') or 'the task failed without a compliance record')
        compliance = {
            'vendor': vendor,
            'workaround': action[len(COLLECTION_PREFIX):],
            'status': 'error',
            'findings': [message],
        }
        self.collector.add_record(host, normalise_record(compliance, payload, _task_name(result), _check_mode(result)))

    def _remember_vendor(self, host):
        name = host.get_name()
        vendor = None
        if self._variable_manager is not None:
            try:
                host_vars = self._variable_manager.get_vars(play=self._play, host=host, include_hostvars=False)
                vendor = host_vars.get('directpath_vendor')
            except Exception:  # pylint: disable=broad-except
                vendor = None
        if vendor is None:
            vendor = host.vars.get('directpath_vendor') if hasattr(host, 'vars') else None
        if isinstance(vendor, str) and vendor and '{{' not in vendor:
            self.collector.set_device_vendor(name, vendor)
            return vendor
        return None

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
            )
        except (OSError, ValueError) as error:
            self._display.warning('directpath.firewall.audit_report: could not write the report: %s' % error)
            self.paths = {}
        if self.get_option('summary'):
            self._display.display(render_summary_table(report, self.paths))
        return self.paths


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
