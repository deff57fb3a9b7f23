#!/usr/bin/env bash
# make bench: API calls and wall time per module run against the loopback simulators.
# Targets are in scripts/bench.py (never in the tests); see docs/performance.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
WORK=$ROOT/build/bench
COLL=$WORK/collections/ansible_collections/directpath/firewall
rm -rf "$WORK" && mkdir -p "$COLL"
tar -C "$ROOT" --exclude=./.venv --exclude=./.git --exclude=./build --exclude=./demo-output \
    --exclude=./tests/output --exclude=./collections --exclude=./.ansible -cf - . | tar -C "$COLL" -xf -
PYTHONPATH=$WORK/collections "$VENV/bin/python" -W ignore "$ROOT/scripts/bench.py"
