# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``filters`` each module and the EDA source document are the ones the code accepts, both ways.

The accepted side is read from the code, never written here: the filter keys from the service's check function (the
keys its unknown-key error lists, held against the service file's ``FILTER_KEYS``), the accepted values from the state
tables that same function checks against (each held against the function: it takes every value of the table and
refuses one outside it). The documented side is read from the DOCUMENTATION yaml by the convention of
docs/dev/docs-from-code.md: in the description of ``filters``, one item per key that starts with ``V(key) - ``; when the
code restricts a key's values, that item lists every accepted value as ``V(value)`` and no other. In the event
source, one item per service, ``V(service) - `` followed by the service's keys.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import json
import re

import pytest
import yaml

from ansible_collections.cloudops.jobs.plugins.module_utils import _discovery, _drs, _iotda, _tencent_batch, _transport
from ansible_collections.cloudops.jobs.plugins.module_utils._argspec import InputError
from ansible_collections.cloudops.jobs.tests.unit.eda.eda_fakes import load_source
from ansible_collections.cloudops.jobs.tests.unit.plugins.runner_fakes import patch_module_args

UNKNOWN_KEY = "zz_not_a_filter"
UNKNOWN_VALUE = "ZZ_NOT_A_VALUE"
# A value every unrestricted key takes (a non-empty string without control characters, of the characters an IoTDA
# resource space ID allows); ``tags`` takes a dict.
FREE_VALUE = "free-text_0"
HUAWEI = dict(region="cn-north-4", access_key="HPUAEXAMPLEAK0000001", secret_key="ExampleSecretKey0000000000000001")
TENCENT = dict(region="ap-guangzhou", secret_id="AKIDEXAMPLE0000000000000000000000001", secret_key="ExampleSecretKey000000000000000001")


class Checker:
    """One service's filter check, with the value tables it checks against and what a valid filter set needs."""

    def __init__(self, check, values, base=None, keys_table=None):
        self.check = check
        self.values = values            # key -> the table of values the code accepts for it
        self.base = base or {}          # what every call needs besides the key under test (IoTDA: a task_type)
        self.keys_table = keys_table    # the service file's FILTER_KEYS, when it has one

    def call(self, filters):
        return self.check(dict(self.base, **filters))


DRS = Checker(_drs.check_filters, {"status": _drs.JOB_STATES}, keys_table=_drs.FILTER_KEYS)
IOTDA_TASKS = Checker(_iotda.check_filters, {"task_type": _iotda.TASK_TYPES, "status": _iotda.TASK_STATUSES},
                      base={"task_type": sorted(_iotda.TASK_TYPES)[0]}, keys_table=_iotda.FILTER_KEYS)
# check_subtask_filters has no key table yet: its keys are the ones its error names (held to one if it gets one).
IOTDA_SUBTASKS = Checker(_iotda.check_subtask_filters, {"status": _iotda.SUBTASK_STATUSES},
                         keys_table=getattr(_iotda, "SUBTASK_FILTER_KEYS", None))
TENCENT_BATCH = Checker(_tencent_batch.check_filters, {"job-state": _tencent_batch.JOB_STATES},
                        keys_table=_tencent_batch.FILTER_KEYS)

MODULES = {
    "drs_job_info": (DRS, HUAWEI, {}),
    "drs_job_retry": (DRS, HUAWEI, {}),
    "drs_job_start": (DRS, HUAWEI, {}),
    "iotda_batchtask_info": (IOTDA_TASKS, HUAWEI, {}),
    "iotda_batchtask_retry": (IOTDA_SUBTASKS, HUAWEI, {"task_id": "64a1b2c3d4e5f60718293a4b"}),
    "tencent_batch_job_info": (TENCENT_BATCH, TENCENT, {}),
    "tencent_batch_retry": (TENCENT_BATCH, TENCENT, {}),
}
ALL_MODULES = ("drs_job_info", "drs_job_retry", "drs_job_start", "iotda_batchtask_info", "iotda_batchtask_retry",
               "tencent_batch_job_info", "tencent_batch_retry", "workspace_job_action", "workspace_job_info")
SOURCE_SERVICES = {_discovery.DRS: DRS, _discovery.IOTDA: IOTDA_TASKS, _discovery.TENCENT_BATCH: TENCENT_BATCH}

