# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: transport. Edit a pfSense/OPNsense ``config.xml`` on the box, the way the product does.

PRIVATE to the directpath.firewall collection: may change at any time.

May import: engine/ and the standard library (plus ansible.module_utils).

Both products keep their whole configuration in one XML file and regenerate
service files from it. A module that runs on the firewall (over Ansible's SSH
connection, as pfsensible.core does) edits that file and then runs the
product's own apply step. This module holds what the two products share:

* reading and parsing the file (an unreadable or invalid file fails with
  ``cause='input'`` before anything is written);
* the write with the product's revision and backup convention, atomically
  (temporary file in the same directory, fsync, rename), see
  :class:`ProductConvention`;
* running the apply commands and, when one fails, restoring the previous bytes
  of ``config.xml`` and applying again so services follow the restored file;
* our own ownership record (``installedpackages/directpath_firewall``): what a
  module switched on, so ``state: absent`` switches off only that.

Only the Python standard library is used: the box has nothing else.
"""

from __future__ import annotations

import os
import pwd
import shlex
import tempfile
import time
import xml.etree.ElementTree as ET

from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError

__all__ = [
    'ConfigXml',
    'ProductConvention',
    'OPNSENSE_CONVENTION',
    'PFSENSE_CONVENTION',
    'RECORD_PATH',
    'apply_with_rollback',
    'child_text',
    'ensure_child',
    'insert_child',
    'read_record',
    'remove_child',
    'run_apply',
    'set_child_text',
    'write_record',
]

# Where our modules remember what they switched on. Both products keep unknown
# children of <installedpackages> when they rewrite config.xml (pfSense
# config.lib.inc write_config serialises its whole $config array; OPNsense
# OPNsense\Core\Config::fromArray does the same), but their UPnP pages replace
# installedpackages/miniupnpd/config wholesale on save (pfSense pkg_edit.php,
# opnsense/plugins net/upnp services_upnp.php), so the record must not live
# inside that element.
RECORD_PATH = 'installedpackages/directpath_firewall'


class ProductConvention(object):
    """How one product writes config.xml: revision entry and backup copy.

    pfSense (pfsense/pfsense src/etc/inc/config.lib.inc ``write_config`` and
    ``backup_config``): the *previous* file is copied to
    ``/cf/conf/backup/config-<previous revision/time>.xml`` first, then
    ``revision`` gets ``time`` (integer seconds), ``description`` ("user: what")
    and ``username``; the cached parse ``/tmp/config.cache`` is removed so PHP
    reads the new file (pfsensible/core plugins/module_utils/pfsense.py
    ``write_config`` does the same).

    OPNsense (opnsense/core src/opnsense/mvc/app/library/OPNsense/Core/Config.php
    ``save``/``backup``/``updateRevision``): the file is rewritten under an
    exclusive ``flock`` and the *new* file is copied to
    ``/conf/backup/config-<time>.xml`` where time is ``microtime(true)`` with two
    decimals, the same value as ``revision/time``.
    """

    def __init__(self, name, backup_new_file, time_format, description_format, short_empty_elements):
        self.name = name
        # pfSense's XML writer emits <a></a>, OPNsense's DOMDocument <a/>.
        self.short_empty_elements = short_empty_elements
        self.backup_new_file = backup_new_file
        self.time_format = time_format
        self.description_format = description_format

    def revision_time(self, now):
        return self.time_format % now


PFSENSE_CONVENTION = ProductConvention('pfsense', backup_new_file=False, time_format='%d',
                                       description_format='%(user)s: %(text)s', short_empty_elements=False)
OPNSENSE_CONVENTION = ProductConvention('opnsense', backup_new_file=True, time_format='%0.2f',
                                        description_format='%(text)s', short_empty_elements=True)


def _login_user():
    """The account name the revision entry names, as pfsensible does (user@ssh-client)."""
    try:
        user = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        user = str(os.getuid())
    user = os.environ.get('SUDO_USER') or user
    client = os.environ.get('SSH_CLIENT')
    if client:
        user = '%s@%s' % (user, client.split()[0])
    return user


def child_text(parent, tag, default=None):
    """Text of ``parent/tag``: '' for an empty element, ``default`` when absent."""
    if parent is None:
        return default
    element = parent.find(tag)
    if element is None:
        return default
    return element.text or ''


def ensure_child(parent, tag, index=None):
    """``parent/tag``, created (indented like its siblings) when absent."""
    element = parent.find(tag)
    if element is None:
        element = ET.Element(tag)
        insert_child(parent, element, index)
    return element


def insert_child(parent, element, index=None):
    """Insert ``element`` into ``parent`` at ``index`` (end when None).

    Indentation is normalised for the whole file when it is serialised
    (:meth:`ConfigXml.serialize`), the way the products write it.
    """
    if index is None:
        parent.append(element)
    else:
        parent.insert(index, element)


def remove_child(parent, element):
    parent.remove(element)


def set_child_text(parent, tag, value):
    """Set ``parent/tag`` to ``value``; ``None`` removes the element."""
    element = parent.find(tag)
    if value is None:
        if element is not None:
            remove_child(parent, element)
        return
    if element is None:
        element = ensure_child(parent, tag)
    element.text = value


class ConfigXml(object):
    """One config.xml: parsed tree, original bytes, product write convention."""

    def __init__(self, path, convention, backup_dir=None, cache_file=None, api_calls=None):
        self.path = path
        self.convention = convention
        self.backup_dir = backup_dir or os.path.join(os.path.dirname(path), 'backup')
        self.cache_file = cache_file
        self.api_calls = api_calls
        self.original = None
        self.root = None
        self.written_backup = None

    def load(self):
        """Read and parse the file; fail with cause 'input' when it cannot be used."""
        try:
            with open(self.path, 'rb') as handle:
                self.original = handle.read()
        except (IOError, OSError) as error:
            raise DirectPathError('cannot read %s: %s' % (self.path, error.strerror or error), cause='input')
        if self.api_calls is not None:
            self.api_calls.read()
        try:
            parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
            parser.feed(self.original)
            self.root = parser.close()
        except ET.ParseError as error:
            raise DirectPathError('%s is not valid XML (%s); nothing was changed' % (self.path, error), cause='input')
        if self.root.tag not in ('pfsense', 'opnsense'):
            raise DirectPathError('%s has root element <%s>, not a pfSense/OPNsense configuration' % (self.path, self.root.tag),
                                  cause='input')
        return self.root

    def find(self, path):
        return self.root.find(path)

    def ensure(self, path):
        """The element at ``path`` (slash separated), creating missing levels."""
        element = self.root
        for tag in path.split('/'):
            element = ensure_child(element, tag)
        return element

    def serialize(self):
        # Both products write one element per line, indented by one unit per
        # level (pfSense: a tab, OPNsense: two spaces); detect the unit from the
        # file and re-indent, which leaves consistently indented parts as they were.
        first = (self.root.text or '\n\t').lstrip('\n')
        unit = '\t' if not first or first.startswith('\t') else first
        ET.indent(self.root, space=unit)
        body = ET.tostring(self.root, encoding='unicode', short_empty_elements=self.convention.short_empty_elements)
        if self.convention.short_empty_elements:
            # ElementTree writes "<a />"; '>' in text and attributes is escaped, so this touches tags only.
            body = body.replace(' />', '/>')
        return ('<?xml version="1.0"?>\n' + body + '\n').encode('utf-8')

    def _update_revision(self, description, now):
        revision = self.ensure('revision')
        user = _login_user()
        text = self.convention.description_format % {'user': user, 'text': description}
        set_child_text(revision, 'time', self.convention.revision_time(now))
        set_child_text(revision, 'description', text)
        set_child_text(revision, 'username', user)

    def _backup(self, content, stamp):
        os.makedirs(self.backup_dir, mode=0o750, exist_ok=True)
        target = os.path.join(self.backup_dir, 'config-%s.xml' % stamp)
        if os.path.exists(target) and self.convention.backup_new_file:
            target = os.path.join(self.backup_dir, 'config-%s_%d.xml' % (stamp, time.monotonic_ns()))
        _atomic_write(target, content, 0o640)
        return target

    def save(self, description):
        """Write the edited tree with a revision entry and the product's backup copy."""
        now = time.time()
        if not self.convention.backup_new_file:
            # pfSense: copy of the previous file, named by its revision time.
            previous = child_text(self.find('revision'), 'time') or '0'
            self.written_backup = self._backup(self.original, previous)
        self._update_revision(description, now)
        content = self.serialize()
        _atomic_write(self.path, content, _mode_of(self.path, 0o644), lock=self.convention.backup_new_file)
        if self.api_calls is not None:
            self.api_calls.write()
        if self.convention.backup_new_file:
            # OPNsense: copy of the new file, named by the new revision time.
            self.written_backup = self._backup(content, self.convention.revision_time(now))
        self._drop_cache()
        return content

    def restore(self):
        """Put the original bytes back; returns True when the file is byte-identical again."""
        try:
            _atomic_write(self.path, self.original, _mode_of(self.path, 0o644), lock=self.convention.backup_new_file)
            if self.convention.backup_new_file and self.written_backup and os.path.exists(self.written_backup):
                # The OPNsense backup names a configuration that never became active.
                os.unlink(self.written_backup)
            self._drop_cache()
            with open(self.path, 'rb') as handle:
                return handle.read() == self.original
        except (IOError, OSError):
            return False

    def _drop_cache(self):
        if self.cache_file:
            try:
                os.unlink(self.cache_file)
            except OSError:
                pass


