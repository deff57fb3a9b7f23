# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: engine. An ``argument_spec`` together with its constraints, mergeable.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: the standard library and ansible.module_utils.
"""

from __future__ import annotations

import copy

__all__ = [
    'ArgumentSpec',
]


class ArgumentSpec(object):
    """An ``argument_spec`` together with its constraints, mergeable.

    Each device API defines its connection options once (mirrored by one doc
    fragment); each module merges its own options into a copy. The same object
    builds an AnsibleModule (module process) or feeds ansible-core's
    ArgumentSpecValidator (controller-side action plugin): :meth:`constraints`.
    """

    def __init__(self, argument_spec: dict | None = None, mutually_exclusive: list | None = None,
                 required_together: list | None = None, required_one_of: list | None = None,
                 required_if: list | None = None, required_by: dict | None = None) -> None:
        self.argument_spec = copy.deepcopy(argument_spec or {})
        self.mutually_exclusive = list(mutually_exclusive or [])
        self.required_together = list(required_together or [])
        self.required_one_of = list(required_one_of or [])
        self.required_if = list(required_if or [])
        self.required_by = dict(required_by or {})

    def merge(self, other: 'ArgumentSpec') -> 'ArgumentSpec':
        """Return a new spec holding this one's options and constraints plus ``other``'s."""
        merged = ArgumentSpec(
            self.argument_spec, self.mutually_exclusive, self.required_together,
            self.required_one_of, self.required_if, self.required_by)
        overlap = set(merged.argument_spec) & set(other.argument_spec)
        if overlap:
            raise ValueError('options defined twice: %s' % ', '.join(sorted(overlap)))
        merged.argument_spec.update(copy.deepcopy(other.argument_spec))
        merged.mutually_exclusive.extend(other.mutually_exclusive)
        merged.required_together.extend(other.required_together)
        merged.required_one_of.extend(other.required_one_of)
        merged.required_if.extend(other.required_if)
        for key, value in other.required_by.items():
            merged.required_by.setdefault(key, [])
            merged.required_by[key] = list(merged.required_by[key]) + list(value)
        return merged

    def constraints(self) -> dict:
        """The keyword arguments AnsibleModule and ArgumentSpecValidator take besides the spec."""
        return dict(
            mutually_exclusive=self.mutually_exclusive,
            required_together=self.required_together,
            required_one_of=self.required_one_of,
            required_if=self.required_if,
            required_by=self.required_by,
        )

    def create_ansible_module(self, supports_check_mode: bool, **kwargs):
        from ansible.module_utils.basic import AnsibleModule
        return AnsibleModule(argument_spec=self.argument_spec, supports_check_mode=supports_check_mode,
                             **dict(self.constraints(), **kwargs))
