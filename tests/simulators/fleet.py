# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Start a fleet of simulated firewalls on loopback and write an Ansible inventory for them.

Library use::

    fleet = Fleet(state_dir)
    fleet.start_vendors({'panos': 2, 'pfsense': 1})
    fleet.write_inventory(state_dir / 'inventory.yml')
    ...
    fleet.stop()

Command line (runs in the foreground until SIGTERM/SIGINT, then stops every simulator and exits 0)::

    python -m ansible_collections.directpath.firewall.tests.simulators.fleet start \\
        --vendors panos:2,pfsense:1 --state-dir DIR --inventory DIR/inventory.yml \\
        [--set panos-2.sw_version=10.2.4] [--set panos.commit_seconds=0.5]
    python -m ansible_collections.directpath.firewall.tests.simulators.fleet stop --state-dir DIR

``start`` writes ``DIR/fleet.pid`` first and ``DIR/ready`` (JSON: pid, hosts, and the URL of the
fleet's control API) once every member is listening; ``DIR/fleet.json`` describes the members.
``stop`` sends SIGTERM to the pid in ``DIR/fleet.pid`` (only if that process is a fleet launcher)
and waits for it to exit.

Scale: every simulator a fleet starts is served by one accept loop (:class:`AcceptLoop`, epoll)
instead of a thread per listening socket; a connection gets a thread only while it is open. A
thousand members cost one listening socket each, one thread, and no CPU while idle.

The fleet's control API (HTTPS on loopback, the fleet's CA; ``control_url`` in ``DIR/ready``)
answers for every member at once:

* ``GET /_fleet/journal`` - per member: vendor, request counts by kind (read, write, auth, other)
  and by op, from the simulators' journals; a fake box counts one ``apply`` per apply command
  run (its ``journal.jsonl``). ``POST /_fleet/journal/clear`` returns the same and then clears.
* ``GET /_fleet/footprint`` - the launcher process: resident and peak memory, threads, open file
  descriptors, CPU seconds, listening sockets.

A vendor is one entry of :data:`VENDOR_FACTORIES`: ``factory(state_dir, name, options) ->
FleetMember`` (a ``(hostvars, stop)`` pair is accepted too). Register another with
:func:`register_vendor`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import selectors
import signal
import socket
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from ansible_collections.directpath.firewall.tests.simulators import fakebox
from ansible_collections.directpath.firewall.tests.simulators.base import (
    CertificateAuthority,
    Response,
    SimulatorServer,
)
from ansible_collections.directpath.firewall.tests.simulators.cisco_asa import CiscoAsaSimulator
from ansible_collections.directpath.firewall.tests.simulators.fortios import FortiosSimulator
from ansible_collections.directpath.firewall.tests.simulators.panos import PanosSimulator
from ansible_collections.directpath.firewall.tests.simulators.tailscale_api import TailscaleApiSimulator
from ansible_collections.directpath.firewall.tests.simulators.unifi import UnifiSimulator
from ansible_collections.directpath.firewall.tests.simulators.barracuda import BarracudaSimulator

__all__ = [
    'AcceptLoop',
    'Fleet',
    'FleetMember',
    'VENDOR_FACTORIES',
    'main',
    'process_footprint',
    'register_vendor',
    'start_barracuda',
    'start_cisco_asa',
    'start_fortigate',
    'start_panos',
    'start_tailnet',
    'start_unifi',
    'to_yaml',
]


