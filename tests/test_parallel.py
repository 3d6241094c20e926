"""Workers forked by matching.parallel end with the run that forked them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

RUN = """
import os, sys, time
from matching import parallel
parallel.PARALLEL_FROM = 2

def slow(x):
    time.sleep(60)
    return x

print(os.getpid(), flush=True)
parallel.mapped(slow, list(range(4)))
"""


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
                    reason="workers are forked on Linux with two cores or more")
def test_a_worker_ends_when_its_run_is_killed():
    """kill -9 of rfl link once left a worker of 280 MB alive as an orphan for over 11 minutes."""
    run = subprocess.Popen([sys.executable, "-c", RUN], stdout=subprocess.PIPE, text=True,
                           cwd=os.path.dirname(os.path.dirname(__file__)))
    parent = int(run.stdout.readline())
    deadline = time.monotonic() + 20
    workers = []
    while not workers and time.monotonic() < deadline:
        # the pool's workers, not its helper threads: processes whose parent is the run
        workers = _children(parent)
        time.sleep(0.1)
    assert workers, "no worker was forked"
    os.kill(parent, signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)


@pytest.mark.skipif(not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
                    reason="workers are forked on Linux with two cores or more")
def test_a_signal_the_run_ignores_its_workers_ignore_too():
    """A job started in the background (cmd &) ignores SIGINT; its workers once died of one."""
    script = RUN.replace("time.sleep(60)", "time.sleep(1)").replace(
        "parallel.mapped(slow, list(range(4)))", "print(parallel.mapped(slow, list(range(4))), flush=True)")
    run = subprocess.Popen([sys.executable, "-c", "import signal; signal.signal(signal.SIGINT, signal.SIG_IGN)\n" + script],
                           stdout=subprocess.PIPE, text=True, cwd=os.path.dirname(os.path.dirname(__file__)),
                           start_new_session=True)
    parent = int(run.stdout.readline())
    deadline = time.monotonic() + 20
    while not _children(parent) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(parent, signal.SIGINT)  # the whole group, as a terminal's Ctrl-C reaches it
    out, _ = run.communicate(timeout=60)
    assert run.returncode == 0 and out.strip() == "[0, 1, 2, 3]"
