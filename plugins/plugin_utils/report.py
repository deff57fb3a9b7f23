# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: plugin_utils (controller side, above module_utils). The fleet audit report: collect
compliance records, build the report, render it. Serves only the callback ``audit_report``.

May import: module_utils engine/ (the compliance statuses) and fleet/ (the guidance table);
nothing imports this file but the callback and the tests.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.
Do not import it from other collections. The JSON *file* it writes is public and
versioned (``SCHEMA_VERSION``, described in docs/audit.md).

The callback plugin ``directpath.firewall.audit_report`` is a thin adapter: it
feeds every task result to a :class:`ReportCollector` and, at the end of the
run, writes what :func:`build_report` returns with :func:`write_report`. All the
logic lives here so that it is unit-testable without running Ansible.
"""

from __future__ import annotations

import datetime
import html
import json
import os
import tempfile

from ansible_collections.directpath.firewall.plugins.module_utils.fleet.guidance import GUIDANCE, RANDOMIZE_CLIENT_PORT
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import COMPLIANCE_STATUSES

__all__ = [
    'HEADLINE_GROUPS',
    'HEADLINE_VERDICTS',
    'REPORT_JSON_SCHEMA',
    'SCHEMA_VERSION',
    'STATUS_SEVERITY',
    'ReportCollector',
    'build_report',
    'compliance_records_in',
    'failure_record',
    'next_step',
    'overall_status',
    'render_html',
    'render_json',
    'render_markdown',
    'render_summary_table',
    'unreported_host_record',
    'write_report',
]

# MAJOR.MINOR: a minor bump only adds keys; a major bump renames, removes or
# changes the meaning of a key. Consumers should check the major number.
SCHEMA_VERSION = '1.1'

FORMATS = ('json', 'md', 'html')

# Worst first: a device's overall status is the worst of its records.
STATUS_SEVERITY = ('error', 'drift', 'manual', 'no_workaround', 'compliant', 'not_applicable')

STATUS_MEANING = {
    'compliant': 'The firewall already does what Tailscale needs for direct connections.',
    'drift': 'The firewall differs from the workaround; the remediate playbook can apply it.',
    'manual': 'A change is needed that this collection cannot make here; a person must apply it.',
    'not_applicable': 'Nothing to change: this firewall or rule needs no workaround.',
    'no_workaround': 'No firewall setting is known to give direct connections here.',
    'error': 'The firewall could not be audited or changed; see the findings.',
}

NEXT_STEPS = {
    'compliant': 'Nothing to change. Confirm that peers connect directly with the directpath.firewall.verify playbook.',
    'drift': 'Review the exposure with the firewall owner, then apply it with the directpath.firewall.remediate playbook.',
    'manual': 'Apply by hand as the findings and advice say, then run the audit again.',
    'not_applicable': 'No firewall change needed.',
    'no_workaround': 'No firewall setting fixes this: follow the advice (for example a peer relay inside the network).',
    'error': 'Fix the cause given in the findings, then run the audit again.',
}

# Next steps that depend on what was asked and done, not only on the status: a rollback
# (state=absent) that succeeded must not tell the reader to confirm direct connections.
NEXT_STEPS_ROLLBACK = {
    'compliant': 'Nothing of this workaround is in place. Peers behind this firewall may use DERP relays; run the '
                 'directpath.firewall.verify playbook to see their paths.',
    'drift': 'The workaround is still in place: the directpath.firewall.remediate playbook with directpath_state: absent '
             'removes it.',
}
NEXT_STEP_ROLLED_BACK = ('Rolled back as asked. Peers behind this firewall may use DERP relays again; run the '
                         'directpath.firewall.verify playbook to see their paths.')
NEXT_STEP_APPLIED = 'Applied. Confirm that peers connect directly with the directpath.firewall.verify playbook.'


def next_step(status: str, state: str | None = None, applied: bool = False) -> str:
    """What the reader should do about one record: from its status, and the state asked and whether it was applied."""
    if state == 'absent':
        if status == 'compliant' and applied:
            return NEXT_STEP_ROLLED_BACK
        if status in NEXT_STEPS_ROLLBACK:
            return NEXT_STEPS_ROLLBACK[status]
    elif status == 'compliant' and applied:
        return NEXT_STEP_APPLIED
    return NEXT_STEPS[status]


# The headline answers a reader's three questions (docs/audit.md, "The headline"): is everything
# that can be fixed fixed, what needs a person, what is only information. Every status belongs to
# exactly one group.
HEADLINE_GROUPS = (
    ('fixed', ('compliant',)),
    ('fixable', ('drift',)),
    ('needs_person', ('error', 'manual')),
    ('informational', ('no_workaround', 'not_applicable')),
)

# The fleet's verdict, worst first: the first that applies.
HEADLINE_VERDICTS = ('error', 'fixable', 'needs_person', 'fixed')

# Causes the report gives to a failure that carries no module cause (docs/audit.md). The modules'
# own causes (input, auth, unreachable, ...) are kept as they come.
UNREACHABLE_CAUSE = 'unreachable'
INPUT_CAUSE = 'input'
TASK_CAUSE = 'task'
NOT_RUN_CAUSE = 'not_run'

# The JSON Schema (draft 2020-12) of the report file; docs/audit.md explains each key.
_STRINGS = {'type': 'array', 'items': {'type': 'string'}}
_HEADLINE_GROUP = {
    'type': 'object',
    'required': ['records', 'hosts'],
    'properties': {'records': {'type': 'integer', 'minimum': 0}, 'hosts': _STRINGS},
}
_COUNTS = {'type': 'object', 'additionalProperties': {'type': 'integer', 'minimum': 0}}
_API_CALLS = {
    'type': 'object',
    'required': ['reads', 'writes'],
    'properties': {'reads': {'type': 'integer', 'minimum': 0}, 'writes': {'type': 'integer', 'minimum': 0}},
}
REPORT_JSON_SCHEMA = {
    '$schema': 'https://json-schema.org/draft/2020-12/schema',
    'title': 'directpath.firewall audit report',
    'type': 'object',
    'required': ['schema_version', 'generator', 'generated', 'run_mode', 'summary', 'devices', 'notes'],
    'properties': {
        'schema_version': {'type': 'string', 'pattern': r'^1\.\d+$'},
        'generator': {'type': 'string'},
        'generated': {'type': 'string'},
        'run_mode': {'enum': ['check', 'apply', 'mixed']},
        'summary': {
            'type': 'object',
            'required': ['devices', 'records', 'overall_status', 'records_by_status', 'devices_by_status', 'api_calls'],
            'properties': {
                'headline': {
                    'type': 'object',
                    'required': ['verdict', 'text'] + [group for group, dummy in HEADLINE_GROUPS],
                    'properties': dict([('verdict', {'enum': list(HEADLINE_VERDICTS)}), ('text', {'type': 'string'})]
                                       + [(group, _HEADLINE_GROUP) for group, dummy in HEADLINE_GROUPS]),
                },
                'devices': {'type': 'integer', 'minimum': 0},
                'records': {'type': 'integer', 'minimum': 0},
                'overall_status': {'enum': list(STATUS_SEVERITY) + [None]},
                'records_by_status': _COUNTS,
                'devices_by_status': _COUNTS,
                'api_calls': _API_CALLS,
            },
        },
        'devices': {
            'type': 'array',
            'items': {
                'type': 'object',
                'required': ['host', 'vendor', 'firewall', 'expected', 'guidance_workaround', 'caveats', 'status', 'records'],
                'properties': {
                    'host': {'type': 'string'},
                    'vendor': {'type': 'string'},
                    'firewall': {'type': 'string'},
                    'expected': {'type': ['string', 'null']},
                    'guidance_workaround': {'type': ['string', 'null']},
                    'caveats': _STRINGS,
                    'status': {'enum': list(STATUS_SEVERITY)},
                    'records': {
                        'type': 'array',
                        'items': {
                            'type': 'object',
                            'required': ['vendor', 'workaround', 'status', 'findings', 'exposure', 'advice', 'state',
                                         'applied', 'changed', 'check_mode', 'api_calls', 'task', 'next_step'],
                            'properties': {
                                'vendor': {'type': 'string'},
                                'workaround': {'type': 'string'},
                                'status': {'enum': list(STATUS_SEVERITY)},
                                'findings': _STRINGS,
                                'exposure': _STRINGS,
                                'advice': _STRINGS,
                                'state': {'type': ['string', 'null']},
                                'applied': {'type': 'boolean'},
                                'changed': {'type': 'boolean'},
                                'check_mode': {'type': ['boolean', 'null']},
                                'api_calls': {'oneOf': [_API_CALLS, {'type': 'null'}]},
                                'task': {'type': 'string'},
                                'msg': {'type': 'string'},
                                'cause': {'type': 'string'},
                                'next_step': {'type': 'string'},
                                'tailnet_policy': {'type': 'object'},
                            },
                        },
                    },
                },
            },
        },
        'notes': {
            'type': 'array',
            'items': {
                'type': 'object',
                'required': ['id', 'level', 'text', 'hosts'],
                'properties': {
                    'id': {'type': 'string'},
                    'level': {'enum': ['info', 'warning']},
                    'text': {'type': 'string'},
                    'hosts': _STRINGS,
                },
            },
        },
    },
}


def _as_text_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return [str(value)]


def _api_calls(value):
    if not isinstance(value, dict):
        return None
    try:
        return {'reads': int(value.get('reads', 0)), 'writes': int(value.get('writes', 0))}
    except (TypeError, ValueError):
        return None


def compliance_records_in(result: dict) -> list:
    """The (compliance, result) pairs carried by one task result, loop items included.

    A loop task's result has a ``results`` list whose items are module results;
    each item may carry its own ``compliance``. Results hidden by ``no_log`` have
    no ``compliance`` key and yield nothing.
    """
    pairs = []
    if not isinstance(result, dict):
        return pairs
    if isinstance(result.get('compliance'), dict):
        pairs.append((result['compliance'], result))
    items = result.get('results')
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict) and isinstance(item.get('compliance'), dict):
                pairs.append((item['compliance'], item))
    return pairs


def normalise_record(compliance: dict, result: dict | None = None, task: str = '', check_mode: bool | None = None) -> dict:
    """One report record from a module's ``compliance`` and the rest of its result.

    Tolerates records from older or foreign modules: a missing key gets its
    default and an unknown status becomes ``error`` with a finding that says so.
    """
    result = result or {}
    status = compliance.get('status')
    findings = _as_text_list(compliance.get('findings'))
    if status not in COMPLIANCE_STATUSES:
        findings.append('unknown compliance status %r reported by the module' % (status,))
        status = 'error'
    record = {
        'vendor': str(compliance.get('vendor') or 'unknown'),
        'workaround': str(compliance.get('workaround') or 'unknown'),
        'status': status,
        'findings': findings,
        'exposure': _as_text_list(compliance.get('exposure')),
        'advice': _as_text_list(compliance.get('advice')),
        'state': compliance.get('state'),
        'applied': bool(compliance.get('applied', False)),
        # The record's own word first (it knows what it changed); older modules only set the result's.
        'changed': bool(compliance['changed'] if 'changed' in compliance else result.get('changed', False)),
        'check_mode': check_mode,
        'api_calls': _api_calls(result.get('api_calls')),
        'task': str(task or ''),
        'next_step': next_step(status, compliance.get('state'), bool(compliance.get('applied', False))),
    }
    if isinstance(compliance.get('tailnet_policy'), dict):
        # What the tailnet policy file says (records of tailnet_policy): the randomizeClientPort note reads it.
        record['tailnet_policy'] = dict(compliance['tailnet_policy'])
    if status == 'error':
        if result.get('msg'):
            record['msg'] = str(result['msg'])
        cause = result.get('cause') or compliance.get('cause')
        if cause:
            record['cause'] = str(cause)
    return record


# Actions that check the inventory's variables: their failure is the user's input.
_INPUT_CHECKS = ('validate_argument_spec', 'assert')


def _short_action(action):
    for prefix in ('directpath.firewall.', 'ansible.builtin.', 'ansible.legacy.'):
        if action.startswith(prefix):
            return action[len(prefix):]
    return action or 'task'


def failure_record(vendor: str, action: str, result: dict, task: str = '', check_mode: bool | None = None,
                   unreachable: bool = False) -> dict:
    """The ``error`` record of a failed or unreachable task that returned no compliance record.

    That is a task of this collection that failed before its module built one (a missing
    option, a missing library), or any task on a firewall host: a role's argument check, a
    template with an undefined (vault) variable, the connection. The workaround is the task's
    action (``validate_argument_spec``, ``pfsense_natpmp``...), so the reader sees where the
    run stopped; the cause is the module's when it gave one, else ``unreachable``, ``input``
    (undefined variable, argument spec or assert) or ``task``.
    """
    result = result if isinstance(result, dict) else {}
    message = str(result.get('msg') or 'the task failed without a compliance record')
    errors = result.get('argument_errors')
    if isinstance(errors, list) and errors and not all(str(error) in message for error in errors):
        message = '%s: %s' % (message.rstrip(':\n '), '; '.join(str(error) for error in errors))
    message = ' '.join(message.split())
    if result.get('cause'):
        cause = str(result['cause'])
    elif unreachable or result.get('unreachable'):
        cause = UNREACHABLE_CAUSE
    elif _short_action(action) in _INPUT_CHECKS or ' is undefined' in message or isinstance(errors, list):
        cause = INPUT_CAUSE
    else:
        cause = TASK_CAUSE
    compliance = {
        'vendor': vendor or 'unknown',
        'workaround': _short_action(action),
        'status': 'error',
        'findings': [message],
    }
    payload = dict(result, msg=message, cause=cause)
    return normalise_record(compliance, payload, task, check_mode)


def unreported_host_record(vendor: str, play: str = '', check_mode: bool | None = None) -> dict:
    """The ``error`` record of a targeted firewall for which the run produced nothing at all."""
    message = ('the run targeted this firewall%s but no task reported on it (skipped, ended early or never reached): '
               'it was not audited' % (" in play '%s'" % play if play else ''))
    compliance = {'vendor': vendor or 'unknown', 'workaround': 'not_audited', 'status': 'error', 'findings': [message]}
    return normalise_record(compliance, {'msg': message, 'cause': NOT_RUN_CAUSE}, check_mode=check_mode)


class ReportCollector(object):
    """Compliance records of one run, keyed by host + vendor + workaround (last one wins)."""

    def __init__(self) -> None:
        self._records = {}
        self._order = []
        self._device_vendors = {}

    def add_result(self, host: str, result: dict, task: str = '', check_mode: bool | None = None) -> int:
        """Collect every compliance record in a task result; return how many were found."""
        pairs = compliance_records_in(result)
        for compliance, item in pairs:
            self.add_record(host, normalise_record(compliance, item, task, check_mode))
        return len(pairs)

    def add_record(self, host: str, record: dict) -> None:
        key = (host, record['vendor'], record['workaround'])
        if key in self._records:
            self._order.remove(key)
        self._records[key] = record
        self._order.append(key)

    def set_device_vendor(self, host: str, vendor: str) -> None:
        """Remember the host's ``directpath_vendor`` (the guidance row the device belongs to)."""
        if vendor:
            self._device_vendors[host] = str(vendor)

    def hosts(self) -> list:
        seen = []
        for host, dummy, dummy2 in self._order:
            if host not in seen:
                seen.append(host)
        return seen

    def records(self, host: str | None = None) -> list:
        return [self._records[key] for key in self._order if host is None or key[0] == host]

    def __len__(self) -> int:
        return len(self._records)

    def device_vendor(self, host: str) -> str:
        if host in self._device_vendors:
            return self._device_vendors[host]
        vendors = [record['vendor'] for record in self.records(host)]
        for vendor in vendors:
            if vendor in GUIDANCE:
                return vendor
        return vendors[0] if vendors else 'unknown'


