# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud client: picks the one way in, finds the project, builds endpoints, signs and sends."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import threading

try:
    from urllib.parse import quote, urlencode, urlsplit
except ImportError:  # pragma: no cover
    from urllib import quote, urlencode  # type: ignore
    from urlparse import urlsplit  # type: ignore

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import HUAWEI_AUTH_ENV, InputError, check_ids, huawei_spec
from ansible_collections.cloudops.jobs.plugins.module_utils import _endpoints as endpoints
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import MALFORMED, ApiError, Shape
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei_auth import AkSkAuth, TokenAuth
from ansible_collections.cloudops.jobs.plugins.module_utils._transport import default_classify, host_of

_REGION = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")

AUTH_CHOICES = ("auth_token", "access_key + secret_key", "user_name + password + domain_name")


def path_quote(value):
    """An id placed in a URL path: every reserved character escaped."""
    return quote(str(value), safe="")


# The options that belong to each way in; setting those of two ways at once is an error, not a silent choice.
# (domain_name alone does not count: it is used only with user_name and password.)
AUTH_WAYS = (
    ("token", ("auth_token",)),
    ("aksk", ("access_key", "secret_key", "security_token")),
    ("password", ("user_name", "password")),
)
PASSWORD_FIELDS = ("user_name", "password", "domain_name")


def choose_auth(params, from_env=frozenset()):
    """The one way in; (kind, problem message or None).

    Options of two ways at once are refused. ``from_env`` names the options whose values came from environment
    variables (``_credentials.apply_env``); the others the task itself set (module_defaults included). A way set by the
    task wins over ways found only in the environment (an AWX credential), and among ways found only in the
    environment the contract's order decides: auth_token, else access_key + secret_key, else password login.
    """
    given = [(kind, [name for name in names if params.get(name)]) for kind, names in AUTH_WAYS]
    given = [(kind, names) for kind, names in given if names]
    if len(given) > 1 and from_env:
        by_task = [(kind, names) for kind, names in given if any(name not in from_env for name in names)]
        if len(by_task) == 1:
            given = by_task
        elif not by_task:
            given = given[:1]
    if len(given) > 1:
        return None, ("%s conflict: set the options of one way in only (%s)"
                      % (" and ".join(", ".join(names) for _kind, names in given), "; ".join(AUTH_CHOICES)))
    if not given and params.get("domain_name"):
        given = [("password", ["domain_name"])]
    if not given:
        return None, ("no credentials: set one of %s (or their environment variables, e.g. HUAWEICLOUD_SDK_AK and "
                      "HUAWEICLOUD_SDK_SK)" % "; ".join(AUTH_CHOICES))
    kind, _names = given[0]
    if kind == "aksk" and not (params.get("access_key") and params.get("secret_key")):
        missing = " and ".join(n for n in ("access_key", "secret_key") if not params.get(n))
        if params.get("access_key") or params.get("secret_key"):
            return None, "access_key and secret_key go together: %s is missing" % missing
        return None, "security_token goes with access_key and secret_key: %s missing" % missing
    if kind == "password":
        missing = [f for f in PASSWORD_FIELDS if not params.get(f)]
        if missing:
            return None, "IAM password login needs user_name, password and domain_name: %s missing" % ", ".join(missing)
    return kind, None


def validate_params(params, service_needs_region=True, from_env=frozenset()):
    """Input checks that need no request."""
    kind, problem = choose_auth(params, from_env)
    if problem:
        raise InputError(problem)
    # region becomes part of host names and project_id a URL path segment: neither may change where a request goes.
    if params.get("region") and not _REGION.match(params["region"]):
        raise InputError("region %r is not a region name such as cn-north-4 (letters, digits and '-' only)" % params["region"])
    if params.get("project_id"):
        check_ids([params["project_id"]], "project_id")
    if not params.get("region"):
        if kind == "password" or not params.get("project_id"):
            raise InputError("region is required (or set HUAWEICLOUD_SDK_REGION): it finds the project "
                             "and builds the endpoints")
        if service_needs_region and not params.get("endpoint"):
            raise InputError("region is required to build the service endpoint; set region or endpoint")
    return kind


