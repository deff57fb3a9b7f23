# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A strict, stateful simulator of the PAN-OS XML API (``/api/``), as a firewall answers it.

It is built to be driven by the real client stack the collection uses: pan-os-python 1.13.1
(``panos``) over pan-python 0.17.0 (``pan.xapi``). Sources are cited next to each shape with these
short names:

* [xapi] pan-python 0.17.0 ``lib/pan/xapi.py`` (kevinsteves/pan-python)
* [base] pan-os-python 1.13.1 ``panos/base.py``, [fw] ``panos/firewall.py``,
  [pol] ``panos/policies.py`` (PaloAltoNetworks/pan-os-python, commit 92ed648)
* [pango] PaloAltoNetworks/pango: ``errors/panos_test.go`` and ``client_test.go`` (fixtures of real
  device answers, commit b2397ac)
* [codes] PAN-OS XML API error codes,
  https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-panorama-api/get-started-with-the-pan-os-xml-api/pan-os-xml-api-error-codes
* [commit-doc] https://docs.paloaltonetworks.com/ngfw/api/pan-os-xml-api-request-types-and-actions/commit
* [nat-doc] PAN-OS 11.2 web interface help, "NAT Translated Packet Tab" (Persistent Dynamic IP and
  Port, PAN-OS 11.1.1 and later),
  https://docs.paloaltonetworks.com/ngfw/help/11-2/policies/policies-nat/nat-translated-packet-tab
* [field] captures of real devices in public issue threads: o5edaxi/paloversion#7,
  PaloAltoNetworks/pan-os-php#336, cdot65/pan-os-upgrade#139, PaloAltoNetworks/AWS-GWLB-VMSeries#20

Shapes marked INFERRED were not found in a primary source; docs/simulators.md lists them.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import ipaddress
import re
import secrets
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from ansible_collections.directpath.firewall.tests.simulators.base import (
    AUTH, OTHER, READ, WRITE, DeviceSimulator, Response,
)

__all__ = [
    'DEVICE_XPATH',
    'NAT_RULES_XPATH',
    'PERSISTENT_DIPP_SINCE',
    'PanosSimulator',
    'VSYS_XPATH',
    'default_config',
    'parse_version',
]

# Default device and vsys roots: [base] PanDevice.xpath_device(), [fw] Firewall.xpath_vsys() via
# _root_xpath_vsys(); NAT rules: [pol] NatRule (ROOT=VSYS, profile "/nat/rules") under Rulebase "/rulebase".
DEVICE_XPATH = "/config/devices/entry[@name='localhost.localdomain']"
VSYS_XPATH = DEVICE_XPATH + "/vsys/entry[@name='vsys1']"
NAT_RULES_XPATH = VSYS_XPATH + '/rulebase/nat/rules'

# [nat-doc]: per-rule Persistent Dynamic IP and Port exists from PAN-OS 11.1.1.
PERSISTENT_DIPP_SINCE = (11, 1, 1)
PERSISTENT_DIPP = 'persistent-dynamic-ip-and-port'

# [xapi] __set_response accepts "application/xml" with or without charset=utf-8.
XML_CONTENT_TYPE = 'application/xml; charset=UTF-8'
HTML_CONTENT_TYPE = 'text/html'

API_PATHS = ('/api', '/api/')


def parse_version(text):
    """'11.1.2-h3' -> (11, 1, 2), the way [base] _set_version_and_version_info splits it."""
    tokens = str(text).split('.')[:3]
    if len(tokens) < 3:
        raise ValueError('PAN-OS version %r needs three dot-separated parts' % (text,))
    tokens[2] = tokens[2].split('-')[0]
    return tuple(int(token) for token in tokens)


# --------------------------------------------------------------------------------------------------
# Seed configuration
# --------------------------------------------------------------------------------------------------
def default_config(sw_version='11.1.2', hostname='pa-sim'):
    """A small but realistic firewall configuration (candidate = running at start).

    Zones trust/untrust/dmz on ethernet1/2, ethernet1/1 and ethernet1/3; address objects for two
    Tailscale nodes and the static address group ``tailscale-nodes`` holding them. NAT rules, in
    rulebase order (first match wins, as on the device):

    * ``guest-out``: disabled, source any, dynamic IP and port: someone else's rule that must be
      skipped because it is disabled;
    * ``ts-egress``: source the address group, dynamic IP and port on ethernet1/1's address: the
      rule that translates the Tailscale nodes' traffic (the one the workaround changes);
    * ``lan-out``: trust -> untrust, source any, dynamic IP and port: every other LAN host;
    * ``dmz-static``: a static 1:1 NAT that must never be touched.

    PAN-OS NAT rules have no negated source ([pol] NatRule has no ``negate_source``, unlike
    SecurityRule), so none is modelled: the schema check rejects ``negate-source`` in a NAT rule.
    Element names follow [pol] NatRule._setup and the default device/vsys entries of [base]/[fw].
    """
    major, minor, _patch = parse_version(sw_version)
    return """<config version="{major}.{minor}.0" urldb="paloaltonetworks">
  <mgt-config>
    <users>
      <entry name="admin"><permissions><role-based><superuser>yes</superuser></role-based></permissions></entry>
    </users>
  </mgt-config>
  <shared>
    <address>
      <entry name="dns-resolver"><ip-netmask>198.51.100.53</ip-netmask></entry>
    </address>
  </shared>
  <devices>
    <entry name="localhost.localdomain">
      <deviceconfig>
        <system><hostname>{hostname}</hostname><type><static/></type></system>
      </deviceconfig>
      <network>
        <interface>
          <ethernet>
            <entry name="ethernet1/1"><layer3><ip><entry name="203.0.113.1/24"/></ip></layer3><comment>uplink</comment></entry>
            <entry name="ethernet1/2"><layer3><ip><entry name="10.0.0.1/24"/></ip></layer3><comment>lan</comment></entry>
            <entry name="ethernet1/3"><layer3><ip><entry name="192.0.2.1/24"/></ip></layer3><comment>dmz</comment></entry>
          </ethernet>
        </interface>
        <virtual-router>
          <entry name="default">
            <interface><member>ethernet1/1</member><member>ethernet1/2</member><member>ethernet1/3</member></interface>
          </entry>
        </virtual-router>
      </network>
      <vsys>
        <entry name="vsys1">
          <import>
            <network>
              <interface><member>ethernet1/1</member><member>ethernet1/2</member><member>ethernet1/3</member></interface>
            </network>
          </import>
          <zone>
            <entry name="trust"><network><layer3><member>ethernet1/2</member></layer3></network></entry>
            <entry name="untrust"><network><layer3><member>ethernet1/1</member></layer3></network></entry>
            <entry name="dmz"><network><layer3><member>ethernet1/3</member></layer3></network></entry>
          </zone>
          <address>
            <entry name="ts-node-a"><ip-netmask>10.0.0.5</ip-netmask><description>Tailscale node a</description></entry>
            <entry name="ts-node-b"><ip-netmask>10.0.0.6</ip-netmask><description>Tailscale node b</description></entry>
            <entry name="lan-net"><ip-netmask>10.0.0.0/24</ip-netmask></entry>
            <entry name="dmz-web"><ip-netmask>192.0.2.10</ip-netmask></entry>
          </address>
          <address-group>
            <entry name="tailscale-nodes">
              <static><member>ts-node-a</member><member>ts-node-b</member></static><description>Tailscale subnet routers</description>
            </entry>
          </address-group>
          <rulebase>
            <security>
              <rules>
                <entry name="allow-outbound" uuid="6a1f0c52-3b8e-4d51-9a43-0c2f7f1e5a01">
                  <from><member>trust</member></from>
                  <to><member>untrust</member></to>
                  <source><member>any</member></source>
                  <destination><member>any</member></destination>
                  <source-user><member>any</member></source-user>
                  <category><member>any</member></category>
                  <application><member>any</member></application>
                  <service><member>application-default</member></service>
                  <action>allow</action>
                </entry>
              </rules>
            </security>
            <nat>
              <rules>
                <entry name="guest-out" uuid="3c9d1e7a-52b4-4f08-9e6d-1b7a4c2e8f30">
                  <from><member>trust</member></from>
                  <to><member>untrust</member></to>
                  <source><member>any</member></source>
                  <destination><member>any</member></destination>
                  <service>any</service>
                  <source-translation>
                    <dynamic-ip-and-port>
                      <interface-address><interface>ethernet1/1</interface></interface-address>
                    </dynamic-ip-and-port>
                  </source-translation>
                  <disabled>yes</disabled>
                  <description>Guest Wi-Fi (retired)</description>
                </entry>
                <entry name="ts-egress" uuid="5e2a8c14-9d73-4b61-a0f5-7c3e1d9b6a40">
                  <from><member>trust</member></from>
                  <to><member>untrust</member></to>
                  <source><member>tailscale-nodes</member></source>
                  <destination><member>any</member></destination>
                  <service>any</service>
                  <to-interface>any</to-interface>
                  <source-translation>
                    <dynamic-ip-and-port>
                      <interface-address><interface>ethernet1/1</interface><ip>203.0.113.1/24</ip></interface-address>
                    </dynamic-ip-and-port>
                  </source-translation>
                  <description>Tailscale nodes to Internet</description>
                </entry>
                <entry name="lan-out" uuid="0d6e8a3c-7f41-4c2b-8b7e-5a9d2e4f1c10">
                  <from><member>trust</member></from>
                  <to><member>untrust</member></to>
                  <source><member>any</member></source>
                  <destination><member>any</member></destination>
                  <service>any</service>
                  <to-interface>any</to-interface>
                  <source-translation>
                    <dynamic-ip-and-port>
                      <interface-address><interface>ethernet1/1</interface><ip>203.0.113.1/24</ip></interface-address>
                    </dynamic-ip-and-port>
                  </source-translation>
                  <description>LAN to Internet</description>
                </entry>
                <entry name="dmz-static" uuid="9b2c4e61-0a5d-4f83-b1c7-3e8f6d2a7b20">
                  <from><member>dmz</member></from>
                  <to><member>untrust</member></to>
                  <source><member>dmz-web</member></source>
                  <destination><member>any</member></destination>
                  <service>any</service>
                  <source-translation>
                    <static-ip><translated-address>203.0.113.20</translated-address><bi-directional>yes</bi-directional></static-ip>
                  </source-translation>
                  <description>DMZ web server, 1:1</description>
                </entry>
              </rules>
            </nat>
          </rulebase>
        </entry>
      </vsys>
    </entry>
  </devices>
</config>
""".format(major=major, minor=minor, hostname=hostname)


