# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: clients. FortiOS REST API client (``/api/v2/cmdb``, ``/api/v2/monitor``) for directpath.firewall.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/, transport/, other clients/ files.

The transport is the collection's HTTPS client (transport/httpclient.py), not
fortiosapi: fortiosapi 1.0.5 cannot log in to FortiOS 7.4.4 and later (its token
login reads ``cmdb/system/status``, which now answers 404), and fixing that with
a subclass is not enough (see docs/vendors/fortinet.md). The request shapes are
the ones fortiosapi and the fortinet.fortios collection send:

* the API token in ``Authorization: Bearer`` only; FortiOS 7.4.5 and later refuse
  an ``access_token`` URL parameter by default, and a URL ends up in logs;
* ``?vdom=<name>`` on every request;
* the login probe is ``GET /api/v2/monitor/system/status``, whose answer carries
  ``version``, ``build`` and ``serial`` at the top level;
* ``GET/PUT/POST/DELETE /api/v2/cmdb/<path>/<name>[/<mkey>]``, the mkey quoted
  with ``safe=''``; a PUT that names a table attribute replaces that table.

Errors: FortiOS answers JSON envelopes with ``status: error``, a negative
``error`` code (-3 object not found, -651 invalid value, with ``cli_error``) and
``http_status``; a bad token gets an HTML 401 page. Each becomes a
DirectPathError whose message names the request, the code and the CLI error.
"""

from __future__ import annotations

import json

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.six.moves.urllib.parse import quote, urlencode

from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.transport.httpclient import HttpClient, HttpError

__all__ = [
    'FORTIOS_CONNECTION_SPEC',
    'FortiosClient',
    'without_origin_keys',
]

FORTIOS_CONNECTION_SPEC = ArgumentSpec(
    argument_spec=dict(
        host=dict(type='str', required=True, fallback=(env_fallback, ['FORTIOS_HOST'])),
        port=dict(type='int', default=443),
        access_token=dict(type='str', required=True, no_log=True, fallback=(env_fallback, ['FORTIOS_ACCESS_TOKEN'])),
        validate_certs=dict(type='bool', default=True),
        ca_path=dict(type='path'),
        timeout=dict(type='int', default=30),
        vdom=dict(type='str', default='root'),
    ),
)

# FortiOS error codes the messages explain (fortinet.fortios module_utils/fortios/fortios.py; -651 from field captures).
_ERROR_MEANINGS = {
    -3: 'object not found',
    -5: 'object already exists',
    -23: 'object is in use',
    -61: 'command error',
    -651: 'invalid value',
}


def parse_version(text) -> tuple:
    """'v7.4.7' -> (7, 4, 7). Raises DirectPathError on anything else."""
    value = str(text or '')
    value = value[1:] if value.startswith('v') else value
    try:
        parts = tuple(int(part) for part in value.split('.'))
    except ValueError:
        parts = ()
    if len(parts) != 3:
        raise DirectPathError('the FortiGate reported an unreadable FortiOS version %r' % (text,), cause='api')
    return parts


def without_origin_keys(value):
    """A copy of a read object or row without the ``q_origin_key`` FortiOS adds on read."""
    if isinstance(value, dict):
        return {key: without_origin_keys(item) for key, item in value.items() if key != 'q_origin_key'}
    if isinstance(value, list):
        return [without_origin_keys(item) for item in value]
    return value


class FortiosClient(object):
    """One FortiGate VDOM over the REST API; counts every request in ``api_calls``."""

    def __init__(self, params: dict, api_calls, add_secret=None) -> None:
        self.host = params['host']
        self.vdom = params['vdom']
        self.api_calls = api_calls
        token = params['access_token']
        if add_secret:
            add_secret(token)
        self.http = HttpClient(
            'https://%s:%d' % (self.host, params['port']), validate_certs=params['validate_certs'],
            ca_path=params.get('ca_path'), timeout=params['timeout'],
            headers={'Authorization': 'Bearer ' + token, 'Accept': 'application/json'},
            secrets=[token], on_request=self._count)
        self.version = None
        self.build = None
        self.serial = None

    def _count(self, method, path, is_write):
        if is_write:
            self.api_calls.write()
        else:
            self.api_calls.read()

    # ---- requests --------------------------------------------------------------------------------
    def _url(self, kind: str, table: str, mkey=None, query=None) -> str:
        path = '/api/v2/%s/%s' % (kind, table)
        if mkey is not None:
            path += '/' + quote(str(mkey), safe='')
        params = [('vdom', self.vdom)] + list(query or [])
        return path + '?' + urlencode(params)

    def _describe(self, method: str, kind: str, table: str, mkey=None) -> str:
        what = '%s %s/%s' % (method, kind, table) + ('/%s' % mkey if mkey is not None else '')
        return '%s (VDOM %s on %s)' % (what, self.vdom, self.host)

    def _send(self, method, kind, table, mkey=None, body=None, query=None, missing_ok=False):
        url = self._url(kind, table, mkey, query)
        where = self._describe(method, kind, table, mkey)
        try:
            answer = self.http.request(method, url, body=body)
        except HttpError as error:
            envelope = self._envelope(error.body)
            if missing_ok and error.status == 404 and envelope.get('error') in (-3, None):
                return None
            raise self._error(where, error, envelope)
        try:
            envelope = json.loads(answer.body or '{}')
        except ValueError:
            raise DirectPathError('%s: the FortiGate answered HTTP 200 without JSON' % where, cause='api')
        if not isinstance(envelope, dict) or envelope.get('status') not in ('success', None):
            raise DirectPathError('%s: the FortiGate answered %s' % (where, self._code_text(envelope)), cause='api')
        return envelope

    @staticmethod
    def _envelope(body):
        try:
            envelope = json.loads(body or '')
        except ValueError:
            return {}
        return envelope if isinstance(envelope, dict) else {}

    @staticmethod
    def _code_text(envelope: dict) -> str:
        code = envelope.get('error')
        text = 'HTTP %s' % envelope.get('http_status', '?')
        if code is not None:
            text += ', FortiOS error %s' % code
            if code in _ERROR_MEANINGS:
                text += ' (%s)' % _ERROR_MEANINGS[code]
        cli_error = (envelope.get('cli_error') or '').strip()
        if cli_error:
            text += ': ' + ' / '.join(line.strip() for line in cli_error.splitlines() if line.strip())
        return text

    def _error(self, where: str, error: HttpError, envelope: dict) -> DirectPathError:
        if error.status == 401:
            return DirectPathError(
                '%s: the FortiGate refused the API token (HTTP 401). Check the token, the API user\'s trusted hosts '
                'and that it may use VDOM %s.' % (where, self.vdom), cause='auth')
        if error.status == 403:
            return DirectPathError(
                '%s: the API user is not allowed to do this (HTTP 403): its administrator profile must grant '
                'read-write access to firewall and application-control settings in VDOM %s, or the VDOM does not '
                'exist.' % (where, self.vdom), cause='auth')
        if envelope:
            cause = 'input' if envelope.get('error') == -3 else 'api'
            return DirectPathError('%s: the FortiGate answered %s' % (where, self._code_text(envelope)), cause=cause)
        # Transport failures (timeout, TLS, unreachable) and non-JSON answers keep httpclient's cause and text.
        return DirectPathError('%s: %s' % (where, error.message), cause=error.cause)

    # ---- API ---------------------------------------------------------------------------------------
    def connect(self) -> dict:
        """The login probe: ``monitor/system/status`` (what fortinet.fortios' httpapi plugin reads)."""
        envelope = self._send('GET', 'monitor', 'system/status')
        self.version = envelope.get('version')
        self.build = envelope.get('build')
        self.serial = envelope.get('serial')
        parse_version(self.version)
        return envelope

    @property
    def version_tuple(self) -> tuple:
        return parse_version(self.version)

    def monitor(self, name: str):
        return self._send('GET', 'monitor', name).get('results')

    def table(self, table: str, filters=None) -> list:
        query = [('filter', expression) for expression in (filters or [])]
        results = self._send('GET', 'cmdb', table, query=query).get('results')
        return results if isinstance(results, list) else []

    def read(self, table: str, mkey):
        """The object, or None when the device answers 404 / -3."""
        envelope = self._send('GET', 'cmdb', table, mkey, missing_ok=True)
        if envelope is None:
            return None
        results = envelope.get('results')
        if isinstance(results, list):   # fortinet.fortios reads a table object as results[0]
            return results[0] if results else None
        return results

    def create(self, table: str, data: dict) -> dict:
        return self._send('POST', 'cmdb', table, body=without_origin_keys(data))

    def update(self, table: str, mkey, data: dict) -> dict:
        return self._send('PUT', 'cmdb', table, mkey, body=without_origin_keys(data))

    def delete(self, table: str, mkey) -> dict:
        return self._send('DELETE', 'cmdb', table, mkey)