def _mode_of(path, default):
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        return default


def _atomic_write(path, content, mode, lock=False):
    directory = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(prefix='.directpath-', dir=directory)
    try:
        with os.fdopen(handle, 'wb') as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        if lock and os.path.exists(path):
            import fcntl
            with open(path, 'rb') as current:
                # OPNsense writers take LOCK_EX on config.xml; wait for them.
                fcntl.flock(current.fileno(), fcntl.LOCK_EX)
                os.replace(temp, path)
                fcntl.flock(current.fileno(), fcntl.LOCK_UN)
        else:
            os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def run_apply(module, commands, api_calls=None):
    """Run each apply command in order; return (ok, message of the first failure)."""
    for command in commands:
        argv = shlex.split(command)
        if not argv:
            continue
        if api_calls is not None:
            api_calls.write()
        try:
            rc, out, err = module.run_command(argv)
        except Exception as error:  # pylint: disable=broad-except
            return False, '%s: %s' % (argv[0], error)
        if rc != 0:
            detail = (err or out or '').strip().splitlines()
            return False, '%s exited %s: %s' % (argv[0], rc, detail[-1] if detail else 'no output')
    return True, None


def apply_with_rollback(module, config, description, commands, api_calls=None):
    """Save ``config`` and run ``commands``; on failure restore the previous file and re-apply it.

    Raises DirectPathError(cause='commit') when the apply failed; its
    ``device_unchanged`` says whether config.xml is byte-identical to before and
    the services were re-applied from it.
    """
    try:
        config.save(description)
    except (IOError, OSError) as error:
        restored = config.restore()
        raise DirectPathError('writing %s failed (%s); %s' % (
            config.path, error, 'the previous file is in place' if restored else 'RESTORE FAILED: check the file'),
            cause='commit', device_unchanged=restored)
    ok, failure = run_apply(module, commands, api_calls)
    if ok:
        return
    restored = config.restore()
    reapplied = False
    if restored:
        reapplied, dummy = run_apply(module, commands, api_calls)
    if restored and reapplied:
        tail = 'the previous config.xml was restored and applied again; nothing changed'
    elif restored:
        tail = ('the previous config.xml was restored, but applying it again failed too: services may still run '
                'with the new settings until the next apply or reboot')
    else:
        tail = 'restoring the previous config.xml FAILED: check %s and the backups in %s' % (config.path, config.backup_dir)
    raise DirectPathError('apply failed (%s); %s' % (failure, tail), cause='commit', device_unchanged=restored and reapplied)


def read_record(config, workaround):
    """Our ownership record for ``workaround`` as {name: [values]} (empty when none)."""
    node = config.find('%s/%s' % (RECORD_PATH, workaround))
    record = {}
    if node is None:
        return record
    for child in node:
        record.setdefault(child.tag, []).append(child.text or '')
    return record


def write_record(config, workaround, record):
    """Replace our record for ``workaround``; an empty record removes it (and an empty parent)."""
    parent = config.find(RECORD_PATH)
    if parent is not None:
        old = parent.find(workaround)
        if old is not None:
            remove_child(parent, old)
    if not any(record.values()):
        if parent is not None and not len(parent):
            remove_child(config.find('installedpackages'), parent)
        return
    parent = config.ensure(RECORD_PATH)
    node = ET.Element(workaround)
    for name in sorted(record):
        for value in record[name]:
            ET.SubElement(node, name).text = value
    insert_child(parent, node)
