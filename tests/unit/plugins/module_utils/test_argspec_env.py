# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Environment fallbacks: an empty variable (what AWX injects for an unset optional field) counts as unset;
a way in set by the task wins over one found only in the environment."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.module_utils.basic import AnsibleFallbackNotFound
from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import HUAWEI_AUTH_ENV, huawei_spec, set_env_fallback
from ansible_collections.cloudops.jobs.plugins.module_utils._credentials import apply_env
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei_credentials import choose_auth


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


# --- which way in: task options against environment values ---------------------------------------------------

TOKEN_AND_AKSK = {"auth_token": "tok", "access_key": "AK", "secret_key": "SK"}
ALL = frozenset(["auth_token", "access_key", "secret_key", "user_name", "password", "domain_name"])


def test_the_ways_in_have_no_argument_spec_fallback_the_collection_applies_their_env_vars():
    spec = huawei_spec()
    assert set(HUAWEI_AUTH_ENV) == ALL | {"security_token", "credentials_file"}
    assert not [name for name in HUAWEI_AUTH_ENV if "fallback" in spec[name]]


def test_two_ways_set_by_the_task_are_refused():
    kind, problem = choose_auth(TOKEN_AND_AKSK, from_env=frozenset())
    assert kind is None and "auth_token" in problem and "access_key" in problem and "conflict" in problem


def test_a_way_set_by_the_task_wins_over_one_from_the_environment():
    assert choose_auth(TOKEN_AND_AKSK, from_env=frozenset(["access_key", "secret_key"])) == ("token", None)
    assert choose_auth(TOKEN_AND_AKSK, from_env=frozenset(["auth_token"])) == ("aksk", None)


def test_ways_only_from_the_environment_follow_the_contract_order():
    params = dict(TOKEN_AND_AKSK, user_name="u", password="p", domain_name="d")
    assert choose_auth(params, from_env=ALL) == ("token", None)
    assert choose_auth({"access_key": "AK", "secret_key": "SK", "user_name": "u", "password": "p", "domain_name": "d"},
                       from_env=ALL) == ("aksk", None)


def test_env_values_are_applied_only_where_the_task_set_nothing(monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_AUTH_TOKEN", "envtoken")
    monkeypatch.setenv("HW_ACCESS_KEY", "ENVAK")
    params, from_env = apply_env({"access_key": "TASKAK", "secret_key": "TASKSK", "auth_token": None}, HUAWEI_AUTH_ENV)
    assert params["access_key"] == "TASKAK" and params["auth_token"] == "envtoken" and from_env == {"auth_token"}
    assert choose_auth(params, from_env) == ("aksk", None)


def test_two_ways_both_set_by_the_task_are_refused_even_with_env_values():
    kind, problem = choose_auth(dict(TOKEN_AND_AKSK, user_name="u", password="p"), from_env=frozenset(["user_name", "password"]))
    assert kind is None and "conflict" in problem
