# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei IAM: password tokens (``POST /v3/auth/tokens``), the project lookup (``GET /v3/projects``), and temporary
keys: agency assumption and token exchange (``POST /v3.0/OS-CREDENTIAL/securitytokens``, methods ``assume_role`` /
``token``) and OIDC federation (``POST /v3.0/OS-AUTH/id-token/tokens``), as huaweicloudsdkiam's models and
huaweicloudsdkcore's ``FederalAccessor`` send them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time
import uuid

from cloudemu.auth_huawei import AuthFailure
from cloudemu.messages import Answer
from cloudemu.services.base import BadRequest, HuaweiService, Route, body_object, obj
from cloudemu.temporary import iso_micro

TOKEN_LIFETIME_S = 24 * 3600      # the default of the token_lifetime_s knob
# duration_seconds of securitytokens (assume_role and token): "15 minutes to 24 hours, default 15 minutes" (IAM API
# reference, "Obtaining a Temporary Access Key and Security Token Through an Agency" / "... Through a Token").
MIN_DURATION_S, MAX_DURATION_S, DEFAULT_DURATION_S = 900, 24 * 3600, 900
SECURITYTOKENS = "/v3.0/OS-CREDENTIAL/securitytokens"
SESSION_USER_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{4,63}$")
TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}


