# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fake box's apply command: what pfSense's/OPNsense's apply PHP does.

Copied into each fake box as ``bin/apply`` and run by the modules through their
``apply_command`` option, exactly as they run the product's command on a real
box. Standalone on purpose (standard library only, no collection imports).

Actions:
  sync_package_miniupnpd   pfSense: miniupnpd.inc sync_package_miniupnpd(), which
                           ends with send_event("filter reload")
  filter_configure         pfSense: firewall_nat_out.inc applyoutNATrules()
  miniupnpd_configure_do   OPNsense: plugins.inc.d/miniupnpd.inc miniupnpd_configure_do()
  configctl_filter_reload  OPNsense: configctl filter reload

Each run validates the stored settings with the checks of the product's GUI
page (pfSense validate_form_miniupnpd, OPNsense services_upnp.php and the
outbound NAT edit pages): stricter than the real apply, which trusts the GUI,
so a module that stores what the GUI would refuse is caught here. The apply
never changes config.xml. Every invocation appends one JSON line to
``journal.jsonl``. Faults come from ``faults.json`` (see FakeBox.inject).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import sys
import time
import xml.etree.ElementTree as ET

BOX = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class ApplyError(Exception):
    pass


def load_box():
    with open(os.path.join(BOX, 'box.json')) as handle:
        return json.load(handle)


def text(node, path, default=None):
    if node is None:
        return default
    element = node.find(path)
    if element is None:
        return default
    return element.text or ''


# ---- pfSense's own parser ---------------------------------------------------------------------
#
# pfsense/pfsense src/etc/inc/xmlparse.inc (parse_xml_config with listtags()):
# * only the tags of listtags() may repeat; any other repeated element fails the
#   whole file ("XML error: %s at line %d cannot occur more than once"), and
#   pfSense then falls back to a backup (config.lib.inc parse_config ->
#   restore_backup of the newest file in /cf/conf/backup);
# * element names are lower-cased;
# * every chunk of character data the XML parser delivers is trimmed of tabs and
#   newlines and passed through html_entity_decode() on its own: expat delivers
#   a CDATA section in one piece but plain text split at each entity reference,
#   so "A&amp;amp;B" outside CDATA reads "A&amp;B" (a double decode never joins).
# Python's pyexpat is the same expat with the same chunking (buffer_text off).
PFSENSE_LISTTAGS = frozenset((
    'acls', 'alias', 'aliasurl', 'allowedip', 'allowedhostname', 'authserver',
    'bridged', 'build_port_path',
    'ca', 'cacert', 'cert', 'crl', 'clone', 'config', 'container', 'columnitem',
    'checkipservice',
    'depends_on_package', 'disk', 'dnsserver', 'dnsupdate', 'domainoverrides', 'dyndns',
    'earlyshellcmd', 'element', 'encryption-algorithm-option',
    'field', 'fieldname',
    'gateway_item', 'gateway_group', 'gif', 'gre', 'group',
    'hash-algorithm-option', 'hosts', 'ifgroupentry', 'igmpentry', 'interface_array', 'item', 'key',
    'lagg', 'lbaction', 'lbpool', 'l7rules', 'lbprotocol',
    'member', 'menu', 'tab', 'mobilekey', 'monitor_type', 'mount',
    'npt', 'ntpserver',
    'onetoone', 'openvpn-server', 'openvpn-client', 'openvpn-csc', 'option',
    'package', 'passthrumac', 'phase1', 'phase2', 'ppp', 'pppoe', 'priv', 'proxyarpnet', 'pool',
    'qinqentry', 'queue',
    'pages', 'pipe', 'radnsserver', 'roll', 'route', 'row', 'rrddatafile', 'rule',
    'schedule', 'service', 'servernat', 'servers',
    'serversdisabled', 'shellcmd', 'staticmap', 'subqueue', 'switch', 'swport',
    'timerange', 'tunnel', 'user', 'vip', 'virtual_server', 'vlan', 'vlangroup',
    'winsserver', 'wolentry', 'widget',
))


