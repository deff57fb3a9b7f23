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

* the product's configuration lock, held around the whole read, modify, write
  and apply (:meth:`ConfigXml.locked`), so two writers never lose each other's
  change;
* reading and parsing the file (an unreadable or invalid file, or one with a
  DOCTYPE, fails with ``cause='input'`` before anything is written), keeping
  CDATA sections: pfSense stores text fields as CDATA holding HTML-entity
  encoded text and decodes them on read, so a field we do not own must be
  written back exactly as it was;
* the write with the product's revision and backup convention
  (:class:`ProductConvention`): pfSense atomically (temporary file, fsync,
  rename, fsync of the directory), OPNsense in place under its own lock as
  ``OPNsense\\Core\\Config::save`` does, so an OPNsense writer waiting for the
  lock reads our file;
* running the apply commands with a timeout (the whole process group is
  killed on expiry) and, when one fails, restoring the previous bytes of
  ``config.xml`` (only when the file is still what we wrote) and applying again;
* our own ownership record (``installedpackages/directpath_firewall``): what a
  module added, so ``state: absent`` removes only that.

Only the Python standard library is used: the box has nothing else.
"""

from __future__ import annotations

import errno
import fcntl
import os
import pwd
import re
import shlex
import signal
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from xml.parsers import expat

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
    'login_user',
    'parse_config',
    'php_serialize',
    'php_unserialize',
    'read_record',
    'remove_child',
    'run_apply',
    'set_child_text',
    'write_record',
]

# Where our modules remember what they added. Both products keep unknown
# children of <installedpackages> when they rewrite config.xml (pfSense
# config.lib.inc write_config serialises its whole $config array; OPNsense
# OPNsense\Core\Config::fromArray does the same), but their UPnP pages replace
# installedpackages/miniupnpd/config wholesale on save (pfSense pkg_edit.php,
# opnsense/plugins net/upnp services_upnp.php), so the record must not live
# inside that element.
#
# Each recorded list is ONE element holding the values joined by commas (as
# pfSense stores iface_array): pfSense's parser (src/etc/inc/xmlparse.inc
# startElement) refuses any repeated element whose name is not in listtags(),
# and none of our names is, so a repeated element would make pfSense reject the
# whole file. No recorded value contains a comma (ACL lines, interface names and
# NAT modes are validated before they are recorded).
RECORD_PATH = 'installedpackages/directpath_firewall'
RECORD_SEPARATOR = ','


class ProductConvention(object):
    """How one product writes config.xml: revision entry, backup copy, lock and write style.

    pfSense (pfsense/pfsense src/etc/inc/config.lib.inc ``write_config`` and
    ``backup_config``): under ``lock('config', LOCK_EX)`` (src/etc/inc/util.inc
    ``lock()``: ``flock`` on ``/tmp/config.lock``) the *previous* file is copied
    to ``/cf/conf/backup/config-<previous revision time>.xml`` first, then
    ``revision`` gets ``time`` (integer seconds), ``description`` ("user: what")
    and ``username``; the cached parse ``/tmp/config.cache`` is removed so PHP
    reads the new file (pfsensible/core plugins/module_utils/pfsense.py
    ``write_config`` does the same).

    OPNsense (opnsense/core src/opnsense/mvc/app/library/OPNsense/Core/Config.php
    ``lock``/``save``/``backup``/``updateRevision``): the lock is ``flock`` on
    config.xml itself, and ``save`` rewrites the file *in place* (truncate and
    write through the locked handle); a backup copy
    ``/conf/backup/config-<time>.xml`` is kept where time is ``microtime(true)``
    as PHP prints a float (14 significant digits), the same value as
    ``revision/time``.
    """

    def __init__(self, name: str, backup_new_file: bool, description_format: str, short_empty_elements: bool,
                 write_in_place: bool) -> None:
        self.name = name
        # pfSense's XML writer emits <a></a>, OPNsense's DOMDocument <a/>.
        self.short_empty_elements = short_empty_elements
        self.backup_new_file = backup_new_file
        self.description_format = description_format
        self.write_in_place = write_in_place

    def revision_time(self, now: float) -> str:
        if self.name == 'pfsense':
            return '%d' % now
        # PHP's float to string conversion (precision=14), as OPNsense stores microtime(true).
        return '%.14G' % now


PFSENSE_CONVENTION = ProductConvention('pfsense', backup_new_file=False, description_format='%(user)s: %(text)s',
                                       short_empty_elements=False, write_in_place=False)
OPNSENSE_CONVENTION = ProductConvention('opnsense', backup_new_file=True, description_format='%(text)s',
                                        short_empty_elements=True, write_in_place=True)


def login_user() -> str:
    """The account that makes our change, as pfsensible names it (user@ssh-client).

    The one source of the user name in a revision entry and in a rule's
    created/updated stamps.
    """
    try:
        user = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        user = str(os.getuid())
    user = os.environ.get('SUDO_USER') or user
    client = os.environ.get('SSH_CLIENT')
    if client:
        user = '%s@%s' % (user, client.split()[0])
    return user


def child_text(parent, tag: str, default=None):
    """Text of ``parent/tag``: '' for an empty element, ``default`` when absent."""
    if parent is None:
        return default
    element = parent.find(tag)
    if element is None:
        return default
    return element.text or ''


def ensure_child(parent, tag: str, index: int | None = None):
    """``parent/tag``, created when absent."""
    element = parent.find(tag)
    if element is None:
        element = ET.Element(tag)
        insert_child(parent, element, index)
    return element


def insert_child(parent, element, index: int | None = None) -> None:
    """Insert ``element`` into ``parent`` at ``index`` (end when None).

    Indentation is normalised for the whole file when it is serialised
    (:meth:`ConfigXml.serialize`), the way the products write it.
    """
    if index is None:
        parent.append(element)
    else:
        parent.insert(index, element)


def remove_child(parent, element) -> None:
    parent.remove(element)


def set_child_text(parent, tag: str, value) -> None:
    """Set ``parent/tag`` to ``value``; ``None`` removes the element."""
    element = parent.find(tag)
    if value is None:
        if element is not None:
            remove_child(parent, element)
        return
    if element is None:
        element = ensure_child(parent, tag)
    element.text = value


def parse_config(data: bytes):
    """Parse config.xml bytes into an ElementTree root; return (root, {element: CDATA text}).

    expat is driven directly so CDATA sections are known (ElementTree folds them
    into plain text). A DOCTYPE (and with it any entity declaration) is refused:
    neither product writes one.
    """
    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    stack = []
    holder = {}
    cdata = {}
    state = {'in_cdata': False}

    def start(tag, attributes):
        element = ET.Element(tag, dict(zip(attributes[0::2], attributes[1::2])))
        if stack:
            stack[-1].append(element)
        else:
            holder['root'] = element
        stack.append(element)

    def end(tag):
        stack.pop()

    def characters(data):
        if not stack:
            return
        parent = stack[-1]
        if state['in_cdata']:
            cdata[parent] = (cdata.get(parent) or '') + data
        if len(parent):
            parent[-1].tail = (parent[-1].tail or '') + data
        else:
            parent.text = (parent.text or '') + data

    def comment(text):
        if stack:
            stack[-1].append(ET.Comment(text))

    def refuse_doctype(*args):
        raise ValueError('a DOCTYPE is not allowed in config.xml')

    def start_cdata():
        state['in_cdata'] = True

    def end_cdata():
        state['in_cdata'] = False

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.CommentHandler = comment
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.StartCdataSectionHandler = start_cdata
    parser.EndCdataSectionHandler = end_cdata
    parser.Parse(data, True)
    return holder['root'], cdata


class ConfigXml(object):
    """One config.xml: parsed tree, original bytes, product write convention, lock."""

    def __init__(self, path: str, convention: ProductConvention, backup_dir: str | None = None,
                 cache_file: str | None = None, api_calls=None, lock_path: str | None = None,
                 lock_timeout: float = 60) -> None:
        self.path = path
        self.convention = convention
        self.backup_dir = backup_dir or os.path.join(os.path.dirname(path), 'backup')
        self.cache_file = cache_file
        self.api_calls = api_calls
        # pfSense: a separate lock file; OPNsense: config.xml itself.
        self.lock_path = lock_path or path
        self.lock_timeout = lock_timeout
        self.original = None
        self.root = None
        self.cdata = {}
        self.written = None
        self.written_backup = None
        self._lock_handle = None

    # ---- the product's lock ---------------------------------------------------------------
    def acquire(self, exclusive: bool = True) -> None:
        """Take the product's configuration lock, waiting up to ``lock_timeout`` seconds."""
        if self._lock_handle is not None:
            return
        try:
            if self.lock_path == self.path:
                handle = open(self.path, 'r+b' if exclusive else 'rb')
            else:
                handle = open(self.lock_path, 'a+b')
        except (IOError, OSError) as error:
            raise DirectPathError('cannot open %s to take the configuration lock: %s' % (self.lock_path, error.strerror or error),
                                  cause='input')
        deadline = time.monotonic() + max(0, self.lock_timeout)
        operation = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        while True:
            try:
                fcntl.flock(handle.fileno(), operation)
                break
            except (IOError, OSError) as error:
                if error.errno not in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
                    handle.close()
                    raise DirectPathError('cannot lock %s: %s' % (self.lock_path, error), cause='lock')
                if time.monotonic() >= deadline:
                    handle.close()
                    raise DirectPathError('the configuration lock (%s) is held by another writer (the web interface, '
                                          'another module run or a script) and was not released within %s s; nothing '
                                          'was changed, try again' % (self.lock_path, self.lock_timeout), cause='lock')
                time.sleep(0.05)
        self._lock_handle = handle

    def release(self) -> None:
        if self._lock_handle is not None:
            try:
                fcntl.flock(self._lock_handle.fileno(), fcntl.LOCK_UN)
            finally:
                self._lock_handle.close()
                self._lock_handle = None

    def locked(self, exclusive: bool = True):
        """Context manager: the lock held around a whole read-modify-write-apply."""
        config = self

        class _Locked(object):
            def __enter__(self):
                config.acquire(exclusive)
                return config

            def __exit__(self, *exc_info):
                config.release()
                return False

        return _Locked()

    # ---- read ------------------------------------------------------------------------------
    def load(self):
        """Read and parse the file; fail with cause 'input' when it cannot be used."""
        try:
            if self._lock_handle is not None and self.lock_path == self.path:
                self._lock_handle.seek(0)
                self.original = self._lock_handle.read()
            else:
                with open(self.path, 'rb') as handle:
                    self.original = handle.read()
        except (IOError, OSError) as error:
            raise DirectPathError('cannot read %s: %s' % (self.path, error.strerror or error), cause='input')
        if self.api_calls is not None:
            self.api_calls.read()
        try:
            self.root, self.cdata = parse_config(self.original)
        except (expat.ExpatError, ValueError) as error:
            raise DirectPathError('%s is not valid XML (%s); nothing was changed' % (self.path, error), cause='input')
        if self.root.tag not in ('pfsense', 'opnsense'):
            raise DirectPathError('%s has root element <%s>, not a pfSense/OPNsense configuration' % (self.path, self.root.tag),
                                  cause='input')
        return self.root

    def find(self, path: str):
        return self.root.find(path)

    def ensure(self, path: str):
        """The element at ``path`` (slash separated), creating missing levels."""
        element = self.root
        for tag in path.split('/'):
            element = ensure_child(element, tag)
        return element

    def prune_empty(self, path: str) -> None:
        """Remove the element at ``path``, then its ancestors, while they are empty and we created them.

        An element the file held when it was read is left, empty or not.
        """
        before, dummy = parse_config(self.original) if self.original else (None, None)
        parts = path.split('/')
        while parts:
            joined = '/'.join(parts)
            element = self.root.find(joined)
            parent = self.root.find('/'.join(parts[:-1])) if len(parts) > 1 else self.root
            if element is None or len(element) or (element.text or '').strip():
                return
            if before is not None and before.find(joined) is not None:
                return
            remove_child(parent, element)
            parts.pop()

    def missing_levels(self, path: str) -> list:
        """The prefixes of ``path`` (shortest first) that the tree does not hold yet."""
        parts = path.split('/')
        prefixes = ['/'.join(parts[:index]) for index in range(1, len(parts) + 1)]
        return [prefix for prefix in prefixes if self.root.find(prefix) is None]

    def remove_created(self, paths: list) -> None:
        """Remove each of ``paths`` (sections we created, deepest first) that is left empty."""
        for path in sorted(paths, key=lambda item: -item.count('/')):
            element = self.root.find(path)
            parent = self.root.find(path.rsplit('/', 1)[0]) if '/' in path else self.root
            if element is not None and not len(element) and not (element.text or '').strip():
                remove_child(parent, element)

    def interfaces(self) -> list:
        """The interface names the configuration defines (children of <interfaces>)."""
        node = self.find('interfaces')
        return [] if node is None else [child.tag for child in node if isinstance(child.tag, str)]

    # ---- write -----------------------------------------------------------------------------
    def serialize(self) -> bytes:
        # Both products write one element per line, indented by one unit per
        # level (pfSense: a tab, OPNsense: two spaces); detect the unit from the
        # file and re-indent, which leaves consistently indented parts as they were.
        first = (self.root.text or '\n\t').lstrip('\n')
        unit = '\t' if not first or first.startswith('\t') else first
        ET.indent(self.root, space=unit)
        # CDATA sections whose text we did not change are written back as CDATA with
        # the same content, so the product decodes the same value as before.
        placeholders = {}
        for element, text in self.cdata.items():
            if element.text == text and text:
                token = '\x01directpath-cdata-%d\x01' % len(placeholders)
                placeholders[token] = text
                element.text = token
        try:
            body = ET.tostring(self.root, encoding='unicode', short_empty_elements=self.convention.short_empty_elements)
        finally:
            for token, text in placeholders.items():
                for element in self.cdata:
                    if element.text == token:
                        element.text = text
        for token, text in placeholders.items():
            body = body.replace(token, '<![CDATA[%s]]>' % text.replace(']]>', ']]]]><![CDATA[>'), 1)
        if self.convention.short_empty_elements:
            # ElementTree writes "<a />"; '>' in text and attributes is escaped, so this touches tags only.
            body = body.replace(' />', '/>')
        return ('<?xml version="1.0"?>\n' + body + '\n').encode('utf-8')

    def _update_revision(self, description: str, now: float) -> None:
        revision = self.ensure('revision')
        user = login_user()
        text = self.convention.description_format % {'user': user, 'text': description}
        set_child_text(revision, 'time', self.convention.revision_time(now))
        set_child_text(revision, 'description', text)
        set_child_text(revision, 'username', user)

    def _backup(self, content: bytes, stamp: str) -> str:
        os.makedirs(self.backup_dir, mode=0o750, exist_ok=True)
        target = os.path.join(self.backup_dir, 'config-%s.xml' % stamp)
        if os.path.exists(target) and self.convention.backup_new_file:
            target = os.path.join(self.backup_dir, 'config-%s_%d.xml' % (stamp, time.monotonic_ns()))
        _atomic_write(target, content, 0o640)
        return target

    def _update_backup_cache(self, stamp: str) -> None:
        """pfSense backup_config(): backup/backup.cache, a PHP-serialised array revision time ->
        {description, version, filesize}, read by the Config History page (an unreadable cache starts afresh,
        as PHP's unserialize() failing does)."""
        path = os.path.join(self.backup_dir, 'backup.cache')
        cache = {}
        try:
            with open(path, 'rb') as handle:
                loaded = php_unserialize(handle.read())
            if isinstance(loaded, dict):
                cache = loaded
        except (IOError, OSError, ValueError):
            cache = {}
        key = int(stamp) if re.match(r'^-?[0-9]+$', stamp) else stamp
        cache[key] = {
            'description': child_text(self.find('revision'), 'description') or 'Unknown',
            'version': child_text(self.root, 'version') or '?',
            'filesize': os.path.getsize(self.written_backup),
        }
        _atomic_write(path, php_serialize(cache), 0o640)

    def _write_file(self, content: bytes) -> None:
        if self.convention.write_in_place and self._lock_handle is not None and self.lock_path == self.path:
            # OPNsense Config::save: truncate and write through the locked handle. A full copy is
            # written next to it first, so a full or read-only file system fails before the file is touched.
            _atomic_write(os.path.join(os.path.dirname(os.path.abspath(self.path)), '.directpath-space-check'),
                          content, 0o600)
            os.unlink(os.path.join(os.path.dirname(os.path.abspath(self.path)), '.directpath-space-check'))
            handle = self._lock_handle
            handle.seek(0)
            handle.truncate(0)
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        else:
            _atomic_write(self.path, content, _mode_of(self.path, 0o644))

    def save(self, description: str) -> bytes:
        """Write the edited tree with a revision entry and the product's backup copy.

        ``self.written`` holds the bytes once the file itself was written (None
        while nothing reached the file).
        """
        now = time.time()
        if not self.convention.backup_new_file:
            # pfSense backup_config(): copy of the previous file, named by its revision time, listed in backup.cache.
            previous = child_text(self.find('revision'), 'time') or '0'
            self.written_backup = self._backup(self.original, previous)
            self._update_backup_cache(previous)
        self._update_revision(description, now)
        content = self.serialize()
        try:
            self._write_file(content)
        except BaseException:
            if self.convention.write_in_place and self._current_bytes() != self.original:
                # A partial in-place write: the file now differs from both.
                self.written = b''
            raise
        self.written = content
        if self.api_calls is not None:
            self.api_calls.write()
        if self.convention.backup_new_file:
            # OPNsense: copy of the new file, named by the new revision time.
            self.written_backup = self._backup(content, self.convention.revision_time(now))
        self._drop_cache()
        return content

    def _current_bytes(self):
        try:
            with open(self.path, 'rb') as handle:
                return handle.read()
        except (IOError, OSError):
            return None

    def restore(self) -> tuple:
        """Put the original bytes back when the file still holds what we wrote.

        Returns ``(restored, reason)``: ``restored`` is True when the file is
        byte-identical to before; ``reason`` says why not.
        """
        current = self._current_bytes()
        if current == self.original:
            return True, None
        if self.written is None:
            return False, 'config.xml differs from what we read, but we never wrote it'
        if self.written and current != self.written:
            return False, ('config.xml was changed by another writer after our write; it was left as it is, so that '
                           'change is not lost')
        try:
            self._write_file(self.original)
            if self.convention.backup_new_file and self.written_backup and os.path.exists(self.written_backup):
                # The OPNsense backup names a configuration that never became active.
                os.unlink(self.written_backup)
            self._drop_cache()
        except (IOError, OSError) as error:
            return False, 'writing the previous file back failed (%s)' % error
        if self._current_bytes() == self.original:
            self.written = None
            return True, None
        return False, 'the previous file could not be read back identically'

    def _drop_cache(self) -> None:
        if self.cache_file:
            try:
                os.unlink(self.cache_file)
            except OSError:
                pass


