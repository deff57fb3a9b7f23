# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: clients. The Tailscale API: the tailnet policy file (read, validate, conditional write) and OAuth tokens.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/, transport/.

Request shapes follow tailscale/tailscale-client-go-v2 (``policyfile.go``, ``client.go``,
``oauth.go``) and the API documentation:

* ``GET /api/v2/tailnet/{tailnet}/acl`` with ``Accept: application/hujson`` answers the file as
  written (comments included) and its ``ETag``;
* ``POST .../acl/validate`` with the HuJSON body answers 200 and ``{}`` (or nothing) when the file
  is good, a ``message`` (and ``data[].errors``) when it is not;
* ``POST .../acl`` with ``Content-Type: application/hujson`` and ``If-Match: "<etag>"`` (quoted,
  as the Go client sends it) replaces the file only if nobody changed it since our read; otherwise
  412 ``{"message": "precondition failed, invalid old hash"}``;
* authentication: an API access token, or an OAuth client's short-lived token from
  ``POST /api/v2/oauth/token`` (client credentials; one hour). Both go in ``Authorization: Bearer``.
"""

from __future__ import annotations

import json

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.transport.httpclient import HttpClient, HttpError

__all__ = [
    'PolicyConflict',
    'TAILSCALE_API_SPEC',
    'TailscaleApiClient',
]

HUJSON = 'application/hujson'
DEFAULT_API_URL = 'https://api.tailscale.com'

# Environment variables as the Tailscale Terraform provider and Pulumi name them.
TAILSCALE_API_SPEC = ArgumentSpec(
    argument_spec=dict(
        tailnet=dict(type='str', default='-', fallback=(env_fallback, ['TAILSCALE_TAILNET'])),
        api_key=dict(type='str', no_log=True, fallback=(env_fallback, ['TAILSCALE_API_KEY'])),
        oauth_client_id=dict(type='str', fallback=(env_fallback, ['TAILSCALE_OAUTH_CLIENT_ID'])),
        oauth_client_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['TAILSCALE_OAUTH_CLIENT_SECRET'])),
        api_url=dict(type='str', default=DEFAULT_API_URL, fallback=(env_fallback, ['TAILSCALE_BASE_URL'])),
        validate_certs=dict(type='bool', default=True),
        ca_path=dict(type='path'),
        timeout=dict(type='int', default=30),
    ),
    mutually_exclusive=[('api_key', 'oauth_client_id'), ('api_key', 'oauth_client_secret')],
    required_one_of=[('api_key', 'oauth_client_id')],
    required_together=[('oauth_client_id', 'oauth_client_secret')],
)


class PolicyConflict(DirectPathError):
    """Our write's If-Match no longer matched: someone saved the policy file after our read."""

    def __init__(self, message: str) -> None:
        super(PolicyConflict, self).__init__(message, cause='conflict')


class PolicyFile(object):
    """The policy file as read: its exact text and the ETag to send back with ``If-Match``."""

    __slots__ = ('text', 'etag')

    def __init__(self, text: str, etag: str) -> None:
        self.text = text
        self.etag = etag


