# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench: the audit, a remediation and a re-run of a simulated fleet, against the floor.

For each fleet size (default 10, 100 and 1000 firewalls; a mix of every vendor the fleet launcher
has, PAN-OS-heavy) this starts the simulators on loopback (tests/simulators/fleet.py) and runs,
with the same ansible.cfg (forks, strategy, interpreter) and inventory:

  floor      ansible all -m ansible.builtin.ping -c local   (a module process per host, nothing else)
  audit      ansible-playbook directpath.firewall.audit      (check mode)
  remediate  ansible-playbook directpath.firewall.remediate
  rerun      ansible-playbook directpath.firewall.remediate  (nothing left to change)

and measures for each: wall time, controller CPU seconds (the ansible process and every process it
waited for), peak memory of the controller's process tree, firewalls per second, the simulators'
CPU seconds, API round trips per firewall by vendor (from the simulators' journals), and the ratio
of wall time and CPU to the floor. ``--experiments`` adds the settings comparison that
docs/performance.md quotes (forks, strategy, pipelining, fact gathering).

Writes OUT/results.json and OUT/results.md; logs and audit reports under OUT/runs/. The targets
live here (TARGETS), never in the tests; the exit status is 1 when one is missed.

Run with PYTHONPATH holding ansible_collections/directpath/firewall (scripts/bench.sh does).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from ansible_collections.directpath.firewall.tests.simulators.fleet import VENDOR_FACTORIES

# Targets, checked on the largest size run (docs/performance.md). Ratios are wall time to the floor's.
TARGETS = {
    'audit_to_floor_max': 0.5,        # the goal; the stretch goal is 0.25
    'audit_to_floor_must': 1.0,       # below the floor in any case
    'remediate_to_floor_max': 1.0,
    'audit_writes': 0,
    'rerun_writes': 0,
    'rerun_changed': 0,
}
# PAN-OS-heavy, like real fleets: the rest is shared evenly by the other vendors (one each at least).
PANOS_SHARE = 0.7
# Inventory hosts that are not firewalls: one per fleet, whatever its size (a fleet has one tailnet).
ONE_PER_FLEET = ('tailnet',)
# The Tailscale nodes behind each simulated firewall (addresses on the simulators' LANs), as in make demo.
TAILSCALE_HOSTS = {
    'panos': ['10.0.0.5', '10.0.0.6'],
    'pfsense': ['198.18.10.21'],
    'opnsense': ['198.18.30.21'],
    'barracuda': ['10.10.0.5', '10.10.0.6'],
    'cisco': ['10.0.0.5', '10.0.0.6'],
}
PHASES = ('floor', 'audit', 'remediate', 'rerun')
RECAP = re.compile(r'^(?P<host>\S+)\s*:\s*ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+unreachable=(?P<unreachable>\d+)\s+'
                   r'failed=(?P<failed>\d+)\s+skipped=(?P<skipped>\d+)')
PING_LINE = re.compile(r'^(?P<host>\S+) \| (?P<state>SUCCESS|CHANGED|FAILED!?|UNREACHABLE!?)')


# --------------------------------------------------------------------------------------------------
# The fleet
# --------------------------------------------------------------------------------------------------
def fleet_mix(size, vendors):
    """``{vendor: count}`` summing to ``size``: PAN-OS-heavy, every other vendor at least once, and
    one of each host that is not a firewall (ONE_PER_FLEET)."""
    others = sorted(vendor for vendor in vendors if vendor != 'panos' and vendor not in ONE_PER_FLEET)
    singles = sorted(vendor for vendor in vendors if vendor in ONE_PER_FLEET)
    if 'panos' not in vendors:
        raise SystemExit('bench: the fleet launcher has no panos factory')
    if size < len(others) + len(singles) + 1:
        raise SystemExit('bench: a fleet of %d cannot hold every vendor (%d)' % (size, len(others) + len(singles) + 1))
    each = max(1, int(round(size * (1 - PANOS_SHARE) / max(1, len(others)))))
    mix = {vendor: each for vendor in others}
    mix.update({vendor: 1 for vendor in singles})
    mix['panos'] = size - sum(mix.values())
    if mix['panos'] < 1:
        raise SystemExit('bench: no room for PAN-OS in a fleet of %d' % size)
    return dict(sorted(mix.items()))


def fleet_settings(mix):
    """Simulator options: every second OPNsense box runs 26.7 or later, where the static-port
    workaround goes through the source NAT API simulator (both OPNsense paths in one fleet)."""
    settings = []
    for index in range(2, mix.get('opnsense', 0) + 1, 2):
        settings += ['--set', 'opnsense-%d.version=26.7' % index]
    return settings


class FleetProcess:
    """The fleet launcher as a process of its own (its CPU is not the controller's)."""

    def __init__(self, python, state_dir, mix, log_path, env):
        self.state_dir = Path(state_dir)
        vendors = ','.join('%s:%d' % item for item in mix.items())
        command = [python, '-m', 'ansible_collections.directpath.firewall.tests.simulators.fleet', 'start',
                   '--vendors', vendors, '--state-dir', str(self.state_dir),
                   '--inventory', str(self.state_dir / 'inventory.yml')] + fleet_settings(mix)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._log = open(log_path, 'w', encoding='utf-8')  # pylint: disable=consider-using-with
        started = time.monotonic()
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, env=env)  # pylint: disable=consider-using-with
        ready = self.state_dir / 'ready'
        deadline = started + 60 + 0.2 * sum(mix.values())
        while not ready.exists():
            if self.process.poll() is not None:
                raise SystemExit('bench: the fleet launcher exited (%s); see %s' % (self.process.returncode, log_path))
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit('bench: the fleet was not ready in time; see %s' % log_path)
            time.sleep(0.1)
        self.ready_seconds = time.monotonic() - started
        self.ready = json.loads(ready.read_text(encoding='utf-8'))
        self.inventory = Path(self.ready['inventory'])
        self._context = ssl.create_default_context(cafile=self.ready['ca_path'])

    def _call(self, method, route):
        request = urllib.request.Request(self.ready['control_url'] + route, method=method,
                                         data=b'' if method == 'POST' else None)
        with urllib.request.urlopen(request, context=self._context, timeout=120) as answer:
            return json.loads(answer.read().decode())

    def take_journals(self):
        """Every member's journal since the last take, then cleared."""
        return self._call('POST', '/_fleet/journal/clear')

    def footprint(self):
        return self._call('GET', '/_fleet/footprint')

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


