"""What the one-person rule needs from the data: how likely an enquiry's person is not in the
file at all, and how much of their weight a population's names agreeing keep where they
overstate the evidence.

An enquiry seeks one person, so its candidates share one probability (`exclusive`):
P(j) = odds_j / (absent + odds of its candidates). `absent`, the weight of "the person is not
among them", was 1. It follows from the share of enquiries whose person is among their
candidates (`found`) and the share of matches among candidate pairs (the model's prior): with no
evidence, each of an enquiry's n candidates is its person with probability found / n, and
candidate odds are taken against the prior, so absent = (1 - found) / found x n x prior /
(1 - prior), n the enquiry's own candidates. The model keeps `found` and each enquiry's absent
weight follows from it and its n, in a batch and in a search alike. `found` is told by decoy
enquiries where a linker can make them (matching.decoys), else learnt as a fixed point: the
mean, over enquiries with candidates, of the probability that one of them is the person; as
files grow that mean counts absent people's namesakes as people found (independent 100,000 x
400,000: 0.800 where 0.50 were true). On FEBRL 4 with names, birth date and suburb only (every
enquiry found) it reaches 0.98 and true best candidates below 0.5 rise; on generated data (six in
ten found) it is about 0.6.

Lowered alone, absent made populations with few, shared names overconfident
(benchmarks/RESULTS.md, session 9): there, strangers agree on every name far more often than
independent comparisons say, so the pairwise odds are too high. The data show it without
labels. The pairwise probabilities of an enquiry's candidates, summed, are the number of them
expected to be its person; over a population's enquiries that sum should average the matches
per enquiry: the share found, and more where people are registered twice (each copy is a match;
against the share found alone, which counts such an enquiry once, every population's names were
made lighter than they are). It does where names are diverse (Iraqi, Syrian: 0.64 against
0.62-0.64 true at 100,000 x 500,000) and runs far above it where they are not (Afghan, Somali: 1.05 against 0.63). So in
each such population the names agreeing keep only a share of their weight (`name_weight`, as
little as LEAST_NAME_WEIGHT), the share that brings that sum down to the matches, and `found` is
learnt again over the odds so weighed. The matches per enquiry are learnt with the share found:
the sum of an enquiry's probabilities under the one-person rule, not cut at 1, since two copies
of one person are kin there, not rivals (matching.linker.rivals). The names agreeing, not the
whole odds: a fit of the truth on each comparison's weight, per population, puts a birth date
or place at about its full weight everywhere and the names at 0.2-0.7 of theirs where names are
few (RESULTS.md, session 12); and names that differ are evidence of two people wherever names
are few.

Where the sum falls short even with the names at their full weight, the names are not what is
missing: the pairwise probabilities are low everywhere in the population, as where EM's share of
matches among candidates (the model's prior) falls with the file's size (independent 100,000 x
400,000: 0.0025 where 0.0093 of the candidates are true; 20,000: 0.0052 against 0.0102). Every
pair of that population is lifted by the bits that bring the sum up to its matches (`lift_bits`,
at most MOST_LIFT_BITS), which keeps each enquiry's candidates in the order of their pairwise
odds (which of them contend for being one person, matching.linker.contending, can change: more
do). Under the rule, lifting all of an enquiry's candidates by L bits is weighing "not in the
file" 2^L times less for it: in effect a share found of the population's own. Names made
heavier instead (up to 1.5 times their weight, until session 26) rose to 1.27-1.50 there and
outranked birth dates and places. Names held at their weight account for the gain in R@5
(0.7491 -> 0.7576 in that 100,000), the lift for F1 at 0.5 (0.5131 -> 0.5206): names held at their weight alone were
calibrated at 100,000 (worst gap 0.189) but lost F1 at 0.5 there and turned 20,000
underconfident; lifted, the worst gap is 0.310 (0.379 before), every population overconfident.
`found` is learnt again over the lifted odds, which raises it and so lifts every population a
little more: learnt before the lift instead, 100,000 calibrated far better (worst gap 0.232, all
pairs 0.089 against 0.243) but 20,000 turned underconfident (0.310, F1 0.6406 -> 0.6264;
RESULTS.md, session 26). A population is a nationality; enquiries without one form a population
of their own. This assumes every population is found about as often; a population of fewer than
MIN_RECORDS enquiries keeps its names' full weight and no lift.

Where decoy enquiries tell the share found (matching.decoys), it is a measure from outside the
model's own sums, and each population is held to it directly (`_held_to_share`): its names keep
the share of their weight, or its pairs gain the lift, at which its enquiries' probabilities
under the rule, summed per enquiry and cut at 1, average the share found. The pairwise sums
above are the model judging itself; held to them, the independent 100,000's pairs at 0.3-0.6
were true a quarter less often than predicted (worst gap over all pairs 0.145), held to the
decoys' share 0.066, at F1 0.5566 -> 0.5461 (RESULTS.md, session 29). Each enquiry adds at most
1 to that mean, so a population of MIN_HELD enquiries is held (independent 2,000: worst gap
over all pairs 0.17 -> 0.07).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numba
import numpy as np

from matching.model import LEAST_MISSING_BITS, LEAST_NAME_WEIGHT, MOST_LIFT_BITS
from matching.prepare import population_rows

# Enquiries of a population needed to learn its name weight: one enquiry with dozens of namesakes
# adds dozens to the sum, so a few hundred enquiries' mean says little (generated data, 2,000
# enquiries: one population's odds were once scaled by -6 bits from 232 of them).
MIN_RECORDS = 1_000
# Enquiries of a population needed to hold it to the decoys' share (`_held_to_share`): there each
# adds at most 1 to the mean, so 200 tell it to about 0.035.
MIN_HELD = 200
USEFUL_ODDS = 1e-6  # pairs below these odds add nothing to a sum of probabilities
# The share found, as learnt, stays inside LEARNT_RANGE; as kept in the model, inside KEPT_RANGE.
# Tracing never finds everyone: a model learnt where every enquiry was found (a file linked to
# its own copy) would otherwise take any lone plausible candidate for the person in every later
# search (absent near 1e-6). The name weights are set against the share as learnt: population
# scales set against 0.99 where nearly all are found pushed the weakest true pairs down to make
# room for the missing 1 % (FEBRL 4 with every column: F1 1.0000 -> 0.9996).
LEARNT_RANGE, KEPT_RANGE = (1e-3, 1 - 1e-6), (0.01, 0.99)
FIXED_POINT_STEPS, TOLERANCE = 200, 1e-6
# A blank birth date's weight is learnt from the pairs of at least MIN_BLANK left records, and is
# never below LEAST_MISSING_BITS (matching.model: a guard for data unlike any measured).
MIN_BLANK, BISECTIONS = 200, 16
# `_held_to_share` stops where a population's mean is within HELD_TOLERANCE of the share (or its
# interval that narrow), after HELD_STEPS passes at most (8, after the two at the ends, at
# independent 20,000)
HELD_TOLERANCE, HELD_STEPS = 1e-4, 30


def learn(left: np.ndarray, name_bits: np.ndarray, other_bits: np.ndarray,
          rivals_of: Callable[[np.ndarray], Rivals], population: np.ndarray, names: dict[int, str],
          prior: float, known: np.ndarray | None = None, found: float | None = None
          ) -> tuple[float | None, dict[str, float], dict[str, float]]:
    """(found, name weight by population name, lift bits by population name) from candidate
    pairs of left records `left`,
    whose pairwise log2 odds are `name_bits` (the name comparisons' weights for agreeing, none
    below 0) plus `other_bits` (the prior's and all the rest). `rivals_of(odds)` gives each
    pair's rivals under those odds (the summed odds of its left record's other candidates that
    are not the same person, matching.linker.rivals). `population` holds each left record's code
    (0 none), `names` the population name of each code; `prior` is the model's share of matches
    among candidate pairs. `known`, where labels say which pairs are true, gives the share found
    and the matches directly (the left records with candidates that have a true one among them,
    each left record's true pairs). `found`, where the share found is told otherwise (decoy
    enquiries, matching.decoys), is taken (within KEPT_RANGE) instead of learnt as a fixed point,
    and each population of at least MIN_HELD enquiries is held to it (`_held_to_share`) instead
    of to its matches. (None, {}, {}) where no pair has odds to speak of."""
    given = found
    n = np.bincount(left, minlength=len(population))  # candidates of each left record
    if known is not None:
        counted = float((np.bincount(left[known], minlength=len(population)) > 0).sum() / max((n > 0).sum(), 1))
    # pairs whose odds stay below USEFUL_ODDS whatever share the names keep add nothing (lifted by
    # MOST_LIFT_BITS, 2.6e-4 each at most)
    useful = other_bits + name_bits > np.log2(USEFUL_ODDS)
    if not useful.any():
        return None, {}, {}
    weight = absent_weights(n[left], prior)  # absent at found = 1/2
    sought = population[n > 0]  # the populations of the left records with candidates
    of_pair = population[left]
    codes, sizes = np.unique(sought, return_counts=True)

    # every pass writes its odds into these: the fits below make a dozen passes over millions of
    # pairs, and fresh arrays each time cost more in memory first touched than the arithmetic
    # (absence.learn at 100,000 x 500,000, the same run after run: 6.6-8.9 s with fresh arrays,
    # 3.9-5.1 s with these)
    odds, part = np.empty(len(left)), np.empty(len(left))

    def found_with(kept: np.ndarray | float, lift: np.ndarray | float = 0.0) -> tuple[float, np.ndarray]:
        np.add(other_bits, lift, out=odds)
        np.add(odds, np.multiply(kept, name_bits, out=part), out=odds)
        odds_of(odds, out=odds)
        at = np.flatnonzero(odds > USEFUL_ODDS)
        return _found(left[at], odds[at], rivals_of(odds).of(at), weight[at], len(sought), given)

    # The share found and each left record's matches over the odds as they are, then each
    # population's name weight against its own matches per record, then the share found again
    # over the odds so weighed. Once only: repeated, the two feed each other (a lower share,
    # lighter names, a lower share) and ran away on generated data (m20k: six in ten found
    # learnt as 0.51 after five rounds, every population underconfident). Each population is
    # held to its own matches: held to those of all records, a population whose people are
    # found more often than most kept less of its names than its pairs bear (independent
    # 20,000: Russian names 0.75, pairs at 0.1-0.2 true 0.55 of the time).
    if given is not None and known is None:
        given = float(np.clip(given, *KEPT_RANGE))
        of_left = np.where(n > 0, np.searchsorted(codes, population), -1)
        shares, lifts = _held_to_share(given, codes, sizes, np.searchsorted(codes, of_pair), of_left, found_with)
        return (round(given, 6), *_named(shares, lifts, names))
    if known is None:
        found, matches = found_with(1.0)
    else:
        found, matches = counted, np.bincount(left[known], minlength=len(population)).astype(np.float64)
    own = population[: len(matches)]  # each left record's population
    shares, lifts = {}, {}
    for code, size in zip(codes, sizes):
        if size >= MIN_RECORDS:
            at = useful & (of_pair == code)
            shares[int(code)], lifts[int(code)] = _name_weight_and_lift(
                name_bits[at], other_bits[at], size, float(matches[own == code].sum() / size))
    if known is None:
        at = np.searchsorted(codes, of_pair)
        found, _ = found_with(np.array([shares.get(int(c), 1.0) for c in codes])[at],
                              np.array([lifts.get(int(c), 0.0) for c in codes])[at])
    return (round(float(np.clip(found, *KEPT_RANGE)), 6), *_named(shares, lifts, names))


def _named(shares: dict[int, float], lifts: dict[int, float], names: dict[int, str]
           ) -> tuple[dict[str, float], dict[str, float]]:
    """The name weights and lifts by population name, as the model keeps them: rounded, and only
    those that change anything."""
    return ({names.get(code, ""): round(w, 4) for code, w in shares.items() if round(w, 4) != 1},
            {names.get(code, ""): round(b, 4) for code, b in lifts.items() if round(b, 4) > 0})


class Rivals(NamedTuple):
    """What each candidate pair competes with under the one-person rule: `others`, the summed
    odds of its left record's other candidates that are not its right record's person (each
    lent back as far as it is: a copy sure to be that person adds nothing), and apart the kin
    lending most (q x its odds), `kin_odds`, the same person as its right record with
    probability `kin_q` (matching.linker.kinship), so a namesake taken for a copy is weighed as
    the chance it is."""
    others: np.ndarray
    kin_odds: np.ndarray
    kin_q: np.ndarray

    def of(self, pairs: np.ndarray) -> Rivals:
        """The rivals of `pairs` (a mask or positions) alone."""
        return Rivals(self.others[pairs], self.kin_odds[pairs], self.kin_q[pairs])

    def plus(self, more: Rivals) -> Rivals:
        """Both rivals at once (a pair within one file competes with each record's): the likelier
        loan of the two kept apart, the other's kin among the others as far as it is someone else."""
        mine = self.kin_odds * self.kin_q >= more.kin_odds * more.kin_q
        aside = np.where(mine, (1 - more.kin_q) * more.kin_odds, (1 - self.kin_q) * self.kin_odds)
        return Rivals(self.others + more.others + aside, np.where(mine, self.kin_odds, more.kin_odds),
                      np.where(mine, self.kin_q, more.kin_q))


def exclusive(odds: np.ndarray, rivals: Rivals, absent: np.ndarray | float = 1.0,
              out: np.ndarray | None = None) -> np.ndarray:
    """Probabilities under the assumption that a left record (an enquiry: one person sought) is
    one of its candidates at most: P(j) = odds_j / (absent + odds_j + rivals_j), rivals_j the
    summed odds of the record's candidates that are not j's person. A lone strong candidate
    keeps its probability; two near-certain candidates share it, since only one can be the
    person, unless they are the same person registered twice. Whether the kin lending most is
    j's person is itself a probability (q), so P(j) is the mixture: q x P(j) with that kin
    no rival + (1 - q) x P(j) with it one. Lending its odds by q alone (the rivals expected)
    put every copy below its due (the mean of P over the two cases is above P at the mean
    rivals) and cost recall at 100,000 x 500,000 (0.816 -> 0.806). `absent` weighs "the person
    is not among them"; a linker learns it with its model (`learn`). `out`, where given, is
    written and returned: the fits below ask for the rule dozens of times over millions of pairs,
    and a fresh array each time cost more in memory first touched than the pass itself."""
    if not len(odds) == len(rivals.others) == len(rivals.kin_odds) == len(rivals.kin_q):
        raise ValueError("exclusive: odds and rivals of different lengths")  # the kernel would not check
    if out is None or len(out) != len(odds):
        out = np.empty(len(odds))
    _exclusive(odds, rivals.others, rivals.kin_odds, rivals.kin_q,
               np.broadcast_to(np.asarray(absent, dtype=np.float64), odds.shape), out)
    return out


@numba.njit(cache=True)
def _exclusive(odds, others, kin_odds, kin_q, absent, out):
    """`exclusive` in one pass, into `out`."""
    for i in range(len(odds)):
        base = absent[i] + odds[i] + others[i]
        out[i] = kin_q[i] * odds[i] / base + (1 - kin_q[i]) * odds[i] / (base + kin_odds[i])


def names_kept(weights: dict[str, np.ndarray], names: tuple[str, ...], share: np.ndarray) -> dict[str, np.ndarray]:
    """`weights` (bits per comparison) with the `names` comparisons agreeing keeping `share` of
    their weight (each pair's population's, `by_population`); disagreeing names as they are."""
    return {c: np.where(w > 0, w * share, w) if c in names else w for c, w in weights.items()}


def absent_weights(candidates: np.ndarray, prior: float, found: float = 0.5) -> np.ndarray:
    """The weight of "not in the file" for left records with `candidates` candidates each:
    (1 - found) / found x candidates x prior / (1 - prior)."""
    return (1 - found) / found * candidates * prior / (1 - prior)


def by_population(values: dict[str, float], population: np.ndarray, default: float) -> np.ndarray:
    """For each left record's population (`population` codes, 0 none) its value in `values` (by
    population name: a model's name weights or lifts), `default` where `values` does not name it."""
    return np.array([*values.values(), default])[population_rows(list(values), population)]  # -1: default


def odds_of(bits: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Odds from log2 odds, kept within 2^-60..2^60 (matching.decoys reads them so too); into
    `out` where given (it may be `bits`)."""
    return np.exp2(np.clip(bits, -60, 60, out=out), out=out)


def _found(left: np.ndarray, odds: np.ndarray, rivals: Rivals, half: np.ndarray, n_left: int,
           given: float | None = None) -> tuple[float, np.ndarray]:
    """The share of the `n_left` left records with candidates whose person is among them, as the
    fixed point of found -> mean over those records of sum_j P(j) (at most 1 each), with each
    pair's absent weight `half` x (1 - found) / found (`half`: its weight at found = 1/2); and
    each left record's sum uncut, its matches (a person registered twice is two). Where the
    share is `given`, it and the sums at it."""
    if given is not None:
        p = exclusive(odds, rivals, half * (1 - given) / given)
        return given, np.bincount(left, weights=p)
    found, p, absent = 0.5, np.empty(len(odds)), np.empty(len(odds))
    for _ in range(FIXED_POINT_STEPS):
        np.divide(np.multiply(half, 1 - found, out=absent), found, out=absent)  # half x (1 - found) / found
        p = exclusive(odds, rivals, absent, out=p)
        per_left = np.bincount(left, weights=p)
        new = float(np.clip(per_left.clip(0, 1).sum() / n_left, *LEARNT_RANGE))
        if abs(new - found) < TOLERANCE:
            break
        found = new
    return new, per_left


def _held_to_share(found: float, codes: np.ndarray, sizes: np.ndarray, of_pair: np.ndarray, of_left: np.ndarray,
                   found_with: Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]
                   ) -> tuple[dict[int, float], dict[int, float]]:
    """Each population's (name weight, lift) where the share `found` is told by decoys: those at
    which its enquiries' probabilities under the rule, summed per enquiry and cut at 1, average
    `found`, every population at once. `codes` are the populations of the enquiries with
    candidates (`sizes` of them each), `of_pair` each pair's and `of_left` each enquiry's place
    in `codes` (-1: no candidates), and `found_with(kept, lift)` the rule's sums per enquiry
    with each pair's names keeping `kept` of their weight and lifted by `lift` bits. One number
    per population runs from LEAST_NAME_WEIGHT to 1 (the names' share) and on to
    1 + MOST_LIFT_BITS (the lift), the mean rising along it; where it crosses `found` is found
    by regula falsi (Illinois), every population at once, since each pass over the pairs costs
    0.3-0.5 s at 100,000 x 500,000 (bisection took 16 passes). A population of fewer than
    MIN_HELD keeps 1; one whose mean is above `found` even at the least keeps the least, and
    one below it even at the most the most."""
    sought = of_left >= 0

    def excess(t: np.ndarray) -> np.ndarray:  # each population's mean (sums cut at 1) less `found`
        _, summed = found_with(np.minimum(t, 1.0)[of_pair], np.maximum(t - 1.0, 0.0)[of_pair])
        per_left = np.zeros(len(of_left))
        per_left[: len(summed)] = np.minimum(summed, 1.0)
        return np.bincount(of_left[sought], weights=per_left[sought], minlength=len(codes)) / sizes - found

    big = sizes >= MIN_HELD
    lo, hi = np.full(len(codes), LEAST_NAME_WEIGHT), np.full(len(codes), 1.0 + MOST_LIFT_BITS)
    at_lo, at_hi = excess(lo), excess(hi)
    t = np.where(big, np.where(at_lo >= 0, lo, hi), 1.0)
    crossing = big & (at_lo < 0) & (at_hi > 0)
    kept_lo, kept_hi = np.zeros(len(codes), bool), np.zeros(len(codes), bool)
    for _ in range(HELD_STEPS):
        if not crossing.any():
            break
        c = crossing  # only there is at_lo < 0 < at_hi: elsewhere the secant may divide by 0
        t[c] = hi[c] - at_hi[c] * (hi[c] - lo[c]) / (at_hi[c] - at_lo[c])
        at = excess(t)
        above = crossing & (at > 0)
        below = crossing & (at <= 0)
        # Illinois: an end kept twice running has its value halved, so the guesses close in on
        # the crossing from both sides instead of creeping up to it from one
        at_lo = np.where(below, at, np.where(above & kept_lo, at_lo / 2, at_lo))
        at_hi = np.where(above, at, np.where(below & kept_hi, at_hi / 2, at_hi))
        lo, hi = np.where(below, t, lo), np.where(above, t, hi)
        kept_lo, kept_hi = above, below
        crossing &= (np.abs(at) > HELD_TOLERANCE) & (hi - lo > HELD_TOLERANCE)
    return ({int(c): float(min(x, 1.0)) for c, x in zip(codes[big], t[big])},
            {int(c): float(max(x - 1.0, 0.0)) for c, x in zip(codes[big], t[big])})


def _name_weight_and_lift(name_bits: np.ndarray, other_bits: np.ndarray, n_left: int,
                          matches: float) -> tuple[float, float]:
    """(share, lift): the share (LEAST_NAME_WEIGHT to 1) of `name_bits` that brings the pairwise
    probabilities of a population's pairs, summed over its `n_left` left records, down to
    `matches` per record, or where even all of them leave the sum short, the bits (0 to
    MOST_LIFT_BITS) added to every pair that bring it up: bisection, the sum rising with either
    (`name_bits` are never below 0). The least share where even it leaves the sum above; no lift
    where even the most leaves it short (enquiries whose candidates agree on little, not a share
    of matches too low)."""
    def mass(share: float, lift: float = 0.0) -> float:
        return float((1 / (1 + np.exp2(-np.clip(other_bits + lift + share * name_bits, -60, 60)))).sum()) / n_left

    if mass(1.0) <= matches:
        if mass(1.0, MOST_LIFT_BITS) <= matches:
            return 1.0, 0.0
        return 1.0, _crossing(lambda lift: mass(1.0, lift) > matches, 0.0, MOST_LIFT_BITS, 30)
    if mass(LEAST_NAME_WEIGHT) >= matches:
        return LEAST_NAME_WEIGHT, 0.0
    return _crossing(lambda share: mass(share) > matches, LEAST_NAME_WEIGHT, 1.0, 30), 0.0


def missing_date_bits(left: np.ndarray, odds: np.ndarray, rivals_of: Callable[[np.ndarray], Rivals],
                      absent: np.ndarray, left_blank: np.ndarray, right_blank: np.ndarray, left_share: float,
                      right_share: float) -> tuple[float, float]:
    """The weights (bits, LEAST_MISSING_BITS to 0) of a birth date given on one side only: the
    left record's side blank, and the right record's side blank where the left gives one.

    A record that gives no birth date is no likelier to be anyone's match than one that does
    (who is sought does not depend on how their registration was written), so of the matches
    expected among candidate pairs, a share `left_share` should have the left side blank and
    (1 - left_share) x `right_share` the right side only (the shares of the left records with
    candidates and of the indexed records that give none). Weighed at 0 bits, blank dates take
    far more: a found record without a date stands out among namesakes whose dates disagree,
    and the many like it that blocking did not keep are not there to share the probability
    (100,000 x 500,000 generated: 6,049 matches expected among such pairs, 2,697 true; where
    both sides give a date, 52,274 and 55,477). Each weight is the one at which the
    probabilities of its pairs under the one-person rule (pair odds `odds`, of left record
    `left`, rivals by `rivals_of`, `absent` the weight of "not in the file"), summed, are that
    share of what all pairs are expected to hold, counted from the pairs dated on both sides;
    0 where they are not above it, or where fewer than MIN_BLANK left records have such pairs
    or pairs dated on both sides (a file giving no dates at all).
    The right side is fitted first: an enquiry giving no date has only blank pairs, so the
    left weight moves no other enquiry's probabilities. The linker learns these before the
    share found and the name weights (`learn`), from odds with names at their full weight and
    `absent` at a share found of 1/2, so that those are learnt over odds that weigh blank dates:
    learnt after them instead, the share found stayed where the blank dates' excess had put it
    (100,000 x 500,000: 0.609 against 0.581 true; learnt over the weighed odds, 0.580)."""
    dated = ~left_blank & ~right_blank
    if len(np.unique(left[dated])) < MIN_BLANK:  # nothing dated on both sides to measure against
        return 0.0, 0.0
    right_expected = (1 - left_share) * right_share
    rest = max(1 - left_share - right_expected, 1e-9)

    def fit(side: np.ndarray, share: float, weigh) -> float:
        if len(np.unique(left[side])) < MIN_BLANK:
            return 0.0

        p = np.empty(len(odds))

        def excess(w: float) -> float:
            o = odds * np.exp2(weigh(w))
            exclusive(o, rivals_of(o), absent, out=p)
            return float(p[side].sum() - share * p[dated].sum() / rest)

        if excess(0.0) <= 0:
            return 0.0
        if excess(LEAST_MISSING_BITS) >= 0:
            return LEAST_MISSING_BITS
        return round(_crossing(lambda w: excess(w) > 0, LEAST_MISSING_BITS, 0.0, BISECTIONS), 3)

    right_bits = fit(right_blank, right_expected, lambda w: np.where(right_blank, w, 0.0))
    left_bits = fit(left_blank, left_share, lambda w: np.where(left_blank, w, np.where(right_blank, right_bits, 0.0)))
    return left_bits, right_bits


def _crossing(above: Callable[[float], bool], low: float, high: float, steps: int) -> float:
    """Where a quantity rising from `low` to `high` crosses its target (`above(x)`: past it at
    x), by `steps` bisections: the middle of the last interval."""
    for _ in range(steps):
        middle = (low + high) / 2
        low, high = (low, middle) if above(middle) else (middle, high)
    return (low + high) / 2
