# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The randomizeClientPort fleet note reads the real tailnet policy when the tailnet is in the inventory."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import compliance_record
from ansible_collections.directpath.firewall.plugins.module_utils.fleet.guidance import guidance_record
from ansible_collections.directpath.firewall.plugins.plugin_utils.report import REPORT_JSON_SCHEMA, ReportCollector, build_report

GENERATED = datetime.datetime(2026, 11, 24, 12, 0, 0, tzinfo=datetime.timezone.utc)


def tailnet_result(tailnet_wide, tags, status='compliant'):
    record = compliance_record('tailnet', 'randomize_port', status, [], [], state='present')
    record['tailnet_policy'] = {'setting': 'randomizeClientPort', 'tailnet_wide': tailnet_wide, 'tags': tags}
    return {'changed': False, 'compliance': record, 'api_calls': {'reads': 1, 'writes': 0}}


def firewall_result(vendor, workaround, status):
    return {'changed': False, 'compliance': compliance_record(vendor, workaround, status, [], [], state='present'),
            'api_calls': {'reads': 1, 'writes': 0}}


def report_of(*results):
    collector = ReportCollector()
    for host, vendor, result in results:
        collector.set_device_vendor(host, vendor)
        collector.add_result(host, result)
    return build_report(collector, generated=GENERATED)


def test_a_fortinet_firewall_wants_it_and_the_note_reads_the_tags_granted():
    fortinet = {'changed': False, 'compliance': guidance_record('fortinet'), 'api_calls': {'reads': 0, 'writes': 0}}
    report = report_of(('fw-fg', 'fortinet', fortinet), ('tailnet-1', 'tailnet', tailnet_result(False, ['tag:branch'])))
    note, = report['notes']
    assert note['id'] == 'randomize_client_port_wanted'
    assert 'read through tailnet-1' in note['text'] and 'grants randomize-client-port to tag:branch' in note['text']
    assert note['hosts'] == ['fw-fg', 'tailnet-1']
    jsonschema = pytest.importorskip('jsonschema')
    jsonschema.validate(report, REPORT_JSON_SCHEMA)


def test_a_policy_that_grants_nothing_turns_the_note_into_a_warning():
    report = report_of(('fw-pf', 'pfsense', firewall_result('pfsense', 'static_port', 'compliant')),
                       ('tailnet-1', 'tailnet', tailnet_result(False, [], status='drift')))
    note, = report['notes']
    assert note['level'] == 'warning' and 'keep port 41641' in note['text']


def test_tailnet_wide_on_is_named_against_a_selective_rule():
    report = report_of(('fw-pf', 'pfsense', firewall_result('pfsense', 'static_port', 'compliant')),
                       ('fw-pa', 'panos', firewall_result('panos', 'selective_source_port', 'manual')),
                       ('tailnet-1', 'tailnet', tailnet_result(True, [])))
    note, = report['notes']
    assert note['id'] == 'randomize_client_port_conflict'
    assert 'on tailnet-wide, which the selective source-port rule on fw-pa cannot work with' in note['text']


def test_without_the_tailnet_the_note_is_unchanged():
    report = report_of(('fw-pf', 'pfsense', firewall_result('pfsense', 'static_port', 'compliant')))
    note, = report['notes']
    assert 'tailnet policy file (read' not in note['text'] and note['level'] == 'info'