class FleetMember:
    """One started simulator: ``hostvars`` (its inventory variables) and :meth:`stop`.

    ``stop`` given to the constructor is the callable that stops it (``None`` when nothing runs,
    e.g. a fake box that is only a directory).
    """

    def __init__(self, hostvars, stop=None, name=None, vendor=None, simulator=None):
        self.hostvars = dict(hostvars)
        self.name = name
        self.vendor = vendor
        self.simulator = simulator
        self._stopper = stop
        # Filled in by the fleet: the servers the factory started, and the fake box journal offset.
        self.servers = []
        self._fakebox_journal_offset = 0

    def simulators(self):
        """Every simulator this member runs: ``simulator`` and any other the factory started (for
        example the OPNsense API next to an OPNsense fake box)."""
        found = [self.simulator] if self.simulator is not None else []
        for httpd in self.servers:
            owner = getattr(httpd.dispatch, '__self__', None)
            if owner is not None and hasattr(owner, 'journal') and all(owner is not known for known in found):
                found.append(owner)
        return found

    def journal_counts(self, clear=False):
        """``{"vendor", "counts": {kind: n}, "ops": {op: n}}`` since the last clear."""
        counts = {'read': 0, 'write': 0, 'auth': 0, 'other': 0}
        ops = {}
        for simulator in self.simulators():
            for entry in simulator.journal.entries():
                counts[entry['kind']] = counts.get(entry['kind'], 0) + 1
                ops[entry['op']] = ops.get(entry['op'], 0) + 1
            if clear:
                simulator.journal.clear()
        root = self.hostvars.get('directpath_fakebox')
        if root:
            applies = fakebox.FakeBox(root).journal()
            fresh = applies[self._fakebox_journal_offset:]
            for entry in fresh:
                # One apply command run on the box (a shell command of the on-box module).
                op = 'apply:%s' % entry.get('action', '?') if isinstance(entry, dict) else 'apply'
                ops[op] = ops.get(op, 0) + 1
                counts['write'] += 1
            if clear:
                self._fakebox_journal_offset = len(applies)
        return {'vendor': self.vendor, 'counts': counts, 'ops': ops}

    def stop(self):
        stopper, self._stopper = self._stopper, None
        if stopper is not None:
            stopper()

    def __repr__(self):
        return 'FleetMember(name=%r, vendor=%r)' % (self.name, self.vendor)


def start_panos(state_dir, name, options=None):
    """A PAN-OS simulator sharing the fleet's CA (``state_dir/ca.pem``).

    ``options``: any :class:`PanosSimulator` keyword (``sw_version``, ``username``, ``password``,
    ``commit_seconds``, ``model``, ...). The serial number is derived from the host name unless given.
    """
    options = dict(options or {})
    state_dir = Path(state_dir)
    authority = CertificateAuthority.load_or_create(state_dir)
    digits = ''.join(ch for ch in name if ch.isdigit()) or '1'
    options.setdefault('serial', '0079510%08d' % int(digits))
    options.setdefault('hostname', name)
    for key in ('commit_seconds', 'timeout_seconds'):
        if key in options:
            options[key] = float(options[key])
    simulator = PanosSimulator(state_dir / name, authority=authority, **options).start()
    hostvars = {
        'ansible_host': '127.0.0.1',
        'directpath_vendor': 'panos',
        'panos_host': '127.0.0.1',
        'panos_port': simulator.port,
        'panos_username': simulator.username,
        'panos_password': simulator.password,
        'panos_ca_path': str(authority.ca_path),
        'panos_validate_certs': True,
        'directpath_sim_url': simulator.url,
        'directpath_sim_ca_path': str(authority.ca_path),
    }
    return FleetMember(hostvars, stop=simulator.stop, name=name, vendor='panos', simulator=simulator)


def start_fortigate(state_dir, name, options=None):
    """A FortiOS REST API simulator (FortiGate with application control and SSL deep inspection) sharing the
    fleet's CA. ``options``: any :class:`FortiosSimulator` keyword (``version``, ``build``, ``serial``,
    ``access_token`` ...). The inventory names the seed's profiles the workaround checks."""
    options = dict(options or {})
    state_dir = Path(state_dir)
    authority = CertificateAuthority.load_or_create(state_dir)
    digits = ''.join(ch for ch in name if ch.isdigit()) or '1'
    options.setdefault('serial', 'FGVM02TM%08d' % int(digits))
    options.setdefault('hostname', name)
    simulator = FortiosSimulator(state_dir / name, authority=authority, **options).start()
    hostvars = {
        'ansible_host': '127.0.0.1',
        'directpath_vendor': 'fortinet_dpi',
        'fortigate_host': '127.0.0.1',
        'fortigate_port': simulator.port,
        'fortigate_access_token': simulator.access_token,
        'fortigate_ca_path': str(authority.ca_path),
        'fortigate_validate_certs': True,
        'fortigate_vdom': 'root',
        'fortigate_application_lists': ['default', 'corp-strict'],
        'fortigate_ssl_ssh_profiles': ['custom-deep-inspection', 'corp-deep'],
        'directpath_sim_url': simulator.url,
        'directpath_sim_ca_path': str(authority.ca_path),
    }
    return FleetMember(hostvars, stop=simulator.stop, name=name, vendor='fortinet_dpi', simulator=simulator)


