#!/usr/bin/env bash
# Installs what `make test` / `make demo` need, and nothing when it is already there:
#   scripts/venv.sh system PROFILE...   Debian packages of bindep.txt for these profiles (apt-get, as root)
#   scripts/venv.sh python              the Python venv .venv/ from requirements-test.txt (pinned)
# The venv is refreshed only when requirements*.txt or the Python version changed (hash in
# .venv/.requirements.sha256). apt-get update runs only when a package is missing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
PYTHON=${PYTHON:-python3.11}
# pip in the venv, so that resolution does not depend on the pip the machine happens to have.
PIP_VERSION=26.3

log() { echo "venv.sh: $*" >&2; }

# Packages of bindep.txt selected for Debian (platform:dpkg / platform:debian) and the given
# profiles. A line applies when it has no platform selector or one that matches, no negated
# selector that matches, and no profile selector or one of the given profiles (bindep semantics).
bindep_packages() {
    local line name selectors sel platform_ok profile_ok has_platform has_profile p
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line%%#*}
        [ -n "${line//[[:space:]]/}" ] || continue
        name=${line%%[[:space:][]*}
        selectors=
        if [[ $line == *\[*\]* ]]; then selectors=${line#*[}; selectors=${selectors%%]*}; fi
        has_platform=0 platform_ok=0 has_profile=0 profile_ok=0
        for sel in $selectors; do
            case $sel in
                '!platform:dpkg' | '!platform:debian') continue 2 ;;
                '!'*) ;;
                platform:dpkg | platform:debian) has_platform=1 platform_ok=1 ;;
                platform:*) has_platform=1 ;;
                *)
                    has_profile=1
                    for p in "$@"; do [ "$sel" = "$p" ] && profile_ok=1; done
                    ;;
            esac
        done
        if { [ $has_platform = 0 ] || [ $platform_ok = 1 ]; } && { [ $has_profile = 0 ] || [ $profile_ok = 1 ]; }; then
            echo "$name"
        fi
    done < "$ROOT/bindep.txt"
}

ensure_system() {
    local pkg missing=() created_policy=0
    for pkg in $(bindep_packages "$@"); do
        [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" = installed ] || missing+=("$pkg")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    if [ "$(id -u)" != 0 ]; then
        log "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
        return 1
    fi
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # No daemon may start or stay enabled because we installed it: miniupnpd is run by a test in
    # its own network namespace, ufw must stay disabled (its postinst enables it only when asked).
    debconf-set-selections <<'EOF'
miniupnpd miniupnpd/start_daemon boolean false
ufw ufw/enable boolean false
EOF
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\n# scripts/venv.sh: no service starts during package installation\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        created_policy=1
    fi
    local rc=0
    apt-get update -q || rc=$?
    if [ $rc = 0 ]; then
        apt-get install -y -q --no-install-recommends "${missing[@]}" || rc=$?
    fi
    if [ $created_policy = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
    for pkg in "${missing[@]}"; do
        case $pkg in
            miniupnpd) service miniupnpd stop >/dev/null 2>&1 || true ;;
            ufw) if grep -qx 'ENABLED=yes' /etc/ufw/ufw.conf 2>/dev/null; then log "warning: ufw is enabled after installation"; fi ;;
        esac
    done
    return $rc
}

ensure_python() {
    command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
    local want have
    want=$( { "$PYTHON" -c 'import sys; print(sys.version)'; cat "$ROOT/requirements.txt" "$ROOT/requirements-test.txt"; echo "pip $PIP_VERSION"; } | sha256sum | cut -d' ' -f1)
    have=$(cat "$VENV/.requirements.sha256" 2>/dev/null || true)
    if [ "$want" = "$have" ] && [ -x "$VENV/bin/python" ]; then
        return 0
    fi
    # A venv made by another Python version is rebuilt, not patched.
    if [ -x "$VENV/bin/python" ] && [ "$("$VENV/bin/python" -c 'import sys; print(sys.version)' 2>/dev/null)" != "$("$PYTHON" -c 'import sys; print(sys.version)')" ]; then
        rm -rf "$VENV"
    fi
    log "installing Python packages into $VENV (requirements changed or new venv)"
    rm -f "$VENV/.requirements.sha256"
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --progress-bar off "pip==$PIP_VERSION"
    "$VENV/bin/python" -m pip install -q --progress-bar off -r "$ROOT/requirements-test.txt"
    "$VENV/bin/python" -m pip check
    echo "$want" > "$VENV/.requirements.sha256"
}

case ${1:-} in
    system) shift; ensure_system "$@" ;;
    python) ensure_python ;;
    *) echo "usage: $0 system PROFILE... | python" >&2; exit 2 ;;
esac
