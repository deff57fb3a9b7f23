# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench only (scripts/bench.py enables it): where a run's wall time goes, task by task.

Writes JSON to $BENCH_TIMING_FILE at the end of the run: for each task in order, its name, the
action, how many hosts reached it, how many skipped it, and its wall seconds (from its start to the
next task's start, or to the end of the run).
"""

from __future__ import annotations

DOCUMENTATION = r'''
name: bench_timing
type: aggregate
short_description: Wall time per task, for make bench
description: Writes the wall time of each task and how many hosts ran or skipped it to $BENCH_TIMING_FILE.
requirements:
  - enabled by scripts/bench.py only
'''

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_timing'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tasks = []
        self._started = time.monotonic()

    def _close_current(self):
        if self._tasks and self._tasks[-1]['wall_seconds'] is None:
            self._tasks[-1]['wall_seconds'] = round(time.monotonic() - self._tasks[-1]['_start'], 3)

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close_current()
        self._tasks.append({'name': task.get_name(), 'action': task.action, 'hosts': 0, 'skipped': 0,
                            'wall_seconds': None, '_start': time.monotonic()})

    def _count(self, skipped=False):
        if self._tasks:
            self._tasks[-1]['hosts'] += 1
            if skipped:
                self._tasks[-1]['skipped'] += 1

    def v2_runner_on_ok(self, result):
        self._count()

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._count()

    def v2_runner_on_unreachable(self, result):
        self._count()

    def v2_runner_on_skipped(self, result):
        self._count(skipped=True)

    def v2_playbook_on_stats(self, stats):
        self._close_current()
        path = os.environ.get('BENCH_TIMING_FILE')
        if not path:
            return
        tasks = [{key: value for key, value in task.items() if not key.startswith('_')} for task in self._tasks]
        with open(path, 'w', encoding='utf-8') as handle:
            json.dump({'wall_seconds': round(time.monotonic() - self._started, 3), 'tasks': tasks}, handle, indent=1)
