#!/usr/bin/env bash
# make bench: API calls and wall time per module run against the loopback simulators.
# Targets are in scripts/bench.py (never in the tests); see docs/performance.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
WORK=$ROOT/build/bench
rm -rf "$WORK"
# shellcheck source=scripts/copy_collection.sh
. "$ROOT/scripts/copy_collection.sh"
copy_collection "$ROOT" "$WORK/collections"
PYTHONPATH=$WORK/collections "$VENV/bin/python" -W ignore "$ROOT/scripts/bench.py"
