# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A strict, stateful simulator of the UniFi Network application's site API, as the collection uses it.

It answers both deployment styles:

* ``unifios`` (a console: UDM, UCG, Cloud Key Gen2+): ``GET /`` answers 200, login is
  ``POST /api/auth/login`` (cookie ``TOKEN``), the Network API lives under ``/proxy/network``;
  an API key in ``X-API-KEY`` works on the same paths.
* ``classic`` (a self-hosted Network application): ``GET /`` redirects (302 to ``/manage``), login is
  ``POST /api/login`` (cookie ``unifises``), the API has no prefix; API keys are not accepted.

Sources, cited next to each shape with these short names:

* [aiounifi] Kane610/aiounifi 4ba00ff: ``aiounifi/interfaces/connectivity.py`` (style probe, login
  paths and body, ``x-csrf-token`` and ``Set-Cookie`` taken from the login answer, 401/403/404/429
  handling, the 429 body ``AUTHENTICATION_FAILED_LIMIT_REACHED``), ``aiounifi/models/api.py``
  (``{"meta": {"rc", "msg"}, "data": [...]}`` envelope, ``api.err.Invalid``/``LoginRequired``/
  ``NoPermission``), ``aiounifi/models/site.py`` (``/api/self/sites`` and the site fields),
  ``tests/test_controller.py`` (GET / answers: 200 text/html with ``x-csrf-token`` vs 302).
* [go-unifi] ubiquiti-community/go-unifi b2bf4ce: ``unifi/unifi.go`` (``loginPath`` /
  ``loginPathNew``, ``/proxy/network`` prefix, ``X-Api-Key`` only on UniFi OS and without the probe,
  ``X-Csrf-Token`` sent on requests and replaced from ``X-Updated-Csrf-Token`` (else
  ``X-Csrf-Token``) on every answer, ``X-Token-Expire-Time``, the login 429 sent without
  ``Retry-After`` and "observed ~45s on a live UDM-Pro"), ``unifi/setting.go`` (``GET
  api/s/{site}/get/setting/{key}``, ``PUT api/s/{site}/set/setting/{key}`` with the document and
  ``key``, exactly one element in ``data`` back), ``unifi/settings/ips.generated.go`` (IPS fields,
  ``ips_mode`` ``ids|ips|ipsInline|disabled``, the ``enabled_categories`` values,
  ``advanced_filtering_preference`` ``|manual|disabled``).
* [tf-unifi] ubiquiti-community/terraform-provider-unifi PR #223 (updates that drop
  controller-managed fields are refused with HTTP 400; the fix is to send back what was read) and
  the ``api.err.InvalidPayload (400)`` answers quoted in that project's issues.
* [tf-filipowm] filipowm/terraform-provider-unifi ``internal/provider/settings/resource_setting_ips.go``
  (``enabled_networks`` required with ``ips_mode`` ips/ids/ipsInline on 8.x+, field availability by
  controller version: advanced_filtering_preference 7.5, enabled_networks 8.0, memory_optimized 9.0).

