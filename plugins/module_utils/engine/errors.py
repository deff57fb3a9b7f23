# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Layer: engine (the lowest). The one exception that means "this run must fail", and its causes.

PRIVATE to the directpath.firewall collection. This is not a public API: names,
signatures and behaviour may change at any time without a deprecation period.

May import: the standard library only.
"""

from __future__ import annotations

__all__ = [
    'ERROR_CAUSES',
    'DirectPathError',
]

# Why a run failed. Stable strings: the audit report and tests key on them.
ERROR_CAUSES = (
    'input',        # the options given cannot work (bad value, object not found on the device)
    'auth',         # credentials rejected
    'unreachable',  # connection refused, DNS, TLS handshake failed
    'tls',          # certificate verification failed
    'timeout',      # the device did not answer in time
    'api',          # the device answered with an error
    'commit',       # the change was sent but activating it failed (and was rolled back)
    'lock',         # another administrator holds the configuration lock
    'conflict',     # the object changed under us (stale ETag, concurrent edit)
    'dependency',   # a Python library is missing
    'unsupported',  # the device or version cannot do what was asked
    'internal',     # a bug in this collection: the device is not to blame
)


class DirectPathError(Exception):
    """The one exception that means "this run must fail".

    Clients and workarounds raise it with a message that names the cause and
    never contains a secret; :func:`..engine.runner.execute` turns it into a
    failed result in exactly one place.

    ``device_unchanged`` is False only when the device may hold part of a change
    (a rollback failed, or a commit was accepted and its outcome is unknown);
    the message then says what is left for a person to check.
    """

    def __init__(self, message: str, cause: str = 'api', details: dict | None = None,
                 device_unchanged: bool = True) -> None:
        super(DirectPathError, self).__init__(message)
        if cause not in ERROR_CAUSES:
            raise ValueError('unknown error cause %r' % (cause,))
        self.message = message
        self.cause = cause
        self.details = details or {}
        self.device_unchanged = device_unchanged

    def __str__(self) -> str:
        return self.message
