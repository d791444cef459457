# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent ways in: the order of the sources, the credentials file, bad input refused before any request, and the
renewal of temporary keys (CVM metadata, STS AssumeRole, TKE workload identity) over a fake clock, against a fake
cloud under the real transport (retries, error answers, the re-send after an expired answer all run)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from urllib.parse import unquote, urlsplit

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError, tencent_spec
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.module_utils._tencent import TencentClient
from ansible_collections.cloudops.jobs.plugins.module_utils._transport import RawResponse, Transport

BATCH = "https://batch.test"
STS = "https://sts.test"
METADATA = "http://metadata.test"
ROLE = "qcs::cam::uin/100000000001:roleName/ops"
ROLE_PATH = "/latest/meta-data/cam/security-credentials/"
ENV_KEYS = frozenset(["secret_id", "secret_key"])
TKE = ("TKE_REGION", "TKE_PROVIDER_ID", "TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_ROLE_ARN")


class Clock:
    def __init__(self, now=1.8e9):
        self.now = now

    def __call__(self):
        return self.now


class Headers(dict):
    def get(self, name, default=None):
        for key, value in self.items():
            if key.lower() == name.lower():
                return value
        return default


class Sent:
    def __init__(self, method, url, headers, body):
        self.method, self.url, self.headers, self.body = method, url, Headers(headers), body or b""
        parts = urlsplit(url)
        self.host, self.path = parts.netloc, parts.path
        self.action = self.headers.get("X-TC-Action")

    def json(self):
        return json.loads(self.body.decode("utf-8")) if self.body else None

    def access(self):
        match = re.search(r"Credential=([^/]+)/[^/]+/([^/]+)/", self.headers.get("Authorization") or "")
        return match.group(1) if match else None


class FakeTencent:
    """Batch, STS and CVM metadata. Issued keys live ``lifetime`` s; a Batch or AssumeRole request signed with an
    expired or unknown key is answered ``expired_code`` (recorded in ``used_expired`` when it was expired)."""

    def __init__(self, clock, lifetime=8.0, expired_code="AuthFailure.TokenFailure"):
        self.clock = clock
        self.lifetime = lifetime
        self.expired_code = expired_code
        self.requests = []
        self.issued = {}           # TmpSecretId -> (token, expires)
        self.static = {"AKIDSTATIC": "static-secret"}
        self.web_tokens = []       # the WebIdentityToken of each AssumeRoleWithWebIdentity
        self.refused = []
        self.used_expired = []
        self.revoked = set()
        self.role_name = "cvm-role"
        self.n = 0

    def transport(self):
        return Transport(max_retries=0, session=self)

    def close(self):
        pass

    def request(self, method, url, headers=None, data=None, timeout=30):
        sent = Sent(method, url, headers or {}, data)
        self.requests.append(sent)
        status, body = self.answer(sent)
        if not isinstance(body, str):
            body = json.dumps(body)
        return RawResponse(status, Headers({"Content-Type": "application/json"}), body.encode("utf-8"))

    def _issue(self, prefix):
        self.n += 1
        sid = "%s%04d" % (prefix, self.n)
        self.issued[sid] = ("TOKEN-" + sid, self.clock() + self.lifetime)
        return {"TmpSecretId": sid, "TmpSecretKey": "SECRET-" + sid, "Token": "TOKEN-" + sid}, int(self.clock() + self.lifetime)

    def _problem(self, sent):
        sid = sent.access()
        if sid in self.static:
            return None
        if sid not in self.issued:
            return "AuthFailure.SecretIdNotFound"
        token, expires = self.issued[sid]
        if expires <= self.clock():
            self.used_expired.append(sent)
            return self.expired_code
        if sid in self.revoked or sent.headers.get("X-TC-Token") != token:
            return "AuthFailure.TokenFailure"
        return None

    @staticmethod
    def _error(code):
        return 200, {"Response": {"Error": {"Code": code, "Message": "refused: " + code}, "RequestId": "r-err"}}

    def answer(self, sent):
        if sent.host == "metadata.test":
            if sent.path == ROLE_PATH:
                return (200, self.role_name) if self.role_name else (404, "not found")
            creds, expires = self._issue("CVMAK")
            return 200, dict(creds, ExpiredTime=expires, Code="Success", Expiration="x")
        if sent.host == "sts.test":
            if sent.action == "AssumeRole":
                problem = self._problem(sent)
                if problem:
                    return self._error(problem)
            else:
                assert sent.headers.get("Authorization") == "SKIP"
                self.web_tokens.append(sent.json()["WebIdentityToken"])
            creds, expires = self._issue("STSAK")
            return 200, {"Response": {"Credentials": creds, "ExpiredTime": expires, "Expiration": "x", "RequestId": "r-sts"}}
        problem = self._problem(sent)
        if problem:
            self.refused.append(sent)
            return self._error(problem)
        return 200, {"Response": {"TotalCount": 0, "JobSet": [], "RequestId": "r-ok"}}

    def batch(self):
        return [r for r in self.requests if r.host == "batch.test"]

    def sts(self):
        return [r for r in self.requests if r.host == "sts.test"]


