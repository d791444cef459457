# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source cloudops.jobs.failed_jobs against fake clouds: jobs that fail, recover and fail again while it
watches give exactly one event per failure episode; running jobs none; API errors are survived with a capped back-off
and no event from a pass that did not read the job; bad arguments stop it before any request; no secret leaks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import logging

import pytest

pytest.importorskip("pytest_asyncio")

from ansible_collections.cloudops.jobs.plugins.module_utils import _transport  # noqa: E402

from ansible_collections.cloudops.jobs.tests.unit.eda.eda_fakes import (  # noqa: E402
    ENV_NAMES, EVENT_KEYS, HUAWEI_ARGS, PROJECT, TENCENT_ARGS, FakeCloud, api_error, drive, load_source, nothing, set_jobs,
)

SOURCE = load_source()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def no_requests(monkeypatch):
    """Every request the transport would send, recorded instead of sent (there must be none)."""
    sent = []

    def send(self, prepare, **kwargs):
        sent.append(prepare())
        raise AssertionError("no request may be sent")

    monkeypatch.setattr(_transport.Transport, "send", send)
    return sent


def config(service="drs", **args):
    base = dict(TENCENT_ARGS if service == "tencent_batch" else HUAWEI_ARGS, service=service, interval=10)
    base.update(args)
    return SOURCE["Config"](base)


def ids(events):
    return [(e["id"], e["status"], e["previous_status"]) for e in events]


# --- one event per failure episode ---------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_a_job_that_fails_recovers_and_fails_again_gives_one_event_per_episode():
    cloud = FakeCloud("drs", {"job-a": "INCRE_TRANSFER_STARTED", "job-b": "INCRE_TRANSFER_STARTED"})
    per_pass, delays = await drive(SOURCE, config(), cloud, [
        nothing,
        set_jobs(job_a="INCRE_TRANSFER_FAILED"),     # fails: one event
        nothing,                                     # still failed: none
        set_jobs(job_a="INCRE_TRANSFER_STARTED"),    # retried, running again
        set_jobs(job_a="FULL_TRANSFER_FAILED"),      # fails again: one event
        nothing,
    ])
    assert [ids(p) for p in per_pass] == [
        [], [("job-a", "INCRE_TRANSFER_FAILED", "INCRE_TRANSFER_STARTED")], [], [],
        [("job-a", "FULL_TRANSFER_FAILED", "INCRE_TRANSFER_STARTED")], []]
    assert delays == [10] * 6
    # One list request per pass (two jobs fit in one page of 100).
    assert len(cloud.calls) == 6


@pytest.mark.asyncio
async def test_the_event_has_the_contract_shape_and_names_the_recovering_module():
    cloud = FakeCloud("drs", {"job-a": "INCRE_TRANSFER_STARTED"})
    per_pass, _delays = await drive(SOURCE, config(), cloud, [nothing, set_jobs(job_a="CHILD_TRANSFER_FAILED")])
    (event,) = per_pass[1]
    assert set(event) == EVENT_KEYS
    assert event == {"service": "drs", "id": "job-a", "status": "CHILD_TRANSFER_FAILED",
                     "previous_status": "INCRE_TRANSFER_STARTED", "error_code": None, "error_msg": None,
                     "module": "cloudops.jobs.drs_job_retry", "region": "cn-north-4", "project_id": PROJECT}


@pytest.mark.asyncio
async def test_running_paused_and_configured_jobs_give_no_event():
    cloud = FakeCloud("drs", {"job-a": "INCRE_TRANSFER_STARTED", "job-b": "PAUSING", "job-c": "CONFIGURATION",
                              "job-d": "FULL_TRANSFER_STARTED"})
    per_pass, _delays = await drive(SOURCE, config(), cloud, [
        nothing, set_jobs(job_a="FULL_TRANSFER_COMPLETE", job_d="INCRE_TRANSFER_STARTED"), set_jobs(job_c="STARTJOBING"),
    ])
    assert per_pass == [[], [], []]


@pytest.mark.asyncio
async def test_jobs_failed_at_start_are_recorded_not_emitted_by_default_and_emitted_again_after_a_new_failure():
    cloud = FakeCloud("drs", {"job-old": "INCRE_TRANSFER_FAILED", "job-ok": "INCRE_TRANSFER_STARTED"})
    per_pass, _delays = await drive(SOURCE, config(), cloud, [
        nothing, nothing, set_jobs(job_old="INCRE_TRANSFER_STARTED"), set_jobs(job_old="INCRE_TRANSFER_FAILED"),
    ])
    assert [ids(p) for p in per_pass] == [[], [], [], [("job-old", "INCRE_TRANSFER_FAILED", "INCRE_TRANSFER_STARTED")]]


