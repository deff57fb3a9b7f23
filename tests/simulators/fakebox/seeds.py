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


# ---- field-shaped files ----------------------------------------------------------------------------------
#
# What real boxes hold and the templates above do not: no UPnP section (the package or plugin never
# configured), no <revision> (a file restored from a factory default or written by an old release:
# pfsense/pfsense src/conf.default/config.xml has none), no <nat> section (both products' factory files
# start in automatic mode without one), a DHCP WAN (<ipaddr>dhcp</ipaddr>, as both factory files ship),
# an interface without an address, VLAN devices (<vlans><vlan> with <if>/<tag>/<vlanif>, interfaces on
# igb1.20), and both empty-element styles. OPNsense (opnsense/core src/etc/config.xml.sample and a
# 24.x/25.x box): the virtual lo0 and openvpn interface entries (<internal_dynamic>, <virtual>, <type>).

PFSENSE_FIELD = '''<?xml version="1.0"?>
<pfsense>
\t<version>21.7</version>
\t<lastchange/>
\t<system>
\t\t<optimization>normal</optimization>
\t\t<hostname>pfSense</hostname>
\t\t<domain>home.arpa</domain>
\t\t<group>
\t\t\t<name>admins</name>
\t\t\t<description><![CDATA[System Administrators]]></description>
\t\t\t<scope>system</scope>
\t\t\t<gid>1999</gid>
\t\t\t<member>0</member>
\t\t\t<priv>page-all</priv>
\t\t</group>
\t\t<user>
\t\t\t<name>admin</name>
\t\t\t<descr><![CDATA[System Administrator &amp; owner]]></descr>
\t\t\t<scope>system</scope>
\t\t\t<groupname>admins</groupname>
\t\t\t<bcrypt-hash>$2y$10$13ZbTeKBRmDK1bu1ONNYIuGKdd1qvtLmJ2dZ0Vs3mADpm7nHW1X1e</bcrypt-hash>
\t\t\t<uid>0</uid>
\t\t\t<priv>user-shell-access</priv>
\t\t</user>
\t\t<webgui>
\t\t\t<protocol>https</protocol>
\t\t\t<loginautocomplete></loginautocomplete>
\t\t</webgui>
\t\t<disablenatreflection>yes</disablenatreflection>
\t\t<timezone>Etc/UTC</timezone>
\t</system>
\t<interfaces>
\t\t<wan>
\t\t\t<enable></enable>
\t\t\t<if>igb0</if>
\t\t\t<ipaddr>dhcp</ipaddr>
\t\t\t<ipaddrv6>dhcp6</ipaddrv6>
\t\t\t<blockpriv/>
\t\t\t<blockbogons></blockbogons>
\t\t\t<media></media>
\t\t\t<mediaopt></mediaopt>
\t\t\t<dhcp6-ia-pd-len>0</dhcp6-ia-pd-len>
\t\t</wan>
\t\t<lan>
\t\t\t<enable></enable>
\t\t\t<if>igb1</if>
\t\t\t<descr><![CDATA[LAN]]></descr>
\t\t\t<ipaddr>198.18.50.1</ipaddr>
\t\t\t<subnet>24</subnet>
\t\t</lan>
\t\t<opt1>
\t\t\t<descr><![CDATA[IOT]]></descr>
\t\t\t<if>igb1.20</if>
\t\t\t<enable></enable>
\t\t\t<ipaddr>198.18.60.1</ipaddr>
\t\t\t<subnet>24</subnet>
\t\t</opt1>
\t\t<opt2>
\t\t\t<descr><![CDATA[SPARE]]></descr>
\t\t\t<if>igb2</if>
\t\t</opt2>
\t</interfaces>
\t<vlans>
\t\t<vlan>
\t\t\t<if>igb1</if>
\t\t\t<tag>20</tag>
\t\t\t<pcp></pcp>
\t\t\t<descr><![CDATA[IoT &lt;untrusted&gt;]]></descr>
\t\t\t<vlanif>igb1.20</vlanif>
\t\t</vlan>
\t</vlans>
\t<staticroutes></staticroutes>
\t<dhcpd>
\t\t<lan>
\t\t\t<enable></enable>
\t\t\t<range>
\t\t\t\t<from>198.18.50.100</from>
\t\t\t\t<to>198.18.50.199</to>
\t\t\t</range>
\t\t</lan>
\t</dhcpd>
\t<filter>
\t\t<rule>
\t\t\t<type>pass</type>
\t\t\t<interface>lan</interface>
\t\t\t<ipprotocol>inet</ipprotocol>
\t\t\t<descr><![CDATA[Default allow LAN to any rule]]></descr>
\t\t\t<source>
\t\t\t\t<network>lan</network>
\t\t\t</source>
\t\t\t<destination>
\t\t\t\t<any></any>
\t\t\t</destination>
\t\t</rule>
\t</filter>
\t<installedpackages>
\t\t<package>
\t\t\t<name>Open-VM-Tools</name>
\t\t\t<descr><![CDATA[VMware Tools &amp; drivers]]></descr>
\t\t\t<version>10.1.0_5,1</version>
\t\t</package>
\t</installedpackages>
</pfsense>
'''

