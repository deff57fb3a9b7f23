# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The layers of plugins/module_utils (docs/architecture.md): one-way imports, exported names only."""

from __future__ import annotations

import ast
import importlib
import os

import pytest

PACKAGE = 'ansible_collections.directpath.firewall.plugins'
# tests/unit/plugins/test_layers.py -> plugins/. This file lives outside tests/unit/plugins/module_utils so that
# ansible-test runs it in its controller context, where plugin_utils and the action plugins import too.
PLUGINS = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..', '..', 'plugins'))
MODULE_UTILS = os.path.join(PLUGINS, 'module_utils')

# A layer may import the layers listed for it (and itself); nothing else of module_utils.
ALLOWED = {
    'engine': {'engine'},
    'transport': {'engine', 'transport'},
    'clients': {'engine', 'transport', 'clients'},
    'workarounds': {'engine', 'transport', 'clients', 'workarounds'},
    'fleet': {'engine', 'fleet'},
}


def python_files(top):
    for directory, dummy, names in os.walk(top):
        for name in sorted(names):
            if name.endswith('.py'):
                yield os.path.join(directory, name)


def collection_imports(path):
    """(module path, [names]) for every ``from ansible_collections.directpath.firewall... import`` in ``path``."""
    with open(path) as handle:
        tree = ast.parse(handle.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or '').startswith(PACKAGE + '.'):
            yield node.module, [alias.name for alias in node.names]


def layer_of_module(dotted):
    parts = dotted[len(PACKAGE) + 1:].split('.')
    if parts[0] != 'module_utils':
        return None
    return parts[1] if len(parts) > 1 else None


def test_every_module_utils_file_sits_in_a_layer():
    for path in python_files(MODULE_UTILS):
        layer = os.path.relpath(path, MODULE_UTILS).split(os.sep)[0]
        assert layer in ALLOWED, '%s is not inside a layer package (%s)' % (path, ', '.join(sorted(ALLOWED)))


@pytest.mark.parametrize('path', list(python_files(MODULE_UTILS)), ids=lambda p: os.path.relpath(p, MODULE_UTILS))
def test_imports_go_down_the_layers_only(path):
    layer = os.path.relpath(path, MODULE_UTILS).split(os.sep)[0]
    for module, names in collection_imports(path):
        target = layer_of_module(module)
        if target is None and module == PACKAGE + '.module_utils':
            # ``from ...module_utils import x`` imports a layer package by name.
            targets = names
        else:
            targets = [target]
        for target in targets:
            assert target in ALLOWED[layer], '%s (layer %s) imports %s (layer %s)' % (path, layer, module, target)


def test_each_file_says_its_layer_and_what_it_may_import():
    for path in python_files(MODULE_UTILS):
        if os.path.basename(path) == '__init__.py':
            continue
        with open(path) as handle:
            doc = ast.get_docstring(ast.parse(handle.read())) or ''
        layer = os.path.relpath(path, MODULE_UTILS).split(os.sep)[0]
        assert doc.startswith('Layer: %s' % layer), '%s: the docstring must start with "Layer: %s"' % (path, layer)
        assert 'May import:' in doc, '%s: the docstring must say what it may import' % path


def all_plugin_imports():
    for path in python_files(PLUGINS):
        for module, names in collection_imports(path):
            if '.module_utils.' in module + '.' or '.plugin_utils.' in module + '.':
                yield path, module, names


@pytest.mark.parametrize('path,module,names', list(all_plugin_imports()),
                         ids=lambda value: os.path.relpath(value, PLUGINS) if isinstance(value, str) and value.startswith('/') else None)
def test_imported_names_are_exported(path, module, names):
    imported = importlib.import_module(module)
    exported = getattr(imported, '__all__', None)
    for name in names:
        if exported is None or name not in exported:
            # ``from package import submodule`` is not a name import.
            try:
                importlib.import_module('%s.%s' % (module, name))
                continue
            except ImportError:
                pass
        assert exported is not None, '%s has no __all__, but %s imports %s from it' % (module, path, name)
        assert name in exported, '%s imports %s from %s, which does not export it (__all__)' % (path, name, module)


def test_all_lists_only_names_that_exist():
    for path in python_files(os.path.join(PLUGINS, "module_utils")):
        if os.path.basename(path) == '__init__.py':
            continue
        dotted = PACKAGE + '.' + os.path.relpath(path, PLUGINS)[:-3].replace(os.sep, '.')
        imported = importlib.import_module(dotted)
        for name in getattr(imported, '__all__', []):
            assert hasattr(imported, name), '%s.__all__ lists %s, which it does not define' % (dotted, name)
