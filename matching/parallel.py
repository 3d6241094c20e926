"""Pure-Python work over many items, shared out among the cores by forked worker processes.

Tokenising names and computing each distinct token's features are pure Python, so threads
would not run them in parallel; a forked worker starts with whatever caches and attested
tables are already loaded here, and a fork with the pickling of items and results costs about
0.1 s, so only batches of PARALLEL_FROM items or more are shared out.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

PARALLEL_FROM = 10_000  # items; fewer are not worth a worker's fork and pickling


def mapped(fn: Callable, items: list) -> list:
    """`[fn(x) for x in items]`, in that order, on every core when there are enough items."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if len(items) < max(PARALLEL_FROM, 2) or cores < 2 or "fork" not in mp.get_all_start_methods():
        return [fn(x) for x in items]
    # Every cores-th item to each worker, not a block each: items come grouped by kind (a file's
    # given names first, its aliases in Arabic script last, which cost more to read), and in
    # blocks the last worker took the dearest while the others waited.
    chunks = [items[i::cores] for i in range(cores)]
    with ProcessPoolExecutor(cores - 1, mp_context=mp.get_context("fork"), initializer=_ends_with,
                             initargs=(os.getpid(),)) as pool:
        theirs = [pool.submit(_map_all, fn, chunk) for chunk in chunks[1:]]
        results = [[fn(x) for x in chunks[0]], *(future.result() for future in theirs)]
    out = [None] * len(items)
    for i, part in enumerate(results):
        out[i::cores] = part
    return out


def _map_all(fn: Callable, items: list) -> list:
    return [fn(x) for x in items]


PR_SET_PDEATHSIG = 1  # Linux prctl: the signal a process gets when its parent ends


def _ends_with(parent: int) -> None:
    """A worker ends with the run that forked it. Killed (kill -9), the run left a worker holding
    its share of the records for minutes, as an orphan; and a forked worker inherits the run's
    handlers, under which a plain kill only asked it to stop. So: the default handlers, and on
    Linux the kernel's word (prctl) to kill the worker when its parent ends."""
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        if signal.getsignal(sig) is not signal.SIG_IGN:  # what the run ignores (a job started with &), so does it
            signal.signal(sig, signal.SIG_DFL)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the orphan ends when its work does
        pass
    if os.getppid() != parent:  # the parent ended before the word was given
        os._exit(1)
