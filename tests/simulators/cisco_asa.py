# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A strict, stateful simulator of the Cisco ASA command line over SSH (paramiko server).

It is built to be driven by netmiko 4.8's ``cisco_asa`` driver (``netmiko/cisco/cisco_asa_ssh.py``
and ``cisco_base_connection.py``), the client the collection uses. The device side is an SSH server
on 127.0.0.1 (ephemeral port) with a password login, an interactive shell with the ASA's prompts
per mode, echo, the pager and the command set below. The simulator's control side (journal,
faults, state, snapshot) is the ``/_sim/`` HTTPS API of :class:`DeviceSimulator` on its own port,
so tests, the fleet and playbooks drive it the same way as the HTTPS simulators.

Sources, cited next to each shape with these short names:

* [netmiko] netmiko 4.8.0 ``netmiko/cisco/cisco_asa_ssh.py`` (session_preparation: ``show
  curpriv``, ``enable`` or ``login``, ``terminal pager 0``, ``terminal width 511`` in config mode;
  config mode detected by ``)#``), ``netmiko/cisco_base_connection.py`` (``configure terminal``,
  ``end``), ``netmiko/base_connection.py``.
* [ntc] networktocode/ntc-templates test captures of real devices,
  ``tests/cisco_asa/show_access-list/*.raw`` (``cisco_asa_show_access-list.raw``,
  ``..._update2.raw``, ``...3.raw``, ``..._4.raw``) and the template
  ``cisco_asa_show_access-list.textfsm`` (our output must parse with it; tested).
* [cli-guide] Cisco ASA Series Firewall CLI Configuration Guide, "Access Control Lists" (ACE
  syntax; "The line number is not saved in the configuration; it only specifies where to insert
  the ACE"; delete an ACE with ``no access-list`` and the entire entry as it appears in the
  configuration) and "Network Address Translation" (network object NAT, static NAT with port
  translation ``service {tcp|udp} real_port mapped_port``, static interface NAT with port
  translation; one NAT rule per object).
* [general-guide] Cisco ASA 5500 Series Configuration Guide using the CLI, Appendix A "Command
  Modes and Prompts" (``hostname>``, ``hostname#``, ``hostname(config)#``,
  ``hostname(config-network-object)#``) and "Configuring Management Access" table "show curpriv
  Command Output" (``Username``, ``Current privilege level``, ``Current Mode/s`` with
  ``P_UNPR``/``P_PRIV``/``P_CONF``).
* [asdm-objects] ASDM 7.12 Firewall Configuration Guide, "Objects for Access Control" (object
  names up to 64 characters of letters, digits and ``.!@#$%^&()-_{}``; objects and object groups
  share one name space; an object used in a command cannot be removed).
* [issue-14] the collection's issue 14 (error form: a caret line then ``ERROR: % Invalid input
  detected at '^' marker.``).

Shapes marked INFERRED were not found in a primary source; docs/simulators.md lists them.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import threading
import zlib
from pathlib import Path

import paramiko

from ansible_collections.directpath.firewall.tests.simulators.base import (
    AUTH, OTHER, READ, WRITE, DeviceSimulator, FaultInjector, Response,
)

__all__ = [
    'ASA_FAULTS',
    'CiscoAsaSimulator',
    'SESSION',
    'default_config',
]

# Journal kind of the commands that only set up or leave a session (``show curpriv``, ``terminal
# pager 0``, ``configure terminal`` / ``terminal width 511`` / ``end`` on connect [netmiko]): they
# change nothing and are kept out of reads/writes.
SESSION = 'session'

# paramiko logs a client that hangs up ("Socket exception: Connection reset by peer") at ERROR; clients
# going away are normal here (fault tests), so the server side's transport log goes nowhere.
SSH_LOG_CHANNEL = 'directpath.simulators.cisco_asa.ssh'
logging.getLogger(SSH_LOG_CHANNEL).addHandler(logging.NullHandler())
logging.getLogger(SSH_LOG_CHANNEL).propagate = False

ASA_FAULTS = {
    'auth': 'the next matching login (op "ssh:login") or enable ("exec:enable") is refused',
    'timeout': 'the matching command is not run and gets no answer: the session is held `seconds`, then closed',
    'session_drop': 'the matching command IS run, then the session is closed before any answer (after `seconds`, default 0)',
    'slow': 'the matching command is answered after `seconds`',
    'api_error': 'the matching command is refused with `message` (default: caret line + "% Invalid input")',
}

INVALID_INPUT = "ERROR: % Invalid input detected at '^' marker."   # [issue-14], [ntc] issue captures

# [cli-guide] "TCP and UDP Ports": the ASA shows these well-known ports by name in the configuration
# and in show access-list ([ntc]: "eq domain", "eq www", "eq ssh", "eq https", "range ftp-data ssh").
PORT_NAMES = {
    'tcp': {20: 'ftp-data', 21: 'ftp', 22: 'ssh', 23: 'telnet', 25: 'smtp', 49: 'tacacs', 53: 'domain',
            70: 'gopher', 80: 'www', 110: 'pop3', 143: 'imap4', 443: 'https', 1723: 'pptp', 5190: 'aol'},
    'udp': {53: 'domain', 67: 'bootps', 68: 'bootpc', 69: 'tftp', 123: 'ntp', 161: 'snmp', 162: 'snmptrap',
            195: 'dnsix', 500: 'isakmp', 514: 'syslog', 1645: 'radius', 1646: 'radius-acct'},
}
NAME_TO_PORT = {}
for _proto, _table in PORT_NAMES.items():
    for _number, _name in _table.items():
        NAME_TO_PORT.setdefault(_proto, {})[_name] = _number
NAME_TO_PORT['tcp']['http'] = 80  # the CLI accepts "http" as www [cli-guide]

PROTOCOLS = ('ip', 'tcp', 'udp', 'icmp', 'icmp6', 'esp', 'ah', 'gre', 'ospf', 'pim', 'sctp', 'igmp')
OBJECT_NAME = re.compile(r'^[A-Za-z0-9.!@#$%^&()_{}-]{1,64}$')   # [asdm-objects]


def default_config(hostname='asa-sim', version='9.18(3)'):
    """A small but realistic running configuration: outside/inside/dmz interfaces, other people's
    objects and ACL entries (objects, object groups, a remark, an explicit deny at the end), an
    ``access-group`` binding, a dynamic PAT and an unrelated static NAT."""
    return """: Saved
:
: Serial Number: 9AJ1K2L3M4N
: Hardware:   ASAv, 2048 MB RAM, CPU Xeon 4100/6100/8100 series 2200 MHz
:
ASA Version {version}
!
hostname {hostname}
enable password ***** pbkdf2
names
!
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
!
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 10.0.0.1 255.255.255.0
!
interface GigabitEthernet0/2
 nameif dmz
 security-level 50
 ip address 192.0.2.1 255.255.255.0
!
ftp mode passive
object network web-server
 host 192.0.2.10
object network lan-net
 subnet 10.0.0.0 255.255.255.0
object network partner-range
 range 198.51.100.10 198.51.100.20
object-group network admin-hosts
 network-object host 10.0.0.50
 network-object 10.0.9.0 255.255.255.0
access-list outside_access_in remark published services
access-list outside_access_in extended permit tcp any4 object web-server eq https
access-list outside_access_in extended permit tcp object partner-range object web-server eq ssh
access-list outside_access_in extended permit icmp any4 any4 echo-reply
access-list outside_access_in extended deny ip any any log
access-list inside_access_in extended permit ip object-group admin-hosts any4
access-list inside_access_in extended permit ip object lan-net any
pager lines 24
logging enable
mtu outside 1500
mtu inside 1500
mtu dmz 1500
icmp unreachable rate-limit 1 burst-size 1
object network lan-net
 nat (inside,outside) dynamic interface
object network web-server
 nat (dmz,outside) static 203.0.113.10
access-group outside_access_in in interface outside
access-group inside_access_in in interface inside
route outside 0.0.0.0 0.0.0.0 203.0.113.1 1
aaa authentication ssh console LOCAL
ssh 0.0.0.0 0.0.0.0 outside
ssh timeout 5
: end
""".format(version=version, hostname=hostname)


class CliError(Exception):
    """A command the CLI refuses. ``token`` is the index of the offending token (caret line) or
    ``None`` for errors printed without a caret."""

    def __init__(self, message, token=None):
        super().__init__(message)
        self.message = message
        self.token = token


def _hash(text):
    return '0x%08x' % (zlib.crc32(text.encode('utf-8')) & 0xffffffff)


def _ipv4(text, index):
    try:
        return str(ipaddress.IPv4Address(text))
    except ValueError:
        raise CliError(INVALID_INPUT, index) from None


def _mask(address, mask, index):
    try:
        network = ipaddress.IPv4Network('%s/%s' % (address, mask), strict=False)
    except ValueError:
        raise CliError(INVALID_INPUT, index) from None
    if str(network.network_address) != address:
        # Field reports of ASA 8.x-9.x: "ERROR: IP address,mask <a>,<m> doesn't pair".
        raise CliError("ERROR: IP address,mask %s,%s doesn't pair" % (address, mask))
    return mask


class _Tokens:
    """A cursor over the words of one command line (indices feed the caret line)."""

    def __init__(self, words, start=0):
        self.words = words
        self.index = start

    def peek(self):
        return self.words[self.index] if self.index < len(self.words) else None

    def take(self):
        word = self.peek()
        if word is None:
            # Incomplete command: the ASA answers "ERROR: % Incomplete command" [INFERRED wording].
            raise CliError('ERROR: % Incomplete command')
        self.index += 1
        return word

    def done(self):
        return self.index >= len(self.words)


def _keyword(word, choices, index):
    """The ASA CLI accepts any unambiguous prefix of a keyword (``write mem``, ``conf t``, ``sh run``)."""
    if word in choices:
        return word
    found = [choice for choice in choices if choice.startswith(word.lower())]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise CliError('ERROR: %% Ambiguous command:  "%s"' % word)   # INFERRED wording
    raise CliError(INVALID_INPUT, index)


class AsaConfig:
    """The configuration model: what ``show running-config`` prints and what config commands change."""

    def __init__(self, text):
        self.version = '9.18(3)'
        self.hostname = 'ciscoasa'
        self.header = []
        self.interfaces = {}     # hardware name -> {'lines': [...], 'nameif': str|None}
        self.objects = {}        # name -> {'address': 'host 1.2.3.4' | 'subnet a m' | 'range a b' | None, 'description', 'nat'}
        self.groups = {}         # name -> {'members': ['network-object host 1.2.3.4', ...], 'description'}
        self.acls = {}           # name -> [{'text': 'extended permit ...' | 'remark ...', 'hits': 0}]
        self.access_groups = []  # 'access-group ACL in interface IFC'
        self.pager_lines = 24
        self.middle = []         # opaque top-level lines between the ACLs and object NAT (mtu, logging, ...)
        self.trailer = []        # opaque top-level lines after access-group (route, aaa, ssh, ...)
        self.head = []           # opaque top-level lines before the objects (names, ftp mode, ...)
        self._load(text)

    # ---------------------------------------------------------------------------------------------
    # Loading a running-config text: the same command code as the CLI, plus opaque lines
    # ---------------------------------------------------------------------------------------------
    def _load(self, text):
        kind = name = None   # the block indented lines belong to: ('interface' | 'object' | 'group', its name)
        seen_acl = seen_group = False
        for raw in text.splitlines():
            line = raw.rstrip()
            if not line or line.startswith(':') or line == '!':
                if line.startswith(': Serial') or line.startswith(': Hardware'):
                    self.header.append(line)
                if line == '!':
                    kind = name = None
                continue
            if line.startswith(' '):
                if kind is None:
                    raise ValueError('indented line outside a block: %r' % line)
                if kind == 'interface':
                    words = line.split()
                    if words[0] == 'nameif':
                        self.interfaces[name]['nameif'] = words[1]
                    self.interfaces[name]['lines'].append(line.strip())
                elif kind == 'object':
                    self.object_command(name, line.split())
                elif kind == 'group':
                    self.groups[name]['members'].append(line.strip())
                continue
            words = line.split()
            kind = name = None
            if words[0] == 'ASA' and words[1:2] == ['Version']:
                self.version = words[2]
            elif words[0] == 'hostname':
                self.hostname = words[1]
            elif words[0] == 'interface':
                self.interfaces[words[1]] = {'lines': [], 'nameif': None}
                kind, name = 'interface', words[1]
            elif words[:2] == ['object', 'network']:
                self.objects.setdefault(words[2], {'address': None, 'description': None, 'nat': None})
                kind, name = 'object', words[2]
            elif words[:2] == ['object-group', 'network']:
                self.groups[words[2]] = {'members': []}
                kind, name = 'group', words[2]
                seen_group = True
            elif words[0] in ('access-list', 'access-group'):
                self.global_command(words)
                seen_acl = True
            elif words[:2] == ['pager', 'lines']:
                self.pager_lines = int(words[2])
            elif words[0] in ('enable',) or not (seen_acl or seen_group or self.objects):
                self.head.append(line)
            elif self.access_groups:
                self.trailer.append(line)
            else:
                self.middle.append(line)

    # ---------------------------------------------------------------------------------------------
    # Rendering
    # ---------------------------------------------------------------------------------------------
    def nameifs(self):
        return [info['nameif'] for info in self.interfaces.values() if info['nameif']]

    def render_objects(self, names=None):
        lines = []
        for name, obj in self.objects.items():
            if names is not None and name not in names:
                continue
            lines.append('object network %s' % name)
            if obj['address']:
                lines.append(' ' + obj['address'])
            if obj['description']:
                lines.append(' description ' + obj['description'])
        return lines

    def render_groups(self):
        lines = []
        for name, group in self.groups.items():
            lines.append('object-group network %s' % name)
            lines.extend(' ' + member for member in group['members'])
        return lines

    def render_acls(self, name=None):
        lines = []
        for acl, entries in self.acls.items():
            if name is not None and acl != name:
                continue
            lines.extend('access-list %s %s ' % (acl, entry['text']) for entry in entries)
        return lines

    def render_nat(self):
        lines = []
        for name, obj in self.objects.items():
            if obj['nat']:
                lines.extend(['object network %s' % name, ' ' + obj['nat']])
        return lines

    def render_interfaces(self):
        lines = []
        for hardware, info in self.interfaces.items():
            lines.append('interface %s' % hardware)
            lines.extend(' ' + line for line in info['lines'])
            lines.append('!')
        return lines

    def render(self):
        """``show running-config`` ([cli-guide] section order: objects, object groups, ACLs, ..., object
        NAT, access-group, routes)."""
        lines = [': Saved', ':'] + self.header + [':', 'ASA Version %s' % self.version, '!', 'hostname %s' % self.hostname]
        head = list(self.head)
        lines.extend(line for line in head if line.startswith('enable '))
        lines.extend(line for line in head if line == 'names')
        lines.append('!')
        lines.extend(self.render_interfaces())
        lines.extend(line for line in head if not line.startswith('enable ') and line != 'names')
        lines.extend(self.render_objects())
        lines.extend(self.render_groups())
        lines.extend(self.render_acls())
        lines.append('pager lines %d' % self.pager_lines)
        lines.extend(self.middle)
        lines.extend(self.render_nat())
        lines.extend(self.access_groups)
        lines.extend(self.trailer)
        return '\n'.join(lines) + '\n'

    def render_saved(self):
        """What ``write memory`` stores (the running config with its checksum line, [cli-guide])."""
        text = self.render()
        checksum = '%032x' % (zlib.crc32(text.encode()) * 0x10001000100010001)
        checksum = checksum[-32:]
        return text + 'Cryptochecksum:%s\n: end\n' % checksum

    # ---------------------------------------------------------------------------------------------
    # References
    # ---------------------------------------------------------------------------------------------
    def object_in_use(self, name):
        for entries in self.acls.values():
            for entry in entries:
                words = entry['text'].split()
                for index, word in enumerate(words[:-1]):
                    if word in ('object', 'object-group') and words[index + 1] == name:
                        return True
        for group in self.groups.values():
            if 'network-object object %s' % name in group['members']:
                return True
        return False

    def expand(self, spec):
        """Address spec -> list of shown forms ([ntc]: objects shown as host/net/range on child lines)."""
        kind = spec[0]
        if kind == 'object':
            return [self.objects[spec[1]]['address'].replace('subnet ', '')]
        if kind == 'group':
            shown = []
            for member in self.groups[spec[1]]['members']:
                words = member.split()
                if words[:2] == ['network-object', 'object']:
                    shown.extend(self.expand(('object', words[2])))
                elif words[0] == 'network-object':
                    shown.append(' '.join(words[1:]))
            return shown
        return [spec[1]]

    # ---------------------------------------------------------------------------------------------
    # ACE grammar ([cli-guide] "Add an Extended ACE ...")
    # ---------------------------------------------------------------------------------------------
    def _address(self, cursor):
        start = cursor.index
        word = _keyword(cursor.take(), ('any', 'any4', 'any6', 'host', 'object', 'object-group', 'interface') if not
                        re.match(r'^\d+\.\d+\.\d+\.\d+$', cursor.peek() or '') else (cursor.peek(),), start)
        if word in ('any', 'any4', 'any6'):
            return [word], ('literal', word)
        if word == 'host':
            address = _ipv4(cursor.take(), cursor.index - 1)
            return ['host', address], ('literal', 'host ' + address)
        if word in ('object', 'object-group'):
            name = cursor.take()
            if word == 'object':
                if name not in self.objects:
                    raise CliError('ERROR: object (%s) does not exist.' % name)   # INFERRED wording
                if not self.objects[name]['address']:
                    raise CliError('ERROR: object (%s) has no address.' % name)   # INFERRED wording
                return ['object', name], ('object', name)
            if name not in self.groups:
                raise CliError('ERROR: object-group (%s) does not exist.' % name)  # INFERRED wording
            return ['object-group', name], ('group', name)
        if word == 'interface':
            name = cursor.take()
            if name not in self.nameifs():
                raise CliError(INVALID_INPUT, cursor.index - 1)
            return ['interface', name], ('literal', 'interface ' + name)
        address = _ipv4(word, start)
        mask = _mask(address, _ipv4(cursor.take(), cursor.index - 1), cursor.index - 1)
        return [address, mask], ('literal', '%s %s' % (address, mask))

    def _port(self, cursor, protocol):
        if cursor.peek() not in ('eq', 'lt', 'gt', 'neq', 'range') or protocol not in ('tcp', 'udp'):
            return []
        operator = cursor.take()
        ports = []
        for dummy in range(2 if operator == 'range' else 1):
            index = cursor.index
            word = cursor.take()
            if word.isdigit() and 0 <= int(word) <= 65535:
                number = int(word)
            elif word in NAME_TO_PORT.get(protocol, {}):
                number = NAME_TO_PORT[protocol][word]
            else:
                raise CliError(INVALID_INPUT, index)
            ports.append(PORT_NAMES.get(protocol, {}).get(number, str(number)))
        return [operator] + ports

    def parse_ace(self, words, start):
        """``extended permit|deny PROTO SRC [PORT] DST [PORT] [log ...] [time-range X] [inactive]``
        (words[start] is ``extended``) -> (canonical text, parsed)."""
        cursor = _Tokens(words, start + 1)
        action = _keyword(cursor.take(), ('permit', 'deny'), cursor.index - 1)
        index = cursor.index
        word = cursor.take()
        if word in ('object', 'object-group'):
            protocol_tokens = [word, cursor.take()]
            protocol = None
        elif word.isdigit() and int(word) <= 255:
            protocol_tokens, protocol = [word], word
        else:
            protocol = _keyword(word, PROTOCOLS, index)
            protocol_tokens = [protocol]
        source_tokens, source = self._address(cursor)
        source_port = self._port(cursor, protocol)
        destination_tokens, destination = self._address(cursor)
        destination_port = self._port(cursor, protocol)
        rest = []
        while not cursor.done():
            index = cursor.index
            word = _keyword(cursor.take(), ('log', 'time-range', 'inactive') +
                            (('echo', 'echo-reply', 'unreachable', 'time-exceeded', 'traceroute') if protocol == 'icmp' else ()), index)
            rest.append(word)
            if word == 'log':
                while not cursor.done() and cursor.peek() not in ('time-range', 'inactive'):
                    rest.append(cursor.take())
            elif word == 'time-range':
                rest.append(cursor.take())
        tokens = ['extended', action] + protocol_tokens + source_tokens + source_port + destination_tokens + destination_port + rest
        parsed = {'action': action, 'protocol': ' '.join(protocol_tokens), 'source': source, 'source_port': source_port,
                  'destination': destination, 'destination_port': destination_port, 'rest': rest}
        return ' '.join(tokens), parsed

    # ---------------------------------------------------------------------------------------------
    # Commands
    # ---------------------------------------------------------------------------------------------
    def global_command(self, words):
        """A global configuration command (``words[0]`` may be ``no``). Returns output lines."""
        negate = words[0] == 'no'
        base = 1 if negate else 0
        if len(words) <= base:
            raise CliError(INVALID_INPUT, 0)
        command = _keyword(words[base], ('access-list', 'access-group', 'object', 'hostname'), base)
        if command == 'access-list':
            return self._access_list(words, base, negate)
        if command == 'access-group':
            return self._access_group(words, base, negate)
        if command == 'hostname':
            if negate or len(words) != 2:
                raise CliError(INVALID_INPUT, len(words) - 1)
            self.hostname = words[1]
            return []
        # object network NAME
        if len(words) < base + 3:
            raise CliError('ERROR: % Incomplete command')
        _keyword(words[base + 1], ('network',), base + 1)
        name = words[base + 2]
        if not OBJECT_NAME.match(name):
            raise CliError(INVALID_INPUT, base + 2)
        if negate:
            if name not in self.objects:
                raise CliError('ERROR: object (%s) does not exist.' % name)  # INFERRED wording
            if self.object_in_use(name):
                # [asdm-objects]: an object used in a command cannot be removed (INFERRED wording).
                raise CliError('ERROR: unable to delete object (%s). Object is being used.' % name)
            del self.objects[name]
            return []
        if name in self.groups:
            # [asdm-objects]: objects and object groups share one name space (INFERRED wording).
            raise CliError('ERROR: %s already exists as an object-group' % name)
        self.objects.setdefault(name, {'address': None, 'description': None, 'nat': None})
        return []

    def _access_list(self, words, base, negate):
        if len(words) < base + 3:
            raise CliError('ERROR: % Incomplete command')
        name = words[base + 1]
        if not OBJECT_NAME.match(name):
            raise CliError(INVALID_INPUT, base + 1)
        index = base + 2
        line = None
        if words[index] == 'line':
            if len(words) <= index + 1 or not words[index + 1].isdigit():
                raise CliError(INVALID_INPUT, index + 1)
            line = int(words[index + 1])
            index += 2
            if index >= len(words):
                raise CliError('ERROR: % Incomplete command')
        kind = _keyword(words[index], ('extended', 'remark', 'standard'), index)
        if kind == 'remark':
            remark = ' '.join(words[index + 1:])
            if not remark:
                raise CliError('ERROR: % Incomplete command')
            text = 'remark ' + remark
        elif kind == 'standard':
            raise CliError(INVALID_INPUT, index)   # not simulated: standard ACLs
        else:
            text, _parsed = self.parse_ace(words, index)
        entries = self.acls.get(name, [])
        if negate:
            for position, entry in enumerate(entries):
                if entry['text'] == text:
                    del entries[position]
                    if not entries:
                        del self.acls[name]
                    return []
            # INFERRED wording.
            raise CliError('ERROR: %s does not exist in access-list %s' % (text, name))
        if kind != 'remark' and any(entry['text'] == text for entry in entries):
            # Field reports: the ASA refuses a duplicate ACE with this warning and keeps one copy.
            return ['WARNING: %s found duplicate element' % name]
        if line is not None and not 1 <= line <= len(entries) + 1:
            raise CliError('ERROR: Invalid line number %d' % line)   # INFERRED wording
        entry = {'text': text, 'hits': 0}
        if line is None:
            entries.append(entry)
        else:
            # [cli-guide]: "line" inserts at that position; it is not saved in the configuration.
            entries.insert(line - 1, entry)
        self.acls[name] = entries
        return []

    def _access_group(self, words, base, negate):
        # access-group ACL {in|out} interface IFC
        if len(words) != base + 5:
            raise CliError(INVALID_INPUT, min(len(words) - 1, base + 4))
        acl, direction, keyword, interface = words[base + 1:base + 5]
        direction = _keyword(direction, ('in', 'out'), base + 2)
        _keyword(keyword, ('interface',), base + 3)
        if interface not in self.nameifs():
            raise CliError(INVALID_INPUT, base + 4)
        text = 'access-group %s %s interface %s' % (acl, direction, interface)
        if negate:
            if text not in self.access_groups:
                raise CliError('ERROR: access-group %s not bound to interface %s' % (acl, interface))  # INFERRED
            self.access_groups.remove(text)
            return []
        if acl not in self.acls:
            raise CliError('ERROR: access-list <%s> does not exist' % acl)
        self.access_groups = [group for group in self.access_groups
                              if not group.endswith('%s interface %s' % (direction, interface))]
        self.access_groups.append(text)
        return []

    def object_command(self, name, words):
        """A command in ``(config-network-object)#`` mode for object ``name``."""
        obj = self.objects[name]
        negate = words[0] == 'no'
        base = 1 if negate else 0
        if len(words) <= base:
            raise CliError(INVALID_INPUT, 0)
        command = _keyword(words[base], ('host', 'subnet', 'range', 'description', 'nat'), base)
        if command == 'description':
            obj['description'] = None if negate else ' '.join(words[base + 1:])[:200]
            return []
        if command in ('host', 'subnet', 'range'):
            if negate:
                raise CliError(INVALID_INPUT, 0)
            if command == 'host':
                if len(words) != 2:
                    raise CliError(INVALID_INPUT, min(len(words) - 1, 2))
                address = 'host ' + _ipv4(words[1], 1)
            elif command == 'subnet':
                if len(words) != 3:
                    raise CliError(INVALID_INPUT, min(len(words) - 1, 3))
                address = 'subnet %s %s' % (_ipv4(words[1], 1), _mask(_ipv4(words[1], 1), _ipv4(words[2], 2), 2))
            else:
                if len(words) != 3:
                    raise CliError(INVALID_INPUT, min(len(words) - 1, 3))
                address = 'range %s %s' % (_ipv4(words[1], 1), _ipv4(words[2], 2))
            obj['address'] = address
            return []
        # nat (real,mapped) static {IP | interface | OBJ} [service {tcp|udp} real mapped] | dynamic ...
        if negate:
            if obj['nat'] is None:
                raise CliError('ERROR: NAT rule not found')   # INFERRED wording
            if len(words) > 2 and ' '.join(words[1:]) != obj['nat']:
                raise CliError('ERROR: NAT rule not found')
            obj['nat'] = None
            return []
        text = self._parse_nat(name, words)
        obj['nat'] = text
        return []

    def _parse_nat(self, name, words):
        if len(words) < 3:
            raise CliError('ERROR: % Incomplete command')
        match = re.match(r'^\(([^,()]+),([^,()]+)\)$', words[1])
        if not match:
            raise CliError(INVALID_INPUT, 1)
        real, mapped = match.groups()
        for interface in (real, mapped):
            if interface != 'any' and interface not in self.nameifs():
                raise CliError('ERROR: %s is not a valid interface name' % interface)   # INFERRED wording
        kind = _keyword(words[2], ('static', 'dynamic'), 2)
        if not self.objects[name]['address']:
            # [cli-guide]: objects used in NAT cannot be undefined. INFERRED wording.
            raise CliError('ERROR: Network object %s has no address' % name)
        if len(words) < 4:
            raise CliError('ERROR: % Incomplete command')
        target = words[3]
        if target != 'interface' and target not in self.objects:
            target = _ipv4(target, 3)
        tokens = ['nat', '(%s,%s)' % (real, mapped), kind, target]
        rest = words[4:]
        if kind == 'static' and rest[:1] == ['service']:
            if len(rest) != 4:
                raise CliError(INVALID_INPUT, min(len(words) - 1, 7))
            protocol = _keyword(rest[1], ('tcp', 'udp'), 5)
            ports = []
            for offset, word in enumerate(rest[2:4]):
                number = int(word) if word.isdigit() else NAME_TO_PORT.get(protocol, {}).get(word)
                if number is None or not 1 <= number <= 65535:
                    raise CliError(INVALID_INPUT, 6 + offset)
                ports.append(PORT_NAMES.get(protocol, {}).get(number, str(number)))
            tokens += ['service', protocol] + ports
            if not self.objects[name]['address'].startswith('host '):
                # INFERRED wording; static PAT needs one real address.
                raise CliError('ERROR: Static PAT requires a single real address')
            # Field reports: a second static PAT to the same mapped address, protocol and port is
            # refused with "ERROR: NAT unable to reserve ports."
            key = (mapped, target, protocol, ports[1])
            for other_name, other in self.objects.items():
                if other_name == name or not other['nat']:
                    continue
                other_words = other['nat'].split()
                if len(other_words) == 8 and other_words[2] == 'static' and other_words[4] == 'service':
                    other_mapped = other_words[1].strip('()').split(',')[1]
                    if (other_mapped, other_words[3], other_words[5], other_words[7]) == key:
                        raise CliError('ERROR: NAT unable to reserve ports.')
        elif kind == 'static' and target == 'interface':
            # [cli-guide]: the interface keyword is for static interface NAT *with port translation*.
            raise CliError('ERROR: % Incomplete command')
        elif rest:
            raise CliError(INVALID_INPUT, 4)
        return ' '.join(tokens)

    # ---------------------------------------------------------------------------------------------
    # show access-list ([ntc] captures)
    # ---------------------------------------------------------------------------------------------
    def show_access_list(self, name=None):
        lines = []
        if name is None:
            lines += ['access-list cached ACL log flows: total 0, denied 0 (deny-flow-max 4096)',
                      '            alert-interval 300']
        elif name not in self.acls:
            raise CliError('ERROR: access-list <%s> does not exist' % name)
        for acl, entries in self.acls.items():
            if name is not None and acl != name:
                continue
            body = []
            elements = 0
            for number, entry in enumerate(entries, start=1):
                prefix = 'access-list %s line %d ' % (acl, number)
                if entry['text'].startswith('remark '):
                    body.append(prefix + entry['text'])
                    continue
                words = entry['text'].split()
                parsed = self.parse_ace(words, 0)[1]
                parent_hash = _hash('%s %s' % (acl, entry['text']))
                body.append('%s%s (hitcnt=%d) %s ' % (prefix, self._show_ace(entry['text']), entry['hits'], parent_hash))
                expandable = [spec for spec in (parsed['source'], parsed['destination']) if spec[0] in ('object', 'group')]
                if not expandable:
                    elements += 1
                    continue
                grouped = any(spec[0] == 'group' for spec in expandable)
                for source in self.expand(parsed['source']):
                    for destination in self.expand(parsed['destination']):
                        child = ' '.join(filter(None, ['extended', parsed['action'], parsed['protocol'], source,
                                                       ' '.join(parsed['source_port']), destination,
                                                       ' '.join(parsed['destination_port']), ' '.join(parsed['rest'])]))
                        child_hash = _hash('%s %s' % (acl, child)) if grouped else parent_hash
                        body.append('  %s%s (hitcnt=%d) %s ' % (prefix, self._show_ace(child), entry['hits'], child_hash))
                        elements += 1
            lines.append('access-list %s; %d elements; name hash: %s' % (acl, elements, _hash(acl)))
            lines.extend(body)
        return lines

    @staticmethod
    def _show_ace(text):
        # [ntc]: "log" alone shows as "log informational interval 300"; "inactive" adds "(inactive)"
        # after the keyword (kept simple: only the default log form is expanded).
        words = text.split()
        if words and words[-1] == 'log':
            words = words[:-1] + ['log', 'informational', 'interval', '300']
        return ' '.join(words)


# --------------------------------------------------------------------------------------------------
# The SSH side
# --------------------------------------------------------------------------------------------------
class _ServerInterface(paramiko.ServerInterface):
    def __init__(self, simulator):
        self.simulator = simulator
        self.shell = threading.Event()
        self.username = None

    def get_allowed_auths(self, username):
        return 'password'

    def check_auth_password(self, username, password):
        simulator = self.simulator
        fault = simulator.faults.take('auth', 'ssh:login')
        good = (fault is None and username == simulator.username and password == simulator.password)
        simulator.journal.record('SSH', 'login', 'ssh:login', AUTH, 200 if good else 401,
                                 detail='user %s' % username, fault=fault.name if fault else None)
        if good:
            self.username = username
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind, chanid):
        return paramiko.OPEN_SUCCEEDED if kind == 'session' else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_pty_request(self, channel, term, width, height, pixelwidth, pixelheight, modes):
        return True

    def check_channel_shell_request(self, channel):
        self.shell.set()
        return True

    def check_channel_window_change_request(self, channel, width, height, pixelwidth, pixelheight):
        return True


class _Session:
    """One interactive CLI session: modes, echo, pager, password prompts."""

    def __init__(self, simulator, channel, transport, username):
        self.sim = simulator
        self.channel = channel
        self.transport = transport
        self.username = username
        self.mode = 'user'          # user | priv | config | object
        self.object_name = None
        self.pager = simulator.config.pager_lines
        self.prompt_state = None    # None | enable | login-user | login-password | more
        self.login_user = None
        self.buffer = ''
        self.last = ''
        self.pending = []
        self.closed = False

    # I/O -----------------------------------------------------------------------------------------
    def send(self, text):
        try:
            self.channel.sendall(text.encode('utf-8'))
        except (OSError, EOFError, paramiko.SSHException):
            self.closed = True

    def prompt(self):
        name = self.sim.config.hostname
        return {'user': '%s> ', 'priv': '%s# ', 'config': '%s(config)# ',
                'object': '%s(config-network-object)# '}[self.mode] % name

    def close(self):
        self.closed = True
        try:
            self.channel.close()
            self.transport.close()
        except (OSError, EOFError, paramiko.SSHException):
            pass

    def run(self):
        # [general-guide]: after login the ASA prints this line, then the user EXEC prompt.
        self.send("Type help or '?' for a list of available commands.\r\n" + self.prompt())
        self.channel.settimeout(0.2)
        while not self.closed and not self.sim.stopping.is_set():
            try:
                data = self.channel.recv(4096)
            except socket.timeout:
                continue
            except (OSError, EOFError, paramiko.SSHException):
                break
            if not data:
                break
            for char in data.decode('utf-8', 'replace'):
                if self.closed:
                    break
                self.feed(char)
        self.close()

    def feed(self, char):
        if self.prompt_state == 'more':
            self.more(char)
            return
        if char in '\r\n':
            if char == '\n' and self.last == '\r':
                self.last = char
                return
            self.last = char
            self.send('\r\n')
            line, self.buffer = self.buffer, ''
            self.line(line)
            return
        self.last = char
        if char in '\x08\x7f':
            if self.buffer:
                self.buffer = self.buffer[:-1]
                self.send('\x08 \x08')
            return
        self.buffer += char
        if self.prompt_state in ('enable', 'login-password'):
            self.send('*')   # the ASA echoes a star per password character (field captures; INFERRED)
        else:
            self.send(char)

    def page(self, lines):
        """Print lines through the pager ([cli-guide] ``pager lines``; ``terminal pager 0`` turns it off)."""
        if self.pager and len(lines) > self.pager:
            self.send(''.join(line + '\r\n' for line in lines[:self.pager]) + '<--- More --->')
            self.pending = lines[self.pager:]
            self.prompt_state = 'more'
            return
        self.send(''.join(line + '\r\n' for line in lines) + self.prompt())

    def more(self, char):
        self.send('\r' + ' ' * 14 + '\r')
        if char == ' ':
            chunk, self.pending = self.pending[:self.pager], self.pending[self.pager:]
        elif char in '\r\n':
            chunk, self.pending = self.pending[:1], self.pending[1:]
        else:
            chunk, self.pending = [], []
        if self.pending:
            self.send(''.join(line + '\r\n' for line in chunk) + '<--- More --->')
            return
        self.prompt_state = None
        self.send(''.join(line + '\r\n' for line in chunk) + self.prompt())

    # lines ---------------------------------------------------------------------------------------
    def line(self, line):
        sim = self.sim
        if self.prompt_state == 'enable':
            self.prompt_state = None
            fault = sim.faults.take('auth', 'exec:enable')
            good = fault is None and line == sim.enable_secret
            # The password typed at the prompt: its own entry (the "enable" command has one too), never its text.
            sim.journal.record('SSH', 'exec', 'exec:enable (password)', AUTH, 200 if good else 401,
                               detail='enable password', fault=fault.name if fault else None)
            if good:
                self.mode = 'priv'
                self.send(self.prompt())
            else:
                # INFERRED wording; the session stays in user EXEC mode.
                self.send('Invalid password\r\n' + self.prompt())
            return
        if self.prompt_state == 'login-user':
            self.login_user = line.strip()
            self.prompt_state = 'login-password'
            self.send('Password: ')
            return
        if self.prompt_state == 'login-password':
            self.prompt_state = None
            fault = sim.faults.take('auth', 'exec:login')
            good = fault is None and self.login_user == sim.username and line == sim.password
            sim.journal.record('SSH', 'exec', 'exec:login (password)', AUTH, 200 if good else 401,
                               detail='login %s' % self.login_user, fault=fault.name if fault else None)
            if good:
                self.mode = 'priv'
                self.send(self.prompt())
            else:
                self.send('Invalid password\r\n' + self.prompt())   # INFERRED wording
            return
        command = line.strip()
        if not command:
            self.send(self.prompt())
            return
        mode_name = {'user': 'exec', 'priv': 'exec', 'config': 'config', 'object': 'config-network-object'}[self.mode]
        op = '%s:%s' % (mode_name, command)
        prompt_before = self.prompt()
        slow = sim.faults.take('slow', op)
        if slow is not None:
            sim.stopping.wait(slow.seconds if slow.seconds is not None else 2.0)
        hang = sim.faults.take('timeout', op)
        if hang is not None:
            sim.journal.record('SSH', mode_name, op, self.kind(command), 0, detail=command, fault='timeout')
            sim.stopping.wait(hang.seconds if hang.seconds is not None else sim.timeout_seconds)
            self.close()
            return
        refused = sim.faults.take('api_error', op)
        if refused is not None:
            sim.journal.record('SSH', mode_name, op, self.kind(command), 400, detail=command, fault='api_error')
            message = refused.message or (' ' * len(prompt_before) + '^\r\n' + INVALID_INPUT)
            self.send(message.replace('\n', '\r\n').replace('\r\r\n', '\r\n') + '\r\n' + self.prompt())
            return
        with sim.lock:
            try:
                output, kind = self.execute(command)
                status = 200
            except CliError as error:
                kind = self.kind(command)
                status = 400
                output = []
                if error.token is not None:
                    words = command.split()
                    column = len(prompt_before) + self._column(line.strip(), words, error.token)
                    output.append(' ' * column + '^')
                output.append(error.message)
        drop = sim.faults.take('session_drop', op)
        sim.journal.record('SSH', mode_name, op, kind, 0 if drop else status, detail=command,
                           fault='session_drop' if drop else None)
        if drop is not None:
            sim.stopping.wait(drop.seconds or 0.0)
            self.close()
            return
        if self.closed:
            return
        if self.prompt_state in ('enable', 'login-user'):
            self.send(''.join(line + '\r\n' for line in output[:-1]) + output[-1])
            return
        self.page(output)

    @staticmethod
    def _column(command, words, token):
        position = 0
        for index, word in enumerate(words):
            position = command.index(word, position)
            if index == min(token, len(words) - 1):
                return position
            position += len(word)
        return len(command)

    def kind(self, command):
        words = command.split()
        first = words[0].lower()
        if self.mode in ('config', 'object') and not ('show'.startswith(first) or first in ('end', 'exit', 'terminal')
                                                      or 'write'.startswith(first)):
            return WRITE
        if 'show'.startswith(first) and len(first) >= 2:
            return SESSION if len(words) > 1 and 'curpriv'.startswith(words[1].lower()) else READ
        if 'write'.startswith(first) and len(first) >= 2:
            return WRITE
        if first in ('enable', 'login'):
            return AUTH
        if first in ('end', 'exit', 'quit', 'logout', 'disable') or first.startswith('conf') or first.startswith('term'):
            return SESSION
        return OTHER

    # commands ------------------------------------------------------------------------------------
    def execute(self, command):
        words = command.split()
        config = self.sim.config
        if self.mode == 'object':
            first = words[0].lower()
            if first in ('exit', 'end'):
                self.mode = 'config' if first == 'exit' else 'priv'
                self.object_name = None
                return [], SESSION
            subject = words[1].lower() if first == 'no' and len(words) > 1 else first
            if any(keyword.startswith(subject) for keyword in ('host', 'subnet', 'range', 'description', 'nat')):
                return config.object_command(self.object_name, words), WRITE
            if not (len(first) >= 2 and any(keyword.startswith(first) for keyword in ('show', 'write', 'terminal'))):
                # A global command leaves the sub-mode first (as on the device).
                self.mode = 'config'
                self.object_name = None
        if self.mode == 'config' and words[0].lower() not in ('exit', 'end') and not (
                len(words[0]) >= 2 and ('show'.startswith(words[0].lower()) or 'write'.startswith(words[0].lower())
                                        or 'terminal'.startswith(words[0].lower()))):
            output = config.global_command(words)
            if words[0] == 'object' or (words[0] != 'no' and 'object'.startswith(words[0]) and len(words) >= 3):
                self.mode = 'object'
                self.object_name = words[2]
            return output, WRITE
        if self.mode in ('config',) and words[0].lower() in ('exit', 'end'):
            self.mode = 'priv'
            return [], SESSION
        allowed = ['show', 'enable', 'login', 'exit', 'quit', 'logout', 'terminal']
        if self.mode != 'user':
            allowed += ['configure', 'write', 'disable', 'copy']
        command_word = _keyword(words[0], tuple(allowed), 0)
        if command_word == 'show':
            return self.show(words), SESSION if words[1:2] and 'curpriv'.startswith(words[1].lower()) else READ
        if command_word == 'enable':
            if self.mode == 'user':
                self.prompt_state = 'enable'
                return ['Password: '], AUTH
            return [], AUTH
        if command_word == 'login':
            self.prompt_state = 'login-user'
            return ['Username: '], AUTH
        if command_word in ('exit', 'quit', 'logout'):
            self.send('\r\nLogoff\r\n\r\n')
            self.close()
            return [], SESSION
        if command_word == 'disable':
            self.mode = 'user'
            return [], SESSION
        if command_word == 'terminal':
            if len(words) != 3:
                raise CliError('ERROR: % Incomplete command' if len(words) < 3 else INVALID_INPUT, 3 if len(words) > 3 else None)
            setting = _keyword(words[1], ('pager', 'width'), 1)
            if not words[2].isdigit():
                raise CliError(INVALID_INPUT, 2)
            if setting == 'pager':
                self.pager = int(words[2])
            elif not 40 <= int(words[2]) <= 511:
                raise CliError(INVALID_INPUT, 2)
            return [], SESSION
        if command_word == 'configure':
            if len(words) != 2:
                raise CliError('ERROR: % Incomplete command' if len(words) < 2 else INVALID_INPUT, 2 if len(words) > 2 else None)
            _keyword(words[1], ('terminal',), 1)
            self.mode = 'config'
            return [], SESSION
        if command_word == 'write':
            if len(words) != 2:
                raise CliError('ERROR: % Incomplete command' if len(words) < 2 else INVALID_INPUT, 2 if len(words) > 2 else None)
            _keyword(words[1], ('memory',), 1)
            return self.sim.write_memory(), WRITE
        raise CliError(INVALID_INPUT, 0)   # copy: not simulated

    def show(self, words):
        sim = self.sim
        config = sim.config
        if len(words) < 2:
            raise CliError('ERROR: % Incomplete command')
        topics = ('curpriv', 'version') if self.mode == 'user' else (
            'curpriv', 'version', 'running-config', 'access-list', 'startup-config')
        topic = _keyword(words[1], topics, 1)
        if topic == 'curpriv':
            # [general-guide] show curpriv fields; P_UNPR / P_PRIV / P_CONF.
            level = 1 if self.mode == 'user' else 15
            modes = {'user': 'P_UNPR', 'priv': 'P_PRIV'}.get(self.mode, 'P_CONF')
            return ['Username : %s' % (self.username if self.mode != 'user' else 'enable_1'),
                    'Current privilege level : %d' % level, 'Current Mode/s : %s' % modes]
        if topic == 'version':
            # First lines of "show version" (ntc-templates cisco_asa_show_version captures).
            return ['', 'Cisco Adaptive Security Appliance Software Version %s ' % config.version,
                    'SSP Operating System Version 2.12(0.31)', 'Device Manager Version 7.18(1)', '',
                    'Compiled on Fri 14-Apr-23 14:10 GMT by builders',
                    'System image file is "boot:/asa9183-smp-k8.bin"', 'Config file at boot was "startup-config"', '',
                    '%s up 12 days 3 hours' % config.hostname, '',
                    'Hardware:   ASAv, 2048 MB RAM, CPU Xeon 4100/6100/8100 series 2200 MHz,', '']
        if topic == 'startup-config':
            return sim.startup.rstrip('\n').split('\n')
        if topic == 'access-list':
            if len(words) > 3:
                raise CliError(INVALID_INPUT, 3)
            return config.show_access_list(words[2] if len(words) == 3 else None)
        # show running-config [access-list [NAME] | access-group | object [network] | object-group | nat]
        if len(words) == 2:
            return config.render().rstrip('\n').split('\n') + [': end']
        section = _keyword(words[2], ('access-list', 'access-group', 'object', 'object-group', 'nat', 'interface'), 2)
        if section == 'access-list':
            if len(words) > 4:
                raise CliError(INVALID_INPUT, 4)
            return config.render_acls(words[3] if len(words) == 4 else None)
        if len(words) > 4 or (len(words) == 4 and section != 'object'):
            raise CliError(INVALID_INPUT, 3 if section != 'object' else 4)
        if section == 'access-group':
            return list(config.access_groups)
        if section == 'object':
            if len(words) == 4:
                _keyword(words[3], ('network',), 3)
            return config.render_objects()
        if section == 'object-group':
            return config.render_groups()
        if section == 'nat':
            return config.render_nat()
        return config.render_interfaces()


class CiscoAsaSimulator(DeviceSimulator):
    """A Cisco ASA reached over SSH on ``127.0.0.1:ssh_port``; control API on ``url`` (``/_sim/``).

    ``config``: a running-config text (default :func:`default_config`); the startup config starts
    equal to it. ``host_key_path``: where the ECDSA host key is kept (default ``state_dir/ssh_host_ecdsa_key``,
    created once and reused).
    """

    VENDOR = 'cisco_asa'
    SUPPORTED_FAULTS = frozenset(ASA_FAULTS)

    def __init__(self, state_dir, username='admin', password='directpath-sim', enable_secret='directpath-enable',
                 hostname='asa-sim', version='9.18(3)', config=None, host='127.0.0.1', port=0, ssh_port=0,
                 authority=None, timeout_seconds=3.0):
        super().__init__(state_dir, host=host, port=port, authority=authority)
        self.faults = FaultInjector(self.SUPPORTED_FAULTS, known=ASA_FAULTS)
        self.username = username
        self.password = password
        self.enable_secret = enable_secret
        self.timeout_seconds = float(timeout_seconds)
        self.lock = threading.RLock()
        self.seed_hostname = hostname
        self.seed_version = version
        self.config = AsaConfig(config or default_config(hostname=hostname, version=version))
        self.startup = self.config.render_saved()
        self.host_key_path = Path(self.state_dir) / 'ssh_host_ecdsa_key'
        self.host_key = self._load_or_create_host_key()
        self.requested_ssh_port = ssh_port
        self._listener = None
        self._accept_thread = None
        self._sessions = []

    # host key ------------------------------------------------------------------------------------
    def _load_or_create_host_key(self):
        if self.host_key_path.exists():
            return paramiko.ECDSAKey(filename=str(self.host_key_path))
        key = paramiko.ECDSAKey.generate(bits=256)
        key.write_private_key_file(str(self.host_key_path))
        self.host_key_path.chmod(0o600)
        return key

    @property
    def host_key_line(self):
        """``<type> <base64>``: the public host key, as given to a client as the known key."""
        return '%s %s' % (self.host_key.get_name(), self.host_key.get_base64())

    def known_hosts_line(self):
        return '[%s]:%s %s' % (self.host, self.ssh_port, self.host_key_line)

    # lifecycle -----------------------------------------------------------------------------------
    @property
    def ssh_port(self):
        return self._listener.getsockname()[1] if self._listener else None

    def start(self):
        super().start()
        if self._listener is None:
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((self.host, self.requested_ssh_port))
            listener.listen(16)
            listener.settimeout(0.2)
            self._listener = listener
            self._accept_thread = threading.Thread(target=self._accept_loop, name='asa-ssh-%d' % self.ssh_port, daemon=True)
            self._accept_thread.start()
        return self

    def stop(self):
        self.stopping.set()
        if self._listener is not None:
            self._accept_thread.join(timeout=5)
            self._listener.close()
            self._listener = None
        for session in list(self._sessions):
            session.close()
        super().stop()

    def _accept_loop(self):
        while not self.stopping.is_set():
            try:
                connection, _address = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection):
        transport = paramiko.Transport(connection)
        transport.set_log_channel(SSH_LOG_CHANNEL)
        transport.add_server_key(self.host_key)
        interface = _ServerInterface(self)
        try:
            transport.start_server(server=interface)
            channel = transport.accept(20)
            if channel is None or not interface.shell.wait(10):
                transport.close()
                return
        except (paramiko.SSHException, OSError, EOFError):
            transport.close()
            return
        session = _Session(self, channel, transport, interface.username)
        self._sessions.append(session)
        try:
            session.run()
        finally:
            self._sessions.remove(session)

    def handle_device(self, request):
        # The ASA's HTTPS server (ASDM) is not simulated: the device is reached over SSH only.
        return Response(status=404, body=b'Not Found\n')

    # device operations ---------------------------------------------------------------------------
    def write_memory(self):
        """``write memory``: the startup config becomes the running config. Output lines from the
        ASA command reference (``write memory`` example)."""
        self.startup = self.config.render_saved()
        checksum = self.startup.rsplit('Cryptochecksum:', 1)[1].split('\n')[0]
        return ['Building configuration...',
                'Cryptochecksum: %s %s %s %s ' % (checksum[0:8], checksum[8:16], checksum[16:24], checksum[24:32]),
                '', '%d bytes copied in 0.160 secs' % len(self.startup), '[OK]']

    # state ---------------------------------------------------------------------------------------
    def state_dump(self):
        with self.lock:
            running = self.config.render()
            return {'hostname': self.config.hostname, 'version': self.config.version,
                    'username': self.username, 'password': self.password, 'enable_secret': self.enable_secret,
                    'ssh_port': self.ssh_port, 'host_key': self.host_key_line,
                    'running': running, 'startup': self.startup,
                    'unsaved_changes': self.config.render_saved() != self.startup,
                    'acls': {name: [entry['text'] for entry in entries] for name, entries in self.config.acls.items()},
                    'objects': {name: dict(obj) for name, obj in self.config.objects.items()},
                    'access_groups': list(self.config.access_groups),
                    'sessions': len(self._sessions)}

    def state_update(self, values):
        known = {'reset', 'config', 'startup', 'username', 'password', 'enable_secret', 'timeout_seconds', 'hits'}
        unknown = set(values) - known
        if unknown:
            raise ValueError('unknown state keys: %s' % ', '.join(sorted(unknown)))
        with self.lock:
            if values.get('reset'):
                self.config = AsaConfig(default_config(hostname=self.seed_hostname, version=self.seed_version))
                self.startup = self.config.render_saved()
            if 'config' in values:
                self.config = AsaConfig(values['config'])
                self.startup = self.config.render_saved()
            if 'startup' in values:
                self.startup = AsaConfig(values['startup']).render_saved()
            for key in ('username', 'password', 'enable_secret'):
                if key in values:
                    setattr(self, key, str(values[key]))
            if 'timeout_seconds' in values:
                self.timeout_seconds = float(values['timeout_seconds'])
            for acl, counts in (values.get('hits') or {}).items():
                for line, count in counts.items():
                    self.config.acls[acl][int(line) - 1]['hits'] = int(count)

    def state_components(self):
        with self.lock:
            return {'running': self.config.render(), 'startup': self.startup}
