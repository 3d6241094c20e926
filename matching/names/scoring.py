"""Vectorised scoring of aligned name-token pairs, computed on distinct pairs only.

A candidate set has millions of pairs but far fewer distinct tokens and
distinct token pairs. Each token's features (foldings, variant classes,
compound split, gender form) are computed the first time the process meets it
and kept in one growing table, each distinct pair of a call is scored once with
rapidfuzz ``cpdist``, and the scores are spread back to the input order.

The score of a pair is the best of

* Jaro-Winkler on the romanised tokens,
* Jaro-Winkler on their phonetic foldings, one side's usual convention against
  each convention the other side's letters allow (``folding``),
* ``CLASS_SCORE`` when both are attested spellings of one name
  (``variant_classes``),

where compounds sharing a prefix or suffix (Abd-, Gebre-, -ullah) are scored on
the part that differs, and East Slavic surnames sharing a suffix (-enko, -uk, -sky)
score no higher than their stems unless the stems are variants; the score is then
capped for gendered forms of one stem (Samir / Samira) and for names known to
differ: attested spellings of different Arabic names (Hassan / Hussein), forms on
different lines of the cross-language table (Oleksandr / Oleksiy).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist

from matching.names import folding, variant_classes
from matching.names.tokenisation import ABD_FORMS, split_affix, surname_suffix
from matching.parallel import mapped

#: Scores at or above this mean "spellings of one name" (the tests hold it to that).
VARIANT_THRESHOLD = 0.88
#: ... and at or above this, a spelling or attested variant of one name beyond doubt.
ONE_NAME = 0.95
CLASS_SCORE = 0.96          # both tokens are attested spellings of one name
GENDER_CAP = 0.78           # Samir / Samira, Ivanov / Ivanova
KNOWN_DIFFERENT_CAP = 0.6   # Mohammed / Mahmoud, Hassan / Hussein
HALF_COMPOUND = 0.8         # Abdul written alone against Abdul Rahim: loosely alike, not different
SAME_UNIT_CHANCE = 0.05    # below this chance of naming one Arabic unit, two spellings differ
ALT_DISCOUNT = 0.97         # a reading under a less usual transliteration convention
BARE_DISCOUNT = 0.93        # a match of consonant skeletons only, for vowel-less renderings
ALT_GATE = 0.6              # ... is tried only for pairs at least this close as usually read


def similarity(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Score in [0, 1] of token a[i] against token b[i]; high for spellings of one name."""
    pairs = _Pairs(a, b)
    return pairs.spread(_score(pairs.table, pairs.first, pairs.second))


