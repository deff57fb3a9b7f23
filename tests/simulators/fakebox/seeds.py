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

Addresses: WAN in 203.0.113.0/24 (RFC 5737 documentation range), inside
networks in 198.18.0.0/15 (RFC 2544 benchmarking range). Nothing is routed.
"""

from __future__ import annotations

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


PFSENSE_CONFIG = '''<?xml version="1.0"?>
<pfsense>
	<version>23.3</version>
	<lastchange></lastchange>
	<system>
		<optimization>normal</optimization>
		<hostname>fw-branch</hostname>
		<domain>example.net</domain>
		<webgui>
			<protocol>https</protocol>
			<port>8443</port>
			<ssl-certref>65a1b2c3d4e5f</ssl-certref>
		</webgui>
		<backupcount>30</backupcount>
		<timezone>Etc/UTC</timezone>
	</system>
	<interfaces>
%(interfaces)s
	</interfaces>
	<aliases>
		<alias>
			<name>voip_phones</name>
			<type>host</type>
			<address>198.18.20.50</address>
			<descr>Desk phones</descr>
			<detail>phone-1</detail>
		</alias>
	</aliases>
	<nat>
		<outbound>
			<mode>%(nat_mode)s</mode>
			<rule>
				<source>
					<network>voip_phones</network>
				</source>
				<sourceport></sourceport>
				<descr>%(user_descr)s</descr>
				<target></target>
				<target_subnet></target_subnet>
				<interface>wan</interface>
				<poolopts></poolopts>
				<source_hash_key></source_hash_key>
				<staticnatport></staticnatport>
				<protocol>udp</protocol>
				<dstport>5060</dstport>
				<destination>
					<any></any>
				</destination>
				<created>
					<time>1700000000</time>
					<username>admin@198.18.10.20 (Local Database)</username>
				</created>
				<updated>
					<time>1700000000</time>
					<username>admin@198.18.10.20 (Local Database)</username>
				</updated>
			</rule>
		</outbound>
	</nat>
	<gateways>
		<gateway_item>
			<interface>wan</interface>
			<gateway>203.0.113.1</gateway>
			<name>WAN_GW</name>
			<ipprotocol>inet</ipprotocol>
			<descr>Uplink</descr>
		</gateway_item>
	</gateways>
	<installedpackages>
		<miniupnpd>
			<config>
				<ext_iface>wan</ext_iface>
				<iface_array>lan</iface_array>
				<row>
					<permuser>%(user_acl)s</permuser>
				</row>
			</config>
		</miniupnpd>
	</installedpackages>
	<revision>
		<time>1700000100</time>
		<description>admin@198.18.10.20 (Local Database): Firewall: NAT: Outbound - saved outbound NAT settings.</description>
		<username>admin@198.18.10.20 (Local Database)</username>
	</revision>
</pfsense>
'''

OPNSENSE_CONFIG = '''<?xml version="1.0"?>
<opnsense>
  <version>1.0.0</version>
  <theme>opnsense</theme>
  <system>
    <hostname>fw-hq</hostname>
    <domain>example.net</domain>
    <webgui>
      <protocol>https</protocol>
    </webgui>
    <timezone>Etc/UTC</timezone>
  </system>
  <interfaces>
%(interfaces)s
  </interfaces>
  <nat>
    <outbound>
      <mode>%(nat_mode)s</mode>
      <rule>
        <descr>%(user_descr)s</descr>
        <interface>wan</interface>
        <ipprotocol>inet</ipprotocol>
        <target/>
        <targetip_subnet>0</targetip_subnet>
        <staticnatport>1</staticnatport>
        <sourceport/>
        <protocol>udp</protocol>
        <dstport>5060</dstport>
        <source>
          <network>198.18.40.50/32</network>
        </source>
        <destination>
          <any>1</any>
        </destination>
      </rule>
    </outbound>
  </nat>
  <OPNsense>
    <Firewall>
      <Filter version="1.0.5">
        <rules/>
        <snatrules/>
        <npt/>
        <onetoone/>
      </Filter>
    </Firewall>
  </OPNsense>
  <installedpackages>
    <miniupnpd>
      <config>
        <ext_iface>wan</ext_iface>
        <iface_array>lan</iface_array>
        <permuser1>%(user_acl)s</permuser1>
        <permuser2/>
        <permuser3/>
        <permuser4/>
        <permuser5/>
        <permuser6/>
        <permuser7/>
        <permuser8/>
        <upnp_igd_compat>igdv1</upnp_igd_compat>
      </config>
    </miniupnpd>
  </installedpackages>
  <revision>
    <username>root@198.18.30.20</username>
    <description>/services_upnp.php made changes</description>
    <time>1700000200.25</time>
  </revision>
</opnsense>
'''


def pfsense_config(nat_mode='automatic', interfaces=None):
    return PFSENSE_CONFIG % {
        'interfaces': _interfaces_xml(interfaces or PFSENSE_INTERFACES, '\t\t'),
        'nat_mode': nat_mode, 'user_acl': USER_ACL, 'user_descr': USER_OUTBOUND_DESCR,
    }


def opnsense_config(nat_mode='automatic', interfaces=None):
    return OPNSENSE_CONFIG % {
        'interfaces': _interfaces_xml(interfaces or OPNSENSE_INTERFACES, '    '),
        'nat_mode': nat_mode, 'user_acl': USER_ACL.replace('198.18.20.50', '198.18.40.50'), 'user_descr': USER_OUTBOUND_DESCR,
    }