# --------------------------------------------------------------------------------------------------
# Measuring one command
# --------------------------------------------------------------------------------------------------
def _children_map():
    children = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry, 'rb') as handle:
                ppid = int(handle.read().rsplit(b')', 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    return children


def tree_memory_bytes(pid):
    """Proportional set size (PSS: shared pages divided among the processes sharing them, so forked
    workers are not counted twice) of ``pid`` and all its descendants; 0 once it is gone."""
    children = _children_map()
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open('/proc/%d/smaps_rollup' % current, 'rb') as handle:
                for line in handle:
                    if line.startswith(b'Pss:'):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, IndexError, ValueError):
            pass
        pending.extend(children.get(current, ()))
    return total


def measure(command, env, log_path, sample_seconds=0.25):
    """Run ``command``; wall seconds, CPU seconds of it and every process it waited for, the peak
    memory (PSS) of its process tree, the largest single process's peak RSS, and its exit status."""
    with open(log_path, 'w', encoding='utf-8') as log:
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)  # pylint: disable=consider-using-with
        peak = [0]
        main_cpu = [0.0]
        done = threading.Event()
        ticks = os.sysconf('SC_CLK_TCK')

        def sample():
            while not done.wait(sample_seconds):
                peak[0] = max(peak[0], tree_memory_bytes(process.pid))
                try:
                    with open('/proc/%d/stat' % process.pid, 'rb') as handle:
                        fields = handle.read().rsplit(b')', 1)[1].split()
                    # utime and stime of the main process alone (fields 14 and 15 of stat).
                    main_cpu[0] = (int(fields[11]) + int(fields[12])) / ticks
                except (OSError, IndexError, ValueError):
                    pass

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    return {'wall_seconds': round(wall, 3), 'cpu_seconds': round(usage.ru_utime + usage.ru_stime, 3),
            'peak_tree_pss_mb': round(peak[0] / 1e6, 1), 'max_process_rss_mb': round(usage.ru_maxrss / 1e3, 1),
            # The main ansible process (strategy, results, callbacks) is one thread: when this is
            # close to the wall time, more cores or forks on this controller do not help.
            'main_process_cpu_seconds': round(main_cpu[0], 2),
            'rc': process.returncode}


