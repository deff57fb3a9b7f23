# shellcheck shell=bash
# Sourced by scripts/test.sh, demo.sh and bench.sh: copy_collection ROOT COLLECTIONS lays the
# collection out as COLLECTIONS/ansible_collections/directpath/firewall, the path ansible-test,
# ansible-playbook (by FQCN) and the simulators' imports need.
#
# It copies the files git knows (tracked and untracked, not ignored, still present); without git,
# the whole tree less the usual build and cache directories. The copy gets a git repository of its
# own (nothing committed): ansible-test looks for .git upwards and would otherwise list the files
# of this repository, where build/ is ignored, and find nothing to test.
copy_collection() {
    local root=$1 collections=$2
    local coll=$collections/ansible_collections/directpath/firewall
    rm -rf "$collections"
    mkdir -p "$coll"
    if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
        (cd "$root" && git ls-files -z --cached --others --exclude-standard |
            while IFS= read -r -d '' f; do { [ -e "$f" ] || [ -L "$f" ]; } && printf '%s\0' "$f"; done |
            tar --null -T - -cf -) | tar -C "$coll" -xf -
    else
        tar -C "$root" --exclude=./.venv --exclude=./.git --exclude=./build --exclude=./tests/output \
            --exclude=./collections --exclude=./.ansible --exclude=./.cache --exclude=./demo-output \
            --exclude=__pycache__ --exclude=.pytest_cache -cf - . | tar -C "$coll" -xf -
    fi
    git init -q "$coll"
}
