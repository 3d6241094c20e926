"""The whole flow in one place: prepare → block → compare → model → rank.

    pairs = Linker(fields).link(left, right)      # or .link(records) to find duplicates
    linker.search(enquiry, index)                  # one enquiry against a standing Index

Each stage lives in its own module and works on tables or arrays; this facade only arranges
them, learns the model when none is given (u from random pairs, m by EM), and returns every
candidate pair with its calibrated probability, rank, decision and per-comparison weights.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

import numpy as np
import polars as pl

from matching import blocking, dates
from matching.compare import Comparer
from matching.index import Index
from matching.model import Model
from matching.prepare import Fields, Prepared, Vocab, prepare

U_SAMPLE = 200_000  # random pairs for estimating u
BLOCK_SLICE = 20_000  # left records blocked at once
MATCH = 0.5  # a calibrated probability at or above this is a "match" worth verifying
REVIEW = 0.01  # below this a candidate is not worth an officer's time


class Linker:
    """The pipeline with its vocabulary and comparisons, and the model once learnt or given.

    `link` learns the model (when none was given) and scores whole files; `search` scores a few
    records against a standing `Index` with the model in hand. Both run the same stages, and a
    left record's candidates and probabilities depend only on that record and the indexed side,
    so an enquiry searched alone gets what it gets in a batch."""

    def __init__(self, fields: Fields, model: Model | None = None, seed: int = 0,
                 progress: Callable[[str, int, int], None] | None = None):
        """`progress(stage, done, total)` is called as each stage starts and advances (`total`
        0 where it is not known), so a caller can show a bar with a rate and time left."""
        self.fields, self.model, self.seed = fields, model, seed
        self.progress = progress or (lambda stage, done, total: None)
        self.vocab = Vocab()
        self.comparer = Comparer(self.vocab, fields.exact, fields.fuzzy, fields.family_fields)
        if model is not None:
            model.check_fits(self.comparer.comparisons)

    def index(self, records: pl.DataFrame | None = None) -> Index:
        """An index of `records` (or an empty one to fill) for `search` to link others against."""
        index = Index(self.vocab)
        if records is not None:
            index.add(prepare(records, self.fields, self.vocab))
        return index

    def link(self, left: pl.DataFrame, right: pl.DataFrame | None = None,
             labels: pl.DataFrame | None = None) -> pl.DataFrame:
        """Scored candidate pairs: left_id, right_id, probability, rank, decision, and per
        comparison its weight of evidence in bits (w_<comparison>) and level label (l_<comparison>).

        `labels` (left_id, right_id of known true pairs), when a researcher has them, replace EM:
        m is counted from the labelled matches among the candidates."""
        dedupe = right is None
        n_records = len(left) + (0 if dedupe else len(right))
        self.progress("preparing records", 0, n_records)
        lp = prepare(left, self.fields, self.vocab)
        index = Index(self.vocab)
        index.add(lp if dedupe else prepare(right, self.fields, self.vocab))
        self.progress("preparing records", n_records, n_records)
        li, ri = self._candidates(lp, index, dedupe)
        levels, tf = self._compare(lp, index, li, ri)
        if self.model is None:
            self.progress("learning the model", 0, 0)
            self.model = self._with_u(lp, index.data, dedupe)
            self.model.training = {"learnt_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                   "records": [len(left), len(index)], "one_file": dedupe,
                                   "m_from": "EM" if labels is None else "labels"}
            if labels is None:
                self._learn_m(lp, index, levels, dedupe)
            else:
                self.model.estimate_from_labels(levels, _is_labelled(lp.ids[li], index.data.ids[ri], labels))
            self.model.center_tf(levels, tf)  # u of the names was learnt among these candidates
        return self._scored(lp, index, li, ri, levels, tf, dedupe)

    def search(self, left: pl.DataFrame, index: Index) -> pl.DataFrame:
        """`link` of a few left records (an enquiry) against a standing index, with the model
        in hand: the same candidates, probabilities and ranks as in a batch."""
        lp = prepare(left, self.fields, self.vocab)
        li, ri = self._candidates(lp, index, False)
        levels, tf = self._compare(lp, index, li, ri)
        return self._scored(lp, index, li, ri, levels, tf, False)

    def _candidates(self, lp: Prepared, index: Index, dedupe: bool) -> tuple[np.ndarray, np.ndarray]:
        """Blocking, a slice of left records at a time: what a record is offered does not depend
        on the others, so slices bound the memory of the key joins without changing a pair."""
        self.progress("blocking", 0, len(lp))
        keys = blocking.record_keys(lp, self.vocab)
        found = []
        for start in range(0, len(lp), BLOCK_SLICE):
            part = keys.filter(pl.col("row").is_between(start, start + BLOCK_SLICE - 1))
            found.append(blocking.candidates(part, lp, index, dedupe))
            self.progress("blocking", min(start + BLOCK_SLICE, len(lp)), len(lp))
        cand = pl.concat(found)
        return cand["l"].to_numpy().astype(np.int64), cand["r"].to_numpy().astype(np.int64)

    def _compare(self, lp: Prepared, index: Index, li: np.ndarray, ri: np.ndarray):
        """Comparison levels of the candidate pairs, and the share of indexed records holding
        each pair's agreeing name."""
        self.progress("comparing pairs", 0, len(li))
        levels = self.comparer.levels(lp, index.data, li, ri)
        self.progress("comparing pairs", len(li), len(li))
        return levels, self._shares(lp, index, li, ri)

    def _shares(self, lp: Prepared, index: Index, li: np.ndarray, ri: np.ndarray) -> dict[str, np.ndarray]:
        """Term frequencies: for each name comparison, how common each pair's agreeing name is
        among the indexed records (the people a namesake could be among)."""
        return {name: index.name_share(tokens)
                for name, tokens in self.comparer.tf_tokens(lp, index.data, li, ri).items()}

    def _scored(self, lp: Prepared, index: Index, li: np.ndarray, ri: np.ndarray,
                levels: dict[str, np.ndarray], tf: dict[str, np.ndarray], dedupe: bool) -> pl.DataFrame:
        probability, weights = self.model.predict(levels, tf)
        if not dedupe:
            probability = exclusive(li, ri, probability, one_person(self.model, self.comparer, index.data))
        return rank(pl.DataFrame({
            # ids gathered by polars: no Python string per candidate pair
            "left_id": pl.Series(lp.ids, dtype=pl.Utf8).gather(li),
            "right_id": pl.Series(index.data.ids, dtype=pl.Utf8).gather(ri),
            "probability": probability,
            "tie": index.data.id_hash[ri],
            **{f"w_{k}": np.round(v, 2) for k, v in weights.items()},
            **{f"l_{c.name}": _labels(c, levels[c.name]) for c in self.model.comparisons},
        }))

    def _with_u(self, lp: Prepared, rp: Prepared, dedupe: bool) -> Model:
        """A model with u from random pairs; m is learnt next, by EM or from labels."""
        rng = np.random.default_rng(self.seed)
        n = min(U_SAMPLE, len(lp) * len(rp))
        a, b = rng.integers(0, len(lp), n), rng.integers(0, len(rp), n)
        if dedupe:
            a, b = a[a != b], b[a != b]
        model = Model(list(self.comparer.comparisons))
        model.estimate_u(self.comparer.levels(lp, rp, a, b))
        return model

    def _learn_m(self, lp: Prepared, index: Index, levels: dict[str, np.ndarray], dedupe: bool) -> None:
        """m by EM in two runs. Names learn from pairs born on the same day (or month, or year), a
        set chosen without looking at names. Then, name m fixed, one run over the candidates
        learns the rest: m of dates and other fields, which the names' weight now tells apart
        among candidates (chosen by names, so only names could not learn there), u of every comparison among
        candidates (siblings and namesakes agree far more often than random pairs do, and blocking
        on birth years makes near years common), and the share of matches. Probabilities are then
        those of candidates, the only pairs ever scored. Without enough known birth dates the first
        run uses the candidates too.

        The first run weighs agreement on a name by how common it is, as scoring does: among pairs
        born in one year, strangers who share Mohammed or Ahmad far outnumber the few matches, and
        counted as matches they taught that one person's records often name different mothers
        (m 0.34 against 0.00 from labels, deduplicating generated found records). The last run
        does not: there, weighing names by frequency made EM take namesakes with rare names for
        matches (duplicates in generated found records, seeds 1-3: F1 0.80/0.82/0.76 ->
        0.72/0.74/0.66)."""
        model, rp = self.model, index.data
        start = min(0.5, min(len(lp), len(rp)) / max(len(next(iter(levels.values()))), 1))
        by_birth = _same_birth_pairs(lp, rp, dedupe, self.seed)
        if by_birth.height >= MIN_TRAINING_PAIRS:
            a, b = by_birth["l"].to_numpy(), by_birth["r"].to_numpy()
            model.estimate_m_em(self.comparer.levels(lp, rp, a, b), 0.01,
                                learn=[c.name for c in model.comparisons if c.name != "birth_date"],
                                tf=self._shares(lp, index, a, b))
        else:
            model.estimate_m_em(levels, start)
        everything = [c.name for c in model.comparisons]
        # Blocking proposes pairs by their names and, on its own, by a shared birth day or birth
        # place: among the second kind every such value agrees, so over all candidates strangers
        # seem to share a birth day often (2.7% at 100,000 x 500,000) and a shared day weighs
        # little (3.4 bits). Their u is learnt among the pairs the names proposed (first names
        # alike or swapped, neither blank nor different), where strangers share a birth day as
        # seldom as they do by chance.
        named = levels["first_name"] > 0
        model.prior = model.estimate_m_em(levels, start, learn=[c for c in everything if c not in self.comparer.names],
                                          evidence=everything, learn_u=tuple(everything),
                                          u_among={c: named for c in ("birth_date", *self.fields.fuzzy)})


