# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's temporary credentials (issue 20): ECS and CVM instance metadata, IAM agency assumption and OIDC
federation, IAM token lifetimes, Tencent STS; each issued key verified on every job API call, refused once expired.

Expiry is driven by the fixture's manual clock (``clock.tick``), no sleeping. The last part points the official SDKs'
credential providers at the emulator: it speaks what they expect.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time

import pytest

pytest.importorskip("huaweicloudsdkcore.auth.internal")
pytest.importorskip("tencentcloud.common.credential")

from emulator_testlib import AK, PROJECT, SECRET_ID, SECRET_KEY, SK, STATIC_TOKEN  # noqa: E402  pylint: disable=import-error

STATUS = "/v3/{project_id}/jobs/batch-status"
SECURITYTOKENS = "/v3.0/OS-CREDENTIAL/securitytokens"
ID_TOKENS = "/v3.0/OS-AUTH/id-token/tokens"
ECS_TOKEN = "/meta-data/latest/api/token"
ECS_KEY = "/openstack/latest/securitykey"
CVM_ROLES = "/latest/meta-data/cam/security-credentials/"
ROLE_ARN = "qcs::cam::uin/100000000001:roleName/cloudops-role"
SDK_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"      # huaweicloudsdkcore.auth.internal._TIME_FORMAT


def _config(cloud, **knobs):
    cloud.control("POST", "config", knobs)


def _epoch(iso, fmt=SDK_TIME):
    import calendar
    base, _dot, rest = iso.partition(".")
    fraction = float("0." + rest.rstrip("Z")) if rest else 0.0
    return calendar.timegm(time.strptime(base + (".0Z" if rest else "Z"), fmt if rest else "%Y-%m-%dT%H:%M:%SZ")) + fraction


# Huawei helpers -----------------------------------------------------------------------------------------------------
def _drs_status(cloud, ak, sk, token=None, **kwargs):
    headers = {"X-Security-Token": token} if token is not None else {}
    return cloud.huawei("POST", STATUS, {"jobs": ["drs-job-0001"]}, ak=ak, sk=sk, headers=headers, **kwargs)