def _iso_ms(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + ".%06dZ" % int((epoch % 1) * 1e6)


class Iam(HuaweiService):
    name = "iam"
    routes = (
        Route("POST", "/v3/auth/tokens", "iam.token", "token", authenticated=False),
        Route("GET", "/v3/projects", "iam.projects", "projects"),
        Route("POST", "/v3.0/OS-AUTH/id-token/tokens", "iam.id_token", "id_token", authenticated=False),
        # one path, two operations: the body's identity method picks (see route())
        Route("POST", SECURITYTOKENS, "iam.assume_role", "securitytokens", authenticated=False),
        Route("POST", SECURITYTOKENS, "iam.securitytoken", "securitytokens", authenticated=False),
    )

    def route(self, req):
        found = super(Iam, self).route(req)
        if found is not None and found[1].handler == "securitytokens":
            methods = obj(obj(obj(req.json()).get("auth")).get("identity")).get("methods")
            if isinstance(methods, list) and "token" in methods and "assume_role" not in methods:
                return "iam.securitytoken", self.routes[-1], found[2]
        return found

    def iam_error(self, req, status, message):
        return Answer(status, {"error": {"code": status, "message": message, "title": TITLES.get(status, "Error")}},
                      error_code=str(status))

    def bad_request(self, req, message):
        return self.iam_error(req, 400, message)

    def token(self, req, params):
        auth = obj(body_object(req).get("auth"))
        identity = obj(auth.get("identity"))
        if not isinstance(identity.get("methods"), list) or "password" not in identity["methods"]:
            raise BadRequest("the emulator's IAM supports the password identity method only")
        user = obj(obj(identity.get("password")).get("user"))
        domain = obj(user.get("domain")).get("name")
        credentials = self.emu.world.credentials
        if not any(u["name"] == user.get("name") and u["password"] == user.get("password") and u["domain"] == domain
                   for u in credentials.users):
            return self.iam_error(req, 401, "The username or password is wrong.")
        scope = obj(auth.get("scope")).get("project")
        project = None
        if scope is not None:
            wanted = obj(scope)
            project = next((p for p in credentials.projects if (wanted.get("id") and p["id"] == wanted["id"])
                            or (wanted.get("name") and p["name"] == wanted["name"])), None)
            if project is None:
                return self.iam_error(req, 401, "The project in the token scope %s does not exist." % (scope,))
        token, body = self._issue_token("password", user["name"], {"name": domain}, project)
        return Answer(201, body, headers={"X-Subject-Token": token})

    def _issue_token(self, method, user_name, domain, project):
        """A new IAM token living ``token_lifetime_s`` seconds: (token, answer body)."""
        now = self.emu.clock.wall()
        lifetime = float(self.emu.config.get("token_lifetime_s", TOKEN_LIFETIME_S))
        token = "MIIemu" + uuid.uuid4().hex + uuid.uuid4().hex
        with self.emu.world.lock:
            self.emu.world.credentials.issued_tokens[token] = {"expires": now + lifetime, "project": project,
                                                               "user": user_name, "source": method}
        body = {"token": {
            "methods": [method], "issued_at": _iso_ms(now), "expires_at": _iso_ms(now + lifetime),
            "user": {"name": user_name, "domain": domain},
            "catalog": [], "roles": [],
        }}
        if project:
            body["token"]["project"] = {"id": project["id"], "name": project["name"], "domain": {"id": project["domain_id"]}}
        return token, body

    # temporary keys ---------------------------------------------------------------------------------------------------
    def id_token(self, req, params):
        """OIDC federation (``FederalAccessor``): header ``X-Idp-Id``, body ``{"auth": {"id_token": {"id": ...}}}`` →
        201, an unscoped (or ``scope``d) token in ``X-Subject-Token``."""
        auth = obj(body_object(req).get("auth"))
        id_token = obj(auth.get("id_token")).get("id")
        idp_id = req.header("X-Idp-Id")
        if not idp_id:
            raise BadRequest("the X-Idp-Id header (the identity provider's id) is required")
        if not isinstance(id_token, str) or not id_token:
            raise BadRequest("auth.id_token.id (the OpenID Connect ID token) is required")
        idps = self.emu.world.credentials.idps
        if idps is not None and idp_id not in idps:
            return self.iam_error(req, 404, "The identity provider %s does not exist." % idp_id)
        if idps is not None and id_token not in idps[idp_id]:
            return self.iam_error(req, 401, "The ID token is invalid or has expired.")
        project = None
        scope = obj(obj(auth.get("scope")).get("project"))
        if scope:
            project = next((p for p in self.emu.world.credentials.projects if p["id"] == scope.get("id")
                            or (scope.get("name") and p["name"] == scope["name"])), None)
            if project is None:
                return self.iam_error(req, 401, "The project in the token scope %s does not exist." % (scope,))
        token, body = self._issue_token("mapped", "federated-%s" % idp_id, {"name": self._default_domain()}, project)
        return Answer(201, body, headers={"X-Subject-Token": token})

    def _default_domain(self):
        users = self.emu.world.credentials.users
        return users[0]["domain"] if users else "emulator"

    @staticmethod
    def _duration(value):
        if value is None:
            return DEFAULT_DURATION_S
        if isinstance(value, bool) or not isinstance(value, int) or not MIN_DURATION_S <= value <= MAX_DURATION_S:
            raise BadRequest("Invalid duration_seconds %r: it must be an integer from %d (15 minutes) to %d (24 hours)."
                             % (value, MIN_DURATION_S, MAX_DURATION_S))
        return value

    def securitytokens(self, req, params):
        identity = obj(obj(body_object(req).get("auth")).get("identity"))
        methods = identity.get("methods")
        if methods == ["assume_role"]:
            return self._assume_role(req, obj(identity.get("assume_role")), identity)
        if methods == ["token"]:
            return self._token_credential(req, obj(identity.get("token")))
        raise BadRequest("auth.identity.methods must be [\"assume_role\"] or [\"token\"], got %r" % (methods,))

    def _assume_role(self, req, spec, identity):
        """Agency assumption, authenticated by the base credentials (AK/SK signature, temporary keys, or X-Auth-Token)."""
        credentials = self.emu.world.credentials
        try:
            self.emu.huawei_auth.verify(req, credentials, None)
        except AuthFailure as exc:
            return self.auth_error(req, exc)
        name, domain_name, domain_id = spec.get("agency_name"), spec.get("domain_name"), spec.get("domain_id")
        if not isinstance(name, str) or not name:
            raise BadRequest("auth.identity.assume_role.agency_name is required")
        if not (isinstance(domain_name, str) and domain_name) and not (isinstance(domain_id, str) and domain_id):
            raise BadRequest("auth.identity.assume_role needs domain_name or domain_id")
        duration = self._duration(spec.get("duration_seconds"))
        session_user = spec.get("session_user")
        if session_user is not None and not SESSION_USER_RE.match(str(obj(session_user).get("name") or "")):
            raise BadRequest("assume_role.session_user.name must be 5-64 letters, digits, - or _, starting with a letter")
        if identity.get("policy") is not None and not isinstance(identity["policy"], dict):
            raise BadRequest("auth.identity.policy must be an object")
        if credentials.agencies is not None and not any(
                a["name"] == name and (a["domain_name"] == domain_name if domain_name else a["domain_id"] == domain_id)
                for a in credentials.agencies):
            return self.iam_error(req, 404, "Could not find agency %s in domain %s." % (name, domain_name or domain_id))
        return self._issue_keys("assume_role:%s" % name, duration)

    def _token_credential(self, req, spec):
        """Token exchange: the token in ``auth.identity.token.id`` (or ``X-Auth-Token``), as ``FederalAccessor`` sends it."""
        token = spec.get("id") or req.header("X-Auth-Token")
        if not isinstance(token, str) or not token:
            return self.iam_error(req, 401, "The request you have made requires authentication: no token in "
                                  "auth.identity.token.id or X-Auth-Token.")
        credentials = self.emu.world.credentials
        if token not in credentials.static_tokens:
            issued = credentials.issued_tokens.get(token)
            if issued is None:
                return self.iam_error(req, 401, "The request you have made requires authentication: the token is not valid.")
            if issued["expires"] <= self.emu.clock.wall():
                return self.iam_error(req, 401, "The token has expired (expires_at %s)." % _iso_ms(issued["expires"]))
        return self._issue_keys("token", self._duration(spec.get("duration_seconds")))

    def _issue_keys(self, source, duration):
        world = self.emu.world
        with world.lock:
            key = world.credentials.issued.issue_huawei(self.emu.clock.wall(), self.emu.credential_lifetime(duration), source)
        return Answer(201, {"credential": {"access": key.key_id, "secret": key.secret, "securitytoken": key.token,
                                           "expires_at": iso_micro(key.expires)}})

    def projects(self, req, params):
        name = req.param("name")
        found = [p for p in self.emu.world.credentials.projects if name is None or p["name"] == name]
        return Answer(200, {"projects": [{"id": p["id"], "name": p["name"], "domain_id": p["domain_id"], "enabled": True,
                                          "is_domain": False, "parent_id": p["domain_id"], "description": ""}
                                         for p in found],
                            "links": {"self": "/v3/projects", "next": None, "previous": None}})
