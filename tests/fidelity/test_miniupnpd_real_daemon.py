# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The real miniupnpd obeys the permission rules our NAT-PMP modules produce.

The module runs against a fake box, whose apply renders miniupnpd.conf exactly
as the product's PHP does; that file is fed to the real daemon (Debian's
miniupnpd 2.3.1, nftables backend) in network namespaces this test creates:

    gateway namespace: <out> 198.19.0.2/24 (external, peer <outp> stays in the namespace)
                       <in>  198.18.5.1/24 (internal, listening_ip)
    LAN namespace:     <lan> 198.18.5.10/24 (Tailscale host) and 198.18.5.20/24 (another host)

Only 198.18.0.0/15 addresses are used and no traffic leaves the namespaces.
Each host sends a NAT-PMP UDP mapping request (RFC 6886: 12 bytes, version 0,
opcode 1) to 198.18.5.1:5351 from its own bound address. miniupnpd refuses to
map on a reserved external address, so the accepted request answers result
code 3; the test asserts on the permission decision the daemon logs
(permissions.c: "UPnP permission rule %d matched : port mapping accepted|rejected").
Namespaces and the daemon are removed in ``finally``, also when the test fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from ansible_collections.directpath.firewall.plugins.modules import opnsense_natpmp, pfsense_natpmp
from ansible_collections.directpath.firewall.tests.simulators.fakebox import create_box
from ansible_collections.directpath.firewall.tests.simulators.fakebox.harness import run_module

MINIUPNPD = shutil.which('miniupnpd') or ('/usr/sbin/miniupnpd' if os.path.exists('/usr/sbin/miniupnpd') else None)
IP = shutil.which('ip') or ('/usr/sbin/ip' if os.path.exists('/usr/sbin/ip') else None)

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not MINIUPNPD or not IP,
    reason='needs root and the Debian packages miniupnpd and iproute2 (network namespaces and the real daemon)')

GATEWAY = '198.18.5.1'
TAILSCALE_HOST = '198.18.5.10'
OTHER_HOST = '198.18.5.20'

REQUEST_SENDER = r'''
import socket, struct, sys
source, gateway = sys.argv[1], sys.argv[2]
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((source, 0))
sock.settimeout(1)
# version 0, opcode 1 (map UDP), reserved, internal port 41641, suggested external port 0, lifetime 7200 s
sock.sendto(struct.pack('!BBHHHI', 0, 1, 0, 41641, 0, 7200), (gateway, 5351))
try:
    data, peer = sock.recvfrom(64)
    print(struct.unpack('!BBH', data[:4])[2])
except socket.timeout:
    print('timeout')
'''


def daemon_knows(option):
    with open(MINIUPNPD, 'rb') as handle:
        return option + b'\x00' in handle.read()


def sh(*argv, check=True):
    return subprocess.run(list(argv), check=check, capture_output=True, text=True, timeout=30)


class Namespaces(object):
    def __init__(self, tag):
        self.gw = 'dp5gw%s' % tag
        self.lan = 'dp5lan%s' % tag
        self.names = {'in': 'dp5i%s' % tag, 'lan': 'dp5l%s' % tag, 'out': 'dp5o%s' % tag, 'outp': 'dp5p%s' % tag}

    def create(self):
        n = self.names
        sh(IP, 'netns', 'add', self.gw)
        sh(IP, 'netns', 'add', self.lan)
        sh(IP, 'link', 'add', n['in'], 'netns', self.gw, 'type', 'veth', 'peer', 'name', n['lan'], 'netns', self.lan)
        sh(IP, 'link', 'add', n['out'], 'netns', self.gw, 'type', 'veth', 'peer', 'name', n['outp'], 'netns', self.gw)
        gw = (IP, '-n', self.gw)
        lan = (IP, '-n', self.lan)
        sh(*gw, 'addr', 'add', GATEWAY + '/24', 'dev', n['in'])
        sh(*gw, 'addr', 'add', '198.19.0.2/24', 'dev', n['out'])
        for dev in ('lo', n['in'], n['out'], n['outp']):
            sh(*gw, 'link', 'set', dev, 'up')
        sh(*gw, 'route', 'add', 'default', 'via', '198.19.0.1', 'dev', n['out'])
        sh(*lan, 'addr', 'add', TAILSCALE_HOST + '/24', 'dev', n['lan'])
        sh(*lan, 'addr', 'add', OTHER_HOST + '/24', 'dev', n['lan'])
        for dev in ('lo', n['lan']):
            sh(*lan, 'link', 'set', dev, 'up')

    def destroy(self):
        for name in (self.gw, self.lan):
            sh(IP, 'netns', 'del', name, check=False)


