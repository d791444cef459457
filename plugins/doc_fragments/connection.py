# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  validate_certs:
    description:
      - Verify the endpoint's TLS certificate, against the system's CA certificates or O(ca_bundle). Set to V(false) only
        for test endpoints; the module warns when it is off.
    type: bool
    default: true
  ca_bundle:
    description:
      - Path to a file of CA certificates (PEM), or a directory of them prepared with C(openssl rehash), to verify the
        endpoint with instead of the system's, for private CAs and TLS-inspecting proxies. Checked before any request.
    type: path
  timeout:
    description:
      - Seconds to wait for each request to connect and for each answer.
    type: int
    default: 30
  max_retries:
    description:
      - How many times a request is re-sent when the service throttled it (HTTP 429 or a throttling error code,
        honouring C(Retry-After)), answered 503, or could not be reached at all. Capped exponential backoff with jitter.
      - A write whose outcome is unknown (no answer within O(timeout), connection reset after sending, HTTP 500/502/504)
        is never re-sent; its jobs are reported failed with status V(unknown).
    type: int
    default: 4
notes:
  - Proxies are taken from the standard E(https_proxy), E(http_proxy), E(all_proxy) and E(no_proxy) environment
    variables (lower or upper case), as curl reads them. The proxy must be an C(http://) URL (credentials in it are
    sent as C(Proxy-Authorization)); HTTPS goes through it in a C(CONNECT) tunnel.
  - The modules need no Python package beyond ansible-core (HTTP and TLS are the standard library's).
"""
