"""Restoring Family Links domain: the interchange record, the code of conduct, storage and the CLI.

Importing the package sets one process-wide default before numpy is loaded: numpy asks Linux
for transparent huge pages for every array of 4 MB or more, and where the kernel grants them
only on request (`madvise`, as on the machine the benchmarks run on) each fresh array can stall
while the kernel compacts memory to find them. A 100,000 x 500,000 link creates gigabytes of
such arrays: 15 arrays of 48 MB took 1.7-5.9 s to fill with huge pages asked for and 0.41-0.46 s
without, and the whole link fell from 75-89 s to 61-73 s (benchmarks/RESULTS.md, session 34).
Set NUMPY_MADVISE_HUGEPAGE=1 to ask for them again; child processes (the benchmark's linkers)
inherit the setting.
"""

import os

os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
