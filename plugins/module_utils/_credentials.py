# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a run's credentials come from, and their renewal; shared by both clouds.

Each cloud (``_huawei_credentials``, ``_tencent_credentials``) says which sources it has, in the contract's order:
the task's options, then environment variables, then a credentials file, then the instance's metadata; and what
assuming a role on top of them does. This file holds what they share:

- :class:`Keys`: one set of keys (and a token), with when they expire;
- :class:`Static`: keys given as they are (never renewed; "expired" is final);
- :class:`Renewing`: keys a source issues for a while (metadata, an assumed role, workload identity, a password
  login's token): renewed before they expire, and once after an answer that says they expired;
- :func:`apply_env`: the environment variables of the options the task left unset, applied by the collection (so
  that a way in set by the task wins, without re-reading the task's raw arguments);
- :func:`read_ini`: one section of an SDK-format credentials file, with errors that name the file and the fix;
- :class:`Tried`: the sources looked at, for the "no credentials" error.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import configparser
import os
import threading
import time

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError

RENEW_BEFORE = 300.0   # seconds: renew when less than this remains (or a fifth of the lifetime, if shorter)


def renew_margin(lifetime):
    """How long before expiry keys that live ``lifetime`` seconds are renewed."""
    return min(RENEW_BEFORE, max(lifetime, 0.0) / 5.0)


class Keys:
    """One set of credentials. ``access``/``secret``: the key pair (or None for a bare token); ``token``: the security
    token of temporary keys, or an IAM token; ``expires``: when they stop working, in ``time.time()`` seconds (None:
    not known to expire); ``source``: where they came from, for messages ("ECS metadata", "assumed agency x")."""

    __slots__ = ("access", "secret", "token", "expires", "source")

    def __init__(self, access=None, secret=None, token=None, expires=None, source=None):
        self.access = access
        self.secret = secret
        self.token = token
        self.expires = expires
        self.source = source

    def secrets(self):
        """The values to scrub from every output (the access key is not secret, but a temporary one is short-lived
        and names a session: scrubbed too)."""
        return [v for v in (self.secret, self.token) if v]

    def __repr__(self):   # never the secrets
        return "Keys(access=%r, source=%r, expires=%r)" % (self.access, self.source, self.expires)


class Static:
    """Keys given as they are: ``keys()`` always answers them; they cannot be renewed."""

    renewable = False

    def __init__(self, keys):
        self._keys = keys
        self.source = keys.source

    def keys(self):
        return self._keys

    def expired(self, used):
        """The cloud said ``used`` expired: nothing to renew (the caller says so, naming the ways that renew)."""
        return False


class Renewing:
    """Keys issued for a while by ``fetch()`` (which returns :class:`Keys` with ``expires`` set, or raises ApiError).

    ``keys()`` answers the current keys, fetching new ones first when none were fetched yet or when less than
    :func:`renew_margin` of their lifetime remains. ``expired(used)`` is for an answer that says the keys it was signed
    with expired (or are unknown): the first such answer for the current keys fetches new ones and returns True (the
    caller sends the request once more with them); an answer about keys already replaced returns True without a
    fetch; a second expired answer for keys fetched after one returns False (the caller fails: renewing did not help).
    Thread-safe: concurrent requests share one fetch.
    """

    renewable = True

    def __init__(self, fetch, source, clock=time.time, on_secret=None):
        self._fetch = fetch
        self.source = source
        self.clock = clock
        self.on_secret = on_secret or (lambda value: None)
        self._keys = None
        self._issued = None
        self._renewed_after_expiry = None   # the keys fetched because an answer said the previous ones expired
        self._lock = threading.Lock()
        self.fetches = 0

    def _renew(self):
        issued = self.clock()
        keys = self._fetch()
        for secret in keys.secrets():
            self.on_secret(secret)
        self.fetches += 1
        self._keys, self._issued = keys, issued
        return keys

    def _due(self):
        keys = self._keys
        if keys is None:
            return True
        if keys.expires is None:
            return False
        now = self.clock()
        lifetime = keys.expires - self._issued
        return keys.expires - now <= renew_margin(lifetime)

    def keys(self):
        with self._lock:
            if self._due():
                return self._renew()
            return self._keys

    def expired(self, used):
        with self._lock:
            if used is not self._keys:
                return True                  # already replaced: send again with the current keys
            if used is self._renewed_after_expiry:
                return False                 # fresh keys refused too: renewing does not help
            self._renewed_after_expiry = self._renew()
            return True


def apply_env(params, table, environ=None):
    """A copy of ``params`` with each option the task left unset (None) taken from the first of its environment
    variables (``table``: option -> names) that is set and not empty (AWX injects unset fields as empty); and the set
    of options so filled. The task's own values are never overridden."""
    environ = os.environ if environ is None else environ
    out = dict(params)
    from_env = set()
    for option, names in table.items():
        if out.get(option) is not None:
            continue
        for name in names:
            value = environ.get(name)
            if value:
                out[option] = value
                from_env.add(option)
                break
    return out, frozenset(from_env)


def read_ini(path, section, option_name, required=()):
    """The options of ``section`` in the INI file at ``path`` (SDK credentials-file format), as a dict of strings.

    ``option_name`` names where the path came from, for messages (``credentials_file``, or the env var). A file that
    cannot be read or parsed, a missing section or missing ``required`` keys fail with a message naming the file and
    the fix (never a value from it)."""
    path = os.path.expanduser(path)
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("%s: cannot read the credentials file %s (%s); give the path of a readable file"
                         % (option_name, path, getattr(exc, "strerror", None) or type(exc).__name__))
    except configparser.Error as exc:
        raise InputError("%s: the credentials file %s is not an INI file (%s); see the SDK's format in "
                         "docs/authentication.md" % (option_name, path, type(exc).__name__))
    if not parser.has_section(section):
        raise InputError("%s: the credentials file %s has no [%s] section; add it (sections found: %s)"
                         % (option_name, path, section, ", ".join(parser.sections()) or "none"))
    values = dict((k, v.strip()) for k, v in parser.items(section) if v and v.strip())
    missing = [k for k in required if not values.get(k)]
    if missing:
        raise InputError("%s: the [%s] section of %s has no %s; add %s"
                         % (option_name, section, path, " and no ".join(missing), " and ".join(missing)))
    return values


def first_existing(paths):
    """The first of ``paths`` (``~`` expanded) that is a file, or None."""
    for path in paths:
        if path and os.path.isfile(os.path.expanduser(path)):
            return path
    return None


class Way:
    """The way in a run uses, as a cloud's ``resolve`` found it: ``kind`` (the cloud's names), where it came from
    (``origin``, for messages), the static ``keys`` (or None), ``metadata_endpoint`` and ``assume`` (the checked
    ``assume_role``, or None). Each cloud adds its own fields."""

    def __init__(self, kind, origin, keys=None, metadata_endpoint=None):
        self.kind = kind
        self.origin = origin
        self.keys = keys
        self.metadata_endpoint = metadata_endpoint
        self.assume = None


class CredentialOwner:
    """What a cloud client needs to hold its run's credentials: ``credential()`` builds them on first use (with the
    subclass's ``_build_credential()``; nothing is fetched until keys are asked for), under ``self._lock``; ``clock``
    and ``on_secret`` are the client's."""

    _credential = None

    def credential(self):
        with self._lock:
            if self._credential is None:
                self._credential = self._build_credential()
            return self._credential

    def _build_credential(self):
        raise NotImplementedError

    def _renewing(self, fetch, source):
        return Renewing(fetch, source, clock=self.clock, on_secret=self.on_secret)


def check_duration(where, value, default, low, high, bounds):
    """An assume_role ``duration``: whole seconds within the service's bounds (``bounds`` says them in words); None
    or empty (an unset AWX field): ``default``."""
    if value is None or value == "":
        return default
    try:
        duration = int(value)
    except (TypeError, ValueError):
        raise InputError("%s: duration must be a whole number of seconds, got %r" % (where, value))
    if not low <= duration <= high:
        raise InputError("%s: duration %d is out of %s: give %d to %d seconds" % (where, duration, bounds, low, high))
    return duration


class Tried:
    """The sources a lookup looked at, in order, each with why it gave nothing: the "no credentials" error lists them."""

    def __init__(self):
        self.sources = []

    def add(self, source, why):
        self.sources.append("%s (%s)" % (source, why))

    def error(self, hint):
        return InputError("no credentials: tried %s; %s" % ("; ".join(self.sources), hint))
