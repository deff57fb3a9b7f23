# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import datetime
import json
import os
import re

import pytest

from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import COMPLIANCE_STATUSES, compliance_record
from ansible_collections.directpath.firewall.plugins.plugin_utils.report import (
    HEADLINE_GROUPS,
    HEADLINE_VERDICTS,
    REPORT_JSON_SCHEMA,
    SCHEMA_VERSION,
    STATUS_SEVERITY,
    ReportCollector,
    build_report,
    compliance_records_in,
    failure_record,
    overall_status,
    render_html,
    render_json,
    render_markdown,
    render_summary_table,
    unreported_host_record,
    write_report,
)

GENERATED = datetime.datetime(2026, 11, 24, 12, 0, 0, tzinfo=datetime.timezone.utc)


def module_result(vendor, workaround, status, changed=False, reads=1, writes=0, **extra):
    record = compliance_record(vendor, workaround, status, ['%s finding' % workaround], ['%s exposure' % workaround],
                               state='present', applied=False)
    record.update(extra)
    return {'changed': changed, 'compliance': record, 'api_calls': {'reads': reads, 'writes': writes}}


def fleet_collector():
    collector = ReportCollector()
    collector.add_result('fw-pa', module_result('panos', 'persistent_dipp', 'drift', reads=4), 'PAN-OS', check_mode=True)
    collector.add_result('fw-pf', module_result('pfsense', 'natpmp', 'compliant'), 'pfSense NAT-PMP', check_mode=True)
    collector.add_result('fw-pf', module_result('pfsense', 'static_port', 'drift'), 'pfSense static port', check_mode=True)
    collector.add_result('fw-cp', module_result('checkpoint', 'none', 'not_applicable', reads=0), 'guidance', check_mode=True)
    collector.add_result('fw-um', module_result('cisco_umbrella', 'none', 'no_workaround', reads=0), 'guidance', check_mode=True)
    return collector


def test_collects_top_level_and_loop_item_records():
    result = {'changed': False, 'results': [module_result('barracuda', 'udp_sessions', 'manual'),
                                            module_result('barracuda', 'open_port', 'manual'),
                                            {'skipped': True}]}
    pairs = compliance_records_in(result)
    assert [compliance['workaround'] for compliance, dummy in pairs] == ['udp_sessions', 'open_port']


def test_no_log_result_yields_no_record():
    censored = {'censored': "the output has been hidden due to the fact that 'no_log: true' was specified", 'changed': False}
    assert compliance_records_in(censored) == []
    assert compliance_records_in('not a dict') == []


def test_same_host_vendor_workaround_keeps_the_last_record():
    collector = ReportCollector()
    collector.add_result('fw-pa', module_result('panos', 'persistent_dipp', 'drift'), 'audit', check_mode=True)
    collector.add_result('fw-pa', module_result('panos', 'persistent_dipp', 'compliant'), 'after', check_mode=False)
    assert len(collector) == 1
    record = collector.records('fw-pa')[0]
    assert record['status'] == 'compliant'
    assert record['task'] == 'after'


def test_records_of_different_workarounds_or_hosts_are_kept_apart():
    collector = fleet_collector()
    assert len(collector) == 5
    assert collector.hosts() == ['fw-pa', 'fw-pf', 'fw-cp', 'fw-um']


def test_unknown_status_from_a_module_becomes_error_with_a_finding():
    collector = ReportCollector()
    collector.add_result('fw-x', {'compliance': {'vendor': 'unifi', 'workaround': 'p2p_threat', 'status': 'green'}})
    record = collector.records()[0]
    assert record['status'] == 'error'
    assert "unknown compliance status 'green'" in record['findings'][-1]


def test_error_record_keeps_message_and_cause():
    result = {'failed': True, 'msg': 'authentication failed', 'cause': 'auth',
              'compliance': compliance_record('panos', 'persistent_dipp', 'error', ['authentication failed'])}
    collector = ReportCollector()
    collector.add_result('fw-pa', result)
    record = collector.records()[0]
    assert (record['status'], record['msg'], record['cause']) == ('error', 'authentication failed', 'auth')