def headline(devices: list) -> dict:
    """The fleet's answer to "is everything that can be fixed fixed?" (docs/audit.md, "The headline")."""
    groups = dict((group, {'records': 0, 'hosts': []}) for group, dummy in HEADLINE_GROUPS)
    group_of = dict((status, group) for group, statuses in HEADLINE_GROUPS for status in statuses)
    errors = []
    for device in devices:
        for record in device['records']:
            group = groups[group_of[record['status']]]
            group['records'] += 1
            if device['host'] not in group['hosts']:
                group['hosts'].append(device['host'])
            if record['status'] == 'error' and device['host'] not in errors:
                errors.append(device['host'])
    fixable, person, info = groups['fixable'], groups['needs_person'], groups['informational']
    manual_hosts = [host for host in person['hosts'] if host not in errors]
    if errors:
        verdict = 'error'
        parts = ['Not known: %d firewall(s) could not be audited or changed (%s).' % (len(errors), ', '.join(errors))]
    elif fixable['records']:
        verdict = 'fixable'
        parts = ['Not fixed yet: %d record(s) on %s are in drift; the remediate playbook can fix them.' % (
            fixable['records'], ', '.join(fixable['hosts']))]
    elif person['records']:
        verdict = 'needs_person'
        parts = ['Everything this collection can fix is fixed.']
    else:
        verdict = 'fixed'
        parts = ['Everything that can be fixed is fixed.']
    if errors and fixable['records']:
        parts.append('Fixable by remediate: %d record(s) on %s.' % (fixable['records'], ', '.join(fixable['hosts'])))
    if manual_hosts:
        parts.append('Needs a person (manual): %s.' % ', '.join(manual_hosts))
    elif not errors:
        parts.append('Nothing needs a person.')
    if info['records']:
        parts.append('For information only (no workaround exists, or none is needed): %s.' % ', '.join(info['hosts']))
    summary = {'verdict': verdict, 'text': ' '.join(parts)}
    summary.update(groups)
    return summary


