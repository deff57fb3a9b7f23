# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.directpath.firewall.plugins.module_utils.transport.httpclient import HttpClient, HttpError, mask_secrets


class _Handler(BaseHTTPRequestHandler):
    """Answers from a script the test sets: path -> list of (status, body) consumed in order."""

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _answer(self):
        server = self.server
        server.seen.append((self.command, self.path, self.headers.get('Authorization')))
        script = server.script.get(self.path, [(200, '{}')])
        status, body = script.pop(0) if len(script) > 1 else script[0]
        if status == 'sleep':
            time.sleep(float(body))
            status, body = 200, '{}'
        data = body.encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = _answer
    do_POST = _answer


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
    srv.daemon_threads = True
    srv.script = {}
    srv.seen = []
    thread = threading.Thread(target=srv.serve_forever, kwargs={'poll_interval': 0.02}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _client(server, **kwargs):
    kwargs.setdefault('retry_delay', 0)
    return HttpClient('http://127.0.0.1:%d' % server.server_address[1], **kwargs)


def test_json_round_trip_and_call_counting(server):
    server.script['/api/x'] = [(200, '{"result": "saved"}')]
    counted = []
    client = _client(server, on_request=lambda method, path, is_write: counted.append((method, is_write)))
    assert client.request('POST', '/api/x', body={'a': 1}).json() == {'result': 'saved'}
    assert client.request('GET', '/api/x').json() == {'result': 'saved'}
    assert counted == [('POST', True), ('GET', False)]


@pytest.mark.parametrize('status, cause', [(401, 'auth'), (403, 'auth'), (404, 'input'), (412, 'conflict'), (500, 'api')])
def test_http_status_maps_to_a_cause(server, status, cause):
    server.script['/p'] = [(status, '{"message": "nope"}')]
    with pytest.raises(HttpError) as info:
        _client(server, retries=0).request('GET', '/p')
    assert info.value.cause == cause
    assert info.value.status == status
    assert 'HTTP %d' % status in str(info.value)


def test_reads_are_retried_after_a_server_error(server):
    server.script['/p'] = [(500, '{}'), (200, '{"ok": true}')]
    assert _client(server, retries=1).request('GET', '/p').json() == {'ok': True}
    assert len(server.seen) == 2


def test_writes_are_never_retried(server):
    server.script['/p'] = [(500, '{}'), (200, '{}')]
    with pytest.raises(HttpError):
        _client(server, retries=3).request('POST', '/p', body={})
    assert len(server.seen) == 1


def test_timeout_is_reported_as_timeout(server):
    server.script['/slow'] = [('sleep', '2')]
    with pytest.raises(HttpError) as info:
        _client(server, timeout=0.3, retries=0).request('GET', '/slow')
    assert info.value.cause == 'timeout'


def test_unreachable_device_is_reported_as_unreachable():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(HttpError) as info:
        HttpClient('http://127.0.0.1:%d' % port, retries=0).request('GET', '/')
    assert info.value.cause == 'unreachable'


def test_secrets_never_reach_the_error_message(server):
    server.script['/p'] = [(500, json.dumps({'echo': 'password=hunter22-secret'}))]
    client = _client(server, retries=0, url_username='api', url_password='hunter22-secret', force_basic_auth=True)
    with pytest.raises(HttpError) as info:
        client.request('GET', '/p')
    assert 'hunter22-secret' not in str(info.value)
    assert 'hunter22-secret' not in info.value.body
    assert server.seen[0][2].startswith('Basic ')


def test_mask_secrets_ignores_empty_and_tiny_values():
    assert mask_secrets('a key abc123 here', ['abc123', '', None, 'a']) == 'a key ******** here'
