# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Device safety of the four on-box modules (issue 9 items 8-17, issue 10 item 1), against the fake boxes.

Each test failed on the code before its fix (checked against the previous commit).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import stat
import time
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.directpath.firewall.plugins.modules import (
    opnsense_natpmp,
    opnsense_static_port,
    pfsense_natpmp,
    pfsense_static_port,
)
from ansible_collections.directpath.firewall.tests.simulators.fakebox import create_box, seeds
from ansible_collections.directpath.firewall.tests.simulators.fakebox.apply import ApplyError, pfsense_parse
from ansible_collections.directpath.firewall.tests.simulators.fakebox.harness import run_module

MODULES = {
    ('pfsense', 'natpmp'): pfsense_natpmp,
    ('pfsense', 'static_port'): pfsense_static_port,
    ('opnsense', 'natpmp'): opnsense_natpmp,
    ('opnsense', 'static_port'): opnsense_static_port,
}
HOSTS = {'pfsense': ['198.18.10.21', '198.18.10.22'], 'opnsense': ['198.18.30.21', '198.18.30.22']}
ALL = sorted(MODULES)


def make_box(tmp_path, product, **kwargs):
    return create_box(product, str(tmp_path / product), **kwargs)


def args(box, workaround, **extra):
    values = dict(box.module_args(workaround), tailscale_hosts=HOSTS[box.product])
    if workaround == 'natpmp' and box.product == 'pfsense':
        values['interfaces'] = ['lan', 'opt1']
    values.update(extra)
    return values


def run(box, workaround, check_mode=False, **extra):
    return run_module(MODULES[(box.product, workaround)], args(box, workaround, **extra), check_mode=check_mode)


def strip_record(box):
    """What a box configured by hand looks like: our settings, no record of ours."""
    text = box.config_bytes().decode('utf-8')
    text = re.sub(r'\s*<directpath_firewall>.*?</directpath_firewall>', '', text, flags=re.S)
    with open(box.config_path, 'w') as handle:
        handle.write(text)


def root(box):
    return ET.fromstring(box.config_bytes())


def acl_lines(box):
    node = root(box).find('installedpackages/miniupnpd/config')
    if box.product == 'pfsense':
        return [row.findtext('permuser') for row in node.findall('row')]
    return [node.findtext('permuser%d' % i) for i in range(1, 20) if node.findtext('permuser%d' % i)]


# ---- issue 10 item 1: bookkeeping is never compared, and records only what we added ------------------------

@pytest.mark.parametrize('product', ['pfsense', 'opnsense'])
def test_hand_configured_natpmp_box_is_compliant_and_absent_keeps_the_admins_lines(tmp_path, product):
    box = make_box(tmp_path, product)
    assert run(box, 'natpmp')['changed'] is True
    strip_record(box)
    configured = acl_lines(box)
    before = box.snapshot()
    result = run(box, 'natpmp')
    assert result['changed'] is False and result['compliance']['status'] == 'compliant'
    assert result['api_calls']['writes'] == 0 and box.snapshot() == before
    assert 'diff' not in result or result['diff'] == {'before': {}, 'after': {}}
    result = run(box, 'natpmp', state='absent', tailscale_hosts=None)
    assert result['changed'] is False and result['api_calls']['writes'] == 0
    assert acl_lines(box) == configured and box.snapshot() == before


@pytest.mark.parametrize('product', ['pfsense', 'opnsense'])
def test_hand_configured_static_port_box_is_compliant_and_absent_keeps_the_admins_mode(tmp_path, product):
    box = make_box(tmp_path, product, nat_mode='hybrid')
    assert run(box, 'static_port')['changed'] is True
    strip_record(box)
    before = box.snapshot()
    result = run(box, 'static_port')
    assert result['changed'] is False and result['compliance']['status'] == 'compliant'
    assert result['api_calls']['writes'] == 0 and box.snapshot() == before
    run(box, 'static_port', state='absent', tailscale_hosts=None)
    assert root(box).findtext('nat/outbound/mode') == 'hybrid'


@pytest.mark.parametrize('product', ['pfsense', 'opnsense'])
def test_absent_does_not_write_only_to_drop_bookkeeping(tmp_path, product):
    box = make_box(tmp_path, product)
    run(box, 'static_port')
    # The administrator removed our rules by hand and chose advanced mode: nothing of ours is left to undo.
    text = box.config_bytes().decode('utf-8')
    text = re.sub(r'\s*<rule>(?:(?!</rule>).)*directpath\.firewall:.*?</rule>', '', text, flags=re.S)
    text = re.sub(r'\s*<alias>\s*<name>directpath_tailscale</name>.*?</alias>', '', text, flags=re.S)
    text = text.replace('<mode>hybrid</mode>', '<mode>advanced</mode>')
    with open(box.config_path, 'w') as handle:
        handle.write(text)
    before = box.snapshot()
    result = run(box, 'static_port', state='absent', tailscale_hosts=None)
    assert result['changed'] is False and result['api_calls']['writes'] == 0 and box.snapshot() == before


