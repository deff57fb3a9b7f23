# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""directpath.firewall.barracuda_udp_sessions in the controller's worker process, without a module process
(plugins/plugin_utils/engine_action.py). Options, documentation and results: the module."""

from __future__ import annotations

from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.udp_sessions import (
    UDP_SESSIONS_SPEC,
    VENDOR as MODULE_VENDOR,
    run_udp_sessions,
    workaround_of,
)
from ansible_collections.directpath.firewall.plugins.plugin_utils.engine_action import EngineAction


class ActionModule(EngineAction):
    SPEC = UDP_SESSIONS_SPEC
    VENDOR = MODULE_VENDOR
    WORKAROUND = staticmethod(workaround_of)
    BODY = staticmethod(run_udp_sessions)