def overall_status(statuses: list) -> str | None:
    """The worst status of a list (see STATUS_SEVERITY), or None for an empty list."""
    present = [status for status in STATUS_SEVERITY if status in statuses]
    return present[0] if present else None


def _run_mode(records):
    modes = set(record['check_mode'] for record in records if record['check_mode'] is not None)
    if modes == {True}:
        return 'check'
    if modes == {False}:
        return 'apply'
    return 'mixed' if modes else 'apply'


def _rcp_key(vendor, record):
    return ['%s:%s' % (vendor, record['workaround']), '%s:%s' % (record['vendor'], record['workaround'])]


def cross_vendor_notes(devices: list) -> list:
    """Notes on workarounds that interact across the fleet (today: randomizeClientPort).

    Static-port outbound NAT (pfSense, OPNsense) and the Fortinet row rely on the
    tailnet policy option ``randomizeClientPort``; the PAN-OS selective
    source-port rule (UDP 41641, for PAN-OS before 11.1.1) needs it off. One
    tailnet-wide value cannot serve both, so a mixed fleet needs the node
    attribute ``randomize-client-port`` scoped by tag to the nodes that want it.
    """
    in_play = ('compliant', 'drift', 'manual')
    wanting, conflicting, maybe_conflicting = [], [], []
    for device in devices:
        for record in device['records']:
            keys = _rcp_key(device['vendor'], record)
            # A Fortinet firewall's record is not_applicable: the tailnet host applies its workaround.
            applied_elsewhere = record['status'] == 'not_applicable' and GUIDANCE.get(device['vendor'], {}).get('applied_by')
            if (record['status'] not in in_play and not applied_elsewhere) or record.get('state') == 'absent':
                continue
            if any(key in RANDOMIZE_CLIENT_PORT['wants'] for key in keys):
                wanting.append(device['host'])
            elif any(key in RANDOMIZE_CLIENT_PORT['conflicts'] for key in keys):
                conflicting.append(device['host'])
            elif device['vendor'] == 'panos' and record['status'] == 'manual':
                # Older PAN-OS: one of the documented options is the selective source-port rule.
                maybe_conflicting.append(device['host'])
    wanting = sorted(set(wanting))
    conflicting = sorted(set(conflicting))
    maybe_conflicting = sorted(set(maybe_conflicting) - set(conflicting))
    scoped = ('Leave randomizeClientPort off tailnet-wide and give only the Tailscale nodes behind %s the node attribute '
              'randomize-client-port through a tag-scoped nodeAttrs entry, e.g. '
              '"nodeAttrs": [{"target": ["tag:directpath-random-port"], "attr": ["randomize-client-port"]}].')
    notes = []
    if wanting and conflicting:
        notes.append({
            'id': 'randomize_client_port_conflict',
            'level': 'warning',
            'text': (('This fleet mixes workarounds that need opposite randomizeClientPort settings: static-port NAT '
                      '(pfSense/OPNsense) and the Fortinet workaround want it on (%s); the PAN-OS selective source-port rule '
                      'for UDP 41641 needs it off (%s). ' % (', '.join(wanting), ', '.join(conflicting)))
                     + scoped % ', '.join(wanting)),
            'hosts': wanting + conflicting,
        })
    elif wanting and maybe_conflicting:
        notes.append({
            'id': 'randomize_client_port_possible_conflict',
            'level': 'warning',
            'text': (('PAN-OS on %s is older than 11.1.1 and needs a manual workaround; if you choose the selective '
                      'source-port rule for UDP 41641, it needs randomizeClientPort off, while %s want it on. '
                      % (', '.join(maybe_conflicting), ', '.join(wanting)))
                     + scoped % ', '.join(wanting)),
            'hosts': wanting + maybe_conflicting,
        })
    elif wanting:
        notes.append({
            'id': 'randomize_client_port_wanted',
            'level': 'info',
            'text': ('The workarounds on %s rely on randomizeClientPort in the tailnet policy. Set it tailnet-wide, or scope '
                     'it with a tag-scoped nodeAttrs entry ("attr": ["randomize-client-port"]) to the nodes behind these '
                     'firewalls.' % ', '.join(wanting)),
            'hosts': wanting,
        })
    policy = _tailnet_policy_read(devices)
    if policy and notes:
        host, state = policy
        for note in notes:
            note['text'] += ' ' + _policy_sentence(host, state, conflicting)
            note['hosts'].append(host)
            if not state.get('tailnet_wide') and not state.get('tags') and note['level'] == 'info':
                note['level'] = 'warning'
    return notes


