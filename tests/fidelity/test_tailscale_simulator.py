# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Tailscale API simulator answers as the service does (shapes cited in the simulator)."""

from __future__ import annotations

import base64
import json
import ssl
import urllib.error
import urllib.parse
import urllib.request

import pytest

from ansible_collections.directpath.firewall.tests.simulators.tailscale_api import (
    DEFAULT_POLICY, PRECONDITION_FAILED, TailscaleApiSimulator, standardize,
)

ACL = '/api/v2/tailnet/-/acl'


@pytest.fixture(name='tailscale_sim')
def tailscale_sim_fixture(sim_state_dir):
    simulator = TailscaleApiSimulator(sim_state_dir / 'tailscale').start()
    yield simulator
    simulator.stop()


def call(sim, method, path, body=None, headers=None, key=None, bearer=None):
    headers = dict(headers or {})
    if key is not None:
        headers['Authorization'] = 'Basic ' + base64.b64encode(('%s:' % key).encode()).decode()
    if bearer is not None:
        headers['Authorization'] = 'Bearer ' + bearer
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(sim.url + path, data=data, method=method, headers=headers)
    context = ssl.create_default_context(cafile=sim.ca_path)
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def token_for(sim, client_id, scope=None):
    spec = sim.oauth_clients[client_id]
    form = {'grant_type': 'client_credentials', 'client_id': client_id, 'client_secret': spec['secret']}
    if scope:
        form['scope'] = scope
    status, _headers, body = call(sim, 'POST', '/api/v2/oauth/token', urllib.parse.urlencode(form),
                                  {'Content-Type': 'application/x-www-form-urlencoded'})
    return status, json.loads(body)


def test_get_answers_hujson_unless_json_is_asked_for_with_an_etag(tailscale_sim):
    status, headers, body = call(tailscale_sim, 'GET', ACL, key=tailscale_sim.api_key)
    assert status == 200 and body == DEFAULT_POLICY
    assert headers['Content-Type'] == 'application/hujson'
    assert headers['ETag'].startswith('"') and len(headers['ETag']) == 66
    status, headers, body = call(tailscale_sim, 'GET', ACL, headers={'Accept': 'application/json'}, bearer=tailscale_sim.api_key)
    assert status == 200 and headers['Content-Type'] == 'application/json'
    assert json.loads(body)['tagOwners'] == {'tag:golink': ['example.com']}


def test_details_answers_base64_hujson(tailscale_sim):
    status, _headers, body = call(tailscale_sim, 'GET', ACL + '?details=1', key=tailscale_sim.api_key)
    answer = json.loads(body)
    assert status == 200 and base64.b64decode(answer['acl']).decode() == DEFAULT_POLICY and answer['errors'] is None


def test_if_match_stale_etag_answers_412_with_the_exact_body_and_changes_nothing(tailscale_sim):
    before = tailscale_sim.snapshot()
    status, _headers, body = call(tailscale_sim, 'POST', ACL, '{"acls": []}',
                                  {'Content-Type': 'application/hujson', 'If-Match': '"0000"'}, key=tailscale_sim.api_key)
    assert status == 412 and json.loads(body) == PRECONDITION_FAILED
    assert tailscale_sim.snapshot() == before


def test_unquoted_if_match_never_matches(tailscale_sim):
    etag = tailscale_sim.etag
    status, _headers, _body = call(tailscale_sim, 'POST', ACL, '{"acls": []}',
                                   {'Content-Type': 'application/hujson', 'If-Match': etag.strip('"')}, key=tailscale_sim.api_key)
    assert status == 412


def test_ts_default_matches_only_the_untouched_default(tailscale_sim):
    text = DEFAULT_POLICY.replace('"tag:golink": ["example.com"],', '"tag:golink": ["example.com"],\n\t\t"tag:office": ["autogroup:admin"],')
    headers = {'Content-Type': 'application/hujson', 'If-Match': '"ts-default"'}
    status, answer_headers, body = call(tailscale_sim, 'POST', ACL, text, headers, key=tailscale_sim.api_key)
    assert status == 200 and body == text and answer_headers['ETag'] == tailscale_sim.etag
    status, _headers, body = call(tailscale_sim, 'POST', ACL, text, headers, key=tailscale_sim.api_key)
    assert status == 412 and json.loads(body) == PRECONDITION_FAILED


