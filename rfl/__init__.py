"""Restoring Family Links domain: the interchange record, the code of conduct, storage and the CLI.

Importing the package sets one process-wide default: numpy asks Linux for transparent huge
pages for every array of 4 MB or more, and where the kernel grants them only on request
(`madvise`, as on the machine the benchmarks run on) each fresh array can stall while the
kernel compacts memory to find them. A 100,000 x 500,000 link creates gigabytes of such arrays:
15 arrays of 48 MB took 1.7-5.9 s to fill with huge pages asked for and 0.41-0.46 s without, and
the whole link fell from 75-89 s to 61-73 s; at an hour when the kernel found huge pages cheaply,
it took 62.6-67.7 s either way (benchmarks/RESULTS.md, session 34). numpy reads
NUMPY_MADVISE_HUGEPAGE when first imported, and child processes (the benchmark's linkers, Spark's
workers) inherit it; a numpy loaded before rfl (a notebook, a script) is told directly, so the
process and its children agree. Set NUMPY_MADVISE_HUGEPAGE=1 to ask for huge pages again.
"""

import os
import sys

if "NUMPY_MADVISE_HUGEPAGE" not in os.environ:
    os.environ["NUMPY_MADVISE_HUGEPAGE"] = "0"
    if "numpy" in sys.modules:
        sys.modules["numpy"]._core.multiarray._set_madvise_hugepage(False)
