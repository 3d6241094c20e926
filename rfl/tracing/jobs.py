"""Reconciliation jobs: a society's open enquiries, or an uploaded batch, against every
society's found records, in the background; results under the same rules as a search (R1,
R4, R6, R7, R8, R10, R12, R13), asked again when the results are read, since a record may have
been objected to, withdrawn from tracing or erased since the job ran.

One worker thread runs every job, a slice at a time, taking turns between the societies that
have work queued (each society's jobs in the order they came): one society's job of 50,000
enquiries does not keep another society's job of one enquiry waiting until it ends.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque

from polars.exceptions import PanicException

from rfl import policy
from rfl.audit import Actor, AuditEntry, utc_now
from rfl.policy import Refusal
from rfl.records import COLUMNS
from rfl.store import Job, StoredRecord
from rfl.tracing.context import Context, global_key, index_view, society_of


_FINISHED = object()  # what next() gives for a job that has no slice left


class Reconciliations:
    SLICE = 100  # enquiries a job runs before the worker turns to the next society's job

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self._queued: dict[str, deque] = {}  # society -> its jobs (slice generators); dict order: turn order
        self._wake = threading.Condition()
        self._stopping = False
        self._worker = threading.Thread(target=self._work, name="rfl-reconcile", daemon=True)
        self._worker.start()

    def close(self) -> None:
        """Finish the slice being run; unfinished jobs are marked interrupted at the next start."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._worker.join()

    def _work(self) -> None:
        """Run one slice of the first society's oldest job, then move that society to the back."""
        while True:
            with self._wake:
                while not self._queued and not self._stopping:
                    self._wake.wait()
                if self._stopping:
                    return
                society = next(iter(self._queued))
                jobs = self._queued.pop(society)
            if next(jobs[0], _FINISHED) is _FINISHED:  # the job ran its last slice
                jobs.popleft()
            with self._wake:
                jobs.extend(self._queued.pop(society, ()))  # jobs the society queued meanwhile
                if jobs:
                    self._queued[society] = jobs

    def start(self, actor: Actor, entry: AuditEntry, batch: list[dict] | None, k: int) -> Job:
        """Queue a background job: the society's open enquiries, or an uploaded batch. The audit
        entry names the model that will score it."""
        if batch is not None:
            enquiries = [self._batch_enquiry(actor, data) for data in batch]
            source = "batch"
        else:
            enquiries = None
            source = "open_enquiries"
        job = Job(id=uuid.uuid4().hex, society=actor.society, key_id=actor.key_id, source=source, state="queued",
                  total=len(enquiries) if enquiries is not None else 0)
        entry.target = f"job:{job.id}"
        entry.reason = self.ctx.model_reason()
        self.ctx.store.create_job(job, entry)
        with self._wake:
            slices = self._slices(job.id, actor, enquiries, min(k, self.ctx.settings.max_candidates))
            self._queued.setdefault(actor.society, deque()).append(slices)
            self._wake.notify()
        return job

    def job(self, actor: Actor, entry: AuditEntry, job_id: str) -> Job:
        entry.target = f"job:{job_id}"
        job = self.ctx.store.get_job(job_id)
        if job is None:
            raise Refusal(404, "not_found", "no such job in your society")
        policy.check_same_society(actor.society, job.society, "job")
        return job

    def results(self, actor: Actor, entry: AuditEntry, job_id: str) -> list[dict]:
        """The job's rows that may still be shown: each found record still a candidate the
        caller's society may learn of, each stored enquiry still searchable (an uploaded batch
        is not stored: its enquiries were checked when it came). Ranks count what is shown."""
        job = self.job(actor, entry, job_id)
        if job.state != "done":
            raise Refusal(409, "job_not_done", "the job has not finished; poll its progress")
        stored = self.ctx.store.job_results(job_id)
        found = self.ctx.visible(actor.society, self.ctx.store.adheres(actor.society),
                                 list({r["found_key"] for r in stored}))
        enquiries = None if job.source == "batch" else self._searchable({r["enquiry_key"] for r in stored})
        rows, rank = [], {}
        for r in stored:
            if r["found_key"] in found and (enquiries is None or r["enquiry_key"] in enquiries):
                rank[r["enquiry_key"]] = rank.get(r["enquiry_key"], 0) + 1
                rows.append({"enquiry_id": r["enquiry_key"], "found_id": r["found_key"],
                             "society": society_of(r["found_key"]), "probability": r["probability"],
                             "rank": rank[r["enquiry_key"]], "decision": r["decision"], "evidence": r["evidence"]})
        entry.reason = f"rows:{len(rows)}"
        return rows

    def _searchable(self, keys: set[str]) -> set[str]:
        """The stored enquiries among `keys` that may still be matched (R7, R8, R10)."""
        today = self.ctx.today()
        return {key for key in keys
                if (record := self.ctx.store.get_record(key)) is not None
                and policy.search_ineligibility(record, today) is None}

    def _batch_enquiry(self, actor: Actor, data: dict) -> dict:
        """An uploaded enquiry is held to the same rules as a stored one, then used in memory."""
        data = dict(data)
        policy.check_submitter(actor.society, data.pop("society", None))
        record = StoredRecord(
            key=global_key(actor.society, data.pop("record_id")), society=actor.society, record_id="",
            kind="enquiry", fields={c: data.get(c) for c in COLUMNS[2:]}, legal_basis=data.get("legal_basis"),
            retention_until=policy.retention_or_default(data.get("retention_until"), self.ctx.today()),
            consent_purposes=list(data.get("consent_purposes") or []),
            guardian_consent=bool(data.get("guardian_consent")), best_interests=data.get("best_interests"),
        )
        record = self.ctx.checked(actor, record, None)
        policy.check_searchable(record, self.ctx.today())
        stored = self.ctx.store.get_record(record.key)  # an upload does not lift a stored record's
        if stored is not None:                          # objection or expiry (R7, R10)
            policy.check_searchable(stored, self.ctx.today())
        return index_view(record)

    def _open_enquiries(self, society: str) -> list[dict]:
        """The society's enquiries that may be matched (R7, R10) and have no confirmed match yet."""
        store, today = self.ctx.store, self.ctx.today()
        return [index_view(r) for r in store.iter_records(kind="enquiry", society=society)
                if policy.search_ineligibility(r, today) is None
                and not any(m.state == "confirmed" for m in store.matches_of(r.key))]

    def _slices(self, job_id: str, actor: Actor, enquiries: list[dict] | None, k: int):
        """Run one job, pausing (yield) after each slice of enquiries but the last; its results
        and progress are stored slice by slice."""
        store = self.ctx.store
        try:
            if enquiries is None:
                enquiries = self._open_enquiries(actor.society)
            store.update_job(job_id, state="running", total=len(enquiries))
            for first in range(0, len(enquiries), self.SLICE):
                if first:
                    yield
                rows = [{"enquiry_key": enquiry["record_id"], "found_key": c["found_id"], **c}
                        for enquiry in enquiries[first:first + self.SLICE]
                        for c in self.ctx.candidates(enquiry, k, actor.society)]
                store.add_job_results(job_id, rows)
                store.update_job(job_id, done=min(first + self.SLICE, len(enquiries)))
            store.update_job(job_id, state="done", done=len(enquiries), finished_at=utc_now())
        except (Exception, PanicException) as err:  # a failed job says so; its message names no person
            store.update_job(job_id, state="failed", finished_at=utc_now(), error=type(err).__name__)
