"""Match-quality figures for one linker's scored candidate pairs against the true pairs.

Everything is computed on polars frames with two id columns, `left_id` and `right_id`, so a
million candidate pairs cost a join and a few group-bys, not a Python loop. The same rules hold
for linking (left against right) and for deduplication (one file against itself): in the
latter a pair is unordered, so both the candidates and the truth are put in canonical order
(`left_id < right_id`) before they meet.

Figures that have no meaning on the data at hand (precision when nothing was predicted, recall
when there are no true pairs) are `None`, never a made-up 0 or 1.
"""

from __future__ import annotations

import numpy as np
import polars as pl

ID_COLUMNS = ("left_id", "right_id")
CALIBRATION_BINS = 10
CALIBRATION_MIN_PAIRS = 50  # bins with fewer pairs say too little for their gap to count (issue 9)
CHANCE_LEVEL, CHANCE_DRAWS = 0.95, 4_000  # `calibration_chance`: the worst gap a calibrated linker stays under 19 times in 20
RANK_K = 5


def canonical_pairs(pairs: pl.DataFrame, dedupe: bool) -> pl.DataFrame:
    """Ids as text, one row per pair (its highest probability), unordered pairs sorted in dedupe.

    Linkers are outside code; this makes their output comparable with the truth whatever order
    or repetition they produce.
    """
    pairs = pairs.select(
        pl.col("left_id").cast(pl.Utf8),
        pl.col("right_id").cast(pl.Utf8),
        pl.col("probability").cast(pl.Float64).fill_nan(None).fill_null(0.0),
    )
    if dedupe:
        pairs = pairs.filter(pl.col("left_id") != pl.col("right_id")).select(
            pl.min_horizontal("left_id", "right_id").alias("left_id"),
            pl.max_horizontal("left_id", "right_id").alias("right_id"),
            "probability",
        )
    return pairs.group_by(ID_COLUMNS).agg(pl.col("probability").max())


def canonical_truth(truth: pl.DataFrame, dedupe: bool) -> pl.DataFrame:
    """The true pairs as unique (left_id, right_id) text pairs, sorted within a pair in dedupe."""
    return canonical_pairs(truth.select(*ID_COLUMNS, pl.lit(1.0).alias("probability")), dedupe).select(ID_COLUMNS)


def possible_pairs(n_left: int, n_right: int | None) -> int:
    """Every pair a linker could have compared: left × right, or n(n−1)/2 within one file."""
    return n_left * n_right if n_right is not None else n_left * (n_left - 1) // 2


