# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: workarounds. UniFi threat management must not block peer-to-peer traffic (unifi_p2p_threat).

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: engine/, transport/, clients/.

Tailscale's guidance for UniFi gateways: with threat detection on, uncheck the P2P category. In the
settings document that is ``emerging-p2p`` in ``enabled_categories``. Every other category and field
is written back exactly as read. Keys that look peer-to-peer related but have no known meaning (the
"Peer to Peer and Dark Web" toggle of Network 9.0.108 and later has no documented key) are reported,
never changed; when such a key is on, the run is ``manual``: a person decides.
"""

from __future__ import annotations

import copy
import re

from ansible_collections.directpath.firewall.plugins.module_utils.clients.unifi import UNIFI_CONNECTION_SPEC, UnifiClient
from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.engine.plan import Plan
from ansible_collections.directpath.firewall.plugins.module_utils.engine.runner import finish

__all__ = [
    'P2P_THREAT_SPEC',
    'VENDOR',
    'WORKAROUND',
    'run_p2p_threat',
]

VENDOR = 'unifi'
WORKAROUND = 'p2p_threat'
P2P_CATEGORY = 'emerging-p2p'
# Categories and keys whose meaning is known and that are peer-to-peer related, but that the guidance
# does not ask to change: reported when they block, left as they are.
KNOWN_P2P_LIKE = {
    'restrict_torrents': 'BitTorrent blocking (restrict_torrents) is on; Tailscale is not BitTorrent, left as it is',
}
P2P_LIKE_CATEGORIES = {
    'dark-web-blocker-list': 'the dark-web blocker list category is on (the 9.x UI groups it with peer-to-peer); left as it is',
    'tor': 'the tor category is on; left as it is',
}
# Keys of the document this module knows; any other key whose name looks peer-to-peer related is a finding.
KNOWN_KEYS = frozenset((
    '_id', 'site_id', 'key', 'ips_mode', 'enabled_categories', 'enabled_networks', 'advanced_filtering_preference',
    'honeypot_enabled', 'honeypot', 'restrict_torrents', 'restrict_tor', 'restrict_ip_addresses', 'memory_optimized',
    'suppression', 'dns_filtering', 'dns_filters', 'ad_blocking_enabled', 'ad_blocking_configurations',
    'content_filtering_blocking_page_enabled', 'endpoint_scanning', 'attr_hidden', 'attr_hidden_id', 'attr_no_delete',
    'attr_no_edit',
))
P2P_LIKE_NAME = re.compile(r'p2p|peer|torrent|dark[_-]?web|darkweb', re.IGNORECASE)

_OPTIONS = ArgumentSpec(argument_spec=dict(
    sites=dict(type='list', elements='str', default=['default']),
    state=dict(type='str', choices=['present', 'absent'], default='present'),
))

P2P_THREAT_SPEC = UNIFI_CONNECTION_SPEC.merge(_OPTIONS)


def unknown_p2p_keys(document: dict) -> dict:
    """Keys that look peer-to-peer related and that this module does not know, with their values."""
    return {key: value for key, value in document.items() if key not in KNOWN_KEYS and P2P_LIKE_NAME.search(key)}


def plan_site(plan: Plan, site: str, document: dict, state: str) -> dict:
    """Compare one site's categories; report the mode and every P2P-like setting. Returns the site report."""
    mode = document.get('ips_mode', 'disabled')
    categories = list(document.get('enabled_categories') or [])
    enabled = mode != 'disabled'
    report = {'site': site, 'ips_mode': mode, 'p2p_category_before': P2P_CATEGORY in categories,
              'p2p_like_blocking': [], 'unknown_p2p_keys': {}}
    if state == 'present':
        wanted = [category for category in categories if category != P2P_CATEGORY]
    else:
        wanted = categories if P2P_CATEGORY in categories else categories + [P2P_CATEGORY]
    if not enabled:
        plan.add_finding('site %s: threat management is off (ips_mode disabled): P2P traffic is not inspected' % site)
        wanted = categories
    plan.compare('%s.enabled_categories' % site, categories, wanted,
                 finding=('site %s: threat management (%s) blocks the P2P category (%s): Tailscale peers fall back to DERP'
                          % (site, mode, P2P_CATEGORY)) if state == 'present'
                 else 'site %s: state=absent puts the P2P category (%s) back' % (site, P2P_CATEGORY))
    if enabled:
        for key, text in KNOWN_P2P_LIKE.items():
            if document.get(key):
                report['p2p_like_blocking'].append(key)
                plan.add_finding('site %s: %s' % (site, text))
        for category, text in P2P_LIKE_CATEGORIES.items():
            if category in categories:
                report['p2p_like_blocking'].append(category)
                plan.add_finding('site %s: %s' % (site, text))
    unknown = unknown_p2p_keys(document)
    report['unknown_p2p_keys'] = unknown
    for key, value in sorted(unknown.items()):
        if enabled and value not in (False, None, '', 0, [], {}):
            report['p2p_like_blocking'].append(key)
            plan.require_manual(
                'site %s: the settings document has %s = %s, a peer-to-peer related key whose meaning is not documented '
                '(Network 9.0.108+ "Peer to Peer and Dark Web"); nothing was changed' % (site, key, _render(value)))
            plan.add_advice('In UniFi Network, open Settings > Security (Protection) for site %s and turn off the peer-to-peer '
                            'blocking there (9.0.108 and later: "Peer to Peer and Dark Web"; earlier: uncheck P2P under threat '
                            'management), then run this module again.' % site)
        else:
            plan.add_finding('site %s: unknown peer-to-peer related key %s = %s (off or threat management off); left as it is'
                             % (site, key, _render(value)))
    return report


