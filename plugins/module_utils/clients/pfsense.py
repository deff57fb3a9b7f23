# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: clients. pfSense on-box client: config.xml shapes, apply commands, version.

PRIVATE to the directpath.firewall collection: may change at any time.

May import: engine/, transport/, other clients/ files, and the vendor's own Python library.

:data:`PFSENSE` is the product object (:class:`PfSense`) every pfSense module uses.

Sources (pfsense/pfsense at 9363ac5, 2026-03-31):
* src/usr/local/pkg/miniupnpd.inc ``sync_package_miniupnpd`` reads
  ``installedpackages/miniupnpd/config/0``; booleans are ``on``; ACL lines are
  ``row[]/permuser``; it writes /var/etc/miniupnpd.conf, (re)starts the daemon
  and sends "filter reload". miniupnpd.xml names the fields.
* src/usr/local/pfSense/include/www/firewall_nat_out.inc ``saveoutNATrule``,
  ``applyoutNATrules``: outbound NAT rules ``nat/outbound/rule[]``, flags stored
  as empty elements (``staticnatport``, ``eimnat``), apply = filter_configure()
  then clear the natconf/filter dirty flags.
* src/etc/inc/globals.inc: the version is read from ``/etc/version``.
* src/etc/inc/util.inc ``lock()`` and config.lib.inc ``write_config``: config
  writes are serialised by ``flock`` on ``/tmp/config.lock``.
