# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Response headers through HttpClient: a header sent twice (Set-Cookie) keeps both values, and an HTTP
error carries the answer's headers (a UniFi console hands out a new CSRF token on error answers too)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.directpath.firewall.plugins.module_utils.transport.httpclient import HttpClient, HttpError


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802 (http.server's naming)
        status = 200 if self.path == '/login' else 400
        body = b'{}'
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Set-Cookie', 'unifises=session-value; Path=/')
        self.send_header('Set-Cookie', 'csrf_token=csrf-value; Path=/')
        self.send_header('X-Updated-Csrf-Token', 'rotated-token')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def base_url():
    server = ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.02}, daemon=True)
    thread.start()
    yield 'http://127.0.0.1:%d' % server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_header_sent_twice_keeps_both_values(base_url):
    response = HttpClient(base_url, retry_delay=0).request('POST', '/login', body={})
    cookies = response.header('Set-Cookie')
    assert 'unifises=session-value' in cookies and 'csrf_token=csrf-value' in cookies


def test_an_http_error_carries_the_answer_headers(base_url):
    with pytest.raises(HttpError) as raised:
        HttpClient(base_url, retry_delay=0).request('POST', '/write', body={})
    assert raised.value.status == 400
    headers = {key.lower(): value for key, value in raised.value.headers.items()}
    assert headers['x-updated-csrf-token'] == 'rotated-token'
