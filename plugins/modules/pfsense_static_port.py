#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: pfsense_static_port
short_description: Static-port (or endpoint-independent) outbound NAT for the Tailscale hosts on pfSense
version_added: 0.1.0
description:
  - Tailscale's guidance for pfSense is hybrid outbound NAT with a UDP rule that keeps the source port
    (B(Static Port)), placed above the automatic rules, together with C(randomizeClientPort) in the tailnet policy.
  - The module switches outbound NAT from automatic to B(hybrid) (hybrid and manual modes are kept), keeps a host
    alias C(directpath_tailscale) with the Tailscale hosts (IPv4 and IPv6), and keeps one outbound NAT rule for UDP
    from that alias to any destination, translated to the interface address. The rule is inserted at the top of the
    manual rules and found again by its description; no other rule is changed or moved.
  - On pfSense Plus 25.11 and later and CE 2.9 and later the rule uses B(Endpoint-Independent Mapping) instead of
    static port (O(nat_mapping=auto)), which needs no C(randomizeClientPort) (tailscale/tailscale#18035).
  - With C(static_port), the compliance record advises setting C(randomizeClientPort) unless
    O(tailnet_randomize_client_port=true) says the policy has it.
  - With O(state=absent) the rule and the alias are removed, and the mode goes back to automatic if this module
    changed it and no other manual rule exists.
  - The change is written to config.xml with pfSense's revision entry and backup copy and applied with
    C(filter_configure()); if the apply fails, the previous config.xml is restored and applied again.
author:
  - DirectPath engineers (@directpath)
extends_documentation_fragment:
  - directpath.firewall.pfsense
  - directpath.firewall.pf_firewall.static_port
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Only reads config.xml and the version file.
  diff_mode:
    support: full
    details: Shows the outbound NAT mode, the alias and the rule before and after.
  platform:
    platforms: pfsense
options:
  nat_mapping:
    description:
      - V(static_port) keeps the source port; V(endpoint_independent) uses pfSense's EIM-NAT (Plus 25.11+, CE 2.9+);
        V(auto) uses EIM where the version has it, else static port.
    type: str
    choices: [auto, static_port, endpoint_independent]
    default: auto
notes:
  - "Default O(apply_command): C(/usr/local/bin/php -r 'require_once(\"config.inc\"); require_once(\"filter.inc\");
    require_once(\"util.inc\"); if (filter_configure() != 0) { exit(1); } clear_subsystem_dirty(\"natconf\");
    clear_subsystem_dirty(\"filter\");'), what the Outbound NAT page's Apply runs (C(applyoutNATrules())). pfSense's
    optional REST API package is not used."
seealso:
  - name: Tailscale on pfSense
    description: Tailscale's guidance this module implements.
    link: https://tailscale.com/kb/1146/pfsense
'''

EXAMPLES = r'''
- name: Static-port outbound NAT for the Tailscale hosts (EIM where available)
  directpath.firewall.pfsense_static_port:
    tailscale_hosts: [198.18.10.21, "2001:db8:10::21"]
    tailnet_randomize_client_port: true

- name: Remove it again
  directpath.firewall.pfsense_static_port:
    state: absent
'''

RETURN = r'''
product_version:
  description: Content of the version file.
  returned: success
  type: str
  sample: 25.11-RELEASE
nat_mapping:
  description: The mapping the rule uses (C(static_port) or C(endpoint_independent)), or null with O(state=absent).
  returned: success
  type: str
  sample: endpoint_independent
rule:
  description: Our outbound NAT rule after the run (null when absent).
  returned: success
  type: dict
  sample: {"interface": "wan", "protocol": "udp", "ipprotocol": "inet46", "source": "directpath_tailscale",
           "destination": "any", "target": "", "staticnatport": false, "eimnat": true, "disabled": false,
           "descr": "directpath.firewall: Tailscale hosts, stable UDP mapping (managed by Ansible)"}
api_calls:
  description: File reads and writes (config.xml write and each apply command count as writes).
  returned: always
  type: dict
  sample: {"reads": 1, "writes": 0}
compliance:
  description: The compliance record the audit report collects (see docs/audit.md).
  returned: always
  type: dict
  sample:
    vendor: pfsense
    workaround: static_port
    status: drift
    findings: ["outbound NAT is in automatic mode: manual rules are ignored"]
    exposure: ["outbound UDP from 198.18.10.21 via wan keeps its source port (static port); no inbound port is opened"]
    advice: ["Set \"randomizeClientPort\": true in the tailnet policy file ..."]
diff:
  description: Changed fields before and after.
  returned: when diff mode is on
  type: dict
'''

from ansible_collections.directpath.firewall.plugins.module_utils import pfsense
from ansible_collections.directpath.firewall.plugins.module_utils.configxml import (
    ConfigXml, apply_with_rollback, child_text, insert_child, read_record, remove_child, set_child_text, write_record)
from ansible_collections.directpath.firewall.plugins.module_utils.remediation import (
    ApiCalls, ArgumentSpec, DirectPathError, Plan, guard, run_plan)
from ansible_collections.directpath.firewall.plugins.module_utils.static_port import (
    STATIC_PORT_SPEC, exposure, parse_nat_hosts, randomize_advice)

VENDOR = 'pfsense'
WORKAROUND = 'static_port'
MODULE_SPEC = ArgumentSpec(argument_spec=dict(
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


def main():
    module = pfsense.ONBOX_SPEC.merge(STATIC_PORT_SPEC).merge(MODULE_SPEC).create_ansible_module(supports_check_mode=True)
    params = module.params
    api_calls = ApiCalls()

    def run():
        config = ConfigXml(params['config_path'], pfsense.CONVENTION, params['backup_dir'], params['config_cache'], api_calls)
        config.load()
        version_text, version = pfsense.read_version(params['version_file'])
        plan = Plan(VENDOR, WORKAROUND, params['state'])
        desired, rule = plan_static_port(plan, config, params, version, version_text)
        commands = params['apply_command'] if params['apply_command'] is not None else pfsense.STATIC_PORT_APPLY
        extra = {'product_version': version_text, 'nat_mapping': desired['mapping'], 'rule': desired['rule']}

        def apply(current_plan):
            write_changes(config, desired, rule)
            apply_with_rollback(module, config, 'directpath.firewall pfsense_static_port (state=%s)' % params['state'],
                                commands, api_calls)

        run_plan(module, plan, apply, api_calls, result_extra=extra)

    guard(module, VENDOR, WORKAROUND, api_calls, run)


if __name__ == '__main__':
    main()
