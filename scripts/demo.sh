#!/usr/bin/env bash
# make demo: start the simulated fleet on loopback, audit (drift), remediate, audit again
# (headline "fixed", docs/audit.md), print the report. Reports go to demo-output/. Nothing is left running, even
# when a step fails (the fleet launcher is stopped by the EXIT trap).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
OUT=$ROOT/demo-output
WORK=$ROOT/build/demo
COLLECTIONS=$WORK/collections
STATE=$WORK/fleet
FLEET_VENDORS=${DEMO_VENDORS:-panos:2,pfsense:1,opnsense:1,fortinet_dpi:1,tailnet:1,unifi:1,barracuda:1,cisco:1}

# shellcheck source=/dev/null
. "$VENV/bin/activate"

rm -rf "$WORK" "$OUT"
# The collection as Ansible sees it when installed (playbooks are run by FQCN).
# shellcheck source=scripts/copy_collection.sh
. "$ROOT/scripts/copy_collection.sh"
copy_collection "$ROOT" "$COLLECTIONS"
mkdir -p "$STATE" "$OUT" "$WORK/inventory"

export ANSIBLE_COLLECTIONS_PATH=$COLLECTIONS
export PYTHONPATH=$COLLECTIONS${PYTHONPATH:+:$PYTHONPATH}
export ANSIBLE_CONFIG=$WORK/ansible.cfg
export ANSIBLE_NOCOLOR=1
cat > "$ANSIBLE_CONFIG" <<EOF
[defaults]
callbacks_enabled = directpath.firewall.audit_report
host_key_checking = false
interpreter_python = auto_silent
retry_files_enabled = false
EOF
export DIRECTPATH_REPORT_DIR=$OUT

FLEET_PID=
cleanup() {
    local rc=$?
    if [ -n "$FLEET_PID" ] && kill -0 "$FLEET_PID" 2>/dev/null; then
        kill -TERM "$FLEET_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$FLEET_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$FLEET_PID" 2>/dev/null || true
        wait "$FLEET_PID" 2>/dev/null || true
    fi
    if [ "$rc" -ne 0 ]; then echo "demo: FAILED (exit $rc); simulators stopped" >&2; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== starting simulated firewalls on loopback: $FLEET_VENDORS"
python -m ansible_collections.directpath.firewall.tests.simulators.fleet start \
    --vendors "$FLEET_VENDORS" --state-dir "$STATE" --inventory "$STATE/inventory.yml" \
    > "$WORK/fleet.log" 2>&1 &
FLEET_PID=$!
for _ in $(seq 1 300); do
    [ -f "$STATE/ready" ] && break
    if ! kill -0 "$FLEET_PID" 2>/dev/null; then cat "$WORK/fleet.log" >&2; echo "demo: the fleet launcher died" >&2; exit 1; fi
    sleep 0.1
done
[ -f "$STATE/ready" ] || { cat "$WORK/fleet.log" >&2; echo "demo: simulators not ready after 30 s" >&2; exit 1; }

# The Tailscale nodes behind each simulated firewall (addresses on the simulators' LANs), and the
# guidance rows that need no device API, reported from the inventory alone.
cat > "$WORK/inventory/demo.yml" <<'EOF'
all:
  children:
    firewalls:
      children:
        panos:
          vars:
            directpath_tailscale_hosts: [10.0.0.5, 10.0.0.6]
        pfsense:
          vars:
            directpath_tailscale_hosts: [198.18.10.21]
        opnsense:
          vars:
            directpath_tailscale_hosts: [198.18.30.21]
        barracuda:
          vars:
            directpath_tailscale_hosts: [10.10.0.5, 10.10.0.6]
        cisco:
          vars:
            directpath_tailscale_hosts: [10.0.0.5, 10.0.0.6]
        no_device_api:
          hosts:
            checkpoint-hq:
              directpath_vendor: checkpoint
            sophos-branch:
              directpath_vendor: sophos
            umbrella-laptops:
              directpath_vendor: cisco_umbrella
            # Its workaround (randomizeClientPort) is applied by the tailnet host, tailnet-1.
            fortinet-branch:
              directpath_vendor: fortinet
EOF

INV=(-i "$STATE/inventory.yml" -i "$WORK/inventory/demo.yml")

echo
echo "== 1/3 audit (check mode): what needs to change"
DIRECTPATH_REPORT_PREFIX=audit-before ansible-playbook "${INV[@]}" directpath.firewall.audit
echo
echo "== 2/3 remediate"
DIRECTPATH_REPORT_PREFIX=remediate ansible-playbook "${INV[@]}" directpath.firewall.remediate
echo
echo "== 3/3 audit again: everything that can be fixed is fixed (headline: fixed)"
DIRECTPATH_REPORT_PREFIX=audit-after ansible-playbook "${INV[@]}" directpath.firewall.audit

python "$ROOT/scripts/demo_check.py" "$OUT/audit-before.json" "$OUT/audit-after.json"
echo
echo "Reports in $OUT:"
ls -1 "$OUT"
echo "HTML report: $OUT/audit-after.html"
