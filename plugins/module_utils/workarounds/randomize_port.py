# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: workarounds. randomizeClientPort in the tailnet policy file (the logic of tailnet_policy).

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/, transport/, clients/.

The Fortinet row of Tailscale's firewall guidance (and the static-port recipes of pfSense and
OPNsense) want ``"randomizeClientPort": true``; Palo Alto's selective NAT rule for UDP source port
41641 needs it off for the nodes it serves. A policy setting can be managed two ways, and this file
keeps them apart from the setting itself (:data:`MANAGED_SETTINGS`), so another top-level key with
a node-attribute form can be managed the same way by adding a row:

* tailnet-wide: the top-level key (``randomizeClientPort``) is set to the wanted value;
* for tagged devices: a ``nodeAttrs`` entry ``{"target": [tags], "attr": ["randomize-client-port"]}``
  grants the attribute to those tags only (it cannot take it away from a tailnet-wide ``true``).

The file is edited as a HuJSON syntax tree (transport/hujson.py), so every comment and all the
formatting the users wrote survive; only the members this run manages change. Concurrent edits are
never lost: the file is read with its ETag and written with ``If-Match``; when someone saved in
between (HTTP 412) the file is read again, the change planned again on the new text, and written
again, a bounded number of times, then the run fails with cause ``conflict``. Every new text is
validated by the API before it is written.
"""

from __future__ import annotations

import difflib
import re

from ansible_collections.directpath.firewall.plugins.module_utils.clients.tailscale_api import (
    TAILSCALE_API_SPEC,
    PolicyConflict,
    TailscaleApiClient,
)
from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import Plan
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import finish
from ansible_collections.directpath.firewall.plugins.module_utils.transport.hujson import HuJSONError, parse

__all__ = [
    'TAILNET_POLICY_SPEC',
    'VENDOR',
    'WORKAROUND',
    'run_tailnet_policy',
]

VENDOR = 'tailnet'
WORKAROUND = 'randomize_port'

# Top-level policy keys this workaround layer can manage: the key, its node attribute (the per-tag
# form, or None), its type and the value Tailscale assumes when the key is absent.
MANAGED_SETTINGS = {
    'randomizeClientPort': {
        'node_attr': 'randomize-client-port',
        'type': bool,
        'default': False,
        'comment': 'directpath.firewall: random WireGuard source port, the firewall workaround (tailnet_policy)',
        'finding_on': ('randomizeClientPort makes the nodes use a random local UDP port instead of 41641 and overrides '
                       "a node's --port setting (tailscale#11174)"),
    },
}

SETTING = 'randomizeClientPort'
_TAG = re.compile(r'^tag:[A-Za-z0-9][A-Za-z0-9-]*$')
# Reads of the file after a 412 before the run gives up with cause 'conflict'.
CONFLICT_RETRIES = 3

_OPTIONS = ArgumentSpec(
    argument_spec=dict(
        scope=dict(type='str', choices=['tailnet', 'tags'], default='tailnet'),
        tags=dict(type='list', elements='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    ),
    required_if=[('scope', 'tags', ('tags',))],
)

# The options of tailnet_policy: the Tailscale API connection options plus the workaround's own.
TAILNET_POLICY_SPEC = TAILSCALE_API_SPEC.merge(_OPTIONS)


def _check_tags(tags):
    bad = [tag for tag in tags if not _TAG.match(tag)]
    if bad:
        raise DirectPathError('tags must look like tag:name (letters, digits, dashes): %s' % ', '.join(repr(t) for t in bad),
                              cause='input')
    if not tags:
        raise DirectPathError('scope=tags needs at least one tag in tags', cause='input')
    return list(dict.fromkeys(tags))


def _grants(entry, attr):
    """(targets, attrs) of a nodeAttrs entry that grants ``attr``, else None."""
    if not isinstance(entry, dict):
        return None
    attrs = entry.get('attr') if isinstance(entry.get('attr'), list) else []
    targets = entry.get('target') if isinstance(entry.get('target'), list) else []
    if attr not in attrs:
        return None
    return targets, attrs


def granted_tags(data, attr, tags):
    """{tag: the nodeAttrs entry that grants ``attr`` to it (by name or by a ``*`` target), as
    ``'nodeAttrs[i]'``, or None} for ``tags``."""
    result = {}
    node_attrs = data.get('nodeAttrs') if isinstance(data.get('nodeAttrs'), list) else []
    for tag in tags:
        result[tag] = None
        for index, entry in enumerate(node_attrs):
            grant = _grants(entry, attr)
            if grant and (tag in grant[0] or '*' in grant[0]):
                result[tag] = 'nodeAttrs[%d]' % index
                break
    return result


def plan_setting(document, data, plan, setting, scope, tags, state):
    """Plan ``setting`` for ``scope`` on the parsed ``document`` (edited in place) and record the
    compared fields in ``plan``. Returns the report of what is granted where, after the run."""
    spec = MANAGED_SETTINGS[setting]
    wanted = state == 'present'
    current = data.get(setting)
    if current is not None and not isinstance(current, spec['type']):
        raise DirectPathError('the policy file has %s = %r, which is not a %s; fix it by hand first'
                              % (setting, current, spec['type'].__name__), cause='input')
    tailnet_wide = bool(current) if current is not None else spec['default']
    if wanted:
        plan.add_finding(spec['finding_on'])
    if scope == 'tailnet':
        finding = '%s is %s tailnet-wide; %s wants it %s' % (
            setting, 'on' if tailnet_wide else 'off', 'the workaround' if wanted else 'state=absent', 'on' if wanted else 'off')
        if plan.compare(setting, tailnet_wide, wanted, finding=finding):
            pointer = '/' + setting
            if current is None:
                document.add_formatted(pointer, wanted, leading_comment=spec['comment'])
            else:
                document.replace(pointer, wanted)
        if wanted:
            plan.add_exposure('every node of the tailnet: WireGuard source port random instead of 41641 (no inbound port opened)')
        return {'tailnet_wide': wanted, 'tags': {}}
    attr = spec['node_attr']
    before = granted_tags(data, attr, tags)
    if wanted:
        missing = [tag for tag in tags if not before[tag] and not tailnet_wide]
        for tag in tags:
            how = 'tailnet-wide' if tailnet_wide else before[tag]
            plan.compare('%s %s' % (attr, tag), bool(how), True,
                         finding='%s does not have the node attribute %s; the workaround wants it' % (tag, attr))
        if missing:
            if not isinstance(data.get('nodeAttrs', []), list):
                raise DirectPathError('the policy file\'s nodeAttrs is not a list; fix it by hand first', cause='input')
            entry = {'target': missing, 'attr': [attr]}
            if 'nodeAttrs' in data:
                document.add_formatted('/nodeAttrs/-', entry, leading_comment=spec['comment'])
            else:
                document.add_formatted('/nodeAttrs', [entry], leading_comment='Node attributes')
        plan.add_exposure('nodes tagged %s: WireGuard source port random instead of 41641 (no inbound port opened)' % ', '.join(tags))
        return {'tailnet_wide': tailnet_wide, 'tags': {tag: True for tag in tags}}
    if tailnet_wide:
        plan.require_manual('%s is on tailnet-wide, so the nodes tagged %s keep a random port whatever nodeAttrs says; '
                            'turn it off tailnet-wide (scope=tailnet, state=absent) and grant %s by tag to the nodes that '
                            'need it' % (setting, ', '.join(tags), attr))
        return {'tailnet_wide': True, 'tags': {tag: True for tag in tags}}
    removals = _plan_attr_removal(data, attr, tags, plan)
    for tag in tags:
        plan.compare('%s %s' % (attr, tag), bool(before[tag]), False,
                     finding='%s has the node attribute %s (%s); state=absent wants it off' % (tag, attr, before[tag]))
    if plan.manual_reason:
        # Nothing is changed: report the tags as they are.
        return {'tailnet_wide': False, 'tags': {tag: bool(before[tag]) for tag in tags}}
    for pointer in removals:
        document.remove(pointer)
    return {'tailnet_wide': False, 'tags': {tag: False for tag in tags}}


def _plan_attr_removal(data, attr, tags, plan):
    """JSON pointers to remove (in an order that keeps later pointers valid) so that no nodeAttrs
    entry grants ``attr`` to ``tags``; entries we cannot narrow without changing what they grant to
    others make the plan manual."""
    removals = []
    node_attrs = data.get('nodeAttrs') if isinstance(data.get('nodeAttrs'), list) else []
    for index in range(len(node_attrs) - 1, -1, -1):
        entry = node_attrs[index]
        grant = _grants(entry, attr)
        if not grant or not set(grant[0]) & (set(tags) | {'*'}):
            continue
        targets, attrs = grant
        if '*' in targets:
            plan.require_manual('nodeAttrs[%d] grants %s to every device ("*"); narrow it by hand' % (index, attr))
            continue
        only_ours = set(entry) <= {'target', 'attr'} and attrs == [attr]
        if only_ours:
            keep = [target for target in targets if target not in tags]
            if not keep:
                removals.append('/nodeAttrs/%d' % index)
            else:
                removals.extend('/nodeAttrs/%d/target/%d' % (index, position)
                                for position in range(len(targets) - 1, -1, -1) if targets[position] in tags)
        elif set(targets) <= set(tags):
            removals.extend('/nodeAttrs/%d/attr/%d' % (index, position)
                            for position in range(len(attrs) - 1, -1, -1) if attrs[position] == attr)
        else:
            plan.require_manual('nodeAttrs[%d] grants %s together with other attributes to %s as well; split it by hand'
                                % (index, attr, ', '.join(t for t in targets if t not in tags)))
    return removals


def policy_state(data, setting=SETTING):
    """What the policy file says about ``setting``: on tailnet-wide, and the tags its node attribute is
    granted to (a ``*`` target is listed as ``*``). The audit report's fleet note reads this."""
    spec = MANAGED_SETTINGS[setting]
    tags = set()
    node_attrs = data.get('nodeAttrs') if isinstance(data.get('nodeAttrs'), list) else []
    for entry in node_attrs:
        grant = _grants(entry, spec['node_attr'])
        if grant:
            tags.update(target for target in grant[0] if isinstance(target, str) and (target.startswith('tag:') or target == '*'))
    return {'setting': setting, 'tailnet_wide': data.get(setting) is True, 'tags': sorted(tags)}


