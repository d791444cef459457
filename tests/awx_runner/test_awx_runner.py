# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX engine end to end: playbooks run through ansible-runner (what AWX runs every job with) the way AWX
prepares a job.

- The environment comes from the credential types in extensions/awx/credential_types/, rendered as AWX renders
  injectors: each `injectors.env` template through Jinja's ImmutableSandboxedEnvironment, with only the inputs that
  are set in the namespace (an optional field left empty renders as an empty variable).
- The extra vars are written to env/extravars as AWX writes them: the job template's own variables as plain YAML,
  the survey's answers (comma-separated ids, as a survey gives them) tagged `!unsafe`.
- The cloud is the local emulator (tests/emulator), started here.

Checked: each job's result in the runner's job events, the role's set_stats data in the playbook_on_stats event's
artifact_data (what an AWX workflow branches on), and that no secret appears in any event, the stdout or any file
under the runner's artifacts (and the async job files)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os
import shutil
import subprocess
import sys

import ansible_runner
import pytest
import requests
import yaml

from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CREDENTIAL_TYPES = os.path.join(ROOT, "extensions", "awx", "credential_types")
SCENARIO = os.path.join(ROOT, "tests", "emulator", "scenarios", "demo.json")

with open(SCENARIO) as _f:
    DEMO = json.load(_f)
HW_AK, HW_SK = next(iter(DEMO["huawei"]["aksk"].items()))
TMP_AK, TMP = next(iter(DEMO["huawei"]["temporary_aksk"].items()))
USER = DEMO["huawei"]["users"][0]
PROJECT = DEMO["huawei"]["projects"][0]
TC_ID, TC_KEY = next(iter(DEMO["tencent"]["credentials"].items()))


# --- AWX's side: credentials, extra vars, the private data directory ------------------------------------------------

def credential_type(name):
    with open(os.path.join(CREDENTIAL_TYPES, name + ".yml")) as f:
        return yaml.safe_load(f)


def inject(cred_type, inputs):
    """The environment AWX gives a job for a credential of ``cred_type`` holding ``inputs`` (empty optional fields
    included, as the AWX form saves them); secrets are the values of the type's ``secret: true`` fields."""
    fields = cred_type["inputs"]["fields"]
    missing = [f for f in cred_type["inputs"].get("required", []) if not inputs.get(f)]
    assert not missing, "AWX refuses a credential without its required fields: %s" % missing
    namespace = {"tower": object()}
    for field in fields:
        value = inputs.get(field["id"], "")
        if field["type"] == "boolean":
            namespace[field["id"]] = bool(value)
        elif value:  # AWX leaves unset and empty inputs out of the namespace
            namespace[field["id"]] = value
    sandbox = ImmutableSandboxedEnvironment()
    env = dict((var, sandbox.from_string(tmpl).render(**namespace)) for var, tmpl in cred_type["injectors"]["env"].items())
    secrets = [inputs[f["id"]] for f in fields if f.get("secret") and inputs.get(f["id"])]
    return env, secrets


class _UnsafeDumper(yaml.SafeDumper):
    pass


_UnsafeDumper.add_representer(str, lambda dumper, value: dumper.represent_scalar("!unsafe", value))


def awx_extravars(template_vars, survey_answers):
    """env/extravars as AWX writes it: the job template's variables trusted (plain YAML), every other one - here the
    survey's answers - with key and value tagged !unsafe (so Ansible never templates what a user typed)."""
    text = yaml.safe_dump(template_vars, default_flow_style=False) if template_vars else ""
    for key, value in survey_answers.items():
        text += yaml.dump({key: value}, Dumper=_UnsafeDumper, default_flow_style=False)
    return text


