"""What only PostgreSQL allows: several service processes on one database. Two real `rfl serve`
processes must give the same answers, a found record submitted through one must be a candidate
through the other within a second, and writers on separate connections must keep one audit
chain and never both win a write from the same version."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from rfl.audit import AuditEntry
from rfl.store import Conflict, StoredRecord, cipher_for, open_store
from rfl_api_harness import audit_rows, enquiry, found, headers, make_world, rfl_serve


def _same(candidates: list[dict]) -> list[tuple]:
    return [(c["found_id"], round(c["probability"], 12), c["rank"], c["decision"]) for c in candidates]


def test_two_serve_processes_on_one_database_give_the_same_answers(postgres_database):
    db, keys = make_world(postgres_database)

    def call(url: str, method: str, path: str, who: str, purpose: str = "tracing", **kwargs) -> httpx.Response:
        return httpx.request(method, url + path, headers=headers(keys[who], purpose), timeout=30, **kwargs)

    with rfl_serve(db) as (one, _), rfl_serve(db) as (two, _):
        assert call(one, "POST", "/enquiries", "deu", json=enquiry()).status_code == 201
        assert call(one, "POST", "/enquiries/E1/candidates", "deu").json()["candidates"] == []
        assert call(two, "POST", "/found", "pol", json=found()).status_code == 201
        submitted = time.monotonic()
        while not (candidates := call(one, "POST", "/enquiries/E1/candidates", "deu").json()["candidates"]):
            assert time.monotonic() - submitted < 1.0, "the other process's found record is not a candidate"
            time.sleep(0.02)
        assert [c["found_id"] for c in candidates] == ["POL:F1"]
        assert _same(call(two, "POST", "/enquiries/E1/candidates", "deu").json()["candidates"]) == _same(candidates)

        # A correction through one process is what the other scores, and an erasure ends it there.
        corrected = call(one, "PATCH", "/found/F1", "pol", json={"father_name": "Ivan"})
        assert corrected.status_code == 200, corrected.text
        deadline = time.monotonic() + 1.0
        while _same(call(two, "POST", "/enquiries/E1/candidates", "deu").json()["candidates"]) == _same(candidates):
            assert time.monotonic() < deadline, "the other process still scores the record as it was"
            time.sleep(0.02)
        assert call(two, "DELETE", "/found/F1", "pol").status_code == 204
        assert call(one, "POST", "/enquiries/E1/candidates", "deu").json()["candidates"] == []
        assert call(one, "GET", "/found/F1", "pol").status_code == 410

        trail = call(two, "GET", "/audit?verify=full", "pol_admin", purpose="oversight").json()
        assert trail["chain_intact"] is True
    actions = [r["action"] for r in audit_rows(db)]
    assert actions.count("record.submit") == 2 and actions.count("record.erase") == 1


def test_writers_on_separate_connections_keep_one_audit_chain(postgres_database):
    """Four stores (four connection pools, as four processes would have) append at once: every
    entry chains to the one before it in `seq` order, none to the same predecessor."""
    stores = [open_store(postgres_database, cipher_for(postgres_database)) for _ in range(4)]
    try:
        def append(n: int) -> None:
            for i in range(40):
                stores[n].append_audit(AuditEntry(action="test.append", reason=f"{n}:{i}"))

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(append, range(4)))
        rows = audit_rows(postgres_database)
        assert len(rows) == 160 and len({r["prev_hash"] for r in rows}) == 160
        assert all(later["prev_hash"] == earlier["hash"] for earlier, later in zip(rows, rows[1:]))
        assert all(store.verify_audit(full=True) for store in stores)
    finally:
        for store in stores:
            store.close()


def test_of_two_writers_from_one_version_one_gets_a_conflict(postgres_database):
    one, two = (open_store(postgres_database, cipher_for(postgres_database)) for _ in range(2))
    try:
        record = StoredRecord(key="POL:F1", society="POL", record_id="F1", kind="found", fields={"given_names": "A"},
                              legal_basis="consent", retention_until="2030-01-01")
        one.put_record(record, AuditEntry(action="record.submit"))
        first, second = one.get_record("POL:F1"), two.get_record("POL:F1")
        first.fields["given_names"], second.fields["given_names"] = "B", "C"
        one.put_record(first, AuditEntry(action="record.correct"))
        with pytest.raises(Conflict):
            two.put_record(second, AuditEntry(action="record.correct"))
        assert two.get_record("POL:F1").fields["given_names"] == "B"
    finally:
        one.close()
        two.close()


def test_a_starting_process_interrupts_only_the_jobs_of_stopped_ones(postgres_database):
    """Each start marks unfinished jobs interrupted; on a shared database, only those whose
    process is gone, never a job another live process is running."""
    from rfl.store import Job

    running, starting = (open_store(postgres_database, cipher_for(postgres_database)) for _ in range(2))
    try:
        running.create_job(Job(id="j1", society="DEU", key_id="k", source="batch", state="queued"),
                           AuditEntry(action="reconcile.run"))
        assert starting.interrupt_unfinished_jobs() == 0
        assert running.get_job("j1").state == "queued"
    finally:
        running.close()  # the process stops with its job unfinished
    try:
        assert starting.interrupt_unfinished_jobs() == 1
        assert starting.get_job("j1").state == "interrupted"
    finally:
        starting.close()