def pfsense_parse(data):
    """config.xml bytes as pfSense's parse_xml_config() reads them: nested dicts, lists for listtags.

    Raises ApplyError with pfSense's own message when pfSense would refuse the file.
    """
    import html
    from xml.parsers import expat

    parsed = {}
    path = []       # keys (and list indexes) from the root
    state = {'depth': 0, 'havedata': 0}
    parser = expat.ParserCreate()
    parser.buffer_text = False

    def node_at(keys):
        node = parsed
        for key in keys[:-1]:
            node = node[key]
        return node, keys[-1]

    def start(name, attrs):
        name = name.lower()
        path.append(name)
        container, key = node_at(path)
        if name in PFSENSE_LISTTAGS:
            if not isinstance(container.get(key), list):
                container[key] = []
            container[key].append(None)
            path.append(len(container[key]) - 1)
        elif key in container:
            raise ApplyError('XML error: %s at line %d cannot occur more than once' % (name.upper(), parser.CurrentLineNumber))
        else:
            container[key] = None
        state['depth'] += 1
        state['havedata'] = state['depth']

    def end(name):
        if state['havedata'] == state['depth']:
            container, key = node_at(path)
            container[key] = ''
        path.pop()
        if name.lower() in PFSENSE_LISTTAGS:
            path.pop()
        state['depth'] -= 1

    def chars(data):
        data = data.strip('\t\n\r')
        if data == '':
            return
        container, key = node_at(path)
        current = container[key]
        if isinstance(current, str):
            container[key] = current + html.unescape(data)
        elif data.strip(' ') != '':
            container[key] = html.unescape(data)
            state['havedata'] += 1

    def nest(name, attrs):
        # A child element turns its parent's slot into a dict (PHP's $ptr[$path] auto-vivification).
        if path:
            container, key = node_at(path)
            if container[key] is None or isinstance(container[key], str):
                container[key] = {}
        start(name, attrs)

    parser.StartElementHandler = nest
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise ApplyError('XML error: %s' % error)
    return parsed.get('pfsense')


def read_config(box):
    path = os.path.join(BOX, box['config_path'])
    try:
        with open(path, 'rb') as handle:
            data = handle.read()
        root = ET.fromstring(data)
    except (OSError, ET.ParseError) as error:
        # pfSense: config_read_file() -> "XML error"; OPNsense: ConfigException.
        raise ApplyError('config.xml could not be parsed: %s' % error)
    if box['product'] == 'pfsense':
        # What pfSense itself reads: a file its parser refuses is never applied.
        pfsense_parse(data)
    return root, hashlib.sha256(data).hexdigest()


def interface_map(root):
    out = {}
    for element in root.find('interfaces') if root.find('interfaces') is not None else []:
        out[element.tag] = {'if': text(element, 'if', ''), 'ipaddr': text(element, 'ipaddr', ''),
                            'subnet': text(element, 'subnet', '')}
    return out


# ---- miniupnpd settings, product by product ------------------------------------------------

def upnp_settings(box, root):
    node = root.find('installedpackages/miniupnpd/config')
    if box['product'] == 'pfsense':
        def flag(name):
            return text(node, name) == 'on'  # miniupnpd.inc compares == 'on'
        acl = [text(row, 'permuser', '').strip() for row in (node.findall('row') if node is not None else [])]
        num = None
    else:
        def flag(name):
            return text(node, name) is not None and text(node, name) not in ('', '0')  # PHP empty()/isset()
        num = text(node, 'num_permuser', '') or ''
        count = int(num) if num.isdigit() and int(num) > 0 else 8
        acl = [(text(node, 'permuser%d' % i, '') or '').strip() for i in range(1, count + 1)]
    return {
        'present': node is not None,
        'enable': flag('enable'), 'enable_upnp': flag('enable_upnp'), 'enable_natpmp': flag('enable_natpmp'),
        'permdefault': flag('permdefault'), 'logpackets': flag('logpackets'), 'sysuptime': flag('sysuptime'),
        'ipv6_disable': flag('ipv6_disable'),
        'ext_iface': text(node, 'ext_iface', '') or '',
        'iface_array': [i for i in (text(node, 'iface_array', '') or '').split(',') if i],
        'acl': [line for line in acl if line],
        'num_permuser': num,
        'overridewanip': text(node, 'overridewanip', '') or '',
        'download': text(node, 'download', '') or '', 'upload': text(node, 'upload', '') or '',
        'friendly_name': text(node, 'friendly_name', '') or '',
        'allow_third_party_mapping': text(node, 'allow_third_party_mapping', '') or '',
        'upnp_igd_compat': text(node, 'upnp_igd_compat', 'igdv1') or 'igdv1',
        'stun_host': text(node, 'stun_host', '') or '', 'stun_port': text(node, 'stun_port', '') or '',
        'overridesubnet': text(node, 'overridesubnet', '') or '',
    }