@pytest.mark.asyncio
async def test_emit_existing_true_emits_each_job_failed_at_start_once():
    cloud = FakeCloud("drs", {"job-old": "INCRE_TRANSFER_FAILED", "job-ok": "INCRE_TRANSFER_STARTED"})
    per_pass, _delays = await drive(SOURCE, config(emit_existing=True), cloud, [nothing, nothing, nothing])
    assert [ids(p) for p in per_pass] == [[("job-old", "INCRE_TRANSFER_FAILED", None)], [], []]


@pytest.mark.asyncio
async def test_a_job_new_since_the_start_that_is_failed_is_emitted():
    cloud = FakeCloud("drs", {"job-a": "INCRE_TRANSFER_STARTED"})
    per_pass, _delays = await drive(SOURCE, config(), cloud, [nothing, set_jobs(job_new="CREATE_FAILED")])
    assert [ids(p) for p in per_pass] == [[], [("job-new", "CREATE_FAILED", None)]]


@pytest.mark.asyncio
async def test_with_a_status_filter_a_job_that_leaves_the_list_twice_has_left_the_failed_state():
    # filters.status lists only failed jobs: recovering shows as leaving the list.
    cloud = FakeCloud("drs", {"job-a": "INCRE_TRANSFER_STARTED"})
    cfg = config(filters={"status": ["INCRE_TRANSFER_FAILED"]})
    per_pass, _delays = await drive(SOURCE, cfg, cloud, [
        nothing,
        set_jobs(job_a="INCRE_TRANSFER_FAILED"),
        set_jobs(job_a="INCRE_TRANSFER_STARTED"),   # missing once: may be paging skew, the episode goes on
        set_jobs(job_a="INCRE_TRANSFER_FAILED"),    # seen failed again after one miss: the same episode
        set_jobs(job_a="INCRE_TRANSFER_STARTED"),
        nothing,                                    # missing twice: it left
        set_jobs(job_a="INCRE_TRANSFER_FAILED"),    # a new episode
    ])
    assert [len(p) for p in per_pass] == [0, 1, 0, 0, 0, 0, 1]
    assert per_pass[6][0]["previous_status"] is None


# --- errors and throttling -------------------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_api_errors_do_not_stop_the_source_back_off_capped_and_emit_nothing_unread(caplog):
    cloud = FakeCloud("drs", {"job-a": "INCRE_TRANSFER_STARTED"})
    cfg = config(max_backoff=30)

    def fail_for(count):
        def step(c):
            c.fail_next.extend([api_error(429, "APIGW.0308", "throttled")] * count)
        return step

    with caplog.at_level(logging.WARNING, logger="cloudops.jobs.failed_jobs"):
        per_pass, delays = await drive(SOURCE, cfg, cloud, [
            nothing,
            lambda c: (set_jobs(job_a="INCRE_TRANSFER_FAILED")(c), fail_for(4)(c)),  # failed, but the list does not answer
            nothing, nothing, nothing,
            nothing,                                                                  # answered: the one event
            nothing,
        ])
    assert [len(p) for p in per_pass] == [0, 0, 0, 0, 0, 1, 0]
    assert per_pass[5][0]["id"] == "job-a"
    # Doubling from the interval, capped at max_backoff, back to the interval after a good pass.
    assert delays == [10, 20, 30, 30, 30, 10, 10]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 4 and all("APIGW.0308" in w and "throttled" in w for w in warnings)


@pytest.mark.asyncio
async def test_a_list_that_fails_on_a_later_page_emits_nothing_from_its_first_page():
    jobs = dict(("job-%03d" % i, "INCRE_TRANSFER_STARTED") for i in range(150))
    cloud = FakeCloud("drs", jobs)

    def fail_page_two(c):
        set_jobs(job_000="INCRE_TRANSFER_FAILED")(c)    # on page 1
        c.fail_next.extend([None, api_error(500, "APIGW.0203", "bad gateway")])

    per_pass, _delays = await drive(SOURCE, config(), cloud, [nothing, fail_page_two, nothing])
    assert [ids(p) for p in per_pass] == [[], [], [("job-000", "INCRE_TRANSFER_FAILED", "INCRE_TRANSFER_STARTED")]]


