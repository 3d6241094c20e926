"""Pairs completeness of the rfl engine's blocking before and after its per-record cut
(`rfl bench --blocking`), overall and per population.

Blocking (`matching.blocking.candidates`) works in two steps: each left record reaches the rows
that share its rarest keys until a budget of distinct rows is reached (`budget`), then keeps its
best `per_record` candidates (`matching.shortlist`). A true pair can be lost at either step; the linker's own
pairs completeness (the bench's PC) only shows what is left after both. Here blocking is run
again, exactly as `matching.linker.Linker._candidates` runs it (the same fields, vocabulary,
index and keys, a slice of left records at a time), once with no per-record limit and once with
the linker's, and each pass is counted against the truth. This costs a second blocking pass,
hence the flag.

Memory stays bounded: a slice of SLICE left records at a time, and only counts are kept, never
the pairs. Nothing here prints or returns a record's content.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from benchmarks.datasets import BenchData
from benchmarks.engine import engine_inputs
from matching import blocking, shortlist
from matching.index import Index
from matching.linker import Linker, placeholders_read
from matching.prepare import prepare

SLICE = 2_000  # left records blocked at once: at most SLICE x budget pairs before the cut
UNLIMITED = 1 << 40  # a per-record limit no record reaches (the budget bounds its pairs first)
STAGES = ("reached", "kept")  # within the budget, no per-record limit; after the per-record cut


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _pair_ids(cand: pl.DataFrame, left_ids: pl.Series, right_ids: pl.Series, dedupe: bool) -> pl.DataFrame:
    pairs = pl.DataFrame({"left_id": left_ids.gather(cand["l"].cast(pl.Int64)),
                          "right_id": right_ids.gather(cand["r"].cast(pl.Int64))})
    if dedupe:  # the truth of one file holds each pair once, its ids in order
        pairs = pairs.select(pl.min_horizontal("left_id", "right_id").alias("left_id"),
                             pl.max_horizontal("left_id", "right_id").alias("right_id"))
    return pairs


def blocking_report(data: BenchData, budget: int = blocking.BUDGET, per_record: int = blocking.PER_RECORD,
                    slice_size: int = SLICE, progress: Callable[[str], None] | None = None) -> dict:
    """Candidate pairs and pairs completeness of the engine's blocking, within its budget and
    after the per-record cut: overall, and per population where the data set has populations.

    A pair's population is its left record's (`data.groups`); in deduplication both records of
    a true pair are one person, so of one population."""
    say = progress or (lambda _message: None)
    dedupe = data.dedupe
    fields, left, right = engine_inputs(data.left, data.right)
    fields = placeholders_read(fields, None, [left] if dedupe else [left, right])  # as a linker reads them
    vocab = Linker(fields).vocab  # as the linker builds it: its vocabulary, left side prepared first
    lp = prepare(left, fields, vocab)
    index = Index(vocab)
    index.add(lp if dedupe else prepare(right, fields, vocab))
    keys = blocking.record_keys(lp, vocab)
    contradictions = shortlist.contradiction_bits(fields)
    left_ids = pl.Series(lp.ids, dtype=pl.Utf8)
    right_ids = pl.Series(index.data.ids, dtype=pl.Utf8)
    groups = data.groups_frame()
    truth = data.truth.join(groups, on="left_id", how="left").with_columns(pl.col("group").fill_null("?"))
    marked = truth.select("left_id", "right_id", "group", pl.lit(True).alias("true"))

    tallies = []  # (stage, group, candidates, true pairs found), per slice
    for start in range(0, len(lp), slice_size):
        part = keys.filter(pl.col("row").is_between(start, start + slice_size - 1))
        for stage, limit in zip(STAGES, (UNLIMITED, per_record)):
            cand = blocking.candidates(part, lp, index, contradictions, dedupe, budget=budget, per_record=limit)
            pairs = _pair_ids(cand, left_ids, right_ids, dedupe)
            counted = (
                pairs.join(marked, on=["left_id", "right_id"], how="left")
                .drop("group")
                .join(groups, on="left_id", how="left")  # every candidate pair counts for its left record's
                .group_by(pl.col("group").fill_null("?"))
                .agg(pl.len().alias("candidates"), pl.col("true").sum().alias("found"))
                .with_columns(pl.lit(stage).alias("stage"))
            )
            tallies.append(counted)
        say(f"blocking report: {min(start + slice_size, len(lp)):,} of {len(lp):,} left records")
        del part

    totals = (pl.concat(tallies).group_by("stage", "group").agg(pl.col("candidates", "found").sum())
              if tallies else pl.DataFrame(schema={"stage": pl.Utf8, "group": pl.Utf8,
                                                   "candidates": pl.Int64, "found": pl.Int64}))
    true_per_group = dict(truth.group_by("group").len().iter_rows())
    left_per_group = dict(groups.group_by("group").len().iter_rows()) if data.groups is not None else {}

    def figures(rows: pl.DataFrame, n_truth: int) -> dict:
        out = {}
        for stage in STAGES:
            mine = rows.filter(pl.col("stage") == stage)
            found = int(mine["found"].sum())
            out[f"candidates_{stage}"] = int(mine["candidates"].sum())
            out[f"true_pairs_{stage}"] = found
            out[f"pc_{stage}"] = _ratio(found, n_truth)
        return out

    report = {"budget": budget, "per_record": per_record,
              "left_records": data.left.height, "true_pairs": truth.height,
              **figures(totals, truth.height), "by_population": None}
    if data.groups is not None:
        report["by_population"] = [
            {"population": name, "left_records": left_per_group.get(name, 0),
             "true_pairs": true_per_group.get(name, 0),
             **figures(totals.filter(pl.col("group") == name), true_per_group.get(name, 0))}
            for name in sorted(set(left_per_group) | set(true_per_group))
        ]
    return report


def check_consistent(report: dict) -> None:
    """The figures' own arithmetic (a test helper, and a guard for anyone changing this file)."""
    rows = report["by_population"] or []
    for row in [report, *rows]:
        assert row["true_pairs_kept"] <= row["true_pairs_reached"] <= row["true_pairs"]
        assert row["candidates_kept"] <= row["candidates_reached"]
    if rows:
        for key in ("true_pairs", "true_pairs_reached", "true_pairs_kept", "candidates_reached", "candidates_kept"):
            assert sum(r[key] for r in rows) == report[key], key