@pytest.mark.parametrize('statuses, expected', [
    (['compliant', 'not_applicable'], 'compliant'),
    (['not_applicable'], 'not_applicable'),
    (['compliant', 'drift', 'manual'], 'drift'),
    (['manual', 'no_workaround'], 'manual'),
    (['drift', 'error'], 'error'),
    ([], None),
])
def test_overall_status_is_the_worst(statuses, expected):
    assert overall_status(statuses) == expected


def test_severity_order_covers_every_compliance_status():
    assert sorted(STATUS_SEVERITY) == sorted(COMPLIANCE_STATUSES)


def test_report_per_device_has_guidance_and_overall_status():
    report = build_report(fleet_collector(), generated=GENERATED)
    devices = dict((device['host'], device) for device in report['devices'])
    assert [device['host'] for device in report['devices']] == sorted(devices)
    assert devices['fw-pa']['firewall'] == 'Palo Alto Networks'
    assert devices['fw-pa']['expected'] == 'Connects via DERP'
    assert devices['fw-pa']['guidance_workaround'] == 'Use Persistent Dynamic IP and Port'
    assert devices['fw-pf']['status'] == 'drift'
    assert [r['workaround'] for r in devices['fw-pf']['records']] == ['static_port', 'natpmp']
    assert devices['fw-cp']['status'] == 'not_applicable'
    assert devices['fw-um']['status'] == 'no_workaround'
    assert devices['fw-um']['caveats']
    assert report['summary']['records_by_status']['drift'] == 2
    assert report['summary']['devices_by_status'] == {
        'error': 0, 'drift': 2, 'manual': 0, 'no_workaround': 1, 'compliant': 0, 'not_applicable': 1}
    assert report['summary']['api_calls'] == {'reads': 6, 'writes': 0}
    assert report['summary']['overall_status'] == 'drift'
    assert report['generated'] == '2026-11-24T12:00:00+00:00'


def test_device_vendor_from_inventory_wins_over_record_vendor():
    collector = ReportCollector()
    collector.add_result('fw-fg', module_result('tailnet', 'randomize_port', 'drift'))
    collector.set_device_vendor('fw-fg', 'fortinet')
    device = build_report(collector, generated=GENERATED)['devices'][0]
    assert (device['vendor'], device['firewall']) == ('fortinet', 'Fortinet')


def test_unknown_vendor_device_is_still_reported():
    collector = ReportCollector()
    collector.add_result('fw-j', module_result('juniper', 'none', 'error'))
    device = build_report(collector, generated=GENERATED)['devices'][0]
    assert (device['firewall'], device['expected'], device['status']) == ('juniper', None, 'error')


@pytest.mark.parametrize('modes, expected', [([True, True], 'check'), ([False], 'apply'), ([True, False], 'mixed'), ([None], 'apply')])
def test_run_mode_from_the_tasks_check_mode(modes, expected):
    collector = ReportCollector()
    for index, mode in enumerate(modes):
        collector.add_result('fw%d' % index, module_result('panos', 'persistent_dipp', 'compliant'), check_mode=mode)
    assert build_report(collector, generated=GENERATED)['run_mode'] == expected


