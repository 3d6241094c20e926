"""The training schedule: which pairs teach the model what, and in what order.

matching.model holds the maths (u from level frequencies, EM, monotone pooling, prediction); this
module chooses what it learns from. u comes from random pairs. m comes by EM in two runs: all
but the birth date's among pairs chosen by birth date alone, then, those m fixed, the birth
date's among the candidates (see `_learn_m`); the linker then learns the birth date's m again
under the one-person rule from the candidates the other fields single out (`singled_out`), or
from every candidate where too few are. Labelled pairs, when a researcher has them, replace EM.
The model's `training` record says what it learnt from, and each EM run adds how it converged.

    model = learn(comparer, lp, index, li, ri, levels, tf, dedupe, seed, known)
"""

from __future__ import annotations

from datetime import datetime, timezone

import numba
import numpy as np
import polars as pl

from matching import dates
from matching.compare import Comparer
from matching.index import Index
from matching.model import MISSING, Model
from matching.prepare import Prepared, population_rows

U_SAMPLE = 200_000  # random pairs for estimating u
MIN_TRAINING_PAIRS = 1_000  # pairs chosen by birth date that EM needs to learn the names from them
# Fewer left records or candidate pairs than these hold too few people found twice for EM to
# tell the levels of ten comparisons apart (a 5 x 10 file once weighed "birth place alike" at
# +9.8 bits against "same" at +1.4): such files are scored with a model learnt elsewhere.
MIN_RECORDS_TO_LEARN, MIN_PAIRS_TO_LEARN = 50, 100
# Two files with fewer enquiries than this are scored with the model learnt elsewhere where there
# is one (the shipped model; not with --compare columns, which it does not know): at 100 and 200
# enquiries it scored better than a model learnt from the files on all twelve files tried, six
# from each generator (F1 at 0.5 up 0.007-0.070); at 300 the learnt one won the three independent
# files, at 500 two of three (benchmarks/RESULTS.md, session 38). One file keeps the floor above.
MIN_ENQUIRIES_OVER_PRIOR = 250
# A candidate the other fields put this far ahead of its enquiry's next (32 times the odds) is
# singled out by them (`singled_out`); the linker learns the birth date's m again from such pairs
# where at least MIN_SINGLED_OUT of them give a date on both sides, else from all candidates.
SINGLED_OUT_BITS, MIN_SINGLED_OUT = 5.0, 200
# Comparisons whose m each population learns for itself (`learn_by_population`): how often one
# person's two records name their birth place differently depends on the script and gazetteer of
# that population's places. At 100,000 x 500,000 generated, true pairs' places are "different" in
# 0-0.2 % of Ukrainian, Russian, Eritrean and Afghan pairs against 4.8-8.7 % of Iraqi, Syrian and
# Libyan ones, and one m for all weighed a Ukrainian namesake born elsewhere as a Libyan one
# (benchmarks/RESULTS.md, session 36). The names' m and the birth date's stay one for all. The
# first and whole names' learnt per population brought the generated 100,000's Ukrainian pairs
# near calibration (worst gap 0.256 -> 0.142) but cost the independent 100,000 F1 at 0.5 (0.5573
# -> 0.5459) and its Ukrainian calibration (0.102 -> 0.159). The date's per population counts the
# namesakes the decoys take out of the overall m (matching.decoys.less_namesakes): the generated
# 100,000's worst gap rose to 0.529.
BY_POPULATION = ("birth_place",)
POPULATION_PSEUDO_MATCHES = 50.0  # matches of the overall m a population's own counts are shrunk toward


class TooLittleToLearn(ValueError):
    """The files are too small to learn a model from; score them with one learnt elsewhere."""


def least_to_learn(over_prior: bool = False) -> int:
    """Left records needed to learn from; with `over_prior` (two files, and a model learnt
    elsewhere to score them instead), to do better than that model."""
    return MIN_ENQUIRIES_OVER_PRIOR if over_prior else MIN_RECORDS_TO_LEARN


def enough_to_learn(n_left: int, n_pairs: int, over_prior: bool = False) -> bool:
    return n_left >= least_to_learn(over_prior) and n_pairs >= MIN_PAIRS_TO_LEARN


