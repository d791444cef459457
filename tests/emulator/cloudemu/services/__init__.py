# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulated services, in the order requests are routed to them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from cloudemu.services.base import Service
from cloudemu.services.drs import Drs
from cloudemu.services.iam import Iam
from cloudemu.services.iotda import Iotda
from cloudemu.services.metadata import CvmMetadata, EcsMetadata
from cloudemu.services.tencent_batch import TencentBatch
from cloudemu.services.tencent_sts import TencentSts
from cloudemu.services.workspace import Workspace

SERVICES = (Iam, Drs, Workspace, Iotda, EcsMetadata, CvmMetadata, TencentSts, TencentBatch)


class Unknown(Service):
    """Whatever no service answers: the gateway's 404."""

    name = "unknown"

    def route(self, req):
        return "unknown", None, {}

    def handle(self, req, route, params):
        return self.error(req, 404, "APIGW.0101", "The API does not exist or has not been published in the environment: "
                          "%s %s" % (req.method, req.path))
