# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTML audit report in a real browser: Debian's headless Chromium loads the file, we read the
DOM it built (--dump-dom) and the table must show the statuses the report was built from.

Needs the Debian package ``chromium`` (/usr/bin/chromium); skipped, with that reason, when it is absent.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser

import pytest

from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import compliance_record
from ansible_collections.directpath.firewall.plugins.plugin_utils.report import ReportCollector, build_report, write_report

CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason='Debian package chromium is not installed (apt-get install chromium)')

# As root and on a machine without Internet access, Chromium needs --no-sandbox and the flags that
# stop its background connections (else it retries refused connections at every start).
CHROMIUM_FLAGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage', '--hide-scrollbars',
]

# host, vendor, workaround, status: one record of every status, plus a second record on one device.
KNOWN = [
    ('fw-barracuda', 'barracuda', 'udp_sessions', 'manual'),
    ('fw-checkpoint', 'checkpoint', 'none', 'not_applicable'),
    ('fw-opnsense', 'opnsense', 'natpmp', 'compliant'),
    ('fw-opnsense', 'opnsense', 'static_port', 'drift'),
    ('fw-panos', 'panos', 'persistent_dipp', 'error'),
    ('fw-umbrella', 'cisco_umbrella', 'none', 'no_workaround'),
]


class TableReader(HTMLParser):
    """Collects the rows of <table id="records"> and <table id="devices"> from a DOM dump."""

    def __init__(self):
        HTMLParser.__init__(self)
        self.tables = {}
        self._table = None
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'table' and attrs.get('id'):
            self._table = attrs['id']
            self.tables[self._table] = []
        elif tag == 'tr' and self._table:
            self._row = {'attrs': attrs, 'cells': []}
        elif tag == 'td' and self._row is not None:
            self._cell = {'class': attrs.get('class', ''), 'text': ''}

    def handle_endtag(self, tag):
        if tag == 'td' and self._cell is not None:
            self._row['cells'].append(self._cell)
            self._cell = None
        elif tag == 'tr' and self._row is not None:
            if self._row['cells']:
                self.tables[self._table].append(self._row)
            self._row = None
        elif tag == 'table':
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell['text'] += data


def known_report():
    collector = ReportCollector()
    for host, vendor, workaround, status in KNOWN:
        collector.add_result(host, {
            'changed': status == 'drift',
            'api_calls': {'reads': 3, 'writes': 0},
            'msg': 'connection refused' if status == 'error' else '',
            'compliance': compliance_record(vendor, workaround, status, ['%s on %s is %s' % (workaround, host, status)],
                                            [], state='present', applied=False),
        }, task='fidelity', check_mode=True)
    return build_report(collector)


def run_chromium(args, profile):
    command = [CHROMIUM] + CHROMIUM_FLAGS + ['--user-data-dir=%s' % profile] + args
    process = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert process.returncode == 0, 'chromium failed (%d): %s' % (process.returncode, process.stderr[-2000:])
    return process.stdout


@pytest.fixture(scope='module')
def rendered():
    workdir = tempfile.mkdtemp(prefix='directpath-chromium-')
    try:
        paths = write_report(known_report(), workdir, 'audit-report', ['html'])
        url = 'file://' + paths['html']
        dom = run_chromium(['--dump-dom', url], os.path.join(workdir, 'profile-dom'))
        screenshot = os.path.join(workdir, 'report.png')
        run_chromium(['--screenshot=%s' % screenshot, '--window-size=1400,1000', url], os.path.join(workdir, 'profile-shot'))
        with open(screenshot, 'rb') as stream:
            png = stream.read()
        reader = TableReader()
        reader.feed(dom)
        yield dom, reader.tables, png
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def test_browser_built_the_page(rendered):
    dom, tables, dummy = rendered
    assert '<h1>Tailscale direct-connection audit</h1>' in dom
    assert set(tables) == {'summary', 'devices', 'records'}


def test_records_table_shows_each_status_as_text_and_class(rendered):
    dummy, tables, dummy2 = rendered
    seen = set()
    for row in tables['records']:
        status_cell = row['cells'][2]
        status = status_cell['text'].strip()
        assert 'status-%s' % status in status_cell['class'].split()
        seen.add((row['attrs']['data-host'], row['attrs']['data-vendor'], row['attrs']['data-workaround'], status))
    assert seen == set(KNOWN)


def test_devices_table_shows_the_worst_status_per_device(rendered):
    dummy, tables, dummy2 = rendered
    overall = dict((row['attrs']['data-host'], row['cells'][-1]['text'].strip()) for row in tables['devices'])
    assert overall == {
        'fw-barracuda': 'manual',
        'fw-checkpoint': 'not_applicable',
        'fw-opnsense': 'drift',
        'fw-panos': 'error',
        'fw-umbrella': 'no_workaround',
    }


def test_summary_table_counts_the_records(rendered):
    dummy, tables, dummy2 = rendered
    counts = dict((row['cells'][0]['text'].strip(), int(row['cells'][2]['text'])) for row in tables['summary'])
    assert counts == {'error': 1, 'drift': 1, 'manual': 1, 'no_workaround': 1, 'compliant': 1, 'not_applicable': 1}


