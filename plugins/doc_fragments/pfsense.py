# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):
    """On-box options of every pfSense module (mirrors ONBOX_SPEC in module_utils/pfsense.py)."""

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
notes:
  - These modules run on the firewall itself over Ansible's SSH connection (as pfsensible.core does), with the
    Python that pfSense ships. The SSH user needs to write O(config_path) and run PHP (root, or an admin account
    with sudo and C(become)).
'''
