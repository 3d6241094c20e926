"""What the tracing service needs from storage: one small interface and the records it moves.

Everything the service knows lives behind it, so a restart loses nothing that was acknowledged:
records (personal fields sealed by `rfl.crypto`), candidate matches and officers' decisions,
transfers between societies, tombstones of erased records, API key hashes, reconciliation jobs
and their results, and the append-only audit trail. Each change and its audit entry are written
in one transaction, so there is no change without its entry. `rfl.store.sql` implements it once
for SQL databases; `rfl.store.sqlite` and `rfl.store.postgres` hold what differs.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Callable, Iterator

from rfl.audit import AuditEntry


class Conflict(Exception):
    """A write based on a version of a record that is no longer the current one."""


class Retired(Conflict):
    """A new record under the id of an erased one: erased ids are never written again (R8)."""


@dataclass
class StoredRecord:
    """An enquiry or found record with the data-protection facts that travel with it.

    `key` is the global id `SOCIETY:record_id`. `fields` holds interchange columns (without
    record_id and society) plus `contact`; `sensitive` holds the R11 categories.
    """

    key: str
    society: str
    record_id: str
    kind: str  # "enquiry" or "found"
    fields: dict
    legal_basis: str
    retention_until: str
    consent_purposes: list = field(default_factory=list)
    tracing_consent: str | None = None
    sensitive: dict = field(default_factory=dict)
    minor: bool = False
    guardian_consent: bool = False
    best_interests: str | None = None
    objection: bool = False
    objection_override: str | None = None
    created_at: str = ""
    updated_at: str = ""
    version: int = 0  # the version this copy was read at; 0 for a record not yet stored


@dataclass
class Match:
    """A candidate pair proposed by the matcher, and what an officer decided about it."""

    enquiry_key: str
    found_key: str
    probability: float
    decision: str
    evidence: dict
    state: str = "potential"  # potential | confirmed | rejected
    proposed_at: str = ""
    decided_at: str | None = None
    decided_by: str | None = None


@dataclass
class Job:
    id: str
    society: str
    key_id: str
    source: str
    state: str  # queued | running | done | failed | interrupted
    total: int = 0
    done: int = 0
    created_at: str = ""
    finished_at: str | None = None
    error: str | None = None


class Store(abc.ABC):
    """What the tracing service needs from storage; every write takes its audit entry."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def follow(self, changed: Callable[[str | None], None]) -> None:
        """Call `changed(key)` for each found record that another process writes or erases from
        now on, and `changed(None)` when some may have been missed (start again from the store).
        A store only one process uses (the embedded SQLite file) has nothing to follow."""

    # records
    @abc.abstractmethod
    def put_record(self, record: StoredRecord, audit: AuditEntry) -> StoredRecord: ...
    @abc.abstractmethod
    def get_record(self, key: str) -> StoredRecord | None: ...
    @abc.abstractmethod
    def iter_records(self, kind: str | None = None, society: str | None = None) -> Iterator[StoredRecord]: ...
    @abc.abstractmethod
    def expired_keys(self, today: str) -> list[str]: ...
    @abc.abstractmethod
    def erase_record(self, key: str, reason: str, audit: AuditEntry) -> bool: ...
    @abc.abstractmethod
    def get_tombstone(self, key: str) -> dict | None: ...
    @abc.abstractmethod
    def tombstones(self, society: str, kind: str) -> list[dict]: ...

    # matches and transfers
    @abc.abstractmethod
    def save_matches(self, matches: list[Match], audit: AuditEntry) -> None: ...
    @abc.abstractmethod
    def get_match(self, enquiry_key: str, found_key: str) -> Match | None: ...
    @abc.abstractmethod
    def decide(self, enquiry_key: str, found_key: str, state: str, key_id: str, audit: AuditEntry) -> Match: ...
    @abc.abstractmethod
    def matches_of(self, key: str) -> list[Match]: ...
    @abc.abstractmethod
    def decided_matches(self) -> Iterator[Match]: ...
    @abc.abstractmethod
    def record_transfer(self, transfer: dict, audit: AuditEntry) -> None: ...
    @abc.abstractmethod
    def transfers_of(self, found_key: str) -> list[dict]: ...

    # keys and societies
    @abc.abstractmethod
    def add_key(self, key_id: str, society: str, role: str, secret_hash: str) -> None: ...
    @abc.abstractmethod
    def get_key(self, key_id: str) -> dict | None: ...
    @abc.abstractmethod
    def revoke_key(self, key_id: str) -> bool: ...
    @abc.abstractmethod
    def list_keys(self) -> list[dict]: ...
    @abc.abstractmethod
    def set_adherence(self, society: str, adheres: bool) -> None: ...
    @abc.abstractmethod
    def adheres(self, society: str) -> bool: ...

    # audit
    @abc.abstractmethod
    def append_audit(self, audit: AuditEntry) -> None: ...
    @abc.abstractmethod
    def audit_entries(self, society: str | None = None, after: int = 0, limit: int = 1000) -> list[dict]: ...
    @abc.abstractmethod
    def verify_audit(self, full: bool = False) -> bool: ...

    # reconciliation jobs
    @abc.abstractmethod
    def create_job(self, job: Job, audit: AuditEntry) -> None: ...
    @abc.abstractmethod
    def get_job(self, job_id: str) -> Job | None: ...
    @abc.abstractmethod
    def update_job(self, job_id: str, **changes) -> None: ...
    @abc.abstractmethod
    def add_job_results(self, job_id: str, rows: list[dict]) -> None: ...
    @abc.abstractmethod
    def job_results(self, job_id: str) -> list[dict]: ...
    @abc.abstractmethod
    def interrupt_unfinished_jobs(self) -> int: ...
