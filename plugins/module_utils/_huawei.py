# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud client: the one way in (``_huawei_credentials``), kept current; finds the project, builds endpoints,
signs and sends."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import threading
import time

from urllib.parse import quote, urlencode, urlsplit

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import HUAWEI_AUTH_ENV, InputError, check_ids, huawei_spec
from ansible_collections.cloudops.jobs.plugins.module_utils import _endpoints as endpoints
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import MALFORMED, ApiError, Shape, Step
from ansible_collections.cloudops.jobs.plugins.module_utils._credentials import CredentialOwner, Keys, Static
from ansible_collections.cloudops.jobs.plugins.module_utils import _huawei_credentials as creds
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei_auth import AkSkAuth, TokenAuth
from ansible_collections.cloudops.jobs.plugins.module_utils._transport import default_classify, host_of

_REGION = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")


def path_quote(value):
    """An id placed in a URL path: every reserved character escaped."""
    return quote(str(value), safe="")


def validate_params(params, service_needs_region=True, from_env=frozenset(), environ=None):
    """Input checks that need no request; the run's way in (:class:`_huawei_credentials.Way`)."""
    way = creds.resolve(params, from_env, environ)
    # region becomes part of host names and project_id a URL path segment: neither may change where a request goes.
    if params.get("region") and not _REGION.match(params["region"]):
        raise InputError("region %r is not a region name such as cn-north-4 (letters, digits and '-' only)" % params["region"])
    project_id = way.project(params)
    if project_id:
        check_ids([project_id], "project_id")
    if not params.get("region"):
        if way.kind == "password" or not project_id:
            raise InputError("region is required (or set HUAWEICLOUD_SDK_REGION): it finds the project "
                             "and builds the endpoints")
        if service_needs_region and not params.get("endpoint"):
            raise InputError("region is required to build the service endpoint; set region or endpoint")
    return way


def auth_for(keys):
    """How a request is authenticated with ``keys``: signed with a key pair, or a token sent as X-Auth-Token."""
    if keys.access:
        return AkSkAuth(keys.access, keys.secret, keys.token)
    return TokenAuth(keys.token)


