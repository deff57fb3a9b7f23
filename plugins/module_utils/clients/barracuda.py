# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: clients. Barracuda CloudGen Firewall REST API client: box info, forwarding rules, network and service objects.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/, transport/.

Sources: campus.barracuda.com doc 170819659 "REST API" (HTTPS port set in Box > Infrastructure
Services > REST API Service; basic authentication or an ``X-API-Token`` header), the public
``barracuda_api`` client ("tested with 8.0.4 and 8.3.1": ``/rest/control/v1/box/info``,
``/rest/config/v1/forwarding-firewall/rules`` and ``objects/networks|services``, ``?rcsMessage=`` on
every write, 204 for a write without body, errors as ``{"code", "message"}``, 409 for an entry that
exists, 404 for one that does not, rule ``position.placement``), and Barracuda's own PowerShell module
(barracudanetworks/ngf-automation: ``position`` with ``index``/``reference``, objects replaced with
``PUT``, box info holding model, serial and release). Unlike ``barracuda_api``, TLS is verified by
default. A firewall whose forwarding rules come from policy profiles answers the rule endpoints with
409; this client reports that as unsupported. "Max UDP" has no REST resource in any of these sources,
so this client has no method for it.
"""

from __future__ import annotations

import json

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.transport.httpclient import HttpClient, HttpError

__all__ = [
    'BARRACUDA_CONNECTION_SPEC',
    'BarracudaClient',
]

CONFIG = '/rest/config/v1/forwarding-firewall'
BOX_INFO = '/rest/control/v1/box/info'

BARRACUDA_CONNECTION_SPEC = ArgumentSpec(
    argument_spec=dict(
        host=dict(type='str', required=True, fallback=(env_fallback, ['BARRACUDA_HOST'])),
        port=dict(type='int', default=8443),
        api_token=dict(type='str', no_log=True, fallback=(env_fallback, ['BARRACUDA_API_TOKEN'])),
        username=dict(type='str', fallback=(env_fallback, ['BARRACUDA_USERNAME'])),
        password=dict(type='str', no_log=True, fallback=(env_fallback, ['BARRACUDA_PASSWORD'])),
        validate_certs=dict(type='bool', default=True),
        ca_path=dict(type='path'),
        timeout=dict(type='int', default=30),
        change_message=dict(type='str', default='directpath.firewall: Tailscale direct connections'),
    ),
    mutually_exclusive=[('api_token', 'password')],
    required_one_of=[('api_token', 'password')],
    required_together=[('username', 'password')],
)


class BarracudaClient(object):
    """The forwarding firewall of one CloudGen Firewall, over its REST API."""

    def __init__(self, params: dict, api_calls, register_secret) -> None:
        self.host = params['host']
        self.api_calls = api_calls
        self.message = params.get('change_message') or 'directpath.firewall'
        headers = {'Accept': 'application/json'}
        token = params.get('api_token')
        if token:
            headers['X-API-Token'] = token
        secrets = [value for value in (token, params.get('password')) if value]
        for secret in secrets:
            register_secret(secret)
        self.http = HttpClient(
            'https://%s:%s' % (self.host, params['port']), validate_certs=params['validate_certs'],
            ca_path=params.get('ca_path'), timeout=params['timeout'], headers=headers, secrets=secrets,
            url_username=None if token else params.get('username'), url_password=None if token else params.get('password'),
            force_basic_auth=not token, on_request=self._count)

    def _count(self, method: str, path: str, is_write: bool) -> None:
        if is_write:
            self.api_calls.write()
        else:
            self.api_calls.read()

    # -- transport ------------------------------------------------------------------------------------
    def _call(self, action: str, method: str, path: str, body=None, missing_ok: bool = False):
        if method != 'GET':
            path = '%s?rcsMessage=%s' % (path, quote(self.message, safe=''))
        try:
            response = self.http.request(method, path, body=body, expect=(200, 204))
        except HttpError as error:
            if missing_ok and error.status == 404:
                return None
            raise self._error(action, error)
        if response.status == 204 or not response.body:
            return {}
        return response.json()

    def _error(self, action: str, error: HttpError) -> DirectPathError:
        message = ''
        try:
            data = json.loads(error.body or '')
            if isinstance(data, dict):
                message = str(data.get('message') or '')
        except ValueError:
            pass
        where = '%s on %s' % (action, self.host)
        if error.status == 401:
            return DirectPathError('%s: the firewall rejected the API token or credentials (HTTP 401 %s)' % (where, message), cause='auth')
        if error.status == 403:
            return DirectPathError('%s: the firewall refused the request (HTTP 403 %s); the REST API user needs write '
                                   'access to the forwarding firewall' % (where, message), cause='auth')
        if error.status == 409 and 'lock' in message.lower():
            return DirectPathError('%s: %s (HTTP 409)' % (where, message), cause='lock')
        if error.status == 409:
            return DirectPathError('%s: the firewall answered HTTP 409 (%s)' % (where, message), cause='conflict')
        if error.status == 404:
            return DirectPathError('%s: not found (HTTP 404 %s)' % (where, message), cause='input')
        if error.status is not None and error.status < 500:
            return DirectPathError('%s: the firewall refused the change (HTTP %s %s)' % (where, error.status, message), cause='api')
        return DirectPathError('%s: %s' % (where, error.message), cause=error.cause)

    # -- reads -----------------------------------------------------------------------------------------
    def box_info(self) -> dict:
        info = self._call('read the box info', 'GET', BOX_INFO)
        return info if isinstance(info, dict) else {}

    def rule_names(self) -> list:
        """The forwarding rules, in order. A policy-driven firewall (409) is unsupported."""
        try:
            response = self.http.request('GET', CONFIG + '/rules', expect=(200,))
        except HttpError as error:
            if error.status == 409:
                raise DirectPathError(
                    'read the forwarding rules on %s: the firewall answered HTTP 409: its forwarding rules are managed by '
                    'policy profiles (policy-driven firewall), which this module does not change' % self.host,
                    cause='unsupported')
            raise self._error('read the forwarding rules', error)
        data = response.json()
        rules = data.get('rules') if isinstance(data, dict) else data
        if not isinstance(rules, list):
            raise DirectPathError('read the forwarding rules on %s: unexpected answer %s' % (self.host, json.dumps(data)[:200]),
                                  cause='api')
        return [rule if isinstance(rule, str) else rule.get('name') for rule in rules]

    def rule(self, name: str) -> dict | None:
        return self._call('read forwarding rule %s' % name, 'GET', '%s/rules/%s' % (CONFIG, quote(name, safe='')), missing_ok=True)

    def object(self, kind: str, name: str) -> dict | None:
        return self._call('read %s object %s' % (kind[:-1], name), 'GET',
                          '%s/objects/%s/%s' % (CONFIG, kind, quote(name, safe='')), missing_ok=True)

    # -- writes ----------------------------------------------------------------------------------------
    def create_rule(self, rule: dict, position: dict) -> None:
        body = dict(rule)
        body['position'] = position
        self._call('create forwarding rule %s' % rule['name'], 'POST', CONFIG + '/rules', body)

    def update_rule(self, name: str, change: dict) -> None:
        self._call('update forwarding rule %s' % name, 'PATCH', '%s/rules/%s' % (CONFIG, quote(name, safe='')), change)

    def delete_rule(self, name: str) -> None:
        self._call('delete forwarding rule %s' % name, 'DELETE', '%s/rules/%s' % (CONFIG, quote(name, safe='')))

    def create_object(self, kind: str, entry: dict) -> None:
        self._call('create %s object %s' % (kind[:-1], entry['name']), 'POST', '%s/objects/%s' % (CONFIG, kind), entry)

    def replace_object(self, kind: str, entry: dict) -> None:
        """PUT the whole object (as Barracuda's own PowerShell module updates network objects)."""
        self._call('update %s object %s' % (kind[:-1], entry['name']), 'PUT',
                   '%s/objects/%s/%s' % (CONFIG, kind, quote(entry['name'], safe='')), entry)

    def delete_object(self, kind: str, name: str) -> None:
        self._call('delete %s object %s' % (kind[:-1], name), 'DELETE', '%s/objects/%s/%s' % (CONFIG, kind, quote(name, safe='')))
