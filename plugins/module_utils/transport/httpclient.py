# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: transport. JSON and XML over HTTPS for the vendor clients, on ansible.module_utils.urls.

PRIVATE to the directpath.firewall collection: may change at any time.

May import: engine/ and the standard library (plus ansible.module_utils).

TLS verification is on unless the caller turns it off; ``ca_path`` names the
CA bundle that signed the device's certificate. Every failure becomes an
:class:`HttpError` (a DirectPathError) whose ``cause`` says what went wrong and
whose message never contains a credential: request bodies and headers are
never echoed, and every string the caller registers as secret is masked in
response text before it reaches a message.
"""

from __future__ import annotations

import json
import socket
import ssl
import time

from ansible.module_utils.six.moves.urllib.error import HTTPError, URLError
from ansible.module_utils.six.moves.urllib.parse import urlencode
from ansible.module_utils.urls import Request

from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError

__all__ = ['HttpClient', 'HttpError', 'HttpResponse', 'mask_secrets']

# HTTP status -> error cause. Anything 5xx is the device's fault ('api').
_STATUS_CAUSES = {
    401: 'auth',
    403: 'auth',
    404: 'input',
    409: 'conflict',
    412: 'conflict',
    423: 'lock',
}

# Methods that may be retried after a server error or a dropped connection:
# they change nothing, so a retry cannot apply a change twice.
_IDEMPOTENT_METHODS = ('GET', 'HEAD', 'OPTIONS')


def mask_secrets(text, secrets):
    """Replace every registered secret in ``text`` with ``********``."""
    if text is None:
        return text
    text = str(text)
    for secret in secrets:
        if secret and len(str(secret)) >= 3:
            text = text.replace(str(secret), '********')
    return text


def _header_dict(message):
    """Response headers as a dict; a header sent several times (Set-Cookie) keeps every value, joined by ', '."""
    headers = {}
    for key, value in message.items():
        headers[key] = headers[key] + ', ' + value if key in headers else value
    return headers


class HttpError(DirectPathError):
    """An HTTP exchange failed; ``status`` is the HTTP status when there was one."""

    def __init__(self, message, cause, status=None, body=None, headers=None):
        super(HttpError, self).__init__(message, cause=cause)
        self.status = status
        self.body = body
        self.headers = headers or {}


class HttpResponse(object):
    __slots__ = ('status', 'headers', 'body')

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        try:
            return json.loads(self.body or '{}')
        except ValueError:
            raise HttpError('the device answered with invalid JSON (HTTP %s)' % self.status, 'api', self.status)

    def header(self, name):
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


class HttpClient(object):
    """A small HTTPS client bound to one device.

    ``on_request(method, path, is_write)`` is called before each request so
    the caller can count reads and writes (the module's ``api_calls``).
    """

    def __init__(self, base_url, validate_certs=True, ca_path=None, timeout=30, retries=2,
                 retry_delay=1.0, headers=None, url_username=None, url_password=None,
                 force_basic_auth=False, secrets=None, on_request=None):
        self.base_url = base_url.rstrip('/')
        self.retries = max(0, int(retries))
        self.retry_delay = retry_delay
        self.timeout = timeout
        self.secrets = [s for s in (secrets or []) if s]
        if url_password:
            self.secrets.append(url_password)
        self.on_request = on_request
        self._request = Request(
            headers=dict(headers or {}), timeout=timeout, validate_certs=validate_certs,
            ca_path=ca_path, url_username=url_username, url_password=url_password,
            force_basic_auth=force_basic_auth, follow_redirects='none', use_netrc=False,
        )

    def add_secret(self, value):
        if value:
            self.secrets.append(value)

    def _mask(self, text):
        return mask_secrets(text, self.secrets)

    def request(self, method, path, body=None, form=None, headers=None, is_write=None, expect=(200,), data=None):
        """Send one request; return an :class:`HttpResponse` or raise :class:`HttpError`.

        The body is ``form`` (URL-encoded), ``body`` (as JSON) or ``data``, text sent as it is
        (the caller names its Content-Type in ``headers``).
        """
        method = method.upper()
        if is_write is None:
            is_write = method not in _IDEMPOTENT_METHODS
        send_headers = dict(headers or {})
        if form is not None:
            data = urlencode(form)
            send_headers.setdefault('Content-Type', 'application/x-www-form-urlencoded')
        elif body is not None:
            data = json.dumps(body)
            send_headers.setdefault('Content-Type', 'application/json')
        url = self.base_url + path
        attempts = 1 if is_write else 1 + self.retries
        last_error = None
        for attempt in range(attempts):
            if self.on_request:
                self.on_request(method, path, is_write)
            try:
                return self._send(method, url, path, data, send_headers, expect)
            except HttpError as error:
                last_error = error
                retryable = error.cause in ('unreachable', 'timeout') or (error.status or 0) >= 500
                if not retryable or attempt == attempts - 1:
                    raise
                time.sleep(self.retry_delay)
        raise last_error  # pragma: no cover  (the loop always returns or raises)

    def _send(self, method, url, path, data, headers, expect):
        where = '%s %s' % (method, path.split('?', 1)[0])
        try:
            response = self._request.open(method, url, data=data, headers=headers)
            status = response.getcode()
            text = response.read().decode('utf-8', errors='replace')
            response_headers = _header_dict(response.headers)
        except HTTPError as error:
            status = error.code
            try:
                text = error.read().decode('utf-8', errors='replace')
            except Exception:  # pylint: disable=broad-except
                text = ''
            response_headers = _header_dict(error.headers) if error.headers else {}
        except (socket.timeout, TimeoutError):
            raise HttpError('%s: the device did not answer within %s seconds' % (where, self.timeout), 'timeout')
        except ssl.SSLCertVerificationError as error:
            raise HttpError('%s: TLS certificate verification failed (%s); give the CA with ca_path '
                            'or, for a lab device only, validate_certs=false' % (where, self._mask(error.verify_message)), 'tls')
        except URLError as error:
            reason = error.reason
            if isinstance(reason, ssl.SSLCertVerificationError):
                raise HttpError('%s: TLS certificate verification failed (%s); give the CA with ca_path '
                                'or, for a lab device only, validate_certs=false' % (where, self._mask(reason.verify_message)), 'tls')
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise HttpError('%s: the device did not answer within %s seconds' % (where, self.timeout), 'timeout')
            raise HttpError('%s: cannot reach the device at %s (%s)' % (where, self.base_url, self._mask(reason)), 'unreachable')
        except (ConnectionError, OSError) as error:
            raise HttpError('%s: connection to %s failed (%s)' % (where, self.base_url, self._mask(error)), 'unreachable')
        if status in expect:
            return HttpResponse(status, response_headers, text)
        cause = _STATUS_CAUSES.get(status, 'api')
        snippet = self._mask(text.strip().replace('\n', ' ')[:300])
        raise HttpError('%s: HTTP %s from the device: %s' % (where, status, snippet or '(no body)'), cause, status, self._mask(text),
                        response_headers)