def _validate_structure(schema, value, path='$'):
    """A small JSON-Schema subset validator (type, enum, required, properties, items, pattern, oneOf)."""
    types = {'object': dict, 'array': list, 'string': str, 'integer': int, 'boolean': bool, 'null': type(None)}
    if 'oneOf' in schema:
        errors = []
        for option in schema['oneOf']:
            try:
                _validate_structure(option, value, path)
                return
            except AssertionError as error:
                errors.append(str(error))
        raise AssertionError('%s matches no oneOf: %s' % (path, errors))
    if 'enum' in schema:
        assert value in schema['enum'], '%s: %r not in %r' % (path, value, schema['enum'])
    if 'type' in schema:
        wanted = schema['type'] if isinstance(schema['type'], list) else [schema['type']]
        assert any(isinstance(value, types[name]) and not (name == 'integer' and isinstance(value, bool)) for name in wanted), \
            '%s: %r is not %s' % (path, value, wanted)
    if 'pattern' in schema:
        assert re.match(schema['pattern'], value), path
    if isinstance(value, dict):
        for key in schema.get('required', []):
            assert key in value, '%s: missing %s' % (path, key)
        for key, sub in schema.get('properties', {}).items():
            if key in value:
                _validate_structure(sub, value[key], '%s.%s' % (path, key))
        if isinstance(schema.get('additionalProperties'), dict):
            for key, item in value.items():
                _validate_structure(schema['additionalProperties'], item, '%s.%s' % (path, key))
    if isinstance(value, list) and 'items' in schema:
        for index, item in enumerate(value):
            _validate_structure(schema['items'], item, '%s[%d]' % (path, index))


def test_report_json_follows_the_versioned_schema():
    collector = fleet_collector()
    collector.add_result('fw-err', {'failed': True, 'msg': 'boom', 'cause': 'api',
                                    'compliance': compliance_record('unifi', 'p2p_threat', 'error', ['boom'])})
    report = json.loads(render_json(build_report(collector, generated=GENERATED)))
    assert report['schema_version'] == SCHEMA_VERSION
    _validate_structure(REPORT_JSON_SCHEMA, report)
    jsonschema = pytest.importorskip('jsonschema')
    jsonschema.validate(report, REPORT_JSON_SCHEMA)


def test_structure_validator_catches_a_missing_key():
    report = build_report(fleet_collector(), generated=GENERATED)
    del report['devices'][0]['records'][0]['status']
    with pytest.raises(AssertionError):
        _validate_structure(REPORT_JSON_SCHEMA, report)


def _fleet(*rows):
    collector = ReportCollector()
    for host, vendor, workaround, status in rows:
        collector.add_result(host, module_result(vendor, workaround, status))
    return build_report(collector, generated=GENERATED)


def test_static_port_with_panos_selective_rule_is_a_conflict_with_tag_scoped_advice():
    report = _fleet(('fw-pf', 'pfsense', 'static_port', 'drift'), ('fw-pa', 'panos', 'selective_source_port', 'manual'))
    assert [note['id'] for note in report['notes']] == ['randomize_client_port_conflict']
    note = report['notes'][0]
    assert note['level'] == 'warning'
    assert 'randomize-client-port' in note['text'] and 'nodeAttrs' in note['text']
    assert note['hosts'] == ['fw-pf', 'fw-pa']


def test_fortinet_with_legacy_panos_is_a_possible_conflict():
    report = _fleet(('fw-fg', 'fortinet', 'randomize_port', 'manual'), ('fw-pa', 'panos', 'persistent_dipp', 'manual'))
    assert [note['id'] for note in report['notes']] == ['randomize_client_port_possible_conflict']
    assert 'older than 11.1.1' in report['notes'][0]['text']


def test_recipes_wanting_randomize_port_alone_get_an_info_note():
    report = _fleet(('fw-op', 'opnsense', 'static_port', 'compliant'), ('fw-pa', 'panos', 'persistent_dipp', 'drift'))
    assert [(note['id'], note['level']) for note in report['notes']] == [('randomize_client_port_wanted', 'info')]


def test_no_note_without_a_recipe_that_wants_randomize_port():
    report = _fleet(('fw-pf', 'pfsense', 'natpmp', 'drift'), ('fw-pa', 'panos', 'persistent_dipp', 'manual'),
                    ('fw-cp', 'checkpoint', 'none', 'not_applicable'))
    assert report['notes'] == []


def test_rolled_back_or_not_applicable_recipes_do_not_count():
    collector = ReportCollector()
    result = module_result('pfsense', 'static_port', 'drift')
    result['compliance']['state'] = 'absent'
    collector.add_result('fw-pf', result)
    collector.add_result('fw-pa', module_result('panos', 'selective_source_port', 'manual'))
    assert build_report(collector, generated=GENERATED)['notes'] == []


