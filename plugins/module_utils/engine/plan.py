# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: engine. The plan of one run (named fields compared), and the compliance record it yields.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: the standard library and engine/errors.py.

A workaround reads the device through its vendor client, records every field
it owns in a :class:`Plan` (current value, wanted value) and hands the plan to
the runner. The plan alone decides ``changed``, the ``diff`` and the
``compliance`` record, so the three can never disagree (the community.docker
``DifferenceTracker`` idea). Bookkeeping (what we own) is never a compared field.
"""

from __future__ import annotations

import json

from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError

__all__ = [
    'COMPLIANCE_STATUSES',
    'ApiCalls',
    'Change',
    'Plan',
    'compliance_record',
    'failure_record',
]

# The statuses the audit report understands (docs/audit.md describes each).
COMPLIANCE_STATUSES = ('compliant', 'drift', 'manual', 'not_applicable', 'no_workaround', 'error')


class ApiCalls(object):
    """Counts the device operations of one run, split into reads and writes.

    For API modules an operation is one request; for the on-box modules it is
    one file read or write or one shell command (docs/audit.md).
    """

    def __init__(self) -> None:
        self.reads = 0
        self.writes = 0

    def read(self, count: int = 1) -> None:
        self.reads += count

    def write(self, count: int = 1) -> None:
        self.writes += count

    def as_dict(self) -> dict:
        return {'reads': self.reads, 'writes': self.writes}


class Change(object):
    """One compared field: its name, the device's value and the wanted value."""

    __slots__ = ('name', 'before', 'after', 'finding')

    def __init__(self, name: str, before, after, finding: str | None = None) -> None:
        self.name = name
        self.before = before
        self.after = after
        self.finding = finding

    @property
    def differs(self) -> bool:
        return self.before != self.after


def _short(value, limit: int = 160) -> str:
    """A compact, one-line rendering of a compared value for findings."""
    if value is None:
        text = 'none'
    elif isinstance(value, str):
        text = value or "''"
    elif isinstance(value, bool):
        text = 'on' if value else 'off'
    else:
        text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[:limit - 3] + '...'


def compliance_record(vendor: str, workaround: str, status: str, findings: list | None = None,
                      exposure: list | None = None, state: str | None = None, changed: bool = False,
                      applied: bool = False, **extra) -> dict:
    """The ``compliance`` dict every run returns, success or failure (schema: docs/audit.md)."""
    if status not in COMPLIANCE_STATUSES:
        raise ValueError('unknown compliance status %r' % (status,))
    record = {
        'vendor': vendor,
        'workaround': workaround,
        'status': status,
        'findings': list(findings or []),
        'exposure': list(exposure or []),
        'state': state,
        'changed': bool(changed),
        'applied': bool(applied),
    }
    record.update(extra)
    return record


def failure_record(vendor: str, workaround: str, error: DirectPathError, state: str | None = None) -> dict:
    """The compliance record of a failed run: status ``error`` with the cause."""
    findings = [error.message]
    if not error.device_unchanged:
        findings.append('the device may be partly changed: review it before the next run')
    return compliance_record(vendor, workaround, 'error', findings, state=state, cause=error.cause,
                             device_unchanged=error.device_unchanged)


class Plan(object):
    """What a run found and what it would change, built from named fields.

    ``compare(name, before, after)`` records a field; ``changed``, ``diff`` and
    the compliance status are all derived from the recorded fields.

    A plan can also be marked *manual*: the device cannot be brought to the
    wanted state by this module (too old a version, a setting that waits for a
    restart). Nothing is applied then, and the compliance record says
    ``manual`` with the findings that explain why; the runner also turns it
    into an Ansible warning.
    """

    def __init__(self, vendor: str, workaround: str, state: str = 'present') -> None:
        self.vendor = vendor
        self.workaround = workaround
        self.state = state
        self.fields = []
        self.findings = []
        self.exposure = []
        self.advice = []
        self.manual_reason = None
        self.after_apply_reason = None
        self.status_override = None

    def compare(self, name: str, before, after, finding: str | None = None) -> bool:
        """Record a field. ``finding`` explains a difference in the audit report."""
        if any(field.name == name for field in self.fields):
            raise ValueError('field %r compared twice' % (name,))
        change = Change(name, before, after, finding)
        self.fields.append(change)
        return change.differs

    def add_finding(self, text: str) -> None:
        if text not in self.findings:
            self.findings.append(text)

    def add_exposure(self, text: str) -> None:
        if text not in self.exposure:
            self.exposure.append(text)

    def add_advice(self, text: str) -> None:
        if text not in self.advice:
            self.advice.append(text)

    def require_manual(self, reason: str) -> None:
        """Mark the plan as needing a person; ``reason`` goes to the findings."""
        self.manual_reason = reason
        self.add_finding(reason)

    def manual_after_apply(self, reason: str) -> None:
        """What this plan applies is not in effect until a person acts (a restart): after an apply the
        status is ``manual`` with ``reason``, never ``compliant``."""
        self.after_apply_reason = reason

    def set_status(self, status: str) -> None:
        """Force a status that no field comparison can express (not_applicable, no_workaround)."""
        if status not in COMPLIANCE_STATUSES:
            raise ValueError('unknown compliance status %r' % (status,))
        self.status_override = status

    @property
    def changes(self) -> list:
        if self.manual_reason:
            return []
        return [field for field in self.fields if field.differs]

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def diff(self) -> dict:
        before = {}
        after = {}
        for field in self.changes:
            before[field.name] = field.before
            after[field.name] = field.after
        return {'before': before, 'after': after}

    def status(self, applied: bool) -> str:
        """The compliance status: after an apply (``applied``) or as found."""
        if self.status_override:
            return self.status_override
        if self.manual_reason:
            return 'manual'
        if self.changed and not applied:
            return 'drift'
        if applied and self.after_apply_reason:
            return 'manual'
        return 'compliant'

    def finding_texts(self, applied: bool) -> list:
        """Findings as the report shows them.

        As found (audit, check mode): what differs and why it matters. After an
        apply: what was changed, worded before -> after, then the other findings.
        """
        texts = []
        for field in self.changes:
            if applied:
                texts.append('changed %s: %s → %s' % (field.name, _short(field.before), _short(field.after)))
            elif field.finding:
                texts.append(field.finding)
        for text in self.findings:
            if text not in texts:
                texts.append(text)
        if applied and self.after_apply_reason:
            texts.append(self.after_apply_reason)
        return texts

    def compliance(self, applied: bool) -> dict:
        applied = bool(applied and self.changed)
        record = compliance_record(
            self.vendor, self.workaround, self.status(applied), self.finding_texts(applied), self.exposure,
            state=self.state, changed=self.changed, applied=applied)
        if self.advice:
            record['advice'] = list(self.advice)
        return record
