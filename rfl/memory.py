"""How a batch run has memory treated: freed memory kept for the next array, in small pages.

A link makes thousands of arrays of millions of values, and on a virtual machine every page the
system hands the process afresh is slow to fill. Batch commands (`rfl link`, `rfl demo`, and
`rfl bench` for every linker it runs) ask for two settings when they start:

- glibc keeps what numpy frees for the next array instead of giving each large one back to the
  system: at 100,000 x 500,000 records `rfl link` took 57.3-59.1 s with the memory kept against
  65.3 s without, at a peak of 4.75-4.86 GB against 4.63 GB (benchmarks/RESULTS.md, session 15);
- numpy does not advise the kernel to back its large arrays with 2 MB pages. Where the kernel
  grants them only on that advice (transparent huge pages "madvise", this machine's setting), it
  assembles each one at its first touch: 2 GB touched once took 3.1-4.1 s in 2 MB pages against
  0.75 s in 4 KB ones, and the same link spent 30 s of its 81 s in the kernel, against 6 s of 61
  s without the advice (benchmarks/RESULTS.md, session 26).

The service asks for neither, since a process that keeps what it frees stays at its peak size
for its whole life, and a program that imports rfl keeps its own allocator's settings.
"""

from __future__ import annotations

import ctypes
import importlib

# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD, _M_MMAP_MAX = -1, -4
_KEEP_UP_TO = 2**31 - 1  # bytes of freed memory at the heap's top kept for reuse (mallopt takes an int)


def for_a_batch() -> None:
    """Keep freed memory for reuse and numpy's arrays in small pages, where this platform's C
    library and numpy can be asked; elsewhere nothing changes."""
    _keep_freed_memory()
    # the switch numpy itself sets at import from NUMPY_MADVISE_HUGEPAGE (off on old kernels)
    switch = getattr(importlib.import_module("numpy._core.multiarray"), "_set_madvise_hugepage", None)
    if switch is not None:
        switch(False)


def _keep_freed_memory() -> None:
    """Serve large blocks from the heap and keep them once freed (glibc)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):  # no C library to ask, or one without mallopt
        return
    mallopt(_M_MMAP_MAX, 0)  # large blocks from the heap, which keeps them once freed ...
    mallopt(_M_TRIM_THRESHOLD, _KEEP_UP_TO)  # ... and does not hand its top back to the system