def test_markdown_escapes_table_cells_and_lists_every_record():
    collector = fleet_collector()
    collector.add_result('fw-pipe', module_result('unifi', 'p2p_threat', 'drift', findings=['a | b\nnext line']))
    text = render_markdown(build_report(collector, generated=GENERATED))
    assert 'a \\| b<br>next line' in text
    assert text.count('| fw-pf | pfSense |') == 2
    assert '## fw-um: Cisco with Cisco Umbrella Endpoint Security (cisco_umbrella)' in text
    assert '| no_workaround | 1 | 1 |' in text


def test_html_is_self_contained_and_escapes_device_text():
    collector = fleet_collector()
    collector.add_result('fw-<b>', module_result('unifi', 'p2p_threat', 'drift', findings=['<script>alert(1)</script>']))
    page = render_html(build_report(collector, generated=GENERATED))
    assert '<script>' not in page
    assert '&lt;script&gt;alert(1)&lt;/script&gt;' in page
    assert 'data-host="fw-&lt;b&gt;"' in page
    assert not re.search(r'(src|href)=|@import|url\(', page), 'the page must not load anything'
    assert '<td class="status status-no_workaround" data-status="no_workaround">no_workaround</td>' in page


def test_summary_table_lists_every_record_and_the_paths():
    report = build_report(fleet_collector(), generated=GENERATED)
    text = render_summary_table(report, {'html': '/tmp/r/audit-report.html'})
    lines = text.splitlines()
    assert lines[0] == 'DIRECTPATH AUDIT REPORT (check mode): 4 device(s), 5 record(s), headline: fixable'
    assert re.search(r'^fw-pa\s+panos\s+persistent_dipp\s+drift\s+no change\s+4/0$', text, re.M)
    assert 'records: drift 2, no_workaround 1, compliant 1, not_applicable 1' in text
    assert 'HEADLINE: Not fixed yet: 2 record(s) on fw-pa, fw-pf are in drift; the remediate playbook can fix them.' in text
    assert lines[-1] == 'report (html): /tmp/r/audit-report.html'


def test_write_report_uses_prefix_and_creates_the_directory(tmp_path):
    report = build_report(fleet_collector(), generated=GENERATED)
    target = tmp_path / 'demo-output'
    paths = write_report(report, str(target), 'audit-before')
    assert sorted(os.path.basename(path) for path in paths.values()) == ['audit-before.html', 'audit-before.json', 'audit-before.md']
    assert json.loads((target / 'audit-before.json').read_text())['summary']['records'] == 5
    assert sorted(os.listdir(str(target))) == ['audit-before.html', 'audit-before.json', 'audit-before.md'], 'no temporary file left'


def test_write_report_rejects_an_unknown_format(tmp_path):
    with pytest.raises(ValueError, match='unknown report format'):
        write_report(build_report(fleet_collector(), generated=GENERATED), str(tmp_path), formats=['pdf'])


def test_tailscale_node_records_are_reported_as_nodes():
    collector = ReportCollector()
    collector.add_result('node-1', module_result('tailscale', 'direct_path', 'drift', reads=2))
    device = build_report(collector, generated=GENERATED)['devices'][0]
    assert (device['firewall'], device['expected'], device['status']) == ('Tailscale node', 'Connects directly to its peers', 'drift')


# Issue 10 item 8: device-provided text must not become live HTML in a Markdown renderer.
def test_markdown_makes_device_provided_html_inert():
    collector = ReportCollector()
    collector.add_result('fw-<img src=x onerror=alert(1)>', module_result(
        'panos', 'persistent_dipp', 'drift', findings=["NAT rule '<script>alert(1)</script>' & co"],
        advice=['<b>reboot</b>']))
    text = render_markdown(build_report(collector, generated=GENERATED))
    assert '<script>' not in text and '<img' not in text and '<b>' not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;' &amp; co" in text
    assert '## fw-&lt;img src=x onerror=alert(1)&gt;: Palo Alto Networks (panos)' in text
    assert '&lt;b&gt;reboot&lt;/b&gt;' in text