def _tailnet_policy_read(devices):
    """(host, state) of the tailnet policy file as a tailnet_policy record read it, or None."""
    for device in devices:
        for record in device['records']:
            if isinstance(record.get('tailnet_policy'), dict):
                return device['host'], record['tailnet_policy']
    return None


def _policy_sentence(host, state, conflicting):
    if state.get('tailnet_wide'):
        text = 'The tailnet policy file (read through %s) has randomizeClientPort on tailnet-wide' % host
        return text + (', which the selective source-port rule on %s cannot work with.' % ', '.join(conflicting)
                       if conflicting else '.')
    tags = state.get('tags') or []
    if tags:
        return ('The tailnet policy file (read through %s) has randomizeClientPort off tailnet-wide and grants '
                'randomize-client-port to %s.' % (host, ', '.join(tags)))
    return ('The tailnet policy file (read through %s) has randomizeClientPort off and grants randomize-client-port to '
            'no tag: the nodes behind these firewalls keep port 41641 until the tailnet role applies it.' % host)


# Subjects of records that are not firewalls of the guidance table: the Tailscale nodes that
# roles/verify checks (module tailscale_path_info reports vendor 'tailscale').
NODE_SUBJECTS = {
    'tailscale': {
        'firewall': 'Tailscale node',
        'expected': 'Connects directly to its peers',
        'workaround': 'Verify the paths with tailscale status and tailscale netcheck',
        'caveats': ('An idle peer has no path to classify until traffic flows: ping it first.',),
    },
}


