# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""UniFi and Barracuda credentials, and the session cookies and CSRF tokens the UniFi console hands out,
never reach ansible-playbook's output, even at -vvv with --diff (check mode, apply, and a failing run)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ansible_collections.directpath.firewall.tests.simulators.barracuda import BarracudaSimulator
from ansible_collections.directpath.firewall.tests.simulators.unifi import UnifiSimulator
from ansible_collections.directpath.firewall.tests.fidelity.role_play import run_role_vvv

# The directory holding ansible_collections/ (the path this file was imported from, symlinks kept).
COLLECTIONS = next((str(parent.parent) for parent in Path(__file__).absolute().parents if parent.name == 'ansible_collections'),
                   os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(':')[0])
UNIFI_PASSWORD = 'Sekr1t-UniFi-Passw0rd'
BARRACUDA_TOKEN = 'Sekr1t-Barracuda-T0ken-0123456789'


def _playbook(tmp_path, hostvars, role, *extra):
    return run_role_vvv(tmp_path, role, hostvars, *extra)


@pytest.fixture
def unifi(tmp_path):
    simulator = UnifiSimulator(tmp_path / 'unifi', password=UNIFI_PASSWORD).start()
    yield simulator
    simulator.stop()


@pytest.fixture
def barracuda(tmp_path):
    simulator = BarracudaSimulator(tmp_path / 'cgf', api_token=BARRACUDA_TOKEN).start()
    yield simulator
    simulator.stop()


def test_unifi_password_cookies_and_csrf_tokens_never_appear_at_vvv(tmp_path, unifi):
    hostvars = {'unifi_port': unifi.port, 'unifi_username': 'admin', 'unifi_password': UNIFI_PASSWORD,
                'unifi_ca_path': unifi.ca_path, 'unifi_sites': ['default', 'branch']}
    outputs = []
    for extra in (['--check'], []):
        run = _playbook(tmp_path, hostvars, 'unifi', *extra)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        outputs.append(run.stdout + run.stderr)
    # A failing run: the settings write is refused.
    unifi.control().set_state(reset=True)
    unifi.control().arm('api_error', match='set:setting/ips', count=1)
    run = _playbook(tmp_path, hostvars, 'unifi')
    assert run.returncode != 0
    outputs.append(run.stdout + run.stderr)
    text = '\n'.join(outputs)
    assert 'emerging-p2p' in text                      # the runs really did the work (the diff)
    assert UNIFI_PASSWORD not in text
    assert len(unifi.issued_secrets) >= 6
    leaked = [value for value in unifi.issued_secrets if value in text]
    assert leaked == []


def test_barracuda_token_never_appears_at_vvv(tmp_path, barracuda):
    hostvars = {'barracuda_port': barracuda.port, 'barracuda_api_token': BARRACUDA_TOKEN,
                'barracuda_ca_path': barracuda.ca_path, 'directpath_tailscale_hosts': ['10.10.0.5']}
    outputs = []
    for extra in (['--check'], []):
        run = _playbook(tmp_path, hostvars, 'barracuda', *extra)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        outputs.append(run.stdout + run.stderr)
    barracuda.control().set_state(reset=True)
    barracuda.control().arm('api_error', match='post:rules')
    run = _playbook(tmp_path, hostvars, 'barracuda')
    assert run.returncode != 0
    outputs.append(run.stdout + run.stderr)
    text = '\n'.join(outputs)
    assert 'DIRECTPATH-TAILSCALE-UDP' in text and 'Firmware Restart' in text
    assert BARRACUDA_TOKEN not in text