# Issue 10 item 9: the report holds the fleet's firewall layout.
def test_write_report_is_private_by_default(tmp_path):
    target = tmp_path / 'reports'
    paths = write_report(build_report(fleet_collector(), generated=GENERATED), str(target), 'audit')
    assert os.stat(str(target)).st_mode & 0o777 == 0o700
    for path in paths.values():
        assert os.stat(path).st_mode & 0o777 == 0o600, path
    # An existing file (an older, world-readable report) is replaced by a private one.
    os.chmod(paths['json'], 0o644)
    write_report(build_report(fleet_collector(), generated=GENERATED), str(target), 'audit')
    assert os.stat(paths['json']).st_mode & 0o777 == 0o600


def test_write_report_shared_follows_the_umask(tmp_path):
    old = os.umask(0o002)
    try:
        paths = write_report(build_report(fleet_collector(), generated=GENERATED), str(tmp_path / 'team'), 'audit', shared=True)
    finally:
        os.umask(old)
    assert os.stat(str(tmp_path / 'team')).st_mode & 0o777 == 0o775
    assert set(os.stat(path).st_mode & 0o777 for path in paths.values()) == {0o664}


def test_write_report_keeps_the_permissions_of_an_existing_directory(tmp_path):
    os.chmod(str(tmp_path), 0o755)
    paths = write_report(build_report(fleet_collector(), generated=GENERATED), str(tmp_path), 'audit')
    assert os.stat(str(tmp_path)).st_mode & 0o777 == 0o755
    assert os.stat(paths['md']).st_mode & 0o777 == 0o600


# Issue 10 item 6: the headline answers "is everything that can be fixed fixed, what needs a person,
# what is informational"; a fixed fleet with a Cisco Umbrella row reads as fixed.
def test_headline_groups_cover_every_status_once():
    grouped = [status for dummy, statuses in HEADLINE_GROUPS for status in statuses]
    assert sorted(grouped) == sorted(COMPLIANCE_STATUSES)


@pytest.mark.parametrize('rows, verdict, text', [
    ([('fw-pa', 'panos', 'persistent_dipp', 'compliant'), ('fw-um', 'cisco_umbrella', 'none', 'no_workaround'),
      ('fw-cp', 'checkpoint', 'none', 'not_applicable')],
     'fixed', 'Everything that can be fixed is fixed. Nothing needs a person. For information only (no workaround exists, '
              'or none is needed): fw-cp, fw-um.'),
    ([('fw-pa', 'panos', 'persistent_dipp', 'compliant'), ('fw-bc', 'barracuda', 'open_port', 'manual')],
     'needs_person', 'Everything this collection can fix is fixed. Needs a person (manual): fw-bc.'),
    ([('fw-pa', 'panos', 'persistent_dipp', 'drift'), ('fw-bc', 'barracuda', 'open_port', 'manual')],
     'fixable', 'Not fixed yet: 1 record(s) on fw-pa are in drift; the remediate playbook can fix them. '
                'Needs a person (manual): fw-bc.'),
    ([('fw-pa', 'panos', 'persistent_dipp', 'drift'), ('fw-pf', 'pfsense', 'natpmp', 'error')],
     'error', 'Not known: 1 firewall(s) could not be audited or changed (fw-pf). Fixable by remediate: 1 record(s) on fw-pa.'),
])
def test_headline_verdict_and_text(rows, verdict, text):
    report = _fleet(*rows)
    headline = report['summary']['headline']
    assert (headline['verdict'], headline['text']) == (verdict, text)
    assert verdict in HEADLINE_VERDICTS
    _validate_structure(REPORT_JSON_SCHEMA, report)
    assert '**Headline: %s.** %s' % (verdict, text) in render_markdown(report)
    page = render_html(report)
    assert 'data-verdict="%s"' % verdict in page
    assert 'HEADLINE: %s' % text in render_summary_table(report)


