# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTML audit report in a real browser: Debian's headless Chromium loads the file, we read the
DOM it built (--dump-dom) and the table must show the statuses the report was built from.

Needs the Debian package ``chromium`` (/usr/bin/chromium); skipped, with that reason, when it is absent.
"""

from __future__ import annotations

import os
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


def test_screenshot_is_a_real_picture(rendered):
    dummy, dummy2, png = rendered
    assert png.startswith(b'\x89PNG\r\n\x1a\n')
    assert len(png) > 10000, 'a page with tables and coloured cells is more than a blank image'
