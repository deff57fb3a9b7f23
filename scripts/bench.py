# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench: time and API calls per module run against the simulators, and the targets they must meet.

Targets live here, not in the tests (docs/performance.md):
- an audit (check mode) of one PAN-OS firewall: at most 6 API calls and 0 writes;
- a remediation of one PAN-OS firewall: at most 14 API calls;
- a second (idempotent) run: 0 writes;
- median wall time of a check-mode run against the loopback simulator: under 1.0 s.
Run with PYTHONPATH pointing at the directory holding ansible_collections/directpath/firewall.
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

from ansible.module_utils.testing import patch_module_args

from ansible_collections.directpath.firewall.plugins.modules import panos_persistent_dipp
from ansible_collections.directpath.firewall.tests.simulators.panos import PanosSimulator

ROUNDS = 20
TARGETS = {
    'audit_calls_max': 6,
    'remediate_calls_max': 14,
    'median_check_seconds_max': 1.0,
}


def run(sim, check_mode, **extra):
    args = dict(host=sim.host, port=sim.port, username=sim.username, password=sim.password, ca_path=sim.ca_path,
                rules=['lan-out'], _ansible_check_mode=check_mode)
    args.update(extra)
    buffer = io.StringIO()
    started = time.perf_counter()
    with patch_module_args(args), redirect_stdout(buffer):
        try:
            panos_persistent_dipp.main()
        except SystemExit:
            pass
    elapsed = time.perf_counter() - started
    return json.loads(buffer.getvalue()), elapsed


def main():
    failures = []
    with tempfile.TemporaryDirectory() as state, PanosSimulator(Path(state) / 'panos') as sim:
        timings = []
        for _round in range(ROUNDS):
            sim.journal.clear()
            elapsed = run(sim, True)[1]
            timings.append(elapsed)
        audit = sim.journal.summary()
        sim.journal.clear()
        remediate, remediate_seconds = run(sim, False)
        remediate_calls = sim.journal.summary()
        sim.journal.clear()
        rerun = run(sim, False)[0]
        rerun_calls = sim.journal.summary()
    median = statistics.median(timings)
    print('panos_persistent_dipp against the loopback simulator (%d check-mode rounds)' % ROUNDS)
    print('  audit (check mode):   %(reads)d reads, %(writes)d writes per run' % audit)
    print('  check-mode wall time: median %.3f s, max %.3f s' % (median, max(timings)))
    print('  remediation:          %d reads, %d writes, %.3f s (changed=%s)' % (
        remediate_calls['reads'], remediate_calls['writes'], remediate_seconds, remediate['changed']))
    print('  second run:           %(reads)d reads, %(writes)d writes' % rerun_calls)
    if audit['writes'] != 0:
        failures.append('check mode sent %d writes' % audit['writes'])
    if audit['reads'] + audit['writes'] > TARGETS['audit_calls_max']:
        failures.append('audit used %d calls (target <= %d)' % (audit['reads'] + audit['writes'], TARGETS['audit_calls_max']))
    total = remediate_calls['reads'] + remediate_calls['writes']
    if total > TARGETS['remediate_calls_max']:
        failures.append('remediation used %d calls (target <= %d)' % (total, TARGETS['remediate_calls_max']))
    if rerun_calls['writes'] != 0 or rerun['changed']:
        failures.append('second run was not idempotent')
    if median > TARGETS['median_check_seconds_max']:
        failures.append('median check-mode run %.3f s (target < %.1f s)' % (median, TARGETS['median_check_seconds_max']))
    for failure in failures:
        print('bench target missed: %s' % failure, file=sys.stderr)
    print('bench: %s' % ('all targets met' if not failures else '%d target(s) missed' % len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
