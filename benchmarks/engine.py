"""The rfl matching engine as a bench linker: the same engine and settings `rfl link` uses.

Columns both sides share beyond the interchange schema (FEBRL's addresses and identity numbers)
are compared too, as `rfl link --compare` would be told to.
"""

from __future__ import annotations

import json
import os
import time
import urllib.request

import polars as pl

from benchmarks.linkers import LinkResult
from matching.blocking import PER_RECORD
from matching.linker import MATCH, Linker
from matching.prepare import Fields
from rfl.records import COLUMNS
from rfl.schema import fields_with, with_domain_flags
from rfl.search import prior_model


def engine_inputs(left: pl.DataFrame, right: pl.DataFrame | None
                  ) -> tuple[Fields, pl.DataFrame, pl.DataFrame | None]:
    """The fields the engine compares and both sides as it reads them (with RFL's domain flags):
    what the bench's rfl linker links, and what its blocking report blocks."""
    shared = [c for c in left.columns
              if c not in COLUMNS and not c.startswith("_") and (right is None or c in right.columns)]
    left, right = with_domain_flags(left), None if right is None else with_domain_flags(right)
    return fields_with(tuple(shared)), left, right


class RflLinker:
    """`figures` gives the seconds each stage of the link took (Linker's progress stages), so a
    speed change can be placed without a profiler."""

    name = "rfl"

    def link(self, left: pl.DataFrame, right: pl.DataFrame | None) -> LinkResult:
        fields, left, right = engine_inputs(left, right)
        starts: dict[str, float] = {}
        linker = Linker(fields, progress=lambda stage, done, total: starts.setdefault(stage, time.perf_counter()),
                        prior=prior_model(fields))
        pairs = linker.link(left, right, evidence=False)  # every candidate's probability, nothing else
        marks = [*starts.values(), time.perf_counter()]
        self.figures = {"stage_seconds": {stage: round(end - start, 1)
                                          for stage, start, end in zip(starts, marks, marks[1:])},
                        "shipped_model": linker.fell_back}  # too few records to learn from: scored with it
        self.model = linker.model  # the learnt model, for `rfl bench --report`'s weights
        return LinkResult(pairs=pairs.select("left_id", "right_id", "probability"), threshold=MATCH,
                          clusters=linker.clusters)


class SparkLinker:
    """The same engine on Spark (`rfl link --engine spark`), learning its model from a sample
    on the driver as that command does; every candidate an enquiry keeps, like the rfl linker.
    The master comes from RFL_SPARK_MASTER (default local[*]). `figures` says how many bytes
    the shuffles wrote, read from Spark's own stage statistics."""

    name = "rfl-spark"

    def link(self, left: pl.DataFrame, right: pl.DataFrame | None) -> LinkResult:
        from rfl.spark import pipeline, session

        if right is None:
            raise ValueError("the Spark engine links two files")
        fields, left, right = engine_inputs(left, right)
        spark = session.start(os.environ.get("RFL_SPARK_MASTER"), {}, quiet=True)
        spark.conf.set("spark.sql.shuffle.partitions", pipeline.partitions(spark, left.height))
        out, self.model, _ = pipeline.link(spark, left, right, fields, None, prior_model(fields), top=PER_RECORD,
                                            min_probability=0.0)
        pairs = pl.from_arrow(out.select(out.enquiry_id.alias("left_id"), out.found_id.alias("right_id"),
                                         "probability").toArrow())
        self.figures = {"shuffle_written_mb": shuffle_written_mb(spark)}
        return LinkResult(pairs=pairs, threshold=MATCH)


def shuffle_written_mb(spark) -> float:
    """MiB the application's shuffles wrote, from Spark's monitoring API (its web UI's)."""
    context = spark.sparkContext
    address = f"{context.uiWebUrl}/api/v1/applications/{context.applicationId}/stages"
    with urllib.request.urlopen(address) as answer:  # noqa: S310 - this process's own Spark UI
        return sum(stage["shuffleWriteBytes"] for stage in json.load(answer)) / 2**20