# ---- issue 9 item 14: pfSense must be able to read what we write -------------------------------------------

@pytest.mark.parametrize('workaround', ['natpmp', 'static_port'])
def test_pfsense_parser_reads_every_file_we_write(tmp_path, workaround):
    box = make_box(tmp_path, 'pfsense')
    result = run(box, workaround, enable_upnp=True) if workaround == 'natpmp' else run(box, workaround)
    assert result.get('failed') is not True, result.get('msg')
    box.pfsense_view()  # raises like pfSense's parse_xml_config when pfSense would refuse the file
    assert run(box, workaround, state='absent', tailscale_hosts=None).get('failed') is not True
    box.pfsense_view()


def test_fake_box_refuses_a_repeated_element_pfsense_refuses(tmp_path):
    box = make_box(tmp_path, 'pfsense')
    text = box.config_bytes().decode('utf-8').replace('<hostname>fw-branch</hostname>',
                                                      '<hostname>fw-branch</hostname><hostname>again</hostname>')
    with pytest.raises(ApplyError, match='HOSTNAME at line [0-9]+ cannot occur more than once'):
        pfsense_parse(text.encode('utf-8'))


# ---- issue 9 item 15: every field we do not own reads back exactly as before ---------------------------------

def _without_ours(view):
    view = dict(view)
    view.pop('revision', None)
    packages = dict(view.get('installedpackages') or {})
    packages.pop('miniupnpd', None)
    packages.pop('directpath_firewall', None)
    view['installedpackages'] = packages
    nat = view.get('nat')
    if isinstance(nat, dict):
        outbound = dict(nat['outbound'])
        outbound.pop('mode', None)
        outbound['rule'] = [rule for rule in outbound.get('rule') or [] if not rule['descr'].startswith('directpath.firewall:')]
        view['nat'] = dict(nat, outbound=outbound)
    aliases = view.get('aliases')
    if isinstance(aliases, dict):
        view['aliases'] = dict(aliases, alias=[alias for alias in aliases['alias'] if alias['name'] != 'directpath_tailscale'])
    return view


@pytest.mark.parametrize('workaround', ['natpmp', 'static_port'])
def test_cdata_and_entities_read_back_unchanged_in_pfsense(tmp_path, workaround):
    box = make_box(tmp_path, 'pfsense')
    before = box.pfsense_view()
    assert before['gateways']['gateway_item'][0]['descr'] == 'Uplink A&B'
    assert before['aliases']['alias'][0]['descr'] == 'R&D admin <lab> "x"'
    run(box, workaround)
    after = box.pfsense_view()
    assert _without_ours(after) == _without_ours(before)
    assert b'<![CDATA[Uplink A&amp;B]]>' in box.config_bytes()
    run(box, workaround, state='absent', tailscale_hosts=None)
    assert _without_ours(box.pfsense_view()) == _without_ours(before)


# ---- issue 9 item 8: the product's config lock around the whole read-modify-write-apply -----------------------

def _run_in_child(box_root, product, workaround, extra, queue):
    from ansible_collections.directpath.firewall.tests.simulators.fakebox import FakeBox
    box = FakeBox(box_root)
    queue.put(run(box, workaround, **extra))


def _start(box, workaround, **extra):
    context = multiprocessing.get_context('fork')
    queue = context.Queue()
    process = context.Process(target=_run_in_child, args=(box.root, box.product, workaround, extra, queue))
    process.start()
    return process, queue


@pytest.mark.parametrize('product,workaround', ALL)
def test_module_waits_for_the_product_lock_and_loses_no_update(tmp_path, product, workaround):
    box = make_box(tmp_path, product)
    started = []

    def admin_save(text):
        # Another administrator's save is under way: it holds the lock and has read the file.
        started.append(_start(box, workaround))
        time.sleep(1.0)
        assert box.journal() == [] and box.backups() == []   # the module waits: nothing written, nothing applied
        return text.replace('<hostname>fw-', '<hostname>admin-renamed-fw-')

    box.write_as_product(admin_save)
    process, queue = started[0]
    result = queue.get(timeout=60)
    process.join(10)
    assert result.get('failed') is not True, result.get('msg')
    assert result['changed'] is True
    assert root(box).findtext('system/hostname').startswith('admin-renamed-')   # their change is kept
    assert run(box, workaround)['changed'] is False                             # and ours too