def recap(log_path):
    """Per-host ok/changed/failed/unreachable from a playbook's PLAY RECAP, or a ping's lines."""
    hosts = {}
    text = Path(log_path).read_text(encoding='utf-8', errors='replace')
    for line in text.splitlines():
        match = RECAP.match(line)
        if match:
            hosts[match['host']] = {key: int(match[key]) for key in ('ok', 'changed', 'unreachable', 'failed', 'skipped')}
            continue
        match = PING_LINE.match(line)
        if match:
            state = match['state'].rstrip('!')
            hosts[match['host']] = {'ok': int(state in ('SUCCESS', 'CHANGED')), 'changed': int(state == 'CHANGED'),
                                    'unreachable': int(state == 'UNREACHABLE'), 'failed': int(state == 'FAILED'), 'skipped': 0}
    return hosts


def round_trips(journals):
    """Per vendor: firewalls, round trips per firewall (mean by kind, min/max of the total), ops."""
    by_vendor = {}
    for entry in journals.values():
        vendor = by_vendor.setdefault(entry['vendor'], {'firewalls': 0, 'totals': [], 'kinds': {}, 'ops': {}})
        vendor['firewalls'] += 1
        vendor['totals'].append(sum(entry['counts'].values()))
        for kind, count in entry['counts'].items():
            vendor['kinds'][kind] = vendor['kinds'].get(kind, 0) + count
        for op, count in entry['ops'].items():
            vendor['ops'][op] = vendor['ops'].get(op, 0) + count
    summary = {}
    for name, vendor in sorted(by_vendor.items()):
        count = vendor['firewalls']
        summary[name] = {
            'firewalls': count,
            'per_firewall': round(sum(vendor['totals']) / count, 2),
            'per_firewall_min': min(vendor['totals']),
            'per_firewall_max': max(vendor['totals']),
            'per_firewall_by_kind': {kind: round(total / count, 2) for kind, total in sorted(vendor['kinds'].items())},
            'writes': vendor['kinds'].get('write', 0),
            'ops_per_firewall': {op: round(total / count, 2) for op, total in sorted(vendor['ops'].items())},
        }
    return summary


# --------------------------------------------------------------------------------------------------
# One fleet size
# --------------------------------------------------------------------------------------------------
BENCH_CALLBACKS = Path(__file__).resolve().parent / 'bench_callbacks'


def write_config(path, forks, strategy='linear', pipelining=False, python=sys.executable):
    path.write_text('\n'.join([
        '# Written by scripts/bench.py: the same settings for the floor and every playbook.',
        '[defaults]',
        'forks = %d' % forks,
        'strategy = %s' % strategy,
        # bench_timing (scripts/bench_callbacks) records the wall time of each task.
        'callbacks_enabled = directpath.firewall.audit_report, bench_timing',
        'callback_plugins = %s' % BENCH_CALLBACKS,
        'host_key_checking = false',
        # No interpreter discovery (it would cost the floor a command per host): every host uses this Python.
        'interpreter_python = %s' % python,
        'retry_files_enabled = false',
        'nocolor = true',
        '[connection]',
        'pipelining = %s' % ('true' if pipelining else 'false'),
        '',
    ]), encoding='utf-8')


def group_vars_inventory(path, mix):
    groups = {vendor: {'vars': {'directpath_tailscale_hosts': hosts}} for vendor, hosts in TAILSCALE_HOSTS.items() if vendor in mix}
    path.write_text(json.dumps({'all': {'children': {'firewalls': {'children': groups}}}}, indent=1), encoding='utf-8')


