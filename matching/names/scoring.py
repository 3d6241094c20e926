"""Vectorised scoring of aligned name-token pairs, computed on distinct pairs only.

A candidate set has millions of pairs but far fewer distinct tokens and
distinct token pairs. Tokens are coded once (polars categorical codes), their
features (foldings, variant classes, compound split, gender form) are looked up
once per distinct token, each distinct pair is scored once with rapidfuzz
``cpdist``, and the scores are spread back to the input order.

The score of a pair is the best of

* Jaro-Winkler on the romanised tokens,
* Jaro-Winkler on their phonetic foldings, one side's usual convention against
  each convention the other side's letters allow (``folding``),
* ``CLASS_SCORE`` when both are attested spellings of one name
  (``variant_classes``),

where compounds sharing a prefix or suffix (Abd-, Gebre-, -ullah) are scored on
the part that differs; the score is then capped for gendered forms of one stem
(Samir / Samira) and for attested spellings of different names (Hassan /
Hussein).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import polars as pl
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist

from matching.names import folding, variant_classes
from matching.names.tokenisation import split_affix

#: Scores at or above this mean "spellings of one name" (the tests hold it to that).
VARIANT_THRESHOLD = 0.88
CLASS_SCORE = 0.96          # both tokens are attested spellings of one name
GENDER_CAP = 0.78           # Samir / Samira, Ivanov / Ivanova
KNOWN_DIFFERENT_CAP = 0.6   # Mohammed / Mahmoud, Hassan / Hussein
SAME_UNIT_CHANCE = 0.05    # below this chance of naming one Arabic unit, two spellings differ
ALT_DISCOUNT = 0.97         # a reading under a less usual transliteration convention
BARE_DISCOUNT = 0.93        # a match of consonant skeletons only, for vowel-less renderings
ALT_GATE = 0.6              # ... is tried only for pairs at least this close as usually read


def similarity(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Score in [0, 1] of token a[i] against token b[i]; high for spellings of one name."""
    pairs = _Pairs(a, b)
    return pairs.spread(_score(pairs.table, pairs.first, pairs.second))


