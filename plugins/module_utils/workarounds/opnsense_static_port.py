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

from ansible_collections.directpath.firewall.plugins.module_utils.clients.onbox import is_ours
from ansible_collections.directpath.firewall.plugins.module_utils.clients.opnsense import (
    API_SPEC, OPNSENSE, SourceNatApi, api_client)
from ansible_collections.directpath.firewall.plugins.module_utils.transport.configxml import (
    apply_with_rollback, read_record, write_record)
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import Plan
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import finish
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.onbox_inputs import check_interface_names
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.static_port import (
    STATIC_PORT_SPEC, exposure, parse_nat_hosts, plan_nat_mode, randomize_advice)

__all__ = [
    'OPNSENSE_STATIC_PORT_SPEC',
    'run_opnsense_static_port',
]

WORKAROUND = 'static_port'


def wanted_rules(hosts, interface):
    rules = {}
    for host in hosts:
        rules[str(host)] = {
            'interface': interface, 'ipprotocol': 'inet' if host.version == 4 else 'inet6', 'protocol': 'udp',
            'source': str(host), 'target': '', 'staticnatport': True, 'disabled': False,
            'descr': OPNSENSE.rule_descr(host),
        }
    return rules


def add_exposure_and_advice(plan, params, hosts):
    if params['state'] == 'present':
        plan.add_exposure(exposure(hosts, params['interface'], 'static_port'))
        randomize_advice(plan, params['tailnet_randomize_client_port'])


def read_inputs(params, config):
    """The hosts (required with state=present) and the interface check, against config.xml's <interfaces>."""
    hosts = parse_nat_hosts(params['tailscale_hosts'], required=params['state'] == 'present')
    if params['state'] == 'present':
        check_interface_names('interface', [params['interface']], config)
    else:
        hosts = []
    return hosts


# ---- config.xml path (OPNsense before 26.7) ------------------------------------------------