def start_unifi(state_dir, name, options=None):
    """A UniFi Network simulator sharing the fleet's CA. ``options``: any :class:`UnifiSimulator` keyword
    (``style``, ``network_version``, ``login_limit`` ...; ``sites`` as a list or comma-separated), plus
    ``use_api_key`` (true: the hostvars carry the API key instead of the username and password)."""
    options = dict(options or {})
    use_api_key = str(options.pop('use_api_key', 'false')).lower() in ('1', 'true', 'yes')
    if isinstance(options.get('sites'), str):
        options['sites'] = [site.strip() for site in options['sites'].split(',') if site.strip()]
    # One login per run and host; make bench runs many audits back to back, so a fleet member allows 20 logins
    # a minute unless told otherwise (the default limit and the 429 are what tests/unit exercise).
    options['login_limit'] = int(options.get('login_limit', 20))
    for key in ('login_window', 'rate_limit_seconds', 'timeout_seconds'):
        if key in options:
            options[key] = float(options[key])
    state_dir = Path(state_dir)
    authority = CertificateAuthority.load_or_create(state_dir)
    simulator = UnifiSimulator(state_dir / name, authority=authority, **options).start()
    hostvars = {
        'ansible_host': '127.0.0.1',
        'directpath_vendor': 'unifi',
        'unifi_host': '127.0.0.1',
        'unifi_port': simulator.port,
        'unifi_ca_path': str(authority.ca_path),
        'unifi_validate_certs': True,
        'unifi_sites': list(simulator.sites),
        'directpath_sim_url': simulator.url,
        'directpath_sim_ca_path': str(authority.ca_path),
    }
    if use_api_key:
        hostvars['unifi_api_key'] = simulator.api_key
    else:
        hostvars['unifi_username'] = simulator.username
        hostvars['unifi_password'] = simulator.password
    return FleetMember(hostvars, stop=simulator.stop, name=name, vendor='unifi', simulator=simulator)


def start_barracuda(state_dir, name, options=None):
    """A Barracuda CloudGen Firewall REST simulator sharing the fleet's CA. ``options``: any
    :class:`BarracudaSimulator` keyword (``firmware``, ``model``, ``max_udp_percent``, ``policy_driven`` ...)."""
    options = dict(options or {})
    options.setdefault('hostname', name)
    if 'max_udp_percent' in options:
        options['max_udp_percent'] = int(options['max_udp_percent'])
    if 'policy_driven' in options:
        options['policy_driven'] = str(options['policy_driven']).lower() in ('1', 'true', 'yes')
    if 'timeout_seconds' in options:
        options['timeout_seconds'] = float(options['timeout_seconds'])
    state_dir = Path(state_dir)
    authority = CertificateAuthority.load_or_create(state_dir)
    simulator = BarracudaSimulator(state_dir / name, authority=authority, **options).start()
    hostvars = {
        'ansible_host': '127.0.0.1',
        'directpath_vendor': 'barracuda',
        'barracuda_host': '127.0.0.1',
        'barracuda_port': simulator.port,
        'barracuda_api_token': simulator.api_token,
        'barracuda_ca_path': str(authority.ca_path),
        'barracuda_validate_certs': True,
        'directpath_sim_url': simulator.url,
        'directpath_sim_ca_path': str(authority.ca_path),
    }
    return FleetMember(hostvars, stop=simulator.stop, name=name, vendor='barracuda', simulator=simulator)