def build_report(collector: ReportCollector, generated: datetime.datetime | str | None = None, run_mode: str | None = None,
                 generator: str = 'directpath.firewall.audit_report') -> dict:
    """The report as a dict that follows REPORT_JSON_SCHEMA."""
    if generated is None:
        generated = datetime.datetime.now(datetime.timezone.utc)
    if isinstance(generated, datetime.datetime):
        generated = generated.replace(microsecond=0).isoformat()
    devices = []
    for host in sorted(collector.hosts()):
        vendor = collector.device_vendor(host)
        row = GUIDANCE.get(vendor) or NODE_SUBJECTS.get(vendor, {})
        records = sorted(collector.records(host), key=lambda r: (STATUS_SEVERITY.index(r['status']), r['vendor'], r['workaround']))
        devices.append({
            'host': host,
            'vendor': vendor,
            'firewall': row.get('firewall', vendor),
            'expected': row.get('expected'),
            'guidance_workaround': row.get('workaround'),
            'caveats': list(row.get('caveats', ())),
            'status': overall_status([record['status'] for record in records]),
            'records': records,
        })
    all_records = collector.records()
    records_by_status = dict((status, 0) for status in STATUS_SEVERITY)
    devices_by_status = dict((status, 0) for status in STATUS_SEVERITY)
    for record in all_records:
        records_by_status[record['status']] += 1
    for device in devices:
        devices_by_status[device['status']] += 1
    api_calls = {'reads': 0, 'writes': 0}
    for record in all_records:
        if record['api_calls']:
            api_calls['reads'] += record['api_calls']['reads']
            api_calls['writes'] += record['api_calls']['writes']
    return {
        'schema_version': SCHEMA_VERSION,
        'generator': generator,
        'generated': generated,
        'run_mode': run_mode or _run_mode(all_records),
        'summary': {
            'devices': len(devices),
            'records': len(all_records),
            'headline': headline(devices),
            'overall_status': overall_status([device['status'] for device in devices]),
            'records_by_status': records_by_status,
            'devices_by_status': devices_by_status,
            'api_calls': api_calls,
        },
        'devices': devices,
        'notes': cross_vendor_notes(devices),
    }


