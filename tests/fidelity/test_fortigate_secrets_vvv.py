# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The FortiGate API token never reaches ansible-playbook's output, even at -vvv.

A real ansible-playbook run (role directpath.firewall.fortigate, diff mode, check mode then apply, then
a run whose write the FortiGate refuses with an error that echoes the token) against the FortiOS
simulator; its whole output is searched for the token.
"""

from __future__ import annotations

import pytest

from ansible_collections.directpath.firewall.tests.simulators.fortios import FortiosSimulator
from ansible_collections.directpath.firewall.tests.fidelity.role_play import run_role_vvv

TOKEN = 'Fq7mZr2NxT9bWc4HkLp6VyD3sJg8Ra'


def _playbook(tmp_path, sim, *extra):
    return run_role_vvv(tmp_path, 'fortigate', dict(
        directpath_vendor='fortinet_dpi', fortigate_port=sim.port, fortigate_access_token=TOKEN, fortigate_ca_path=sim.ca_path,
        fortigate_application_lists=['default'], fortigate_ssl_ssh_profiles=['corp-deep']), *extra, host='fgt')


@pytest.fixture
def sim(tmp_path):
    simulator = FortiosSimulator(tmp_path / 'fortios', access_token=TOKEN).start()
    yield simulator
    simulator.stop()


def test_api_token_never_appears_at_vvv(tmp_path, sim):
    outputs = []
    for extra in (['--check'], []):
        run = _playbook(tmp_path, sim, *extra)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        outputs.append(run.stdout + run.stderr)
    sim.control().set_state(reset=True)
    sim.control().arm('api_error', match='put:cmdb/firewall/ssl-ssh-profile', message='refused for token %s' % TOKEN)
    run = _playbook(tmp_path, sim)
    assert run.returncode != 0
    outputs.append(run.stdout + run.stderr)
    text = '\n'.join(outputs)
    assert 'directpath-tailscale.com' in text and 'refused for token' in text   # the runs really did the work
    assert TOKEN not in text