class HuaweiClient:
    """Signs and sends Huawei Cloud API requests for one module run."""

    def __init__(self, params, transport, on_secret=None, warn=None, from_env=frozenset()):
        self.params = params
        self.transport = transport
        self.on_secret = on_secret or (lambda value: None)
        self.warn = warn or (lambda msg: None)
        self.region = params.get("region")
        self.kind = validate_params(params, from_env=from_env)
        self._project_id = params.get("project_id")
        self._auth = None
        self._lock = threading.RLock()  # project_id() -> auth() re-enters

    # endpoints -----------------------------------------------------------
    def endpoint(self, service):
        base = self.params.get("endpoint") or endpoints.endpoint(service, self.region)
        return base.rstrip("/")

    def iam_endpoint(self):
        base = self.params.get("iam_endpoint") or endpoints.endpoint("iam", self.region)
        return base.rstrip("/")

    # auth ----------------------------------------------------------------
    def auth(self):
        with self._lock:
            if self._auth is None:
                p = self.params
                if self.kind == "token":
                    self._auth = TokenAuth(p["auth_token"])
                elif self.kind == "aksk":
                    self._auth = AkSkAuth(p["access_key"], p["secret_key"], p.get("security_token"))
                else:
                    self._auth = TokenAuth(self._password_login())
            return self._auth

    def _password_login(self):
        p = self.params
        scope = {"project": {"id": self._project_id}} if self._project_id else {"project": {"name": self.region}}
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": p["user_name"], "password": p["password"], "domain": {"name": p["domain_name"]}}}},
            "scope": scope}}
        url = self.iam_endpoint() + "/v3/auth/tokens"
        with self._step("IAM password login", url, "check user_name, password and domain_name (HW_USER_NAME, "
                        "HW_USER_PASSWORD, HW_DOMAIN_NAME), and that the user may log in to project %s"
                        % (self._project_id or self.region)):
            response = self._send("POST", url, body=body, signed=False, idempotent=True)
            shape = Shape("IAM password login (POST /v3/auth/tokens)", response.header("X-Request-Id"))
            token = response.header("X-Subject-Token")
            if not token:
                raise shape.error("the X-Subject-Token header", "missing", "the token")
            self.on_secret(token)
            granted = shape.get(shape.obj(response.json()), "token", (dict,))
            if not self._project_id:
                self._project_id = shape.get(shape.get(granted, "project", (dict,), "token.project"), "id", (str,),
                                             "token.project.id")
        return token

    def project_id(self):
        if self._project_id:
            return self._project_id
        self.auth()  # a password login may have found it
        with self._lock:
            if not self._project_id:
                self._project_id = self._lookup_project()
        return self._project_id

    def _lookup_project(self):
        url = self.iam_endpoint() + "/v3/projects?" + urlencode({"name": self.region}, quote_via=quote)
        with self._step("IAM project lookup", url, "set project_id (or HUAWEICLOUD_SDK_PROJECT_ID) to skip the lookup"):
            response = self._send("GET", url, idempotent=True)
            shape = Shape("IAM project list (GET /v3/projects)", response.header("X-Request-Id"))
            projects = shape.items(shape.obj(response.json()), "projects", "a project")
            if len(projects) != 1:
                raise ApiError("IAM found %d projects named %r; set project_id (or HUAWEICLOUD_SDK_PROJECT_ID) to the "
                               "project to use, or check region" % (len(projects), self.region),
                               code="ProjectNotFound" if not projects else "ProjectAmbiguous",
                               request_id=response.header("X-Request-Id"))
            return shape.get(projects[0], "id", (str,), "projects[0].id")

    def _step(self, step, url, hint):
        return _Step(self, step, url, hint)

    def where_hint(self, url, iam=False):
        """What to check when a host cannot be reached."""
        option = "iam_endpoint" if iam else "endpoint"
        if self.params.get(option):
            return "check %s (%s)" % (option, self.params[option])
        return "check region (%s, which builds %s) or set %s" % (self.region, host_of(url), option)

    def refused_hint(self):
        """What to check when the gateway refuses the request's credentials (HTTP 401)."""
        if self.kind == "token":
            return ("auth_token was refused: IAM tokens expire after 24 hours; get a new one, or use access_key and "
                    "secret_key, or password login, which log in afresh")
        if self.kind == "aksk":
            return ("check access_key and secret_key (temporary keys also need security_token) and the controller's clock "
                    "(date -u)")
        return "the token of the password login was refused: check that the user may use this service in this project"

    # requests ------------------------------------------------------------
    def _send(self, method, url, body=None, headers=None, signed=True, idempotent=False, derived=None):
        payload = b"" if body is None else json.dumps(body, separators=(", ", ": ")).encode("utf-8")
        base = self.transport.base_headers()
        base["Content-Type"] = "application/json"
        base.update(headers or {})
        if self._project_id and signed:
            base.setdefault("X-Project-Id", self._project_id)
        auth = self.auth() if signed else None

        def prepare():
            sent = auth.apply(method, url, base, payload, derived=derived) if auth is not None else dict(base)
            sent.setdefault("Host", urlsplit(url).netloc)
            return method, url, sent, payload or None

        return self.transport.send(prepare, idempotent=idempotent, classify=default_classify)

    def call(self, service, method, path, body=None, query=None, headers=None, idempotent=False, derived=None):
        """Send ``METHOD {endpoint}{path}`` (``{project_id}`` in ``path`` is filled in); return (the parsed JSON, or None
        for an empty body, request id). The caller reads the answer against its model (:class:`_errors.Shape`).

        Raises ApiError for an error answer (the transport decides whether a write may have acted); an unreachable host
        or a refused credential names what to check.
        """
        api = "%s %s %s" % (service.upper() if service != "workspace" else "Workspace", method, path)   # for messages
        if "{project_id}" in path:
            path = path.replace("{project_id}", path_quote(self.project_id()))
        url = self.endpoint(service) + path
        if query:
            # %20, not +, for spaces: the signer reads the query back with unquote.
            url += "?" + urlencode(query, doseq=True, quote_via=quote)
        try:
            response = self._send(method, url, body=body, headers=headers, idempotent=idempotent, derived=derived)
        except ApiError as exc:
            if exc.step:   # the login made on the way (project_id given): its message already names what to check
                raise
            if exc.code == MALFORMED:
                exc.message = "%s: %s" % (api, exc.message)
            elif exc.code in ApiError.CONNECTION_CODES and not exc.outcome_unknown:
                exc.message += "; " + self.where_hint(url)
            elif exc.http_status == 401:
                exc.message += "; " + self.refused_hint()
            raise
        return response.json(), response.header("X-Request-Id")


