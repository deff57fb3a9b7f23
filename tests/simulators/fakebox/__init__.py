# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fake pfSense / OPNsense boxes: a directory that looks like the firewall's disk.

``create_box('pfsense', directory)`` lays out::

    box.json                    product, version, interface MACs (read by bin/apply)
    cf/conf/config.xml          pfSense (OPNsense: conf/config.xml)
    cf/conf/backup/             product backup convention (OPNsense: conf/backup/)
    etc/version                 pfSense version file (OPNsense: usr/local/opnsense/version/core, JSON)
    tmp/config.cache            pfSense's parsed-config cache (removed by a write)
    tmp/config.lock             pfSense's configuration lock file (util.inc lock('config'));
                                OPNsense locks config.xml itself (Config.php lock())
    bin/apply                   the apply command (apply.py), see its docstring
    var/etc/miniupnpd.conf      rendered by bin/apply
    journal.jsonl               one line per apply invocation
    faults.json                 injected faults

The on-box modules run on the box over SSH; here the "box" is this directory on
localhost (``ansible_connection: local``) and :meth:`FakeBox.hostvars` points
the modules' path and command options at it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import stat
import sys

from ansible_collections.directpath.firewall.tests.simulators.fakebox import seeds

__all__ = ['FakeBox', 'create_box', 'start']

APPLY_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'apply.py')

DEFAULT_VERSIONS = {'pfsense': '2.7.2-RELEASE', 'opnsense': '26.1.6'}


