# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):
    """On-box options of every OPNsense module (mirrors OpnSense.spec in module_utils/clients/opnsense.py)."""

    DOCUMENTATION = r'''
options:
  config_path:
    description:
      - Path of the configuration file on the firewall.
      - Tests and the demo point it at a fake box.
    type: path
    default: /conf/config.xml
  backup_dir:
    description:
      - Where a copy of each written configuration is kept as C(config-<revision time>.xml), following OPNsense's
        own C(OPNsense\Core\Config::backup()). Shown in System > Configuration > History.
    type: path
    default: /conf/backup
  version_file:
    description:
      - JSON file with the product version (C(product_version)), the one C(opnsense-version) reads.
    type: path
    default: /usr/local/opnsense/version/core
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
notes:
  - These modules run on the firewall itself over Ansible's SSH connection, with the Python that OPNsense ships.
    The SSH user needs to write O(config_path) and run PHP and C(configctl) (root, or a user with sudo and C(become)).
'''
