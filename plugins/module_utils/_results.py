# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-job outcomes turned into the module result of the public contract."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.cloudops.jobs.plugins.module_utils._errors import STATUS_UNKNOWN

STATUS_NOT_FOUND = "not_found"
STATUS_FAILED = "failed"


def dedupe(ids):
    """(unique ids in first-seen order, sorted list of ids given more than once)."""
    seen = set()
    unique = []
    duplicates = set()
    for job_id in ids:
        if job_id in seen:
            duplicates.add(job_id)
        else:
            seen.add(job_id)
            unique.append(job_id)
    return unique, sorted(duplicates)


def unique_ids(ids, option, warn, what="acted on and reported once"):
    """``ids`` without repeats, in first-seen order; a repeated id is warned about, naming ``option``."""
    unique, duplicates = dedupe(ids)
    if duplicates:
        warn("%s lists %s more than once; each is %s" % (option, ", ".join(duplicates), what))
    return unique


class Outcome:
    """What an action's request decided for one job; :meth:`JobResults.set_outcome` turns it into the job's entry.

    ``started_as`` is the id of the job the action started, when that is another job (a Workspace retry starts a new
    job): ``wait`` polls that job for the outcome. ``extra`` holds more fields for the entry (``new_job_id``).
    """

    __slots__ = ("changed", "failed", "status", "error_msg", "error_code", "request_id", "started_as", "extra")

    def __init__(self, changed, failed, status, error_msg=None, error_code=None, request_id=None, started_as=None, extra=None):
        self.changed = changed
        self.failed = failed
        self.status = status
        self.error_msg = error_msg
        self.error_code = error_code
        self.request_id = request_id
        self.started_as = started_as
        self.extra = extra or {}

    @classmethod
    def acted(cls, status="success", request_id=None, started_as=None, **extra):
        return cls(True, False, status, request_id=request_id, started_as=started_as, extra=extra)

    @classmethod
    def refused(cls, status, error_msg, error_code=None, request_id=None):
        return cls(False, True, status, error_msg, error_code, request_id)

    @classmethod
    def from_error(cls, error, status=None):
        """A failed request: status ``unknown`` when the write may have acted (it is not re-sent)."""
        if status is None:
            status = STATUS_UNKNOWN if error.outcome_unknown else STATUS_FAILED
        return cls(False, True, status, error.message, error.code, error.request_id)

    def __repr__(self):
        return "Outcome(%s, %s, %s)" % ("changed" if self.changed else "failed" if self.failed else "ok", self.status,
                                        self.error_code)


class JobResults:
    """One entry per job the user named, in the user's order, each exactly once."""

    def __init__(self, ids, id_key="id"):
        self.order = list(ids)
        self.id_key = id_key
        self.entries = dict((job_id, None) for job_id in self.order)

    def _set(self, job_id, changed, failed, skipped, status, extra):
        if job_id not in self.entries:
            # An answer about a job the user did not ask about is not ours to report.
            return False
        entry = {self.id_key: job_id, "changed": changed, "failed": failed, "skipped": skipped, "status": status}
        for key, value in (extra or {}).items():
            if value is not None:
                entry[key] = value
        self.entries[job_id] = entry
        return True

    def acted(self, job_id, status, **extra):
        return self._set(job_id, True, False, False, status, extra)

    def skipped(self, job_id, status, **extra):
        return self._set(job_id, False, False, True, status, extra)

    def failed(self, job_id, status, error_msg, error_code=None, request_id=None, **extra):
        extra.update(error_msg=error_msg, error_code=error_code, request_id=request_id)
        return self._set(job_id, False, True, False, status, extra)

    def update(self, job_id, **fields):
        entry = self.entries.get(job_id)
        if entry is not None:
            for key, value in fields.items():
                if value is not None:
                    entry[key] = value

    def get(self, job_id):
        return self.entries.get(job_id)

    def set_outcome(self, job_id, outcome, what="the service's answer did not mention this job"):
        """Set a job's entry from an :class:`Outcome`; None (no answer about the job) is reported ``unknown``."""
        if outcome is None:
            return self.failed(job_id, STATUS_UNKNOWN, what + "; it may or may not have been acted on")
        extra = dict(outcome.extra)
        extra.update(error_msg=outcome.error_msg, error_code=outcome.error_code, request_id=outcome.request_id)
        return self._set(job_id, outcome.changed, outcome.failed, False, outcome.status, extra)

    def jobs(self):
        """Every entry; a job still without an outcome is reported failed with status ``unknown``."""
        for job_id in self.order:
            if self.entries[job_id] is None:
                self.set_outcome(job_id, None, "no outcome was recorded for this job")
        return [self.entries[job_id] for job_id in self.order]

    def result(self, noun="job", check_mode=False):
        """The module result; in check mode nothing was sent, and the message says what would be done."""
        jobs = self.jobs()
        failed = [j[self.id_key] for j in jobs if j["failed"]]
        summary = {
            "total": len(jobs),
            "changed": sum(1 for j in jobs if j["changed"]),
            "failed": len(failed),
            "skipped": sum(1 for j in jobs if j["skipped"]),
        }
        result = {"changed": summary["changed"] > 0, "failed": bool(failed), "jobs": jobs, "summary": summary}
        counted = "%d of %d %s" % (len(failed) if failed else summary["changed"], len(jobs), plural(noun, len(jobs)))
        if failed:
            shown = ", ".join(failed[:20]) + (" and %d more" % (len(failed) - 20) if len(failed) > 20 else "")
            reasons = set(j.get("error_msg") for j in jobs if j["failed"])
            result["msg"] = "%s failed: %s" % (counted, shown)
            if len(failed) == len(jobs) and len(reasons) == 1 and None not in reasons:   # one cause for all: said once
                result["msg"] = "%s failed (%s): %s" % (counted, shown, reasons.pop())
        elif check_mode:
            result["msg"] = "check mode: %s would be %s, %d skipped; nothing was sent" % (counted, "acted on", summary["skipped"])
        else:
            result["msg"] = "%s acted on, %d skipped" % (counted, summary["skipped"])
        return result


def plural(noun, count):
    return noun if count == 1 else noun + "s"