* src/etc/inc/filter.inc: ``eimnat`` renders pf's ``endpoint-independent``
  (pfSense Plus 25.11 / CE 2.9, tailscale/tailscale#18035).
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET

from ansible_collections.directpath.firewall.plugins.module_utils.transport.configxml import (
    PFSENSE_CONVENTION,
    child_text,
    ensure_child,
    insert_child,
    login_user,
    remove_child,
)
from ansible_collections.directpath.firewall.plugins.module_utils.clients.miniupnpd import UpnpSettings
from ansible_collections.directpath.firewall.plugins.module_utils.clients.onbox import OUR_MARK, OnBoxProduct, onbox_spec

__all__ = [
    'PFSENSE',
    'PfSense',
]

ALIAS_NAME = 'directpath_tailscale'
RULE_DESCR = OUR_MARK + 'Tailscale hosts, stable UDP mapping (managed by Ansible)'
ALIAS_DESCR = 'Tailscale hosts (managed by directpath.firewall)'


class PfSense(OnBoxProduct):
    """pfSense CE and Plus, edited on the box."""

    name = 'pfsense'
    label = 'pfSense'
    convention = PFSENSE_CONVENTION
    spec = onbox_spec('/cf/conf/config.xml', '/cf/conf/backup', '/etc/version', extra=dict(
        config_cache=dict(type='path', default='/tmp/config.cache'),
        config_lock=dict(type='path', default='/tmp/config.lock'),
    ))
    # miniupnpd.inc upnp_validate_ip(): prefix 1-32; upnp_validate_port(): is_port_or_range().
    acl_prefix_min = 1
    # sync_package_miniupnpd() regenerates miniupnpd.conf, restarts the daemon and
    # itself sends "filter reload" (miniupnpd.inc, last line of the function).
    natpmp_apply = [
        "/usr/local/bin/php -r 'require_once(\"config.inc\"); require_once(\"functions.inc\"); "
        "require_once(\"/usr/local/pkg/miniupnpd.inc\"); sync_package_miniupnpd();'",
    ]
    # applyoutNATrules() in firewall_nat_out.inc.
    static_port_apply = [
        "/usr/local/bin/php -r 'require_once(\"config.inc\"); require_once(\"filter.inc\"); require_once(\"util.inc\"); "
        "if (filter_configure() != 0) { exit(1); } clear_subsystem_dirty(\"natconf\"); clear_subsystem_dirty(\"filter\");'",
    ]
    alias_name = ALIAS_NAME
    rule_descr = RULE_DESCR

    def version_text(self, path: str) -> str:
        return self._read_file(path).strip()

    def lock_path(self, params: dict) -> str:
        return params.get('config_lock') or '/tmp/config.lock'

    @staticmethod
    def is_plus(version: tuple) -> bool:
        # Plus releases are numbered YY.MM (21.02 ... 25.11), CE releases 2.x.
        return version[0] >= 20

    def supports_eim(self, version: tuple) -> bool:
        """Endpoint-independent outbound NAT: pfSense Plus 25.11+ and CE 2.9+."""
        return version >= ((25, 11) if self.is_plus(version) else (2, 9))

    # ---- UPnP ------------------------------------------------------------------------------
    def upnp_flag(self, node, tag: str) -> bool:
        return child_text(node, tag) == 'on'   # miniupnpd.inc compares == 'on'

    def read_upnp(self, config) -> UpnpSettings:
        node = config.find(self.upnp_path)
        settings = self.read_upnp_fields(node)
        if node is not None:
            settings.acl = [(row.findtext('permuser') or '').strip() for row in node.findall('row')
                            if (row.findtext('permuser') or '').strip()]
        return settings

    def write_upnp(self, config, settings: UpnpSettings) -> None:
        node = config.ensure(self.upnp_path)
        self.write_upnp_fields(node, settings)
        current = [(row.findtext('permuser') or '').strip() for row in node.findall('row')]
        if current != settings.acl:
            for row in node.findall('row'):
                remove_child(node, row)
            for line in settings.acl:
                row = ET.Element('row')
                ET.SubElement(row, 'permuser').text = line
                insert_child(node, row)

    # ---- outbound NAT ----------------------------------------------------------------------
    @staticmethod
    def rule_view(rule) -> dict | None:
        """The fields of a rule we manage, as a dict (for diff and comparison)."""
        if rule is None:
            return None
        destination = rule.find('destination')
        return {
            'interface': rule.findtext('interface') or '',
            'protocol': rule.findtext('protocol') or 'any',
            'ipprotocol': rule.findtext('ipprotocol') or 'inet46',
            'source': (rule.findtext('source/network') or ''),
            'destination': 'any' if destination is not None and destination.find('any') is not None else (
                rule.findtext('destination/network') or ''),
            'target': rule.findtext('target') or '',
            'staticnatport': rule.find('staticnatport') is not None,
            'eimnat': rule.find('eimnat') is not None,
            'disabled': rule.find('disabled') is not None,
            'descr': rule.findtext('descr') or '',
        }

    @staticmethod
    def build_rule(view: dict):
        """A nat/outbound/rule element in the shape saveoutNATrule() stores."""
        now = '%d' % time.time()
        user = login_user()
        rule = ET.Element('rule')
        ET.SubElement(ET.SubElement(rule, 'source'), 'network').text = view['source']
        ET.SubElement(rule, 'sourceport').text = ''
        ET.SubElement(rule, 'descr').text = view['descr']
        ET.SubElement(rule, 'target').text = view['target']
        ET.SubElement(rule, 'target_subnet').text = ''
        ET.SubElement(rule, 'interface').text = view['interface']
        ET.SubElement(rule, 'poolopts').text = ''
        ET.SubElement(rule, 'source_hash_key').text = ''
        if view['staticnatport']:
            ET.SubElement(rule, 'staticnatport').text = ''
        if view['eimnat']:
            ET.SubElement(rule, 'eimnat').text = ''
        if view['ipprotocol'] != 'inet46':
            ET.SubElement(rule, 'ipprotocol').text = view['ipprotocol']
        ET.SubElement(rule, 'protocol').text = view['protocol']
        ET.SubElement(ET.SubElement(rule, 'destination'), 'any').text = ''
        for stamp in ('created', 'updated'):
            entry = ET.SubElement(rule, stamp)
            ET.SubElement(entry, 'time').text = now
            ET.SubElement(entry, 'username').text = user
        return rule

    @staticmethod
    def find_alias(config, name: str):
        aliases = config.find('aliases')
        if aliases is None:
            return None
        for alias in aliases.findall('alias'):
            if alias.findtext('name') == name:
                return alias
        return None

    def alias_addresses(self, config) -> list | None:
        alias = self.find_alias(config, self.alias_name)
        if alias is None:
            return None
        return [item for item in (alias.findtext('address') or '').split(' ') if item]

    def write_alias(self, config, addresses: list | None) -> None:
        """Create or update our host alias; ``None`` removes it (and an <aliases> we left empty)."""
        alias = self.find_alias(config, self.alias_name)
        if addresses is None:
            if alias is not None:
                remove_child(config.find('aliases'), alias)
                config.prune_empty('aliases')
            return
        if alias is None:
            alias = ET.Element('alias')
            ET.SubElement(alias, 'name').text = self.alias_name
            ET.SubElement(alias, 'type').text = 'host'
            ET.SubElement(alias, 'address').text = ''
            ET.SubElement(alias, 'descr').text = ALIAS_DESCR
            ET.SubElement(alias, 'detail').text = ''
            insert_child(ensure_child(config.root, 'aliases'), alias)
        alias.find('address').text = ' '.join(addresses)
        alias.find('detail').text = '||'.join(['Tailscale host'] * len(addresses))


PFSENSE = PfSense()