OPNSENSE_FIELD = '''<?xml version="1.0"?>
<opnsense>
  <theme>opnsense</theme>
  <sysctl version="1.0.0" persisted_at="1714000000.00">
    <item>
      <descr>Increase UFS read-ahead speeds to match the state of hard drives and NCQ.</descr>
      <tunable>vfs.read_max</tunable>
      <value>default</value>
    </item>
  </sysctl>
  <system>
    <optimization>normal</optimization>
    <hostname>OPNsense</hostname>
    <domain>localdomain</domain>
    <group>
      <name>admins</name>
      <description>System Administrators</description>
      <scope>system</scope>
      <gid>1999</gid>
      <member>0</member>
      <priv>page-all</priv>
    </group>
    <user>
      <name>root</name>
      <descr>System Administrator &amp; owner</descr>
      <scope>system</scope>
      <groupname>admins</groupname>
      <uid>0</uid>
    </user>
    <webgui>
      <protocol>https</protocol>
    </webgui>
    <timezone>Etc/UTC</timezone>
  </system>
  <interfaces>
    <wan>
      <enable>1</enable>
      <if>vtnet0</if>
      <mtu/>
      <ipaddr>dhcp</ipaddr>
      <ipaddrv6>dhcp6</ipaddrv6>
      <subnet/>
      <gateway/>
      <blockpriv>1</blockpriv>
      <blockbogons>1</blockbogons>
      <dhcphostname/>
      <media/>
      <mediaopt/>
    </wan>
    <lan>
      <enable>1</enable>
      <if>vtnet1</if>
      <ipaddr>198.18.70.1</ipaddr>
      <subnet>24</subnet>
      <ipaddrv6>track6</ipaddrv6>
      <subnetv6/>
      <media/>
      <mediaopt/>
      <track6-interface>wan</track6-interface>
      <track6-prefix-id>0</track6-prefix-id>
    </lan>
    <opt1>
      <if>vlan0.30</if>
      <descr>GUEST</descr>
      <enable>1</enable>
      <ipaddr>198.18.80.1</ipaddr>
      <subnet>24</subnet>
    </opt1>
    <lo0>
      <internal_dynamic>1</internal_dynamic>
      <descr>Loopback</descr>
      <enable>1</enable>
      <if>lo0</if>
      <ipaddr>127.0.0.1</ipaddr>
      <ipaddrv6>::1</ipaddrv6>
      <subnet>8</subnet>
      <subnetv6>128</subnetv6>
      <type>none</type>
      <virtual>1</virtual>
    </lo0>
    <openvpn>
      <internal_dynamic>1</internal_dynamic>
      <enable>1</enable>
      <if>openvpn</if>
      <descr>OpenVPN</descr>
      <type>group</type>
      <virtual>1</virtual>
      <networks/>
    </openvpn>
  </interfaces>
  <vlans version="1.0.0" persisted_at="1714000000.00">
    <vlan uuid="1f5c2b0e-7a1d-4c3e-9b8a-0d6e5f4a3b21">
      <if>vtnet1</if>
      <tag>30</tag>
      <pcp>0</pcp>
      <proto/>
      <descr>guest &lt;wifi&gt;</descr>
      <vlanif>vlan0.30</vlanif>
    </vlan>
  </vlans>
  <OPNsense>
    <Firewall>
      <Filter version="1.0.4">
        <rules/>
        <snatrules/>
        <npt/>
        <onetoone/>
      </Filter>
    </Firewall>
  </OPNsense>
  <revision>
    <username>(system)</username>
    <time>1714000000.1234</time>
    <description>/usr/local/etc/rc.bootup made changes</description>
  </revision>
</opnsense>
'''


def field_config(product):
    """A config.xml shaped like a real box of ``product`` (see the note above)."""
    return PFSENSE_FIELD if product == 'pfsense' else OPNSENSE_FIELD
