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
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import RunOptions, Selection
from ansible_collections.cloudops.jobs.plugins.module_utils._results import unique_ids
from ansible_collections.cloudops.jobs.plugins.module_utils import _transport


def listed(module, key, items):
    """An info module's result for a list query; filters that match nothing are warned about (a typo lists nothing)."""
    if not items:
        module.warn("filters %s matched no %s; check the values (the list APIs take no wildcards)"
                    % (module.selection.filters, key[:-1]))
    return {"changed": False, key: items}


class CloudJobsModule:
    """Wraps AnsibleModule for one cloud: ``_huawei.HUAWEI`` or ``_tencent.TENCENT``, each its shared option spec, its input
    checks and how its client is built (so a module loads only its own cloud's code).

    ``checks(params)``: the module's own input checks; they run after the cloud's, before any client is built or
    request sent. ``job_state``: the module acts, and takes the state options (precheck, wait...). ``filters``: the
    service's ``check_filters``: the module takes ``filters`` (and, when it acts, ``max_jobs``). ``ids_option``: the
    option that names the jobs (``job_ids``), checked with ``_argspec.check_ids``; declared here, with exactly one of
    it and ``filters`` required, unless ``argument_spec`` declares it (the module then says how the two combine).

    Once the input is checked, ``options`` (a :class:`~._jobs.RunOptions`) and ``selection`` (a
    :class:`~._jobs.Selection`: the ids, or the filters as ``check_filters`` returned them) hold what the run
    depends on; ``params`` is never changed.
    """

    def __init__(self, argument_spec, cloud, checks=None, job_state=True, filters=None, ids_option=None, **kwargs):
        cloud_spec, self._cloud_check, self._build_client = cloud[:3]
        env_table = cloud[3] if len(cloud) > 3 else {}   # the options whose env vars the collection applies itself
        spec = cloud_spec()
        if job_state:
            spec.update(_argspec.state_spec())
        if filters is not None:
            spec.update(_argspec.filters_spec(max_jobs=job_state))
        if ids_option is not None and ids_option not in argument_spec:
            spec.update(_argspec.ids_spec(ids_option))
            if filters is not None:
                kwargs["mutually_exclusive"] = list(kwargs.get("mutually_exclusive", [])) + [[ids_option, "filters"]]
                kwargs["required_one_of"] = list(kwargs.get("required_one_of", [])) + [[ids_option, "filters"]]
        spec.update(argument_spec)
        kwargs.setdefault("supports_check_mode", True)
        self.checks = checks
        self._check_filters = filters
        self.ids_option = ids_option
        self.options = None     # RunOptions and Selection: set by run() once the input is checked
        self.selection = None
        self.module = AnsibleModule(argument_spec=spec, **kwargs)
        # The environment variables of the ways in are applied here, not as argument-spec fallbacks: ``from_env``
        # names the options they filled, so that a way in the task set wins over one found in the environment.
        self.params, self.from_env = _credentials.apply_env(self.module.params, env_table)
        for name in self.from_env:
            if spec.get(name, {}).get("no_log"):
                self.module.no_log_values.add(self.params[name])
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

    def _select(self):
        """The jobs the task names (ids checked) or selects (filters checked and normalized by the service)."""
        params = self.params
        if self._check_filters is not None and params["filters"] is not None:
            return Selection(filters=self._check_filters(params["filters"]))
        if self.ids_option is None:
            return Selection()
        ids = params[self.ids_option]
        if ids is not None:
            _argspec.check_ids(ids, self.ids_option)
        return Selection(ids, self.ids_option)

    def ids_once(self):
        """The ids the task names, each once, in the order given (an info module reports each once; a repeat is warned
        about, naming the option)."""
        return unique_ids(self.selection.ids, self.selection.option, self.warn, "reported once")

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
            self.selection = self._select()
            self.options = RunOptions.from_params(self.params, self.module.check_mode, self.module._diff)
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
