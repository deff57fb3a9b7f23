# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: clients. PAN-OS XML API client on pan-os-python (transport) for directpath.firewall.

PRIVATE to the directpath.firewall collection: may change at any time.

May import: engine/, transport/, other clients/ files, and the vendor's own Python library.

pan-os-python carries the transport: key generation, ``show system info``,
config get/show/edit, the config lock, commit and job polling, and its
exception classification. Two things it does not do are added here:

* TLS verification. ``PanDevice.generate_xapi()`` builds ``pan.xapi.PanXapi``
  without an ``ssl_context``, and pan.xapi then uses
  ``ssl._create_unverified_context()`` (pan/xapi.py ``__api_request``). We pass a
  verifying context (system CAs or ``ca_path``) unless the user turns it off.
* Reading the persistent translation type. ``panos.policies.NatRule`` only knows
  ``dynamic-ip-and-port``, ``dynamic-ip`` and ``static-ip`` as
  ``source_translation_type`` (panos/policies.py, NatRule._setup), so a rule that
  uses ``persistent-dynamic-ip-and-port`` reads back without its translation and
  a module built on NatRule would never see its own change. We therefore read
  and edit the rule's XML at its xpath through the library's XML API layer
  (``Firewall.xapi``), see docs/vendors/panos.md.
