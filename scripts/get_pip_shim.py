# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Stand-in for ansible-test's get-pip bootstrap script.

ansible-test bootstraps pip in every venv it creates with get-pip-<version>.py, downloaded from a
host this machine cannot reach, unless ~/.ansible/test/cache/get_pip_<version>.py exists.
scripts/test.sh puts this file there (under a scratch HOME in build/). It takes the same arguments
(pip options and pinned packages, e.g. ``pip==24.2``) and gets them from ensurepip and PyPI.
"""

from __future__ import annotations

import subprocess
import sys


def main(argv):
    """Bootstrap pip with ensurepip, then install the requested packages (pins included)."""
    args = [arg for arg in argv if arg not in ('--no-setuptools', '--no-wheel')]
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
    subprocess.check_call([sys.executable, '-m', 'pip', 'install', '-q'] + args)
    if '--no-setuptools' in argv:
        # ensurepip may bring setuptools; get-pip.py would not have installed it.
        subprocess.call([sys.executable, '-m', 'pip', 'uninstall', '-q', '-y', 'setuptools'])


if __name__ == '__main__':
    main(sys.argv[1:])