KEY_ITEM = re.compile(r"^V\(([^()]+)\) - (.*)$", re.S)
MARKED = re.compile(r"V\(([^()]*)\)")


def doc_of(name):
    return yaml.safe_load(importlib.import_module("ansible_collections.cloudops.jobs.plugins.modules." + name).DOCUMENTATION)


def description(option):
    text = option["description"]
    return [text] if isinstance(text, str) else list(text)


def key_items(option):
    """``{key: the rest of its item}`` from the ``V(key) - `` items of a ``filters`` description."""
    items = {}
    for item in description(option):
        m = KEY_ITEM.match(" ".join(item.split()))
        if m:
            assert m.group(1) not in items, "filter key %s is documented twice" % m.group(1)
            items[m.group(1)] = m.group(2)
    return items


def marked_values(text):
    """Every ``V(...)`` of ``text``; a list ``V([a, b])`` gives its elements, ``V({})`` nothing."""
    out = []
    for value in MARKED.findall(text):
        if value.startswith("["):
            out.extend(v.strip() for v in value.strip("[]").split(",") if v.strip())
        elif value != "{}":
            out.append(value)
    return out


def accepted_keys(checker):
    """The keys the check function accepts, as its unknown-key error lists them to the user."""
    with pytest.raises(InputError) as info:
        checker.call({UNKNOWN_KEY: FREE_VALUE})
    msg = str(info.value)
    assert UNKNOWN_KEY in msg
    listed = re.search(r"accepted: ([^;(]*)", msg)
    assert listed, msg
    keys = [k.strip() for k in listed.group(1).split(",") if k.strip()]
    if checker.keys_table is not None:
        assert keys == list(checker.keys_table)
    return keys


def sample(checker, key):
    if key in checker.values:
        return sorted(checker.values[key])[0]
    return {"env": FREE_VALUE} if key == "tags" else FREE_VALUE


# --- the accepted side, held against the code ------------------------------------------------------------------------

@pytest.mark.parametrize("checker", [DRS, IOTDA_TASKS, IOTDA_SUBTASKS, TENCENT_BATCH], ids=["drs", "iotda", "iotda-subtasks", "tencent"])
def test_each_key_and_value_table_is_what_the_check_function_takes(checker):
    keys = accepted_keys(checker)
    assert set(checker.values) <= set(keys)
    for key in keys:
        real = "tag:env" if key == "tag:KEY" else key
        checker.call({real: sample(checker, key)})          # a key it lists is a key it takes
        if key in checker.values:
            for value in sorted(checker.values[key]):
                checker.call({real: value})
            with pytest.raises(InputError, match=UNKNOWN_VALUE):
                checker.call({real: UNKNOWN_VALUE})
        elif key != "tags":
            checker.call({real: FREE_VALUE})                # no value table the docs would miss


def test_every_module_with_filters_is_held_here():
    with_filters = set(name for name in ALL_MODULES if "filters" in doc_of(name)["options"])
    assert with_filters == set(MODULES)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_the_module_checks_its_filters_with_that_function(name, monkeypatch, capsys):
    # The module's own failure for an unknown key is the check function's: the table below is the one it uses.
    checker, credentials, required = MODULES[name]
    with pytest.raises(InputError) as info:
        checker.check({UNKNOWN_KEY: FREE_VALUE})

    def send(self, prepare, **kwargs):
        raise AssertionError("no request may be sent")

    monkeypatch.setattr(_transport.Transport, "send", send)
    module = importlib.import_module("ansible_collections.cloudops.jobs.plugins.modules." + name)
    args = dict(credentials, filters={UNKNOWN_KEY: FREE_VALUE}, **required)
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module.main()
    result = json.loads(capsys.readouterr().out)
    assert result["failed"] and str(info.value) in result["msg"]


# --- the documented side against it ----------------------------------------------------------------------------------

def compare(where, documented, accepted):
    problems = []
    for key in sorted(set(documented) - set(accepted)):
        problems.append("%s documents %s, which the code does not accept" % (where, key))
    for key in sorted(set(accepted) - set(documented)):
        problems.append("%s does not document %s, which the code accepts" % (where, key))
    return problems


@pytest.mark.parametrize("name", sorted(MODULES))
def test_the_documented_filters_are_the_accepted_ones(name):
    checker = MODULES[name][0]
    items = key_items(doc_of(name)["options"]["filters"])
    problems = compare("%s filters" % name, items, accepted_keys(checker))
    for key, table in sorted(checker.values.items()):
        if key in items:
            problems += compare("%s filters.%s" % (name, key), marked_values(items[key]), table)
    assert not problems, "\n".join(problems)


