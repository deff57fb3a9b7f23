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

_OPTIONS = ArgumentSpec(
    argument_spec=dict(
        rules=dict(type='list', elements='str'),
        tailscale_hosts=dict(type='list', elements='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        commit_description=dict(type='str', default='directpath.firewall: persistent DIPP for Tailscale direct connections'),
        commit_timeout=dict(type='int', default=600),
        legacy_global_setting=dict(type='bool', default=False),
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


def source_covers(sources, hosts, addresses):
    """True when one of the rule's source members contains one of the hosts."""
    for source in sources:
        if source == 'any':
            return True
        value = addresses.get(source, source)
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            # An address group, FQDN or range object: not resolvable here, so not a match.
            continue
        if any(host.version == network.version and host.subnet_of(network) for host in hosts):
            return True
    return False


def select_rules(rules, names, hosts, addresses, plan):
    """The rules to manage, in rulebase order; reports the ones it must leave alone."""
    if names:
        missing = [name for name in names if name not in rules]
        if missing:
            raise DirectPathError('NAT rule(s) %s not found; the rulebase has: %s' % (
                ', '.join(repr(n) for n in missing), ', '.join(repr(n) for n in rules) or 'no rules'), cause='input')
        candidates = [name for name in rules if name in names]
    else:
        candidates = [name for name in rules if source_covers(rule_sources(rules[name]), hosts, addresses)]
    selected = []
    for name in candidates:
        rule = rules[name]
        kind = translation_type(rule)
        if rule.findtext('disabled') == 'yes':
            plan.add_finding("NAT rule '%s' is disabled: left as it is" % name)
        elif kind not in (DYNAMIC, PERSISTENT):
            plan.add_finding("NAT rule '%s' uses %s, not dynamic IP and port: left as it is" % (name, kind or 'no source translation'))
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


def plan_rules(plan, client, rules, selected, state, legacy_global_setting):
    version = parse_version(client.sw_version)
    if version < MIN_VERSION:
        return plan_before_11_1_1(plan, client, rules, selected, state, legacy_global_setting, version)
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


def plan_before_11_1_1(plan, client, rules, selected, state, legacy_global_setting, version):
    """No per-rule persistent DIPP: manual, or (opt-in) the global persistent-dipp setting."""
    report = [{'name': name, 'translation_before': translation_type(rules[name]),
               'translation_after': translation_type(rules[name])} for name in selected]
    needs_work = state == 'present' and any(item['translation_before'] == DYNAMIC for item in report)
    if not legacy_global_setting:
        if needs_work:
            plan.require_manual('PAN-OS %s does not support per-rule Persistent Dynamic IP and Port (needs 11.1.1 or later)' % client.sw_version)
            plan.add_advice(LEGACY_OPTIONS)
        return report
    if not supports_global_setting(version):
        if needs_work:
            plan.require_manual('PAN-OS %s has neither per-rule persistent DIPP (11.1.1+) nor the global persistent-dipp setting '
                                '(10.1.6+, 10.2.4+, 11.0)' % client.sw_version)
            plan.add_advice(LEGACY_OPTIONS)
        return report
    if not needs_work and state == 'present':
        return report
    enabled = client.global_persistent_dipp()
    wanted = 'enabled' if state == 'present' else 'disabled'
    plan.compare(GLOBAL_SETTING, 'enabled' if enabled else 'disabled', wanted,
                 finding='the global persistent-dipp setting is %s; %s wants it %s' % (
                     'enabled' if enabled else 'disabled', 'the workaround' if state == 'present' else 'state=absent', wanted))
    if state == 'present':
        plan.add_exposure('every dynamic-IP-and-port NAT rule of the firewall (global setting): translated source port reused for '
                          'every destination (no inbound port opened)')
    plan.add_advice('The global persistent-dipp setting takes effect only after "request restart system", and must be set on '
                    'an HA peer as well; this module never restarts the firewall.')
    return report


def apply_changes(client, plan, rules, description):
    global_change = [change for change in plan.changes if change.name == GLOBAL_SETTING]
    if global_change:
        # An operational command: no candidate configuration, no commit, nothing half-applied.
        client.set_global_persistent_dipp(global_change[0].after == 'enabled')
        return None
    client.lock()
    try:
        if client.pending_changes():
            raise DirectPathError(
                'the candidate configuration of %s has uncommitted changes; commit or revert them before this module '
                'changes NAT rules, so that only our change is committed' % client.host, cause='conflict')
        try:
            for change in plan.changes:
                client.set_translation(change.name, build_translation(rules[change.name], change.after))
        except DirectPathError as error:
            raise client.revert_after(error)
        return client.commit(description)
    finally:
        client.unlock()


# The options of panos_persistent_dipp: the PAN-OS connection options plus the workaround's own.
PERSISTENT_DIPP_SPEC = PANOS_CONNECTION_SPEC.merge(_OPTIONS)



def run_persistent_dipp(ctx, api_calls):
    """The whole run of panos_persistent_dipp: read the rulebase, plan, apply unless in check mode."""
    params = ctx.params
    hosts = parse_networks(params['tailscale_hosts'] or [], 'tailscale_hosts')
    plan = Plan(VENDOR, WORKAROUND, params['state'])
    client = PanosClient(params, api_calls, ctx.add_secret)
    client.connect()
    rules = client.read_nat_rules()
    addresses = client.read_addresses() if not params['rules'] else {}
    selected = select_rules(rules, params['rules'], hosts, addresses, plan)
    if not selected and not params['rules']:
        plan.set_status('not_applicable')
        plan.add_finding('no enabled dynamic-IP-and-port source NAT rule covers the Tailscale hosts: nothing to change')
    report = plan_rules(plan, client, rules, selected, params['state'], params['legacy_global_setting'])
    extra = {'sw_version': client.sw_version, 'rules': report}

    def apply(current_plan):
        extra['commit_job'] = apply_changes(client, current_plan, rules, params['commit_description'])

    return finish(ctx, plan, apply, api_calls, extra)
