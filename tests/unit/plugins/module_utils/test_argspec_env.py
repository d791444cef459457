# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Environment fallbacks: an empty variable (what AWX injects for an unset optional field) counts as unset."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.module_utils.basic import AnsibleFallbackNotFound
from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import huawei_spec, set_env_fallback


def test_first_non_empty_variable_wins(monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "")
    monkeypatch.setenv("HW_ACCESS_KEY", "AKFROMHW")
    assert set_env_fallback("HUAWEICLOUD_SDK_AK", "HW_ACCESS_KEY") == "AKFROMHW"


def test_the_first_set_variable_is_preferred(monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AKPRIMARY")
    monkeypatch.setenv("HW_ACCESS_KEY", "AKFROMHW")
    assert set_env_fallback("HUAWEICLOUD_SDK_AK", "HW_ACCESS_KEY") == "AKPRIMARY"


def test_only_empty_variables_mean_not_set(monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", "")
    monkeypatch.delenv("HW_AUTH_URL", raising=False)
    with pytest.raises(AnsibleFallbackNotFound):
        set_env_fallback("HUAWEICLOUD_SDK_IAM_ENDPOINT", "HW_AUTH_URL")


def test_every_env_fallback_of_the_huawei_options_uses_it():
    fallbacks = [o["fallback"] for o in huawei_spec().values() if "fallback" in o]
    assert fallbacks
    assert all(f[0] is set_env_fallback for f in fallbacks)
