# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud Batch (2017-03-12): ``RetryJobs`` in batches, the job state tables, ``DescribeJobs``.

Tencent answers one error for a whole request. When a batch is refused because of particular jobs
(an unknown or malformed id, a job that is not FAILED) nothing in it was acted on, so the batch is
split and the parts re-sent until each of those jobs stands alone: :class:`BatchSplitter` does that,
with the "send a batch" call injected, so it can be tested on its own.

State values: ``JobState`` of ``DescribeJob``/``DescribeJobs`` in tencentcloud-sdk-python-batch (see the api notes).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import queue
import threading

from ansible_collections.cloudops.jobs.plugins.module_utils import _discovery
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError, Shape, code_in
from ansible_collections.cloudops.jobs.plugins.module_utils._jobs import Discovery, JobAction, Record, too_many_jobs
from ansible_collections.cloudops.jobs.plugins.module_utils._results import Outcome as JobOutcome

RETRY_ACTION = "RetryJobs"
DESCRIBE_ACTION = "DescribeJobs"
# RetryJobsRequest.JobIds: "at most 100 jobs per retry"; DescribeJobs lists at most 100 per call.
MAX_BATCH = 100

# JobState: SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING, SUCCEED, FAILED, FAILED_INTERRUPTED.
ACTIONABLE = frozenset(["FAILED"])                        # RetryJobs applies only to a FAILED job
SETTLED = frozenset(["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEED"])  # under way or done: skipped
SUCCEEDED = frozenset(["SUCCEED"])                        # terminal, ok (wait)
FAILED_STATES = frozenset(["FAILED", "FAILED_INTERRUPTED"])  # terminal, failed (wait)
# FAILED_INTERRUPTED is neither actionable nor settled: a job in it fails, naming FAILED as the state it could be retried from.
JOB_STATES = ACTIONABLE | SETTLED | FAILED_STATES

# Errors about particular jobs of a request: the request is split until each such job stands alone.
# Any other error (AuthFailure.*, InternalError, RequestLimitExceeded after the re-sends, InvalidParameter, ...)
# is about the whole request and fails every job of it as it is.
PER_JOB_CODES = ("ResourceNotFound.Job", "InvalidParameter.JobIdMalformed", "UnsupportedOperation")

_ID_EDGE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def named_ids(message, ids):
    """The ids of ``ids`` that ``message`` names as whole words (not as part of a longer id)."""
    found = []
    text = message or ""
    for job_id in ids:
        start = text.find(job_id)
        while start >= 0:
            end = start + len(job_id)
            if (start == 0 or text[start - 1] not in _ID_EDGE) and (end == len(text) or text[end] not in _ID_EDGE):
                found.append(job_id)
                break
            start = text.find(job_id, start + 1)
    return found


class Decision:
    """What was decided for one job: ``error`` None means the service accepted it in request ``request_id``."""

    __slots__ = ("error", "request_id")

    def __init__(self, error=None, request_id=None):
        self.error = error
        self.request_id = request_id if error is None else error.request_id

    @property
    def ok(self):
        return self.error is None


