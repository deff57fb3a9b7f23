# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The collection past one controller: in an execution environment and under ansible-runner, the
two things AWX / Automation Platform use to run a job on its execution nodes.

* ``ansible-builder create`` (no container engine needed) lays out a build context for an
  execution environment holding the collection built from this tree, and ``ansible-builder
  introspect`` (the step that image build runs) finds our Python and system requirements through
  meta/execution-environment.yml.
* The audit playbook runs through ansible-runner as a job does (no terminal of a person, no stdin,
  its own artifacts directory) against simulated firewalls; the report callback writes its report into
  the job's artifacts, and no secret reaches the job's stdout or its events.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ansible_collections.directpath.firewall.tests.simulators import fleet as fleet_module
from ansible_collections.directpath.firewall.tests.simulators.fleet import Fleet, to_yaml

# The collection as Python imports it: .../ansible_collections/directpath/firewall (not resolved,
# so that the collections root above it stays the one on the import path).
COLLECTION = Path(os.path.abspath(fleet_module.__file__)).parents[2]
VENV_BIN = Path(sys.executable).parent


def tool(name):
    path = VENV_BIN / name
    if not path.exists():
        pytest.skip('%s is not installed (requirements-test.txt)' % name)
    return str(path)


def requirement_lines(path):
    """Non-comment lines of a requirements or bindep file, without trailing comments."""
    lines = []
    for line in Path(path).read_text(encoding='utf-8').splitlines():
        line = line.split('#', 1)[0].strip()
        if line and not line.startswith('-'):
            lines.append(line)
    return lines


@pytest.fixture(scope='module')
def collection_tarball(tmp_path_factory):
    output = tmp_path_factory.mktemp('artifact')
    subprocess.run([tool('ansible-galaxy'), 'collection', 'build', '--force', '--output-path', str(output), str(COLLECTION)],
                   check=True, capture_output=True, text=True)
    [tarball] = output.glob('directpath-firewall-*.tar.gz')
    return tarball


def test_ansible_builder_create_lays_out_a_context_with_the_collection(tmp_path, collection_tarball):
    import ansible
    from importlib.metadata import version

    definition = {
        'version': 3,
        # Never pulled: `create` only writes the build context.
        'images': {'base_image': {'name': 'registry.invalid/directpath/ee-base:latest'}},
        'dependencies': {
            'ansible_core': {'package_pip': 'ansible-core==%s' % ansible.__version__},
            'ansible_runner': {'package_pip': 'ansible-runner==%s' % version('ansible-runner')},
            'galaxy': {'collections': [{'name': 'collections/%s' % collection_tarball.name, 'type': 'file'}]},
        },
        'additional_build_files': [{'src': str(collection_tarball), 'dest': 'collections'}],
    }
    ee_file = tmp_path / 'execution-environment.yml'
    ee_file.write_text(yaml.safe_dump(definition, sort_keys=False), encoding='utf-8')
    context = tmp_path / 'context'
    process = subprocess.run([tool('ansible-builder'), 'create', '-f', str(ee_file), '-c', str(context),
                              '--output-filename', 'Containerfile'], check=False, capture_output=True, text=True, cwd=str(tmp_path))
    assert process.returncode == 0, process.stdout + process.stderr
    containerfile = (context / 'Containerfile').read_text(encoding='utf-8')
    # The image build installs the galaxy requirements, then introspects the installed collections
    # for their Python and system requirements (meta/execution-environment.yml).
    assert 'ansible-galaxy collection install' in containerfile
    assert 'introspect' in containerfile
    galaxy = yaml.safe_load((context / '_build' / 'requirements.yml').read_text(encoding='utf-8'))
    assert galaxy == {'collections': [{'name': 'collections/%s' % collection_tarball.name, 'type': 'file'}]}
    assert (context / '_build' / 'collections' / collection_tarball.name).read_bytes() == collection_tarball.read_bytes()