def render_json(report: dict) -> str:
    return json.dumps(report, indent=2, sort_keys=False) + '\n'


def _md(text):
    """Device-provided text made inert in Markdown: HTML escaped (a renderer that allows raw HTML
    shows ``<script>`` as text), table pipes escaped, new lines as ``<br>``."""
    text = html.escape(str(text).replace('\\', '\\\\'), quote=False)
    return text.replace('|', '\\|').replace('\r\n', '\n').replace('\n', '<br>')


def _md_list(items):
    return '<br>'.join('- ' + _md(item) for item in items) if items else '-'


def _calls(record):
    calls = record['api_calls']
    return '%d/%d' % (calls['reads'], calls['writes']) if calls else '-'


def _change(record):
    """What the record's task did to the device: applied, would change (check mode), or nothing."""
    if record['applied']:
        return 'applied'
    if record['status'] == 'error':
        return '-'
    if record['changed']:
        return 'would change' if record['check_mode'] is not False else 'changed'
    return 'no change'


def _findings(record):
    findings = list(record['findings'])
    if record.get('msg') and record['msg'] not in findings:
        findings.append(record['msg'])
    if record.get('cause'):
        findings.append('cause: %s' % record['cause'])
    return findings


def render_markdown(report: dict) -> str:
    summary = report['summary']
    verdict = summary['headline']
    lines = [
        '# Tailscale direct-connection audit',
        '',
        'Generated %s by %s, %s mode (schema %s). %d device(s), %d record(s).' % (
            _md(report['generated']), _md(report['generator']), report['run_mode'], _md(report['schema_version']),
            summary['devices'], summary['records']),
        '',
        '**Headline: %s.** %s' % (verdict['verdict'], _md(verdict['text'])),
        '',
        '## Summary',
        '',
        '| Status | Devices | Records | Meaning |',
        '|---|---|---|---|',
    ]
    for status in STATUS_SEVERITY:
        lines.append('| %s | %d | %d | %s |' % (
            status, summary['devices_by_status'][status], summary['records_by_status'][status], _md(STATUS_MEANING[status])))
    lines.extend(['', '| Host | Firewall | Workaround | Status | Change | API calls (r/w) |', '|---|---|---|---|---|---|'])
    for device in report['devices']:
        for record in device['records']:
            lines.append('| %s | %s | %s | %s | %s | %s |' % (_md(device['host']), _md(device['firewall']), _md(record['workaround']),
                                                              record['status'], _change(record), _calls(record)))
    if report['notes']:
        lines.extend(['', '## Fleet notes', ''])
        for note in report['notes']:
            lines.append('- **%s**: %s' % (_md(note['level']), _md(note['text'])))
    for device in report['devices']:
        lines.extend([
            '',
            '## %s: %s (%s)' % (_md(device['host']), _md(device['firewall']), _md(device['vendor'])),
            '',
            '- Status: **%s**' % device['status'],
            '- Tailscale expects: %s' % _md(device['expected'] or 'unknown (not in the guidance table)'),
            '- Guidance workaround: %s' % _md(device['guidance_workaround'] or 'unknown'),
        ])
        for caveat in device['caveats']:
            lines.append('- Caveat: %s' % _md(caveat))
        lines.extend(['', '| Workaround | Status | Change | Findings | Exposure | Advice | Next step |',
                      '|---|---|---|---|---|---|---|'])
        for record in device['records']:
            lines.append('| %s | %s | %s | %s | %s | %s | %s |' % (
                _md(record['workaround']), record['status'], _change(record), _md_list(_findings(record)),
                _md_list(record['exposure']), _md_list(record['advice']), _md(record['next_step'])))
    return '\n'.join(lines) + '\n'


