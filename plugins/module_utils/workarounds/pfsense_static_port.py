# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: workarounds. pfSense static-port outbound NAT (the logic of pfsense_static_port).

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/, transport/, clients/, and the shared workaround helpers.
"""

from __future__ import annotations

from ansible_collections.directpath.firewall.plugins.module_utils.clients import pfsense
from ansible_collections.directpath.firewall.plugins.module_utils.transport.configxml import (
    ConfigXml, apply_with_rollback, child_text, insert_child, read_record, remove_child, set_child_text, write_record)
from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import Plan
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import finish
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.static_port import (
    STATIC_PORT_SPEC, exposure, parse_nat_hosts, randomize_advice)

__all__ = [
    'PFSENSE_STATIC_PORT_SPEC',
    'VENDOR',
    'WORKAROUND',
    'run_pfsense_static_port',
]

VENDOR = 'pfsense'
WORKAROUND = 'static_port'
_OPTIONS = ArgumentSpec(argument_spec=dict(
    nat_mapping=dict(type='str', choices=['auto', 'static_port', 'endpoint_independent'], default='auto'),
))


def choose_mapping(wanted, version, version_text):
    if wanted == 'auto':
        return 'endpoint_independent' if pfsense.supports_eim(version) else 'static_port'
    if wanted == 'endpoint_independent' and not pfsense.supports_eim(version):
        raise DirectPathError('pfSense %s has no endpoint-independent outbound NAT (needs Plus 25.11 or CE 2.9)' % version_text,
                              cause='unsupported')
    return wanted


def plan_static_port(plan, config, params, version, version_text):
    mode = child_text(config.find('nat/outbound'), 'mode', 'automatic') or 'automatic'
    record = read_record(config, WORKAROUND)
    rule = pfsense.find_our_rule(config)
    current_rule = pfsense.rule_view(rule)
    current_alias = pfsense.alias_addresses(pfsense.find_alias(config, pfsense.ALIAS_NAME))
    others = [r for r in pfsense.outbound_rules(config) if r is not rule]
    desired = {'mode': mode, 'rule': None, 'alias': None, 'record': {}, 'mapping': None}
    if params['state'] == 'present':
        hosts = parse_nat_hosts(params['tailscale_hosts'])
        mapping = choose_mapping(params['nat_mapping'], version, version_text)
        families = set(host.version for host in hosts)
        desired['mapping'] = mapping
        desired['alias'] = [str(host) for host in hosts]
        desired['rule'] = {
            'interface': params['interface'], 'protocol': 'udp',
            'ipprotocol': 'inet46' if len(families) == 2 else ('inet' if 4 in families else 'inet6'),
            'source': pfsense.ALIAS_NAME, 'destination': 'any', 'target': '',
            'staticnatport': mapping == 'static_port', 'eimnat': mapping == 'endpoint_independent',
            'disabled': False, 'descr': pfsense.OUR_DESCR,
        }
        desired['record'] = dict(record)
        if mode == 'disabled':
            plan.require_manual('outbound NAT is disabled on this firewall: a static-port rule would not be used; '
                                'enabling NAT is a decision for a human')
        elif mode == 'automatic':
            desired['mode'] = 'hybrid'
            desired['record'] = {'mode_before': ['automatic']}
        plan.add_exposure(exposure(hosts, params['interface'], mapping))
        if mapping == 'static_port':
            randomize_advice(plan, params['tailnet_randomize_client_port'])
            if pfsense.supports_eim(version):
                plan.add_advice('this pfSense version supports endpoint-independent mapping (nat_mapping=auto uses it)')
        elif pfsense.supports_eim(version):
            plan.add_finding('endpoint-independent mapping is available: randomizeClientPort is not needed')
    else:
        if record.get('mode_before') and mode == 'hybrid':
            if others:
                plan.add_finding('outbound NAT left in hybrid mode: %d other manual rule(s) depend on it' % len(others))
            else:
                desired['mode'] = record['mode_before'][0]
    plan.compare('nat_mode', mode, desired['mode'],
                 finding='outbound NAT is in %s mode: manual rules are ignored' % mode if mode == 'automatic' else None)
    plan.compare('alias', current_alias, desired['alias'],
                 finding='alias %s does not list exactly the Tailscale hosts' % pfsense.ALIAS_NAME)
    plan.compare('rule', current_rule, desired['rule'],
                 finding='no outbound NAT rule keeps the Tailscale hosts\' UDP mapping stable' if current_rule is None
                 else 'our outbound NAT rule differs from the wanted one')
    if params['state'] == 'absent':
        desired['record'] = {}
    plan.compare('ownership_record', record, desired['record'])
    return desired, rule


def write_changes(config, desired, rule):
    outbound = config.ensure('nat/outbound')
    set_child_text(outbound, 'mode', desired['mode'])
    pfsense.write_alias(config, pfsense.ALIAS_NAME, desired['alias'], 'Tailscale hosts (managed by directpath.firewall)')
    if desired['rule'] is None:
        if rule is not None:
            remove_child(outbound, rule)
    else:
        user = (config.find('revision/username').text if config.find('revision/username') is not None else '') or ''
        new = pfsense.build_rule(desired['rule'], user)
        children = list(outbound)
        if rule is not None:
            created = rule.find('created')
            if created is not None:
                new.remove(new.find('created'))
                new.append(created)
            position = children.index(rule)
            outbound.remove(rule)
        else:
            rules = [child for child in children if child.tag == 'rule']
            position = children.index(rules[0]) if rules else len(children)
        insert_child(outbound, new, position)
    write_record(config, WORKAROUND, desired['record'])



def run_pfsense_static_port(ctx, api_calls):
    """The whole run of pfsense_static_port."""
    params = ctx.params
    config = ConfigXml(params['config_path'], pfsense.CONVENTION, params['backup_dir'], params['config_cache'], api_calls)
    config.load()
    version_text, version = pfsense.read_version(params['version_file'])
    plan = Plan(VENDOR, WORKAROUND, params['state'])
    desired, rule = plan_static_port(plan, config, params, version, version_text)
    commands = params['apply_command'] if params['apply_command'] is not None else pfsense.STATIC_PORT_APPLY
    extra = {'product_version': version_text, 'nat_mapping': desired['mapping'], 'rule': desired['rule']}

    def apply(current_plan):
        write_changes(config, desired, rule)
        apply_with_rollback(ctx, config, 'directpath.firewall pfsense_static_port (state=%s)' % params['state'],
                            commands, api_calls)

    return finish(ctx, plan, apply, api_calls, extra)

# The options of pfsense_static_port.
PFSENSE_STATIC_PORT_SPEC = pfsense.ONBOX_SPEC.merge(STATIC_PORT_SPEC).merge(_OPTIONS)