def known_different(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """True where both tokens are well attested spellings of different names only."""
    pairs = _Pairs(a, b)
    return pairs.spread(pairs.table.known_different(pairs.first, pairs.second))


class _Pairs:
    """Aligned token pairs reduced to distinct pairs of token codes."""

    def __init__(self, a: Sequence[str], b: Sequence[str]):
        if len(a) != len(b):
            raise ValueError("token pairs need two sequences of equal length")
        n = len(a)
        strings = pl.concat([_series(a), _series(b)]).fill_null("")
        dense, tokens = _code(strings)
        self.table = _TokenTable(tokens)
        pair_code = dense[:n] * max(len(tokens), 1) + dense[n:]
        distinct, self.inverse = np.unique(pair_code, return_inverse=True)
        self.inverse = self.inverse.reshape(-1)
        self.first = distinct // max(len(tokens), 1)
        self.second = distinct % max(len(tokens), 1)

    def spread(self, values: np.ndarray) -> np.ndarray:
        return values[self.inverse]


def _series(tokens: Sequence[str] | pl.Series) -> pl.Series:
    """Tokens as a polars string series; a polars series passes without a copy to Python."""
    if isinstance(tokens, pl.Series):
        return tokens.cast(pl.String).rename("t")
    return pl.Series("t", list(tokens), dtype=pl.String)


def _code(strings: pl.Series) -> tuple[np.ndarray, list[str]]:
    """(dense code of each string, the distinct strings in code order).

    Polars numbers a series' categories by first appearance; that is checked
    on a sample, with a sort-based fallback should a polars version differ.
    """
    codes = strings.cast(pl.Categorical).to_physical().to_numpy().astype(np.int64)
    tokens = strings.unique(maintain_order=True).to_list()
    if len(codes) == 0:
        return codes, tokens
    sample = np.linspace(0, len(codes) - 1, num=min(len(codes), 64)).astype(np.int64)
    if codes.max() + 1 == len(tokens) and all(
        tokens[codes[i]] == strings[int(i)] for i in sample
    ):
        return codes, tokens
    _, first_seen, dense = np.unique(codes, return_index=True, return_inverse=True)
    return dense.reshape(-1), strings.gather(first_seen).to_list()


class _Features(NamedTuple):
    """What the scorer needs to know of one distinct token."""

    folds: tuple[str, ...]
    classes: tuple[int, ...]
    readings: tuple[tuple[int, float], ...]
    gender_base: str
    gender: int
    affix: str
    core: str
    skeleton: str
    vowel_poor: bool

    @classmethod
    def of(cls, token: str) -> _Features:
        skeletons, folds = folding.fold(token)
        folds = folds or (token,)
        skeleton = skeletons[0] if skeletons else ""
        # Arabic script unknown to the attested data comes out without short vowels
        vowel_poor = len(skeleton.lstrip("A")) >= 4 and folds[0].count("a") + folds[0].count("u") <= 1
        return cls(folds, *variant_classes.classes(token), *variant_classes.gender_form(token),
                   *split_affix(token), skeleton, vowel_poor)


# A token's features depend on the token alone: remembered, since every search meets its names again.
_features = lru_cache(maxsize=500_000)(_Features.of)


class _TokenTable:
    """Features of distinct tokens as arrays, indexed by token code."""

    def __init__(self, tokens: list[str]):
        self.tokens: list[str] = []
        self.position: dict[str, int] = {}
        self._rows: list[_Features] = []
        for token in tokens:
            self.add(token)
        # compound cores ("rahman" of "abdrahman") are tokens too
        i = 0
        while i < len(self.tokens):
            self.add(self._rows[i].core)
            i += 1
        self._freeze()

    def add(self, token: str) -> None:
        if token not in self.position:
            self.position[token] = len(self.tokens)
            self.tokens.append(token)
            self._rows.append(_features(token))

    def _freeze(self) -> None:
        n, width = len(self.tokens), folding.MAX_FOLDS
        self.strings = np.asarray(self.tokens, dtype=object)
        self.folds = np.empty((n, width), dtype=object)
        self.n_folds = np.zeros(n, dtype=np.int8)
        self.classes = np.full((n, variant_classes.MAX_CLASSES), -1, dtype=np.int64)
        self.units = np.full((n, variant_classes.MAX_READINGS), -1, dtype=np.int64)
        self.shares = np.zeros((n, variant_classes.MAX_READINGS), dtype=np.float64)
        self.gender_base = np.full(n, -1, dtype=np.int64)
        self.gender = np.full(n, -1, dtype=np.int8)
        self.affix = np.zeros(n, dtype=np.int64)
        self.core = np.arange(n, dtype=np.int64)
        self.skeleton = np.asarray([row.skeleton for row in self._rows], dtype=object)
        self.vowel_poor = np.asarray([row.vowel_poor for row in self._rows], dtype=bool)
        bases: dict[str, int] = {}
        affixes: dict[str, int] = {"": 0}
        for i, row in enumerate(self._rows):
            self.folds[i, :] = [row.folds[min(k, len(row.folds) - 1)] for k in range(width)]
            self.n_folds[i] = len(row.folds)
            self.classes[i, : len(row.classes)] = row.classes
            for k, (unit, share) in enumerate(row.readings):
                self.units[i, k], self.shares[i, k] = unit, share
            if row.gender_base:
                self.gender_base[i] = bases.setdefault(row.gender_base, len(bases))
                self.gender[i] = row.gender
            self.affix[i] = affixes.setdefault(row.affix, len(affixes))
            self.core[i] = self.position[row.core]

    def shared_class(self, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        return _overlap(self.classes, ia, ib)

    def known_different(self, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        """Both well attested, the chance that they spell one Arabic unit (summed over
        units of the product of their shares) under SAME_UNIT_CHANCE, and no source
        (units, Ethiopian names, language forms) calling the two one name."""
        out = np.zeros(len(ia), dtype=bool)
        rows = np.flatnonzero((self.units[ia, 0] >= 0) & (self.units[ib, 0] >= 0) & (ia != ib))
        ua, ub = self.units[ia[rows]], self.units[ib[rows]]
        sa, sb = self.shares[ia[rows]], self.shares[ib[rows]]
        chance = np.zeros(len(rows))
        for i in range(ua.shape[1]):
            for j in range(ub.shape[1]):
                chance += np.where((ua[:, i] == ub[:, j]) & (ua[:, i] >= 0), sa[:, i] * sb[:, j], 0.0)
        out[rows] = chance < SAME_UNIT_CHANCE
        return out & ~self.shared_class(ia, ib)

    def gendered(self, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        return ((self.gender_base[ia] == self.gender_base[ib]) & (self.gender_base[ia] >= 0)
                & (self.gender[ia] >= 0) & (self.gender[ib] >= 0)
                & (self.gender[ia] != self.gender[ib]))


def _overlap(table: np.ndarray, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Rows where the id sets table[ia] and table[ib] (-1 padded) share an id."""
    hit = np.zeros(len(ia), dtype=bool)
    rows = np.flatnonzero((table[ia, 0] >= 0) & (table[ib, 0] >= 0))
    ca, cb = table[ia[rows]], table[ib[rows]]
    for i in range(ca.shape[1]):
        for j in range(cb.shape[1]):
            hit[rows] |= (ca[:, i] == cb[:, j]) & (ca[:, i] >= 0)
    return hit


PARALLEL_FROM = 10_000  # pairs; below this, starting worker threads costs more (~1 ms) than it saves


def workers_for(pairs: int) -> int:
    """rapidfuzz workers for a batch of `pairs`: all cores for big batches, one for a query's few."""
    return -1 if pairs >= PARALLEL_FROM else 1


def _jw(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if len(x) == 0:
        return np.zeros(0)
    return cpdist(x, y, scorer=JaroWinkler.normalized_similarity, workers=workers_for(len(x)), dtype=np.float64)


def _score(table: _TokenTable, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Scores of distinct pairs of token codes."""
    # Compounds that share a prefix or suffix are compared on the part that differs.
    same_affix = (table.affix[ia] == table.affix[ib]) & (table.affix[ia] > 0)
    ia = np.where(same_affix, table.core[ia], ia)
    ib = np.where(same_affix, table.core[ib], ib)
    score = _jw(table.strings[ia], table.strings[ib])
    folds = table.folds
    np.maximum(score, _jw(folds[ia, 0], folds[ib, 0]), out=score)
    # One side's usual convention against each other convention of the other side;
    # where that is still low, both sides under other conventions (Polish Siergiej
    # against Ukrainian Serhii). A reading that needs a less usual convention is
    # discounted a little, so that it lifts true variants (which then agree exactly)
    # more than look-alikes. Pairs far apart under the usual reading are not tried:
    # a convention changes a letter or two, not a whole name.
    n_a, n_b = table.n_folds[ia], table.n_folds[ib]
    hopeful = (score >= ALT_GATE) & (score < 1.0)
    for k in range(1, folding.MAX_FOLDS):
        for mine, other, n_mine in ((ia, ib, n_a), (ib, ia, n_b)):
            rows = np.flatnonzero(hopeful & (n_mine > k))
            if len(rows):
                alt = ALT_DISCOUNT * _jw(folds[mine[rows], k], folds[other[rows], 0])
                score[rows] = np.maximum(score[rows], alt)
    for k in range(1, folding.MAX_FOLDS):
        for j in range(1, folding.MAX_FOLDS):
            rows = np.flatnonzero(hopeful & (n_a > k) & (n_b > j) & (score < VARIANT_THRESHOLD))
            if len(rows):
                alt = ALT_DISCOUNT * _jw(folds[ia[rows], k], folds[ib[rows], j])
                score[rows] = np.maximum(score[rows], alt)
    # A vowel-less rendering (unattested Arabic script) is compared on consonant skeletons.
    rows = np.flatnonzero(table.vowel_poor[ia] | table.vowel_poor[ib])
    if len(rows):
        bare = BARE_DISCOUNT * _jw(table.skeleton[ia[rows]], table.skeleton[ib[rows]])
        score[rows] = np.maximum(score[rows], bare)
    shared = table.shared_class(ia, ib)
    score[shared] = np.maximum(score[shared], CLASS_SCORE)
    gendered = table.gendered(ia, ib) & ~same_affix  # Atta-ullah is no feminine of Att-ullah
    score[gendered] = np.minimum(score[gendered], GENDER_CAP)
    high = np.flatnonzero(score > KNOWN_DIFFERENT_CAP)  # only these can be capped
    different = high[table.known_different(ia[high], ib[high])]
    score[different] = KNOWN_DIFFERENT_CAP
    score[ia == ib] = 1.0
    return score
