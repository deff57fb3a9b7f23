# -*- coding: utf-8 -*-
# Copyright (c) 2026, DirectPath engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The product objects (PFSENSE, OPNSENSE) and the config.xml round trip the four on-box modules share."""

from __future__ import annotations

import pytest

from ansible_collections.directpath.firewall.plugins.module_utils.clients.onbox import is_ours, parse_version
from ansible_collections.directpath.firewall.plugins.module_utils.clients.opnsense import API_SPEC, OPNSENSE
from ansible_collections.directpath.firewall.plugins.module_utils.clients.pfsense import PFSENSE
from ansible_collections.directpath.firewall.plugins.module_utils.engine.errors import DirectPathError
from ansible_collections.directpath.firewall.plugins.module_utils.transport.configxml import (
    ConfigXml, parse_config, php_serialize, php_unserialize)
from ansible_collections.directpath.firewall.tests.simulators.fakebox import create_box, seeds
from ansible_collections.directpath.firewall.tests.simulators.fakebox.apply import pfsense_parse


@pytest.mark.parametrize('text,label,expected', [
    ('2.7.2-RELEASE', 'pfSense', (2, 7, 2)),
    ('25.11-RELEASE', 'pfSense', (25, 11)),
    ('24.1.10_8', 'OPNsense', (24, 1, 10)),
    ('26.7', 'OPNsense', (26, 7)),
])
def test_one_version_parser(text, label, expected):
    assert parse_version(text, label) == expected


def test_version_parser_names_the_product_and_refuses_non_ascii_digits():
    with pytest.raises(DirectPathError, match='cannot read a pfSense version') as caught:
        parse_version('\u0662.\u0667', 'pfSense')
    assert caught.value.cause == 'unsupported'


def test_products_say_what_differs_between_them():
    assert (PFSENSE.name, PFSENSE.label, PFSENSE.acl_prefix_min) == ('pfsense', 'pfSense', 1)
    assert (OPNSENSE.name, OPNSENSE.label, OPNSENSE.acl_prefix_min) == ('opnsense', 'OPNsense', 0)
    assert PFSENSE.convention.write_in_place is False and OPNSENSE.convention.write_in_place is True
    assert PFSENSE.lock_path({'config_path': '/cf/conf/config.xml', 'config_lock': '/tmp/config.lock'}) == '/tmp/config.lock'
    assert OPNSENSE.lock_path({'config_path': '/conf/config.xml'}) == '/conf/config.xml'
    assert PFSENSE.supports_eim((25, 11)) and PFSENSE.supports_eim((2, 9)) and not PFSENSE.supports_eim((2, 7, 2))
    assert OPNSENSE.uses_api((26, 7)) and not OPNSENSE.uses_api((26, 1, 6))
    assert 'config_lock' in PFSENSE.spec.argument_spec and 'config_lock' not in OPNSENSE.spec.argument_spec


def test_one_rule_for_ours():
    assert is_ours(PFSENSE.rule_descr) and is_ours(OPNSENSE.rule_descr('198.18.30.21'))
    assert not is_ours('VoIP phones: static port for SIP') and not is_ours(None)
    assert not is_ours('see directpath.firewall: docs')


def test_api_options_use_env_fallback_and_no_log(monkeypatch):
    from ansible.module_utils.basic import env_fallback
    for name in ('api_key', 'api_secret'):
        option = API_SPEC.argument_spec[name]
        assert option['no_log'] is True and option['fallback'][0] is env_fallback
    assert API_SPEC.argument_spec['validate_certs']['default'] is True


@pytest.mark.parametrize('product', ['pfsense', 'opnsense'])
@pytest.mark.parametrize('variant', ['template', 'field'])
def test_no_op_round_trip_changes_no_value_as_the_product_reads_it(tmp_path, product, variant):
    text = seeds.field_config(product) if variant == 'field' else None
    box = create_box(product, str(tmp_path / 'box'), config_text=text)
    config = ConfigXml(box.config_path, (PFSENSE if product == 'pfsense' else OPNSENSE).convention)
    config.load()
    written = config.serialize()
    if product == 'pfsense':
        assert pfsense_parse(written) == pfsense_parse(box.config_bytes())
    # Every CDATA section comes back as CDATA with the same content.
    assert sorted(parse_config(written)[1].values()) == sorted(config.cdata.values())
    assert sorted(config.cdata.values()) == sorted(parse_config(box.config_bytes())[1].values())


def test_doctype_is_refused(tmp_path):
    box = create_box('pfsense', str(tmp_path / 'box'), config_text='<?xml version="1.0"?>\n<!DOCTYPE pfsense [\n'
                     '<!ENTITY x "y">]>\n<pfsense><system/></pfsense>\n')
    config = ConfigXml(box.config_path, PFSENSE.convention)
    with pytest.raises(DirectPathError, match='DOCTYPE') as caught:
        config.load()
    assert caught.value.cause == 'input'


def test_php_serialisation_round_trip():
    value = {1700000100: {'description': 'admin@198.18.10.20: R&D "x"', 'version': '23.3', 'filesize': 4096}}
    data = php_serialize(value)
    assert data.startswith(b'a:1:{i:1700000100;a:3:{s:11:"description";s:')
    assert php_unserialize(data) == value
    with pytest.raises(ValueError):
        php_unserialize(b'a:1:{i:1;s:5:"ab";}')