class BatchSplitter:
    """Sends a batch of job ids; when the service refuses it because of some of its jobs, finds them.

    ``send(ids)`` sends one request for ``ids`` and returns its request id, or raises :class:`ApiError`;
    a refused request acted on none of its jobs, so re-sending parts of it acts on no job twice.

    - Accepted: every job of it is decided ok, with that request's id.
    - Refused with an error about the whole request (not one of ``PER_JOB_CODES``), or refused for a single job:
      every job of it is decided with that error (and its request id). Nothing is split.
    - Refused with an error about particular jobs: when the error message names exactly one job of the
      request (``ResourceNotFound.Job`` names the unknown id), that job is sent alone first and the rest
      after it; otherwise the request is split into two halves and each is sent. This goes on until every
      job is decided; each bad job is decided by the request in which it stood alone.
    - A named job that the service then accepts alone shows the hint misled: hints are not used again
      (bisection alone from then on) and the rest, which must hold the job that was refused, is split
      without being sent whole.

    The bound on the requests per batch: docs/dev/service-notes.md.
    """

    def __init__(self, send):
        self.send = send
        self.misled = False

    def _send(self, ids):
        """(request id, None) when accepted, (None, error) when refused."""
        try:
            return self.send(list(ids)), None
        except ApiError as exc:
            return None, exc

    def _hint(self, error, ids):
        if self.misled or len(ids) < 2:
            return None
        named = named_ids(error.message, ids)
        return named[0] if len(named) == 1 else None

    def run(self, ids):
        """Decide every id of ``ids`` (no duplicates); return ``{id: Decision}``."""
        outcomes = {}
        # Work items: (ids, error). error None: send ids. Otherwise ids are known to hold a refused job
        # (the error says why): split them without sending them whole.
        work = [(list(ids), None)]
        while work:
            part, refused = work.pop()
            if not part:
                continue
            if refused is None:
                request_id, refused = self._send(part)
                if refused is None:
                    for job_id in part:
                        outcomes[job_id] = Decision(request_id=request_id)
                    continue
                if len(part) == 1 or not code_in(refused.code, PER_JOB_CODES):
                    for job_id in part:
                        outcomes[job_id] = Decision(refused)
                    continue
            if len(part) == 1:
                # Known to be refused, but only its own request decides it (and gives its error and request id).
                work.append((part, None))
                continue
            hint = self._hint(refused, part)
            if hint is None:
                middle = (len(part) + 1) // 2
                # Popped last-in first-out: the first half is sent first.
                work.append((part[middle:], None))
                work.append((part[:middle], None))
                continue
            rest = [job_id for job_id in part if job_id != hint]
            request_id, error = self._send([hint])
            if error is not None:
                outcomes[hint] = Decision(error)
                work.append((rest, None))
            else:
                outcomes[hint] = Decision(request_id=request_id)
                self.misled = True
                # The request was refused and the named job is fine: the rest holds a refused job.
                work.append((rest, refused))
        return outcomes


# Discovery: DescribeJobsRequest: Filters [{Name, Values}], Offset, Limit at most 100 (default 20); JobIds and Filters
# never together.
LIST_LIMIT = 100
FILTER_KEYS = ("job-id", "job-name", "job-state", "zone", "tag-key", "tag-value", "tag:KEY")
TAG_PREFIX = "tag:"


def check_filters(filters, option="filters"):
    """``filters`` for DescribeJobs, checked before any request: every value a list of distinct strings (``Values``),
    in the user's order. Raises InputError naming the key and what is accepted."""
    out = {}
    for key, value in _discovery.check_keys(_discovery.TENCENT_BATCH, filters, FILTER_KEYS, option, TAG_PREFIX).items():
        values = _discovery.texts(option, key, value)
        if key == "job-state":
            _discovery.one_of(option, key, values, JOB_STATES, "Tencent Cloud Batch job state (JobState)")
        out[key] = values
    return out


def list_query(filters, offset=0, limit=LIST_LIMIT):
    """The DescribeJobs payload of one page (``Filters``, never ``JobIds``)."""
    payload = {}
    if filters:
        payload["Filters"] = [{"Name": name, "Values": list(values)} for name, values in filters.items()]
    payload["Offset"] = offset
    payload["Limit"] = limit
    return payload


def job_view(item):
    """A JobView as the modules return it."""
    placement = item.get("Placement") if isinstance(item.get("Placement"), dict) else {}
    job = {"id": item.get("JobId"), "name": item.get("JobName"), "status": item.get("JobState"),
           "create_time": item.get("CreateTime"), "end_time": item.get("EndTime"), "zone": placement.get("Zone"),
           "priority": item.get("Priority")}
    tags = item.get("Tags")
    if isinstance(tags, list):
        job["tags"] = dict((t.get("Key"), t.get("Value")) for t in tags if isinstance(t, dict) and t.get("Key") is not None)
    if isinstance(item.get("TaskMetrics"), dict):
        job["task_metrics"] = item["TaskMetrics"]
    return job


