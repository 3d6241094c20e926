"""Starting Spark for `rfl link --engine spark`, in-process or under spark-submit."""

from __future__ import annotations

import os
import sys


# Where a container's memory limit is read: cgroup v2, then v1 ("max" or a huge number: none).
CGROUP_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


def driver_memory(limits: tuple[str, ...] = CGROUP_LIMITS) -> str:
    """The driver's heap: a third of the memory this process may use (the machine's, or the
    container's limit where it is lower), at least 4 GB, or half where that is less. In local
    mode the driver is the executors too, and it gathers what -o FILE writes (1,000,000
    enquiries' 60 candidates are some gigabytes); 4 GB held 100,000 x 500,000."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for path in limits:
        try:
            with open(path) as f:
                text = f.read().strip()
        except OSError:
            continue
        if text.isdigit():
            total = min(total, int(text))
    return f"{max(min(4, total // 2 // 2**30), total // 3 // 2**30, 1)}g"


def start(master: str | None, conf: dict[str, str], quiet: bool):
    """A SparkSession. A session already running (a notebook's) or one configured by
    spark-submit keeps its master when `master` is None; otherwise `master` (default local[*]:
    every core of this machine).
    Executors here run this interpreter, so they import the same rfl; on a cluster, rfl[spark]
    must be installed on every node (docs/scale.md)."""
    from pyspark.sql import SparkSession

    running = SparkSession.getActiveSession()  # a notebook's (Databricks) or a test's
    if running is not None and master is None:
        for key, value in conf.items():
            running.conf.set(key, value)
        return running
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("rfl link")
    if master is not None or "PYSPARK_GATEWAY_PORT" not in os.environ:  # set by spark-submit
        builder = builder.master(master or "local[*]")
    settings = {
        # Spark's 1 GB default is too little to hold a join's hash table at 20,000 enquiries;
        # in local mode this one process is driver and executors alike (--conf to change it).
        "spark.driver.memory": driver_memory(),
        # -o FILE gathers the output on the driver by design (100,000 enquiries' 60 candidates
        # with their evidence passed Spark's 1 GB limit); -o FOLDER does not gather it.
        "spark.driver.maxResultSize": "0",
        "spark.ui.showConsoleProgress": "false" if quiet else "true",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        # Candidate pairs and scores are built by Python tasks on Arrow batches; a group of
        # enquiries is one task's memory, so groups are kept small (pipeline.GROUP) instead.
        **conf,
    }
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")  # Spark's own log lines are not the command's output
    return spark
