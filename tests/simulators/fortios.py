# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A strict, stateful simulator of the FortiOS REST API (``/api/v2/cmdb`` and ``/api/v2/monitor``),
for the tables and monitors the FortiGate inspection workaround reads and writes.

Sources are cited next to each shape with these short names:

* [fos-coll] fortinet.fortios collection 2.4.2 (fortinet-ansible-dev/ansible-galaxy-fortios-collection,
  f3cc322): ``plugins/httpapi/fortios.py`` (token login probes ``monitor/system/status``, 401 = bad
  token, ``Authorization: Bearer``), ``plugins/module_utils/fortios/fortios.py`` (URL building,
  ``?vdom=``, ``revision_changed``, error codes ``-3`` "Object not found" / ``-61``), and the
  versioned schemas in ``plugins/modules/fortios_application_list.py``,
  ``fortios_firewall_ssl_ssh_profile.py``, ``fortios_firewall_wildcard_fqdn_custom.py``,
  ``fortios_firewall_address.py``, ``fortios_application_name.py`` (field names, enums, the
  ``exclusion`` version range v6.2.7 / v6.4.4+, multi-value attributes sent as space-separated strings);
  ``fortios_*`` modules read a table object as ``results[0]``.
* [fos-coll#66] fortinet-ansible-dev/ansible-galaxy-fortios-collection#66: ``revision_changed`` tells
  whether a request changed the configuration (FortiOS 6.2.3 and later).
* [envelope] field captures of FortiOS 7.4.1 answers in hermanwjacobsen/hfortix-fortios (docs on the
  API response structure): GET envelope ``http_method, size, matched_count, next_idx, revision,
  results, vdom, path, name, status, http_status, serial, version, build``; ``q_origin_key`` in every
  table row; write envelope ``http_method, mkey, revision, revision_changed, status, http_status``;
  error envelope ``cli_error``, ``error`` -651, ``http_status`` 500.
* [tf#193] fortinetdev/terraform-provider-fortios#193: an invalid reference answers HTTP 500 with
  ``node_check_object fail! for name port2032 / value parse error before 'port2032' / Command fail.
  Return code -651``.
* [tf#339] fortinetdev/terraform-provider-fortios#339: a bad token on 7.4.5 gets the Apache-style
  HTML ``401 Unauthorized`` page, not JSON.
* [tf#424] fortinetdev/terraform-provider-fortios#424: FortiOS stores multi-value attributes in a fixed
  order of its own (``set os BSD Windows`` reads back ``Windows BSD``); peers report false changes.
* [kb357228] Fortinet community technical tip 357228: from 7.4.5 an ``access_token`` URL parameter is
  refused (HTTP 401, "REST API key in URL parameters is disabled") unless
  ``config system global / set rest-api-key-url-query enable``; the token goes in
  ``Authorization: Bearer``.
* [fapi#80] fortinet-solutions-cse/fortiosapi#80 (7.4.5): ``GET /api/v2/cmdb/system/status`` answers
  HTTP 404 with a JSON body; fortiosapi 1.0.5's token login reads it and fails. [fapi#81] moves the
  probe to ``monitor/system/status`` (unmerged).
* [powerfgt] FortiPower/PowerFGT ``Get-FGTMonitorUtmApplicationCategories``: the categories monitor
  returns ``name`` and ``id`` per category.
* [issue13] the Tailscale application is FortiGuard id 51457 (fortiguard.fortinet.com/appcontrol/51457);
  reports show it filed under Remote.Access (7) and Proxy (6).

Shapes marked INFERRED were not found in a primary source; docs/simulators.md lists them.
Stricter than the product on purpose: an attribute the table does not have is refused with -651
(the product may ignore it), so a client typo cannot pass unnoticed.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import secrets
import threading
import urllib.parse
import uuid as uuidlib

from ansible_collections.directpath.firewall.tests.simulators.base import (
    AUTH, OTHER, READ, WRITE, DeviceSimulator, Response,
)

__all__ = [
    'BUILTIN_READ_ONLY_SSL_PROFILES',
    'CATEGORIES',
    'FortiosSimulator',
    'TAILSCALE_APP_ID',
    'default_config',
    'parse_version',
]

API_PREFIX = '/api/v2/'
TAILSCALE_APP_ID = 51457
EXCLUSION_SINCE = (6, 4, 4)          # [fos-coll] exclusion v_range [["v6.2.7", "v6.2.7"], ["v6.4.4", ""]]
URL_TOKEN_REFUSED_SINCE = (7, 4, 5)  # [kb357228]

# [powerfgt] id + name per category. The names are FortiGuard's application categories; ids 6 (Proxy) and
# 7 (Remote.Access) come from [issue13]; the other ids are INFERRED.
CATEGORIES = (
    (2, 'P2P'), (3, 'VoIP'), (5, 'Video/Audio'), (6, 'Proxy'), (7, 'Remote.Access'), (8, 'Game'),
    (12, 'General.Interest'), (15, 'Network.Service'), (17, 'Update'), (21, 'Email'), (22, 'Storage.Backup'),
    (23, 'Social.Media'), (25, 'Web.Client'), (28, 'Collaboration'), (29, 'Business'), (30, 'Cloud.IT'),
    (31, 'Mobile'), (32, 'Unknown Applications'),
)

# Built-in SSL/SSH inspection profiles that FortiOS keeps read-only (the GUI offers "clone" only).
# The refusal's HTTP status, code and wording are INFERRED.
BUILTIN_READ_ONLY_SSL_PROFILES = ('certificate-inspection', 'deep-inspection', 'no-inspection')

# [tf#339]
UNAUTHORIZED_HTML = (
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>401 Unauthorized</title>\n'
    '</head><body>\n<h1>Unauthorized</h1>\n<p>This server could not verify that you\nare authorized to access '
    'the document\nrequested.  Either you supplied the wrong\ncredentials (e.g., bad password), or your\nbrowser '
    "doesn't understand how to supply\nthe credentials required.</p>\n</body></html>\n")
# INFERRED: the same server's page for an internal error (fault http_500).
INTERNAL_ERROR_HTML = (
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>500 Internal Server Error</title>\n'
    '</head><body>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error or\n'
    'misconfiguration and was unable to complete\nyour request.</p>\n</body></html>\n')


def parse_version(text):
    """'v7.4.7' -> (7, 4, 7), as [fos-coll] ``__convert_version_to_number`` splits it."""
    text = str(text)
    text = text[1:] if text.startswith('v') else text
    parts = text.split('.')
    if len(parts) != 3:
        raise ValueError('FortiOS version %r should be vMAJOR.MINOR.PATCH' % (text,))
    return tuple(int(part) for part in parts)


# --------------------------------------------------------------------------------------------------
# Table schemas: the attributes of each table, from [fos-coll] versioned_schema (wire names).
# --------------------------------------------------------------------------------------------------
class _Str:
    def __init__(self, size=None, required=False):
        self.size = size
        self.required = required


class _Int:
    def __init__(self, low=None, high=None, required=False):
        self.low = low
        self.high = high
        self.required = required


class _Enum:
    def __init__(self, *values):
        self.values = values
        self.required = False


class _Multi:
    """A multi-value option sent as one space-separated string ([fos-coll] flatten_multilists_attributes),
    stored in FortiOS's own order ([tf#424]): ``order`` gives that order, None means numeric."""

    def __init__(self, order=None):
        self.order = order
        self.required = False


class _Table:
    def __init__(self, key, fields, since=None):
        self.key = key
        self.fields = fields
        self.since = since
        self.required = False


_ENABLE = ('enable', 'disable')
_ID_TABLE = _Table('id', {'id': _Int(0, 4294967295, required=True)})

APPLICATION_LIST = {
    'name': _Str(35, required=True), 'comment': _Str(255), 'replacemsg-group': _Str(35),
    'extended-log': _Enum(*_ENABLE), 'other-application-action': _Enum('pass', 'block'),
    'app-replacemsg': _Enum(*_ENABLE), 'other-application-log': _Enum(*_ENABLE),
    'enforce-default-app-port': _Enum(*_ENABLE), 'force-inclusion-ssl-di-sigs': _Enum(*_ENABLE),
    'unknown-application-action': _Enum('pass', 'block'), 'unknown-application-log': _Enum(*_ENABLE),
    'p2p-block-list': _Multi(('skype', 'edonkey', 'bittorrent')), 'deep-app-inspection': _Enum(*_ENABLE),
    'options': _Multi(('allow-dns', 'allow-icmp', 'allow-http', 'allow-ssl', 'allow-quic')),
    'control-default-network-services': _Enum(*_ENABLE),
    'default-network-services': _Table('id', {'id': _Int(0, 4294967295, required=True), 'port': _Int(0, 65535),
                                              'services': _Multi(('http', 'ssh', 'telnet', 'ftp', 'dns', 'smtp', 'pop3',
                                                                  'imap', 'snmp', 'nntp', 'https')),
                                              'violation-action': _Enum('pass', 'monitor', 'block')}),
    'entries': _Table('id', {
        'id': _Int(0, 4294967295, required=True),
        'risk': _Table('level', {'level': _Int(1, 5, required=True)}),
        'category': _ID_TABLE, 'sub-category': _ID_TABLE, 'application': _ID_TABLE,
        'exclusion': _Table('id', {'id': _Int(0, 4294967295, required=True)}, since=EXCLUSION_SINCE),
        'protocols': _Multi(), 'vendor': _Multi(), 'technology': _Multi(), 'behavior': _Multi(),
        'popularity': _Multi(('1', '2', '3', '4', '5')),
        'parameters': _Table('id', {'id': _Int(0, 4294967295, required=True)}),
        'action': _Enum('pass', 'block', 'reset'), 'log': _Enum(*_ENABLE), 'log-packet': _Enum(*_ENABLE),
        'rate-count': _Int(0, 65535), 'rate-duration': _Int(1, 65535), 'rate-mode': _Enum('periodical', 'continuous'),
        'rate-track': _Enum('none', 'src-ip', 'dest-ip', 'dhcp-client-mac', 'dns-domain'), 'session-ttl': _Int(0, 4294967295),
        'shaper': _Str(35), 'shaper-reverse': _Str(35), 'per-ip-shaper': _Str(35),
        'quarantine': _Enum('none', 'attacker'), 'quarantine-expiry': _Str(), 'quarantine-log': _Enum(*_ENABLE),
    }),
}
# Defaults FortiOS fills in for a new entry. The default action of an entry is block (INFERRED from the
# CLI, where a new entry without "set action" blocks; [fos-coll] #329's example relies on it).
ENTRY_DEFAULTS = {
    'risk': [], 'category': [], 'sub-category': [], 'application': [], 'exclusion': [], 'protocols': 'all',
    'vendor': 'all', 'technology': 'all', 'behavior': 'all', 'popularity': '1 2 3 4 5', 'parameters': [],
    'action': 'block', 'log': 'enable', 'log-packet': 'disable', 'rate-count': 0, 'rate-duration': 60,
    'rate-mode': 'continuous', 'rate-track': 'none', 'session-ttl': 0, 'shaper': '', 'shaper-reverse': '',
    'per-ip-shaper': '', 'quarantine': 'none', 'quarantine-expiry': '5m', 'quarantine-log': 'enable',
}
LIST_DEFAULTS = {
    'comment': '', 'replacemsg-group': '', 'extended-log': 'disable', 'other-application-action': 'pass',
    'app-replacemsg': 'enable', 'other-application-log': 'disable', 'enforce-default-app-port': 'disable',
    'force-inclusion-ssl-di-sigs': 'disable', 'unknown-application-action': 'pass', 'unknown-application-log': 'disable',
    'p2p-block-list': '', 'deep-app-inspection': 'enable', 'options': 'allow-dns', 'control-default-network-services': 'disable',
    'default-network-services': [], 'entries': [],
}

_INSPECT = _Enum('disable', 'certificate-inspection', 'deep-inspection')
_PROTOCOL_SETTINGS = {
    'ports': _Multi(), 'status': _INSPECT, 'client-certificate': _Enum('bypass', 'inspect', 'block'),
    'unsupported-ssl-version': _Enum('allow', 'block', 'inspect'), 'unsupported-ssl-cipher': _Enum('allow', 'block'),
    'unsupported-ssl-negotiation': _Enum('allow', 'block'), 'expired-server-cert': _Enum('allow', 'block', 'ignore'),
    'revoked-server-cert': _Enum('allow', 'block', 'ignore'), 'untrusted-server-cert': _Enum('allow', 'block', 'ignore'),
    'cert-validation-timeout': _Enum('allow', 'block', 'ignore'), 'cert-validation-failure': _Enum('allow', 'block', 'ignore'),
    'sni-server-cert-check': _Enum('enable', 'strict', 'disable'), 'cert-probe-failure': _Enum('allow', 'block'),
    'min-allowed-ssl-version': _Enum('ssl-3.0', 'tls-1.0', 'tls-1.1', 'tls-1.2', 'tls-1.3'),
    'quic': _Enum('inspect', 'bypass', 'block', 'disable', 'enable'), 'proxy-after-tcp-handshake': _Enum(*_ENABLE),
}
SSL_EXEMPT_TYPES = ('fortiguard-category', 'address', 'address6', 'wildcard-fqdn', 'regex')
SSL_SSH_PROFILE = {
    'name': _Str(35, required=True), 'comment': _Str(255),
    'ssl': _Table(None, {'inspect-all': _INSPECT, 'client-certificate': _Enum('bypass', 'inspect', 'block')}),
    'https': _Table(None, _PROTOCOL_SETTINGS), 'ftps': _Table(None, _PROTOCOL_SETTINGS), 'imaps': _Table(None, _PROTOCOL_SETTINGS),
    'pop3s': _Table(None, _PROTOCOL_SETTINGS), 'smtps': _Table(None, _PROTOCOL_SETTINGS),
    'ssh': _Table(None, {'ports': _Multi(), 'status': _Enum('disable', 'deep-inspection'),
                         'inspect-all': _Enum('disable', 'deep-inspection')}),
    'dot': _Table(None, {'status': _Enum('disable', 'deep-inspection')}),
    'allowlist': _Enum(*_ENABLE), 'block-blocklisted-certificates': _Enum(*_ENABLE),
    'ssl-exempt': _Table('id', {
        'id': _Int(0, 512, required=True), 'type': _Enum(*SSL_EXEMPT_TYPES), 'fortiguard-category': _Int(0, 255),
        'address': _Str(79), 'address6': _Str(79), 'wildcard-fqdn': _Str(79), 'regex': _Str(255),
    }),
    'server-cert-mode': _Enum('re-sign', 'replace'), 'use-ssl-server': _Enum(*_ENABLE), 'caname': _Str(35),
    'untrusted-caname': _Str(35), 'ssl-exemption-ip-rating': _Enum(*_ENABLE), 'ssl-anomaly-log': _Enum(*_ENABLE),
    'ssl-exemption-log': _Enum(*_ENABLE), 'rpc-over-https': _Enum(*_ENABLE), 'mapi-over-https': _Enum(*_ENABLE),
    'supported-alpn': _Enum('http1-1', 'http2', 'all', 'none'),
}
EXEMPT_DEFAULTS = {'type': 'fortiguard-category', 'fortiguard-category': 0, 'address': '', 'address6': '',
                   'wildcard-fqdn': '', 'regex': ''}
WILDCARD_FQDN_CUSTOM = {'name': _Str(79, required=True), 'uuid': _Str(36), 'wildcard-fqdn': _Str(255),
                        'color': _Int(0, 32), 'comment': _Str(255), 'visibility': _Enum(*_ENABLE)}
ADDRESS = {
    'name': _Str(79, required=True), 'uuid': _Str(36), 'subnet': _Str(), 'type': _Enum(
        'ipmask', 'iprange', 'fqdn', 'geography', 'wildcard', 'dynamic', 'interface-subnet', 'mac', 'route-tag', 'wildcard-fqdn'),
    'start-ip': _Str(), 'end-ip': _Str(), 'fqdn': _Str(255), 'wildcard-fqdn': _Str(255), 'country': _Str(2),
    'cache-ttl': _Int(0, 86400), 'comment': _Str(255), 'associated-interface': _Str(35), 'color': _Int(0, 32),
    'allow-routing': _Enum(*_ENABLE), 'fabric-object': _Enum(*_ENABLE), 'visibility': _Enum(*_ENABLE),
}
APPLICATION_NAME = {
    'name': _Str(63), 'id': _Int(), 'category': _Int(), 'popularity': _Int(), 'risk': _Int(), 'weight': _Int(),
    'protocol': _Str(), 'technology': _Str(), 'behavior': _Str(), 'vendor': _Str(), 'parameters': _Table('name', {}),
    'metadata': _Table('id', {}),
}

# (path, name) -> (mkey attribute, schema, writable)
TABLES = {
    ('application', 'list'): ('name', APPLICATION_LIST, True),
    ('application', 'name'): ('name', APPLICATION_NAME, False),
    ('firewall', 'ssl-ssh-profile'): ('name', SSL_SSH_PROFILE, True),
    ('firewall.wildcard-fqdn', 'custom'): ('name', WILDCARD_FQDN_CUSTOM, True),
    ('firewall', 'address'): ('name', ADDRESS, True),
}


# --------------------------------------------------------------------------------------------------
# Seed: a FortiGate with two VDOMs, built-in objects and other people's profiles
# --------------------------------------------------------------------------------------------------
# Application signatures (read-only FortiGuard data). Only Tailscale's id is from a primary source
# [issue13]; the other ids and every attribute value are illustrative (INFERRED).
APPLICATIONS = (
    {'name': 'Tailscale', 'id': TAILSCALE_APP_ID, 'category': 7, 'popularity': 3, 'risk': 3, 'weight': 20,
     'protocol': '1', 'technology': '1', 'behavior': '9', 'vendor': '0'},
    {'name': 'TeamViewer', 'id': 16427, 'category': 7, 'popularity': 5, 'risk': 4, 'weight': 20,
     'protocol': '1', 'technology': '1', 'behavior': '9', 'vendor': '0'},
    {'name': 'AnyDesk', 'id': 36935, 'category': 7, 'popularity': 4, 'risk': 4, 'weight': 20,
     'protocol': '1', 'technology': '1', 'behavior': '9', 'vendor': '0'},
    {'name': 'Psiphon', 'id': 16410, 'category': 6, 'popularity': 3, 'risk': 5, 'weight': 40,
     'protocol': '1', 'technology': '1', 'behavior': '2 9', 'vendor': '0'},
    {'name': 'BitTorrent', 'id': 15924, 'category': 2, 'popularity': 5, 'risk': 4, 'weight': 30,
     'protocol': '1 2', 'technology': '3', 'behavior': '2', 'vendor': '0'},
    {'name': 'YouTube', 'id': 31077, 'category': 5, 'popularity': 5, 'risk': 2, 'weight': 10,
     'protocol': '1', 'technology': '2', 'behavior': '9', 'vendor': '12'},
    {'name': 'Microsoft.Teams', 'id': 43541, 'category': 28, 'popularity': 5, 'risk': 1, 'weight': 10,
     'protocol': '1', 'technology': '2', 'behavior': '9', 'vendor': '5'},
)


def _entry(entry_id, **values):
    entry = copy.deepcopy(ENTRY_DEFAULTS)
    entry['id'] = entry_id
    for key, value in values.items():
        entry[key.replace('_', '-')] = value
    return entry


def _ids(*ids):
    return [{'id': value} for value in ids]


def _app_list(name, entries, **values):
    data = copy.deepcopy(LIST_DEFAULTS)
    data['name'] = name
    data['entries'] = entries
    for key, value in values.items():
        data[key.replace('_', '-')] = value
    return data


def _ssl_profile(name, inspection, exempt=(), comment=''):
    protocol = {'ports': '443', 'status': inspection, 'client-certificate': 'bypass', 'unsupported-ssl-version': 'block',
                'expired-server-cert': 'block', 'revoked-server-cert': 'block', 'untrusted-server-cert': 'allow',
                'cert-validation-timeout': 'allow', 'cert-validation-failure': 'block', 'sni-server-cert-check': 'enable',
                'min-allowed-ssl-version': 'tls-1.1', 'quic': 'inspect', 'proxy-after-tcp-handshake': 'disable'}
    exempt_rows = []
    for index, (kind, value) in enumerate(exempt, start=1):
        row = dict(EXEMPT_DEFAULTS, id=index, type=kind)
        row[kind] = value
        exempt_rows.append(row)
    return {
        'name': name, 'comment': comment, 'ssl': {'inspect-all': 'disable', 'client-certificate': 'bypass'},
        'https': protocol, 'ftps': dict(protocol, ports='990'), 'imaps': dict(protocol, ports='993'),
        'pop3s': dict(protocol, ports='995'), 'smtps': dict(protocol, ports='465'),
        'ssh': {'ports': '22', 'status': 'disable', 'inspect-all': 'disable'}, 'dot': {'status': 'disable'},
        'allowlist': 'disable', 'block-blocklisted-certificates': 'enable', 'ssl-exempt': exempt_rows,
        'server-cert-mode': 're-sign', 'use-ssl-server': 'disable', 'caname': 'Fortinet_CA_SSL',
        'untrusted-caname': 'Fortinet_CA_Untrusted', 'ssl-exemption-ip-rating': 'enable', 'ssl-anomaly-log': 'enable',
        'ssl-exemption-log': 'disable', 'rpc-over-https': 'disable', 'mapi-over-https': 'disable', 'supported-alpn': 'all',
    }


# The exemptions FortiOS's default deep-inspection profiles ship with: FortiGuard web categories 31
# (Finance and Banking), 33 (Health and Wellness), 87 (Personal Privacy) and wildcard FQDN objects of
# well-known services (the category numbers from the Fortinet community articles cited in the
# research notes; the object list is abridged, INFERRED).
_DEFAULT_EXEMPT = (('fortiguard-category', 31), ('fortiguard-category', 33), ('fortiguard-category', 87),
                   ('address', 'apple'), ('wildcard-fqdn', 'g-adobe'), ('wildcard-fqdn', 'g-microsoft'),
                   ('wildcard-fqdn', 'g-android'))
_DEFAULT_WILDCARDS = (('g-adobe', '*.adobe.com'), ('g-android', '*.android.com'), ('g-microsoft', '*.microsoft.com'),
                      ('g-apple', '*.apple.com'), ('g-google', '*.google.com'))


def _address(name, kind, **values):
    data = {'name': name, 'uuid': str(uuidlib.uuid5(uuidlib.NAMESPACE_DNS, 'address-' + name)), 'type': kind,
            'subnet': '0.0.0.0 0.0.0.0', 'start-ip': '0.0.0.0', 'end-ip': '0.0.0.0', 'fqdn': '', 'wildcard-fqdn': '',
            'country': '', 'cache-ttl': 0, 'comment': '', 'associated-interface': '', 'color': 0, 'allow-routing': 'disable',
            'fabric-object': 'disable', 'visibility': 'enable'}
    for key, value in values.items():
        data[key.replace('_', '-')] = value
    return data


def _wildcard(name, pattern, comment=''):
    return {'name': name, 'uuid': str(uuidlib.uuid5(uuidlib.NAMESPACE_DNS, 'wildcard-' + name)),
            'wildcard-fqdn': pattern, 'color': 0, 'comment': comment, 'visibility': 'enable'}


def default_config():
    """``{vdom: {"path/name": {mkey: object}}}`` for VDOMs ``root`` and ``branch``.

    root: the stock ``default`` application list (entry 1 blocks P2P and Proxy, entry 2 passes
    everything else), the security team's ``corp-strict`` list (blocks Tailscale and TeamViewer by
    name, then the whole Remote.Access category, other applications blocked), ``guest-wifi``
    (blocks Video/Audio and Game only); the built-in read-only SSL profiles, ``custom-deep-inspection``
    and the security team's ``corp-deep`` (exempts one address). branch: ``default`` and
    ``branch-apps`` (blocks Remote.Access), ``custom-deep-inspection``.
    """
    def shared_objects():
        wildcard = {name: _wildcard(name, pattern) for name, pattern in _DEFAULT_WILDCARDS}
        addresses = {
            'all': _address('all', 'ipmask'),
            'none': _address('none', 'ipmask', subnet='0.0.0.0 255.255.255.255'),
            'apple': _address('apple', 'fqdn', fqdn='*.apple.com'),
            'login.microsoftonline.com': _address('login.microsoftonline.com', 'fqdn', fqdn='login.microsoftonline.com'),
        }
        profiles = {
            'certificate-inspection': _ssl_profile('certificate-inspection', 'certificate-inspection',
                                                   comment='Read-only SSL handshake inspection profile.'),
            'deep-inspection': _ssl_profile('deep-inspection', 'deep-inspection', _DEFAULT_EXEMPT,
                                            comment='Read-only deep inspection profile.'),
            'no-inspection': _ssl_profile('no-inspection', 'disable', comment='Read-only profile that does no inspection.'),
            'custom-deep-inspection': _ssl_profile('custom-deep-inspection', 'deep-inspection', _DEFAULT_EXEMPT,
                                                   comment='Customizable deep inspection profile.'),
        }
        return wildcard, addresses, profiles

    root_wildcards, root_addresses, root_profiles = shared_objects()
    root_addresses['payroll-saas'] = _address('payroll-saas', 'fqdn', fqdn='payroll.example-saas.com',
                                              comment='Finance: pinned certificates, never inspect')
    root_addresses['ts-derp-fra'] = _address('ts-derp-fra', 'ipmask', subnet='192.0.2.40 255.255.255.255',
                                             comment='network team: a relay we pin')
    root_profiles['corp-deep'] = _ssl_profile('corp-deep', 'deep-inspection', (('address', 'payroll-saas'),),
                                              comment='Security team: CAB approval for every change')
    root_lists = {
        'default': _app_list('default', [_entry(1, category=_ids(2, 6)), _entry(2, action='pass')],
                             comment='Monitor all applications.'),
        'corp-strict': _app_list('corp-strict', [
            _entry(1, application=_ids(TAILSCALE_APP_ID, 16427), log_packet='enable'),
            _entry(2, category=_ids(7)),
            _entry(3, category=_ids(23), action='pass'),
        ], other_application_action='block', comment='Security team - do not edit without CAB'),
        'guest-wifi': _app_list('guest-wifi', [_entry(1, category=_ids(5, 8), popularity='3 4 5')]),
    }
    branch_wildcards, branch_addresses, branch_profiles = shared_objects()
    branch_lists = {
        'default': _app_list('default', [_entry(1, category=_ids(2, 6)), _entry(2, action='pass')],
                             comment='Monitor all applications.'),
        'branch-apps': _app_list('branch-apps', [_entry(1, category=_ids(7), action='reset'), _entry(2, action='pass')]),
    }
    applications = {app['name']: dict(app, parameters=[], metadata=[]) for app in APPLICATIONS}
    for lists in (root_lists, branch_lists):
        for app_list in lists.values():
            _sorted_rows(app_list, APPLICATION_LIST)   # stored as the device stores what it is given
    return {
        'root': {'application/list': root_lists, 'application/name': copy.deepcopy(applications),
                 'firewall/ssl-ssh-profile': root_profiles, 'firewall.wildcard-fqdn/custom': root_wildcards,
                 'firewall/address': root_addresses},
        'branch': {'application/list': branch_lists, 'application/name': copy.deepcopy(applications),
                   'firewall/ssl-ssh-profile': branch_profiles, 'firewall.wildcard-fqdn/custom': branch_wildcards,
                   'firewall/address': branch_addresses},
    }


# --------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------
class FortiosError(Exception):
    """An error envelope: ``error`` code, HTTP status and, for CLI-level refusals, ``cli_error``."""

    def __init__(self, http_status, code=None, cli_error=None):
        super().__init__(cli_error or 'error %s' % code)
        self.http_status = http_status
        self.code = code
        self.cli_error = cli_error


def _parse_error(attribute, value):
    # [tf#193] / [envelope]: "node_check_object fail! for name X\n\nvalue parse error before 'X'\nCommand fail. Return code -651"
    return FortiosError(500, -651, "node_check_object fail! for %s %s\n\nvalue parse error before '%s'\n"
                                   "Command fail. Return code -651\n" % (attribute, value, value))


def _command_error(message):
    # INFERRED wording, same -651 shape.
    return FortiosError(500, -651, '%s\nCommand fail. Return code -651\n' % message)


def _not_found():
    return FortiosError(404, -3)   # [fos-coll] fortios_error_codes "-3": "Object not found"


# --------------------------------------------------------------------------------------------------
# Validation and normalisation of written objects
# --------------------------------------------------------------------------------------------------
def _multi_normal(value, spec, attribute):
    if isinstance(value, list):
        # fortiosapi users sometimes send a JSON list; FortiOS wants the string ([fos-coll] flattens it).
        raise _parse_error(attribute, value)
    words = str(value).split()
    if spec.order is None:
        if words == ['all']:
            return 'all'
        for word in words:
            if not word.isdigit():
                raise _parse_error(attribute, word)
        return ' '.join(sorted(set(words), key=int))
    for word in words:
        if word not in spec.order:
            raise _parse_error(attribute, word)
    return ' '.join(word for word in spec.order if word in words)   # [tf#424] FortiOS's own order


def _check_value(attribute, spec, value, version):
    if isinstance(spec, _Str):
        if not isinstance(value, str):
            raise _parse_error(attribute, value)
        if spec.size and len(value) > spec.size:
            raise _command_error('%s: string is too long (max %d)' % (attribute, spec.size))
        return value
    if isinstance(spec, _Int):
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).lstrip('-').isdigit():
            raise _parse_error(attribute, value)
        number = int(value)
        if (spec.low is not None and number < spec.low) or (spec.high is not None and number > spec.high):
            raise _command_error('%s: value %d out of range' % (attribute, number))
        return number
    if isinstance(spec, _Enum):
        if value not in spec.values:
            raise _parse_error(attribute, value)
        return value
    if isinstance(spec, _Multi):
        return _multi_normal(value, spec, attribute)
    if isinstance(spec, _Table):
        if spec.since and version < spec.since:
            raise _command_error("command parse error before '%s'" % attribute)
        if spec.key is None:
            if not isinstance(value, dict):
                raise _parse_error(attribute, value)
            return _check_object(value, spec.fields, version, partial=True, base={})
        if not isinstance(value, list):
            raise _parse_error(attribute, value)
        rows = []
        seen = set()
        for row in value:
            if not isinstance(row, dict):
                raise _parse_error(attribute, row)
            checked = _check_object(row, spec.fields, version, partial=False, base={})
            key = checked.get(spec.key)
            if key in seen:
                raise _command_error('%s: duplicate entry %s' % (attribute, key))
            seen.add(key)
            rows.append(checked)
        return rows
    raise AssertionError(spec)  # pragma: no cover


def _check_object(data, fields, version, partial, base):
    result = copy.deepcopy(base)
    for attribute, value in data.items():
        if attribute == 'q_origin_key':
            continue   # [envelope] every read row carries it; the device accepts it back
        if attribute not in fields:
            # Stricter than the product on purpose (see the module docstring).
            raise _command_error("command parse error before '%s'" % attribute)
        spec = fields[attribute]
        if isinstance(spec, _Table) and spec.key is None and isinstance(value, dict):
            # A nested settings block (https, ssl ...): PUT changes the attributes it names.
            result[attribute] = _check_object(value, spec.fields, version, partial=True, base=result.get(attribute) or {})
            continue
        result[attribute] = _check_value(attribute, spec, value, version)
    if not partial:
        for attribute, spec in fields.items():
            if spec.required and attribute not in result:
                raise _command_error('%s: attribute must be set' % attribute)
    return result


# --------------------------------------------------------------------------------------------------
# Filters ([fos-coll]/REST reference syntax: key==value, != , =@ contains, !@; "," = or; several filter= = and)
# --------------------------------------------------------------------------------------------------
_FILTER = re.compile(r'^([\w\-.]+)(==|!=|=@|!@|<=|>=|<|>)(.*)$')


def _filter_matches(row, expression):
    alternatives = expression.split(',')
    for alternative in alternatives:
        match = _FILTER.match(alternative)
        if not match:
            raise FortiosError(424)   # INFERRED: a malformed filter is refused as a failed dependency
        key, operator, value = match.groups()
        actual = row.get(key)
        text = '' if actual is None else str(actual)
        if operator == '==' and text == value:
            return True
        if operator == '!=' and text != value:
            return True
        if operator == '=@' and value in text:
            return True
        if operator == '!@' and value not in text:
            return True
        if operator in ('<', '>', '<=', '>=') and text.lstrip('-').isdigit() and value.lstrip('-').isdigit():
            left, right = int(text), int(value)
            if {'<': left < right, '>': left > right, '<=': left <= right, '>=': left >= right}[operator]:
                return True
    return False


def _number_rows(rows):
    """A row written with id 0 gets the next free id, as the CLI's "edit 0" does (INFERRED for the API)."""
    highest = max([row['id'] for row in rows] + [0])
    for row in rows:
        if row['id'] == 0:
            highest += 1
            row['id'] = highest
    return rows


def _with_origin_keys(obj, fields, mkey_attribute):
    """A stored object as the device reads it back: ``q_origin_key`` on the object and on every table row."""
    out = {}
    for attribute, value in obj.items():
        spec = fields.get(attribute)
        if isinstance(spec, _Table) and spec.key is not None and isinstance(value, list):
            out[attribute] = [dict(row, q_origin_key=row.get(spec.key)) for row in value]
        else:
            out[attribute] = copy.deepcopy(value)
    out['q_origin_key'] = obj.get(mkey_attribute)
    return out


def _sorted_rows(obj, fields):
    """Multi-value attributes and id lists stored in FortiOS's fixed order ([tf#424]): id lists inside an
    entry (category, application, exclusion, risk ...) ascending. Entries and ssl-exempt rows keep the
    configured order (it decides which entry matches first)."""
    for attribute, spec in fields.items():
        value = obj.get(attribute)
        if isinstance(spec, _Table) and spec.key is not None and isinstance(value, list):
            for row in value:
                _sorted_rows(row, spec.fields)
            if set(spec.fields) == {spec.key}:
                value.sort(key=lambda row: row.get(spec.key))


# --------------------------------------------------------------------------------------------------
# The simulator
# --------------------------------------------------------------------------------------------------
def _api_key():
    alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
    return ''.join(secrets.choice(alphabet) for position in range(30))


class FortiosSimulator(DeviceSimulator):
    """FortiGate REST API. Options: ``version`` (``v7.4.7``), ``build``, ``serial``, ``hostname``,
    ``access_token`` (read-write API user), ``read_only_token`` (an API user with a read-only profile),
    ``rest_api_key_url_query`` (accept ``?access_token=``; refused from 7.4.5 unless enabled)."""

    VENDOR = 'fortios'
    SUPPORTED_FAULTS = frozenset({'http_500', 'timeout', 'auth', 'api_error'})

    def __init__(self, state_dir, version='v7.4.7', build=2731, serial='FGVM02TM24003187', hostname='fgt-sim',
                 access_token=None, read_only_token=None, rest_api_key_url_query=False, **kwargs):
        super().__init__(state_dir, **kwargs)
        self.lock = threading.Lock()
        self.version = version
        self.build = int(build)
        self.serial = serial
        self.hostname = hostname
        # FortiOS API keys are 30 characters of [A-Za-z0-9] ("execute api-user generate-key", [fos-coll] #232).
        self.access_token = access_token or _api_key()
        self.read_only_token = read_only_token or _api_key()
        self.rest_api_key_url_query = bool(rest_api_key_url_query)
        self.config = default_config()
        self._posted_mkey = None

    # ---- state -----------------------------------------------------------------------------------
    def _revision(self):
        return hashlib.md5(json.dumps(self.config, sort_keys=True).encode()).hexdigest()  # noqa: S324 (a revision id, not security)

    def state_dump(self):
        with self.lock:
            return {'vendor': self.VENDOR, 'version': self.version, 'build': self.build, 'serial': self.serial,
                    'hostname': self.hostname, 'access_token': self.access_token, 'read_only_token': self.read_only_token,
                    'rest_api_key_url_query': self.rest_api_key_url_query, 'revision': self._revision(),
                    'vdoms': sorted(self.config), 'config': copy.deepcopy(self.config)}

    def state_update(self, values):
        unknown = set(values) - {'version', 'build', 'serial', 'hostname', 'access_token', 'read_only_token',
                                 'rest_api_key_url_query', 'reset', 'objects', 'remove', 'tailscale_category'}
        if unknown:
            raise ValueError('unknown state keys: %s' % ', '.join(sorted(unknown)))
        with self.lock:
            if values.get('reset'):
                self.config = default_config()
            if 'version' in values:
                parse_version(values['version'])
                self.version = values['version']
            for key in ('build', 'serial', 'hostname', 'access_token', 'read_only_token'):
                if key in values:
                    setattr(self, key, int(values[key]) if key == 'build' else str(values[key]))
            if 'rest_api_key_url_query' in values:
                self.rest_api_key_url_query = bool(values['rest_api_key_url_query'])
            if 'tailscale_category' in values:
                # FortiGuard re-files the signature (an application-database update).
                for tables in self.config.values():
                    tables['application/name']['Tailscale']['category'] = int(values['tailscale_category'])
            for item in values.get('objects') or []:
                vdom, table, obj = item['vdom'], item['table'], item['object']
                mkey_attribute = TABLES[tuple(table.split('/', 1))][0]
                self.config.setdefault(vdom, {key: {} for key in (
                    'application/list', 'application/name', 'firewall/ssl-ssh-profile', 'firewall.wildcard-fqdn/custom',
                    'firewall/address')})[table][obj[mkey_attribute]] = copy.deepcopy(obj)
            for item in values.get('remove') or []:
                self.config[item['vdom']][item['table']].pop(item['mkey'], None)

    def state_components(self):
        with self.lock:
            return {'%s:%s' % (vdom, table): json.dumps(rows, sort_keys=True)
                    for vdom, tables in self.config.items() for table, rows in tables.items()}

    # ---- envelopes -------------------------------------------------------------------------------
    def _stamp(self, answer):
        answer.update({'serial': self.serial, 'version': self.version, 'build': self.build})
        return answer

    def _json(self, answer, status):
        return Response(status=status, body=(json.dumps(answer, indent=2) + '\n').encode(), content_type='application/json')

    # ---- dispatch --------------------------------------------------------------------------------
    def handle_device(self, request):
        if not request.path.startswith(API_PREFIX):
            self.journal.record(request.method, request.path, 'http:%s' % request.path, OTHER, 404, 'not the REST API')
            return Response(status=404, body=b'<html><body>404 Not Found</body></html>', content_type='text/html')
        parts = [urllib.parse.unquote(part) for part in request.path[len(API_PREFIX):].split('/') if part != '']
        api = parts[0] if parts else ''
        kind = READ if request.method == 'GET' else WRITE
        op = '%s:%s' % (request.method.lower(), '/'.join([api] + parts[1:3]))
        fault = self.faults.take('timeout', op)
        if fault:
            self.journal.record(request.method, request.path, op, kind, 0, fault='timeout')
            return self.hold_then_drop(fault)
        token = self._token(request)
        if self.faults.take('auth', op) or token not in (self.access_token, self.read_only_token):
            self.journal.record(request.method, request.path, op, AUTH, 401, 'no valid API key')
            return Response(status=401, body=UNAUTHORIZED_HTML.encode(), content_type='text/html; charset=iso-8859-1')
        fault = self.faults.take('http_500', op)
        if fault:
            self.journal.record(request.method, request.path, op, kind, 500, fault='http_500')
            return Response(status=500, body=(fault.message or INTERNAL_ERROR_HTML).encode(), content_type='text/html')
        with self.lock:
            status, answer = self._answer(request, api, parts[1:], kind, op, read_only=token == self.read_only_token)
        self.journal.record(request.method, request.path, op, kind, status,
                            detail=answer.get('cli_error', '') if isinstance(answer, dict) else '',
                            api_status=answer.get('error') if isinstance(answer, dict) else None)
        return self._json(answer, status)

    def _token(self, request):
        header = request.headers.get('authorization', '')
        if header.startswith('Bearer '):
            return header[len('Bearer '):].strip()
        query = dict(urllib.parse.parse_qsl(request.query, keep_blank_values=True))
        if 'access_token' in query:
            # [kb357228]: refused from 7.4.5 unless rest-api-key-url-query is enabled.
            if parse_version(self.version) >= URL_TOKEN_REFUSED_SINCE and not self.rest_api_key_url_query:
                return None
            return query['access_token']
        return None

    def _answer(self, request, api, rest, kind, op, read_only):
        query = urllib.parse.parse_qs(request.query, keep_blank_values=True)
        vdom = (query.get('vdom') or ['root'])[0]
        method = request.method
        if api == 'monitor':
            return self._monitor(method, rest, vdom)
        if api != 'cmdb' or len(rest) < 2:
            return 404, self._stamp({'http_method': method, 'status': 'error', 'http_status': 404})
        path, name = rest[0], rest[1]
        mkey = rest[2] if len(rest) > 2 else None
        envelope = {'http_method': method, 'revision': self._revision(), 'vdom': vdom, 'path': path, 'name': name}
        if mkey is not None:
            envelope['mkey'] = mkey
        if (path, name) == ('system', 'status'):
            # [fapi#80]: current FortiOS has no cmdb/system/status; the answer is 404 with a JSON body.
            envelope.pop('vdom')
            return 404, self._stamp(dict(envelope, status='error', http_status=404))
        if (path, name) not in TABLES:
            return 404, self._stamp(dict(envelope, status='error', http_status=404))
        if vdom not in self.config:
            # INFERRED: a VDOM the API user may not use (or that does not exist) is forbidden.
            return 403, self._stamp(dict(envelope, status='error', http_status=403))
        if kind == WRITE and read_only:
            # INFERRED body: an API user whose profile is read-only gets 403 on every write.
            return 403, self._stamp(dict(envelope, status='error', http_status=403))
        try:
            if method == 'GET':
                return 200, self._stamp(self._get(envelope, vdom, path, name, mkey, query))
            fault = self.faults.take('api_error', op)
            if fault:
                raise FortiosError(500, int(fault.code or -651), fault.message or (
                    'Internal error when processing the request\nCommand fail. Return code %s\n' % (fault.code or -651)))
            before = self._revision()
            self._write(request, vdom, path, name, mkey)
            after = self._revision()
            answer = dict(envelope, revision=after, revision_changed=before != after, status='success', http_status=200)
            if before != after:
                answer['old_revision'] = before
            if mkey is None and method == 'POST':
                answer['mkey'] = self._posted_mkey
            return 200, self._stamp(answer)
        except FortiosError as error:
            answer = dict(envelope, status='error', http_status=error.http_status)
            if method != 'GET':
                answer['revision_changed'] = False
            if error.code is not None:
                answer['error'] = error.code
            if error.cli_error:
                answer['cli_error'] = error.cli_error
            return error.http_status, self._stamp(answer)

    def _monitor(self, method, rest, vdom):
        name = '/'.join(rest)
        envelope = {'http_method': method, 'vdom': vdom, 'path': rest[0] if rest else '', 'name': '/'.join(rest[1:]), 'action': ''}
        if method != 'GET':
            return 405, self._stamp(dict(envelope, status='error', http_status=405))
        if vdom not in self.config:
            return 403, self._stamp(dict(envelope, status='error', http_status=403))
        if name == 'system/status':
            # [fos-coll] httpapi token login reads version from this answer; version, build and serial are top level.
            results = {'model_name': 'FortiGate', 'model_number': 'VM64', 'model': 'FGVM64', 'hostname': self.hostname,
                       'log_disk_status': 'available'}
            return 200, self._stamp(dict(envelope, results=results, status='success'))
        if name == 'utm/application-categories':
            results = [{'id': category_id, 'name': category_name} for category_id, category_name in CATEGORIES]
            return 200, self._stamp(dict(envelope, results=results, status='success'))
        return 404, self._stamp(dict(envelope, status='error', http_status=404))

    def _get(self, envelope, vdom, path, name, mkey, query):
        mkey_attribute, fields, _writable = TABLES[(path, name)]
        rows = self.config[vdom]['%s/%s' % (path, name)]
        if mkey is not None:
            if mkey not in rows:
                raise _not_found()
            return dict(envelope, results=[_with_origin_keys(rows[mkey], fields, mkey_attribute)], status='success', http_status=200)
        selected = list(rows.values())
        for expression in query.get('filter', []):
            selected = [row for row in selected if _filter_matches(row, expression)]
        results = [_with_origin_keys(row, fields, mkey_attribute) for row in selected]
        formats = query.get('format')
        if formats:
            wanted = set(formats[0].split('|')) | {'q_origin_key'}
            results = [{key: value for key, value in row.items() if key in wanted} for row in results]
        return dict(envelope, size=len(rows), matched_count=len(selected), next_idx=len(selected) - 1,
                    results=results, status='success', http_status=200)

    def _write(self, request, vdom, path, name, mkey):
        mkey_attribute, fields, writable = TABLES[(path, name)]
        table = self.config[vdom]['%s/%s' % (path, name)]
        method = request.method
        if not writable or method not in ('POST', 'PUT', 'DELETE'):
            raise FortiosError(405)   # INFERRED: the FortiGuard application table is read-only
        if method == 'PUT' and mkey is None:
            raise FortiosError(405)
        if method == 'DELETE':
            if mkey is None:
                raise FortiosError(405)
            if mkey not in table:
                raise _not_found()
            self._check_not_read_only(path, name, mkey)
            self._check_unreferenced(vdom, path, name, mkey)
            del table[mkey]
            return
        try:
            data = json.loads(request.body.decode('utf-8') or 'null')
        except ValueError:
            raise FortiosError(400) from None   # INFERRED
        if not isinstance(data, dict):
            raise FortiosError(400)
        version = parse_version(self.version)
        if method == 'POST':
            if mkey is not None:
                raise FortiosError(405)
            key = data.get(mkey_attribute)
            if not key:
                raise _command_error('%s: attribute must be set' % mkey_attribute)
            if key in table:
                raise FortiosError(500, -5)   # INFERRED: "entry already exists"
            base = self._defaults(path, name)
            obj = _check_object(data, fields, version, partial=True, base=base)
            if 'uuid' in fields and not obj.get('uuid'):
                obj['uuid'] = str(uuidlib.uuid4())
            self._complete_rows(path, name, obj)
            self._check_references(vdom, path, name, obj)
            _sorted_rows(obj, fields)
            table[key] = obj
            self._posted_mkey = key
            return
        if mkey not in table:
            raise _not_found()
        self._check_not_read_only(path, name, mkey)
        obj = _check_object(data, fields, version, partial=True, base=table[mkey])
        self._complete_rows(path, name, obj)
        self._check_references(vdom, path, name, obj)
        _sorted_rows(obj, fields)
        new_key = obj.get(mkey_attribute, mkey)
        if new_key != mkey:
            if new_key in table:
                raise FortiosError(500, -5)
            del table[mkey]
        table[new_key] = obj

    @staticmethod
    def _defaults(path, name):
        if (path, name) == ('application', 'list'):
            return copy.deepcopy(LIST_DEFAULTS)
        if (path, name) == ('firewall.wildcard-fqdn', 'custom'):
            return {'wildcard-fqdn': '', 'color': 0, 'comment': '', 'visibility': 'enable'}
        if (path, name) == ('firewall', 'ssl-ssh-profile'):
            return _ssl_profile('', 'deep-inspection')
        return {}

    @staticmethod
    def _complete_rows(path, name, obj):
        """Rows written without every attribute get FortiOS's defaults (an entry without "action" blocks)."""
        if (path, name) == ('application', 'list'):
            obj['entries'] = _number_rows([dict(copy.deepcopy(ENTRY_DEFAULTS), **row) for row in obj.get('entries', [])])
        if (path, name) == ('firewall', 'ssl-ssh-profile'):
            obj['ssl-exempt'] = _number_rows([dict(EXEMPT_DEFAULTS, **row) for row in obj.get('ssl-exempt', [])])
        if (path, name) == ('firewall.wildcard-fqdn', 'custom'):
            pattern = obj.get('wildcard-fqdn', '')
            # INFERRED: the object must hold a wildcard domain, e.g. "*.example.com".
            if not re.match(r'^[A-Za-z0-9*?][A-Za-z0-9*?.\-]*$', pattern) or '*' not in pattern and '?' not in pattern:
                raise _parse_error('wildcard-fqdn', pattern or '""')

    @staticmethod
    def _check_not_read_only(path, name, mkey):
        if (path, name) == ('firewall', 'ssl-ssh-profile') and mkey in BUILTIN_READ_ONLY_SSL_PROFILES:
            raise _command_error("profile '%s' is read-only; clone it to change it" % mkey)   # INFERRED wording

    def _check_references(self, vdom, path, name, obj):
        tables = self.config[vdom]
        if (path, name) == ('firewall', 'ssl-ssh-profile'):
            for row in obj.get('ssl-exempt', []):
                kind = row.get('type')
                if kind == 'wildcard-fqdn' and row.get('wildcard-fqdn') not in tables['firewall.wildcard-fqdn/custom']:
                    raise _parse_error('wildcard-fqdn', row.get('wildcard-fqdn') or '""')   # [tf#193] datasource miss
                if kind == 'address' and row.get('address') not in tables['firewall/address']:
                    raise _parse_error('address', row.get('address') or '""')
                if kind == 'fortiguard-category' and not row.get('fortiguard-category'):
                    raise _command_error('fortiguard-category: attribute must be set')
        if (path, name) == ('application', 'list'):
            known_apps = {app['id'] for app in tables['application/name'].values()}
            known_categories = {category_id for category_id, _name in CATEGORIES}
            for entry in obj.get('entries', []):
                for row in entry.get('application', []) + entry.get('exclusion', []):
                    if row['id'] not in known_apps:
                        raise _parse_error('application', row['id'])
                for row in entry.get('category', []):
                    if row['id'] not in known_categories:
                        raise _parse_error('category', row['id'])

    def _check_unreferenced(self, vdom, path, name, mkey):
        tables = self.config[vdom]
        attribute = {('firewall.wildcard-fqdn', 'custom'): 'wildcard-fqdn', ('firewall', 'address'): 'address'}.get((path, name))
        if attribute is None:
            return
        for profile in tables['firewall/ssl-ssh-profile'].values():
            for row in profile.get('ssl-exempt', []):
                if row.get('type') == attribute and row.get(attribute) == mkey:
                    # INFERRED code and wording ("entry is used").
                    raise FortiosError(500, -23, "entry '%s' is used by ssl-ssh-profile '%s'\nCommand fail. Return code -23\n"
                                       % (mkey, profile['name']))