def phase_command(phase, venv_bin, inventories, extra=()):
    inventory_args = []
    for inventory in inventories:
        inventory_args += ['-i', str(inventory)]
    if phase == 'floor':
        return [str(venv_bin / 'ansible'), 'firewalls', '-m', 'ansible.builtin.ping', '-c', 'local'] + inventory_args + list(extra)
    if phase == 'facts':
        return [str(venv_bin / 'ansible'), 'firewalls', '-m', 'ansible.builtin.setup', '-c', 'local'] + inventory_args + list(extra)
    playbook = {'audit': 'directpath.firewall.audit', 'remediate': 'directpath.firewall.remediate',
                'rerun': 'directpath.firewall.remediate'}[phase]
    return [str(venv_bin / 'ansible-playbook'), playbook] + inventory_args + list(extra)


def run_phase(phase, size, fleet, env, venv_bin, inventories, run_dir, label=None, extra=()):
    label = label or phase
    timing_path = run_dir / ('%s-timing.json' % label)
    env = dict(env, DIRECTPATH_REPORT_PREFIX=label, BENCH_TIMING_FILE=str(timing_path))
    fleet.take_journals()
    fleet_cpu_before = fleet.footprint()['cpu_seconds']
    log_path = run_dir / ('%s.log' % label)
    result = measure(phase_command(phase, venv_bin, inventories, extra), env, log_path)
    fleet_cpu_after = fleet.footprint()['cpu_seconds']
    journals = fleet.take_journals()
    hosts = {host: counts for host, counts in recap(log_path).items() if host in fleet.ready['hosts']}
    result.update({
        'firewalls_per_second': round(size / result['wall_seconds'], 2) if result['wall_seconds'] else None,
        'simulator_cpu_seconds': round(fleet_cpu_after - fleet_cpu_before, 3),
        'round_trips': round_trips(journals),
        'hosts_seen': len(hosts),
        'hosts_failed': sorted(host for host, counts in hosts.items() if counts['failed'] or counts['unreachable']),
        'hosts_changed': sum(1 for counts in hosts.values() if counts['changed']),
        'load_average': os.getloadavg()[0],
        'log': str(log_path),
    })
    if timing_path.exists():
        # The tasks that took the longest (a task's wall time ends when the next one starts).
        tasks = json.loads(timing_path.read_text(encoding='utf-8'))['tasks']
        result['slowest_tasks'] = sorted(tasks, key=lambda task: -task['wall_seconds'])[:8]
        result['tasks_run'] = len(tasks)
        result['host_tasks'] = sum(task['hosts'] for task in tasks)
        result['host_tasks_skipped'] = sum(task['skipped'] for task in tasks)
    report = run_dir / ('%s.json' % label)
    if phase != 'floor' and report.exists():
        data = json.loads(report.read_text(encoding='utf-8'))
        result['report'] = {'devices': data['summary']['devices'], 'devices_by_status': data['summary']['devices_by_status'],
                            'api_calls': data['summary']['api_calls']}
    return result


def bench_size(size, args, venv_bin, collections, out_dir):
    mix = fleet_mix(size, VENDOR_FACTORIES)
    run_dir = out_dir / 'runs' / str(size)
    work = Path(args.work) / str(size)
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    work.mkdir(parents=True)
    env = dict(os.environ)
    env.update({
        'PYTHONPATH': str(collections) + (os.pathsep + env['PYTHONPATH'] if env.get('PYTHONPATH') else ''),
        'ANSIBLE_COLLECTIONS_PATH': str(collections),
        'ANSIBLE_CONFIG': str(work / 'ansible.cfg'),
        'DIRECTPATH_REPORT_DIR': str(run_dir),
        'ANSIBLE_LOCAL_TEMP': str(work / 'tmp'),
    })
    write_config(work / 'ansible.cfg', args.forks)
    group_vars = work / 'group_vars.json'
    group_vars_inventory(group_vars, mix)
    print('bench: %d firewalls (%s), forks %d' % (size, ', '.join('%s %d' % item for item in mix.items()), args.forks), flush=True)
    fleet = FleetProcess(sys.executable, work / 'fleet', mix, run_dir / 'fleet.log', env)
    try:
        inventories = [fleet.inventory, group_vars]
        footprint = fleet.footprint()
        footprint['ready_seconds'] = round(fleet.ready_seconds, 2)
        footprint['start_seconds'] = fleet.ready['footprint'].get('start_seconds')
        result = {'size': size, 'forks': args.forks, 'mix': mix, 'fleet': footprint, 'phases': {}}
        for phase in args.phases:
            result['phases'][phase] = run_phase(phase, size, fleet, env, venv_bin, inventories, run_dir)
            print('  %-9s %s' % (phase, _line(result['phases'][phase], result['phases'].get('floor'))), flush=True)
        if args.experiments and size == args.experiments_size:
            result['experiments'] = experiments(size, args, fleet, env, venv_bin, inventories, run_dir, work)
        result['fleet_after'] = fleet.footprint()
    finally:
        fleet.stop()
    floor = result['phases']['floor']
    for phase in args.phases:
        measured = result['phases'][phase]
        measured['wall_to_floor'] = round(measured['wall_seconds'] / floor['wall_seconds'], 3)
        measured['cpu_to_floor'] = round(measured['cpu_seconds'] / floor['cpu_seconds'], 3) if floor['cpu_seconds'] else None
    return result


