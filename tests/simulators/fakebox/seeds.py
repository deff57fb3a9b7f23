# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Seed config.xml files for the fake pfSense and OPNsense boxes.

Shapes:
* pfSense: pfsensible/core tests/unit/plugins/modules/fixtures/
  pfsense_nat_outbound.xml (root <pfsense>, <version>, <system>, <interfaces>
  wan/lan/optN with <if>/<ipaddr>/<subnet>, <nat><outbound><mode>/<rule>,
  <aliases>, <revision>, <installedpackages>), plus the miniupnpd section in
  the shape pfsense/pfsense src/usr/local/pkg/miniupnpd.xml stores (booleans
  "on", ACL rows as row/permuser).
* OPNsense: root <opnsense>, the same legacy sections (opnsense/core
  src/www/firewall_nat_out_edit.php stores nat/outbound/rule), the MVC
  <OPNsense><Firewall><Filter version="1.0.5"><snatrules> node (models/OPNsense/
  Firewall/Filter.xml) and the os-upnp section (opnsense/plugins net/upnp
  services_upnp.php: booleans "1", flat permuser1..N).

The templates are in templates/ (pfsense-config.xml, opnsense-config.xml).

Addresses: WAN in 203.0.113.0/24 (RFC 5737 documentation range), inside
networks in 198.18.0.0/15 (RFC 2544 benchmarking range). Nothing is routed.
"""

from __future__ import annotations

import os

# A user's pre-existing NAT-PMP ACL line and outbound rule: the modules must
# leave both where they are.
USER_ACL = 'allow 2000-2100 198.18.20.50/32 2000-2100'
USER_OUTBOUND_DESCR = 'VoIP phones: static port for SIP'

PFSENSE_INTERFACES = {
    'wan': {'if': 'vtnet0', 'descr': 'WAN', 'ipaddr': '203.0.113.2', 'subnet': '24', 'mac': '52:54:00:5e:00:10'},
    'lan': {'if': 'vtnet1', 'descr': 'LAN', 'ipaddr': '198.18.10.1', 'subnet': '24', 'mac': '52:54:00:5e:00:11'},
    'opt1': {'if': 'vtnet2', 'descr': 'DMZ', 'ipaddr': '198.18.20.1', 'subnet': '24', 'mac': '52:54:00:5e:00:12'},
}

OPNSENSE_INTERFACES = {
    'wan': {'if': 'vtnet0', 'descr': 'WAN', 'ipaddr': '203.0.113.3', 'subnet': '24', 'mac': '52:54:00:5e:01:10'},
    'lan': {'if': 'vtnet1', 'descr': 'LAN', 'ipaddr': '198.18.30.1', 'subnet': '24', 'mac': '52:54:00:5e:01:11'},
    'opt1': {'if': 'vtnet2', 'descr': 'DMZ', 'ipaddr': '198.18.40.1', 'subnet': '24', 'mac': '52:54:00:5e:01:12'},
}


TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'templates')


def _template(name):
    with open(os.path.join(TEMPLATES, name)) as handle:
        return handle.read()


def _interfaces_xml(interfaces, indent):
    out = []
    for name, data in interfaces.items():
        out.append('%s<%s>' % (indent, name))
        out.append('%s\t<enable></enable>' % indent if indent.startswith('\t') else '%s  <enable>1</enable>' % indent)
        step = '\t' if indent.startswith('\t') else '  '
        for key in ('if', 'descr', 'ipaddr', 'subnet'):
            out.append('%s%s<%s>%s</%s>' % (indent, step, key, data[key], key))
        if name == 'wan':
            out.append('%s%s<gateway>WAN_GW</gateway>' % (indent, step))
            out.append('%s%s<blockpriv></blockpriv>' % (indent, step) if step == '\t' else '%s%s<blockpriv>1</blockpriv>' % (indent, step))
        out.append('%s</%s>' % (indent, name))
    return '\n'.join(out)


def pfsense_config(nat_mode='automatic', interfaces=None):
    return _template('pfsense-config.xml') % {
        'interfaces': _interfaces_xml(interfaces or PFSENSE_INTERFACES, '\t\t'),
        'nat_mode': nat_mode, 'user_acl': USER_ACL, 'user_descr': USER_OUTBOUND_DESCR,
    }


def opnsense_config(nat_mode='automatic', interfaces=None):
    return _template('opnsense-config.xml') % {
        'interfaces': _interfaces_xml(interfaces or OPNSENSE_INTERFACES, '    '),
        'nat_mode': nat_mode, 'user_acl': USER_ACL.replace('198.18.20.50', '198.18.40.50'), 'user_descr': USER_OUTBOUND_DESCR,
    }