def test_matching_etag_saves_and_returns_the_new_etag(tailscale_sim):
    etag = tailscale_sim.etag
    text = DEFAULT_POLICY.replace('}\n', '\t"randomizeClientPort": true,\n}\n')
    status, headers, body = call(tailscale_sim, 'POST', ACL, text, {'Content-Type': 'application/hujson', 'If-Match': etag},
                                 key=tailscale_sim.api_key)
    assert status == 200 and headers['ETag'] != etag and tailscale_sim.policy == text
    assert [entry['kind'] for entry in tailscale_sim.journal.entries()] == ['write']


@pytest.mark.parametrize('text, message', [
    ('{"randomizeClientPort": "yes"}', 'randomizeClientPort of type bool'),
    ('{"randomiseClientPort": true}', 'unknown field "randomiseClientPort"'),
    ('{"nodeAttrs": [{"target": ["tag:nope"], "attr": ["randomize-client-port"]}]}', 'tag "tag:nope" not found in tagOwners'),
    ('{"nodeAttrs": [{"target": [], "attr": ["randomize-client-port"]}]}', 'non-empty list'),
    ('{"acls": [], "acls": []}', 'duplicate name "acls"'),
    ('{"acls": [}', 'invalid policy file'),
])
def test_invalid_policy_is_refused_with_400_and_validate_says_why(tailscale_sim, text, message):
    before = tailscale_sim.snapshot()
    status, _headers, body = call(tailscale_sim, 'POST', ACL, text, {'Content-Type': 'application/hujson'}, key=tailscale_sim.api_key)
    assert status == 400 and message in json.loads(body)['message']
    assert tailscale_sim.snapshot() == before
    status, _headers, body = call(tailscale_sim, 'POST', ACL + '/validate', text, {'Content-Type': 'application/hujson'},
                                  key=tailscale_sim.api_key)
    if 'invalid policy file' in message:
        assert status == 400
    else:
        answer = json.loads(body)
        assert status == 200 and message in answer['message'] and answer['data'][0]['errors']


def test_validate_answers_empty_object_for_a_good_policy_and_is_a_read(tailscale_sim):
    status, _headers, body = call(tailscale_sim, 'POST', ACL + '/validate', DEFAULT_POLICY, {'Content-Type': 'application/hujson'},
                                  key=tailscale_sim.api_key)
    assert status == 200 and json.loads(body) == {}
    assert tailscale_sim.journal.summary() == {'reads': 1, 'writes': 0}


def test_oauth_token_scopes_allow_read_or_write(tailscale_sim):
    status, answer = token_for(tailscale_sim, 'kSimOAuthRO1CNTRL')
    assert status == 200 and answer['token_type'] == 'Bearer' and answer['expires_in'] == 3600 and answer['scope'] == 'policy_file:read'
    read_only = answer['access_token']
    assert call(tailscale_sim, 'GET', ACL, bearer=read_only)[0] == 200
    status, _headers, body = call(tailscale_sim, 'POST', ACL, DEFAULT_POLICY, {'Content-Type': 'application/hujson'}, bearer=read_only)
    assert status == 403 and 'policy_file' in json.loads(body)['message']
    status, answer = token_for(tailscale_sim, 'kSimOAuth1CNTRL', scope='policy_file')
    assert call(tailscale_sim, 'POST', ACL, DEFAULT_POLICY, {'Content-Type': 'application/hujson'}, bearer=answer['access_token'])[0] == 200
    status, answer = token_for(tailscale_sim, 'kSimOAuthRO1CNTRL', scope='policy_file')
    assert status == 400 and answer['error'] == 'invalid_scope'
    assert [entry['kind'] for entry in tailscale_sim.journal.entries()].count('auth') == 3


