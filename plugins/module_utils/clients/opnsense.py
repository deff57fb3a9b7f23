# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: clients. OPNsense client: config.xml shapes, apply commands, version, source-NAT API.

PRIVATE to the directpath.firewall collection: may change at any time.

May import: engine/, transport/, other clients/ files, and the vendor's own Python library.

Sources:
* opnsense/plugins net/upnp (8e47228, 2026-08-19): plugins.inc.d/miniupnpd.inc
  ``miniupnpd_configure_do`` (renders /var/etc/miniupnpd.conf from
  ``installedpackages/miniupnpd/config``), ``miniupnpd_permuser_list`` (flat
  ``permuser1..num_permuser``, default 8), ``miniupnpd_enabled`` (``isset``:
  a false boolean is an absent element); www/services_upnp.php (validation,
  booleans saved as PHP true -> ``1``, then ``miniupnpd_configure_do()`` and
  ``configd_run('filter reload')``). The plugin has no MVC/REST API.
* opnsense/core (f95e815, 2026-08-21): src/etc/inc/config.inc reads the product
  version from /usr/local/opnsense/version/core (JSON, ``product_version``);
  OPNsense\\Core\\Config::fromArray drops false booleans; www/firewall_nat_out.php
  and firewall_nat_out_edit.php (legacy outbound NAT in ``nat/outbound``,
  ``staticnatport`` = 1, apply = ``configd_run('filter reload')``);
  controllers/OPNsense/Firewall/Api/SourceNatController.php and models/OPNsense/
  Firewall/Filter.xml ``snatrules`` (MVC source NAT; ``staticnatport`` first
  tagged in 26.7, commit 28c5099).
