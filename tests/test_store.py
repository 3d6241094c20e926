"""The SQLite store on real files: durability across reopen, sealed fields, append-only audit,
erasure with tombstones, WAL mode."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from benchmarks.store_fill import put_records
from rfl.audit import AuditEntry
from rfl.crypto import KEY_ENV, Cipher, key_file_secret, load_or_create_key
from rfl.errors import InputError
from rfl.store import Match, SQLiteStore, StoredRecord, open_store


def record(key: str = "DEU:E1", **fields) -> StoredRecord:
    values = {"family_name": "Maxamed", "given_names": "Cabdi", "location": "Dadaab block C", **fields}
    return StoredRecord(key=key, society=key.split(":")[0], record_id=key.split(":")[1], kind="found",
                        fields=values, legal_basis="vital_interest", retention_until="2030-01-01",
                        tracing_consent="yes", sensitive={"clan": "Darood"})


@pytest.fixture
def path(tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    return tmp_path / "data" / "rfl.sqlite"


def open_at(path) -> SQLiteStore:
    return SQLiteStore(path, Cipher(load_or_create_key(path.parent)))


def test_acknowledged_writes_survive_reopen_and_are_sealed(path):
    store = open_at(path)
    store.put_record(record(), AuditEntry(action="record.submit", target="DEU:E1"))
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes()
                               if path.with_name(path.name + "-wal").exists() else b"")
    for value in (b"Maxamed", b"Cabdi", b"Dadaab", b"Darood"):
        assert value not in raw
    del store  # no orderly close: the process simply stops
    again = open_at(path)
    back = again.get_record("DEU:E1")
    assert back.fields["family_name"] == "Maxamed" and back.sensitive == {"clan": "Darood"} and back.version == 1
    assert [e["action"] for e in again.audit_entries()] == ["record.submit"]
    again.close()


def test_the_key_file_is_private_and_a_wrong_key_cannot_read(path, monkeypatch):
    store = open_at(path)
    store.put_record(record(), AuditEntry(action="record.submit"))
    store.close()
    key_file = path.parent / "rfl-data.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    monkeypatch.setenv(KEY_ENV, "A" * 43 + "=")
    with pytest.raises(Exception):
        open_at(path).get_record("DEU:E1")
    with pytest.raises(InputError, match="sealed with another data key"):  # said at once, not at a first read
        open_store(path, Cipher(b"B" * 32))
    assert open_store(path, Cipher(key_file_secret(path.parent))).get_record("DEU:E1").fields["given_names"] == "Cabdi"
    monkeypatch.delenv(KEY_ENV)
    os.chmod(key_file, 0o644)
    with pytest.raises(InputError, match="chmod 600"):
        load_or_create_key(path.parent)


def test_a_sealed_value_cannot_be_moved_to_another_record(path):
    store = open_at(path)
    store.put_record(record("DEU:E1"), AuditEntry(action="a"))
    store.put_record(record("DEU:E2", family_name="Other"), AuditEntry(action="a"))
    with store._tx() as db:
        db.execute("UPDATE records SET personal = (SELECT personal FROM records WHERE key = 'DEU:E1') WHERE key = 'DEU:E2'")
    with pytest.raises(Exception):
        store.get_record("DEU:E2")


def test_erasure_deletes_derived_rows_and_leaves_a_tombstone(path):
    store = open_at(path)
    store.put_record(record("POL:F1"), AuditEntry(action="a"))
    store.save_matches([Match("DEU:E1", "POL:F1", 0.9, "match", {"given_names": {"outcome": "agree", "weight": 3.0}})],
                       AuditEntry(action="s"))
    assert store.erase_record("POL:F1", "erasure", AuditEntry(action="e", target="POL:F1"))
    assert store.get_record("POL:F1") is None and store.matches_of("POL:F1") == []
    tombstone = store.get_tombstone("POL:F1")
    assert set(tombstone) == {"key", "society", "kind", "created_at", "erased_at", "reason"}
    assert not store.erase_record("POL:F1", "erasure", AuditEntry(action="e"))
    store.close()
    assert b"Dadaab" not in path.read_bytes()


def test_an_erased_id_is_never_written_again_and_erasure_wins_over_rows_in_flight(path):
    """Rows a search or job ranked before an erasure, written after it, must not bring the erased
    record back; nor may a new record take its id (the tombstone is the trace of the erasure)."""
    from rfl.store import Job, Retired
    store = open_at(path)
    store.put_record(record("POL:F1"), AuditEntry(action="a"))
    store.create_job(Job(id="j1", society="DEU", key_id="k", source="open_enquiries", state="running"),
                     AuditEntry(action="r"))
    ranked = {"enquiry_key": "DEU:E1", "probability": 0.9, "rank": 1, "decision": "match", "evidence": {}}
    assert store.erase_record("POL:F1", "erasure", AuditEntry(action="e", target="POL:F1"))
    store.add_job_results("j1", [{**ranked, "found_key": "POL:F1"}, {**ranked, "found_key": "POL:F2", "rank": 2}])
    assert [r["found_key"] for r in store.job_results("j1")] == ["POL:F2"]
    store.save_matches([Match("DEU:E1", key, 0.9, "match", {}) for key in ("POL:F1", "POL:F2")], AuditEntry(action="s"))
    assert [m.found_key for m in store.matches_of("DEU:E1")] == ["POL:F2"]
    with pytest.raises(Retired):
        store.put_record(record("POL:F1", family_name="Faarax"), AuditEntry(action="a"))
    assert store.get_record("POL:F1") is None and store.get_tombstone("POL:F1")["reason"] == "erasure"


def test_audit_is_append_only_and_its_chain_verifies(path):
    store = open_at(path)
    for n in range(3):
        store.append_audit(AuditEntry(action="match.search", target=f"DEU:E{n}"))
    assert store.verify_audit()
    con = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit")
    con.execute("DROP TRIGGER audit_no_delete")
    con.execute("DELETE FROM audit WHERE seq = 2")
    assert store.verify_audit()  # the trade-off: checks between full ones hash only entries added since
    assert not store.verify_audit(full=True)
    assert not store.verify_audit()  # once found broken, reported broken


def test_audit_verification_hashes_only_new_entries_and_sees_a_rewritten_history(path, monkeypatch):
    store = open_at(path)
    for n in range(50):
        store.append_audit(AuditEntry(action="match.search", target=f"DEU:E{n}"))
    hashed = []
    real = AuditEntry.chained_hash
    monkeypatch.setattr(AuditEntry, "chained_hash", lambda self, previous: hashed.append(1) or real(self, previous))
    assert store.verify_audit(full=True) and len(hashed) == 50
    store.append_audit(AuditEntry(action="match.search", target="DEU:E50"))  # (hashes itself once to be written)
    hashed.clear()
    assert store.verify_audit() and len(hashed) == 1  # only the new entry
    # Someone with the file rewrites history and recomputes every hash after it: the chain is
    # whole again, but the newest entry's hash is no longer the one verified.
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("DROP TRIGGER audit_no_update")
    previous = con.execute("SELECT hash FROM audit WHERE seq = 9").fetchone()[0]
    for seq in range(10, 52):
        fields = con.execute(f"SELECT {', '.join(AuditEntry.STORED)} FROM audit WHERE seq = ?", (seq,)).fetchone()
        entry = AuditEntry(**dict(zip(AuditEntry.STORED, fields)))
        if seq == 10:
            entry.reason = "nothing to see"
        digest = real(entry, previous)
        con.execute("UPDATE audit SET reason = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                    (entry.reason, previous, digest, seq))
        previous = digest
    assert not store.verify_audit()
    assert not store.verify_audit(full=True)  # a full pass meets the rewritten anchor too


def test_jobs_cut_short_by_a_stop_are_marked_interrupted(path):
    from rfl.store import Job
    store = open_at(path)
    store.create_job(Job(id="j1", society="DEU", key_id="k", source="batch", state="running"), AuditEntry(action="r"))
    store.close()
    again = open_at(path)
    assert again.interrupt_unfinished_jobs() == 1 and again.get_job("j1").state == "interrupted"


def test_a_bulk_fill_is_all_or_nothing(path):
    store = open_at(path)
    put_records(store, [record(f"DEU:E{n}") for n in range(3)], AuditEntry(action="record.import"))
    assert [r.key for r in store.iter_records(kind="found")] == ["DEU:E0", "DEU:E1", "DEU:E2"]
    broken = [record("DEU:E7"), record("DEU:E8")]
    broken[1].legal_basis = None  # NOT NULL: the whole batch must roll back
    with pytest.raises(sqlite3.IntegrityError):
        put_records(store, broken, AuditEntry(action="record.import"))
    assert store.get_record("DEU:E7") is None and len(store.audit_entries()) == 1


def test_a_write_based_on_an_old_version_is_refused(path):
    from rfl.store import Conflict
    store = open_at(path)
    store.put_record(record(), AuditEntry(action="a"))
    with pytest.raises(Conflict):
        store.put_record(record(), AuditEntry(action="a"))  # a second "new" record with the same id
    first, second = store.get_record("DEU:E1"), store.get_record("DEU:E1")
    first.fields["given_names"] = "Cabdullahi"
    store.put_record(first, AuditEntry(action="a"))
    second.fields["family_name"] = "Faarax"
    with pytest.raises(Conflict):
        store.put_record(second, AuditEntry(action="a"))  # would silently undo the first correction
    assert store.get_record("DEU:E1").fields["given_names"] == "Cabdullahi"
    assert len(store.audit_entries()) == 2
