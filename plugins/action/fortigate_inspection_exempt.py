# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""directpath.firewall.fortigate_inspection_exempt in the controller's worker process, without a module process
(plugins/plugin_utils/engine_action.py). Options, documentation and results: the module."""

from __future__ import annotations

from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.inspection_exempt import (
    INSPECTION_EXEMPT_SPEC,
    VENDOR as MODULE_VENDOR,
    WORKAROUND as MODULE_WORKAROUND,
    run_inspection_exempt,
)
from ansible_collections.directpath.firewall.plugins.plugin_utils.engine_action import EngineAction


class ActionModule(EngineAction):
    SPEC = INSPECTION_EXEMPT_SPEC
    VENDOR = MODULE_VENDOR
    WORKAROUND = MODULE_WORKAROUND
    BODY = staticmethod(run_inspection_exempt)
