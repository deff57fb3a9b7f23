# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: workarounds. PAN-OS persistent dynamic IP and port (the logic of panos_persistent_dipp).

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/, transport/, clients/.
"""

from __future__ import annotations

import copy
import ipaddress
import re
import xml.etree.ElementTree as ET

from ansible_collections.directpath.firewall.plugins.module_utils.clients.panos import (
    PANOS_CONNECTION_SPEC,
    PanosClient,
    parse_version,
)
from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import Plan
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import finish

__all__ = [
    'PERSISTENT_DIPP_SPEC',
    'VENDOR',
    'WORKAROUND',
    'run_persistent_dipp',
]

VENDOR = 'panos'
WORKAROUND = 'persistent_dipp'
PERSISTENT = 'persistent-dynamic-ip-and-port'
DYNAMIC = 'dynamic-ip-and-port'
MIN_VERSION = (11, 1, 1)
GLOBAL_SETTING = 'system setting persistent-dipp'

# PAN-OS policy rule names: up to 63 characters, letters, digits, spaces, hyphens, underscores and
# periods, starting with a letter, digit or underscore (PAN-OS web interface help, "Building Blocks of a
# Security/NAT Policy Rule": Name). Anything else cannot name a rule, so it is refused before an XPath
# is built from it.
RULE_NAME = re.compile(r'^[A-Za-z0-9_][A-Za-z0-9 ._-]{0,62}$')

_OPTIONS = ArgumentSpec(
    argument_spec=dict(
        rules=dict(type='list', elements='str'),
        tailscale_hosts=dict(type='list', elements='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        commit_description=dict(type='str', default='directpath.firewall: persistent DIPP for Tailscale direct connections'),
        commit_timeout=dict(type='int', default=600),
        legacy_global_setting=dict(type='bool', default=False),
        global_setting_restart_confirmed=dict(type='bool', default=False),
    ),
    required_one_of=[('rules', 'tailscale_hosts')],
)

LEGACY_OPTIONS = (
    'PAN-OS before 11.1.1 has no per-rule persistent DIPP. Options Palo Alto and Tailscale document: '
    '(1) the global setting "set system setting persistent-dipp enable yes" (PAN-OS 10.1.6+/10.2.4+), which needs '
    '"request restart system" and applies to every DIPP rule; '
    '(2) a selective NAT rule matching UDP source port 41641 (only while randomizeClientPort is off in the tailnet policy); '
    '(3) Static IP NAT for a single device such as a subnet router.'
)


PANOS_COLLECTION_HINT = (
    'if this rule is managed with paloaltonetworks.panos, its panos_nat_rule2 module cannot express persistent DIPP and '
    'deletes the whole source translation of such a rule with state present or replaced (state merged is safe): '
    'restore the translation, then run this module again')

RESTART_PENDING = ('the global persistent-dipp setting is enabled, but it takes effect only after "request restart system"; '
                   'PAN-OS does not report over its API whether the firewall has restarted since, so this stays a task for a '
                   'person: restart the firewall (and its HA peer), then set global_setting_restart_confirmed to record it')


def validate_options(params):
    """Refuse input PAN-OS itself would refuse or that would select more than the user meant."""
    for option in ('rules', 'tailscale_hosts'):
        if params.get(option) is not None and len(params[option]) == 0:
            raise DirectPathError('%s is an empty list, which would select nothing or everything: name at least one, or leave '
                                  'the option out' % option, cause='input')
    for name in params.get('rules') or []:
        if not RULE_NAME.match(name):
            raise DirectPathError('rules: %r is not a PAN-OS rule name (up to 63 letters, digits, spaces, hyphens, '
                                  'underscores and periods)' % (name,), cause='input')


def parse_networks(values, what):
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise DirectPathError('%s: %r is not an IP address or network' % (what, value), cause='input')
    return networks


def translation_type(rule):
    """The rule's source translation type, or None when it has no source translation."""
    translation = rule.find('source-translation')
    if translation is None or len(translation) == 0:
        return None
    return translation[0].tag


def rule_sources(rule):
    return [member.text.strip() for member in rule.findall('source/member') if member.text]