@pytest.fixture(autouse=True)
def no_default_file(tmp_path, monkeypatch):
    """Each test has its own HOME (no ~/.tencentcloud/credentials unless it writes one)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def params(**kwargs):
    out = dict((name, option.get("default")) for name, option in tencent_spec().items())
    out.update(endpoint=BATCH, sts_endpoint=STS, metadata_endpoint=METADATA, region="ap-guangzhou", rate_limit=1000.0)
    out.update(kwargs)
    return out


def client(cloud, clock, from_env=frozenset(), environ=None, secrets=None, **kwargs):
    return TencentClient(params(**kwargs), cloud.transport(), clock=clock,
                         on_secret=(secrets.append if secrets is not None else None), from_env=from_env,
                         environ=environ or {})


def call(c):
    return c.call("DescribeJobs", {"Limit": 1}, idempotent=True)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


def tke(tmp_path, token="jwt-1"):
    return {"TKE_REGION": "ap-shanghai", "TKE_PROVIDER_ID": "tke-oidc", "TKE_ROLE_ARN": ROLE,
            "TKE_WEB_IDENTITY_TOKEN_FILE": write(tmp_path / "web-token", token)}


# -- which source ---------------------------------------------------------------------------------------------------
def test_task_keys_win_over_env_file_tke_and_metadata(tmp_path):
    clock = Clock()
    cloud = FakeTencent(clock)
    write(tmp_path / "home" / ".tencentcloud" / "credentials", "[default]\nsecret_id = AKIDFILE\nsecret_key = s\n")
    c = client(cloud, clock, secret_id="AKIDSTATIC", secret_key="static-secret", use_metadata=True,
               environ=tke(tmp_path))
    call(c)
    assert (c.way.kind, c.way.origin) == ("keys", "task options")
    assert [r.access() for r in cloud.requests] == ["AKIDSTATIC"]


def test_env_keys_win_over_tke_the_file_and_metadata(tmp_path):
    write(tmp_path / "home" / ".tencentcloud" / "credentials", "[default]\nsecret_id = AKIDFILE\nsecret_key = s\n")
    way = client(FakeTencent(Clock()), Clock(), secret_id="AKIDENV", secret_key="s", use_metadata=True,
                 from_env=ENV_KEYS, environ=tke(tmp_path)).way
    assert (way.kind, way.origin, way.keys.access) == ("keys", "environment", "AKIDENV")


def test_tke_wins_over_the_file_named_in_the_environment_and_the_default_file(tmp_path):
    named = write(tmp_path / "creds", "[default]\nsecret_id = AKIDFILE\nsecret_key = s\n")
    write(tmp_path / "home" / ".tencentcloud" / "credentials", "[default]\nsecret_id = AKIDHOME\nsecret_key = s\n")
    way = client(FakeTencent(Clock()), Clock(), credentials_file=named, from_env=frozenset(["credentials_file"]),
                 environ=tke(tmp_path)).way
    assert way.kind == "oidc" and way.oidc["TKE_PROVIDER_ID"] == "tke-oidc"


def test_a_file_the_task_names_wins_over_env_keys_and_tke_and_conflicts_with_task_keys(tmp_path):
    named = write(tmp_path / "creds", "[default]\nsecret_id = AKIDFILE\nsecret_key = s\n")
    way = client(FakeTencent(Clock()), Clock(), credentials_file=named, secret_id="AKIDENV", secret_key="s",
                 security_token="envtoken", from_env=ENV_KEYS | {"security_token"}, environ=tke(tmp_path)).way
    assert (way.kind, way.keys.access, way.keys.token) == ("keys", "AKIDFILE", None)
    with pytest.raises(InputError, match="secret_id and secret_key and credentials_file conflict"):
        client(FakeTencent(Clock()), Clock(), credentials_file=named, secret_id="AKID", secret_key="s")


def test_the_home_file_then_etc_then_metadata_then_nothing(tmp_path, monkeypatch):
    cloud, clock = FakeTencent(Clock()), Clock()
    assert client(cloud, clock, use_metadata=True).way.kind == "metadata"
    with pytest.raises(InputError) as err:
        client(cloud, clock)
    msg = str(err.value)
    for source in ("no credentials: tried task options (none set)", "environment (TENCENTCLOUD_SECRET_ID",
                   "TKE workload identity (TKE_REGION", "credentials file ~/.tencentcloud/credentials or "
                   "/etc/tencentcloud/credentials (no such file; TENCENTCLOUD_CREDENTIALS_FILE not set)",
                   "instance metadata (use_metadata is false)", "use_metadata: true"):
        assert source in msg
    from ansible_collections.cloudops.jobs.plugins.module_utils import _tencent_credentials
    etc = write(tmp_path / "etc" / "credentials", "[default]\nsecret_id = AKIDETC\nsecret_key = s\n")
    monkeypatch.setattr(_tencent_credentials, "DEFAULT_CREDENTIALS_FILES", ("~/.tencentcloud/credentials", etc))
    assert client(cloud, clock, use_metadata=True).way.keys.access == "AKIDETC"
    write(tmp_path / "home" / ".tencentcloud" / "credentials", "[default]\nsecret_id = AKIDHOME\nsecret_key = s\n")
    way = client(cloud, clock, use_metadata=True).way
    assert way.keys.access == "AKIDHOME" and way.origin == "credentials file ~/.tencentcloud/credentials"
    assert cloud.requests == []


def test_the_environments_token_is_not_paired_with_the_tasks_keys():
    way = client(FakeTencent(Clock()), Clock(), secret_id="AKIDSTATIC", secret_key="s", security_token="env-token",
                 from_env=frozenset(["security_token"])).way
    assert way.keys.token is None and not way.given_temporary


# -- the credentials file ---------------------------------------------------------------------------------------------
def test_a_role_arn_in_the_file_assumes_that_role_with_the_files_keys(tmp_path):
    clock = Clock()
    cloud = FakeTencent(clock)
    named = write(tmp_path / "creds", "[default]\nsecret_id = AKIDSTATIC\nsecret_key = static-secret\nrole_arn = %s\n" % ROLE)
    c = client(cloud, clock, credentials_file=named)
    assert c.way.assume == {"role_arn": ROLE, "session_name": "cloudops-jobs", "duration": 7200, "policy": None}
    call(c)
    assume, job = cloud.requests
    assert assume.action == "AssumeRole" and assume.access() == "AKIDSTATIC" and assume.json()["RoleArn"] == ROLE
    assert job.access() == "STSAK0001" and job.headers.get("X-TC-Token") == "TOKEN-STSAK0001"


def test_the_tasks_assume_role_wins_over_the_files_role_arn(tmp_path):
    named = write(tmp_path / "creds", "[default]\nsecret_id = AKIDSTATIC\nsecret_key = s\nrole_arn = %s\n" % ROLE)
    other = "qcs::cam::uin/100000000001:roleName/other"
    way = client(FakeTencent(Clock()), Clock(), credentials_file=named,
                 assume_role={"role_arn": other, "session_name": "s1", "duration": 900}).way
    assert way.assume["role_arn"] == other and way.assume["duration"] == 900


@pytest.mark.parametrize("text, option, fragment", [
    (None, "credentials_file", "does not exist"),
    ("[basic]\nsecret_id = AKIDFILE\nsecret_key = s\n", "credentials_file", "has no [default] section"),
    ("[default]\nsecret_id = AKIDFILE\n", "credentials_file", "has no secret_key"),
    ("secret_id = AKIDFILE\n", "credentials_file", "is not an INI file"),
    ("[default]\nsecret_id = AKIDFILE\nsecret_key = s\nrole_arn = ops\n", "role_arn in", "not a CAM role ARN"),
    (None, "TENCENTCLOUD_CREDENTIALS_FILE", "does not exist"),
])
def test_a_bad_file_fails_before_any_request_naming_where_it_came_from(tmp_path, text, option, fragment):
    path = str(tmp_path / "creds")
    if text is not None:
        write(tmp_path / "creds", text)
    cloud = FakeTencent(Clock())
    from_env = frozenset(["credentials_file"]) if option.startswith("TENCENTCLOUD") else frozenset()
    with pytest.raises(InputError) as err:
        client(cloud, Clock(), credentials_file=path, from_env=from_env)
    assert option in str(err.value) and fragment in str(err.value)
    assert cloud.requests == []


# -- bad input: before any request ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, environ, fragment", [
    (dict(assume_role={"session_name": "s"}), {}, "needs role_arn"),
    (dict(assume_role={"role_arn": "ops"}), {}, "not a CAM role ARN"),
    (dict(assume_role={"role_arn": ROLE, "duration": 43201}), {}, "1 to 43200"),
    (dict(assume_role={"role_arn": ROLE, "duration": 0}), {}, "out of STS's bounds"),
    (dict(assume_role={"role_arn": ROLE, "session_name": "a b"}), {}, "session_name"),
    (dict(assume_role={"role_arn": ROLE, "policy": "not json"}), {}, "policy must be a CAM policy"),
    (dict(assume_role={"role_arn": ROLE, "external_id": "x"}), {}, "unknown key external_id"),
    (dict(), {"TENCENTCLOUD_ASSUME_ROLE_ARN": ROLE, "TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION": "2h"},
     "TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION"),
    (dict(secret_id=None, secret_key=None), {"TKE_REGION": "ap-shanghai", "TKE_PROVIDER_ID": "p"},
     "TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN not set"),
    (dict(secret_id=None, secret_key=None), {"TKE_REGION": "r", "TKE_PROVIDER_ID": "p", "TKE_ROLE_ARN": ROLE,
                                             "TKE_WEB_IDENTITY_TOKEN_FILE": "/nope"}, "not a readable file"),
    (dict(secret_id=None, secret_key=None, use_metadata=True, metadata_endpoint="metadata.tencentyun.com"), {},
     "metadata_endpoint must be an http"),
    (dict(sts_endpoint="https://sts.test/v1"), {}, "sts_endpoint must be a host"),
    (dict(sts_endpoint="sts.test/x"), {}, "sts_endpoint must be a host"),
    (dict(secret_key=None), {}, "secret_key missing"),
    (dict(secret_id=None, secret_key=None, security_token="t"), {}, "security_token goes with secret_id"),
])
def test_bad_input_fails_before_any_request(kwargs, environ, fragment):
    cloud = FakeTencent(Clock())
    base = dict(secret_id="AKIDSTATIC", secret_key="static-secret")
    base.update(kwargs)
    with pytest.raises(InputError, match=re.escape(fragment)):
        client(cloud, Clock(), environ=environ, **base)
    assert cloud.requests == []


def test_assume_role_from_terraforms_environment_variables():
    way = client(FakeTencent(Clock()), Clock(), secret_id="AKIDSTATIC", secret_key="s",
                 environ={"TENCENTCLOUD_ASSUME_ROLE_ARN": ROLE, "TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME": "tf",
                          "TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION": "3600"}).way
    assert way.assume == {"role_arn": ROLE, "session_name": "tf", "duration": 3600, "policy": None}


def test_sts_endpoint_is_a_host_or_a_url():
    c = client(FakeTencent(Clock()), Clock(), secret_id="AKIDSTATIC", secret_key="s", sts_endpoint="sts.tencentcloudapi.com")
    assert c.sts_url == "https://sts.tencentcloudapi.com/"
    c = client(FakeTencent(Clock()), Clock(), secret_id="AKIDSTATIC", secret_key="s", sts_endpoint="http://127.0.0.1:9/")
    assert c.sts_url == "http://127.0.0.1:9/"


def test_a_policy_is_sent_url_encoded_and_sts_skips_batchs_rate_budget():
    clock = Clock()
    cloud = FakeTencent(clock)
    policy = {"version": "2.0", "statement": [{"effect": "allow", "action": ["batch:DescribeJobs"], "resource": "*"}]}
    c = client(cloud, clock, secret_id="AKIDSTATIC", secret_key="static-secret",
               assume_role={"role_arn": ROLE, "session_name": "s1", "duration": 900, "policy": policy})
    call(c)
    body = cloud.sts()[0].json()
    assert body["RoleSessionName"] == "s1" and body["DurationSeconds"] == 900
    assert "%22" in body["Policy"] and json.loads(unquote(body["Policy"])) == policy
    assert c.limiter.actions() == ["DescribeJobs"]   # the STS call took no Batch budget


# -- renewal ----------------------------------------------------------------------------------------------------------
def run_over(c, cloud, clock, seconds=25, step=1.0):
    """Batch requests every ``step`` seconds of fake time for ``seconds``: none may carry an expired key."""
    t = 0.0
    while t <= seconds:
        call(c)
        clock.now += step
        t += step
    assert cloud.used_expired == [] and cloud.refused == []


def _check_secrets_reported(secrets, cloud):
    for sid, (token, _expires) in cloud.issued.items():
        assert "SECRET-" + sid in secrets and token in secrets


def test_metadata_keys_living_8_s_are_renewed_before_they_expire_over_25_s():
    clock = Clock()
    cloud = FakeTencent(clock)
    secrets = []
    c = client(cloud, clock, secrets=secrets, use_metadata=True)
    run_over(c, cloud, clock)
    fetches = [r for r in cloud.requests if r.host == "metadata.test"]
    assert [r.path for r in fetches[:2]] == [ROLE_PATH, ROLE_PATH + "cvm-role"]
    assert sum(1 for r in fetches if r.path == ROLE_PATH) == 1          # the role name is asked once, as the SDK does
    assert len(cloud.issued) >= 4                                       # 25 s over 8 s keys: renewed several times
    _check_secrets_reported(secrets, cloud)


def test_assumed_role_keys_are_renewed_over_25_s_and_signed_with_the_base_keys():
    clock = Clock()
    cloud = FakeTencent(clock)
    secrets = []
    c = client(cloud, clock, secrets=secrets, secret_id="AKIDSTATIC", secret_key="static-secret",
               assume_role={"role_arn": ROLE, "session_name": "cloudops-jobs", "duration": 7200})
    run_over(c, cloud, clock)
    assert len(cloud.sts()) >= 4 and all(r.access() == "AKIDSTATIC" for r in cloud.sts())
    assert all(r.access().startswith("STSAK") for r in cloud.batch())
    _check_secrets_reported(secrets, cloud)


def test_a_role_on_metadata_keys_renews_both():
    clock = Clock()
    cloud = FakeTencent(clock)
    c = client(cloud, clock, use_metadata=True, assume_role={"role_arn": ROLE})
    run_over(c, cloud, clock)
    assert all(r.access().startswith("CVMAK") for r in cloud.sts())
    assert len(set(r.access() for r in cloud.sts())) >= 2


def test_tke_workload_identity_rereads_its_token_file_at_each_renewal(tmp_path):
    clock = Clock()
    cloud = FakeTencent(clock)
    environ = tke(tmp_path, "jwt-1")
    secrets = []
    c = client(cloud, clock, environ=environ, secrets=secrets)
    call(c)
    write(tmp_path / "web-token", "jwt-2\n")
    run_over(c, cloud, clock, seconds=12)
    first = cloud.sts()[0]
    assert first.action == "AssumeRoleWithWebIdentity" and first.headers.get("X-TC-Region") == "ap-shanghai"
    assert first.json()["ProviderId"] == "tke-oidc" and first.json()["RoleArn"] == ROLE
    assert cloud.web_tokens[0] == "jwt-1" and cloud.web_tokens[-1] == "jwt-2" and "jwt-1" in secrets


@pytest.mark.parametrize("code", ["AuthFailure.TokenFailure", "AuthFailure.SecretIdNotFound"])
def test_an_expired_answer_renews_and_sends_once_more_writes_too(code):
    clock = Clock()
    cloud = FakeTencent(clock, lifetime=3600, expired_code=code)
    c = client(cloud, clock, use_metadata=True)
    call(c)
    cloud.revoked.update(cloud.issued)        # revoked early: the next answer says the token failed
    data, _rid = c.call("RetryJobs", {"JobIds": ["job-1"]}, idempotent=False)
    assert data["RequestId"] == "r-ok"
    assert [r.action for r in cloud.batch()] == ["DescribeJobs", "RetryJobs", "RetryJobs"]
    assert len(cloud.issued) == 2


def test_fresh_keys_refused_too_fail_with_the_source_named():
    clock = Clock()
    cloud = FakeTencent(clock, lifetime=3600)
    c = client(cloud, clock, use_metadata=True)
    call(c)
    original = cloud._problem
    cloud._problem = lambda sent: "AuthFailure.TokenFailure"
    with pytest.raises(ApiError) as err:
        call(c)
    cloud._problem = original
    assert "also after they were renewed" in str(err.value) and "CVM instance metadata" in str(err.value)
    assert len(cloud.batch()) == 3   # the one re-send, no more


def test_given_temporary_keys_that_expired_say_so_and_name_the_ways_that_renew():
    clock = Clock()
    cloud = FakeTencent(clock)
    cloud.issued["AKIDTEMP"] = ("given-token", clock() - 1)
    c = client(cloud, clock, secret_id="AKIDTEMP", secret_key="SECRET-AKIDTEMP", security_token="given-token")
    with pytest.raises(ApiError) as err:
        call(c)
    msg = str(err.value)
    assert "expired" in msg and "cannot be renewed" in msg
    for way in ("assume_role", "use_metadata", "role_arn", "TKE_ROLE_ARN"):
        assert way in msg
    assert len(cloud.batch()) == 1      # keys given as they are: not sent again


def test_a_cvm_without_a_role_and_a_refused_assume_role_are_step_errors():
    clock = Clock()
    cloud = FakeTencent(clock)
    cloud.role_name = ""
    with pytest.raises(ApiError) as err:
        call(client(cloud, clock, use_metadata=True))
    assert err.value.step == "CVM instance metadata" and "CAM role" in str(err.value) and cloud.batch() == []
    cloud = FakeTencent(clock)
    with pytest.raises(ApiError) as err:
        call(client(cloud, clock, secret_id="AKIDUNKNOWN", secret_key="x", assume_role={"role_arn": ROLE}))
    msg = str(err.value)
    assert "Tencent STS AssumeRole at sts.test failed" in msg and "AuthFailure.SecretIdNotFound" in msg
    assert "sts:AssumeRole" in msg and cloud.batch() == []


# -- the environment table the collection applies (task > environment > file > metadata) ------------------------------
def _applied(environ, **task):
    from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import TENCENT_AUTH_ENV
    from ansible_collections.cloudops.jobs.plugins.module_utils._credentials import apply_env
    filled, from_env = apply_env(params(**task), TENCENT_AUTH_ENV, environ)
    return client(FakeTencent(Clock()), Clock(), from_env=from_env, environ=environ,
                  **dict((k, filled[k]) for k in ("secret_id", "secret_key", "security_token", "credentials_file", "use_metadata"))).way


def test_the_environment_table_keeps_the_contracts_order(tmp_path):
    named = write(tmp_path / "creds", "[default]\nsecret_id = AKIDFILE\nsecret_key = s\n")
    env_keys = {"TENCENTCLOUD_SECRET_ID": "AKIDENV", "TENCENTCLOUD_SECRET_KEY": "s", "TENCENTCLOUD_SESSION_TOKEN": "t"}
    way = _applied(dict(env_keys, TENCENTCLOUD_CREDENTIALS_FILE=named), use_metadata=True)
    assert (way.origin, way.keys.access, way.keys.token) == ("environment", "AKIDENV", "t")     # env keys > file
    way = _applied(env_keys, credentials_file=named)
    assert (way.keys.access, way.keys.token) == ("AKIDFILE", None)                              # task's file > env
    way = _applied(env_keys, secret_id="AKIDTASK", secret_key="s")
    assert (way.origin, way.keys.access, way.keys.token) == ("task options", "AKIDTASK", None)   # task > env
    way = _applied({"TENCENTCLOUD_CREDENTIALS_FILE": named, "TENCENTCLOUD_SECRET_ID": ""}, use_metadata=True)
    assert way.keys.access == "AKIDFILE"                                                        # file > metadata
