#!/usr/bin/env bash
# make test: every test stage, run in a copy of the tree at
# build/collections/ansible_collections/<namespace>/<name> (ansible-test needs that real path).
# The Debian packages and .venv/ are ensured by the Makefile first (scripts/venv.sh).
#
#   STAGES=units,lint make test          run a subset (default: all, in this order)
#   SCENARIOS=panos,fleet make test      only these molecule scenarios
#   SANITY_ARGS='--test pylint'  UNITS_ARGS='...'  PYTEST_ARGS='-k chromium'   extra arguments
#   STAGE_TIMEOUT=1800                   seconds after which a stage (each molecule scenario) is killed
#   MOLECULE_JOBS=3  FIDELITY_JOBS=3     molecule scenarios run at once; pytest-xdist workers for fidelity
#
# Each stage's output is streamed and kept in build/test-results/<stage>.log. The last line is
# `summary: N passed, N failed` over all stages; the exit code is 1 when anything failed.
# scripts/README.md describes the stages and how they are counted.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
BUILD=$ROOT/build
COLLECTIONS=$BUILD/collections
TEST_HOME=$BUILD/home
RESULTS=$BUILD/test-results
PYVER=${PYTHON_VERSION:-3.11}
ALL_STAGES=sanity,units,lint,docs,build,molecule,fidelity
STAGES=${STAGES:-$ALL_STAGES}
STAGE_TIMEOUT=${STAGE_TIMEOUT:-1800}
read -r -a SANITY_EXTRA <<< "${SANITY_ARGS:-}"
read -r -a UNITS_EXTRA <<< "${UNITS_ARGS:-}"
read -r -a PYTEST_EXTRA <<< "${PYTEST_ARGS:-}"

if [ ! -x "$VENV/bin/ansible-test" ]; then
    echo "test.sh: no $VENV/bin/ansible-test; run 'make venv' (or 'make test') first" >&2
    echo "summary: 0 passed, 1 failed"
    exit 1
fi
export PATH="$VENV/bin:$PATH" VIRTUAL_ENV="$VENV"
# Logs read by people (CI, build/test-results/*.log): no colour codes unless on a terminal.
[ -t 1 ] || export NO_COLOR=1 ANSIBLE_NOCOLOR=1 PY_COLORS=0
# ansible-test gets a scratch HOME (its venvs and the get-pip stand-in live there); pip keeps
# using the user's download cache.
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pip}"

read -r NAMESPACE NAME < <(python -c 'import yaml; g = yaml.safe_load(open("'"$ROOT"'/galaxy.yml")); print(g["namespace"], g["name"])')
COLL=$COLLECTIONS/ansible_collections/$NAMESPACE/$NAME

TOTAL_PASSED=0 TOTAL_FAILED=0
ROWS=()

banner() { printf '\n==== %s\n' "$*"; }

# shellcheck source=scripts/copy_collection.sh
. "$ROOT/scripts/copy_collection.sh"
copy_tree() { copy_collection "$ROOT" "$COLLECTIONS"; }

# ansible-test bootstraps pip in each venv with a script it would download from a host that is
# not reachable here; it first looks in ~/.ansible/test/cache (scripts/get_pip_shim.py).
install_get_pip_shim() {
    local pip_version
    pip_version=$(python - <<'EOF'
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(type('Python', (), {'version': '3.11'})())['pip'])
EOF
    ) || pip_version=24.2
    mkdir -p "$TEST_HOME/.ansible/test/cache"
    cp "$ROOT/scripts/get_pip_shim.py" "$TEST_HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
}

# run_logged STAGE COMMAND...: run in the collection copy, stdin closed, output streamed and kept.
run_logged() {
    local stage=$1
    shift
    (cd "$COLL" && exec timeout --foreground -k 30 "$STAGE_TIMEOUT" "$@" </dev/null 9>&-) 2>&1 | tee -a "$RESULTS/$stage.log"
    local rc=${PIPESTATUS[0]}
    if [ "$rc" = 124 ]; then echo "test.sh: $stage: killed after $STAGE_TIMEOUT s (STAGE_TIMEOUT)"; fi
    return "$rc"
}