def learn(comparer: Comparer, lp: Prepared, index: Index, li: np.ndarray, ri: np.ndarray,
          levels: dict[str, np.ndarray], tf: dict[str, np.ndarray], dedupe: bool, seed: int = 0,
          known: np.ndarray | None = None, prior: Model | None = None) -> Model:
    """A model for linking `lp` to the records of `index` (`lp`'s own, when `dedupe`), learnt
    with the candidate pairs (li[k], ri[k]), their `levels` and name shares `tf` as the linker
    computed them: u from random pairs, m by EM, or, where labels were given, from `known`
    (which candidate pairs they say are true: `is_labelled`), then the names' frequency
    adjustments centred on the candidates. Without labels, raises TooLittleToLearn where the
    files are too small (`enough_to_learn`); with `prior` (a model learnt elsewhere), the m that
    EM learns are shrunk toward its m (`Model.shrink_toward`)."""
    over_prior = prior is not None and not dedupe
    if known is None and not enough_to_learn(len(lp), len(li), over_prior):
        raise TooLittleToLearn(f"{len(lp):,} records and {len(li):,} candidate pairs are too few to learn a "
                               f"model from (at least {least_to_learn(over_prior):,} and {MIN_PAIRS_TO_LEARN:,})")
    model = _with_u(comparer, lp, index.data, dedupe, seed)
    model.training = {"learnt_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                      "records": [len(lp), len(index)], "one_file": dedupe,
                      "m_from": "EM" if known is None else "labels"}
    if known is None:
        if prior is not None:
            model.shrink_toward(prior)
        _learn_m(model, comparer, lp, index, levels, dedupe, seed)
    else:
        model.estimate_from_labels(levels, known)
    model.center_tf(levels, tf)  # u of the names was learnt among these candidates
    return model


def _with_u(comparer: Comparer, lp: Prepared, rp: Prepared, dedupe: bool, seed: int) -> Model:
    """A model with u from random pairs; m is learnt next, by EM or from labels."""
    rng = np.random.default_rng(seed)
    n = min(U_SAMPLE, len(lp) * len(rp))
    a, b = rng.integers(0, len(lp), n), rng.integers(0, len(rp), n)
    if dedupe:
        a, b = a[a != b], b[a != b]
    model = Model(list(comparer.comparisons))
    model.estimate_u(comparer.levels(lp, rp, a, b))
    return model


def _learn_m(model: Model, comparer: Comparer, lp: Prepared, index: Index, levels: dict[str, np.ndarray],
             dedupe: bool, seed: int) -> None:
    """m by EM in two runs. Every comparison but the birth date learns from pairs born on the
    same day (or month, or year), a set chosen without looking at names, places or other fields.
    Then, those m fixed while it runs (and pooled afterwards against the u it learns, so their
    chains stay in order), one run over the candidates learns the birth date's m, which the
    other fields' weight now tells apart among candidates, u of every comparison among candidates
    (siblings and namesakes agree far more often than random pairs do, and blocking on birth
    years makes near years common), and the share of matches. Probabilities are then those of
    candidates, the only pairs ever scored. Without enough known birth dates the first run uses
    the candidates too, and the second learns every field but the names again.

    The birth place, sex and nationality were once learnt again among the candidates too. Where
    an enquiry's namesakes far outnumber its person (100,000 x 400,000 independent records),
    EM there took namesakes for matches: the birth place's m of "same" fell to 0.50 (0.95 with
    labels), weighing nothing, and dates 2-5 years apart weighed -1.0 bits (-7.5 with labels).
    Kept as the pairs born on one day (or month, or year) taught them, F1 0.38 -> 0.48 and
    recall@5 0.65 -> 0.73 there (benchmarks/RESULTS.md, session 24).

    The first run weighs agreement on a name by how common it is, as scoring does: among pairs
    born in one year, strangers who share Mohammed or Ahmad far outnumber the few matches, and
    counted as matches they taught that one person's records often name different mothers
    (m 0.34 against 0.00 from labels, deduplicating generated found records). The last run
    does not: there, weighing names by frequency made EM take namesakes with rare names for
    matches (duplicates in generated found records, seeds 1-3: F1 0.80/0.82/0.76 ->
    0.72/0.74/0.66)."""
    rp = index.data
    start = min(0.5, min(len(lp), len(rp)) / max(len(next(iter(levels.values()))), 1))
    by_birth = _same_birth_pairs(lp, rp, dedupe, seed)
    fixed = comparer.names  # the m the candidates run keeps
    if by_birth.height >= MIN_TRAINING_PAIRS:
        a, b = by_birth["l"].to_numpy(), by_birth["r"].to_numpy()
        born = comparer.levels(lp, rp, a, b)
        fixed = [c.name for c in model.comparisons if c.name != "birth_date"]
        model.estimate_m_em(born, 0.01, learn=fixed, tf=comparer.tf_shares(lp, index, a, b, born))
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
    model.prior = model.estimate_m_em(levels, start, learn=[c for c in everything if c not in fixed],
                                      evidence=everything, learn_u=tuple(everything),
                                      u_among={c: named for c in ("birth_date", *comparer.fuzzy)})


