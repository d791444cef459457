# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei ways in: the order of the sources, the credentials file, bad input refused before any request, and the
renewal of temporary keys and password-login tokens (fake clock, fake cloud under the real transport)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError, huawei_spec
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import HuaweiClient
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei_credentials import parse_expiry
from ansible_collections.cloudops.jobs.tests.unit.plugins.module_utils.huawei_fake_cloud import (
    IAM, JOB_PATH, PROJECT, SERVICE, Clock, FakeCloud,
)

ENV_AKSK = frozenset(["access_key", "secret_key"])


@pytest.fixture(autouse=True)
def no_default_file(tmp_path, monkeypatch):
    """Each test has its own HOME (no ~/.huaweicloud/credentials unless it writes one) and no SDK env vars."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("HUAWEICLOUD_SDK_IDP_ID", "HUAWEICLOUD_SDK_ID_TOKEN_FILE", "HW_ASSUME_ROLE_AGENCY_NAME",
                 "HW_ASSUME_ROLE_DOMAIN_NAME", "HW_ASSUME_ROLE_DOMAIN_ID", "HW_ASSUME_ROLE_DURATION"):
        monkeypatch.delenv(name, raising=False)


def params(**kwargs):
    out = dict((name, option.get("default")) for name, option in huawei_spec().items())
    out.update(region="cn-north-4", project_id=PROJECT, endpoint=SERVICE, iam_endpoint=IAM)
    out.update(kwargs)
    return out


def client(cloud, clock, from_env=frozenset(), environ=None, secrets=None, **kwargs):
    return HuaweiClient(params(**kwargs), cloud.transport(), on_secret=(secrets.append if secrets is not None else None),
                        from_env=from_env, environ=environ or {}, clock=clock)


def call(c):
    return c.call("drs", "GET", "/v3/{project_id}/jobs/x", idempotent=True)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


# -- which source -------------------------------------------------------------------------------------------------
def test_task_keys_win_over_the_environment_file_and_metadata(tmp_path):
    clock = Clock()
    cloud = FakeCloud(clock)
    write(tmp_path / "home" / ".huaweicloud" / "credentials", "[basic]\nak = AKFILE\nsk = SKFILE\n")
    c = client(cloud, clock, access_key="AKSTATIC", secret_key="SK", auth_token="ENVTOKEN", use_metadata=True,
               from_env=frozenset(["auth_token"]), environ={"HUAWEICLOUD_SDK_IDP_ID": "idp"})
    call(c)
    assert c.way.kind == "aksk" and c.way.origin == "task options"
    assert cloud.paths() == [JOB_PATH] and cloud.requests[0].access() == "AKSTATIC"


def test_env_keys_win_over_workload_identity_the_file_and_metadata(tmp_path):
    token_file = write(tmp_path / "id_token", "jwt")
    write(tmp_path / "home" / ".huaweicloud" / "credentials", "[basic]\nak = AKFILE\nsk = SKFILE\n")
    way = client(FakeCloud(Clock()), Clock(), access_key="AKSTATIC", secret_key="SK", use_metadata=True, from_env=ENV_AKSK,
                 environ={"HUAWEICLOUD_SDK_IDP_ID": "idp", "HUAWEICLOUD_SDK_ID_TOKEN_FILE": token_file}).way
    assert (way.kind, way.origin) == ("aksk", "environment")


def test_workload_identity_wins_over_the_file_named_in_the_environment(tmp_path):
    token_file = write(tmp_path / "id_token", "jwt")
    named = write(tmp_path / "creds", "[basic]\nak = AKFILE\nsk = SKFILE\n")
    way = client(FakeCloud(Clock()), Clock(), credentials_file=named, from_env=frozenset(["credentials_file"]),
                 environ={"HUAWEICLOUD_SDK_IDP_ID": "idp", "HUAWEICLOUD_SDK_ID_TOKEN_FILE": token_file}).way
    assert way.kind == "idp" and way.idp_id == "idp"


def test_a_file_the_task_names_wins_over_env_keys_and_conflicts_with_task_keys(tmp_path):
    named = write(tmp_path / "creds", "[basic]\nak = AKFILE\nsk = SKFILE\n")
    way = client(FakeCloud(Clock()), Clock(), credentials_file=named, access_key="AKENV", secret_key="SKENV",
                 from_env=ENV_AKSK).way
    assert way.kind == "aksk" and way.keys.access == "AKFILE"
    with pytest.raises(InputError, match="access_key, secret_key and credentials_file conflict"):
        client(FakeCloud(Clock()), Clock(), credentials_file=named, access_key="AK", secret_key="SK")


def test_the_default_file_then_metadata_then_nothing(tmp_path):
    cloud, clock = FakeCloud(Clock()), Clock()
    assert client(cloud, clock, use_metadata=True).way.kind == "metadata"
    with pytest.raises(InputError) as err:
        client(cloud, clock)
    msg = str(err.value)
    for source in ("task options (none set)", "environment (HUAWEICLOUD_SDK_AK", "workload identity",
                   "credentials file ~/.huaweicloud/credentials (no such file", "instance metadata (use_metadata is false)",
                   "use_metadata: true"):
        assert source in msg
    write(tmp_path / "home" / ".huaweicloud" / "credentials", "[basic]\nak = AKFILE\nsk = SKFILE\n")
    way = client(cloud, clock, use_metadata=True).way
    assert way.kind == "aksk" and way.origin.startswith("credentials file ~/.huaweicloud/credentials")
    assert cloud.requests == []


# -- the credentials file -------------------------------------------------------------------------------------------
def test_the_file_gives_keys_project_and_iam_endpoint(tmp_path):
    clock = Clock()
    cloud = FakeCloud(clock)
    named = write(tmp_path / "creds", "[basic]\nak = AKSTATIC\nsk = SKFILE\nproject_id = %s\n"
                                      "iam_endpoint = https://iam.file\nsecurity_token = ST\n" % PROJECT)
    secrets = []
    c = client(cloud, clock, credentials_file=named, project_id=None, iam_endpoint=None, secrets=secrets)
    assert secrets == ["SKFILE", "ST"]      # read from the file: scrubbed like the options
    assert c.project_id() == PROJECT and c.iam_endpoint() == "https://iam.file"
    call(c)
    sent = cloud.requests[0]
    assert sent.access() == "AKSTATIC" and sent.headers.get("X-Security-Token") == "ST"
    assert c.way.given_temporary


def test_the_file_may_name_a_workload_identity_as_the_sdk_reads_it(tmp_path):
    token_file = write(tmp_path / "jwt", "jwt-1")
    named = write(tmp_path / "creds", "[basic]\nidp_id = idp-file\nid_token_file = %s\n" % token_file)
    way = client(FakeCloud(Clock()), Clock(), credentials_file=named).way
    assert (way.kind, way.idp_id, way.id_token_file) == ("idp", "idp-file", token_file)


@pytest.mark.parametrize("text, option, fragment", [
    (None, "credentials_file", "does not exist"),
    ("[default]\nak = A\nsk = B\n", "credentials_file", "has no [basic] section"),
    ("[basic]\nak = AKFILE\n", "credentials_file", "has only ak; add ak and sk"),
    ("[basic]\nproject_id = p\n", "credentials_file", "neither ak and sk nor idp_id"),
    ("[basic]\nak = AKFILE\nsk = S\niam_endpoint = ftp://x\n", "iam_endpoint in", "http:// or https://"),
    (None, "HUAWEICLOUD_SDK_CREDENTIALS_FILE", "does not exist"),
])
def test_a_bad_file_fails_before_any_request_naming_where_it_came_from(tmp_path, text, option, fragment):
    path = str(tmp_path / "creds")
    if text is not None:
        write(tmp_path / "creds", text)
    cloud = FakeCloud(Clock())
    from_env = frozenset(["credentials_file"]) if option.startswith("HUAWEICLOUD") else frozenset()
    with pytest.raises(InputError) as err:
        client(cloud, Clock(), credentials_file=path, from_env=from_env)
    assert option in str(err.value) and fragment in str(err.value) and "AKFILE" not in str(err.value)
    assert cloud.requests == []


# -- bad input: before any request ------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, environ, fragment", [
    (dict(assume_role={"domain_name": "d"}), {}, "needs agency_name"),
    (dict(assume_role={"agency_name": "a"}), {}, "needs one of domain_name or domain_id"),
    (dict(assume_role={"agency_name": "a", "domain_name": "d", "domain_id": "i"}), {}, "not both"),
    (dict(assume_role={"agency_name": "a", "domain_name": "d", "duration": 899}), {}, "900 to 86400"),
    (dict(assume_role={"agency_name": "a", "domain_name": "d", "duration": 86401}), {}, "out of IAM's bounds"),
    (dict(), {"HW_ASSUME_ROLE_AGENCY_NAME": "a", "HW_ASSUME_ROLE_DOMAIN_NAME": "d", "HW_ASSUME_ROLE_DURATION": "1h"},
     "HW_ASSUME_ROLE_DURATION"),
    (dict(access_key=None, secret_key=None), {"HUAWEICLOUD_SDK_IDP_ID": "idp"}, "HUAWEICLOUD_SDK_ID_TOKEN_FILE is not set"),
    (dict(access_key=None, secret_key=None), {"HUAWEICLOUD_SDK_IDP_ID": "idp", "HUAWEICLOUD_SDK_ID_TOKEN_FILE": "/nope"},
     "not a readable file"),
    (dict(access_key=None, secret_key=None, use_metadata=True, metadata_endpoint="169.254.169.254"), {},
     "metadata_endpoint must be an http"),
])
def test_bad_input_fails_before_any_request(kwargs, environ, fragment):
    cloud = FakeCloud(Clock())
    base = dict(access_key="AKSTATIC", secret_key="SK")
    base.update(kwargs)
    with pytest.raises(InputError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        client(cloud, Clock(), environ=environ, **base)
    assert cloud.requests == []


def test_assume_role_from_terraforms_environment_variables():
    way = client(FakeCloud(Clock()), Clock(), access_key="AKSTATIC", secret_key="SK",
                 environ={"HW_ASSUME_ROLE_AGENCY_NAME": "ops", "HW_ASSUME_ROLE_DOMAIN_ID": "dom1"}).way
    assert way.assume == {"agency_name": "ops", "domain_id": "dom1", "duration": 3600}


def test_expiry_is_read_as_the_sdk_reads_it():
    assert parse_expiry("2027-01-15T08:00:00.500000Z") == 1800000000.5
    assert parse_expiry("2027-01-15T08:00:00Z") == parse_expiry("2027-01-15T08:00:00.000000Z")
    assert parse_expiry("tomorrow") is None and parse_expiry(None) is None


# -- renewal ----------------------------------------------------------------------------------------------------------
def run_over(c, cloud, clock, seconds, step=1.0):
    """Job requests every ``step`` seconds of fake time for ``seconds``: none may carry an expired key."""
    t = 0.0
    while t <= seconds:
        call(c)
        clock.now += step
        t += step
    assert cloud.used_expired == [] and cloud.refused == []


def test_metadata_keys_living_8_s_are_renewed_before_they_expire_over_a_25_s_run():
    clock = Clock()
    cloud = FakeCloud(clock, lifetime=8)
    secrets = []
    c = client(cloud, clock, secrets=secrets, use_metadata=True)
    run_over(c, cloud, clock, 25)
    fetches = [r for r in cloud.requests if r.path == "/openstack/latest/securitykey"]
    assert 4 <= len(fetches) <= 6
    assert [r.path for r in cloud.requests[:2]] == ["/meta-data/latest/api/token", "/openstack/latest/securitykey"]
    assert cloud.requests[0].method == "PUT" and cloud.requests[0].headers["X-Metadata-Token-Ttl-Seconds"] == "21600"
    assert cloud.requests[1].headers["X-Metadata-Token"] == "MDTOKEN1"
    assert len([r for r in cloud.requests if r.method == "PUT"]) == 1   # the session token is kept
    assert "MDTOKEN1" in secrets and "SECRET-MDAK0001" in secrets and "STOKEN-MDAK0001" in secrets


@pytest.mark.parametrize("status", [404, 405])
def test_a_metadata_service_without_tokens_is_asked_without_one(status):
    clock = Clock()
    cloud = FakeCloud(clock)
    cloud.metadata_token = str(status)
    call(client(cloud, clock, use_metadata=True))
    assert cloud.paths()[:2] == ["/meta-data/latest/api/token", "/openstack/latest/securitykey"]
    assert cloud.requests[1].headers.get("X-Metadata-Token") is None


def test_an_instance_without_an_agency_fails_naming_the_step_and_the_fix():
    clock = Clock()
    cloud = FakeCloud(clock)
    cloud.metadata_agency = False
    with pytest.raises(ApiError) as err:
        call(client(cloud, clock, use_metadata=True))
    assert err.value.step == "ECS instance metadata" and "Agency" in str(err.value) and "metadata_endpoint" in str(err.value)
    assert JOB_PATH not in cloud.paths()


def test_password_tokens_living_8_s_are_renewed_and_the_login_finds_the_project():
    clock = Clock()
    cloud = FakeCloud(clock, lifetime=8)
    c = client(cloud, clock, user_name="u", password="pw", domain_name="d", project_id=None)
    run_over(c, cloud, clock, 25)
    logins = [r for r in cloud.requests if r.path == "/v3/auth/tokens"]
    assert 4 <= len(logins) <= 6 and "/v3/projects" not in cloud.paths()
    assert all(r.headers.get("X-Auth-Token", "").startswith("PWTOKEN") for r in cloud.job_requests())


def test_an_agency_on_static_keys_signs_every_job_call_with_renewed_agency_keys():
    clock = Clock()
    cloud = FakeCloud(clock, lifetime=8)
    c = client(cloud, clock, access_key="AKSTATIC", secret_key="SK",
               assume_role={"agency_name": "ops", "domain_name": "acme", "duration": 900})
    run_over(c, cloud, clock, 25)
    assumes = [r for r in cloud.requests if r.path == "/v3.0/OS-CREDENTIAL/securitytokens"]
    assert 4 <= len(assumes) <= 6
    assert all(r.access() == "AKSTATIC" and "X-Project-Id" not in r.headers for r in assumes)
    assert assumes[0].json() == {"auth": {"identity": {"methods": ["assume_role"], "assume_role": {
        "agency_name": "ops", "domain_name": "acme", "duration_seconds": 900}}}}
    assert all((r.access() or "").startswith("AGENCYAK") for r in cloud.job_requests())


def test_an_agency_over_metadata_keys_renews_both():
    clock = Clock()
    cloud = FakeCloud(clock, lifetime=8)
    c = client(cloud, clock, use_metadata=True, assume_role={"agency_name": "ops", "domain_id": "dom"})
    run_over(c, cloud, clock, 25)
    assumes = [r for r in cloud.requests if r.path == "/v3.0/OS-CREDENTIAL/securitytokens"]
    assert all((r.access() or "").startswith("MDAK") for r in assumes)
    assert c.kind == "aksk"


def test_workload_identity_re_reads_the_token_file_at_each_renewal(tmp_path):
    clock = Clock()
    cloud = FakeCloud(clock, lifetime=8)
    token_file = tmp_path / "jwt"
    token_file.write_text("jwt-1\n")
    secrets = []
    c = client(cloud, clock, secrets=secrets, environ={"HUAWEICLOUD_SDK_IDP_ID": "idp-1",
                                                       "HUAWEICLOUD_SDK_ID_TOKEN_FILE": str(token_file)})
    call(c)
    token_file.write_text("jwt-2\n")
    clock.now += 7
    call(c)
    exchanges = [r for r in cloud.requests if r.path == "/v3.0/OS-AUTH/id-token/tokens"]
    assert [r.json()["auth"]["id_token"]["id"] for r in exchanges] == ["jwt-1", "jwt-2"]
    assert exchanges[0].headers["X-Idp-Id"] == "idp-1"
    keys = [r for r in cloud.requests if r.path == "/v3.0/OS-CREDENTIAL/securitytokens"]
    assert keys[0].json()["auth"]["identity"] == {
        "methods": ["token"], "token": {"id": "FEDTOKEN0001", "duration_seconds": 21600}}
    assert "jwt-1" in secrets and "FEDTOKEN0001" in secrets


def test_a_401_saying_the_key_expired_renews_it_and_sends_the_request_once_more():
    clock = Clock()
    cloud = FakeCloud(clock, lifetime=3600)
    c = client(cloud, clock, use_metadata=True)
    call(c)
    cloud.expired_now.add("MDAK0001")      # revoked early: the cloud says expired before the clock does
    call(c)
    jobs = cloud.job_requests()
    assert [r.access() for r in jobs] == ["MDAK0001", "MDAK0001", "MDAK0002"]
    cloud.expired_now.add("MDAK0002")      # the keys fetched because of that answer refused too: renewing does not help
    with pytest.raises(ApiError) as err:
        call(c)
    assert err.value.http_status == 401 and "also after they were renewed" in str(err.value)
    assert [r.access() for r in cloud.job_requests()][3:] == ["MDAK0002"]


def test_given_keys_that_expired_say_so_and_name_the_ways_that_renew():
    clock = Clock()
    cloud = FakeCloud(clock)
    cloud.static = {}
    cloud.issued.update(STATICTOKEN=clock() - 1, AKSTATIC=clock() - 1)   # the cloud says they expired
    with pytest.raises(ApiError) as err:
        call(client(cloud, clock, access_key=None, secret_key=None, auth_token="STATICTOKEN"))
    msg = str(err.value)
    assert "auth_token expired" in msg and "cannot be renewed" in msg and "assume_role" in msg and "use_metadata" in msg
    assert len(cloud.job_requests()) == 1
    with pytest.raises(ApiError) as err:
        call(client(cloud, clock, access_key="AKSTATIC", secret_key="SK", security_token="ST"))
    assert "expired: keys given as they are cannot be renewed" in str(err.value)
    assert len(cloud.job_requests()) == 2


def test_a_refused_agency_assumption_is_a_step_error_naming_the_host_and_the_fix():
    clock = Clock()
    cloud = FakeCloud(clock)
    with pytest.raises(ApiError) as err:
        call(client(cloud, clock, access_key="AKUNKNOWN", secret_key="SK",
                    assume_role={"agency_name": "ops", "domain_name": "acme"}))
    exc = err.value
    assert exc.step == "IAM agency assumption" and exc.http_status == 401
    assert "at iam.test" in exc.message and "agency ops of account acme" in exc.message and "Agent Operator" in exc.message
    assert JOB_PATH not in cloud.paths()


def test_a_password_login_under_an_agency_is_scoped_to_the_account_and_the_project_is_the_agencys():
    clock = Clock()
    cloud = FakeCloud(clock)
    c = client(cloud, clock, user_name="u", password="pw", domain_name="acme", project_id=None,
               assume_role={"agency_name": "ops", "domain_name": "other"})
    call(c)
    login = [r for r in cloud.requests if r.path == "/v3/auth/tokens"][0]
    assert login.json()["auth"]["scope"] == {"domain": {"name": "acme"}}
    assume, lookup = [r for r in cloud.requests if r.path in ("/v3.0/OS-CREDENTIAL/securitytokens", "/v3/projects")]
    assert assume.headers["X-Auth-Token"].startswith("PWTOKEN") and lookup.access().startswith("AGENCYAK")