def _canonical(element):
    """Serialisation that ignores formatting whitespace, for equality of configs."""
    return ET.canonicalize(ET.tostring(element, encoding='unicode'), strip_text=True)


def _pretty(element):
    clone = copy.deepcopy(element)
    ET.indent(clone, space='  ')
    return ET.tostring(clone, encoding='unicode')


# --------------------------------------------------------------------------------------------------
# Errors and envelopes
# --------------------------------------------------------------------------------------------------
def _cdata(text):
    return '<![CDATA[%s]]>' % str(text).replace(']]>', ']]]]><![CDATA[>')


def _escape(text):
    return str(text).replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def _xml(body, status=200, reason=None):
    return Response(status=status, body=body.encode('utf-8'), content_type=XML_CONTENT_TYPE, reason=reason)


class XapiError(Exception):
    """An error envelope. Shapes:

    * ``lines``: ``<response status="error" code="C"><msg><line>...</line></msg></response>``;
      with ``nested`` the lines are wrapped in one more ``<line>`` as validation errors are
      ([pango] errors/panos_test.go TestDoubleNestedLineErrorMessage, "unexpected here" / "is invalid").
      [xapi] __get_response_msg reads ./msg/line, and for <line><line> the first inner line.
    * ``result_msg``: ``<response status="error" code="C"><result><msg>...</msg></result></response>``
      ([xapi] reads ./result/msg).
    """

    def __init__(self, lines=None, code=None, nested=False, result_msg=None, http_status=200):
        self.lines = [lines] if isinstance(lines, str) else list(lines or [])
        self.code = code
        self.nested = nested
        self.result_msg = result_msg
        self.http_status = http_status
        super().__init__(result_msg or (self.lines[0] if self.lines else 'error'))

    @property
    def message(self):
        return self.result_msg or '; '.join(line.strip() for line in self.lines)

    def response(self):
        code = ' code="%s"' % self.code if self.code is not None else ''
        if self.result_msg is not None:
            body = '<response status="error"%s><result><msg>%s</msg></result></response>' % (code, _escape(self.result_msg))
        else:
            inner = ''.join('<line>%s</line>' % _cdata(line) for line in self.lines)
            if self.nested:
                inner = '<line>%s</line>' % inner
            body = '<response status="error"%s><msg>%s</msg></response>' % (code, inner)
        return _xml(body, status=self.http_status)


def _invalid(path, message, code=12):
    """A validation error: "<path> <message>" then "<parent path> is invalid" (INFERRED path composition)."""
    parent = path[:-1] if len(path) > 1 else path
    return XapiError([' %s %s' % (' -> '.join(path), message), ' %s is invalid' % ' -> '.join(parent)], code=code, nested=True)


def _unexpected(path, tag):
    # [pango] fixture: "<line><line> profiles -> zone-protection-profile -> entry -> tcp-syn-with-data unexpected here</line>
    # <line> profiles -> zone-protection-profile is invalid</line></line>", code 12 ("Invalid object", [codes]).
    return XapiError([' %s unexpected here' % ' -> '.join(list(path) + [tag]), ' %s is invalid' % ' -> '.join(path)],
                     code=12, nested=True)


# --------------------------------------------------------------------------------------------------
# XPath subset
# --------------------------------------------------------------------------------------------------
_NAME = re.compile(r'[A-Za-z_][\w.\-:]*')
_PREDICATE = re.compile(r"\[\s*((?:@[\w\-]+\s*=\s*(?:'[^']*'|\"[^\"]*\")\s*(?:or\s+)?)+)\]")
_CLAUSE = re.compile(r"@([\w\-]+)\s*=\s*(?:'([^']*)'|\"([^\"]*)\")")


@dataclass
class _Step:
    tag: str
    predicates: list = field(default_factory=list)  # [(attribute, {values})]

    def matches(self, element):
        if element.tag != self.tag:
            return False
        return all(element.get(attribute) in values for attribute, values in self.predicates)

    def creatable(self):
        return all(attribute == 'name' and len(values) == 1 for attribute, values in self.predicates) and len(self.predicates) <= 1

    def create(self):
        element = ET.Element(self.tag)
        for attribute, values in self.predicates:
            element.set(attribute, next(iter(values)))
        return element

    def label(self):
        for attribute, values in self.predicates:
            if attribute == 'name' and len(values) == 1:
                return next(iter(values))
        return self.tag


def _bad_xpath(xpath, why):
    # [codes] 6 "Bad Xpath". The message text is the simulator's own (INFERRED wording).
    return XapiError('Bad Xpath: %s (%s)' % (xpath, why), code=6)


def parse_xpath(xpath):
    """Absolute paths of ``name[@attr='value']`` steps (``or`` of equalities allowed), optionally
    ending in ``/@name``. Returns (steps, selected attribute or None)."""
    if not xpath or not xpath.startswith('/') or xpath.startswith('//'):
        raise _bad_xpath(xpath, 'the simulator supports absolute paths only')
    steps = []
    attribute = None
    position = 1
    while position < len(xpath):
        if xpath[position] == '@':
            match = _NAME.match(xpath, position + 1)
            if not match or match.end() != len(xpath):
                raise _bad_xpath(xpath, 'an attribute step must be the last one')
            attribute = match.group()
            break
        match = _NAME.match(xpath, position)
        if not match:
            raise _bad_xpath(xpath, 'unsupported step at offset %d' % position)
        step = _Step(match.group())
        position = match.end()
        while position < len(xpath) and xpath[position] == '[':
            predicate = _PREDICATE.match(xpath, position)
            if not predicate:
                raise _bad_xpath(xpath, 'unsupported predicate at offset %d' % position)
            clauses = _CLAUSE.findall(predicate.group(1))
            names = {name for name, _single, _double in clauses}
            if len(names) != 1:
                raise _bad_xpath(xpath, 'an "or" predicate must compare a single attribute')
            step.predicates.append((names.pop(), {single or double for _name, single, double in clauses}))
            position = predicate.end()
        steps.append(step)
        if position < len(xpath):
            if xpath[position] != '/' or position + 1 == len(xpath):
                raise _bad_xpath(xpath, 'unexpected %r at offset %d' % (xpath[position], position))
            position += 1
    if not steps:
        raise _bad_xpath(xpath, 'empty path')
    return steps, attribute


def _select(root, steps):
    """Matching elements as (element, parent) pairs."""
    if not steps[0].matches(root):
        return []
    current = [(root, None)]
    for step in steps[1:]:
        current = [(child, node) for node, _parent in current for child in node if step.matches(child)]
        if not current:
            return []
    return current


def _ensure_path(root, steps, xpath):
    """Walk ``steps`` from the root, creating missing nodes (set/edit create the path)."""
    if not steps[0].matches(root):
        raise _bad_xpath(xpath, 'the configuration root is /config')
    node = root
    for step in steps[1:]:
        found = [child for child in node if step.matches(child)]
        if len(found) > 1:
            # [codes] 8 "Object not unique".
            raise XapiError('Object not unique: %s' % xpath, code=8)
        if found:
            node = found[0]
            continue
        if not step.creatable():
            raise _bad_xpath(xpath, 'cannot create %r: only name predicates can be created' % step.tag)
        child = step.create()
        node.append(child)
        node = child
    return node


