#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: opnsense_static_port
short_description: Static-port outbound NAT for the Tailscale hosts on OPNsense
version_added: 0.1.0
description:
  - Tailscale's guidance for OPNsense is hybrid outbound NAT with UDP rules that keep the source port (B(Static Port)),
    one per address family, above the automatic rules, together with C(randomizeClientPort) in the tailnet policy.
  - The module switches outbound NAT from automatic to B(hybrid) and keeps one UDP rule per Tailscale host (source =
    the host's address, address family from the address, destination any, translation to the interface address,
    static port). Our rules carry a description that names them; no other rule is changed or moved.
  - "Which path: OPNsense 26.7 and later have C(staticnatport) in the source NAT API (C(api/firewall/source_nat/*));
    the module uses that API there (O(api_key)/O(api_secret) required). Older versions keep outbound NAT in
    config.xml (C(nat/outbound)); the module edits it with OPNsense's revision and backup convention and runs
    C(configctl filter reload). The result's C(path) says which was used."
  - The compliance record advises setting C(randomizeClientPort) unless O(tailnet_randomize_client_port=true).
  - With O(state=absent) our rules are removed; on the config.xml path the mode goes back to automatic when this
    module changed it and no other manual rule exists. On the API path the mode is left as it is and reported.
  - A failed apply is reported; on the config.xml path the previous file is restored and applied again, on the API
    path our rule changes are undone through the API and applied again (26.7 has no savepoint/revert any more).
author:
  - DirectPath engineers (@directpath)
extends_documentation_fragment:
  - directpath.firewall.opnsense
  - directpath.firewall.pf_firewall.static_port
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Only reads (config.xml and the version file, or GET requests on the API path).
  diff_mode:
    support: full
    details: Shows the NAT mode and each of our rules before and after.
  platform:
    platforms: opnsense
