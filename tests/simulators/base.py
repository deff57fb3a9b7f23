# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Vendor-neutral parts of the device simulators.

* :class:`CertificateAuthority` - a CA generated for one run, and a server certificate for
  127.0.0.1/localhost signed by it, so clients test with TLS verification ON.
* :class:`SimulatorServer` - a threaded HTTPS server on loopback that hands every request to a
  dispatch function.
* :class:`RequestJournal` - what the client sent, classified by the vendor simulator as a read,
  a write or an authentication request.
* :class:`FaultInjector` - faults armed with a count and an optional op-name match, consumed as
  they fire.
* :class:`DeviceSimulator` - the base a vendor simulator subclasses: it owns the above and serves
  the control API under the reserved prefix ``/_sim/`` (no real device has it; control requests
  are not journaled).
* :class:`SimulatorControl` - a small client of that control API for tests, scripts and playbooks.

Only the standard library and ``cryptography`` (for the CA) are used. Nothing listens anywhere but
on loopback.
"""

from __future__ import annotations

import datetime
import hashlib
import http.server
import ipaddress
import json
import os
import socket
import socketserver
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    'CertificateAuthority',
    'DeviceSimulator',
    'Fault',
    'FaultInjector',
    'KNOWN_FAULTS',
    'READ',
    'WRITE',
    'AUTH',
    'OTHER',
    'Request',
    'RequestJournal',
    'Response',
    'SimulatorControl',
    'SimulatorControlError',
    'SimulatorServer',
    'drop_connection',
]

# Request kinds a vendor simulator assigns to every device request it journals.
READ = 'read'
WRITE = 'write'
AUTH = 'auth'
OTHER = 'other'

CONTROL_PREFIX = '/_sim/'

# Every fault a simulator may support; each vendor declares the subset that makes sense for its API.
KNOWN_FAULTS = {
    'http_500': 'the next matching request gets HTTP 500 with the body the vendor web server sends',
    'timeout': 'the next matching request gets no answer: the connection is held for `seconds`, then dropped',
    'auth': 'the next matching request is treated as carrying invalid credentials',
    'commit_fail': 'the next matching commit job finishes with result FAIL; the running config is unchanged',
    'lock_held': 'the next matching write finds the configuration locked by another administrator',
    'stale_etag': 'the next matching conditional write fails with HTTP 412 (ETag APIs only)',
    'api_error': 'the next matching write gets the vendor error envelope',
}


# --------------------------------------------------------------------------------------------------
# TLS: one CA per run
# --------------------------------------------------------------------------------------------------
class CertificateAuthority:
    """A throwaway CA and a server certificate for 127.0.0.1 and localhost.

    Files written into ``state_dir``: ``ca.pem`` (give it to clients as their CA bundle),
    ``server.pem`` (server certificate followed by the CA certificate) and ``server.key``
    (mode 0600). :meth:`load_or_create` reuses files already there, so simulators sharing a state
    directory (a fleet) share one CA.
    """

    def __init__(self, state_dir):
        self.state_dir = Path(state_dir)
        self.ca_path = self.state_dir / 'ca.pem'
        self.cert_path = self.state_dir / 'server.pem'
        self.key_path = self.state_dir / 'server.key'

    @classmethod
    def load_or_create(cls, state_dir, common_name='directpath simulator CA'):
        authority = cls(state_dir)
        if not (authority.ca_path.exists() and authority.cert_path.exists() and authority.key_path.exists()):
            authority.create(common_name=common_name)
        return authority

    def create(self, common_name='directpath simulator CA', days=7):
        """Generate the CA and the server certificate and write the three files."""
        # Imported here so that modules importing base for the journal or the control client do not
        # need cryptography.
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        self.state_dir.mkdir(parents=True, exist_ok=True)
        now = datetime.datetime.now(datetime.timezone.utc)
        not_before = now - datetime.timedelta(hours=1)
        not_after = now + datetime.timedelta(days=days)

        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                             x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'directpath.firewall tests')])
        ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
        # Extensions chosen so that OpenSSL's strict chain checks (VERIFY_X509_STRICT, the default of
        # ssl.create_default_context() on Python 3.13) accept the chain: critical basicConstraints,
        # keyUsage, and subject/authority key identifiers on both certificates.
        ca_cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name).issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(ca_ski, critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
            .sign(ca_key, hashes.SHA256())
        )

        server_key = ec.generate_private_key(ec.SECP256R1())
        server_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'localhost')])
        server_cert = (
            x509.CertificateBuilder()
            .subject_name(server_name).issuer_name(ca_name)
            .public_key(server_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address('127.0.0.1')),
                                                        x509.DNSName('localhost')]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=False, key_cert_sign=False, crl_sign=False,
                                         content_commitment=False, data_encipherment=False, key_agreement=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(server_key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
            .sign(ca_key, hashes.SHA256())
        )

        pem = serialization.Encoding.PEM
        self.ca_path.write_bytes(ca_cert.public_bytes(pem))
        self.cert_path.write_bytes(server_cert.public_bytes(pem) + ca_cert.public_bytes(pem))
        key_bytes = server_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        descriptor = os.open(str(self.key_path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, 'wb') as handle:
            handle.write(key_bytes)
        return self

    def server_context(self):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(str(self.cert_path), str(self.key_path))
        return context

    def client_context(self):
        """A verifying client context that trusts only this CA."""
        return ssl.create_default_context(cafile=str(self.ca_path))


# --------------------------------------------------------------------------------------------------
# Requests, responses, journal, faults
# --------------------------------------------------------------------------------------------------
@dataclass
class Request:
    """One HTTP request as the simulators see it. ``params`` merges the query string and a
    form-encoded body (body wins); each value is the first one sent."""

    method: str
    path: str
    query: str
    headers: dict
    body: bytes
    client: str = '127.0.0.1'
    params: dict = field(default_factory=dict)

    @classmethod
    def build(cls, method, raw_path, headers, body, client='127.0.0.1'):
        parsed = urllib.parse.urlsplit(raw_path)
        params = {}
        for key, value in urllib.parse.parse_qsl(parsed.query, keep_blank_values=True):
            params.setdefault(key, value)
        content_type = headers.get('content-type', '')
        if body and (content_type.startswith('application/x-www-form-urlencoded') or not content_type):
            body_params = {}
            for key, value in urllib.parse.parse_qsl(body.decode('utf-8', 'replace'), keep_blank_values=True):
                body_params.setdefault(key, value)
            params.update(body_params)
        return cls(method=method, path=parsed.path, query=parsed.query, headers=headers, body=body,
                   client=client, params=params)

    def json(self):
        if not self.body:
            return {}
        return json.loads(self.body.decode('utf-8'))


@dataclass
class Response:
    status: int = 200
    body: bytes = b''
    content_type: str = 'text/plain; charset=utf-8'
    reason: str | None = None
    headers: dict = field(default_factory=dict)
    drop: bool = False

    @classmethod
    def json(cls, data, status=200):
        return cls(status=status, body=(json.dumps(data, indent=1, sort_keys=True) + '\n').encode(),
                   content_type='application/json')


def drop_connection():
    """A response that closes the connection without sending anything."""
    return Response(status=0, drop=True)


class RequestJournal:
    """Thread-safe list of the device requests a simulator served.

    Entry keys: ``seq``, ``time``, ``method``, ``path``, ``op`` (vendor op name, e.g.
    ``config:edit``), ``kind`` (``read``/``write``/``auth``/``other``, decided by the vendor
    simulator), ``status`` (HTTP status, 0 when the connection was dropped), ``detail``,
    ``api_status`` (the vendor envelope's status when it has one) and ``fault`` (the fault that
    fired on this request, if any).
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []
        self._seq = 0

    def record(self, method, path, op, kind, status, detail='', api_status=None, fault=None):
        with self._lock:
            self._seq += 1
            entry = {'seq': self._seq, 'time': round(time.time(), 6), 'method': method, 'path': path, 'op': op,
                     'kind': kind, 'status': status, 'detail': detail, 'api_status': api_status, 'fault': fault}
            self._entries.append(entry)
            return dict(entry)

    def entries(self):
        with self._lock:
            return [dict(entry) for entry in self._entries]

    def reads(self):
        return [entry for entry in self.entries() if entry['kind'] == READ]

    def writes(self):
        return [entry for entry in self.entries() if entry['kind'] == WRITE]

    def ops(self):
        return [entry['op'] for entry in self.entries()]

    def clear(self):
        with self._lock:
            count = len(self._entries)
            self._entries = []
            return count

    def summary(self):
        """``{"reads": n, "writes": n}`` (auth and other requests are in :meth:`counts`)."""
        entries = self.entries()
        return {'reads': sum(1 for e in entries if e['kind'] == READ),
                'writes': sum(1 for e in entries if e['kind'] == WRITE)}

    def counts(self):
        counts = {READ: 0, WRITE: 0, AUTH: 0, OTHER: 0}
        for entry in self.entries():
            counts[entry['kind']] = counts.get(entry['kind'], 0) + 1
        return counts