def port_ok(value, numeric):
    for part in value.split('-'):
        if numeric and not part.isdigit():
            return False
        try:
            number = int(part)
        except ValueError:
            return False
        if number < 0 or number > 65535:
            return False
    return True


def ip_ok(value, prefix_min):
    parts = value.split('/')
    if len(parts) == 2:
        if not parts[1].isdigit() or not prefix_min <= int(parts[1]) <= 32:
            return False
    elif len(parts) != 1:
        return False
    try:
        ipaddress.ip_address(parts[0])
    except ValueError:
        return False
    return True


def validate_upnp(box, settings):
    """The GUI page's checks (pfSense validate_form_miniupnpd / OPNsense services_upnp.php)."""
    errors = []
    opn = box['product'] == 'opnsense'
    if settings['enable'] and not (settings['enable_upnp'] or settings['enable_natpmp']):
        errors.append("At least one of 'UPnP IGD' or 'PCP/NAT-PMP' must be allowed")
    if settings['enable'] and opn and not settings['iface_array']:
        errors.append('You must specify at least one internal interface.')
    for iface in settings['iface_array']:
        if iface == 'wan':
            errors.append("It is a security risk to specify WAN in the 'Interface' field")
        elif iface == settings['ext_iface']:
            errors.append('You cannot select the external interface as an internal interface.')
    for number, line in enumerate(settings['acl'], 1):
        perm = line.split(' ')
        if len(perm) != 4:
            errors.append("You must follow the specified format in the 'ACL Entries %d' field" % number)
            continue
        if perm[0] not in ('allow', 'deny'):
            errors.append("You must begin with allow or deny in the 'ACL Entries %d' field" % number)
        if not port_ok(perm[1], opn) or not port_ok(perm[3], opn):
            errors.append("You must specify a port or port range between 0 and 65535 in the 'ACL Entries %d' field" % number)
        if not ip_ok(perm[2], 0 if opn else 1):
            errors.append("You must specify a valid IP address in the 'ACL Entries %d' field" % number)
    if (settings['download'] and not settings['upload']) or (settings['upload'] and not settings['download']):
        errors.append("You must fill in both 'Maximum Download Speed' and 'Maximum Upload Speed' fields")
    if errors:
        raise ApplyError('; '.join(errors))


def upnp_uuid(mac):
    # miniupnpd.inc upnp_uuid(): md5 of the MAC cut as 8-4-4-4-12, skipping
    # characters 8, 12, 16 and 20 exactly like the PHP substr() calls do.
    digest = hashlib.md5(mac.encode()).hexdigest()
    return '%s-%s-%s-%s-%s' % (digest[0:8], digest[9:13], digest[13:17], digest[17:21], digest[21:33])


