# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: clients. OPNsense client: config.xml shapes, apply commands, version, source-NAT API.

PRIVATE to the directpath.firewall collection: may change at any time.

May import: engine/, transport/, other clients/ files, and the vendor's own Python library.

:data:`OPNSENSE` is the product object (:class:`OpnSense`) every OPNsense module uses; :data:`API_SPEC`
the connection options of its HTTPS API (mirrored by the ``opnsense_api`` doc fragment).

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

from ansible.module_utils.basic import env_fallback

from ansible_collections.directpath.firewall.plugins.module_utils.transport.configxml import (
    OPNSENSE_CONVENTION,
    child_text,
    insert_child,
    login_user,
    remove_child,
    set_child_text,
)
from ansible_collections.directpath.firewall.plugins.module_utils.transport.httpclient import HttpClient
from ansible_collections.directpath.firewall.plugins.module_utils.clients.miniupnpd import UpnpSettings
from ansible_collections.directpath.firewall.plugins.module_utils.clients.onbox import OUR_MARK, OnBoxProduct, onbox_spec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError

__all__ = [
    'API_SPEC',
    'OPNSENSE',
    'OpnSense',
    'SourceNatApi',
    'api_client',
]

# The connection options of the OPNsense HTTPS API (doc fragment: opnsense_api).
API_SPEC = ArgumentSpec(argument_spec=dict(
    api_url=dict(type='str', default='https://127.0.0.1'),
    api_key=dict(type='str', no_log=True, fallback=(env_fallback, ['OPNSENSE_API_KEY'])),
    api_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['OPNSENSE_API_SECRET'])),
    validate_certs=dict(type='bool', default=True),
    ca_path=dict(type='path'),
    api_timeout=dict(type='int', default=30),
), required_together=[('api_key', 'api_secret')])


def api_client(params: dict, api_calls) -> HttpClient:
    """An HttpClient for the OPNsense API from :data:`API_SPEC` options; requests are counted in ``api_calls``."""
    return HttpClient(params['api_url'], validate_certs=params['validate_certs'], ca_path=params['ca_path'],
                      timeout=params['api_timeout'], url_username=params['api_key'], url_password=params['api_secret'],
                      force_basic_auth=True, secrets=[params['api_key']],
                      on_request=lambda method, path, is_write: api_calls.write() if is_write else api_calls.read())


def _numbered_acl(node, capacity):
    lines = [(child_text(node, 'permuser%d' % index, '') or '').strip() for index in range(1, capacity + 1)]
    return [line for line in lines if line]


class OpnSense(OnBoxProduct):
    """OPNsense, edited on the box (config.xml) and, for source NAT from 26.7, through its API."""

    name = 'opnsense'
    upnp_true = '1'
    label = 'OPNsense'
    convention = OPNSENSE_CONVENTION
    spec = onbox_spec('/conf/config.xml', '/conf/backup', '/usr/local/opnsense/version/core')
    # services_upnp.php miniupnpd_validate_ip(): prefix 0-32; miniupnpd_validate_port(): digits only.
    acl_prefix_min = 0
    api_min_version = (26, 7)
    # What services_upnp.php runs after saving: the plugin's configure function,
    # then a filter reload through configd.
    natpmp_apply = [
        "/usr/local/bin/php -r 'require_once(\"config.inc\"); require_once(\"util.inc\"); require_once(\"interfaces.inc\"); "
        "require_once(\"filter.inc\"); require_once(\"system.inc\"); require_once(\"plugins.inc.d/miniupnpd.inc\"); "
        "miniupnpd_configure_do();'",
        '/usr/local/sbin/configctl filter reload',
    ]
    # What firewall_nat_out.php runs on "Apply changes".
    static_port_apply = ['/usr/local/sbin/configctl filter reload']
    rule_descr_format = OUR_MARK + 'Tailscale host %s, UDP static port (managed by Ansible)'

    def version_text(self, path: str) -> str:
        """The product version from the JSON metadata file opnsense-version reads."""
        text = self._read_file(path)
        try:
            data = json.loads(text)
            return data.get('product_version') or data.get('CORE_PKGVERSION') or ''
        except (ValueError, AttributeError):
            return text.strip()

    def uses_api(self, version: tuple) -> bool:
        """Source NAT with staticnatport is in the MVC model (and its API) from 26.7."""
        return version >= self.api_min_version

    def rule_descr(self, address) -> str:
        return self.rule_descr_format % address

    # ---- UPnP ------------------------------------------------------------------------------
    def upnp_flag(self, node, tag: str) -> bool:
        value = child_text(node, tag)   # PHP empty()/isset(): a false boolean is an absent element
        return value is not None and value not in ('', '0')

    def read_upnp(self, config) -> UpnpSettings:
        node = config.find(self.upnp_path)
        num = child_text(node, 'num_permuser', '') or ''
        capacity = int(num) if re.match(r'^[0-9]+$', num) and int(num) > 0 else 8
        settings = self.read_upnp_fields(node, num_permuser=num)
        if node is not None:
            settings.acl = _numbered_acl(node, capacity)
        return settings

    def write_upnp(self, config, settings: UpnpSettings) -> None:
        node = config.ensure(self.upnp_path)
        self.write_upnp_fields(node, settings)
        set_child_text(node, 'num_permuser', settings.num_permuser or None)
        numeric = re.match(r'^[0-9]+$', settings.num_permuser or '')
        capacity = max(int(settings.num_permuser) if numeric else 8, len(settings.acl))
        existing = [child.tag for child in node if isinstance(child.tag, str) and re.match(r'^permuser[0-9]+$', child.tag)]
        if _numbered_acl(node, capacity) == settings.acl:
            return
        for index, line in enumerate(settings.acl, 1):
            set_child_text(node, 'permuser%d' % index, line)
        for tag in existing:
            if int(tag[8:]) > len(settings.acl):
                # The page saves every permuserN of the list, empty ones as empty elements.
                set_child_text(node, tag, '')

    # ---- outbound NAT in config.xml (before 26.7) ---------------------------------------------
    @staticmethod
    def rule_view(rule) -> dict:
        return {
            'interface': rule.findtext('interface') or '',
            'ipprotocol': rule.findtext('ipprotocol') or 'inet',
            'protocol': rule.findtext('protocol') or 'any',
            'source': rule.findtext('source/network') or '',
            'target': rule.findtext('target') or '',
            'staticnatport': rule.find('staticnatport') is not None and (rule.findtext('staticnatport') or '') not in ('', '0'),
            'disabled': rule.find('disabled') is not None,
            'descr': rule.findtext('descr') or '',
        }

    @staticmethod
    def build_rule(view: dict):
        """A nat/outbound/rule in the shape firewall_nat_out_edit.php stores."""
        user = login_user()
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
            ET.SubElement(entry, 'time').text = OPNSENSE_CONVENTION.revision_time(time.time())
            ET.SubElement(entry, 'description').text = 'directpath.firewall made changes'
        return rule

    @staticmethod
    def remove_rule(config, rule) -> None:
        remove_child(config.find('nat/outbound'), rule)

    @staticmethod
    def insert_rule(config, rule, index: int) -> None:
        outbound = config.ensure('nat/outbound')
        # Rules come after <mode>; index counts rules only.
        children = list(outbound)
        rules = [child for child in children if child.tag == 'rule']
        position = children.index(rules[index]) if index < len(rules) else len(children)
        insert_child(outbound, rule, position)


OPNSENSE = OpnSense()


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
