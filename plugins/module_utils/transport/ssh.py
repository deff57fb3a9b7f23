# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: transport. An interactive SSH command line (netmiko over paramiko) for CLI devices.

PRIVATE to the directpath.firewall collection: may change at any time.

May import: engine/, the standard library, and netmiko/paramiko.

:class:`CliSession` logs in with netmiko's driver for the device type, runs show commands and
configuration commands one at a time, and turns every failure into an :class:`SshError` (a
DirectPathError) with the same causes as the HTTPS client: ``auth`` (login or enable refused),
``unreachable`` (TCP connection refused, no route), ``timeout`` (the device stopped answering),
``api`` (the device refused a command), plus ``tls`` for a host key that does not match the known
one (the SSH counterpart of certificate verification). Messages never contain a credential: every
registered secret is masked.

Host key checking is on by default: the key must be in ``known_hosts`` (an OpenSSH file; default
the user's ``~/.ssh/known_hosts``) or given as ``host_key`` (``<type> <base64>``, as
``ssh-keyscan`` prints it after the host name).

netmiko's ``send_config_set`` flags no error unless given an ``error_pattern``; configuration
commands are therefore sent one by one, each read up to the next prompt and checked against the
error pattern (by default ``ERROR:`` or ``% Invalid``), so a refusal names the exact command, keeps
the device's error text, and everything before it is known to have been applied. A session that
drops is noticed by netmiko only through a read timeout or a closed channel: :class:`SessionLost`
then says which command was in flight; what it did is unknown until the caller reconnects and
reads the configuration again.
"""

from __future__ import annotations

import os
import re
import socket
import tempfile

from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError

try:
    import paramiko
    from netmiko import ConnectHandler
    from netmiko.exceptions import (
        NetmikoAuthenticationException,
        NetmikoTimeoutException,
        ReadException,
        ReadTimeout,
    )
except ImportError:  # pragma: no cover  (reported by the module with missing_required_lib)
    HAS_NETMIKO = False
else:
    HAS_NETMIKO = True

__all__ = [
    'DEFAULT_ERROR_PATTERN',
    'HAS_NETMIKO',
    'CliSession',
    'SessionLost',
    'SshError',
]

# What a refused command looks like: "ERROR: ..." (ASA) or "% Invalid input ..." (IOS style).
DEFAULT_ERROR_PATTERN = r'ERROR:|% Invalid'


def _mask(text, secrets):
    text = '' if text is None else str(text)
    for secret in secrets:
        if secret and len(str(secret)) >= 3:
            text = text.replace(str(secret), '********')
    return text


class SshError(DirectPathError):
    """A CLI exchange failed. ``command`` is the command that failed, ``output`` the device's answer."""

    def __init__(self, message, cause, command=None, output=None):
        super(SshError, self).__init__(message, cause=cause)
        self.command = command
        self.output = output


class SessionLost(SshError):
    """The session dropped or stopped answering while ``command`` was in flight: its effect is unknown."""

    def __init__(self, message, cause, command=None):
        super(SessionLost, self).__init__(message, cause, command=command)


