# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):
    """On-box options of every pfSense module (mirrors PfSense.spec in module_utils/clients/pfsense.py)."""

    DOCUMENTATION = r'''
options:
  config_path:
    description:
      - Path of the configuration file on the firewall.
      - Tests and the demo point it at a fake box.
    type: path
    default: /cf/conf/config.xml
  backup_dir:
    description:
      - Where the previous configuration is copied before a write, as C(config-<revision time>.xml),
        following pfSense's own C(backup_config()). Shown in Diagnostics > Backup & Restore > Config History.
    type: path
    default: /cf/conf/backup
  config_cache:
    description:
      - pfSense's cached parse of the configuration, removed after a write so PHP reads the new file.
    type: path
    default: /tmp/config.cache
  version_file:
    description: File holding the pfSense version (C(2.7.2-RELEASE), C(25.11-RELEASE)).
    type: path
    default: /etc/version
  apply_command:
    description:
      - Commands run in order after the configuration is written (split like a shell would, run without a shell).
      - A command that exits non-zero makes the module restore the previous configuration file, run the commands
        again for it, and fail.
      - Defaults to the product's own apply step for the module's setting (see the module's notes).
    type: list
    elements: str
  apply_timeout:
    description:
      - Seconds each apply command may run. On expiry its whole process group is killed, the previous configuration
        file is restored (when it still holds what the module wrote) and applied again, and the module fails.
    type: int
    default: 300
  lock_timeout:
    description:
      - Seconds to wait for the product's configuration lock, which the module holds from reading the configuration
        to the end of the apply so no other writer's change is lost. When another writer holds it longer, the module
        fails with cause C(lock) and changes nothing.
    type: int
    default: 60
  config_lock:
    description:
      - The lock file pfSense's own C(write_config()) takes (C(lock('config')) in C(util.inc)), held by the module
        around its whole read, write and apply.
    type: path
    default: /tmp/config.lock
notes:
  - These modules run on the firewall itself over Ansible's SSH connection (as pfsensible.core does), with the
    Python that pfSense ships. The SSH user needs to write O(config_path) and run PHP (root, or an admin account
    with sudo and C(become)).
'''