@dataclass
class Fault:
    name: str
    count: int = 1
    match: str | None = None
    seconds: float | None = None
    message: str | None = None
    code: str | None = None
    fired: int = 0

    def matches(self, op):
        return not self.match or self.match in op

    def as_dict(self):
        return {'fault': self.name, 'count': self.count, 'match': self.match, 'seconds': self.seconds,
                'message': self.message, 'code': self.code, 'fired': self.fired}


class FaultInjector:
    """Armed faults, consumed as they fire.

    A vendor simulator calls :meth:`take` at the point where a fault applies (``take('http_500',
    op)`` before dispatching, ``take('commit_fail', 'commit')`` when a commit job is created, ...);
    it returns the :class:`Fault` and decrements its count, or ``None``. ``match`` is a substring
    of the vendor op name (``config:edit``, ``op:show jobs``, ``commit``).
    """

    def __init__(self, supported=None, known=None):
        # ``known``: the fault names this kind of device can have at all (a simulator with faults of
        # its own, such as the SSH CLI's session_drop, passes its table); ``supported``: the ones it models.
        self.known = dict(known if known is not None else KNOWN_FAULTS)
        self.supported = set(supported if supported is not None else self.known)
        self._lock = threading.Lock()
        self._faults = []

    def arm(self, fault, count=1, match=None, seconds=None, message=None, code=None):
        if fault not in self.known:
            raise ValueError('unknown fault %r (known: %s)' % (fault, ', '.join(sorted(self.known))))
        if fault not in self.supported:
            raise ValueError('fault %r does not apply to this simulator (supported: %s)' % (fault, ', '.join(sorted(self.supported))))
        count = int(count)
        if count < 1:
            raise ValueError('count must be >= 1')
        armed = Fault(name=fault, count=count, match=match or None,
                      seconds=float(seconds) if seconds is not None else None, message=message,
                      code=str(code) if code is not None else None)
        with self._lock:
            self._faults.append(armed)
        return armed

    def take(self, name, op):
        with self._lock:
            for armed in self._faults:
                if armed.name == name and armed.count > 0 and armed.matches(op):
                    armed.count -= 1
                    armed.fired += 1
                    if armed.count == 0:
                        self._faults.remove(armed)
                    return armed
        return None

    def armed(self):
        with self._lock:
            return [armed.as_dict() for armed in self._faults]

    def clear(self):
        with self._lock:
            count = len(self._faults)
            self._faults = []
            return count