def start_cisco_asa(state_dir, name, options=None):
    """A Cisco ASA SSH simulator (netmiko's ``cisco_asa`` driver logs in to ``cisco_asa_port``); its ``/_sim/``
    control API shares the fleet's CA. ``options``: any :class:`CiscoAsaSimulator` keyword (``version``,
    ``username``, ``password``, ``enable_secret``, ``timeout_seconds``). The inventory carries the simulator's
    host key (host key checking stays on) and the seed's ACL applied inbound to ``outside``."""
    options = dict(options or {})
    options.setdefault('hostname', name)
    if 'timeout_seconds' in options:
        options['timeout_seconds'] = float(options['timeout_seconds'])
    state_dir = Path(state_dir)
    authority = CertificateAuthority.load_or_create(state_dir)
    simulator = CiscoAsaSimulator(state_dir / name, authority=authority, **options).start()
    hostvars = {
        'ansible_host': '127.0.0.1',
        'directpath_vendor': 'cisco',
        'cisco_asa_host': '127.0.0.1',
        'cisco_asa_port': simulator.ssh_port,
        'cisco_asa_username': simulator.username,
        'cisco_asa_password': simulator.password,
        'cisco_asa_enable_secret': simulator.enable_secret,
        'cisco_asa_host_key': simulator.host_key_line,
        'cisco_asa_acl': 'outside_access_in',
        'directpath_sim_url': simulator.url,
        'directpath_sim_ca_path': str(authority.ca_path),
    }
    return FleetMember(hostvars, stop=simulator.stop, name=name, vendor='cisco', simulator=simulator)


def start_tailnet(state_dir, name, options=None):
    """A Tailscale API simulator (the tailnet's policy file) sharing the fleet's CA: the tailnet is an inventory
    host of its own (``directpath_vendor: tailnet``), not a firewall. ``options``: any
    :class:`TailscaleApiSimulator` keyword (``tailnet``, ``token_seconds``, ``policy_file``: a path to a seed
    policy), plus ``auth`` (``api_key``, default, or ``oauth``: the hostvars carry the OAuth client that has the
    scope policy_file), ``scope`` (``tailnet`` or ``tags``) and ``tags`` (comma-separated)."""
    options = dict(options or {})
    auth = options.pop('auth', 'api_key')
    scope = options.pop('scope', 'tailnet')
    tags = options.pop('tags', '')
    tags = [tag.strip() for tag in (tags.split(',') if isinstance(tags, str) else tags) if tag.strip()]
    if 'policy_file' in options:
        options['policy'] = Path(options.pop('policy_file')).read_text(encoding='utf-8')
    for key in ('token_seconds', 'timeout_seconds'):
        if key in options:
            options[key] = float(options[key])
    state_dir = Path(state_dir)
    authority = CertificateAuthority.load_or_create(state_dir)
    simulator = TailscaleApiSimulator(state_dir / name, authority=authority, **options).start()
    hostvars = {
        'ansible_host': '127.0.0.1',
        'directpath_vendor': 'tailnet',
        'tailnet_api_url': simulator.url,
        'tailnet_name': '-',
        'tailnet_ca_path': str(authority.ca_path),
        'tailnet_validate_certs': True,
        'tailnet_randomize_client_port_scope': scope,
        'directpath_sim_url': simulator.url,
        'directpath_sim_ca_path': str(authority.ca_path),
    }
    if tags:
        hostvars['tailnet_randomize_client_port_tags'] = tags
    if auth == 'oauth':
        client_id = next(client for client, spec in simulator.oauth_clients.items() if 'policy_file' in spec['scopes'])
        hostvars['tailnet_oauth_client_id'] = client_id
        hostvars['tailnet_oauth_client_secret'] = simulator.oauth_clients[client_id]['secret']
    else:
        hostvars['tailnet_api_key'] = simulator.api_key
    return FleetMember(hostvars, stop=simulator.stop, name=name, vendor='tailnet', simulator=simulator)