@pytest.mark.parametrize('product', ['pfsense', 'opnsense'])
def test_natpmp_and_static_port_at_once_both_land(tmp_path, product):
    # The race of issue 9 item 8 (two modules on one box, as strategy: free runs them): both changes stay.
    for attempt in range(6):
        box = make_box(tmp_path / str(attempt), product)
        started = [_start(box, 'natpmp'), _start(box, 'static_port')]
        results = []
        for process, queue in started:
            results.append(queue.get(timeout=120))
            process.join(10)
        assert all(result.get('failed') is not True for result in results), results
        assert all(result['changed'] is True for result in results)
        assert run(box, 'natpmp')['changed'] is False and run(box, 'static_port')['changed'] is False


@pytest.mark.parametrize('product', ['pfsense', 'opnsense'])
def test_lock_held_too_long_fails_with_cause_lock_and_changes_nothing(tmp_path, product):
    box = make_box(tmp_path, product)
    before = box.snapshot()
    with box.lock():
        result = run(box, 'natpmp', lock_timeout=1)
    assert result['failed'] is True and result['cause'] == 'lock' and result['device_unchanged'] is True
    assert 'lock' in result['msg'] and box.snapshot() == before


# ---- issue 9 item 9: a rollback never clobbers someone else's change ------------------------------------------

@pytest.mark.parametrize('product,workaround', ALL)
def test_failed_apply_does_not_restore_over_another_writers_change(tmp_path, product, workaround):
    box = make_box(tmp_path, product)
    box.inject('concurrent_write', count=1)
    result = run(box, workaround)
    assert result['failed'] is True and result['cause'] == 'commit'
    assert result['device_unchanged'] is False
    assert 'another writer' in result['msg']
    assert b'other_admin' in box.config_bytes()


# ---- issue 9 item 10: an apply that hangs -----------------------------------------------------------------

def _alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        with open('/proc/%d/stat' % pid) as handle:
            return handle.read().split(') ')[1].split()[0] != 'Z'
    except (IOError, OSError):
        return False


@pytest.mark.parametrize('product,workaround', [('pfsense', 'natpmp'), ('opnsense', 'static_port')])
def test_hanging_apply_is_killed_with_its_children_then_restored_and_reapplied(tmp_path, product, workaround):
    box = make_box(tmp_path, product)
    original = box.config_bytes()
    box.inject('apply_hang', count=1)
    started = time.monotonic()
    result = run(box, workaround, apply_timeout=2)
    assert time.monotonic() - started < 60
    assert result['failed'] is True and result['cause'] == 'commit' and 'apply_timeout' in result['msg']
    with open(box.path('var', 'run', 'hang.pids')) as handle:
        pids = [int(pid) for pid in handle.read().split()]
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in pids)
    assert box.config_bytes() == original
    assert box.journal()[-1]['ok'] is True and result['device_unchanged'] is True


@pytest.mark.parametrize('product', ['pfsense', 'opnsense'])
def test_stopping_the_module_during_a_hanging_apply_leaves_no_orphan_and_restores(tmp_path, product):
    box = make_box(tmp_path, product)
    original = box.config_bytes()
    box.inject('apply_hang', count=1)
    process, queue = _start(box, 'natpmp')
    pids_file = box.path('var', 'run', 'hang.pids')
    deadline = time.monotonic() + 30
    while not os.path.exists(pids_file) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.2)
    with open(pids_file) as handle:
        pids = [int(pid) for pid in handle.read().split()]
    os.kill(process.pid, signal.SIGTERM)     # what the play's end (SIGHUP of the SSH session, SIGTERM) does
    result = queue.get(timeout=60)
    process.join(10)
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in pids)
    assert result['failed'] is True and 'signal' in result['msg'] and result['device_unchanged'] is True
    assert box.config_bytes() == original and box.journal()[-1]['ok'] is True


# ---- issue 9 item 11: no false RESTORE FAILED; the directory is fsynced -----------------------------------------

@pytest.mark.parametrize('product', ['pfsense', 'opnsense'])
def test_write_that_never_happened_is_not_a_restore_failure(tmp_path, monkeypatch, product):
    import tempfile
    box = make_box(tmp_path, product)
    before = box.snapshot()

    def read_only(*args, **kwargs):
        raise OSError(30, 'Read-only file system')

    monkeypatch.setattr(tempfile, 'mkstemp', read_only)
    result = run(box, 'natpmp')
    assert result['failed'] is True and result['device_unchanged'] is True
    assert 'RESTORE FAILED' not in result['msg'] and 'Read-only file system' in result['msg']
    assert box.snapshot() == before