def identity_and_acl_lines(box, settings, ext_mac):
    """The part both products' templates write alike: the IGD identity (uuid from the WAN MAC,
    serial, model number), the ACL lines verbatim, the default deny and the two enable switches
    (pfSense miniupnpd.inc sync_package_miniupnpd(), OPNsense miniupnpd.inc miniupnpd_configure_do())."""
    uuid = upnp_uuid(ext_mac)
    lines = ['uuid=%s' % uuid, 'serial=%s' % uuid[0:8].upper(), 'model_number=%s' % box['version']]
    lines.extend(settings['acl'])
    if settings['permdefault']:
        lines.append('deny 1-65535 0.0.0.0/0 1-65535')
    lines.append('enable_upnp=%s' % ('yes' if settings['enable_upnp'] else 'no'))
    lines.append('enable_pcp_pmp=%s' % ('yes' if settings['enable_natpmp'] else 'no'))
    return lines


def render_pfsense(box, root, settings):
    """sync_package_miniupnpd(): the text of /var/etc/miniupnpd.conf, or None (service stopped)."""
    ifaces = interface_map(root)
    ext = ifaces.get(settings['ext_iface'] or 'wan', ifaces.get('wan'))['if']
    lines = ['ext_ifname=%s' % ext, 'port=2189']
    if not (settings['enable'] and settings['iface_array']):
        return None
    active = []
    for iface in settings['iface_array']:
        if iface == settings['ext_iface'] or iface not in ifaces:
            continue
        if ifaces[iface]['ipaddr']:
            lines.append('listening_ip=%s' % ifaces[iface]['if'])
            active.append(iface)
    if not active:
        return None
    if settings['overridewanip']:
        lines.append('ext_ip=%s' % settings['overridewanip'])
    if settings['download'] and settings['upload']:
        lines.append('bitrate_down=%d' % (int(settings['download']) * 1000))
        lines.append('bitrate_up=%d' % (int(settings['upload']) * 1000))
    if settings['logpackets']:
        lines.append('packet_log=yes')
    if settings['sysuptime']:
        lines.append('system_uptime=yes')
    lines.append('secure_mode=yes')
    webgui = root.find('system/webgui')
    if text(webgui, 'protocol'):
        port = text(webgui, 'port', '')
        lines.append('presentation_url=%s://%s%s/' % (text(webgui, 'protocol'), ifaces[active[0]]['ipaddr'],
                                                      ':' + port if port else ''))
    lines.extend(identity_and_acl_lines(box, settings, box['macs'].get(ext, '')))
    return '\n'.join(lines) + '\n'


def render_opnsense(box, root, settings):
    """miniupnpd_configure_do(): the text of /var/etc/miniupnpd.conf, or None."""
    if not settings['enable']:
        return None
    ifaces = interface_map(root)
    if settings['ext_iface'] not in ifaces:
        # get_real_interface() returned its input: "failed." and nothing written.
        raise ApplyError('miniupnpd: could not resolve the external interface %r' % settings['ext_iface'])
    lines = ['ext_ifname=%s' % ifaces[settings['ext_iface']]['if'], 'http_port=2189']
    active = []
    for iface in settings['iface_array']:
        if iface == settings['ext_iface'] or iface not in ifaces:
            continue
        if ifaces[iface]['ipaddr']:
            suffix = '/%s' % settings['overridesubnet'] if settings['overridesubnet'] else ''
            lines.append('listening_ip=%s%s' % (ifaces[iface]['if'], suffix))
            active.append(iface)
    if not active:
        return None
    if settings['overridewanip']:
        lines.append('ext_ip=%s' % settings['overridewanip'])
    if settings['stun_host']:
        lines.extend(['ext_perform_stun=allow-filtered', 'ext_stun_host=%s' % settings['stun_host'],
                      'ext_stun_port=%s' % (settings['stun_port'] or '3478')])
    if settings['download'] and settings['upload']:
        lines.append('bitrate_down=%d' % (int(settings['download']) * 1000))
        lines.append('bitrate_up=%d' % (int(settings['upload']) * 1000))
    third = settings['allow_third_party_mapping']
    lines.append('secure_mode=%s' % ('no' if third in ('1', 'upnp-igd') else 'yes'))
    lines.append('pcp_allow_thirdparty=%s' % ('yes' if third in ('1', 'pcp') else 'no'))
    if settings['ipv6_disable']:
        lines.append('ipv6_disable=yes')
    if settings['logpackets']:
        lines.append('packet_log=yes')
    webgui = root.find('system/webgui')
    if text(webgui, 'protocol'):
        port = text(webgui, 'port', '')
        lines.append('presentation_url=%s://%s%s/' % (text(webgui, 'protocol'), ifaces[active[0]]['ipaddr'],
                                                      ':' + port if port else ''))
    name = settings['friendly_name']
    name = name.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;') if name else 'OPNsense UPnP IGD &amp; PCP'
    lines.append('friendly_name=%s' % name)
    lines.extend(identity_and_acl_lines(box, settings, box['macs'].get(ifaces['wan']['if'], '')))
    if settings['upnp_igd_compat'] == 'igdv1':
        lines.append('force_igd_desc_v1=yes')
    lines.append('lease_file=/var/run/miniupnpd.leases')
    lines.append('lease_file6=/var/run/miniupnpd.leases-ipv6')
    return '\n'.join(lines) + '\n'