def test_task_detail_status_choices_are_the_subtask_statuses():
    choices = doc_of("iotda_batchtask_info")["options"]["task_detail_status"]["choices"]
    assert sorted(choices) == sorted(_iotda.SUBTASK_STATUSES)


def test_the_event_source_documents_each_services_filters():
    source = load_source()
    option = yaml.safe_load(source["DOCUMENTATION"])["options"]["filters"]
    items = key_items(option)
    assert set(items) == set(source["SERVICES"]) == set(SOURCE_SERVICES)
    problems = []
    for service, checker in sorted(SOURCE_SERVICES.items()):
        assert source["SERVICES"][service]["lib"].check_filters is checker.check
        problems += compare("failed_jobs filters for %s" % service, marked_values(items[service]), accepted_keys(checker))
    assert not problems, "\n".join(problems)


def test_the_convention_reads_a_missing_and_an_extra_key():
    # The parsing this test relies on sees both kinds of gap.
    option = {"description": ["Intro V(not_a_key) text.", "V(status) - a state: V(A), V([B, C]), V({}).", "V(name) - text."]}
    items = key_items(option)
    assert sorted(items) == ["name", "status"] and marked_values(items["status"]) == ["A", "B", "C"]
    assert compare("m", items, ["status", "zone"]) == ["m documents name, which the code does not accept",
                                                       "m does not document zone, which the code accepts"]


# --- the states the event source emits for ---------------------------------------------------------------------------

SOURCE_STATES = {
    _discovery.DRS: "DRS jobs fail in ",
    _discovery.IOTDA: "IoTDA subtasks fail in ",
    _discovery.TENCENT_BATCH: "Tencent Cloud Batch jobs fail in ",
}


def test_the_event_source_documents_each_services_failed_states():
    source = load_source()
    items = [" ".join(i.split()) for i in yaml.safe_load(source["DOCUMENTATION"])["description"]]
    problems = []
    for service, start in sorted(SOURCE_STATES.items()):
        found = [i for i in items if i.startswith(start)]
        assert len(found) == 1, "the source's description needs one item starting %r" % start
        problems += compare("failed_jobs failed states of %s" % service, marked_values(found[0]), source["SERVICES"][service]["failed"])
        if service == _discovery.IOTDA:
            read = re.findall(r"C\(([^()]*)\)", found[0])
            problems += compare("failed_jobs task statuses read", read, source["IOTDA_READ_TASK_STATES"])
    assert not problems, "\n".join(problems)


# --- every state a module's documentation names is one of its service's --------------------------------------------

STATE_WORD = {
    "drs": (re.compile(r"^[A-Z][A-Z_]+$"), _drs.JOB_STATES),
    "tencent": (re.compile(r"^[A-Z][A-Z_]+$"), _tencent_batch.JOB_STATES),
    "iotda": (re.compile(r"^[A-Z][a-z]+(?:[A-Z][a-z]+)*$"), _iotda.TASK_STATUSES | _iotda.SUBTASK_STATUSES),
}


def all_text(node):
    if isinstance(node, dict):
        return " ".join(all_text(v) for v in node.values())
    if isinstance(node, list):
        return " ".join(all_text(v) for v in node)
    return node if isinstance(node, str) else ""


@pytest.mark.parametrize("name", [n for n in ALL_MODULES if not n.startswith("workspace")])
def test_every_state_a_module_names_is_a_state_of_its_service(name):
    pattern, states = STATE_WORD[name.split("_")[0]]
    named = set(v for v in marked_values(all_text(doc_of(name))) if pattern.match(v))
    assert named and not named - set(states), "%s names states its service does not have: %s" % (name, sorted(named - set(states)))


def test_every_state_the_workspace_modules_name_is_a_workspace_state():
    from ansible_collections.cloudops.jobs.plugins.module_utils import _workspace
    states = _workspace.FAILED_STATES | _workspace.SUCCEEDED_STATES | _workspace.RUNNING_STATES
    named = set(v for v in marked_values(all_text(doc_of("workspace_job_action"))) if re.match(r"^[A-Z][A-Z_]+$", v))
    assert named == set(states)