_CSS = '''
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #1d2330; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 1rem 0; width: 100%; font-size: .9rem; }
th, td { border: 1px solid #c9ced6; padding: .35rem .5rem; text-align: left; vertical-align: top; }
.wide { overflow-x: auto; }
th { background: #eef1f5; }
ul { margin: 0; padding-left: 1.1rem; }
.status { font-weight: 600; }
.status-compliant { background: #dcf5e3; color: #135c2a; }
.status-not_applicable { background: #eef1f5; color: #3a4150; }
.status-drift { background: #fff1c7; color: #6b4a00; }
.status-manual { background: #ffe2c4; color: #7a3700; }
.status-no_workaround { background: #e6e0f7; color: #3d2a78; }
.status-error { background: #ffd6d6; color: #8a1010; }
.note-warning { border-left: 4px solid #d08a00; padding: .4rem .8rem; background: #fff8e6; }
.note-info { border-left: 4px solid #4a78c2; padding: .4rem .8rem; background: #eef4fd; }
.meta { color: #555d6b; }
.headline { font-size: 1.05rem; padding: .5rem .8rem; border-left: 4px solid #4a78c2; background: #eef4fd; }
.verdict-fixed { border-color: #2f9e55; background: #e9f8ee; }
.verdict-fixable { border-color: #d0a000; background: #fff8e0; }
.verdict-needs_person { border-color: #d06a00; background: #fff0e0; }
.verdict-error { border-color: #c02020; background: #ffecec; }
'''


def _h(text):
    return html.escape(str(text), quote=True)


def _h_list(items):
    if not items:
        return '&ndash;'
    return '<ul>%s</ul>' % ''.join('<li>%s</li>' % _h(item) for item in items)


def _status_cell(status):
    return '<td class="status status-%s" data-status="%s">%s</td>' % (_h(status), _h(status), _h(status))


def render_html(report: dict) -> str:
    """A self-contained HTML page: inline CSS, no script, no external resource."""
    summary = report['summary']
    verdict = summary['headline']
    out = [
        '<!DOCTYPE html>',
        '<html lang="en">',
        '<head>',
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="directpath-report-schema" content="%s">' % _h(report['schema_version']),
        '<title>Tailscale direct-connection audit</title>',
        '<style>%s</style>' % _CSS,
        '</head>',
        '<body>',
        '<h1>Tailscale direct-connection audit</h1>',
        '<p class="meta">Generated <time>%s</time> by %s, <span id="run-mode">%s</span> mode, schema %s. '
        '%d device(s), %d record(s). Worst record status: <span id="overall-status" class="status status-%s">%s</span>.</p>' % (
            _h(report['generated']), _h(report['generator']), _h(report['run_mode']), _h(report['schema_version']),
            summary['devices'], summary['records'], _h(summary['overall_status'] or 'none'), _h(summary['overall_status'] or 'none')),
        '<p id="headline" class="headline verdict-%s" data-verdict="%s"><strong>%s.</strong> %s</p>' % (
            _h(verdict['verdict']), _h(verdict['verdict']), _h(verdict['verdict']), _h(verdict['text'])),
        '<h2>Summary</h2>',
        '<table id="summary"><thead><tr><th>Status</th><th>Devices</th><th>Records</th><th>Meaning</th><th>Next step</th>'
        '</tr></thead><tbody>',
    ]
    for status in STATUS_SEVERITY:
        out.append('<tr data-status="%s">%s<td class="devices">%d</td><td class="records">%d</td><td>%s</td><td>%s</td></tr>' % (
            status, _status_cell(status), summary['devices_by_status'][status], summary['records_by_status'][status],
            _h(STATUS_MEANING[status]), _h(NEXT_STEPS[status])))
    out.append('</tbody></table>')
    if report['notes']:
        out.append('<h2>Fleet notes</h2>')
        for note in report['notes']:
            out.append('<p class="note note-%s" data-note="%s"><strong>%s:</strong> %s</p>' % (
                _h(note['level']), _h(note['id']), _h(note['level']), _h(note['text'])))
    out.extend([
        '<h2>Devices</h2>',
        '<table id="devices"><thead><tr><th>Host</th><th>Firewall</th><th>Vendor</th><th>Tailscale expects</th>'
        '<th>Guidance workaround</th><th>Status</th></tr></thead><tbody>',
    ])
    for device in report['devices']:
        out.append('<tr data-host="%s">%s%s%s%s%s%s</tr>' % (
            _h(device['host']), '<td class="host">%s</td>' % _h(device['host']), '<td>%s</td>' % _h(device['firewall']),
            '<td class="ident">%s</td>' % _h(device['vendor']), '<td>%s</td>' % _h(device['expected'] or 'unknown'),
            '<td>%s</td>' % _h(device['guidance_workaround'] or 'unknown'), _status_cell(device['status'])))
    out.extend([
        '</tbody></table>',
        '<h2>Records</h2>',
        '<p>The next step for each status is in the summary table above.</p>',
        '<div class="wide"><table id="records"><thead><tr><th>Host</th><th>Workaround</th><th>Status</th><th>Change</th>'
        '<th>Findings</th><th>Exposure</th><th>Advice</th><th>API calls (r/w)</th></tr></thead><tbody>',
    ])
    for device in report['devices']:
        for record in device['records']:
            out.append('<tr data-host="%s" data-vendor="%s" data-workaround="%s">%s%s%s%s%s%s%s%s</tr>' % (
                _h(device['host']), _h(record['vendor']), _h(record['workaround']),
                '<td class="host">%s</td>' % _h(device['host']), '<td class="ident">%s</td>' % _h(record['workaround']),
                _status_cell(record['status']),
                '<td class="change" data-applied="%s" data-changed="%s">%s</td>' % (
                    _h(str(record['applied']).lower()), _h(str(record['changed']).lower()), _h(_change(record))),
                '<td>%s</td>' % _h_list(_findings(record)), '<td>%s</td>' % _h_list(record['exposure']),
                '<td>%s</td>' % _h_list(record['advice']), '<td class="calls">%s</td>' % _h(_calls(record))))
    out.extend(['</tbody></table></div>', '</body>', '</html>', ''])
    return '\n'.join(out)


