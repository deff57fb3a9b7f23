# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: clients. pfSense on-box client: config.xml shapes, apply commands, version.

PRIVATE to the directpath.firewall collection: may change at any time.

May import: engine/, transport/, other clients/ files, and the vendor's own Python library.

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
* src/etc/inc/filter.inc: ``eimnat`` renders pf's ``endpoint-independent``
  (pfSense Plus 25.11 / CE 2.9, tailscale/tailscale#18035).
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET

from ansible_collections.directpath.firewall.plugins.module_utils.transport.configxml import (
    PFSENSE_CONVENTION,
    child_text,
    ensure_child,
    insert_child,
    remove_child,
    set_child_text,
)
from ansible_collections.directpath.firewall.plugins.module_utils.clients.miniupnpd import UpnpSettings
from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError

__all__ = [
    'CONVENTION',
    'NATPMP_APPLY',
    'ONBOX_SPEC',
    'STATIC_PORT_APPLY',
    'parse_version',
    'read_upnp',
    'supports_eim',
    'write_upnp',
]

CONVENTION = PFSENSE_CONVENTION
UPNP_PATH = 'installedpackages/miniupnpd/config'

# sync_package_miniupnpd() regenerates miniupnpd.conf, restarts the daemon and
# itself sends "filter reload" (miniupnpd.inc, last line of the function).
NATPMP_APPLY = [
    "/usr/local/bin/php -r 'require_once(\"config.inc\"); require_once(\"functions.inc\"); "
    "require_once(\"/usr/local/pkg/miniupnpd.inc\"); sync_package_miniupnpd();'",
]
# applyoutNATrules() in firewall_nat_out.inc.
STATIC_PORT_APPLY = [
    "/usr/local/bin/php -r 'require_once(\"config.inc\"); require_once(\"filter.inc\"); require_once(\"util.inc\"); "
    "if (filter_configure() != 0) { exit(1); } clear_subsystem_dirty(\"natconf\"); clear_subsystem_dirty(\"filter\");'",
]

ONBOX_SPEC = ArgumentSpec(argument_spec=dict(
    config_path=dict(type='path', default='/cf/conf/config.xml'),
    backup_dir=dict(type='path', default='/cf/conf/backup'),
    config_cache=dict(type='path', default='/tmp/config.cache'),
    version_file=dict(type='path', default='/etc/version'),
    apply_command=dict(type='list', elements='str'),
))


def parse_version(text):
    """'2.7.2-RELEASE' -> (2, 7, 2); '25.11-RELEASE' -> (25, 11)."""
    match = re.match(r'\s*(\d+)\.(\d+)(?:\.(\d+))?', text or '')
    if not match:
        raise DirectPathError('cannot read a pfSense version from %r' % (text,), cause='unsupported')
    return tuple(int(part) for part in match.groups() if part is not None)


def read_version(path):
    try:
        with open(path) as handle:
            text = handle.read().strip()
    except (IOError, OSError) as error:
        raise DirectPathError('cannot read the pfSense version from %s: %s' % (path, error), cause='input')
    return text, parse_version(text)


def is_plus(version):
    # Plus releases are numbered YY.MM (21.02 ... 25.11), CE releases 2.x.
    return version[0] >= 20


def supports_eim(version):
    """Endpoint-independent outbound NAT: pfSense Plus 25.11+ and CE 2.9+."""
    return version >= ((25, 11) if is_plus(version) else (2, 9))


def _on(parent, tag):
    return child_text(parent, tag) == 'on'


def read_upnp(config):
    node = config.find(UPNP_PATH)
    settings = UpnpSettings(
        enable=_on(node, 'enable'),
        enable_upnp=_on(node, 'enable_upnp'),
        enable_natpmp=_on(node, 'enable_natpmp'),
        permdefault=_on(node, 'permdefault'),
        ext_iface=child_text(node, 'ext_iface', ''),
        iface_array=[item for item in (child_text(node, 'iface_array', '') or '').split(',') if item],
    )
    if node is not None:
        settings.acl = [(row.findtext('permuser') or '').strip() for row in node.findall('row')
                        if (row.findtext('permuser') or '').strip()]
    return settings


def write_upnp(config, settings):
    node = config.ensure(UPNP_PATH)
    for name in ('enable', 'enable_upnp', 'enable_natpmp', 'permdefault'):
        set_child_text(node, name, 'on' if getattr(settings, name) else None)
    set_child_text(node, 'ext_iface', settings.ext_iface)
    set_child_text(node, 'iface_array', ','.join(settings.iface_array))
    current = [(row.findtext('permuser') or '').strip() for row in node.findall('row')]
    if current != settings.acl:
        for row in node.findall('row'):
            remove_child(node, row)
        for line in settings.acl:
            row = ET.Element('row')
            ET.SubElement(row, 'permuser').text = line
            insert_child(node, row)


# ---- outbound NAT ---------------------------------------------------------------------------

OUR_DESCR = 'directpath.firewall: Tailscale hosts, stable UDP mapping (managed by Ansible)'
ALIAS_NAME = 'directpath_tailscale'


def outbound_rules(config):
    outbound = config.find('nat/outbound')
    return [] if outbound is None else outbound.findall('rule')


def find_our_rule(config):
    for rule in outbound_rules(config):
        if (rule.findtext('descr') or '') == OUR_DESCR:
            return rule
    return None


def rule_view(rule):
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


def build_rule(view, user):
    """A nat/outbound/rule element in the shape saveoutNATrule() stores."""
    now = '%d' % time.time()
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


def find_alias(config, name):
    aliases = config.find('aliases')
    if aliases is None:
        return None
    for alias in aliases.findall('alias'):
        if alias.findtext('name') == name:
            return alias
    return None


def alias_addresses(alias):
    if alias is None:
        return None
    return [item for item in (alias.findtext('address') or '').split(' ') if item]


def write_alias(config, name, addresses, descr):
    """Create or update our host alias; ``None`` removes it."""
    alias = find_alias(config, name)
    if addresses is None:
        if alias is not None:
            remove_child(config.find('aliases'), alias)
        return
    if alias is None:
        alias = ET.Element('alias')
        ET.SubElement(alias, 'name').text = name
        ET.SubElement(alias, 'type').text = 'host'
        ET.SubElement(alias, 'address').text = ''
        ET.SubElement(alias, 'descr').text = descr
        ET.SubElement(alias, 'detail').text = ''
        insert_child(ensure_child(config.root, 'aliases'), alias)
    alias.find('address').text = ' '.join(addresses)
    alias.find('detail').text = '||'.join(['Tailscale host'] * len(addresses))
