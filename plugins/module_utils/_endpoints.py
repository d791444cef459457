# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Huawei Cloud endpoints: the regions the official SDKs (3.1.219) know for DRS, Workspace, IoTDA and IAM, and their URLs.

Copied from ``huaweicloudsdk{drs,workspace,iotda,iam}/v*/region/*_region.py``;
tests/unit/plugins/module_utils/test_endpoints.py holds this table against those files.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

PATTERN = "https://%s.%s.myhuaweicloud.com"
# IAM is global outside the regions its SDK lists (huaweicloudsdkcore IamHelper.DEFAULT_ENDPOINT).
IAM_GLOBAL = "https://iam.myhuaweicloud.com"

# The regions each service's SDK lists.
REGIONS = {
    "drs": frozenset("""
        ae-ad-1 af-north-1 af-south-1 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4 ap-southeast-5
        cn-east-2 cn-east-3 cn-east-4 cn-east-5 cn-north-1 cn-north-11 cn-north-12 cn-north-2 cn-north-4 cn-north-9
        cn-south-1 cn-south-2 cn-south-4 cn-southwest-2 cn-southwest-3 eu-west-0 eu-west-101 la-north-2 la-south-2
        me-east-1 my-kualalumpur-1 na-mexico-1 ru-moscow-1 ru-northwest-2 sa-brazil-1 tr-west-1
    """.split()),
    "workspace": frozenset("""
        af-north-1 af-south-1 ap-southeast-1 ap-southeast-2 ap-southeast-3 cn-east-3 cn-east-5 cn-north-11 cn-north-4
        cn-north-9 cn-south-1 cn-southwest-2 eu-west-101 la-north-2 la-south-2 me-east-1 sa-brazil-1 tr-west-1
    """.split()),
    "iotda": frozenset("""
        af-south-1 ap-southeast-1 ap-southeast-2 ap-southeast-3 cn-east-3 cn-north-4 cn-south-1 cn-south-4 la-north-2
        la-south-2 me-east-1 ru-moscow-1 sa-brazil-1
    """.split()),
    "iam": frozenset("""
        ae-ad-1 af-south-1 ap-southeast-1 ap-southeast-2 ap-southeast-3 ap-southeast-4 cn-east-2 cn-east-3 cn-east-4
        cn-east-5 cn-north-1 cn-north-12 cn-north-2 cn-north-4 cn-north-9 cn-south-1 cn-south-2 cn-southwest-2
        eu-west-0 eu-west-101 la-north-2 la-south-2 me-east-1 my-kualalumpur-1 na-mexico-1 ru-moscow-1 sa-brazil-1
        tr-west-1
    """.split()),
}

# The listed regions whose endpoint is not PATTERN. Not a rule per region: Workspace in eu-west-101 is on .com.
EXCEPTIONS = {
    ("drs", "eu-west-101"): "https://drs.eu-west-101.myhuaweicloud.eu",
    ("iam", "eu-west-101"): "https://iam.eu-west-101.myhuaweicloud.eu",
}


def endpoint(service, region):
    """The URL of ``service`` in ``region``, without a trailing slash.

    A region the service's SDK lists gets the SDK's URL. Any other region gets the pattern
    ``https://{service}.{region}.myhuaweicloud.com``, except IAM, which is global there (as the SDK does).
    """
    if region in REGIONS.get(service, ()):
        return EXCEPTIONS.get((service, region), PATTERN % (service, region))
    if service == "iam":
        return IAM_GLOBAL
    return PATTERN % (service, region)
