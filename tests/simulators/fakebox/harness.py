# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run an on-box module in-process against a fake box (unit tests)."""

from __future__ import annotations

import contextlib
import io
import json

from ansible.module_utils.testing import patch_module_args

__all__ = ['run_module']


def run_module(module, args, check_mode=False, diff=True):
    """Run ``module.main()`` with ``args``; return its result dict (``failed`` set when it failed)."""
    args = dict(args)
    args['_ansible_check_mode'] = check_mode
    args['_ansible_diff'] = diff
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        try:
            module.main()
        except SystemExit:
            pass
    return json.loads(out.getvalue())
