"""Search latency of the tracing service: one enquiry against 1,000,000 found records.

Measures what an officer waits for: `POST /enquiries/{id}/candidates` through the ASGI app,
including authentication, the purpose check, the index search, the store re-check of every
candidate, saving the candidates and the audit entry (fsync'd). The found records come from the
synthetic generator, are stored sealed in SQLite like any other, and the index is rebuilt from
the store when the app starts, as after a restart. The store is built once and kept under
out/speed/ (RFL_BENCH_FOUND sets the size; default 1,000,000).

    .venv/bin/python -m pytest benchmarks/speed/test_api_search.py --benchmark-only -s
"""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.keys import create_key
from benchmarks.store_fill import fill
from rfl.store import cipher_for, open_store

FOUND = int(os.environ.get("RFL_BENCH_FOUND", "1000000"))
ENQUIRIES = 500
ROOT = Path(__file__).resolve().parents[2]


def build(db: Path) -> None:
    """Generate the data and write it straight into the store (past the policy checks), in chunks."""
    store = open_store(db, cipher_for(db))
    try:
        data = fill(store, ENQUIRIES, FOUND, seed=11)
        (db.parent / "enquiries.txt").write_text("\n".join(f"{s}\t{r}" for s, r in
                                                          data.enquiries.select("society", "record_id").iter_rows()))
    finally:
        store.close()


@pytest.fixture(scope="module")
def service_client():
    db = ROOT / "out" / "speed" / f"api-{FOUND}" / "rfl.sqlite"
    if not (db.parent / "enquiries.txt").exists():
        for stale in db.parent.glob("rfl.sqlite*"):
            stale.unlink()
        db.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        build(db)
        print(f"\nbuilt store of {FOUND} found records in {time.perf_counter() - started:.0f} s")
    enquiries = [line.split("\t") for line in (db.parent / "enquiries.txt").read_text().splitlines()]
    store = open_store(db, cipher_for(db))
    keys = {s: create_key(store, s, "officer") for s in {s for s, _ in enquiries}}
    store.close()
    started = time.perf_counter()
    with TestClient(create_app(db)) as client:
        start_seconds = time.perf_counter() - started
        yield client, keys, enquiries, start_seconds


def test_search_one_enquiry_against_the_found_records(benchmark, service_client):
    client, keys, enquiries, start_seconds = service_client
    cycle = itertools.cycle(enquiries)
    answers = []

    def one():
        society, record_id = next(cycle)
        answer = client.post(f"/enquiries/{record_id}/candidates",
                             headers={"X-RFL-Key": keys[society], "X-RFL-Purpose": "tracing"})
        answers.append(answer.status_code)

    for _ in range(20):  # warm caches and code paths
        one()
    benchmark.pedantic(one, rounds=len(enquiries), iterations=1)
    assert set(answers) == {200}
    timings = np.array(benchmark.stats.stats.data) * 1000
    benchmark.extra_info.update(found_records=FOUND, start_seconds=round(start_seconds, 1),
                                p50_ms=round(float(np.percentile(timings, 50)), 2),
                                p95_ms=round(float(np.percentile(timings, 95)), 2),
                                p99_ms=round(float(np.percentile(timings, 99)), 2))
    print(f"\n{FOUND} found records: start {start_seconds:.1f} s; search p50 {np.percentile(timings, 50):.1f} ms, "
          f"p95 {np.percentile(timings, 95):.1f} ms, p99 {np.percentile(timings, 99):.1f} ms")


def test_submit_one_found_record_into_the_running_index(benchmark, service_client):
    """A write keeps the index current: the latency of `POST /found` with the index at full size."""
    client, keys, _, _ = service_client
    society = sorted(keys)[0]
    headers = {"X-RFL-Key": keys[society], "X-RFL-Purpose": "tracing"}
    counter, written = itertools.count(), []

    def one():
        n = next(counter)
        written.append(f"bench-{time.time_ns()}-{n}")
        answer = client.post("/found", headers=headers, json={
            "record_id": written[-1], "family_name": "Haddad", "given_names": f"Samir{n}",
            "birth_date": "1990", "sex": "M", "legal_basis": "vital_interest", "tracing_consent": "yes",
            "retention_until": "2099-01-01",
        })
        assert answer.status_code == 201

    benchmark.pedantic(one, rounds=50, iterations=1)
    for record_id in written:  # the cached store keeps its size for the next run
        assert client.delete(f"/found/{record_id}", headers=headers).status_code == 204
    timings = np.array(benchmark.stats.stats.data) * 1000
    benchmark.extra_info.update(found_records=FOUND, p95_ms=round(float(np.percentile(timings, 95)), 2))
    print(f"\nsubmit into {FOUND} found records: p50 {np.percentile(timings, 50):.1f} ms, "
          f"p95 {np.percentile(timings, 95):.1f} ms")
