# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: workarounds. Barracuda CloudGen Firewall: Max UDP (manual) and a narrow UDP port (barracuda_udp_sessions).

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/, transport/, clients/.

Tailscale's guidance for Barracuda: increase "Max UDP" and consider opening a port.

* ``udp_sessions``: "Max UDP [%]" (General Firewall Configuration) has no REST resource, and a new value
  takes effect only after a firmware restart. The module does not pretend: it reads the box, reports
  ``manual`` with the exact steps, the restart warning and the per-rule alternative, and writes nothing.
* ``open_port``: one forwarding rule that passes UDP to the Tailscale port of the named hosts only, with a
  network object holding exactly those hosts and a service object holding exactly that port. The rule is
  inserted at the position asked for; no existing rule is moved or changed.
"""

from __future__ import annotations

import ipaddress

from ansible_collections.directpath.firewall.plugins.module_utils.clients.barracuda import (
    BARRACUDA_CONNECTION_SPEC,
    BarracudaClient,
)
from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import Plan
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import finish

__all__ = [
    'UDP_SESSIONS_SPEC',
    'VENDOR',
    'run_udp_sessions',
    'workaround_of',
]

VENDOR = 'barracuda'
WORKAROUNDS = ('udp_sessions', 'open_port')
DEFAULT_MAX_UDP = 30
RULE_COMMENT = 'directpath.firewall: UDP to the Tailscale port of the named hosts (managed by Ansible)'
# A network object broader than this is not "the Tailscale hosts".
WIDEST_PREFIX = 16

_OPTIONS = ArgumentSpec(
    argument_spec=dict(
        workaround=dict(type='str', choices=list(WORKAROUNDS), default='udp_sessions'),
        max_udp_percent=dict(type='int'),
        tailscale_hosts=dict(type='list', elements='str', default=[]),
        tailscale_port=dict(type='int', default=41641),
        rule_name=dict(type='str', default='DIRECTPATH-TAILSCALE-UDP'),
        source=dict(type='str', default='Internet'),
        placement=dict(type='str', choices=['top', 'bottom', 'before', 'after'], default='top'),
        placement_reference=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    ),
    required_if=[('placement', 'before', ['placement_reference']), ('placement', 'after', ['placement_reference'])],
)

UDP_SESSIONS_SPEC = BARRACUDA_CONNECTION_SPEC.merge(_OPTIONS)


def workaround_of(params: dict) -> str:
    return params.get('workaround') or 'udp_sessions'


def object_names(rule_name: str) -> tuple:
    return '%s-HOSTS' % rule_name, '%s-UDP' % rule_name


# -- udp_sessions (manual) ------------------------------------------------------------------------------
def max_udp_steps(percent: int | None, rule_name: str, rule_exists: bool, firmware: str) -> list:
    target = ('to %d' % percent) if percent else 'above its current value'
    steps = [
        'Max UDP [%%] cannot be read or set through the CloudGen Firewall REST API; set it by hand in Barracuda Firewall Admin '
        '(firmware %s):' % (firmware or 'unknown'),
        '1. CONFIGURATION > Configuration Tree > Box > Infrastructure Services > General Firewall Configuration; click Lock.',
        '2. In the session limits, raise "Max UDP [%%]" %s (percent of the session slots UDP may use; range 1-100, default %d, '
        'on newer firmware model-dependent).' % (target, DEFAULT_MAX_UDP),
        '3. Click Send Changes, then Activate.',
        '4. RESTART WARNING: the new value takes effect only after a firmware restart (CONTROL > Box > Firmware Restart), which '
        'interrupts every connection through the firewall: plan a window.',
    ]
    if rule_exists:
        steps.append('Alternative without a restart of the global limit: the forwarding rule %s (UDP to the Tailscale port) can '
                     'override the limit for its own traffic: edit the rule, Advanced > Resource Protection, and set its UDP '
                     'session limit there.' % rule_name)
    else:
        steps.append('Alternative: the limit can be overridden per forwarding rule (rule > Advanced > Resource Protection); '
                     'run this module with workaround=open_port to create a rule for the Tailscale hosts, then set the override '
                     'on it.')
    steps.append('Note: Barracuda documents that private IPv4 addresses are exempted from the limit; how that applies to '
                 'LAN clients behind NAT is not documented, so raise the limit anyway.')
    return steps


def run_max_udp(ctx, api_calls) -> dict:
    params = ctx.params
    percent = params.get('max_udp_percent')
    if percent is not None and not 1 <= percent <= 100:
        raise DirectPathError('max_udp_percent must be between 1 and 100 (got %s)' % percent, cause='input')
    client = BarracudaClient(params, api_calls, ctx.add_secret)
    info = client.box_info()
    firmware = str(info.get('release') or info.get('version') or '')
    rule_exists = client.rule(params['rule_name']) is not None
    plan = Plan(VENDOR, 'udp_sessions', params['state'])
    if params['state'] == 'absent':
        plan.require_manual('Max UDP [%%] cannot be changed through the REST API; to roll it back, set it to its previous value '
                            'by hand (default %d) and restart the firmware' % DEFAULT_MAX_UDP)
    else:
        plan.require_manual('Max UDP [%%] (General Firewall Configuration) has no REST API resource: raise it by hand%s, then '
                            'restart the firmware' % (' to %d %%' % percent if percent else ''))
    for step in max_udp_steps(percent, params['rule_name'], rule_exists, firmware):
        plan.add_advice(step)
    if params['state'] == 'present':
        plan.add_exposure('a higher Max UDP lets more of the session table be taken by UDP (less headroom against a UDP flood)')
    extra = {'box': {key: info.get(key) for key in ('hostname', 'model', 'release', 'serial') if key in info},
             'max_udp': {'readable': False, 'wanted_percent': percent, 'default_percent': DEFAULT_MAX_UDP,
                         'restart_required': True, 'override_rule': params['rule_name'] if rule_exists else None}}
    return finish(ctx, plan, None, api_calls, extra)


# -- open_port (automated) ----------------------------------------------------------------------------------
def parse_hosts(values: list) -> list:
    hosts = []
    for value in values:
        text = (value or '').strip()
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise DirectPathError('tailscale_hosts: %r is not an IP address or network' % (value,), cause='input')
        if network.version != 4:
            raise DirectPathError('tailscale_hosts: %s is IPv6; the rule is IPv4 only' % text, cause='input')
        if network.prefixlen < WIDEST_PREFIX:
            raise DirectPathError('tailscale_hosts: %s is wider than /%d: name the Tailscale hosts, not a whole network'
                                  % (text, WIDEST_PREFIX), cause='input')
        entry = str(network.network_address) if network.prefixlen == 32 else str(network)
        if entry not in hosts:
            hosts.append(entry)
    return hosts


def wanted_objects(params: dict, hosts: list) -> tuple:
    hosts_name, service_name = object_names(params['rule_name'])
    network = {'name': hosts_name, 'type': 'generic', 'comment': RULE_COMMENT,
               'included': [{'entry': {'ip': host}} for host in hosts], 'excluded': []}
    service = {'name': service_name, 'comment': RULE_COMMENT,
               'entries': [{'entry': {'protocol': 'udp', 'udp': {'ports': [str(params['tailscale_port'])]}}}]}
    rule = {'name': params['rule_name'], 'comment': RULE_COMMENT,
            'action': {'type': 'pass', 'connection': {'references': 'Original Source IP'}},
            'source': {'references': params['source']}, 'destination': {'references': hosts_name},
            'service': {'references': service_name}, 'bidirectional': False, 'deactivated': False, 'dynamic': False,
            'ipVersion': 'IPv4'}
    return network, service, rule


def network_view(entry):
    if entry is None:
        return None
    return sorted(str((item.get('entry') or {}).get('ip') or item.get('references')) for item in entry.get('included') or [])


def service_view(entry):
    if entry is None:
        return None
    ports = []
    for item in entry.get('entries') or []:
        inner = item.get('entry') or {}
        protocol = inner.get('protocol')
        detail = inner.get(protocol) if isinstance(inner.get(protocol), dict) else {}
        for port in detail.get('ports') or []:
            ports.append('%s/%s' % (protocol, port))
        if item.get('references'):
            ports.append('ref:%s' % item['references'])
    return sorted(ports)


RULE_FIELDS = ('source', 'destination', 'service', 'action', 'deactivated', 'bidirectional')


def rule_view(rule):
    if rule is None:
        return None
    action = rule.get('action') or {}
    return {'source': (rule.get('source') or {}).get('references'), 'destination': (rule.get('destination') or {}).get('references'),
            'service': (rule.get('service') or {}).get('references'), 'action': action.get('type'),
            'deactivated': bool(rule.get('deactivated')), 'bidirectional': bool(rule.get('bidirectional'))}


def position_of(params: dict, names: list) -> dict:
    placement = params['placement']
    if placement in ('top', 'bottom'):
        return {'placement': placement}
    reference = params['placement_reference']
    if reference not in names:
        raise DirectPathError('placement_reference: no forwarding rule %r; the rule set has: %s'
                              % (reference, ', '.join(names) or 'no rules'), cause='input')
    if reference == params['rule_name']:
        raise DirectPathError('placement_reference cannot be the managed rule itself', cause='input')
    return {'placement': placement, 'reference': reference}


def run_open_port(ctx, api_calls) -> dict:
    params = ctx.params
    state = params['state']
    if not 1 <= params['tailscale_port'] <= 65535:
        raise DirectPathError('tailscale_port must be between 1 and 65535 (got %s)' % params['tailscale_port'], cause='input')
    hosts = parse_hosts(params['tailscale_hosts'])
    if state == 'present' and not hosts:
        raise DirectPathError('workaround=open_port needs tailscale_hosts: the rule is scoped to the hosts you name', cause='input')
    if (params['source'] or '').strip().lower() in ('any', ''):
        raise DirectPathError('source must name a network object narrower than Any (default: Internet)', cause='input')
    client = BarracudaClient(params, api_calls, ctx.add_secret)
    names = client.rule_names()
    hosts_name, service_name = object_names(params['rule_name'])
    current = {'rule': client.rule(params['rule_name']) if params['rule_name'] in names else None,
               'network': client.object('networks', hosts_name), 'service': client.object('services', service_name)}
    network, service, rule = wanted_objects(params, hosts)
    plan = Plan(VENDOR, 'open_port', state)
    position = None
    if state == 'present':
        if current['rule'] is None:
            position = position_of(params, names)
        plan.compare('network object %s' % hosts_name, network_view(current['network']), network_view(network),
                     finding='network object %s should hold exactly the Tailscale hosts %s' % (hosts_name, ', '.join(hosts)))
        plan.compare('service object %s' % service_name, service_view(current['service']), service_view(service),
                     finding='service object %s should hold exactly UDP port %s' % (service_name, params['tailscale_port']))
        plan.compare('forwarding rule %s' % params['rule_name'], rule_view(current['rule']), rule_view(rule),
                     finding='no forwarding rule passes UDP %s to the Tailscale hosts: inbound direct connections fall back '
                             'to DERP' % params['tailscale_port'] if current['rule'] is None else
                     'forwarding rule %s differs from the narrow UDP rule' % params['rule_name'])
        plan.add_exposure('inbound UDP port %s from %s to %s only (forwarding rule %s, %s)'
                          % (params['tailscale_port'], params['source'], ', '.join(hosts), params['rule_name'],
                             'placed %s%s' % (params['placement'], ' ' + params['placement_reference']
                                              if params['placement_reference'] and params['placement'] in ('before', 'after') else '')))
    else:
        plan.compare('forwarding rule %s' % params['rule_name'], rule_view(current['rule']), None,
                     finding='state=absent removes the forwarding rule %s' % params['rule_name'])
        plan.compare('network object %s' % hosts_name, network_view(current['network']), None,
                     finding='state=absent removes the network object %s' % hosts_name)
        plan.compare('service object %s' % service_name, service_view(current['service']), None,
                     finding='state=absent removes the service object %s' % service_name)
    extra = {'rule_name': params['rule_name'], 'hosts': hosts, 'tailscale_port': params['tailscale_port'],
             'rule_order_before': names}

    def apply(current_plan):
        steps = apply_open_port(client, current_plan, current, (network, service, rule), position, state, names)
        extra['rule_order_after'] = client.rule_names()
        extra['applied_steps'] = steps

    return finish(ctx, plan, apply, api_calls, extra)


def apply_open_port(client: BarracudaClient, plan: Plan, current: dict, wanted: tuple, position, state: str,
                    names: list) -> list:
    """Apply the changed objects in dependency order; on failure undo what this run did."""
    network, service, rule = wanted
    changed = {change.name.split(' ', 2)[0] + ' ' + change.name.split(' ', 2)[1] for change in plan.changes}
    undo = []
    done = []
    try:
        if state == 'present':
            for kind, label, entry in (('networks', 'network object', network), ('services', 'service object', service)):
                if label not in changed:
                    continue
                before = current['network' if kind == 'networks' else 'service']
                if before is None:
                    client.create_object(kind, entry)
                    undo.append(lambda kind=kind, name=entry['name']: client.delete_object(kind, name))
                else:
                    client.replace_object(kind, entry)
                    undo.append(lambda kind=kind, before=before: client.replace_object(kind, before))
                done.append('%s %s' % (label, entry['name']))
            if 'forwarding rule' in changed:
                before = current['rule']
                if before is None:
                    client.create_rule(rule, position)
                    undo.append(lambda: client.delete_rule(rule['name']))
                else:
                    change = {key: value for key, value in rule.items() if key != 'name'}
                    client.update_rule(rule['name'], change)
                    restore = {key: before.get(key) for key in change if key in before}
                    undo.append(lambda restore=restore: client.update_rule(rule['name'], restore))
                done.append('forwarding rule %s' % rule['name'])
        else:
            if current['rule'] is not None:
                client.delete_rule(rule['name'])
                undo.append(lambda: client.create_rule(_stored(current['rule']), _position_in(names, rule['name'])))
                done.append('deleted forwarding rule %s' % rule['name'])
            for kind, key in (('networks', 'network'), ('services', 'service')):
                if current[key] is not None:
                    client.delete_object(kind, current[key]['name'])
                    undo.append(lambda kind=kind, entry=current[key]: client.create_object(kind, entry))
                    done.append('deleted %s object %s' % (kind[:-1], current[key]['name']))
    except DirectPathError as error:
        failed = []
        for step in reversed(undo):
            try:
                step()
            except DirectPathError as undo_error:
                failed.append(undo_error.message)
        if failed:
            raise DirectPathError('%s; undoing this run\'s earlier changes (%s) failed: %s. Check the forwarding rules by hand'
                                  % (error.message, ', '.join(done), '; '.join(failed)), cause=error.cause, device_unchanged=False)
        if done:
            raise DirectPathError('%s; this run\'s earlier changes (%s) were undone' % (error.message, ', '.join(done)),
                                  cause=error.cause)
        raise
    return done


def _position_in(names: list, name: str) -> dict:
    """Where a deleted rule goes back: after the rule that preceded it, or at the top."""
    index = names.index(name) if name in names else len(names)
    if index == 0:
        return {'placement': 'top'}
    return {'placement': 'after', 'reference': names[index - 1]}


def _stored(rule: dict) -> dict:
    return {key: value for key, value in rule.items() if key != 'position'}


def run_udp_sessions(ctx, api_calls) -> dict:
    """The whole run of barracuda_udp_sessions: the workaround asked for."""
    if workaround_of(ctx.params) == 'open_port':
        return run_open_port(ctx, api_calls)
    return run_max_udp(ctx, api_calls)
