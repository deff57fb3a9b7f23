# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""directpath.firewall.panos_persistent_dipp in the controller's worker process, without a module process
(plugins/plugin_utils/engine_action.py). Options, documentation and results: the module."""

from __future__ import annotations

from ansible_collections.directpath.firewall.plugins.module_utils.clients.panos import HAS_PANOS
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.persistent_dipp import (
    PERSISTENT_DIPP_SPEC,
    VENDOR as MODULE_VENDOR,
    WORKAROUND as MODULE_WORKAROUND,
    run_persistent_dipp,
)
from ansible_collections.directpath.firewall.plugins.plugin_utils.engine_action import EngineAction


class ActionModule(EngineAction):
    SPEC = PERSISTENT_DIPP_SPEC
    VENDOR = MODULE_VENDOR
    WORKAROUND = MODULE_WORKAROUND
    BODY = staticmethod(run_persistent_dipp)
    REQUIRES = (('pan-os-python', HAS_PANOS),)
    REQUIRED_INPUT = (('rules', 'tailscale_hosts'),
                      '{host}: set directpath_tailscale_hosts (the Tailscale nodes behind this firewall; it selects the NAT '
                      'rules that translate them) or panos_nat_rules (the NAT rules to change) in the inventory '
                      '(module options tailscale_hosts or rules)')