# --- fixtures ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def collections_root(tmp_path_factory):
    """A directory holding ansible_collections/cloudops/jobs (this checkout), as an EE or a project would."""
    base = tmp_path_factory.mktemp("collections")
    subprocess.check_call([os.path.join(ROOT, "scripts", "collection_tree.sh"), str(base)], stdout=subprocess.DEVNULL)
    return str(base)


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    """The cloud emulator, started with emulator.sh for the whole session; ``reset()`` reloads the demo scenario."""
    run_dir = str(tmp_path_factory.mktemp("emulator"))
    script = os.path.join(ROOT, "tests", "emulator", "emulator.sh")
    env = dict(os.environ, PYTHON=sys.executable)
    subprocess.check_call([script, "start", run_dir, SCENARIO], env=env, stdout=subprocess.DEVNULL)
    try:
        with open(os.path.join(run_dir, "url")) as f:
            url = f.read().strip()

        class Emulator:
            def __init__(self):
                self.url = url

            def reset(self):
                requests.post(url + "/_emu/reset", json={}, timeout=10).raise_for_status()

            def requests(self):
                return requests.get(url + "/_emu/requests", timeout=10).json()["requests"]

            def state(self):
                return requests.get(url + "/_emu/state", timeout=10).json()

        yield Emulator()
    finally:
        subprocess.call([script, "stop", run_dir], env=env)