@pytest.mark.asyncio
async def test_an_unexpected_answer_is_logged_and_survived(caplog):
    cloud = FakeCloud("drs", {"job-a": "INCRE_TRANSFER_STARTED"})

    def broken(c):
        c.fail_next.append(KeyError("jobs"))
        set_jobs(job_a="INCRE_TRANSFER_FAILED")(c)

    with caplog.at_level(logging.WARNING, logger="cloudops.jobs.failed_jobs"):
        per_pass, delays = await drive(SOURCE, config(), cloud, [nothing, broken, nothing])
    assert [len(p) for p in per_pass] == [0, 0, 1]
    assert delays == [10, 20, 10]
    assert any("unexpected error KeyError" in r.getMessage() for r in caplog.records)


@pytest.mark.asyncio
async def test_no_secret_in_events_or_log_lines(caplog):
    cloud = FakeCloud("drs", {"job-a": "INCRE_TRANSFER_STARTED"})
    secret = HUAWEI_ARGS["secret_key"]

    def leaky(c):
        c.fail_next.append(api_error(401, "APIGW.0301", "signature of %s did not match" % secret))
        set_jobs(job_a="INCRE_TRANSFER_FAILED")(c)

    with caplog.at_level(logging.DEBUG, logger="cloudops.jobs.failed_jobs"):
        per_pass, _delays = await drive(SOURCE, config(), cloud, [nothing, leaky, nothing])
    assert len(per_pass[2]) == 1
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "APIGW.0301" in logged and secret not in logged and "********" in logged
    assert secret not in repr(per_pass)


# --- Tencent Cloud Batch and IoTDA -----------------------------------------------------------------------------------

@pytest.mark.asyncio
async def test_tencent_failed_and_interrupted_jobs_give_one_event_each_and_succeeded_none():
    cloud = FakeCloud("tencent_batch", {"job-aaaa0001": "RUNNING", "job-aaaa0002": "RUNNING", "job-aaaa0003": "RUNNING"})
    per_pass, _delays = await drive(SOURCE, config("tencent_batch"), cloud, [
        nothing,
        lambda c: c.jobs.update({"job-aaaa0001": "FAILED", "job-aaaa0002": "FAILED_INTERRUPTED", "job-aaaa0003": "SUCCEED"}),
        nothing,
        lambda c: c.jobs.update({"job-aaaa0001": "RUNNING"}),
        lambda c: c.jobs.update({"job-aaaa0001": "FAILED"}),
    ])
    assert [ids(p) for p in per_pass] == [
        [], [("job-aaaa0001", "FAILED", "RUNNING"), ("job-aaaa0002", "FAILED_INTERRUPTED", "RUNNING")], [], [],
        [("job-aaaa0001", "FAILED", "RUNNING")]]
    event = per_pass[1][0]
    assert set(event) == EVENT_KEYS
    assert (event["module"], event["region"], event["project_id"]) == ("cloudops.jobs.tencent_batch_retry", "ap-guangzhou", None)


@pytest.mark.asyncio
async def test_tencent_lists_250_jobs_in_three_requests_a_pass():
    cloud = FakeCloud("tencent_batch", dict(("job-%08d" % i, "RUNNING") for i in range(250)))
    _per_pass, _delays = await drive(SOURCE, config("tencent_batch"), cloud, [nothing, nothing])
    assert len(cloud.calls) == 6


def task(status, **targets):
    return {"status": status, "targets": dict((t.replace("_", "-"), s) for t, s in targets.items())}


TASK_A = "64a1b2c3d4e5f60718293a4b"
TASK_B = "64a1b2c3d4e5f60718293a4c"


@pytest.mark.asyncio
async def test_iotda_one_event_per_failed_subtask_episode_with_its_task_and_error():
    cloud = FakeCloud("iotda", tasks={TASK_A: task("Processing", dev_1="Processing", dev_2="Processing")})
    cloud.errors["dev-1"] = {"error_code": "IOTDA.014100", "error_msg": "device offline"}

    def set_task(status, **targets):
        def step(c):
            c.tasks[TASK_A] = task(status, **targets)
        return step

    cfg = config("iotda", filters={"task_type": "firmwareUpgrade"})
    per_pass, _delays = await drive(SOURCE, cfg, cloud, [
        nothing,
        set_task("PartialSuccess", dev_1="Fail", dev_2="Success"),      # dev-1 fails
        nothing,                                                         # unchanged task: not read again, no event
        set_task("Processing", dev_1="Processing", dev_2="Success"),    # retried
        set_task("PartialSuccess", dev_1="Fail", dev_2="Success"),      # fails again
    ])
    assert [[(e["task_id"], e["id"], e["status"]) for e in p] for p in per_pass] == [
        [], [(TASK_A, "dev-1", "Fail")], [], [], [(TASK_A, "dev-1", "Fail")]]
    event = per_pass[1][0]
    assert set(event) == EVENT_KEYS | {"task_id"}
    assert (event["error_code"], event["error_msg"], event["module"]) == ("IOTDA.014100", "device offline",
                                                                          "cloudops.jobs.iotda_batchtask_retry")
    # Pass 3 (task unchanged) sent the list request only.
    reads = [c for c in cloud.calls if c[0][2] != "/v5/iot/{project_id}/batchtasks"]
    assert len(reads) == 4 * 3   # passes 1, 2, 4, 5: one read per failed subtask status (Fail, Removed, Stopped)


