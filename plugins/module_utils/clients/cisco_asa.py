# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: clients. Cisco ASA command-line client (SSH, netmiko's ``cisco_asa`` driver) for directpath.firewall.

PRIVATE to the directpath.firewall collection: may change at any time.

May import: engine/, transport/, other clients/ files.

Reads the parts of the running configuration the collection manages, in the forms the ASA prints
them (Cisco ASA Series Firewall CLI Configuration Guide, "Access Control Lists" and "Network
Object NAT"):

* ``show running-config access-group``: ``access-group ACL in interface IFC``;
* ``show running-config access-list``: ``access-list ACL extended permit udp any4 object NAME eq
  41641`` and ``access-list ACL remark TEXT``, one line per entry, in order (the order is the
  evaluation order; line numbers are not saved);
* ``show running-config object network``: ``object network NAME`` with `` host A`` / `` subnet A M``
  / `` range A B`` / `` fqdn X`` and `` description ...``;
* ``show running-config nat``: object NAT as ``object network NAME`` + `` nat (real,mapped) ...``;
* ``show access-list ACL``: the entries with their line numbers (``access-list ACL line N ...``;
  indented lines are expansions of objects and object groups and share their parent's number),
  read only when inserting.

Writes are configuration commands sent one at a time (:meth:`CliSession.configure`) and ``write
memory``. This client decides nothing: the workaround says what to send.
"""

from __future__ import annotations

import re

from ansible.module_utils.basic import env_fallback

from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.transport.ssh import HAS_NETMIKO, CliSession

__all__ = [
    'ASA_CONNECTION_SPEC',
    'AsaClient',
    'AsaConfig',
    'HAS_NETMIKO',
    'parse_access_groups',
    'parse_access_lists',
    'parse_line_numbers',
    'parse_object_nat',
    'parse_objects',
]

ASA_CONNECTION_SPEC = ArgumentSpec(
    argument_spec=dict(
        host=dict(type='str', required=True, fallback=(env_fallback, ['CISCO_ASA_HOST'])),
        port=dict(type='int', default=22),
        username=dict(type='str', required=True, fallback=(env_fallback, ['CISCO_ASA_USERNAME'])),
        password=dict(type='str', required=True, no_log=True, fallback=(env_fallback, ['CISCO_ASA_PASSWORD'])),
        enable_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['CISCO_ASA_ENABLE_SECRET'])),
        host_key_checking=dict(type='bool', default=True),
        # A public key: not a secret (it is what the device shows anyone who connects).
        host_key=dict(type='str', no_log=False),
        known_hosts=dict(type='path'),
        timeout=dict(type='int', default=30),
    ),
    mutually_exclusive=[('host_key', 'known_hosts')],
)


def _lines(text):
    return [line.rstrip() for line in (text or '').replace('\r', '').split('\n') if line.strip()]


def parse_access_groups(text) -> list:
    """``[(acl, direction, interface)]`` from ``show running-config access-group``."""
    groups = []
    for line in _lines(text):
        words = line.split()
        if len(words) == 5 and words[0] == 'access-group' and words[3] == 'interface':
            groups.append((words[1], words[2], words[4]))
    return groups


def parse_access_lists(text) -> dict:
    """``{acl: [entry text, ...]}`` (text after ``access-list ACL ``) from ``show running-config access-list``."""
    acls = {}
    for line in _lines(text):
        words = line.split()
        if len(words) >= 3 and words[0] == 'access-list':
            acls.setdefault(words[1], []).append(' '.join(words[2:]))
    return acls


def parse_objects(text) -> dict:
    """``{name: address}`` from ``show running-config object network``; address is ``host A``,
    ``subnet A M``, ``range A B``, ``fqdn ...`` or None (an object without one)."""
    objects = {}
    current = None
    for line in _lines(text):
        if line.startswith('object network '):
            current = line.split()[2]
            objects.setdefault(current, None)
        elif line.startswith(' ') and current is not None:
            words = line.split()
            if words[0] in ('host', 'subnet', 'range', 'fqdn'):
                objects[current] = ' '.join(words)
        else:
            current = None
    return objects


def parse_object_nat(text) -> dict:
    """``{object name: 'nat (...) ...'}`` from ``show running-config nat`` (object NAT only)."""
    nats = {}
    current = None
    for line in _lines(text):
        if line.startswith('object network '):
            current = line.split()[2]
        elif line.startswith(' ') and current is not None and line.split()[0] == 'nat':
            nats[current] = ' '.join(line.split())
        else:
            current = None
    return nats


_SHOWN_LINE = re.compile(r'^access-list (?P<acl>\S+) line (?P<line>\d+) (?P<body>.*?)(?: \(hitcnt=\d+\))?(?: \(inactive\))?(?: 0x[0-9a-f]+)?\s*$')


def parse_line_numbers(text, acl) -> list:
    """``[(line number, shown text)]`` of the top-level entries of ``show access-list ACL``
    (expansion lines, indented in the output, are skipped)."""
    entries = []
    for raw in (text or '').replace('\r', '').split('\n'):
        if not raw.startswith('access-list '):
            continue
        match = _SHOWN_LINE.match(raw.rstrip())
        if match and match.group('acl') == acl:
            entries.append((int(match.group('line')), match.group('body')))
    return entries


class AsaConfig(object):
    """The parts of the running configuration the workaround reads."""

    def __init__(self, access_groups: list, access_lists: dict, objects: dict, nats: dict) -> None:
        self.access_groups = access_groups
        self.access_lists = access_lists
        self.objects = objects
        self.nats = nats


class AsaClient(object):
    """Talks to one ASA over SSH. ``read_only`` connects without any configuration-mode command."""

    def __init__(self, params: dict, api_calls, secrets=None, read_only: bool = False) -> None:
        self.params = params
        self.api_calls = api_calls
        self.read_only = read_only
        self.secrets = secrets
        self.session = None

    @property
    def host(self) -> str:
        return self.params['host']

    def _count(self, command, is_write):
        if is_write:
            self.api_calls.write()
        else:
            self.api_calls.read()

    def connect(self) -> 'AsaClient':
        params = self.params
        self.session = CliSession(
            'cisco_asa', params['host'], params['port'], params['username'], params['password'],
            enable_secret=params.get('enable_secret'), host_key_checking=params['host_key_checking'],
            known_hosts=params.get('known_hosts'), host_key=params.get('host_key'), timeout=params['timeout'],
            secrets=self.secrets, on_command=self._count, allow_config_mode=not self.read_only,
        ).connect()
        return self

    def reconnect(self) -> 'AsaClient':
        self.close()
        return self.connect()

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    def read_config(self) -> AsaConfig:
        """Access groups, every ACL, network objects and object NAT (four show commands)."""
        show = self.session.show
        return AsaConfig(
            parse_access_groups(show('show running-config access-group')),
            parse_access_lists(show('show running-config access-list')),
            parse_objects(show('show running-config object network')),
            parse_object_nat(show('show running-config nat')),
        )

    def line_numbers(self, acl: str) -> list:
        """``[(line, text)]`` of ``show access-list ACL`` (the device's own numbering)."""
        text = self.session.show('show access-list %s' % acl)
        entries = parse_line_numbers(text, acl)
        if not entries:
            raise DirectPathError('%s: "show access-list %s" listed no entries' % (self.host, acl), cause='api')
        return entries

    def configure(self, commands: list, on_applied=None) -> None:
        self.session.configure(commands, on_applied=on_applied)

    def save(self) -> str:
        return self.session.save('write memory')