def _ok_drs(cloud, credential):
    answer = _drs_status(cloud, credential["access"], credential["secret"], credential["securitytoken"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0]["id"] == "drs-job-0001"


def _refused_drs(cloud, credential, token="same", expect="expired"):
    token = credential["securitytoken"] if token == "same" else token
    answer = _drs_status(cloud, credential["access"], credential["secret"], token)
    assert answer.status_code == 401, answer.text
    data = answer.json()
    assert data["error_code"] == "APIGW.0301" and expect in data["error_msg"], data
    return data


def _metadata_key(cloud):
    token = cloud.session.put(cloud.url + ECS_TOKEN, headers={"X-Metadata-Token-Ttl-Seconds": "21600"}, timeout=10)
    assert token.status_code == 200, token.text
    answer = cloud.session.get(cloud.url + ECS_KEY, headers={"X-Metadata-Token": token.text}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["credential"]


def _assume(cloud, assume_role, ak=AK, sk=SK, headers=None):
    body = {"auth": {"identity": {"methods": ["assume_role"], "assume_role": assume_role}}}
    return cloud.huawei("POST", SECURITYTOKENS, body, ak=ak, sk=sk, headers=headers)


def _check_credential(credential, lifetime, wall):
    assert set(credential) == {"access", "secret", "securitytoken", "expires_at"}
    assert len(credential["access"]) == 20 and len(credential["secret"]) == 40 and credential["securitytoken"]
    time.strptime(credential["expires_at"], SDK_TIME)            # the SDK's format, microseconds included
    assert abs(_epoch(credential["expires_at"]) - (wall + lifetime)) < 1e-3


# ECS metadata -------------------------------------------------------------------------------------------------------
def test_ecs_metadata_token_then_securitykey(cloud):
    token = cloud.session.put(cloud.url + ECS_TOKEN, headers={"X-Metadata-Token-Ttl-Seconds": "21600"})
    assert token.status_code == 200 and token.headers["Content-Type"].startswith("text/plain") and token.text
    answer = cloud.session.get(cloud.url + ECS_KEY, headers={"X-Metadata-Token": token.text})
    assert answer.status_code == 200, answer.text
    _check_credential(answer.json()["credential"], 24 * 3600, cloud.clock.wall())
    assert [e["op"] for e in cloud.log()] == ["ecs.metadata_token", "ecs.securitykey"]
    assert cloud.log()[0]["headers"]["X-Metadata-Token-Ttl-Seconds"] == "21600"
    assert [e["service"] for e in cloud.log()] == ["ecs_metadata", "ecs_metadata"]


def test_ecs_metadata_refusals(cloud):
    url = cloud.url
    for ttl in (None, "0", "21601", "ten"):
        answer = cloud.session.put(url + ECS_TOKEN, headers={} if ttl is None else {"X-Metadata-Token-Ttl-Seconds": ttl})
        assert answer.status_code == 400, (ttl, answer.text)
    missing = cloud.session.get(url + ECS_KEY)
    forged = cloud.session.get(url + ECS_KEY, headers={"X-Metadata-Token": "forged"})
    assert missing.status_code == 401 and "required" in missing.text
    assert forged.status_code == 401 and "not valid" in forged.text
    assert "Please configure Cloud Service Agency first" not in missing.text + forged.text
    _config(cloud, metadata_token_lifetime_s=2)
    token = cloud.session.put(url + ECS_TOKEN, headers={"X-Metadata-Token-Ttl-Seconds": "21600"}).text
    assert cloud.session.get(url + ECS_KEY, headers={"X-Metadata-Token": token}).status_code == 200
    cloud.clock.tick(2.5)
    expired = cloud.session.get(url + ECS_KEY, headers={"X-Metadata-Token": token})
    assert expired.status_code == 401 and "expired" in expired.text
    _config(cloud, metadata_agency="")
    fresh = cloud.session.put(url + ECS_TOKEN, headers={"X-Metadata-Token-Ttl-Seconds": "60"}).text
    none = cloud.session.get(url + ECS_KEY, headers={"X-Metadata-Token": fresh})
    assert none.status_code == 401 and "Please configure Cloud Service Agency first" in none.text


@pytest.mark.parametrize("mode", ["404", "405", "503"])
def test_ecs_metadata_without_token_service(cloud, mode):
    _config(cloud, metadata_token=mode)
    put = cloud.session.put(cloud.url + ECS_TOKEN, headers={"X-Metadata-Token-Ttl-Seconds": "21600"})
    assert put.status_code == int(mode)
    answer = cloud.session.get(cloud.url + ECS_KEY)
    assert answer.status_code == 200 and set(answer.json()["credential"]) == {"access", "secret", "securitytoken", "expires_at"}


def test_ecs_metadata_optional_token(cloud):
    _config(cloud, metadata_token="optional")
    assert cloud.session.get(cloud.url + ECS_KEY).status_code == 200
    assert cloud.session.get(cloud.url + ECS_KEY, headers={"X-Metadata-Token": "forged"}).status_code == 401


def test_ecs_metadata_key_works_then_expires(cloud):
    _config(cloud, credential_lifetime_s=8)
    credential = _metadata_key(cloud)
    _check_credential(credential, 8, cloud.clock.wall())
    _ok_drs(cloud, credential)
    _refused_drs(cloud, credential, token=None, expect="X-Security-Token")
    _refused_drs(cloud, credential, token="emu-securitytoken-forged", expect="does not match")
    assert _metadata_key(cloud) == credential           # more than a third of its life left: the same key
    cloud.clock.tick(6)
    renewed = _metadata_key(cloud)                      # less than a third left: a new key, the old one still works
    assert renewed["access"] != credential["access"]
    _ok_drs(cloud, credential)
    cloud.clock.tick(2.5)
    data = _refused_drs(cloud, credential)
    assert "expires_at" in data["error_msg"]
    _ok_drs(cloud, renewed)
    _config(cloud, huawei_expired_code="APIGW.0307")
    answer = _drs_status(cloud, credential["access"], credential["secret"], credential["securitytoken"])
    assert answer.status_code == 401 and answer.json()["error_code"] == "APIGW.0307"
    unknown = _drs_status(cloud, "EMUTMPNOSUCHKEY00000", credential["secret"], credential["securitytoken"])
    assert unknown.status_code == 401 and unknown.json()["error_code"] == "APIGW.0301"
    assert "ak not exist" in unknown.json()["error_msg"]


# CVM metadata -------------------------------------------------------------------------------------------------------
def _cvm_credential(cloud):
    role = cloud.session.get(cloud.url + CVM_ROLES)
    assert role.status_code == 200 and role.text == "cloudops-cvm-role"
    answer = cloud.session.get(cloud.url + CVM_ROLES + role.text)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _batch(cloud, secret_id, secret_key, token=None, action="DescribeJobs", payload=None):
    """A DescribeJobs as tencentcloud-sdk-python signs it (CommonClient, X-TC-Token for a temporary key)."""
    from tencentcloud.common.common_client import CommonClient
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=cloud.host))
    client = CommonClient("batch", "2017-03-12", Credential(secret_id, secret_key, token), "ap-guangzhou", profile=profile)
    try:
        return client.call_json(action, payload or {"JobIds": ["job-abc12345"]})["Response"]
    except TencentCloudSDKException as exc:
        return {"Error": {"Code": exc.code, "Message": exc.message}}


def _sts(cloud, action, params, secret_id=SECRET_ID, secret_key=SECRET_KEY, token=None, sign=True):
    from tencentcloud.common.common_client import CommonClient
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=cloud.host))
    client = CommonClient("sts", "2018-08-13", Credential(secret_id, secret_key, token) if sign else None, "ap-guangzhou",
                          profile=profile)
    try:
        return client.call_json(action, params, options=None if sign else {"SkipSign": True})["Response"]
    except TencentCloudSDKException as exc:
        return {"Error": {"Code": exc.code, "Message": exc.message}}


