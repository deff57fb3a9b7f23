# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The vendor-neutral remediation engine: read -> compare -> plan -> apply.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.
Do not import it from other collections.

A module reads the device through its vendor client, records every field it
owns in a :class:`Plan` (current value, desired value), and hands the plan to
:func:`run_plan`. The plan alone decides ``changed``, the ``diff`` and the
``compliance`` record, so the three can never disagree. The engine knows no
vendor: it calls back into the module to apply.
"""

from __future__ import annotations

import copy
import traceback

from ansible.module_utils.basic import AnsibleModule

__all__ = [
    'COMPLIANCE_STATUSES',
    'ERROR_CAUSES',
    'ApiCalls',
    'ArgumentSpec',
    'Change',
    'DirectPathError',
    'Plan',
    'compliance_record',
    'fail_from_error',
    'guard',
    'run_plan',
]

# The statuses the audit report understands (docs/audit.md describes each).
COMPLIANCE_STATUSES = ('compliant', 'drift', 'manual', 'not_applicable', 'no_workaround', 'error')

# Why a module failed. Stable strings: the audit report and tests key on them.
ERROR_CAUSES = (
    'input',        # the options given cannot work (bad value, object not found on the device)
    'auth',         # credentials rejected
    'unreachable',  # connection refused, DNS, TLS handshake failed
    'tls',          # certificate verification failed
    'timeout',      # the device did not answer in time
    'api',          # the device answered with an error
    'commit',       # the change was sent but activating it failed (and was rolled back)
    'lock',         # another administrator holds the configuration lock
    'conflict',     # the object changed under us (stale ETag, concurrent edit)
    'dependency',   # a Python library is missing
    'unsupported',  # the device or version cannot do what was asked
)


class DirectPathError(Exception):
    """The one exception that means "this module must fail".

    Clients and modules raise it with a message that names the cause and never
    contains a secret; :func:`fail_from_error` turns it into ``fail_json`` in
    exactly one place.
    """

    def __init__(self, message, cause='api', details=None, device_unchanged=True):
        super(DirectPathError, self).__init__(message)
        self.message = message
        if cause not in ERROR_CAUSES:
            raise ValueError('unknown error cause %r' % (cause,))
        self.cause = cause
        self.details = details or {}
        # False only when the client could not restore the device; the message
        # then says what is left for a human to check.
        self.device_unchanged = device_unchanged

    def __str__(self):
        return self.message


class ArgumentSpec(object):
    """An ``argument_spec`` together with its constraints, mergeable.

    Each vendor defines its connection options once; each module merges its own
    options into a copy and creates the AnsibleModule from the result.
    """

    def __init__(self, argument_spec=None, mutually_exclusive=None, required_together=None,
                 required_one_of=None, required_if=None, required_by=None):
        self.argument_spec = copy.deepcopy(argument_spec or {})
        self.mutually_exclusive = list(mutually_exclusive or [])
        self.required_together = list(required_together or [])
        self.required_one_of = list(required_one_of or [])
        self.required_if = list(required_if or [])
        self.required_by = dict(required_by or {})

    def merge(self, other):
        """Return a new spec holding this one's options and constraints plus ``other``'s."""
        merged = ArgumentSpec(
            self.argument_spec, self.mutually_exclusive, self.required_together,
            self.required_one_of, self.required_if, self.required_by)
        overlap = set(merged.argument_spec) & set(other.argument_spec)
        if overlap:
            raise ValueError('options defined twice: %s' % ', '.join(sorted(overlap)))
        merged.argument_spec.update(copy.deepcopy(other.argument_spec))
        merged.mutually_exclusive.extend(other.mutually_exclusive)
        merged.required_together.extend(other.required_together)
        merged.required_one_of.extend(other.required_one_of)
        merged.required_if.extend(other.required_if)
        for key, value in other.required_by.items():
            merged.required_by.setdefault(key, [])
            merged.required_by[key] = list(merged.required_by[key]) + list(value)
        return merged

    def create_ansible_module(self, supports_check_mode, **kwargs):
        return AnsibleModule(
            argument_spec=self.argument_spec,
            mutually_exclusive=self.mutually_exclusive,
            required_together=self.required_together,
            required_one_of=self.required_one_of,
            required_if=self.required_if,
            required_by=self.required_by,
            supports_check_mode=supports_check_mode,
            **kwargs
        )


class ApiCalls(object):
    """Counts the device API calls of one module run, split into reads and writes."""

    def __init__(self):
        self.reads = 0
        self.writes = 0

    def read(self, count=1):
        self.reads += count

    def write(self, count=1):
        self.writes += count

    def as_dict(self):
        return {'reads': self.reads, 'writes': self.writes}


class Change(object):
    """One compared field: its name, the device's value and the wanted value."""

    __slots__ = ('name', 'before', 'after')

    def __init__(self, name, before, after):
        self.name = name
        self.before = before
        self.after = after

    @property
    def differs(self):
        return self.before != self.after