def known_different(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """True where a source says the two tokens are different names (`_TokenTable.known_different`)."""
    pairs = _Pairs(a, b)
    return pairs.spread(pairs.table.known_different(pairs.first, pairs.second))


class _Pairs:
    """Aligned token pairs reduced to distinct pairs of codes in the shared token table."""

    def __init__(self, a: Sequence[str], b: Sequence[str]):
        if len(a) != len(b):
            raise ValueError("token pairs need two sequences of equal length")
        self.table = _TABLE
        codes = self.table.codes([t or "" for t in a] + [t or "" for t in b])
        n, span = len(a), max(len(self.table), 1)
        distinct, self.inverse = np.unique(codes[:n] * span + codes[n:], return_inverse=True)
        self.inverse = self.inverse.reshape(-1)
        self.first, self.second = distinct // span, distinct % span

    def spread(self, values: np.ndarray) -> np.ndarray:
        return values[self.inverse]


class _Features(NamedTuple):
    """What the scorer needs to know of one distinct token."""

    folds: tuple[str, ...]
    classes: tuple[int, ...]
    readings: tuple[tuple[int, float], ...]
    lines: tuple[int, ...]  # its lines of the cross-language table (variant_classes.language_lines)
    gender_base: str
    gender: int
    affix: str
    core: str
    suffix: str  # an East Slavic surname's suffix (`surname_suffix`), or ""
    stem: str
    skeleton: str
    vowel_poor: bool

    @property
    def half(self) -> bool:
        """An Abd-compound's first half written alone (Abdul, Abdel, Abd), which names no one."""
        return self.affix == "" and self.core in ABD_FORMS

    @classmethod
    def of(cls, token: str) -> _Features:
        skeletons, folds = folding.fold(token)
        folds = folds or (token,)
        skeleton = skeletons[0] if skeletons else ""
        if folding.SPLIT_TS.match(token):
            skeleton = "T" + skeleton  # tsfi, Arabic script's t and s (Tesfay), not ц
        # Arabic script unknown to the attested data comes out without short vowels, and so do
        # Tigrinya names as many write them (Grmay, Kbrom): four consonants with a vowel at most,
        # or three opening the word with none but a last one (tsfi, ghbri, hdn). Latin spellings
        # of other names seldom look so (brent and clarke do; Indra, its vowel first, does not).
        consonants, vowels = len(skeleton.lstrip("A")), folds[0].count("a") + folds[0].count("u")
        vowel_poor = (consonants >= 4 and vowels <= 1) or (
            consonants == 3 and not skeleton.startswith("A")
            and (vowels == 0 or (vowels == 1 and folds[0][-1] in "au")))
        return cls(folds, *variant_classes.classes(token), variant_classes.language_lines(token),
                   *variant_classes.gender_form(token),
                   *split_affix(token), *surname_suffix(token), skeleton, vowel_poor)


class _TokenTable:
    """Features of every token met so far as arrays, indexed by token code; grows as new tokens
    come. A token's features depend on the token alone, so they are computed once per process
    (a batch scores millions of pairs a chunk at a time, a service meets its names at every
    search), never once per call."""

    def __init__(self):
        self.tokens: list[str] = []
        self.position: dict[str, int] = {}
        self._rows: list[_Features] = []
        self._bases: dict[str, int] = {}
        self._affixes: dict[str, int] = {"": 0}
        self._suffixes: dict[str, int] = {"": 0}
        self._lock = threading.Lock()
        self.__dict__.update(self._arrays(0))

    def __len__(self) -> int:
        return len(self.tokens)

    def codes(self, tokens: list[str]) -> np.ndarray:
        """The code of each token, adding those never met (and their compound cores). New codes
        are published only once the arrays hold their rows, so a caller in another thread
        never reads a code past the arrays it reads."""
        position = self.position
        if any(t not in position for t in tokens):
            with self._lock:
                start, new = len(self.tokens), {}
                fresh = [t for t in dict.fromkeys(tokens) if t not in position]
                while fresh:  # compound cores ("rahman" of "abdrahman") and stems are tokens too
                    rows = mapped(_Features.of, fresh)  # a first batch holds tens of thousands
                    new.update(zip(fresh, range(len(self.tokens), len(self.tokens) + len(fresh))))
                    self.tokens.extend(fresh)
                    self._rows.extend(rows)
                    parts = (part for row in rows for part in (row.core, row.stem))
                    fresh = [c for c in dict.fromkeys(parts) if c not in position and c not in new]
                self._freeze(start, new)
                position.update(new)
        return np.fromiter((position[t] for t in tokens), dtype=np.int64, count=len(tokens))

    @staticmethod
    def _arrays(n: int) -> dict[str, np.ndarray]:
        """Blank feature arrays for n tokens."""
        return {
            "strings": np.empty(n, dtype=object), "folds": np.empty((n, folding.MAX_FOLDS), dtype=object),
            "n_folds": np.zeros(n, dtype=np.int8),
            "classes": np.full((n, variant_classes.MAX_CLASSES), -1, dtype=np.int64),
            "lines": np.full((n, variant_classes.MAX_CLASSES), -1, dtype=np.int64),
            "units": np.full((n, variant_classes.MAX_READINGS), -1, dtype=np.int64),
            "shares": np.zeros((n, variant_classes.MAX_READINGS), dtype=np.float64),
            "gender_base": np.full(n, -1, dtype=np.int64), "gender": np.full(n, -1, dtype=np.int8),
            "affix": np.zeros(n, dtype=np.int64), "core": np.zeros(n, dtype=np.int64),
            "suffix": np.zeros(n, dtype=np.int64), "stem": np.zeros(n, dtype=np.int64),
            "skeleton": np.empty(n, dtype=object), "vowel_poor": np.zeros(n, dtype=bool),
            "half": np.zeros(n, dtype=bool),
        }

    def _freeze(self, start: int, new_codes: dict[str, int]) -> None:
        """Append the feature rows of tokens start.. to the arrays. Each array is replaced whole,
        never written in place, so a scoring that read the old one still reads a valid prefix."""
        new = self._arrays(len(self.tokens) - start)
        for i, row in enumerate(self._rows[start:]):
            new["strings"][i] = self.tokens[start + i]
            new["folds"][i, :] = [row.folds[min(k, len(row.folds) - 1)] for k in range(folding.MAX_FOLDS)]
            new["n_folds"][i] = len(row.folds)
            new["classes"][i, : len(row.classes)] = row.classes
            new["lines"][i, : len(row.lines)] = row.lines
            for k, (unit, share) in enumerate(row.readings):
                new["units"][i, k], new["shares"][i, k] = unit, share
            if row.gender_base:
                new["gender_base"][i] = self._bases.setdefault(row.gender_base, len(self._bases))
                new["gender"][i] = row.gender
            new["affix"][i] = self._affixes.setdefault(row.affix, len(self._affixes))
            new["core"][i] = new_codes[row.core] if row.core in new_codes else self.position[row.core]
            new["suffix"][i] = self._suffixes.setdefault(row.suffix, len(self._suffixes))
            new["stem"][i] = new_codes[row.stem] if row.stem in new_codes else self.position[row.stem]
            new["skeleton"][i], new["vowel_poor"][i] = row.skeleton, row.vowel_poor
            new["half"][i] = row.half
        for name, part in new.items():
            setattr(self, name, np.concatenate([getattr(self, name), part]))

    def affix_code(self, affix: str) -> int:
        """The code of a compound affix in `affix`, -1 if no token met so far has it."""
        return self._affixes.get(affix, -1)

    def shared_class(self, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        """Any source calling the two one name: an Arabic unit or Ethiopian name (`classes`), or a
        line of the cross-language table (`lines`; once among the classes, where two Arabic units
        and an Ethiopian name left Hanna none for its line with Anna)."""
        return _overlap(self.classes, ia, ib) | _overlap(self.lines, ia, ib)

    def known_different(self, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        """No source (units, Ethiopian names, language forms) calling the two one name, and
        either both on different lines of the cross-language table (Oleksandr, Oleksiy), or
        both well attested Arabic spellings whose chance of
        spelling one unit (summed over units of the product of their shares) is under
        SAME_UNIT_CHANCE."""
        out = (self.lines[ia, 0] >= 0) & (self.lines[ib, 0] >= 0) & ~_overlap(self.lines, ia, ib)
        rows = np.flatnonzero((self.units[ia, 0] >= 0) & (self.units[ib, 0] >= 0) & (ia != ib))
        ua, ub = self.units[ia[rows]], self.units[ib[rows]]
        sa, sb = self.shares[ia[rows]], self.shares[ib[rows]]
        chance = np.zeros(len(rows))
        for i in range(ua.shape[1]):
            for j in range(ub.shape[1]):
                chance += np.where((ua[:, i] == ub[:, j]) & (ua[:, i] >= 0), sa[:, i] * sb[:, j], 0.0)
        out[rows] |= chance < SAME_UNIT_CHANCE
        return out & ~self.shared_class(ia, ib)

    def gendered(self, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        return ((self.gender_base[ia] == self.gender_base[ib]) & (self.gender_base[ia] >= 0)
                & (self.gender[ia] >= 0) & (self.gender[ib] >= 0)
                & (self.gender[ia] != self.gender[ib]))


_TABLE = _TokenTable()  # one per process, shared by every caller


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
    # Abdul alone is the first half of any Abd-compound (an officer wrote Abdul Rahim's first
    # word only, or the compound's second word went to another field): loosely alike, neither
    # Abdul Rahim's name nor a different one.
    abd = table.affix_code("abd")
    halves = (table.half[ia] & (table.affix[ib] == abd)) | (table.half[ib] & (table.affix[ia] == abd))
    score[halves] = np.maximum(score[halves], HALF_COMPOUND)
    # East Slavic surnames sharing a suffix are one name only where their stems are
    # (Shevchenko and Savchenko are two families): below a variant's score the stems' score
    # stands. Two different suffixes are two families (Kovalenko, Kovalchuk), unless a man's and
    # a woman's form of one name (Kovalskyi, Kovalska), which the gender cap has weighed.
    sa, sb = table.suffix[ia], table.suffix[ib]
    both = np.flatnonzero((sa > 0) & (sb > 0) & (ia != ib))
    same = both[sa[both] == sb[both]]
    if len(same):
        stems = _score(table, table.stem[ia[same]], table.stem[ib[same]])
        score[same] = np.where(stems >= VARIANT_THRESHOLD, score[same], np.minimum(score[same], stems))
    other = both[(sa[both] != sb[both]) & ~gendered[both]]
    score[other] = np.minimum(score[other], KNOWN_DIFFERENT_CAP)
    score[ia == ib] = 1.0
    return score
