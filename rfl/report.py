"""One self-contained HTML file a researcher can read offline: `rfl bench --report` and
`rfl link --report`.

Charts are drawn with matplotlib as SVG and inlined, tables are plain HTML, the style sheet is
in the file: nothing is fetched when it is opened. A report holds figures only (counts,
probabilities, rates, model parameters) and never a record's content: no names, dates, places
or ids, so it can be shared as a benchmark result is.
"""

from __future__ import annotations

import html
import io
from datetime import datetime, timezone

import numpy as np
import polars as pl

CURVE_POINTS = 400  # at most this many points per precision-recall curve
_STYLE = """
body { font-family: system-ui, "Segoe UI", "Noto Sans", Arial, sans-serif; color: #1b1b1b; max-width: 64rem;
       margin: 0 auto; padding: 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 2px solid #1b1b1b; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; } caption { text-align: left; font-weight: 700; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #b1b4b6; text-align: right; }
th:first-child, td:first-child { text-align: left; } thead th { border-bottom: 2px solid #1b1b1b; }
figure { margin: 0.5rem 0 1.5rem; } figcaption { color: #4a4a4a; font-size: 0.95rem; }
svg { max-width: 100%; height: auto; } .note { color: #4a4a4a; }
"""


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "rfl", "font.size": 10,
                                "axes.spines.top": False, "axes.spines.right": False})
    import matplotlib.pyplot as plt

    return plt


def svg(fig) -> str:
    """A figure as inline SVG (its XML prologue dropped), and the figure closed."""
    plt = _plt()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def figure(chart: str, caption: str) -> str:
    return f"<figure>{chart}<figcaption>{html.escape(caption)}</figcaption></figure>"


