# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The controller-side action plugins (plugins/plugin_utils/engine_action.py) as Ansible calls them:
an ActionModule built from a task, ``run()`` in this process, no module process.

The module tests run through this path too (tests/unit/plugins/modules/conftest.py); these tests
cover what only the action path has: warnings in the result rather than AnsibleModule.warn, the
environment fallbacks read in the controller, the task's check mode, async refused, a missing
client library, and that the connection is never used.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from unittest import mock

import pytest

pytest.importorskip('panos')

# pylint: disable=wrong-import-position
from ansible.errors import AnsibleActionFail  # noqa: E402
from ansible.module_utils import _internal as module_utils_internal  # noqa: E402

from ansible_collections.directpath.firewall.plugins.action import guidance_info as guidance_info_action  # noqa: E402
from ansible_collections.directpath.firewall.plugins.action import panos_persistent_dipp as panos_action  # noqa: E402
from ansible_collections.directpath.firewall.plugins.plugin_utils import engine_action  # noqa: E402
from ansible_collections.directpath.firewall.tests.simulators.panos import PanosSimulator  # noqa: E402

RULES_XPATH = "./devices/entry[@name='localhost.localdomain']/vsys/entry[@name='vsys1']/rulebase/nat/rules"


@pytest.fixture(autouse=True)
def controller(monkeypatch):
    """The worker process is the controller (the module tests may have set it otherwise)."""
    monkeypatch.setattr(module_utils_internal, 'is_controller', True)


@pytest.fixture
def sim(tmp_path):
    simulator = PanosSimulator(tmp_path / 'panos', timeout_seconds=4.0).start()
    yield simulator
    simulator.stop()


def run_action(action_module, args, check_mode=False, diff=False, async_val=0, action='directpath.firewall.panos_persistent_dipp'):
    task = mock.Mock(args=args, check_mode=check_mode, diff=diff, async_val=async_val, action=action)
    connection = mock.Mock()
    connection._shell.tmpdir = None  # pylint: disable=protected-access
    plugin = action_module.ActionModule(task, connection, play_context=mock.Mock(), loader=None, templar=None, shared_loader_obj=None)
    result = plugin.run(task_vars={})
    return result, connection


def conn(sim, **extra):
    args = dict(host=sim.host, port=sim.port, username=sim.username, password=sim.password, ca_path=sim.ca_path,
                timeout=2, rules=['lan-out'])
    args.update(extra)
    return args


def translation_of(sim, rule):
    root = ET.fromstring(sim.control().state()['running'])
    [entry] = [entry for entry in root.find(RULES_XPATH) if entry.get('name') == rule]
    return entry.find('source-translation')[0].tag


def test_four_steps_in_the_worker_without_touching_the_connection(sim):
    result, connection = run_action(panos_action, conn(sim), check_mode=True, diff=True)
    assert result['changed'] is True and result['compliance']['status'] == 'drift'
    assert result['diff']['after'] == {'lan-out': 'persistent-dynamic-ip-and-port'}
    assert sim.journal.writes() == []
    result = run_action(panos_action, conn(sim))[0]
    assert result['changed'] is True and translation_of(sim, 'lan-out') == 'persistent-dynamic-ip-and-port'
    sim.journal.clear()
    result = run_action(panos_action, conn(sim))[0]
    assert result['changed'] is False and sim.journal.writes() == []
    result = run_action(panos_action, conn(sim), check_mode=True)[0]
    assert result['changed'] is False and result['compliance']['status'] == 'compliant'
    # No module was transferred or executed: the connection plugin was never called.
    assert not any(name.startswith(('exec_command', 'put_file', '_connect')) for name, _args, _kwargs in connection.mock_calls)