# --------------------------------------------------------------------------------------------------
# Schema: strict where the collection writes, open elsewhere
# --------------------------------------------------------------------------------------------------
_VSYS_CHILDREN = frozenset((
    'import', 'zone', 'address', 'address-group', 'service', 'service-group', 'tag', 'rulebase', 'application',
    'application-group', 'application-filter', 'profiles', 'profile-group', 'schedule', 'external-list', 'region',
    'display-name', 'setting', 'log-settings', 'dynamic-user-group', 'authentication-object', 'threats',
))
# Allowed children per schema path (tags from the root, entry names dropped). Paths not listed are open.
_STRICT = {
    ('config',): frozenset(('mgt-config', 'shared', 'devices', 'readonly')),
    ('config', 'devices'): frozenset(('entry',)),
    ('config', 'devices', 'entry'): frozenset(('deviceconfig', 'network', 'vsys', 'platform')),
    ('config', 'devices', 'entry', 'vsys'): frozenset(('entry',)),
    ('config', 'devices', 'entry', 'vsys', 'entry'): _VSYS_CHILDREN,
    ('config', 'devices', 'entry', 'vsys', 'entry', 'rulebase'): frozenset((
        'security', 'nat', 'qos', 'pbf', 'decryption', 'application-override', 'authentication', 'dos',
        'tunnel-inspect', 'sdwan', 'network-packet-broker', 'default-security-rules')),
    ('config', 'devices', 'entry', 'vsys', 'entry', 'rulebase', 'nat'): frozenset(('rules',)),
    ('config', 'devices', 'entry', 'vsys', 'entry', 'rulebase', 'nat', 'rules'): frozenset(('entry',)),
    ('config', 'devices', 'entry', 'vsys', 'entry', 'address'): frozenset(('entry',)),
    ('config', 'devices', 'entry', 'vsys', 'entry', 'address', 'entry'): frozenset((
        'ip-netmask', 'ip-range', 'ip-wildcard', 'fqdn', 'description', 'tag')),
    ('config', 'devices', 'entry', 'vsys', 'entry', 'zone'): frozenset(('entry',)),
}
_NAT_RULE_SCHEMA_PATH = ('config', 'devices', 'entry', 'vsys', 'entry', 'rulebase', 'nat', 'rules', 'entry')
_ENTRY_LISTS = {path for path, children in _STRICT.items() if children == frozenset(('entry',))}


def _label(element):
    return element.get('name') or element.tag


def _check_skeleton(element, schema_path=('config',), path=()):
    """Reject unknown children of strict nodes; NAT rule entries are checked by _check_nat_rule."""
    allowed = _STRICT.get(schema_path)
    if allowed is None:
        return
    for child in element:
        child_path = tuple(path) + (_label(child),)
        if child.tag not in allowed:
            raise _unexpected(list(path) or [element.tag], child.tag)
        if schema_path in _ENTRY_LISTS and not child.get('name'):
            raise _invalid(list(child_path), "has no 'name' attribute")
        if schema_path + (child.tag,) == _NAT_RULE_SCHEMA_PATH:
            continue
        _check_skeleton(child, schema_path + (child.tag,), child_path)


# NAT rule entry: the element names of [pol] NatRule._setup, plus dynamic-destination-translation
# (8.1+), group-tag and the uuid attribute (9.0+) that NatRule adds by version profile.
_NAT_RULE_CHILDREN = (
    'from', 'to', 'source', 'destination', 'service', 'to-interface', 'nat-type', 'source-translation',
    'destination-translation', 'dynamic-destination-translation', 'disabled', 'description', 'tag', 'group-tag',
    'target', 'active-active-device-binding',
)
_NAT_REQUIRED = ('from', 'to', 'source', 'destination', 'service')
_MEMBER_LISTS = ('from', 'to', 'source', 'destination', 'tag')
_ENUMS = {
    'nat-type': ('ipv4', 'nat64', 'nptv6'),                        # [pol] nat_type values
    'disabled': ('yes', 'no'),                                     # [pol] vartype yesno
    'active-active-device-binding': ('primary', 'both', '0', '1'),  # [pol] ha_binding values
}
_UUID = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')


def _text(element):
    return (element.text or '').strip()


def _check_leaf(element, path, allow_empty=False):
    if len(element):
        raise _unexpected(path, element[0].tag)
    if not allow_empty and not _text(element):
        raise _invalid(path, 'cannot be empty')


def _check_members(element, path):
    if _text(element):
        # Text directly in a member list is not a member.
        raise _invalid(path, "'%s' is not a valid member list (use <member>)" % _text(element))
    if not len(element):
        raise _invalid(path, 'needs at least one member')
    seen = set()
    for member in element:
        if member.tag != 'member':
            raise _unexpected(path, member.tag)
        _check_leaf(member, path + ['member'])
        if _text(member) in seen:
            raise _invalid(path, "'%s' is listed twice" % _text(member))
        seen.add(_text(member))


def _check_enum(element, path, values):
    _check_leaf(element, path)
    if _text(element) not in values:
        # INFERRED wording of the device's keyword check.
        raise _invalid(path, "'%s' is not an allowed keyword" % _text(element))


def _only_children(element, path, allowed):
    seen = set()
    for child in element:
        if child.tag not in allowed or child.tag in seen:
            raise _unexpected(path, child.tag)
        seen.add(child.tag)


def _check_interface_address(element, path):
    # [pol] source_translation_interface / _ip_address: interface-address/{interface, ip};
    # fallback adds floating-ip ([pol] source_translation_fallback_ip_type values ip|floating-ip).
    _only_children(element, path, ('interface', 'ip', 'floating-ip'))
    interface = element.find('interface')
    if interface is None:
        raise _invalid(path + ['interface'], 'is missing')
    _check_leaf(interface, path + ['interface'])
    if element.find('ip') is not None and element.find('floating-ip') is not None:
        raise _unexpected(path, 'floating-ip')
    for tag in ('ip', 'floating-ip'):
        if element.find(tag) is not None:
            _check_leaf(element.find(tag), path + [tag])


def _check_address_choice(element, path, require):
    """dynamic-ip-and-port / persistent-dynamic-ip-and-port: translated-address XOR interface-address."""
    _only_children(element, path, ('translated-address', 'interface-address') + (('fallback',) if element.tag == 'dynamic-ip' else ()))
    translated = element.find('translated-address')
    interface = element.find('interface-address')
    if translated is not None and interface is not None:
        raise _unexpected(path, 'interface-address')
    if translated is None and interface is None:
        if require:
            raise _invalid(path + ['translated-address'], 'is missing')
        return
    if translated is not None:
        _check_members(translated, path + ['translated-address'])
    else:
        _check_interface_address(interface, path + ['interface-address'])


def _check_source_translation(element, path, version):
    allowed = ['dynamic-ip-and-port', 'dynamic-ip', 'static-ip']
    if version >= PERSISTENT_DIPP_SINCE:
        # [nat-doc]: the type exists from 11.1.1; before that the schema does not know the node and
        # the device rejects it like any unknown node ("unexpected here").
        allowed.append(PERSISTENT_DIPP)
    children = list(element)
    for child in children:
        if child.tag not in allowed:
            raise _unexpected(path, child.tag)
    if len(children) != 1:
        if not children:
            raise _invalid(path, 'needs one translation type (%s)' % ', '.join(allowed))
        raise _unexpected(path, children[1].tag)
    kind = children[0]
    kind_path = path + [kind.tag]
    if kind.tag in ('dynamic-ip-and-port', PERSISTENT_DIPP):
        _check_address_choice(kind, kind_path, require=True)
    elif kind.tag == 'dynamic-ip':
        # [pol] dynamic-ip: translated-address members, optional fallback/{translated-address|interface-address}.
        _only_children(kind, kind_path, ('translated-address', 'fallback'))
        if kind.find('translated-address') is None:
            raise _invalid(kind_path + ['translated-address'], 'is missing')
        _check_members(kind.find('translated-address'), kind_path + ['translated-address'])
        fallback = kind.find('fallback')
        if fallback is not None:
            _check_address_choice(fallback, kind_path + ['fallback'], require=True)
    else:
        # [pol] static-ip: translated-address (a single value), bi-directional yes|no.
        _only_children(kind, kind_path, ('translated-address', 'bi-directional'))
        translated = kind.find('translated-address')
        if translated is None:
            raise _invalid(kind_path + ['translated-address'], 'is missing')
        _check_leaf(translated, kind_path + ['translated-address'])
        if kind.find('bi-directional') is not None:
            _check_enum(kind.find('bi-directional'), kind_path + ['bi-directional'], ('yes', 'no'))


def _check_port(element, path):
    _check_leaf(element, path)
    if not _text(element).isdigit() or not 1 <= int(_text(element)) <= 65535:
        raise _invalid(path, "'%s' is not a valid port" % _text(element))


def _check_nat_rule(entry, version):
    """Validate one NAT rule entry as the device schema would; raises XapiError (code 12)."""
    name = entry.get('name')
    if not name:
        raise _invalid(['rules', 'entry'], "has no 'name' attribute")
    path = [name]
    if entry.get('uuid') is not None and not _UUID.match(entry.get('uuid')):
        raise _invalid(path, "uuid '%s' is not a valid UUID" % entry.get('uuid'))
    if _text(entry):
        raise _invalid(path, 'cannot hold text')
    seen = set()
    for child in entry:
        if child.tag not in _NAT_RULE_CHILDREN or child.tag in seen:
            raise _unexpected(path, child.tag)
        seen.add(child.tag)
    for tag in _NAT_REQUIRED:
        if entry.find(tag) is None:
            # INFERRED wording.
            raise _invalid(path + [tag], 'is missing')
    for child in entry:
        child_path = path + [child.tag]
        if child.tag in _MEMBER_LISTS:
            _check_members(child, child_path)
        elif child.tag in _ENUMS:
            _check_enum(child, child_path, _ENUMS[child.tag])
        elif child.tag in ('service', 'to-interface', 'group-tag'):
            _check_leaf(child, child_path)
        elif child.tag == 'description':
            _check_leaf(child, child_path, allow_empty=True)
            if len(child.text or '') > 1024:
                raise _invalid(child_path, 'is longer than 1024 characters')
        elif child.tag == 'source-translation':
            _check_source_translation(child, child_path, version)
        elif child.tag == 'destination-translation':
            # [pol] destination_translated_address / _port.
            _only_children(child, child_path, ('translated-address', 'translated-port', 'dns-rewrite'))
            if child.find('translated-address') is None:
                raise _invalid(child_path + ['translated-address'], 'is missing')
            _check_leaf(child.find('translated-address'), child_path + ['translated-address'])
            if child.find('translated-port') is not None:
                _check_port(child.find('translated-port'), child_path + ['translated-port'])
        elif child.tag == 'dynamic-destination-translation':
            # [pol] destination_dynamic_translated_* (8.1+ profile).
            if entry.find('destination-translation') is not None:
                raise _unexpected(path, 'dynamic-destination-translation')
            _only_children(child, child_path, ('translated-address', 'translated-port', 'distribution'))
            if child.find('translated-address') is None:
                raise _invalid(child_path + ['translated-address'], 'is missing')
            _check_leaf(child.find('translated-address'), child_path + ['translated-address'])
            if child.find('translated-port') is not None:
                _check_port(child.find('translated-port'), child_path + ['translated-port'])
            if child.find('distribution') is not None:
                _check_enum(child.find('distribution'), child_path + ['distribution'],
                            ('round-robin', 'source-ip-hash', 'ip-modulo', 'ip-hash', 'least-sessions'))
        elif child.tag == 'target':
            # [pol] negate_target (target/negate) and target (target/devices): Panorama only, kept open below.
            _only_children(child, child_path, ('devices', 'negate', 'tags'))
            if child.find('negate') is not None:
                _check_enum(child.find('negate'), child_path + ['negate'], ('yes', 'no'))


