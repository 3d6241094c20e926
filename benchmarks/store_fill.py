"""Filling a store with synthetic records in bulk, for the speed suites and tests only.

The tracing service writes a record only through `rfl.tracing`, which applies the code of
conduct (`rfl.policy`) first. A million-record speed suite cannot afford one transaction per
record, so it writes straight into the store here (SQLite or PostgreSQL), past those checks.
That is why this lives outside `rfl/`: no product path can reach it.
"""

from __future__ import annotations

from datetime import date

from benchmarks.generate import generate
from rfl import policy
from rfl.audit import AuditEntry, utc_now
from rfl.records import COLUMNS
from rfl.store.sql import SQLStore
from rfl.store import StoredRecord


def stored(row: dict, kind: str) -> StoredRecord:
    """A generated row as the service stores it, with a basis, consent and retention that keep
    it searchable."""
    record = StoredRecord(
        key=f"{row['society']}:{row['record_id']}", society=row["society"], record_id=row["record_id"], kind=kind,
        fields={c: row.get(c) for c in (*COLUMNS[2:], "contact")}, legal_basis="vital_interest",
        retention_until="2099-01-01", tracing_consent="yes" if kind == "found" else None,
        best_interests="synthetic data",  # lets the generator's children pass the R12 safeguard
    )
    record.minor = policy.is_minor(record.fields, date.today())
    return record


def fill(store: SQLStore, enquiries: int, found: int, seed: int):
    """Generate a data set and write it into `store` in transactions of 50,000 records; returns
    the generated data (enquiries, found records, true pairs)."""
    data = generate(enquiries=enquiries, found=found, seed=seed)
    for kind, frame in (("found", data.found), ("enquiry", data.enquiries)):
        for chunk in frame.iter_slices(50_000):
            records = [stored(row, kind) for row in chunk.iter_rows(named=True)]
            put_records(store, records, AuditEntry(action="record.import", reason=f"rows:{len(records)}"))
    return data


def put_records(store: SQLStore, records: list[StoredRecord], audit: AuditEntry) -> None:
    """Insert or replace many records and one audit entry in one transaction: all or none.

    The store's own version rule holds, as for `put_record`: new records carry version 0.
    """
    now = utc_now()
    with store._tx() as db:
        for record in records:
            store._write(db, record, now)
        store._append(db, audit)
