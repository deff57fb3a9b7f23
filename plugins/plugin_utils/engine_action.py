# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The controller-side path of the modules that talk to a device API: an action plugin that runs the
module's workaround in the controller's worker process, with no module process.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

A module's ``main()`` (``module_main``) and :class:`EngineAction` are two thin callers of the same
``engine.runner.execute``. Both validate the task's arguments with the same ``ArgumentSpec``
(AnsibleModule in the module; ansible-core's ArgumentSpecValidator here, with the fallbacks, the
defaults and the no_log values), then run the same workaround function with the same check mode
and diff mode, and return the same result: the same failure messages, the same ``invocation``,
warnings for results that need a person, and every no_log value (and every secret the workaround
learnt at run time, such as a generated API key) masked.

Each such module has a tiny ``plugins/action/<module>.py`` that names its spec, vendor, workaround
and function. Importing it imports the client library: ansible-core's linear and free strategies
load an action plugin's class in the main process before they fork workers, so the library is
imported once per run and every worker inherits it.

The on-box modules (pfSense and OPNsense ``config.xml``) have no action plugin: they run on the
firewall.
"""

from __future__ import annotations

import typing as t

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase

from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import compliance_record
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import RunContext, execute

__all__ = [
    'EngineAction',
    'run_on_controller',
]


def _plain(value):
    """Task arguments as the plain Python types a module process would have decoded from JSON."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bytes):
        return value.decode('utf-8', 'surrogateescape')
    if isinstance(value, t.Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(item) for item in value]
    return value


def _validation_failure(module_name: str, validation) -> str:
    """The message AnsibleModule fails with for the first validation error."""
    message = validation.errors.msg
    if isinstance(validation.errors[0], UnsupportedError):
        message = 'Unsupported parameters for (%s) module: %s' % (module_name, message)
    return message


def _validation_warnings(validation) -> list:
    """The warnings AnsibleModule's validator gives (an option set together with its alias, a
    deprecated alias)."""
    warnings = ['Both option %s and its alias %s are set.' % (item['option'], item['alias'])
                for item in validation._warnings]  # pylint: disable=protected-access
    warnings += ["Alias '%s' is deprecated. See the module docs for more information" % item['name']
                 for item in validation._deprecations]  # pylint: disable=protected-access
    return warnings


def run_on_controller(module_name: str, spec, vendor, workaround, body, args: dict, check_mode: bool = False,
                      diff: bool = False, requires: t.Iterable = ()) -> dict:
    """What ``module_main(spec, vendor, workaround, body)`` returns in a module process, computed here.

    ``requires``: ``(library, available)`` pairs, checked after validation as the module's precheck
    does. ``vendor`` and ``workaround`` may be functions of the validated params.
    """
    validator = ArgumentSpecValidator(spec.argument_spec, **spec.constraints())
    validation = validator.validate(_plain(dict(args)))
    params = validation.validated_parameters
    secrets = set(validation._no_log_values)  # pylint: disable=protected-access
    warnings = _validation_warnings(validation)
    if validation.errors.errors:  # (the container itself is always truthy)
        result = {'failed': True, 'msg': _validation_failure(module_name, validation)}
    else:
        missing = [library for library, available in requires if not available]
        if missing:
            result = {'failed': True, 'msg': missing_required_lib(missing[0]), 'cause': 'dependency'}
        else:
            if callable(vendor):
                vendor = vendor(params)
            if callable(workaround):
                workaround = workaround(params)
            context = RunContext(params, check_mode=check_mode, diff=diff, secrets=secrets)
            result = execute(context, vendor, workaround, body)
            warnings += result.pop('warnings', [])
    result['invocation'] = {'module_args': params}
    if warnings:
        result['warnings'] = warnings
    return remove_values(result, secrets)


class EngineAction(ActionBase):
    """Base of ``plugins/action/<module>.py``: set SPEC, VENDOR, WORKAROUND and BODY (a staticmethod),
    and REQUIRES (``(library, available)`` pairs) when the module needs a client library."""

    SPEC = None
    VENDOR = None
    WORKAROUND = None
    BODY = None
    REQUIRES = ()
    #: ``(options, message)``: when the only fault of a task is that it gives none of ``options``, it fails with
    #: ``message`` (``{host}`` is the inventory host), naming the inventory variables the vendor role reads them from.
    #: It replaces a per-host assert task in the role, which would cost every firewall a worker process.
    REQUIRED_INPUT = None

    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        super().run(tmp, task_vars)
        del tmp
        result = run_on_controller(self._task.action, self.SPEC, self.VENDOR, self.WORKAROUND, self.BODY, self._task.args,
                                   check_mode=bool(self._task.check_mode), diff=bool(self._task.diff), requires=self.REQUIRES)
        if self.REQUIRED_INPUT and result.get('failed'):
            options, message = self.REQUIRED_INPUT
            # The argument validator's own words for this case, which name module options the role's user never wrote.
            if result.get('msg') == 'one of the following is required: %s' % ', '.join(options):
                text = message.format(host=(task_vars or {}).get('inventory_hostname', 'this host'))
                result.update(msg=text, cause='input', compliance=compliance_record(
                    self.VENDOR, self.WORKAROUND, 'error', [text], state=self._task.args.get('state', 'present'),
                    cause='input'))
        return result
