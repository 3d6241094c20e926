"""The embedded default store: one SQLite file, shared by the service's threads.

SQLite runs in WAL mode with `synchronous=FULL` (an acknowledged write survives a crash) and
`secure_delete` (erased rows are overwritten, not just unlinked). A write transaction starts
with `BEGIN IMMEDIATE`, which takes the one writer's lock: that alone keeps the audit chain in
order and erasures apart from other writes, so the ordering hooks of `SQLStore` stay empty.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from rfl.crypto import Cipher
from rfl.store.sql import SCHEMA, SQLStore

_APPEND_ONLY = """
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""


class SQLiteStore(SQLStore):
    TYPES = {"blob": "BLOB", "real": "REAL", "serial": "INTEGER PRIMARY KEY AUTOINCREMENT"}
    PAGE = ("rowid", 0, "NOT INDEXED")  # one range scan along the table, no sort

    def __init__(self, path: str | Path, cipher: Cipher):
        super().__init__(cipher)
        self.path = Path(path)
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # The file is made 0600 before SQLite opens it: SQLite gives the -wal and -shm files the
        # database's mode, so under the usual umask 022 they would otherwise be readable by all.
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "secure_delete=ON",
                       "busy_timeout=5000", "foreign_keys=ON"):
            self._db.execute(f"PRAGMA {pragma}")
        with self._lock:
            self._db.executescript(SCHEMA.format(**self.TYPES) + _APPEND_ONLY)
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

    def _stream(self, sql: str) -> Iterator[list[sqlite3.Row]]:
        with self._lock:
            cursor = self._db.execute(sql)
            while page := cursor.fetchmany(5000):
                yield page

    def _after_erase(self) -> None:
        with self._lock:  # move erased pages out of the write-ahead log into the overwritten file
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
