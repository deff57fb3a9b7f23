# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OPNsense 26.7+ source NAT API simulator (``/api/firewall/source_nat/*``).

Sources (opnsense/core f95e815, 2026-08-21):
* controllers/OPNsense/Firewall/Api/SourceNatController.php: ``get``/``set`` of
  ``filter.general.snat_mode``, ``searchRule`` (manual rules in hybrid/advanced,
  synthetic ``automatic_<if>`` rows with ``is_automatic`` in automatic/hybrid),
  ``getRule``, ``addRule``, ``setRule/<uuid>`` (upsert for a valid unknown UUID),
  ``delRule/<uuid>``.
* controllers/OPNsense/Firewall/Api/FilterBaseController.php ``applyAction``:
  POST only, ``{"status": <configd "filter reload skip_alias" output>}``.
* controllers/OPNsense/Base/ApiMutableModelControllerBase.php: mutations need
  POST (else ``{"result": "failed"}``), validation failures are
  ``{"result": "failed", "validations": {"rule.<field>": "message"}}``,
  ``{"result": "saved"[, "uuid"]}``, ``{"result": "deleted"|"not found"}``.
* models/OPNsense/Firewall/Filter.xml ``snatrules``: the fields, defaults and
  choices; BooleanField "Value should be a boolean (0,1).", option fields
  "Option [x] not in list." (BaseListField), sequence 1-999999.
* Authentication: HTTP basic, user = API key, password = API secret
  (docs.opnsense.org/development/how-tos/api.html); a wrong pair gets 401.