def _check_tencent(answer, lifetime, wall):
    assert answer["ExpiredTime"] == int(wall + lifetime)
    assert answer["Expiration"] == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(answer["ExpiredTime"]))


def test_cvm_metadata_role_and_credentials(cloud):
    answer = _cvm_credential(cloud)
    assert set(answer) == {"TmpSecretId", "TmpSecretKey", "Token", "ExpiredTime", "Expiration", "Code"}
    assert answer["Code"] == "Success" and answer["TmpSecretId"].startswith("AKID")
    _check_tencent(answer, 7200, cloud.clock.wall())
    assert [e["op"] for e in cloud.log()] == ["cvm.role", "cvm.credentials"]
    assert cloud.session.get(cloud.url + CVM_ROLES + "other-role").status_code == 404
    _config(cloud, metadata_role="")
    assert cloud.session.get(cloud.url + CVM_ROLES).status_code == 404


def test_cvm_key_works_then_expires(cloud):
    _config(cloud, credential_lifetime_s=8, tencent_rate_limit=0)
    answer = _cvm_credential(cloud)
    _check_tencent(answer, 8, cloud.clock.wall())
    keys = (answer["TmpSecretId"], answer["TmpSecretKey"])
    assert "JobSet" in _batch(cloud, *keys, token=answer["Token"])
    assert _batch(cloud, *keys)["Error"]["Code"] == "AuthFailure.TokenFailure"
    assert _batch(cloud, *keys, token="emu-token-forged")["Error"]["Code"] == "AuthFailure.TokenFailure"
    cloud.clock.tick(8)
    expired = _batch(cloud, *keys, token=answer["Token"])["Error"]
    assert expired["Code"] == "AuthFailure.TokenFailure" and "expired" in expired["Message"]
    _config(cloud, tencent_expired_code="AuthFailure.SecretIdNotFound")
    assert _batch(cloud, *keys, token=answer["Token"])["Error"]["Code"] == "AuthFailure.SecretIdNotFound"
    renewed = _cvm_credential(cloud)
    assert renewed["TmpSecretId"] != answer["TmpSecretId"]
    assert "JobSet" in _batch(cloud, renewed["TmpSecretId"], renewed["TmpSecretKey"], token=renewed["Token"])
    assert "JobSet" in _batch(cloud, SECRET_ID, SECRET_KEY)     # the static key as before


# IAM: agency assumption, token lifetimes, OIDC federation -----------------------------------------------------------
def test_assume_role_signed_by_the_base_keys(cloud):
    answer = _assume(cloud, {"agency_name": "cloudops-agency", "domain_name": "acme", "duration_seconds": 3600})
    assert answer.status_code == 201, answer.text
    _check_credential(answer.json()["credential"], 3600, cloud.clock.wall())
    entry = cloud.log()[-1]
    assert entry["op"] == "iam.assume_role" and entry["service"] == "iam" and entry["status"] == 201
    _ok_drs(cloud, answer.json()["credential"])
    default = _assume(cloud, {"agency_name": "cloudops-agency", "domain_name": "acme"})
    _check_credential(default.json()["credential"], 900, cloud.clock.wall())   # IAM's default: 15 minutes