def table(header: list[str], rows: list[list], caption: str | None = None) -> str:
    def cell(value) -> str:
        if value is None:
            return "–"
        if isinstance(value, float):
            return f"{value:.3f}"
        if isinstance(value, int):
            return f"{value:,}"
        return html.escape(str(value))

    head = "".join(f"<th scope=\"col\">{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# ---- what the charts are drawn from --------------------------------------------------------

def pr_curve(labelled: pl.DataFrame, n_truth: int) -> list[tuple[float, float, float]]:
    """(threshold, precision, recall) from the highest threshold down, at most CURVE_POINTS
    points; `labelled` has `probability` and a boolean `is_match` per candidate pair."""
    if n_truth == 0 or labelled.height == 0:
        return []
    curve = (labelled.group_by("probability").agg(pl.len().alias("n"), pl.col("is_match").sum().alias("tp"))
             .sort("probability", descending=True)
             .with_columns(pl.col("n").cum_sum(), pl.col("tp").cum_sum()))
    step = max(1, curve.height // CURVE_POINTS)
    curve = curve.gather_every(step) if curve.height > CURVE_POINTS else curve
    return [(row["probability"], row["tp"] / row["n"], row["tp"] / n_truth) for row in curve.iter_rows(named=True)]


# ---- charts ---------------------------------------------------------------------------------

def pr_chart(curves: dict[str, list[tuple[float, float, float]]]) -> str:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for name, points in curves.items():
        if points:  # a linker with few distinct probabilities is a few points, so mark them
            ax.plot([p[2] for p in points], [p[1] for p in points], label=name, linewidth=1.8,
                    marker="o" if len(points) < 10 else None)
    ax.set(xlabel="recall", ylabel="precision", xlim=(0, 1.01), ylim=(0, 1.01), title="Precision against recall")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left")
    return svg(fig)


def calibration_chart(calibrations: dict[str, list[dict]]) -> str:
    """Observed share of true pairs against the mean predicted probability per bin."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    ax.plot([0, 1], [0, 1], linestyle="--", color="#777777", label="perfectly calibrated")
    for name, bins in calibrations.items():
        if bins:
            ax.plot([b["mean_probability"] for b in bins], [b["observed_rate"] for b in bins], marker="o", label=name)
    ax.set(xlabel="predicted probability (bin mean)", ylabel="observed share of true pairs", xlim=(0, 1),
           ylim=(0, 1.02), title="Calibration")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    return svg(fig)


def histogram_chart(probabilities: np.ndarray, is_match: np.ndarray | None, title: str) -> str:
    """Candidate pairs per probability bin (log scale), split into true and other pairs when known."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    bins = np.linspace(0, 1, 51)
    if is_match is None:
        ax.hist(probabilities, bins=bins, color="#0b4ea2", label="candidate pairs")
    else:
        ax.hist([probabilities[~is_match], probabilities[is_match]], bins=bins, stacked=True,
                color=["#b3261e", "#1d6b3a"], label=["not the same person", "the same person"])
    ax.set_yscale("log")
    ax.axvline(0.5, color="#1b1b1b", linestyle=":", linewidth=1)
    ax.set(xlabel="probability", ylabel="pairs (log scale)", title=title)
    ax.legend()
    return svg(fig)


def weights_section(model_document: dict) -> str:
    """Per comparison and level: m, u and the weight log2(m/u) in bits, as a table and a chart."""
    plt = _plt()
    comparisons = model_document["comparisons"]
    height = 0.55 * sum(len(c["levels"]) for c in comparisons) + 1.2
    fig, axes = plt.subplots(len(comparisons), 1, figsize=(6.4, height), squeeze=False)
    for ax, comparison in zip(axes[:, 0], comparisons):
        levels = comparison["levels"]
        weights = [lv["weight_bits"] for lv in levels]
        ax.barh(range(len(levels)), weights, color=["#1d6b3a" if w > 0 else "#b3261e" for w in weights])
        ax.set_yticks(range(len(levels)), [lv["label"] for lv in levels], fontsize=8)
        ax.axvline(0, color="#1b1b1b", linewidth=0.8)
        ax.set_title(comparison["name"], fontsize=9, loc="left")
    axes[-1, 0].set_xlabel("weight of evidence, bits (log2 m/u)")
    fig.tight_layout()
    rows = [[c["name"], lv["label"], lv["m"], lv["u"], lv["weight_bits"]] for c in comparisons for lv in c["levels"]]
    prior, found = model_document.get("prior"), model_document.get("found_share")
    kept = ", ".join(f"{html.escape(name) or 'no nationality'} {share:.2f}"
                     for name, share in sorted((model_document.get("population_name_weight") or {}).items()))
    lifted = ", ".join(f"{html.escape(name) or 'no nationality'} +{bits:.2f}"
                       for name, bits in sorted((model_document.get("population_lift_bits") or {}).items()))
    own = ", ".join(f"{html.escape(name) or 'no nationality'} {by['birth_place'][0]:.3f}"
                    for name, by in sorted((model_document.get("population_m") or {}).items()) if "birth_place" in by)
    rule = ((f"<p>Share of enquiries whose person is among their candidates, which sets the weight of "
             f"\u201cnot in the file\u201d: {found:.3g}.</p>" if found else "") +
            (f"<p>Share of their weight names agreeing keep in a population whose names overcount (below "
             f"1) or undercount (above 1): {kept}.</p>"
             if kept else "") +
            (f"<p>Bits every pair gains in a population whose probabilities, with names at their "
             f"full weight, fall short of the people it has to find (in effect "
             f"\u201cnot in the file\u201d weighed less there): {lifted}.</p>" if lifted else "") +
            (f"<p>Share of one person's two records that name different birth places, per population "
             f"(the chart below weighs the birth place by the share over all): {own}.</p>" if own else ""))
    return (f"<p>Prior probability that a candidate pair is one person: {prior:.4g}.</p>" if prior else "") + rule + \
        figure(svg(fig), "Weight of each level of each comparison: green for, red against.") + \
        table(["comparison", "level", "m", "u", "weight (bits)"], rows,
              "m: share among true pairs; u: share among other pairs")


# ---- rfl link --report ------------------------------------------------------------------------

def calibration(labelled: pl.DataFrame, bins: int = 10) -> list[dict]:
    """Mean predicted probability and observed share of true pairs per equal-width bin."""
    table = (labelled.with_columns((pl.col("probability") * bins).floor().clip(0, bins - 1).alias("bin"))
             .group_by("bin").agg(pl.len().alias("pairs"), pl.col("probability").mean().alias("mean_probability"),
                                  pl.col("is_match").mean().alias("observed_rate")).sort("bin"))
    return table.to_dicts()


def link_report(pairs: pl.DataFrame, written: pl.DataFrame, model_document: dict,
                inputs: list[tuple[str, pl.DataFrame]], labels: pl.DataFrame | None) -> str:
    """What `rfl link` scored and wrote, for a reader: `pairs` every scored pair (left_id,
    right_id, probability, decision), `written` the shortlist, `labels` known true pairs
    (left_id, right_id) when given, which add a precision-recall curve and calibration."""
    dedupe = len(inputs) == 1
    facts = [("command", "rfl link " + " ".join(_file_name(p) for p, _ in inputs)),
             ("records", " × ".join(f"{frame.height:,}" for _, frame in inputs)),
             ("mode", "duplicates within one file" if dedupe else "enquiries against found records")]
    decisions = written.group_by("decision").agg(pl.len().alias("n")).sort("decision").rows()
    sections = [("Figures", table(["", "pairs"], [["scored", pairs.height], ["written", written.height],
                                                 *[[f"written as {d}", n] for d, n in decisions]]))]
    labelled, is_match = None, None
    if labels is not None:
        ids = ["left_id", "right_id"]
        truth = labels.select(pl.col(c).cast(pl.Utf8) for c in ids).unique()
        if dedupe:  # an unordered pair either way round
            truth = pl.concat([truth, truth.select(pl.col("right_id").alias("left_id"),
                                                   pl.col("left_id").alias("right_id"))]).unique()
        labelled = pairs.select(pl.col("left_id").cast(pl.Utf8), pl.col("right_id").cast(pl.Utf8), "probability") \
            .join(truth.with_columns(pl.lit(True).alias("is_match")), on=ids, how="left") \
            .with_columns(pl.col("is_match").fill_null(False))
        n_truth = labels.select(ids).unique().height
        is_match = labelled["is_match"].to_numpy()
        sections.append(("Precision and recall, against the labels", figure(
            pr_chart({"rfl": pr_curve(labelled, n_truth)}), "Each point: the pairs at or above one probability.")))
        sections.append(("Calibration, against the labels", figure(
            calibration_chart({"rfl": calibration(labelled)}), "Points on the diagonal: calibrated.")))
    probabilities = (labelled if labelled is not None else pairs)["probability"].to_numpy()
    sections.append(("Candidate probabilities", figure(
        histogram_chart(probabilities, is_match, "scored candidate pairs"),
        "Scored candidate pairs per probability; the dotted line is 0.5, where `match` starts.")))
    left = inputs[0][1]
    for column in ("nationality", "society"):
        if column in left.columns:
            sections.append((f"Per {column} of the {'records' if dedupe else 'enquiries'}",
                             table([column, "records", "with a candidate", "with a match"],
                                   _reach(left, written, column, dedupe))))
    sections.append(("Model", weights_section(model_document)))
    return page("rfl link report", facts, sections)


def _file_name(path: str) -> str:
    from pathlib import Path

    return Path(path).name


def _reach(left: pl.DataFrame, written: pl.DataFrame, column: str, dedupe: bool) -> list[list]:
    """Per group of records: how many, how many have a candidate written, how many a `match`."""
    key = "record_id" if dedupe else "enquiry_id"
    groups = left.select(pl.col("record_id").cast(pl.Utf8).alias(key), pl.col(column).fill_null("unknown").alias("g"))
    best = written.group_by(key).agg((pl.col("decision") == "match").any().alias("matched"))
    rows = (groups.join(best, on=key, how="left")
            .group_by("g").agg(pl.len().alias("records"), pl.col("matched").is_not_null().sum().alias("candidate"),
                               pl.col("matched").fill_null(False).sum().alias("match"))
            .sort(["records", "g"], descending=[True, False]))  # equal counts by name: every run alike
    return [list(r) for r in rows.rows()]


# ---- the page ---------------------------------------------------------------------------------

def page(title: str, facts: list[tuple[str, str]], sections: list[tuple[str, str]]) -> str:
    """The whole HTML document: a title, a list of facts (command, data, date), then sections
    (heading, HTML body)."""
    made = datetime.now(timezone.utc).isoformat(timespec="seconds")
    items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in [*facts, ("made", made)])
    body = "".join(f"<section><h2>{html.escape(h)}</h2>{content}</section>" for h, content in sections)
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1><dl>{items}</dl>{body}"
            "<p class=\"note\">Figures only: this report holds no names, dates, places or record ids.</p>"
            "</body></html>\n")


def write(path, document: str) -> None:
    from pathlib import Path

    from rfl.errors import InputError
    from rfl.records import atomic_file

    target = Path(path)
    try:
        with atomic_file(target) as tmp:
            tmp.write_text(document, encoding="utf-8")
    except OSError as err:
        raise InputError(target, f"cannot be written ({err.strerror})") from None
