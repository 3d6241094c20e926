"""The `Store` written once in SQL, for every database the service runs on.

The guarantees live here, so SQLite and PostgreSQL cannot drift apart: personal fields sealed
before they reach a table, a record written only over the version it was read at, an erased id
never written again, every change and its audit entry in one transaction, the audit trail
chained by hash. A subclass opens the database and fills in the few places where the
databases differ (the `_hooks` below): column types, how a transaction starts, and how
concurrent writers are kept in order, which in SQLite comes with the one-writer lock and in
PostgreSQL takes explicit locks.

SQL here uses `?` placeholders and only syntax both databases accept (`ON CONFLICT ... DO`,
`RETURNING`); rows are read by column name.
"""

from __future__ import annotations

import json
import threading
from contextlib import AbstractContextManager
from typing import Iterator

from cryptography.exceptions import InvalidTag

from rfl.audit import AuditEntry, utc_now
from rfl.crypto import Cipher
from rfl.store.base import Conflict, Job, Match, Retired, Store, StoredRecord

# `{blob}`, `{real}` and `{serial}` are the dialect's column types (`SQLStore.TYPES`).
SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    key TEXT PRIMARY KEY, society TEXT NOT NULL, record_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('enquiry', 'found')),
    legal_basis TEXT NOT NULL, tracing_consent TEXT, retention_until TEXT NOT NULL,
    minor INTEGER NOT NULL, objection INTEGER NOT NULL, objection_override INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL,
    personal {blob} NOT NULL, sensitive {blob}
);
CREATE INDEX IF NOT EXISTS records_by_kind ON records (kind, society);
CREATE INDEX IF NOT EXISTS records_by_retention ON records (retention_until);
CREATE TABLE IF NOT EXISTS tombstones (
    key TEXT PRIMARY KEY, society TEXT NOT NULL, kind TEXT NOT NULL,
    created_at TEXT NOT NULL, erased_at TEXT NOT NULL, reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS matches (
    enquiry_key TEXT NOT NULL, found_key TEXT NOT NULL, probability {real} NOT NULL,
    decision TEXT NOT NULL, evidence TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('potential', 'confirmed', 'rejected')),
    proposed_at TEXT NOT NULL, decided_at TEXT, decided_by TEXT,
    PRIMARY KEY (enquiry_key, found_key)
);
CREATE INDEX IF NOT EXISTS matches_by_found ON matches (found_key);
CREATE TABLE IF NOT EXISTS transfers (
    id {serial}, at TEXT NOT NULL, found_key TEXT NOT NULL,
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
    seq {serial}, at TEXT NOT NULL, key_id TEXT, society TEXT,
    role TEXT, purpose TEXT, action TEXT NOT NULL, target TEXT, outcome TEXT NOT NULL,
    status INTEGER NOT NULL, reason TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, society TEXT NOT NULL, key_id TEXT NOT NULL, source TEXT NOT NULL,
    state TEXT NOT NULL, total INTEGER NOT NULL, done INTEGER NOT NULL,
    created_at TEXT NOT NULL, finished_at TEXT, error TEXT
);
CREATE TABLE IF NOT EXISTS job_results (
    job_id TEXT NOT NULL, enquiry_key TEXT NOT NULL, found_key TEXT NOT NULL,
    probability {real} NOT NULL, rank INTEGER NOT NULL, decision TEXT NOT NULL, evidence TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS job_results_by_job ON job_results (job_id);
CREATE INDEX IF NOT EXISTS job_results_by_found ON job_results (found_key);
CREATE INDEX IF NOT EXISTS job_results_by_enquiry ON job_results (enquiry_key);
CREATE TABLE IF NOT EXISTS copy_unchecked (since TEXT NOT NULL);
"""
# Every table, in the order a copy fills them (the audit trail last: it is what the copy proves).
# Not among them: `copy_unchecked`, a row of which marks a copy that landed but is not yet checked.
TABLES = ("records", "tombstones", "matches", "transfers", "api_keys", "societies", "jobs", "job_results", "audit")
AUDIT_COLUMNS = AuditEntry.STORED
RECORD_COLUMNS = ("key", "society", "record_id", "kind", "legal_basis", "tracing_consent", "retention_until",
                  "minor", "objection", "objection_override", "created_at", "updated_at", "version",
                  "personal", "sensitive")
SENSITIVE = "#sensitive"  # the sensitive fields are sealed to the record's key and this
_JOB_COLUMNS = ("state", "total", "done", "finished_at", "error")
# What an update rewrites: everything but the key and when the record was first stored.
_UPDATED = tuple(c for c in RECORD_COLUMNS if c not in ("key", "created_at"))


class SQLStore(Store):
    """Every `Store` method over a SQL database; subclasses connect and fill in the hooks."""

    TYPES: dict[str, str]  # the schema's {blob}, {real} and {serial} in this database's words
    PAGE: tuple[str, object, str]  # column iter_records pages along, its value before the first row, a hint

    def __init__(self, cipher: Cipher):
        self._cipher = cipher
        self._audit_lock = threading.Lock()  # one verification of the audit chain at a time
        self._anchor = (0, "")  # seq and hash of the last verified audit entry
        self._chain_broken = False

    # ---- hooks: what each database does its own way -----------------------------------
    def _tx(self) -> AbstractContextManager:
        """A write transaction, as a connection whose `execute` takes `?` placeholders."""
        raise NotImplementedError

    def _read(self, sql: str, params: tuple = ()) -> list:
        """Rows of one query outside any write transaction, each readable by column name."""
        raise NotImplementedError

    def _lock_chain(self, db) -> None:
        """Hold the audit chain's head until the transaction ends, so two writers never chain
        to the same predecessor."""

    def _hold_erasures(self, db, exclusive: bool) -> None:
        """Keep erasures out (shared) while rows naming records are written after a tombstone
        check, or keep those writers out (exclusive) while a record is erased."""

    def _announce(self, db, key: str) -> None:
        """Tell other processes, when this transaction commits, that a found record changed."""

    def _after_erase(self) -> None:
        """Make what the database keeps of erased rows unreadable, once the erasure committed."""

    def _stream(self, sql: str) -> Iterator[list]:
        """The rows of a query in pages, without holding them all in memory (a store copy)."""
        raise NotImplementedError

    def _after_import(self, db) -> None:
        """Let ids generated from now on follow the highest ids imported."""

    def _claim_job(self, job_id: str) -> None:
        """Mark a job as run by this process, for as long as the process lives."""

    def _release_job(self, job_id: str) -> None:
        """The job is finished: this process no longer runs it."""

    def _unclaimed(self, db, job_ids: list[str]) -> list[str]:
        """Of these unfinished jobs, those no running process runs: with one process, all."""
        return job_ids

    # ---- whole tables, for `rfl store copy` ---------------------------------------------
    def table_rows(self, table: str) -> Iterator[list[dict]]:
        """Every row of one of `TABLES`, page by page, as stored (sealed values stay sealed)."""
        for page in self._stream(f"SELECT * FROM {table}"):
            yield [dict(row) for row in page]

    def count(self, table: str) -> int:
        return self._read(f"SELECT count(*) AS n FROM {table}")[0]["n"]

    def last_audit(self) -> tuple[int, str] | None:
        rows = self._read("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        return (rows[0]["seq"], rows[0]["hash"]) if rows else None

    def import_tables(self, pages: Iterator[tuple[str, list[dict]]]) -> None:
        """Insert (table, rows) pages exactly as given, ids, seals and hashes included, in one
        transaction: a copy lands whole or not at all."""
        with self._tx() as db:
            for table, rows in pages:
                if rows:
                    columns = list(rows[0])
                    db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                                   [tuple(row[c] for c in columns) for row in rows])
            self._after_import(db)

    # ---- audit -------------------------------------------------------------------------
    def _append(self, db, audit: AuditEntry) -> None:
        self._lock_chain(db)
        row = db.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        previous = row["hash"] if row else ""
        values = [getattr(audit, c) for c in AUDIT_COLUMNS]
        audit.seq = db.execute(
            f"INSERT INTO audit ({', '.join(AUDIT_COLUMNS)}, prev_hash, hash) "
            f"VALUES ({', '.join('?' * (len(AUDIT_COLUMNS) + 2))}) RETURNING seq",
            (*values, previous, audit.chained_hash(previous)),
        ).fetchone()["seq"]

    def append_audit(self, audit: AuditEntry) -> None:
        with self._tx() as db:
            self._append(db, audit)

    def audit_entries(self, society: str | None = None, after: int = 0, limit: int = 1000) -> list[dict]:
        sql = f"SELECT seq, {', '.join(AUDIT_COLUMNS)} FROM audit WHERE seq > ?"
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
            columns = f"seq, {', '.join(AUDIT_COLUMNS)}, prev_hash, hash"
            while intact:
                rows = self._read(f"SELECT {columns} FROM audit WHERE seq > ? ORDER BY seq LIMIT 5000", (seq,))
                if not rows:
                    break
                for row in rows:
                    entry = AuditEntry(**{c: row[c] for c in AUDIT_COLUMNS})
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
        sensitive = self._cipher.seal(record.sensitive, record.key + SENSITIVE) if record.sensitive else None
        return self._cipher.seal(personal, record.key), sensitive

    def copy_unchecked(self) -> bool:
        """Whether this store holds a copy of another (`rfl store copy`) that was never checked:
        the copy was cut short, or failed its checks, after its rows landed."""
        return bool(self._read("SELECT 1 FROM copy_unchecked LIMIT 1"))

    def mark_copy_checked(self) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM copy_unchecked")

    def opens_with_key(self) -> bool:
        """Whether this store's cipher opens its sealed records, tried on one of them: a store
        opened with another deployment's key would otherwise fail at its first read, as a
        decryption error deep inside a service's start."""
        rows = self._read("SELECT * FROM records LIMIT 1")
        try:
            return not rows or bool(self._unseal(rows[0]))
        except InvalidTag:
            return False

    def _unseal(self, row) -> StoredRecord:
        personal = self._cipher.open(row["personal"], row["key"])
        sensitive = self._cipher.open(row["sensitive"], row["key"] + SENSITIVE) if row["sensitive"] else {}
        return StoredRecord(
            key=row["key"], society=row["society"], record_id=row["record_id"], kind=row["kind"],
            fields=personal["fields"], legal_basis=row["legal_basis"],
            retention_until=row["retention_until"], consent_purposes=personal["consent_purposes"],
            tracing_consent=row["tracing_consent"], sensitive=sensitive, minor=bool(row["minor"]),
            guardian_consent=personal["guardian_consent"], best_interests=personal["best_interests"],
            objection=bool(row["objection"]), objection_override=personal["objection_override"],
            created_at=row["created_at"], updated_at=row["updated_at"], version=row["version"],
        )

    def _write(self, db, record: StoredRecord, now: str) -> None:
        """Store a new record (version 0) or the next version of the one read; `Conflict` if the
        stored version moved on meanwhile (no lost update), `Retired` for an erased id."""
        personal, sensitive = self._seal(record)
        values = {"key": record.key, "society": record.society, "record_id": record.record_id,
                  "kind": record.kind, "legal_basis": record.legal_basis,
                  "tracing_consent": record.tracing_consent, "retention_until": record.retention_until,
                  "minor": int(record.minor), "objection": int(record.objection),
                  "objection_override": int(record.objection_override is not None),
                  "created_at": now, "updated_at": now, "version": record.version + 1,
                  "personal": personal, "sensitive": sensitive}
        if record.version == 0:
            self._hold_erasures(db, exclusive=False)
            if db.execute("SELECT 1 FROM tombstones WHERE key = ?", (record.key,)).fetchone():
                raise Retired(record.key)  # the tombstone stays: it is the only trace of the erasure
            stored = db.execute(
                f"INSERT INTO records ({', '.join(RECORD_COLUMNS)}) VALUES ({', '.join('?' * len(RECORD_COLUMNS))}) "
                "ON CONFLICT (key) DO NOTHING RETURNING created_at", tuple(values[c] for c in RECORD_COLUMNS),
            ).fetchone()
        else:
            stored = db.execute(
                f"UPDATE records SET {', '.join(f'{c} = ?' for c in _UPDATED)} WHERE key = ? AND version = ? "
                "RETURNING created_at", (*(values[c] for c in _UPDATED), record.key, record.version),
            ).fetchone()
        if stored is None:
            raise Conflict(record.key)  # someone else wrote it since it was read
        record.created_at, record.updated_at, record.version = stored["created_at"], now, record.version + 1
        if record.kind == "found":
            self._announce(db, record.key)

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
        # Page along one column in pages of 5,000, so no lock or snapshot is held while the caller works.
        column, last, hint = self.PAGE
        sql, params = f"SELECT {column} AS page, * FROM records {hint} WHERE {column} > ?", ()
        if kind is not None:
            sql, params = sql + " AND kind = ?", params + (kind,)
        if society is not None:
            sql, params = sql + " AND society = ?", params + (society,)
        while True:
            rows = self._read(sql + f" ORDER BY {column} LIMIT 5000", (last, *params))
            if not rows:
                return
            for row in rows:
                yield self._unseal(row)
            last = rows[-1]["page"]

    def expired_keys(self, today: str) -> list[str]:
        return [r["key"] for r in self._read("SELECT key FROM records WHERE retention_until < ? ORDER BY key", (today,))]

    def erase_record(self, key: str, reason: str, audit: AuditEntry) -> bool:
        """Delete a record and everything derived from it; leave a tombstone (id and dates)."""
        with self._tx() as db:
            self._hold_erasures(db, exclusive=True)
            row = db.execute("SELECT society, kind, created_at FROM records WHERE key = ?", (key,)).fetchone()
            if row is None:
                return False
            db.execute("DELETE FROM records WHERE key = ?", (key,))
            db.execute("DELETE FROM matches WHERE enquiry_key = ? OR found_key = ?", (key, key))
            db.execute("DELETE FROM job_results WHERE enquiry_key = ? OR found_key = ?", (key, key))
            db.execute("INSERT INTO tombstones VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                       "society = excluded.society, kind = excluded.kind, created_at = excluded.created_at, "
                       "erased_at = excluded.erased_at, reason = excluded.reason",
                       (key, row["society"], row["kind"], row["created_at"], utc_now(), reason))
            if row["kind"] == "found":
                self._announce(db, key)
            self._append(db, audit)
        self._after_erase()
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
            self._hold_erasures(db, exclusive=False)
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
    def _match(row) -> Match:
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
        rows = self._read("SELECT * FROM matches WHERE enquiry_key = ? OR found_key = ? "
                          "ORDER BY probability DESC, enquiry_key, found_key", (key, key))
        return [self._match(r) for r in rows]

    def decided_matches(self) -> Iterator[Match]:
        rows = self._read("SELECT * FROM matches WHERE state != 'potential' ORDER BY decided_at, enquiry_key, found_key")
        yield from (self._match(r) for r in rows)

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
            db.execute("INSERT INTO societies VALUES (?, 1) ON CONFLICT (code) DO NOTHING", (society,))

    def get_key(self, key_id: str) -> dict | None:
        rows = self._read("SELECT * FROM api_keys WHERE key_id = ?", (key_id,))
        return dict(rows[0]) if rows else None

    def revoke_key(self, key_id: str) -> bool:
        with self._tx() as db:
            cur = db.execute("UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL", (utc_now(), key_id))
            return cur.rowcount == 1

    def list_keys(self) -> list[dict]:
        return [dict(r) for r in self._read("SELECT key_id, society, role, created_at, revoked_at FROM api_keys "
                                            "ORDER BY created_at, key_id")]

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
        self._claim_job(job.id)  # before it is stored: no other process's start may take it for a stopped one's
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
        if changes.get("state") in ("done", "failed"):
            self._release_job(job_id)

    def add_job_results(self, job_id: str, rows: list[dict]) -> None:
        """Store a job's rows, except those naming a record erased since the job ranked them: the
        tombstone is looked up in the same transaction as the insert, so an erasure that
        committed first always wins over rows a job still held in memory (R8)."""
        with self._tx() as db:
            self._hold_erasures(db, exclusive=False)
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
        """Mark interrupted the unfinished jobs of processes that stopped (another process on the
        same database may still be running its own)."""
        with self._tx() as db:
            unfinished = [r["id"] for r in db.execute("SELECT id FROM jobs WHERE state IN ('queued', 'running')")]
            stopped = self._unclaimed(db, unfinished)
            db.executemany("UPDATE jobs SET state = 'interrupted', finished_at = ? WHERE id = ?",
                           [(utc_now(), job_id) for job_id in stopped])
            return len(stopped)