class FakeBox(object):

    def __init__(self, root):
        self.root = os.path.abspath(root)
        with open(os.path.join(self.root, 'box.json')) as handle:
            self.meta = json.load(handle)
        self.product = self.meta['product']

    # paths -------------------------------------------------------------------------------
    def path(self, *parts):
        return os.path.join(self.root, *parts)

    @property
    def config_path(self):
        return self.path(self.meta['config_path'])

    @property
    def backup_dir(self):
        return os.path.join(os.path.dirname(self.config_path), 'backup')

    @property
    def version_file(self):
        return self.path(self.meta['version_file'])

    @property
    def apply_script(self):
        return self.path('bin', 'apply')

    def apply_commands(self, workaround):
        actions = {
            ('pfsense', 'natpmp'): ['sync_package_miniupnpd'],
            ('pfsense', 'static_port'): ['filter_configure'],
            ('opnsense', 'natpmp'): ['miniupnpd_configure_do', 'configctl_filter_reload'],
            ('opnsense', 'static_port'): ['configctl_filter_reload'],
        }[(self.product, workaround)]
        return ['%s %s %s' % (sys.executable, self.apply_script, action) for action in actions]

    def module_args(self, workaround):
        """The on-box options that point a module at this box."""
        args = {
            'config_path': self.config_path,
            'backup_dir': self.backup_dir,
            'version_file': self.version_file,
            'apply_command': self.apply_commands(workaround),
        }
        if self.product == 'pfsense':
            args['config_cache'] = self.path('tmp', 'config.cache')
            args['config_lock'] = self.lock_path
        return args

    # the product's configuration lock ------------------------------------------------------------
    @property
    def lock_path(self):
        """pfSense: util.inc lock('config') -> flock on {tmp}/config.lock; OPNsense: flock on config.xml."""
        return self.path('tmp', 'config.lock') if self.product == 'pfsense' else self.config_path

    @contextlib.contextmanager
    def lock(self):
        """Hold the product's configuration lock, as the product's own writer does."""
        with open(self.lock_path, 'a+b' if self.product == 'pfsense' else 'r+b') as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield handle
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def write_as_product(self, edit):
        """Another administrator's save, the way the product writes: lock, read, ``edit(text) -> text``, write.

        pfSense write_config(): under the lock, a new file renamed into place;
        OPNsense Config::save(): under the flock on config.xml, rewritten in place.
        """
        with self.lock() as handle:
            if self.product == 'opnsense':
                handle.seek(0)
                text = edit(handle.read().decode('utf-8'))
                handle.seek(0)
                handle.truncate(0)
                handle.write(text.encode('utf-8'))
                handle.flush()
            else:
                text = edit(self.config_bytes().decode('utf-8'))
                temp = self.config_path + '.tmp'
                with open(temp, 'wb') as out:
                    out.write(text.encode('utf-8'))
                os.replace(temp, self.config_path)

    def pfsense_view(self):
        """config.xml as pfSense's own parser reads it (fails like pfSense when pfSense would refuse it)."""
        from ansible_collections.directpath.firewall.tests.simulators.fakebox.apply import pfsense_parse
        return pfsense_parse(self.config_bytes())

    def hostvars(self):
        """Inventory variables for this box as a fleet member (roles/<product> reads them)."""
        prefix = self.product
        hostvars = {
            'ansible_connection': 'local',
            'ansible_python_interpreter': sys.executable,
            'directpath_vendor': prefix,
            'directpath_fakebox': self.root,
        }
        for workaround in ('natpmp', 'static_port'):
            for key, value in self.module_args(workaround).items():
                if key == 'apply_command':
                    hostvars['%s_%s_apply_command' % (prefix, workaround)] = value
                else:
                    hostvars['%s_%s' % (prefix, key)] = value
        return hostvars

    # observation ---------------------------------------------------------------------------
    def config_bytes(self):
        with open(self.config_path, 'rb') as handle:
            return handle.read()

    def journal(self):
        path = self.path('journal.jsonl')
        if not os.path.exists(path):
            return []
        with open(path) as handle:
            return [json.loads(line) for line in handle if line.strip()]

    def backups(self):
        if not os.path.isdir(self.backup_dir):
            return []
        return sorted(os.listdir(self.backup_dir))

    def snapshot(self):
        """What a write would change: config digest, backups, journal length."""
        return {
            'config_sha256': hashlib.sha256(self.config_bytes()).hexdigest(),
            'backups': self.backups(),
            'journal': len(self.journal()),
        }

    def miniupnpd_conf(self):
        path = self.path('var', 'etc', 'miniupnpd.conf')
        if not os.path.exists(path):
            return None
        with open(path) as handle:
            return handle.read()

    # faults --------------------------------------------------------------------------------
    def inject(self, fault, count=1, action='any', message=None):
        """Make the next ``count`` apply runs (of ``action``) fail.

        ``apply_fail``: the apply command exits 1 (as filter_configure or
        configctl do when the ruleset cannot load); ``config_unreadable``: the
        apply cannot parse config.xml; ``config_corrupt``: config.xml itself is
        replaced by invalid XML (what a module must refuse to touch);
        ``config_missing``: config.xml is removed; ``apply_hang``: the apply (and a
        child it starts) sleeps for an hour, their pids in var/run/hang.pids;
        ``concurrent_write``: while the apply runs, another writer changes
        config.xml (adds an alias ``other_admin``), then the apply fails.
        """
        if fault == 'config_corrupt':
            with open(self.config_path, 'wb') as handle:
                handle.write(b'<?xml version="1.0"?>\n<pfsense><interfaces><wan>\n')
            return
        if fault == 'config_missing':
            os.unlink(self.config_path)
            return
        if fault not in ('apply_fail', 'config_unreadable', 'apply_hang', 'concurrent_write'):
            raise ValueError('unknown fake box fault %r' % fault)
        path = self.path('faults.json')
        faults = {}
        if os.path.exists(path):
            with open(path) as handle:
                faults = json.load(handle)
        faults[fault] = {'remaining': count, 'action': action, 'message': message}
        with open(path, 'w') as handle:
            json.dump(faults, handle)

    def clear_faults(self):
        path = self.path('faults.json')
        if os.path.exists(path):
            os.unlink(path)