def test_fixed_fleet_with_an_umbrella_row_counts_each_group():
    headline = _fleet(('fw-pa', 'panos', 'persistent_dipp', 'compliant'),
                      ('fw-um', 'cisco_umbrella', 'none', 'no_workaround'))['summary']['headline']
    assert headline['fixed'] == {'records': 1, 'hosts': ['fw-pa']}
    assert headline['informational'] == {'records': 1, 'hosts': ['fw-um']}
    assert headline['fixable'] == headline['needs_person'] == {'records': 0, 'hosts': []}


# Issue 10 item 5: every rendering says per record whether it changed (would change) or was applied.
def test_change_and_applied_are_shown_per_record():
    collector = ReportCollector()
    applied = module_result('pfsense', 'natpmp', 'compliant', changed=True)
    applied['compliance'].update(changed=True, applied=True)
    collector.add_result('fw-pf', applied, check_mode=False)
    would = module_result('panos', 'persistent_dipp', 'drift', changed=True)
    would['compliance']['changed'] = True
    collector.add_result('fw-pa', would, check_mode=True)
    collector.add_result('fw-cp', module_result('checkpoint', 'none', 'not_applicable'), check_mode=True)
    report = build_report(collector, generated=GENERATED)
    records = dict((d['host'], d['records'][0]) for d in report['devices'])
    assert (records['fw-pf']['changed'], records['fw-pf']['applied']) == (True, True)
    assert (records['fw-pa']['changed'], records['fw-pa']['applied']) == (True, False)
    table = render_summary_table(report)
    assert re.search(r'^fw-pf\s+pfsense\s+natpmp\s+compliant\s+applied\s', table, re.M)
    assert re.search(r'^fw-pa\s+panos\s+persistent_dipp\s+drift\s+would change\s', table, re.M)
    assert re.search(r'^fw-cp\s+checkpoint\s+none\s+not_applicable\s+no change\s', table, re.M)
    markdown = render_markdown(report)
    assert '| fw-pf | pfSense | natpmp | compliant | applied | 1/0 |' in markdown
    assert '| persistent_dipp | drift | would change |' in markdown
    page = render_html(report)
    assert '<td class="change" data-applied="true" data-changed="true">applied</td>' in page
    assert '<td class="change" data-applied="false" data-changed="true">would change</td>' in page


def test_record_changed_comes_from_the_compliance_record_first():
    collector = ReportCollector()
    result = module_result('pfsense', 'natpmp', 'compliant', changed=True)
    result['compliance']['changed'] = False
    collector.add_result('fw-pf', result)
    assert collector.records()[0]['changed'] is False


# Issue 10 item 2: a failure outside a module still names its cause.
@pytest.mark.parametrize('action, result, unreachable, cause, workaround', [
    ('ansible.builtin.validate_argument_spec',
     {'failed': True, 'msg': 'Validation of arguments failed:\nvalue of directpath_state must be one of: present, absent, got: absnt',
      'argument_errors': ['value of directpath_state must be one of: present, absent, got: absnt']},
     False, 'input', 'validate_argument_spec'),
    ('directpath.firewall.panos_persistent_dipp', {'failed': True, 'msg': "Task failed: 'vault_panos_api_key' is undefined"},
     False, 'input', 'panos_persistent_dipp'),
    ('directpath.firewall.pfsense_natpmp', {'unreachable': True, 'msg': 'ssh: connect to host 127.0.0.1 port 9: Connection refused'},
     True, 'unreachable', 'pfsense_natpmp'),
    ('ansible.builtin.command', {'failed': True, 'msg': 'non-zero return code'}, False, 'task', 'command'),
    ('directpath.firewall.panos_persistent_dipp', {'failed': True, 'msg': 'no pan-os-python', 'cause': 'dependency'},
     False, 'dependency', 'panos_persistent_dipp'),
])
def test_failure_record_names_the_cause(action, result, unreachable, cause, workaround):
    record = failure_record('panos', action, result, task='t', check_mode=True, unreachable=unreachable)
    assert (record['status'], record['cause'], record['workaround']) == ('error', cause, workaround)
    assert record['findings'] == [record['msg']]
    assert '\n' not in record['msg']


