"""Batch commands have memory treated for speed (rfl.memory): a second large array is served
from memory the first one gave back, without the system zero-filling fresh pages, and a fresh
array is not advised into 2 MB pages (both counted as the process's minor page faults); `rfl
link` asks for it, a program importing rfl does not get it."""

import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from rfl import memory
from rfl.cli import main

PROBE = """
import resource, sys
import numpy as np
if sys.argv[1] == "batch":
    from rfl.memory import for_a_batch
    for_a_batch()
def faults_of_a_fresh_array():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    a = np.ones(8_000_000)  # 64 MB, above any size glibc would serve from its own mapping
    del a
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
first = faults_of_a_fresh_array()
print(first if sys.argv[2] == "first" else faults_of_a_fresh_array())
"""
GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
THP = Path("/sys/kernel/mm/transparent_hugepage/enabled")
HUGE_ON_ADVICE = THP.exists() and "[madvise]" in THP.read_text()


def _faults(mode: str, array: str, **env: str) -> int:
    out = subprocess.run([sys.executable, "-c", PROBE, mode, array], capture_output=True, text=True,
                         check=True, env={**os.environ, **env})
    return int(out.stdout)


@pytest.mark.skipif(not GLIBC, reason="a glibc setting")
def test_kept_memory_serves_the_next_array_without_fresh_pages():
    # numpy's huge-page advice would count 2 MB pages where the kernel allows them
    given_back = _faults("default", "second", NUMPY_MADVISE_HUGEPAGE="0")
    kept = _faults("batch", "second")
    assert given_back > 0  # the freed array's pages were returned and are faulted in again
    assert kept * 10 < given_back


@pytest.mark.skipif(not (GLIBC and HUGE_ON_ADVICE), reason="the kernel grants 2 MB pages on numpy's advice only")
def test_a_batch_touches_fresh_memory_in_small_pages():
    advised = _faults("default", "first", NUMPY_MADVISE_HUGEPAGE="1")
    small = _faults("batch", "first", NUMPY_MADVISE_HUGEPAGE="1")  # the batch turns numpy's advice off
    assert small >= 64 * 2**20 // 4096 * 0.9  # one fault per 4 KB page of the 64 MB
    assert advised * 4 < small  # 2 MB pages, where the kernel could assemble them


def test_without_mallopt_numpy_is_still_asked_and_nothing_fails(monkeypatch):
    import numpy._core.multiarray as numpy_arrays

    class NoMallopt:  # a C library without it (macOS), or none to load (Windows: TypeError)
        def __init__(self, name):
            raise TypeError("no C library")

    advised = []
    monkeypatch.setattr(memory.ctypes, "CDLL", NoMallopt)
    # recorded, not set: this test process keeps numpy's advice as it was
    monkeypatch.setattr(numpy_arrays, "_set_madvise_hugepage", advised.append)
    memory.for_a_batch()  # no error
    assert advised == [False]


def test_rfl_link_asks_for_it(tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(memory, "for_a_batch", lambda: asked.append(True))
    (tmp_path / "e.csv").write_text("record_id,given_names,family_name,birth_date\ne1,Amina,Yusuf,1990-01-02\n")
    (tmp_path / "f.csv").write_text("record_id,given_names,family_name,birth_date\nf1,Amina,Yusuf,1990-01-02\n")
    main(["link", str(tmp_path / "e.csv"), str(tmp_path / "f.csv"), "-o", str(tmp_path / "out.csv"), "-q"])
    assert asked == [True]