VENDOR_FACTORIES = {
    'panos': start_panos,
    'fortinet_dpi': start_fortigate,
    'unifi': start_unifi,
    'barracuda': start_barracuda,
    'cisco': start_cisco_asa,
    # Not a firewall: the tailnet policy file, through the Tailscale API.
    'tailnet': start_tailnet,
    # Fake boxes (directories, nothing listens): tests/simulators/fakebox.start(product).
    'pfsense': fakebox.start('pfsense'),
    'opnsense': fakebox.start('opnsense'),
}


def register_vendor(vendor, factory):
    """Add (or replace) a vendor: ``factory(state_dir, name, options) -> FleetMember``."""
    VENDOR_FACTORIES[vendor] = factory


def _as_member(result, vendor, name):
    """Accept a FleetMember or a ``(hostvars, stop)`` pair; fill in the name and vendor."""
    if not hasattr(result, 'hostvars'):
        hostvars, stopper = result
        result = FleetMember(hostvars, stop=stopper)
    result.name = result.name or name
    result.vendor = result.vendor or vendor
    return result


class AcceptLoop:
    """One thread that accepts connections for many simulator servers (``selectors``: epoll on
    Linux), in place of a ``serve_forever`` thread per server polling every 50 ms.

    ``add(httpd)`` / ``remove(httpd)`` take a :class:`socketserver.BaseServer` whose socket is
    listening; when it is readable the loop calls the server's own request handling (the step
    ``serve_forever`` repeats), so a ``ThreadingMixIn`` server still serves each connection in a
    thread of its own, TLS handshake included.
    """

    def __init__(self, name='fleet-accept'):
        self._selector = selectors.DefaultSelector()
        self._lock = threading.Lock()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._selector.register(self._wake_read, selectors.EVENT_READ, None)
        self._closing = False
        self.servers = 0
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def add(self, httpd):
        with self._lock:
            if self._closing:
                raise RuntimeError('the accept loop is closed')
            self._selector.register(httpd.socket, selectors.EVENT_READ, httpd)
            self.servers += 1

    def remove(self, httpd):
        with self._lock:
            try:
                self._selector.unregister(httpd.socket)
            except (KeyError, ValueError):
                return
            self.servers -= 1

    def _run(self):
        while True:
            for key, _events in self._selector.select():
                if key.data is None:
                    try:
                        self._wake_read.recv(64)
                    except BlockingIOError:
                        pass
                    continue
                with self._lock:
                    # Removed (and perhaps closed) since select() returned: skip it.
                    if self._selector.get_map().get(key.fd) is not key:
                        continue
                    key.data._handle_request_noblock()  # pylint: disable=protected-access
            if self._closing:
                return

    def close(self):
        with self._lock:
            if self._closing:
                return
            self._closing = True
        self._wake_write.send(b'x')
        self._thread.join(timeout=5)
        self._selector.close()
        self._wake_read.close()
        self._wake_write.close()


def process_footprint():
    """This process: resident and peak memory (bytes), threads, open file descriptors, CPU seconds."""
    status = {}
    try:
        with open('/proc/self/status', encoding='ascii') as handle:
            for line in handle:
                key, _sep, value = line.partition(':')
                status[key] = value.split()
    except OSError:
        pass

    def kib(key):
        return int(status[key][0]) * 1024 if key in status else None

    try:
        descriptors = len(os.listdir('/proc/self/fd'))
    except OSError:
        descriptors = None
    times = os.times()
    return {'rss_bytes': kib('VmRSS'), 'peak_rss_bytes': kib('VmHWM'),
            'threads': int(status['Threads'][0]) if 'Threads' in status else threading.active_count(),
            'open_fds': descriptors, 'cpu_seconds': round(times.user + times.system, 3)}