"""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET

from ansible_collections.directpath.firewall.plugins.module_utils.transport.configxml import (
    OPNSENSE_CONVENTION,
    child_text,
    insert_child,
    remove_child,
    set_child_text,
)
from ansible_collections.directpath.firewall.plugins.module_utils.clients.miniupnpd import UpnpSettings
from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError

__all__ = [
    'API_MIN_VERSION',
    'CONVENTION',
    'NATPMP_APPLY',
    'ONBOX_SPEC',
    'SourceNatApi',
    'STATIC_PORT_APPLY',
    'parse_version',
    'read_upnp',
    'write_upnp',
]

CONVENTION = OPNSENSE_CONVENTION
UPNP_PATH = 'installedpackages/miniupnpd/config'
API_MIN_VERSION = (26, 7)

# What services_upnp.php runs after saving: the plugin's configure function,
# then a filter reload through configd.
NATPMP_APPLY = [
    "/usr/local/bin/php -r 'require_once(\"config.inc\"); require_once(\"util.inc\"); require_once(\"interfaces.inc\"); "
    "require_once(\"filter.inc\"); require_once(\"system.inc\"); require_once(\"plugins.inc.d/miniupnpd.inc\"); "
    "miniupnpd_configure_do();'",
    '/usr/local/sbin/configctl filter reload',
]
# What firewall_nat_out.php runs on "Apply changes".
STATIC_PORT_APPLY = ['/usr/local/sbin/configctl filter reload']

ONBOX_SPEC = ArgumentSpec(argument_spec=dict(
    config_path=dict(type='path', default='/conf/config.xml'),
    backup_dir=dict(type='path', default='/conf/backup'),
    version_file=dict(type='path', default='/usr/local/opnsense/version/core'),
    apply_command=dict(type='list', elements='str'),
))


def parse_version(text):
    """'26.7.1' or '24.1.10_8' -> (26, 7, 1) / (24, 1, 10)."""
    match = re.match(r'\s*(\d+)\.(\d+)(?:\.(\d+))?', text or '')
    if not match:
        raise DirectPathError('cannot read an OPNsense version from %r' % (text,), cause='unsupported')
    return tuple(int(part) for part in match.groups() if part is not None)


def read_version(path):
    """The product version from the JSON metadata file opnsense-version reads."""
    try:
        with open(path) as handle:
            text = handle.read()
    except (IOError, OSError) as error:
        raise DirectPathError('cannot read the OPNsense version from %s: %s' % (path, error), cause='input')
    try:
        data = json.loads(text)
        version = data.get('product_version') or data.get('CORE_PKGVERSION') or ''
    except (ValueError, AttributeError):
        version = text.strip()
    return version, parse_version(version)


def _flag(parent, tag):
    value = child_text(parent, tag)
    return value is not None and value not in ('', '0')


def read_upnp(config):
    node = config.find(UPNP_PATH)
    num = child_text(node, 'num_permuser', '') or ''
    capacity = int(num) if num.isdigit() and int(num) > 0 else 8
    settings = UpnpSettings(
        enable=_flag(node, 'enable'),
        enable_upnp=_flag(node, 'enable_upnp'),
        enable_natpmp=_flag(node, 'enable_natpmp'),
        permdefault=_flag(node, 'permdefault'),
        ext_iface=child_text(node, 'ext_iface', ''),
        iface_array=[item for item in (child_text(node, 'iface_array', '') or '').split(',') if item],
        num_permuser=num,
    )
    if node is not None:
        settings.acl = [(child_text(node, 'permuser%d' % index, '') or '').strip() for index in range(1, capacity + 1)]
        settings.acl = [line for line in settings.acl if line]
    return settings


def write_upnp(config, settings):
    node = config.ensure(UPNP_PATH)
    for name in ('enable', 'enable_upnp', 'enable_natpmp', 'permdefault'):
        set_child_text(node, name, '1' if getattr(settings, name) else None)
    set_child_text(node, 'ext_iface', settings.ext_iface)
    set_child_text(node, 'iface_array', ','.join(settings.iface_array))
    set_child_text(node, 'num_permuser', settings.num_permuser or None)
    capacity = max(int(settings.num_permuser) if (settings.num_permuser or '').isdigit() else 8, len(settings.acl))
    existing = [child.tag for child in node if re.match(r'^permuser\d+$', child.tag)]
    current = [(child_text(node, 'permuser%d' % index, '') or '').strip() for index in range(1, capacity + 1)]
    current = [line for line in current if line]
    if current == settings.acl:
        return
    for index, line in enumerate(settings.acl, 1):
        set_child_text(node, 'permuser%d' % index, line)
    for tag in existing:
        if int(tag[8:]) > len(settings.acl):
            # The page saves every permuserN of the list, empty ones as empty elements.
            set_child_text(node, tag, '')


# ---- outbound NAT ---------------------------------------------------------------------------

OUR_DESCR = 'directpath.firewall: Tailscale host %s, UDP static port (managed by Ansible)'
DESCR_PREFIX = 'directpath.firewall: Tailscale host '


def our_descr(address):
    return OUR_DESCR % address


def legacy_rules(config):
    outbound = config.find('nat/outbound')
    return [] if outbound is None else outbound.findall('rule')


def legacy_view(rule):
    return {
        'interface': rule.findtext('interface') or '',
        'ipprotocol': rule.findtext('ipprotocol') or 'inet',
        'protocol': rule.findtext('protocol') or 'any',
        'source': rule.findtext('source/network') or '',
        'target': rule.findtext('target') or '',
        'staticnatport': (rule.findtext('staticnatport') or '') not in ('', '0') if rule.find('staticnatport') is not None else False,
        'disabled': rule.find('disabled') is not None,
        'descr': rule.findtext('descr') or '',
    }


def build_legacy_rule(view, user):
    """A nat/outbound/rule in the shape firewall_nat_out_edit.php stores."""
    rule = ET.Element('rule')
    ET.SubElement(rule, 'descr').text = view['descr']
    ET.SubElement(rule, 'interface').text = view['interface']
    ET.SubElement(rule, 'ipprotocol').text = view['ipprotocol']
    ET.SubElement(rule, 'target').text = view['target']
    ET.SubElement(rule, 'targetip_subnet').text = '0'
    ET.SubElement(rule, 'staticnatport').text = '1'
    ET.SubElement(rule, 'sourceport').text = ''
    ET.SubElement(rule, 'protocol').text = view['protocol']
    ET.SubElement(ET.SubElement(rule, 'source'), 'network').text = view['source']
    ET.SubElement(ET.SubElement(rule, 'destination'), 'any').text = '1'
    for stamp in ('updated', 'created'):
        entry = ET.SubElement(rule, stamp)
        ET.SubElement(entry, 'username').text = user
        ET.SubElement(entry, 'time').text = '%0.2f' % time.time()
        ET.SubElement(entry, 'description').text = 'directpath.firewall made changes'
    return rule


def remove_legacy_rule(config, rule):
    remove_child(config.find('nat/outbound'), rule)


def insert_legacy_rule(config, rule, index):
    outbound = config.ensure('nat/outbound')
    # Rules come after <mode>; index counts rules only.
    children = list(outbound)
    rules = [child for child in children if child.tag == 'rule']
    position = children.index(rules[index]) if index < len(rules) else len(children)
    insert_child(outbound, rule, position)


class SourceNatApi(object):
    """``api/firewall/source_nat/*`` (OPNsense 26.7+), on the shared HttpClient.

    Shapes (opnsense/core SourceNatController.php, ApiMutableModelControllerBase):
    ``get`` -> {"filter": {"general": {"snat_mode": {...options, "selected"}}}};
    ``set`` POST {"filter": {"general": {"snat_mode": "hybrid"}}}; ``searchRule``
    -> {"rows": [...]} (automatic rows carry ``is_automatic``); ``addRule`` POST
    {"rule": {...}} -> {"result": "saved", "uuid"}; ``setRule/<uuid>``;
    ``delRule/<uuid>`` -> {"result": "deleted"}; failures are
    {"result": "failed", "validations": {"rule.<field>": "message"}}; ``apply``
    POST -> {"status": "<configd output>"}.
    """

    BASE = '/api/firewall/source_nat/'

    def __init__(self, client):
        self.client = client

    def _check(self, what, answer):
        if isinstance(answer, dict) and answer.get('result') == 'failed':
            validations = answer.get('validations') or {}
            detail = '; '.join('%s: %s' % (key, value if not isinstance(value, list) else ', '.join(value))
                               for key, value in sorted(validations.items())) or 'no validation message'
            raise DirectPathError('OPNsense rejected %s: %s' % (what, detail), cause='api', details={'validations': validations})
        return answer

    def mode(self):
        general = self.client.request('GET', self.BASE + 'get').json().get('filter', {}).get('general', {})
        value = general.get('snat_mode')
        if isinstance(value, dict):
            for key, option in value.items():
                if isinstance(option, dict) and str(option.get('selected')) in ('1', 'True', 'true'):
                    return key
            return ''
        return value or ''

    def set_mode(self, mode):
        answer = self.client.request('POST', self.BASE + 'set', body={'filter': {'general': {'snat_mode': mode}}}).json()
        self._check('source NAT mode %s' % mode, answer)

    def rules(self):
        # searchRule answers GET too; a GET keeps check mode free of anything that looks like a write.
        answer = self.client.request('GET', self.BASE + 'searchRule?current=1&rowCount=-1').json()
        return [row for row in answer.get('rows', []) if not row.get('is_automatic')]

    def add(self, rule):
        return self._check('rule %r' % rule.get('description'), self.client.request(
            'POST', self.BASE + 'addRule', body={'rule': rule}).json()).get('uuid')

    def update(self, uuid, rule):
        self._check('rule %r' % rule.get('description'), self.client.request(
            'POST', self.BASE + 'setRule/' + uuid, body={'rule': rule}).json())

    def delete(self, uuid):
        answer = self.client.request('POST', self.BASE + 'delRule/' + uuid, body={}).json()
        if answer.get('result') not in ('deleted', 'not found'):
            self._check('deleting rule %s' % uuid, answer)

    def apply(self):
        answer = self.client.request('POST', self.BASE + 'apply', body={}).json()
        status = str(answer.get('status', '')).strip()
        if status.lower() not in ('ok', ''):
            raise DirectPathError('OPNsense could not apply the source NAT rules: %s' % status, cause='commit',
                                  device_unchanged=False)