class TailscaleApiClient(object):
    """One tailnet's policy file through the Tailscale API.

    ``api_calls`` counts the requests (the OAuth token request counts as a read);
    ``add_secret`` registers values learnt at run time (the OAuth access token) for masking.
    """

    def __init__(self, params: dict, api_calls, add_secret=None) -> None:
        self.params = params
        self.api_calls = api_calls
        self._add_secret = add_secret or (lambda value: None)
        self.tailnet = params.get('tailnet') or '-'
        url = (params.get('api_url') or DEFAULT_API_URL).rstrip('/')
        if not url.startswith('https://') and not url.startswith('http://'):
            raise DirectPathError('api_url %r is not an http(s) URL' % url, cause='input')
        secrets = [params.get('api_key'), params.get('oauth_client_secret')]
        self.http = HttpClient(url, validate_certs=params.get('validate_certs', True), ca_path=params.get('ca_path'),
                               timeout=params.get('timeout') or 30, secrets=[s for s in secrets if s],
                               on_request=self._count)
        self._token = None

    def _count(self, method, path, is_write):
        if is_write:
            self.api_calls.write()
        else:
            self.api_calls.read()

    # authentication ------------------------------------------------------------------------------
    def connect(self) -> None:
        """Get a bearer token: the API key itself, or an OAuth access token for the client."""
        if self.params.get('api_key'):
            self._token = self.params['api_key']
            return
        form = {'grant_type': 'client_credentials', 'client_id': self.params['oauth_client_id'],
                'client_secret': self.params['oauth_client_secret']}
        try:
            # No scope parameter: the token gets the scopes the OAuth client was created with
            # (policy_file to change the file, policy_file:read to audit it).
            answer = self.http.request('POST', '/api/v2/oauth/token', form=form, is_write=False)
        except HttpError as error:
            if error.status in (400, 401):
                raise DirectPathError('the Tailscale OAuth token endpoint refused client %r: %s' % (
                    self.params['oauth_client_id'], _oauth_reason(error)), cause='auth')
            raise
        token = answer.json().get('access_token')
        if not token:
            raise DirectPathError('the Tailscale OAuth token endpoint answered without an access_token', cause='api')
        self._add_secret(token)
        self.http.add_secret(token)
        self._token = token

    def _headers(self, **extra):
        if self._token is None:
            self.connect()
        headers = {'Authorization': 'Bearer %s' % self._token}
        headers.update(extra)
        return headers

    def _acl_path(self, suffix=''):
        return '/api/v2/tailnet/%s/acl%s' % (quote(self.tailnet, safe=''), suffix)

    def _explain(self, error: HttpError, action: str) -> DirectPathError:
        message = _api_message(error) or str(error)
        if error.status == 401:
            return DirectPathError('Tailscale API refused the credentials while trying to %s: %s' % (action, message), cause='auth')
        if error.status == 403:
            return DirectPathError('Tailscale API: the credentials may not %s (%s); an OAuth client needs the scope '
                                   'policy_file to change the policy file and policy_file:read to read it' % (action, message),
                                   cause='auth')
        if error.status == 404:
            return DirectPathError('Tailscale API: tailnet %r not found while trying to %s (%s)' % (self.tailnet, action, message),
                                   cause='input')
        if error.status == 400:
            return DirectPathError('Tailscale API refused to %s: %s' % (action, message), cause='api')
        return error

    # the policy file -----------------------------------------------------------------------------
    def read_policy(self) -> PolicyFile:
        """The policy file as written (HuJSON, comments included) and its ETag."""
        try:
            answer = self.http.request('GET', self._acl_path(), headers=self._headers(Accept=HUJSON))
        except HttpError as error:
            raise self._explain(error, 'read the policy file')
        etag = answer.header('ETag')
        if not etag:
            raise DirectPathError('Tailscale API answered the policy file without an ETag: cannot write it safely', cause='api')
        return PolicyFile(answer.body, etag)

    def validate_policy(self, text: str) -> None:
        """Ask the API whether ``text`` would be accepted; raises DirectPathError (cause input) if not."""
        try:
            answer = self.http.request('POST', self._acl_path('/validate'), data=text, is_write=False,
                                       headers=self._headers(**{'Content-Type': HUJSON}))
        except HttpError as error:
            raise self._explain(error, 'validate the new policy file')
        result = answer.json() if answer.body.strip() else {}
        message = result.get('message') if isinstance(result, dict) else None
        if message:
            details = []
            for entry in result.get('data') or []:
                for problem in (entry.get('errors') or []) + (entry.get('warnings') or []):
                    details.append(('%s: %s' % (entry['user'], problem)) if entry.get('user') else problem)
            raise DirectPathError('Tailscale refused the new policy file: %s%s' % (
                message, (' (%s)' % '; '.join(details)) if details and details != [message] else ''),
                cause='input', details={'validation': result})

    def write_policy(self, text: str, etag: str) -> PolicyFile:
        """Replace the file only if it still has ``etag``; raises PolicyConflict on 412."""
        if_match = '"%s"' % etag.strip('"')
        try:
            answer = self.http.request('POST', self._acl_path(), data=text, is_write=True,
                                       headers=self._headers(**{'Content-Type': HUJSON, 'Accept': HUJSON, 'If-Match': if_match}))
        except HttpError as error:
            if error.status == 412:
                raise PolicyConflict('the tailnet policy file changed after it was read (HTTP 412: %s)'
                                     % (_api_message(error) or 'precondition failed'))
            raise self._explain(error, 'write the policy file')
        return PolicyFile(answer.body, answer.header('ETag') or '')


def _api_message(error: HttpError) -> str:
    """The ``message`` of the API's error body, when it has one."""
    try:
        body = json.loads(error.body or '')
    except ValueError:
        return ''
    if isinstance(body, dict):
        return str(body.get('message') or body.get('error_description') or body.get('error') or '')
    return ''


def _oauth_reason(error: HttpError) -> str:
    return _api_message(error) or 'HTTP %s' % error.status
