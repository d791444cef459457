# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud STS (2018-08-13): ``AssumeRole`` (TC3-signed by the base key, credential scope ``.../sts/tc3_request``)
and ``AssumeRoleWithWebIdentity`` (not signed: the SDK's ``OIDCRoleArnCredential`` sends ``Authorization: SKIP``).

Served on the same port as Batch: a ``POST /`` (or GET) whose ``X-TC-Action`` is one of these actions, or whose
credential scope names service ``sts``, is an STS request; every other ``X-TC-Action`` request goes to Batch.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from urllib.parse import unquote

from cloudemu.auth_tencent import TencentFailure, verify
from cloudemu.messages import parse_authorization
from cloudemu.services.tencent_batch import TencentBatch, _query_payload
from cloudemu.temporary import iso_seconds

VERSION = "2018-08-13"
ACTIONS = ("AssumeRole", "AssumeRoleWithWebIdentity")
DEFAULT_DURATION_S, MAX_DURATION_S = 7200, 43200
MAX_POLICY = 2048
SESSION_NAME_RE = re.compile(r"^[\w+=,.@-]{2,128}$")
ROLE_ARN_RE = re.compile(r"^qcs::cam::uin/\d+:role(Name)?/[\w+=,.@-]+$")


def _scope_service(req):
    _algorithm, fields = parse_authorization(req.header("Authorization"))
    parts = (fields.get("Credential") or "").split("/")
    return parts[2] if len(parts) == 4 else None


class TencentSts(TencentBatch):
    name = "tencent_sts"

    def ops(self):
        return ["sts.%s" % action for action in ACTIONS]

    def route(self, req):
        action = req.header("X-TC-Action")
        if req.path != "/" or not action or req.method not in ("POST", "GET"):
            return None
        if action in ACTIONS or _scope_service(req) == "sts":
            return "sts.%s" % action, action, {}
        return None

    def handle(self, req, route, params):
        emu = self.emu
        try:
            if route == "AssumeRole" or route not in ACTIONS:
                verify(req, emu.world.credentials, emu.clock.wall(), "sts", emu.config["tencent_expired_code"])
            if route not in ACTIONS:
                raise TencentFailure("InvalidAction", "The action `%s` is not valid for this service." % route)
            version = req.header("X-TC-Version")
            if version != VERSION:
                raise TencentFailure("InvalidParameterValue", "The API version `%s` is not valid for STS (%s)." % (version, VERSION))
            if req.method == "GET":
                payload = _query_payload(req.query_pairs)
            else:
                payload = req.json()
                if not isinstance(payload, dict):
                    raise TencentFailure("InvalidParameter", "The request body is not a JSON object.")
            return self.assume(req, route, payload)
        except TencentFailure as exc:
            return self.error(req, 200, exc.code, exc.message)

    @staticmethod
    def _string(payload, name, required=True):
        value = payload.get(name)
        if value is None or value == "":
            if required:
                raise TencentFailure("MissingParameter", "The request is missing a required parameter `%s`." % name)
            return None
        if not isinstance(value, str):
            raise TencentFailure("InvalidParameter.ParamError", "The parameter `%s` must be a string." % name)
        return value

    def assume(self, req, action, payload):
        credentials = self.emu.world.credentials
        role_arn = self._string(payload, "RoleArn")
        session = self._string(payload, "RoleSessionName")
        if not SESSION_NAME_RE.match(session):
            raise TencentFailure("InvalidParameter.ParamError", "RoleSessionName must be 2-128 characters of letters, digits "
                                 "and +=,.@-_, got `%s`." % session)
        duration = payload.get("DurationSeconds", DEFAULT_DURATION_S)
        if isinstance(duration, str) and duration.isdigit():
            duration = int(duration)
        if isinstance(duration, bool) or not isinstance(duration, int) or not 0 < duration <= MAX_DURATION_S:
            raise TencentFailure("InvalidParameter.OverTimeError", "DurationSeconds must be an integer from 1 to %d, got `%s`."
                                 % (MAX_DURATION_S, duration))
        if action == "AssumeRole":
            policy = self._string(payload, "Policy", required=False)
            if policy is not None:
                text = unquote(policy)
                if len(text) > MAX_POLICY:
                    raise TencentFailure("InvalidParameter.PolicyTooLong", "Policy is longer than %d characters." % MAX_POLICY)
                try:
                    json.loads(text)
                except ValueError:
                    raise TencentFailure("InvalidParameter.StrategyFormatError", "Policy is not a URL-encoded JSON policy.")
        else:
            provider = self._string(payload, "ProviderId")
            token = self._string(payload, "WebIdentityToken")
            providers = credentials.oidc_providers
            if providers is not None and token not in providers.get(provider, ()):
                raise TencentFailure("InvalidParameter.WebIdentityTokenError",
                                     "The WebIdentityToken is not valid for the identity provider `%s`." % provider)
        if not ROLE_ARN_RE.match(role_arn):
            raise TencentFailure("InvalidParameter.ResouceError", "RoleArn `%s` is not a role ARN "
                                 "(qcs::cam::uin/<uin>:roleName/<name>)." % role_arn)
        if credentials.roles is not None and role_arn not in credentials.roles:
            raise TencentFailure("ResourceNotFound.RoleNotFound", "The role `%s` does not exist." % role_arn)
        world = self.emu.world
        with world.lock:
            key = credentials.issued.issue_tencent(self.emu.clock.wall(), self.emu.credential_lifetime(duration),
                                                   "%s:%s" % (action, role_arn))
        return self._answer(req, {"Credentials": {"Token": key.token, "TmpSecretId": key.key_id, "TmpSecretKey": key.secret},
                                  "ExpiredTime": int(key.expires), "Expiration": iso_seconds(key.expires)})
