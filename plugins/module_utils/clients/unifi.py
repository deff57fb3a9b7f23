# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: clients. UniFi Network application client: login (once per run), sites, the IPS settings document.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/, transport/.

Two deployments, one API (Kane610/aiounifi ``interfaces/connectivity.py``; ubiquiti-community/go-unifi
``unifi/unifi.go``):

* UniFi OS consoles: ``GET /`` answers 200; login ``POST /api/auth/login`` (cookie ``TOKEN``); the
  Network API is under ``/proxy/network``. An API key (``X-API-KEY``) works on the same paths and
  needs no login and no CSRF token; go-unifi skips the style probe for it, because newer UniFi OS
  answers ``GET /`` with a redirect too.
* Classic (self-hosted) controllers: ``GET /`` redirects; login ``POST /api/login`` (cookie
  ``unifises``); no prefix.

A state-changing request carries ``X-CSRF-Token``; each answer may bring a new one in
``X-Updated-Csrf-Token`` (go-unifi ``doRequest``), which replaces the old one. The login endpoint is
rate-limited (HTTP 429, about 45 s, no ``Retry-After``): this client logs in at most once per run and
never retries a login. Settings are read with ``GET api/s/<site>/get/setting/ips`` and written back
whole with ``PUT api/s/<site>/set/setting/ips``: the controller refuses an update that drops fields it
manages (HTTP 400 ``api.err.InvalidPayload``).
"""

from __future__ import annotations

import copy
import json

from ansible.module_utils.basic import env_fallback

from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.transport.httpclient import HttpClient, HttpError

__all__ = [
    'UNIFI_CONNECTION_SPEC',
    'UnifiClient',
]

UNIFIOS_PREFIX = '/proxy/network'

UNIFI_CONNECTION_SPEC = ArgumentSpec(
    argument_spec=dict(
        host=dict(type='str', required=True, fallback=(env_fallback, ['UNIFI_HOST'])),
        port=dict(type='int', default=443),
        username=dict(type='str', fallback=(env_fallback, ['UNIFI_USERNAME'])),
        password=dict(type='str', no_log=True, fallback=(env_fallback, ['UNIFI_PASSWORD'])),
        api_key=dict(type='str', no_log=True, fallback=(env_fallback, ['UNIFI_API_KEY'])),
        controller_style=dict(type='str', choices=['auto', 'unifios', 'classic'], default='auto'),
        validate_certs=dict(type='bool', default=True),
        ca_path=dict(type='path'),
        timeout=dict(type='int', default=30),
    ),
    mutually_exclusive=[('api_key', 'password'), ('api_key', 'username')],
    required_one_of=[('api_key', 'password')],
    required_together=[('username', 'password')],
)


def _cookies(set_cookie: str | None) -> dict:
    """``{name: value}`` of the cookies in a Set-Cookie header (repeated headers arrive joined by ', ')."""
    cookies = {}
    for part in (set_cookie or '').split(','):
        first = part.strip().split(';', 1)[0]
        key, sep, value = first.partition('=')
        # An "expires=Tue, 01 Dec ..." attribute splits into a piece that has no name=value of its own.
        if sep and value and key.strip() and ' ' not in key.strip():
            cookies[key.strip()] = value.strip()
    return cookies


class UnifiClient(object):
    """One UniFi Network application, for one run: login once, then site-scoped reads and writes."""

    def __init__(self, params: dict, api_calls, register_secret) -> None:
        self.host = params['host']
        self.api_calls = api_calls
        self.register_secret = register_secret
        self.api_key = params.get('api_key')
        self.username = params.get('username')
        self.password = params.get('password')
        self.style = params.get('controller_style') or 'auto'
        self.cookie = None
        self.csrf = None
        self.logins = 0
        base = 'https://%s:%s' % (self.host, params['port'])
        secrets = [value for value in (self.api_key, self.password) if value]
        self.http = HttpClient(base, validate_certs=params['validate_certs'], ca_path=params.get('ca_path'),
                               timeout=params['timeout'], secrets=secrets, on_request=self._count)
        for secret in secrets:
            register_secret(secret)

    def _count(self, method: str, path: str, is_write: bool) -> None:
        if is_write:
            self.api_calls.write()
        else:
            self.api_calls.read()

    @property
    def prefix(self) -> str:
        return UNIFIOS_PREFIX if self.style == 'unifios' else ''

    # -- session ------------------------------------------------------------------------------------
    def _headers(self, state_changing: bool) -> dict:
        headers = {'Accept': 'application/json'}
        if self.api_key:
            headers['X-API-KEY'] = self.api_key
        if self.cookie:
            headers['Cookie'] = self.cookie
        if self.csrf and state_changing:
            headers['X-CSRF-Token'] = self.csrf
        return headers

    def _take_tokens(self, response) -> None:
        """Keep the CSRF token an answer (success or error) hands out in place of the old one."""
        headers = {key.lower(): value for key, value in (response.headers or {}).items()}
        updated = headers.get('x-updated-csrf-token') or headers.get('x-csrf-token')
        if updated and self.cookie:
            self.register_secret(updated)
            self.csrf = updated

    def detect_style(self) -> str:
        """UniFi OS or classic: ``GET /`` without following redirects (200 = UniFi OS, 3xx = classic)."""
        if self.style != 'auto':
            return self.style
        if self.api_key:
            # API keys exist on UniFi OS only; go-unifi skips the probe for them (newer UniFi OS redirects GET /).
            self.style = 'unifios'
            return self.style
        try:
            response = self.http.request('GET', '/', headers={'Accept': 'text/html'}, is_write=False,
                                         expect=(200, 301, 302, 303, 307, 308))
        except HttpError as error:
            raise DirectPathError('detect the controller type: %s' % error.message, cause=error.cause)
        self.style = 'unifios' if response.status == 200 else 'classic'
        return self.style

    def connect(self) -> None:
        """Detect the deployment and log in once (nothing to do with an API key)."""
        self.detect_style()
        if self.api_key:
            if self.style != 'unifios':
                raise DirectPathError('API keys work only on UniFi OS consoles; this controller is a classic '
                                      '(self-hosted) Network application: use username and password', cause='input')
            return
        if self.logins:
            return
        path = '/api/auth/login' if self.style == 'unifios' else '/api/login'
        body = {'username': self.username, 'password': self.password, 'rememberMe': True}
        self.logins += 1
        try:
            response = self.http.request('POST', path, body=body, headers={'Accept': 'application/json'},
                                         is_write=False, expect=(200,))
        except HttpError as error:
            raise self._login_error(error)
        cookie_name = 'TOKEN' if self.style == 'unifios' else 'unifises'
        cookies = _cookies(response.header('Set-Cookie'))
        if not cookies.get(cookie_name):
            # go-unifi: a 2xx without a session happens under the login rate limit.
            raise DirectPathError('log in to %s: the controller answered without a %s session cookie (it may be '
                                  'rate-limiting logins); wait a minute, or use an API key' % (self.host, cookie_name),
                                  cause='auth')
        for value in cookies.values():
            self.register_secret(value)
        # Every cookie of the login answer goes back (a classic controller's csrf_token among them).
        self.cookie = '; '.join('%s=%s' % item for item in cookies.items())
        # UniFi OS hands the CSRF token out in a header; a classic controller in its csrf_token cookie.
        self.csrf = response.header('X-CSRF-Token') or cookies.get('csrf_token')
        if self.csrf:
            self.register_secret(self.csrf)

    def _login_error(self, error: HttpError) -> DirectPathError:
        if error.status == 429:
            return DirectPathError(
                'log in to %s: the controller refuses logins for a while (HTTP 429, login attempt limit reached; '
                'UniFi OS blocks further logins for about 45 seconds). Nothing was changed. Wait, then run once; or use '
                'an API key (UniFi OS), which needs no login' % self.host, cause='auth')
        if error.status in (400, 401, 403):
            return DirectPathError('log in to %s: the controller rejected the username or password (HTTP %s)'
                                   % (self.host, error.status), cause='auth')
        if error.status == 404:
            return DirectPathError('log in to %s: no login endpoint at %s; set controller_style to the right '
                                   'deployment (unifios or classic)' % (self.host, 'unifios' if self.style == 'unifios' else 'classic'),
                                   cause='input')
        return DirectPathError('log in to %s: %s' % (self.host, error.message), cause=error.cause)

    def logout(self) -> None:
        """End the session (best effort: a failure here changes nothing on the device)."""
        if not self.cookie:
            return
        path = '/api/auth/logout' if self.style == 'unifios' else '/api/logout'
        try:
            self.http.request('POST', path, body={}, headers=self._headers(True), is_write=False, expect=(200, 204))
        except HttpError:
            pass
        self.cookie = None

    # -- requests -------------------------------------------------------------------------------------
    def _api(self, action: str, method: str, path: str, body=None) -> list:
        state_changing = method not in ('GET', 'HEAD')
        try:
            response = self.http.request(method, self.prefix + path, body=body, headers=self._headers(state_changing),
                                         is_write=state_changing, expect=(200,))
        except HttpError as error:
            self._take_tokens(error)
            raise self._api_error(action, error)
        self._take_tokens(response)
        data = response.json()
        meta = data.get('meta') if isinstance(data, dict) else None
        if not isinstance(meta, dict) or str(meta.get('rc', '')).lower() != 'ok':
            raise DirectPathError('%s: the controller answered %s' % (action, self._describe(data)), cause='api')
        items = data.get('data')
        if not isinstance(items, list):
            raise DirectPathError('%s: the controller answered without a data list' % action, cause='api')
        return items

    @staticmethod
    def _describe(data) -> str:
        if isinstance(data, dict) and isinstance(data.get('meta'), dict):
            return data['meta'].get('msg') or json.dumps(data['meta'], sort_keys=True)
        return json.dumps(data, sort_keys=True)[:200]

    def _api_error(self, action: str, error: HttpError) -> DirectPathError:
        detail = ''
        try:
            detail = self._describe(json.loads(error.body or '{}'))
        except ValueError:
            detail = (error.body or '').strip()[:200]
        if error.status == 401 and self.api_key:
            return DirectPathError('%s: the controller %s rejected the API key (HTTP 401 %s); check the key, and note that on some '
                                   'UniFi Network versions API keys reach only the official Integration API, not the site settings: '
                                   'use username and password there' % (action, self.host, detail), cause='auth')
        if error.status == 401:
            return DirectPathError('%s: the controller %s rejected the session (HTTP 401 %s)' % (action, self.host, detail), cause='auth')
        if error.status == 403:
            return DirectPathError('%s: the controller %s refused the request (HTTP 403 %s): the account needs the '
                                   'Network admin role, or the CSRF token was refused' % (action, self.host, detail), cause='auth')
        if error.status == 400 and 'NoSiteContext' in detail:
            return DirectPathError('%s: the controller %s has no such site (api.err.NoSiteContext)' % (action, self.host),
                                   cause='input')
        if error.status == 400:
            return DirectPathError('%s: the controller %s refused the request (HTTP 400 %s)' % (action, self.host, detail),
                                   cause='api')
        return DirectPathError('%s: %s' % (action, error.message), cause=error.cause)

    # -- objects -------------------------------------------------------------------------------------
    def sites(self) -> list:
        """The names of the sites the account sees (``/api/self/sites``)."""
        return [item.get('name') for item in self._api('list the sites', 'GET', '/api/self/sites') if isinstance(item, dict)]

    def read_ips(self, site: str) -> dict:
        items = self._api('read the IPS settings of site %s' % site, 'GET', '/api/s/%s/get/setting/ips' % site)
        documents = [item for item in items if isinstance(item, dict) and item.get('key') == 'ips']
        if len(documents) != 1:
            raise DirectPathError('read the IPS settings of site %s: the controller returned %d IPS documents (expected one); '
                                  'threat management may not be available on this gateway' % (site, len(documents)),
                                  cause='unsupported')
        return documents[0]

    def write_ips(self, site: str, document: dict) -> dict:
        """Write the whole document back (with ``key``); returns what the controller stored."""
        body = copy.deepcopy(document)
        body['key'] = 'ips'
        items = self._api('write the IPS settings of site %s' % site, 'PUT', '/api/s/%s/set/setting/ips' % site, body)
        if len(items) != 1 or not isinstance(items[0], dict):
            raise DirectPathError('write the IPS settings of site %s: the controller answered %d documents (expected one)'
                                  % (site, len(items)), cause='api', device_unchanged=False)
        return items[0]
