# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: clients. The product-neutral model of miniupnpd's settings, as pfSense and OPNsense store them.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/, transport/. Both products' clients translate their
``installedpackages/miniupnpd/config`` to and from :class:`UpnpSettings`.
"""

from __future__ import annotations

__all__ = [
    'UpnpSettings',
]


class UpnpSettings(object):
    """The product-neutral view of installedpackages/miniupnpd/config."""

    FIELDS = ('enable', 'enable_upnp', 'enable_natpmp', 'permdefault', 'ext_iface', 'iface_array', 'acl', 'num_permuser')

    def __init__(self, enable=False, enable_upnp=False, enable_natpmp=False, permdefault=False, ext_iface='',
                 iface_array=None, acl=None, num_permuser=None):
        self.enable = enable
        self.enable_upnp = enable_upnp
        self.enable_natpmp = enable_natpmp
        self.permdefault = permdefault
        self.ext_iface = ext_iface
        self.iface_array = list(iface_array or [])
        self.acl = list(acl or [])
        # OPNsense only: how many permuserN fields the product reads (None on pfSense).
        self.num_permuser = num_permuser

    def copy(self):
        return UpnpSettings(**self.as_dict())

    def is_empty(self) -> bool:
        """Nothing switched on, listed or chosen (what a section nobody configured holds)."""
        return not (self.enable or self.enable_upnp or self.enable_natpmp or self.permdefault or self.ext_iface
                    or self.iface_array or self.acl)

    def as_dict(self):
        return dict((name, getattr(self, name)) for name in self.FIELDS)
