# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""``python -m ansible_collections.directpath.firewall.tests.simulators.fakebox create pfsense DIR [VERSION]``.

Creates a fake box and prints its inventory variables as JSON (molecule and scripts use it).
"""

from __future__ import annotations

import json
import sys

from ansible_collections.directpath.firewall.tests.simulators.fakebox import FakeBox, create_box


def main(argv):
    if len(argv) >= 4 and argv[1] == 'create':
        box = create_box(argv[2], argv[3], version=argv[4] if len(argv) > 4 else None)
    elif len(argv) == 3 and argv[1] == 'show':
        box = FakeBox(argv[2])
    else:
        sys.stderr.write('usage: fakebox create pfsense|opnsense DIR [VERSION] | fakebox show DIR\n')
        return 2
    sys.stdout.write(json.dumps({'hostvars': box.hostvars(), 'snapshot': box.snapshot(), 'journal': box.journal()},
                                indent=1, sort_keys=True) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