def run_config_xml(ctx, params, api_calls, version_text):
    config = OPNSENSE.open_config(params, api_calls)
    with config.locked(exclusive=not ctx.check_mode):
        config.load()
        plan = Plan(OPNSENSE.name, WORKAROUND, params['state'])
        hosts = read_inputs(params, config)
        mode = OPNSENSE.nat_mode(config)
        record = read_record(config, WORKAROUND)
        ours = dict((OPNSENSE.rule_view(rule)['source'], rule) for rule in OPNSENSE.outbound_rules(config)
                    if is_ours(rule.findtext('descr')))
        current = dict((key, OPNSENSE.rule_view(rule)) for key, rule in ours.items())
        wanted = wanted_rules(hosts, params['interface'])
        others = [rule for rule in OPNSENSE.outbound_rules(config) if rule not in ours.values()]
        new_mode, mode_before = plan_nat_mode(plan, mode, params['state'], record, len(others))
        new_record = {'mode_before': mode_before} if mode_before else {}
        # Sections we create are recorded, so state=absent leaves no empty section behind.
        created = list(record.get('created_section', []))
        if params['state'] == 'present':
            created = created or config.missing_levels('nat/outbound')
            if created:
                new_record['created_section'] = created
        plan.compare('rules', current, wanted, finding='the outbound NAT rules for the Tailscale hosts are missing or differ')
        add_exposure_and_advice(plan, params, hosts)
        commands = OPNSENSE.apply_commands(params, WORKAROUND)

        def apply(current_plan):
            OPNSENSE.set_nat_mode(config, new_mode)
            inserted = 0
            for key, rule in ours.items():
                if key not in wanted or current[key] != wanted[key]:
                    OPNSENSE.remove_rule(config, rule)
            for key, view in wanted.items():
                if key in current and current[key] == view:
                    continue
                OPNSENSE.insert_rule(config, OPNSENSE.build_rule(view), inserted)
                inserted += 1
            write_record(config, WORKAROUND, new_record)
            outbound = config.find('nat/outbound')
            if outbound is not None and created and not wanted and new_mode == 'automatic' and not len(outbound.findall('rule')):
                if 'nat/outbound' in created and outbound.find('mode') is not None:
                    outbound.remove(outbound.find('mode'))
                config.remove_created(created)
            apply_with_rollback(config, 'directpath.firewall opnsense_static_port (state=%s)' % params['state'],
                                commands, api_calls, params['apply_timeout'])

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
    # config.xml is read for the interface names and our record (the mode we switched); the API writes
    # config.xml itself under OPNsense's lock, so ours is not held across API calls.
    config = OPNSENSE.open_config(params, api_calls)
    with config.locked(exclusive=False):
        config.load()
    hosts = read_inputs(params, config)
    record = read_record(config, WORKAROUND)
    api = SourceNatApi(api_client(params, api_calls))
    plan = Plan(OPNSENSE.name, WORKAROUND, params['state'])
    mode = api.mode()
    all_rows = api.rules()
    rows = [row for row in all_rows if is_ours(row.get('description'))]
    current = dict((row.get('source_net', ''), api_view(row)) for row in rows)
    uuids = dict((row.get('source_net', ''), row.get('uuid')) for row in rows)
    # The rows as read, for undo: a deleted rule comes back with every field it had, an updated
    # rule gets back the old value of each field we sent.
    originals = dict((row.get('source_net', ''), dict((key, value) for key, value in row.items()
                                                      if key not in ('uuid', 'is_automatic'))) for row in rows)
    wanted = wanted_rules(hosts, params['interface'])
    new_mode, mode_before = plan_nat_mode(plan, mode, params['state'], record, len(all_rows) - len(rows), what='source NAT')
    new_record = {'mode_before': mode_before} if mode_before else {}
    plan.compare('rules', current, wanted, finding='the source NAT rules for the Tailscale hosts are missing or differ')
    add_exposure_and_advice(plan, params, hosts)

    def apply(current_plan):
        undo = []
        try:
            if new_mode != mode:
                api.set_mode(new_mode)
                undo.append(lambda: api.set_mode(mode))
            for key, view in current.items():
                if key not in wanted:
                    api.delete(uuids[key])
                    undo.append(lambda key=key: api.add(originals[key]))
            for key, view in wanted.items():
                if key not in current:
                    uuid = api.add(api_body(view))
                    undo.append(lambda uuid=uuid: api.delete(uuid))
                elif current[key] != view:
                    body = api_body(view)
                    api.update(uuids[key], body)
                    undo.append(lambda key=key, body=body: api.update(
                        uuids[key], dict((field, originals[key][field]) for field in body if field in originals[key])))
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
        if read_record(config, WORKAROUND) != new_record:
            # Bookkeeping after the API change went live: the mode we switched, under OPNsense's lock.
            store_record(params, api_calls, new_record)

    return finish(ctx, plan, apply, api_calls, {
        'product_version': version_text, 'path': 'api', 'rules': wanted})


def store_record(params, api_calls, record):
    """Write our record into config.xml (no apply: no service reads it)."""
    config = OPNSENSE.open_config(params, api_calls)
    with config.locked(exclusive=True):
        config.load()
        write_record(config, WORKAROUND, record)
        try:
            config.save('directpath.firewall opnsense_static_port: record of the source NAT mode')
        except (IOError, OSError) as error:
            raise DirectPathError('the source NAT change is applied, but recording the previous mode in %s failed (%s): '
                                  'state=absent will not switch the mode back' % (params['config_path'], error),
                                  cause='commit', device_unchanged=False)


def run_opnsense_static_port(ctx, api_calls):
    """The whole run of opnsense_static_port: the MVC API from 26.7, config.xml before."""
    params = ctx.params
    version_text, version = OPNSENSE.read_version(params['version_file'])
    if OPNSENSE.uses_api(version):
        return run_api(ctx, params, api_calls, version_text)
    return run_config_xml(ctx, params, api_calls, version_text)


# The options of opnsense_static_port.
OPNSENSE_STATIC_PORT_SPEC = OPNSENSE.spec.merge(STATIC_PORT_SPEC).merge(API_SPEC)
