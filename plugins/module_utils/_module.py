# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module base: wraps AnsibleModule, merges the shared specs, builds the client, reports results.

A module is its own options, its own checks, and one call: ``CloudJobsModule(...).run(fn)``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import traceback

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION

from ansible_collections.cloudops.jobs.plugins.module_utils import _argspec
from ansible_collections.cloudops.jobs.plugins.module_utils import _credentials
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError, Scrubber
from ansible_collections.cloudops.jobs.plugins.module_utils import _transport


def listed(cm, key, items):
    """An info module's result for a list query; filters that match nothing are warned about (a typo lists nothing)."""
    if not items:
        cm.warn("filters %s matched no %s; check the values (the list APIs take no wildcards)" % (cm.params["filters"], key[:-1]))
    return {"changed": False, key: items}


class CloudJobsModule:
    """Wraps AnsibleModule for one cloud: ``_huawei.HUAWEI`` or ``_tencent.TENCENT``, each its shared option spec, its input
    checks and how its client is built (so a module loads only its own cloud's code).

    ``checks(params)``: the module's own input checks; they run after the cloud's, before any client is built or
    request sent. ``job_state``: the module takes the state options (precheck, wait...); ``discovery``: it takes
    ``filters`` and ``max_jobs``; ``select``: the name of the ids option (``job_ids``) that ``filters`` replaces,
    one of the two required.
    """

    def __init__(self, argument_spec, cloud, checks=None, job_state=True, discovery=False, select=None, **kwargs):
        cloud_spec, self._cloud_check, self._build_client = cloud[:3]
        env_table = cloud[3] if len(cloud) > 3 else {}   # the options whose env vars the collection applies itself
        spec = cloud_spec()
        if job_state:
            spec.update(_argspec.state_spec())
        if discovery:
            spec.update(_argspec.discovery_spec())
        if select:
            spec.update(_argspec.select_spec(select))
            kwargs["mutually_exclusive"] = list(kwargs.get("mutually_exclusive", [])) + [[select, "filters"]]
            kwargs["required_one_of"] = list(kwargs.get("required_one_of", [])) + [[select, "filters"]]
        spec.update(argument_spec)
        kwargs.setdefault("supports_check_mode", True)
        self.checks = checks
        self.module = AnsibleModule(argument_spec=spec, **kwargs)
        # The environment variables of the ways in are applied here, not as argument-spec fallbacks: ``from_env``
        # names the options they filled, so that a way in the task set wins over one found in the environment.
        self.params, self.from_env = _credentials.apply_env(self.module.params, env_table)
        for name in self.from_env:
            if spec.get(name, {}).get("no_log"):
                self.module.no_log_values.add(self.params[name])
        self.check_mode = self.module.check_mode
        self.scrubber = Scrubber(self.params.get(name) for name in _argspec.secret_options(spec))
        self._transport = None
        self._client = None

    # helpers for modules ---------------------------------------------------
    def add_secret(self, value):
        """A secret learnt during the run (an IAM token): masked by the scrubber and by Ansible's no_log."""
        if value:
            self.scrubber.add(value)
            self.module.no_log_values.add(value)

    def warn(self, msg):
        self.module.warn(self.scrubber(msg))

    def transport(self, pool_size=10):
        if self._transport is None:
            self._transport = _transport.from_params(
                self.params, "cloudops.jobs/%s ansible-core/%s" % (_transport.COLLECTION_VERSION, ANSIBLE_VERSION),
                pool_size, self.warn)
        return self._transport

    def client(self, pool_size=10):
        """The one client of this run, for this module's cloud (built on first use)."""
        if self._client is None:
            self._client = self._build_client(self, pool_size)
        return self._client

    def fail(self, msg, **kwargs):
        self.module.fail_json(msg=self.scrubber(msg), **self.scrubber.obj(kwargs))

    # the one call ------------------------------------------------------------
    def run(self, action):
        """Check the input, then run ``action(self)``, which returns a result dict, and exit with it.

        Bad input (InputError) and errors that stop the whole run (ApiError before any job was
        acted on, e.g. a failed IAM login) fail the task with a clear message; anything
        unexpected fails with its text scrubbed of secrets.
        """
        try:
            _argspec.check_common(self.params)
            self._cloud_check(self)
            if self.checks is not None:
                self.checks(self.params)
            result = action(self)
        except _argspec.InputError as exc:
            self.fail(str(exc))
        except ApiError as exc:
            self.fail(str(exc), **exc.to_dict())
        except Exception as exc:  # pylint: disable=broad-except
            self.fail("unexpected error: %s: %s" % (type(exc).__name__, exc), exception=traceback.format_exc())
        finally:
            if self._transport is not None:
                self._transport.close()
        result = self.scrubber.obj(result)
        self.module.exit_json(**result)
