# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud: where a run's credentials come from (the contract's order), and how temporary ones are fetched.

Order: the task's options (one way in: ``auth_token``; ``access_key`` + ``secret_key`` (+ ``security_token``); IAM
password login; or a ``credentials_file`` the task names), then the same from environment variables (in that order),
then workload identity (``HUAWEICLOUD_SDK_IDP_ID`` + ``HUAWEICLOUD_SDK_ID_TOKEN_FILE``), then the SDK's credentials
file (``HUAWEICLOUD_SDK_CREDENTIALS_FILE``, else ``~/.huaweicloud/credentials``), then the ECS instance metadata (only
with ``use_metadata``). ``assume_role`` applies on top: the base credentials authenticate the agency assumption, the
agency's temporary keys sign every job request. Every check here runs before any request.

The fetchers (:class:`MetadataKeys`, :class:`FederationKeys`, :class:`AgencyKeys`) follow huaweicloudsdkcore's
``MetadataAccessor``, ``FederalAccessor`` and huaweicloudsdkiam's ``CreateTemporaryAccessKeyByAgency``: same methods,
paths, headers and bodies. They send through the client (the transport's proxy, TLS and retry rules) and each is a
named step: its errors carry the step, the host and the fix.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import os
import re

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import HUAWEI_ASSUME_ROLE_ENV, InputError, check_url
from ansible_collections.cloudops.jobs.plugins.module_utils import _credentials
from ansible_collections.cloudops.jobs.plugins.module_utils._credentials import Keys, Tried, read_ini
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError, Shape

ENV_CREDENTIALS_FILE = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"
DEFAULT_CREDENTIALS_FILE = "~/.huaweicloud/credentials"
FILE_SECTION = "basic"
ENV_IDP_ID = "HUAWEICLOUD_SDK_IDP_ID"
ENV_ID_TOKEN_FILE = "HUAWEICLOUD_SDK_ID_TOKEN_FILE"
# Terraform's huaweicloud provider reads its assume_role block from these; so does the collection (AWX injects them).
ASSUME_ROLE_ENV = HUAWEI_ASSUME_ROLE_ENV
# IAM's bounds for duration_seconds (CreateTemporaryAccessKeyByAgency: 15 min to 24 h).
DURATION_MIN, DURATION_MAX, DURATION_DEFAULT = 900, 86400, 3600

METADATA_TOKEN_PATH = "/meta-data/latest/api/token"
METADATA_KEY_PATH = "/openstack/latest/securitykey"
METADATA_TOKEN_HEADER = "X-Metadata-Token"
METADATA_TTL_HEADER = "X-Metadata-Token-Ttl-Seconds"
METADATA_TOKEN_TTL = 6 * 60 * 60                 # as MetadataAccessor
METADATA_TOKEN_RECHECK = 24 * 60 * 60            # a metadata service without tokens is asked again after a day
METADATA_NO_AGENCY = "Please configure Cloud Service Agency first"
FEDERATION_DURATION = 6 * 60 * 60                # as FederalAccessor
ID_TOKEN_PATH = "/v3.0/OS-AUTH/id-token/tokens"
SECURITY_TOKENS_PATH = "/v3.0/OS-CREDENTIAL/securitytokens"
IAM_JSON = "application/json;charset=UTF-8"      # FederalAccessor's Content-Type for its IAM calls
AGENCY_JSON = "application/json;charset=utf-8"   # huaweicloudsdkiam's, as sent (select_header_content_type lowers it)
TIME_FORMATS = ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ")

PASSWORD_FIELDS = ("user_name", "password", "domain_name")
AUTH_CHOICES = ("auth_token", "access_key + secret_key", "user_name + password + domain_name", "credentials_file")
# The options that belong to each way in; setting those of two ways at once is an error, not a silent choice.
# (domain_name alone does not count: it is used only with user_name and password.)
AUTH_WAYS = (
    ("token", ("auth_token",)),
    ("aksk", ("access_key", "secret_key", "security_token")),
    ("password", ("user_name", "password")),
    ("file", ("credentials_file",)),
)
ENV_NAMES = ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_AUTH_TOKEN", "HW_USER_NAME")
RENEWING_WAYS = ("assume_role (an agency, on any base credentials)", "use_metadata (on an ECS with an agency)",
                 "workload identity (%s + %s)" % (ENV_IDP_ID, ENV_ID_TOKEN_FILE),
                 "IAM password login (user_name, password, domain_name)")


def parse_expiry(value):
    """Epoch seconds of an IAM/metadata ``expires_at`` (UTC, ``2026-01-02T03:04:05.123000Z``, the SDK's format), or
    None when it is not one."""
    if not isinstance(value, str):
        return None
    for fmt in TIME_FORMATS:
        try:
            when = datetime.datetime.strptime(value, fmt)
        except ValueError:
            continue
        return (when - datetime.datetime(1970, 1, 1)).total_seconds()
    return None


class Way(_credentials.Way):
    """Huawei's way in: ``kind`` token, aksk, password, metadata or idp; the static ``keys`` (token, aksk), the
    workload identity (``idp_id``, ``id_token_file``) and what a credentials file adds (``project_id``,
    ``iam_endpoint``)."""

    def __init__(self, kind, origin, keys=None, idp_id=None, id_token_file=None, project_id=None, iam_endpoint=None):
        super(Way, self).__init__(kind, origin, keys)
        self.idp_id = idp_id
        self.id_token_file = id_token_file
        self.project_id = project_id
        self.iam_endpoint = iam_endpoint

    def project(self, params):
        """The project the job requests go to, when known before any request: the option, else the credentials
        file's (not with an agency: the agency's project is looked up with its keys)."""
        return params.get("project_id") or (None if self.assume else self.project_id)

    @property
    def signing(self):
        """How the job requests are authenticated: ``aksk`` (a key pair: given, from a file, metadata, workload
        identity or an agency), ``token`` (auth_token) or ``password`` (the login's token)."""
        if self.assume or self.kind in ("aksk", "metadata", "idp"):
            return "aksk"
        return self.kind

    @property
    def given_temporary(self):
        """Keys given as they are that expire: an auth_token, or AK/SK with a security token (never renewed)."""
        return not self.assume and self.kind in ("token", "aksk") and bool(self.keys and self.keys.token)


def _given(params):
    return [(kind, [name for name in names if params.get(name)]) for kind, names in AUTH_WAYS]


def choose_auth(params, from_env=frozenset(), environ=None):
    """The one way in; (kind, problem message or None). ``kind``: token, aksk, password, file (a credentials file
    named by ``credentials_file``, or the SDK's default one), idp (workload identity) or metadata.

    Options of two ways at once are refused. ``from_env`` names the options whose values came from environment
    variables (``_credentials.apply_env``); the others the task itself set (module_defaults included). A way set by the
    task wins over ways found only in the environment (an AWX credential), and among ways found only in the
    environment the contract's order decides: auth_token, else access_key + secret_key, else password login, else
    workload identity, else the credentials file, else the instance metadata (use_metadata).
    """
    environ = os.environ if environ is None else environ
    given = [(kind, names) for kind, names in _given(params) if names]
    by_task = [(kind, names) for kind, names in given if any(name not in from_env for name in names)]
    if len(by_task) > 1 or (len(given) > 1 and not from_env):
        shown = by_task if len(by_task) > 1 else given
        return None, ("%s conflict: set the options of one way in only (%s)"
                      % (" and ".join(", ".join(names) for _kind, names in shown), "; ".join(AUTH_CHOICES)))
    if by_task:
        kind = by_task[0][0]
    else:
        env_ways = [kind for kind, _names in given]
        kind = env_ways[0] if env_ways and env_ways[0] != "file" else None
        if kind is None:
            idp, token_file = environ.get(ENV_IDP_ID), environ.get(ENV_ID_TOKEN_FILE)
            if idp or token_file:
                if not (idp and token_file):
                    return None, ("workload identity needs both %s and %s: %s is not set"
                                  % (ENV_IDP_ID, ENV_ID_TOKEN_FILE, ENV_ID_TOKEN_FILE if idp else ENV_IDP_ID))
                kind = "idp"
        if kind is None and env_ways:
            kind = "file"                                     # named by HUAWEICLOUD_SDK_CREDENTIALS_FILE
        if kind is None and params.get("domain_name") and "domain_name" not in from_env:
            kind = "password"                                 # the task set domain_name alone: say what is missing
        if kind is None and os.path.isfile(os.path.expanduser(DEFAULT_CREDENTIALS_FILE)):
            kind = "file"
        if kind is None and params.get("use_metadata"):
            kind = "metadata"
        if kind is None:
            return None, str(_nothing_found(params, environ))
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


def _nothing_found(params, environ):
    tried = Tried()
    tried.add("task options", "none set")
    tried.add("environment", "%s... not set" % ", ".join(ENV_NAMES))
    tried.add("workload identity", "%s and %s not set" % (ENV_IDP_ID, ENV_ID_TOKEN_FILE))
    tried.add("credentials file %s" % DEFAULT_CREDENTIALS_FILE, "no such file; %s not set" % ENV_CREDENTIALS_FILE)
    tried.add("instance metadata", "use_metadata is false")
    return tried.error("set one of %s (or their environment variables, e.g. HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK), "
                       "or use_metadata: true on an ECS with an agency" % "; ".join(AUTH_CHOICES))


def _read_file(params, from_env):
    """The Way of the SDK-format credentials file (``[basic]``: ``ak``, ``sk``, optional ``security_token``,
    ``project_id``, ``iam_endpoint``; or ``idp_id`` + ``id_token_file``, as ProfileCredentialProvider reads it).
    A file named by the option or the env var must exist; the default path is used only when it exists."""
    path = params.get("credentials_file")
    option = (ENV_CREDENTIALS_FILE if "credentials_file" in from_env else "credentials_file") if path else None
    if not path:
        path, option = DEFAULT_CREDENTIALS_FILE, "the default credentials file"
    if not os.path.isfile(os.path.expanduser(path)):
        raise InputError("%s: the credentials file %s does not exist; give the path of the SDK's credentials file "
                         "([basic] with ak and sk)" % (option, path))
    values = read_ini(path, FILE_SECTION, option)
    origin = "credentials file %s" % path
    if values.get("idp_id") and values.get("id_token_file"):
        way = Way("idp", origin, idp_id=values["idp_id"], id_token_file=values["id_token_file"])
        _check_token_file(way.id_token_file, "id_token_file in %s" % path)
    elif values.get("ak") and values.get("sk"):
        way = Way("aksk", origin, keys=Keys(values["ak"], values["sk"], values.get("security_token"), source=origin))
    else:
        has = [k for k in ("ak", "sk", "idp_id", "id_token_file") if values.get(k)]
        raise InputError("%s: the [%s] section of %s has %s; add ak and sk (or idp_id and id_token_file)"
                         % (option, FILE_SECTION, path, ("only " + " and ".join(has)) if has else "neither ak and sk "
                            "nor idp_id and id_token_file"))
    way.project_id = values.get("project_id")
    way.iam_endpoint = values.get("iam_endpoint")
    if way.iam_endpoint:
        check_url(way.iam_endpoint, "iam_endpoint in %s" % path)
    return way


def _check_token_file(path, option):
    if not os.path.isfile(os.path.expanduser(path)) or not os.access(os.path.expanduser(path), os.R_OK):
        raise InputError("%s: the id token file %s is not a readable file; give the path of the OIDC id token "
                         "(the pod's projected service account token)" % (option, path))


def read_id_token(path):
    """The id token, read afresh at each renewal (the pod's token is rotated). Raises ApiError (a run-time step)."""
    try:
        with open(os.path.expanduser(path), encoding="utf-8") as handle:
            token = handle.read().strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ApiError("cannot read the id token file %s (%s)" % (path, getattr(exc, "strerror", None) or type(exc).__name__),
                       code="IdTokenFile")
    if not token:
        raise ApiError("the id token file %s is empty" % path, code="IdTokenFile")
    return token


def assume_role(params, environ=None):
    """The checked assume_role (from the option, else Terraform's HW_ASSUME_ROLE_* variables), or None."""
    environ = os.environ if environ is None else environ
    role = params.get("assume_role")
    where = "assume_role"
    if role is None:
        role = dict((key, environ.get(name)) for key, name in ASSUME_ROLE_ENV if environ.get(name))
        if not role:
            return None
        where = "assume_role (from %s)" % ", ".join(name for key, name in ASSUME_ROLE_ENV if key in role)
    if not isinstance(role, dict):
        raise InputError("assume_role must be a dictionary with agency_name and domain_name or domain_id")
    unknown = sorted(set(role) - set(key for key, _name in ASSUME_ROLE_ENV))
    if unknown:
        raise InputError("%s: unknown key %s; the keys are agency_name, domain_name, domain_id and duration"
                         % (where, ", ".join(unknown)))
    if not role.get("agency_name"):
        raise InputError("%s needs agency_name: the name of the agency to assume (HW_ASSUME_ROLE_AGENCY_NAME)" % where)
    if bool(role.get("domain_name")) == bool(role.get("domain_id")):
        raise InputError("%s needs one of domain_name or domain_id: the account (domain) that owns agency %s%s"
                         % (where, role["agency_name"], ", not both" if role.get("domain_name") else ""))
    duration = _credentials.check_duration(where, role.get("duration"), DURATION_DEFAULT, DURATION_MIN, DURATION_MAX,
                                           "IAM's bounds (15 minutes to 24 hours)")
    out = {"agency_name": role["agency_name"], "duration": duration}
    domain = "domain_name" if role.get("domain_name") else "domain_id"
    out[domain] = role[domain]
    return out


def resolve(params, from_env=frozenset(), environ=None):
    """The run's :class:`Way` (InputError for bad input; reads local files only, sends nothing)."""
    environ = os.environ if environ is None else environ
    kind, problem = choose_auth(params, from_env, environ)
    if problem:
        raise InputError(problem)
    origin = "environment" if kind != "file" and all(
        name in from_env for name in dict(AUTH_WAYS).get(kind, ()) if params.get(name)) else "task options"
    if kind == "token":
        way = Way("token", origin, keys=Keys(token=params["auth_token"], source="auth_token"))
    elif kind == "aksk":
        keys = Keys(params["access_key"], params["secret_key"], params.get("security_token"), source="access_key")
        way = Way("aksk", origin, keys=keys)
    elif kind == "password":
        way = Way("password", origin)
    elif kind == "file":
        way = _read_file(params, from_env)
    elif kind == "idp":
        way = Way("idp", "workload identity (%s)" % ENV_IDP_ID, idp_id=environ[ENV_IDP_ID],
                  id_token_file=environ[ENV_ID_TOKEN_FILE])
        _check_token_file(way.id_token_file, ENV_ID_TOKEN_FILE)
    else:
        way = Way("metadata", "ECS instance metadata")
    way.metadata_endpoint = params.get("metadata_endpoint") or "http://169.254.169.254"
    if kind == "metadata":
        check_url(way.metadata_endpoint, "metadata_endpoint")
    way.assume = assume_role(params, environ)
    return way


# -- fetchers: each returns Keys with ``expires``; a Renewing calls it ---------------------------------------------------
def credential_keys(response, api, source):
    """The ``credential`` of a metadata or IAM securitytokens answer as Keys (the SDK's StsAccessor fields)."""
    shape = Shape(api, response.header("X-Request-Id"))
    credential = shape.get(shape.obj(response.json()), "credential", (dict,))
    access = shape.get(credential, "access", (str,), "credential.access")
    secret = shape.get(credential, "secret", (str,), "credential.secret")
    token = shape.get(credential, "securitytoken", (str,), "credential.securitytoken")
    text = shape.get(credential, "expires_at", (str,), "credential.expires_at")
    expires = parse_expiry(text)
    if expires is None:
        raise shape.error("credential.expires_at", repr(text)[:40], "a UTC time such as 2026-01-02T03:04:05.000000Z")
    return Keys(access, secret, token, expires, source)


class MetadataKeys:
    """ECS temporary keys from the instance metadata, as MetadataAccessor: a session token first (``PUT`` with the TTL
    header; 404/405/503 mean the service needs none), then ``GET /openstack/latest/securitykey`` with it; a 401 that is
    not "no agency" gets a new session token and is asked once more."""

    def __init__(self, client, endpoint, clock):
        self.client = client
        self.endpoint = endpoint.rstrip("/")
        self.clock = clock
        self.token = None
        self.last_token_call = None

    def _update_token(self, raise_on_failure):
        self.last_token_call = self.clock()
        url = self.endpoint + METADATA_TOKEN_PATH
        try:
            response = self.client.plain_request("PUT", url, {METADATA_TTL_HEADER: str(METADATA_TOKEN_TTL)}, text=True)
        except ApiError as exc:
            if exc.http_status in (404, 405, 503) and not raise_on_failure:
                self.token = None
                return
            raise
        self.token = response.text().strip() or None
        self.client.on_secret(self.token)

    def _get(self):
        headers = {METADATA_TOKEN_HEADER: self.token} if self.token else {}
        return self.client.plain_request("GET", self.endpoint + METADATA_KEY_PATH, headers)

    def __call__(self):
        url = self.endpoint + METADATA_KEY_PATH
        with self.client.step("ECS instance metadata", url,
                              "check metadata_endpoint (%s) and that this ECS has an agency (ECS console: Management "
                              "Information > Agency)" % self.endpoint, iam=False, option="metadata_endpoint"):
            if not self.token and (self.last_token_call is None
                                   or self.clock() - self.last_token_call > METADATA_TOKEN_RECHECK):
                self._update_token(False)
            try:
                response = self._get()
            except ApiError as exc:
                if exc.http_status != 401 or METADATA_NO_AGENCY in (exc.message or ""):
                    raise
                self._update_token(True)
                response = self._get()
            return credential_keys(response, "ECS metadata (GET %s)" % METADATA_KEY_PATH, "ECS instance metadata")


class FederationKeys:
    """Workload identity, as FederalAccessor: the id token (read afresh) buys an unscoped IAM token
    (``POST /v3.0/OS-AUTH/id-token/tokens`` with ``X-Idp-Id``), which buys temporary keys
    (``POST /v3.0/OS-CREDENTIAL/securitytokens``, method ``token``, 6 hours)."""

    def __init__(self, client, idp_id, id_token_file):
        self.client = client
        self.idp_id = idp_id
        self.id_token_file = id_token_file

    def __call__(self):
        url = self.client.iam_endpoint() + ID_TOKEN_PATH
        hint = ("check %s (%s: the identity provider's id in IAM) and that the id token in %s is one IAM trusts"
                % (ENV_IDP_ID, self.idp_id, self.id_token_file))
        with self.client.step("IAM workload identity (id token)", url, hint):
            id_token = read_id_token(self.id_token_file)
            self.client.on_secret(id_token)
            response = self.client.plain_request(
                "POST", url, {"X-Idp-Id": self.idp_id, "Content-Type": IAM_JSON}, {"auth": {"id_token": {"id": id_token}}})
            token = response.header("X-Subject-Token")
            if not token:
                raise Shape("IAM id token (POST %s)" % ID_TOKEN_PATH, response.header("X-Request-Id")).error(
                    "the X-Subject-Token header", "missing", "the token")
            self.client.on_secret(token)
        url = self.client.iam_endpoint() + SECURITY_TOKENS_PATH
        with self.client.step("IAM temporary keys (workload identity)", url, hint):
            body = {"auth": {"identity": {"methods": ["token"], "token": {"id": token,
                                                                          "duration_seconds": FEDERATION_DURATION}}}}
            response = self.client.plain_request("POST", url, {"Content-Type": IAM_JSON}, body)
            return credential_keys(response, "IAM securitytokens (POST %s)" % SECURITY_TOKENS_PATH,
                                   "workload identity %s" % self.idp_id)


class AgencyKeys:
    """An agency's temporary keys (``POST /v3.0/OS-CREDENTIAL/securitytokens``, method ``assume_role``), the request
    authenticated by the base credentials (signed with their keys, or their token as ``X-Auth-Token``); a 401 saying
    renewing base keys expired renews them and asks once more."""

    def __init__(self, client, base, assume):
        self.client = client
        self.base = base
        self.assume = assume

    def body(self):
        role = {"agency_name": self.assume["agency_name"], "duration_seconds": self.assume["duration"]}
        for key in ("domain_name", "domain_id"):
            if self.assume.get(key):
                role[key] = self.assume[key]
        return {"auth": {"identity": {"methods": ["assume_role"], "assume_role": role}}}

    def __call__(self):
        role = self.assume
        domain = role.get("domain_name") or role.get("domain_id")
        url = self.client.iam_endpoint() + SECURITY_TOKENS_PATH
        hint = ("check assume_role (agency %s of account %s) and that the base credentials (%s) may assume it: the "
                "agency must trust their account and they need the Agent Operator role (iam:agencies:assume)"
                % (role["agency_name"], domain, self.base.source))
        with self.client.step("IAM agency assumption", url, hint):
            for attempt in (0, 1):
                keys = self.base.keys()
                try:
                    response = self.client.signed_request("POST", url, keys, {"Content-Type": AGENCY_JSON}, self.body())
                    break
                except ApiError as exc:
                    if attempt == 0 and exc.http_status == 401 and self.base.renewable and self.base.expired(keys):
                        continue
                    raise
            return credential_keys(response, "IAM agency assumption (POST %s)" % SECURITY_TOKENS_PATH,
                                   "agency %s of %s" % (role["agency_name"], domain))


_EXPIRED = re.compile(r"expire|token.{0,40}(invalid|not valid|not exist)|(invalid|not valid).{0,20}token", re.I)
EXPIRED_CODES = ("APIGW.0307", "APIG.0307")


def says_expired(exc):
    """A 401 whose code or message says the token or the temporary key expired (or is unknown)."""
    return exc.http_status == 401 and (exc.code in EXPIRED_CODES or bool(_EXPIRED.search(exc.message or "")))
