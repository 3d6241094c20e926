"""Pure-Python work over many items, shared out among the cores by forked worker processes.

Tokenising names and computing each distinct token's features are pure Python, so threads
would not run them in parallel; a forked worker starts with whatever caches and attested
tables are already loaded here, and a fork with the pickling of items and results costs about
0.1 s, so only batches of PARALLEL_FROM items or more are shared out.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

PARALLEL_FROM = 10_000  # items; fewer are not worth a worker's fork and pickling


def mapped(fn: Callable, items: list) -> list:
    """`[fn(x) for x in items]`, in that order, on every core when there are enough items."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if len(items) < max(PARALLEL_FROM, 2) or cores < 2 or "fork" not in mp.get_all_start_methods():
        return [fn(x) for x in items]
    size = -(-len(items) // cores)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(len(chunks) - 1, mp_context=mp.get_context("fork")) as pool:
        theirs = [pool.submit(_map_all, fn, chunk) for chunk in chunks[1:]]
        mine = [fn(x) for x in chunks[0]]
        return mine + [x for future in theirs for x in future.result()]


def _map_all(fn: Callable, items: list) -> list:
    return [fn(x) for x in items]