@pytest.mark.asyncio
async def test_iotda_a_task_whose_read_fails_emits_nothing_while_the_other_task_does():
    cloud = FakeCloud("iotda", tasks={TASK_A: task("Processing", dev_1="Processing"),
                                      TASK_B: task("Processing", dev_9="Processing")})

    def both_fail_one_unreadable(c):
        c.tasks[TASK_A] = task("Fail", dev_1="Fail")
        c.tasks[TASK_B] = task("Fail", dev_9="Fail")
        c.fail_next.extend([None, api_error(503, "APIGW.0202", "unavailable")])   # the list answers, TASK_A's read not

    cfg = config("iotda", filters={"task_type": "firmwareUpgrade"})
    per_pass, delays = await drive(SOURCE, cfg, cloud, [nothing, both_fail_one_unreadable, nothing, nothing])
    assert [[(e["task_id"], e["id"]) for e in p] for p in per_pass] == [[], [(TASK_B, "dev-9")], [(TASK_A, "dev-1")], []]
    assert delays == [10, 20, 10, 10]


@pytest.mark.asyncio
async def test_iotda_subtasks_failed_at_start_are_the_baseline():
    cloud = FakeCloud("iotda", tasks={TASK_A: task("Fail", dev_1="Fail")})
    cfg = config("iotda", filters={"task_type": "firmwareUpgrade"})
    per_pass, _delays = await drive(SOURCE, cfg, cloud, [
        nothing, lambda c: c.tasks.__setitem__(TASK_B, task("Fail", dev_2="Fail")),
    ])
    assert [[(e["task_id"], e["id"]) for e in p] for p in per_pass] == [[], [(TASK_B, "dev-2")]]


# --- arguments ---------------------------------------------------------------------------------------------------------

BAD_ARGS = [
    ({}, "service is missing"),
    ({"service": "workspace"}, "service is 'workspace'"),
    (dict(HUAWEI_ARGS, service="drs", interval=0), "interval must be greater than 0"),
    (dict(HUAWEI_ARGS, service="drs", interval="soon"), "interval"),
    (dict(HUAWEI_ARGS, service="drs", intervall=5), "intervall"),
    (dict(HUAWEI_ARGS, service="drs", filters={"state": "FAILED"}), "filters has unknown key 'state'"),
    (dict(HUAWEI_ARGS, service="drs", filters="FAILED"), "filters"),
    (dict(HUAWEI_ARGS, service="iotda"), "filters needs task_type"),
    (dict(HUAWEI_ARGS, service="drs", endpoint="ftp://drs.example"), "endpoint must be an http:// or https:// URL"),
    (dict(HUAWEI_ARGS, service="drs", max_backoff=-1), "max_backoff must be greater than 0"),
    (dict(HUAWEI_ARGS, service="drs", emit_existing="perhaps"), "emit_existing"),
    ({"service": "drs", "region": "cn-north-4"}, "no credentials"),
    (dict(HUAWEI_ARGS, service="drs", region="cn north"), "region 'cn north'"),
    (dict(TENCENT_ARGS, service="tencent_batch", instance_id="x"), "instance_id"),
    ({"service": "tencent_batch", "secret_id": "AKID1"}, "secret_key missing"),
    (dict(HUAWEI_ARGS, service="iotda", filters={"task_type": "firmwareUpgrade"}, instance_id="bad id!"), "instance_id"),
    (dict(HUAWEI_ARGS, service="drs", enabled="sometimes"), "enabled must be true or false"),
    ({"service": "dsr", "enabled": False}, "service is 'dsr'"),
    (dict(HUAWEI_ARGS, service="drs", ca_bundle="/nonexistent/ca.pem"), "ca_bundle '/nonexistent/ca.pem' is not a readable file"),
    (dict(HUAWEI_ARGS, service="drs", ca_bundle=__file__), "could not be loaded"),   # readable, but no PEM certificate
]