junit_counts() { python "$ROOT/scripts/test_counts.py" "$@"; }

# record STAGE RC PASSED FAILED SKIPPED SECONDS [NOTE]: a stage that exited non-zero without a
# failed case (it crashed, timed out or could not start) counts as one failed case.
record() {
    local stage=$1 rc=$2 passed=$3 failed=$4 skipped=$5 seconds=$6 note=${7:-}
    if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
        failed=1
        note="${note:+$note; }exit $rc without a failed test case: counted as 1 failed"
    fi
    TOTAL_PASSED=$((TOTAL_PASSED + passed))
    TOTAL_FAILED=$((TOTAL_FAILED + failed))
    ROWS+=("$(printf '%-22s %6s %6s %7s %4s %6s  %s' "$stage" "$passed" "$failed" "$skipped" "$rc" "$seconds" "$note")")
}

has_tests() { [ -d "$COLL/$1" ] && [ -n "$(find "$COLL/$1" -name 'test_*.py' -print -quit)" ]; }

stage_sanity() {
    local start=$SECONDS rc p f s
    rm -rf "$COLL/tests/output/junit"
    HOME=$TEST_HOME run_logged sanity ansible-test sanity --venv --python "$PYVER" --junit "${SANITY_EXTRA[@]}"
    rc=$?
    # One JUnit file per sanity test: passed, failed, or skipped (a program or Python is missing).
    read -r p f s < <(junit_counts "$COLL/tests/output/junit")
    mkdir -p "$RESULTS/sanity" && cp -r "$COLL/tests/output/junit/." "$RESULTS/sanity/" 2>/dev/null
    record sanity "$rc" "$p" "$f" "$s" $((SECONDS - start))
}

