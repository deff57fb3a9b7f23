# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: workarounds. Input checks the pfSense and OPNsense workarounds share, as strict as the products' pages.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/, transport/, clients/ and other workarounds/ files.

Every check fails with cause ``input`` and a message naming the option and the
value, in check mode too, before anything is written.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError

__all__ = [
    'check_interface_names',
    'parse_host_addresses',
    'parse_port_range',
    'port_or_range_ok',
]

_PORT = re.compile(r'^[0-9]{1,5}$')
_INTERFACE_NAME = re.compile(r'^[A-Za-z0-9_.-]+$')
_ADDRESS = re.compile(r'^[0-9a-fA-F:./]+$')


def port_or_range_ok(text: str, allow_zero: bool = True) -> bool:
    """The products' port-or-range check: ASCII digits only, 0 (or 1) to 65535.

    Python's ``isdigit`` also accepts '²' or Arabic-Indic digits, which neither
    product's PHP check does.
    """
    parts = text.split('-')
    if len(parts) > 2:
        return False
    for part in parts:
        if not _PORT.match(part):
            return False
        if not (0 if allow_zero else 1) <= int(part) <= 65535:
            return False
    return True


def parse_port_range(option: str, value) -> str:
    """``value`` as a port or ascending range 1-65535, or a failure naming ``option``."""
    text = str(value)
    if not port_or_range_ok(text, allow_zero=False):
        raise DirectPathError('%s: %r is not a port or range 1-65535 (ASCII digits, e.g. 1024-65535)' % (option, value),
                              cause='input')
    parts = [int(part) for part in text.split('-')]
    if len(parts) == 2 and parts[0] > parts[1]:
        raise DirectPathError('%s: %r is a reversed range; write the lower port first' % (option, value), cause='input')
    return text


def check_interface_names(option: str, names: list, config) -> None:
    """Fail unless every name is an interface the configuration defines.

    A name with a comma would be split by the product (it stores lists as
    ``lan,opt1``), so it is refused before it could name WAN.
    """
    existing = config.interfaces()
    for name in names:
        if not _INTERFACE_NAME.match(str(name)):
            raise DirectPathError('%s: %r is not an interface name (one config.xml interface name per item, such as '
                                  'lan or opt1)' % (option, name), cause='input')
        if name not in existing:
            raise DirectPathError('%s: this firewall has no interface %r; its interfaces are: %s' % (
                option, name, ', '.join(existing) or 'none'), cause='input')


def parse_host_addresses(values, ipv4_only: bool, required: bool = True, single_because: str = '',
                         ipv4_because: str = '') -> list:
    """The Tailscale hosts as single addresses (ipaddress networks of one address), in order, duplicates dropped.

    Refused: anything but an address (a name, a scoped IPv6 address such as
    ``fe80::1%eth0``: neither product accepts a zone), a network
    (``single_because`` says why one address), IPv6 when ``ipv4_only``
    (``ipv4_because`` says why), and an empty list when ``required``.
    """
    hosts = []
    for value in values or []:
        text = str(value).strip()
        if '%' in text:
            raise DirectPathError('tailscale_hosts: %r has an IPv6 zone (%%...); give the address without it (a '
                                  'link-local address cannot be a NAT source or a mapping client anyway)' % (value,),
                                  cause='input')
        if not _ADDRESS.match(text):
            raise DirectPathError('tailscale_hosts: %r is not an IP address' % (value,), cause='input')
        try:
            network = ipaddress.ip_network(text, strict=True)
        except ValueError:
            raise DirectPathError('tailscale_hosts: %r is not an IP address' % (value,), cause='input')
        if ipv4_only and network.version != 4:
            raise DirectPathError('tailscale_hosts: %s is IPv6; %s' % (value, ipv4_because), cause='input')
        if network.num_addresses != 1:
            raise DirectPathError('tailscale_hosts: %s is a network; %s' % (value, single_because), cause='input')
        if network not in hosts:
            hosts.append(network)
    if required and not hosts:
        raise DirectPathError('tailscale_hosts: at least one address is needed', cause='input')
    return hosts