def job_set(data, request_id):
    """The ``JobSet`` of a DescribeJobs answer, each JobView read against its model (``JobId`` and ``JobState``
    strings; ``CreateTime``/``EndTime`` strings or null); raises MalformedResponse otherwise."""
    shape = Shape("Tencent Cloud Batch DescribeJobs", request_id)
    items = shape.items(data, "JobSet", "a JobView object", "Response.JobSet")
    for index, item in enumerate(items):
        where = "Response.JobSet[%d]." % index
        shape.get(item, "JobId", (str,), where + "JobId")
        shape.get(item, "JobState", (str,), where + "JobState")
        for key in ("CreateTime", "EndTime"):
            shape.get(item, key, (str,), where + key, optional=True)
    return items, shape.get(data, "TotalCount", (int,), "Response.TotalCount", optional=True)


def read_page(client, f, offset):
    """One ``DescribeJobs`` page of the checked filters ``f`` at ``offset``: (the jobs of it as :func:`job_view` gives
    them, whether the page was full, ``TotalCount`` (None when the answer has no usable count), request id).

    A job whose state is not one of ``job-state`` (it changed while being listed) is left out.
    """
    states = f.get("job-state")
    data, request_id = client.call(DESCRIBE_ACTION, list_query(f, offset), idempotent=True)
    items, total = job_set(data, request_id)
    jobs = [job_view(item) for item in items if not states or item["JobState"] in states]
    return jobs, len(items) >= LIST_LIMIT, total, request_id


def list_jobs(client, filters):
    """Every Tencent Cloud Batch job ``filters`` (as :func:`check_filters` returned them) select: dicts with ``id``, ``name``, ``status`` (JobState),
    ``create_time``, ``end_time``, ``zone``, ``priority``, ``tags`` (a dict), ``task_metrics``.

    ``DescribeJobs`` pages of 100 by ``Offset``, until ``Offset`` reaches ``TotalCount`` or a short page; each job once.
    A job whose state is not one of ``job-state`` (it changed while being listed) is left out.
    """
    out, seen = [], set()
    offset = 0
    request_id = None
    for _page in range(_discovery.MAX_PAGES):
        jobs, full, total, request_id = read_page(client, filters, offset)
        for job in jobs:
            _discovery.add_once(out, seen, job["id"], job)
        offset += LIST_LIMIT
        if not _discovery.more_pages(full, offset, total):
            return out
    raise _discovery.paging_stopped("Tencent Cloud Batch jobs", _discovery.MAX_PAGES, request_id)


class _ReadFailed(Exception):
    """A read that failed as a whole: stops the split at once."""

    def __init__(self, error):
        super(_ReadFailed, self).__init__(str(error))
        self.error = error


def describe_jobs(client, ids):
    """``{id: job}`` from ``DescribeJobs``, at most 100 ids per request, each job as the list returns it
    (:func:`job_view`: ``id``, ``name``, ``status``, ``create_time``, ``end_time``, ``zone``...).

    The answer leaves out the ids the service does not know. A read refused over particular ids (a malformed one) is
    split like a write and the ids refused alone are left out; any other error fails the whole read (ApiError).
    """
    jobs = {}

    def send(part):
        try:
            data, request_id = client.call(DESCRIBE_ACTION, {"JobIds": part, "Limit": MAX_BATCH}, idempotent=True)
        except ApiError as exc:
            if code_in(exc.code, PER_JOB_CODES):
                raise
            raise _ReadFailed(exc)
        wanted = set(part)
        try:
            items = job_set(data, request_id)[0]
        except ApiError as exc:
            raise _ReadFailed(exc)
        for item in items:
            if item["JobId"] in wanted:
                jobs[item["JobId"]] = job_view(item)
        return request_id

    splitter = BatchSplitter(send)
    try:
        for chunk in _discovery.chunks(list(ids), MAX_BATCH):
            splitter.run(chunk)
    except _ReadFailed as exc:
        raise exc.error
    return jobs


