# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared credential core: renewal before expiry and after an expired answer, env precedence, INI files."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError
from ansible_collections.cloudops.jobs.plugins.module_utils._credentials import (
    Keys, Renewing, Static, Tried, apply_env, first_existing, read_ini, renew_margin,
)


class Clock:
    def __init__(self, now=1000.0):
        self.now = now

    def __call__(self):
        return self.now


def issuer(clock, lifetime):
    """A fetch that issues keys living ``lifetime`` seconds, numbered."""
    issued = []

    def fetch():
        keys = Keys("AK%d" % len(issued), "SK%d" % len(issued), "TOKEN%d" % len(issued), clock() + lifetime, "test")
        issued.append(keys)
        return keys
    return fetch, issued


def test_renew_margin_is_five_minutes_or_a_fifth_of_the_lifetime():
    assert renew_margin(3600) == 300
    assert renew_margin(8) == pytest.approx(1.6)
    assert renew_margin(0) == 0


def test_keys_are_fetched_once_and_renewed_when_a_fifth_of_a_short_lifetime_remains():
    clock = Clock()
    fetch, issued = issuer(clock, 10)
    secrets = []
    cred = Renewing(fetch, "test", clock=clock, on_secret=secrets.append)
    first = cred.keys()
    clock.now += 7.9          # 2.1 s left of 10: more than the 2 s margin
    assert cred.keys() is first and len(issued) == 1
    clock.now += 0.2          # 1.9 s left: renewed before it expires
    second = cred.keys()
    assert second is not first and second.access == "AK1" and len(issued) == 2
    assert secrets == ["SK0", "TOKEN0", "SK1", "TOKEN1"]


def test_hour_long_keys_are_renewed_five_minutes_before_expiry():
    clock = Clock()
    fetch, issued = issuer(clock, 3600)
    cred = Renewing(fetch, "test", clock=clock)
    cred.keys()
    clock.now += 3299
    cred.keys()
    assert len(issued) == 1
    clock.now += 2
    cred.keys()
    assert len(issued) == 2


def test_an_expired_answer_renews_once_then_renewing_does_not_help():
    clock = Clock()
    fetch, issued = issuer(clock, 3600)
    cred = Renewing(fetch, "test", clock=clock)
    used = cred.keys()
    assert cred.expired(used) is True and len(issued) == 2      # renewed: send again
    fresh = cred.keys()
    assert fresh is issued[1]
    assert cred.expired(used) is True and len(issued) == 2      # about the old keys: no new fetch, send again
    assert cred.expired(fresh) is False and len(issued) == 2    # the renewed keys refused too: fail


def test_concurrent_requests_share_one_fetch():
    clock = Clock()
    fetch, issued = issuer(clock, 3600)
    cred = Renewing(fetch, "test", clock=clock)
    threads = [threading.Thread(target=cred.keys) for _thread in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(issued) == 1


def test_static_keys_are_never_renewed():
    keys = Keys("AK", "SK", "TOKEN", None, "task options")
    cred = Static(keys)
    assert cred.keys() is keys and cred.expired(keys) is False and cred.renewable is False
    assert "SK" not in repr(keys) and "TOKEN" not in repr(keys)


def test_apply_env_fills_only_what_the_task_left_unset_and_skips_empty_values():
    params = {"access_key": "task-ak", "secret_key": None, "region": None, "auth_token": None}
    table = {"access_key": ("A1",), "secret_key": ("S1", "S2"), "region": ("R1",), "auth_token": ("T1",)}
    out, from_env = apply_env(params, table, {"A1": "env-ak", "S1": "", "S2": "env-sk", "R1": "cn-north-4"})
    assert out == {"access_key": "task-ak", "secret_key": "env-sk", "region": "cn-north-4", "auth_token": None}
    assert from_env == {"secret_key", "region"}
    assert params["secret_key"] is None   # not changed in place


def test_read_ini_reads_a_section(tmp_path):
    path = tmp_path / "credentials"
    path.write_text("[basic]\nak = AKFILE\nsk = SKFILE\nproject_id =\n")
    assert read_ini(str(path), "basic", "credentials_file", ("ak", "sk")) == {"ak": "AKFILE", "sk": "SKFILE"}


@pytest.mark.parametrize("text, fragment", [
    (None, "cannot read the credentials file"),
    ("ak = x\n", "is not an INI file"),
    ("[other]\nak = x\n", "has no [basic] section; add it (sections found: other)"),
    ("[basic]\nak = AKFILE\n", "has no sk; add sk"),
])
def test_read_ini_errors_name_the_file_and_the_fix_never_a_value(tmp_path, text, fragment):
    path = tmp_path / "credentials"
    if text is not None:
        path.write_text(text)
    with pytest.raises(InputError) as err:
        read_ini(str(path), "basic", "credentials_file", ("ak", "sk"))
    assert fragment in str(err.value) and str(path) in str(err.value) and "AKFILE" not in str(err.value)


def test_first_existing_and_tried(tmp_path):
    present = tmp_path / "b"
    present.write_text("")
    assert first_existing([str(tmp_path / "a"), str(present)]) == str(present)
    assert first_existing([str(tmp_path / "a")]) is None
    tried = Tried()
    tried.add("task options", "none set")
    tried.add("~/.huaweicloud/credentials", "no such file")
    assert str(tried.error("set access_key")) == (
        "no credentials: tried task options (none set); ~/.huaweicloud/credentials (no such file); set access_key")
