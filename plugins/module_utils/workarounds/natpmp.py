# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: workarounds. UPnP & NAT-PMP (miniupnpd) settings shared by pfSense and OPNsense.

PRIVATE to the directpath.firewall collection: may change at any time.

May import: engine/, transport/, clients/ and other workarounds/ files.

Both products run miniupnpd and keep its settings in config.xml under
``installedpackages/miniupnpd/config``; they differ only in how the values are
stored (pfSense booleans ``on`` and ``row[]/permuser``, OPNsense booleans ``1``
and flat ``permuser1..N``), which the product objects (clients/pfsense.py
``PFSENSE``, clients/opnsense.py ``OPNSENSE``) translate to and from
:class:`UpnpSettings`. Deciding what must change is the same for both and lives here.

Ownership of ACL lines: a stored miniupnpd permission line has no comment field,
so a line is ours only when our record (configxml.RECORD_PATH) lists it: a line
the administrator wrote, even one identical to ours, is never recorded and never
removed. The record is bookkeeping, never a compared field: it is written only
when something is applied. Our lines sit in one contiguous block at the top of
the list (miniupnpd takes the first matching rule); every other line keeps its
text and relative order.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.directpath.firewall.plugins.module_utils.transport.configxml import (
    apply_with_rollback,
    read_record,
    write_record,
)
from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import Plan
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import finish
from ansible_collections.directpath.firewall.plugins.module_utils.workarounds.onbox_inputs import (
    check_interface_names,
    parse_host_addresses,
    parse_port_range,
    port_or_range_ok,
)

__all__ = [
    'NATPMP_SPEC',
    'natpmp_runner',
    'natpmp_spec',
    'plan_natpmp',
    'run_natpmp',
    'validate_acl_line',
    'validate_settings',
]

DEFAULT_PORTS = '1024-65535'

# Options of both *_natpmp modules (the doc fragments repeat them).
NATPMP_SPEC_OPTIONS = dict(
    tailscale_hosts=dict(type='list', elements='str'),
    interfaces=dict(type='list', elements='str', default=['lan']),
    external_interface=dict(type='str', default='wan'),
    external_ports=dict(type='str', default=DEFAULT_PORTS),
    internal_ports=dict(type='str', default=DEFAULT_PORTS),
    enable_upnp=dict(type='bool', default=False),
    state=dict(type='str', choices=['present', 'absent'], default='present'),
)
NATPMP_SPEC = ArgumentSpec(NATPMP_SPEC_OPTIONS, required_if=[('state', 'present', ['tailscale_hosts'])])


def validate_acl_line(line, max_prefix_min=1):
    """Why ``line`` would be rejected by the product's UPnP page, or None.

    Mirrors pfSense src/usr/local/pkg/miniupnpd.inc ``validate_form_miniupnpd``
    (with ``upnp_validate_port``/``upnp_validate_ip``: prefix 1-32) and
    opnsense/plugins net/upnp services_upnp.php (``miniupnpd_validate_port``/
    ``miniupnpd_validate_ip``: prefix 0-32, numeric ports): exactly four
    space-separated tokens, ``allow`` or ``deny``, port or range 0-65535 twice,
    an IP address with an optional prefix.
    """
    perm = line.split(' ')
    if len(perm) != 4:
        return 'must have exactly 4 space-separated fields (allow|deny ext-ports address[/prefix] int-ports)'
    if perm[0] not in ('allow', 'deny'):
        return 'must begin with allow or deny'
    if not port_or_range_ok(perm[1]) or not port_or_range_ok(perm[3]):
        return 'ports must be a port or range between 0 and 65535'
    address = perm[2].split('/')
    if len(address) > 2:
        return 'address must be IP or IP/prefix'
    if len(address) == 2:
        if not re.match(r'^[0-9]+$', address[1]) or not max_prefix_min <= int(address[1]) <= 32:
            return 'prefix must be between %d and 32' % max_prefix_min
    try:
        ipaddress.ip_address(address[0])
    except ValueError:
        return 'address must be an IP address'
    return None


def validate_settings(settings, max_prefix_min=1):
    """Errors the product's UPnP page would report for ``settings`` (list of str)."""
    errors = []
    if settings.enable and not (settings.enable_upnp or settings.enable_natpmp):
        errors.append("At least one of 'UPnP IGD' or 'PCP/NAT-PMP' must be allowed")
    for iface in settings.iface_array:
        if iface == 'wan':
            errors.append("It is a security risk to specify WAN as an internal interface")
        elif iface == settings.ext_iface:
            errors.append('The external interface %s cannot be an internal interface' % iface)
    for number, line in enumerate(settings.acl, 1):
        problem = validate_acl_line(line, max_prefix_min)
        if problem:
            errors.append('ACL entry %d %r: %s' % (number, line, problem))
    return errors