def render_summary_table(report: dict, paths: dict | None = None) -> str:
    """The plain-text table printed at the end of the run."""
    rows = [('HOST', 'VENDOR', 'WORKAROUND', 'STATUS', 'CHANGE', 'API R/W')]
    for device in report['devices']:
        for record in device['records']:
            rows.append((device['host'], device['vendor'], record['workaround'], record['status'], _change(record), _calls(record)))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    summary = report['summary']
    lines = ['DIRECTPATH AUDIT REPORT (%s mode): %d device(s), %d record(s), headline: %s' % (
        report['run_mode'], summary['devices'], summary['records'], summary['headline']['verdict'])]
    for row in rows:
        lines.append('  '.join(cell.ljust(widths[index]) for index, cell in enumerate(row)).rstrip())
    counts = ['%s %d' % (status, count) for status, count in summary['records_by_status'].items() if count]
    lines.append('records: ' + (', '.join(counts) or 'none'))
    lines.append('HEADLINE: %s' % summary['headline']['text'])
    for note in report['notes']:
        lines.append('%s: %s' % (note['level'].upper(), note['text']))
    for fmt, path in (paths or {}).items():
        lines.append('report (%s): %s' % (fmt, path))
    return '\n'.join(lines)


_RENDERERS = {'json': render_json, 'md': render_markdown, 'html': render_html}

# The report describes the fleet's firewall layout: by default only the user running Ansible
# reads it. shared=True leaves the permissions to the umask (a team's reports directory).
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIRECTORY_MODE = 0o700


def _current_umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_report(report: dict, directory: str, prefix: str = 'audit-report', formats: tuple | list = FORMATS,
                 shared: bool = False) -> dict:
    """Write ``<directory>/<prefix>.<fmt>`` for each format, atomically; return {fmt: absolute path}.

    Files are 0600 and a directory created here is 0700, unless ``shared`` is true: then both
    get the permissions the umask gives (0644 / 0755 with the usual umask 022). An existing
    directory keeps its permissions.
    """
    directory = os.path.abspath(os.path.expanduser(directory or '.'))
    if not os.path.isdir(directory):
        os.makedirs(directory, mode=0o777 if shared else PRIVATE_DIRECTORY_MODE)
    file_mode = (0o666 & ~_current_umask()) if shared else PRIVATE_FILE_MODE
    paths = {}
    for fmt in formats:
        if fmt not in _RENDERERS:
            raise ValueError('unknown report format %r; known: %s' % (fmt, ', '.join(FORMATS)))
        path = os.path.join(directory, '%s.%s' % (prefix, fmt))
        handle, tmp_path = tempfile.mkstemp(prefix='.%s.' % prefix, dir=directory)
        try:
            os.fchmod(handle, file_mode)
            with os.fdopen(handle, 'w', encoding='utf-8') as stream:
                stream.write(_RENDERERS[fmt](report))
            os.replace(tmp_path, path)
        except Exception:
            if os.path.exists(tmp_path):
                os.unlink(tmp_path)
            raise
        paths[fmt] = path
    return paths
