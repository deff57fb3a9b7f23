# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: engine (top of it). Runs one workaround from validated parameters, with or without AnsibleModule.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: the standard library, ansible.module_utils and the other engine files.

A workaround is a function ``body(ctx, api_calls) -> result`` that reads the
device, builds a :class:`Plan` and returns :func:`finish`'s result. Two thin
callers run it through :func:`execute`: a module's ``main()``
(:func:`module_main`, in a module process) and a controller-side action plugin
(same function, no module process). :func:`execute` is the one place where an
error becomes a failed result, and where results that need a person become
Ansible warnings.
"""

from __future__ import annotations

import traceback

from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import (
    ApiCalls,
    compliance_record,
    failure_record,
)

__all__ = [
    'RunContext',
    'execute',
    'finish',
    'module_main',
]


class RunContext(object):
    """What a workaround needs from its caller.

    ``params`` are the validated options; ``secrets`` is the caller's set of
    values to mask in every result (AnsibleModule's ``no_log_values``, or the
    action plugin's); ``run_command`` exists only where commands run on the
    managed host (the on-box modules).
    """

    def __init__(self, params: dict, check_mode: bool = False, diff: bool = False,
                 secrets: set | None = None, command_runner=None) -> None:
        self.params = params
        self.check_mode = bool(check_mode)
        self.diff = bool(diff)
        self.secrets = secrets if secrets is not None else set()
        self.warnings = []
        self._command_runner = command_runner

    @classmethod
    def from_module(cls, module) -> 'RunContext':
        return cls(module.params, module.check_mode, module._diff, module.no_log_values, module.run_command)

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def add_secret(self, value: str) -> None:
        """Register a value learnt at run time (a generated API key, a session token) for masking."""
        if value:
            self.secrets.add(value)

    def run_command(self, args, **kwargs):
        if self._command_runner is None:
            raise DirectPathError('this workaround runs commands on the firewall itself and cannot run on the controller',
                                  cause='internal')
        return self._command_runner(args, **kwargs)


def finish(ctx: RunContext, plan, apply_changes, api_calls: ApiCalls, extra: dict | None = None) -> dict:
    """The result of a run from its plan.

    ``apply_changes(plan)`` is called only when the plan has changes, is not
    manual and the run is not in check mode. It must raise DirectPathError on
    failure after restoring the device (or saying what it could not restore).
    """
    applied = False
    if plan.changed and not ctx.check_mode:
        apply_changes(plan)
        applied = True
    result = dict(
        changed=plan.changed,
        api_calls=api_calls.as_dict(),
        compliance=plan.compliance(applied=applied),
    )
    if ctx.diff:
        result['diff'] = plan.diff
    if extra:
        result.update(extra)
    return result


def _needs_person(record: dict) -> str | None:
    """The warning text for a record a person has to act on, or None."""
    status = record.get('status')
    if status != 'manual' and not record.get('action_required'):
        return None
    what = '; '.join(record.get('findings') or []) or 'no reason given'
    text = '%s %s needs a person (%s): %s' % (record.get('vendor'), record.get('workaround'), status, what)
    advice = record.get('advice') or []
    if advice:
        text += ' What to do: ' + ' '.join(advice)
    return text


def execute(ctx: RunContext, vendor: str, workaround: str, body) -> dict:
    """Run ``body(ctx, api_calls)``; always return a result dict (``failed`` set on failure)."""
    api_calls = ApiCalls()
    state = ctx.params.get('state')
    try:
        result = body(ctx, api_calls)
    except DirectPathError as error:
        result = dict(
            failed=True,
            msg=error.message,
            cause=error.cause,
            device_unchanged=error.device_unchanged,
            compliance=failure_record(vendor, workaround, error, state=state),
        )
        if error.details:
            result['details'] = error.details
    except Exception as error:  # pylint: disable=broad-except
        # Our own bug, not the device's: cause 'internal', and no claim about the device.
        result = dict(
            failed=True,
            msg='internal error in directpath.firewall (%s: %s); please report it' % (type(error).__name__, error),
            cause='internal',
            exception=traceback.format_exc(),
            compliance=compliance_record(vendor, workaround, 'error', ['internal error in directpath.firewall (%s)'
                                                                       % type(error).__name__], state=state,
                                         cause='internal'),
        )
    result.setdefault('api_calls', api_calls.as_dict())
    record = result.get('compliance') or {}
    warning = _needs_person(record)
    if warning:
        ctx.warn(warning)
    if ctx.warnings:
        result['warnings'] = list(ctx.warnings)
    return result


def module_main(spec, vendor: str, workaround: str, body, *, supports_check_mode: bool, precheck=None) -> None:
    """A module's whole ``main()``: options from ``spec``, one :func:`execute`, exit or fail.

    ``supports_check_mode`` is stated by each module where it calls this (no hidden default).
    ``precheck(module)`` may fail early (a missing Python library) before anything runs.
    ``vendor`` and ``workaround`` may be functions of the params (guidance_info names them from its options).
    """
    module = spec.create_ansible_module(supports_check_mode=supports_check_mode)
    if precheck is not None:
        precheck(module)
    if callable(vendor):
        vendor = vendor(module.params)
    if callable(workaround):
        workaround = workaround(module.params)
    result = execute(RunContext.from_module(module), vendor, workaround, body)
    for warning in result.pop('warnings', []):
        module.warn(warning)
    if result.pop('failed', False):
        module.fail_json(**result)
    module.exit_json(**result)