class _Step:
    """A step before any job's request (IAM login, project lookup): its errors name the step, the host and the fix."""

    def __init__(self, client, step, url, hint):
        self.client, self.step, self.url, self.hint = client, step, url, hint

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, _tb):
        if not isinstance(exc, ApiError) or exc.step:
            return False
        if exc.code in ApiError.CONNECTION_CODES:
            hint = self.client.where_hint(self.url, iam=True)
        elif exc.code in ("SSLError", "ProxyError"):
            hint = None   # the transport's message names ca_bundle or the proxy credentials
        elif exc.http_status == 404:
            hint = "check iam_endpoint (%s)" % host_of(self.url)
        else:
            hint = self.hint
        at = "" if exc.http_status is None and exc.code != "MalformedResponse" else " at %s" % host_of(self.url)
        exc.message = "%s%s failed: %s%s" % (self.step, at, exc.message, "; " + hint if hint else "")
        exc.step = self.step
        return False


def _check(cm):
    validate_params(cm.params, from_env=cm.from_env)


def _build(cm, pool_size):
    return HuaweiClient(cm.params, cm.transport(pool_size), on_secret=cm.add_secret, warn=cm.warn, from_env=cm.from_env)


# Huawei Cloud's entry for CloudJobsModule: its shared options, its input checks (no request needed), its client,
# and the environment variables of its ways in.
HUAWEI = (huawei_spec, _check, _build, HUAWEI_AUTH_ENV)