# --------------------------------------------------------------------------------------------------
# HTTPS server
# --------------------------------------------------------------------------------------------------
class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'directpath-simulator'
    sys_version = ''

    def _serve(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length > 0 else b''
        headers = {key.lower(): value for key, value in self.headers.items()}
        request = Request.build(self.command, self.path, headers, body, client=self.client_address[0])
        response = self.server.dispatch(request)
        if response.drop:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send_response(response.status, response.reason)
        self.send_header('Content-Type', response.content_type)
        self.send_header('Content-Length', str(len(response.body)))
        for key, value in response.headers.items():
            # A list sends the header once per value (several Set-Cookie headers in one answer).
            for item in (value if isinstance(value, (list, tuple)) else [value]):
                self.send_header(key, item)
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        # Quiet: the journal is the record of what was served.
        return


class _TLSThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, address, context, dispatch):
        self.tls_context = context
        self.dispatch = dispatch
        super().__init__(address, _Handler)

    def finish_request(self, request, client_address):
        # The TLS handshake happens here, in the connection's own thread, so that a client that
        # never completes it (or rejects our certificate) cannot stall the accept loop.
        request.settimeout(30)
        try:
            tls = self.tls_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            super().finish_request(tls, client_address)
        finally:
            try:
                tls.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        # Clients that go away (timeouts, verification failures) are normal in fault tests.
        return