def parse_hosts(values):
    """The Tailscale hosts as IPv4 host addresses; anything else fails with cause 'input'.

    miniupnpd permission lines are IPv4 only (pfSense miniupnpd.xml "ACL Help":
    "The entries only control access for IPv4 clients"), and NAT-PMP maps IPv4.
    """
    return parse_host_addresses(
        values, ipv4_only=True,
        ipv4_because="miniupnpd permission rules and NAT-PMP are IPv4 only, list the hosts' IPv4 addresses",
        single_because='give each Tailscale host as a single address so only that host may create mappings')


def acl_line(host, external_ports, internal_ports):
    return 'allow %s %s %s' % (external_ports, host.with_prefixlen, internal_ports)


# A recorded previous value that was empty or absent (the record stores no empty values).
UNSET = '-'


def _recorded(value):
    return None if value in (UNSET, '') else value


def _turn_on(desired, record, name):
    if not getattr(desired, name):
        setattr(desired, name, True)
        record['turned_on'].append(name)


def plan_natpmp(plan, current, record, params, product, interfaces_config=None):
    """Record every compared field in ``plan``; return (desired settings, new record).

    ``record`` is what earlier runs added ({'turned_on': [...], 'added_interface':
    [...], 'acl': [...], 'ext_iface_before': [...], 'num_permuser_before': [...]}).
    The new record lists only what we added; it is never compared.
    ``product`` is the product object (its label and ACL rules);
    ``interfaces_config`` the ConfigXml whose <interfaces> names are checked.
    """
    label = product.label
    external_ports = parse_port_range('external_ports', params['external_ports'])
    internal_ports = parse_port_range('internal_ports', params['internal_ports'])
    hosts = []
    if params['state'] == 'present' or params['tailscale_hosts']:
        hosts = parse_hosts(params['tailscale_hosts'])
    ours_now = [acl_line(host, external_ports, internal_ports) for host in hosts]
    recorded_acl = list(record.get('acl', []))
    # Lines the administrator wrote (never recorded as ours), even when identical to ours.
    admin_lines = [line for line in current.acl if line not in recorded_acl]
    desired = current.copy()
    new_record = {
        'turned_on': list(record.get('turned_on', [])),
        'added_interface': list(record.get('added_interface', [])),
        'ext_iface_before': list(record.get('ext_iface_before', [])),
        'acl': [],
        'num_permuser_before': list(record.get('num_permuser_before', [])),
    }

    if params['state'] == 'present':
        if interfaces_config is not None:
            check_interface_names('external_interface', [params['external_interface']], interfaces_config)
            check_interface_names('interfaces', params['interfaces'], interfaces_config)
        for iface in params['interfaces']:
            if iface == 'wan' or iface == params['external_interface']:
                raise DirectPathError('interfaces: %s is the external interface; NAT-PMP must listen only on internal '
                                      'interfaces (the product refuses it too)' % iface, cause='input')
        desired.acl = ours_now + [line for line in admin_lines if line not in ours_now]
        new_record['acl'] = [line for line in ours_now if line not in admin_lines]
        _turn_on(desired, new_record, 'enable')
        _turn_on(desired, new_record, 'enable_natpmp')
        _turn_on(desired, new_record, 'permdefault')
        if params['enable_upnp']:
            _turn_on(desired, new_record, 'enable_upnp')
        elif 'enable_upnp' in new_record['turned_on']:
            desired.enable_upnp = False
            new_record['turned_on'].remove('enable_upnp')
        elif current.enable_upnp:
            plan.add_finding('UPnP IGD is on (not switched on by this module): any host the ACL allows may also map ports '
                             'over UPnP; left as it is')
        if desired.ext_iface != params['external_interface']:
            if not new_record['ext_iface_before']:
                new_record['ext_iface_before'] = [current.ext_iface or UNSET]
            desired.ext_iface = params['external_interface']
        for iface in params['interfaces']:
            if iface not in desired.iface_array:
                desired.iface_array.append(iface)
                new_record['added_interface'].append(iface)
    else:
        desired.acl = admin_lines
        for name in ('enable_natpmp', 'enable_upnp', 'permdefault', 'enable'):
            if name in new_record['turned_on']:
                setattr(desired, name, False)
        if desired.enable and not (desired.enable_upnp or desired.enable_natpmp):
            # Someone else enabled the service: it needs one protocol, keep ours.
            desired.enable_natpmp = True
            plan.add_finding('PCP/NAT-PMP left on: the UPnP & NAT-PMP service was enabled by someone else and needs at '
                             'least one protocol')
        desired.iface_array = [iface for iface in desired.iface_array if iface not in new_record['added_interface']]
        if new_record['ext_iface_before'] and desired.ext_iface == params['external_interface']:
            desired.ext_iface = _recorded(new_record['ext_iface_before'][0]) or ''
        if new_record['num_permuser_before'] and desired.num_permuser is not None:
            desired.num_permuser = _recorded(new_record['num_permuser_before'][0])
        new_record = {}

    if desired.num_permuser is not None:
        capacity = int(desired.num_permuser) if re.match(r'^[0-9]+$', desired.num_permuser or '') else 8
        if len(desired.acl) > capacity:
            if 'num_permuser_before' in new_record and not new_record['num_permuser_before']:
                new_record['num_permuser_before'] = [current.num_permuser or UNSET]
            desired.num_permuser = str(len(desired.acl))

    if params['state'] == 'present' and not desired.iface_array:
        raise DirectPathError('interfaces: at least one internal interface is needed', cause='input')
    errors = validate_settings(desired, max_prefix_min=product.acl_prefix_min)
    if errors:
        raise DirectPathError('the resulting %s UPnP & NAT-PMP settings would be rejected by the product: %s; nothing '
                              'was changed' % (label, '; '.join(errors)), cause='input')

    _compare_fields(plan, current, desired, label)
    if params['state'] == 'present':
        for host in hosts:
            plan.add_exposure('NAT-PMP/PCP mappings, external ports %s (UDP and TCP) to %s internal ports %s, requested on %s'
                              % (external_ports, host.with_prefixlen, internal_ports, ', '.join(params['interfaces'])))
        if desired.enable_upnp:
            plan.add_exposure('UPnP IGD mappings for the same hosts and ports')
        for line in admin_lines:
            if line.startswith('allow ') and line not in ours_now:
                plan.add_exposure('ACL entry kept (not ours): %s' % line)
    return desired, dict((key, value) for key, value in new_record.items() if value)