def test_rename_is_followed_by_a_directory_fsync(tmp_path, monkeypatch):
    box = make_box(tmp_path, 'pfsense')
    synced = []
    real_fsync = os.fsync

    def recording_fsync(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        return real_fsync(fd)

    monkeypatch.setattr(os, 'fsync', recording_fsync)
    assert run(box, 'natpmp')['changed'] is True
    assert True in synced


# ---- issue 9 item 12: input the product would refuse -------------------------------------------------------

@pytest.mark.parametrize('product', ['pfsense', 'opnsense'])
@pytest.mark.parametrize('option,value', [
    ('external_ports', '\u00b2'),
    ('external_ports', '\u0661\u0660\u0662\u0664-\u0666\u0665\u0665\u0663\u0665'),
    ('internal_ports', '\uff11\uff10\uff12\uff14'),
    ('external_ports', '2000-1000'),
    ('interfaces', ['lan,wan']),
])
def test_natpmp_refuses_what_the_product_refuses(tmp_path, product, option, value):
    box = make_box(tmp_path, product)
    before = box.snapshot()
    for check_mode in (True, False):
        result = run(box, 'natpmp', check_mode=check_mode, **{option: value})
        assert result['failed'] is True and result['cause'] == 'input', result
        assert option in result['msg']
    assert box.snapshot() == before


@pytest.mark.parametrize('product', ['pfsense', 'opnsense'])
@pytest.mark.parametrize('hosts', [[], ['fe80::1%eth0']])
def test_static_port_refuses_empty_and_scoped_hosts(tmp_path, product, hosts):
    box = make_box(tmp_path, product)
    before = box.snapshot()
    result = run(box, 'static_port', tailscale_hosts=hosts)
    assert result['failed'] is True and result['cause'] == 'input' and 'tailscale_hosts' in result['msg']
    assert box.snapshot() == before


# ---- issue 9 item 16: interface names are checked against <interfaces>, in check mode too ----------------------

@pytest.mark.parametrize('product', ['pfsense', 'opnsense'])
@pytest.mark.parametrize('workaround,extra', [
    ('natpmp', {'interfaces': ['LAN']}),
    ('natpmp', {'interfaces': ['opt2']}),
    ('natpmp', {'external_interface': 'wan2'}),
    ('static_port', {'interface': 'opt9'}),
])
def test_unknown_interfaces_are_refused_naming_the_ones_that_exist(tmp_path, product, workaround, extra):
    box = make_box(tmp_path, product)
    before = box.snapshot()
    for check_mode in (True, False):
        result = run(box, workaround, check_mode=check_mode, **extra)
        assert result['failed'] is True and result['cause'] == 'input'
        assert 'wan, lan, opt1' in result['msg']
    assert box.snapshot() == before


# ---- issue 9 item 17: files shaped like real boxes -----------------------------------------------------------

@pytest.mark.parametrize('product', ['pfsense', 'opnsense'])
@pytest.mark.parametrize('workaround', ['natpmp', 'static_port'])
def test_field_shaped_config_round_trip_leaves_no_section_we_created(tmp_path, product, workaround):
    box = make_box(tmp_path, product, config_text=seeds.field_config(product))
    original = root(box)
    result = run(box, workaround)
    assert result.get('failed') is not True, result.get('msg')
    assert result['changed'] is True
    if product == 'pfsense':
        box.pfsense_view()
    assert run(box, workaround)['changed'] is False
    result = run(box, workaround, state='absent', tailscale_hosts=None)
    assert result.get('failed') is not True, result.get('msg')
    final = root(box)
    for section in ('installedpackages', 'installedpackages/miniupnpd', 'nat', 'aliases'):
        assert (final.find(section) is None) == (original.find(section) is None), section


def test_pfsense_backup_cache_lists_the_backup(tmp_path):
    from ansible_collections.directpath.firewall.plugins.module_utils.transport.configxml import php_unserialize
    box = make_box(tmp_path, 'pfsense')
    run(box, 'natpmp')
    with open(os.path.join(box.backup_dir, 'backup.cache'), 'rb') as handle:
        cache = php_unserialize(handle.read())
    size = os.path.getsize(os.path.join(box.backup_dir, 'config-1700000100.xml'))
    assert cache == {1700000100: {'description': 'admin@198.18.10.20 (Local Database): Firewall: NAT: Outbound - saved '
                                                 'outbound NAT settings.', 'version': '23.3', 'filesize': size}}


def test_opnsense_revision_time_is_written_as_php_prints_microtime(tmp_path, monkeypatch):
    # Config::updateRevision stores microtime(true); PHP prints a float with precision=14.
    box = make_box(tmp_path, 'opnsense')
    monkeypatch.setattr(time, 'time', lambda: 1764563000.123456)
    run(box, 'natpmp')
    assert root(box).findtext('revision/time') == '1764563000.1235'
    assert 'config-1764563000.1235.xml' in box.backups()