Stricter than the product on purpose: an unknown field in a rule is a
validation error here (the real ``setNodes`` ignores it silently), so a client
typo cannot pass unnoticed. Saved changes are pending until ``apply``; the
state shows both the saved configuration and what was last applied.
"""

from __future__ import annotations

import base64
import copy
import ipaddress
import json
import re
import threading
import uuid as uuidlib

from ansible_collections.directpath.firewall.tests.simulators.base import READ, WRITE, AUTH, DeviceSimulator, Response

__all__ = ['OpnsenseApiSimulator', 'RULE_DEFAULTS']

PREFIX = '/api/firewall/source_nat/'
MODES = ('automatic', 'hybrid', 'advanced', 'disabled')
MODE_LABELS = {'automatic': 'Automatic Source NAT rule generation', 'hybrid': 'Hybrid Source NAT rule generation',
               'advanced': 'Manual Source NAT rule generation', 'disabled': 'Disable Source NAT rule generation'}
RULE_DEFAULTS = {
    'enabled': '1', 'nonat': '0', 'nosync': '0', 'sequence': '1', 'interface': 'lan', 'ipprotocol': 'inet',
    'protocol': 'any', 'source_net': 'any', 'source_not': '0', 'source_port': '', 'destination_net': 'any',
    'destination_not': '0', 'destination_port': '', 'target': '', 'target_port': '', 'staticnatport': '0',
    'log': '0', 'categories': '', 'tag': '', 'tagged': '', 'description': '',
}
BOOLEANS = ('enabled', 'nonat', 'nosync', 'source_not', 'destination_not', 'staticnatport', 'log')
PROTOCOLS = ('any', 'TCP', 'UDP', 'TCP/UDP', 'ICMP', 'ESP', 'AH', 'GRE', 'IGMP', 'PIM', 'OSPF', 'IPV6-ICMP', 'SCTP')
WELL_KNOWN_PORTS = ('http', 'https', 'ssh', 'domain', 'ntp', 'isakmp', 'ipsec-nat-t')


def _port_ok(value):
    if value in WELL_KNOWN_PORTS:
        return True
    parts = value.split(':') if ':' in value else value.split('-')
    return len(parts) <= 2 and all(part.isdigit() and 1 <= int(part) <= 65535 for part in parts)


class OpnsenseApiSimulator(DeviceSimulator):
    VENDOR = 'opnsense'
    SUPPORTED_FAULTS = frozenset({'http_500', 'timeout', 'auth', 'commit_fail', 'api_error'})

    def __init__(self, state_dir, api_key='dpkey-0123456789abcdef', api_secret='dpsecret-fedcba9876543210',
                 interfaces=('wan', 'lan', 'opt1'), mode='automatic', **kwargs):
        super().__init__(state_dir, **kwargs)
        self.api_key = api_key
        self.api_secret = api_secret
        self.interfaces = list(interfaces)
        self.lock = threading.Lock()
        self.config = {'snat_mode': mode, 'rules': {}}
        self.running = copy.deepcopy(self.config)

    # ---- state -------------------------------------------------------------------------------
    def state_dump(self):
        with self.lock:
            return {'config': copy.deepcopy(self.config), 'running': copy.deepcopy(self.running),
                    'pending': self.config != self.running}

    def state_update(self, values):
        with self.lock:
            if 'snat_mode' in values:
                self.config['snat_mode'] = values['snat_mode']
            for key, rule in (values.get('rules') or {}).items():
                merged = dict(RULE_DEFAULTS)
                merged.update(rule)
                self.config['rules'][key] = merged
            if values.get('apply', True):
                self.running = copy.deepcopy(self.config)

    def state_components(self):
        with self.lock:
            return {'config': json.dumps(self.config, sort_keys=True), 'running': json.dumps(self.running, sort_keys=True)}

    # ---- helpers -------------------------------------------------------------------------------
    def _authorised(self, request):
        header = request.headers.get('authorization', '')
        if not header.lower().startswith('basic '):
            return False
        try:
            key, secret = base64.b64decode(header[6:]).decode('utf-8').split(':', 1)
        except (ValueError, UnicodeDecodeError):
            return False
        return key == self.api_key and secret == self.api_secret

    def _network_ok(self, value):
        if value in ('any', '(self)') or value in self.interfaces or value in ['%sip' % i for i in self.interfaces]:
            return True
        try:
            ipaddress.ip_network(value, strict=False)
            return True
        except ValueError:
            return False

    def validate_rule(self, rule):
        errors = {}
        for key in rule:
            if key not in RULE_DEFAULTS:
                errors['rule.%s' % key] = 'unknown field (OPNsense would ignore it; the simulator refuses it)'
        for key in BOOLEANS:
            if rule.get(key, '') not in ('0', '1', ''):
                errors['rule.%s' % key] = 'Value should be a boolean (0,1).'
        sequence = rule.get('sequence', '')
        if not sequence.isdigit() or not 1 <= int(sequence) <= 999999:
            errors['rule.sequence'] = 'Sequence shall be between 1 and 999999.'
        if rule.get('interface') not in self.interfaces:
            errors['rule.interface'] = 'Option [%s] not in list.' % rule.get('interface')
        if rule.get('ipprotocol') not in ('inet', 'inet6'):
            errors['rule.ipprotocol'] = 'Option [%s] not in list.' % rule.get('ipprotocol')
        if rule.get('protocol') not in PROTOCOLS:
            errors['rule.protocol'] = 'Option [%s] not in list.' % rule.get('protocol')
        for key in ('source_net', 'destination_net'):
            if not self._network_ok(rule.get(key, '')):
                errors['rule.%s' % key] = '%s is not a valid source IP address or alias.' % rule.get(key)
        if rule.get('target') and not self._network_ok(rule['target']):
            errors['rule.target'] = '%s is not a valid source IP address or alias.' % rule['target']
        for key in ('source_port', 'destination_port', 'target_port'):
            if rule.get(key) and not _port_ok(rule[key]):
                errors['rule.%s' % key] = 'Please specify a valid portnumber, name, alias or range.'
        for key in ('tag', 'tagged'):
            if rule.get(key) and not re.match(r'^[0-9a-zA-Z.,_\-]{0,512}$', rule[key]):
                errors['rule.%s' % key] = 'Invalid characters.'
        if len(rule.get('description', '')) > 255:
            errors['rule.description'] = 'Text too long.'
        return errors

    def _rows(self):
        rows = []
        mode = self.config['snat_mode']
        if mode in ('hybrid', 'advanced'):
            for key, rule in sorted(self.config['rules'].items(), key=lambda item: (int(item[1]['sequence']), item[0])):
                row = dict(rule)
                row['uuid'] = key
                rows.append(row)
        if mode in ('automatic', 'hybrid'):
            # SourceNatController::getAutomaticOutboundNatRules(): synthetic rows, not stored.
            for interface in ('wan',):
                rows.append({'uuid': 'automatic_%s' % interface, 'enabled': '1', 'interface': interface, 'ipprotocol': 'inet',
                             'protocol': 'any', 'source_net': 'lan', 'staticnatport': '0', 'is_automatic': True,
                             'description': 'Auto created rule'})
        return rows

    # ---- dispatch ------------------------------------------------------------------------------
    def handle_device(self, request):
        path = request.path
        if not path.startswith(PREFIX):
            self.journal.record(request.method, path, 'unknown', READ, 404)
            return Response.json({'errorMessage': 'Endpoint not found', 'errorTitle': 'Error'}, status=404)
        parts = path[len(PREFIX):].split('/')
        command = parts[0]
        argument = parts[1] if len(parts) > 1 else None
        reads = ('get', 'searchRule', 'getRule')
        kind = READ if command in reads else WRITE
        op = 'source_nat:%s' % command
        fault = self.faults.take('timeout', op)
        if fault:
            self.journal.record(request.method, path, op, kind, 0, fault='timeout')
            return self.hold_then_drop(fault)
        if self.faults.take('auth', op) or not self._authorised(request):
            self.journal.record(request.method, path, op, AUTH, 401)
            return Response.json({'status': 401, 'message': 'Authentication Failed'}, status=401)
        fault = self.faults.take('http_500', op)
        if fault:
            self.journal.record(request.method, path, op, kind, 500, fault='http_500')
            return Response(status=500, body=(fault.message or '<html><body>500 Internal Server Error</body></html>').encode(),
                            content_type='text/html')
        with self.lock:
            status, answer = self._answer(request, command, argument, kind, op)
        self.journal.record(request.method, path, op, kind, status, api_status=answer.get('result') or answer.get('status'))
        return Response.json(answer, status=status)

    def _answer(self, request, command, argument, kind, op):
        if kind == WRITE and request.method != 'POST':
            return 200, {'result': 'failed'}
        try:
            body = request.json() if request.body else {}
        except ValueError:
            return 400, {'errorMessage': 'Invalid JSON body', 'errorTitle': 'Error'}
        if kind == WRITE and command != 'apply':
            fault = self.faults.take('api_error', op)
            if fault:
                return 200, {'result': 'failed', 'validations': {'rule.description': fault.message or 'Injected validation error.'}}
        if command == 'get':
            mode = self.config['snat_mode']
            return 200, {'filter': {'general': {'snat_mode': dict(
                (key, {'value': MODE_LABELS[key], 'selected': 1 if key == mode else 0}) for key in MODES)}}}
        if command == 'set':
            mode = ((body.get('filter') or {}).get('general') or {}).get('snat_mode')
            if mode not in MODES:
                return 200, {'result': 'failed', 'validations': {'filter.general.snat_mode': 'Option [%s] not in list.' % mode}}
            self.config['snat_mode'] = mode
            return 200, {'result': 'saved'}
        if command == 'searchRule':
            rows = self._rows()
            return 200, {'rows': rows, 'rowCount': len(rows), 'total': len(rows), 'current': 1}
        if command == 'getRule':
            rule = self.config['rules'].get(argument or '')
            return 200, {'rule': dict(rule) if rule else dict(RULE_DEFAULTS)}
        if command in ('addRule', 'setRule'):
            if not isinstance(body.get('rule'), dict):
                return 200, {'result': 'failed'}
            if command == 'setRule':
                if not argument:
                    return 200, {'result': 'failed'}
                if argument not in self.config['rules']:
                    try:
                        uuidlib.UUID(argument)
                    except ValueError:
                        return 200, {'result': 'failed'}
            base = dict(self.config['rules'].get(argument, RULE_DEFAULTS)) if command == 'setRule' else dict(RULE_DEFAULTS)
            unknown = dict((k, v) for k, v in body['rule'].items() if k not in RULE_DEFAULTS)
            base.update(dict((k, str(v)) for k, v in body['rule'].items() if k in RULE_DEFAULTS))
            errors = self.validate_rule(dict(base, **unknown))
            if errors:
                return 200, {'result': 'failed', 'validations': errors}
            key = argument if command == 'setRule' else str(uuidlib.uuid4())
            self.config['rules'][key] = base
            return 200, ({'result': 'saved', 'uuid': key} if command == 'addRule' else {'result': 'saved'})
        if command == 'delRule':
            if argument in self.config['rules']:
                del self.config['rules'][argument]
                return 200, {'result': 'deleted'}
            return 200, {'result': 'not found'}
        if command == 'apply':
            fault = self.faults.take('commit_fail', op)
            if fault:
                return 200, {'status': fault.message or 'Execute error'}
            self.running = copy.deepcopy(self.config)
            return 200, {'status': 'OK\n\n'}
        return 404, {'errorMessage': 'Endpoint not found', 'errorTitle': 'Error'}