def php_serialize(value) -> bytes:
    """PHP's serialize() for what backup.cache holds: dicts (arrays), str, int."""
    if isinstance(value, bool):
        return b'b:%d;' % int(value)
    if isinstance(value, int):
        return b'i:%d;' % value
    if isinstance(value, str):
        data = value.encode('utf-8')
        return b's:%d:"' % len(data) + data + b'";'
    if isinstance(value, dict):
        return b'a:%d:{' % len(value) + b''.join(php_serialize(key) + php_serialize(item) for key, item in value.items()) + b'}'
    raise ValueError('cannot serialise %r' % (value,))


def php_unserialize(data: bytes):
    """The inverse of :func:`php_serialize` (arrays, strings, integers, booleans, null); ValueError otherwise."""
    def parse(position):
        kind = data[position:position + 2]
        if kind == b'N;':
            return None, position + 2
        end = data.index(b';' if kind in (b'i:', b'b:') else b':', position + 2)
        if kind == b'i:':
            return int(data[position + 2:end]), end + 1
        if kind == b'b:':
            return data[position + 2:end] == b'1', end + 1
        if kind == b's:':
            length = int(data[position + 2:end])
            start = end + 2
            if data[end + 1:start] != b'"' or data[start + length:start + length + 2] != b'";':
                raise ValueError('bad string at %d' % position)
            return data[start:start + length].decode('utf-8', 'replace'), start + length + 2
        if kind == b'a:':
            count = int(data[position + 2:end])
            position = end + 2
            result = {}
            for dummy in range(count):
                key, position = parse(position)
                item, position = parse(position)
                result[key] = item
            if data[position:position + 1] != b'}':
                raise ValueError('bad array end at %d' % position)
            return result, position + 1
        raise ValueError('unsupported PHP serialisation at %d' % position)

    try:
        value, position = parse(0)
    except (IndexError, TypeError) as error:
        raise ValueError('truncated PHP serialisation (%s)' % error)
    return value