def test_assume_role_refusals(cloud):
    for duration in (899, 86401, "3600", True):
        answer = _assume(cloud, {"agency_name": "cloudops-agency", "domain_name": "acme", "duration_seconds": duration})
        assert answer.status_code == 400, (duration, answer.text)
        error = answer.json()["error"]
        assert error["code"] == 400 and error["title"] == "Bad Request" and "duration_seconds" in error["message"]
    assert _assume(cloud, {"agency_name": "cloudops-agency", "domain_name": "acme", "duration_seconds": 86400}).status_code == 201
    assert _assume(cloud, {"agency_name": "cloudops-agency"}).status_code == 400
    assert _assume(cloud, {"domain_name": "acme"}).status_code == 400
    unknown = _assume(cloud, {"agency_name": "other-agency", "domain_name": "acme"})
    assert unknown.status_code == 404 and "other-agency" in unknown.json()["error"]["message"]
    other_domain = _assume(cloud, {"agency_name": "cloudops-agency", "domain_name": "globex"})
    assert other_domain.status_code == 404
    wrong_sk = _assume(cloud, {"agency_name": "cloudops-agency", "domain_name": "acme"}, sk="wrong-secret")
    assert wrong_sk.status_code == 401 and wrong_sk.json()["error_code"] == "APIGW.0301"
    body = json.dumps({"auth": {"identity": {"methods": ["assume_role"],
                                             "assume_role": {"agency_name": "cloudops-agency", "domain_name": "acme"}}}})
    unsigned = cloud.session.post(cloud.url + SECURITYTOKENS, data=body, headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 401 and unsigned.json()["error_code"] == "APIGW.0301"


def test_assume_role_by_domain_id_with_a_token_and_with_temporary_keys(cloud):
    domain_id = cloud.emulator.world.credentials.agencies[0]["domain_id"]
    body = json.dumps({"auth": {"identity": {"methods": ["assume_role"], "assume_role": {
        "agency_name": "cloudops-agency", "domain_id": domain_id, "duration_seconds": 900}}}})
    answer = cloud.session.post(cloud.url + SECURITYTOKENS, data=body,
                                headers={"Content-Type": "application/json", "X-Auth-Token": STATIC_TOKEN})
    assert answer.status_code == 201, answer.text
    first = answer.json()["credential"]
    chained = _assume(cloud, {"agency_name": "cloudops-agency", "domain_name": "acme"}, ak=first["access"], sk=first["secret"],
                      headers={"X-Security-Token": first["securitytoken"]})
    assert chained.status_code == 201, chained.text


def test_assumed_key_expires(cloud):
    _config(cloud, credential_lifetime_s=3)
    answer = _assume(cloud, {"agency_name": "cloudops-agency", "domain_name": "acme", "duration_seconds": 3600})
    credential = answer.json()["credential"]
    _check_credential(credential, 3, cloud.clock.wall())            # the knob wins over the asked duration
    _ok_drs(cloud, credential)
    cloud.clock.tick(3)
    _refused_drs(cloud, credential)
    listed = cloud.control("GET", "credentials")["keys"]
    assert [(k["id"], k["source"], k["expired"]) for k in listed] == [(credential["access"], "assume_role:cloudops-agency", True)]


def _password_token(cloud):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "ops", "password": "demo-password-0001", "domain": {"name": "acme"}}}},
        "scope": {"project": {"name": "cn-north-4"}}}}
    answer = cloud.session.post(cloud.url + "/v3/auth/tokens", json=body)
    assert answer.status_code == 201, answer.text
    return answer.headers["X-Subject-Token"], answer.json()["token"]


def _token_status(cloud, token):
    url = cloud.url + STATUS.replace("{project_id}", PROJECT)
    return cloud.session.post(url, json={"jobs": ["drs-job-0001"]}, headers={"X-Auth-Token": token})


def test_password_token_lifetime_is_configurable(cloud):
    token, body = _password_token(cloud)
    assert abs(_epoch(body["expires_at"]) - (cloud.clock.wall() + 24 * 3600)) < 1e-3
    _config(cloud, token_lifetime_s=2)
    short, body = _password_token(cloud)
    assert abs(_epoch(body["expires_at"]) - (cloud.clock.wall() + 2)) < 1e-3
    assert _token_status(cloud, short).status_code == 200
    cloud.clock.tick(2)
    expired = _token_status(cloud, short)
    assert expired.status_code == 401 and expired.json()["error_code"] == "APIGW.0301"
    assert "token expires, expires_at" in expired.json()["error_msg"]
    assert _token_status(cloud, token).status_code == 200
    _config(cloud, huawei_expired_code="APIGW.0307")
    updated = _token_status(cloud, short)
    assert updated.status_code == 401 and updated.json()["error_code"] == "APIGW.0307"
    assert updated.json()["error_msg"] == "The token must be updated."
    assert _token_status(cloud, "forged").json()["error_code"] == "APIGW.0301"


def _id_token(cloud, idp="cloudops-idp", id_token="demo-id-token-0001"):
    return cloud.session.post(cloud.url + ID_TOKENS, json={"auth": {"id_token": {"id": id_token}}},
                              headers={"X-Idp-Id": idp, "Content-Type": "application/json;charset=UTF-8"})


def _token_keys(cloud, token, duration=None, header=False):
    spec = {} if header else {"id": token}
    if duration is not None:
        spec["duration_seconds"] = duration
    body = {"auth": {"identity": {"methods": ["token"], "token": spec}}}
    headers = {"X-Auth-Token": token} if header else {}
    return cloud.session.post(cloud.url + SECURITYTOKENS, json=body, headers=headers)


def test_oidc_federation_id_token_then_temporary_keys(cloud):
    answer = _id_token(cloud)
    assert answer.status_code == 201, answer.text
    token = answer.headers["X-Subject-Token"]
    assert answer.json()["token"]["methods"] == ["mapped"]
    keys = _token_keys(cloud, token, 21600)
    assert keys.status_code == 201, keys.text
    _check_credential(keys.json()["credential"], 21600, cloud.clock.wall())
    _ok_drs(cloud, keys.json()["credential"])
    assert _token_keys(cloud, token, header=True).status_code == 201           # the token in X-Auth-Token: 900 s
    assert [e["op"] for e in cloud.log()][:2] == ["iam.id_token", "iam.securitytoken"]
    assert _id_token(cloud, id_token="forged").status_code == 401
    assert _id_token(cloud, idp="other-idp").status_code == 404
    assert cloud.session.post(cloud.url + ID_TOKENS, json={"auth": {"id_token": {"id": "x"}}}).status_code == 400
    assert _token_keys(cloud, "forged").status_code == 401
    assert _token_keys(cloud, token, 600).status_code == 400
    _config(cloud, token_lifetime_s=2)
    short = _id_token(cloud).headers["X-Subject-Token"]
    cloud.clock.tick(2)
    refused = _token_keys(cloud, short)
    assert refused.status_code == 401 and "expired" in refused.json()["error"]["message"]


