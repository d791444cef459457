# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Instance metadata: Huawei ECS (the agency's temporary keys) and Tencent CVM (the CAM role's credentials).

ECS, as huaweicloudsdkcore's ``MetadataAccessor`` calls it: ``PUT /meta-data/latest/api/token`` with
``X-Metadata-Token-Ttl-Seconds`` answers a metadata token as text; ``GET /openstack/latest/securitykey`` with
``X-Metadata-Token`` answers ``{"credential": {"access", "secret", "securitytoken", "expires_at"}}``.
CVM, as tencentcloud-sdk-python-common's ``CVMRoleCredential`` calls it: ``GET /latest/meta-data/cam/security-credentials/``
answers the role name as text; ``GET .../security-credentials/{role}`` answers ``TmpSecretId``, ``TmpSecretKey``,
``Token``, ``ExpiredTime``, ``Expiration``, ``Code``. No signatures: the metadata service trusts the instance.
Errors are plain text, as metadata services answer.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from cloudemu.messages import Answer
from cloudemu.services.base import BadRequest, Route, Service
from cloudemu.temporary import iso_micro, iso_seconds

MAX_TOKEN_TTL_S = 21600                 # X-Metadata-Token-Ttl-Seconds: 1 to 21600 (6 h), what the SDK asks
ECS_KEY_LIFETIME_S = 24 * 3600          # an agency's metadata keys, unless credential_lifetime_s says otherwise
CVM_KEY_LIFETIME_S = 2 * 3600           # a CAM role's metadata credentials, likewise
NO_AGENCY = "Please configure Cloud Service Agency first"   # the text MetadataAccessor tells "no agency" by
# metadata_token modes of an instance without the token service: what the token PUT answers (MetadataAccessor goes on
# without a token after any of them)
NO_TOKEN_SERVICE = {"404": "Not Found", "405": "Method Not Allowed", "503": "Service Unavailable"}


class MetadataService(Service):
    """What the two metadata services share: text errors, no authentication."""

    def error(self, req, status, code, message):
        return Answer(status, body=("%s\n" % message).encode("utf-8"), content_type="text/plain",
                      error_code=code or str(status))

    def bad_request(self, req, message):
        return self.error(req, 400, "400", message)

    def fault(self, req, status, code=None, message=None):
        """An injected ``status`` fault: plain text, the status as its code (no API gateway in front of metadata)."""
        return self.error(req, status, code or str(status), message or "Emulated fault: HTTP %d" % status)


class EcsMetadata(MetadataService):
    name = "ecs_metadata"
    routes = (
        Route("PUT", "/meta-data/latest/api/token", "ecs.metadata_token", "token"),
        Route("GET", "/openstack/latest/securitykey", "ecs.securitykey", "securitykey"),
    )

    def token(self, req, params):
        mode = self.emu.config["metadata_token"]
        if mode in NO_TOKEN_SERVICE:
            return self.error(req, int(mode), mode, NO_TOKEN_SERVICE[mode])
        raw = (req.header("X-Metadata-Token-Ttl-Seconds") or "").strip()
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_TOKEN_TTL_S:
            raise BadRequest("X-Metadata-Token-Ttl-Seconds must be an integer from 1 to %d, got %r" % (MAX_TOKEN_TTL_S, raw))
        lifetime = self.emu.config.get("metadata_token_lifetime_s") or int(raw)
        world = self.emu.world
        with world.lock:
            token = world.credentials.issued.metadata_token(self.emu.clock.wall(), lifetime)
        return Answer(200, body=token.encode("utf-8"), content_type="text/plain")

    def _token_problem(self, req):
        """Why the request's metadata token is refused, or None."""
        mode = self.emu.config["metadata_token"]
        if mode in NO_TOKEN_SERVICE:
            return None
        token = req.header("X-Metadata-Token")
        if token is None:
            return "a metadata token is required: PUT /meta-data/latest/api/token, then send it in X-Metadata-Token" \
                if mode == "required" else None
        expires = self.emu.world.credentials.issued.metadata_tokens.get(token)
        if expires is None:
            return "the metadata token is not valid"
        if expires <= self.emu.clock.wall():
            return "the metadata token has expired"
        return None

    def securitykey(self, req, params):
        problem = self._token_problem(req)
        if problem:
            return self.error(req, 401, "401", "Unauthorized: %s" % problem)
        agency = self.emu.config.get("metadata_agency")
        if not agency:
            return self.error(req, 401, "401", NO_AGENCY)
        world = self.emu.world
        with world.lock:
            issued = world.credentials.issued
            key = issued.instance_key(("ecs", agency), self.emu.clock.wall(), self.emu.credential_lifetime(ECS_KEY_LIFETIME_S),
                                      issued.issue_huawei)
        return Answer(200, {"credential": {"access": key.key_id, "secret": key.secret, "securitytoken": key.token,
                                           "expires_at": iso_micro(key.expires)}})


class CvmMetadata(MetadataService):
    name = "cvm_metadata"
    routes = (
        Route("GET", "/latest/meta-data/cam/security-credentials", "cvm.role", "role"),
        Route("GET", "/latest/meta-data/cam/security-credentials/{role}", "cvm.credentials", "credentials"),
    )

    def role(self, req, params):
        role = self.emu.config.get("metadata_role")
        if not role:
            return self.error(req, 404, "404", "Not Found: no CAM role is bound to this instance")
        return Answer(200, body=role.encode("utf-8"), content_type="text/plain")

    def credentials(self, req, params):
        role = self.emu.config.get("metadata_role")
        if not role or params["role"] != role:
            return self.error(req, 404, "404", "Not Found: the instance has no CAM role %s" % params["role"])
        world = self.emu.world
        with world.lock:
            issued = world.credentials.issued
            key = issued.instance_key(("cvm", role), self.emu.clock.wall(), self.emu.credential_lifetime(CVM_KEY_LIFETIME_S),
                                      issued.issue_tencent)
        return Answer(200, {"TmpSecretId": key.key_id, "TmpSecretKey": key.secret, "ExpiredTime": int(key.expires),
                            "Expiration": iso_seconds(key.expires), "Token": key.token, "Code": "Success"})
