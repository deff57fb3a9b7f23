# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: workarounds. FortiGate inspection that lets Tailscale through (the logic of fortigate_inspection_exempt).

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/, transport/, clients/.

What it ensures in one VDOM, for the profiles the user names:

* application control: no entry blocks (or resets) the FortiGuard Tailscale
  application. Entries are walked in order, as FortiOS matches them (first match
  wins). An entry that names the application loses it (and is removed if it
  named nothing else); an entry that matches by category (the application's own
  category as the device files it, or Proxy) or by filters gets an
  ``exclusion`` for the application (FortiOS 6.4.4+). When nothing passes the
  application and the list's other-application-action is block, a pass entry
  for the application is appended. Category ids are read from the device, never
  assumed.
* SSL/SSH inspection: every named profile that does deep inspection exempts
  the control-plane hosts (``ssl-exempt`` rows of type wildcard-fqdn, for
  wildcard FQDN objects this module owns, and of type address for address
  objects the user names). Profiles that do not inspect deeply need nothing.

Writes are PUTs of the one table they change. If a write fails, the writes
already made are undone in reverse order (FortiOS has no transaction), and the
error says whether the device is back as it was.
"""

from __future__ import annotations

from ansible_collections.directpath.firewall.plugins.module_utils.clients.fortios import (
    FORTIOS_CONNECTION_SPEC,
    FortiosClient,
    without_origin_keys,
)
from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import Plan
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import finish

__all__ = [
    'INSPECTION_EXEMPT_SPEC',
    'VENDOR',
    'WORKAROUND',
    'run_inspection_exempt',
]

VENDOR = 'fortinet'
WORKAROUND = 'inspection_exempt'
TAILSCALE_APP_ID = 51457
PROXY_CATEGORY = 'Proxy'
EXCLUSION_SINCE = (6, 4, 4)
OBJECT_PREFIX = 'directpath-'
APP_LIST_TABLE = 'application/list'
SSL_PROFILE_TABLE = 'firewall/ssl-ssh-profile'
WILDCARD_TABLE = 'firewall.wildcard-fqdn/custom'
ADDRESS_TABLE = 'firewall/address'
# Built-in profiles FortiOS keeps read-only: they can be cloned, not edited.
READ_ONLY_PROFILES = ('certificate-inspection', 'deep-inspection', 'no-inspection')

DERP_FINDING = (
    'FQDN exemptions cannot cover DERP relays: tailscaled connects to them by IP address from the DERP map, without a '
    'DNS lookup, so a FortiGate wildcard FQDN object never learns their addresses (tailscale/tailscale#15217). '
    'Exempt relays the network inspects through address objects (exempt_addresses).')
SYMPTOM = 'x509: "controlplane.tailscale.com" certificate is not trusted'

_OPTIONS = ArgumentSpec(
    argument_spec=dict(
        application_lists=dict(type='list', elements='str'),
        ssl_ssh_profiles=dict(type='list', elements='str'),
        exempt_fqdns=dict(type='list', elements='str', default=['*.tailscale.com']),
        exempt_addresses=dict(type='list', elements='str', default=[]),
        tailscale_application_id=dict(type='int', default=TAILSCALE_APP_ID),
    ),
    required_one_of=[('application_lists', 'ssl_ssh_profiles')],
)

# The options of fortigate_inspection_exempt: the FortiOS connection options plus the workaround's own.
INSPECTION_EXEMPT_SPEC = FORTIOS_CONNECTION_SPEC.merge(_OPTIONS)


def _ids(rows) -> set:
    return {row.get('id') for row in rows or []}


def object_name(pattern: str) -> str:
    """The wildcard FQDN object this module owns for ``pattern``: '*.tailscale.com' -> 'directpath-tailscale.com'."""
    return OBJECT_PREFIX + pattern.lstrip('*.').replace('*', 'x')


def check_patterns(patterns) -> None:
    for pattern in patterns:
        text = pattern.strip()
        if not text or ' ' in text or ('*' not in text and '?' not in text):
            raise DirectPathError('exempt_fqdns: %r is not a wildcard domain such as *.tailscale.com (a FortiGate '
                                  'wildcard FQDN object needs a wildcard)' % (pattern,), cause='input')
        if len(object_name(text)) > 79:
            raise DirectPathError('exempt_fqdns: %r gives an object name longer than 79 characters' % (pattern,), cause='input')


# --------------------------------------------------------------------------------------------------
# Application control
# --------------------------------------------------------------------------------------------------
def summarise_entries(entries) -> list:
    """The part of each entry this module compares, with id lists as sorted lists (FortiOS reorders them)."""
    return [{'id': entry.get('id'), 'action': entry.get('action', 'block'),
             'application': sorted(_ids(entry.get('application'))), 'category': sorted(_ids(entry.get('category'))),
             'exclusion': sorted(_ids(entry.get('exclusion')))} for entry in entries]


def entry_matches(entry: dict, app_id: int, categories: set) -> bool:
    """Whether an entry matches the application: it names it, or one of its categories is one of ``categories``
    (an entry that names applications and categories matches either), unless the entry excludes it."""
    if app_id in _ids(entry.get('exclusion')):
        return False
    applications = _ids(entry.get('application'))
    if app_id in applications:
        return True
    entry_categories = _ids(entry.get('category'))
    if entry_categories:
        return bool(entry_categories & categories)
    # No category and no application: the entry selects by filters (risk, popularity, technology, ...), which
    # this module does not evaluate; it is treated as matching, and an exclusion is harmless if it did not.
    return not applications


def fix_application_list(profile: dict, app_id: int, categories: set, version: tuple, category_names=None):
    """(new entries, [(entry id, note)], manual reason or None) that let ``app_id`` through ``profile``."""
    entries = [dict(entry) for entry in profile.get('entries') or []]
    notes = []
    result = []
    passed = False
    for entry in entries:
        if passed or not entry_matches(entry, app_id, categories):
            result.append(entry)
            continue
        action = entry.get('action', 'block')
        if action == 'pass':
            passed = True
            result.append(entry)
            continue
        if app_id in _ids(entry.get('application')):
            remaining = [row for row in entry['application'] if row.get('id') != app_id]
            if not remaining and not entry.get('category'):
                # Left empty, the entry would match every application: it existed only to block Tailscale.
                notes.append((entry.get('id'), 'entry %s %ss only the Tailscale application: the entry is removed'
                              % (entry.get('id'), action)))
                continue
            entry['application'] = remaining
            if not entry_matches(entry, app_id, categories):
                notes.append((entry.get('id'), 'entry %s %ss the Tailscale application by name: it is taken out of the '
                                               'entry' % (entry.get('id'), action)))
                result.append(entry)
                continue
        if version < EXCLUSION_SINCE:
            return None, notes, ('entry %s of application list %r %ss Tailscale through its category or filters, and '
                                 'FortiOS %s has no per-entry exclusion (6.4.4 and later): exclude Tailscale by hand'
                                 % (entry.get('id'), profile.get('name'), action, '.'.join(str(n) for n in version)))
        entry['exclusion'] = list(entry.get('exclusion') or []) + [{'id': app_id}]
        names = category_names or {}
        what = ('category %s' % ', '.join('%s (%s)' % (c, names[c]) if c in names else str(c)
                                          for c in sorted(_ids(entry.get('category')) & categories))
                if entry.get('category') else 'filters')
        notes.append((entry.get('id'), 'entry %s %ss Tailscale through %s: Tailscale is excluded from it'
                      % (entry.get('id'), action, what)))
        result.append(entry)
    if not passed and profile.get('other-application-action') == 'block':
        new_id = max([entry.get('id') or 0 for entry in result] + [0]) + 1
        result.append({'id': new_id, 'application': [{'id': app_id}], 'action': 'pass', 'log': 'enable'})
        notes.append((new_id, 'other applications are blocked and no entry passes Tailscale: entry %s passes it' % new_id))
    return result, notes, None


# --------------------------------------------------------------------------------------------------
# SSL/SSH inspection
# --------------------------------------------------------------------------------------------------
def inspects_deeply(profile: dict) -> bool:
    return (profile.get('https') or {}).get('status') == 'deep-inspection' or \
        (profile.get('ssl') or {}).get('inspect-all') == 'deep-inspection'


def exempt_keys(rows) -> list:
    """'type:value' of each ssl-exempt row, sorted (the comparison is by set: FortiOS may reorder rows)."""
    keys = []
    for row in rows or []:
        kind = row.get('type', 'fortiguard-category')
        keys.append('%s:%s' % (kind, row.get(kind)))
    return sorted(keys)


# --------------------------------------------------------------------------------------------------
# Undo log
# --------------------------------------------------------------------------------------------------
class UndoLog(object):
    """Writes made so far and how to take each back, newest last."""

    def __init__(self, client: FortiosClient) -> None:
        self.client = client
        self.steps = []

    def record(self, description: str, undo) -> None:
        self.steps.append((description, undo))

    def roll_back(self, error: DirectPathError) -> DirectPathError:
        if not self.steps:
            return error
        failed = []
        for description, undo in reversed(self.steps):
            try:
                undo()
            except DirectPathError as undo_error:
                failed.append('%s (%s)' % (description, undo_error.message))
        if failed:
            return DirectPathError('%s. Undoing the earlier writes failed for: %s. Check these objects on the FortiGate.'
                                   % (error.message, '; '.join(failed)), cause=error.cause, device_unchanged=False)
        return DirectPathError('%s. The %d earlier write(s) of this run were undone: the FortiGate is as it was.'
                               % (error.message, len(self.steps)), cause=error.cause)


# --------------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------------
def read_application(client: FortiosClient, app_id: int, plan: Plan):
    """(the application as the device files it, {category id: name})."""
    rows = client.table('application/name', filters=['id==%d' % app_id])
    categories = {row.get('name'): row.get('id') for row in client.monitor('utm/application-categories') or []}
    names = {category_id: name for name, category_id in categories.items()}
    app = rows[0] if rows else None
    proxy = categories.get(PROXY_CATEGORY)
    blocking = {proxy} if proxy is not None else set()
    if app is None:
        plan.add_finding('the FortiGuard application database of this FortiGate has no application %d (Tailscale): '
                         'update the application control signatures; only the Proxy category is checked' % app_id)
        return {'id': app_id, 'name': None, 'category': None, 'category_name': None,
                'checked_categories': sorted(blocking)}, names
    blocking.add(app.get('category'))
    return {'id': app_id, 'name': app.get('name'), 'category': app.get('category'),
            'category_name': names.get(app.get('category')),
            'checked_categories': sorted(c for c in blocking if c is not None)}, names


def plan_application_lists(client, plan, names, app, version, work, category_names=None):
    report = []
    categories = set(app['checked_categories'])
    for name in names:
        profile = client.read(APP_LIST_TABLE, name)
        if profile is None:
            raise DirectPathError('application list %r does not exist in VDOM %s' % (name, client.vdom), cause='input')
        entries, notes, manual = fix_application_list(profile, app['id'], categories, version, category_names)
        if manual:
            plan.require_manual(manual)
            report.append({'name': name, 'status': 'manual', 'notes': [text for _entry_id, text in notes]})
            continue
        before = {row['id']: row for row in summarise_entries(profile.get('entries') or [])}
        after = {row['id']: row for row in summarise_entries(entries)}
        note_of = dict(notes)
        changed = False
        for entry_id in list(before) + [key for key in after if key not in before]:
            finding = None
            if entry_id in note_of:
                finding = 'application list %r blocks Tailscale: %s' % (name, note_of[entry_id])
            if plan.compare('application list %s entry %s' % (name, entry_id), before.get(entry_id), after.get(entry_id), finding):
                changed = True
        if changed:
            work.append(('application list', name, entries, profile.get('entries') or []))
        report.append({'name': name, 'blocks_tailscale': bool(notes), 'notes': [text for _entry_id, text in notes]})
    return report


def plan_ssl_profiles(client, plan, params, work):
    report = []
    patterns = [pattern.strip() for pattern in params['exempt_fqdns']]
    check_patterns(patterns)
    profiles = []
    for name in params['ssl_ssh_profiles']:
        profile = client.read(SSL_PROFILE_TABLE, name)
        if profile is None:
            raise DirectPathError('SSL/SSH inspection profile %r does not exist in VDOM %s' % (name, client.vdom), cause='input')
        profiles.append(profile)
    deep = [profile for profile in profiles if inspects_deeply(profile)]
    for profile in profiles:
        if profile not in deep:
            report.append({'name': profile['name'], 'deep_inspection': False, 'missing_exemptions': []})
            plan.add_finding('SSL/SSH profile %r does not inspect deeply: Tailscale\'s TLS is not intercepted there'
                             % profile['name'])
    if not deep:
        return report
    read_only = [profile['name'] for profile in deep if profile['name'] in READ_ONLY_PROFILES]
    if read_only:
        raise DirectPathError(
            'ssl_ssh_profiles names the built-in profile(s) %s, which FortiOS keeps read-only: clone the profile (for '
            'example to custom-deep-inspection), use the clone in the firewall policies and name the clone here'
            % ', '.join(repr(name) for name in read_only), cause='input')
    for address in params['exempt_addresses']:
        if client.read(ADDRESS_TABLE, address) is None:
            raise DirectPathError('exempt_addresses: address object %r does not exist in VDOM %s' % (address, client.vdom),
                                  cause='input')
    # An exemption counts whoever owns the wildcard FQDN object: a row for another team's object that
    # holds the same pattern already exempts it. Our own objects count with the pattern they will hold.
    objects = {row.get('name'): (row.get('wildcard-fqdn') or '').lower() for row in client.table(WILDCARD_TABLE)}
    after_objects = dict(objects)
    after_objects.update({object_name(pattern): pattern.lower() for pattern in patterns})
    addresses = list(params['exempt_addresses'])
    needed = []
    for profile in deep:
        rows = [dict(row) for row in profile.get('ssl-exempt') or []]
        present = set(exempt_keys(rows))
        references = {row.get('wildcard-fqdn') for row in rows if row.get('type') == 'wildcard-fqdn'}
        covered_before = {objects.get(reference, '') for reference in references}
        covered_after = {after_objects.get(reference, '') for reference in references}
        missing_patterns = [pattern for pattern in patterns if pattern.lower() not in covered_after]
        missing_addresses = [address for address in addresses if 'address:%s' % address not in present]
        for pattern in patterns:
            if (pattern in missing_patterns or object_name(pattern) in references) and pattern not in needed:
                needed.append(pattern)
        next_id = max([row.get('id') or 0 for row in rows] + [0])
        new_rows = list(rows)
        for kind, value in [('wildcard-fqdn', object_name(pattern)) for pattern in missing_patterns] + \
                [('address', address) for address in missing_addresses]:
            next_id += 1
            new_rows.append({'id': next_id, 'type': kind, kind: value})
        before = sorted(['wildcard-fqdn:%s' % pattern for pattern in patterns if pattern.lower() in covered_before] +
                        ['address:%s' % address for address in addresses if 'address:%s' % address in present])
        after = sorted(['wildcard-fqdn:%s' % pattern for pattern in patterns] + ['address:%s' % address for address in addresses])
        missing = missing_patterns + missing_addresses
        finding = ('SSL/SSH profile %r inspects TLS deeply and does not exempt %s: Tailscale clients fail with %s'
                   % (profile['name'], ', '.join(sorted(set(after) - set(before))), SYMPTOM)) if before != after else None
        plan.compare('ssl-ssh-profile %s exemptions' % profile['name'], before, after, finding)
        if new_rows != rows:
            work.append(('ssl profile', profile['name'], new_rows, profile.get('ssl-exempt') or []))
            plan.add_exposure('SSL/SSH profile %r: TLS to %s is no longer decrypted and inspected'
                              % (profile['name'], ', '.join(missing)))
        report.append({'name': profile['name'], 'deep_inspection': True,
                       'missing_exemptions': sorted(set(after) - set(before))})
    for pattern in needed:
        name = object_name(pattern)
        current = client.read(WILDCARD_TABLE, name) if name in objects else None
        before = current.get('wildcard-fqdn') if current else None
        if plan.compare('wildcard FQDN object %s' % name, before, pattern,
                        'wildcard FQDN object %r for %s is missing' % (name, pattern) if current is None else
                        'wildcard FQDN object %r holds %s instead of %s' % (name, before, pattern)):
            work.insert(0, ('wildcard', name, pattern, current))
    plan.add_finding(DERP_FINDING)
    return report


def apply_work(client: FortiosClient, work: list) -> list:
    """Make the planned writes in order (objects, profiles, lists); undo them all if one fails."""
    undo = UndoLog(client)
    revisions = []
    try:
        for kind, name, wanted, current in work:
            if kind == 'wildcard':
                if current is None:
                    answer = client.create(WILDCARD_TABLE, {'name': name, 'wildcard-fqdn': wanted,
                                                            'comment': 'directpath.firewall: Tailscale control plane, '
                                                                       'exempt from SSL inspection'})
                    undo.record('delete wildcard FQDN object %s' % name,
                                lambda name=name: client.delete(WILDCARD_TABLE, name))
                else:
                    answer = client.update(WILDCARD_TABLE, name, {'wildcard-fqdn': wanted})
                    undo.record('restore wildcard FQDN object %s' % name,
                                lambda name=name, old=current['wildcard-fqdn']: client.update(WILDCARD_TABLE, name, {'wildcard-fqdn': old}))
            elif kind == 'ssl profile':
                answer = client.update(SSL_PROFILE_TABLE, name, {'ssl-exempt': wanted})
                undo.record('restore the exemptions of SSL/SSH profile %s' % name,
                            lambda name=name, old=current: client.update(SSL_PROFILE_TABLE, name,
                                                                         {'ssl-exempt': without_origin_keys(old)}))
            else:
                answer = client.update(APP_LIST_TABLE, name, {'entries': wanted})
                undo.record('restore the entries of application list %s' % name,
                            lambda name=name, old=current: client.update(APP_LIST_TABLE, name,
                                                                         {'entries': without_origin_keys(old)}))
            revisions.append({'object': '%s %s' % (kind, name), 'revision': answer.get('revision'),
                              'revision_changed': answer.get('revision_changed')})
    except DirectPathError as error:
        raise undo.roll_back(error)
    return revisions


def run_inspection_exempt(ctx, api_calls):
    """The whole run of fortigate_inspection_exempt: read, plan, apply unless in check mode."""
    params = ctx.params
    plan = Plan(VENDOR, WORKAROUND, 'present')
    client = FortiosClient(params, api_calls, ctx.add_secret)
    client.connect()
    version = client.version_tuple
    app, category_names = read_application(client, params['tailscale_application_id'], plan)
    work = []
    lists_report = plan_application_lists(client, plan, params['application_lists'], app, version, work, category_names) \
        if params.get('application_lists') else []
    profiles_report = plan_ssl_profiles(client, plan, params, work) if params.get('ssl_ssh_profiles') else []
    if plan.changed:
        plan.add_advice('Clients that failed with %s reconnect by themselves once the exemption is in place; '
                        '"tailscale netcheck" and "tailscale ping" on a node behind the FortiGate confirm it.' % SYMPTOM)
    extra = {'fortios_version': client.version, 'vdom': client.vdom, 'tailscale_application': app,
             'application_lists': lists_report, 'ssl_ssh_profiles': profiles_report}

    def apply(current_plan):
        extra['revisions'] = apply_work(client, work)

    return finish(ctx, plan, apply, api_calls, extra)
