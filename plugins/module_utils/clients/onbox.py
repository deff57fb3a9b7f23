# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: clients. What pfSense and OPNsense share as products edited on the box: the product object's base.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/, transport/, other clients/ files.

One product object per product (:class:`..pfsense.PfSense`,
:class:`..opnsense.OpnSense`) answers everything a workaround must know about
the product: its name and label, the ACL rules of its UPnP page, how it writes
config.xml (convention, lock), how its version is read, how it stores the UPnP
settings and outbound NAT, and which commands apply a change. Workarounds take
the object, never a Python module or a display string.
"""

from __future__ import annotations

import re

from ansible_collections.directpath.firewall.plugins.module_utils.transport.configxml import (
    ConfigXml,
    ProductConvention,
    child_text,
    set_child_text,
)
from ansible_collections.directpath.firewall.plugins.module_utils.clients.miniupnpd import UpnpSettings
from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError

__all__ = [
    'OUR_MARK',
    'OnBoxProduct',
    'is_ours',
    'onbox_spec',
    'parse_version',
]

# Every object our modules create carries a description starting with this
# mark; an object is ours when, and only when, its description starts with it.
OUR_MARK = 'directpath.firewall: '


def is_ours(description: str | None) -> bool:
    """The one rule for "this rule/alias is ours" on both products."""
    return (description or '').startswith(OUR_MARK)


def parse_version(text: str, label: str) -> tuple:
    """'2.7.2-RELEASE' -> (2, 7, 2); '25.11-RELEASE' -> (25, 11); '24.1.10_8' -> (24, 1, 10)."""
    match = re.match(r'\s*([0-9]+)\.([0-9]+)(?:\.([0-9]+))?', text or '')
    if not match:
        raise DirectPathError('cannot read a %s version from %r' % (label, text), cause='unsupported')
    return tuple(int(part) for part in match.groups() if part is not None)


def onbox_spec(config_path: str, backup_dir: str, version_file: str, extra: dict | None = None) -> ArgumentSpec:
    """The on-box options of one product (mirrored by its doc fragment)."""
    options = dict(
        config_path=dict(type='path', default=config_path),
        backup_dir=dict(type='path', default=backup_dir),
        version_file=dict(type='path', default=version_file),
        apply_command=dict(type='list', elements='str'),
        apply_timeout=dict(type='int', default=300),
        lock_timeout=dict(type='int', default=60),
    )
    options.update(extra or {})
    return ArgumentSpec(argument_spec=options)


class OnBoxProduct(object):
    """A firewall product whose configuration is config.xml on the box (base of PfSense and OpnSense)."""

    #: vendor name in results and the audit report ('pfsense'), and how people write it ('pfSense')
    name = ''
    label = ''
    #: how the product writes config.xml
    convention: ProductConvention = None
    #: the on-box options (ArgumentSpec)
    spec: ArgumentSpec = None
    #: the UPnP page's ACL rules: smallest prefix length it accepts; ports must be plain digits
    acl_prefix_min = 1
    #: default apply commands, per workaround
    natpmp_apply: list = []
    static_port_apply: list = []
    upnp_path = 'installedpackages/miniupnpd/config'
    #: how the UPnP page stores a true boolean (false: the element is absent)
    upnp_true = 'on'

    # ---- version ---------------------------------------------------------------------------
    def version_text(self, path: str) -> str:
        """The product's version string from its version file (product specific)."""
        raise NotImplementedError

    def read_version(self, path: str) -> tuple:
        """``(text, tuple)`` of the version the box reports."""
        text = self.version_text(path)
        return text, parse_version(text, self.label)

    def _read_file(self, path: str) -> str:
        try:
            with open(path) as handle:
                return handle.read()
        except (IOError, OSError) as error:
            raise DirectPathError('cannot read the %s version from %s: %s' % (self.label, path, error), cause='input')

    # ---- config.xml ------------------------------------------------------------------------
    def lock_path(self, params: dict) -> str:
        """The file the product's configuration lock is taken on."""
        return params['config_path']

    def open_config(self, params: dict, api_calls=None) -> ConfigXml:
        return ConfigXml(params['config_path'], self.convention, params['backup_dir'], params.get('config_cache'),
                         api_calls, lock_path=self.lock_path(params), lock_timeout=params.get('lock_timeout', 60))

    def apply_commands(self, params: dict, workaround: str) -> list:
        if params.get('apply_command') is not None:
            return params['apply_command']
        return list(self.natpmp_apply if workaround == 'natpmp' else self.static_port_apply)

    # ---- UPnP & NAT-PMP (miniupnpd) ----------------------------------------------------------
    def read_upnp(self, config: ConfigXml):
        raise NotImplementedError

    def write_upnp(self, config: ConfigXml, settings) -> None:
        raise NotImplementedError

    def upnp_flag(self, node, tag: str) -> bool:
        """One boolean of the UPnP page, read the way the product's own code reads it."""
        raise NotImplementedError

    _UPNP_FLAGS = ('enable', 'enable_upnp', 'enable_natpmp', 'permdefault')

    def read_upnp_fields(self, node, **extra) -> UpnpSettings:
        """The settings both products store alike (booleans, interfaces); the ACL is product specific."""
        flags = dict((name, self.upnp_flag(node, name)) for name in self._UPNP_FLAGS)
        return UpnpSettings(ext_iface=child_text(node, 'ext_iface', ''),
                            iface_array=[item for item in (child_text(node, 'iface_array', '') or '').split(',') if item],
                            **dict(flags, **extra))

    def write_upnp_fields(self, node, settings: UpnpSettings) -> None:
        for name in self._UPNP_FLAGS:
            set_child_text(node, name, self.upnp_true if getattr(settings, name) else None)
        set_child_text(node, 'ext_iface', settings.ext_iface)
        set_child_text(node, 'iface_array', ','.join(settings.iface_array))

    # ---- outbound NAT (nat/outbound) ---------------------------------------------------------
    def nat_mode(self, config: ConfigXml) -> str:
        """The outbound NAT mode; a config without one is in automatic mode (both products' default)."""
        return child_text(config.find('nat/outbound'), 'mode', 'automatic') or 'automatic'

    def set_nat_mode(self, config: ConfigXml, mode: str) -> None:
        if mode == self.nat_mode(config) and config.find('nat/outbound/mode') is None:
            return
        set_child_text(config.ensure('nat/outbound'), 'mode', mode)

    def outbound_rules(self, config: ConfigXml) -> list:
        outbound = config.find('nat/outbound')
        return [] if outbound is None else outbound.findall('rule')