def request(ns, source):
    """Send one NAT-PMP request from ``source`` in the LAN namespace; the caller reaps the process."""
    return subprocess.Popen([IP, 'netns', 'exec', ns.lan, sys.executable, '-c', REQUEST_SENDER, source, GATEWAY],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def reap(process):
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


def wait_for(pattern, log_path, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open(log_path) as handle:
            text = handle.read()
        match = re.search(pattern, text)
        if match:
            return match
        time.sleep(0.1)
    return None


@pytest.mark.parametrize('product,module', [('pfsense', pfsense_natpmp), ('opnsense', opnsense_natpmp)])
def test_daemon_accepts_the_tailscale_host_and_rejects_the_other(tmp_path, product, module):
    tag = '%d%s' % (os.getpid() % 10000, product[0])
    ns = Namespaces(tag)
    interfaces = {
        'wan': {'if': ns.names['out'], 'descr': 'WAN', 'ipaddr': '198.19.0.2', 'subnet': '24', 'mac': '52:54:00:5e:05:01'},
        'lan': {'if': ns.names['in'], 'descr': 'LAN', 'ipaddr': GATEWAY, 'subnet': '24', 'mac': '52:54:00:5e:05:02'},
    }
    box = create_box(product, str(tmp_path / 'box'), interfaces=interfaces)
    result = run_module(module, dict(box.module_args('natpmp'), tailscale_hosts=[TAILSCALE_HOST]))
    assert result.get('failed') is not True, result
    conf_text = box.miniupnpd_conf()
    assert conf_text, 'the fake box did not render miniupnpd.conf'
    # OPNsense renders lease files under /var/run; keep the daemon's files in the test directory.
    conf_text = re.sub(r'^(lease_file6?)=.*$', lambda m: '%s=%s' % (m.group(1), tmp_path / m.group(1)), conf_text, flags=re.M)
    # Both products write enable_pcp_pmp=, which newer miniupnpd (options.c: "enable_natpmp" and "enable_pcp_pmp"
    # both set UPNPENABLENATPMP) reads as the NAT-PMP/PCP switch. Debian's 2.3.1 knows only the older name and
    # rejects the file, so the one key is renamed for it; every other line is fed as rendered.
    if not daemon_knows(b'enable_pcp_pmp'):
        conf_text = re.sub(r'^enable_pcp_pmp=', 'enable_natpmp=', conf_text, flags=re.M)
    conf = tmp_path / 'miniupnpd.conf'
    conf.write_text(conf_text)
    lines = conf_text.splitlines()
    rules = [line for line in lines if line.startswith(('allow ', 'deny '))]
    ours = rules.index('allow 1024-65535 %s/32 1024-65535' % TAILSCALE_HOST)
    deny = rules.index('deny 1-65535 0.0.0.0/0 1-65535')
    assert ours == 0 and deny == len(rules) - 1

    log_path = tmp_path / 'miniupnpd.log'
    daemon = None
    clients = []
    try:
        ns.create()
        with open(log_path, 'w') as log:
            daemon = subprocess.Popen(
                [IP, 'netns', 'exec', ns.gw, MINIUPNPD, '-d', '-f', str(conf), '-P', str(tmp_path / 'miniupnpd.pid')],
                stdout=log, stderr=subprocess.STDOUT)
        started = wait_for(r'Listening for NAT-PMP|PCP/NAT-PMP|listening on', str(log_path))
        if daemon.poll() is not None or not started:
            pytest.fail('miniupnpd did not start with the generated configuration:\n%s' % log_path.read_text())

        clients.append(request(ns, TAILSCALE_HOST))
        assert wait_for(r'permission rule %d matched : port mapping accepted' % ours, str(log_path)), log_path.read_text()
        decisions = re.findall(r'permission rule (\d+) matched : port mapping (\w+)', log_path.read_text())
        assert decisions and all(decision == (str(ours), 'accepted') for decision in decisions), decisions

        # The daemon tries several external ports for a request without a suggested port and checks each
        # against the rules, so the other host's request may time out on our side: the log is the evidence.
        clients.append(request(ns, OTHER_HOST))
        assert wait_for(r'permission rule %d matched : port mapping rejected' % deny, str(log_path), timeout=20), \
            log_path.read_text()[-4000:]
        later = re.findall(r'permission rule (\d+) matched : port mapping (\w+)', log_path.read_text())[len(decisions):]
        assert later and all(decision == (str(deny), 'rejected') for decision in later), later
        assert daemon.poll() is None, 'miniupnpd died:\n%s' % log_path.read_text()
    finally:
        for client in clients:
            reap(client)
        if daemon is not None and daemon.poll() is None:
            daemon.terminate()
            try:
                daemon.wait(timeout=10)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait(timeout=10)
        ns.destroy()