def _nat_rules(root):
    """{(vsys, rule name): entry} of every vsys."""
    rules = {}
    for device in root.findall('devices/entry'):
        for vsys in device.findall('vsys/entry'):
            for entry in vsys.findall('rulebase/nat/rules/entry'):
                rules[(vsys.get('name'), entry.get('name'))] = entry
    return rules


# --------------------------------------------------------------------------------------------------
# Commit-time (semantic) validation: references
# --------------------------------------------------------------------------------------------------
_PREDEFINED_SERVICES = ('any', 'application-default', 'service-http', 'service-https')


def _is_address_literal(value):
    try:
        if '-' in value:
            first, last = value.split('-', 1)
            ipaddress.ip_address(first)
            ipaddress.ip_address(last)
        else:
            ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return True


def _reference_errors(root):
    """Lines of a failed commit job's details for NAT rules that reference nothing (INFERRED wording)."""
    errors = []
    shared = root.find('shared')
    shared_names = set()
    if shared is not None:
        for tag in ('address', 'address-group', 'service', 'service-group'):
            shared_names.update(e.get('name') for e in shared.findall('%s/entry' % tag))
    for device in root.findall('devices/entry'):
        interfaces = {e.get('name') for e in device.iter('entry') if e.get('name', '').startswith(('ethernet', 'ae', 'loopback', 'tunnel', 'vlan'))}
        for vsys in device.findall('vsys/entry'):
            zones = {e.get('name') for e in vsys.findall('zone/entry')}
            objects = set(shared_names)
            for tag in ('address', 'address-group', 'service', 'service-group'):
                objects.update(e.get('name') for e in vsys.findall('%s/entry' % tag))
            for rule in vsys.findall('rulebase/nat/rules/entry'):
                prefix = ' rulebase -> nat -> rules -> %s -> ' % rule.get('name')

                def bad(what, value, prefix=prefix):
                    errors.append("%s%s '%s' is not a valid reference" % (prefix, what, value))
                    errors.append('%s%s is invalid' % (prefix, what))

                for tag in ('from', 'to'):
                    for member in rule.findall('%s/member' % tag):
                        if _text(member) != 'any' and _text(member) not in zones:
                            bad(tag, _text(member))
                for tag in ('source', 'destination'):
                    for member in rule.findall('%s/member' % tag):
                        value = _text(member)
                        if value != 'any' and value not in objects and not _is_address_literal(value):
                            bad(tag, value)
                service = rule.findtext('service', '').strip()
                if service and service not in _PREDEFINED_SERVICES and service not in objects:
                    bad('service', service)
                to_interface = rule.findtext('to-interface', '').strip()
                if to_interface and to_interface != 'any' and to_interface not in interfaces:
                    bad('to-interface', to_interface)
                for interface in rule.findall('source-translation/*/interface-address/interface'):
                    if _text(interface) not in interfaces:
                        bad('source-translation -> interface-address -> interface', _text(interface))
    return errors


# --------------------------------------------------------------------------------------------------
# Operational commands
# --------------------------------------------------------------------------------------------------
def _command(element):
    """Flatten an op command element: <show><jobs><id>5</id></jobs></show> -> ('show jobs', {'id': '5'}).

    The XML form of a CLI command is the one [xapi] PanXapi.cmd_xml builds: one element per keyword,
    a quoted argument becomes the text of the element before it.
    """
    words = []
    args = {}
    node = element
    while node is not None:
        children = list(node)
        text = _text(node)
        if not children and text:
            args[node.tag] = text
            break
        words.append(node.tag)
        if len(children) == 1:
            node = children[0]
            continue
        for child in children:
            args[child.tag] = _text(child) if not len(child) else ET.tostring(child, encoding='unicode')
        break
    return ' '.join(words), args


@dataclass
class CommitJob:
    id: int
    user: str
    description: str
    enqueued: float
    finish_at: float
    result: str
    details: list
    new_running: object = None
    finished: float | None = None
    # The administrators a partial commit was limited to; None for a full commit.
    partial_admins: list | None = None

    @property
    def done(self):
        return self.finished is not None


def _panos_time(seconds):
    # [xapi] PanXapi.panos_time: '%Y/%m/%d %H:%M:%S'.
    return time.strftime('%Y/%m/%d %H:%M:%S', time.localtime(seconds))


# --------------------------------------------------------------------------------------------------
# The simulator
# --------------------------------------------------------------------------------------------------
@dataclass
class _Exchange:
    op: str
    kind: str
    detail: str = ''
    fault: str | None = None
    api_status: str | None = None


