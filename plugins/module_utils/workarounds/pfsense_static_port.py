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

from ansible_collections.directpath.firewall.plugins.module_utils.clients.onbox import is_ours
from ansible_collections.directpath.firewall.plugins.module_utils.clients.pfsense import PFSENSE
from ansible_collections.directpath.firewall.plugins.module_utils.transport.configxml import (
    apply_with_rollback, insert_child, read_record, remove_child, write_record)
from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import Plan
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import finish
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.onbox_inputs import check_interface_names
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.static_port import (
    STATIC_PORT_SPEC, exposure, parse_nat_hosts, plan_nat_mode, randomize_advice)

__all__ = [
    'PFSENSE_STATIC_PORT_SPEC',
    'run_pfsense_static_port',
]

WORKAROUND = 'static_port'
_OPTIONS = ArgumentSpec(argument_spec=dict(
    nat_mapping=dict(type='str', choices=['auto', 'static_port', 'endpoint_independent'], default='auto'),
))


def choose_mapping(wanted, version, version_text):
    if wanted == 'auto':
        return 'endpoint_independent' if PFSENSE.supports_eim(version) else 'static_port'
    if wanted == 'endpoint_independent' and not PFSENSE.supports_eim(version):
        raise DirectPathError('pfSense %s has no endpoint-independent outbound NAT (needs Plus 25.11 or CE 2.9)' % version_text,
                              cause='unsupported')
    return wanted


def plan_static_port(plan, config, params, version, version_text):
    mode = PFSENSE.nat_mode(config)
    record = read_record(config, WORKAROUND)
    ours = [rule for rule in PFSENSE.outbound_rules(config) if is_ours(rule.findtext('descr'))]
    rule = ours[0] if ours else None
    current_rule = PFSENSE.rule_view(rule)
    current_alias = PFSENSE.alias_addresses(config)
    others = [r for r in PFSENSE.outbound_rules(config) if r not in ours]
    desired = {'mode': mode, 'rule': None, 'alias': None, 'record': {}, 'mapping': None}
    hosts = []
    if params['state'] == 'present':
        hosts = parse_nat_hosts(params['tailscale_hosts'])
        check_interface_names('interface', [params['interface']], config)
        mapping = choose_mapping(params['nat_mapping'], version, version_text)
        families = set(host.version for host in hosts)
        desired['mapping'] = mapping
        desired['alias'] = [str(host) for host in hosts]
        desired['rule'] = {
            'interface': params['interface'], 'protocol': 'udp',
            'ipprotocol': 'inet46' if len(families) == 2 else ('inet' if 4 in families else 'inet6'),
            'source': PFSENSE.alias_name, 'destination': 'any', 'target': '',
            'staticnatport': mapping == 'static_port', 'eimnat': mapping == 'endpoint_independent',
            'disabled': False, 'descr': PFSENSE.rule_descr,
        }
    desired['mode'], mode_before = plan_nat_mode(plan, mode, params['state'], record, len(others))
    desired['record'] = {'mode_before': mode_before} if mode_before else {}
    # Sections we create are recorded, so state=absent leaves no empty section behind.
    desired['created'] = list(record.get('created_section', []))
    if params['state'] == 'present':
        desired['created'] = desired['created'] or (config.missing_levels('nat/outbound')
                                                    + (['aliases'] if config.find('aliases') is None else []))
        if desired['created']:
            desired['record']['created_section'] = desired['created']
    if params['state'] == 'present':
        plan.add_exposure(exposure(hosts, params['interface'], desired['mapping']))
        if desired['mapping'] == 'static_port':
            randomize_advice(plan, params['tailnet_randomize_client_port'])
            if PFSENSE.supports_eim(version):
                plan.add_advice('this pfSense version supports endpoint-independent mapping (nat_mapping=auto uses it)')
        elif PFSENSE.supports_eim(version):
            plan.add_finding('endpoint-independent mapping is available: randomizeClientPort is not needed')
    plan.compare('alias', current_alias, desired['alias'],
                 finding='alias %s does not list exactly the Tailscale hosts' % PFSENSE.alias_name)
    plan.compare('rule', current_rule, desired['rule'],
                 finding='no outbound NAT rule keeps the Tailscale hosts\' UDP mapping stable' if current_rule is None
                 else 'our outbound NAT rule differs from the wanted one')
    if len(ours) > 1:
        plan.compare('duplicate_rules', len(ours) - 1, 0, finding='%d more outbound NAT rules carry our description'
                     % (len(ours) - 1))
    return desired, ours


def write_changes(config, desired, ours):
    created = desired['created']
    outbound = config.ensure('nat/outbound')
    PFSENSE.set_nat_mode(config, desired['mode'])
    PFSENSE.write_alias(config, desired['alias'])
    rule = ours[0] if ours else None
    for extra in ours[1:]:
        remove_child(outbound, extra)
    if desired['rule'] is None:
        if rule is not None:
            remove_child(outbound, rule)
    else:
        new = PFSENSE.build_rule(desired['rule'])
        children = list(outbound)
        if rule is not None:
            created_stamp = rule.find('created')
            if created_stamp is not None:
                new.remove(new.find('created'))
                new.append(created_stamp)
            position = children.index(rule)
            outbound.remove(rule)
        else:
            rules = [child for child in children if child.tag == 'rule']
            position = children.index(rules[0]) if rules else len(children)
        insert_child(outbound, new, position)
    write_record(config, WORKAROUND, desired['record'])
    if created and desired['rule'] is None and desired['mode'] == 'automatic':
        # The sections we created, back to the default mode and no rule: leave none.
        mode = outbound.find('mode')
        if mode is not None and not len(outbound.findall('rule')) and 'nat/outbound' in created:
            outbound.remove(mode)
        config.remove_created(created)


def run_pfsense_static_port(ctx, api_calls):
    """The whole run of pfsense_static_port, under pfSense's configuration lock."""
    params = ctx.params
    config = PFSENSE.open_config(params, api_calls)
    with config.locked(exclusive=not ctx.check_mode):
        config.load()
        version_text, version = PFSENSE.read_version(params['version_file'])
        plan = Plan(PFSENSE.name, WORKAROUND, params['state'])
        desired, ours = plan_static_port(plan, config, params, version, version_text)
        commands = PFSENSE.apply_commands(params, WORKAROUND)
        extra = {'product_version': version_text, 'nat_mapping': desired['mapping'], 'rule': desired['rule']}

        def apply(current_plan):
            write_changes(config, desired, ours)
            apply_with_rollback(config, 'directpath.firewall pfsense_static_port (state=%s)' % params['state'],
                                commands, api_calls, params['apply_timeout'])

        return finish(ctx, plan, apply, api_calls, extra)


# The options of pfsense_static_port.
PFSENSE_STATIC_PORT_SPEC = PFSENSE.spec.merge(STATIC_PORT_SPEC).merge(_OPTIONS)