# Tencent STS --------------------------------------------------------------------------------------------------------
def test_sts_assume_role(cloud):
    _config(cloud, tencent_rate_limit=0)
    answer = _sts(cloud, "AssumeRole", {"RoleArn": ROLE_ARN, "RoleSessionName": "cloudops-jobs", "DurationSeconds": 900})
    assert set(answer) == {"Credentials", "ExpiredTime", "Expiration", "RequestId"}, answer
    assert set(answer["Credentials"]) == {"Token", "TmpSecretId", "TmpSecretKey"}
    _check_tencent(answer, 900, cloud.clock.wall())
    entry = cloud.log()[-1]
    assert entry["op"] == "sts.AssumeRole" and entry["service"] == "tencent_sts"
    assert "/sts/tc3_request" in entry["headers"]["Authorization"] and entry["headers"]["X-TC-Version"] == "2018-08-13"
    creds = answer["Credentials"]
    assert "JobSet" in _batch(cloud, creds["TmpSecretId"], creds["TmpSecretKey"], token=creds["Token"])
    default = _sts(cloud, "AssumeRole", {"RoleArn": ROLE_ARN, "RoleSessionName": "s2",
                                         "Policy": "%7B%22version%22%3A%222.0%22%7D"})
    _check_tencent(default, 7200, cloud.clock.wall())
    chained = _sts(cloud, "AssumeRole", {"RoleArn": ROLE_ARN, "RoleSessionName": "s3"}, creds["TmpSecretId"],
                   creds["TmpSecretKey"], creds["Token"])
    assert "Credentials" in chained, chained


@pytest.mark.parametrize("params, code", [
    ({"RoleSessionName": "s"}, "MissingParameter"),
    ({"RoleArn": ROLE_ARN}, "MissingParameter"),
    ({"RoleArn": ROLE_ARN, "RoleSessionName": "x"}, "InvalidParameter.ParamError"),
    ({"RoleArn": ROLE_ARN, "RoleSessionName": "ok-name", "DurationSeconds": 43201}, "InvalidParameter.OverTimeError"),
    ({"RoleArn": ROLE_ARN, "RoleSessionName": "ok-name", "DurationSeconds": 0}, "InvalidParameter.OverTimeError"),
    ({"RoleArn": ROLE_ARN, "RoleSessionName": "ok-name", "Policy": "not-json"}, "InvalidParameter.StrategyFormatError"),
    ({"RoleArn": ROLE_ARN, "RoleSessionName": "ok-name", "Policy": "%7B" + "a" * 2100}, "InvalidParameter.PolicyTooLong"),
    ({"RoleArn": "arn:aws:iam::1:role/x", "RoleSessionName": "ok-name"}, "InvalidParameter.ResouceError"),
    ({"RoleArn": "qcs::cam::uin/100000000001:roleName/other", "RoleSessionName": "ok-name"}, "ResourceNotFound.RoleNotFound"),
])
def test_sts_assume_role_refusals(cloud, params, code):
    assert _sts(cloud, "AssumeRole", params)["Error"]["Code"] == code


def test_sts_authentication(cloud):
    params = {"RoleArn": ROLE_ARN, "RoleSessionName": "cloudops-jobs"}
    assert _sts(cloud, "AssumeRole", params, secret_key="wrong")["Error"]["Code"] == "AuthFailure.SignatureFailure"
    assert _sts(cloud, "AssumeRole", params, secret_id="AKIDNOSUCH000000000000000000000000001")["Error"]["Code"] == \
        "AuthFailure.SecretIdNotFound"
    assert _sts(cloud, "AssumeRole", params, sign=False)["Error"]["Code"] == "AuthFailure.SignatureFailure"
    # a Batch action signed for Batch still goes to Batch; an STS action signed for Batch is refused by STS
    assert "JobSet" in _batch(cloud, SECRET_ID, SECRET_KEY)
    assert cloud.log()[-1]["service"] == "tencent_batch"