@pytest.fixture
def awx_job(tmp_path, collections_root, emulator, monkeypatch):
    """``run(playbook, credentials, template_vars, survey)`` runs one AWX-style job through ansible-runner on a freshly
    reset emulator and returns a Job; ``credentials`` is a list of (credential type file name, inputs)."""
    for var in list(os.environ):
        if var.startswith(("HUAWEICLOUD_", "HW_", "TENCENTCLOUD_")):
            monkeypatch.delenv(var)

    def run(playbook, credentials, template_vars, survey, ident):
        emulator.reset()
        pdd = tmp_path / ident
        (pdd / "project").mkdir(parents=True)
        (pdd / "env").mkdir()
        (pdd / "inventory").mkdir()
        shutil.copy(playbook, str(pdd / "project"))
        env, secrets = {}, []
        for type_name, inputs in credentials:
            cred_env, cred_secrets = inject(credential_type(type_name), inputs)
            env.update(cred_env)
            secrets += cred_secrets
        async_dir = str(pdd / "async")
        env.update(ANSIBLE_COLLECTIONS_PATH=collections_root, ANSIBLE_ASYNC_DIR=async_dir,
                   ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_NOCOLOR="1")
        (pdd / "env" / "envvars").write_text(yaml.safe_dump(env))
        (pdd / "env" / "extravars").write_text(awx_extravars(dict(template_vars, cloud_endpoint=emulator.url), survey))
        (pdd / "inventory" / "hosts").write_text(
            "localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)
        runner = ansible_runner.run(private_data_dir=str(pdd), playbook=os.path.basename(playbook), ident=ident,
                                    quiet=True)
        return Job(runner, str(pdd), env, secrets, async_dir, emulator.requests(), emulator.state())

    return run


class Job:
    def __init__(self, runner, pdd, env, secrets, async_dir, emu_requests, emu_state):
        self.runner = runner
        self.pdd = pdd
        self.env = env
        self.secrets = secrets
        self.async_dir = async_dir
        self.requests = emu_requests
        self.state = emu_state
        self.events = list(runner.events)
        with open(runner.stdout.name) as f:
            self.stdout = f.read()
        self.artifacts = os.path.join(pdd, "artifacts", runner.config.ident)

    def module_results(self, action):
        """The result of every successful-or-failed run of module ``action`` (an FQCN), from the job events."""
        out = []
        for e in self.events:
            data = e.get("event_data", {})
            if e["event"] in ("runner_on_ok", "runner_on_failed") and data.get("task_action") == action:
                out.append(data["res"])
        return out

    def stats(self):
        events = [e for e in self.events if e["event"] == "playbook_on_stats"]
        assert len(events) == 1, "the job has no playbook_on_stats event"
        return events[0]["event_data"]

    def assert_no_secret_anywhere(self):
        """No secret (credential inputs, IAM tokens the emulator issued, Huawei security tokens) in any job event,
        the job's stdout, or any file under the runner's artifacts or the async job directory."""
        secrets = set(s for s in self.secrets if s)
        for r in self.requests:
            token = (r.get("headers") or {}).get("X-Auth-Token")
            if token:
                secrets.add(token)
        assert secrets, "no secret to look for: the check would prove nothing"
        places = [("job event %s (%s)" % (e.get("counter"), e["event"]), json.dumps(e)) for e in self.events]
        places.append(("stdout", self.stdout))
        files = [p for d in (self.artifacts, self.async_dir) for p in glob.glob(os.path.join(d, "**"), recursive=True)
                 if os.path.isfile(p)]
        assert any(p.endswith("stdout") for p in files) and any("job_events" in p for p in files), files
        for path in files:
            with open(path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
            if os.path.relpath(path, self.artifacts) == "command":
                # ansible-runner's own record of how it started the job: its "env" is the environment it was
                # given (AWX's injected credentials, env/envvars), not something the collection wrote. The rest
                # of the file is checked.
                command = json.loads(text)
                assert all(command["env"].get(k) == v for k, v in self.env.items())
                text = json.dumps(dict((k, v) for k, v in command.items() if k != "env"))
            places.append((path, text))
        leaks = [(where, s[:4] + "...") for where, text in places for s in secrets if s in text]
        assert not leaks, "secrets found in: %s" % leaks


def by_id(jobs):
    out = dict((j["id"], j) for j in jobs)
    assert len(out) == len(jobs), "a job is reported twice: %s" % [j["id"] for j in jobs]
    return out


def authenticated_with(requests_log, service):
    """How the emulator saw ``service``'s requests authenticated: 'aksk:<AK>', 'token' or 'tc3:<SecretId>'."""
    seen = set()
    for r in requests_log:
        if r["service"] != service:
            continue
        headers = dict((k.lower(), v) for k, v in (r.get("headers") or {}).items())
        auth = headers.get("authorization", "")
        if auth.startswith("SDK-HMAC-SHA256"):
            seen.add("aksk:" + auth.split("Access=", 1)[1].split(",", 1)[0])
        elif auth.startswith("TC3-HMAC-SHA256"):
            seen.add("tc3:" + auth.split("Credential=", 1)[1].split("/", 1)[0])
        elif "x-auth-token" in headers:
            seen.add("token")
    return seen


# --- the job template: playbooks/retry_failed_jobs.yml with a survey ---------------------------------------------

RETRY_PLAYBOOK = os.path.join(ROOT, "playbooks", "retry_failed_jobs.yml")
# The template's variables (trusted): the job list, whose ids come from the survey's answers.
TEMPLATE_VARS = {
    "job_recovery_jobs": [
        {"service": "drs", "ids": "{{ drs_job_ids }}"},
        {"service": "workspace", "ids": "{{ workspace_job_ids }}"},
        {"service": "iotda", "task_id": "{{ iotda_task_id }}"},
        {"service": "tencent_batch", "ids": "{{ tencent_batch_job_ids }}"},
    ],
}
# The survey's answers: text fields, ids separated by commas.
SURVEY = {
    "drs_job_ids": "drs-job-0001,drs-job-0003,drs-job-0005,drs-job-0006",
    "workspace_job_ids": "ws-job-0001,ws-job-0004",
    "iotda_task_id": DEMO["iotda"][0]["task_id"],
    "tencent_batch_job_ids": "job-aaaa0001,job-aaaa0006",
}
TENCENT = ("tencentcloud", {"secret_id": TC_ID, "secret_key": TC_KEY, "region": "ap-guangzhou", "security_token": ""})
HUAWEI_AKSK = ("huaweicloud_aksk", {"access_key": HW_AK, "secret_key": HW_SK, "region": PROJECT["name"],
                                    "project_id": "", "security_token": ""})
HUAWEI_PASSWORD = ("huaweicloud_password", {"user_name": USER["name"], "password": USER["password"],
                                            "domain_name": USER["domain"], "region": PROJECT["name"], "project_id": ""})
HUAWEI_TEMPORARY = ("huaweicloud_aksk", {"access_key": TMP_AK, "secret_key": TMP["sk"], "region": PROJECT["name"],
                                         "project_id": PROJECT["id"], "security_token": TMP["security_token"]})


def test_injectors_render_empty_optional_fields_as_empty_variables():
    env, secrets = inject(credential_type(HUAWEI_AKSK[0]), HUAWEI_AKSK[1])
    assert env == {"HUAWEICLOUD_SDK_AK": HW_AK, "HUAWEICLOUD_SDK_SK": HW_SK, "HUAWEICLOUD_SDK_REGION": PROJECT["name"],
                   "HUAWEICLOUD_SDK_PROJECT_ID": "", "HUAWEICLOUD_SDK_SECURITY_TOKEN": "",
                   # the agency fields, left empty: no agency is assumed
                   "HW_ASSUME_ROLE_AGENCY_NAME": "", "HW_ASSUME_ROLE_DOMAIN_NAME": "", "HW_ASSUME_ROLE_DOMAIN_ID": "",
                   "HW_ASSUME_ROLE_DURATION": ""}
    assert secrets == [HW_SK]
    env, secrets = inject(credential_type(HUAWEI_PASSWORD[0]), dict(HUAWEI_PASSWORD[1], project_id=None))
    assert env["HUAWEICLOUD_SDK_PROJECT_ID"] == "" and env["HW_USER_PASSWORD"] == USER["password"]
    text = awx_extravars({"a": "{{ b }}"}, {"ids": "x,y"})
    assert "a: '{{ b }}'" in text and "!unsafe 'ids': !unsafe 'x,y'" in text


def check_retry_job(job, huawei_auth):
    """What every credential combination must give for the survey above."""
    assert job.runner.status == "failed" and job.runner.rc == 2, (
        "drs-job-0005 fails (DRS.10040006), so the job must fail: %s rc=%s\n%s" % (job.runner.status, job.runner.rc, job.stdout[-3000:]))

    drs = job.module_results("cloudops.jobs.drs_job_retry")
    assert len(drs) == 1
    jobs = by_id(drs[0]["jobs"])
    assert list(jobs) == ["drs-job-0001", "drs-job-0003", "drs-job-0005", "drs-job-0006"], "ids split from the survey, in order"
    assert jobs["drs-job-0001"]["changed"] and jobs["drs-job-0001"]["status"] == "success"
    assert jobs["drs-job-0003"]["changed"] and not jobs["drs-job-0003"]["failed"]
    assert jobs["drs-job-0005"]["failed"] and jobs["drs-job-0005"]["error_code"] == "DRS.10040006"
    assert jobs["drs-job-0006"]["skipped"] and not jobs["drs-job-0006"]["changed"]

    ws = by_id(job.module_results("cloudops.jobs.workspace_job_action")[0]["jobs"])
    assert ws["ws-job-0001"]["changed"] and ws["ws-job-0001"].get("new_job_id")
    assert ws["ws-job-0004"]["skipped"] and ws["ws-job-0004"]["status"] == "SUCCESS"

    iotda = job.module_results("cloudops.jobs.iotda_batchtask_retry")[0]
    assert iotda["summary"]["total"] == len(iotda["jobs"]) > 0 and iotda["summary"]["changed"] > 0

    tc = by_id(job.module_results("cloudops.jobs.tencent_batch_retry")[0]["jobs"])
    assert tc["job-aaaa0001"]["changed"] and tc["job-aaaa0006"]["skipped"]

    # Acted on exactly once, as the cloud saw it.
    state = dict((j["id"], j) for j in job.state["drs"])
    assert state["drs-job-0001"]["actions"] == 1 and state["drs-job-0006"]["actions"] == 0

    # The credentials reached the clouds from the injected environment only.
    assert authenticated_with(job.requests, "drs") == huawei_auth
    assert authenticated_with(job.requests, "tencent_batch") == {"tc3:" + TC_ID}

    # set_stats: what an AWX workflow node after this one gets (and branches on).
    stats = job.stats()
    data = stats["artifact_data"]
    report = data["job_recovery_report"]
    assert [(r["service"], r["action"]) for r in report] == [("drs", "retry"), ("workspace", "retry"), ("iotda", "retry"),
                                                             ("tencent_batch", "retry")]
    assert report[0]["jobs"] == drs[0]["jobs"] and report[0]["failed"] is True
    assert report[0]["summary"] == {"total": 4, "changed": 2, "failed": 1, "skipped": 1}
    assert [r["failed"] for r in report[1:]] == [False, False, False]
    assert data["job_recovery_failed_jobs"] == ["drs retry drs-job-0005"]
    assert data["job_recovery_failed_sets"] == ["drs retry"]
    assert stats["failures"] == {"localhost": 1}
    job.assert_no_secret_anywhere()


def test_retry_failed_jobs_with_aksk_and_tencent_credentials(awx_job):
    job = awx_job(RETRY_PLAYBOOK, [HUAWEI_AKSK, TENCENT], TEMPLATE_VARS, SURVEY, "aksk")
    # The empty optional fields were injected as empty variables; the modules took them as unset (the project was
    # looked up from the region, no security token was sent).
    assert job.env["HUAWEICLOUD_SDK_PROJECT_ID"] == "" and job.env["HUAWEICLOUD_SDK_SECURITY_TOKEN"] == ""
    assert job.env["TENCENTCLOUD_SECURITY_TOKEN"] == ""
    assert any(r["op"] == "iam.projects" for r in job.requests)
    assert not any("X-Security-Token" in (r.get("headers") or {}) for r in job.requests)
    # The survey's answers arrived untrusted (!unsafe), as AWX writes them, and were still split into ids.
    with open(os.path.join(job.pdd, "env", "extravars")) as f:
        assert "!unsafe 'drs_job_ids'" in f.read()
    check_retry_job(job, {"aksk:" + HW_AK})


def test_retry_failed_jobs_with_iam_password_and_tencent_credentials(awx_job):
    job = awx_job(RETRY_PLAYBOOK, [HUAWEI_PASSWORD, TENCENT], TEMPLATE_VARS, SURVEY, "password")
    assert any(r["op"] == "iam.token" for r in job.requests), "the modules did not log in with the IAM password"
    assert any((r.get("headers") or {}).get("X-Auth-Token") for r in job.requests)
    check_retry_job(job, {"token"})


def test_async_and_poll_tasks_with_temporary_credentials(awx_job):
    playbook = os.path.join(ROOT, "tests", "awx_runner", "playbooks", "async_retry.yml")
    survey = {"drs_job_ids": "drs-job-0001,drs-job-0002,drs-job-0005", "workspace_job_ids": "ws-job-0001,ws-job-0002"}
    job = awx_job(playbook, [HUAWEI_TEMPORARY], {}, survey, "async")
    assert job.runner.status == "successful", job.stdout[-3000:]

    # poll: 1 - Ansible polled the job and the task's result is the module's.
    drs = job.module_results("cloudops.jobs.drs_job_retry")
    assert len(drs) == 1 and drs[0].get("ansible_job_id") and drs[0].get("finished") == 1
    jobs = by_id(drs[0]["jobs"])
    assert list(jobs) == ["drs-job-0001", "drs-job-0002", "drs-job-0005"]
    assert jobs["drs-job-0001"]["changed"] and jobs["drs-job-0002"]["changed"]
    assert jobs["drs-job-0005"]["failed"] and jobs["drs-job-0005"]["error_code"] == "DRS.10040006"

    # poll: 0 - the task returned at once, async_status collected the module's result.
    started = job.module_results("cloudops.jobs.workspace_job_action")
    assert len(started) == 1 and started[0].get("ansible_job_id") and "jobs" not in started[0]
    collected = [r for r in job.module_results("ansible.builtin.async_status") if r.get("finished")]
    assert len(collected) == 1
    ws = by_id(collected[0]["jobs"])
    assert list(ws) == ["ws-job-0001", "ws-job-0002"] and all(j["changed"] and j.get("new_job_id") for j in ws.values())
    state = dict((j["id"], j) for j in job.state["workspace"])
    assert state["ws-job-0001"]["actions"] == 1 and state["ws-job-0002"]["actions"] == 1

    # The temporary AK/SK signed every request, with its security token; neither SK nor token shows anywhere.
    assert authenticated_with(job.requests, "drs") == {"aksk:" + TMP_AK}
    assert all((r.get("headers") or {}).get("X-Security-Token") == TMP["security_token"]
               for r in job.requests if r["service"] in ("drs", "workspace"))
    assert not any(r["op"] == "iam.projects" for r in job.requests), "project_id was given: no project lookup"
    assert glob.glob(os.path.join(job.async_dir, "*")), "the async job files are not where the job put them"
    job.assert_no_secret_anywhere()