def resolve_member(value, addresses, seen=()):
    """The networks an address member stands for, or None when it cannot be resolved here
    (FQDN, range or wildcard objects, dynamic address groups, unknown names)."""
    if value in addresses:
        if value in seen:
            return None
        target = addresses[value]
        if target is None:
            return None
        if isinstance(target, list):
            networks = []
            for member in target:
                resolved = resolve_member(member, addresses, tuple(seen) + (value,))
                if resolved is None:
                    return None
                networks.extend(resolved)
            return networks
        value = target
    try:
        return [ipaddress.ip_network(value, strict=False)]
    except ValueError:
        return None


def _named_members(names, addresses, seen=()):
    """The names among ``names`` (and, through groups, their members) that ``addresses`` cannot resolve yet."""
    missing = set()
    for name in names:
        if name == 'any' or name in seen:
            continue
        if name not in addresses:
            try:
                ipaddress.ip_network(name, strict=False)
            except ValueError:
                missing.add(name)
            continue
        if isinstance(addresses[name], list):
            missing |= _named_members(addresses[name], addresses, tuple(seen) + (name,))
    return missing


def read_objects_needed(client, rules):
    """Only the address objects the enabled rules' sources name: none when every source is ``any`` or a
    literal; the vsys's objects first (they shadow shared ones), ``shared`` only for names still unknown."""
    names = set()
    for rule in rules.values():
        if (rule.findtext('disabled') or '').strip() != 'yes':
            names.update(rule_sources(rule))
    addresses = {}
    for scope in ('vsys', 'shared'):
        if not _named_members(names, addresses):
            break
        for name, value in client.read_addresses(scope).items():
            addresses.setdefault(name, value)
    return addresses


def source_covers(rule, host, addresses):
    """True, False, or None (cannot tell) for "the rule's source matches ``host``"."""
    if (rule.findtext('negate-source') or '').strip() == 'yes':
        # PAN-OS NAT rules have no negated source; a rule that carries one is not ours to interpret.
        return None
    unknown = False
    for source in rule_sources(rule):
        if source == 'any':
            return True
        networks = resolve_member(source, addresses)
        if networks is None:
            unknown = True
            continue
        if any(host.version == network.version and host.subnet_of(network) for network in networks):
            return True
    return None if unknown else False


def matches_every_destination(rule):
    """A rule that catches all of a source's traffic: later rules never see that source's packets."""
    destinations = rule_sources_of(rule, 'destination')
    service = (rule.findtext('service') or 'any').strip()
    return destinations == ['any'] and service == 'any'


def rule_sources_of(rule, tag):
    return [member.text.strip() for member in rule.findall('%s/member' % tag) if member.text]


def rules_for_hosts(rules, hosts, addresses, plan):
    """The rules that translate the hosts' traffic, in rulebase order.

    PAN-OS evaluates NAT rules top down and uses the first that matches; for each host the walk stops
    at the first enabled rule whose source covers it and that matches every destination and service.
    Rules further down never translate that host's traffic, so they are left alone (least change).
    """
    chosen = []
    for host in hosts:
        for name, rule in rules.items():
            if (rule.findtext('disabled') or '').strip() == 'yes':
                continue
            covered = source_covers(rule, host, addresses)
            if covered is None:
                plan.add_finding("NAT rule '%s': its source cannot be resolved here (FQDN, range or dynamic objects), so it "
                                 "is not known whether it translates %s; left as it is" % (name, host))
                continue
            if not covered:
                continue
            if name not in chosen:
                chosen.append(name)
            if matches_every_destination(rule):
                break
    return [name for name in rules if name in chosen]