@pytest.mark.asyncio
@pytest.mark.parametrize("args, expected", BAD_ARGS)
async def test_bad_arguments_stop_the_source_at_once_naming_the_argument(args, expected, no_requests):
    queue = asyncio.Queue()
    with pytest.raises(ValueError) as info:
        await asyncio.wait_for(SOURCE["main"](queue, args), timeout=30)
    assert expected in str(info.value)
    assert str(info.value).startswith("cloudops.jobs.failed_jobs: ")
    assert no_requests == [] and queue.empty()


@pytest.mark.asyncio
async def test_a_bad_argument_message_shows_no_secret(no_requests):
    args = dict(HUAWEI_ARGS, service="drs", auth_token="ExampleIamToken000000000001")   # two ways in: refused
    with pytest.raises(ValueError) as info:
        await SOURCE["main"](asyncio.Queue(), args)
    assert "conflict" in str(info.value) and "ExampleIamToken000000000001" not in str(info.value)


def test_credentials_region_and_project_come_from_the_modules_environment_variables(monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "HPUAEXAMPLEAK0000002")
    monkeypatch.setenv("HW_SECRET_KEY", "ExampleSecretKey0000000000000002")
    monkeypatch.setenv("HW_REGION_NAME", "cn-south-1")
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
    cfg = SOURCE["Config"]({"service": "drs"})
    assert cfg.client.kind == "aksk" and cfg.region() == "cn-south-1" and cfg.project_id() == PROJECT
    assert (cfg.interval, cfg.emit_existing, cfg.max_backoff, cfg.params["timeout"]) == (60, False, 600, 30)
    assert "ExampleSecretKey0000000000000002" not in cfg.scrubber("x ExampleSecretKey0000000000000002 y")


def test_tencent_credentials_from_the_environment(monkeypatch):
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", "AKIDEXAMPLE000000000000000000000002")
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", "ExampleTencentSecret0000000000002")
    monkeypatch.setenv("TENCENTCLOUD_REGION", "ap-shanghai")
    cfg = SOURCE["Config"]({"service": "tencent_batch", "rate_limit": 1})
    assert cfg.region() == "ap-shanghai" and cfg.client.limiter.interval > 1.0


def test_the_rulebook_feedback_queue_and_null_arguments_are_accepted():
    cfg = SOURCE["Config"](dict(HUAWEI_ARGS, service="drs", eda_feedback_queue=object(), endpoint=None, ca_bundle=None))
    assert cfg.params["endpoint"] is None


@pytest.mark.asyncio
async def test_a_disabled_source_idles_without_requests_and_needs_no_credentials(no_requests):
    # A rulebook lists a source per service; those not watched have no credentials and their defaults.
    args = {"service": "iotda", "enabled": False, "filters": {"task_type": ["firmwareUpgrade"]}, "instance_id": None}
    task_ = asyncio.ensure_future(SOURCE["main"](asyncio.Queue(), args))
    for _i in range(5):
        await asyncio.sleep(0)
    assert not task_.done() and no_requests == []
    task_.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task_


def test_the_docstring_documents_every_argument_the_source_takes():
    import yaml
    doc = yaml.safe_load(SOURCE["DOCUMENTATION"])
    documented = set(doc["options"])
    taken = set(SOURCE["source_spec"]()) | set(SOURCE["iotda_spec"]())
    from ansible_collections.cloudops.jobs.plugins.module_utils import _argspec
    taken |= set(_argspec.huawei_spec()) | set(_argspec.tencent_spec())
    assert documented == taken
    assert doc["options"]["emit_existing"]["default"] is False
    assert doc["options"]["service"]["choices"] == ["drs", "iotda", "tencent_batch"]


@pytest.mark.asyncio
async def test_tencent_a_job_that_ran_and_failed_again_between_two_passes_is_a_new_episode():
    # Seen FAILED at both passes, but its EndTime moved on: it was retried and failed again in between.
    cloud = FakeCloud("tencent_batch", {"job-aaaa0001": "RUNNING"})

    def fail_at(end):
        def step(c):
            c.jobs["job-aaaa0001"] = "FAILED"
            c.end_times["job-aaaa0001"] = end
        return step

    per_pass, _delays = await drive(SOURCE, config("tencent_batch"), cloud, [
        nothing, fail_at("2026-12-01T10:00:00Z"), nothing, fail_at("2026-12-01T10:05:00Z"), nothing,
    ])
    assert [ids(p) for p in per_pass] == [
        [], [("job-aaaa0001", "FAILED", "RUNNING")], [], [("job-aaaa0001", "FAILED", "FAILED")], []]