def test_ansible_builder_introspect_finds_our_python_and_system_requirements(tmp_path, collection_tarball):
    collections = tmp_path / 'collections'
    subprocess.run([tool('ansible-galaxy'), 'collection', 'install', '--offline', '--force', '-p', str(collections), str(collection_tarball)],
                   check=True, capture_output=True, text=True)
    installed = collections / 'ansible_collections' / 'directpath' / 'firewall'
    assert (installed / 'meta' / 'execution-environment.yml').is_file()
    pip, bindep = tmp_path / 'pip.txt', tmp_path / 'bindep.txt'
    process = subprocess.run([tool('ansible-builder'), 'introspect', '--write-pip', str(pip), '--write-bindep', str(bindep),
                              str(collections)], check=False, capture_output=True, text=True)
    assert process.returncode == 0, process.stdout + process.stderr
    assert requirement_lines(pip) == requirement_lines(COLLECTION / 'requirements.txt')
    assert requirement_lines(bindep) == requirement_lines(COLLECTION / 'bindep.txt')
    # What bindep installs in the image (no profile): only what the shipped code needs, none of the
    # [test] packages.
    process = subprocess.run([tool('bindep'), '-l', 'newline', '-f', str(bindep)], check=False, capture_output=True, text=True)
    assert process.returncode == 0, process.stdout + process.stderr
    wanted = [line for line in requirement_lines(COLLECTION / 'bindep.txt') if '[' not in line]
    assert process.stdout.split() == wanted


@pytest.fixture
def fleet(tmp_path):
    started = Fleet(tmp_path / 'fleet')
    try:
        started.start_vendors({'panos': 2})
        yield started
    finally:
        started.stop()


def test_the_audit_runs_through_ansible_runner_and_reports_into_the_job_artifacts(tmp_path, fleet):
    ansible_runner = pytest.importorskip('ansible_runner')
    collections_root = COLLECTION.parents[2]
    private = tmp_path / 'job'
    (private / 'inventory').mkdir(parents=True)
    (private / 'project').mkdir()
    inventory = fleet.inventory()
    inventory['all']['children']['firewalls']['children']['panos']['vars'] = {'directpath_tailscale_hosts': ['10.0.0.5']}
    inventory['all']['children']['firewalls']['children']['no_device_api'] = {'hosts': {'checkpoint-hq': {'directpath_vendor': 'checkpoint'}}}
    (private / 'inventory' / 'hosts.yml').write_text(to_yaml(inventory), encoding='utf-8')
    (private / 'project' / 'audit.yml').write_text('- ansible.builtin.import_playbook: directpath.firewall.audit\n', encoding='utf-8')
    artifacts = private / 'artifacts' / 'nightly-audit'
    envvars = {
        'PATH': str(VENV_BIN) + os.pathsep + os.environ.get('PATH', ''),
        'ANSIBLE_COLLECTIONS_PATH': str(collections_root),
        'ANSIBLE_CALLBACKS_ENABLED': 'directpath.firewall.audit_report',
        'DIRECTPATH_REPORT_DIR': str(artifacts / 'directpath'),
        'DIRECTPATH_REPORT_PREFIX': 'audit',
        'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
        'ANSIBLE_HOST_KEY_CHECKING': 'false',
    }
    # As an execution node runs a job: no stdin, output only through the runner's artifacts and events.
    run = ansible_runner.run(private_data_dir=str(private), playbook='audit.yml', ident='nightly-audit', envvars=envvars,
                             quiet=True, timeout=600)
    stdout = (artifacts / 'stdout').read_text(encoding='utf-8', errors='replace')
    assert run.status == 'successful' and run.rc == 0, stdout[-4000:]
    report = json.loads((artifacts / 'directpath' / 'audit.json').read_text(encoding='utf-8'))
    assert report['run_mode'] == 'check'
    statuses = {device['host']: device['status'] for device in report['devices']}
    assert statuses == {'panos-1': 'drift', 'panos-2': 'drift', 'checkpoint-hq': 'not_applicable'}
    assert (artifacts / 'directpath' / 'audit.md').is_file() and (artifacts / 'directpath' / 'audit.html').is_file()
    assert 'DIRECTPATH AUDIT REPORT (check mode)' in stdout
    # The job's events (what AWX stores and shows) carry the compliance records.
    records = [event['event_data']['res']['compliance'] for event in run.events
               if event.get('event') == 'runner_on_ok' and 'compliance' in event.get('event_data', {}).get('res', {})]
    assert sorted(record['vendor'] for record in records) == ['checkpoint', 'panos', 'panos']
    # Zero writes in the audit, and no secret anywhere in the job's artifacts.
    for member in fleet.members:
        assert member.simulator.journal.writes() == []
    secrets = {fleet.members[0].hostvars['panos_password']} | {member.simulator.api_key for member in fleet.members}
    for path in artifacts.rglob('*'):
        if path.is_file():
            text = path.read_text(encoding='utf-8', errors='replace')
            assert not any(secret in text for secret in secrets), path
    shutil.rmtree(private / 'artifacts', ignore_errors=True)
