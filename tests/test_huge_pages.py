"""`import rfl` turns off numpy's request for transparent huge pages (see rfl/__init__.py), unless
the user chose otherwise, and processes rfl starts (the benchmark's linkers) inherit the choice."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = ("import rfl, numpy, os, subprocess, sys; "
         "child = subprocess.run([sys.executable, '-c', 'import numpy; print(numpy._core.multiarray._get_madvise_hugepage())'], "
         "capture_output=True, text=True).stdout.strip(); "
         "print(numpy._core.multiarray._get_madvise_hugepage(), child)")


def _asks(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if env_value is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = env_value
    return subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True).stdout.strip()


def test_rfl_turns_huge_pages_off_for_itself_and_its_children():
    assert _asks(None) == "False False"


def test_a_users_choice_stands():
    assert _asks("1") == "True True"