def test_sts_assume_role_with_web_identity(cloud):
    params = {"ProviderId": "cloudops-tke", "WebIdentityToken": "demo-web-identity-token-0001", "RoleArn": ROLE_ARN,
              "RoleSessionName": "tencentcloud-python-sdk-1", "DurationSeconds": 3600}
    answer = _sts(cloud, "AssumeRoleWithWebIdentity", params, sign=False)
    assert set(answer) == {"Credentials", "ExpiredTime", "Expiration", "RequestId"}, answer
    _check_tencent(answer, 3600, cloud.clock.wall())
    entry = cloud.log()[-1]
    assert entry["op"] == "sts.AssumeRoleWithWebIdentity" and entry["headers"]["Authorization"] == "SKIP"
    forged = dict(params, WebIdentityToken="forged")
    assert _sts(cloud, "AssumeRoleWithWebIdentity", forged, sign=False)["Error"]["Code"] == "InvalidParameter.WebIdentityTokenError"
    other = dict(params, ProviderId="other")
    assert _sts(cloud, "AssumeRoleWithWebIdentity", other, sign=False)["Error"]["Code"] == "InvalidParameter.WebIdentityTokenError"
    missing = dict(params)
    del missing["ProviderId"]
    assert _sts(cloud, "AssumeRoleWithWebIdentity", missing, sign=False)["Error"]["Code"] == "MissingParameter"


def test_sts_key_expires(cloud):
    _config(cloud, credential_lifetime_s=3, tencent_rate_limit=0)
    answer = _sts(cloud, "AssumeRole", {"RoleArn": ROLE_ARN, "RoleSessionName": "cloudops-jobs"})
    _check_tencent(answer, 3, cloud.clock.wall())
    creds = answer["Credentials"]
    keys = (creds["TmpSecretId"], creds["TmpSecretKey"])
    assert "JobSet" in _batch(cloud, *keys, token=creds["Token"])
    cloud.clock.tick(3)
    assert _batch(cloud, *keys, token=creds["Token"])["Error"]["Code"] == "AuthFailure.TokenFailure"


# control ------------------------------------------------------------------------------------------------------------
def test_control_expire_and_list(cloud):
    credential = _metadata_key(cloud)
    answer = _sts(cloud, "AssumeRole", {"RoleArn": ROLE_ARN, "RoleSessionName": "cloudops-jobs"})
    token, _body = _password_token(cloud)
    listed = cloud.control("GET", "credentials")
    assert sorted(k["cloud"] for k in listed["keys"]) == ["huawei", "tencent"]
    assert not any(k["expired"] for k in listed["keys"]) and listed["tokens"][0]["source"] == "password"
    shown = json.dumps(listed)
    creds = answer["Credentials"]
    assert credential["access"] in shown and creds["TmpSecretId"] in shown
    assert not any(secret in shown for secret in (credential["secret"], credential["securitytoken"], creds["TmpSecretKey"],
                                                  creds["Token"], token))
    assert cloud.control("POST", "credentials", {"expire": "tencent"}) == {"expired": 1}
    _ok_drs(cloud, credential)
    assert _batch(cloud, creds["TmpSecretId"], creds["TmpSecretKey"], token=creds["Token"])["Error"]["Code"] == \
        "AuthFailure.TokenFailure"
    assert cloud.control("POST", "credentials", {"expire": "all"}) == {"expired": 2}
    _refused_drs(cloud, credential)
    assert _token_status(cloud, token).status_code == 401
    assert _metadata_key(cloud)["access"] != credential["access"]       # metadata serves a new key after expiry
    bad = cloud.session.post(cloud.url + "/_emu/credentials", json={"expire": "some"})
    assert bad.status_code == 400


@pytest.mark.parametrize("knobs", [
    {"credential_lifetime_s": 0}, {"credential_lifetime_s": "8"}, {"token_lifetime_s": None}, {"token_lifetime_s": -1},
    {"metadata_token": "maybe"}, {"metadata_role": 3}, {"huawei_expired_code": "APIGW.0101"},
    {"tencent_expired_code": "AuthFailure.SignatureFailure"}, {"metadata_token_lifetime_s": 0},
])
def test_bad_credential_knobs(cloud, knobs):
    assert cloud.session.post(cloud.url + "/_emu/config", json=knobs).status_code == 400


def test_reset_restores_the_credential_defaults_and_forgets_keys(cloud):
    _config(cloud, credential_lifetime_s=5, token_lifetime_s=3)
    credential = _metadata_key(cloud)
    _config(cloud, metadata_token="404")
    cloud.control("POST", "reset", {})
    config = cloud.control("GET", "config")
    assert config["credential_lifetime_s"] is None and config["metadata_token"] == "required"
    assert config["token_lifetime_s"] == 86400
    _refused_drs(cloud, credential, expect="ak not exist")


def test_faults_apply_to_the_new_operations(cloud):
    cloud.control("POST", "faults", {"faults": [{"op": "ecs.securitykey", "fault": "status", "status": 503},
                                                {"op": "sts.AssumeRole", "fault": "status", "status": 500}]})
    answer = cloud.session.get(cloud.url + ECS_KEY)
    assert answer.status_code == 503 and answer.headers["Content-Type"].startswith("text/plain")
    assert "Error" in _sts(cloud, "AssumeRole", {"RoleArn": ROLE_ARN, "RoleSessionName": "cloudops-jobs"})
    entry = cloud.log()[-1]
    assert (entry["op"], entry["status"], entry["error_code"], entry["fault"]) == ("sts.AssumeRole", 500, "InternalError", "status")
    assert cloud.log()[0]["fault"] == "status" and cloud.log()[0]["error_code"] == "503"