# A fleet as the demo and real users see it: long host names, rule names, sentences with paths
# and addresses, one record of every status and both change kinds.
REALISTIC = [
    ('fw-branch-office-frankfurt-01', 'panos', 'persistent_dipp', 'drift', True,
     ["NAT rule 'lan-out-tailscale-nodes' uses dynamic-ip-and-port: the mapping varies by destination, so peers fall "
      "back to DERP", "NAT rule 'guest-wifi-outbound' does not cover the Tailscale hosts 10.0.0.5, 10.0.0.6 and is left alone"],
     ["NAT rule 'lan-out-tailscale-nodes': translated source port reused for every destination (no inbound port opened)"],
     ['Palo Alto documents a reboot after changing DIPP NAT rules when DIPP rules already exist; plan one.']),
    ('pfsense-datacenter-amsterdam', 'pfsense', 'natpmp', 'compliant', False,
     ['UPnP & NAT-PMP service: enabled, NAT-PMP allowed for 198.18.10.21/32 only, default deny kept'], [], []),
    ('pfsense-datacenter-amsterdam', 'pfsense', 'static_port', 'manual', False,
     ['outbound NAT mode is advanced (manual) with 14 rules written by someone else: add the static-port rule by hand'],
     ['UDP source ports of 198.18.10.21 are kept on the WAN address 203.0.113.7 (endpoint-independent mapping)'],
     ['randomizeClientPort must be on in the tailnet policy for static-port NAT to help.']),
    ('opnsense-hq', 'opnsense', 'static_port', 'error', False,
     ['read /api/firewall/source_nat/search_rule: cannot reach the firewall https://opnsense-hq.corp.example.net:4443 '
      '(URLError: reason: [Errno 111] Connection refused)'], [], []),
    ('checkpoint-hq', 'checkpoint', 'none', 'not_applicable', False,
     ['Check Point: Tailscale expects direct connections; nothing to change'], [],
     ['Confirm with tailscale netcheck that MappingVariesByDestIP is false.']),
    ('umbrella-laptops', 'cisco_umbrella', 'none', 'no_workaround', False,
     ['Cisco with Cisco Umbrella Endpoint Security: no firewall setting is known to give direct connections'], [],
     ['Run a peer relay inside the network, or exempt the Tailscale hosts from the endpoint security proxy.']),
]

# Runs in the browser on an instrumented copy of the page (the report itself has no script): every
# word of every text node must sit on one line (a Range over it has rects on one line only; a line
# may end after a hyphen, as in print), no
# table cell may overflow its box, and the page must not be wider than the window.
LAYOUT_PROBE = """
<script>
(function () {
  var out = {viewport: window.innerWidth, page: document.documentElement.scrollWidth, broken: [], overflowing: [], cells: 0};
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    var node = walker.currentNode, word = /[^\\s-]+-?/g, match;
    while ((match = word.exec(node.data)) !== null) {
      var range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      var lines = {};
      Array.prototype.forEach.call(range.getClientRects(), function (rect) { if (rect.width > 0) { lines[Math.round(rect.bottom)] = true; } });
      if (Object.keys(lines).length > 1) { out.broken.push(match[0]); }
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll('td, th'), function (cell) {
    out.cells += 1;
    if (cell.scrollWidth > cell.clientWidth + 1) { out.overflowing.push(cell.textContent.trim().slice(0, 60)); }
  });
  var pre = document.createElement('pre');
  pre.id = 'layout-probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def realistic_report():
    collector = ReportCollector()
    for host, vendor, workaround, status, changed, findings, exposure, advice in REALISTIC:
        collector.add_result(host, {
            'changed': changed,
            'api_calls': {'reads': 5, 'writes': 0},
            'msg': findings[0] if status == 'error' else '',
            'cause': 'unreachable' if status == 'error' else '',
            'compliance': compliance_record(vendor, workaround, status, findings, exposure, state='present',
                                            changed=changed, applied=False, advice=advice),
        }, task='audit', check_mode=True)
    return build_report(collector)


def measure_layout(width, height=1000):
    workdir = tempfile.mkdtemp(prefix='directpath-chromium-layout-')
    try:
        paths = write_report(realistic_report(), workdir, 'audit-report', ['html'])
        with open(paths['html'], encoding='utf-8') as stream:
            page = stream.read()
        probe = os.path.join(workdir, 'probe.html')
        with open(probe, 'w', encoding='utf-8') as stream:
            stream.write(page.replace('</body>', LAYOUT_PROBE + '</body>'))
        dom = run_chromium(['--window-size=%d,%d' % (width, height), '--dump-dom', 'file://' + probe],
                           os.path.join(workdir, 'profile'))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    found = re.search(r'<pre id="layout-probe">(.*?)</pre>', dom, re.S)
    assert found, 'the layout probe did not run:\n' + dom[-2000:]
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.parametrize('width', [1366, 1920])
def test_no_word_is_broken_and_nothing_overflows_at_common_widths(width):
    layout = measure_layout(width)
    assert layout['viewport'] == width, 'the window is not %d px wide: %r' % (width, layout)
    assert layout['cells'] > 50, 'the probe measured too few cells: %r' % layout
    assert layout['broken'] == [], 'words broken across lines at %d px: %s' % (width, layout['broken'])
    assert layout['overflowing'] == [], 'cells whose text overflows at %d px: %s' % (width, layout['overflowing'])
    assert layout['page'] <= width, 'the page (%d px) is wider than the window (%d px)' % (layout['page'], width)


def test_screenshot_is_a_real_picture(rendered):
    dummy, dummy2, png = rendered
    assert png.startswith(b'\x89PNG\r\n\x1a\n')
    assert len(png) > 10000, 'a page with tables and coloured cells is more than a blank image'
