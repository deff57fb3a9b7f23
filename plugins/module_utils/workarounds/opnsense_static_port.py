# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: workarounds. OPNsense static-port outbound NAT (the logic of opnsense_static_port).

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/, transport/, clients/, and the shared workaround helpers.
"""

from __future__ import annotations

import os

from ansible_collections.directpath.firewall.plugins.module_utils.clients import opnsense
from ansible_collections.directpath.firewall.plugins.module_utils.transport.configxml import (
    ConfigXml, apply_with_rollback, child_text, read_record, set_child_text, write_record)
from ansible_collections.directpath.firewall.plugins.module_utils.transport.httpclient import HttpClient
from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import Plan
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import finish
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.static_port import (
    STATIC_PORT_SPEC, exposure, parse_nat_hosts, randomize_advice)

__all__ = [
    'OPNSENSE_STATIC_PORT_SPEC',
    'VENDOR',
    'WORKAROUND',
    'run_opnsense_static_port',
]

VENDOR = 'opnsense'
WORKAROUND = 'static_port'
_OPTIONS = ArgumentSpec(argument_spec=dict(
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


def run_legacy(ctx, params, api_calls, version_text):
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
        apply_with_rollback(ctx, config, 'directpath.firewall opnsense_static_port (state=%s)' % params['state'],
                            commands, api_calls)

    return finish(ctx, plan, apply, api_calls, {
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


def run_api(ctx, params, api_calls, version_text):
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

    return finish(ctx, plan, apply, api_calls, {
        'product_version': version_text, 'path': 'api', 'rules': wanted})



def run_opnsense_static_port(ctx, api_calls):
    """The whole run of opnsense_static_port: the MVC API from 26.7, config.xml before."""
    params = ctx.params
    version_text, version = opnsense.read_version(params['version_file'])
    if version >= opnsense.API_MIN_VERSION:
        return run_api(ctx, params, api_calls, version_text)
    return run_legacy(ctx, params, api_calls, version_text)

# The options of opnsense_static_port.
OPNSENSE_STATIC_PORT_SPEC = opnsense.ONBOX_SPEC.merge(STATIC_PORT_SPEC).merge(_OPTIONS)