"""

from __future__ import annotations

import re
import ssl
import time
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape as xml_escape

from ansible.module_utils.basic import env_fallback

from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError

try:
    from panos import errors as pan_errors
    from panos.base import PanDevice
    from panos.firewall import Firewall, FirewallCommit
except ImportError:  # pragma: no cover  (reported by the module with missing_required_lib)
    HAS_PANOS = False
    Firewall = object  # pylint: disable=invalid-name
    FirewallCommit = None  # pylint: disable=invalid-name
    PanDevice = None
else:
    HAS_PANOS = True

__all__ = [
    'HAS_PANOS',
    'PANOS_CONNECTION_SPEC',
    'PanosClient',
    'TRANSLATION_TYPES',
    'parse_version',
    'xpath_literal',
]

# Source translation types a NAT rule can carry (PAN-OS NAT policy "Translation Type").
# 'persistent-dynamic-ip-and-port' exists from PAN-OS 11.1.1 (PAN-OS 11.1 Admin Guide,
# "Create a Source NAT Rule with Persistent DIPP").
TRANSLATION_TYPES = ('dynamic-ip-and-port', 'persistent-dynamic-ip-and-port', 'dynamic-ip', 'static-ip')

PANOS_CONNECTION_SPEC = ArgumentSpec(
    argument_spec=dict(
        host=dict(type='str', required=True, fallback=(env_fallback, ['PANOS_HOSTNAME'])),
        port=dict(type='int', default=443),
        username=dict(type='str', fallback=(env_fallback, ['PANOS_USERNAME'])),
        password=dict(type='str', no_log=True, fallback=(env_fallback, ['PANOS_PASSWORD'])),
        api_key=dict(type='str', no_log=True, fallback=(env_fallback, ['PANOS_API_KEY'])),
        validate_certs=dict(type='bool', default=True),
        ca_path=dict(type='path'),
        timeout=dict(type='int', default=30),
        vsys=dict(type='str', default='vsys1'),
    ),
    mutually_exclusive=[('api_key', 'password')],
    required_one_of=[('api_key', 'password')],
    required_together=[('username', 'password')],
)


def parse_version(text: str) -> tuple:
    """'11.1.2-h3' -> (11, 1, 2). Raises DirectPathError on anything else."""
    try:
        core = text.split('-', 1)[0]
        parts = [int(part) for part in core.split('.')]
    except (AttributeError, ValueError):
        raise DirectPathError('the firewall reported an unreadable PAN-OS version %r' % (text,), cause='api')
    if len(parts) < 3:
        raise DirectPathError('the firewall reported an unreadable PAN-OS version %r' % (text,), cause='api')
    return tuple(parts[:3])


def xpath_literal(value: str) -> str:
    """``value`` as an XPath 1.0 string literal, so a name can never change the expression.

    XPath 1.0 has no escape inside a literal: a value is quoted with the quote it does not hold.
    A value holding both quotes cannot be written as one literal; PAN-OS names never do (it allows
    letters, digits, spaces, hyphens, underscores and periods in rule and object names), so that is
    refused as input.
    """
    if "'" not in value:
        return "'%s'" % value
    if '"' not in value:
        return '"%s"' % value
    raise DirectPathError('the name %r holds both quote characters and cannot be addressed in an XPath' % (value,),
                          cause='input')


def _is_read_op(cmd):
    """Operational commands that only show state; everything else changes something."""
    text = cmd.decode() if isinstance(cmd, bytes) else str(cmd)
    text = text.strip()
    return text.startswith(('<show', 'show ', '<check', 'check '))


def _make_xapi_class(counter):
    """A pan-os-python XapiWrapper subclass that counts API calls as reads or writes."""

    class CountingXapi(PanDevice.XapiWrapper):
        def keygen(self, *args, **kwargs):
            counter.read()
            return super(CountingXapi, self).keygen(*args, **kwargs)

        def op(self, cmd=None, *args, **kwargs):
            if _is_read_op(cmd or ''):
                counter.read()
            else:
                counter.write()
            return super(CountingXapi, self).op(cmd, *args, **kwargs)

        def get(self, *args, **kwargs):
            counter.read()
            return super(CountingXapi, self).get(*args, **kwargs)

        def show(self, *args, **kwargs):
            counter.read()
            return super(CountingXapi, self).show(*args, **kwargs)

        def edit(self, *args, **kwargs):
            counter.write()
            return super(CountingXapi, self).edit(*args, **kwargs)

        def set(self, *args, **kwargs):
            counter.write()
            return super(CountingXapi, self).set(*args, **kwargs)

        def delete(self, *args, **kwargs):
            counter.write()
            return super(CountingXapi, self).delete(*args, **kwargs)

        def commit(self, *args, **kwargs):
            counter.write()
            return super(CountingXapi, self).commit(*args, **kwargs)

    return CountingXapi


class _VerifiedFirewall(Firewall):
    """A pan-os-python Firewall whose XML API connections verify TLS and count calls."""

    def __init__(self, *args, **kwargs):
        self._ssl_context = kwargs.pop('ssl_context')
        self._xapi_class = kwargs.pop('xapi_class')
        # pan-os-python uses `timeout` both per request and for job waits; keep them apart.
        self.request_timeout = kwargs.pop('request_timeout')
        super(_VerifiedFirewall, self).__init__(*args, **kwargs)

    def generate_xapi(self):
        return self._xapi_class(
            api_key=self.api_key, hostname=self.hostname, port=self.port,
            timeout=self.request_timeout, pan_device=self, ssl_context=self._ssl_context)

    def _retrieve_api_key(self):
        xapi = self._xapi_class(
            pan_device=self, api_username=self._api_username, api_password=self._api_password,
            hostname=self.hostname, port=self.port, timeout=self.request_timeout, ssl_context=self._ssl_context)
        xapi.keygen(retry_on_peer=False)
        return xapi.api_key


class PanosClient(object):
    """Reads and writes the NAT rulebase of one firewall (one vsys)."""

    def __init__(self, params: dict, api_calls, register_secret) -> None:
        self.api_calls = api_calls
        self.register_secret = register_secret
        self.vsys = params['vsys']
        self.host = params['host']
        self.port = params['port']
        self.username = params.get('username')
        self.commit_timeout = params.get('commit_timeout') or 600
        if params['validate_certs']:
            context = ssl.create_default_context(cafile=params.get('ca_path'))
        else:
            context = ssl._create_unverified_context()  # pylint: disable=protected-access
        self.firewall = _VerifiedFirewall(
            hostname=params['host'], api_username=params.get('username'), api_password=params.get('password'),
            api_key=params.get('api_key'), port=params['port'], vsys=self.vsys,
            ssl_context=context, xapi_class=_make_xapi_class(api_calls), request_timeout=params['timeout'])
        # Seconds to wait for a commit job (pan-os-python's job timeout).
        self.firewall.timeout = params.get('commit_timeout') or 600
        # pan-os-python polls commit jobs every `interval` seconds.
        self.firewall.interval = 0.5
        self.sw_version = None
        self.locked = False
        # The administrator our changes are made as (admin_name()), known once a change starts.
        self.admin = None

    # -- errors ---------------------------------------------------------------------------------
    def _error(self, action, exc):
        """Map a pan-os-python / pan-python exception to a DirectPathError naming the cause."""
        text = str(exc)
        for secret in (self.firewall._api_key, self.firewall._api_password):  # pylint: disable=protected-access
            if secret:
                text = text.replace(secret, '********')
        status = re.match(r'URLError: code: (\d+)', text)
        status = int(status.group(1)) if status else None
        if (HAS_PANOS and isinstance(exc, pan_errors.PanInvalidCredentials) or text.startswith('Invalid credential')
                or status in (401, 403)):
            return DirectPathError('%s: the firewall %s rejected the credentials (%s)' % (action, self.host, text), cause='auth')
        if 'CERTIFICATE_VERIFY_FAILED' in text or 'certificate verify failed' in text:
            return DirectPathError(
                '%s: TLS certificate verification failed for %s; give the CA with ca_path or, for a lab device only, '
                'validate_certs=false (%s)' % (action, self.host, text), cause='tls')
        if HAS_PANOS and isinstance(exc, pan_errors.PanConnectionTimeout) or 'timed out' in text:
            return DirectPathError('%s: the firewall %s (port %s) did not answer in time (%s)' % (action, self.host, self.port, text),
                                   cause='timeout')
        if status is not None:
            return DirectPathError('%s: the firewall %s answered HTTP %s (%s)' % (action, self.host, status, text), cause='api')
        if HAS_PANOS and isinstance(exc, pan_errors.PanURLError) or text.startswith('URLError'):
            return DirectPathError('%s: cannot reach the firewall %s on port %s (%s)' % (action, self.host, self.port, text),
                                   cause='unreachable')
        if (HAS_PANOS and isinstance(exc, pan_errors.PanLockError) or 'locked' in text.lower()
                or 'lock is already held' in text.lower()):
            return DirectPathError('%s: the configuration of %s is locked by another administrator (%s)' % (action, self.host, text),
                                   cause='lock')
        if isinstance(exc, (ConnectionError, OSError)):
            return DirectPathError('%s: connection to the firewall %s on port %s failed (%s)' % (action, self.host, self.port, text),
                                   cause='unreachable')
        return DirectPathError('%s: the firewall %s answered with an error: %s' % (action, self.host, text), cause='api')

    def _call(self, action, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DirectPathError:
            raise
        except Exception as exc:  # pylint: disable=broad-except
            raise self._error(action, exc)

    # -- reads ------------------------------------------------------------------------------------
    def connect(self) -> str:
        """Generate the API key if needed and read the PAN-OS version."""
        # Reading Firewall.api_key generates the key when none was given, so it goes through _call.
        given = self.firewall._api_key  # pylint: disable=protected-access
        key = given if given is not None else self._call('generate the API key', lambda: self.firewall.api_key)
        self.register_secret(key)
        info = self._call('read system info', self.firewall.refresh_system_info)
        self.sw_version = info.version
        return self.sw_version

    @property
    def rules_xpath(self) -> str:
        return self.firewall.xpath_vsys() + '/rulebase/nat/rules'

    def rule_xpath(self, name: str) -> str:
        return '%s/entry[@name=%s]' % (self.rules_xpath, xpath_literal(name))

    def _show(self, action, xpath):
        """``show`` (running config) of one xpath; None when the node does not exist.

        PAN-OS answers ``show`` of an absent node with the error "No such node" (pan-os-python
        classify_exception -> PanNoSuchNode): a firewall without shared address objects or without
        NAT rules is not an error here.
        """
        try:
            self._call(action, self.firewall.xapi.show, xpath=xpath)
        except DirectPathError as error:
            if 'No such node' in error.message:
                return None
            raise
        return self.firewall.xapi.element_result

    def read_nat_rules(self) -> dict:
        """Return the running config's NAT rules as ``{name: Element}`` (document order kept)."""
        result = self._show('read NAT rules', self.rules_xpath)
        rules = {}
        if result is None:
            return rules
        container = result.find('rules')
        if container is None:
            container = result
        for entry in container.findall('entry'):
            rules[entry.get('name')] = entry
        return rules

    def read_addresses(self, scope: str = 'vsys') -> dict:
        """Address objects and address groups of the vsys (``scope='vsys'``) or of ``shared``.

        Returns ``{name: value}`` where value is the ip-netmask text of an address object, the list of
        member names of a static address group, or None for what cannot be resolved offline (FQDN,
        range and wildcard objects, dynamic groups). Two reads (objects, groups).
        """
        root = self.firewall.xpath_vsys() if scope == 'vsys' else '/config/shared'
        addresses = {}
        for kind in ('address', 'address-group'):
            result = self._show('read %s %s objects' % (scope, kind), '%s/%s' % (root, kind))
            if result is None:
                continue
            for entry in result.iter('entry'):
                if kind == 'address':
                    netmask = entry.find('ip-netmask')
                    addresses[entry.get('name')] = netmask.text.strip() if netmask is not None and netmask.text else None
                else:
                    static = entry.find('static')
                    addresses[entry.get('name')] = ([member.text.strip() for member in static.findall('member') if member.text]
                                                    if static is not None else None)
        return addresses

    def global_persistent_dipp(self) -> bool:
        """The operational setting ``persistent-dipp`` (PAN-OS 10.1.6+/10.2.4+/11.0): True when enabled.

        The CLI prints "Persistent DIPP : Enabled" (PAN KB kA14u000000kHuECAU); the XML API is taken to
        return that text in ``result`` (not verified on a device: docs/vendors/panos.md).
        """
        self._call('read the persistent-dipp system setting', self.firewall.xapi.op,
                   cmd='<show><system><setting><persistent-dipp></persistent-dipp></setting></system></show>')
        result = self.firewall.xapi.element_result
        text = ' '.join(result.itertext()).lower() if result is not None else ''
        if 'disabled' in text:
            return False
        if 'enabled' in text:
            return True
        raise DirectPathError('the firewall %s answered "show system setting persistent-dipp" with %r, which says neither '
                              'enabled nor disabled' % (self.host, text.strip()[:200]), cause='api')

    def set_global_persistent_dipp(self, enabled: bool) -> None:
        """``set system setting persistent-dipp enable yes|no``: an operational command, live at once in the
        configuration but effective for NAT only after ``request restart system``; no commit."""
        self._call('set the persistent-dipp system setting', self.firewall.xapi.op,
                   cmd='<set><system><setting><persistent-dipp><enable>%s</enable></persistent-dipp></setting></system></set>'
                   % ('yes' if enabled else 'no'))

    def pending_changes(self) -> bool:
        return self._call('check pending changes', self.firewall.pending_changes) in ('yes', True)

    def pending_admins(self) -> list:
        """The administrators with uncommitted changes, when the firewall tells ("show config list admins");
        an empty list when it does not answer that command."""
        try:
            self._call('list the administrators with uncommitted changes', self.firewall.xapi.op,
                       cmd='<show><config><list><admins></admins></list></config></show>')
        except DirectPathError:
            return []
        result = self.firewall.xapi.element_result
        names = []
        if result is not None:
            for element in result.iter():
                value = (element.text or '').strip() if len(element) == 0 else ''
                value = value or (element.get('name') or '').strip()
                if value and value not in names:
                    names.append(value)
        return names

    def admin_name(self) -> str:
        """The administrator our changes are made as: the username, or the API key's owner ("show admins")."""
        if self.username:
            return self.username
        name = self._call('learn the administrator of the API key', self.firewall.whoami)
        if not name:
            raise DirectPathError(
                'the firewall %s did not say which administrator the API key belongs to ("show admins" needs PAN-OS '
                '10.0 or later): give username and password, so that the commit can be limited to our own changes'
                % self.host, cause='unsupported')
        return name

    # -- writes -----------------------------------------------------------------------------------
    def lock(self) -> None:
        self._call('take the config lock', self.firewall.xapi.op,
                   cmd='<request><config-lock><add><comment>directpath.firewall</comment></add></config-lock></request>',
                   vsys=self.vsys)
        self.locked = True

    def unlock(self) -> bool:
        """Release our config lock. False when the firewall refused or did not answer: the lock is then
        still held and blocks every other administrator until someone removes it."""
        if not self.locked:
            return True
        self.locked = False
        try:
            self._call('release the config lock', self.firewall.xapi.op,
                       cmd='<request><config-lock><remove></remove></config-lock></request>', vsys=self.vsys)
        except DirectPathError:
            return False
        return True

    def set_translation(self, name: str, translation: ET.Element) -> None:
        """Replace the rule's ``source-translation`` in the candidate config."""
        element = ET.tostring(translation, encoding='unicode')
        self._call('edit NAT rule %r' % name, self.firewall.xapi.edit,
                   xpath=self.rule_xpath(name) + '/source-translation', element=element)

    def commit(self, description: str, admin: str) -> str | None:
        """Commit only ``admin``'s changes (a partial commit) and follow the job to its end.

        Returns the job id, or None when the firewall had nothing to commit. A refused commit
        request reverts our changes. Once the firewall has accepted the request, only the job can say
        whether the change went live: a failed job reverts our changes; a job that has not finished
        when ``commit_timeout`` runs out is reported as unknown (``device_unchanged`` false), never
        as "nothing changed", because reverting the candidate does not cancel a queued commit.
        """
        request = FirewallCommit(description=description, admins=[admin])
        try:
            job_id = self._call('commit', self.firewall.commit, sync=False, exception=False, cmd=request)
        except DirectPathError as error:
            if error.cause in ('timeout', 'unreachable'):
                # No answer: the firewall may have queued the commit. Our edits are taken back out of
                # the candidate, but a job that was queued would still commit them.
                error = self.revert_after(error)
                error.device_unchanged = False
                error.message += (' The commit request got no answer, so a commit job may have been queued: check '
                                  '"show jobs all" and the running configuration of %s.' % self.host)
                raise error
            raise self.revert_after(error)
        if job_id is None:
            return None
        job = self.wait_for_job(job_id)
        if job['result'] != 'OK':
            messages = '; '.join(job['details']) or 'no details'
            raise self.revert_after(DirectPathError(
                'commit job %s failed on %s: %s.' % (job_id, self.host, messages), cause='commit',
                details={'commit_job': job_id}))
        return job_id

    def wait_for_job(self, job_id) -> dict:
        """Poll "show jobs id N" until the job finishes or ``commit_timeout`` runs out.

        A poll that fails in transport is retried until the deadline: the job runs on the firewall
        whether or not we can ask about it.
        """
        deadline = time.monotonic() + self.commit_timeout
        last_error = None
        while True:
            try:
                self._call('read commit job %s' % job_id, self.firewall.xapi.op,
                           cmd='<show><jobs><id>%s</id></jobs></show>' % job_id)
                job = self.firewall.xapi.element_result.find('job')
                if job is not None and (job.findtext('status') or '').strip() == 'FIN':
                    return {'id': job_id, 'result': (job.findtext('result') or '').strip(),
                            'details': [line.text.strip() for line in job.findall('details/line') if line.text]}
                last_error = None
            except DirectPathError as error:
                if error.cause not in ('timeout', 'unreachable', 'api'):
                    raise
                last_error = error
            if time.monotonic() >= deadline:
                raise DirectPathError(
                    'commit job %s was accepted by %s but had not finished after %s s%s; it may still commit, so the '
                    'outcome is unknown: check "show jobs id %s" and the running configuration before running again'
                    % (job_id, self.host, self.commit_timeout,
                       ' (the last status request failed: %s)' % last_error.message if last_error else '', job_id),
                    cause='timeout', device_unchanged=False, details={'commit_job': job_id})
            time.sleep(min(self.firewall.interval, max(0.0, deadline - time.monotonic())))

    def revert_after(self, error: DirectPathError, if_revert_fails: str = '') -> DirectPathError:
        """Revert the candidate after ``error``; the error then says whether the device is as it was."""
        reverted = self.revert_candidate()
        error.device_unchanged = reverted
        error.message += (' The candidate configuration was reverted to the running configuration; nothing changed.' if reverted
                          else ' Reverting the candidate configuration FAILED%s: check the firewall.' % if_revert_fails)
        return error

    def revert_candidate(self) -> bool:
        """Take our own changes out of the candidate ("revert config partial admin <us>"); other
        administrators' uncommitted changes stay. True on success."""
        if not self.admin:
            return False
        try:
            self._call('revert our changes in the candidate configuration', self.firewall.xapi.op,
                       cmd='<revert><config><partial><admin><member>%s</member></admin></partial></config></revert>'
                       % xml_escape(self.admin))
        except DirectPathError:
            return False
        return True
