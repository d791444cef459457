# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei IAM: password tokens (``POST /v3/auth/tokens``) and the project lookup (``GET /v3/projects``)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
import uuid

from cloudemu.messages import Answer
from cloudemu.services.base import BadRequest, HuaweiService, Route, body_object, obj

TOKEN_LIFETIME_S = 24 * 3600
TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}


def _iso_ms(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + ".%06dZ" % int((epoch % 1) * 1e6)


class Iam(HuaweiService):
    name = "iam"
    routes = (
        Route("POST", "/v3/auth/tokens", "iam.token", "token", authenticated=False),
        Route("GET", "/v3/projects", "iam.projects", "projects"),
    )

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
        now = self.emu.clock.wall()
        token = "MIIemu" + uuid.uuid4().hex + uuid.uuid4().hex
        with self.emu.world.lock:
            credentials.issued_tokens[token] = {"expires": now + TOKEN_LIFETIME_S, "project": project, "user": user["name"]}
        body = {"token": {
            "methods": ["password"], "issued_at": _iso_ms(now), "expires_at": _iso_ms(now + TOKEN_LIFETIME_S),
            "user": {"name": user["name"], "domain": {"name": domain}},
            "catalog": [], "roles": [],
        }}
        if project:
            body["token"]["project"] = {"id": project["id"], "name": project["name"], "domain": {"id": project["domain_id"]}}
        return Answer(201, body, headers={"X-Subject-Token": token})

    def projects(self, req, params):
        name = req.param("name")
        found = [p for p in self.emu.world.credentials.projects if name is None or p["name"] == name]
        return Answer(200, {"projects": [{"id": p["id"], "name": p["name"], "domain_id": p["domain_id"], "enabled": True,
                                          "is_domain": False, "parent_id": p["domain_id"], "description": ""}
                                         for p in found],
                            "links": {"self": "/v3/projects", "next": None, "previous": None}})
