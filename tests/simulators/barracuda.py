# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A strict, stateful simulator of the Barracuda CloudGen Firewall REST API (the parts the collection uses).

Sources, cited next to each shape with these short names:

* [campus-rest] campus.barracuda.com doc 170819659 "REST API" (CloudGen Firewall): HTTPS port chosen in
  Box > Infrastructure Services > REST API Service, authentication with HTTP basic or an
  ``X-API-Token`` header.
* [campus-dev] campus.barracuda.com doc 49058894 "Developer Documentation for the F-Series Firewall
  REST API": ``/rest/control/v1/...`` answers are JSON objects holding lists (``{"servers": [...]}``).
* [bapi] the public ``barracuda_api`` client (Peter Gastinger, "tested with 8.0.4 and 8.3.1"):
  ``endpoints.py`` (``/rest/control/v1/box/info``, ``/rest/config/v1/forwarding-firewall/rules``,
  ``.../rules/lists``, ``.../objects/networks``, ``.../objects/services``), ``barracuda.py`` (port
  8443, ``X-API-Token``, ``?rcsMessage=`` appended to every POST/PATCH/PUT/DELETE, 200 = JSON,
  204 = success without body, errors read as ``{"code", "message"}``, 409 = entry exists, 404 = not
  found, rule ``position.placement`` one of ``exact|top|bottom|before|after``, network objects
  ``{"name", "type", "included": [{"entry": {"ip"}}|{"references"}], "excluded"}``, service objects
  ``{"name", "entries": [{"entry": {"protocol": "udp", "udp": {"ports": [...]}}}]}``, rules with
  ``source``/``destination``/``service`` as ``{"references": name}`` and ``action.type``
  ``pass|block|deny|cascade|cascadeback``), and its tests (a rule as the firewall returns it;
  ``{"objects": [...]}`` lists).
* [mcp] LanceHardwoodXXX/Barracuda-MCP-v2 ``server.py``: ``GET .../forwarding-firewall/rules`` answers
  an object with ``rules``; a policy-driven firewall answers that request with code 409.
