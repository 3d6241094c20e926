"""The Spark plan of `rfl link --engine spark`: which tables are joined and grouped, where the
model is learnt, and where the result goes.

Records arrive checked and held to the code of conduct on the driver (rfl.link does that for
either engine) and are numbered by their place in their file, as the local engine numbers its
rows, so ties fall alike. Everything after that runs in Spark tasks (rfl.spark.tasks) except
learning: the model is learnt on the driver by the local engine from a sample (or given).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa

from matching.linker import Linker
from matching.model import Model
from matching.prepare import Fields
from rfl.records import write_table
from rfl.spark import tasks
from rfl.spark.tasks import LEFT, RIGHT, ROW

GROUP = 2_000  # enquiries blocked and scored by one task: its memory is their postings (~1,000 each)
# Learning on the driver: at most this many enquiries, each with its best LEARN_CANDIDATES
# candidates' found records, among at most LEARN_FOUND other found records drawn at random.
# Files within both limits are learnt from whole, as the local engine learns from them.
LEARN_ENQUIRIES, LEARN_FOUND, LEARN_CANDIDATES = 20_000, 100_000, 10


def link(spark, left: pl.DataFrame, right: pl.DataFrame, fields: Fields, model: Model | None,
         prior: Model | None, top: int, min_probability: float, seed: int = 0):
    """(what `rfl link` writes, as a Spark DataFrame; the model; whether it fell back on
    `prior`) for enquiries `left` and found records `right`."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    def by_enquiry(frame, task, schema: pa.Schema):
        """`task` on each group of about GROUP enquiries' rows."""
        groups = max(1, -(-left.height // GROUP))

        def whole_group(table: pa.Table) -> pa.Table:  # the hints tell Spark which API this is
            return task(table)

        return (frame.withColumn("_group", F.col("l") % groups).groupBy("_group")
                .applyInArrow(whole_group, from_arrow_schema(schema)))

    n_codes = len(fields.exact)
    left, right = _numbered(left), _numbered(right)
    enquiries, found = _to_spark(spark, left, fields), _to_spark(spark, right, fields)
    found_keys = (found.mapInArrow(partial(tasks.record_keys, fields=fields, side="r"),
                                   from_arrow_schema(tasks.key_schema("r", n_codes)))
                  .persist(StorageLevel.MEMORY_AND_DISK))  # counted, then joined
    enquiry_keys = enquiries.mapInArrow(partial(tasks.record_keys, fields=fields, side="l"),
                                        from_arrow_schema(tasks.key_schema("l", n_codes)))
    holders = found_keys.groupBy("key").agg(F.count("*").alias("n"))
    budget = tasks.budget_schema(n_codes)
    spent = by_enquiry(enquiry_keys.join(holders, "key"), partial(tasks.budget, schema=budget), budget)
    # Every (enquiry, key, found record) the budget reaches, summed into one row a pair, which
    # keeps both records' attributes (each the same on every row of the pair).
    attributes = ["t", *(name for name, _ in tasks.attribute_fields("l", n_codes) + tasks.attribute_fields("r", n_codes))]
    pairs = (spent.join(found_keys, "key").groupBy("l", "r")
             .agg(F.sum("w").alias("w"), *(F.first(c).alias(c) for c in attributes)))
    candidates = by_enquiry(pairs, partial(tasks.best, n_codes=n_codes), tasks.CANDIDATES
                            ).persist(StorageLevel.MEMORY_AND_DISK)
    fell_back = False
    if model is None:
        model, fell_back = _learn(spark, left, right, candidates, fields, prior, seed)
    counts = spark.sparkContext.broadcast(_name_counts(found, fields))
    total = right.height
    out = tasks.output_schema([c.name for c in model.comparisons])

    def scored(table: pa.Table) -> pa.Table:
        return tasks.scored(table, fields, model, counts.value, total, top, min_probability, out)

    pairs = candidates.join(_prefixed(enquiries, "l", LEFT), "l").join(_prefixed(found, "r", RIGHT), "r")
    return by_enquiry(pairs, scored, out), model, fell_back


def partitions(spark, enquiries: int) -> int:
    """Shuffle partitions for a run: one a group of enquiries, and at least two for each task
    slot. Spark's 200 would make a small run start thousands of near-empty Python tasks."""
    return max(2 * spark.sparkContext.defaultParallelism, -(-enquiries // GROUP))


def _numbered(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias(ROW))


def _to_spark(spark, frame: pl.DataFrame, fields: Fields):
    """The columns the matching reads, as text, with each record's place in its file."""
    wanted = [fields.id, fields.identity, fields.given, fields.family, fields.father, fields.mother,
              fields.aliases, fields.birth_date, fields.age, fields.recorded_on, fields.calendar, fields.chain,
              *fields.exact, *fields.fuzzy]
    columns = list(dict.fromkeys(c for c in wanted if c is not None and c in frame.columns))
    table = frame.select(ROW, *columns).to_arrow()
    return spark.createDataFrame(table.cast(pa.schema([(ROW, pa.int64()), *((c, pa.string()) for c in columns)])))


def _prefixed(records, row: str, prefix: str):
    return records.select(records[ROW].alias(row), *(records[c].alias(prefix + c) for c in records.columns if c != ROW))


def _name_counts(found, fields: Fields) -> dict[str, int]:
    """How many found records hold each name (by primary phonetic key), over the whole side."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    schema = pa.schema([("name", pa.string()), ("holders", pa.int64())])
    counts = (found.mapInArrow(partial(tasks.name_counts, fields=fields), from_arrow_schema(schema))
              .groupBy("name").agg(F.sum("holders").alias("holders")).toArrow())
    return dict(zip(counts["name"].to_pylist(), counts["holders"].to_pylist()))


def _learn(spark, left: pl.DataFrame, right: pl.DataFrame, candidates, fields: Fields, prior: Model | None,
           seed: int) -> tuple[Model, bool]:
    """A model learnt on the driver by the local engine, from the whole files where they are
    small enough (then it is the model `rfl link` learns), else from a sample: enquiries drawn
    at random, the found records among their best candidates (so the sample holds people found
    twice, for EM to learn from) and found records drawn at random (for u)."""
    from pyspark.sql import functions as F

    if left.height > LEARN_ENQUIRIES or right.height > LEARN_FOUND:
        left = left.sample(min(left.height, LEARN_ENQUIRIES), seed=seed).sort(ROW)
        chosen = spark.createDataFrame(pa.table({"l": left[ROW].to_numpy()}))
        reached = (candidates.filter(F.col("order") < LEARN_CANDIDATES).join(F.broadcast(chosen), "l")
                   .select("r").distinct().toArrow()["r"].to_numpy())
        drawn = np.random.default_rng(seed).choice(right.height, min(right.height, LEARN_FOUND), replace=False)
        right = right.filter(pl.col(ROW).is_in(np.union1d(reached, drawn)))  # ROW is the position
    linker = Linker(fields, seed=seed, prior=prior)
    linker.link(left.drop(ROW), right.drop(ROW))
    return linker.model, linker.fell_back


def write(out, path: str) -> pl.DataFrame:
    """Write `rfl link`'s output: a path without a file type is a folder of Parquet files,
    written by the executors; a file is gathered on the driver and written as rfl link writes
    it, enquiry by enquiry, best candidate first. Returns how many pairs of each decision."""
    from pyspark.sql import functions as F

    if Path(path).suffix:
        frame = pl.from_arrow(out.toArrow()).sort("enquiry_id", "rank")
        write_table(frame, path)
        return frame.group_by("decision").len()
    out.write.parquet(path)
    written = out.sparkSession.read.parquet(path).groupBy("decision").agg(F.count("*").alias("len"))
    return pl.from_arrow(written.toArrow())