# the official SDKs' credential providers against the emulator ---------------------------------------------------------
@pytest.fixture
def real_time_cloud(demo_scenario):
    """The demo scenario on the real clock (the SDKs compare expiry with time.time())."""
    import copy

    from cloudemu.server import start

    server = start(copy.deepcopy(demo_scenario))
    server.emulator.configure({"lag_s": 0, "tencent_rate_limit": 0})
    from emulator_testlib import Cloud  # pylint: disable=import-error
    client = Cloud(server, server.emulator.clock)
    yield client
    client.session.close()
    server.stop()


def _drs_client(cloud, credentials):
    from huaweicloudsdkcore.http.http_config import HttpConfig
    from huaweicloudsdkdrs.v3 import DrsClient

    config = HttpConfig.get_default_config()
    config.retry_times = 0
    return DrsClient.new_builder().with_http_config(config).with_credentials(credentials).with_endpoints([cloud.url]).build()


def _sdk_list(cloud, credentials):
    """``show_job_list`` through huaweicloudsdkdrs (any DRS call would do): the listed ids."""
    from huaweicloudsdkdrs.v3 import QueryJobsReq, ShowJobListRequest

    answer = _drs_client(cloud, credentials).show_job_list(ShowJobListRequest(body=QueryJobsReq(cur_page=1, per_page=2)))
    return [job.id for job in answer.jobs]


def test_sdk_metadata_accessor(real_time_cloud, monkeypatch):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.auth.internal import MetadataAccessor

    cloud = real_time_cloud
    monkeypatch.setattr(MetadataAccessor, "_METADATA_ENDPOINT", cloud.url)
    assert _sdk_list(cloud, BasicCredentials(project_id=PROJECT)) == ["drs-job-0001", "drs-job-0002"]
    ops = [(e["op"], e["status"]) for e in cloud.log()]
    assert ops == [("ecs.metadata_token", 200), ("ecs.securitykey", 200), ("drs.list", 200)]
    token_put, key_get, call = cloud.log()
    assert token_put["headers"]["X-Metadata-Token-Ttl-Seconds"] == "21600"
    assert key_get["headers"]["X-Metadata-Token"]
    issued = cloud.control("GET", "credentials")["keys"][0]
    assert "Access=%s," % issued["id"] in call["headers"]["Authorization"] and call["headers"]["X-Security-Token"]


@pytest.mark.parametrize("mode", ["404", "405", "503"])
def test_sdk_metadata_accessor_without_token_service(real_time_cloud, monkeypatch, mode):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.auth.internal import MetadataAccessor

    cloud = real_time_cloud
    cloud.control("POST", "config", {"metadata_token": mode})
    monkeypatch.setattr(MetadataAccessor, "_METADATA_ENDPOINT", cloud.url)
    assert len(_sdk_list(cloud, BasicCredentials(project_id=PROJECT))) == 2
    token_put, key_get, _call = cloud.log()
    assert token_put["status"] == int(mode) and "X-Metadata-Token" not in key_get["headers"] and key_get["status"] == 200


def test_sdk_federal_accessor(real_time_cloud, tmp_path):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials

    cloud = real_time_cloud
    token_file = tmp_path / "id_token"
    token_file.write_text("demo-id-token-0001\n")
    credentials = BasicCredentials(project_id=PROJECT).with_idp_id("cloudops-idp").with_id_token_file(str(token_file)) \
        .with_iam_endpoint(cloud.url)
    assert len(_sdk_list(cloud, credentials)) == 2
    expected = [("iam.id_token", 201), ("iam.securitytoken", 201), ("drs.list", 200)]
    assert [(e["op"], e["status"]) for e in cloud.log()] == expected
    id_token, exchange, _call = cloud.log()
    assert id_token["headers"]["X-Idp-Id"] == "cloudops-idp" and id_token["body"] == {"auth": {"id_token": {"id": "demo-id-token-0001"}}}
    assert exchange["body"]["auth"]["identity"]["methods"] == ["token"]
    assert exchange["body"]["auth"]["identity"]["token"]["duration_seconds"] == 21600