class _Sender:
    """Sends RetryJobs batches from one thread of its own, in the order given, while the caller goes on listing.

    ``act(ids)`` (the batch's {id: Outcome}) runs in that thread; ``finish()`` waits for every batch given and returns
    every outcome. Jobs given are ``submitted`` at once, so the caller knows what will have been sent.
    """

    def __init__(self, act):
        self._act = act
        self._queue = queue.Queue()
        self._thread = None
        self._error = None
        self.submitted = []
        self.outcomes = {}

    def submit(self, ids):
        if not ids:
            return
        self.submitted.extend(ids)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="RetryJobs")
            self._thread.daemon = True
            self._thread.start()
        self._queue.put(list(ids))

    def _run(self):
        while True:
            ids = self._queue.get()
            if ids is None:
                return
            if self._error is not None:
                continue
            try:
                self.outcomes.update(self._act(ids))
            except Exception as exc:  # pylint: disable=broad-except
                # Not an ApiError (BatchSplitter decides those per job): raised again by finish().
                self._error = exc

    def finish(self):
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self._error is not None:
            raise self._error
        return self.outcomes


class TencentBatchRetry(JobAction):
    """``RetryJobs`` for FAILED jobs, ``batch_size`` ids per request, split when a batch is refused over some of its jobs.

    With ``overlap`` (the module sets it, except in check mode) :meth:`discover` sends the retries while it lists:
    DescribeJobs and RetryJobs each have their own rate budget (:class:`~._tencent.ActionBudget`), so a batch goes as
    soon as a full batch of FAILED jobs is known, and :meth:`act` sends what is left and returns every outcome. Only
    that state passes from ``discover`` to ``act``, and ``act`` takes it once.

    Retried jobs leave the ``job-state`` FAILED list while it is being paged by ``Offset``, which moves every later
    job down. So the pages are read from the first (which gives ``TotalCount``, checked against ``max_jobs`` before
    anything is sent) straight to the last and then back down to the second: a job found on a page is retried only
    when no page above it (higher offsets) is still to be read, and the first page's jobs are retried last. Each job
    is found, retried and reported once.
    """

    noun = "job"
    verb = "retried"
    actionable = ACTIONABLE
    settled = SETTLED
    succeeded = SUCCEEDED
    failed_states = FAILED_STATES
    expected_after = "RUNNING"

    def __init__(self, client, batch_size=MAX_BATCH, max_jobs=None, overlap=False):
        self.client = client
        self.batch_size = batch_size
        self.max_jobs = max_jobs
        self.overlap = overlap
        self.stopped = None      # why acting stopped early (the task then fails with it), set by discover()
        self._sender = None      # the retries discover() started, for act()
        self._splitter = None

    @staticmethod
    def _read_of(job):
        """One read of a job; its ``EndTime`` is the end marker that tells a new outcome after a retry from the old one."""
        return Record(job.get("status"), end_marker=job.get("end_time") or None)

    def read(self, ids):
        return dict((job_id, self._read_of(job)) for job_id, job in describe_jobs(self.client, ids).items())

    def _searched(self):
        return "no Batch job matched filters in a state it can be %s from" % self.verb

    def discover(self, filters):
        self.stopped = None
        f = dict(filters or {})
        f.setdefault("job-state", sorted(self.actionable))
        if not self.overlap:
            records = dict((job["id"], self._read_of(job)) for job in list_jobs(self.client, f))   # each job once
            return Discovery(records, self._searched())
        return Discovery(self._list_and_act(f, filters is not None), self._searched())

    def _will_act(self, record):
        """What the Runner's precheck acts on (``Runner._classify``): an actionable state, no error, no refusal."""
        return record.state in self.actionable and record.error is None and not record.refusal

    def _list_and_act(self, f, bounded):
        """The records of the jobs ``f`` selects, in the service's order, with the retries of the FAILED ones under way."""
        limit = self.max_jobs if bounded else None
        jobs, full, total, request_id = read_page(self.client, f, 0)
        if limit is not None and total is not None and total > limit:
            raise too_many_jobs(total, self.noun, limit)
        if full and total is None:
            # No count to page backwards from: list forwards as the info module does, then act.
            return dict((job["id"], self._read_of(job)) for job in list_jobs(self.client, f))
        last = (total - 1) // LIST_LIMIT if full and total > LIST_LIMIT else 0
        if last >= _discovery.MAX_PAGES:
            raise _discovery.paging_stopped("Tencent Cloud Batch jobs", _discovery.MAX_PAGES, request_id)
        self._splitter = BatchSplitter(self._retry)
        sender = self._sender = _Sender(self._act_batch)
        seen = set(job["id"] for job in jobs)
        pages = {0: [(job["id"], self._read_of(job)) for job in jobs]}
        pending = []
        for page in range(last, 0, -1):
            try:
                jobs, _full, _total, request_id = read_page(self.client, f, page * LIST_LIMIT)
            except ApiError as exc:
                if not sender.submitted:
                    sender.finish()
                    self._sender = None
                    raise
                # Some jobs were already retried: they are reported, and so are the others found, retried too.
                self.stopped = ("listing the jobs stopped at offset %d of %d (%s): the %d jobs found before were retried; "
                                "the others were not looked at" % (page * LIST_LIMIT, total, exc, len(seen)))
                break
            found = [(job["id"], self._read_of(job)) for job in jobs if job["id"] not in seen]
            seen.update(job_id for job_id, _read in found)
            if limit is not None and len(seen) > limit:
                if not sender.submitted:
                    sender.finish()
                    self._sender = None
                    raise too_many_jobs(len(seen), self.noun, limit, "at least ")
                # Jobs that became FAILED while the list was read: acting stops; what was sent is reported.
                self.stopped = ("filters selected at least %d %ss while they were listed (the first page counted %d), more "
                                "than max_jobs (%d): acting stopped after %d %ss had been sent in RetryJobs (reported in jobs); "
                                "the others were not retried; narrow filters, or raise max_jobs"
                                % (len(seen), self.noun, total, limit, len(sender.submitted), self.noun))
                sent = set(sender.submitted)
                return self._in_order(pages, lambda job_id: job_id in sent)
            pages[page] = found
            pending.extend(job_id for job_id, record in found if self._will_act(record))
            while len(pending) >= self.batch_size:
                sender.submit(pending[:self.batch_size])
                pending = pending[self.batch_size:]
        return self._in_order(pages)

    @staticmethod
    def _in_order(pages, keep=None):
        records = {}
        for page in sorted(pages):
            for job_id, record in pages[page]:
                if keep is None or keep(job_id):
                    records[job_id] = record
        return records

    def _retry(self, ids):
        _data, request_id = self.client.call(RETRY_ACTION, {"JobIds": list(ids)})
        return request_id

    def _act_batch(self, batch):
        outcomes = {}
        for job_id, decision in self._splitter.run(batch).items():
            if decision.ok:
                outcomes[job_id] = JobOutcome.acted("success", request_id=decision.request_id)
            else:
                outcomes[job_id] = JobOutcome.from_error(decision.error)
        return outcomes

    def act(self, ids):
        sender, self._sender = self._sender, None
        if sender is None:
            self._splitter = BatchSplitter(self._retry)
            outcomes = {}
            for batch in _discovery.chunks(list(ids), self.batch_size):
                outcomes.update(self._act_batch(batch))
            return outcomes
        # The retries discover() started: send the jobs not sent yet (the first page's, a last part batch), then wait
        # for all of them. (When acting stopped over max_jobs, discover() returned only the jobs already sent.)
        submitted = set(sender.submitted)
        for batch in _discovery.chunks([j for j in ids if j not in submitted], self.batch_size):
            sender.submit(batch)
        return sender.finish()