class Fleet:
    """A set of started simulators under one state directory, served by one :class:`AcceptLoop`."""

    def __init__(self, state_dir):
        self.state_dir = Path(state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.members = []
        self.accept_loop = None
        self._control = None

    @contextmanager
    def _serving(self, servers):
        """While a factory runs, servers it starts join the fleet's accept loop (and ``servers``)."""
        if self.accept_loop is None:
            self.accept_loop = AcceptLoop()
        fleet_loop = self.accept_loop

        class _Recorder:
            @staticmethod
            def add(httpd):
                fleet_loop.add(httpd)
                servers.append(httpd)

            @staticmethod
            def remove(httpd):
                fleet_loop.remove(httpd)

        previous = SimulatorServer.accept_loop
        SimulatorServer.accept_loop = _Recorder()
        try:
            yield
        finally:
            SimulatorServer.accept_loop = previous

    def start_member(self, vendor, name, options=None):
        try:
            factory = VENDOR_FACTORIES[vendor]
        except KeyError:
            raise ValueError('unknown vendor %r (known: %s)' % (vendor, ', '.join(sorted(VENDOR_FACTORIES)))) from None
        servers = []
        with self._serving(servers):
            member = _as_member(factory(self.state_dir, name, dict(options or {})), vendor, name)
        member.servers = servers
        self.members.append(member)
        return member

    def start_vendors(self, counts, options=None):
        """``counts``: {vendor: n}; hosts are named ``<vendor>-<i>``. ``options``: {vendor or host: {...}}
        (host options win). Stops what it started if one member fails to start."""
        options = options or {}
        try:
            for vendor, count in counts.items():
                for index in range(1, count + 1):
                    name = '%s-%d' % (vendor, index)
                    merged = dict(options.get(vendor, {}))
                    merged.update(options.get(name, {}))
                    self.start_member(vendor, name, merged)
        except BaseException:
            self.stop()
            raise
        return self.members

    def stop(self):
        errors = []
        if self._control is not None:
            self._control.stop()
            self._control = None
        while self.members:
            member = self.members.pop()
            try:
                member.stop()
            except Exception as error:  # pylint: disable=broad-except
                errors.append('%s: %s' % (member.name, error))
        if self.accept_loop is not None:
            self.accept_loop.close()
            self.accept_loop = None
        if errors:
            raise RuntimeError('some simulators did not stop cleanly: %s' % '; '.join(errors))

    # fleet-wide observation ------------------------------------------------------------------------
    def journals(self, clear=False):
        """``{member name: member.journal_counts()}`` for every member."""
        return {member.name: member.journal_counts(clear=clear) for member in self.members}

    def footprint(self):
        """The launcher process (:func:`process_footprint`) and the listening sockets it serves."""
        footprint = process_footprint()
        footprint['members'] = len(self.members)
        footprint['listening_sockets'] = self.accept_loop.servers if self.accept_loop is not None else 0
        return footprint

    def _control_dispatch(self, request):
        route = (request.method, request.path.rstrip('/'))
        if route == ('GET', '/_fleet/journal'):
            return Response.json(self.journals())
        if route == ('POST', '/_fleet/journal/clear'):
            return Response.json(self.journals(clear=True))
        if route == ('GET', '/_fleet/footprint'):
            return Response.json(self.footprint())
        return Response.json({'error': 'no fleet endpoint %s %s' % (request.method, request.path)}, status=404)

    def start_control(self):
        """Serve the fleet's control API (module docstring) on loopback; returns its URL."""
        if self._control is None:
            authority = CertificateAuthority.load_or_create(self.state_dir)
            with self._serving([]):
                self._control = SimulatorServer(self._control_dispatch, authority).start()
        return self._control.url

    def inventory(self):
        """``all.children.firewalls.children.<vendor>.hosts.<name>: hostvars``."""
        groups = {}
        for member in self.members:
            groups.setdefault(member.vendor, {'hosts': {}})['hosts'][member.name] = dict(member.hostvars)
        return {'all': {'children': {'firewalls': {'children': groups}}}}

    def write_inventory(self, path):
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(path, '# Written by the directpath.firewall fleet launcher (tests/simulators/fleet.py).\n' + to_yaml(self.inventory()))
        return path

    def describe(self):
        return {'state_dir': str(self.state_dir), 'pid': os.getpid(),
                'control_url': self._control.url if self._control is not None else None,
                'members': [{'name': m.name, 'vendor': m.vendor, 'hostvars': m.hostvars} for m in self.members]}


# --------------------------------------------------------------------------------------------------
# YAML (a tiny emitter, so that the launcher needs nothing beyond the standard library)
# --------------------------------------------------------------------------------------------------
_PLAIN_KEY = re.compile(r'^[A-Za-z_][A-Za-z0-9_.\-]*$')


def _scalar(value):
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (int, float)):
        return repr(value)
    # A JSON string is a valid double-quoted YAML scalar.
    return json.dumps(str(value))