def select_rules(rules, names, hosts, addresses, plan):
    """The rules to manage, in rulebase order; reports the ones it must leave alone."""
    if names:
        missing = [name for name in names if name not in rules]
        if missing:
            raise DirectPathError('NAT rule(s) %s not found; the rulebase has: %s' % (
                ', '.join(repr(n) for n in missing), ', '.join(repr(n) for n in rules) or 'no rules'), cause='input')
        candidates = [name for name in rules if name in names]
        if hosts:
            # Both given: every named rule must translate at least one of the Tailscale hosts.
            unrelated = [name for name in candidates
                         if not any(source_covers(rules[name], host, addresses) for host in hosts)]
            if unrelated:
                raise DirectPathError('NAT rule(s) %s do not cover any of tailscale_hosts (%s): with both options, every '
                                      'named rule must carry Tailscale traffic' % (
                                          ', '.join(repr(n) for n in unrelated), ', '.join(str(h) for h in hosts)),
                                      cause='input')
    else:
        candidates = rules_for_hosts(rules, hosts, addresses, plan)
    selected = []
    for name in candidates:
        rule = rules[name]
        kind = translation_type(rule)
        if (rule.findtext('disabled') or '').strip() == 'yes':
            plan.add_finding("NAT rule '%s' is disabled: left as it is" % name)
        elif kind is None:
            plan.add_finding("NAT rule '%s' has no source translation: left as it is; %s" % (name, PANOS_COLLECTION_HINT))
        elif kind not in (DYNAMIC, PERSISTENT):
            plan.add_finding("NAT rule '%s' uses %s, not dynamic IP and port: left as it is" % (name, kind))
        else:
            selected.append(name)
    return selected


def build_translation(rule, wanted):
    """A new <source-translation> of type ``wanted`` keeping the current children (address/interface)."""
    current = rule.find('source-translation')[0]
    translation = ET.Element('source-translation')
    body = ET.SubElement(translation, wanted)
    for child in current:
        body.append(copy.deepcopy(child))
    return translation


def supports_global_setting(version):
    """The operational persistent-dipp setting: 10.1.6+, 10.2.4+ and 11.0 (PAN KB kA14u000000kHuECAU)."""
    major, minor, patch = version
    return (major, minor) == (10, 1) and patch >= 6 or (major, minor) == (10, 2) and patch >= 4 or (major, minor) == (11, 0)


def plan_rules(plan, client, rules, selected, params):
    version = parse_version(client.sw_version)
    if version < MIN_VERSION:
        return plan_before_11_1_1(plan, client, rules, selected, params, version)
    state = params['state']
    wanted = PERSISTENT if state == 'present' else DYNAMIC
    report = []
    for name in selected:
        current = translation_type(rules[name])
        if state == 'present':
            finding = "NAT rule '%s' uses %s: the mapping varies by destination, so peers fall back to DERP" % (name, current)
            plan.add_exposure("NAT rule '%s': translated source port reused for every destination (no inbound port opened)" % name)
        else:
            finding = "NAT rule '%s' uses %s; state=absent wants %s" % (name, current, DYNAMIC)
        plan.compare(name, current, wanted, finding=finding)
        report.append({'name': name, 'translation_before': current, 'translation_after': wanted})
    if plan.changed and state == 'present':
        plan.add_advice('Palo Alto documents a reboot after changing DIPP NAT rules when DIPP rules already exist; plan one.')
    return report


