# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Make Ansible's plugin loader find this collection under a bare pytest run too.

ansible-test units and pytest-ansible install Ansible's collection finder
themselves. A bare ``pytest`` with PYTHONPATH pointing at the directory that
holds ansible_collections/ does not, and then
``callback_loader.get('directpath.firewall.audit_report')`` returns None.
"""

from __future__ import annotations

import importlib.util
import os
import sys

from ansible.plugins.loader import init_plugin_loader
from ansible.utils.collection_loader import AnsibleCollectionConfig


def _collections_roots():
    spec = importlib.util.find_spec('ansible_collections')
    locations = list(spec.submodule_search_locations or []) if spec else []
    return [os.path.dirname(location) for location in locations
            if os.path.isdir(os.path.join(location, 'directpath', 'firewall'))]


if AnsibleCollectionConfig.collection_finder is None:
    # Modules imported as a plain namespace package before the finder existed would
    # shadow the finder's own packages (no collection metadata): forget them.
    for _name in [name for name in sys.modules if name == 'ansible_collections' or name.startswith('ansible_collections.')]:
        del sys.modules[_name]
    init_plugin_loader(_collections_roots())
