#!/usr/bin/env bash
# make bench: the floor (ansible -m ping), the audit, a remediation and a re-run of a simulated fleet
# of 10, 100 and 1000 firewalls; writes bench-output/results.json and results.md.
# BENCH_SIZES=10,100 for a quicker run; BENCH_FORKS (default 10); BENCH_EXPERIMENTS=1 adds the
# settings comparison docs/performance.md quotes. Targets are in scripts/bench.py (never in the tests).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
WORK=$ROOT/build/bench
rm -rf "$WORK"
# shellcheck source=scripts/copy_collection.sh
. "$ROOT/scripts/copy_collection.sh"
copy_collection "$ROOT" "$WORK/collections"
PYTHONPATH=$WORK/collections "$VENV/bin/python" -W ignore "$ROOT/scripts/bench.py" \
    --collections "$WORK/collections" --work "$WORK/work" --out "${BENCH_OUT:-$ROOT/bench-output}" "$@"