class CliSession(object):
    """One SSH CLI session to a device.

    ``on_command(command, is_write)`` is called before each command the caller sends (not the
    driver's own connect-time commands), so the caller can count reads and writes.
    ``allow_config_mode=False`` connects without any configuration-mode command at all (netmiko's
    ``allow_auto_change=False``: no ``configure terminal`` / ``terminal width`` / ``end`` on
    connect), for runs that only read.
    """

    def __init__(self, device_type: str, host: str, port: int, username: str, password: str,
                 enable_secret: str | None = None, host_key_checking: bool = True,
                 known_hosts: str | None = None, host_key: str | None = None, timeout: int = 30,
                 secrets=None, on_command=None, allow_config_mode: bool = True,
                 error_pattern: str = DEFAULT_ERROR_PATTERN) -> None:
        self.device_type = device_type
        self.host = host
        self.port = int(port)
        self.username = username
        self.password = password
        self.enable_secret = enable_secret or ''
        self.host_key_checking = host_key_checking
        self.known_hosts = known_hosts
        self.host_key = host_key
        self.timeout = int(timeout)
        self.secrets = [value for value in (secrets or []) if value] + [value for value in (password, enable_secret) if value]
        self.on_command = on_command
        self.allow_config_mode = allow_config_mode
        self.error_pattern = error_pattern
        self.connection = None
        self._key_file = None

    # connection -----------------------------------------------------------------------------------
    @property
    def where(self) -> str:
        return '%s:%s' % (self.host, self.port)

    def _mask(self, text) -> str:
        return _mask(text, self.secrets)

    def _host_key_options(self) -> dict:
        if not self.host_key_checking:
            return dict(ssh_strict=False, system_host_keys=False, alt_host_keys=False)
        if self.host_key:
            words = self.host_key.split()
            if len(words) < 2 or not re.match(r'^(ssh-|ecdsa-|sk-)', words[0]):
                raise SshError('host_key must be "<key type> <base64 key>" as ssh-keyscan prints it, e.g. '
                               '"ecdsa-sha2-nistp256 AAAA..."', 'input')
            name = self.host if self.port == 22 else '[%s]:%d' % (self.host, self.port)
            descriptor, path = tempfile.mkstemp(prefix='directpath-known-hosts-')
            with os.fdopen(descriptor, 'w') as handle:
                handle.write('%s %s %s\n' % (name, words[0], words[1]))
            self._key_file = path
            return dict(ssh_strict=True, system_host_keys=False, alt_host_keys=True, alt_key_file=path)
        if self.known_hosts:
            if not os.path.isfile(self.known_hosts):
                raise SshError('known_hosts file %s does not exist' % self.known_hosts, 'input')
            return dict(ssh_strict=True, system_host_keys=False, alt_host_keys=True, alt_key_file=self.known_hosts)
        return dict(ssh_strict=True, system_host_keys=True, alt_host_keys=False)

    def connect(self) -> 'CliSession':
        options = dict(
            device_type=self.device_type, host=self.host, port=self.port, username=self.username,
            password=self.password, secret=self.enable_secret, use_keys=False, allow_agent=False,
            conn_timeout=self.timeout, auth_timeout=self.timeout, banner_timeout=self.timeout,
            read_timeout_override=self.timeout, ssh_config_file=None,
            allow_auto_change=self.allow_config_mode,
        )
        options.update(self._host_key_options())
        try:
            self.connection = ConnectHandler(**options)
        except NetmikoAuthenticationException:
            raise SshError('%s refused the login of user %r (check username and password)' % (self.where, self.username), 'auth')
        except paramiko.BadHostKeyException:
            raise SshError('the SSH host key of %s does not match the known key: possible man-in-the-middle, '
                           'or the device was replaced; check the key and update host_key/known_hosts' % self.where, 'tls')
        except ReadTimeout as error:
            text = str(error)
            if re.search(r"Pattern not detected: '\\*#'", text):
                raise SshError('%s: privileged EXEC mode was not reached after login: the enable secret was refused '
                               '(or, without enable_secret, "login" did not reach privilege 15)' % self.where, 'auth')
            raise SshError('%s: the device stopped answering during login (%s s)' % (self.where, self.timeout), 'timeout')
        except NetmikoTimeoutException as error:
            # netmiko wraps paramiko's SSHException (BadHostKeyException included) and socket errors into
            # NetmikoTimeoutException; the original is its __context__.
            raise self._classify_connect_failure(error)
        except paramiko.SSHException as error:
            raise self._classify_connect_failure(error)
        except (socket.timeout, TimeoutError):
            raise SshError('%s: the device did not answer within %s seconds' % (self.where, self.timeout), 'timeout')
        except (OSError, EOFError) as error:
            raise SshError('%s: connection failed (%s)' % (self.where, self._mask(error)), 'unreachable')
        except ValueError as error:
            # netmiko raises ValueError when enable mode cannot be entered.
            raise SshError('%s: %s' % (self.where, self._mask(error)), 'auth')
        finally:
            self._forget_key_file()
        if not self.allow_config_mode:
            # netmiko's cisco_asa driver turns command-echo verification off when it may not set the terminal
            # width (allow_auto_change=False), because a long command could wrap in the echo. Without it,
            # send_command can take the prompt that answers netmiko's own newline for the end of the output
            # and return an empty string (reproduced against the simulator). Show commands are far shorter
            # than the default 80 columns, so verification is turned back on.
            self.connection.global_cmd_verify = None
        return self

    def _classify_connect_failure(self, error) -> SshError:
        original = error.__context__ if error.__context__ is not None else error
        text = self._mask(original)
        if isinstance(original, paramiko.BadHostKeyException) or 'does not match' in text:
            return SshError('the SSH host key of %s does not match the known key: possible man-in-the-middle, or the '
                            'device was replaced; check the key and update host_key/known_hosts' % self.where, 'tls')
        if 'not found in known_hosts' in text:
            return SshError('the SSH host key of %s is not known: give it with host_key (as ssh-keyscan prints it) or '
                            'known_hosts, or, for a lab device only, host_key_checking=false' % self.where, 'tls')
        if isinstance(original, (socket.timeout, TimeoutError)) or 'timed out' in text.lower():
            return SshError('%s: the SSH connection timed out after %s seconds' % (self.where, self.timeout), 'timeout')
        reason = [line.strip() for line in text.splitlines() if line.strip()]
        return SshError('%s: cannot open an SSH connection (%s)' % (self.where, reason[0] if reason else type(original).__name__),
                        'unreachable')

    def _forget_key_file(self) -> None:
        if self._key_file:
            try:
                os.unlink(self._key_file)
            except OSError:
                pass
            self._key_file = None

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.disconnect()
            except Exception:  # pylint: disable=broad-except
                pass

    def alive(self) -> bool:
        if self.connection is None:
            return False
        try:
            return bool(self.connection.is_alive())
        except Exception:  # pylint: disable=broad-except
            return False

    # commands ---------------------------------------------------------------------------------------
    def _lost(self, command, error):
        self.close()
        if isinstance(error, ReadTimeout):
            return SessionLost('%s: no answer to %r within %s seconds; the session was closed and the effect of that '
                               'command is unknown' % (self.where, command, self.timeout), 'timeout', command=command)
        return SessionLost('%s: the session dropped during %r (%s); the effect of that command is unknown'
                           % (self.where, command, self._mask(error) or type(error).__name__), 'unreachable', command=command)

    def show(self, command: str) -> str:
        """Run one show command; return its output (without the echo and the prompt)."""
        if self.on_command:
            self.on_command(command, False)
        try:
            output = self.connection.send_command(command, read_timeout=self.timeout)
        except (ReadTimeout, ReadException, OSError, EOFError, paramiko.SSHException) as error:
            raise self._lost(command, error)
        if re.search(self.error_pattern, output):
            raise SshError('%s refused %r: %s' % (self.where, command, self._mask(_error_lines(output))), 'api',
                           command=command, output=self._mask(output))
        return output

    def configure(self, commands, on_applied=None) -> None:
        """Send configuration commands one at a time in configuration mode.

        ``on_applied(command)`` is called after each command the device accepted. A refused
        command raises :class:`SshError` (cause ``api``) naming it; the commands before it were
        applied. A dropped session raises :class:`SessionLost`.
        """
        command = 'configure terminal'
        try:
            self.connection.config_mode()
            for command in commands:
                if self.on_command:
                    self.on_command(command, True)
                # Each command is read up to the next prompt (netmiko's cmd_verify path) and checked here with
                # error_pattern, the check send_config_set(error_pattern=...) makes on the same output; doing it
                # here keeps the device's own error lines for the message (ConfigInvalidException drops them).
                output = self.connection.send_config_set([command], enter_config_mode=False, exit_config_mode=False,
                                                         cmd_verify=True, read_timeout=self.timeout)
                if re.search(self.error_pattern, output, flags=re.M):
                    raise SshError('%s refused %r: %s' % (self.where, command, self._mask(_error_lines(output))), 'api',
                                   command=command, output=self._mask(output))
                if on_applied:
                    on_applied(command)
            command = 'end'
            self.connection.exit_config_mode()
        except SshError:
            self._leave_config_mode()
            raise
        except (ReadTimeout, ReadException, OSError, EOFError, paramiko.SSHException, ValueError) as error:
            raise self._lost(command, error)

    def _leave_config_mode(self) -> None:
        try:
            self.connection.exit_config_mode()
        except Exception:  # pylint: disable=broad-except
            self.close()

    def save(self, command: str = 'write memory') -> str:
        """Save the running configuration (``write memory``); fail unless the device says ``[OK]``."""
        if self.on_command:
            self.on_command(command, True)
        try:
            output = self.connection.send_command(command, read_timeout=max(self.timeout, 60))
        except (ReadTimeout, ReadException, OSError, EOFError, paramiko.SSHException) as error:
            raise self._lost(command, error)
        if '[OK]' not in output or re.search(self.error_pattern, output):
            raise SshError('%s: %r did not confirm the save: %s' % (self.where, command, self._mask(_error_lines(output) or output.strip())),
                           'api', command=command, output=self._mask(output))
        return output


def _error_lines(text) -> str:
    lines = [line.strip() for line in str(text).splitlines() if 'ERROR' in line or '%' in line or 'WARNING' in line]
    return ' '.join(lines)[:400]
