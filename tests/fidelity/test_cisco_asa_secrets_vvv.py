# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Cisco ASA password and enable secret never reach ansible-playbook's output, even at -vvv.

A real ansible-playbook run (role directpath.firewall.cisco_asa, diff mode, check mode then apply,
then a run whose change the ASA refuses and the module undoes) against the SSH simulator; its whole
output is searched for both secrets. The refusal quotes both secrets back, as a device's error text
might: they must arrive masked.
"""

from __future__ import annotations

import pytest

pytest.importorskip('netmiko')

from ansible_collections.directpath.firewall.tests.simulators.cisco_asa import CiscoAsaSimulator  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.directpath.firewall.tests.fidelity.role_play import run_role_vvv  # noqa: E402  pylint: disable=wrong-import-position

PASSWORD = 'Sekr1t-ASA-Passw0rd'
ENABLE = 'Sekr1t-ASA-En4ble'


def _playbook(tmp_path, sim, hosts, *extra):
    return run_role_vvv(tmp_path, 'cisco_asa', dict(
        cisco_asa_port=sim.ssh_port, cisco_asa_username='admin', cisco_asa_password=PASSWORD, cisco_asa_enable_secret=ENABLE,
        cisco_asa_host_key=sim.host_key_line, cisco_asa_acl='outside_access_in',
        directpath_tailscale_hosts=[host.strip() for host in hosts.split(',')]), *extra, host='asa')


@pytest.fixture
def sim(tmp_path):
    simulator = CiscoAsaSimulator(tmp_path / 'asa', password=PASSWORD, enable_secret=ENABLE).start()
    yield simulator
    simulator.stop()


def test_password_and_enable_secret_never_appear_at_vvv(tmp_path, sim):
    outputs = []
    for extra in (['--check'], []):
        run = _playbook(tmp_path, sim, '10.0.0.5', *extra)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        outputs.append(run.stdout + run.stderr)
    before = sim.snapshot()
    sim.faults.arm('api_error', match='directpath-ts-10.0.0.6', message='ERROR: %s %s rejected' % (PASSWORD, ENABLE))
    run = _playbook(tmp_path, sim, '10.0.0.5, 10.0.0.6')
    assert run.returncode != 0
    outputs.append(run.stdout + run.stderr)
    assert sim.snapshot() == before   # undone
    text = '\n'.join(outputs)
    assert 'directpath-ts-10.0.0.5 eq 41641' in text   # the runs really did the work
    assert 'rejected' in text                            # the device's error text was shown, masked
    assert PASSWORD not in text
    assert ENABLE not in text
