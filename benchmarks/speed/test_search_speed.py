"""Speed of the found-record index itself, without the service around it.

`FoundIndex.search` of one enquiry (each enquiry searched once, as an officer would: its name
pairs are new to the similarity memory), `FoundIndex.upsert` of one record into the full index,
and `prepare` of a batch with the name caches emptied first. RFL_BENCH_SEARCH_FOUND sets the
number of found records (default 200,000; generating and indexing them takes a few minutes).

    .venv/bin/python -m pytest benchmarks/speed/test_search_speed.py --benchmark-only -s
"""

from __future__ import annotations

import itertools
import os

import numpy as np
import pytest

from benchmarks.generate import generate
from matching.names import romanisation, tokenisation
from matching.prepare import Vocab, prepare
from rfl.schema import FIELDS, with_domain_flags
from rfl.search import FoundIndex

FOUND = int(os.environ.get("RFL_BENCH_SEARCH_FOUND", "200000"))
ENQUIRIES = 500
PREPARED = 50_000  # records in the `prepare` benchmark


@pytest.fixture(scope="module")
def built():
    data = generate(enquiries=ENQUIRIES, found=FOUND, seed=11)
    index = FoundIndex()
    index.upsert(data.found.to_dicts())
    return index, data


def _percentiles(benchmark, label: str) -> None:
    ms = np.array(benchmark.stats.stats.data) * 1000
    p50, p95, p99 = (float(np.percentile(ms, q)) for q in (50, 95, 99))
    benchmark.extra_info.update(found_records=FOUND, p50_ms=round(p50, 2), p95_ms=round(p95, 2), p99_ms=round(p99, 2))
    print(f"\n{label} at {FOUND} found records: p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms")


def test_search_each_enquiry_once(benchmark, built):
    index, data = built
    enquiries = iter(data.enquiries.to_dicts())
    answered = []
    benchmark.pedantic(lambda: answered.append(index.search(next(enquiries))), rounds=ENQUIRIES, iterations=1)
    assert sum(1 for a in answered if a) > ENQUIRIES // 2
    _percentiles(benchmark, "search (first time)")


def test_search_again(benchmark, built):
    index, data = built
    enquiries = itertools.cycle(data.enquiries.to_dicts())
    benchmark.pedantic(lambda: index.search(next(enquiries)), rounds=ENQUIRIES, iterations=1)
    _percentiles(benchmark, "search (repeated)")


def test_upsert_one_record(benchmark, built):
    index, data = built
    counter = itertools.count()
    records = itertools.cycle(data.found.head(1000).to_dicts())
    written = []

    def one():
        written.append(f"bench-{next(counter)}")
        index.upsert([{**next(records), "record_id": written[-1]}])

    benchmark.pedantic(one, rounds=300, iterations=1)
    index.remove(written)
    _percentiles(benchmark, "upsert of one record")


def test_prepare_a_batch_with_cold_name_caches(benchmark, built):
    _, data = built
    frame = with_domain_flags(data.found.head(PREPARED))

    def cold():
        for cached in (tokenisation.name_tokens, tokenisation._canonical, romanisation.romanise):
            cached.cache_clear()

    benchmark.pedantic(lambda: prepare(frame, FIELDS, Vocab()), setup=cold, rounds=3, iterations=1)
    print(f"\nprepare of {frame.height} records, name caches cold: {benchmark.stats.stats.min:.2f} s (best of 3)")
