"""Storage for the tracing service: one small interface, and its SQLite implementation.

Everything the service knows lives here, so a restart loses nothing that was acknowledged:
records (personal fields sealed by `rfl.crypto`), candidate matches and officers' decisions,
transfers between societies, tombstones of erased records, API key hashes, reconciliation jobs
and their results, and the append-only audit trail. Each change and its audit entry are written
in one transaction, so there is no change without its entry.

SQLite runs in WAL mode with `synchronous=FULL` (an acknowledged write survives a crash) and
`secure_delete` (erased rows are overwritten, not just unlinked). A PostgreSQL store would
implement the same `Store` methods.
"""

from __future__ import annotations

import abc
import json
import os
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from rfl.audit import AuditEntry, utc_now
from rfl.crypto import Cipher


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


_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    key TEXT PRIMARY KEY, society TEXT NOT NULL, record_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('enquiry', 'found')),
    legal_basis TEXT NOT NULL, tracing_consent TEXT, retention_until TEXT NOT NULL,
    minor INTEGER NOT NULL, objection INTEGER NOT NULL, objection_override INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL,
    personal BLOB NOT NULL, sensitive BLOB
);
CREATE INDEX IF NOT EXISTS records_by_kind ON records (kind, society);
CREATE INDEX IF NOT EXISTS records_by_retention ON records (retention_until);
CREATE TABLE IF NOT EXISTS tombstones (
    key TEXT PRIMARY KEY, society TEXT NOT NULL, kind TEXT NOT NULL,
    created_at TEXT NOT NULL, erased_at TEXT NOT NULL, reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS matches (
    enquiry_key TEXT NOT NULL, found_key TEXT NOT NULL, probability REAL NOT NULL,
    decision TEXT NOT NULL, evidence TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('potential', 'confirmed', 'rejected')),
    proposed_at TEXT NOT NULL, decided_at TEXT, decided_by TEXT,
    PRIMARY KEY (enquiry_key, found_key)
);
CREATE INDEX IF NOT EXISTS matches_by_found ON matches (found_key);
CREATE TABLE IF NOT EXISTS transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, found_key TEXT NOT NULL,
    enquiry_key TEXT NOT NULL, from_society TEXT NOT NULL, to_society TEXT NOT NULL,
    basis TEXT NOT NULL, recipient_adheres INTEGER NOT NULL, released TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS transfers_by_found ON transfers (found_key);
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY, society TEXT NOT NULL, role TEXT NOT NULL,
    secret_hash TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS societies (code TEXT PRIMARY KEY, adheres INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, key_id TEXT, society TEXT,
    role TEXT, purpose TEXT, action TEXT NOT NULL, target TEXT, outcome TEXT NOT NULL,
    status INTEGER NOT NULL, reason TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, society TEXT NOT NULL, key_id TEXT NOT NULL, source TEXT NOT NULL,
    state TEXT NOT NULL, total INTEGER NOT NULL, done INTEGER NOT NULL,
    created_at TEXT NOT NULL, finished_at TEXT, error TEXT
);
CREATE TABLE IF NOT EXISTS job_results (
    job_id TEXT NOT NULL, enquiry_key TEXT NOT NULL, found_key TEXT NOT NULL,
    probability REAL NOT NULL, rank INTEGER NOT NULL, decision TEXT NOT NULL, evidence TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS job_results_by_job ON job_results (job_id);
CREATE INDEX IF NOT EXISTS job_results_by_found ON job_results (found_key);
CREATE INDEX IF NOT EXISTS job_results_by_enquiry ON job_results (enquiry_key);
"""
_AUDIT_COLUMNS = AuditEntry.STORED
_JOB_COLUMNS = ("state", "total", "done", "finished_at", "error")


class SQLiteStore(Store):
    """The embedded default store: one SQLite file, shared by the service's threads."""

    def __init__(self, path: str | Path, cipher: Cipher):
        self.path = Path(path)
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # The file is made 0600 before SQLite opens it: SQLite gives the -wal and -shm files the
        # database's mode, so under the usual umask 022 they would otherwise be readable by all.
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        self._cipher = cipher
        self._lock = threading.RLock()
        self._audit_lock = threading.Lock()  # one verification of the audit chain at a time
        self._anchor = (0, "")  # seq and hash of the last verified audit entry
        self._chain_broken = False
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "secure_delete=ON",
                       "busy_timeout=5000", "foreign_keys=ON"):
            self._db.execute(f"PRAGMA {pragma}")
        with self._lock:
            self._db.executescript(_SCHEMA)
        for suffix in ("", "-wal", "-shm"):  # files an earlier version left readable
            if os.path.exists(f"{self.path}{suffix}"):
                os.chmod(f"{self.path}{suffix}", 0o600)

    def close(self) -> None:
        with self._lock:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _read(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # ---- audit -------------------------------------------------------------------------
    def _append(self, db: sqlite3.Connection, audit: AuditEntry) -> None:
        row = db.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        previous = row["hash"] if row else ""
        values = [getattr(audit, c) for c in _AUDIT_COLUMNS]
        cur = db.execute(
            f"INSERT INTO audit ({', '.join(_AUDIT_COLUMNS)}, prev_hash, hash) "
            f"VALUES ({', '.join('?' * (len(_AUDIT_COLUMNS) + 2))})",
            (*values, previous, audit.chained_hash(previous)),
        )
        audit.seq = cur.lastrowid

    def append_audit(self, audit: AuditEntry) -> None:
        with self._tx() as db:
            self._append(db, audit)

    def audit_entries(self, society: str | None = None, after: int = 0, limit: int = 1000) -> list[dict]:
        sql = f"SELECT seq, {', '.join(_AUDIT_COLUMNS)} FROM audit WHERE seq > ?"
        params: tuple = (after,)
        if society is not None:
            # A society's admins see calls made by their staff and calls that touched their
            # records; calls by no authenticated caller concern everyone.
            sql += " AND (society = ? OR society IS NULL OR target LIKE ?)"
            params += (society, f"{society}:%")
        return [dict(r) for r in self._read(sql + " ORDER BY seq LIMIT ?", params + (limit,))]

    def verify_audit(self, full: bool = False) -> bool:
        """Whether the audit trail's hash chain holds.

        Re-hashing the whole trail on every call costs time in proportion to its length, so by
        default only the entries added since the last verification are hashed, chained to the
        last verified entry (the anchor), which must still be there with the hash it had: a
        history rewritten up to the newest entry, hashes and all, shows there. An entry older than
        the anchor that is deleted or edited shows only to a full verification (`full`: every
        entry from the first, which must also meet the anchor as it was); the service runs one
        when it starts, and an admin can ask for one. Found broken, the chain stays reported
        broken by the incremental checks; a full verification looks again.
        """
        with self._audit_lock:
            anchor_seq, anchor_hash = self._anchor
            intact, anchored = full or not self._chain_broken, True
            if full:
                seq, previous, anchored = 0, "", not anchor_seq
            else:
                seq, previous = self._anchor
                if anchor_seq:
                    row = self._read("SELECT hash FROM audit WHERE seq = ?", (anchor_seq,))
                    intact = intact and bool(row) and row[0]["hash"] == anchor_hash
            columns = f"seq, {', '.join(_AUDIT_COLUMNS)}, prev_hash, hash"
            while intact:
                rows = self._read(f"SELECT {columns} FROM audit WHERE seq > ? ORDER BY seq LIMIT 5000", (seq,))
                if not rows:
                    break
                for row in rows:
                    entry = AuditEntry(**{c: row[c] for c in _AUDIT_COLUMNS})
                    if row["prev_hash"] != previous or entry.chained_hash(previous) != row["hash"]:
                        intact = False
                        break
                    seq, previous = row["seq"], row["hash"]
                    if seq == anchor_seq:
                        anchored = previous == anchor_hash
            intact = intact and anchored
            if intact:
                self._anchor = (seq, previous)
            self._chain_broken = not intact
            return intact

    # ---- records -----------------------------------------------------------------------
    def _seal(self, record: StoredRecord) -> tuple[bytes, bytes | None]:
        personal = {
            "fields": record.fields, "consent_purposes": record.consent_purposes,
            "guardian_consent": record.guardian_consent, "best_interests": record.best_interests,
            "objection_override": record.objection_override,
        }
        sensitive = self._cipher.seal(record.sensitive, record.key + "#sensitive") if record.sensitive else None
        return self._cipher.seal(personal, record.key), sensitive

    def _unseal(self, row: sqlite3.Row) -> StoredRecord:
        personal = self._cipher.open(row["personal"], row["key"])
        sensitive = self._cipher.open(row["sensitive"], row["key"] + "#sensitive") if row["sensitive"] else {}
        return StoredRecord(
            key=row["key"], society=row["society"], record_id=row["record_id"], kind=row["kind"],
            fields=personal["fields"], legal_basis=row["legal_basis"],
            retention_until=row["retention_until"], consent_purposes=personal["consent_purposes"],
            tracing_consent=row["tracing_consent"], sensitive=sensitive, minor=bool(row["minor"]),
            guardian_consent=personal["guardian_consent"], best_interests=personal["best_interests"],
            objection=bool(row["objection"]), objection_override=personal["objection_override"],
            created_at=row["created_at"], updated_at=row["updated_at"], version=row["version"],
        )

    def _write(self, db: sqlite3.Connection, record: StoredRecord, now: str) -> None:
        old = db.execute("SELECT created_at, version FROM records WHERE key = ?", (record.key,)).fetchone()
        if (old["version"] if old else 0) != record.version:
            raise Conflict(record.key)  # someone else wrote it since it was read: no lost update
        if old is None and db.execute("SELECT 1 FROM tombstones WHERE key = ?", (record.key,)).fetchone():
            raise Retired(record.key)  # the tombstone stays: it is the only trace of the erasure
        record.created_at = old["created_at"] if old else now
        record.version += 1
        record.updated_at = now
        personal, sensitive = self._seal(record)
        db.execute(
            "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record.key, record.society, record.record_id, record.kind, record.legal_basis,
             record.tracing_consent, record.retention_until, int(record.minor),
             int(record.objection), int(record.objection_override is not None),
             record.created_at, record.updated_at, record.version, personal, sensitive),
        )

    def put_record(self, record: StoredRecord, audit: AuditEntry) -> StoredRecord:
        """Insert a new record (version 0) or replace the version it was read at; returns it with
        its new version and times. Raises `Conflict` if the stored version moved on."""
        with self._tx() as db:
            self._write(db, record, utc_now())
            self._append(db, audit)
        return record

    def get_record(self, key: str) -> StoredRecord | None:
        rows = self._read("SELECT * FROM records WHERE key = ?", (key,))
        return self._unseal(rows[0]) if rows else None

    def iter_records(self, kind: str | None = None, society: str | None = None) -> Iterator[StoredRecord]:
        # Page along the rowid (one range scan, no sort) so no lock is held while the caller works.
        sql, params = "SELECT rowid, * FROM records NOT INDEXED WHERE rowid > ?", ()
        if kind is not None:
            sql, params = sql + " AND kind = ?", params + (kind,)
        if society is not None:
            sql, params = sql + " AND society = ?", params + (society,)
        last = 0
        while True:
            rows = self._read(sql + " ORDER BY rowid LIMIT 5000", (last, *params))
            if not rows:
                return
            for row in rows:
                yield self._unseal(row)
            last = rows[-1]["rowid"]

    def expired_keys(self, today: str) -> list[str]:
        return [r["key"] for r in self._read("SELECT key FROM records WHERE retention_until < ? ORDER BY key", (today,))]

    def erase_record(self, key: str, reason: str, audit: AuditEntry) -> bool:
        """Delete a record and everything derived from it; leave a tombstone (id and dates)."""
        with self._tx() as db:
            row = db.execute("SELECT society, kind, created_at FROM records WHERE key = ?", (key,)).fetchone()
            if row is None:
                return False
            db.execute("DELETE FROM records WHERE key = ?", (key,))
            db.execute("DELETE FROM matches WHERE enquiry_key = ? OR found_key = ?", (key, key))
            db.execute("DELETE FROM job_results WHERE enquiry_key = ? OR found_key = ?", (key, key))
            db.execute("INSERT OR REPLACE INTO tombstones VALUES (?, ?, ?, ?, ?, ?)",
                       (key, row["society"], row["kind"], row["created_at"], utc_now(), reason))
            self._append(db, audit)
        with self._lock:  # move erased pages out of the write-ahead log into the overwritten file
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return True

    def get_tombstone(self, key: str) -> dict | None:
        rows = self._read("SELECT * FROM tombstones WHERE key = ?", (key,))
        return dict(rows[0]) if rows else None

    def tombstones(self, society: str, kind: str) -> list[dict]:
        """A society's tombstones of one kind (ids, dates, reason): what a work queue shows of
        erased and withdrawn records."""
        return [dict(r) for r in self._read("SELECT * FROM tombstones WHERE society = ? AND kind = ? ORDER BY key",
                                            (society, kind))]

    # ---- matches and transfers ---------------------------------------------------------
    def save_matches(self, matches: list[Match], audit: AuditEntry) -> None:
        """Store proposed candidates; a pair an officer already decided keeps its decision. A pair
        naming a record erased since the search ranked it is not stored (as `add_job_results`)."""
        now = utc_now()
        with self._tx() as db:
            db.executemany(
                "INSERT INTO matches (enquiry_key, found_key, probability, decision, evidence, state, proposed_at) "
                "SELECT ?, ?, ?, ?, ?, 'potential', ? WHERE NOT EXISTS (SELECT 1 FROM tombstones WHERE key IN (?, ?)) "
                "ON CONFLICT (enquiry_key, found_key) DO UPDATE SET "
                "probability = excluded.probability, decision = excluded.decision, evidence = excluded.evidence",
                [(m.enquiry_key, m.found_key, m.probability, m.decision, json.dumps(m.evidence), now,
                  m.enquiry_key, m.found_key) for m in matches],
            )
            self._append(db, audit)

    @staticmethod
    def _match(row: sqlite3.Row) -> Match:
        values = dict(row)
        values["evidence"] = json.loads(values["evidence"])
        return Match(**values)

    def get_match(self, enquiry_key: str, found_key: str) -> Match | None:
        rows = self._read("SELECT * FROM matches WHERE enquiry_key = ? AND found_key = ?", (enquiry_key, found_key))
        return self._match(rows[0]) if rows else None

    def decide(self, enquiry_key: str, found_key: str, state: str, key_id: str, audit: AuditEntry) -> Match:
        with self._tx() as db:
            db.execute("UPDATE matches SET state = ?, decided_at = ?, decided_by = ? WHERE enquiry_key = ? AND found_key = ?",
                       (state, utc_now(), key_id, enquiry_key, found_key))
            self._append(db, audit)
        return self.get_match(enquiry_key, found_key)

    def matches_of(self, key: str) -> list[Match]:
        rows = self._read("SELECT * FROM matches WHERE enquiry_key = ? OR found_key = ? ORDER BY probability DESC", (key, key))
        return [self._match(r) for r in rows]

    def decided_matches(self) -> Iterator[Match]:
        yield from (self._match(r) for r in self._read("SELECT * FROM matches WHERE state != 'potential' ORDER BY rowid"))

    def record_transfer(self, transfer: dict, audit: AuditEntry) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO transfers (at, found_key, enquiry_key, from_society, to_society, basis, recipient_adheres, released) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (utc_now(), transfer["found_key"], transfer["enquiry_key"], transfer["from_society"],
                 transfer["to_society"], transfer["basis"], int(transfer["recipient_adheres"]), transfer["released"]),
            )
            self._append(db, audit)

    def transfers_of(self, found_key: str) -> list[dict]:
        return [dict(r) for r in self._read("SELECT * FROM transfers WHERE found_key = ? ORDER BY id", (found_key,))]

    # ---- keys and societies ------------------------------------------------------------
    def add_key(self, key_id: str, society: str, role: str, secret_hash: str) -> None:
        with self._tx() as db:
            db.execute("INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, NULL)", (key_id, society, role, secret_hash, utc_now()))
            db.execute("INSERT OR IGNORE INTO societies VALUES (?, 1)", (society,))

    def get_key(self, key_id: str) -> dict | None:
        rows = self._read("SELECT * FROM api_keys WHERE key_id = ?", (key_id,))
        return dict(rows[0]) if rows else None

    def revoke_key(self, key_id: str) -> bool:
        with self._tx() as db:
            cur = db.execute("UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL", (utc_now(), key_id))
            return cur.rowcount == 1

    def list_keys(self) -> list[dict]:
        return [dict(r) for r in self._read("SELECT key_id, society, role, created_at, revoked_at FROM api_keys ORDER BY created_at")]

    def set_adherence(self, society: str, adheres: bool) -> None:
        with self._tx() as db:
            db.execute("INSERT INTO societies VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET adheres = excluded.adheres",
                       (society, int(adheres)))

    def adheres(self, society: str) -> bool:
        rows = self._read("SELECT adheres FROM societies WHERE code = ?", (society,))
        return bool(rows and rows[0]["adheres"])

    # ---- reconciliation jobs -----------------------------------------------------------
    def create_job(self, job: Job, audit: AuditEntry) -> None:
        job.created_at = job.created_at or utc_now()
        with self._tx() as db:
            db.execute("INSERT INTO jobs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (job.id, job.society, job.key_id, job.source, job.state, job.total, job.done,
                        job.created_at, job.finished_at, job.error))
            self._append(db, audit)

    def get_job(self, job_id: str) -> Job | None:
        rows = self._read("SELECT * FROM jobs WHERE id = ?", (job_id,))
        return Job(**dict(rows[0])) if rows else None

    def update_job(self, job_id: str, **changes) -> None:
        unknown = set(changes) - set(_JOB_COLUMNS)
        if unknown:
            raise ValueError(f"not job columns: {sorted(unknown)}")
        with self._tx() as db:
            db.execute(f"UPDATE jobs SET {', '.join(f'{c} = ?' for c in changes)} WHERE id = ?",
                       (*changes.values(), job_id))

    def add_job_results(self, job_id: str, rows: list[dict]) -> None:
        """Store a job's rows, except those naming a record erased since the job ranked them: the
        tombstone is looked up in the same transaction as the insert, so an erasure that
        committed first always wins over rows a job still held in memory (R8)."""
        with self._tx() as db:
            db.executemany(
                "INSERT INTO job_results SELECT ?, ?, ?, ?, ?, ?, ? "
                "WHERE NOT EXISTS (SELECT 1 FROM tombstones WHERE key IN (?, ?))",
                [(job_id, r["enquiry_key"], r["found_key"], r["probability"], r["rank"], r["decision"],
                  json.dumps(r["evidence"]), r["enquiry_key"], r["found_key"]) for r in rows],
            )

    def job_results(self, job_id: str) -> list[dict]:
        rows = self._read("SELECT enquiry_key, found_key, probability, rank, decision, evidence FROM job_results "
                          "WHERE job_id = ? ORDER BY enquiry_key, rank", (job_id,))
        return [{**dict(r), "evidence": json.loads(r["evidence"])} for r in rows]

    def interrupt_unfinished_jobs(self) -> int:
        with self._tx() as db:
            cur = db.execute("UPDATE jobs SET state = 'interrupted', finished_at = ? WHERE state IN ('queued', 'running')",
                             (utc_now(),))
            return cur.rowcount


def open_store(path: str | Path, cipher: Cipher) -> Store:
    """The store for a path; today always SQLite, the one place a PostgreSQL URL would branch."""
    return SQLiteStore(path, cipher)
