# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every test of a module that has an action plugin runs twice: through the module (``main()`` in
this process, as AnsibleModule runs it) and through the action plugin (plugins/action/<module>.py,
the controller-side path, with no module process).

On the action path, the test's call to ``<module>.main()`` runs the action plugin instead, with the
same arguments, check mode and diff mode the test gave the module (``patch_module_args``), and
prints its result as JSON and exits as a module does; the test's assertions are unchanged. So the
same assertions prove the same results, the same check-mode journal (zero writes) and the same
no_log masking on both paths.

Each path runs as it does for real: on the module path ansible-core's module_utils believe they are
in a module process (``module.warn`` adds to the result), on the action path in the controller. A
test that reaches into AnsibleModule itself (for example by patching ``AnsibleModule.warn``) runs on
the module path only; tests/unit/plugins/action/ proves the action path's equivalent.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
from pathlib import Path
from unittest import mock

import pytest

from ansible.module_utils import _internal as module_utils_internal
from ansible.module_utils import basic

ACTION_DIR = Path(__file__).resolve().parents[4] / 'plugins' / 'action'


def _module_under_test(test_module) -> str | None:
    name = test_module.__name__.rsplit('.', 1)[-1]
    if not name.startswith('test_'):
        return None
    module = name[len('test_'):]
    return module if (ACTION_DIR / ('%s.py' % module)).is_file() else None


def _reaches_into_ansible_module(function) -> bool:
    try:
        return 'AnsibleModule' in inspect.getsource(function)
    except (OSError, TypeError):
        return False


def _controller_available() -> bool:
    """ansible-test runs tests/unit/plugins/modules in its "modules" context, where only module_utils
    import (as in a real module process): the action path cannot run there. make test runs it in a
    second step with the full ansible-core (scripts/test.sh, units stage)."""
    try:
        importlib.import_module('ansible.plugins.action')
    except ImportError:
        return False
    return True


def _paths_wanted() -> list:
    """DIRECTPATH_EXECUTION_PATHS=module|action|module,action narrows the paths (default: both, where possible)."""
    wanted = [path for path in os.environ.get('DIRECTPATH_EXECUTION_PATHS', 'module,action').split(',') if path]
    if not _controller_available():
        wanted = [path for path in wanted if path != 'action']
    return wanted


def pytest_generate_tests(metafunc):
    if 'execution_path' in metafunc.fixturenames and _module_under_test(metafunc.module) is not None:
        paths = ['module'] if _reaches_into_ansible_module(metafunc.function) else ['module', 'action']
        # An empty list makes pytest skip the test ("got empty parameter set").
        paths = [path for path in paths if path in _paths_wanted()]
        metafunc.parametrize('execution_path', paths, indirect=True)


def run_action_as_module(module_name: str):
    """A ``main()`` for the action path: reads the arguments ``patch_module_args`` gave, runs the
    action plugin's ``run()``, prints the result and exits 1 on failure, as a module does."""
    action_module = importlib.import_module('ansible_collections.directpath.firewall.plugins.action.%s' % module_name)

    def main():
        args = json.loads(basic._ANSIBLE_ARGS)['ANSIBLE_MODULE_ARGS']  # pylint: disable=protected-access
        check_mode = bool(args.pop('_ansible_check_mode', False))
        diff = bool(args.pop('_ansible_diff', False))
        for key in [key for key in args if key.startswith('_ansible_')]:
            args.pop(key)
        task = mock.Mock(args=args, check_mode=check_mode, diff=diff, async_val=0, action=module_name)
        connection = mock.Mock()
        connection._shell.tmpdir = None  # pylint: disable=protected-access
        action = action_module.ActionModule(task, connection, play_context=mock.Mock(), loader=None, templar=None,
                                            shared_loader_obj=None)
        result = action.run(task_vars={})
        print(json.dumps(result))
        raise SystemExit(1 if result.get('failed') else 0)

    return main


@pytest.fixture(autouse=True)
def execution_path(request, monkeypatch):
    """'module' or 'action' (see the module docstring); 'module' for a module without an action plugin."""
    module_name = _module_under_test(request.module)
    path = getattr(request, 'param', 'module')
    # Importing the action plugin (ansible-core's controller code) marks the whole process as the
    # controller, where module_utils' warn() goes to the display instead of the result.
    monkeypatch.setattr(module_utils_internal, 'is_controller', path == 'action')
    if path == 'action':
        module = importlib.import_module('ansible_collections.directpath.firewall.plugins.modules.%s' % module_name)
        monkeypatch.setattr(module, 'main', run_action_as_module(module_name))
    return path


@pytest.fixture(autouse=True)
def fresh_module_warnings():
    """ansible-core keeps a module's warnings in process-wide stores (one module run per process in real
    life); in one pytest process they would pile up from test to test, so each test starts empty."""
    from ansible.module_utils.common import warnings as module_warnings
    for store in ('_global_warnings', '_global_deprecations'):
        getattr(module_warnings, store).clear()
    yield
