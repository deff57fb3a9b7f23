# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Tailscale OAuth client secret, the access tokens it yields and the API key never reach
ansible-playbook's output, even at -vvv.

Real ansible-playbook runs (role directpath.firewall.tailnet, diff mode: check mode, apply, a run that
fails on a server error, and one with the API key) against the Tailscale API simulator; the whole
output is searched for every secret.
"""

from __future__ import annotations

import pytest

from ansible_collections.directpath.firewall.tests.simulators.tailscale_api import TailscaleApiSimulator
from ansible_collections.directpath.firewall.tests.fidelity.role_play import run_role_vvv

CLIENT = 'kSimOAuth1CNTRL'


def _playbook(tmp_path, sim, credentials, *extra):
    hostvars = dict(directpath_vendor='tailnet', tailnet_api_url=sim.url, tailnet_ca_path=sim.ca_path, **credentials)
    return run_role_vvv(tmp_path, 'tailnet', hostvars, *extra, host='tailnet')


@pytest.fixture
def sim(tmp_path):
    simulator = TailscaleApiSimulator(tmp_path / 'tailscale').start()
    yield simulator
    simulator.stop()


def test_oauth_secret_tokens_and_api_key_never_appear_at_vvv(tmp_path, sim):
    secret = sim.oauth_clients[CLIENT]['secret']
    oauth = {'tailnet_oauth_client_id': CLIENT, 'tailnet_oauth_client_secret': secret}
    outputs = []
    for extra in (['--check'], []):
        run = _playbook(tmp_path, sim, oauth, *extra)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        outputs.append(run.stdout + run.stderr)
    # A failing run too: the write gets a server error, so the error path's messages are searched as well.
    sim.state_update({'reset': True})
    sim.control().arm('http_500', match='acl:set')
    run = _playbook(tmp_path, sim, oauth)
    assert run.returncode != 0
    outputs.append(run.stdout + run.stderr)
    run = _playbook(tmp_path, sim, {'tailnet_api_key': sim.api_key})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    outputs.append(run.stdout + run.stderr)
    text = '\n'.join(outputs)
    assert '"randomizeClientPort": true' in text  # the runs really did the work (policy_diff at -vvv)
    assert len(sim.tokens) == 3
    for value in [secret, sim.api_key] + list(sim.tokens):
        assert value not in text