stage_units() {
    local start=$SECONDS rc p f s note=
    if ! has_tests tests/unit; then
        record units 0 0 0 0 0 "no tests/unit/**/test_*.py"
        return
    fi
    rm -rf "$COLL/tests/output/junit" "$RESULTS/units"
    HOME=$TEST_HOME run_logged units ansible-test units --venv --python "$PYVER" "${UNITS_EXTRA[@]}"
    rc=$?
    # ansible-test writes pytest's JUnit XML, one file per test context (controller, modules).
    mkdir -p "$RESULTS/units" && cp -r "$COLL/tests/output/junit/." "$RESULTS/units/" 2>/dev/null
    # ansible-test's "modules" context imports only module_utils, as a module process does, so the
    # module tests' second path (the controller-side action plugin, tests/unit/plugins/modules/
    # conftest.py) runs here with the full ansible-core: the test files of modules that have one.
    local -a action_tests=()
    local action
    for action in "$COLL"/plugins/action/*.py; do
        action=$(basename "$action")
        [ -f "$COLL/tests/unit/plugins/modules/test_$action" ] && action_tests+=("tests/unit/plugins/modules/test_$action")
    done
    if [ ${#action_tests[@]} -gt 0 ] && [ ${#UNITS_EXTRA[@]} = 0 ]; then
        banner "units: the action-plugin path of ${#action_tests[@]} module test file(s)"
        PYTHONPATH=$COLLECTIONS${PYTHONPATH:+:$PYTHONPATH} DIRECTPATH_EXECUTION_PATHS=action \
            run_logged units python -m pytest -q -p no:cacheprovider -n 2 \
            --junitxml="$RESULTS/units/action-path.xml" "${action_tests[@]}"
        local action_rc=$?
        if [ "$action_rc" != 0 ] && [ "$action_rc" != 5 ]; then rc=$action_rc; fi
    fi
    read -r p f s < <(junit_counts "$RESULTS/units")
    if [ $((p + f + s)) = 0 ]; then
        f=1 note="test files exist but no test case was recorded"
    fi
    record units "$rc" "$p" "$f" "$s" $((SECONDS - start)) "$note"
}

stage_lint() {
    local start=$SECONDS rc
    ANSIBLE_COLLECTIONS_PATH=$COLLECTIONS run_logged lint ansible-lint
    rc=$?
    record lint "$rc" $((rc == 0)) $((rc != 0)) 0 $((SECONDS - start))
}

stage_docs() {
    local start=$SECONDS rc
    ANSIBLE_COLLECTIONS_PATH=$COLLECTIONS run_logged docs antsibull-docs lint-collection-docs --plugin-docs .
    rc=$?
    record docs "$rc" $((rc == 0)) $((rc != 0)) 0 $((SECONDS - start))
}

# build: the Galaxy artifact builds, installs into an empty collections path, and ansible-doc renders
# every module, the callback and every role from the INSTALLED copy. One case per step/plugin.
stage_build() {
    local start=$SECONDS passed=0 failed=0 work="$ROOT/build/artifact" name kind tarball
    rm -rf "$work" && mkdir -p "$work/installed"
    banner "build: ansible-galaxy collection build / install"
    if run_logged build ansible-galaxy collection build --force --output-path "$work"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
    tarball=
    for name in "$work"/directpath-firewall-*.tar.gz; do
        [ -e "$name" ] && tarball=$name && break
    done
    if [ -n "$tarball" ] && run_logged build ansible-galaxy collection install --offline -p "$work/installed" "$tarball"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
    for kind in module callback role; do
        case $kind in
            module) set -- "$COLL"/plugins/modules/*.py ;;
            callback) set -- "$COLL"/plugins/callback/*.py ;;
            role) set -- "$COLL"/roles/*/meta/argument_specs.yml ;;
        esac
        for name in "$@"; do
            [ -e "$name" ] || continue
            if [ $kind = role ]; then name=$(basename "$(dirname "$(dirname "$name")")"); else name=$(basename "$name" .py); fi
            if ANSIBLE_COLLECTIONS_PATH="$work/installed" run_logged build ansible-doc -t "$kind" "directpath.firewall.$name" >/dev/null; then
                passed=$((passed + 1))
            else
                echo "test.sh: build: ansible-doc -t $kind directpath.firewall.$name failed on the installed artifact"
                failed=$((failed + 1))
            fi
        done
    done
    record build $((failed != 0)) "$passed" "$failed" 0 $((SECONDS - start))
}

stage_molecule() {
    local file scenario jobs=${MOLECULE_JOBS:-3} rc secs
    local -a wanted scenarios=()
    IFS=, read -r -a wanted <<< "${SCENARIOS:-}"
    for file in "$COLL"/extensions/molecule/*/molecule.yml; do
        [ -e "$file" ] || continue
        scenario=$(basename "$(dirname "$file")")
        if [ ${#wanted[@]} -gt 0 ] && [[ " ${wanted[*]} " != *" $scenario "* ]]; then continue; fi
        scenarios+=("$scenario")
    done
    if [ ${#scenarios[@]} = 0 ]; then
        echo "no molecule scenario (extensions/molecule/*/molecule.yml${SCENARIOS:+ matching SCENARIOS=$SCENARIOS})"
        record molecule 0 0 0 0 0 "no scenario"
        return
    fi
    # Scenarios are independent (each starts its own simulators on ephemeral loopback ports, its own
    # namespaces, its own molecule ephemeral directory) and spend most of their time waiting on
    # ansible-playbook start-up, so MOLECULE_JOBS of them run at once; each one's output is kept in
    # its own log and shown, in order, when it is done.
    mkdir -p "$RESULTS/molecule"
    banner "molecule: ${#scenarios[@]} scenario(s), $jobs at a time"
    for scenario in "${scenarios[@]}"; do
        while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
        (
            start=$SECONDS
            (cd "$COLL" && ANSIBLE_COLLECTIONS_PATH=$COLLECTIONS exec timeout -k 30 "$STAGE_TIMEOUT" \
                molecule test -s "$scenario" </dev/null 9>&-) > "$RESULTS/molecule/$scenario.log" 2>&1
            rc=$?
            if [ "$rc" = 124 ]; then echo "test.sh: molecule $scenario: killed after $STAGE_TIMEOUT s (STAGE_TIMEOUT)" >> "$RESULTS/molecule/$scenario.log"; fi
            echo "$rc $((SECONDS - start))" > "$RESULTS/molecule/$scenario.rc"
        ) &
    done
    wait
    for scenario in "${scenarios[@]}"; do
        banner "molecule: $scenario"
        # molecule looks for a scenario named "default" on every run and logs its absence as CRITICAL,
        # then carries on without shared state; this collection has none: keep those two lines off the
        # console (the scenario's log keeps everything).
        grep -v -e "molecule/default/molecule.yml' glob failed" -e 'default scenario not found, disabling shared state' \
            "$RESULTS/molecule/$scenario.log" | tee -a "$RESULTS/molecule.log"
        read -r rc secs < "$RESULTS/molecule/$scenario.rc" || { rc=1 secs=0; }
        record "molecule:$scenario" "$rc" $((rc == 0)) $((rc != 0)) 0 "$secs"
    done
}