class PanosSimulator(DeviceSimulator):
    """A PAN-OS firewall's XML API on loopback. See the module docstring for sources.

    ``auth_style`` chooses how bad credentials are answered: ``http403`` (default; what current
    PAN-OS does per [field]: HTTP 403 "Invalid Credential" with body
    ``<response status = 'error' code = '403'><result><msg>Invalid Credential</msg></result></response>``)
    or ``legacy`` (HTTP 200 and ``Invalid credentials.``, the text [base] classify_exception maps to
    PanInvalidCredentials).
    """

    VENDOR = 'panos'
    SUPPORTED_FAULTS = frozenset(('http_500', 'timeout', 'auth', 'commit_fail', 'lock_held', 'api_error'))

    def __init__(self, state_dir, username='admin', password='directpath-sim', sw_version='11.1.2', model='PA-VM',
                 serial='007951000123456', app_version='8799-9013', hostname='pa-sim', auth_style='http403',
                 commit_seconds=0.0, lock_owner='other-admin', config=None, host='127.0.0.1', port=0, authority=None,
                 timeout_seconds=3.0):
        super().__init__(state_dir, host=host, port=port, authority=authority)
        self.lock = threading.RLock()
        self._key_secret = secrets.token_bytes(16)
        self.username = username
        self.password = password
        self.extra_keys = {}
        self.system = {'sw-version': sw_version, 'model': model, 'serial': serial, 'app-version': app_version,
                       'hostname': hostname, 'multi-vsys': 'off'}
        parse_version(sw_version)
        # Operational (not candidate) setting "set system setting persistent-dipp enable yes|no":
        # kept across commits and reboots, repeated per HA peer (PAN KB kA14u000000kHuECAU).
        self.persistent_dipp_global = False
        self.auth_style = auth_style
        self.commit_seconds = float(commit_seconds)
        self.lock_owner = lock_owner
        self.timeout_seconds = timeout_seconds
        self._reset_config(config)

    # state ---------------------------------------------------------------------------------------
    def _reset_config(self, config=None):
        text = config or default_config(self.system['sw-version'], self.system['hostname'])
        self.running = ET.fromstring(text)
        self.candidate = copy.deepcopy(self.running)
        self.config_locks = {}
        self.commit_locks = {}
        self.jobs = {}
        self.next_job_id = 1
        # Who made which uncommitted change, in order: (admin, action, xpath, element text). PAN-OS
        # tracks candidate changes per administrator for partial commits and reverts of one admin's
        # changes ([commit-doc] "Partial commit admin-level changes"; PAN-OS admin guide "Commit,
        # Validate, and Preview Firewall Configuration Changes": "Commit Changes Made By ... admins").
        self.change_log = []

    @property
    def version(self):
        return parse_version(self.system['sw-version'])

    @property
    def api_key(self):
        """The key keygen returns for the configured credentials (stable, like a device's)."""
        return self._key_for(self.username, self.password)

    def _key_for(self, user, password):
        digest = hmac.new(self._key_secret, ('%s:%s' % (user, password)).encode(), hashlib.sha256).digest()
        # Real keys are base64 text ([field] AWS-GWLB-VMSeries#20: "LUFRPT1...=="). pan-python appends
        # the key to the form body without URL-encoding it ([xapi] __api_request), so this simulator
        # keeps to alphanumerics that survive that.
        body = ''.join(c for c in base64.b64encode(digest + digest[:12]).decode() if c.isalnum())
        return 'LUFRPT' + body + '=='

    def _valid_key(self, key):
        if not key:
            return None
        if hmac.compare_digest(key, self.api_key):
            return self.username
        return self.extra_keys.get(key)

    def _advance_jobs(self):
        now = time.time()
        for job_id in sorted(self.jobs):
            job = self.jobs[job_id]
            if not job.done and now >= job.finish_at:
                job.finished = now
                if job.result == 'OK':
                    self.running = job.new_running

    def _effective_running(self):
        """The running config once every queued commit has finished."""
        running = self.running
        for job_id in sorted(self.jobs):
            job = self.jobs[job_id]
            if not job.done and job.result == 'OK':
                running = job.new_running
        return running

    def pending_changes(self):
        with self.lock:
            self._advance_jobs()
            return _canonical(self.candidate) != _canonical(self.running)

    def state_dump(self):
        with self.lock:
            self._advance_jobs()
            return {
                'vendor': self.VENDOR,
                'sw_version': self.system['sw-version'], 'model': self.system['model'], 'serial': self.system['serial'],
                'app_version': self.system['app-version'], 'hostname': self.system['hostname'],
                'multi_vsys': self.system['multi-vsys'] == 'on',
                'persistent_dipp_global': self.persistent_dipp_global,
                'username': self.username, 'auth_style': self.auth_style, 'commit_seconds': self.commit_seconds,
                'running': _pretty(self.running), 'candidate': _pretty(self.candidate),
                'pending_changes': _canonical(self.candidate) != _canonical(self.running),
                'config_locks': [dict(scope=scope, **lock) for scope, lock in sorted(self.config_locks.items())],
                'commit_locks': [dict(scope=scope, **lock) for scope, lock in sorted(self.commit_locks.items())],
                'jobs': [{'id': job.id, 'status': 'FIN' if job.done else 'ACT', 'result': job.result if job.done else 'PEND',
                          'user': job.user, 'description': job.description, 'details': list(job.details),
                          'partial_admins': job.partial_admins}
                         for job in (self.jobs[i] for i in sorted(self.jobs))],
            }

    def state_update(self, values):
        known = {'persistent_dipp_global', 'sw_version', 'model', 'serial', 'app_version', 'hostname', 'multi_vsys', 'auth_style', 'commit_seconds',
                 'username', 'password', 'reset', 'config', 'candidate', 'candidate_admin', 'config_lock', 'commit_lock', 'lock_owner', 'api_key'}
        unknown = set(values) - known
        if unknown:
            raise ValueError('unknown PAN-OS state keys: %s (known: %s)' % (', '.join(sorted(unknown)), ', '.join(sorted(known))))
        with self.lock:
            if 'sw_version' in values:
                parse_version(values['sw_version'])
                self.system['sw-version'] = values['sw_version']
            for key, name in (('model', 'model'), ('serial', 'serial'), ('app_version', 'app-version'), ('hostname', 'hostname')):
                if key in values:
                    self.system[name] = str(values[key])
            if 'persistent_dipp_global' in values:
                self.persistent_dipp_global = bool(values['persistent_dipp_global'])
            if 'multi_vsys' in values:
                self.system['multi-vsys'] = 'on' if values['multi_vsys'] else 'off'
            if 'auth_style' in values:
                if values['auth_style'] not in ('http403', 'legacy'):
                    raise ValueError('auth_style must be http403 or legacy')
                self.auth_style = values['auth_style']
            if 'commit_seconds' in values:
                self.commit_seconds = float(values['commit_seconds'])
            if 'lock_owner' in values:
                self.lock_owner = str(values['lock_owner'])
            if 'username' in values:
                self.username = str(values['username'])
            if 'password' in values:
                self.password = str(values['password'])
            if 'api_key' in values:
                self.extra_keys[str(values['api_key'])] = self.username
            if values.get('reset'):
                self._reset_config()
            if 'config' in values:
                self._reset_config(values['config'])
            if 'candidate' in values:
                self.candidate = ET.fromstring(values['candidate'])
                # A candidate set from outside stands for another administrator's uncommitted work.
                self.change_log = [(values.get('candidate_admin') or self.lock_owner, 'replace', None, values['candidate'])]
            for key, locks in (('config_lock', self.config_locks), ('commit_lock', self.commit_locks)):
                if key in values:
                    lock = values[key]
                    if lock is None:
                        locks.clear()
                    else:
                        locks[lock.get('scope', 'shared')] = {'admin': lock.get('admin', self.lock_owner),
                                                              'comment': lock.get('comment', '')}

    def state_components(self):
        with self.lock:
            self._advance_jobs()
            return {
                'running': _canonical(self.running),
                'candidate': _canonical(self.candidate),
                'config_locks': repr(sorted(self.config_locks.items())),
                'commit_locks': repr(sorted(self.commit_locks.items())),
                'persistent_dipp_global': repr(self.persistent_dipp_global),
            }

    # dispatch ------------------------------------------------------------------------------------
    def handle_device(self, request):
        if request.path not in API_PATHS:
            self.journal.record(request.method, request.path, 'http:%s' % request.path, OTHER, 404, 'not the XML API')
            return Response(status=404, body=b'<html><body><h1>404 Not Found</h1></body></html>', content_type=HTML_CONTENT_TYPE)
        params = request.params
        exchange = self._classify(params)
        fault = self.faults.take('timeout', exchange.op)
        if fault:
            # Journaled before the wait, so that a client that gave up can already see it.
            self.journal.record(request.method, request.path, exchange.op, exchange.kind, 0,
                                ('%s (connection held, then dropped)' % exchange.detail).strip(), None, 'timeout')
            return self.hold_then_drop(fault, self.timeout_seconds)
        response = self._faulted_transport(exchange)
        if response is None:
            with self.lock:
                self._advance_jobs()
                try:
                    response = self._api(request, params, exchange)
                except XapiError as error:
                    exchange.api_status = 'error'
                    if not exchange.detail or error.message not in exchange.detail:
                        exchange.detail = ('%s: %s' % (exchange.detail, error.message)).strip(': ')
                    response = error.response()
        self.journal.record(request.method, request.path, exchange.op, exchange.kind, response.status,
                            exchange.detail, exchange.api_status, exchange.fault)
        return response

    def _faulted_transport(self, exchange):
        fault = self.faults.take('http_500', exchange.op)
        if fault:
            exchange.fault = 'http_500'
            # The management web server's own error page, not an XML envelope (INFERRED body).
            body = (fault.message or '<html><head><title>500 Internal Server Error</title></head><body>'
                    '<center><h1>500 Internal Server Error</h1></center></body></html>')
            return Response(status=500, body=body.encode(), content_type=HTML_CONTENT_TYPE)
        return None

    def _classify(self, params):
        """The journal's op name and read/write/auth kind of one request."""
        api_type = params.get('type', '')
        if api_type == 'keygen':
            return _Exchange('keygen', AUTH, 'user=%s' % params.get('user', ''))
        if api_type == 'op':
            try:
                words, _args = _command(ET.fromstring(params.get('cmd', '')))
            except ET.ParseError:
                return _Exchange('op:<malformed>', OTHER, params.get('cmd', '')[:200])
            kind = READ if words.split(' ', maxsplit=1)[0] in ('show', 'check') else WRITE
            return _Exchange('op:%s' % words, kind, params.get('cmd', '')[:200])
        if api_type == 'config':
            action = params.get('action', '')
            if action in ('get', 'show', 'complete'):
                kind = READ
            elif action in ('set', 'edit', 'delete', 'move', 'rename', 'clone', 'override', 'multi-move', 'multi-clone'):
                kind = WRITE
            else:
                kind = OTHER
            return _Exchange('config:%s' % action, kind, params.get('xpath', ''))
        if api_type == 'commit':
            return _Exchange('commit', WRITE, params.get('cmd', '')[:200])
        if api_type == 'version':
            return _Exchange('version', READ)
        return _Exchange('type:%s' % api_type, OTHER)

    def _auth_failure(self, exchange):
        """The answer to bad credentials or a bad/missing API key."""
        exchange.api_status = 'error'
        if self.auth_style == 'legacy':
            # [base] classify_exception: str(e) == "Invalid credentials." -> PanInvalidCredentials.
            return XapiError(result_msg='Invalid credentials.', code=403).response()
        # [field] HTTP status line "403 Invalid Credential" (pan-python reports "URLError: code: 403
        # reason: Invalid Credential", cdot65/pan-os-upgrade#139) and this body, with its spaces,
        # for both keygen and a stale key (o5edaxi/paloversion#7, PaloAltoNetworks/pan-os-php#336).
        body = "<response status = 'error' code = '403'><result><msg>Invalid Credential</msg></result></response>"
        return _xml(body, status=403, reason='Invalid Credential')

    def _api(self, request, params, exchange):
        api_type = params.get('type')
        if api_type == 'keygen':
            return self._keygen(params, exchange)
        key = params.get('key') or request.headers.get('x-pan-key')
        fault = self.faults.take('auth', exchange.op)
        if fault:
            exchange.fault = 'auth'
        user = None if fault else self._valid_key(key)
        if user is None:
            exchange.detail = ('%s: invalid or missing API key' % exchange.detail).strip(': ')
            return self._auth_failure(exchange)
        if not api_type:
            # [codes] 400 Bad request: a required parameter is missing (INFERRED text).
            raise XapiError(result_msg='Missing parameter "type"', code=400)
        handler = {'op': self._op, 'config': self._config, 'commit': self._commit, 'version': self._version}.get(api_type)
        if handler is None:
            # The text pan-os-python quotes for an unknown type ([base] refresh_system_info comment:
            # 'Illegal value for parameter "type" [version].').
            raise XapiError(result_msg='Illegal value for parameter "type" [%s].' % api_type, code=400)
        response = handler(params, exchange, user)
        if exchange.api_status is None:
            exchange.api_status = 'success'
        return response

    # keygen --------------------------------------------------------------------------------------
    def _keygen(self, params, exchange):
        user = params.get('user')
        password = params.get('password')
        fault = self.faults.take('auth', exchange.op)
        if fault:
            exchange.fault = 'auth'
        if fault or user != self.username or password != self.password:
            exchange.detail += ': invalid credentials'
            return self._auth_failure(exchange)
        exchange.api_status = 'success'
        # [xapi] keygen reads ./result/key; spacing of the status attribute as a device sends it
        # ([field] AWS-GWLB-VMSeries#20).
        return _xml("<response status = 'success'><result><key>%s</key></result></response>" % self.api_key)

    # type=version --------------------------------------------------------------------------------
    def _version(self, params, exchange, user):
        del params, exchange, user
        # "Get Version Info (API)": sw-version, multi-vsys, model, serial (fields as [base] comment lists them).
        system = self.system
        return _xml('<response status="success"><result><sw-version>%s</sw-version><multi-vsys>%s</multi-vsys>'
                    '<model>%s</model><serial>%s</serial></result></response>'
                    % (system['sw-version'], system['multi-vsys'], system['model'], system['serial']))

    # type=op -------------------------------------------------------------------------------------
    def _op(self, params, exchange, user):
        cmd = params.get('cmd')
        if not cmd:
            raise XapiError(result_msg='Missing parameter "cmd"', code=400)
        try:
            element = ET.fromstring(cmd)
        except ET.ParseError as error:
            # [codes] 18 Malformed command.
            raise XapiError('Malformed command: %s' % error, code=18) from None
        words, args = _command(element)
        scope = params.get('vsys') or 'shared'
        handlers = {
            'show system info': self._op_system_info,
            'show jobs': self._op_show_job,
            'show jobs all': self._op_show_jobs_all,
            'check pending-changes': self._op_pending_changes,
            'request config-lock add': self._op_config_lock_add,
            'request config-lock remove': self._op_config_lock_remove,
            'request commit-lock add': self._op_commit_lock_add,
            'request commit-lock remove': self._op_commit_lock_remove,
            'show config-locks': self._op_show_config_locks,
            'show commit-locks': self._op_show_commit_locks,
            'revert config': self._op_revert,
            'revert config partial admin': self._op_revert_admin,
            'show admins': self._op_show_admins,
            'show config list admins': self._op_show_config_list_admins,
            'load config': self._op_load_config,
            'show config running': self._op_show_config,
            'show config candidate': self._op_show_config,
            'show system setting persistent-dipp': self._op_show_persistent_dipp,
            'set system setting persistent-dipp': self._op_set_persistent_dipp,
        }
        handler = handlers.get(words)
        if handler is None:
            # INFERRED shape for an unknown command ([codes] 17 "Invalid command").
            raise XapiError(' %s is unexpected' % ' -> '.join(words.split(' ')), code=17)
        if exchange.kind == WRITE:
            self._write_faults(exchange, lock_op=words.endswith('lock add'), scope=scope)
        return handler(args=args, scope=scope, user=user, words=words)

    def _op_system_info(self, **_kwargs):
        # [base] _save_system_info reads system/{sw-version, model, serial}; [fw] adds app-version and
        # multi-vsys. The other fields are what "show system info" prints on a VM-series (INFERRED subset).
        system = self.system
        fields = [
            ('hostname', system['hostname']), ('ip-address', self.host), ('netmask', '255.255.255.0'),
            ('default-gateway', ''), ('mac-address', '00:50:56:00:00:01'), ('time', time.ctime()),
            ('uptime', '0 days, 1:00:00'), ('devicename', system['hostname']), ('family', 'vm'),
            ('model', system['model']), ('serial', system['serial']), ('vm-mode', 'VMware ESXi'),
            ('sw-version', system['sw-version']), ('global-protect-client-package-version', '0.0.0'),
            ('app-version', system['app-version']), ('app-release-date', '2026/11/20 16:00:00 PST'),
            ('av-version', '0'), ('threat-version', system['app-version']), ('wildfire-version', '0'),
            ('url-filtering-version', '20261124.20012'), ('logdb-version', '11.1.2'),
            ('vpn-disable-mode', 'off'), ('multi-vsys', system['multi-vsys']), ('operational-mode', 'normal'),
            ('device-certificate-status', 'Valid'),
        ]
        inner = ''.join('<%s>%s</%s>' % (tag, _escape(value), tag) for tag, value in fields)
        return _xml('<response status="success"><result><system>%s</system></result></response>' % inner)

    def _job_xml(self, job):
        # [base] _parse_job_results reads job/{id, user, tenq, tfin, result, status, warnings, details/line};
        # syncjob waits for status FIN. Pending values ACT/PEND and the other fields are INFERRED.
        done = job.done
        progress = 100 if done else min(99, int(100 * (time.time() - job.enqueued) / max(self.commit_seconds, 0.001)))
        details = ''.join('<line>%s</line>' % _escape(line) for line in job.details) if done else ''
        return ('<job><tenq>{tenq}</tenq><tdeq>{tdeq}</tdeq><id>{id}</id><user>{user}</user><type>Commit</type>'
                '<status>{status}</status><queued>NO</queued><stoppable>no</stoppable><result>{result}</result>'
                '<tfin>{tfin}</tfin><description>{description}</description><positionInQ>0</positionInQ>'
                '<progress>{progress}</progress><details>{details}</details><warnings></warnings></job>').format(
            tenq=_panos_time(job.enqueued), tdeq=time.strftime('%H:%M:%S', time.localtime(job.enqueued)), id=job.id,
            user=_escape(job.user), status='FIN' if done else 'ACT', result=job.result if done else 'PEND',
            tfin=_panos_time(job.finished) if done else '', description=_escape(job.description),
            progress=progress, details=details)

    def _op_show_job(self, args, **_kwargs):
        # [base] syncjob sends 'show jobs id "N"' (cmd_xml -> <show><jobs><id>N</id></jobs></show>).
        job_id = args.get('id', '')
        job = self.jobs.get(int(job_id)) if job_id.isdigit() else None
        if job is None:
            raise XapiError('job %s not found' % job_id)  # INFERRED text
        return _xml('<response status="success"><result>%s</result></response>' % self._job_xml(job))

    def _op_show_jobs_all(self, **_kwargs):
        jobs = ''.join(self._job_xml(self.jobs[i]) for i in sorted(self.jobs, reverse=True))
        return _xml('<response status="success"><result>%s</result></response>' % jobs)

    def _op_pending_changes(self, **_kwargs):
        # [base] pending_changes returns PanConfig(result).python()["result"]: "yes" or "no".
        # INFERRED: pending means the candidate differs from the running config in content.
        pending = _canonical(self.candidate) != _canonical(self.running)
        return _xml('<response status="success"><result>%s</result></response>' % ('yes' if pending else 'no'))

    def _op_config_lock_add(self, args, scope, user, **_kwargs):
        # [base] add_config_lock: op <request><config-lock><add><comment/></add></config-lock></request> with
        # vsys=<scope>; errors it recognises: "Config for scope (shared|vsysN) is currently locked" and
        # "You already own a config lock for scope". The " by <admin>" tail is INFERRED.
        holder = self._other_lock_holder(self.config_locks, scope, user)
        if holder:
            raise XapiError('Config for scope %s is currently locked by %s' % (scope, holder))
        if scope in self.config_locks:
            raise XapiError('You already own a config lock for scope %s' % scope)
        self.config_locks[scope] = {'admin': user, 'comment': args.get('comment', '')}
        return _xml('<response status="success"><result>Successfully acquired lock</result></response>')

    def _op_config_lock_remove(self, scope, user, **_kwargs):
        # [base] remove_config_lock recognises "Config is not currently locked for scope (shared|vsysN)".
        lock = self.config_locks.get(scope)
        if lock is None:
            raise XapiError('Config is not currently locked for scope %s' % scope)
        if lock['admin'] != user:
            raise XapiError('Config for scope %s is currently locked by %s' % (scope, lock['admin']))
        del self.config_locks[scope]
        return _xml('<response status="success"><result>Successfully removed lock</result></response>')

    def _op_commit_lock_add(self, args, scope, user, **_kwargs):
        # [base] add_commit_lock recognises "Commit lock is already held".
        lock = self.commit_locks.get(scope)
        if lock is not None:
            raise XapiError('Commit lock is already held by %s' % lock['admin'])
        self.commit_locks[scope] = {'admin': user, 'comment': args.get('comment', '')}
        return _xml('<response status="success"><result>Successfully acquired lock</result></response>')

    def _op_commit_lock_remove(self, scope, user, **_kwargs):
        # [base] remove_commit_lock recognises "Commit lock is not currently held".
        lock = self.commit_locks.get(scope)
        if lock is None or lock['admin'] != user:
            raise XapiError('Commit lock is not currently held by %s' % user)
        del self.commit_locks[scope]
        return _xml('<response status="success"><result>Successfully removed lock</result></response>')

    def _locks_xml(self, locks, tag):
        # [base] check_config_locks / check_commit_locks look for any .//entry in the result.
        entries = ''.join('<entry name="%s"><name>%s</name><type>%s</type><comment>%s</comment></entry>'
                          % (_escape(lock['admin']), _escape(lock['admin']), _escape(scope), _escape(lock['comment']))
                          for scope, lock in sorted(locks.items()))
        return _xml('<response status="success"><result><%s>%s</%s></result></response>' % (tag, entries, tag))

    def _op_show_config_locks(self, **_kwargs):
        return self._locks_xml(self.config_locks, 'config-locks')

    def _op_show_commit_locks(self, **_kwargs):
        return self._locks_xml(self.commit_locks, 'commit-locks')

    def _persistent_dipp_supported(self, words):
        # The global setting exists from PAN-OS 10.1.6 (VM and single-dataplane; 10.1.7 on all models)
        # and 10.2.4 (PAN KB kA14u000000kHuECAU, PAN-OS 10.1 New Features). Older versions do not know
        # the keyword: answered like any unknown command (code 17, INFERRED text).
        major, minor, patch = self.version
        if (major, minor) == (10, 1) and patch >= 6 or (major, minor) == (10, 2) and patch >= 4 or (major, minor) >= (11, 0):
            return
        raise XapiError(' %s is unexpected' % ' -> '.join(words.split(' ')), code=17)

    def _op_show_persistent_dipp(self, words, **_kwargs):
        # CLI "show system setting persistent-dipp" prints "Persistent DIPP : Enabled" (PAN KB
        # kA14u000000kHuECAU). Its XML API form is INFERRED: the CLI text as the result's text.
        self._persistent_dipp_supported(words)
        state = 'Enabled' if self.persistent_dipp_global else 'Disabled'
        return _xml('<response status="success"><result>Persistent DIPP : %s</result></response>' % state)

    def _op_set_persistent_dipp(self, args, words, **_kwargs):
        # CLI "set system setting persistent-dipp enable yes|no" (PAN KB kA14u000000kHuECAU); XML form
        # <set><system><setting><persistent-dipp><enable>yes</enable>... per [xapi] cmd_xml (INFERRED for
        # the device). The value must be yes or no, as the CLI's completion offers.
        self._persistent_dipp_supported(words)
        value = args.get('enable')
        if value not in ('yes', 'no'):
            raise XapiError('persistent-dipp -> enable %s is invalid' % (value or '(missing)'), code=17)
        self.persistent_dipp_global = value == 'yes'
        return _xml('<response status="success"><result>Persistent DIPP setting changed; it takes effect after '
                    '"request restart system"</result></response>')

    def _op_revert(self, **_kwargs):
        # CLI "revert config" (PAN-OS admin guide, "Revert Firewall Configuration Changes"), in its XML
        # form <revert><config/></revert>: the candidate goes back to the running config, every
        # administrator's changes included.
        self.candidate = copy.deepcopy(self._effective_running())
        self.change_log = []
        return _xml('<response status="success"><result>Candidate configuration reverted</result></response>')

    def _op_revert_admin(self, args, **_kwargs):
        # CLI "revert config partial admin <name>" (PAN-OS admin guide, "Revert Firewall Configuration
        # Changes": revert the changes of specific administrators), XML form per [xapi] cmd_xml:
        # <revert><config><partial><admin><member>NAME</member></admin></partial></config></revert>.
        # The answer text is INFERRED. Only the named admin's changes leave the candidate.
        admin = args.get('member', '')
        if not admin:
            raise XapiError(' revert -> config -> partial -> admin is invalid', code=17)  # INFERRED
        remaining = [entry for entry in self.change_log if entry[0] != admin]
        self.candidate = self._replay(self._effective_running(), remaining)
        self.change_log = remaining
        return _xml('<response status="success"><result>Candidate configuration reverted</result></response>')

    def _op_show_admins(self, user, words, **_kwargs):
        # [base] whoami (PAN-OS 10.0+): op <show><admins/></show>, reads ./result/admins/entry/{admin, self}:
        # the entry of the key's own administrator carries an empty <self/>. Other fields INFERRED.
        if self.version < (10, 0, 0):
            raise XapiError(' %s is unexpected' % ' -> '.join(words.split(' ')), code=17)
        entries = ['<entry><admin>%s</admin><from>192.0.2.200</from><type>Web</type><start-from>%s</start-from>'
                   '<idle-for>00:00:00s</idle-for><self/></entry>' % (_escape(user), _panos_time(time.time() - 60))]
        for admin in self.pending_admins():
            if admin != user:
                entries.append('<entry><admin>%s</admin><from>198.51.100.23</from><type>Web</type><start-from>%s</start-from>'
                               '<idle-for>00:04:12s</idle-for></entry>' % (_escape(admin), _panos_time(time.time() - 900)))
        return _xml('<response status="success"><result><admins>%s</admins></result></response>' % ''.join(entries))

    def _op_show_config_list_admins(self, **_kwargs):
        # CLI "show config list admins" lists the administrators with uncommitted changes (PAN-OS CLI
        # reference, "show config list"). Its XML answer shape is INFERRED: one <member> per admin.
        members = ''.join('<member>%s</member>' % _escape(admin) for admin in self.pending_admins())
        return _xml('<response status="success"><result><admins>%s</admins></result></response>' % members)

    def _op_load_config(self, args, **_kwargs):
        # [base] revert_to_running_configuration: <load><config><from>running-config.xml</from></config></load>.
        if args.get('from') != 'running-config.xml':
            raise XapiError('simulator: only "load config from running-config.xml" is implemented', code=17)
        self.candidate = copy.deepcopy(self.running)
        return _xml('<response status="success"><result><msg><line>Config loaded from running-config.xml</line></msg></result></response>')

    def _op_show_config(self, words, **_kwargs):
        source = self.running if words.endswith('running') else self.candidate
        return _xml('<response status="success"><result>%s</result></response>' % ET.tostring(source, encoding='unicode'))

    # locks and write faults ------------------------------------------------------------------------
    @staticmethod
    def _other_lock_holder(locks, scope, user):
        for held_scope in (scope, 'shared'):
            lock = locks.get(held_scope)
            if lock is not None and lock['admin'] != user:
                return lock['admin']
        return None

    def _write_faults(self, exchange, lock_op=False, scope='shared', user=None):
        """lock_held and api_error faults, and locks really held by another administrator."""
        fault = self.faults.take('lock_held', exchange.op)
        if fault:
            exchange.fault = 'lock_held'
            owner = fault.message or self.lock_owner
            if lock_op:
                raise XapiError('Config for scope %s is currently locked by %s' % (scope, owner))
            # [base] classify_exception: a message starting "Configuration is locked by" -> PanLockError.
            raise XapiError('Configuration is locked by %s' % owner)
        fault = self.faults.take('api_error', exchange.op)
        if fault:
            exchange.fault = 'api_error'
            raise XapiError(fault.message or 'Invalid object', code=fault.code or 12)
        if user is not None and not lock_op:
            holder = self._other_lock_holder(self.config_locks, scope, user)
            if holder is None:
                holder = next((lock['admin'] for lock in self.config_locks.values() if lock['admin'] != user), None)
            if holder:
                raise XapiError('Configuration is locked by %s' % holder)

    # type=config ---------------------------------------------------------------------------------
    def _config(self, params, exchange, user):
        action = params.get('action')
        xpath = params.get('xpath')
        if action in ('get', 'show'):
            return self._config_read(action, xpath or '/config')
        if action not in ('set', 'edit', 'delete'):
            if action in ('move', 'rename', 'clone', 'override', 'multi-move', 'multi-clone', 'complete', 'multi-config'):
                raise XapiError('simulator: action=%s is not implemented' % action, code=1)
            raise XapiError(result_msg='Illegal value for parameter "action" [%s].' % action, code=400)
        if not xpath:
            raise XapiError(result_msg='Missing parameter "xpath"', code=400)
        self._write_faults(exchange, scope=self._scope_of(xpath), user=user)
        steps, attribute = parse_xpath(xpath)
        if attribute:
            raise _bad_xpath(xpath, 'cannot write an attribute selection')
        work = copy.deepcopy(self.candidate)
        if action == 'delete':
            response = self._delete(work, steps, xpath)
        else:
            element_text = params.get('element')
            if element_text is None:
                raise XapiError(result_msg='Missing parameter "element"', code=400)
            try:
                holder = ET.fromstring('<_elements>%s</_elements>' % element_text)
            except ET.ParseError as error:
                raise XapiError('Malformed element: %s' % error, code=18) from None
            if action == 'set':
                self._set(work, steps, xpath, holder)
            else:
                self._edit(work, steps, xpath, holder)
            # [codes] 20 success; "command succeeded" as in the multi-config doc's sample answers.
            response = _xml('<response status="success" code="20"><msg>command succeeded</msg></response>')
        self._validate_write(work)
        self.candidate = work
        self.change_log.append((user, action, xpath, params.get('element')))
        return response

    @staticmethod
    def _scope_of(xpath):
        match = re.search(r"/vsys/entry\[@name='([^']+)'\]", xpath)
        return match.group(1) if match else 'shared'

    def _config_read(self, action, xpath):
        steps, attribute = parse_xpath(xpath)
        source = self.candidate if action == 'get' else self.running
        found = [element for element, _parent in _select(source, steps)]
        if not found:
            if action == 'get':
                # [pango] TestGetOnMissingObjectReturnsObjectNotFoundError; [base] refreshall: "get api
                # calls don't produce exceptions when the node doesn't exist".
                return _xml('<response status="success" code="7"><result/></response>')
            # [pango] TestShowOnMissingObjectReturnsNoSuchNode; [base] classify_exception -> PanNoSuchNode.
            raise XapiError('No such node')
        if attribute:
            nodes = ''.join('<%s %s="%s"/>' % (e.tag, attribute, _escape(e.get(attribute, '')).replace('"', '&quot;'))
                            for e in found if e.get(attribute) is not None)
        else:
            nodes = ''.join(ET.tostring(e, encoding='unicode') for e in found)
        if action == 'get':
            # INFERRED: count attributes on a get result.
            return _xml('<response status="success" code="19"><result total-count="%d" count="%d">%s</result></response>'
                        % (len(found), len(found), nodes))
        return _xml('<response status="success"><result>%s</result></response>' % nodes)

    def _set(self, work, steps, xpath, holder):
        # set merges the element's children into the node at xpath, creating the path ([xapi] set sends
        # xpath + element; semantics per the XML API "Set candidate configuration").
        target = _ensure_path(work, steps, xpath)
        for child in holder:
            _merge(target, child)

    def _edit(self, work, steps, xpath, holder):
        # edit replaces the node at xpath with the element, whose root is that node.
        children = list(holder)
        last = steps[-1]
        if len(children) != 1 or not last.matches(children[0]):
            # Wording of a device answer quoted in pan-os-ansible plugins/modules/panos_static_route.py; code INFERRED.
            raise XapiError('Edit breaks config validity', code=12)
        if len(steps) == 1:
            raise _bad_xpath(xpath, 'the configuration root cannot be replaced')
        parent = _ensure_path(work, steps[:-1], xpath)
        existing = [child for child in parent if last.matches(child)]
        replacement = copy.deepcopy(children[0])
        if existing:
            index = list(parent).index(existing[0])
            parent.remove(existing[0])
            parent.insert(index, replacement)
        else:
            parent.append(replacement)

    @staticmethod
    def _delete(work, steps, xpath):
        if len(steps) == 1:
            raise _bad_xpath(xpath, 'the configuration root cannot be deleted')
        found = _select(work, steps)
        if not found:
            # INFERRED: deleting what is not there succeeds with code 7 ([codes] "Object not present").
            return _xml('<response status="success" code="7"><msg>Object doesn\'t exist</msg></response>')
        for element, parent in found:
            parent.remove(element)
        return _xml('<response status="success" code="20"><msg>command succeeded</msg></response>')

    def _validate_write(self, work):
        _check_skeleton(work)
        before = {key: _canonical(rule) for key, rule in _nat_rules(self.candidate).items()}
        version = self.version
        for key, rule in _nat_rules(work).items():
            if before.get(key) != _canonical(rule):
                _check_nat_rule(rule, version)

    def _replay(self, base, entries):
        """``base`` with the logged changes ``entries`` applied in order (a partial commit or revert)."""
        work = copy.deepcopy(base)
        for _admin, action, xpath, element_text in entries:
            if action == 'replace':
                work = ET.fromstring(element_text)
                continue
            steps, _attribute = parse_xpath(xpath)
            if action == 'delete':
                self._delete(work, steps, xpath)
                continue
            holder = ET.fromstring('<_elements>%s</_elements>' % element_text)
            if action == 'set':
                self._set(work, steps, xpath, holder)
            else:
                self._edit(work, steps, xpath, holder)
        return work

    def pending_admins(self):
        """Administrators with uncommitted changes, in the order of their first change."""
        admins = []
        for admin, _action, _xpath, _element in self.change_log:
            if admin not in admins:
                admins.append(admin)
        return admins

    # type=commit ---------------------------------------------------------------------------------
    def _commit(self, params, exchange, user):
        cmd = params.get('cmd') or '<commit></commit>'
        try:
            element = ET.fromstring(cmd)
        except ET.ParseError as error:
            raise XapiError('Malformed command: %s' % error, code=18) from None
        if element.tag != 'commit':
            raise XapiError(' %s is unexpected' % element.tag, code=17)
        for child in element:
            if child.tag not in ('description', 'force', 'partial'):
                raise XapiError(' commit -> %s is unexpected' % child.tag, code=17)
        description = element.findtext('description', '').strip()
        exchange.detail = description
        partial = element.find('partial')
        admins = None
        if partial is not None:
            # [commit-doc] <partial><admin><member>NAME</member></admin></partial>; pan-os-python's
            # FirewallCommit sends it without action=partial ([fw] FirewallCommit.commit_action is None),
            # as pan-os-ansible's panos_commit_firewall does against real firewalls. The exclusions
            # (device-and-network, shared-object, policy-and-objects) are not modelled.
            for child in partial:
                if child.tag != 'admin':
                    raise XapiError('simulator: partial commit "%s" is not implemented' % child.tag, code=17)
            admins = [_text(member) for member in partial.findall('admin/member')]
            if not admins or not all(admins):
                raise XapiError(' commit -> partial -> admin is invalid', code=17)  # INFERRED text
        self._write_faults(exchange, user=user)
        lock = next((lock for lock in self.commit_locks.values() if lock['admin'] != user), None)
        if lock is not None:
            raise XapiError('Commit lock is already held by %s' % lock['admin'])  # INFERRED text
        effective = self._effective_running()
        if admins is not None:
            chosen = [entry for entry in self.change_log if entry[0] in admins]
            try:
                new_running = self._replay(effective, chosen)
            except XapiError as error:
                raise XapiError('partial commit: %s' % error.message, code=13) from None  # INFERRED
            if _canonical(new_running) == _canonical(effective):
                return _xml('<response status="success" code="19"><msg>There are no changes to commit.</msg></response>')
            remaining = [entry for entry in self.change_log if entry[0] not in admins]
        else:
            new_running = self.candidate
            remaining = []
        if element.find('force') is None and admins is None and _canonical(self.candidate) == _canonical(effective):
            # Text: [xapi] __legacy_commit_poll compares status_detail with "There are no changes to commit.".
            # Shape: no ./result/job and no ./msg/line. pan-os-python PR #557 (2d28ff7, "Added check for
            # commit_response text parsing") exists because a no-change answer from Panorama had no
            # ./msg/line; and [base] _commit in 1.13.1 returns None only without ./msg/line (with one it
            # falls through to syncjob() and fails with TypeError). The code attribute is INFERRED.
            return _xml('<response status="success" code="19"><msg>There are no changes to commit.</msg></response>')
        now = time.time()
        job = CommitJob(id=self.next_job_id, user=user, description=description, enqueued=now,
                        finish_at=now + self.commit_seconds, result='OK', details=['Configuration committed successfully'],
                        partial_admins=admins)
        self.next_job_id += 1
        fault = self.faults.take('commit_fail', exchange.op)
        problems = _reference_errors(new_running)
        if fault:
            exchange.fault = 'commit_fail'
            job.result = 'FAIL'
            job.details = (fault.message.split('\n') if fault.message else
                           ['Validation Error:', ' rulebase -> nat is invalid (simulated commit failure)', 'Commit failed'])
        elif problems:
            job.result = 'FAIL'
            job.details = ['Validation Error:'] + problems + ['Commit failed']
        else:
            job.new_running = copy.deepcopy(new_running)
            # The committed admins' changes are no longer pending; the others' stay in the candidate.
            self.change_log = remaining
        self.jobs[job.id] = job
        if self.commit_seconds <= 0:
            self._advance_jobs()
        # [commit-doc] type=commit&cmd=<commit>..</commit>; [base] _commit reads ./result/job; the
        # enqueue message text is INFERRED.
        return _xml('<response status="success" code="19"><result><msg><line>Commit job enqueued with jobid %d</line></msg>'
                    '<job>%d</job></result></response>' % (job.id, job.id))


