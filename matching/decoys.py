"""Decoy enquiries: how many enquiries' people are in the found file at all, told from the data.

The one-person rule weighs "the person is not among the candidates" by the share of enquiries
whose person is in the file (`absence`). Learnt as a fixed point of the model's own
probabilities, that share ran away with the file's size wherever namesakes multiply: on the
independent generator 0.545, 0.682 and 0.800 at 2,000, 20,000 and 100,000 enquiries, where
0.51, 0.50 and 0.50 were true, and every population was overconfident from 20,000 on. An
enquiry whose person is absent still sums a large probability over its namesakes, and the
fixed point counts that sum as people found (benchmarks/RESULTS.md, sessions 28-29).

A decoy enquiry is made of real ones: each of its fields (given names, family name, father's
name, mother's name, birth date with age and last contact, each compared place) comes from
another enquiry of the same sex and nationality. It is as plausible a person as any enquiry of
that population, with as many namesakes, and almost surely not in the found file. The decoys'
best candidates then show how strong the best candidate of an absent person tends to be, and
the real enquiries are a mixture of absent and present people (target-decoy estimation, as
proteomics estimates false discoveries; Storey's share of nulls):

    share not found = (real enquiries whose best candidate is below WEAK)
                      / (decoys whose best candidate is below WEAK)

since few present people's best candidates are that weak. Both sides are scored alike: the
pairwise odds as the model has them with the names at full weight, and each enquiry's
candidates taken as rivals at a share found of one half (no opinion yet). Two biases pull
against each other: present people whose best candidate is weak count as absent (the share
comes out low), and decoys have no siblings or cousins in the file, so their best candidates
are weaker than an absent person's (it comes out high). For the same reason decoys are no null
for single pairs: the estimate is about the share alone.

The truth to measure against is the share of enquiries with candidates whose person is among
them: one whose person blocking missed is, to the rule, as absent as one whose person is not in
the file. Against it (truth / WEAK 0.05 / 0.1 / 0.2; benchmarks/RESULTS.md, session 32):

    independent, seed 3    2,000 0.489 / 0.489 / 0.458 / 0.421   20,000 0.453 / 0.480 / 0.441 / 0.395
                         100,000 0.418 / 0.512 / 0.439 / 0.359
    independent, seed 11   2,000 0.487 / 0.449 / 0.437 / 0.414   20,000 0.455 / 0.496 / 0.452 / 0.395
                         100,000 0.416 / 0.488 / 0.435 / 0.365
    rfl generate           2,000 0.603 / 0.605 / 0.605 / 0.598   20,000 0.593 / 0.601 / 0.592 / 0.580
                         100,000 0.583 / 0.613 (0.1 and 0.2 not measured)

So 0.05 runs high by 0.07-0.09 at 100,000 (independent), and 0.1 is nearer the truth: at most
0.05 off (0.017 on average) against 0.094 (0.035), drifting less with the file's size. The two
biases above, at 100,000 (seed 3) and 0.1: 0.43 of decoys are weak against 0.35 of absent
people, whose relatives may be in the file (that a real chain's names go together more than a
decoy's mix, a check found little for: RESULTS, session 32);
0.08 of present people are weak, 0.18 at 0.2. Yet 0.05 is kept. The share is what each
population's names are held to (matching.absence), over sums that also count the candidates of
a person registered twice and a long tail of small probabilities; nearer the truth, the names
lost weight and the pairs at 0.3-0.9 turned underconfident (observed 0.52 at a mean of 0.45):
at independent 100,000, F1 at 0.5 fell from 0.5573 to 0.5340 (seed 3) and from 0.5445 to
0.5263 (seed 11), while `rfl generate`'s 100,000 gained (Ukrainian worst gap 0.258 to 0.108).
Session 29 had chosen 0.05 against the share of enquiries whose person is in the file at all.

The decoys serve once more where the birth date's m is learnt again under the one-person rule
(matching.linker): counted as the real pairs are there, they show which of the matches counted
are namesakes of absent people (`less_namesakes`).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from matching.absence import absent_weights, odds_of
from matching.prepare import Fields, exact_text

DECOYS = 5_000  # decoy enquiries made at most: a share told to about 0.02, in 1.5 s at 100,000 x 500,000
WEAK = 0.05  # a best candidate below this probability (at found = 1/2) is weak: few present people's are
MIN_WEAK = 50  # decoys with a weak best candidate needed for an estimate (else the fixed point stands)
# `less_namesakes`: the decoys' counted weight (summed probabilities) needed at a comparison's rare
# levels to read how many namesakes a count holds (about 7-19 on the nine benchmark sets of
# 2,000 to 100,000 enquiries, both generators), and the most of a count it may take away
MIN_RARE, MAX_REMOVED = 5.0, 0.5
PREFIX = "decoy:"  # of a decoy's record id


def decoys(frame: pl.DataFrame, fields: Fields, seed: int, most: int = DECOYS) -> pl.DataFrame:
    """Up to `most` decoy enquiries made from the left records `frame`: each record's fields in
    groups (`_groups`) taken from other records of its stratum (the same values of every exact
    field: sex, nationality), the stratum shuffled and group k read from the record k places on,
    so no decoy holds any compared field of its own record and no two of its groups come from one
    record. Strata too small for that make none. The exact fields and what rfl reads off the
    record beyond its fields (its society, the flags of rfl.schema.with_domain_flags) stay its
    own. Other names (aliases) are left out: an alias is a whole name, and would bring its
    record's person back. Ids are PREFIX + the record's own."""
    groups = _groups(frame, fields)
    if not groups:  # nothing to deal: a "decoy" would be its own record
        return frame.clear()
    rng = np.random.default_rng(seed)
    # strata by the exact fields as they are compared (trimmed, in capitals: "som" is SOM)
    strata = [exact_text(frame[c]).alias(c) for c in fields.exact if c in frame.columns]
    stratum = (pl.DataFrame(strata).select(pl.struct(pl.all()).rank("dense")).to_series().to_numpy().astype(np.int64)
               if strata else np.zeros(len(frame), dtype=np.int64))
    order = np.lexsort((rng.random(len(frame)), stratum))  # each stratum's records, shuffled
    size = np.bincount(stratum)[stratum[order]]
    first = np.r_[0, np.cumsum(np.bincount(stratum))][stratum[order]]  # where its stratum starts in `order`
    place = np.arange(len(frame)) - first
    made = size > len(groups)
    rows = order[made]
    donors = [order[first[made] + (place[made] + k) % size[made]] for k in range(1, len(groups) + 1)]
    taken = rng.choice(len(rows), min(most, len(rows)), replace=False) if len(rows) else np.zeros(0, dtype=np.int64)
    taken.sort()
    own = frame[rows[taken]]
    blank = [c for c in (fields.aliases,) if c is not None and c in frame.columns]
    ids = [c for c in {fields.id, fields.identity} if c is not None and c in frame.columns]
    out = own.with_columns(*(pl.lit(None, dtype=frame.schema[c]).alias(c) for c in blank),
                           *(pl.concat_str(pl.lit(PREFIX), pl.col(fields.id).cast(pl.Utf8)).alias(c) for c in ids))
    for group, donor in zip(groups, donors):
        out = out.with_columns(frame[donor[taken]].select(group))
    return out


def _groups(frame: pl.DataFrame, fields: Fields) -> list[list[str]]:
    """The columns a decoy takes from one record together: each name field alone, the birth
    date with what dates it (age, the day it was recorded) and the last contact, which came
    before that day, each compared place or value alone."""
    groups = [[fields.given], [fields.family], [fields.father], [fields.mother],
              [fields.birth_date, fields.age, fields.recorded_on, fields.last_contact],
              *([c] for c in fields.fuzzy)]
    groups = [[c for c in g if c is not None and c in frame.columns] for g in groups]
    return [g for g in groups if g]


def share_found(left: np.ndarray, bits: np.ndarray, decoy_left: np.ndarray, decoy_bits: np.ndarray,
                prior: float) -> float | None:
    """The share of the enquiries with candidates whose person is among them, from their
    candidate pairs (left record, pairwise log2 odds `bits`) and those of the decoys, where the
    model's share of matches among candidates is `prior`: 1 - (the share of real enquiries with a
    weak best candidate) / (the share of decoys with one), at least 0. None where fewer than
    MIN_WEAK decoys have a weak best candidate."""
    (weak_real, real), (weak_decoys, made) = _weak(left, bits, prior), _weak(decoy_left, decoy_bits, prior)
    if weak_decoys < MIN_WEAK or not real:
        return None
    return float(max(1 - (weak_real / real) / (weak_decoys / made), 0.0))


def _weak(left: np.ndarray, bits: np.ndarray, prior: float) -> tuple[int, int]:
    """(weak, all): how many left records have a best candidate below WEAK, each record's
    candidates rivals of each other at found = 1/2, of all those with candidates."""
    per = (pl.DataFrame({"left": left, "odds": odds_of(bits)})
           .group_by("left").agg(pl.len().alias("n"), pl.col("odds").max().alias("best"),
                                 pl.col("odds").sum().alias("total")))
    p = per["best"].to_numpy() / (absent_weights(per["n"].to_numpy(), prior) + per["total"].to_numpy())
    return int((p < WEAK).sum()), per.height


def less_namesakes(counts: np.ndarray, decoy_counts: np.ndarray, rare: tuple[int, ...]) -> tuple[np.ndarray, float]:
    """A comparison's matches counted at each level (`counts`, real pairs each counted as far as
    the one-person rule makes it one person), less the namesakes among them, and the share of
    the count that was namesakes.

    The rule counts the lone namesake of an enquiry whose person is absent as a match, so the
    birth date learnt from such counts weighed dates that disagree as if one person's records
    often did (independent 100,000 x 400,000: m of "2-5 years outside the years an estimated
    age allows" 0.050 against 0.023 among true pairs, "years one apart" 0.021 against 0.009).
    Decoys' pairs, counted alike (`decoy_counts`), are all namesakes, and show at which levels
    namesakes fall. How many of them the real count holds is read, as Storey reads the share of
    nulls where true effects are rare, at the `rare` levels (`Comparison.rare`: one person's
    two records almost never fall there): decoy_counts are scaled to all of the real count
    there and subtracted, each level at least 0.

    Counts are left as they are (share 0) where the decoys' counted weight at the rare levels
    is below MIN_RARE, a scale read off a handful of pairs, or where more than MAX_REMOVED of
    the count would go: the singled-out pairs are mostly one person's (90 % at independent
    100,000 x 400,000, where 12 % of the count went), so a reading that most were namesakes
    says more about the reading than about them."""
    there = decoy_counts[list(rare)].sum()
    if there < MIN_RARE or not counts.sum():
        return counts, 0.0
    kept = np.maximum(counts - decoy_counts * (counts[list(rare)].sum() / there), 0.0)
    removed = float(1 - kept.sum() / counts.sum())
    return (counts, 0.0) if removed > MAX_REMOVED else (kept, removed)