def compliance_record(vendor, workaround, status, findings=None, exposure=None, **extra):
    """Build the ``compliance`` dict every module returns (schema: docs/audit.md)."""
    if status not in COMPLIANCE_STATUSES:
        raise ValueError('unknown compliance status %r' % (status,))
    record = {
        'vendor': vendor,
        'workaround': workaround,
        'status': status,
        'findings': list(findings or []),
        'exposure': list(exposure or []),
    }
    record.update(extra)
    return record


class Plan(object):
    """What a module found and what it would change, built from named fields.

    ``compare(name, before, after)`` records a field; ``changed``, ``diff`` and
    the compliance status are all derived from the recorded fields.

    A plan can also be marked *manual*: the device cannot be brought to the
    wanted state by this module (too old a version, a setting that needs a
    restart the user did not allow). Nothing is applied then, and the
    compliance record says ``manual`` with the findings that explain why.
    """

    def __init__(self, vendor, workaround, state='present'):
        self.vendor = vendor
        self.workaround = workaround
        self.state = state
        self.fields = []
        self.findings = []
        self.exposure = []
        self.advice = []
        self.manual_reason = None
        self.status_override = None

    def compare(self, name, before, after, finding=None):
        """Record a field. ``finding`` explains a difference in the audit report."""
        if any(field.name == name for field in self.fields):
            raise ValueError('field %r compared twice' % (name,))
        change = Change(name, before, after)
        self.fields.append(change)
        if change.differs and finding:
            self.findings.append(finding)
        return change.differs

    def add_finding(self, text):
        self.findings.append(text)

    def add_exposure(self, text):
        if text not in self.exposure:
            self.exposure.append(text)

    def add_advice(self, text):
        if text not in self.advice:
            self.advice.append(text)

    def require_manual(self, reason):
        """Mark the plan as not applicable by this module; ``reason`` goes to the findings."""
        self.manual_reason = reason
        if reason not in self.findings:
            self.findings.append(reason)

    def set_status(self, status):
        """Force a status that no field comparison can express (not_applicable, no_workaround)."""
        if status not in COMPLIANCE_STATUSES:
            raise ValueError('unknown compliance status %r' % (status,))
        self.status_override = status

    @property
    def changes(self):
        if self.manual_reason:
            return []
        return [field for field in self.fields if field.differs]

    @property
    def changed(self):
        return bool(self.changes)

    @property
    def diff(self):
        before = {}
        after = {}
        for field in self.changes:
            before[field.name] = field.before
            after[field.name] = field.after
        return {'before': before, 'after': after}

    def status(self, applied):
        """The compliance status: after an apply (``applied``) or as found."""
        if self.status_override:
            return self.status_override
        if self.manual_reason:
            return 'manual'
        if self.changed and not applied:
            return 'drift'
        return 'compliant'

    def compliance(self, applied):
        record = compliance_record(
            self.vendor, self.workaround, self.status(applied), self.findings, self.exposure,
            state=self.state, applied=bool(applied and self.changed))
        if self.advice:
            record['advice'] = list(self.advice)
        return record


def fail_from_error(module, error, vendor, workaround, api_calls=None, **extra):
    """Turn a :class:`DirectPathError` into ``fail_json`` (the one place modules fail)."""
    findings = [error.message]
    if not error.device_unchanged:
        findings.append('the device may be partly changed: review it before the next run')
    result = dict(
        msg=error.message,
        cause=error.cause,
        device_unchanged=error.device_unchanged,
        compliance=compliance_record(vendor, workaround, 'error', findings),
    )
    if api_calls is not None:
        result['api_calls'] = api_calls.as_dict()
    if error.details:
        result['details'] = error.details
    result.update(extra)
    module.fail_json(**result)


def run_plan(module, plan, apply_changes, api_calls, result_extra=None):
    """Finish a module run from a plan.

    ``apply_changes(plan)`` is called only when the plan has changes, the plan
    is not manual and the module is not in check mode. It must raise
    :class:`DirectPathError` on failure after restoring the device.
    """
    applied = False
    if plan.changed and not module.check_mode:
        apply_changes(plan)
        applied = True
    result = dict(
        changed=plan.changed,
        api_calls=api_calls.as_dict(),
        compliance=plan.compliance(applied=applied),
    )
    if module._diff:
        result['diff'] = plan.diff
    if result_extra:
        result.update(result_extra)
    module.exit_json(**result)


def guard(module, vendor, workaround, api_calls, body):
    """Run ``body()`` and turn any DirectPathError into fail_json.

    Unexpected exceptions fail too, with their type and message but without a
    traceback in the message (the traceback goes to ``exception``, which
    Ansible only shows at -vvv and masks no_log values in).
    """
    try:
        return body()
    except DirectPathError as error:
        fail_from_error(module, error, vendor, workaround, api_calls)
    except Exception as error:  # pylint: disable=broad-except
        module.fail_json(
            msg='unexpected %s: %s' % (type(error).__name__, error),
            cause='api',
            exception=traceback.format_exc(),
            api_calls=api_calls.as_dict(),
            compliance=compliance_record(vendor, workaround, 'error', ['unexpected %s' % type(error).__name__]),
        )
    return None
