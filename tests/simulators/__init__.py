# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Device simulators for the directpath.firewall tests and demo.

``base`` holds the vendor-neutral parts (per-run CA, threaded HTTPS server, request
journal, fault injection, the ``/_sim/`` control API and its client), ``panos`` the
PAN-OS XML API simulator, ``fleet`` the launcher that starts a mix of simulators and
writes an Ansible inventory for them, and ``fakebox`` the pfSense/OPNsense fake boxes.
See docs/simulators.md.
"""
