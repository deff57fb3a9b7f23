# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: workarounds. Cisco ASA: open the Tailscale UDP port for the Tailscale hosts only (cisco_asa_udp_port).

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/, transport/, clients/.

What this run owns, per Tailscale host A (its real, pre-NAT address: ASA 8.3 and later match ACLs
on real addresses):

* the network object ``<object_prefix>A`` (``host A``), and its object NAT when the user asks for a
  static NAT (``nat (real,outside) static {interface|IP} service udp PORT MAPPED_PORT``);
* the access-list entries in the named ACL that reference that object. The wanted entry is
  ``extended permit udp any4 object <object_prefix>A eq PORT``, ahead of the ACL's first explicit
  deny. Any other entry on our object in that ACL is replaced (no orphans), an entry below a deny
  is moved (removed and inserted again), and nothing else in the ACL is touched, reordered or
  renumbered.

A failure after the first configuration command (the device refuses one, the session drops,
``write memory`` fails) restores what this run changed: the client reconnects, reads the
configuration again and sends the commands that bring our objects, entries and NAT back to what
they were when the run started; the result says whether that worked, and what is left if not.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.directpath.firewall.plugins.module_utils.clients.cisco_asa import (
    ASA_CONNECTION_SPEC,
    AsaClient,
)
from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import Plan
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import finish

__all__ = [
    'OPEN_PORT_SPEC',
    'VENDOR',
    'WORKAROUND',
    'run_open_port',
]

VENDOR = 'cisco'
WORKAROUND = 'open_port'
TAILSCALE_PORT = 41641

# The ASA prints these UDP ports by name in its configuration (Cisco ASA CLI configuration guide,
# "TCP and UDP Ports"); a wanted entry is compared in the form the device prints.
UDP_PORT_NAMES = {53: 'domain', 67: 'bootps', 68: 'bootpc', 69: 'tftp', 123: 'ntp', 161: 'snmp', 162: 'snmptrap',
                  195: 'dnsix', 500: 'isakmp', 514: 'syslog', 1645: 'radius', 1646: 'radius-acct'}

_NAME = re.compile(r'^[A-Za-z0-9._-]+$')

