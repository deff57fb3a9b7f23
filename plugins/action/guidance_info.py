# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""directpath.firewall.guidance_info in the controller's worker process, without a module process
(plugins/plugin_utils/engine_action.py). Options, documentation and results: the module."""

from __future__ import annotations

from ansible_collections.directpath.firewall.plugins.module_utils.fleet.guidance import GUIDANCE_INFO_SPEC, NO_WORKAROUND, run_guidance_info
from ansible_collections.directpath.firewall.plugins.plugin_utils.engine_action import EngineAction


class ActionModule(EngineAction):
    SPEC = GUIDANCE_INFO_SPEC
    # The record names the vendor and workaround given ('unknown' / 'none' when not said), as the module's.
    VENDOR = staticmethod(lambda params: params['vendor'] or 'unknown')
    WORKAROUND = staticmethod(lambda params: params['workaround'] or NO_WORKAROUND)
    BODY = staticmethod(run_guidance_info)
