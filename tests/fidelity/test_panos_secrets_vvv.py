# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The PAN-OS password and the API key generated from it never reach ansible-playbook's output, even at -vvv.

A real ansible-playbook run (role directpath.firewall.panos, diff mode, check mode then apply, then a
failing run) against the PAN-OS simulator; its whole output is searched for both secrets.
"""

from __future__ import annotations

import pytest

from ansible_collections.directpath.firewall.tests.simulators.panos import PanosSimulator
from ansible_collections.directpath.firewall.tests.fidelity.role_play import run_role_vvv

PASSWORD = 'Sekr1t-PanOS-Passw0rd'


def _playbook(tmp_path, sim, *extra):
    hostvars = dict(panos_port=sim.port, panos_username='admin', panos_password=PASSWORD, panos_ca_path=sim.ca_path,
                    panos_nat_rules=['lan-out'])
    return run_role_vvv(tmp_path, 'panos', hostvars, *extra)


@pytest.fixture
def sim(tmp_path):
    simulator = PanosSimulator(tmp_path / 'panos', password=PASSWORD).start()
    yield simulator
    simulator.stop()


def test_password_and_generated_key_never_appear_at_vvv(tmp_path, sim):
    key = sim.api_key
    outputs = []
    for extra in (['--check'], []):
        run = _playbook(tmp_path, sim, *extra)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        outputs.append(run.stdout + run.stderr)
    # A failing run too: the commit fails, so the error path's messages are searched as well.
    sim.control().set_state(reset=True)
    sim.control().arm('commit_fail')
    run = _playbook(tmp_path, sim)
    assert run.returncode != 0
    outputs.append(run.stdout + run.stderr)
    text = '\n'.join(outputs)
    assert 'persistent-dynamic-ip-and-port' in text  # the runs really did the work
    assert PASSWORD not in text
    assert key not in text
