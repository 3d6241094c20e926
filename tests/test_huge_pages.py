"""`import rfl` turns off numpy's request for transparent huge pages (see rfl/__init__.py), unless
the user chose otherwise: in its own process, whether numpy was loaded before it or after, and
in the processes it starts (the benchmark's linkers)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CHILD = "import numpy; print(numpy._core.multiarray._get_madvise_hugepage())"


def _asks(imports: str, env_value: str | None) -> str:
    """What numpy does in a process that runs `imports`, and in a child it starts."""
    probe = (f"{imports}; import numpy, subprocess, sys; "
             f"child = subprocess.run([sys.executable, '-c', {CHILD!r}], capture_output=True, text=True).stdout.strip(); "
             "print(numpy._core.multiarray._get_madvise_hugepage(), child)")
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if env_value is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = env_value
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env,
                          check=True).stdout.strip()


@pytest.mark.parametrize("imports", ["import rfl", "import numpy, rfl"])
def test_rfl_turns_huge_pages_off_for_itself_and_its_children(imports):
    if _asks("pass", None) != "True True":  # numpy asks only on Linux 4.6 and later
        pytest.skip("numpy does not ask for huge pages here, with or without rfl")
    assert _asks(imports, None) == "False False"


@pytest.mark.parametrize("imports", ["import rfl", "import numpy, rfl"])
def test_a_users_choice_stands(imports):
    assert _asks(imports, "1") == "True True"