def create_box(product, directory, version=None, nat_mode='automatic', interfaces=None, config_text=None):
    """Create a fake ``product`` box in ``directory`` (emptied first) and return it."""
    if product not in ('pfsense', 'opnsense'):
        raise ValueError('unknown product %r' % product)
    if os.path.exists(directory):
        shutil.rmtree(directory)
    os.makedirs(directory)
    version = version or DEFAULT_VERSIONS[product]
    if product == 'pfsense':
        interfaces = interfaces or seeds.PFSENSE_INTERFACES
        config_path = 'cf/conf/config.xml'
        version_file = 'etc/version'
        config = config_text or seeds.pfsense_config(nat_mode, interfaces)
        version_text = version + '\n'
        major = tuple(int(p) for p in version.split('-')[0].split('.')[:2])
        eim = major >= ((25, 11) if major[0] >= 20 else (2, 9))
    else:
        interfaces = interfaces or seeds.OPNSENSE_INTERFACES
        config_path = 'conf/config.xml'
        version_file = 'usr/local/opnsense/version/core'
        config = config_text or seeds.opnsense_config(nat_mode, interfaces)
        # Shape of opnsense/core src/opnsense/version/core.in (subset).
        version_text = json.dumps({'product_id': 'opnsense', 'product_name': 'OPNsense', 'product_version': version,
                                   'product_series': '.'.join(version.split('.')[:2]), 'product_arch': 'amd64'},
                                  indent=4) + '\n'
        eim = False
    meta = {
        'product': product, 'version': version, 'config_path': config_path, 'version_file': version_file,
        'macs': dict((data['if'], data['mac']) for data in interfaces.values()), 'eim': eim,
    }
    for relative, content in ((config_path, config), (version_file, version_text),
                              ('box.json', json.dumps(meta, indent=1, sort_keys=True) + '\n')):
        target = os.path.join(directory, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, 'w') as handle:
            handle.write(content)
    os.makedirs(os.path.join(directory, os.path.dirname(config_path), 'backup'))
    os.makedirs(os.path.join(directory, 'bin'))
    os.makedirs(os.path.join(directory, 'tmp'))
    if product == 'pfsense':
        with open(os.path.join(directory, 'tmp', 'config.cache'), 'w') as handle:
            handle.write('a:0:{}')
    script = os.path.join(directory, 'bin', 'apply')
    with open(APPLY_SOURCE) as source, open(script, 'w') as target:
        target.write('#!%s\n' % sys.executable)
        target.write(source.read())
    os.chmod(script, os.stat(script).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return FakeBox(directory)


def start(product):
    """A fleet factory for ``product``: ``factory(state_dir, name, options) -> FleetMember(hostvars, stop)``.

    Options: ``version`` (product version of the box), ``nat_mode``. An OPNsense box of 26.7 or
    later also gets the source NAT API simulator (tests/simulators/opnsense_api.py), and the
    hostvars carry its URL, key, secret and CA.
    """

    def factory(state_dir, name, options=None):
        options = options or {}
        box = create_box(product, os.path.join(state_dir, name), version=options.get('version'),
                         nat_mode=options.get('nat_mode', 'automatic'))
        hostvars = box.hostvars()
        stops = []
        version = tuple(int(part) for part in box.meta['version'].split('-')[0].split('.')[:2])
        if product == 'opnsense' and version >= (26, 7):
            from ansible_collections.directpath.firewall.tests.simulators.base import CertificateAuthority
            from ansible_collections.directpath.firewall.tests.simulators.opnsense_api import OpnsenseApiSimulator
            # The fleet's CA (state_dir/ca.pem), as every simulator of the run uses.
            authority = CertificateAuthority.load_or_create(state_dir)
            simulator = OpnsenseApiSimulator(os.path.join(state_dir, name + '-api'), authority=authority,
                                             mode=options.get('nat_mode', 'automatic'))
            simulator.start()
            stops.append(simulator.stop)
            hostvars.update({'opnsense_api_url': simulator.url, 'opnsense_api_key': simulator.api_key,
                             'opnsense_api_secret': simulator.api_secret, 'opnsense_ca_path': simulator.ca_path,
                             'opnsense_validate_certs': True,
                             'directpath_sim_url': simulator.url, 'directpath_sim_ca_path': simulator.ca_path})

        def stop():
            for step in stops:
                step()

        try:
            from ansible_collections.directpath.firewall.tests.simulators.fleet import FleetMember
        except ImportError:
            return hostvars, stop
        return FleetMember(hostvars, stop=stop, name=name, vendor=product)

    return factory