def test_password_and_generated_key_are_masked_everywhere_in_the_result(sim):
    result = run_action(panos_action, conn(sim), diff=True)[0]
    text = json.dumps(result)
    assert sim.password not in text and sim.api_key not in text
    assert result['invocation']['module_args']['password'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


def test_environment_fallbacks_are_read_in_the_controller(sim, monkeypatch):
    monkeypatch.setenv('PANOS_USERNAME', sim.username)
    monkeypatch.setenv('PANOS_PASSWORD', sim.password)
    args = conn(sim)
    del args['username'], args['password']
    result = run_action(panos_action, args, check_mode=True)[0]
    assert result['compliance']['status'] == 'drift'
    assert sim.password not in json.dumps(result)


def test_a_result_that_needs_a_person_is_a_warning_in_the_result(tmp_path):
    with PanosSimulator(tmp_path / 'old', sw_version='10.2.4') as old:
        result = run_action(panos_action, conn(old))[0]
    assert result['compliance']['status'] == 'manual'
    assert len(result['warnings']) == 1 and 'needs a person' in result['warnings'][0] and '11.1.1' in result['warnings'][0]


def module_result(capsys, monkeypatch, args):
    """The module's own result for ``args`` (main() in this process, as a module process runs it)."""
    from ansible.module_utils.testing import patch_module_args
    from ansible_collections.directpath.firewall.plugins.modules import panos_persistent_dipp

    monkeypatch.setattr(module_utils_internal, 'is_controller', False)
    with patch_module_args(dict(args, _ansible_module_name='directpath.firewall.panos_persistent_dipp')):
        with pytest.raises(SystemExit):
            panos_persistent_dipp.main()
    monkeypatch.setattr(module_utils_internal, 'is_controller', True)
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize('args', [
    {'host': '127.0.0.1', 'password': 'hunter2-secret', 'bogus': 1},
    {'host': '127.0.0.1', 'state': 'sideways', 'password': 'hunter2-secret'},
    {'host': '127.0.0.1'},
    {'host': '127.0.0.1', 'password': 'hunter2-secret', 'api_key': 'key-secret'},
], ids=['unsupported', 'bad-choice', 'required-one-of', 'mutually-exclusive'])
def test_bad_arguments_fail_as_the_module_does(capsys, monkeypatch, args):
    expected = module_result(capsys, monkeypatch, args)
    result = run_action(panos_action, args)[0]
    assert result['failed'] is True and expected['failed'] is True
    assert result['msg'] == expected['msg']
    assert result['invocation'] == expected['invocation']
    assert 'hunter2-secret' not in json.dumps(result) and 'key-secret' not in json.dumps(result)


def test_a_missing_client_library_fails_with_cause_dependency(monkeypatch, sim):
    monkeypatch.setattr(panos_action.ActionModule, 'REQUIRES', (('pan-os-python', False),))
    result = run_action(panos_action, conn(sim))[0]
    assert result['failed'] is True and result['cause'] == 'dependency' and 'pan-os-python' in result['msg']
    assert sim.journal.entries() == []


def test_async_is_refused():
    with pytest.raises(AnsibleActionFail, match='does not support async'):
        run_action(guidance_info_action, {'vendor': 'checkpoint'}, async_val=10, action='directpath.firewall.guidance_info')


def test_guidance_info_names_vendor_and_workaround_from_its_options():
    result = run_action(guidance_info_action, {'vendor': 'sophos'}, action='directpath.firewall.guidance_info')[0]
    assert result['compliance']['vendor'] == 'sophos' and result['compliance']['workaround'] == 'none'
    result = run_action(guidance_info_action, {'vendor': 'juniper'}, action='directpath.firewall.guidance_info')[0]
    assert result['failed'] is True and 'known vendors' in result['msg']


def test_task_arguments_become_plain_python_types():
    class TaggedText(str):
        pass

    plain = engine_action._plain({'a': TaggedText('x'), 'b': (1, TaggedText('y')), 'c': {'d': True}})  # pylint: disable=protected-access
    assert plain == {'a': 'x', 'b': [1, 'y'], 'c': {'d': True}}
    assert type(plain['a']) is str and type(plain['b'][1]) is str  # pylint: disable=unidiomatic-typecheck
