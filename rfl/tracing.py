"""The tracing service: records, candidates, decisions, disclosures, erasure and jobs.

This is where storage, the matching index and the code of conduct meet, without any HTTP: the
API translates requests into these calls, and a batch tool could make the same calls. Every
method takes the caller (`Actor`) and the `AuditEntry` of the call; it names the target on the
entry and stores the entry in the same transaction as the change it describes.

Only found records that `rfl.policy.ineligibility` allows are in the matching index; the index
is rebuilt from the store at start and updated on every write. Candidates are checked against
the store once more before they are returned, so a record that expired since it was indexed
never reaches an officer (and is then dropped from the index).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable

from rfl import policy
from rfl.audit import Actor, AuditEntry, utc_now
from rfl.policy import Refusal
from rfl.records import COLUMNS
from rfl.store import Conflict, Job, Match, Store, StoredRecord

# What the matching index may hold of a found record: the interchange fields, minus whereabouts.
INDEXED_FIELDS = tuple(c for c in COLUMNS if c not in ("location", "consent_to_share"))
_INDEX_BATCH = 100_000  # records per index upsert when rebuilding at start
log = logging.getLogger(__name__)  # counts and durations only, never a person's details


@dataclass
class Settings:
    disclosure: policy.DisclosureSettings = field(default_factory=policy.DisclosureSettings)
    max_candidates: int = 50


def global_key(society: str, record_id: str) -> str:
    return f"{society}:{record_id}"


def _index_view(record: StoredRecord) -> dict:
    values = {c: record.fields.get(c) for c in INDEXED_FIELDS}
    values.update(record_id=record.key, society=record.society)
    return values


class TracingService:
    """One running service: a store, a matching index over eligible found records, a job runner."""

    def __init__(self, store: Store, index, pseudonym: Callable[[str], str], settings: Settings | None = None,
                 today: Callable[[], date] = date.today):
        self.store, self.index, self._pseudonym = store, index, pseudonym
        self.settings = settings or Settings()
        self.today = today
        self._index_lock = threading.Lock()
        self._jobs = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rfl-reconcile")

    # ---- life cycle --------------------------------------------------------------------
    def start(self) -> int:
        """Rebuild the index from the store; jobs cut short by a stop are marked interrupted."""
        interrupted = self.store.interrupt_unfinished_jobs()
        started, today, batch, total = time.perf_counter(), self.today(), [], 0
        for record in self.store.iter_records(kind="found"):
            if policy.ineligibility(record, today) is None:
                batch.append(_index_view(record))
            if len(batch) >= _INDEX_BATCH:
                total += self._upsert(batch)
                batch = []
        total += self._upsert(batch)
        log.info("index rebuilt with %d eligible found records in %.1f s; %d unfinished jobs marked interrupted",
                 total, time.perf_counter() - started, interrupted)
        return total

    def close(self) -> None:
        self._jobs.shutdown(wait=True, cancel_futures=True)
        self.store.close()

    def _upsert(self, views: list[dict]) -> int:
        if views:
            with self._index_lock:
                self.index.upsert(views)
        return len(views)

    def _reindex(self, record: StoredRecord) -> None:
        """Keep the index in step with one found record after a write."""
        if record.kind != "found":
            return
        if policy.ineligibility(record, self.today()) is None:
            self._upsert([_index_view(record)])
        else:
            self._unindex([record.key])

    def _unindex(self, keys: Iterable[str]) -> None:
        with self._index_lock:
            self.index.remove(list(keys))

    # ---- records -----------------------------------------------------------------------
    def _own(self, actor: Actor, kind: str, record_id: str, entry: AuditEntry) -> StoredRecord:
        """The caller's own record, or a refusal that says no more than 'not here' (R15)."""
        key = global_key(actor.society, record_id)
        entry.target = key
        record = self.store.get_record(key)
        if record is None or record.kind != kind:
            tombstone = self.store.get_tombstone(key) if record is None else None
            if tombstone is not None and tombstone["kind"] == kind:
                raise Refusal(410, "erased", "this record was erased; only its tombstone remains")
            raise Refusal(404, "not_found", "no such record in your society")
        return record

    def _put(self, record: StoredRecord, entry: AuditEntry) -> StoredRecord:
        """Write a record and bring the index in step with it."""
        try:
            stored = self.store.put_record(record, entry)
        except Conflict:
            if record.version == 0:
                raise Refusal(409, "already_exists", "this record_id exists; correct it with PATCH") from None
            raise Refusal(409, "changed_meanwhile", "the record changed while this call ran; read it and retry") from None
        self._reindex(stored)
        return stored

    def _checked(self, actor: Actor, record: StoredRecord, previous_status: str | None) -> StoredRecord:
        record.minor = policy.check_record(
            kind=record.kind, fields=record.fields, legal_basis=record.legal_basis,
            consent_purposes=record.consent_purposes, tracing_consent=record.tracing_consent,
            guardian_consent=record.guardian_consent, best_interests=record.best_interests,
            role=actor.role, previous_status=previous_status, today=self.today(),
        )
        return record

    def submit(self, actor: Actor, entry: AuditEntry, kind: str, data: dict) -> StoredRecord:
        """Store a new record of the caller's society (R1, R2, R12, R16 checked first)."""
        data = dict(data)
        society = data.pop("society", None) or actor.society
        record_id = data.pop("record_id")
        key = global_key(actor.society, record_id)
        entry.target = key
        if society != actor.society:
            raise Refusal(403, "other_society", "a society submits only its own records")
        record = StoredRecord(
            key=key, society=actor.society, record_id=record_id, kind=kind,
            fields={c: data.get(c) for c in (*COLUMNS[2:], "contact")},
            legal_basis=data.get("legal_basis"),
            retention_until=policy.retention_or_default(data.get("retention_until"), self.today()),
            consent_purposes=list(data.get("consent_purposes") or []),
            tracing_consent=data.get("tracing_consent"),
            sensitive={k: v for k, v in (data.get("sensitive") or {}).items() if v is not None},
            guardian_consent=bool(data.get("guardian_consent")), best_interests=data.get("best_interests"),
        )
        return self._put(self._checked(actor, record, None), entry)

    def read(self, actor: Actor, entry: AuditEntry, kind: str, record_id: str) -> StoredRecord:
        return self._own(actor, kind, record_id, entry)

    def correct(self, actor: Actor, entry: AuditEntry, kind: str, record_id: str, changes: dict) -> StoredRecord:
        """Apply corrections (R9: spelling, dates, consent) to the caller's own record."""
        record = self._own(actor, kind, record_id, entry)
        previous_status = record.fields.get("status")
        changes = dict(changes)
        for name in ("legal_basis", "tracing_consent", "retention_until", "best_interests"):
            if name in changes:
                setattr(record, name, changes.pop(name))
        if "consent_purposes" in changes:
            record.consent_purposes = list(changes.pop("consent_purposes") or [])
        if "guardian_consent" in changes:
            record.guardian_consent = bool(changes.pop("guardian_consent"))
        if "sensitive" in changes:
            merged = {**record.sensitive, **(changes.pop("sensitive") or {})}
            record.sensitive = {k: v for k, v in merged.items() if v is not None}
        record.fields.update(changes)
        return self._put(self._checked(actor, record, previous_status), entry)

    def erase(self, actor: Actor, entry: AuditEntry, kind: str, record_id: str, reason: str = "erasure") -> None:
        """R8: delete the record, its matches and job results, its index entry; keep a tombstone."""
        record = self._own(actor, kind, record_id, entry)
        self._unindex([record.key])
        self.store.erase_record(record.key, reason, entry)

    def withdraw(self, actor: Actor, entry: AuditEntry, kind: str, record_id: str,
                 keep_on_basis: str | None) -> StoredRecord | None:
        """Consent withdrawn: erase the record, unless another legal basis is named to keep it."""
        record = self._own(actor, kind, record_id, entry)
        if keep_on_basis is None:
            self.erase(actor, entry, kind, record_id, reason="consent_withdrawn")
            return None
        if keep_on_basis == "consent":
            raise Refusal(422, "basis_not_other", "keep_on_basis must be a basis other than consent")
        record.legal_basis, record.consent_purposes = keep_on_basis, []
        return self._put(self._checked(actor, record, record.fields.get("status")), entry)

    def object(self, actor: Actor, entry: AuditEntry, kind: str, record_id: str) -> StoredRecord:
        """R10: the person objects; the record leaves matching until an admin overrides."""
        record = self._own(actor, kind, record_id, entry)
        record.objection, record.objection_override = True, None
        return self._put(record, entry)

    def override_objection(self, actor: Actor, entry: AuditEntry, kind: str, record_id: str, reason: str) -> StoredRecord:
        record = self._own(actor, kind, record_id, entry)
        if not record.objection:
            raise Refusal(409, "no_objection", "this record has no objection to override")
        record.objection_override = reason  # sealed with the record, never in the audit trail
        return self._put(record, entry)

    def access_export(self, actor: Actor, entry: AuditEntry, kind: str, record_id: str) -> dict:
        """R9: everything held about this person, with other people's records redacted."""
        record = self._own(actor, kind, record_id, entry)
        matches = [{"counterpart": "redacted", "state": m.state, "proposed_at": m.proposed_at,
                    "decided_at": m.decided_at} for m in self.store.matches_of(record.key)]
        transfers = [{"to_society": t["to_society"], "at": t["at"], "basis": t["basis"], "released": t["released"]}
                     for t in self.store.transfers_of(record.key)]
        return {"record": record, "matches": matches, "transfers": transfers}

    # ---- candidates, decisions, disclosures -------------------------------------------
    def _eligible(self, keys: list[str]) -> dict[str, StoredRecord]:
        """The candidates still allowed in the pool; evict the others from the index."""
        today, allowed, evict = self.today(), {}, []
        for key in keys:
            record = self.store.get_record(key)
            if record is not None and policy.ineligibility(record, today) is None:
                allowed[key] = record
            else:
                evict.append(key)
        if evict:
            self._unindex(evict)
        return allowed

    def _candidates(self, enquiry: dict, k: int) -> list[dict]:
        with self._index_lock:
            found = self.index.search(enquiry, k=k)
        allowed = self._eligible([c.found_id for c in found])
        ranked = [c for c in found if c.found_id in allowed]
        return [{"found_id": c.found_id, "society": allowed[c.found_id].society,
                 "probability": float(c.probability), "rank": rank, "decision": c.decision,
                 "evidence": c.evidence} for rank, c in enumerate(ranked, start=1)]

    def _searchable(self, actor: Actor, record_id: str, entry: AuditEntry) -> StoredRecord:
        enquiry = self._own(actor, "enquiry", record_id, entry)
        if enquiry.retention_until < self.today().isoformat():
            raise Refusal(409, "retention_expired", "this enquiry is past its retention date and awaits review")
        return enquiry

    def search(self, actor: Actor, entry: AuditEntry, record_id: str, k: int = 10) -> list[dict]:
        """R6: ranked candidates with per-field evidence, never the other society's record."""
        enquiry = self._searchable(actor, record_id, entry)
        candidates = self._candidates(_index_view(enquiry), min(k, self.settings.max_candidates))
        self.store.save_matches(
            [Match(enquiry.key, c["found_id"], c["probability"], c["decision"], c["evidence"]) for c in candidates],
            entry,
        )
        return candidates

    def _match_of(self, enquiry: StoredRecord, found_id: str) -> Match:
        match = self.store.get_match(enquiry.key, found_id)
        if match is None:
            raise Refusal(404, "not_a_candidate", "this found record was never proposed for this enquiry")
        return match

    def decide(self, actor: Actor, entry: AuditEntry, record_id: str, found_id: str, decision: str) -> Match:
        """R16: an officer's verification turns a potential match into confirmed or rejected."""
        enquiry = self._own(actor, "enquiry", record_id, entry)
        self._match_of(enquiry, found_id)
        entry.reason = f"{decision}:{found_id}"
        return self.store.decide(enquiry.key, found_id, decision, actor.key_id, entry)

    def disclose(self, actor: Actor, entry: AuditEntry, record_id: str, found_id: str) -> dict:
        """R6/R3/R13: release a candidate's record to the verifying officer, as a logged transfer."""
        enquiry = self._own(actor, "enquiry", record_id, entry)
        match = self._match_of(enquiry, found_id)
        if match.state == "rejected":
            raise Refusal(409, "rejected_match", "this candidate was rejected; nothing is disclosed")
        found = self._eligible([found_id]).get(found_id)
        if found is None:
            raise Refusal(404, "not_available", "this found record is no longer available for tracing")
        adheres = self.store.adheres(actor.society)
        policy.check_transfer(found, actor.society, adheres)
        view = policy.disclosure(found, actor.society, match.state, self.settings.disclosure)
        entry.reason = f"{found_id}:{view['whereabouts']}"
        self.store.record_transfer({
            "found_key": found_id, "enquiry_key": enquiry.key, "from_society": found.society,
            "to_society": actor.society, "basis": found.legal_basis, "recipient_adheres": adheres,
            "released": view["whereabouts"],
        }, entry)
        return {"found_id": found_id, "society": found.society, "match_state": match.state, **view}

    # ---- retention (R7) ----------------------------------------------------------------
    def expired(self, actor: Actor, entry: AuditEntry) -> list[dict]:
        """The caller's society's records past retention: out of the pool, awaiting review."""
        keys = [k for k in self.store.expired_keys(self.today().isoformat()) if k.startswith(actor.society + ":")]
        self._unindex(keys)
        rows = []
        for key in keys:
            record = self.store.get_record(key)
            if record is not None:
                rows.append({"record_id": record.record_id, "kind": record.kind,
                             "retention_until": record.retention_until, "created_at": record.created_at})
        return rows

    def purge_expired(self, actor: Actor, entry: AuditEntry, record_ids: list[str]) -> list[str]:
        """After review: delete the named expired records with every copy, leaving tombstones."""
        today, erased = self.today().isoformat(), []
        for record_id in record_ids:
            key = global_key(actor.society, record_id)
            record = self.store.get_record(key)
            if record is None or record.retention_until >= today:
                continue
            self._unindex([key])
            item = AuditEntry(action=entry.action, key_id=entry.key_id, society=entry.society, role=entry.role,
                              purpose=entry.purpose, target=key, reason="retention")
            if self.store.erase_record(key, "retention", item):
                erased.append(record_id)
        entry.reason = f"purged:{len(erased)}"
        return erased

    # ---- accountability (R14) ----------------------------------------------------------
    def audit_trail(self, actor: Actor, entry: AuditEntry, after: int, limit: int) -> tuple[list[dict], bool]:
        """Entries made by the society's keys, touching its records, or by callers with no valid
        key; and whether the hash chain of the whole trail verifies."""
        return self.store.audit_entries(actor.society, after, limit), self.store.verify_audit()

    # ---- research ----------------------------------------------------------------------
    def research_records(self, actor: Actor, entry: AuditEntry) -> list[dict]:
        """Pseudonymised records of every society: no names, exact dates, places or children."""
        rows = []
        for record in self.store.iter_records():
            row = policy.research_row(record, self._pseudonym(record.key))
            if row is not None:
                rows.append(row)
        entry.reason = f"rows:{len(rows)}"
        return rows

    def research_pairs(self, actor: Actor, entry: AuditEntry) -> list[dict]:
        """Officers' decisions as labelled pairs of pseudonyms, for match-quality measurement."""
        minors = {r.key for r in self.store.iter_records() if r.minor}
        rows = [{"enquiry_pid": self._pseudonym(m.enquiry_key), "found_pid": self._pseudonym(m.found_key),
                 "probability": m.probability, "state": m.state}
                for m in self.store.decided_matches()
                if m.enquiry_key not in minors and m.found_key not in minors]
        entry.reason = f"rows:{len(rows)}"
        return rows

    # ---- reconciliation jobs -----------------------------------------------------------
    def start_reconciliation(self, actor: Actor, entry: AuditEntry, batch: list[dict] | None, k: int) -> Job:
        """Queue a background job: the society's open enquiries, or an uploaded batch."""
        if batch is not None:
            enquiries = [self._batch_enquiry(actor, data) for data in batch]
            source = "batch"
        else:
            enquiries = None
            source = "open_enquiries"
        job = Job(id=uuid.uuid4().hex, society=actor.society, key_id=actor.key_id, source=source, state="queued",
                  total=len(enquiries) if enquiries is not None else 0)
        entry.target = f"job:{job.id}"
        self.store.create_job(job, entry)
        self._jobs.submit(self._run_job, job.id, actor, enquiries, min(k, self.settings.max_candidates))
        return job

    def _batch_enquiry(self, actor: Actor, data: dict) -> dict:
        """An uploaded enquiry is held to the same rules as a stored one, then used in memory."""
        data = dict(data)
        if (data.pop("society", None) or actor.society) != actor.society:
            raise Refusal(403, "other_society", "a batch holds only the caller's society's enquiries")
        record = StoredRecord(
            key=global_key(actor.society, data.pop("record_id")), society=actor.society, record_id="",
            kind="enquiry", fields={c: data.get(c) for c in COLUMNS[2:]}, legal_basis=data.get("legal_basis"),
            retention_until=policy.retention_or_default(data.get("retention_until"), self.today()),
            consent_purposes=list(data.get("consent_purposes") or []),
            guardian_consent=bool(data.get("guardian_consent")), best_interests=data.get("best_interests"),
        )
        return _index_view(self._checked(actor, record, None))

    def _open_enquiries(self, society: str) -> list[dict]:
        today = self.today().isoformat()
        return [_index_view(r) for r in self.store.iter_records(kind="enquiry", society=society)
                if r.retention_until >= today and not any(m.state == "confirmed" for m in self.store.matches_of(r.key))]

    def _run_job(self, job_id: str, actor: Actor, enquiries: list[dict] | None, k: int) -> None:
        try:
            if enquiries is None:
                enquiries = self._open_enquiries(actor.society)
            self.store.update_job(job_id, state="running", total=len(enquiries))
            rows, done = [], 0
            for enquiry in enquiries:
                for c in self._candidates(enquiry, k):
                    rows.append({"enquiry_key": enquiry["record_id"], "found_key": c["found_id"], **c})
                done += 1
                if len(rows) >= 1000 or done % 200 == 0 or done == len(enquiries):
                    self.store.add_job_results(job_id, rows)
                    self.store.update_job(job_id, done=done)
                    rows = []
            self.store.add_job_results(job_id, rows)
            self.store.update_job(job_id, state="done", done=done, finished_at=utc_now())
        except Exception as err:  # a failed job says so; its message names no person
            self.store.update_job(job_id, state="failed", finished_at=utc_now(), error=type(err).__name__)

    def job(self, actor: Actor, entry: AuditEntry, job_id: str) -> Job:
        entry.target = f"job:{job_id}"
        job = self.store.get_job(job_id)
        if job is None or job.society != actor.society:
            raise Refusal(404, "not_found", "no such job in your society")
        return job

    def job_results(self, actor: Actor, entry: AuditEntry, job_id: str) -> list[dict]:
        job = self.job(actor, entry, job_id)
        if job.state != "done":
            raise Refusal(409, "job_not_done", "the job has not finished; poll its progress")
        rows = [{"enquiry_id": r["enquiry_key"], "found_id": r["found_key"], "society": r["found_key"].split(":")[0],
                 "probability": r["probability"], "rank": r["rank"], "decision": r["decision"], "evidence": r["evidence"]}
                for r in self.store.job_results(job_id)]
        entry.reason = f"rows:{len(rows)}"
        return rows