def test_sdk_iam_agency_assumption(real_time_cloud):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials, GlobalCredentials
    from huaweicloudsdkcore.http.http_config import HttpConfig
    from huaweicloudsdkiam.v3 import IamClient
    from huaweicloudsdkiam.v3 import model as iam_model

    cloud = real_time_cloud
    domain_id = cloud.emulator.world.credentials.agencies[0]["domain_id"]
    config = HttpConfig.get_default_config()
    config.retry_times = 0
    client = IamClient.new_builder().with_http_config(config).with_credentials(GlobalCredentials(AK, SK, domain_id)) \
        .with_endpoints([cloud.url]).build()
    assume = iam_model.IdentityAssumerole(agency_name="cloudops-agency", domain_name="acme", duration_seconds=3600)
    identity = iam_model.AgencyAuthIdentity(methods=["assume_role"], assume_role=assume)
    body = iam_model.CreateTemporaryAccessKeyByAgencyRequestBody(auth=iam_model.AgencyAuth(identity=identity))
    answer = client.create_temporary_access_key_by_agency(iam_model.CreateTemporaryAccessKeyByAgencyRequest(body=body))
    credential = answer.credential
    assert cloud.log()[-1]["op"] == "iam.assume_role" and cloud.log()[-1]["status"] == 201
    keys = BasicCredentials(credential.access, credential.secret, PROJECT).with_security_token(credential.securitytoken)
    assert len(_sdk_list(cloud, keys)) == 2


def _tencent_http(monkeypatch):
    """The SDK's credential providers build their own HttpProfile (https): make it http for the emulator."""
    from tencentcloud.common import credential
    from tencentcloud.common.profile.http_profile import HttpProfile

    class PlainHttp(HttpProfile):
        def __init__(self, *args, **kwargs):
            kwargs["protocol"] = "http"
            super(PlainHttp, self).__init__(*args, **kwargs)

    monkeypatch.setattr(credential, "HttpProfile", PlainHttp)


def _sdk_describe_jobs(cloud, cred):
    from tencentcloud.batch.v20170312 import batch_client, models
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    client = batch_client.BatchClient(cred, "ap-guangzhou", ClientProfile(httpProfile=HttpProfile(protocol="http",
                                                                                                  endpoint=cloud.host)))
    request = models.DescribeJobsRequest()
    request.JobIds = ["job-abc12345"]
    return [job.JobId for job in client.DescribeJobs(request).JobSet]


def test_sdk_cvm_role_credential(real_time_cloud, monkeypatch):
    from tencentcloud.common import credential

    cloud = real_time_cloud
    monkeypatch.setattr(credential.CVMRoleCredential, "_role_endpoint", cloud.url + CVM_ROLES)
    _sdk_describe_jobs(cloud, credential.CVMRoleCredential())
    ops = [(e["op"], e["status"]) for e in cloud.log()]
    assert ops[:2] == [("cvm.role", 200), ("cvm.credentials", 200)] and ops[-1] == ("tencent.DescribeJobs", 200)
    assert cloud.log()[-1]["headers"]["X-TC-Token"]
    assert cloud.log()[-1]["error_code"] is None


def test_sdk_sts_assume_role_credential(real_time_cloud, monkeypatch):
    from tencentcloud.common import credential

    cloud = real_time_cloud
    _tencent_http(monkeypatch)
    cred = credential.STSAssumeRoleCredential(SECRET_ID, SECRET_KEY, ROLE_ARN, "cloudops-jobs", 900, endpoint=cloud.host)
    _sdk_describe_jobs(cloud, cred)
    ops = [(e["op"], e["status"], e["error_code"]) for e in cloud.log()]
    assert ops == [("sts.AssumeRole", 200, None), ("tencent.DescribeJobs", 200, None)]
    assert cloud.log()[0]["body"] == {"RoleArn": ROLE_ARN, "RoleSessionName": "cloudops-jobs", "DurationSeconds": 900}


def test_sdk_oidc_role_arn_credential(real_time_cloud, monkeypatch):
    from tencentcloud.common import credential

    cloud = real_time_cloud
    _tencent_http(monkeypatch)
    cred = credential.OIDCRoleArnCredential("ap-guangzhou", "cloudops-tke", "demo-web-identity-token-0001", ROLE_ARN,
                                            "tencentcloud-python-sdk-1", 3600, endpoint=cloud.host)
    _sdk_describe_jobs(cloud, cred)
    ops = [(e["op"], e["status"], e["error_code"]) for e in cloud.log()]
    assert ops == [("sts.AssumeRoleWithWebIdentity", 200, None), ("tencent.DescribeJobs", 200, None)]
    assert cloud.log()[0]["headers"]["Authorization"] == "SKIP"


def test_expiry_on_the_real_clock(real_time_cloud):
    """No manual clock: keys and tokens expire in real time (what the integration tests' 25-second wait relies on)."""
    cloud = real_time_cloud
    cloud.control("POST", "config", {"credential_lifetime_s": 1, "token_lifetime_s": 1})
    credential = _metadata_key(cloud)
    sts = _sts(cloud, "AssumeRole", {"RoleArn": ROLE_ARN, "RoleSessionName": "cloudops-jobs"})["Credentials"]
    token, _body = _password_token(cloud)
    time.sleep(1.1)
    _refused_drs(cloud, credential)
    assert _token_status(cloud, token).status_code == 401
    refused = _batch(cloud, sts["TmpSecretId"], sts["TmpSecretKey"], token=sts["Token"])
    assert refused["Error"]["Code"] == "AuthFailure.TokenFailure"