def to_yaml(data, indent=0):
    """Block-style YAML for dicts, lists and scalars."""
    pad = '  ' * indent
    lines = []
    if isinstance(data, dict):
        for key, value in data.items():
            key_text = key if _PLAIN_KEY.match(str(key)) else json.dumps(str(key))
            if isinstance(value, (dict, list)) and value:
                lines.append('%s%s:\n%s' % (pad, key_text, to_yaml(value, indent + 1)))
            elif isinstance(value, (dict, list)):
                lines.append('%s%s: %s\n' % (pad, key_text, '{}' if isinstance(value, dict) else '[]'))
            else:
                lines.append('%s%s: %s\n' % (pad, key_text, _scalar(value)))
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, (dict, list)) and item:
                nested = to_yaml(item, indent + 1)
                lines.append('%s- %s' % (pad, nested.lstrip()))
            else:
                lines.append('%s- %s\n' % (pad, _scalar(item) if not isinstance(item, (dict, list)) else '{}'))
    else:
        lines.append('%s%s\n' % (pad, _scalar(data)))
    return ''.join(lines)


def _atomic_write(path, text):
    path = Path(path)
    temporary = path.with_name('.%s.tmp' % path.name)
    temporary.write_text(text, encoding='utf-8')
    os.replace(temporary, path)


# --------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------
def parse_vendors(text):
    """'panos:2,pfsense:1' -> {'panos': 2, 'pfsense': 1} (a bare vendor counts 1)."""
    counts = {}
    for part in filter(None, (piece.strip() for piece in text.split(','))):
        vendor, _sep, count = part.partition(':')
        count = int(count) if count else 1
        if count < 0:
            raise ValueError('negative count for %s' % vendor)
        counts[vendor] = counts.get(vendor, 0) + count
    unknown = set(counts) - set(VENDOR_FACTORIES)
    if unknown:
        raise ValueError('unknown vendor(s): %s (known: %s)' % (', '.join(sorted(unknown)), ', '.join(sorted(VENDOR_FACTORIES))))
    return counts


def parse_settings(items):
    """['panos-2.sw_version=10.2.4'] -> {'panos-2': {'sw_version': '10.2.4'}}."""
    options = {}
    for item in items or ():
        target, _sep, value = item.partition('=')
        scope, _dot, key = target.partition('.')
        if not scope or not key or not _sep:
            raise ValueError('--set wants VENDOR_OR_HOST.key=value, got %r' % item)
        options.setdefault(scope, {})[key] = value
    return options


