# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Temporary credentials the emulator issues (instance metadata, agency / role assumption, workload identity).

Every key issued here is known with its expiry (emulator wall clock, ``Clock.wall()``, the clock signature dates are
checked against), and the services verify it on every call: an expired key, an unknown one, or one sent with another
security token is refused as the clouds refuse it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import secrets
import string
import time

# Entries expired longer ago than this are forgotten when a new key is issued (an unknown key is refused too).
FORGET_AFTER_S = 3600.0
_UPPER = string.ascii_uppercase + string.digits
_MIXED = string.ascii_letters + string.digits


def _random(alphabet, length):
    return "".join(secrets.choice(alphabet) for _i in range(length))


def iso_micro(epoch):
    """``2026-12-06T22:10:05.123456Z``: IAM's and ECS metadata's ``expires_at`` (huaweicloudsdkcore parses it with
    ``%Y-%m-%dT%H:%M:%S.%fZ``)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + ".%06dZ" % int(round((epoch % 1) * 1e6) % 1000000)


def iso_seconds(epoch):
    """``2026-12-06T22:10:05Z``: Tencent's ``Expiration``."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


class Key:
    """One issued temporary key: id, secret, token, issue and expiry (wall seconds), and where it came from."""

    __slots__ = ("cloud", "key_id", "secret", "token", "issued", "expires", "source", "lifetime", "asked")

    def __init__(self, cloud, key_id, secret, token, issued, expires, source, asked=None):
        self.cloud = cloud
        self.key_id = key_id
        self.secret = secret
        self.token = token
        self.issued = issued
        self.expires = expires
        self.source = source
        self.lifetime = expires - issued
        self.asked = asked

    def expired(self, wall):
        return self.expires <= wall

    def describe(self, wall):
        return {"cloud": self.cloud, "id": self.key_id, "source": self.source, "issued_at": iso_micro(self.issued),
                "expires_at": iso_micro(self.expires), "lifetime_s": self.lifetime, "expired": self.expired(wall)}


class TemporaryKeys:
    """The temporary keys issued since the last reset (guarded by the world's lock)."""

    def __init__(self):
        self.keys = {}        # key id -> Key
        self.current = {}     # ("ecs", agency) / ("cvm", role) -> the key the instance metadata serves now
        self.metadata_tokens = {}   # ECS metadata token -> expiry (wall seconds)

    def metadata_token(self, wall, lifetime):
        """A new ECS metadata token living ``lifetime`` seconds."""
        for token in [t for t, expires in self.metadata_tokens.items() if expires < wall - FORGET_AFTER_S]:
            del self.metadata_tokens[token]
        token = "emu-metadata-token-" + _random(_MIXED, 48)
        self.metadata_tokens[token] = wall + float(lifetime)
        return token

    def issue_huawei(self, wall, lifetime, source):
        """A Huawei temporary AK (20 characters), SK (40) and security token; expiry to the microsecond."""
        key = Key("huawei", "EMUTMP" + _random(_UPPER, 14), _random(_MIXED, 40),
                  "emu-securitytoken-" + _random(_MIXED, 96), wall, wall + float(lifetime), source, float(lifetime))
        return self._add(key, wall)

    def issue_tencent(self, wall, lifetime, source):
        """A Tencent TmpSecretId (AKID + 32), TmpSecretKey (32) and Token; expiry on a whole second (ExpiredTime)."""
        key = Key("tencent", "AKIDEMU" + _random(_MIXED, 29), _random(_MIXED, 32),
                  "emu-token-" + _random(_MIXED, 96), wall, float(int(wall + float(lifetime))), source, float(lifetime))
        return self._add(key, wall)

    def _add(self, key, wall):
        for key_id in [k for k, v in self.keys.items() if v.expires < wall - FORGET_AFTER_S]:
            del self.keys[key_id]
        self.keys[key.key_id] = key
        return key

    def instance_key(self, slot, wall, lifetime, issue):
        """The key instance metadata serves for ``slot``: the current one while more than a third of its lifetime
        remains, else a new one from ``issue(wall, lifetime, source)`` (so a client that renews when a fifth remains
        gets a new key, one that asks earlier gets the same). A changed ``lifetime`` starts a new key at once."""
        key = self.keys.get(self.current.get(slot, ""))
        if key is None or key.asked != float(lifetime) or key.expires - wall <= key.lifetime / 3.0:
            key = issue(wall, lifetime, "%s:%s" % slot)
            self.current[slot] = key.key_id
        return key

    def get(self, cloud, key_id):
        key = self.keys.get(key_id)
        return key if key is not None and key.cloud == cloud else None

    def expire(self, wall, cloud=None):
        """Make every issued key (of ``cloud``) expire now; the number expired."""
        count = 0
        for key in self.keys.values():
            if (cloud is None or key.cloud == cloud) and not key.expired(wall):
                key.expires = wall
                count += 1
        return count

    def describe(self, wall):
        return [key.describe(wall) for key in self.keys.values()]
