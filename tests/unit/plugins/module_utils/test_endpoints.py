# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The endpoint table against the official SDKs' region files (huaweicloudsdk*/v*/region/*_region.py, 3.1.219)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils import _endpoints as endpoints
from ansible_collections.cloudops.jobs.plugins.module_utils._huawei import HuaweiClient

# (service, SDK region module, class): every API version the SDKs ship, the ones the modules call among them
# (DRS v3, Workspace v2, IoTDA v5, IAM v3).
SDK_REGION_CLASSES = [
    ("drs", "huaweicloudsdkdrs.v3.region.drs_region", "DrsRegion"),
    ("drs", "huaweicloudsdkdrs.v5.region.drs_region", "DrsRegion"),
    ("workspace", "huaweicloudsdkworkspace.v2.region.workspace_region", "WorkspaceRegion"),
    ("iotda", "huaweicloudsdkiotda.v5.region.iotda_region", "IoTDARegion"),
    ("iam", "huaweicloudsdkiam.v3.region.iam_region", "IamRegion"),
    ("iam", "huaweicloudsdkiam.v5.region.iam_region", "IamRegion"),
]
UNKNOWN = "xx-nowhere-7"


def sdk_regions(module, name):
    """{region id: first endpoint} as the SDK's region class lists them."""
    cls = getattr(pytest.importorskip(module), name)
    fields = cls.static_fields
    assert fields, "%s.%s lists no regions" % (module, name)
    return dict((region_id, region.endpoints[0]) for region_id, region in fields.items())


@pytest.mark.parametrize("service, module, name", SDK_REGION_CLASSES)
def test_every_region_the_sdk_lists_gets_the_sdks_endpoint(service, module, name):
    listed = sdk_regions(module, name)
    wrong = dict((r, (endpoints.endpoint(service, r), url)) for r, url in listed.items() if endpoints.endpoint(service, r) != url)
    assert not wrong, "ours vs the SDK's: %r" % wrong


@pytest.mark.parametrize("service, module, name", SDK_REGION_CLASSES)
def test_the_table_lists_exactly_the_sdks_regions(service, module, name):
    listed = set(sdk_regions(module, name))
    assert sorted(endpoints.REGIONS[service] - listed) == [], "in our table, not in the SDK's"
    assert sorted(listed - endpoints.REGIONS[service]) == [], "in the SDK's, not in our table"


def test_every_exception_is_a_listed_region_and_breaks_the_pattern():
    for (service, region), url in endpoints.EXCEPTIONS.items():
        assert region in endpoints.REGIONS[service]
        assert url != "https://%s.%s.myhuaweicloud.com" % (service, region)


def test_iam_as_the_core_sdk_finds_it_for_the_project_lookup(monkeypatch):
    """huaweicloudsdkcore's own IAM table (used to look the project up) agrees wherever it names a region.

    It does not list eu-west-101 (it would use the global IAM there); the IAM SDK's region file names
    iam.eu-west-101.myhuaweicloud.eu, which the table follows: the EU partition has its own IAM.
    """
    core_endpoint = pytest.importorskip("huaweicloudsdkcore.auth.endpoint")
    internal = pytest.importorskip("huaweicloudsdkcore.auth.internal")
    monkeypatch.delenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", raising=False)
    every_region = set([UNKNOWN]).union(*endpoints.REGIONS.values())
    for region in sorted(every_region - set(["eu-west-101"])):
        assert endpoints.endpoint("iam", region) == internal.IamHelper.get_iam_endpoint(region), region
    # If the core SDK ever lists eu-west-101, it must agree with the IAM SDK's region file.
    assert core_endpoint.get_iam_endpoint_by_id("eu-west-101") in (None, endpoints.endpoint("iam", "eu-west-101"))


def test_eu_west_101_is_on_the_eu_partition_for_drs_and_iam_only():
    assert endpoints.endpoint("drs", "eu-west-101") == "https://drs.eu-west-101.myhuaweicloud.eu"
    assert endpoints.endpoint("iam", "eu-west-101") == "https://iam.eu-west-101.myhuaweicloud.eu"
    # The Workspace SDK lists eu-west-101 on .com.
    assert endpoints.endpoint("workspace", "eu-west-101") == "https://workspace.eu-west-101.myhuaweicloud.com"


def test_iam_regions_as_the_sdk_has_them():
    assert endpoints.endpoint("iam", "ru-moscow-1") == "https://iam.ru-moscow-1.myhuaweicloud.com"
    # Regions the old list had and the SDK does not: IAM is global there.
    assert endpoints.endpoint("iam", "cn-north-11") == "https://iam.myhuaweicloud.com"
    assert endpoints.endpoint("iam", "ru-northwest-2") == "https://iam.myhuaweicloud.com"


def test_a_region_no_sdk_lists_falls_back_to_the_pattern_and_iam_to_global():
    for service in ("drs", "workspace", "iotda"):
        assert endpoints.endpoint(service, UNKNOWN) == "https://%s.%s.myhuaweicloud.com" % (service, UNKNOWN)
    assert endpoints.endpoint("iotda", "cn-north-9") == "https://iotda.cn-north-9.myhuaweicloud.com"
    assert endpoints.endpoint("iam", UNKNOWN) == "https://iam.myhuaweicloud.com"


def client(**params):
    base = {"access_key": "AKEXAMPLE", "secret_key": "SKEXAMPLE", "project_id": "0123456789abcdef0123456789abcdef"}
    base.update(params)
    return HuaweiClient(base, transport=None)


def test_the_client_uses_the_table():
    eu = client(region="eu-west-101")
    assert eu.endpoint("drs") == "https://drs.eu-west-101.myhuaweicloud.eu"
    assert eu.endpoint("workspace") == "https://workspace.eu-west-101.myhuaweicloud.com"
    assert eu.iam_endpoint() == "https://iam.eu-west-101.myhuaweicloud.eu"
    assert client(region="ru-moscow-1").iam_endpoint() == "https://iam.ru-moscow-1.myhuaweicloud.com"
    assert client(region=UNKNOWN).iam_endpoint() == "https://iam.myhuaweicloud.com"


def test_endpoint_and_iam_endpoint_options_still_win():
    c = client(region="eu-west-101", endpoint="https://drs.example.test:8443/", iam_endpoint="https://iam.example.test/")
    assert c.endpoint("drs") == "https://drs.example.test:8443"
    assert c.iam_endpoint() == "https://iam.example.test"