def _same_birth_pairs(lp: Prepared, rp: Prepared, dedupe: bool, seed: int) -> pl.DataFrame:
    """Pairs chosen by birth date alone, never by names, so EM can learn how names agree among
    matches: those born on the same day where that gives enough pairs (matches are then a large
    share, however big the files); else with them those born in the same year and month, and if
    still too few, in the same year (small files share few days). The finer the agreement, the
    larger the share of matches, and the fewer strangers with a common name EM must tell apart:
    in 4,000 found records, a third of the pairs born on one day are one person, one in fifty
    of those born in one month, one in six hundred of those born in one year."""
    rng = np.random.default_rng(seed)
    a = _stratum(lp, "day")
    pairs = a.join(a if dedupe else _stratum(rp, "day"), on="value", suffix="_r").select(
        pl.col("row").cast(pl.Int64).alias("l"), pl.col("row_r").cast(pl.Int64).alias("r"))
    if dedupe:
        pairs = pairs.filter(pl.col("l") < pl.col("r"))
    if pairs.height >= MIN_TRAINING_PAIRS:
        return pairs.sort("l", "r").sample(min(pairs.height, U_SAMPLE), seed=seed)
    for by in ("month", "year"):
        pairs = pl.concat([pairs, _sampled_pairs(lp, rp, by, dedupe, rng)]).unique(maintain_order=True)
        if pairs.height >= MIN_TRAINING_PAIRS:
            break
    return pairs.head(U_SAMPLE)