def learn_by_population(model: Model, left: np.ndarray, counted: np.ndarray, weights: dict[str, np.ndarray],
                        levels: dict[str, np.ndarray], population: np.ndarray, names: dict[int, str],
                        singled: bool = True) -> list[str]:
    """Each population's own m of the comparisons in BY_POPULATION, into `model.population_m`;
    returns those learnt. A pair counts at its level as far as `counted` makes it a match (its
    probability under the one-person rule, or 1 where labelled true), and with `singled` only
    where the other comparisons single it out (`singled_out`, as the birth date's m is learnt
    again), so that an enquiry's namesakes do not count as its person. `left` holds each pair's
    left record (row numbers), `population` its population code, `names` each code's name (0:
    ""). A population's counts are shrunk toward the overall m by POPULATION_PSEUDO_MATCHES."""
    model.population_m = {}
    learnt = [name for name in BY_POPULATION if name in weights]
    named = list(names.values())
    row = population_rows(named, population)
    for name in learnt:
        chosen = counted * singled_out(left, model.log_odds(weights, leaving_out=name)) if singled else counted
        k = len(model.comparison(name).labels)
        seen = (levels[name] != MISSING) & (row >= 0)
        counts = np.bincount(row[seen] * k + levels[name][seen], weights=chosen[seen],
                             minlength=len(named) * k).reshape(len(named), k)  # a row per population
        for population_name, own in zip(named, counts):
            if own.sum() > 0:
                model.population_m.setdefault(population_name, {})[name] = model.m_toward(
                    name, own, POPULATION_PSEUDO_MATCHES)
    return learnt


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


def is_labelled(left_ids: np.ndarray, right_ids: np.ndarray, labels: pl.DataFrame) -> np.ndarray:
    """Whether each pair (left_ids[k], right_ids[k]) is among `labels` (left_id, right_id)."""
    pairs = pl.DataFrame({"left_id": left_ids.astype(str), "right_id": right_ids.astype(str)})
    known = labels.select(pl.col("left_id", "right_id").cast(pl.Utf8)).unique().with_columns(hit=pl.lit(True))
    hit = pairs.join(known, on=["left_id", "right_id"], how="left", maintain_order="left")["hit"]
    return hit.fill_null(False).to_numpy()


def singled_out(left: np.ndarray, bits: np.ndarray) -> np.ndarray:
    """Whether each candidate pair is the one its left record's other evidence singles out:
    its best by `bits` (log2 odds of the pair from every comparison but the one to be learnt),
    no less likely than not on that evidence, and at least SINGLED_OUT_BITS ahead of the
    record's next candidate. `left` holds row numbers (0 up); `bits` are finite or -inf.

    Such pairs teach the birth date's m as the pairs born on one day teach the names': they
    were chosen without weighing the date (though the shortlist chose the candidates partly by
    birth year), so a true pair among them shows each date level about as often as any true
    pair, and few of them are namesakes, since an enquiry whose namesakes are alike on every
    other field has no candidate so far ahead (100,000 x 400,000 independent records: 5,741
    pairs, 90 % true, where 0.9 % of the candidates are). The lone namesakes among them are
    those of people not in the file; the linker weighs each pair by its probability under the
    one-person rule, which their dates pull down."""
    best, runner_up, at = _best_two(left, bits, int(left.max(initial=-1)) + 1)
    likely = np.flatnonzero(best >= 0)  # left records whose best is no less likely than not
    keep = likely[best[likely] - runner_up[likely] >= SINGLED_OUT_BITS]
    chosen = np.zeros(len(left), dtype=bool)
    chosen[at[keep]] = True
    return chosen


@numba.njit(cache=True)
def _best_two(left, bits, n_left):
    """Per left record: its best bits, its next best (-inf where it has one candidate; equal to
    the best where two tie) and the position of its best pair (-1 where it has none), in one pass
    (a sort of 6,000,000 pairs took 2.7 s)."""
    best = np.full(n_left, -np.inf)
    runner_up = np.full(n_left, -np.inf)
    at = np.full(n_left, -1, dtype=np.int64)
    for k in range(len(left)):
        record, b = left[k], bits[k]
        if b > best[record] or at[record] < 0:
            runner_up[record] = best[record]
            best[record] = b
            at[record] = k
        elif b > runner_up[record]:
            runner_up[record] = b
    return best, runner_up, at