def experiments(size, args, fleet, env, venv_bin, inventories, run_dir, work):
    """The settings docs/performance.md recommends, each measured on the audit (and the floor)."""
    results = []

    def variant(name, phase, forks=args.forks, strategy='linear', pipelining=False):
        config = work / ('ansible-%s.cfg' % name)
        write_config(config, forks, strategy=strategy, pipelining=pipelining)
        measured = run_phase(phase, size, fleet, dict(env, ANSIBLE_CONFIG=str(config)), venv_bin, inventories, run_dir,
                             label='experiment-%s' % name)
        measured.update({'name': name, 'phase': phase, 'forks': forks, 'strategy': strategy, 'pipelining': pipelining})
        results.append(measured)
        print('  %-24s %s' % (name, _line(measured)), flush=True)

    for forks in args.experiment_forks:
        variant('audit-forks-%d' % forks, 'audit', forks=forks)
    variant('audit-strategy-free', 'audit', strategy='free')
    variant('audit-pipelining', 'audit', pipelining=True)
    variant('floor-pipelining', 'floor', pipelining=True)
    variant('facts-setup', 'facts')
    return results


def _line(measured, floor=None):
    text = '%6.1f s wall  %6.1f s CPU  %6.0f MB peak  %6.1f firewalls/s' % (
        measured['wall_seconds'], measured['cpu_seconds'], measured['peak_tree_pss_mb'], measured['firewalls_per_second'] or 0)
    if floor:
        text += '  %.2fx floor' % (measured['wall_seconds'] / floor['wall_seconds'])
    if measured['hosts_failed']:
        text += '  FAILED: %d hosts' % len(measured['hosts_failed'])
    if measured['rc']:
        text += '  rc=%d' % measured['rc']
    return text


# --------------------------------------------------------------------------------------------------
# Targets and output
# --------------------------------------------------------------------------------------------------
def check_targets(results):
    """Missed targets as sentences; the ratio targets are judged on the largest size. A run of a
    subset of the phases (--phases) is judged on what it ran."""
    missed = []
    for result in results:
        size = result['size']
        phases = result['phases']
        for phase, measured in phases.items():
            if measured['rc'] != 0 or measured['hosts_failed']:
                missed.append('%d firewalls, %s: exit %d, failed hosts: %s' % (
                    size, phase, measured['rc'], ', '.join(measured['hosts_failed'][:10]) or 'none'))
            if measured['hosts_seen'] != size:
                missed.append('%d firewalls, %s: %d hosts in the recap' % (size, phase, measured['hosts_seen']))
        if 'audit' in phases:
            writes = sum(vendor['writes'] for vendor in phases['audit']['round_trips'].values())
            if writes != TARGETS['audit_writes']:
                missed.append('%d firewalls: the audit sent %d writes' % (size, writes))
        if 'rerun' in phases:
            writes = sum(vendor['writes'] for vendor in phases['rerun']['round_trips'].values())
            if writes != TARGETS['rerun_writes']:
                missed.append('%d firewalls: the re-run sent %d writes' % (size, writes))
            if phases['rerun']['hosts_changed'] != TARGETS['rerun_changed']:
                missed.append('%d firewalls: the re-run changed %d hosts' % (size, phases['rerun']['hosts_changed']))
    if results:
        largest = max(results, key=lambda result: result['size'])
        if 'audit' in largest['phases']:
            audit = largest['phases']['audit']['wall_to_floor']
            if audit >= TARGETS['audit_to_floor_must']:
                missed.append('%d firewalls: the audit took %.2fx the floor (must be below 1x)' % (largest['size'], audit))
            elif audit > TARGETS['audit_to_floor_max']:
                missed.append('%d firewalls: the audit took %.2fx the floor (target <= %.2fx)' % (
                    largest['size'], audit, TARGETS['audit_to_floor_max']))
        if 'remediate' in largest['phases']:
            remediate = largest['phases']['remediate']['wall_to_floor']
            if remediate > TARGETS['remediate_to_floor_max']:
                missed.append('%d firewalls: the remediation took %.2fx the floor (target <= %.2fx)' % (
                    largest['size'], remediate, TARGETS['remediate_to_floor_max']))
    return missed


