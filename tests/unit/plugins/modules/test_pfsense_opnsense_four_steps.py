# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The four-step pattern for the on-box modules: check mode -> apply -> apply again -> check mode again.

Every step asserts ``changed``, the reads and writes the module counted, and the box's files (config.xml digest,
backups, apply journal) or, on the OPNsense API path, the simulator's journal and state. Both directions: present
and then absent.
"""

from __future__ import annotations

import pytest

from ansible_collections.directpath.firewall.plugins.modules import (
    opnsense_natpmp,
    opnsense_static_port,
    pfsense_natpmp,
    pfsense_static_port,
)
from ansible_collections.directpath.firewall.tests.simulators.fakebox import create_box
from ansible_collections.directpath.firewall.tests.simulators.fakebox.harness import run_module
from ansible_collections.directpath.firewall.tests.simulators.opnsense_api import OpnsenseApiSimulator

CASES = {
    ('pfsense', 'natpmp'): (pfsense_natpmp, ['198.18.10.21', '198.18.10.22']),
    ('pfsense', 'static_port'): (pfsense_static_port, ['198.18.10.21', '2001:db8:10::21']),
    ('opnsense', 'natpmp'): (opnsense_natpmp, ['198.18.30.21', '198.18.30.22']),
    ('opnsense', 'static_port'): (opnsense_static_port, ['198.18.30.21', '2001:db8:30::21']),
}


def four_steps(module, values, snapshot, undo_values):
    """Run the four steps for ``values`` then for ``undo_values``; ``snapshot()`` observes the device."""
    for state_values in (values, undo_values):
        before = snapshot()
        result = run_module(module, state_values, check_mode=True)
        assert result['changed'] is True and result['api_calls']['writes'] == 0
        assert result['compliance']['status'] == 'drift'
        assert snapshot() == before, 'check mode changed the device'

        result = run_module(module, state_values)
        assert result['changed'] is True and result['api_calls']['writes'] > 0
        assert result['compliance']['status'] == 'compliant' and result['compliance']['applied'] is True
        applied = snapshot()
        assert applied != before

        result = run_module(module, state_values)
        assert result['changed'] is False and result['api_calls']['writes'] == 0
        assert result['compliance']['status'] == 'compliant' and result['compliance']['applied'] is False
        assert snapshot() == applied, 'the second apply changed the device'

        result = run_module(module, state_values, check_mode=True)
        assert result['changed'] is False and result['api_calls']['writes'] == 0
        assert result['compliance']['status'] == 'compliant'
        assert snapshot() == applied


@pytest.mark.parametrize('product,workaround', sorted(CASES))
def test_four_steps_on_config_xml(tmp_path, product, workaround):
    module, hosts = CASES[(product, workaround)]
    box = create_box(product, str(tmp_path / 'box'))
    values = dict(box.module_args(workaround), tailscale_hosts=hosts)
    four_steps(module, values, box.snapshot, dict(values, state='absent', tailscale_hosts=None))


def test_four_steps_on_the_opnsense_api(tmp_path):
    simulator = OpnsenseApiSimulator(str(tmp_path / 'sim'))
    simulator.start()
    try:
        box = create_box('opnsense', str(tmp_path / 'box'), version='26.7.1')
        values = dict(box.module_args('static_port'), tailscale_hosts=CASES[('opnsense', 'static_port')][1],
                      api_url=simulator.url, api_key=simulator.api_key, api_secret=simulator.api_secret,
                      ca_path=simulator.ca_path)

        def snapshot():
            journal = simulator.journal.summary()
            return {'device': simulator.snapshot(), 'writes': journal['writes'], 'config_xml': box.snapshot()}

        four_steps(opnsense_static_port, values, snapshot, dict(values, state='absent', tailscale_hosts=None))
    finally:
        simulator.stop()