def _render(value) -> str:
    return str(value).lower() if isinstance(value, bool) else repr(value)


def apply_sites(client: UnifiClient, plan: Plan, documents: dict, report: list) -> None:
    """Write each changed site's whole document; on a failure put back the sites already written."""
    written = []
    for change in plan.changes:
        site = change.name.rsplit('.', 1)[0]
        document = copy.deepcopy(documents[site])
        document['enabled_categories'] = list(change.after)
        try:
            stored = client.write_ips(site, document)
        except DirectPathError as error:
            raise _rolled_back(client, documents, written, error)
        if list(stored.get('enabled_categories') or []) != list(change.after):
            error = DirectPathError('write the IPS settings of site %s: the controller stored categories %s, not %s'
                                    % (site, stored.get('enabled_categories'), change.after), cause='api')
            raise _rolled_back(client, documents, written + [site], error)
        written.append(site)
        for entry in report:
            if entry['site'] == site:
                entry['p2p_category_after'] = P2P_CATEGORY in change.after


def _rolled_back(client: UnifiClient, documents: dict, written: list, error: DirectPathError) -> DirectPathError:
    """Write back the documents of the sites already changed; the error to raise says how that went."""
    failed = []
    for site in reversed(written):
        try:
            client.write_ips(site, documents[site])
        except DirectPathError:
            failed.append(site)
    if failed:
        return DirectPathError('%s; restoring the sites already changed failed for %s: check their threat management '
                               'categories by hand' % (error.message, ', '.join(failed)), cause=error.cause,
                               device_unchanged=False)
    if written:
        return DirectPathError('%s; the sites already changed (%s) were put back as they were'
                               % (error.message, ', '.join(written)), cause=error.cause, device_unchanged=error.device_unchanged)
    return error


def run_p2p_threat(ctx, api_calls) -> dict:
    """The whole run of unifi_p2p_threat: log in once, read each site, plan, apply unless in check mode."""
    params = ctx.params
    sites = [site.strip() for site in params['sites'] if site and site.strip()]
    if not sites or len(set(sites)) != len(sites):
        raise DirectPathError('sites must name at least one site, each once (got %r)' % (params['sites'],), cause='input')
    client = UnifiClient(params, api_calls, ctx.add_secret)
    try:
        client.connect()
        known = client.sites()
        missing = [site for site in sites if site not in known]
        if missing:
            raise DirectPathError('site(s) %s not found on the controller; it has: %s'
                                  % (', '.join(missing), ', '.join(known) or 'no sites'), cause='input')
        plan = Plan(VENDOR, WORKAROUND, params['state'])
        documents = {}
        report = []
        for site in sites:
            documents[site] = client.read_ips(site)
            report.append(plan_site(plan, site, documents[site], params['state']))
        if params['state'] == 'present' and any(entry['ips_mode'] != 'disabled' for entry in report):
            plan.add_exposure('threat management no longer inspects or blocks peer-to-peer signatures (%s) on site(s) %s'
                              % (P2P_CATEGORY, ', '.join(entry['site'] for entry in report if entry['ips_mode'] != 'disabled')))
        for entry in report:
            entry.setdefault('p2p_category_after', entry['p2p_category_before'])
        extra = {'controller_style': client.style, 'sites': report}

        def apply(current_plan):
            apply_sites(client, current_plan, documents, report)

        return finish(ctx, plan, apply, api_calls, extra)
    finally:
        client.logout()
