"""Batch commands keep freed memory for reuse (rfl.memory): a second large array is served from
memory the first one gave back, without the system zero-filling fresh pages (counted as the
process's minor page faults); `rfl link` asks for it, a program importing rfl does not get it."""

import os
import platform
import subprocess
import sys

import pytest

from rfl import memory
from rfl.cli import main

PROBE = """
import resource, sys
import numpy as np
if sys.argv[1] == "keep":
    from rfl.memory import keep_freed_memory
    keep_freed_memory()
def faults_of_a_fresh_array():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    a = np.ones(8_000_000)  # 64 MB, above any size glibc would serve from its own mapping
    del a
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
faults_of_a_fresh_array()
print(faults_of_a_fresh_array())
"""


def _second_array_faults(mode: str) -> int:
    # numpy's huge-page advice would count 2 MB pages where the kernel allows them
    env = {**os.environ, "NUMPY_MADVISE_HUGEPAGE": "0"}
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True, env=env)
    return int(out.stdout)


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="a glibc setting")
def test_kept_memory_serves_the_next_array_without_fresh_pages():
    given_back = _second_array_faults("default")
    kept = _second_array_faults("keep")
    assert given_back > 0  # the freed array's pages were returned and are faulted in again
    assert kept * 10 < given_back


def test_without_mallopt_nothing_changes(monkeypatch):
    class NoMallopt:  # a C library without it (macOS), or none to load (Windows: TypeError)
        def __init__(self, name):
            raise TypeError("no C library")

    monkeypatch.setattr(memory.ctypes, "CDLL", NoMallopt)
    memory.keep_freed_memory()  # no error


def test_rfl_link_asks_for_it(tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(memory, "keep_freed_memory", lambda: asked.append(True))
    (tmp_path / "e.csv").write_text("record_id,given_names,family_name,birth_date\ne1,Amina,Yusuf,1990-01-02\n")
    (tmp_path / "f.csv").write_text("record_id,given_names,family_name,birth_date\nf1,Amina,Yusuf,1990-01-02\n")
    main(["link", str(tmp_path / "e.csv"), str(tmp_path / "f.csv"), "-o", str(tmp_path / "out.csv"), "-q"])
    assert asked == [True]