_OPTIONS = ArgumentSpec(
    argument_spec=dict(
        acl=dict(type='str', required=True),
        interface=dict(type='str', default='outside'),
        tailscale_hosts=dict(type='list', elements='str', required=True),
        tailscale_port=dict(type='int', default=TAILSCALE_PORT),
        static_nat=dict(type='list', elements='dict', default=[], options=dict(
            host=dict(type='str', required=True),
            mapped_address=dict(type='str', default='interface'),
            mapped_port=dict(type='int'),
            real_interface=dict(type='str', default='inside'),
        )),
        object_prefix=dict(type='str', default='directpath-ts-'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        save=dict(type='bool', default=True),
    ),
)

# The options of cisco_asa_udp_port: the SSH connection options plus the workaround's own.
OPEN_PORT_SPEC = ASA_CONNECTION_SPEC.merge(_OPTIONS)


def _port_word(port):
    return UDP_PORT_NAMES.get(port, str(port))


def _check_port(value, what):
    if not 1 <= int(value) <= 65535:
        raise DirectPathError('%s must be between 1 and 65535, not %s' % (what, value), cause='input')
    return int(value)


class Wanted(object):
    """What the run wants for one Tailscale host."""

    def __init__(self, address, obj, ace, nat):
        self.address = address
        self.obj = obj
        self.ace = ace
        self.nat = nat


def wanted_state(params):
    """Validate the options and build the wanted object, entry and NAT per host (in the order given)."""
    prefix = params['object_prefix']
    for name, value in (('object_prefix', prefix), ('acl', params['acl']), ('interface', params['interface'])):
        if not value or not _NAME.match(value) or len(value) > 48:
            raise DirectPathError('%s %r: use 1-48 letters, digits, ".", "_" or "-"' % (name, value), cause='input')
    port = _check_port(params['tailscale_port'], 'tailscale_port')
    hosts = []
    for value in params['tailscale_hosts']:
        try:
            address = ipaddress.IPv4Address(str(value).strip())
        except ValueError:
            raise DirectPathError('tailscale_hosts: %r is not an IPv4 address; name each Tailscale host by its real '
                                  '(pre-NAT) address, never a network or "any"' % (value,), cause='input')
        if address.is_unspecified or address.is_multicast or address.is_loopback:
            raise DirectPathError('tailscale_hosts: %s cannot be a Tailscale host' % address, cause='input')
        if str(address) not in hosts:
            hosts.append(str(address))
    if not hosts:
        raise DirectPathError('tailscale_hosts is empty: name the Tailscale hosts the port is opened for', cause='input')
    nats = {}
    mapped_ports = {}
    for entry in params['static_nat'] or []:
        host = str(entry['host']).strip()
        if host not in hosts:
            raise DirectPathError('static_nat: host %s is not one of tailscale_hosts' % host, cause='input')
        mapped = entry['mapped_address'] or 'interface'
        if mapped != 'interface':
            try:
                mapped = str(ipaddress.IPv4Address(mapped))
            except ValueError:
                raise DirectPathError('static_nat: mapped_address %r is neither "interface" nor an IPv4 address' % mapped, cause='input')
        mapped_port = _check_port(entry['mapped_port'] if entry['mapped_port'] is not None else port, 'static_nat mapped_port')
        real = entry['real_interface']
        if not _NAME.match(real or ''):
            raise DirectPathError('static_nat: real_interface %r is not an interface name' % real, cause='input')
        key = (mapped, mapped_port)
        if key in mapped_ports:
            raise DirectPathError('static_nat: %s and %s both want UDP port %d on %s; a mapped port can forward to one host only'
                                  % (mapped_ports[key], host, mapped_port, mapped), cause='input')
        mapped_ports[key] = host
        nats[host] = 'nat (%s,%s) static %s service udp %s %s' % (
            real, params['interface'], mapped, _port_word(port), _port_word(mapped_port))
    wanted = []
    for host in hosts:
        obj = prefix + host
        wanted.append(Wanted(host, obj, 'extended permit udp any4 object %s eq %s' % (obj, _port_word(port)), nats.get(host)))
    return wanted


def references(entry, obj):
    """True when an ACL entry text names network object ``obj``."""
    words = entry.split()
    return any(words[index] == 'object' and words[index + 1] == obj for index in range(len(words) - 1))


def first_deny(entries):
    for index, entry in enumerate(entries):
        if entry.startswith('extended deny '):
            return index
    return None


def ours_in_acl(entries, obj):
    """``[(index, text)]`` of the entries of one ACL that reference our object."""
    return [(index, entry) for index, entry in enumerate(entries) if references(entry, obj)]


def shown_entries(entries, obj):
    """Our entries as the plan compares them: the text, flagged when a deny above makes it dead."""
    deny = first_deny(entries)
    shown = []
    for index, entry in ours_in_acl(entries, obj):
        if deny is not None and index > deny:
            shown.append('%s (below the deny at line %d: never matched)' % (entry, deny + 1))
        else:
            shown.append(entry)
    return shown


def plan_hosts(plan, config, wanted, params):
    """Record every owned field; return the per-host report."""
    acl = params['acl']
    entries = config.access_lists.get(acl, [])
    present = params['state'] == 'present'
    report = []
    for item in wanted:
        address_now = config.objects.get(item.obj, None) if item.obj in config.objects else None
        exists = item.obj in config.objects
        if present:
            plan.compare('object %s' % item.obj, address_now if exists else None, 'host %s' % item.address,
                         finding='network object %s is %s; the Tailscale host needs "host %s"' % (
                             item.obj, address_now or ('missing' if not exists else 'without an address'), item.address))
            before_entries = shown_entries(entries, item.obj)
            plan.compare('access-list %s: %s' % (acl, item.obj), before_entries, [item.ace],
                         finding='access-list %s does not permit UDP to %s as wanted ahead of any deny (has: %s)' % (
                             acl, item.address, '; '.join(before_entries) or 'nothing'))
            plan.compare('nat %s' % item.obj, config.nats.get(item.obj), item.nat,
                         finding='object NAT of %s is %s; wanted: %s' % (
                             item.obj, config.nats.get(item.obj) or 'none', item.nat or 'none'))
            plan.add_exposure('UDP %s from any IPv4 source to %s (access-list %s, interface %s)' % (
                params['tailscale_port'], item.address, acl, params['interface']))
            if item.nat:
                words = item.nat.split()
                mapped = "the %s interface's address" % params['interface'] if words[3] == 'interface' else words[3]
                plan.add_exposure('UDP %s on %s forwarded to %s:%s (static NAT)' % (
                    words[7], mapped, item.address, params['tailscale_port']))
        else:
            plan.compare('access-list %s: %s' % (acl, item.obj), shown_entries(entries, item.obj), [],
                         finding='access-list %s still permits UDP to %s (state=absent)' % (acl, item.address))
            plan.compare('nat %s' % item.obj, config.nats.get(item.obj), None,
                         finding='object NAT of %s still exists (state=absent)' % item.obj)
            used_elsewhere = [name for name, other in config.access_lists.items()
                              if name != acl and any(references(entry, item.obj) for entry in other)]
            if used_elsewhere:
                plan.add_finding('network object %s is also used by access-list %s: kept' % (item.obj, ', '.join(used_elsewhere)))
            else:
                plan.compare('object %s' % item.obj, address_now if exists else None, None,
                             finding='network object %s still exists (state=absent)' % item.obj)
        report.append({'address': item.address, 'object': item.obj, 'entry': item.ace if present else None,
                       'nat': item.nat if present else None})
    return report


def check_binding(config, params):
    acl, interface = params['acl'], params['interface']
    if (acl, 'in', interface) in config.access_groups:
        return
    bound = ', '.join('%s %s %s' % group for group in config.access_groups) or 'none'
    raise DirectPathError('access-list %s is not applied inbound to interface %s ("access-group %s in interface %s"); '
                          'bindings on the device: %s. This module adds entries to the ACL that already guards the '
                          'interface and never binds an ACL itself (that would replace the interface\'s policy)'
                          % (acl, interface, acl, interface, bound), cause='input')


# ---------------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------------
def object_commands(config, item, present):
    if present and config.objects.get(item.obj) != 'host %s' % item.address:
        return ['object network %s' % item.obj, 'host %s' % item.address]
    return []


def removal_commands(acl, entries, item, present):
    """``no access-list`` for each entry on our object that is not the wanted one ahead of any deny."""
    deny = first_deny(entries)
    keep = None
    if present:
        for index, entry in ours_in_acl(entries, item.obj):
            if entry == item.ace and (deny is None or index < deny):
                keep = index
                break
    return ['no access-list %s %s' % (acl, entry) for index, entry in ours_in_acl(entries, item.obj) if index != keep]


def insertion_line(shown):
    """Line number to insert at: ahead of the first explicit deny, and ahead of the remarks directly above it;
    None (append) when the ACL has no deny."""
    for position, (line, body) in enumerate(shown):
        if body.startswith('extended deny '):
            while position > 0 and shown[position - 1][1].startswith('remark '):
                position -= 1
            return shown[position][0]
    return None


def nat_commands(config, item, present):
    current = config.nats.get(item.obj)
    wanted = item.nat if present else None
    if current == wanted:
        return []
    commands = ['object network %s' % item.obj]
    if current:
        commands.append('no ' + current)
    if wanted:
        commands.append(wanted)
    return commands


def apply_changes(client, config, wanted, params):
    """Send the commands that bring the device to the plan, then ``write memory``."""
    acl = params['acl']
    present = params['state'] == 'present'
    entries = config.access_lists.get(acl, [])
    commands = []
    for item in wanted:
        commands += object_commands(config, item, present)
    for item in wanted:
        commands += removal_commands(acl, entries, item, present)
    if commands:
        client.configure(commands)
    if present:
        missing = [item for item in wanted if item.ace not in _remaining(entries, item, acl, commands)]
        if missing:
            line = insertion_line(client.line_numbers(acl)) if acl in config.access_lists else None
            inserts = []
            for offset, item in enumerate(missing):
                if line is None:
                    inserts.append('access-list %s %s' % (acl, item.ace))
                else:
                    inserts.append('access-list %s line %d %s' % (acl, line + offset, item.ace))
            client.configure(inserts)
    tail = []
    for item in wanted:
        tail += nat_commands(config, item, present)
    if not present:
        for item in wanted:
            used_elsewhere = any(references(entry, item.obj) for name, other in config.access_lists.items()
                                 if name != acl for entry in other)
            if item.obj in config.objects and not used_elsewhere:
                tail.append('no object network %s' % item.obj)
    if tail:
        client.configure(tail)
    if params['save']:
        client.save()


def _remaining(entries, item, acl, commands):
    removed = set(command[len('no access-list %s ' % acl):] for command in commands
                  if command.startswith('no access-list %s ' % acl))
    return [entry for index, entry in ours_in_acl(entries, item.obj) if entry not in removed]


# ---------------------------------------------------------------------------------------------------
# Restoring what a failed run changed
# ---------------------------------------------------------------------------------------------------
def restore_commands(initial, current, wanted, acl):
    """Commands that bring our objects, our entries in ``acl`` and our NAT back from ``current`` to ``initial``."""
    commands = []
    for item in wanted:
        before = initial.objects.get(item.obj)
        if item.obj in initial.objects and before and current.objects.get(item.obj) != before:
            commands += ['object network %s' % item.obj, before]
    entries_before = initial.access_lists.get(acl, [])
    entries_now = current.access_lists.get(acl, [])
    if entries_now != entries_before:
        for item in wanted:
            commands += ['no access-list %s %s' % (acl, entry) for index, entry in ours_in_acl(entries_now, item.obj)]
        ours_before = sorted(index for item in wanted for index, entry in ours_in_acl(entries_before, item.obj))
        for index in ours_before:
            commands.append('access-list %s line %d %s' % (acl, index + 1, entries_before[index]))
    for item in wanted:
        now, before = current.nats.get(item.obj), initial.nats.get(item.obj)
        if now != before:
            commands.append('object network %s' % item.obj)
            if now:
                commands.append('no ' + now)
            if before:
                commands.append(before)
    for item in wanted:
        if item.obj in current.objects and item.obj not in initial.objects:
            commands.append('no object network %s' % item.obj)
    return commands


def owned_view(config, wanted, acl):
    return {
        'objects': {item.obj: (item.obj in config.objects, config.objects.get(item.obj)) for item in wanted},
        'entries': [entry for entry in config.access_lists.get(acl, []) if any(references(entry, item.obj) for item in wanted)],
        'order': config.access_lists.get(acl, []),
        'nats': {item.obj: config.nats.get(item.obj) for item in wanted},
    }


def restore_after(client, initial, wanted, params, error):
    """Undo after ``error``; return the DirectPathError to raise (device_unchanged says whether it worked)."""
    acl = params['acl']
    what = error.message
    if getattr(error, 'command', None) == 'write memory' and error.cause != 'api':
        # The session went away during the save: the startup configuration may or may not hold this run's change.
        what += ('; "write memory" may have completed before the session was lost: after the undo below, check '
                 'that the startup configuration does not hold this run\'s change (show startup-config)')
    try:
        client.reconnect()
        current = client.read_config()
        if owned_view(current, wanted, acl) == owned_view(initial, wanted, acl):
            return DirectPathError('%s; the running configuration is as it was before this run (nothing was left applied)'
                                   % what, cause=error.cause)
        commands = restore_commands(initial, current, wanted, acl)
        client.configure(commands)
        after = client.read_config()
    except DirectPathError as second:
        return DirectPathError('%s; undoing this run\'s changes then failed too (%s): check the objects %s, the '
                               'access-list %s and their NAT on the device' % (
                                   what, second.message, ', '.join(item.obj for item in wanted), acl),
                               cause=error.cause, device_unchanged=False)
    if owned_view(after, wanted, acl) == owned_view(initial, wanted, acl):
        return DirectPathError('%s; this run\'s changes were undone, the running configuration is as before '
                               '(nothing was saved)' % what, cause=error.cause,
                               details={'undo_commands': commands})
    left = [item.obj for item in wanted
            if owned_view(after, [item], acl)['objects'] != owned_view(initial, [item], acl)['objects']
            or after.nats.get(item.obj) != initial.nats.get(item.obj)]
    return DirectPathError('%s; undoing this run\'s changes left differences (objects/NAT: %s; access-list %s %s): '
                           'review them on the device' % (what, ', '.join(left) or 'none', acl,
                                                          'differs' if after.access_lists.get(acl) != initial.access_lists.get(acl)
                                                          else 'as before'),
                           cause=error.cause, device_unchanged=False)


def run_open_port(ctx, api_calls):
    """The whole run of cisco_asa_udp_port: read, plan, apply unless in check mode (and undo on failure)."""
    params = ctx.params
    wanted = wanted_state(params)
    plan = Plan(VENDOR, WORKAROUND, params['state'])
    client = AsaClient(params, api_calls, secrets=ctx.secrets, read_only=ctx.check_mode)
    client.connect()
    try:
        config = client.read_config()
        if params['state'] == 'present':
            check_binding(config, params)
        report = plan_hosts(plan, config, wanted, params)
        extra = {'hosts': report, 'saved': False}

        def apply(current_plan):
            try:
                apply_changes(client, config, wanted, params)
            except DirectPathError as error:
                raise restore_after(client, config, wanted, params, error)
            extra['saved'] = bool(params['save'])

        return finish(ctx, plan, apply, api_calls, extra)
    finally:
        client.close()
