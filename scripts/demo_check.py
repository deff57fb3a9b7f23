# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compare the demo's audit reports (schema 1.1, docs/audit.md) and print the before/after table.

Exits non-zero unless the first audit found drift and the second found none (no record in
drift or error, headline "fixed" or "needs_person"): the demo's promise, checked on the reports
it produced. The last lines are the two headlines, as docs/audit.md defines them.
"""

from __future__ import annotations

import json
import sys


def records(report):
    rows = {}
    for device in report['devices']:
        for record in device['records']:
            rows[(device['host'], record['vendor'], record['workaround'])] = record['status']
    return rows


def main(before_path, after_path):
    with open(before_path, encoding='utf-8') as handle:
        before = json.load(handle)
    with open(after_path, encoding='utf-8') as handle:
        after = json.load(handle)
    old, new = records(before), records(after)
    keys = sorted(set(old) | set(new))
    width = max([len('%s %s' % (host, workaround)) for host, _vendor, workaround in keys] + [20])
    print()
    print('%-*s  %-15s  %s' % (width, 'device / workaround', 'before', 'after'))
    print('%s  %s  %s' % ('-' * width, '-' * 15, '-' * 15))
    for host, vendor, workaround in keys:
        print('%-*s  %-15s  %s' % (width, '%s %s' % (host, workaround), old.get((host, vendor, workaround), '-'),
                                   new.get((host, vendor, workaround), '-')))
    problems = []
    if 'drift' not in old.values():
        problems.append('the first audit found no drift: the simulators did not start from the vendor defaults')
    bad = sorted('%s %s: %s' % (host, workaround, status) for (host, _v, workaround), status in new.items()
                 if status in ('drift', 'error'))
    if bad:
        problems.append('still not compliant after remediation: ' + '; '.join(bad))
    missing = sorted(set(old) - set(new))
    if missing:
        problems.append('records missing from the second audit: %s' % ', '.join('%s %s' % (k[0], k[2]) for k in missing))
    verdict_after = after['summary']['headline']['verdict']
    if verdict_after not in ('fixed', 'needs_person'):
        problems.append('the headline of the second audit is %s, not fixed' % verdict_after)
    print()
    print('headline before: %s. %s' % (before['summary']['headline']['verdict'], before['summary']['headline']['text']))
    print('headline after:  %s. %s' % (verdict_after, after['summary']['headline']['text']))
    for problem in problems:
        print('demo check FAILED: %s' % problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit('usage: demo_check.py AUDIT_BEFORE.json AUDIT_AFTER.json')
    sys.exit(main(sys.argv[1], sys.argv[2]))