def _mode_of(path, default):
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        return default


def _fsync_directory(directory):
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _atomic_write(path, content, mode):
    """Temporary file in the same directory, fsync, rename, fsync of the directory."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(prefix='.directpath-', dir=directory)
    try:
        with os.fdopen(handle, 'wb') as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    _fsync_directory(directory)


def run_apply(commands: list, api_calls=None, timeout: float = 300) -> tuple:
    """Run each apply command in order; return (ok, message of the first failure).

    Each command runs in its own session (process group); when it runs longer
    than ``timeout`` seconds the whole group is killed, so nothing it started
    keeps running.
    """
    for command in commands:
        argv = shlex.split(command)
        if not argv:
            continue
        if api_calls is not None:
            api_calls.write()
        try:
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       start_new_session=True)
        except (IOError, OSError) as error:
            return False, '%s: %s' % (argv[0], error.strerror or error)
        previous = _kill_group_on_signals(process)
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            return False, '%s did not finish within apply_timeout (%s s); its process group was killed' % (argv[0], timeout)
        except _Stopped as stopped:
            _kill_group(process)
            return False, '%s was stopped because the module received signal %s; its process group was killed' % (
                argv[0], stopped.args[0])
        except BaseException:
            _kill_group(process)
            raise
        finally:
            _restore_signals(previous)
        if process.returncode != 0:
            detail = (err or out or b'').decode('utf-8', 'replace').strip().splitlines()
            return False, '%s exited %s: %s' % (argv[0], process.returncode, detail[-1] if detail else 'no output')
    return True, None


# When the module itself is told to stop (the play is interrupted, the SSH connection drops), the
# apply's process group is killed instead of running on orphaned, and the apply counts as failed:
# the previous config.xml is restored and applied again before the module exits.
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


class _Stopped(Exception):
    pass


def _kill_group_on_signals(process):
    previous = {}

    def stop(signum, frame):
        raise _Stopped(signum)

    for signum in _STOP_SIGNALS:
        try:
            previous[signum] = signal.signal(signum, stop)
        except (ValueError, OSError):
            # Not the main thread: signals stay as they are.
            pass
    return previous


def _restore_signals(previous):
    for signum, handler in previous.items():
        try:
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        except (ValueError, OSError):
            pass
    previous.clear()


def _kill_group(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        process.communicate(timeout=10)
    except (subprocess.TimeoutExpired, OSError, ValueError):
        pass


def apply_with_rollback(config: ConfigXml, description: str, commands: list, api_calls=None,
                        timeout: float = 300) -> None:
    """Save ``config`` and run ``commands``; on failure restore the previous file and re-apply it.

    Raises DirectPathError(cause='commit') when writing or applying failed; its
    ``device_unchanged`` says whether config.xml is byte-identical to before and
    the services were re-applied from it. Call it with the lock held.
    """
    try:
        config.save(description)
    except (IOError, OSError) as error:
        if config.written is None and config._current_bytes() == config.original:
            raise DirectPathError('writing %s failed (%s); nothing was written, the file is as it was' % (
                config.path, error.strerror or error), cause='commit', device_unchanged=True)
        restored, reason = config.restore()
        raise DirectPathError('writing %s failed (%s); %s' % (
            config.path, error.strerror or error,
            'the previous file is in place' if restored else 'RESTORE FAILED (%s): check the file' % reason),
            cause='commit', device_unchanged=restored)
    ok, failure = run_apply(commands, api_calls, timeout)
    if ok:
        return
    restored, reason = config.restore()
    reapplied = False
    if restored:
        reapplied, dummy = run_apply(commands, api_calls, timeout)
    if restored and reapplied:
        tail = 'the previous config.xml was restored and applied again; nothing changed'
    elif restored:
        tail = ('the previous config.xml was restored, but applying it again failed too: services may still run '
                'with the new settings until the next apply or reboot')
    else:
        tail = 'the previous config.xml was NOT restored: %s. Check %s and the backups in %s' % (
            reason, config.path, config.backup_dir)
    raise DirectPathError('apply failed (%s); %s' % (failure, tail), cause='commit', device_unchanged=restored and reapplied)


def read_record(config: ConfigXml, workaround: str) -> dict:
    """Our ownership record for ``workaround`` as {name: [values]} (empty when none).

    Reads the one-element-per-list form (values joined by commas) and, from
    earlier releases, repeated elements.
    """
    node = config.find('%s/%s' % (RECORD_PATH, workaround))
    record = {}
    if node is None:
        return record
    for child in node:
        if not isinstance(child.tag, str):
            continue
        values = [value for value in (child.text or '').split(RECORD_SEPARATOR) if value]
        record.setdefault(child.tag, []).extend(values)
    return record


def write_record(config: ConfigXml, workaround: str, record: dict) -> None:
    """Replace our record for ``workaround``; an empty record removes it (and the parents we created).

    When the record's container needs an ``installedpackages`` the file did not
    have, the container says so (``created_section``), so the last removal takes
    that away too.
    """
    container_parent = RECORD_PATH.rsplit('/', 1)[0]
    parent = config.find(RECORD_PATH)
    if parent is not None:
        old = parent.find(workaround)
        if old is not None:
            remove_child(parent, old)
    if not any(record.values()):
        if parent is not None and not [child for child in parent if child.tag != 'created_section']:
            created = (parent.findtext('created_section') or '').split(RECORD_SEPARATOR)
            remove_child(config.find(container_parent), parent)
            config.remove_created([path for path in created if path])
        return
    if parent is None:
        created = config.missing_levels(container_parent)
        parent = config.ensure(RECORD_PATH)
        if created:
            ET.SubElement(parent, 'created_section').text = RECORD_SEPARATOR.join(created)
    node = ET.Element(workaround)
    for name in sorted(record):
        values = [str(value) for value in record[name]]
        if not values:
            continue
        for value in values:
            if RECORD_SEPARATOR in value:
                raise DirectPathError('internal: record value %r contains %r' % (value, RECORD_SEPARATOR), cause='internal')
        ET.SubElement(node, name).text = RECORD_SEPARATOR.join(values)
    insert_child(parent, node)
