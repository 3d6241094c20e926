"""What every area of the tracing service shares: the store, the matching index and its lock,
the settings, the clock, the pseudonym key and the model's identity, plus the few steps more
than one area takes (find the caller's own record, check a record against the code of conduct,
keep the index to eligible found records, say which found records a society may learn of, rank
candidates). Every decision in them is a question to `rfl.policy`.

Only found records that `rfl.policy.ineligibility` allows are in the matching index; the index
is rebuilt from the store at start and updated on every write. Candidates are checked against
the store once more before they are returned (by a search, a job, or a job's stored results),
so a record that expired, was objected to or erased since it was indexed never reaches an
officer (and is then dropped from the index).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable

from rfl import policy
from rfl.audit import Actor, AuditEntry
from rfl.policy import Refusal
from rfl.records import COLUMNS
from rfl.store import Match, Store, StoredRecord

# What the matching index may hold of a found record: the interchange fields, minus whereabouts.
INDEXED_FIELDS = tuple(c for c in COLUMNS if c not in ("location", "consent_to_share"))


@dataclass
class Settings:
    disclosure: policy.DisclosureSettings = field(default_factory=policy.DisclosureSettings)
    max_candidates: int = 50


def global_key(society: str, record_id: str) -> str:
    return f"{society}:{record_id}"


def society_of(key: str) -> str:
    """The society that holds the record with this global key."""
    return key.split(":", 1)[0]


def index_view(record: StoredRecord) -> dict:
    """A record as the matching index takes it (and as a search query is put)."""
    values = {c: record.fields.get(c) for c in INDEXED_FIELDS}
    values.update(record_id=record.key, society=record.society)
    return values


@dataclass
class Context:
    """One running service's shared state; each area of the service holds the same one.

    `today` is a callable so that every check asks the clock when it runs (tests move it).
    `model` is the identity of the model the index scores with (`Model.identity()`): named in
    the audit entry of every search and job, and answered by GET /model.
    """

    store: Store
    index: object  # rfl.search.FoundIndex, or anything with upsert / remove / search / len
    pseudonym: Callable[[str], str]
    model: dict
    settings: Settings = field(default_factory=Settings)
    today: Callable[[], date] = date.today
    index_lock: threading.Lock = field(default_factory=threading.Lock)

    # ---- the caller's records ---------------------------------------------------------
    def own(self, actor: Actor, kind: str, record_id: str, entry: AuditEntry) -> StoredRecord:
        """The caller's own record, or a refusal that says no more than 'not here' (R15)."""
        key = global_key(actor.society, record_id)
        entry.target = key
        record = self.store.get_record(key)
        if record is None or record.kind != kind:
            tombstone = self.store.get_tombstone(key) if record is None else None
            if tombstone is not None and tombstone["kind"] == kind:
                raise Refusal(410, "erased", "this record was erased; only its tombstone remains")
            raise Refusal(404, "not_found", "no such record in your society")
        policy.check_same_society(actor.society, record.society)
        return record

    def checked(self, actor: Actor, record: StoredRecord, previous_status: str | None) -> StoredRecord:
        """The record once the code of conduct allows holding it (R1, R2, R4, R12, R16), its
        `minor` flag set; a stored record and an uploaded batch enquiry pass the same checks."""
        record.minor = policy.check_record(record, role=actor.role, previous_status=previous_status,
                                           today=self.today())
        return record

    def proposed(self, actor: Actor, enquiry: StoredRecord, found_id: str) -> Match:
        """The match a search proposed: decisions and disclosures concern nothing else (R6), and
        nothing more of it goes to a society that no longer adheres (R13)."""
        match = self.store.get_match(enquiry.key, found_id)
        if match is None:
            raise Refusal(404, "not_a_candidate", "this found record was never proposed for this enquiry")
        policy.check_may_learn_of(actor.society, self.store.adheres(actor.society), society_of(found_id))
        return match

    # ---- the candidate pool (R4, R7, R8, R10) ------------------------------------------
    def index_records(self, views: list[dict]) -> int:
        if views:
            with self.index_lock:
                self.index.upsert(views)
        return len(views)

    def unindex(self, keys: Iterable[str]) -> None:
        with self.index_lock:
            self.index.remove(list(keys))

    def reindex(self, record: StoredRecord) -> None:
        """Keep the index in step with one found record after a write."""
        if record.kind != "found":
            return
        if policy.ineligibility(record, self.today()) is None:
            self.index_records([index_view(record)])
        else:
            self.unindex([record.key])

    def refresh(self, key: str) -> None:
        """Bring one found record's place in the index up to date with the store, after another
        process wrote or erased it. The store is read under the index lock, so a copy read here
        cannot overwrite a newer one this process indexed meanwhile."""
        with self.index_lock:
            record = self.store.get_record(key)
            if record is not None and record.kind == "found" and policy.ineligibility(record, self.today()) is None:
                self.index.upsert([index_view(record)])
            else:
                self.index.remove([key])

    def eligible(self, keys: list[str]) -> dict[str, StoredRecord]:
        """The candidates still allowed in the pool; evict the others from the index."""
        today, allowed, evict = self.today(), {}, []
        for key in keys:
            record = self.store.get_record(key)
            if record is not None and policy.ineligibility(record, today) is None:
                allowed[key] = record
            else:
                evict.append(key)
        if evict:
            self.unindex(evict)
        return allowed

    def visible(self, society: str, adheres: bool, keys: list[str]) -> dict[str, StoredRecord]:
        """The candidates still in the pool that `society` (adhering to the Code of Conduct or
        not) may learn of (R4, R7, R8, R10, R13): what a search answers, a job stores and a job's
        stored results show when read."""
        return {key: record for key, record in self.eligible(keys).items()
                if policy.may_learn_of(society, adheres, record.society)}

    def candidates(self, enquiry: dict, k: int, society: str) -> list[dict]:
        """Ranked candidates for one enquiry (an `index_view`) of `society`, re-checked against
        the store: ids, probabilities and evidence only (R6). A search and a job rank the same
        way. A society that may not learn of others' records (R13) is offered its own among as
        many candidates as the service ever ranks, so they are not crowded out by the others."""
        adheres = self.store.adheres(society)
        with self.index_lock:
            found = self.index.search(enquiry, k=k if adheres else max(k, self.settings.max_candidates))
        allowed = self.visible(society, adheres, [c.found_id for c in found])
        ranked = [c for c in found if c.found_id in allowed][:k]
        return [{"found_id": c.found_id, "society": allowed[c.found_id].society,
                 "probability": float(c.probability), "rank": rank, "decision": c.decision,
                 "evidence": c.evidence} for rank, c in enumerate(ranked, start=1)]

    def model_reason(self) -> str:
        """The audit reason of a call that scored with the model: which model it was."""
        return f"model:{self.model['sha256']}"
