"""`rfl bench --report`: the bench's figures drawn for a reader, in one offline HTML file.

What is drawn comes from each linker's scored pairs against the true pairs, computed with the
same canonical pairs and labels as the figures of `benchmarks.metrics`; populations are the
sought person's nationality and the enquiring society, taken from the left records (codes,
never names). The page itself is built by `rfl.report`.
"""

from __future__ import annotations

import polars as pl

from benchmarks.datasets import BenchData
from benchmarks.metrics import RANK_K, canonical_pairs, canonical_truth, label
from rfl import report

POPULATIONS = (("nationality", "nationality of the sought person"), ("society", "enquiring society"))


def series_of(pairs: pl.DataFrame, data: BenchData, threshold: float) -> dict:
    """What the report draws for one linker: its curve, probabilities and figures per population."""
    truth = canonical_truth(data.truth, data.dedupe)
    labelled = label(canonical_pairs(pairs, data.dedupe), truth)
    return {
        "curve": report.pr_curve(labelled, truth.height),
        "probabilities": labelled["probability"].to_numpy(),
        "is_match": labelled["is_match"].to_numpy(),
        "populations": {column: populations(labelled, truth, data.left, column, threshold)
                        for column, _ in POPULATIONS if column in data.left.columns},
    }


def populations(labelled: pl.DataFrame, truth: pl.DataFrame, left: pl.DataFrame, column: str,
                threshold: float) -> list[list]:
    """Per value of `column` of the left record: records, true pairs, pairs completeness,
    precision and recall at the linker's threshold; biggest groups first."""
    groups = left.select(pl.col("record_id").cast(pl.Utf8).alias("left_id"),
                         pl.col(column).fill_null("unknown").alias("group"))
    scored = labelled.join(groups, on="left_id", how="inner")
    true = truth.join(groups, on="left_id", how="inner").group_by("group").agg(pl.len().alias("true_pairs"))
    found = scored.group_by("group").agg(
        pl.col("is_match").sum().alias("found"),
        (pl.col("probability") >= threshold).sum().alias("predicted"),
        (pl.col("is_match") & (pl.col("probability") >= threshold)).sum().alias("tp"))
    table = (groups.group_by("group").agg(pl.len().alias("records"))
             .join(true, on="group", how="left").join(found, on="group", how="left").fill_null(0)
             .sort(["true_pairs", "records"], descending=True))

    def ratio(a: int, b: int) -> float | None:
        return a / b if b else None

    return [[r["group"], r["records"], r["true_pairs"], ratio(r["found"], r["true_pairs"]),
             ratio(r["tp"], r["predicted"]), ratio(r["tp"], r["true_pairs"])] for r in table.iter_rows(named=True)]


def bench_report(figures: dict, series: dict[str, dict]) -> str:
    """The HTML document of one bench run: `figures` as `rfl bench --json` writes them."""
    d = figures["data"]
    ran = [r for r in figures["results"] if "seconds" in r]
    sizes = f"{d['left_records']:,}" + ("" if d["right_records"] is None else f" × {d['right_records']:,}")
    facts = [("command", figures["command"]), ("data", f"{d['name']}: {d['mode']}, {sizes} records, "
                                                        f"{d['true_pairs']:,} true pairs"),
             ("commit", figures.get("commit") or "unknown")]
    summary = report.table(
        ["linker", "candidates", "pairs completeness", "precision", "recall", "F1", "best F1", f"recall@{RANK_K}",
         "seconds"],
        [[r["linker"], r["candidate_pairs"], r["pairs_completeness"], r["precision"], r["recall"], r["f1"],
          r["best_f1"], r[f"recall_at_{RANK_K}"], r["seconds"]] for r in ran],
        "at each linker's own threshold")
    sections = [("Figures", summary)]
    curves = {name: s["curve"] for name, s in series.items() if s["curve"]}
    if curves:
        sections.append(("Precision and recall", report.figure(
            report.pr_chart(curves), "Each point: the pairs at or above one probability called matches.")))
    calibrations = {r["linker"]: r["calibration"] for r in ran if r.get("calibration")}
    if calibrations:
        sections.append(("Calibration", report.figure(
            report.calibration_chart(calibrations),
            "Of the pairs given about p, a share p should be true: points on the diagonal.")))
    for name, s in series.items():
        parts = [report.figure(report.histogram_chart(s["probabilities"], s["is_match"], f"{name}: candidate pairs"),
                               "Candidate pairs per probability, true pairs in green; the dotted line is 0.5.")]
        for column, caption in POPULATIONS:
            rows = s["populations"].get(column)
            if rows:
                parts.append(report.table([column, "records", "true pairs", "pairs completeness", "precision",
                                           "recall"], rows, f"{name}, per {caption}"))
        if s.get("model"):
            parts.append(report.weights_section(s["model"]))
        sections.append((f"Linker {name}", "".join(parts)))
    return report.page("rfl bench report", facts, sections)
