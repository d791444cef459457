# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small fake of the Huawei endpoints the credential sources call (ECS metadata, IAM password / id-token tokens,
securitytokens, projects) and of one job API that checks the key or token of every request against a fake clock.

It stands in for the HTTP session under the real :class:`_transport.Transport`, so the client's whole request path
(retries, error answers, the renewal after a 401) runs as against a server. Every request is recorded.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import time

from urllib.parse import urlsplit

from ansible_collections.cloudops.jobs.plugins.module_utils._transport import RawResponse, Transport

PROJECT = "0123456789abcdef0123456789abcdef"
JOB_PATH = "/v3/%s/jobs/x" % PROJECT
IAM = "https://iam.test"
METADATA = "http://169.254.169.254"
SERVICE = "https://drs.test"


def iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + ".%06dZ" % int((epoch % 1) * 1e6)


class Headers(dict):
    """Case-insensitive ``get``, as http.client's message."""

    def get(self, name, default=None):
        for key, value in self.items():
            if key.lower() == name.lower():
                return value
        return default


class Clock:
    def __init__(self, now=1.8e9):
        self.now = now

    def __call__(self):
        return self.now


class Sent:
    def __init__(self, method, url, headers, body):
        self.method, self.url, self.headers, self.body = method, url, Headers(headers), body
        self.path = urlsplit(url).path

    def json(self):
        return json.loads(self.body.decode("utf-8")) if self.body else None

    def access(self):
        auth = self.headers.get("Authorization") or ""
        match = re.search(r"Access=([^,]+)", auth)
        return match.group(1) if match else None


class FakeCloud:
    """``lifetime``: seconds the keys and tokens it issues live; ``expired_now``: keys/tokens to refuse as expired
    at once (revoked early), ``refuse``: answer 401 to every job request."""

    def __init__(self, clock, lifetime=8.0):
        self.clock = clock
        self.lifetime = lifetime
        self.requests = []
        self.issued = {}          # access key or token -> expires
        self.static = {"AKSTATIC": None, "STATICTOKEN": None}
        self.expired_now = set()
        self.metadata_token = "put"   # put: tokens issued; 404/405: no token service
        self.metadata_agency = True
        self.metadata_tokens = set()
        self.n = 0
        self.refused = []         # job requests answered 401
        self.used_expired = []    # job requests that carried an expired key (should stay empty)

    def session(self):
        return self

    def transport(self):
        return Transport(max_retries=0, session=self)

    def close(self):
        pass

    # the HttpSession interface ------------------------------------------------------------------------------------
    def request(self, method, url, headers=None, data=None, timeout=30):
        sent = Sent(method, url, headers or {}, data or b"")
        self.requests.append(sent)
        status, out_headers, body = self.answer(sent)
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode("utf-8")
        elif isinstance(body, str):
            body = body.encode("utf-8")
        return RawResponse(status, Headers(out_headers), body)

    def _issue(self, prefix):
        self.n += 1
        key = "%s%04d" % (prefix, self.n)
        self.issued[key] = self.clock() + self.lifetime
        return key

    def _keys(self, prefix):
        access = self._issue(prefix)
        return {"credential": {"access": access, "secret": "SECRET-" + access, "securitytoken": "STOKEN-" + access,
                               "expires_at": iso(self.issued[access])}}

    def answer(self, sent):
        path = sent.path
        if path == "/meta-data/latest/api/token":
            if self.metadata_token != "put":
                return int(self.metadata_token), {}, "Not Found"
            token = "MDTOKEN%d" % (len(self.metadata_tokens) + 1)
            self.metadata_tokens.add(token)
            return 200, {"Content-Type": "text/plain"}, token
        if path == "/openstack/latest/securitykey":
            if self.metadata_token == "put" and sent.headers.get("X-Metadata-Token") not in self.metadata_tokens:
                return 401, {}, "Unauthorized: the metadata token is not valid"
            if not self.metadata_agency:
                return 401, {}, "Please configure Cloud Service Agency first"
            return 200, {}, self._keys("MDAK")
        if path == "/v3/auth/tokens":
            token = self._issue("PWTOKEN")
            body = {"token": {"expires_at": iso(self.issued[token]), "project": {"id": PROJECT, "name": "r"}}}
            return 201, {"X-Subject-Token": token}, body
        if path == "/v3.0/OS-AUTH/id-token/tokens":
            token = self._issue("FEDTOKEN")
            return 201, {"X-Subject-Token": token}, {"token": {"expires_at": iso(self.issued[token])}}
        if path == "/v3.0/OS-CREDENTIAL/securitytokens":
            methods = sent.json()["auth"]["identity"]["methods"]
            if methods == ["assume_role"]:
                problem = self._auth_problem(sent)
                if problem:
                    return 401, {}, {"error_code": "APIGW.0301", "error_msg": problem}
                return 201, {}, self._keys("AGENCYAK")
            return 201, {}, self._keys("FEDAK")
        if path == "/v3/projects":
            return 200, {}, {"projects": [{"id": PROJECT, "name": "cn-north-4"}]}
        problem = self._auth_problem(sent)
        if problem:
            self.refused.append(sent)
            return 401, {}, {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: " + problem}
        return 200, {}, {"job": {"id": "x"}}

    def _auth_problem(self, sent):
        credential = sent.headers.get("X-Auth-Token") or sent.access()
        if credential in self.static:
            return None
        if credential not in self.issued:
            return "ak not exist"
        expired = self.issued[credential] <= self.clock() or credential in self.expired_now
        if expired and self.issued[credential] <= self.clock():
            self.used_expired.append(sent)
        if expired:
            return "security token expires"
        if sent.access() and sent.headers.get("X-Security-Token") != "STOKEN-" + credential:
            return "the temporary access key needs its X-Security-Token"
        return None

    def job_requests(self):
        return [r for r in self.requests if r.path == JOB_PATH]

    def paths(self):
        return [r.path for r in self.requests]
