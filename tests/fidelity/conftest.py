# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fixtures for the simulator fidelity tests: started simulators in per-test state directories.

Every simulator is stopped at teardown, whatever the test did.
"""

from __future__ import annotations

import pytest


@pytest.fixture(name='sim_state_dir')
def sim_state_dir_fixture(tmp_path):
    """A fresh state directory (CA files, per-simulator files) for one test."""
    path = tmp_path / 'sim-state'
    path.mkdir()
    return path


@pytest.fixture(name='panos_sim_factory')
def panos_sim_factory_fixture(sim_state_dir):
    """``factory(**PanosSimulator kwargs) -> (sim, control)``; all started simulators are stopped at teardown."""
    from ansible_collections.directpath.firewall.tests.simulators.panos import PanosSimulator

    started = []

    def factory(**kwargs):
        simulator = PanosSimulator(sim_state_dir / ('panos-%d' % (len(started) + 1)), **kwargs).start()
        started.append(simulator)
        return simulator, simulator.control()

    yield factory
    for simulator in started:
        simulator.stop()


@pytest.fixture(name='panos_sim')
def panos_sim_fixture(panos_sim_factory):
    """A started PAN-OS simulator with the default seed (PAN-OS 11.1.2): ``(sim, control)``."""
    return panos_sim_factory()