# ---- outbound NAT ------------------------------------------------------------------------------

NAT_MODES = ('automatic', 'hybrid', 'advanced', 'disabled')
PORT_PROTOCOLS = ('udp', 'tcp', 'tcp/udp', 'any', '')


def aliases(root):
    names = set()
    for alias in root.findall('aliases/alias'):
        names.add(text(alias, 'name', ''))
    return names


def network_ok(value, root, ipprotocol):
    if value in ('any', '(self)') or value in aliases(root) or value in interface_map(root):
        return True
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return ipprotocol in ('', 'inet46') or (network.version == 4) == (ipprotocol == 'inet')


def validate_nat(box, root):
    """The outbound NAT edit pages' checks for every stored rule (saveoutNATrule / firewall_nat_out_edit.php)."""
    errors = []
    outbound = root.find('nat/outbound')
    if outbound is None:
        return 'automatic', 0
    mode = text(outbound, 'mode', 'automatic') or 'automatic'
    if mode not in NAT_MODES:
        errors.append('invalid outbound NAT mode %r' % mode)
    ifaces = interface_map(root)
    rules = outbound.findall('rule')
    for number, rule in enumerate(rules):
        where = 'outbound NAT rule %d (%s)' % (number, text(rule, 'descr', ''))
        if text(rule, 'interface', '') not in ifaces:
            errors.append('%s: interface %r does not exist' % (where, text(rule, 'interface', '')))
        ipprotocol = text(rule, 'ipprotocol', '') or ''
        allowed = ('inet', 'inet6') if box['product'] == 'opnsense' else ('inet', 'inet6', 'inet46', '')
        if ipprotocol not in allowed:
            errors.append('%s: invalid address family %r' % (where, ipprotocol))
        protocol = text(rule, 'protocol', '') or ''
        if protocol not in ('', 'any', 'tcp', 'udp', 'tcp/udp', 'icmp', 'esp', 'ah', 'gre', 'ipv6', 'igmp', 'pim', 'ospf'):
            errors.append('%s: invalid protocol %r' % (where, protocol))
        if not network_ok(text(rule, 'source/network', '') or '', root, ipprotocol):
            errors.append('%s: A valid source must be specified.' % where)
        if rule.find('staticnatport') is not None and protocol not in PORT_PROTOCOLS:
            errors.append('%s: static port needs a protocol with ports' % where)
        if rule.find('eimnat') is not None and box['product'] == 'pfsense' and not box.get('eim'):
            errors.append('%s: this version has no endpoint-independent mapping' % where)
    if errors:
        raise ApplyError('; '.join(errors))
    return mode, len(rules)


# ---- the command -------------------------------------------------------------------------------

def take_fault(action):
    path = os.path.join(BOX, 'faults.json')
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        faults = json.load(handle)
    for name, fault in list(faults.items()):
        if fault.get('action', 'any') not in ('any', action):
            continue
        if fault.get('remaining', 0) <= 0:
            continue
        fault['remaining'] -= 1
        with open(path, 'w') as handle:
            json.dump(faults, handle)
        return name, fault
    return None