Shapes marked INFERRED were not found in a primary source; docs/simulators.md lists them.
"""

from __future__ import annotations

import copy
import hmac
import json
import re
import secrets
import threading
import time

from ansible_collections.directpath.firewall.tests.simulators.base import (
    AUTH, OTHER, READ, WRITE, DeviceSimulator, Response,
)

__all__ = [
    'IPS_CATEGORIES',
    'P2P_CATEGORY',
    'UNKNOWN_P2P_KEY',
    'UnifiSimulator',
    'default_ips_document',
    'parse_version',
]

STYLES = ('unifios', 'classic')
UNIFIOS_PREFIX = '/proxy/network'

# [go-unifi] ips.generated.go: the values the controller's own field schema lists for enabled_categories.
IPS_CATEGORIES = (
    'emerging-activex', 'emerging-attackresponse', 'botcc', 'emerging-chat', 'ciarmy', 'compromised', 'emerging-dns',
    'emerging-dos', 'dshield', 'emerging-exploit', 'emerging-ftp', 'emerging-games', 'emerging-icmp',
    'emerging-icmpinfo', 'emerging-imap', 'emerging-inappropriate', 'emerging-info', 'emerging-malware',
    'emerging-misc', 'emerging-mobile', 'emerging-netbios', 'emerging-p2p', 'emerging-policy', 'emerging-pop3',
    'emerging-rpc', 'emerging-scada', 'emerging-scan', 'emerging-shellcode', 'emerging-smtp', 'emerging-snmp',
    'emerging-sql', 'emerging-telnet', 'emerging-tftp', 'tor', 'emerging-useragent', 'emerging-voip',
    'emerging-webapps', 'emerging-webclient', 'emerging-webserver', 'emerging-worm', 'exploit-kit', 'adware-pup',
    'botcc-portgrouped', 'phishing', 'threatview-cs-c2', '3coresec', 'chat', 'coinminer', 'current-events', 'drop',
    'hunting', 'icmp-info', 'inappropriate', 'info', 'ja3', 'policy', 'scada', 'dark-web-blocker-list',
    'malicious-hosts',
)
P2P_CATEGORY = 'emerging-p2p'
IPS_MODES = ('ids', 'ips', 'ipsInline', 'disabled')
# [tf-filipowm] on 8.x+ these modes need enabled_networks; the reading of 9.x: ids and ipsInline.
MODES_NEEDING_NETWORKS = ('ids', 'ips', 'ipsInline')
ADVANCED_FILTERING = ('', 'manual', 'disabled')

# Network 9.0.108 and later show a "Peer to Peer and Dark Web" toggle. Its key in the settings document is
# NOT known (no SDK or provider has it). The simulator gives it this made-up name so that tests can prove a
# client reports an unknown P2P-like key as a finding instead of ignoring it or "fixing" it. INFERRED.
UNKNOWN_P2P_KEY = 'p2p_darkweb_protection_enabled'
UNKNOWN_P2P_SINCE = (9, 0, 108)

# Controller-managed fields: the controller fills them and refuses an update that drops them ([tf-unifi]
# PR #223). The exact list per version is INFERRED: every field the stored document has must come back.
MANAGED_FIELDS = ('_id', 'site_id', 'key')

JSON_TYPE = 'application/json; charset=utf-8'


def parse_version(text):
    """'9.0.114' -> (9, 0, 114); build suffixes ('9.0.114-atag') are dropped."""
    parts = re.findall(r'\d+', str(text).split('-', maxsplit=1)[0])
    if len(parts) < 2:
        raise ValueError('UniFi Network version %r needs at least two numeric parts' % (text,))
    return tuple(int(part) for part in (parts + ['0'])[:3])


def _object_id():
    # Controller ids are MongoDB ObjectIds: 24 hex digits.
    return secrets.token_hex(12)


def default_ips_document(version, site_id, network_ids, categories=None, ips_mode='ips'):
    """The IPS settings document as the controller stores it for one site.

    Field set by version ([tf-filipowm]): advanced_filtering_preference from 7.5, enabled_networks from
    8.0, memory_optimized from 9.0, the unknown P2P toggle key from 9.0.108 (INFERRED name).
    """
    version = parse_version(version)
    document = {
        '_id': _object_id(),
        'site_id': site_id,
        'key': 'ips',
        'ips_mode': ips_mode,
        'enabled_categories': list(categories if categories is not None else (
            'emerging-malware', 'emerging-exploit', 'emerging-p2p', 'emerging-scan', 'botcc', 'tor', 'emerging-dos')),
        'honeypot_enabled': False,
        'honeypot': [],
        'restrict_torrents': False,
        'content_filtering_blocking_page_enabled': False,
        'dns_filtering': False,
        'dns_filters': [],
        'ad_blocking_enabled': False,
        'ad_blocking_configurations': [],
        'suppression': {'alerts': [], 'whitelist': [
            {'direction': 'src', 'mode': 'ip', 'value': '10.0.0.53'},
        ]},
    }
    if version >= (7, 5, 0):
        document['advanced_filtering_preference'] = 'manual' if ips_mode != 'disabled' else 'disabled'
    if version >= (8, 0, 0):
        document['enabled_networks'] = list(network_ids) if ips_mode != 'disabled' else []
    if version >= (9, 0, 0):
        document['memory_optimized'] = False
    if version >= UNKNOWN_P2P_SINCE:
        document[UNKNOWN_P2P_KEY] = False
    return document


class UnifiError(Exception):
    """An answer other than 200: ``status`` and a JSON body."""

    def __init__(self, status, body, headers=None):
        super().__init__(json.dumps(body))
        self.status = status
        self.body = body
        self.headers = headers or {}


def _envelope_error(msg, status=400, **extra):
    # [aiounifi] models/api.py: {"meta": {"rc": "error", "msg": "api.err.…"}, "data": []}.
    meta = {'rc': 'error', 'msg': msg}
    meta.update(extra)
    return UnifiError(status, {'meta': meta, 'data': []})


def _json(body, status=200, headers=None):
    response = Response.json(body, status=status)
    response.content_type = JSON_TYPE
    response.headers.update(headers or {})
    return response


class UnifiSimulator(DeviceSimulator):
    """A UniFi Network application on loopback. See the module docstring for sources.

    ``style``: ``unifios`` or ``classic``. ``api_key``: accepted in ``X-API-KEY`` on UniFi OS only.
    ``login_limit`` logins within ``login_window`` seconds trip the rate limit: every login for
    ``rate_limit_seconds`` (default 45, [go-unifi]) then gets 429. ``sites``: names (the first is
    ``default``); each gets a LAN network and the IPS document of ``network_version``.
    """

    VENDOR = 'unifi'
    SUPPORTED_FAULTS = frozenset(('http_500', 'timeout', 'auth', 'api_error'))

    def __init__(self, state_dir, style='unifios', username='admin', password='directpath-sim', api_key=None,
                 network_version='9.0.114', sites=('default', 'branch'), login_limit=5, login_window=60.0,
                 rate_limit_seconds=45.0, host='127.0.0.1', port=0, authority=None, timeout_seconds=3.0):
        super().__init__(state_dir, host=host, port=port, authority=authority)
        if style not in STYLES:
            raise ValueError('style must be one of %s' % ', '.join(STYLES))
        self.lock = threading.RLock()
        self.style = style
        self.username = username
        self.password = password
        self.api_key = api_key if api_key is not None else 'dp-' + secrets.token_urlsafe(24)
        self.network_version = network_version
        parse_version(network_version)
        self.login_limit = int(login_limit)
        self.login_window = float(login_window)
        self.rate_limit_seconds = float(rate_limit_seconds)
        self.timeout_seconds = timeout_seconds
        self._login_times = []
        self._limited_until = 0.0
        self._sessions = {}     # cookie value -> {'user', 'csrf'}
        self.issued_secrets = []   # every session cookie and CSRF token handed out (tests look for leaks)
        self._seed(sites)

    # state ---------------------------------------------------------------------------------------
    def _seed(self, sites):
        self.sites = {}
        for index, name in enumerate(sites):
            site_id = _object_id()
            lan_id = _object_id()
            self.sites[name] = {
                'site': {'_id': site_id, 'name': name, 'desc': 'Default' if name == 'default' else name.title(),
                         'attr_hidden_id': name if name == 'default' else '', 'attr_no_delete': name == 'default',
                         'role': 'admin'},
                'networks': {lan_id: {'_id': lan_id, 'name': 'Default' if index == 0 else 'LAN %s' % name,
                                      'purpose': 'corporate', 'ip_subnet': '10.%d.0.1/24' % index}},
                'ips': default_ips_document(self.network_version, site_id, [lan_id]),
            }

    @property
    def version(self):
        return parse_version(self.network_version)

    @property
    def prefix(self):
        return UNIFIOS_PREFIX if self.style == 'unifios' else ''

    def p2p_blocked(self, site):
        """How the product reads the document: P2P is blocked when threat management is on and either the
        P2P category or the (unknown-named) P2P toggle is on."""
        document = self.sites[site]['ips']
        if document.get('ips_mode', 'disabled') == 'disabled':
            return False
        return P2P_CATEGORY in document.get('enabled_categories', []) or bool(document.get(UNKNOWN_P2P_KEY))

    def state_dump(self):
        with self.lock:
            return {
                'vendor': self.VENDOR, 'style': self.style, 'network_version': self.network_version,
                'username': self.username, 'login_limit': self.login_limit, 'login_window': self.login_window,
                'rate_limit_seconds': self.rate_limit_seconds,
                'rate_limited_for': max(0.0, round(self._limited_until - time.time(), 3)),
                'sessions': len(self._sessions),
                'sites': {name: {'site': copy.deepcopy(entry['site']), 'ips': copy.deepcopy(entry['ips']),
                                 'networks': sorted(entry['networks']), 'p2p_blocked': self.p2p_blocked(name)}
                          for name, entry in self.sites.items()},
            }

    def state_update(self, values):
        known = {'style', 'username', 'password', 'api_key', 'network_version', 'login_limit', 'login_window',
                 'rate_limit_seconds', 'reset', 'sites', 'ips', 'clear_rate_limit', 'clear_sessions'}
        unknown = set(values) - known
        if unknown:
            raise ValueError('unknown UniFi state keys: %s (known: %s)' % (', '.join(sorted(unknown)), ', '.join(sorted(known))))
        with self.lock:
            if 'style' in values:
                if values['style'] not in STYLES:
                    raise ValueError('style must be one of %s' % ', '.join(STYLES))
                self.style = values['style']
            for key in ('username', 'password', 'api_key'):
                if key in values:
                    setattr(self, key, str(values[key]))
            if 'network_version' in values:
                parse_version(values['network_version'])
                self.network_version = str(values['network_version'])
            for key, cast in (('login_limit', int), ('login_window', float), ('rate_limit_seconds', float)):
                if key in values:
                    setattr(self, key, cast(values[key]))
            if values.get('clear_rate_limit'):
                self._login_times = []
                self._limited_until = 0.0
            if values.get('clear_sessions'):
                self._sessions = {}
            if values.get('reset') or 'sites' in values:
                self._seed(values.get('sites') or list(self.sites))
            # {"ips": {"default": {field: value, ...}}}: overwrite fields of a site's stored document
            # (null removes the field), e.g. to seed a document from another controller version.
            for site, fields in (values.get('ips') or {}).items():
                if site not in self.sites:
                    raise ValueError('no site %r' % site)
                document = self.sites[site]['ips']
                for key, value in fields.items():
                    if value is None:
                        document.pop(key, None)
                    else:
                        document[key] = value

    def state_components(self):
        with self.lock:
            components = {}
            for name, entry in self.sites.items():
                components['site:%s' % name] = json.dumps(
                    {'site': entry['site'], 'ips': entry['ips'], 'networks': entry['networks']}, sort_keys=True)
            return components

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
            # The console's nginx error page, not a JSON envelope (INFERRED body).
            body = fault.message or '<html><head><title>500 Internal Server Error</title></head><body>' \
                '<center><h1>500 Internal Server Error</h1></center><hr><center>nginx</center></body></html>'
            return Response(status=500, body=body.encode(), content_type='text/html')
        detail = ''
        fired = None
        with self.lock:
            try:
                response, detail, fired = self._route(request, op)
            except UnifiError as error:
                response = _json(error.body, status=error.status, headers=error.headers)
                detail = json.dumps(error.body, sort_keys=True)[:300]
                fired = getattr(error, 'fault', None)
        api_status = None
        if response.content_type.startswith('application/json') and response.body:
            try:
                body = json.loads(response.body.decode())
                if isinstance(body, dict) and isinstance(body.get('meta'), dict):
                    api_status = body['meta'].get('rc')
            except ValueError:
                pass
        self.journal.record(request.method, request.path, op, kind, response.status, detail, api_status, fired)
        return response

    def _api_path(self, path):
        """The path below the Network API prefix, or None when the request is not under it."""
        if self.style == 'unifios':
            if path == UNIFIOS_PREFIX or path.startswith(UNIFIOS_PREFIX + '/'):
                return path[len(UNIFIOS_PREFIX):]
            return None
        return path

    def _classify(self, request):
        path = request.path
        if path == '/':
            return 'probe', OTHER
        if path in ('/api/auth/login', '/api/login'):
            return 'login', AUTH
        if path in ('/api/auth/logout', '/api/logout'):
            return 'logout', AUTH
        inner = self._api_path(path) or path
        match = re.match(r'^/api/s/[^/]+/(get|set)/setting(?:/([\w-]+))?$', inner)
        if match:
            verb, key = match.groups()
            return '%s:setting/%s' % (verb, key or '*'), (READ if verb == 'get' else WRITE)
        if re.match(r'^/api/s/[^/]+/rest/networkconf$', inner):
            return 'rest:networkconf', READ if request.method == 'GET' else WRITE
        if re.match(r'^/api/s/[^/]+/stat/sysinfo$', inner):
            return 'stat:sysinfo', READ
        if inner == '/api/self/sites':
            return 'sites', READ
        if inner == '/status':
            return 'status', READ
        return 'http:%s %s' % (request.method, path), (READ if request.method == 'GET' else OTHER)

    # routing -------------------------------------------------------------------------------------
    def _route(self, request, op):
        path = request.path
        if path == '/' and request.method in ('GET', 'HEAD'):
            return self._probe()
        if path == '/api/auth/login' and request.method == 'POST':
            if self.style != 'unifios':
                raise UnifiError(404, {'meta': {'rc': 'error', 'msg': 'api.err.NotFound'}, 'data': []})
            return self._login(request, op)
        if path == '/api/login' and request.method == 'POST':
            if self.style != 'classic':
                # A console serves its own login at /api/auth/login; /api/login is not routed (INFERRED 404).
                raise UnifiError(404, {'error': {'code': 404, 'message': 'Not Found'}})
            return self._login(request, op)
        if path in ('/api/auth/logout', '/api/logout') and request.method == 'POST':
            return self._logout(request)
        inner = self._api_path(path)
        if inner is None:
            raise UnifiError(404, {'error': {'code': 404, 'message': 'Not Found'}})
        if inner == '/status' and request.method == 'GET':
            # [go-unifi] setServerVersion reads meta.server_version from "status" (no login needed).
            return _json({'meta': {'rc': 'ok', 'up': True, 'server_version': self.network_version,
                                   'uuid': '5f3c8a9e-4d2b-4f1e-9c7a-2b6d8e0f1a3c'}, 'data': []}), '', None
        user, headers = self._authenticate(request, op)
        if inner == '/api/self/sites' and request.method == 'GET':
            # [aiounifi] SiteListRequest: GET {prefix}/api/self/sites; fields of TypedSite.
            data = [copy.deepcopy(entry['site']) for entry in self.sites.values()]
            return _json({'meta': {'rc': 'ok'}, 'data': data}, headers=headers), 'user=%s' % user, None
        match = re.match(r'^/api/s/([^/]+)/(.+)$', inner)
        if not match:
            raise UnifiError(404, {'meta': {'rc': 'error', 'msg': 'api.err.NotFound'}, 'data': []})
        site_name, rest = match.groups()
        entry = self.sites.get(site_name)
        if entry is None:
            # INFERRED: the controller's answer for a site name it does not know.
            raise _envelope_error('api.err.NoSiteContext', status=400)
        if rest == 'stat/sysinfo' and request.method == 'GET':
            return _json({'meta': {'rc': 'ok'}, 'data': [{'version': self.network_version, 'name': site_name,
                                                          'hostname': 'unifi-sim', 'timezone': 'UTC'}]},
                         headers=headers), '', None
        if rest == 'rest/networkconf' and request.method == 'GET':
            data = [copy.deepcopy(network) for network in entry['networks'].values()]
            return _json({'meta': {'rc': 'ok'}, 'data': data}, headers=headers), '', None
        if rest == 'get/setting' and request.method == 'GET':
            return _json({'meta': {'rc': 'ok'}, 'data': [copy.deepcopy(entry['ips'])]}, headers=headers), '', None
        setting = re.match(r'^(get|set)/setting/([\w-]+)$', rest)
        if setting:
            verb, key = setting.groups()
            if key != 'ips':
                # Only the IPS setting is modelled; other keys are refused rather than faked (INFERRED answer).
                raise _envelope_error('api.err.InvalidKey', status=400)
            if verb == 'get' and request.method == 'GET':
                return _json({'meta': {'rc': 'ok'}, 'data': [copy.deepcopy(entry['ips'])]}, headers=headers), '', None
            if verb == 'set' and request.method in ('PUT', 'POST'):
                return self._set_ips(request, site_name, entry, headers, op, user)
        raise UnifiError(404, {'meta': {'rc': 'error', 'msg': 'api.err.NotFound'}, 'data': []})

    def _probe(self):
        if self.style == 'unifios':
            # [aiounifi] tests: 200 text/html carrying an x-csrf-token header.
            return Response(status=200, body=b'<!doctype html><html><head><title>UniFi OS</title></head><body></body></html>',
                            content_type='text/html; charset=utf-8',
                            headers={'X-CSRF-Token': secrets.token_hex(16)}), '', None
        # [go-unifi] setAPIUrlStyle: the classic controller answers 302 (to /manage).
        return Response(status=302, body=b'', content_type='text/html', headers={'Location': '/manage'}), '', None

    def _rate_limited(self):
        # [aiounifi] AuthenticationRateLimitError: 429 with this body; [go-unifi]: no Retry-After header.
        return UnifiError(429, {'code': 'AUTHENTICATION_FAILED_LIMIT_REACHED',
                                'message': "You've reached the login attempt limit"})

    def _login(self, request, op):
        now = time.time()
        if now < self._limited_until:
            raise self._rate_limited()
        self._login_times = [t for t in self._login_times if now - t < self.login_window] + [now]
        if len(self._login_times) > self.login_limit:
            self._limited_until = now + self.rate_limit_seconds
            raise self._rate_limited()
        try:
            body = request.json()
        except ValueError:
            body = None
        fault = self.faults.take('auth', op)
        if not isinstance(body, dict) or not isinstance(body.get('username'), str) or not isinstance(body.get('password'), str):
            if self.style == 'unifios':
                raise UnifiError(400, {'code': 'AUTHENTICATION_FAILED_INVALID_REQUEST', 'message': 'Invalid request'})
            raise _envelope_error('api.err.InvalidPayload', status=400)
        good = (not fault and hmac.compare_digest(body['username'], self.username)
                and hmac.compare_digest(body['password'], self.password))
        if not good:
            if self.style == 'unifios':
                # [aiounifi] a UniFi OS login refusal is HTTP 401 (LoginRequired); body INFERRED by analogy with
                # the documented AUTHENTICATION_FAILED_LIMIT_REACHED.
                error = UnifiError(401, {'code': 'AUTHENTICATION_FAILED_INVALID_CREDENTIALS', 'message': 'Invalid username or password'})
            else:
                # [aiounifi] classic: {"meta": {"rc": "error", "msg": "api.err.Invalid"}} (Unauthorized); HTTP 400 INFERRED.
                error = _envelope_error('api.err.Invalid', status=400)
            error.fault = 'auth' if fault else None
            raise error
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_hex(16)
        self._sessions[token] = {'user': self.username, 'csrf': csrf}
        self.issued_secrets.extend([token, csrf])
        expire = str(int((now + 7200) * 1000))
        if self.style == 'unifios':
            # [go-unifi] cookie TOKEN, X-Csrf-Token, X-Token-Expire-Time in ms; [aiounifi] LOGIN_UNIFIOS_JSON_RESPONSE fields.
            headers = {'Set-Cookie': 'TOKEN=%s; path=/; samesite=none; secure; httponly' % token,
                       'X-CSRF-Token': csrf, 'X-Token-Expire-Time': expire}
            body = {'unique_id': '868d288b-a642-4209-a768-8425498fa928', 'username': self.username,
                    'first_name': '', 'last_name': '', 'full_name': self.username, 'status': 'ACTIVE',
                    'local_account_exist': True,
                    'roles': [{'name': 'Super Administrator', 'system_key': 'super_administrator', 'level': 2}]}
        else:
            # [go-unifi] isLoggedIn checks the unifises cookie; [aiounifi] classic answer {"meta": {"rc": "ok"}, "data": []}
            # and its classic login fixtures carry no x-csrf-token header. The CSRF token is the csrf_token
            # cookie, expected back in the X-Csrf-Token header of state-changing requests (INFERRED).
            headers = {'Set-Cookie': ['unifises=%s; Path=/; Secure; HttpOnly' % token, 'csrf_token=%s; Path=/; Secure' % csrf]}
            body = {'meta': {'rc': 'ok'}, 'data': []}
        return _json(body, headers=headers), 'user=%s' % self.username, 'auth' if fault else None

    def _logout(self, request):
        token = self._session_token(request)
        self._sessions.pop(token, None)
        return _json({'meta': {'rc': 'ok'}, 'data': []}), '', None

    def _session_token(self, request):
        cookie_name = 'TOKEN' if self.style == 'unifios' else 'unifises'
        for part in request.headers.get('cookie', '').split(';'):
            name, _sep, value = part.strip().partition('=')
            if name == cookie_name and value:
                return value
        return None

    def _authenticate(self, request, op):
        """The user of a request (session cookie or API key) and the headers its answer carries."""
        fault = self.faults.take('auth', op)
        key = request.headers.get('x-api-key')
        if key and not fault:
            if self.style == 'unifios' and hmac.compare_digest(key, self.api_key):
                return 'api-key', {}
        token = self._session_token(request)
        session = self._sessions.get(token) if token and not fault else None
        if session is None:
            if self.style == 'unifios':
                # [aiounifi]/[go-unifi]: 401 -> LoginRequired. Body INFERRED.
                error = UnifiError(401, {'error': {'code': 401, 'message': 'Unauthorized'}})
            else:
                error = _envelope_error('api.err.LoginRequired', status=401)
            error.fault = 'auth' if fault else None
            raise error
        if request.method not in ('GET', 'HEAD'):
            sent = request.headers.get('x-csrf-token', '')
            if not sent or not hmac.compare_digest(sent, session['csrf']):
                # INFERRED: a state-changing request without the current CSRF token is refused with 403.
                raise UnifiError(403, {'error': {'code': 403, 'message': 'Invalid CSRF Token'}} if self.style == 'unifios'
                                 else {'meta': {'rc': 'error', 'msg': 'api.err.InvalidCSRFToken'}, 'data': []})
            if self.style == 'classic':
                # The classic token is the session's csrf_token cookie; it does not rotate (INFERRED).
                return session['user'], {}
            # [go-unifi] takes X-Updated-Csrf-Token from answers; the simulator rotates the token on every
            # state-changing request and stops accepting the old one (INFERRED strictness).
            session['csrf'] = secrets.token_hex(16)
            self.issued_secrets.append(session['csrf'])
            return session['user'], {'X-Updated-Csrf-Token': session['csrf']}
        return session['user'], {}

    # IPS settings --------------------------------------------------------------------------------
    def _set_ips(self, request, site_name, entry, headers, op, user):
        fault = self.faults.take('api_error', op)
        if fault:
            error = _envelope_error(fault.message or 'api.err.InvalidPayload', status=int(fault.code or 400))
            error.headers = headers
            error.fault = 'api_error'
            raise error
        try:
            body = request.json()
        except ValueError:
            body = None
        stored = entry['ips']
        problems = self._validate_ips(body, stored, entry)
        if problems:
            # [tf-unifi]: api.err.InvalidPayload (400); the validation detail fields are INFERRED.
            error = _envelope_error('api.err.InvalidPayload', status=400, validationError={'field': problems[0]})
            error.headers = headers
            raise error
        entry['ips'] = copy.deepcopy(body)
        return (_json({'meta': {'rc': 'ok'}, 'data': [copy.deepcopy(body)]}, headers=headers),
                'site=%s user=%s' % (site_name, user), None)

    def _validate_ips(self, body, stored, entry):
        if not isinstance(body, dict):
            return ['body']
        if body.get('key') != 'ips':
            return ['key']
        missing = [name for name in stored if name not in body]
        if missing:
            # The update dropped fields the stored document has (controller-managed ones among them).
            return sorted(missing)
        for name in MANAGED_FIELDS:
            if body.get(name) != stored.get(name):
                return [name]
        unknown = [name for name in body if name not in stored]
        if unknown:
            return sorted(unknown)
        if body.get('ips_mode') not in IPS_MODES:
            return ['ips_mode']
        categories = body.get('enabled_categories')
        if not isinstance(categories, list) or any(c not in IPS_CATEGORIES for c in categories) \
                or len(set(categories)) != len(categories):
            return ['enabled_categories']
        if 'advanced_filtering_preference' in body and body['advanced_filtering_preference'] not in ADVANCED_FILTERING:
            return ['advanced_filtering_preference']
        if 'enabled_networks' in body:
            networks = body['enabled_networks']
            if not isinstance(networks, list) or any(n not in entry['networks'] for n in networks):
                return ['enabled_networks']
            if self.version >= (9, 0, 0) and body['ips_mode'] in MODES_NEEDING_NETWORKS and not networks:
                return ['enabled_networks']
        for name in ('honeypot_enabled', 'restrict_torrents', 'dns_filtering', 'ad_blocking_enabled',
                     'memory_optimized', UNKNOWN_P2P_KEY, 'content_filtering_blocking_page_enabled'):
            if name in body and not isinstance(body[name], bool):
                return [name]
        return []
