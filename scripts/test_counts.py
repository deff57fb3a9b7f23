# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Count the test cases in JUnit XML files for scripts/test.sh.

    python scripts/test_counts.py FILE_OR_DIR...

Prints ``PASSED FAILED SKIPPED`` (one line, three integers). Directories are searched for
``*.xml``. A ``<testcase>`` with a ``<failure>`` or ``<error>`` child is failed, one with a
``<skipped>`` child is skipped, any other is passed. Used for ansible-test sanity (``--junit``: one
file per sanity test), ansible-test units and pytest (``--junitxml``). A file that is not valid
XML counts as one failed case, so a crashed writer cannot pass unnoticed.
"""

from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET


def xml_files(paths):
    """The XML files named by ``paths``, directories expanded (sorted, non-recursive)."""
    for path in paths:
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                if name.endswith('.xml'):
                    yield os.path.join(path, name)
        elif os.path.exists(path):
            yield path


def count(paths):
    """Return (passed, failed, skipped) over every test case in the given JUnit files."""
    passed = failed = skipped = 0
    for path in xml_files(paths):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as ex:
            sys.stderr.write('test_counts: %s: %s\n' % (path, ex))
            failed += 1
            continue
        for case in root.iter('testcase'):
            tags = {child.tag for child in case}
            if tags & {'failure', 'error'}:
                failed += 1
            elif 'skipped' in tags:
                skipped += 1
            else:
                passed += 1
    return passed, failed, skipped


def main(argv):
    """Print the counts of the files or directories given as arguments."""
    print('%d %d %d' % count(argv))


if __name__ == '__main__':
    main(sys.argv[1:])