def write_state(name, data):
    path = os.path.join(BOX, 'var', 'run', name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as handle:
        json.dump(data, handle, indent=1, sort_keys=True)


def hang():
    """An apply that never returns, with a child of its own (what a stuck php/configctl looks like)."""
    import subprocess
    child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(3600)'])
    write_pids([os.getpid(), child.pid])
    time.sleep(3600)


def write_pids(pids):
    path = os.path.join(BOX, 'var', 'run', 'hang.pids')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as handle:
        handle.write(' '.join(str(pid) for pid in pids))


def other_writer(box):
    """Another writer's change that does not wait for any lock (a script, a restore from the GUI)."""
    path = os.path.join(BOX, box['config_path'])
    with open(path) as handle:
        text = handle.read()
    marker = '</aliases>' if '</aliases>' in text else None
    alias = '<alias><name>other_admin</name><type>host</type><address>198.18.99.9</address></alias>'
    if marker:
        text = text.replace(marker, alias + marker, 1)
    else:
        root = '</pfsense>' if box['product'] == 'pfsense' else '</opnsense>'
        text = text.replace(root, '<aliases>%s</aliases>%s' % (alias, root), 1)
    with open(path, 'w') as handle:
        handle.write(text)


def run(action):
    box = load_box()
    fault = take_fault(action)
    if fault and fault[0] == 'apply_hang':
        hang()
    if fault and fault[0] == 'concurrent_write':
        other_writer(box)
        raise ApplyError(fault[1].get('message') or 'injected apply failure after another writer changed config.xml')
    if fault and fault[0] == 'config_unreadable':
        raise ApplyError('config.xml could not be parsed: injected fault')
    root, digest = read_config(box)
    if fault and fault[0] == 'apply_fail':
        raise ApplyError(fault[1].get('message') or 'injected apply failure')
    result = {'config_sha256': digest}
    conf_path = os.path.join(BOX, 'var', 'etc', 'miniupnpd.conf')
    if action in ('sync_package_miniupnpd', 'miniupnpd_configure_do'):
        settings = upnp_settings(box, root)
        validate_upnp(box, settings)
        render = render_pfsense if box['product'] == 'pfsense' else render_opnsense
        conf = render(box, root, settings)
        os.makedirs(os.path.dirname(conf_path), exist_ok=True)
        if conf is None:
            if os.path.exists(conf_path):
                os.unlink(conf_path)
            write_state('miniupnpd.json', {'running': False})
        else:
            with open(conf_path, 'w') as handle:
                handle.write(conf)
            write_state('miniupnpd.json', {'running': True, 'conf_sha256': hashlib.sha256(conf.encode()).hexdigest()})
        result['miniupnpd'] = 'running' if conf else 'stopped'
    if action in ('sync_package_miniupnpd', 'filter_configure', 'configctl_filter_reload'):
        mode, count = validate_nat(box, root)
        write_state('filter.json', {'nat_mode': mode, 'outbound_rules': count, 'config_sha256': digest})
        result['filter'] = 'reloaded'
    return result


def journal(entry):
    with open(os.path.join(BOX, 'journal.jsonl'), 'a') as handle:
        handle.write(json.dumps(entry, sort_keys=True) + '\n')


def main(argv):
    if len(argv) != 2 or argv[1] not in ('sync_package_miniupnpd', 'filter_configure', 'miniupnpd_configure_do',
                                         'configctl_filter_reload'):
        sys.stderr.write('usage: apply sync_package_miniupnpd|filter_configure|miniupnpd_configure_do|'
                         'configctl_filter_reload\n')
        return 2
    entry = {'time': time.time(), 'action': argv[1], 'kind': 'write'}
    try:
        entry.update(run(argv[1]))
        entry['ok'] = True
        journal(entry)
        sys.stdout.write('done.\n')
        return 0
    except ApplyError as error:
        entry.update({'ok': False, 'error': str(error)})
        journal(entry)
        sys.stderr.write('%s\n' % error)
        return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