def _stratum(p: Prepared, by: str) -> pl.DataFrame:
    """(row, value) of the records whose birth day ("day"), year and month ("month") or year
    ("year") is known exactly, with that value as one number."""
    d = p.dates
    lo, month = d["birth_year_lo"], d["birth_month"]
    if by == "day":
        rows, value = dates.full_days(d)
    else:
        known = ~np.isnan(lo) & (lo == d["birth_year_hi"]) & (~np.isnan(month) if by == "month" else True)
        rows = np.nonzero(known)[0]
        value = (lo[rows] * 100 + (month[rows] if by == "month" else 0)).astype(np.int64)
    return pl.DataFrame({"row": rows.astype(np.int64), "value": value})


def _sampled_pairs(lp: Prepared, rp: Prepared, by: str, dedupe: bool, rng: np.random.Generator) -> pl.DataFrame:
    """A random sample of pairs born in the same known year and month (`by` "month") or year
    (and month, where both give one), drawn value by value in proportion to the pairs each
    holds, never by joining (100,000 x 500,000 records share a year in billions of pairs)."""
    def ordered(p: Prepared) -> tuple[np.ndarray, np.ndarray]:
        frame = _stratum(p, by).sort("value", maintain_order=True)
        return frame["row"].to_numpy(), frame["value"].to_numpy()

    lrows, lvalues = ordered(lp)
    rrows, rvalues = (lrows, lvalues) if dedupe else ordered(rp)
    values, nl = np.unique(lvalues, return_counts=True)
    nr = np.searchsorted(rvalues, values, "right") - np.searchsorted(rvalues, values, "left")
    weight = nl.astype(float) * nr
    if weight.sum() == 0:
        return pl.DataFrame({"l": [], "r": []}, schema={"l": pl.Int64, "r": pl.Int64})
    pick = rng.choice(len(values), size=min(4 * U_SAMPLE, int(weight.sum())), p=weight / weight.sum())
    l = lrows[np.searchsorted(lvalues, values[pick], "left") + rng.integers(0, nl[pick])]
    r = rrows[np.searchsorted(rvalues, values[pick], "left") + rng.integers(0, nr[pick])]
    lm, rm = lp.dates["birth_month"][l], rp.dates["birth_month"][r]
    keep = (lm == rm) | np.isnan(lm) | np.isnan(rm)
    if dedupe:
        keep &= l < r
    return pl.DataFrame({"l": l[keep], "r": r[keep]}).unique(maintain_order=True).head(U_SAMPLE)


