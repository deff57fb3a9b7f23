# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The vendor-neutral simulator base: CA and TLS verification, server lifecycle, journal, faults,
the /_sim/ control API and its client, state snapshots, and the fleet launcher."""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from ansible_collections.directpath.firewall.tests.simulators.base import (
    AUTH, READ, WRITE, CertificateAuthority, DeviceSimulator, FaultInjector, RequestJournal, Response, SimulatorControlError,
)
from ansible_collections.directpath.firewall.tests.simulators import fleet as fleet_module


class EchoSimulator(DeviceSimulator):
    """The smallest vendor: GET /things reads, POST /things writes, POST /login authenticates."""

    VENDOR = 'echo'
    SUPPORTED_FAULTS = frozenset(('http_500', 'timeout', 'auth'))

    def __init__(self, state_dir, **kwargs):
        super().__init__(state_dir, **kwargs)
        self.things = []

    def handle_device(self, request):
        kind = AUTH if request.path == '/login' else (READ if request.method == 'GET' else WRITE)
        op = '%s %s' % (request.method, request.path)
        fault = self.faults.take('timeout', op)
        if fault:
            self.journal.record(request.method, request.path, op, kind, 0, fault='timeout')
            return self.hold_then_drop(fault, 5)
        if self.faults.take('http_500', op):
            self.journal.record(request.method, request.path, op, kind, 500, fault='http_500')
            return Response(status=500, body=b'boom')
        if kind == WRITE:
            self.things.append(request.body.decode())
        self.journal.record(request.method, request.path, op, kind, 200)
        return Response.json({'things': self.things})

    def state_dump(self):
        return {'vendor': self.VENDOR, 'things': list(self.things)}

    def state_update(self, values):
        if set(values) - {'things'}:
            raise ValueError('unknown keys')
        self.things = list(values.get('things', self.things))

    def state_components(self):
        return {'things': json.dumps(self.things)}


@pytest.fixture(name='echo')
def echo_fixture(sim_state_dir):
    simulator = EchoSimulator(sim_state_dir).start()
    yield simulator
    simulator.stop()


def fetch(url, context, method='GET', data=None, timeout=5):
    request = urllib.request.Request(url, data=data, method=method)
    with urllib.request.urlopen(request, context=context, timeout=timeout) as answer:
        return answer.status, answer.read()


# ------------------------------------------------------------------------------------------------
# CA and TLS
# ------------------------------------------------------------------------------------------------
def test_ca_writes_ca_server_cert_and_a_private_key_file(sim_state_dir):
    from cryptography import x509

    authority = CertificateAuthority.load_or_create(sim_state_dir)
    assert {p.name for p in sim_state_dir.iterdir()} >= {'ca.pem', 'server.pem', 'server.key'}
    assert stat.S_IMODE(os.stat(authority.key_path).st_mode) == 0o600
    server = x509.load_pem_x509_certificate(authority.cert_path.read_bytes())
    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ['127.0.0.1']
    assert names.get_values_for_type(x509.DNSName) == ['localhost']
    ca = x509.load_pem_x509_certificate(authority.ca_path.read_bytes())
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True


def test_ca_is_reused_from_a_state_dir_and_fresh_for_a_new_run(tmp_path):
    first = CertificateAuthority.load_or_create(tmp_path / 'a').ca_path.read_bytes()
    assert CertificateAuthority.load_or_create(tmp_path / 'a').ca_path.read_bytes() == first
    assert CertificateAuthority.load_or_create(tmp_path / 'b').ca_path.read_bytes() != first


def test_client_without_the_run_ca_fails_verification(echo):
    with pytest.raises(urllib.error.URLError) as raised:
        fetch(echo.url + '/things', ssl.create_default_context())
    assert isinstance(raised.value.reason, ssl.SSLCertVerificationError)
    assert echo.journal.entries() == []


@pytest.mark.parametrize('host', ['127.0.0.1', 'localhost'])
def test_client_with_the_run_ca_verifies_ip_and_name(echo, host):
    status, _body = fetch('https://%s:%d/things' % (host, echo.port), ssl.create_default_context(cafile=echo.ca_path))
    assert status == 200


def test_a_client_that_rejects_the_certificate_does_not_stall_the_server(echo):
    context = ssl.create_default_context(cafile=echo.ca_path)
    for _attempt in range(3):
        with pytest.raises(urllib.error.URLError):
            fetch(echo.url + '/things', ssl.create_default_context())
    assert fetch(echo.url + '/things', context)[0] == 200


# ------------------------------------------------------------------------------------------------
# Server lifecycle
# ------------------------------------------------------------------------------------------------
def test_servers_listen_on_distinct_ephemeral_loopback_ports_and_free_them_on_stop(sim_state_dir):
    first = EchoSimulator(sim_state_dir / 'one').start()
    second = EchoSimulator(sim_state_dir / 'two').start()
    try:
        assert first.port != second.port
        assert first.url == 'https://127.0.0.1:%d' % first.port
    finally:
        first.stop()
        second.stop()
    for port in (first.port or 0, second.port or 0):
        if port:
            with pytest.raises(OSError):
                socket.create_connection(('127.0.0.1', port), timeout=1).close()


def test_simulator_works_as_a_context_manager(sim_state_dir):
    with EchoSimulator(sim_state_dir) as simulator:
        port = simulator.port
        assert fetch(simulator.url + '/things', ssl.create_default_context(cafile=simulator.ca_path))[0] == 200
    with pytest.raises(OSError):
        socket.create_connection(('127.0.0.1', port), timeout=1).close()


# ------------------------------------------------------------------------------------------------
# Journal and faults (units)
# ------------------------------------------------------------------------------------------------
def test_journal_is_thread_safe_and_summarises_reads_and_writes():
    journal = RequestJournal()

    def worker(kind):
        for _index in range(200):
            journal.record('GET', '/x', 'op', kind, 200)

    threads = [threading.Thread(target=worker, args=(kind,)) for kind in (READ, WRITE, AUTH, READ)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = journal.entries()
    assert [entry['seq'] for entry in entries] == list(range(1, 801))
    assert journal.summary() == {'reads': 400, 'writes': 200}
    assert len(journal.reads()) == 400 and len(journal.writes()) == 200
    assert journal.counts()['auth'] == 200
    assert set(entries[0]) == {'seq', 'time', 'method', 'path', 'op', 'kind', 'status', 'detail', 'api_status', 'fault'}
    assert journal.clear() == 800
    assert journal.entries() == []


def test_faults_fire_count_times_on_matching_ops_only():
    faults = FaultInjector()
    faults.arm('http_500', count=2, match='commit')
    assert faults.take('http_500', 'config:get') is None
    assert faults.take('timeout', 'commit') is None
    assert faults.take('http_500', 'commit').fired == 1
    assert faults.take('http_500', 'op:commit-lock').fired == 2
    assert faults.take('http_500', 'commit') is None
    assert faults.armed() == []


def test_unknown_and_unsupported_faults_are_refused():
    with pytest.raises(ValueError, match='unknown fault'):
        FaultInjector().arm('meteor')
    with pytest.raises(ValueError, match='does not apply'):
        FaultInjector({'http_500'}).arm('stale_etag')
    with pytest.raises(ValueError, match='count'):
        FaultInjector().arm('http_500', count=0)


# ------------------------------------------------------------------------------------------------
# Control API
# ------------------------------------------------------------------------------------------------
def test_control_api_reads_and_clears_the_journal_and_is_not_journaled(echo):
    control = echo.control()
    context = ssl.create_default_context(cafile=echo.ca_path)
    fetch(echo.url + '/things', context)
    fetch(echo.url + '/things', context, method='POST', data=b'one')
    fetch(echo.url + '/login', context, method='POST', data=b'')
    assert [entry['op'] for entry in control.journal()] == ['GET /things', 'POST /things', 'POST /login']
    assert control.summary() == {'reads': 1, 'writes': 1}
    assert control.counts()['auth'] == 1
    control.state()
    control.faults()
    control.snapshot()
    assert len(control.journal()) == 3
    assert control.clear_journal() == 3
    assert control.journal() == []


def test_control_api_arms_lists_and_clears_faults(echo):
    control = echo.control()
    context = ssl.create_default_context(cafile=echo.ca_path)
    armed = control.arm('http_500', count=1, match='POST /things')
    assert armed == [{'fault': 'http_500', 'count': 1, 'match': 'POST /things', 'seconds': None, 'message': None,
                      'code': None, 'fired': 0}]
    assert fetch(echo.url + '/things', context)[0] == 200
    with pytest.raises(urllib.error.HTTPError) as raised:
        fetch(echo.url + '/things', context, method='POST', data=b'x')
    assert raised.value.code == 500
    assert control.journal()[-1]['fault'] == 'http_500'
    control.arm('http_500', count=5)
    assert control.clear_faults() == 1
    assert fetch(echo.url + '/things', context)[0] == 200


def test_control_api_refuses_bad_requests_with_400_and_unknown_routes_with_404(echo):
    control = echo.control()
    with pytest.raises(SimulatorControlError) as raised:
        control.arm('stale_etag')
    assert raised.value.status == 400
    with pytest.raises(SimulatorControlError) as raised:
        control.set_state(bogus=1)
    assert raised.value.status == 400
    with pytest.raises(SimulatorControlError) as raised:
        control._call('GET', 'nothing-here')  # pylint: disable=protected-access
    assert raised.value.status == 404
    assert control.info()['vendor'] == 'echo'


def test_state_seed_and_snapshot_tell_whether_the_device_changed(echo):
    control = echo.control()
    before = control.snapshot()
    assert before['vendor'] == 'echo' and set(before['components']) == {'things'}
    assert control.set_state(things=['seeded'])['things'] == ['seeded']
    after = control.snapshot()
    assert after['digest'] != before['digest']
    control.set_state(things=[])
    assert control.snapshot() == before


def test_timeout_fault_holds_the_connection_past_the_client_timeout_then_drops_it(echo):
    control = echo.control()
    context = ssl.create_default_context(cafile=echo.ca_path)
    control.arm('timeout', match='GET /things', seconds=1.0)
    started = time.monotonic()
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        fetch(echo.url + '/things', context, timeout=0.3)
    assert time.monotonic() - started < 1.0
    assert control.journal()[-1]['fault'] == 'timeout'
    assert fetch(echo.url + '/things', context)[0] == 200


def test_stop_does_not_wait_for_a_held_timeout_connection(sim_state_dir):
    simulator = EchoSimulator(sim_state_dir).start()
    simulator.faults.arm('timeout', seconds=30)
    context = ssl.create_default_context(cafile=simulator.ca_path)

    def hang():
        try:
            fetch(simulator.url + '/x', context, timeout=10)
        except (OSError, urllib.error.URLError):
            pass

    client = threading.Thread(target=hang)
    client.start()
    time.sleep(0.2)
    started = time.monotonic()
    simulator.stop()
    client.join(timeout=15)
    assert time.monotonic() - started < 5


# ------------------------------------------------------------------------------------------------
# Fleet launcher
# ------------------------------------------------------------------------------------------------
def test_fleet_registry_accepts_a_one_line_vendor_and_writes_groups_per_vendor(tmp_path, monkeypatch):
    monkeypatch.setitem(fleet_module.VENDOR_FACTORIES, 'echo', lambda state_dir, name, options: ({'echo_option': options.get('x')}, None))
    fleet = fleet_module.Fleet(tmp_path / 'fleet')
    try:
        fleet.start_vendors({'panos': 2, 'echo': 1}, {'echo': {'x': 'vendor'}, 'echo-1': {'x': 'host'}, 'panos-2': {'sw_version': '10.2.4'}})
        inventory = fleet.inventory()
        groups = inventory['all']['children']['firewalls']['children']
        assert set(groups) == {'panos', 'echo'}
        assert groups['echo']['hosts'] == {'echo-1': {'echo_option': 'host'}}
        panos_1 = groups['panos']['hosts']['panos-1']
        assert panos_1['directpath_vendor'] == 'panos'
        assert panos_1['ansible_host'] == panos_1['panos_host'] == '127.0.0.1'
        assert panos_1['panos_ca_path'] == str(tmp_path / 'fleet' / 'ca.pem')
        assert panos_1['directpath_sim_url'] == 'https://127.0.0.1:%d' % panos_1['panos_port']
        assert 'ansible_connection' not in panos_1
        members = {member.name: member for member in fleet.members}
        assert members['panos-2'].simulator.system['sw-version'] == '10.2.4'
        assert members['panos-1'].simulator.authority.ca_path == members['panos-2'].simulator.authority.ca_path
        path = fleet.write_inventory(tmp_path / 'fleet' / 'inventory.yml')
        text = path.read_text(encoding='utf-8')
        assert 'panos-1:' in text and '"echo_option": ' not in text and 'echo_option: "host"' in text
    finally:
        fleet.stop()
    assert fleet.members == []


def test_yaml_emitter_output_is_parsed_back_by_a_yaml_parser():
    yaml = pytest.importorskip('yaml')
    data = {'all': {'children': {'g': {'hosts': {'h-1': {'a': 'x: y', 'b': 1, 'c': True, 'd': None, 'e': ['p', 'q'],
                                                         'f': [], 'g': {}, 'h': "quote ' and \" and #"}}}}}}
    assert yaml.safe_load(fleet_module.to_yaml(data)) == data


def test_fleet_cli_runs_in_the_foreground_until_sigterm_and_leaves_nothing_behind(tmp_path):
    state = tmp_path / 'fleet'
    # The directory holding ansible_collections/, from this import (not resolving the symlink a dev
    # checkout may use), so that the child imports the same collection.
    collections_root = os.path.abspath(fleet_module.__file__)
    for _level in range(6):
        collections_root = os.path.dirname(collections_root)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [collections_root, os.environ.get('PYTHONPATH')])))
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, '-m', 'ansible_collections.directpath.firewall.tests.simulators.fleet', 'start',
         '--vendors', 'panos:1,pfsense:1', '--state-dir', str(state), '--inventory', str(state / 'inventory.yml'),
         '--set', 'panos-1.sw_version=10.2.4'],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while not (state / 'ready').exists():
            assert process.poll() is None, process.stdout.read().decode()
            assert time.monotonic() < deadline, 'fleet not ready'
            time.sleep(0.05)
        ready = json.loads((state / 'ready').read_text(encoding='utf-8'))
        assert ready['pid'] == process.pid and ready['hosts'] == ['panos-1', 'pfsense-1']
        assert int((state / 'fleet.pid').read_text(encoding='utf-8')) == process.pid
        described = json.loads((state / 'fleet.json').read_text(encoding='utf-8'))
        panos_vars = described['members'][0]['hostvars']
        from ansible_collections.directpath.firewall.tests.simulators.base import SimulatorControl
        assert SimulatorControl(panos_vars['directpath_sim_url'], panos_vars['panos_ca_path']).state()['sw_version'] == '10.2.4'
        stopped = subprocess.run(
            [sys.executable, '-m', 'ansible_collections.directpath.firewall.tests.simulators.fleet', 'stop', '--state-dir', str(state)],
            env=env, capture_output=True, timeout=30, check=False)
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        assert process.wait(timeout=10) == 0
        assert not (state / 'ready').exists() and not (state / 'fleet.pid').exists()
        with pytest.raises(OSError):
            socket.create_connection(('127.0.0.1', panos_vars['panos_port']), timeout=1).close()
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()


def test_fleet_stop_without_a_running_fleet_is_a_no_op(tmp_path):
    assert fleet_module.main(['stop', '--state-dir', str(tmp_path)]) == 0


def test_fleet_refuses_unknown_vendors():
    with pytest.raises(ValueError, match='unknown vendor'):
        fleet_module.parse_vendors('panos:1,checkpoint:2')
    assert fleet_module.parse_vendors('panos:2, pfsense') == {'panos': 2, 'pfsense': 1}
    assert fleet_module.parse_settings(['panos-2.sw_version=10.2.4']) == {'panos-2': {'sw_version': '10.2.4'}}