def _text_diff(before, after):
    return ''.join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), 'policy file (before)',
                                        'policy file (after)'))


def _parse_policy(text):
    try:
        document = parse(text)
    except HuJSONError as error:
        raise DirectPathError('the tailnet policy file the API returned is not valid HuJSON: %s' % error, cause='api')
    try:
        data = document.to_python(strict_names=True)
    except HuJSONError as error:
        raise DirectPathError('the tailnet policy file has a name twice (%s); fix it by hand first' % error, cause='input')
    if not isinstance(data, dict):
        raise DirectPathError('the tailnet policy file is not a JSON object', cause='api')
    return document, data


def run_tailnet_policy(ctx, api_calls):
    """The whole run of tailnet_policy: read, plan, validate, write with If-Match; re-plan on 412."""
    params = ctx.params
    if params['scope'] == 'tailnet' and params['tags']:
        # Tags with the default scope most likely meant scope=tags: never widen that to every node.
        raise DirectPathError('tags are given but scope is tailnet, which would change every node of the tailnet; '
                              'set scope: tags to change only the tagged nodes, or drop tags', cause='input')
    tags = _check_tags(params['tags'] or []) if params['scope'] == 'tags' else []
    client = TailscaleApiClient(params, api_calls, ctx.add_secret)
    client.connect()
    conflicts = []
    for _attempt in range(1 + CONFLICT_RETRIES):
        policy = client.read_policy()
        document, data = _parse_policy(policy.text)
        plan = Plan(VENDOR, WORKAROUND, params['state'])
        report = plan_setting(document, data, plan, SETTING, params['scope'], tags, params['state'])
        new_text = document.pack()
        extra = {'tailnet': client.tailnet, 'etag': policy.etag, 'randomize_client_port': report,
                 'conflicts_retried': len(conflicts)}
        if plan.changed:
            extra['policy_diff'] = _text_diff(policy.text, new_text)

        def apply(_plan, text=new_text, etag=policy.etag):
            client.validate_policy(text)
            written = client.write_policy(text, etag)
            extra['etag'] = written.etag

        try:
            result = finish(ctx, plan, apply, api_calls, extra)
        except PolicyConflict as conflict:
            conflicts.append(str(conflict))
            continue
        after = parse(new_text).to_python() if result['compliance']['applied'] else data
        result['compliance']['tailnet_policy'] = policy_state(after)
        return result
    raise DirectPathError('the tailnet policy file changed under us %d times in a row (someone else is editing it); '
                          'nothing was written: run again later' % len(conflicts), cause='conflict',
                          details={'conflicts': conflicts})
