# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run a module's ``main()`` in the test process, as Ansible would run the module, and read its result.

``main`` is looked up on the module at call time, so conftest.py's action path (which replaces it
with the action plugin) is honoured.
"""

from __future__ import annotations

import json

import pytest

from ansible.module_utils.testing import patch_module_args

__all__ = ['module_runners']


def module_runners(module):
    """``(run_module, run_module_output)`` for one module.

    ``run_module_output(capsys, args, check_mode=False, diff=True)`` returns the result and the raw
    output (for "this secret never appears" checks); ``run_module`` only the result.
    """

    def run_module_output(capsys, args, check_mode=False, diff=True):
        module_args = dict(args)
        module_args['_ansible_check_mode'] = check_mode
        module_args['_ansible_diff'] = diff
        with patch_module_args(module_args):
            with pytest.raises(SystemExit):
                module.main()
        out = capsys.readouterr().out
        return json.loads(out), out

    def run_module(capsys, args, check_mode=False, diff=True):
        return run_module_output(capsys, args, check_mode, diff)[0]

    return run_module, run_module_output
