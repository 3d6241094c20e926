"""The `rfl` command keeps freed memory for reuse (rfl.cli.reuse_freed_memory): a second large
array is served from memory the first one gave back, without the system zero-filling fresh pages
(measured as the process's minor page faults)."""

import os
import platform
import subprocess
import sys

import pytest

PROBE = """
import resource, sys
import numpy as np
if sys.argv[1] == "reuse":
    from rfl.cli import reuse_freed_memory
    reuse_freed_memory()
def faults_of_a_fresh_array():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    a = np.ones(8_000_000)  # 64 MB, above any threshold glibc serves from its own mapping
    del a
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
faults_of_a_fresh_array()
print(faults_of_a_fresh_array())
"""


def _second_array_faults(mode: str) -> int:
    # numpy's huge-page advice would count 2 MB pages; the kernel's 4 kB ones show the refilling
    env = {**os.environ, "NUMPY_MADVISE_HUGEPAGE": "0"}
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True, env=env)
    return int(out.stdout)


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="a glibc setting")
def test_the_command_line_reuses_freed_memory_instead_of_faulting_fresh_pages():
    given_back = _second_array_faults("plain")
    kept = _second_array_faults("reuse")
    assert given_back > 10_000  # 64 MB in 4 kB pages, faulted in again
    assert kept < given_back / 10