class SimulatorServer:
    """A threaded HTTPS server on loopback; every request goes to ``dispatch(Request) -> Response``.

    ``port=0`` picks an ephemeral port; :attr:`port` and :attr:`url` are known after :meth:`start`.
    Usable as a context manager.

    :attr:`accept_loop`, when set (the fleet launcher sets it while it starts members), serves the
    listening socket from that one loop instead of a thread per server: an object with
    ``add(httpd)`` and ``remove(httpd)``. A server remembers the loop it started with.
    """

    accept_loop = None

    def __init__(self, dispatch, authority, host='127.0.0.1', port=0):
        self.dispatch = dispatch
        self.authority = authority
        self.host = host
        self.requested_port = port
        self._httpd = None
        self._thread = None
        self._loop = None

    @property
    def port(self):
        if self._httpd is None:
            return None
        return self._httpd.server_address[1]

    @property
    def url(self):
        return 'https://%s:%s' % (self.host, self.port)

    @property
    def running(self):
        return self._httpd is not None

    def start(self):
        if self._httpd is not None:
            return self
        self._httpd = _TLSThreadingServer((self.host, self.requested_port), self.authority.server_context(), self.dispatch)
        self._loop = self.accept_loop
        if self._loop is not None:
            self._loop.add(self._httpd)
            return self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={'poll_interval': 0.05},
                                        name='simulator-%s' % self.port, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._httpd is None:
            return
        if self._loop is not None:
            self._loop.remove(self._httpd)
        else:
            self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None
        self._loop = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# --------------------------------------------------------------------------------------------------