options:
  api_url:
    description:
      - Base URL of the OPNsense web interface for the API path (26.7+). The module runs on the firewall, so the
        default is the firewall itself.
    type: str
    default: https://127.0.0.1
  api_key:
    description:
      - "API key (HTTP basic auth user) of a user with the privileges of the Firewall: Source NAT page and its API
        (C(api/firewall/source_nat/*)). Needed on OPNsense 26.7 and later."
      - If not set, the environment variable E(OPNSENSE_API_KEY) is used.
    type: str
  api_secret:
    description:
      - API secret (HTTP basic auth password) of O(api_key). Never logged or returned.
      - If not set, the environment variable E(OPNSENSE_API_SECRET) is used.
    type: str
  validate_certs:
    description: Verify the web interface's TLS certificate (give O(ca_path) for a self-signed one).
    type: bool
    default: true
  ca_path:
    description: PEM file with the CA that signed the web interface's certificate.
    type: path
  api_timeout:
    description: Seconds to wait for each API answer.
    type: int
    default: 30
notes:
  - "Default O(apply_command) on the config.xml path: C(/usr/local/sbin/configctl filter reload), what the Outbound
    NAT page's Apply runs."
seealso:
  - name: Tailscale on OPNsense
    description: Tailscale's guidance this module implements.
    link: https://tailscale.com/kb/1097/install-opnsense
'''

EXAMPLES = r'''
- name: Static-port outbound NAT (config.xml on OPNsense before 26.7, the API from 26.7)
  directpath.firewall.opnsense_static_port:
    tailscale_hosts: [198.18.30.21, "2001:db8:30::21"]
    api_key: "{{ vault_opnsense_api_key }}"
    api_secret: "{{ vault_opnsense_api_secret }}"
    ca_path: /usr/local/etc/ssl/web-ca.pem
    tailnet_randomize_client_port: true
'''

RETURN = r'''
product_version:
  description: The version the box reports.
  returned: success
  type: str
  sample: 26.7.1
path:
  description: How the change is made, C(api) or C(config.xml).
  returned: success
  type: str
  sample: api
rules:
  description: Our rules after the run, keyed by host address.
  returned: success
  type: dict
  sample: {"198.18.30.21": {"interface": "wan", "ipprotocol": "inet", "protocol": "udp", "source": "198.18.30.21",
           "target": "", "staticnatport": true, "disabled": false,
           "descr": "directpath.firewall: Tailscale host 198.18.30.21, UDP static port (managed by Ansible)"}}
api_calls:
  description: Reads and writes (HTTP requests on the API path; file writes and apply commands on the config.xml path).
  returned: always
  type: dict
  sample: {"reads": 3, "writes": 0}
compliance:
  description: The compliance record the audit report collects (see docs/audit.md).
  returned: always
  type: dict
  sample:
    vendor: opnsense
    workaround: static_port
    status: compliant
    exposure: ["outbound UDP from 198.18.30.21 via wan keeps its source port (static port); no inbound port is opened"]
diff:
  description: Changed fields before and after.
  returned: when diff mode is on
  type: dict
'''

import os

from ansible_collections.directpath.firewall.plugins.module_utils import opnsense
from ansible_collections.directpath.firewall.plugins.module_utils.configxml import (
    ConfigXml, apply_with_rollback, child_text, read_record, set_child_text, write_record)
from ansible_collections.directpath.firewall.plugins.module_utils.httpclient import HttpClient
from ansible_collections.directpath.firewall.plugins.module_utils.remediation import (
    ApiCalls, ArgumentSpec, DirectPathError, Plan, guard, run_plan)
from ansible_collections.directpath.firewall.plugins.module_utils.static_port import (
    STATIC_PORT_SPEC, exposure, parse_nat_hosts, randomize_advice)

VENDOR = 'opnsense'
WORKAROUND = 'static_port'
MODULE_SPEC = ArgumentSpec(argument_spec=dict(
    api_url=dict(type='str', default='https://127.0.0.1'),
    api_key=dict(type='str', no_log=True, fallback=(lambda: os.environ.get('OPNSENSE_API_KEY'), [])),
    api_secret=dict(type='str', no_log=True, fallback=(lambda: os.environ.get('OPNSENSE_API_SECRET'), [])),
    validate_certs=dict(type='bool', default=True),
    ca_path=dict(type='path'),
    api_timeout=dict(type='int', default=30),
), required_together=[('api_key', 'api_secret')])


def wanted_rules(hosts, interface):
    rules = {}
    for host in hosts:
        rules[str(host)] = {
            'interface': interface, 'ipprotocol': 'inet' if host.version == 4 else 'inet6', 'protocol': 'udp',
            'source': str(host), 'target': '', 'staticnatport': True, 'disabled': False,
            'descr': opnsense.our_descr(host),
        }
    return rules


def describe(plan, params, hosts):
    if params['state'] == 'present':
        plan.add_exposure(exposure(hosts, params['interface'], 'static_port'))
        randomize_advice(plan, params['tailnet_randomize_client_port'])


# ---- config.xml path (OPNsense before 26.7) ------------------------------------------------

def legacy_ours(config):
    return dict((opnsense.legacy_view(rule)['source'], rule) for rule in opnsense.legacy_rules(config)
                if (rule.findtext('descr') or '').startswith(opnsense.DESCR_PREFIX))


def run_legacy(module, params, api_calls, version_text):
    config = ConfigXml(params['config_path'], opnsense.CONVENTION, params['backup_dir'], None, api_calls)
    config.load()
    plan = Plan(VENDOR, WORKAROUND, params['state'])
    hosts = parse_nat_hosts(params['tailscale_hosts']) if params['state'] == 'present' else []
    mode = child_text(config.find('nat/outbound'), 'mode', 'automatic') or 'automatic'
    record = read_record(config, WORKAROUND)
    ours = legacy_ours(config)
    current = dict((key, opnsense.legacy_view(rule)) for key, rule in ours.items())
    wanted = wanted_rules(hosts, params['interface'])
    others = [rule for rule in opnsense.legacy_rules(config) if rule not in ours.values()]
    new_mode, new_record = mode, dict(record)
    if params['state'] == 'present':
        if mode == 'disabled':
            plan.require_manual('outbound NAT is disabled on this firewall; enabling NAT is a decision for a human')
        elif mode == 'automatic':
            new_mode, new_record = 'hybrid', {'mode_before': ['automatic']}
    else:
        new_record = {}
        if record.get('mode_before') and mode == 'hybrid':
            if others:
                plan.add_finding('outbound NAT left in hybrid mode: %d other manual rule(s) depend on it' % len(others))
            else:
                new_mode = record['mode_before'][0]
    plan.compare('nat_mode', mode, new_mode, finding='outbound NAT is in automatic mode: manual rules are ignored'
                 if mode == 'automatic' else None)
    plan.compare('rules', current, wanted, finding='the outbound NAT rules for the Tailscale hosts are missing or differ')
    plan.compare('ownership_record', record, new_record)
    describe(plan, params, hosts)
    commands = params['apply_command'] if params['apply_command'] is not None else opnsense.STATIC_PORT_APPLY

    def apply(current_plan):
        outbound = config.ensure('nat/outbound')
        set_child_text(outbound, 'mode', new_mode)
        user = child_text(config.find('revision'), 'username', '') or ''
        inserted = 0
        for key, rule in ours.items():
            if key not in wanted or current[key] != wanted[key]:
                opnsense.remove_legacy_rule(config, rule)
        for key, view in wanted.items():
            if key in current and current[key] == view:
                continue
            opnsense.insert_legacy_rule(config, opnsense.build_legacy_rule(view, user), inserted)
            inserted += 1
        write_record(config, WORKAROUND, new_record)
        apply_with_rollback(module, config, 'directpath.firewall opnsense_static_port (state=%s)' % params['state'],
                            commands, api_calls)

    run_plan(module, plan, apply, api_calls, result_extra={
        'product_version': version_text, 'path': 'config.xml', 'rules': wanted})


# ---- API path (OPNsense 26.7 and later) ----------------------------------------------------

def api_view(row):
    return {
        'interface': row.get('interface', ''), 'ipprotocol': row.get('ipprotocol', ''),
        'protocol': str(row.get('protocol', '')).lower(), 'source': row.get('source_net', ''),
        'target': row.get('target', ''), 'staticnatport': str(row.get('staticnatport', '0')) == '1',
        'disabled': str(row.get('enabled', '1')) != '1', 'descr': row.get('description', ''),
    }


def api_body(view):
    return {
        'enabled': '1', 'sequence': '1', 'interface': view['interface'], 'ipprotocol': view['ipprotocol'],
        'protocol': view['protocol'].upper(), 'source_net': view['source'], 'destination_net': 'any',
        'target': view['target'], 'staticnatport': '1', 'description': view['descr'],
    }


def run_api(module, params, api_calls, version_text):
    if not (params['api_key'] and params['api_secret']):
        raise DirectPathError('OPNsense %s keeps source NAT in its MVC model: give api_key and api_secret (a user with the '
                              'Firewall: Source NAT privilege) so the module can use api/firewall/source_nat' % version_text,
                              cause='input')
    client = HttpClient(params['api_url'], validate_certs=params['validate_certs'], ca_path=params['ca_path'],
                        timeout=params['api_timeout'], url_username=params['api_key'], url_password=params['api_secret'],
                        force_basic_auth=True, secrets=[params['api_key']],
                        on_request=lambda method, path, is_write: api_calls.write() if is_write else api_calls.read())
    api = opnsense.SourceNatApi(client)
    plan = Plan(VENDOR, WORKAROUND, params['state'])
    hosts = parse_nat_hosts(params['tailscale_hosts']) if params['state'] == 'present' else []
    mode = api.mode()
    rows = [row for row in api.rules() if str(row.get('description', '')).startswith(opnsense.DESCR_PREFIX)]
    current = dict((row.get('source_net', ''), api_view(row)) for row in rows)
    uuids = dict((row.get('source_net', ''), row.get('uuid')) for row in rows)
    wanted = wanted_rules(hosts, params['interface'])
    new_mode = mode
    if params['state'] == 'present':
        if mode == 'disabled':
            plan.require_manual('source NAT is disabled on this firewall; enabling NAT is a decision for a human')
        elif mode == 'automatic':
            new_mode = 'hybrid'
    elif mode == 'hybrid':
        plan.add_finding('source NAT mode left at hybrid: switch it back by hand if it was changed only for Tailscale')
    plan.compare('nat_mode', mode, new_mode, finding='source NAT is in automatic mode: manual rules are ignored'
                 if mode == 'automatic' else None)
    plan.compare('rules', current, wanted, finding='the source NAT rules for the Tailscale hosts are missing or differ')
    describe(plan, params, hosts)

    def apply(current_plan):
        undo = []
        try:
            if new_mode != mode:
                api.set_mode(new_mode)
                undo.append(lambda: api.set_mode(mode))
            for key, view in current.items():
                if key not in wanted:
                    api.delete(uuids[key])
                    undo.append(lambda view=view: api.add(api_body(view)))
            for key, view in wanted.items():
                if key not in current:
                    uuid = api.add(api_body(view))
                    undo.append(lambda uuid=uuid: api.delete(uuid))
                elif current[key] != view:
                    api.update(uuids[key], api_body(view))
                    undo.append(lambda key=key: api.update(uuids[key], api_body(current[key])))
            api.apply()
        except DirectPathError as error:
            restored = True
            for step in reversed(undo):
                try:
                    step()
                except DirectPathError:
                    restored = False
            if undo:
                try:
                    api.apply()
                except DirectPathError:
                    restored = False
            error.device_unchanged = restored
            error.message += (' Our changes were undone through the API and applied again.' if restored and undo else
                              '' if not undo else ' Undoing our changes FAILED: review Firewall > NAT > Source NAT.')
            raise

    run_plan(module, plan, apply, api_calls, result_extra={
        'product_version': version_text, 'path': 'api', 'rules': wanted})


def main():
    module = opnsense.ONBOX_SPEC.merge(STATIC_PORT_SPEC).merge(MODULE_SPEC).create_ansible_module(supports_check_mode=True)
    params = module.params
    api_calls = ApiCalls()

    def run():
        version_text, version = opnsense.read_version(params['version_file'])
        if version >= opnsense.API_MIN_VERSION:
            run_api(module, params, api_calls, version_text)
        else:
            run_legacy(module, params, api_calls, version_text)

    guard(module, VENDOR, WORKAROUND, api_calls, run)


if __name__ == '__main__':
    main()