def test_unreported_host_record_is_an_error_saying_it_was_not_audited():
    record = unreported_host_record('opnsense', 'Audit the firewalls')
    assert (record['status'], record['cause'], record['workaround']) == ('error', 'not_run', 'not_audited')
    assert "in play 'Audit the firewalls'" in record['findings'][0]


def _demo_check(tmp_path, before_rows, after_rows):
    import subprocess
    import sys
    import ansible_collections.directpath.firewall.plugins.plugin_utils.report as report_module
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(report_module.__file__))))
    script = os.path.join(root, 'scripts', 'demo_check.py')
    if not os.path.isfile(script):
        pytest.skip('scripts/demo_check.py is not part of this copy of the collection')
    paths = []
    for name, rows in (('before', before_rows), ('after', after_rows)):
        path = tmp_path / ('%s.json' % name)
        path.write_text(render_json(_fleet(*rows)))
        paths.append(str(path))
    return subprocess.run([sys.executable, script] + paths, capture_output=True, text=True, check=False)


# Issue 10 item 6: the demo ends with the headline, and a fixed fleet with a Cisco Umbrella row passes.
def test_demo_check_reads_a_fixed_fleet_with_an_umbrella_row_as_fixed(tmp_path):
    umbrella = ('umbrella-laptops', 'cisco_umbrella', 'none', 'no_workaround')
    process = _demo_check(tmp_path, [('panos-1', 'panos', 'persistent_dipp', 'drift'), umbrella],
                          [('panos-1', 'panos', 'persistent_dipp', 'compliant'), umbrella])
    assert process.returncode == 0, process.stderr
    lines = process.stdout.splitlines()
    assert lines[-2].startswith('headline before: fixable. Not fixed yet: 1 record(s) on panos-1 are in drift')
    assert lines[-1] == ('headline after:  fixed. Everything that can be fixed is fixed. Nothing needs a person. '
                         'For information only (no workaround exists, or none is needed): umbrella-laptops.')
    assert 'overall' not in process.stdout


def test_demo_check_fails_when_the_after_headline_is_not_fixed(tmp_path):
    process = _demo_check(tmp_path, [('panos-1', 'panos', 'persistent_dipp', 'drift')],
                          [('panos-1', 'panos', 'persistent_dipp', 'error')])
    assert process.returncode == 1
    assert 'the headline of the second audit is error, not fixed' in process.stderr


def test_next_step_after_a_rollback_does_not_say_confirm_direct_connections():
    from ansible_collections.directpath.firewall.plugins.plugin_utils.report import normalise_record
    rolled_back = normalise_record(compliance_record('panos', 'persistent_dipp', 'compliant', ['changed lan-out: a → b'],
                                                     state='absent', changed=True, applied=True))
    assert 'Rolled back' in rolled_back['next_step']
    assert 'connect directly' not in rolled_back['next_step']
    nothing_left = normalise_record(compliance_record('panos', 'persistent_dipp', 'compliant', [], state='absent'))
    assert 'Nothing of this workaround is in place' in nothing_left['next_step']
    still_there = normalise_record(compliance_record('panos', 'persistent_dipp', 'drift', ['x'], state='absent', changed=True))
    assert 'directpath_state: absent' in still_there['next_step']
    applied = normalise_record(compliance_record('panos', 'persistent_dipp', 'compliant', [], state='present',
                                                 changed=True, applied=True))
    assert applied['next_step'].startswith('Applied.')
    found = normalise_record(compliance_record('panos', 'persistent_dipp', 'compliant', [], state='present'))
    assert found['next_step'].startswith('Nothing to change.')