def test_oauth_bad_secret_and_expired_token_are_refused(tailscale_sim):
    form = urllib.parse.urlencode({'grant_type': 'client_credentials', 'client_id': 'kSimOAuth1CNTRL', 'client_secret': 'wrong'})
    status, _headers, body = call(tailscale_sim, 'POST', '/api/v2/oauth/token', form, {'Content-Type': 'application/x-www-form-urlencoded'})
    assert status == 401 and json.loads(body)['error'] == 'invalid_client'
    _status, answer = token_for(tailscale_sim, 'kSimOAuth1CNTRL')
    tailscale_sim.state_update({'expire_tokens': True})
    assert call(tailscale_sim, 'GET', ACL, bearer=answer['access_token'])[0] == 401
    assert call(tailscale_sim, 'GET', ACL)[0] == 401


def test_concurrent_edit_lands_before_the_next_write_and_keeps_comments(tailscale_sim):
    etag = tailscale_sim.etag
    tailscale_sim.control().set_state(concurrent_edit={'patch': [{'op': 'add', 'path': '/hosts/nas', 'value': '100.64.0.9'}]})
    status, _headers, body = call(tailscale_sim, 'POST', ACL, DEFAULT_POLICY, {'Content-Type': 'application/hujson', 'If-Match': etag},
                                  key=tailscale_sim.api_key)
    assert status == 412 and json.loads(body) == PRECONDITION_FAILED
    assert '"nas":"100.64.0.9"' in tailscale_sim.policy and '// Access control lists.' in tailscale_sim.policy


def test_faults(tailscale_sim):
    control = tailscale_sim.control()
    control.arm('http_500', match='acl:get')
    assert call(tailscale_sim, 'GET', ACL, key=tailscale_sim.api_key)[0] == 500
    control.arm('auth')
    assert call(tailscale_sim, 'GET', ACL, key=tailscale_sim.api_key)[0] == 401
    control.arm('stale_etag')
    status, _headers, body = call(tailscale_sim, 'POST', ACL, DEFAULT_POLICY,
                                  {'Content-Type': 'application/hujson', 'If-Match': tailscale_sim.etag}, key=tailscale_sim.api_key)
    assert status == 412 and json.loads(body) == PRECONDITION_FAILED
    control.arm('api_error', match='acl:set', message='json: unknown field "x"')
    status, _headers, body = call(tailscale_sim, 'POST', ACL, DEFAULT_POLICY, {'Content-Type': 'application/hujson'}, key=tailscale_sim.api_key)
    assert status == 400 and json.loads(body) == {'message': 'json: unknown field "x"'}
    assert tailscale_sim.untouched_default
    with pytest.raises(Exception):
        control.arm('commit_fail')


def test_other_tailnet_and_content_type_are_refused(tailscale_sim):
    assert call(tailscale_sim, 'GET', '/api/v2/tailnet/other.example/acl', key=tailscale_sim.api_key)[0] == 404
    status, _headers, _body = call(tailscale_sim, 'POST', ACL, DEFAULT_POLICY, {'Content-Type': 'text/plain'}, key=tailscale_sim.api_key)
    assert status == 400


def test_the_simulator_reads_hujson_with_its_own_standardizer():
    # Independent of the collection's parser: comments and trailing commas become blanks, offsets stay.
    text = '{\n  // c "x"\n  "a": "//not a comment, /* nor this */",\n  "b": [1, 2,], /* z */\n  "c": "\\"",\n}'
    standard = standardize(text)
    assert len(standard) == len(text) and standard.count('\n') == text.count('\n')
    assert json.loads(standard) == {'a': '//not a comment, /* nor this */', 'b': [1, 2], 'c': '"'}
    assert json.loads(standardize(DEFAULT_POLICY))['ssh'][0]['action'] == 'check'
    with pytest.raises(ValueError):
        standardize('{"a": 1 /* open')
