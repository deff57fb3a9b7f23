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
import xml.etree.ElementTree as ET

from ansible.module_utils.basic import env_fallback

from ansible_collections.directpath.firewall.plugins.module_utils.engine.argspec import ArgumentSpec
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError

try:
    from panos import errors as pan_errors
    from panos.base import PanDevice
    from panos.firewall import Firewall
except ImportError:  # pragma: no cover  (reported by the module with missing_required_lib)
    HAS_PANOS = False
    Firewall = object  # pylint: disable=invalid-name
    PanDevice = None
else:
    HAS_PANOS = True

__all__ = [
    'HAS_PANOS',
    'PANOS_CONNECTION_SPEC',
    'PanosClient',
    'TRANSLATION_TYPES',
    'parse_version',
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


def parse_version(text):
    """'11.1.2-h3' -> (11, 1, 2). Raises DirectPathError on anything else."""
    try:
        core = text.split('-', 1)[0]
        parts = [int(part) for part in core.split('.')]
    except (AttributeError, ValueError):
        raise DirectPathError('the firewall reported an unreadable PAN-OS version %r' % (text,), cause='api')
    if len(parts) < 3:
        raise DirectPathError('the firewall reported an unreadable PAN-OS version %r' % (text,), cause='api')
    return tuple(parts[:3])


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

    def __init__(self, params, api_calls, register_secret):
        self.api_calls = api_calls
        self.register_secret = register_secret
        self.vsys = params['vsys']
        self.host = params['host']
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
            return DirectPathError('%s: the firewall %s did not answer in time (%s)' % (action, self.host, text), cause='timeout')
        if status is not None:
            return DirectPathError('%s: the firewall %s answered HTTP %s (%s)' % (action, self.host, status, text), cause='api')
        if HAS_PANOS and isinstance(exc, pan_errors.PanURLError) or text.startswith('URLError'):
            return DirectPathError('%s: cannot reach the firewall %s (%s)' % (action, self.host, text), cause='unreachable')
        if HAS_PANOS and isinstance(exc, pan_errors.PanLockError) or 'locked' in text.lower():
            return DirectPathError('%s: the configuration of %s is locked by another administrator (%s)' % (action, self.host, text),
                                   cause='lock')
        if isinstance(exc, (ConnectionError, OSError)):
            return DirectPathError('%s: connection to the firewall %s failed (%s)' % (action, self.host, text), cause='unreachable')
        return DirectPathError('%s: the firewall %s answered with an error: %s' % (action, self.host, text), cause='api')

    def _call(self, action, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DirectPathError:
            raise
        except Exception as exc:  # pylint: disable=broad-except
            raise self._error(action, exc)

    # -- reads ------------------------------------------------------------------------------------
    def connect(self):
        """Generate the API key if needed and read the PAN-OS version."""
        # Reading Firewall.api_key generates the key when none was given, so it goes through _call.
        given = self.firewall._api_key  # pylint: disable=protected-access
        key = given if given is not None else self._call('generate the API key', lambda: self.firewall.api_key)
        self.register_secret(key)
        info = self._call('read system info', self.firewall.refresh_system_info)
        self.sw_version = info.version
        return self.sw_version

    @property
    def rules_xpath(self):
        return self.firewall.xpath_vsys() + '/rulebase/nat/rules'

    def rule_xpath(self, name):
        return "%s/entry[@name='%s']" % (self.rules_xpath, name)

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

    def read_nat_rules(self):
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

    def read_addresses(self):
        """Address objects of the vsys and shared: ``{name: value}`` for ip-netmask ones."""
        addresses = {}
        for xpath in ('/config/shared/address', self.firewall.xpath_vsys() + '/address'):
            result = self._show('read address objects', xpath)
            if result is None:
                continue
            for entry in result.iter('entry'):
                netmask = entry.find('ip-netmask')
                if netmask is not None and netmask.text:
                    addresses[entry.get('name')] = netmask.text.strip()
        return addresses

    def global_persistent_dipp(self):
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

    def set_global_persistent_dipp(self, enabled):
        """``set system setting persistent-dipp enable yes|no``: an operational command, live at once in the
        configuration but effective for NAT only after ``request restart system``; no commit."""
        self._call('set the persistent-dipp system setting', self.firewall.xapi.op,
                   cmd='<set><system><setting><persistent-dipp><enable>%s</enable></persistent-dipp></setting></system></set>'
                   % ('yes' if enabled else 'no'))

    def pending_changes(self):
        return self._call('check pending changes', self.firewall.pending_changes) in ('yes', True)

    # -- writes -----------------------------------------------------------------------------------
    def lock(self):
        self._call('take the config lock', self.firewall.add_config_lock,
                   comment='directpath.firewall', scope=self.vsys, exceptions=True)
        self.locked = True

    def unlock(self):
        if self.locked:
            try:
                self.firewall.remove_config_lock(scope=self.vsys, exceptions=False)
            except Exception:  # pylint: disable=broad-except
                # The lock expires with the admin session; a failed release must not hide the real result.
                pass
            self.locked = False

    def set_translation(self, name, translation):
        """Replace the rule's ``source-translation`` in the candidate config."""
        element = ET.tostring(translation, encoding='unicode')
        self._call('edit NAT rule %r' % name, self.firewall.xapi.edit,
                   xpath=self.rule_xpath(name) + '/source-translation', element=element)

    def commit(self, description):
        """Commit the candidate and wait for the job; on failure revert the candidate."""
        cmd = ET.Element('commit')
        ET.SubElement(cmd, 'description').text = description
        try:
            result = self._call('commit', self.firewall.commit, sync=True, exception=False,
                                cmd=ET.tostring(cmd, encoding='unicode'))
        except DirectPathError as error:
            # The commit request failed in transport or was refused: our edits must not stay in the
            # candidate, where the next commit of any administrator would carry them.
            raise self.revert_after(error, ' (a commit may still be running)')
        if result is None:
            return None
        if not result.get('success'):
            messages = '; '.join(result.get('messages') or []) or 'no details'
            raise self.revert_after(DirectPathError(
                'commit job %s failed on %s: %s.' % (result.get('jobid'), self.host, messages), cause='commit'))
        return result.get('jobid')

    def revert_after(self, error, if_revert_fails=''):
        """Revert the candidate after ``error``; the error then says whether the device is as it was."""
        reverted = self.revert_candidate()
        error.device_unchanged = reverted
        error.message += (' The candidate configuration was reverted to the running configuration; nothing changed.' if reverted
                          else ' Reverting the candidate configuration FAILED%s: check the firewall.' % if_revert_fails)
        return error

    def revert_candidate(self):
        """Throw away the candidate changes (PAN-OS ``revert config``). True on success."""
        try:
            self._call('revert the candidate configuration', self.firewall.xapi.op, cmd='<revert><config></config></revert>')
        except DirectPathError:
            return False
        return True
