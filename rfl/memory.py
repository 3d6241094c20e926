"""How a batch run has the C allocator treat memory: keep what numpy frees for the next array.

A link makes thousands of arrays of millions of values. By default glibc gives each large one
back to the system when it is freed, and the system zero-fills every page of the next one
afresh, which on a virtual machine is slow: at 100,000 x 500,000 records `rfl link` took
57.3-59.1 s with the memory kept against 65.3 s without, at a peak of 4.75-4.86 GB against
4.63 GB (benchmarks/RESULTS.md, session 15). Batch commands (`rfl link`, `rfl demo`, and `rfl
bench` for every linker it runs) ask for it when they start; the service does not, since a
process that keeps what it frees stays at its peak size for its whole life, and a program that
imports rfl keeps its own allocator's settings.
"""

from __future__ import annotations

import ctypes

# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_MAX = -1, -4
_KEEP_UP_TO = 2**31 - 1  # bytes of freed memory at the heap's top kept for reuse (mallopt takes an int)


def keep_freed_memory() -> None:
    """Serve large blocks from the heap and keep them once freed (glibc); elsewhere nothing
    changes."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):  # no C library to ask, or one without mallopt
        return
    mallopt(_M_MMAP_MAX, 0)  # large blocks from the heap, which keeps them once freed ...
    mallopt(_M_TRIM_THRESHOLD, _KEEP_UP_TO)  # ... and does not hand its top back to the system
