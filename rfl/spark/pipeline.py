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

from matching.linker import Linker, placeholders_read
from matching.model import Model
from matching.prepare import Fields
from rfl.records import write_table
from rfl.spark import tasks
from rfl.spark.tasks import LEFT, RIGHT, ROW

# Enquiries blocked and scored by one task. Its memory is the postings their keys reach and
# their candidates' records; a found record in the candidates of several groups is prepared
# once in each, so fewer, larger groups repeat less work (at 20,000 x 100,000, groups of 2,000
# spent 165 s of task time scoring, most of it preparing the same found records again). At
# 1,000,000 x 5,000,000 on 24 GB, a worker scoring a group of 10,000 (600,000 pairs, each then
# carrying both records' fields) reached 8.7 GB beside the broadcast found side, and two of them
# did not fit. Pairs now travel as row numbers, each record's fields once per group.
GROUP = 5_000
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

    groups = max(1, -(-left.height // GROUP))
    group = (F.col("l") % groups).alias("_group")
    fields = placeholders_read(fields, model, [left, right])  # before blocking reads any date

    def by_enquiry(frame, task, schema: pa.Schema):
        """`task` on each group of about GROUP enquiries' rows."""
        def whole_group(table: pa.Table) -> pa.Table:  # the hints tell Spark which API this is
            return task(table)

        return frame.withColumn("_group", group).groupBy("_group").applyInArrow(whole_group, from_arrow_schema(schema))

    left, right = _numbered(left), _numbered(right)
    enquiries, found = _to_spark(spark, left, fields), _to_spark(spark, right, fields)
    found_keys = found.mapInArrow(partial(tasks.record_keys, fields=fields, side="r"),
                                  from_arrow_schema(tasks.key_schema("r")))
    # Each key once, with how many found records hold it and which: a group of enquiries then
    # meets a key's postings as one row, not one row per posting (at 1,000,000 x 5,000,000 a
    # group of 5,000 reaches some 45 million postings through some hundred thousand keys).
    postings = (found_keys.groupBy("key").agg(F.count("*").alias("n"), F.collect_list("r").alias("rows"))
                .persist(StorageLevel.MEMORY_AND_DISK))  # counted, then joined
    enquiry_keys = enquiries.mapInArrow(partial(tasks.record_keys, fields=fields, side="l"),
                                        from_arrow_schema(tasks.key_schema("l")))
    held = enquiry_keys.join(postings.select("key", "n"), "key")
    spent = by_enquiry(held.filter("blocks").drop("blocks"), tasks.budget, tasks.HELD)
    # Per group of enquiries: each key's holders (`n`), and for the keys the group spends its
    # budgets on the found records holding them (`rows`), once however many of its enquiries
    # hold the key. Two kinds of row side by side, not joined: a join on group and key would
    # shuffle the postings once more (24 GB at 1,000,000 x 5,000,000).
    reached = (held.select(group, "key", "n").distinct().withColumn("rows", F.lit(None).cast("array<bigint>"))
               .unionByName(spent.select(group, "key").distinct().join(postings.select("key", "rows"), "key")
                            .withColumn("n", F.lit(None).cast("long"))))
    shared = spark.sparkContext.broadcast(_found(found, fields))

    def shortlisted(keys: pa.Table, records: pa.Table) -> pa.Table:
        return tasks.shortlisted(keys, records, fields, shared.value)

    candidates = (reached.groupBy("_group")
                  .cogroup(enquiries.withColumn("_group", F.col(ROW) % groups).groupBy("_group"))
                  .applyInArrow(shortlisted, from_arrow_schema(tasks.CANDIDATES))
                  .persist(StorageLevel.MEMORY_AND_DISK))
    fell_back = False
    if model is None:
        model, fell_back = _learn(spark, left, right, candidates, fields, prior, seed)
    out = tasks.output_schema([c.name for c in model.comparisons])

    def scored(pairs: pa.Table, records: pa.Table) -> pa.Table:
        return tasks.scored(pairs, records, fields, model, shared.value, top, min_probability, out)

    # Pairs travel as row numbers. Each group's enquiries meet, once each, the found records
    # its candidates name, so a record's fields are not copied beside every pair it is in.
    needed = candidates.select(group, "r").distinct().join(_prefixed(found, "r", RIGHT), "r")
    records = (_prefixed(enquiries, "l", LEFT).withColumn("_group", group)
               .unionByName(needed, allowMissingColumns=True))
    return (candidates.withColumn("_group", group).groupBy("_group").cogroup(records.groupBy("_group"))
            .applyInArrow(scored, from_arrow_schema(out))), model, fell_back


def _found(found, fields: Fields) -> tasks.Found:
    """The found side's fields as blocking asks them, gathered to be sent to every executor."""
    from pyspark.sql.pandas.types import from_arrow_schema

    schema = tasks.found_schema(len(fields.exact), len(fields.fuzzy))
    table = found.mapInArrow(partial(tasks.found_fields, fields=fields), from_arrow_schema(schema)).toArrow()
    return tasks.Found(table, len(fields.exact), len(fields.fuzzy))


def partitions(spark, enquiries: int) -> int:
    """Shuffle partitions for a run: one a group of enquiries, and at least two for each task
    slot. Spark's 200 would make a small run start thousands of near-empty Python tasks."""
    return max(2 * spark.sparkContext.defaultParallelism, -(-enquiries // GROUP))


def _numbered(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias(ROW))


def _to_spark(spark, frame: pl.DataFrame, fields: Fields):
    """The columns the matching reads, as text, with each record's place in its file."""
    columns = [c for c in fields.columns() if c in frame.columns]
    table = frame.select(ROW, *columns).to_arrow()
    return spark.createDataFrame(table.cast(pa.schema([(ROW, pa.int64()), *((c, pa.string()) for c in columns)])))


def _prefixed(records, row: str, prefix: str):
    return records.select(records[ROW].alias(row), *(records[c].alias(prefix + c) for c in records.columns if c != ROW))


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
    linker.link(left.drop(ROW), right.drop(ROW), top=0)  # the model is wanted, not the sample's pairs
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
