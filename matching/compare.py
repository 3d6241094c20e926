"""Vectorised comparisons of candidate pairs: one small-integer level per comparison and pair.

Levels are ordered, higher means stronger agreement, -1 means a side is blank (no evidence).
Names are compared through a cache of token-pair similarities, so each distinct pair of
spellings is scored once however many candidate pairs share it. Nothing loops per pair in Python.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist

from matching import dates, names
from matching.model import MISSING, Comparison
from matching.names.scoring import workers_for
from matching.prepare import Prepared, Vocab

# Similarity cut-offs for name levels: variant of one name, likely variant, loosely alike.
STRONG, GOOD, LOOSE = 0.95, 0.88, 0.75
FIRST_NAME_LABELS = ("different", "one's given name is the other's family name",
                     "given and family swapped in a name chain (or father and son)",
                     "given name is the family name where the other has none", "given and family swapped",
                     "loosely alike", "similar", "same name or variant")
ONE_WAY, CHAIN_SWAP, HALF_SWAP, SWAP, LOOSE_FIRST = range(1, 6)
CHUNK = 500_000  # candidate pairs compared at once


NAME_LABELS = ("different", "loosely alike", "similar", "same name or variant")


class TokenSimilarity:
    """Similarity of token-id pairs, computed once per distinct pair and remembered.

    The memory is a sorted array of packed pair keys with their scores: a request is one
    vectorised binary search, plus the scoring of pairs never seen before, which are then
    inserted in order. Unseen pairs that neither share a phonetic key nor look alike to plain
    Jaro-Winkler are scored 0 without the full name similarity: they are different names
    whatever the finer measure says."""

    SPAN = 1 << 32
    PLAIN_FLOOR = 0.6  # plain Jaro-Winkler below this, with no shared key: not one name

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self.keys = np.zeros(0, dtype=np.int64)
        self.scores = np.zeros(0, dtype=np.float32)

    def __call__(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Similarity for id arrays of one shape (broadcast if need be); 0 where either id is -1."""
        a, b = np.broadcast_arrays(a, b)
        out = np.zeros(a.shape, dtype=np.float32)
        valid = (a >= 0) & (b >= 0)
        if not valid.any():
            return out
        va, vb = a[valid].astype(np.int64), b[valid].astype(np.int64)
        lo, hi = np.minimum(va, vb), np.maximum(va, vb)
        span = len(self.vocab.tokens)  # dense while sorting; the memory's keys stay valid as the vocabulary grows
        distinct, inverse = _distinct(lo * span + hi, span * span)
        distinct = distinct // span * self.SPAN + distinct % span
        at, hit = self._find(distinct)
        if not hit.all():
            new = distinct[~hit]
            where = np.searchsorted(self.keys, new)
            self.keys = np.insert(self.keys, where, new)
            self.scores = np.insert(self.scores, where, self._score(new))
            at, hit = self._find(distinct)
        out[valid] = self.scores[at][inverse.ravel()]
        return out

    def many(self, *requests: tuple[np.ndarray, np.ndarray]) -> list[np.ndarray]:
        """Several requests answered by one lookup, so shared pairs are found once."""
        shapes = [np.broadcast_shapes(a.shape, b.shape) for a, b in requests]
        flat_a = np.concatenate([np.broadcast_to(a, sh).ravel() for (a, _), sh in zip(requests, shapes)])
        flat_b = np.concatenate([np.broadcast_to(b, sh).ravel() for (_, b), sh in zip(requests, shapes)])
        scores = self(flat_a, flat_b)
        bounds = np.cumsum([0, *(int(np.prod(sh)) for sh in shapes)])
        return [scores[lo:hi].reshape(sh) for lo, hi, sh in zip(bounds[:-1], bounds[1:], shapes)]

    def _find(self, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        at = np.minimum(np.searchsorted(self.keys, wanted), max(len(self.keys) - 1, 0))
        hit = self.keys[at] == wanted if len(self.keys) else np.zeros(len(wanted), dtype=bool)
        return at, hit

    def _score(self, pairs: np.ndarray) -> np.ndarray:
        tokens = self.vocab.array()
        ta, tb = tokens[pairs // self.SPAN], tokens[pairs % self.SPAN]
        plain = cpdist(list(ta), list(tb), scorer=JaroWinkler.normalized_similarity, workers=workers_for(len(ta)))
        ids = self.vocab.key_ids()
        first, second = ids[pairs // self.SPAN], ids[pairs % self.SPAN]
        shared = ((first[:, :, None] == second[:, None, :]) & (first[:, :, None] >= 0)).any(axis=(1, 2))
        scores = np.zeros(len(pairs), dtype=np.float32)
        full = shared | (plain >= self.PLAIN_FLOOR)
        if full.any():
            scores[full] = names.similarity(list(ta[full]), list(tb[full]))
        return scores


def _distinct(keys: np.ndarray, bound: int) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(keys, return_inverse=True) for keys in [0, bound), about twice as fast:
    where each key and its position fit in one int64 together, one plain sort of those numbers
    replaces the argsort np.unique does."""
    shift = max(len(keys) - 1, 1).bit_length()
    if len(keys) == 0 or bound > 1 << (63 - shift):
        return np.unique(keys, return_inverse=True)
    packed = np.sort((keys << shift) | np.arange(len(keys)))
    ordered = packed >> shift
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    inverse = np.empty(len(keys), dtype=np.int64)
    inverse[packed & ((1 << shift) - 1)] = np.cumsum(first) - 1
    return ordered[first], inverse


def _name_level(sim: np.ndarray, blank: np.ndarray) -> np.ndarray:
    level = np.select([sim >= STRONG, sim >= GOOD, sim >= LOOSE], [3, 2, 1], 0).astype(np.int8)
    level[blank] = MISSING
    return level


def _aligned_share(s: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Order-free alignment of two token sets from their similarity matrix `s` (n, ka, kb):
    summed similarity of a greedy best one-to-one assignment, over the size of the smaller
    set. Tolerates any order of the name parts."""
    n, ka, kb = s.shape
    s = np.where(s < LOOSE, 0, s)  # unlike tokens contribute nothing
    total = np.zeros(n, dtype=np.float32)
    rows = np.arange(n)
    for _ in range(min(ka, kb)):
        flat = s[rows].reshape(len(rows), ka * kb).argmax(1)
        best = s[rows, flat // kb, flat % kb]
        alike = best > 0  # a row with nothing alike left is done: the next steps would add 0
        rows, flat = rows[alike], flat[alike]
        i, j = flat // kb, flat % kb
        total[rows] += best[alike]
        s[rows, i, :] = 0
        s[rows, :, j] = 0
    size = np.minimum((a >= 0).sum(1), (b >= 0).sum(1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(size > 0, total / np.maximum(size, 1), np.nan)


def _father_token(p: Prepared, rows: np.ndarray) -> np.ndarray:
    """The father's name: the father field, else the second link of a given-name chain."""
    father = p.tokens["father"][rows, 0]
    return np.where(father >= 0, father, p.tokens["given"][rows, 1])


def _own_first(p: Prepared, rows: np.ndarray) -> np.ndarray:
    given = p.tokens["given"][rows, 0]
    return np.where(given >= 0, given, p.tokens["family"][rows, 0])


class Comparer:
    """Computes every comparison's level for candidate pairs (row index arrays into two sides)."""

    def __init__(self, vocab: Vocab, exact: tuple[str, ...], fuzzy: tuple[str, ...],
                 family_fields: tuple[str, ...] = ()):
        """`family_fields`: fuzzy fields a whole family shares (a birth place), which like the
        parents' names count for a pair only once the person's own first name is not different."""
        self.sim = TokenSimilarity(vocab)
        self.exact, self.fuzzy = exact, fuzzy
        self.comparisons = (
            Comparison("first_name", FIRST_NAME_LABELS, tf=True, alike_from=FIRST_NAME_LABELS.index("loosely alike")),
            Comparison("whole_name", ("few parts agree", "half the parts agree", "most parts agree",
                                      "all parts agree"), covered_by="first_name"),
            Comparison("family_name", NAME_LABELS, tf=True, needs="first_name"),
            Comparison("father_name", NAME_LABELS, tf=True, needs="first_name"),
            Comparison("mother_name", NAME_LABELS, needs="first_name"),
            Comparison("birth_date", tuple(dates.LEVELS[k] for k in sorted(dates.LEVELS)), rare=(dates.OTHER,),
                       monotone=((dates.OTHER, dates.FEW, dates.NEAR), (dates.FEW, dates.AGE))),
            *(Comparison(c, ("different", "same")) for c in exact),
            *(Comparison(c, ("different", "alike", "same"), needs="first_name" if c in family_fields else None)
              for c in fuzzy),
        )

    def levels(self, left: Prepared, right: Prepared, li: np.ndarray, ri: np.ndarray) -> dict[str, np.ndarray]:
        """Level arrays keyed by comparison name, aligned with the pairs (li[k], ri[k]).

        Works through the pairs a slice at a time: the token matrices of a slice are ~45 ids
        per pair, so millions of pairs at once would need gigabytes for a moment."""
        parts = [self._levels(left, right, li[i:i + CHUNK], ri[i:i + CHUNK]) for i in range(0, max(len(li), 1), CHUNK)]
        return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}

    def _levels(self, left: Prepared, right: Prepared, li: np.ndarray, ri: np.ndarray) -> dict[str, np.ndarray]:
        out = {}
        la, rb = left.tokens, right.tokens
        fa, fb = _own_first(left, li), _own_first(right, ri)
        alla, allb = left.all_tokens[li], right.all_tokens[ri]
        fam_a, fam_b = la["family"][li], rb["family"][ri]
        pa, pb = _father_token(left, li), _father_token(right, ri)
        ma, mb = la["mother"][li, 0], rb["mother"][ri, 0]
        first, given_family, family_given, whole, family, father, mother = self.sim.many(
            (fa, fb),
            (la["given"][li, 0], rb["family"][ri, 0]),
            (la["family"][li, 0], rb["given"][ri, 0]),
            (alla[:, :, None], allb[:, None, :]),
            (fam_a[:, :, None], fam_b[:, None, :]),
            (pa, pb),
            (ma, mb),
        )
        level = np.select([first >= STRONG, first >= GOOD, first >= LOOSE],
                          [LOOSE_FIRST + 2, LOOSE_FIRST + 1, LOOSE_FIRST], 0).astype(np.int8)
        # Given and family written in each other's fields: each agrees with the other's opposite.
        # Where names form a chain with no family name, a swap may just as well be a son named
        # after his grandfather and his father, so it is a level of its own and the data weighs it.
        # Where one side has no family name, only the other's family name can be its given name.
        swapped = (given_family >= GOOD) & (family_given >= GOOD)
        half = (((given_family >= GOOD) & (fam_a[:, 0] < 0)) | ((family_given >= GOOD) & (fam_b[:, 0] < 0)))
        chain = left.chain[li] | right.chain[ri]
        unlike = level < LOOSE_FIRST
        # Officers also copy one name into the other's field and leave the rest as it was: one
        # side's given name is the other's family name, while both give a family name.
        level[unlike & ((given_family >= GOOD) | (family_given >= GOOD))] = ONE_WAY
        level[unlike & half] = HALF_SWAP
        level[unlike & swapped] = np.where(chain, CHAIN_SWAP, SWAP)[unlike & swapped]
        level[(fa < 0) | (fb < 0)] = MISSING
        out["first_name"] = level

        share = _aligned_share(whole, alla, allb)
        level = np.select([share >= STRONG, share >= LOOSE, share >= 0.5], [3, 2, 1], 0).astype(np.int8)
        level[np.isnan(share)] = MISSING
        out["whole_name"] = level

        out["family_name"] = _name_level(family.max(axis=(1, 2)), (fam_a[:, 0] < 0) | (fam_b[:, 0] < 0))
        out["father_name"] = _name_level(father, (pa < 0) | (pb < 0))
        out["mother_name"] = _name_level(mother, (ma < 0) | (mb < 0))

        out["birth_date"] = dates.compare({k: v[li] for k, v in left.dates.items()},
                                          {k: v[ri] for k, v in right.dates.items()},
                                          left.calendar[li] | right.calendar[ri])
        for c in self.exact:
            a, b = left.exact[c][li], right.exact[c][ri]
            blank = (a == None) | (b == None)  # noqa: E711 - elementwise on object arrays
            out[c] = np.where(blank, MISSING, a == b).astype(np.int8)
        for c in self.fuzzy:
            a, b = left.fuzzy[c][li], right.fuzzy[c][ri]
            blank = (a == None) | (b == None)  # noqa: E711
            s = np.zeros(len(a), dtype=np.float32)
            if (~blank).any():
                s[~blank] = cpdist(list(a[~blank]), list(b[~blank]), scorer=JaroWinkler.normalized_similarity,
                                   workers=workers_for(int((~blank).sum())))
            level = np.select([s >= 0.999, s >= 0.85], [2, 1], 0).astype(np.int8)
            level[blank] = MISSING
            out[c] = level
        return out

    def tf_tokens(self, left: Prepared, right: Prepared, li: np.ndarray, ri: np.ndarray) -> dict[str, np.ndarray]:
        """The agreeing token (left side's) of each term-frequency-adjusted comparison."""
        return {
            "first_name": _own_first(left, li),
            "family_name": left.tokens["family"][li, 0],
            "father_name": _father_token(left, li),
        }