def label(pairs: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    """Canonical candidate pairs with a boolean `is_match` taken from canonical truth."""
    marked = truth.with_columns(pl.lit(True).alias("is_match"))
    return pairs.join(marked, on=list(ID_COLUMNS), how="left").with_columns(pl.col("is_match").fill_null(False))


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def blocking(labelled: pl.DataFrame, n_truth: int, n_possible: int) -> dict:
    """How many pairs the linker looked at, and what share of the true pairs were among them."""
    candidates = labelled.height
    found = int(labelled["is_match"].sum())
    return {
        "candidate_pairs": candidates,
        "pairs_completeness": _ratio(found, n_truth),
        "reduction_ratio": 1 - candidates / n_possible if n_possible else None,
    }


def at_threshold(labelled: pl.DataFrame, n_truth: int, threshold: float) -> dict:
    """Precision, recall and F1 when pairs with probability >= threshold are called matches.

    F1 is written 2·TP / (predicted + true), which equals the harmonic mean where both are
    defined and stays defined (as 0) when a linker predicts pairs on data without truth.
    """
    predicted = labelled.filter(pl.col("probability") >= threshold)
    tp = int(predicted["is_match"].sum())
    return {
        "threshold": threshold,
        "predicted_matches": predicted.height,
        "true_positives": tp,
        "precision": _ratio(tp, predicted.height),
        "recall": _ratio(tp, n_truth),
        "f1": _ratio(2 * tp, predicted.height + n_truth),
    }


def best_f1(labelled: pl.DataFrame, n_truth: int) -> dict:
    """The highest F1 over all thresholds, and the lowest probability that reaches it.

    Each distinct probability is a candidate threshold; cumulative counts from the top give
    every threshold's TP and predictions in one pass. Undefined without true pairs.
    """
    if n_truth == 0:
        return {"best_f1": None, "best_threshold": None}
    if labelled.height == 0:
        return {"best_f1": 0.0, "best_threshold": None}
    curve = (
        labelled.group_by("probability")
        .agg(pl.len().alias("n"), pl.col("is_match").sum().alias("tp"))
        .sort("probability", descending=True)
        .with_columns(pl.col("n").cum_sum(), pl.col("tp").cum_sum())
        .with_columns((2 * pl.col("tp") / (pl.col("n") + n_truth)).alias("f1"))
    )
    best = curve.sort(["f1", "probability"], descending=[True, False]).row(0, named=True)
    return {"best_f1": best["f1"], "best_threshold": best["probability"]}


def recall_at_k(labelled: pl.DataFrame, truth: pl.DataFrame, dedupe: bool, k: int = RANK_K) -> float | None:
    """Share of records with a true partner that find one among their k best-scored candidates.

    The record is the left one in linking; in deduplication every record ranks its candidates
    on either side of a pair. Ties count against the linker: a candidate's rank is the number of
    that record's candidates scoring at least as high, so a linker that gives 50 candidates the
    same score cannot claim any of them is in its top 5.
    """
    def directed(frame: pl.DataFrame) -> pl.DataFrame:
        if not dedupe:
            return frame
        swapped = frame.rename({"left_id": "right_id", "right_id": "left_id"}).select(frame.columns)
        return pl.concat([frame, swapped])

    sought = directed(truth).select("left_id").unique()
    if sought.height == 0:
        return None
    hits = (
        directed(labelled)
        .with_columns(pl.col("probability").rank(method="max", descending=True).over("left_id").alias("rank"))
        .filter(pl.col("is_match") & (pl.col("rank") <= k))
        .select("left_id")
        .unique()
    )
    return hits.height / sought.height


def calibration(labelled: pl.DataFrame, bins: int = CALIBRATION_BINS) -> list[dict]:
    """Predicted against observed match rate per probability bin (equal width, 1.0 in the top bin).

    A calibrated linker's pairs scored about 0.7 are true about 70% of the time; empty bins
    are left out. `chance_sd`: how far a calibrated linker's observed rate strays from the mean
    probability by chance alone (each pair true with its own probability): sqrt(sum p(1-p)) / pairs.
    """
    table = (
        labelled.with_columns((pl.col("probability") * bins).floor().clip(0, bins - 1).cast(pl.Int64).alias("bin"))
        .group_by("bin")
        .agg(
            pl.len().alias("pairs"),
            pl.col("probability").mean().alias("mean_probability"),
            pl.col("is_match").mean().alias("observed_rate"),
            (pl.col("probability") * (1 - pl.col("probability"))).sum().sqrt().alias("spread"),
        )
        .sort("bin")
    )
    return [
        {"low": row["bin"] / bins, "high": (row["bin"] + 1) / bins, "pairs": row["pairs"],
         "mean_probability": row["mean_probability"], "observed_rate": row["observed_rate"],
         "chance_sd": row["spread"] / row["pairs"]}
        for row in table.iter_rows(named=True)
    ]


def calibration_gap(bins: list[dict], min_pairs: int = CALIBRATION_MIN_PAIRS) -> float | None:
    """The largest distance between observed rate and mean probability over the `calibration`
    bins holding at least `min_pairs` pairs; None where no bin holds that many."""
    gaps = [abs(b["observed_rate"] - b["mean_probability"]) for b in bins if b["pairs"] >= min_pairs]
    return max(gaps) if gaps else None


def calibration_chance(bins: list[dict], min_pairs: int = CALIBRATION_MIN_PAIRS) -> float | None:
    """The worst gap (`calibration_gap`) that a calibrated linker, scoring these bins' pairs as
    they were scored, stays under CHANCE_LEVEL of the time: each bin's observed rate drawn
    about its mean probability with its `chance_sd` (normal, as bins of 50 pairs or more allow).
    A bin of 50 pairs near 0.5 strays 0.07 at one standard deviation, so ten such bins make a
    worst gap above 0.1 likely from noise alone; a gap beyond this figure is the linker's own.
    Seeded, so a report is reproducible."""
    sd = np.array([b["chance_sd"] for b in bins if b["pairs"] >= min_pairs])
    if not len(sd):
        return None
    draws = np.abs(np.random.default_rng(0).standard_normal((CHANCE_DRAWS, len(sd))) * sd).max(axis=1)
    return float(np.quantile(draws, CHANCE_LEVEL))


def evaluate(pairs: pl.DataFrame, threshold: float, truth: pl.DataFrame, n_left: int, n_right: int | None) -> dict:
    """All quality figures for one linker's output; `n_right` None means deduplication."""
    dedupe = n_right is None
    truth = canonical_truth(truth, dedupe)
    labelled = label(canonical_pairs(pairs, dedupe), truth)
    n_truth = truth.height
    return {
        "true_pairs": n_truth,
        **blocking(labelled, n_truth, possible_pairs(n_left, n_right)),
        **at_threshold(labelled, n_truth, threshold),
        **best_f1(labelled, n_truth),
        f"recall_at_{RANK_K}": recall_at_k(labelled, truth, dedupe),
        "calibration": calibration(labelled),
    }


def by_group(pairs: pl.DataFrame, threshold: float, truth: pl.DataFrame, groups: pl.DataFrame,
             n_right: int | None) -> list[dict]:
    """The figures of `evaluate` for each group of left records (`groups`: left_id, group, e.g.
    each enquiry's population), one dict per group in name order, with the calibration of the
    group's own pairs: a model can be calibrated over all pairs and not within a population.

    A candidate pair counts for its left record's group, so the groups' candidates, true pairs,
    predictions and true positives add up to the totals. In deduplication (`n_right` None) a
    pair counts for the first of its two ids; a true pair's two records are one person, so of
    one group, and a record's rank among its candidates is taken over all of them, whichever
    side of a pair it is on."""
    dedupe = n_right is None
    truth = canonical_truth(truth, dedupe)
    labelled = label(canonical_pairs(pairs, dedupe), truth)

    def grouped(frame: pl.DataFrame, on: str = "left_id") -> pl.DataFrame:
        return frame.join(groups.rename({"left_id": on, "group": f"group_{on}"}), on=on, how="left").with_columns(
            pl.col(f"group_{on}").fill_null("?"))

    labelled, truth = grouped(grouped(labelled), "right_id"), grouped(truth)
    records = groups.group_by("group").len()
    names = sorted(set(records["group"].to_list()) | set(truth["group_left_id"].to_list()))
    out = []
    for name in names:
        mine = labelled.filter(pl.col("group_left_id") == name)
        sought = truth.filter(pl.col("group_left_id") == name).select(ID_COLUMNS)
        ranked = labelled.filter((pl.col("group_left_id") == name) | (pl.col("group_right_id") == name)) \
            if dedupe else mine
        n_truth = sought.height
        row = at_threshold(mine, n_truth, threshold)
        out.append({
            "population": name,
            "left_records": int(records.filter(pl.col("group") == name)["len"].sum()),
            "true_pairs": n_truth,
            "candidate_pairs": mine.height,
            "pairs_completeness": _ratio(int(mine["is_match"].sum()), n_truth),
            **{k: row[k] for k in ("predicted_matches", "true_positives", "precision", "recall", "f1")},
            f"recall_at_{RANK_K}": recall_at_k(ranked.select(*ID_COLUMNS, "probability", "is_match"), sought, dedupe),
            "calibration": calibration(mine),
        })
    return out


def cluster_figures(clusters: pl.DataFrame, truth: pl.DataFrame) -> dict:
    """How pure a linker's groups within one file are (`clusters`: record_id, cluster; `truth`:
    the true pairs): groups of two or more records, how many hold more than one person (some two
    of their records are no true pair), how many of those have three records or more (a chain of
    namesakes or relatives), the largest group, and precision, recall and F1 of the pairs the
    groups imply."""
    truth = canonical_truth(truth, dedupe=True)
    members = clusters.select(pl.col("record_id").cast(pl.Utf8), "cluster")
    implied = members.join(members, on="cluster", suffix="_b").filter(pl.col("record_id") < pl.col("record_id_b"))
    implied = label(implied.select("cluster", pl.col("record_id").alias("left_id"),
                                   pl.col("record_id_b").alias("right_id")), truth)
    groups = members.group_by("cluster").len().join(
        implied.group_by("cluster").agg(pl.col("is_match").all().alias("pure")), on="cluster", how="left")
    mixed = groups.filter(~pl.col("pure"))
    tp = int(implied["is_match"].sum())
    return {"clusters": groups.height, "mixed_clusters": mixed.height,
            "mixed_clusters_of_3_or_more": mixed.filter(pl.col("len") >= 3).height,
            "largest_cluster": int(groups["len"].max()) if groups.height else 0,
            "cluster_precision": _ratio(tp, implied.height), "cluster_recall": _ratio(tp, truth.height),
            "cluster_f1": _ratio(2 * tp, implied.height + truth.height)}