class HuaweiClient(CredentialOwner):
    """Signs and sends Huawei Cloud API requests for one module run (or one event source).

    The credentials are a ``_credentials.Static`` (keys given as they are) or a ``Renewing`` (temporary keys from the
    instance metadata, workload identity or an agency, and the token of a password login): every request asks for the
    current keys as it is signed (so a long ``wait`` never sends expired ones), and a 401 that says they expired renews
    them and sends the request once more (a 401 was not acted on).
    """

    def __init__(self, params, transport, on_secret=None, warn=None, from_env=frozenset(), environ=None, clock=time.time):
        self.params = params
        self.transport = transport
        self.on_secret = on_secret or (lambda value: None)
        self.warn = warn or (lambda msg: None)
        self.clock = clock
        self.region = params.get("region")
        self.way = validate_params(params, from_env=from_env, environ=environ)
        self.kind = self.way.signing
        if self.way.keys is not None and self.way.origin.startswith("credentials file"):
            for secret in self.way.keys.secrets():   # read from a file, not an option: scrubbed from here on
                self.on_secret(secret)
        self._project_id = self.way.project(params)
        self._lock = threading.RLock()  # project_id() -> credential() re-enters

    # endpoints -----------------------------------------------------------
    def endpoint(self, service):
        base = self.params.get("endpoint") or endpoints.endpoint(service, self.region)
        return base.rstrip("/")

    def iam_endpoint(self):
        base = self.params.get("iam_endpoint") or self.way.iam_endpoint or endpoints.endpoint("iam", self.region)
        return base.rstrip("/")

    # credentials (credential() and _renewing() from CredentialOwner) -------
    def _build_credential(self):
        way = self.way
        if way.kind in ("token", "aksk"):
            base = Static(way.keys)
            base.source = "%s (%s)" % ("auth_token" if way.kind == "token" else "access_key %s" % way.keys.access,
                                       way.origin)
        elif way.kind == "password":
            base = self._renewing(self._password_keys, "IAM password login of %s" % self.params.get("user_name"))
        elif way.kind == "metadata":
            base = self._renewing(creds.MetadataKeys(self, way.metadata_endpoint, self.clock), "ECS instance metadata")
        else:
            base = self._renewing(creds.FederationKeys(self, way.idp_id, way.id_token_file),
                                  "workload identity %s (%s)" % (way.idp_id, way.origin))
        if not way.assume:
            return base
        domain = way.assume.get("domain_name") or way.assume.get("domain_id")
        return self._renewing(creds.AgencyKeys(self, base, way.assume),
                              "agency %s of %s" % (way.assume["agency_name"], domain))

    def auth(self):
        """How the next request is authenticated (the current keys)."""
        return auth_for(self.credential().keys())

    def _password_keys(self):
        token, expires = self._password_login()
        return Keys(token=token, expires=expires, source="IAM password login")

    def _password_login(self):
        p = self.params
        if self.way.assume:
            scope = {"domain": {"name": p["domain_name"]}}   # the base of an agency: the job project is the agency's
        elif self._project_id:
            scope = {"project": {"id": self._project_id}}
        else:
            scope = {"project": {"name": self.region}}
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": p["user_name"], "password": p["password"], "domain": {"name": p["domain_name"]}}}},
            "scope": scope}}
        url = self.iam_endpoint() + "/v3/auth/tokens"
        with self._step("IAM password login", url, "check user_name, password and domain_name (HW_USER_NAME, "
                        "HW_USER_PASSWORD, HW_DOMAIN_NAME), and that the user may log in to %s"
                        % ("account %s" % p["domain_name"] if self.way.assume else "project %s"
                           % (self._project_id or self.region))):
            response = self._send("POST", url, body=body, signed=False, idempotent=True)
            shape = Shape("IAM password login (POST /v3/auth/tokens)", response.header("X-Request-Id"))
            token = response.header("X-Subject-Token")
            if not token:
                raise shape.error("the X-Subject-Token header", "missing", "the token")
            self.on_secret(token)
            granted = shape.get(shape.obj(response.json()), "token", (dict,))
            text = shape.get(granted, "expires_at", (str,), "token.expires_at")
            expires = creds.parse_expiry(text)
            if expires is None:
                raise shape.error("token.expires_at", repr(text)[:40], "a UTC time such as 2026-01-02T03:04:05.000000Z")
            if not self._project_id and not self.way.assume:
                self._project_id = shape.get(shape.get(granted, "project", (dict,), "token.project"), "id", (str,),
                                             "token.project.id")
        return token, expires

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
        return self.step(step, url, hint)

    def step(self, step, url, hint, iam=True, option=None):
        """A named step before the job requests (IAM login, project lookup, the credential fetchers)."""
        option = option or ("iam_endpoint" if iam else "endpoint")
        on_404 = "check iam_endpoint (%s)" % host_of(url) if option == "iam_endpoint" else None
        return Step(step, host_of(url), hint, self.where_hint(url, option=option), on_404)

    def where_hint(self, url, iam=False, option=None):
        """What to check when a host cannot be reached."""
        option = option or ("iam_endpoint" if iam else "endpoint")
        if self.params.get(option):
            return "check %s (%s)" % (option, self.params[option])
        if option == "iam_endpoint" and self.way.iam_endpoint:
            return "check iam_endpoint in %s (%s)" % (self.way.origin, self.way.iam_endpoint)
        if option not in ("iam_endpoint", "endpoint"):
            return "check %s (%s)" % (option, host_of(url))
        return "check region (%s, which builds %s) or set %s" % (self.region, host_of(url), option)

    def refused_hint(self, exc=None):
        """What to check when the gateway refuses the request's credentials (HTTP 401). Keys given as they are that the
        cloud says expired cannot be renewed: the hint says so and names the ways in that renew."""
        expired = exc is not None and creds.says_expired(exc)
        renew = "; ".join(creds.RENEWING_WAYS)
        way = self.way
        if way.assume or way.kind in ("metadata", "idp"):
            return ("the temporary keys of %s were refused, also after they were renewed: check that it may use this "
                    "service in this project" % self.credential().source)
        if way.kind == "token":
            if expired:
                return ("auth_token expired: a token given as it is cannot be renewed; get a new one, or use a way in "
                        "that renews: %s" % renew)
            return ("auth_token was refused: IAM tokens expire after 24 hours; get a new one, or use access_key and "
                    "secret_key, or password login, which log in afresh")
        if way.kind == "aksk" and way.keys.token:
            if expired:
                return ("the temporary keys (access_key %s with security_token, from %s) expired: keys given as they "
                        "are cannot be renewed; use a way in that renews: %s" % (way.keys.access, way.origin, renew))
            return ("check access_key, secret_key and security_token (temporary keys expire and are not renewed when "
                    "given as they are: %s renew) and the controller's clock (date -u)" % renew)
        if way.kind == "aksk":
            return ("check access_key and secret_key (temporary keys also need security_token) and the controller's clock "
                    "(date -u)")
        return "the token of the password login was refused, also after a new login: check that the user may use this " \
               "service in this project"

    # requests ------------------------------------------------------------
    def _request(self, method, url, body=None, headers=None, credential=None, keys=None, used=None, idempotent=True,
                 derived=None, project_header=True, content_type="application/json", text=False):
        """Send one request through the transport: signed with ``credential``'s current keys (asked for at each
        attempt, recorded in ``used``), or with ``keys``, or unsigned."""
        payload = b"" if body is None else json.dumps(body, separators=(", ", ": ")).encode("utf-8")
        base = self.transport.base_headers()
        if content_type:
            base["Content-Type"] = content_type
        base.update(headers or {})
        if self._project_id and project_header and (credential is not None or keys is not None):
            base.setdefault("X-Project-Id", self._project_id)

        def prepare():
            current = credential.keys() if credential is not None else keys
            if used is not None and current is not None:
                used.append(current)
            sent = auth_for(current).apply(method, url, base, payload, derived=derived) if current is not None \
                else dict(base)
            sent.setdefault("Host", urlsplit(url).netloc)
            return method, url, sent, payload or None

        return self.transport.send(prepare, idempotent=idempotent, classify=default_classify, text=text)

    def plain_request(self, method, url, headers=None, body=None, text=False):
        """An unsigned request of a credential fetcher (metadata, IAM id token): only the headers given."""
        return self._request(method, url, body, headers, content_type=None, text=text)

    def signed_request(self, method, url, keys, headers=None, body=None):
        """A request authenticated by ``keys`` as they are (the agency assumption with the base keys)."""
        return self._request(method, url, body, headers, keys=keys, project_header=False, content_type=None)

    def _send(self, method, url, body=None, headers=None, signed=True, idempotent=False, derived=None):
        if not signed:
            return self._request(method, url, body, headers, idempotent=idempotent)
        credential = self.credential()
        for attempt in (0, 1):
            used = []
            try:
                return self._request(method, url, body, headers, credential=credential, used=used,
                                     idempotent=idempotent, derived=derived)
            except ApiError as exc:
                # A 401 was not acted on: with renewing keys, renew those it was signed with and send it once more.
                if attempt or exc.http_status != 401 or not credential.renewable or not used \
                        or not credential.expired(used[-1]):
                    raise

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
            if exc.step:   # a login or a renewal made on the way: its message already names what to check
                raise
            if exc.code == MALFORMED:
                exc.message = "%s: %s" % (api, exc.message)
            elif exc.code in ApiError.CONNECTION_CODES and not exc.outcome_unknown:
                exc.message += "; " + self.where_hint(url)
            elif exc.http_status == 401:
                exc.message += "; " + self.refused_hint(exc)
            raise
        return response.json(), response.header("X-Request-Id")


def _check(module):
    validate_params(module.params, from_env=module.from_env)


def _build(module, pool_size):
    return HuaweiClient(module.params, module.transport(pool_size), on_secret=module.add_secret, warn=module.warn,
                        from_env=module.from_env)


# Huawei Cloud's entry for CloudJobsModule: its shared options, its input checks (no request needed), its client,
# and the environment variables of its ways in.
HUAWEI = (huawei_spec, _check, _build, HUAWEI_AUTH_ENV)