stage_fidelity() {
    local start=$SECONDS rc p f s note=
    if ! has_tests tests/fidelity; then
        record fidelity 0 0 0 0 0 "no tests/fidelity/**/test_*.py"
        return
    fi
    mkdir -p "$RESULTS/fidelity"
    rm -f "$RESULTS/fidelity/junit.xml"
    PYTHONPATH=$COLLECTIONS${PYTHONPATH:+:$PYTHONPATH} ANSIBLE_COLLECTIONS_PATH=$COLLECTIONS \
        run_logged fidelity python -m pytest tests/fidelity -v -ra -p no:cacheprovider -n "${FIDELITY_JOBS:-3}" \
        --junitxml="$RESULTS/fidelity/junit.xml" "${PYTEST_EXTRA[@]}"
    rc=$?
    read -r p f s < <(junit_counts "$RESULTS/fidelity/junit.xml")
    # Exit 5 (nothing collected) is no excuse here: there are test files, so something is wrong
    # with them (or PYTEST_ARGS deselected everything, which is then reported, not hidden).
    if [ "$rc" = 5 ]; then note="pytest collected no test"; fi
    record fidelity "$rc" "$p" "$f" "$s" $((SECONDS - start)) "$note"
}

main() {
    local stage start_all=$SECONDS
    local -a selected
    IFS=, read -r -a selected <<< "$STAGES"
    for stage in "${selected[@]}"; do
        case ",$ALL_STAGES," in
            *",$stage,"*) ;;
            *) echo "test.sh: unknown stage '$stage' in STAGES (known: $ALL_STAGES)" >&2
               echo "summary: 0 passed, 1 failed"; exit 2 ;;
        esac
    done

    # One run at a time per tree: a second one would delete the copy under the first one's feet.
    mkdir -p "$BUILD"
    exec 9>"$BUILD/.test.lock"
    if ! flock -n 9; then
        echo "test.sh: another make test is running in this tree; waiting for it"
        flock 9
    fi

    banner "copying the collection to $COLL"
    rm -rf "$RESULTS"
    mkdir -p "$RESULTS"
    if ! copy_tree || ! install_get_pip_shim; then
        echo "test.sh: could not prepare $COLL"
        echo "summary: 0 passed, 1 failed"
        exit 1
    fi

    for stage in ${ALL_STAGES//,/ }; do
        [[ ",$STAGES," == *",$stage,"* ]] || continue
        banner "stage $stage"
        "stage_$stage"
    done

    banner "results (logs and JUnit files in ${RESULTS#"$ROOT"/}/, $((SECONDS - start_all)) s in all)"
    printf '%-22s %6s %6s %7s %4s %6s  %s\n' stage passed failed skipped rc secs note
    printf '%s\n' "${ROWS[@]}"
    echo "summary: $TOTAL_PASSED passed, $TOTAL_FAILED failed"
    [ "$TOTAL_FAILED" = 0 ]
}

main