COMPETITORS = 5  # strong candidates per left record checked for being one person
MIN_TRAINING_PAIRS = 1_000


def _is_labelled(left_ids: np.ndarray, right_ids: np.ndarray, labels: pl.DataFrame) -> np.ndarray:
    pairs = pl.DataFrame({"left_id": left_ids.astype(str), "right_id": right_ids.astype(str)})
    known = labels.select(pl.col("left_id", "right_id").cast(pl.Utf8)).unique().with_columns(hit=pl.lit(True))
    return pairs.join(known, on=["left_id", "right_id"], how="left", maintain_order="left")["hit"].fill_null(False).to_numpy()


def one_person(model: Model, comparer: Comparer, side: Prepared) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Whether rows a[i] and b[i] of one side are the same person registered twice."""
    return lambda a, b: model.predict(comparer.levels(side, side, a, b))[0] >= MATCH


def exclusive(left: np.ndarray, right: np.ndarray, probability: np.ndarray,
              same_person: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
    """Probabilities under the assumption that a left record (an enquiry: one person sought) is
    one of its candidates at most: P(j) = odds_j / (1 + odds of the candidates that are not j's
    person). A lone strong candidate keeps its probability; two near-certain candidates share
    it, since only one can be the person, unless they are the same person registered twice
    (`same_person(rows_a, rows_b)` says so for pairs of right rows)."""
    odds = probability / np.maximum(1 - probability, 1e-12)
    total = np.bincount(left, weights=odds)
    # Only strong candidates can lend each other much: ask whether they are one person for
    # the few strong ones of each left record, never for every pair of candidates.
    strong = np.nonzero(probability >= MATCH)[0]
    frame = (pl.DataFrame({"i": strong, "l": left[strong], "p": probability[strong]})
             .sort("p", descending=True).group_by("l", maintain_order=True).head(COMPETITORS))
    pairs = frame.join(frame, on="l", suffix="_b").filter(pl.col("i") != pl.col("i_b"))
    relief = np.zeros(len(odds))
    if pairs.height:
        a, b = pairs["i"].to_numpy(), pairs["i_b"].to_numpy()
        same = same_person(right[a], right[b])
        relief = np.bincount(a[same], weights=odds[b[same]], minlength=len(odds))
    return odds / (1 + total[left] - relief)


def _labels(comparison, levels: np.ndarray) -> pl.Series:
    """Level numbers as their labels (null where a side was blank), as an enum column."""
    labels = pl.Series(comparison.labels, dtype=pl.Enum(list(comparison.labels)))
    return labels.gather(pl.Series(levels).cast(pl.UInt32, strict=False))  # MISSING becomes null


def rank(pairs: pl.DataFrame) -> pl.DataFrame:
    """Rank each left record's candidates, best first (equal ones by the `tie` column, a hash of
    each right record's identity), and label the decision."""
    return (
        pairs.sort(["left_id", "probability", "tie"], descending=[False, True, False])
        .with_columns(pl.col("probability").rank("ordinal", descending=True).over("left_id")
                      .cast(pl.UInt32).alias("rank"))
        .with_columns(pl.when(pl.col("probability") >= MATCH).then(pl.lit("match"))
                      .when(pl.col("probability") >= REVIEW).then(pl.lit("review"))
                      .otherwise(pl.lit("unlikely")).alias("decision"))
        .select("left_id", "right_id", "probability", "rank", "decision", pl.col("^w_.*$"), pl.col("^l_.*$"))
    )