def _trips(round_trip_summary):
    return '; '.join('%s %.1f' % (vendor, data['per_firewall']) for vendor, data in round_trip_summary.items()) or '-'


def markdown(document):
    lines = ['# make bench results', '',
             'Machine: %(cpus)d CPUs, Python %(python)s, ansible-core %(ansible_core)s, load average at start %(load_average).2f. '
             'Generated %(generated)s.' % document['machine'], '',
             'Wall and CPU ratios are to the floor (`ansible -m ansible.builtin.ping`) over the same hosts with the same '
             'settings. CPU is the controller\'s (ansible and every process it waited for; the main process alone in its own '
             'column); simulator CPU is the fleet '
             'launcher\'s. Round trips are API requests per firewall, by vendor, from the simulators\' journals '
             '(a fake box counts its apply commands).', '',
             '| firewalls | forks | run | wall s | x floor | CPU s | CPU x floor | main process CPU s | peak PSS MB | firewalls/s '
             '| sim CPU s | round trips per firewall |',
             '|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|']
    for result in document['results']:
        for phase in [phase for phase in PHASES if phase in result['phases']]:
            measured = result['phases'][phase]
            lines.append('| %d | %d | %s | %.1f | %.2f | %.1f | %s | %.1f | %.0f | %.1f | %.1f | %s |' % (
                result['size'], result['forks'], phase, measured['wall_seconds'], measured['wall_to_floor'],
                measured['cpu_seconds'], '%.2f' % measured['cpu_to_floor'] if measured['cpu_to_floor'] is not None else '-',
                measured.get('main_process_cpu_seconds', 0), measured['peak_tree_pss_mb'], measured['firewalls_per_second'] or 0,
                measured['simulator_cpu_seconds'],
                _trips(measured['round_trips']) if phase != 'floor' else '-'))
    lines += ['', '## Fleet launcher footprint', '',
              '| firewalls | mix | start s | listening sockets | threads | open fds | RSS MB | peak RSS MB |',
              '|---:|---|---:|---:|---:|---:|---:|---:|']
    for result in document['results']:
        fleet = result['fleet']
        after = result.get('fleet_after', fleet)
        lines.append('| %d | %s | %s | %d | %d | %d | %.0f | %.0f |' % (
            result['size'], ', '.join('%s %d' % item for item in result['mix'].items()), fleet.get('start_seconds'),
            fleet['listening_sockets'], fleet['threads'], fleet['open_fds'], fleet['rss_bytes'] / 1e6, after['peak_rss_bytes'] / 1e6))
    for result in document['results']:
        if result.get('experiments'):
            lines += ['', '## Settings (%d firewalls)' % result['size'], '',
                      '| run | forks | strategy | pipelining | wall s | CPU s | peak PSS MB | firewalls/s |', '|---|---:|---|---|---:|---:|---:|---:|']
            for measured in result['experiments']:
                lines.append('| %s | %d | %s | %s | %.1f | %.1f | %.0f | %.1f |' % (
                    measured['name'], measured['forks'], measured['strategy'], 'on' if measured['pipelining'] else 'off',
                    measured['wall_seconds'], measured['cpu_seconds'], measured['peak_tree_pss_mb'], measured['firewalls_per_second'] or 0))
    largest = max(document['results'], key=lambda result: result['size']) if document['results'] else None
    audit = largest['phases'].get('audit') if largest else None
    if audit and audit.get('slowest_tasks'):
        lines += ['', '## Where the audit\'s time goes (%d firewalls)' % largest['size'], '',
                  '%d tasks, %d host-tasks (%d skipped). The slowest tasks (a task lasts until the next one starts):' % (
                      audit['tasks_run'], audit['host_tasks'], audit['host_tasks_skipped']), '',
                  '| task | action | hosts | wall s |', '|---|---|---:|---:|']
        for task in audit['slowest_tasks']:
            lines.append('| %s | %s | %d | %.1f |' % (task['name'].replace('|', '/'), task['action'], task['hosts'], task['wall_seconds']))
    lines += ['', '## Targets', '']
    lines += ['- %s: %s' % (key, value) for key, value in TARGETS.items()]
    lines += ['', 'Missed: %s' % ('; '.join(document['missed']) if document['missed'] else 'none'), '']
    return '\n'.join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--sizes', default=os.environ.get('BENCH_SIZES', '10,100,1000'),
                        help='fleet sizes, comma-separated (env BENCH_SIZES; default 10,100,1000)')
    parser.add_argument('--forks', type=int, default=int(os.environ.get('BENCH_FORKS', '10')))
    parser.add_argument('--out', default=os.environ.get('BENCH_OUT', 'bench-output'))
    parser.add_argument('--work', default=os.environ.get('BENCH_WORK', 'build/bench/work'))
    parser.add_argument('--collections', default=os.environ.get('BENCH_COLLECTIONS'),
                        help='directory holding ansible_collections/ (default: from PYTHONPATH)')
    parser.add_argument('--experiments', action='store_true', default=os.environ.get('BENCH_EXPERIMENTS') == '1',
                        help='also measure the settings docs/performance.md recommends (env BENCH_EXPERIMENTS=1)')
    parser.add_argument('--experiments-size', type=int, default=100)
    parser.add_argument('--experiment-forks', default='5,25,50')
    parser.add_argument('--phases', default=','.join(PHASES),
                        help='a subset of %s (the floor is always run; targets need all four)' % ','.join(PHASES))
    args = parser.parse_args(argv)
    args.phases = ['floor'] + [phase for phase in PHASES[1:] if phase in args.phases.split(',')]
    args.experiment_forks = [int(part) for part in args.experiment_forks.split(',') if part]
    sizes = [int(part) for part in args.sizes.split(',') if part.strip()]
    venv_bin = Path(sys.executable).parent
    collections = Path(args.collections) if args.collections else next(
        Path(entry) for entry in sys.path if (Path(entry) / 'ansible_collections' / 'directpath' / 'firewall').is_dir())
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    ansible_version = subprocess.run([str(venv_bin / 'ansible'), '--version'], capture_output=True, text=True, check=True).stdout.split('\n')[0]
    document = {
        'machine': {'cpus': os.cpu_count(), 'python': platform.python_version(), 'platform': platform.platform(),
                    'ansible_core': re.sub(r'^.*core ([^\]\s]+).*$', r'\1', ansible_version),
                    'load_average': os.getloadavg()[0], 'generated': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())},
        'settings': {'forks': args.forks, 'strategy': 'linear', 'pipelining': False, 'interpreter_discovery': False,
                     'callbacks_enabled': ['directpath.firewall.audit_report'], 'panos_share': PANOS_SHARE},
        'targets': TARGETS,
        'results': [],
    }
    for size in sizes:
        document['results'].append(bench_size(size, args, venv_bin, collections, out_dir))
    document['missed'] = check_targets(document['results'])
    (out_dir / 'results.json').write_text(json.dumps(document, indent=1, sort_keys=True) + '\n', encoding='utf-8')
    (out_dir / 'results.md').write_text(markdown(document), encoding='utf-8')
    print()
    print((out_dir / 'results.md').read_text(encoding='utf-8'))
    for missed in document['missed']:
        print('bench target missed: %s' % missed, file=sys.stderr)
    print('bench: %s (%s)' % ('all targets met' if not document['missed'] else '%d target(s) missed' % len(document['missed']),
                              out_dir / 'results.json'))
    return 1 if document['missed'] else 0


if __name__ == '__main__':
    sys.exit(main())