def plan_before_11_1_1(plan, client, rules, selected, params, version):
    """No per-rule persistent DIPP: the global persistent-dipp setting, read and reported as it is."""
    state = params['state']
    report = [{'name': name, 'translation_before': translation_type(rules[name]),
               'translation_after': translation_type(rules[name])} for name in selected]
    needs_work = state == 'present' and any(item['translation_before'] == DYNAMIC for item in report)
    if not supports_global_setting(version):
        if needs_work:
            plan.require_manual('PAN-OS %s has neither per-rule persistent DIPP (11.1.1+) nor the global persistent-dipp setting '
                                '(10.1.6+, 10.2.4+, 11.0)' % client.sw_version)
            plan.add_advice(LEGACY_OPTIONS)
        return report
    if not params['legacy_global_setting'] and not needs_work:
        return report
    enabled = client.global_persistent_dipp()
    current = 'enabled' if enabled else 'disabled'
    restart_advice = ('The global persistent-dipp setting takes effect only after "request restart system", and must be set on '
                      'an HA peer as well; this module never restarts the firewall.')
    if params['legacy_global_setting']:
        wanted = 'enabled' if state == 'present' else 'disabled'
        plan.compare(GLOBAL_SETTING, current, wanted,
                     finding='the global persistent-dipp setting is %s; %s wants it %s' % (
                         current, 'the workaround' if state == 'present' else 'state=absent', wanted))
        if state == 'present':
            plan.add_exposure('every dynamic-IP-and-port NAT rule of the firewall (global setting): translated source port '
                              'reused for every destination (no inbound port opened)')
        plan.add_advice(restart_advice)
        # Whatever this run writes waits for a restart: never reported as compliant before it.
        plan.manual_after_apply('the global persistent-dipp setting is %s now; it takes effect after "request restart '
                                'system", which this module never runs' % wanted)
        if current == wanted == 'enabled' and not params['global_setting_restart_confirmed']:
            plan.require_manual(RESTART_PENDING)
        elif current == wanted == 'enabled':
            plan.add_finding('the global persistent-dipp setting is enabled and the operator confirmed the restart that '
                             'puts it in effect')
        return report
    if enabled:
        if params['global_setting_restart_confirmed']:
            plan.add_finding('PAN-OS %s: the global persistent-dipp setting is enabled and the operator confirmed the restart '
                             'that puts it in effect' % client.sw_version)
        else:
            plan.require_manual(RESTART_PENDING)
            plan.add_advice(restart_advice)
        return report
    plan.require_manual('PAN-OS %s does not support per-rule Persistent Dynamic IP and Port (needs 11.1.1 or later), and the '
                        'global persistent-dipp setting is disabled' % client.sw_version)
    plan.add_advice(LEGACY_OPTIONS)
    return report


def apply_changes(ctx, client, plan, rules, description, extra):
    global_change = [change for change in plan.changes if change.name == GLOBAL_SETTING]
    if global_change:
        # An operational command: no candidate configuration, no commit, nothing half-applied.
        client.set_global_persistent_dipp(global_change[0].after == 'enabled')
        return None
    client.admin = client.admin_name()
    client.lock()
    try:
        if client.pending_changes():
            admins = [admin for admin in client.pending_admins() if admin != client.admin] or client.pending_admins()
            raise DirectPathError(
                'the candidate configuration of %s has uncommitted changes%s; they must be committed or reverted by their '
                'owner before this module changes NAT rules' % (
                    client.host, ' by %s' % ', '.join(admins) if admins else ''), cause='conflict')
        try:
            for change in plan.changes:
                client.set_translation(change.name, build_translation(rules[change.name], change.after))
        except DirectPathError as error:
            raise client.revert_after(error)
        return client.commit(description, client.admin)
    finally:
        released = client.unlock()
        extra['config_lock_released'] = released
        if not released:
            ctx.warn('the configuration lock directpath.firewall took on %s (%s) could not be released: it blocks every other '
                     'administrator until it is removed ("request config-lock remove", or Locks in the web interface)'
                     % (client.host, client.vsys))


def run_persistent_dipp(ctx, api_calls):
    """The whole run of panos_persistent_dipp: read the rulebase, plan, apply unless in check mode."""
    params = ctx.params
    validate_options(params)
    hosts = parse_networks(params['tailscale_hosts'] or [], 'tailscale_hosts')
    plan = Plan(VENDOR, WORKAROUND, params['state'])
    client = PanosClient(params, api_calls, ctx.add_secret)
    client.connect()
    rules = client.read_nat_rules()
    addresses = read_objects_needed(client, rules) if hosts else {}
    selected = select_rules(rules, params['rules'], hosts, addresses, plan)
    if not selected and not params['rules']:
        plan.set_status('not_applicable')
        plan.add_finding('no enabled dynamic-IP-and-port source NAT rule translates the Tailscale hosts: nothing to change')
    report = plan_rules(plan, client, rules, selected, params)
    extra = {'sw_version': client.sw_version, 'rules': report}

    def apply(current_plan):
        extra['commit_job'] = apply_changes(ctx, client, current_plan, rules, params['commit_description'], extra)

    return finish(ctx, plan, apply, api_calls, extra)


# The options of panos_persistent_dipp: the PAN-OS connection options plus the workaround's own.
PERSISTENT_DIPP_SPEC = PANOS_CONNECTION_SPEC.merge(_OPTIONS)
