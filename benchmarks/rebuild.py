"""How long a restarted service takes to rebuild its matching index from its store.

    .venv/bin/python -m benchmarks.rebuild --db postgresql://rfl@127.0.0.1:5433/rfl --found 100000
    .venv/bin/python -m benchmarks.rebuild --db out/rebuild/rfl.sqlite --found 100000

Fills the store with generated found records (`benchmarks.store_fill`, seed 11) when it holds
none, then times what `TracingService.start` does after a restart: reading and unsealing every
found record (measured alone first), then the whole start, index build included. Prints counts
and seconds only. A PostgreSQL store takes its data key from RFL_DATA_KEY.
"""

from __future__ import annotations

import argparse
import resource
import time

from benchmarks.store_fill import fill
from rfl.search import FoundIndex
from rfl.store import cipher_for, location, open_store
from rfl.tracing import TracingService


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=location, required=True, help="SQLite file or PostgreSQL URL")
    parser.add_argument("--found", type=int, default=100_000, help="found records to fill an empty store with")
    args = parser.parse_args()
    cipher = cipher_for(args.db)
    store = open_store(args.db, cipher)
    if next(store.iter_records(kind="found"), None) is None:
        started = time.perf_counter()
        fill(store, enquiries=100, found=args.found, seed=11)
        print(f"filled: {args.found} found records in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    count = sum(1 for _ in store.iter_records(kind="found"))
    print(f"read and unsealed: {count} found records in {time.perf_counter() - started:.1f} s")
    service = TracingService(store, FoundIndex(), cipher.pseudonym)
    started = time.perf_counter()
    indexed = service.start()
    print(f"start (index rebuilt): {indexed} eligible found records in {time.perf_counter() - started:.1f} s; "
          f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    service.close()


if __name__ == "__main__":
    main()
