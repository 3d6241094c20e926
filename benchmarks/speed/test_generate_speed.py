"""Speed of the synthetic data generator (`rfl generate`).

Generation is per-record string assembly over cached spellings, so time grows linearly with
the record count once the process's spelling cache is warm. The first round (cold cache) is a
warm-up; the suite times 30,000 records (10,000 enquiries, 20,000 found) generated in memory.
RFL_BENCH_GENERATE sets the number of enquiries.

    .venv/bin/python -m pytest benchmarks/speed/test_generate_speed.py --benchmark-only
"""

from __future__ import annotations

import os

from benchmarks.generate import generate

ENQUIRIES = int(os.environ.get("RFL_BENCH_GENERATE", "10000"))


def test_generate_in_memory(benchmark):
    ds = benchmark.pedantic(generate, args=(ENQUIRIES,), kwargs={"seed": 1}, rounds=3, iterations=1,
                            warmup_rounds=1)
    assert ds.enquiries.height == ENQUIRIES and ds.found.height == 2 * ENQUIRIES
    benchmark.extra_info["records"] = 3 * ENQUIRIES