def _compare_fields(plan, current, desired, label):
    plan.compare('enable', current.enable, desired.enable,
                 finding='the %s UPnP & NAT-PMP service is %s' % (label, 'off' if not current.enable else 'on'))
    plan.compare('enable_natpmp', current.enable_natpmp, desired.enable_natpmp,
                 finding='PCP/NAT-PMP port mapping is %s' % ('off: Tailscale cannot ask for a mapping' if not current.enable_natpmp
                                                             else 'on'))
    plan.compare('enable_upnp', current.enable_upnp, desired.enable_upnp,
                 finding='UPnP IGD port mapping is %s' % ('on' if current.enable_upnp else 'off'))
    plan.compare('permdefault', current.permdefault, desired.permdefault,
                 finding='default deny is %s' % ('off: hosts no ACL entry names may map ports' if not current.permdefault
                                                 else 'on'))
    plan.compare('ext_iface', current.ext_iface, desired.ext_iface,
                 finding='external interface is %r' % current.ext_iface)
    plan.compare('iface_array', current.iface_array, desired.iface_array,
                 finding='internal interfaces are %s' % (', '.join(current.iface_array) or 'none'))
    plan.compare('acl', current.acl, desired.acl,
                 finding='the ACL entries do not match the Tailscale hosts')
    if current.num_permuser is not None or desired.num_permuser is not None:
        plan.compare('num_permuser', current.num_permuser, desired.num_permuser,
                     finding='the number of ACL entries the product reads is too small')


def natpmp_spec(product) -> ArgumentSpec:
    """The options of ``<product>_natpmp``: the product's on-box options plus NATPMP_SPEC."""
    return product.spec.merge(NATPMP_SPEC)


def run_natpmp(ctx, api_calls, product) -> dict:
    """The whole run of pfsense_natpmp / opnsense_natpmp for ``product`` (a product object).

    The product's configuration lock is held from the read to the end of the
    apply (shared in check mode, so a read never sees a half-written file).
    """
    params = ctx.params
    config = product.open_config(params, api_calls)
    with config.locked(exclusive=not ctx.check_mode):
        config.load()
        version_text, dummy = product.read_version(params['version_file'])
        current = product.read_upnp(config)
        record = read_record(config, 'natpmp')
        plan = Plan(product.name, 'natpmp', params['state'])
        desired, new_record = plan_natpmp(plan, current, record, params, product, interfaces_config=config)
        commands = product.apply_commands(params, 'natpmp')
        extra = {'product_version': version_text, 'settings': desired.as_dict()}
        # Sections we create are recorded, so state=absent leaves no empty section behind.
        created = list(record.get('created_section', []))
        if params['state'] == 'present':
            created = created or config.missing_levels(product.upnp_path)
            if created:
                new_record['created_section'] = created

        def apply(current_plan):
            product.write_upnp(config, desired)
            write_record(config, 'natpmp', new_record)
            if params['state'] == 'absent' and created and desired.is_empty():
                node = config.find(product.upnp_path)
                for child in list(node):
                    node.remove(child)
                config.remove_created(created)
            apply_with_rollback(config, 'directpath.firewall %s_natpmp (state=%s)' % (product.name, params['state']),
                                commands, api_calls, params['apply_timeout'])

        return finish(ctx, plan, apply, api_calls, extra)


def natpmp_runner(product):
    """The workaround body for ``module_main`` bound to ``product``."""
    def body(ctx, api_calls):
        return run_natpmp(ctx, api_calls, product)
    return body
