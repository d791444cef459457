# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What arrives (:class:`Request`) and what goes back (:class:`Answer`), free of any HTTP server."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import uuid

from urllib.parse import unquote


_AUTH_FIELD_RE = re.compile(r"([A-Za-z]+)=([^,\s]*)")


def parse_authorization(value):
    """``ALGORITHM Name=value, Name=value`` → (algorithm, {name: value})."""
    algorithm, _sep, rest = (value or "").strip().partition(" ")
    return algorithm, dict(_AUTH_FIELD_RE.findall(rest))


def new_request_id():
    return uuid.uuid4().hex


def split_query(query_string):
    """(key, value) pairs decoded as the signers read them back: ``%XX`` unquoted, ``+`` kept."""
    pairs = []
    for item in (query_string or "").split("&"):
        if item:
            key, _sep, value = item.partition("=")
            pairs.append((unquote(key), unquote(value)))
    return pairs


class Request:
    """One request as received. ``headers``: (name, value) pairs in arrival order, values as sent."""

    def __init__(self, method, path, query_string, host, headers, body):
        self.method = method.upper()
        self.path = path or "/"
        self.query_string = query_string or ""
        self.query_pairs = split_query(self.query_string)
        self.host = host or ""
        self.headers = headers
        self.body = body or b""
        self.request_id = new_request_id()
        self._lookup = {}
        for name, value in headers:
            self._lookup.setdefault(name.lower(), value)
        self._json = None
        self._json_parsed = False

    def header(self, name):
        """The first value of a header (None when absent)."""
        return self._lookup.get(name.lower())

    def query(self):
        """The query as a dict of lists."""
        out = {}
        for key, value in self.query_pairs:
            out.setdefault(key, []).append(value)
        return out

    def param(self, name, default=None):
        for key, value in self.query_pairs:
            if key == name:
                return value
        return default

    def json(self):
        """The body parsed as JSON, or None when it is empty or not JSON."""
        if not self._json_parsed:
            self._json_parsed = True
            try:
                self._json = json.loads(self.body.decode("utf-8")) if self.body else None
            except ValueError:
                self._json = None
        return self._json

    def logged_body(self):
        data = self.json()
        if data is not None or not self.body:
            return data
        return self.body.decode("utf-8", "replace")

    def logged_headers(self):
        out = {}
        for name, value in self.headers:
            out[name] = value if name not in out else out[name] + ", " + value
        return out


class Answer:
    """An answer: status, JSON-able ``data`` or raw ``body`` bytes, headers, and what the log records."""

    def __init__(self, status, data=None, headers=None, body=None, content_type="application/json",
                 error_code=None, acted=False):
        self.status = status
        self.data = data
        self.headers = dict(headers or {})
        self._body = body
        self.content_type = content_type
        self.error_code = error_code
        self.acted = acted
        self.drop = False

    def body(self):
        if self._body is None:
            self._body = json.dumps(self.data, separators=(",", ":")).encode("utf-8") if self.data is not None else b""
        return self._body