* [ngf] barracudanetworks/ngf-automation, Barracuda's own PowerShell module
  ``contrib/powershell/module/barracudacgf/BarracudaCGF``: ``New-BarracudaCGFFirewallRule.ps1``
  (``position`` = ``{"placement"}`` plus ``"index"`` for exact and ``"reference"`` for before/after;
  action types block|deny|pass|dnat|appredirect|map|group|cascade|cascadeback),
  ``Set-BarracudaCGFNetworkObject.ps1`` (``PUT .../objects/networks/<name>`` with the whole object and
  no ``rcsMessage``), ``Get-BarracudaCGFBoxInfo.ps1`` (``/rest/control/v1/box/info``: "load, memory
  usage, uptime, model, serial and release").

Shapes marked INFERRED were not found in a primary source; docs/simulators.md lists them. Max UDP
(General Firewall Configuration) has no REST resource in any source, so the simulator holds it as box
state that no request can read or change: a test can prove a module never pretends to set it.
"""

from __future__ import annotations

import base64
import copy
import hmac
import ipaddress
import json
import re
import secrets
import threading
import urllib.parse

from ansible_collections.directpath.firewall.tests.simulators.base import (
    OTHER, READ, WRITE, DeviceSimulator, Response,
)

__all__ = ['BarracudaSimulator', 'PLACEMENTS', 'default_rules', 'default_networks', 'default_services']

CONFIG = '/rest/config/v1/forwarding-firewall'
BOX_INFO = '/rest/control/v1/box/info'
PLACEMENTS = ('exact', 'top', 'bottom', 'before', 'after')          # [bapi] ngEnumLabel comment, [ngf]
ACTIONS = ('pass', 'block', 'deny', 'cascade', 'cascadeback', 'dnat', 'map', 'group', 'appredirect')   # [ngf]
RULE_FIELDS = ('name', 'action', 'bidirectional', 'comment', 'deactivated', 'destination', 'dynamic', 'ipVersion',
               'policies', 'service', 'source', 'position', 'color', 'schedule', 'advanced', 'list')
NETWORK_TYPES = ('generic', 'singleIPv4Address', 'listIPv4Address', 'singleIPv4Network', 'listIPv4Network', 'hostname',
                 'singleIPv6Address', 'listIPv6Address', 'singleIPv6Network', 'listIPv6Network')   # [bapi] comment
# Objects every CloudGen Firewall has (names as the [bapi] tests and rule fixtures use them). They cannot be
# changed or deleted (INFERRED answer: 403 with the {code, message} envelope).
PREDEFINED_NETWORKS = ('Any', 'Internet', 'Private 10', 'Private 172', 'Private 192', 'Trusted LAN')
PREDEFINED_SERVICES = ('Any', 'FTP', 'DNS', 'DNS-TCP', 'HTTP', 'HTTPS', 'HTTP+S', 'Any-TCP', 'Any-UDP', 'NGF-MGMT-AUTH')


class BarracudaError(Exception):
    """An error answer: HTTP ``status`` and the ``{"code", "message"}`` body ([bapi] reads both)."""

    def __init__(self, status, message, fault=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.fault = fault

    def response(self):
        return Response.json({'code': self.status, 'message': self.message}, status=self.status)


def _references(value):
    """Every object name a rule or object refers to (values of "references" keys, at any depth)."""
    found = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == 'references' and isinstance(item, str):
                found.add(item)
            else:
                found |= _references(item)
    elif isinstance(value, list):
        for item in value:
            found |= _references(item)
    return found


def _network(name, comment, ips, object_type='generic', excluded=()):
    return {'name': name, 'type': object_type, 'comment': comment, 'included': [{'entry': {'ip': ip}} for ip in ips],
            'excluded': [{'references': ref} for ref in excluded], 'shared': False, 'dynamic': False}


def default_networks():
    networks = [
        _network('Any', 'Any IPv4 address', ['0.0.0.0/0']),
        _network('Internet', 'Any address except private networks', ['0.0.0.0/0'],
                 excluded=('Private 10', 'Private 172', 'Private 192')),
        _network('Private 10', 'Private class A network', ['10.0.0.0/8']),
        _network('Private 172', 'Private class B network', ['172.16.0.0/12']),
        _network('Private 192', 'Private class C network', ['192.168.0.0/16']),
        _network('Trusted LAN', 'Trusted networks', ['10.10.0.0/16']),
        # Someone else's object, to be left alone.
        _network('Web Servers', 'DMZ web', ['192.0.2.10', '192.0.2.11'], object_type='listIPv4Address'),
    ]
    return {entry['name']: entry for entry in networks}


def default_services():
    def svc(name, protocol, ports, comment=''):
        return {'name': name, 'comment': comment, 'entries': [{'entry': {'protocol': protocol, protocol: {'ports': list(ports)}}}]}
    return {
        'Any': {'name': 'Any', 'comment': 'Any service', 'entries': [{'entry': {'protocol': 'any'}}]},
        'FTP': svc('FTP', 'tcp', ['21']), 'DNS': svc('DNS', 'udp', ['53']), 'DNS-TCP': svc('DNS-TCP', 'tcp', ['53']),
        'HTTP': svc('HTTP', 'tcp', ['80']), 'HTTPS': svc('HTTPS', 'tcp', ['443']),
        'HTTP+S': {'name': 'HTTP+S', 'comment': '', 'entries': [{'references': 'HTTP'}, {'references': 'HTTPS'}]},
        'Any-TCP': svc('Any-TCP', 'tcp', ['1-65535']), 'Any-UDP': svc('Any-UDP', 'udp', ['1-65535']),
        'NGF-MGMT-AUTH': svc('NGF-MGMT-AUTH', 'tcp', ['389', '636']),
        'SIP-UDP': svc('SIP-UDP', 'udp', ['5060'], 'Voice gateway'),
    }


def _rule(name, source, destination, service, action='pass', comment='', deactivated=False):
    # [bapi] tests: the shape of a rule as GET .../rules/{name} returns it.
    action_object = {'type': action}
    if action == 'pass':
        action_object['connection'] = {'references': 'Original Source IP'}
    return {'name': name, 'action': action_object, 'bidirectional': False, 'comment': comment,
            'deactivated': deactivated, 'destination': {'references': destination}, 'dynamic': False,
            'ipVersion': 'IPv4', 'policies': {'ips': 'Default Policy'}, 'service': {'references': service},
            'source': {'references': source}}


def default_rules():
    """An ordered rule set as a small branch firewall has it; the last rule blocks everything else."""
    return [
        _rule('BOXES-2-LAN-AUTHENTICATION', 'Any', 'Trusted LAN', 'NGF-MGMT-AUTH', comment='Managed boxes to auth servers'),
        _rule('LAN-2-INTERNET', 'Trusted LAN', 'Internet', 'Any', comment='Outbound'),
        _rule('INTERNET-2-WEB', 'Internet', 'Web Servers', 'HTTP+S', comment='Published web'),
        _rule('VOICE-SIP', 'Trusted LAN', 'Internet', 'SIP-UDP', comment='Voice gateway', deactivated=True),
        _rule('BLOCKALL', 'Any', 'Any', 'Any', action='block', comment='Default block'),
    ]


class BarracudaSimulator(DeviceSimulator):
    """A CloudGen Firewall REST API on loopback. See the module docstring for sources.

    ``api_token``: accepted in ``X-API-Token``; ``username``/``password``: HTTP basic. ``policy_driven``:
    the forwarding rule endpoints answer 409 as on a firewall whose rules come from policy profiles
    ([mcp]). ``max_udp_percent`` is box state with no REST resource.
    """

    VENDOR = 'barracuda'
    SUPPORTED_FAULTS = frozenset(('http_500', 'timeout', 'auth', 'api_error', 'lock_held'))

    def __init__(self, state_dir, api_token=None, username='root', password='directpath-sim', firmware='9.0.2',
                 model='VF25', hostname='cgf-sim', serial='1234567', max_udp_percent=30, policy_driven=False,
                 lock_owner='other-admin', host='127.0.0.1', port=0, authority=None, timeout_seconds=3.0):
        super().__init__(state_dir, host=host, port=port, authority=authority)
        self.lock = threading.RLock()
        self.api_token = api_token or secrets.token_urlsafe(32)
        self.username = username
        self.password = password
        self.box = {'hostname': hostname, 'model': model, 'serial': serial, 'release': firmware, 'uptime': '12 days',
                    'load': [0.12, 0.1, 0.08], 'memory': {'total': 4096, 'used': 1234}}
        self.max_udp_percent = int(max_udp_percent)
        self.policy_driven = bool(policy_driven)
        self.lock_owner = lock_owner
        self.timeout_seconds = timeout_seconds
        self.rcs_messages = []
        self._reset()

    def _reset(self):
        self.rules = default_rules()
        self.networks = default_networks()
        self.services = default_services()

    # state ---------------------------------------------------------------------------------------
    def rule_names(self):
        with self.lock:
            return [rule['name'] for rule in self.rules]

    def state_dump(self):
        with self.lock:
            return {'vendor': self.VENDOR, 'box': dict(self.box), 'max_udp_percent': self.max_udp_percent,
                    'policy_driven': self.policy_driven, 'rule_order': self.rule_names(),
                    'rules': copy.deepcopy(self.rules), 'networks': copy.deepcopy(self.networks),
                    'services': copy.deepcopy(self.services), 'rcs_messages': list(self.rcs_messages)}

    def state_update(self, values):
        known = {'api_token', 'username', 'password', 'firmware', 'model', 'hostname', 'max_udp_percent',
                 'policy_driven', 'reset', 'rules', 'networks', 'services', 'lock_owner'}
        unknown = set(values) - known
        if unknown:
            raise ValueError('unknown Barracuda state keys: %s (known: %s)' % (', '.join(sorted(unknown)), ', '.join(sorted(known))))
        with self.lock:
            for key in ('api_token', 'username', 'password', 'lock_owner'):
                if key in values:
                    setattr(self, key, str(values[key]))
            for key, name in (('firmware', 'release'), ('model', 'model'), ('hostname', 'hostname')):
                if key in values:
                    self.box[name] = str(values[key])
            if 'max_udp_percent' in values:
                self.max_udp_percent = int(values['max_udp_percent'])
            if 'policy_driven' in values:
                self.policy_driven = bool(values['policy_driven'])
            if values.get('reset'):
                self._reset()
                self.rcs_messages = []
            if 'rules' in values:
                self.rules = copy.deepcopy(list(values['rules']))
            if 'networks' in values:
                self.networks = {entry['name']: copy.deepcopy(entry) for entry in values['networks']}
            if 'services' in values:
                self.services = {entry['name']: copy.deepcopy(entry) for entry in values['services']}

    def state_components(self):
        with self.lock:
            return {'rules': json.dumps(self.rules, sort_keys=True), 'networks': json.dumps(self.networks, sort_keys=True),
                    'services': json.dumps(self.services, sort_keys=True), 'max_udp_percent': str(self.max_udp_percent)}

    # dispatch ------------------------------------------------------------------------------------
    def handle_device(self, request):
        op, kind = self._classify(request)
        fault = self.faults.take('timeout', op)
        if fault:
            self.journal.record(request.method, request.path, op, kind, 0, 'connection held, then dropped', None, 'timeout')
            return self.hold_then_drop(fault, self.timeout_seconds)
        fault = self.faults.take('http_500', op)
        if fault:
            self.journal.record(request.method, request.path, op, kind, 500, 'http_500 fault', None, 'http_500')
            # The box's web server error page, not the JSON envelope (INFERRED body).
            body = fault.message or '<html><body><h1>500 Internal Server Error</h1></body></html>'
            return Response(status=500, body=body.encode(), content_type='text/html')
        fired = None
        detail = ''
        with self.lock:
            try:
                response, detail = self._route(request, op, kind)
            except BarracudaError as error:
                response = error.response()
                detail = error.message
                fired = error.fault
        self.journal.record(request.method, request.path, op, kind, response.status, detail,
                            None if response.status < 400 else 'error', fired)
        return response

    @staticmethod
    def _classify(request):
        path = request.path
        method = request.method
        kind = READ if method in ('GET', 'HEAD') else WRITE if method in ('POST', 'PUT', 'PATCH', 'DELETE') else OTHER
        if path == BOX_INFO:
            return 'box:info', kind
        if path.startswith(CONFIG + '/'):
            segments = path[len(CONFIG) + 1:].split('/')
            resource = segments[0] if segments[0] != 'objects' else '/'.join(segments[:2])
            return '%s:%s' % (method.lower(), resource), kind
        return 'http:%s %s' % (method, path), kind

    def _authenticate(self, request, op):
        fault = self.faults.take('auth', op)
        token = request.headers.get('x-api-token')
        if not fault:
            if token and hmac.compare_digest(token, self.api_token):
                return 'api-token'
            authorization = request.headers.get('authorization', '')
            if authorization.startswith('Basic '):
                try:
                    user, _sep, password = base64.b64decode(authorization[6:]).decode().partition(':')
                except (ValueError, UnicodeDecodeError):
                    user, password = '', ''
                if hmac.compare_digest(user, self.username) and hmac.compare_digest(password, self.password):
                    return user
        # INFERRED wording; [bapi] reads {code, message} from any error answer.
        raise BarracudaError(401, 'Authentication failed', fault='auth' if fault else None)

    def _route(self, request, op, kind):
        self._authenticate(request, op)
        path = request.path
        if path == BOX_INFO:
            if request.method != 'GET':
                raise BarracudaError(405, 'Method not allowed')
            # [ngf] names what box/info holds (load, memory, uptime, model, serial, release); the exact keys
            # and value formats are INFERRED.
            return Response.json(copy.deepcopy(self.box)), ''
        if not path.startswith(CONFIG + '/'):
            raise BarracudaError(404, 'Resource not found')
        segments = [urllib.parse.unquote(part) for part in path[len(CONFIG) + 1:].split('/')]
        query = dict(urllib.parse.parse_qsl(request.query, keep_blank_values=True))
        if kind == WRITE:
            # [bapi] sends ?rcsMessage= with every write; [ngf] writes objects without it, so it is optional.
            self._write_faults(op)
        if segments[0] == 'rules':
            if self.policy_driven:
                # [mcp]: a policy-driven firewall answers the rule endpoints with 409 (message INFERRED).
                raise BarracudaError(409, 'Forwarding rules of this firewall are managed by policy profiles')
            if len(segments) > 1 and segments[1] == 'lists':
                if len(segments) == 2 and request.method == 'GET':
                    return Response.json({'lists': []}), ''
                raise BarracudaError(404, 'Rule list %s not found' % '/'.join(segments[2:3]))
            return self._rules(request, segments[1:], query)
        if segments[0] == 'objects' and len(segments) >= 2 and segments[1] in ('networks', 'services'):
            return self._objects(request, segments[1], segments[2:], query)
        raise BarracudaError(404, 'Resource not found')

    def _write_faults(self, op):
        fault = self.faults.take('lock_held', op)
        if fault:
            # INFERRED: the configuration node is locked by another administrator.
            raise BarracudaError(409, 'Configuration is locked by %s' % (fault.message or self.lock_owner), fault='lock_held')
        fault = self.faults.take('api_error', op)
        if fault:
            raise BarracudaError(int(fault.code or 400), fault.message or 'Invalid configuration', fault='api_error')

    def _record_message(self, query):
        # The revision message of an accepted write ('' when none was sent).
        self.rcs_messages.append(query.get('rcsMessage', ''))

    # rules ---------------------------------------------------------------------------------------
    def _find_rule(self, name):
        for index, rule in enumerate(self.rules):
            if rule['name'] == name:
                return index
        return None

    def _rules(self, request, rest, query):
        method = request.method
        expand = query.get('expand') == 'true'
        if not rest or rest == ['']:
            if method == 'GET':
                rules = copy.deepcopy(self.rules) if expand else [rule['name'] for rule in self.rules]
                return Response.json({'rules': rules}), ''
            if method == 'POST':
                rule = self._json(request)
                self._validate_rule(rule, creating=True)
                if self._find_rule(rule['name']) is not None:
                    # [bapi] 409 = the entry already exists (message INFERRED).
                    raise BarracudaError(409, 'Rule %s already exists' % rule['name'])
                position = rule.pop('position', None) or {'placement': 'bottom'}
                index = self._placement_index(position)
                self.rules.insert(index, rule)
                self._record_message(query)
                return Response(status=204), 'created %s at %d' % (rule['name'], index)
            raise BarracudaError(405, 'Method not allowed')
        name = rest[0]
        index = self._find_rule(name)
        if index is None:
            raise BarracudaError(404, 'Rule %s not found' % name)
        if method == 'GET':
            return Response.json(copy.deepcopy(self.rules[index])), ''
        if method == 'DELETE':
            del self.rules[index]
            self._record_message(query)
            return Response(status=204), 'deleted %s' % name
        if method == 'PATCH':
            change = self._json(request)
            merged = copy.deepcopy(self.rules[index])
            position = change.pop('position', None)
            merged.update(change)
            self._validate_rule(merged, creating=False)
            if merged['name'] != name and self._find_rule(merged['name']) is not None:
                raise BarracudaError(409, 'Rule %s already exists' % merged['name'])
            rules = self.rules[:index] + self.rules[index + 1:]
            saved = self.rules
            self.rules = rules
            try:
                new_index = index if position is None else self._placement_index(position)
            except BarracudaError:
                self.rules = saved
                raise
            self.rules.insert(new_index, merged)
            self._record_message(query)
            return Response(status=204), 'updated %s' % name
        raise BarracudaError(405, 'Method not allowed')

    def _placement_index(self, position):
        if not isinstance(position, dict) or position.get('placement') not in PLACEMENTS:
            raise BarracudaError(400, 'position.placement must be one of %s' % ', '.join(PLACEMENTS))
        placement = position['placement']
        if placement == 'top':
            return 0
        if placement == 'bottom':
            return len(self.rules)
        if placement == 'exact':
            # [ngf]: "index" with placement exact.
            index = position.get('index')
            if not isinstance(index, int) or not 0 <= index <= len(self.rules):
                raise BarracudaError(400, 'position.index out of range')
            return index
        # before/after: "reference" names the neighbouring rule ([ngf] New-BarracudaCGFFirewallRule).
        reference = position.get('reference')
        found = self._find_rule(reference) if isinstance(reference, str) else None
        if found is None:
            raise BarracudaError(400, 'position.reference %r is not a rule' % (reference,))
        return found if placement == 'before' else found + 1

    def _reference_ok(self, value, table):
        if not isinstance(value, dict) or len(value) != 1:
            return False
        if 'references' in value:
            return isinstance(value['references'], str) and value['references'] in table
        if 'explicit' in value:
            return isinstance(value['explicit'], dict)
        return False

    def _validate_rule(self, rule, creating):
        if not isinstance(rule, dict):
            raise BarracudaError(400, 'Rule must be a JSON object')
        unknown = set(rule) - set(RULE_FIELDS)
        if unknown:
            # Stricter than documented: an unknown field is refused rather than ignored (INFERRED).
            raise BarracudaError(400, 'Unknown rule field(s): %s' % ', '.join(sorted(unknown)))
        name = rule.get('name')
        if not isinstance(name, str) or not re.match(r'^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$', name):
            raise BarracudaError(400, 'Rule name %r is invalid' % (name,))
        for field in ('source', 'destination', 'service', 'action'):
            if field not in rule:
                raise BarracudaError(400, 'Rule %s: %s is required' % (name, field))
        action = rule['action']
        if not isinstance(action, dict) or action.get('type') not in ACTIONS:
            raise BarracudaError(400, 'Rule %s: action.type must be one of %s' % (name, ', '.join(ACTIONS)))
        if action['type'] == 'cascade' and not action.get('ruleList'):
            raise BarracudaError(400, 'Rule %s: a cascade action needs ruleList' % name)
        for field, table in (('source', self.networks), ('destination', self.networks), ('service', self.services)):
            if not self._reference_ok(rule[field], table):
                raise BarracudaError(400, 'Rule %s: %s references an object that does not exist: %s'
                                     % (name, field, json.dumps(rule[field], sort_keys=True)))
        for field in ('bidirectional', 'deactivated', 'dynamic'):
            if field in rule and not isinstance(rule[field], bool):
                raise BarracudaError(400, 'Rule %s: %s must be a boolean' % (name, field))
        if rule.get('ipVersion', 'IPv4') not in ('IPv4', 'IPv6'):
            raise BarracudaError(400, 'Rule %s: ipVersion must be IPv4 or IPv6' % name)
        if 'comment' in rule and (not isinstance(rule['comment'], str) or len(rule['comment']) > 255):
            raise BarracudaError(400, 'Rule %s: comment must be a string of at most 255 characters' % name)
        if not creating and 'position' in rule:
            raise BarracudaError(400, 'Rule %s: position is not stored' % name)

    # objects -------------------------------------------------------------------------------------
    def _objects(self, request, kind_name, rest, query):
        table = self.networks if kind_name == 'networks' else self.services
        predefined = PREDEFINED_NETWORKS if kind_name == 'networks' else PREDEFINED_SERVICES
        method = request.method
        if not rest or rest == ['']:
            if method == 'GET':
                if query.get('expand') == 'true':
                    return Response.json({'objects': [copy.deepcopy(entry) for entry in table.values()]}), ''
                return Response.json({'objects': list(table)}), ''
            if method == 'POST':
                entry = self._json(request)
                self._validate_object(kind_name, entry)
                if entry['name'] in table:
                    raise BarracudaError(409, 'Object %s already exists' % entry['name'])
                table[entry['name']] = entry
                self._record_message(query)
                return Response(status=204), 'created %s' % entry['name']
            raise BarracudaError(405, 'Method not allowed')
        name = rest[0]
        if name not in table:
            raise BarracudaError(404, 'Object %s not found' % name)
        if method == 'GET':
            return Response.json(copy.deepcopy(table[name])), ''
        if name in predefined:
            raise BarracudaError(403, 'Object %s is predefined and cannot be changed' % name)
        if method == 'DELETE':
            users = [rule['name'] for rule in self.rules if name in _references(rule)]
            if users:
                raise BarracudaError(409, 'Object %s is in use by rule(s) %s' % (name, ', '.join(users)))
            del table[name]
            self._record_message(query)
            return Response(status=204), 'deleted %s' % name
        if method in ('PATCH', 'PUT'):
            # [ngf] Set-BarracudaCGFNetworkObject: PUT with the whole object replaces it; PATCH merges (INFERRED).
            change = self._json(request)
            merged = copy.deepcopy(table[name]) if method == 'PATCH' else {}
            merged.update(change)
            merged.setdefault('name', name)
            if merged.get('name') != name:
                raise BarracudaError(400, 'Object names cannot be changed')
            self._validate_object(kind_name, merged)
            table[name] = merged
            self._record_message(query)
            return Response(status=204), 'updated %s' % name
        raise BarracudaError(405, 'Method not allowed')

    def _validate_object(self, kind_name, entry):
        if not isinstance(entry, dict) or not isinstance(entry.get('name'), str) or not entry['name']:
            raise BarracudaError(400, 'Object must be a JSON object with a name')
        name = entry['name']
        if kind_name == 'networks':
            allowed = {'name', 'type', 'comment', 'color', 'included', 'excluded', 'shared', 'dynamic'}
            if set(entry) - allowed:
                raise BarracudaError(400, 'Unknown network object field(s): %s' % ', '.join(sorted(set(entry) - allowed)))
            if entry.get('type', 'generic') not in NETWORK_TYPES:
                raise BarracudaError(400, 'Network object %s: type is invalid' % name)
            included = entry.get('included')
            if not isinstance(included, list) or not included:
                raise BarracudaError(400, 'Network object %s: included needs at least one entry' % name)
            for item in included + list(entry.get('excluded') or []):
                if isinstance(item, dict) and 'entry' in item and isinstance(item['entry'], dict):
                    try:
                        ipaddress.ip_network(str(item['entry'].get('ip')), strict=False)
                    except ValueError:
                        raise BarracudaError(400, 'Network object %s: %r is not an IP address or network' % (name, item['entry'].get('ip'))) from None
                elif isinstance(item, dict) and isinstance(item.get('references'), str) and item['references'] in self.networks:
                    continue
                else:
                    raise BarracudaError(400, 'Network object %s: invalid entry %s' % (name, json.dumps(item, sort_keys=True)))
            return
        allowed = {'name', 'comment', 'color', 'entries'}
        if set(entry) - allowed:
            raise BarracudaError(400, 'Unknown service object field(s): %s' % ', '.join(sorted(set(entry) - allowed)))
        entries = entry.get('entries')
        if not isinstance(entries, list) or not entries:
            raise BarracudaError(400, 'Service object %s: entries needs at least one entry' % name)
        for item in entries:
            if isinstance(item, dict) and isinstance(item.get('references'), str) and item['references'] in self.services:
                continue
            inner = item.get('entry') if isinstance(item, dict) else None
            protocol = inner.get('protocol') if isinstance(inner, dict) else None
            if protocol not in ('tcp', 'udp'):
                raise BarracudaError(400, 'Service object %s: protocol must be tcp or udp' % name)
            ports = (inner.get(protocol) or {}).get('ports')
            if not isinstance(ports, list) or not ports:
                raise BarracudaError(400, 'Service object %s: %s.ports needs at least one port' % (name, protocol))
            for port in ports:
                if not isinstance(port, str) or not re.match(r'^\d{1,5}(-\d{1,5})?$', port) \
                        or not all(1 <= int(p) <= 65535 for p in port.split('-')):
                    raise BarracudaError(400, 'Service object %s: port %r is invalid' % (name, port))

    @staticmethod
    def _json(request):
        if not request.headers.get('content-type', '').startswith('application/json'):
            raise BarracudaError(415, 'Content-Type must be application/json')
        try:
            value = request.json()
        except ValueError:
            raise BarracudaError(400, 'Request body is not valid JSON') from None
        return value