def _cmd_start(args):
    state_dir = Path(args.state_dir).resolve()
    state_dir.mkdir(parents=True, exist_ok=True)
    ready = state_dir / 'ready'
    pid_file = state_dir / 'fleet.pid'
    if ready.exists():
        ready.unlink()
    _atomic_write(pid_file, '%d\n' % os.getpid())

    stop_requested = threading.Event()

    def request_stop(signum, frame):  # pylint: disable=unused-argument
        stop_requested.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)

    fleet = Fleet(state_dir)
    try:
        started = time.monotonic()
        fleet.start_vendors(parse_vendors(args.vendors), parse_settings(args.set))
        control_url = fleet.start_control()
        inventory = fleet.write_inventory(args.inventory or state_dir / 'inventory.yml')
        _atomic_write(state_dir / 'fleet.json', json.dumps(fleet.describe(), indent=1, sort_keys=True) + '\n')
        footprint = fleet.footprint()
        footprint['start_seconds'] = round(time.monotonic() - started, 3)
        _atomic_write(ready, json.dumps({'pid': os.getpid(), 'inventory': str(inventory), 'control_url': control_url,
                                         'ca_path': str(CertificateAuthority(state_dir).ca_path),
                                         'hosts': [m.name for m in fleet.members], 'footprint': footprint}) + '\n')
        if len(fleet.members) <= 20:
            listing = ', '.join('%s=%s' % (m.name, m.hostvars.get('directpath_sim_url', 'fakebox')) for m in fleet.members)
        else:
            listing = '%d members' % len(fleet.members)
        print('fleet ready: %s (inventory %s, control %s)' % (listing, inventory, control_url), flush=True)
        while not stop_requested.wait(0.5):
            pass
        print('fleet stopping', flush=True)
    finally:
        try:
            fleet.stop()
        finally:
            for path in (ready, pid_file):
                if path.exists():
                    path.unlink()
    return 0


def _is_fleet_process(pid):
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as handle:
            cmdline = handle.read().replace(b'\0', b' ')
    except OSError:
        return None  # no /proc (or no such process): cannot tell
    return b'simulators.fleet' in cmdline or b'simulators/fleet' in cmdline


def _alive(pid):
    """True while ``pid`` runs. An exited process its parent has not reaped yet (a zombie) still
    answers kill(pid, 0), so /proc is asked too."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open('/proc/%d/stat' % pid, 'rb') as handle:
            state = handle.read().rsplit(b')', 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in (b'Z', b'X')


def _cmd_stop(args):
    pid_file = Path(args.state_dir) / 'fleet.pid'
    if not pid_file.exists():
        print('fleet: not running (no %s)' % pid_file)
        return 0
    pid = int(pid_file.read_text(encoding='utf-8').strip())
    if not _alive(pid):
        print('fleet: pid %d is gone; removing the stale pid file' % pid)
        pid_file.unlink()
        return 0
    if _is_fleet_process(pid) is False:
        print('fleet: pid %d is not a fleet launcher; not signalling it' % pid, file=sys.stderr)
        return 1
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            print('fleet: stopped (pid %d)' % pid)
            return 0
        time.sleep(0.1)
    print('fleet: pid %d did not stop within %ss; sending SIGKILL' % (pid, args.timeout), file=sys.stderr)
    os.kill(pid, signal.SIGKILL)
    for path in (pid_file, Path(args.state_dir) / 'ready'):
        if path.exists():
            path.unlink()
    return 1


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m ansible_collections.directpath.firewall.tests.simulators.fleet',
                                     description='Simulated firewalls on loopback, with an Ansible inventory.')
    commands = parser.add_subparsers(dest='command', required=True)
    start = commands.add_parser('start', help='start simulators and run until SIGTERM/SIGINT')
    start.add_argument('--vendors', required=True, help='e.g. panos:2,pfsense:1,opnsense:1')
    start.add_argument('--state-dir', required=True)
    start.add_argument('--inventory', help='inventory file to write (default STATE_DIR/inventory.yml)')
    start.add_argument('--set', action='append', metavar='VENDOR_OR_HOST.KEY=VALUE',
                       help='simulator option, e.g. panos-2.sw_version=10.2.4 (repeatable)')
    stop = commands.add_parser('stop', help='stop the fleet started with this state directory')
    stop.add_argument('--state-dir', required=True)
    stop.add_argument('--timeout', type=float, default=15.0)
    args = parser.parse_args(argv)
    if args.command == 'start':
        return _cmd_start(args)
    return _cmd_stop(args)


if __name__ == '__main__':
    # Run the imported module's main(), so that factories importing FleetMember from this module
    # (fakebox) and the launcher share one class, not a __main__ copy.
    from ansible_collections.directpath.firewall.tests.simulators import fleet as _fleet
    sys.exit(_fleet.main())
