"""Filling a store with synthetic records in bulk, for the speed suites and tests only.

The tracing service writes a record only through `rfl.tracing`, which applies the code of
conduct (`rfl.policy`) first. A million-record speed suite cannot afford one transaction per
record, so it writes straight into the SQLite store here, past those checks. That is why this
lives outside `rfl/`: no product path can reach it.
"""

from __future__ import annotations

from rfl.audit import AuditEntry, utc_now
from rfl.store import SQLiteStore, StoredRecord


def put_records(store: SQLiteStore, records: list[StoredRecord], audit: AuditEntry) -> None:
    """Insert or replace many records and one audit entry in one transaction: all or none.

    The store's own version rule holds, as for `put_record`: new records carry version 0.
    """
    now = utc_now()
    with store._tx() as db:
        for record in records:
            store._write(db, record, now)
        store._append(db, audit)