# The base of a vendor simulator, with the control API
# --------------------------------------------------------------------------------------------------
class DeviceSimulator:
    """Base class of a vendor simulator.

    A subclass sets :attr:`VENDOR` and :attr:`SUPPORTED_FAULTS` and implements
    :meth:`handle_device` (answer one device request, journaling it), :meth:`state_dump`,
    :meth:`state_update` and :meth:`state_components`. Everything under ``/_sim/`` is served
    here and never journaled.
    """

    VENDOR = 'generic'
    SUPPORTED_FAULTS = frozenset(KNOWN_FAULTS)

    def __init__(self, state_dir, host='127.0.0.1', port=0, authority=None):
        self.state_dir = Path(state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.authority = authority or CertificateAuthority.load_or_create(self.state_dir)
        self.journal = RequestJournal()
        self.faults = FaultInjector(self.SUPPORTED_FAULTS)
        self.server = SimulatorServer(self._dispatch, self.authority, host=host, port=port)
        # Set by stop() so that handlers holding a connection for a timeout fault let go at once.
        self.stopping = threading.Event()

    # lifecycle -----------------------------------------------------------------------------------
    def start(self):
        self.stopping.clear()
        self.server.start()
        return self

    def stop(self):
        self.stopping.set()
        self.server.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        return self.server.url

    @property
    def port(self):
        return self.server.port

    @property
    def host(self):
        return self.server.host

    @property
    def ca_path(self):
        return str(self.authority.ca_path)

    def control(self):
        return SimulatorControl(self.url, self.ca_path)

    # vendor hooks --------------------------------------------------------------------------------
    def handle_device(self, request):
        raise NotImplementedError

    def state_dump(self):
        raise NotImplementedError

    def state_update(self, values):
        raise NotImplementedError

    def state_components(self):
        """``{name: text}`` of everything a write could change on the device (configs, locks, ...)."""
        raise NotImplementedError

    # helpers for vendor simulators ----------------------------------------------------------------
    def hold_then_drop(self, fault, default_seconds=3.0):
        """Serve a ``timeout`` fault: keep the client waiting, then drop the connection."""
        seconds = fault.seconds if fault.seconds is not None else default_seconds
        self.stopping.wait(seconds)
        return drop_connection()

    def snapshot(self):
        """A digest of the device state, for "the device was left exactly as it was" assertions."""
        components = {name: hashlib.sha256(text.encode('utf-8')).hexdigest()
                      for name, text in sorted(self.state_components().items())}
        digest = hashlib.sha256(json.dumps(components, sort_keys=True).encode()).hexdigest()
        return {'vendor': self.VENDOR, 'components': components, 'digest': digest}

    # dispatch ------------------------------------------------------------------------------------
    def _dispatch(self, request):
        if request.path.startswith(CONTROL_PREFIX) or request.path == CONTROL_PREFIX.rstrip('/'):
            try:
                return self._control(request)
            except (ValueError, KeyError, TypeError) as exc:
                return Response.json({'error': str(exc)}, status=400)
        return self.handle_device(request)

    def _control(self, request):
        route = request.path[len(CONTROL_PREFIX):].strip('/')
        method = request.method
        if route == 'journal' and method == 'GET':
            return Response.json(self.journal.entries())
        if route == 'journal/clear' and method == 'POST':
            return Response.json({'cleared': self.journal.clear()})
        if route == 'journal/summary' and method == 'GET':
            return Response.json(self.journal.summary())
        if route == 'journal/counts' and method == 'GET':
            return Response.json(self.journal.counts())
        if route == 'faults' and method == 'GET':
            return Response.json(self.faults.armed())
        if route == 'faults' and method == 'POST':
            spec = request.json()
            if not isinstance(spec, dict) or 'fault' not in spec:
                raise ValueError('expected a JSON object with "fault"')
            unknown = set(spec) - {'fault', 'count', 'match', 'seconds', 'message', 'code'}
            if unknown:
                raise ValueError('unknown fault keys: %s' % ', '.join(sorted(unknown)))
            self.faults.arm(spec['fault'], count=spec.get('count', 1), match=spec.get('match'),
                            seconds=spec.get('seconds'), message=spec.get('message'), code=spec.get('code'))
            return Response.json({'armed': self.faults.armed()})
        if route == 'faults' and method == 'DELETE':
            return Response.json({'cleared': self.faults.clear()})
        if route == 'state' and method == 'GET':
            return Response.json(self.state_dump())
        if route == 'state' and method == 'POST':
            values = request.json()
            if not isinstance(values, dict):
                raise ValueError('expected a JSON object')
            self.state_update(values)
            return Response.json(self.state_dump())
        if route == 'snapshot' and method == 'GET':
            return Response.json(self.snapshot())
        if route == '' and method == 'GET':
            return Response.json({'vendor': self.VENDOR, 'faults': sorted(self.SUPPORTED_FAULTS),
                                  'endpoints': ['GET journal', 'POST journal/clear', 'GET journal/summary',
                                                'GET journal/counts', 'GET faults', 'POST faults', 'DELETE faults',
                                                'GET state', 'POST state', 'GET snapshot']})
        return Response.json({'error': 'no control endpoint %s %s' % (method, request.path)}, status=404)


# --------------------------------------------------------------------------------------------------
# Control client
# --------------------------------------------------------------------------------------------------
class SimulatorControlError(Exception):
    def __init__(self, status, message):
        super().__init__('simulator control request failed (HTTP %s): %s' % (status, message))
        self.status = status


class SimulatorControl:
    """Client of a simulator's ``/_sim/`` control API (TLS verified against the run's CA)."""

    def __init__(self, url, ca_path, timeout=10):
        self.url = url.rstrip('/')
        self.context = ssl.create_default_context(cafile=str(ca_path))
        self.timeout = timeout

    def _call(self, method, route, payload=None):
        data = None
        headers = {}
        if payload is not None:
            data = json.dumps(payload).encode()
            headers['Content-Type'] = 'application/json'
        request = urllib.request.Request(self.url + CONTROL_PREFIX + route, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=self.timeout) as answer:
                return json.loads(answer.read().decode())
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors='replace')
            try:
                message = json.loads(body).get('error', body)
            except ValueError:
                message = body
            raise SimulatorControlError(error.code, message) from None

    def info(self):
        return self._call('GET', '')

    def journal(self):
        return self._call('GET', 'journal')

    def clear_journal(self):
        return self._call('POST', 'journal/clear')['cleared']

    def summary(self):
        return self._call('GET', 'journal/summary')

    def counts(self):
        return self._call('GET', 'journal/counts')

    def arm(self, fault, count=1, match=None, seconds=None, message=None, code=None):
        spec = {'fault': fault, 'count': count}
        for key, value in (('match', match), ('seconds', seconds), ('message', message), ('code', code)):
            if value is not None:
                spec[key] = value
        return self._call('POST', 'faults', spec)['armed']

    def faults(self):
        return self._call('GET', 'faults')

    def clear_faults(self):
        return self._call('DELETE', 'faults')['cleared']

    def state(self):
        return self._call('GET', 'state')

    def set_state(self, **values):
        return self._call('POST', 'state', values)

    def snapshot(self):
        return self._call('GET', 'snapshot')