def _merge(target, new):
    """Merge ``new`` as a child of ``target`` the way action=set does.

    Entries are matched by name, members by text, other elements by tag. Choosing one branch of a
    choice (a translation type, translated-address vs interface-address) replaces the branch that
    was there, as the CLI's "set ... source-translation static-ip" does (INFERRED for the XML API).
    """
    if new.tag == 'member':
        if not any(child.tag == 'member' and _text(child) == _text(new) for child in target):
            target.append(copy.deepcopy(new))
        return
    choices = _CHOICES.get(target.tag)
    if choices and new.tag in choices:
        for child in list(target):
            if child.tag in choices and child.tag != new.tag:
                target.remove(child)
    if new.tag == 'entry':
        existing = next((child for child in target if child.tag == 'entry' and child.get('name') == new.get('name')), None)
    else:
        existing = next((child for child in target if child.tag == new.tag), None)
    if existing is None:
        target.append(copy.deepcopy(new))
        return
    existing.attrib.update(new.attrib)
    if len(new):
        existing.text = None
        for child in new:
            _merge(existing, child)
    elif _text(new) or not len(existing):
        for child in list(existing):
            existing.remove(child)
        existing.text = new.text


_CHOICES = {
    'source-translation': frozenset(('dynamic-ip-and-port', 'dynamic-ip', 'static-ip', PERSISTENT_DIPP)),
    'dynamic-ip-and-port': frozenset(('translated-address', 'interface-address')),
    PERSISTENT_DIPP: frozenset(('translated-address', 'interface-address')),
    'fallback': frozenset(('translated-address', 'interface-address')),
}
