"""Vectorised comparisons of candidate pairs: one small-integer level per comparison and pair.

Levels are ordered, higher means stronger agreement, -1 means a side is blank (no evidence).
Each comparison is one `Comparator`: the levels it declares to the model, their labels, how it
computes them, its term-frequency token and whether it compares names. Adding a comparison is
writing one and listing it in `comparators`. `Comparer` runs them all over a chunk of pairs.

Names are compared through a cache of token-pair similarities, so each distinct pair of
spellings is scored once however many candidate pairs share it; the name comparisons of a chunk
ask for their similarities together, in one lookup. Birth places, numbered the same way, have a
cache of their own. Nothing loops per pair in Python.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist

from matching import dates, names, places
from matching.model import MISSING, Comparison
from matching.names.scoring import PARALLEL_FROM, workers_for
from matching.prepare import (GIVEN_KUNYA, KEYS, KUNYAS_ASIDE, LAST_CONTACT, RECORDED, WHOLE_WITHOUT_KUNYAS, WRITTEN,
                              Fields, Prepared, Texts, Vocab, share_a_key)
from matching.shortlist import THREADS

# Similarity cut-offs for name levels: variant of one name, likely variant, loosely alike.
STRONG, GOOD, LOOSE = names.ONE_NAME, 0.88, 0.75
FIRST_NAME_LABELS = ("different", "one's given name is the other's family name",
                     "given and family swapped in a name chain (or father and son)",
                     "given name is the family name where the other has none", "given and family swapped",
                     "the other's own name as family name, father's as given name",
                     "loosely alike", "similar", "same name or variant")
ONE_WAY, CHAIN_SWAP, HALF_SWAP, SWAP, FATHER_GIVEN, LOOSE_FIRST = range(1, 7)
CHUNK = 500_000  # candidate pairs compared at once


NAME_LABELS = ("different", "loosely alike", "similar", "same name or variant")
FAMILY_LABELS = ("different, surnames inherited", "different",
                 "one's family name is the other's father's or grandfather's name", *NAME_LABELS[1:])
FATHERS_NAME = 2  # FAMILY_LABELS' level where one record's family name is the other's father's or grandfather's


def ordered(labels: tuple[str, ...]) -> tuple[int, ...]:
    """Every level of a comparison whose labels go from less to more agreement, as one monotone
    chain: a closer spelling or value is never weaker evidence of one person than a looser one
    (a 5 x 10 file once taught "birth place alike" +9.8 bits against "same" +1.4)."""
    return tuple(range(len(labels)))


class PairMemory:
    """Similarity of id pairs (two numbered strings), computed once per distinct pair and
    remembered; `_score` says how a subclass scores the pairs it has not seen.

    The memory is an open-addressing hash table (compiled with numba) from the pair's key to its
    score: a chunk's tens of millions of pairs are answered by one probe each, and only the pairs
    never seen before are collected, scored and inserted."""

    def __init__(self):
        self.keys = np.full(1 << 16, _EMPTY, dtype=np.int64)  # a slot's pair key, or _EMPTY
        self.scores = np.zeros(len(self.keys), dtype=np.float32)
        self._held = 0

    def __call__(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Similarity for id arrays of one shape (broadcast if need be); 0 where either id is -1."""
        return self.many((a, b))[0]

    def many(self, *requests: tuple[np.ndarray, np.ndarray]) -> list[np.ndarray]:
        """Several requests answered together, so the pairs new to all of them are scored in one
        batch. Broadcast requests (a chain's tokens against all of the other's) are read as views,
        never written out as pairs."""
        views = [_cube(a, b) for a, b in requests]
        outs = [np.zeros(a.shape, dtype=np.float32) for a, _ in views]
        unknown = [self._lookup(a, b, out) for (a, b), out in zip(views, outs)]
        if sum(len(at) for at in unknown):
            first, second = (np.concatenate([side[np.unravel_index(at, side.shape)]
                                             for side, at in zip(sides, unknown)]).astype(np.int64)
                             for sides in zip(*views))
            new = _distinct((np.minimum(first, second) << _SHIFT) | np.maximum(first, second))
            self._insert(new, self._score(new))
            found = np.zeros(len(first), dtype=np.float32)
            self._lookup(first[:, None, None], second[:, None, None], found[:, None, None])
            for out, at, part in zip(outs, unknown, np.split(found, np.cumsum([len(at) for at in unknown])[:-1])):
                out.reshape(-1)[at] = part
        return [out.reshape(np.broadcast_shapes(a.shape, b.shape)) for out, (a, b) in zip(outs, requests)]

    def _lookup(self, a: np.ndarray, b: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Fill `out` (n, x, y) with the remembered similarities of the pairs of views a and b, on
        all cores; the flat positions not remembered."""
        cuts = np.linspace(0, len(a), THREADS + 1).astype(np.int64)
        step = out[0].size if len(out) else 0
        with ThreadPoolExecutor(THREADS) as pool:
            parts = pool.map(lambda lo, hi: lo * step + _lookup(self.keys, self.scores, a[lo:hi], b[lo:hi], out[lo:hi]),
                             cuts[:-1], cuts[1:])
            return np.concatenate(list(parts))

    def _insert(self, keys: np.ndarray, scores: np.ndarray) -> None:
        """Remember new pairs, doubling the table while it would be over half full."""
        self._held += len(keys)
        if 2 * self._held > len(self.keys):
            size = len(self.keys)
            while 2 * self._held > size:
                size *= 2
            old = self.keys != _EMPTY
            old_keys, old_scores = self.keys[old], self.scores[old]
            self.keys, self.scores = np.full(size, _EMPTY, dtype=np.int64), np.zeros(size, dtype=np.float32)
            _store(self.keys, self.scores, old_keys, old_scores)
        _store(self.keys, self.scores, keys, scores)

    def _score(self, pairs: np.ndarray) -> np.ndarray:
        """The similarity of each pair key (`_SHIFT`) never seen before."""
        raise NotImplementedError


class TokenSimilarity(PairMemory):
    """Similarity of name tokens (ids of a `Vocab`). Unseen pairs that neither share a phonetic
    key nor look alike to plain Jaro-Winkler are scored 0 without the full name similarity: they
    are different names whatever the finer measure says."""

    PLAIN_FLOOR = 0.6  # plain Jaro-Winkler below this, with no shared key: not one name

    def __init__(self, vocab: Vocab):
        super().__init__()
        self.vocab = vocab

    def _score(self, pairs: np.ndarray) -> np.ndarray:
        tokens = self.vocab.array()
        first_id, second_id = pairs >> _SHIFT, pairs & _LOW
        ta, tb = tokens[first_id], tokens[second_id]
        plain = cpdist(list(ta), list(tb), scorer=JaroWinkler.normalized_similarity, workers=workers_for(len(ta)))
        ids = self.vocab.key_ids()
        first, second = ids[first_id], ids[second_id]
        shared = share_a_key(first, second)
        scores = np.zeros(len(pairs), dtype=np.float32)
        full = shared | (plain >= self.PLAIN_FLOOR)
        if full.any():
            scores[full] = names.similarity(list(ta[full]), list(tb[full]))
        return scores


class TextSimilarity(PairMemory):
    """Similarity of field values (ids of a `Texts`). Birth places are few (a 500,000-record
    file names about 600 cities and 850 spellings), so remembering each pair of values scores a
    birth place for 6,000,000 pairs in a fraction of comparing every pair's two strings (0.5-0.7
    s against 4 s at 100,000 x 500,000); they are scored as places (`_score`). Addresses and
    identity numbers are mostly distinct, so they are compared `afresh`, by Jaro-Winkler."""

    def __init__(self, texts: Texts):
        super().__init__()
        self.texts = texts
        self._sound_ids = np.zeros((0, KEYS), dtype=np.int64)  # `_sounds`
        self._sound_numbers: dict[str, int] = {}

    def _score(self, pairs: np.ndarray) -> np.ndarray:
        """Jaro-Winkler of the two values, or the name scorer's similarity of the two said as one
        word where they share a phonetic key (`places.sounds`) and it reads them as one name
        (STRONG or more): a town's name is transliterated as a person's is, and Kendahar,
        Qendahar and Kandahar, Umm Dorman and Omdurman, Haraat and Herat are one place that
        Jaro-Winkler (0.72-0.84) and the gazetteer missed (at 100,000 x 500,000, 3,898 true pairs
        had birth places "different", -2.6 bits, most of them such spellings). The scorer alone
        joined 270 pairs of different towns of one country among GeoNames' (Daquq and Dihok,
        Gonder and Guder, most of them Russian); with a shared key, 82 (64 Russian)."""
        first, second = pairs >> _SHIFT, pairs & _LOW
        plain = self._jaro_winkler(first.tolist(), second.tolist())
        keys = self._sounds(first), self._sounds(second)
        alike = share_a_key(*keys) & (plain < 1)
        if alike.any():
            values = self.texts.values
            words = [[places.one_word(values[i]) for i in side[alike]] for side in (first, second)]
            scored = names.similarity(*words)
            one_name = scored >= STRONG
            at = np.flatnonzero(alike)[one_name]
            plain[at] = np.maximum(plain[at], scored[one_name])
        return plain

    def _sounds(self, ids: np.ndarray) -> np.ndarray:
        """(len(ids), KEYS): the `places.sounds` of values `ids`, numbered (-1 none), worked out
        once per value and only for values compared here (addresses numbered beside the places
        never are)."""
        if len(self._sound_ids) < len(self.texts.values):
            grown = np.full((len(self.texts.values), KEYS), _UNSOUNDED, dtype=np.int64)
            grown[: len(self._sound_ids)] = self._sound_ids
            self._sound_ids = grown
        for i in np.unique(ids[self._sound_ids[ids, 0] == _UNSOUNDED]).tolist():
            keys = places.sounds(self.texts.values[i])[:KEYS]
            self._sound_ids[i] = -1
            self._sound_ids[i, : len(keys)] = [self._sound_numbers.setdefault(k, len(self._sound_numbers)) for k in keys]
        return self._sound_ids[ids]

    def afresh(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The similarity of aligned id arrays (0 where either is -1), computed without being
        remembered: where most pairs of values are new, remembering them cost more than it saved
        (2,000,000 pairs over 200,000 values: 3.6-5.0 s against 1.9-2.5 s) and kept a table as
        large as the pairs."""
        out = np.zeros(len(a), dtype=np.float32)
        known = (a >= 0) & (b >= 0)
        if known.any():
            out[known] = self._jaro_winkler(a[known].tolist(), b[known].tolist())
        return out

    def _jaro_winkler(self, first: list[int], second: list[int]) -> np.ndarray:
        values = self.texts.values
        return cpdist([values[i] for i in first], [values[i] for i in second],
                      scorer=JaroWinkler.normalized_similarity, workers=workers_for(len(first))).astype(np.float32)


_EMPTY = -1  # a free slot of the similarity table (a pair key is never negative)
_UNSOUNDED = -2  # a value whose sounds TextSimilarity has not worked out yet
_SHIFT, _LOW = 32, (1 << 32) - 1  # a pair key: the lower id (token, value) above, the higher below


@numba.njit(cache=True, nogil=True, inline="always")
def _slot(key, shift):
    """The first slot to probe for `key` in a table of 2^(64 - shift) slots: the top bits of
    the key times 2^64 / golden ratio (Fibonacci hashing), which depend on every bit of the key;
    the bottom bits would depend on the lower token id alone, and every pair of one common name
    would crowd into a few slots."""
    return np.int64((np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(shift))


@numba.njit(cache=True, nogil=True)
def _shift(size):
    """`_slot`'s shift for a table of `size` slots (a power of two, at least 2)."""
    bits = 0
    while (1 << bits) < size:
        bits += 1
    return 64 - bits


@numba.njit(cache=True, nogil=True, inline="always")
def _probe(table, key, shift, mask):
    """The slot of `table` holding `key`, or else the free slot where it would go (linear probing
    from `_slot`): one walk for looking up, deduplicating and inserting alike."""
    s = _slot(key, shift)
    while table[s] != key and table[s] != _EMPTY:
        s = (s + 1) & mask
    return s


def _cube(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two id arrays broadcast to one shape of three axes (n, x, y), as views."""
    shape = np.broadcast_shapes(a.shape, b.shape)
    a, b = np.broadcast_to(a, shape), np.broadcast_to(b, shape)  # read-only views
    while a.ndim < 3:
        a, b = a[..., None], b[..., None]
    return a, b


@numba.njit(cache=True, nogil=True)
def _lookup(keys, scores, a, b, out):
    """out[i, j, k] = the remembered similarity of ids a[i, j, k], b[i, j, k], left alone
    where either is -1; returns the flat positions of the pairs not remembered."""
    mask, shift = len(keys) - 1, _shift(len(keys))
    n, w, h = out.shape
    unknown = np.empty(n * w * h, np.int64)
    n_unknown = 0
    for i in range(n):
        for j in range(w):
            for k in range(h):
                x, y = np.int64(a[i, j, k]), np.int64(b[i, j, k])
                if x < 0 or y < 0:
                    continue
                key = (min(x, y) << _SHIFT) | max(x, y)
                s = _probe(keys, key, shift, mask)
                if keys[s] == key:
                    out[i, j, k] = scores[s]
                else:
                    unknown[n_unknown] = (i * w + j) * h + k
                    n_unknown += 1
    return unknown[:n_unknown]


@numba.njit(cache=True, nogil=True)
def _distinct(keys):
    """The distinct values of `keys` (none _EMPTY), in first-seen order: np.unique without its
    sort, for the tens of millions of id pairs a first chunk has never seen."""
    size = 2
    while size < 2 * len(keys):
        size *= 2
    mask, shift = size - 1, _shift(size)
    seen = np.full(size, _EMPTY, np.int64)
    out = np.empty(len(keys), np.int64)
    n = 0
    for key in keys:
        s = _probe(seen, key, shift, mask)
        if seen[s] == _EMPTY:
            seen[s] = key
            out[n] = key
            n += 1
    return out[:n]


@numba.njit(cache=True, nogil=True)
def _store(keys, scores, new, values):
    """Insert distinct keys `new`, none of them held yet, with their similarity."""
    mask, shift = len(keys) - 1, _shift(len(keys))
    for i in range(len(new)):
        s = _probe(keys, new[i], shift, mask)
        keys[s], scores[s] = new[i], values[i]


def _aligned_share(s: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Order-free alignment of two token sets from their similarity matrix `s` (n, ka, kb):
    summed similarity of a greedy best one-to-one assignment, over the size of the smaller
    set. Tolerates any order of the name parts. A spelling of one name beyond doubt (STRONG or
    more) counts as the same name: counted at its score, Ali Ahmed against Cai Axmed (Axmed
    0.97) shared 0.485 of the parts and read as "few parts agree"."""
    s = np.ascontiguousarray(np.where(s >= STRONG, 1.0, s), dtype=np.float32)
    if len(s) < PARALLEL_FROM:  # a search's few pairs: no pool to start
        total = _greedy_assignment(s, np.float32(LOOSE))
    else:
        cuts = np.linspace(0, len(s), THREADS + 1).astype(np.int64)
        with ThreadPoolExecutor(THREADS) as pool:  # compiled without the GIL: one slice per core
            total = np.concatenate(list(pool.map(lambda lo, hi: _greedy_assignment(s[lo:hi], np.float32(LOOSE)),
                                                 cuts[:-1], cuts[1:])))
    size = np.minimum((a >= 0).sum(1), (b >= 0).sum(1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(size > 0, total / np.maximum(size, 1), np.nan)


@numba.njit(cache=True, nogil=True)
def _greedy_assignment(s, low):
    """For each pair's matrix, repeatedly take the most similar pair of parts not yet used (the
    first in row order among equals), while one of `low` or more is left; the summed
    similarity. Compiled: in numpy the same loop gathered the whole matrix at every step
    (5.6 s of 6,000,000 pairs at 100,000 x 500,000)."""
    n, ka, kb = s.shape
    total = np.zeros(n, dtype=np.float32)
    used_a = np.zeros(ka, dtype=np.bool_)
    used_b = np.zeros(kb, dtype=np.bool_)
    for r in range(n):
        used_a[:] = False
        used_b[:] = False
        for _ in range(min(ka, kb)):
            best, bi, bj = np.float32(0), -1, -1
            for i in range(ka):
                if used_a[i]:
                    continue
                for j in range(kb):
                    v = s[r, i, j]
                    if not used_b[j] and v >= low and v > best:
                        best, bi, bj = v, i, j
            if bi < 0:
                break
            total[r] += best
            used_a[bi] = True
            used_b[bj] = True
    return total


def _own_first(p: Prepared, rows: np.ndarray) -> np.ndarray:
    """The person's own first name: the given name, else the first family name."""
    given = p.tokens["given"][rows, 0]
    return np.where(given >= 0, given, p.tokens["family"][rows, 0])


def _given(p: Prepared, rows: np.ndarray) -> np.ndarray:
    return p.tokens["given"][rows]


def _first_family(p: Prepared, rows: np.ndarray) -> np.ndarray:
    return p.tokens["family"][rows, 0]


def _family(p: Prepared, rows: np.ndarray) -> np.ndarray:
    return p.tokens["family"][rows]


def _father_token(p: Prepared, rows: np.ndarray) -> np.ndarray:
    """The father's name: the father field, else the second link of a given-name chain."""
    father = p.tokens["father"][rows, 0]
    return np.where(father >= 0, father, p.tokens["given"][rows, 1])


def _father_second(p: Prepared, rows: np.ndarray) -> np.ndarray:
    """The father's second name (his father's, or his family name) as the chain is read for his
    first (`_father_token`): the father field's second name, else the third link of a given-name
    chain."""
    father = p.tokens["father"][rows]
    return np.where(father[:, 0] >= 0, father[:, 1], p.tokens["given"][rows, 2])


def _chain_last(p: Prepared, rows: np.ndarray) -> np.ndarray:
    """The last link of a given-name chain of three or more in a record without a family name (its
    family name or its grandfather's: Nabil Ahmad Salem al-Hasi); -1 elsewhere. Of two, the last
    is the father's (`_father_token`), and so it is read where it repeats the father's name (Nabil
    Ahmad Ahmad: a son named after his grandfather, or the father's name written twice). A chain
    longer than the given names kept (prepare.WIDTH) ends on the last link kept."""
    given = p.tokens["given"][rows]
    links = (given >= 0).sum(axis=1)
    last = given[np.arange(len(given)), np.maximum(links - 1, 0)]
    return np.where((links >= 3) & (p.tokens["family"][rows, 0] < 0) & (last != given[:, 1]), last, -1)


def _grandfather(p: Prepared, rows: np.ndarray) -> np.ndarray:
    """The grandfather's name of a record without a family name: the third link of its given-name
    chain, or the father field's second name (`_father_second`); -1 where it has a family name."""
    return np.where(p.tokens["family"][rows, 0] < 0, _father_second(p, rows), -1)


def _mother(p: Prepared, rows: np.ndarray) -> np.ndarray:
    return p.tokens["mother"][rows, 0]


def _mother_second(p: Prepared, rows: np.ndarray) -> np.ndarray:
    """The mother's second name (her family name, or her father's), where one is written and is
    not the record's own family name: Olena Kovalenko, mother of a Kovalenko, says again what
    the family name says (strangers of one surname would agree on it twice)."""
    second = p.tokens["mother"][rows, 1]
    return np.where(second == p.tokens["family"][rows, 0], -1, second)


def _all_names(p: Prepared, rows: np.ndarray) -> np.ndarray:
    return p.all_tokens[rows]


def _known_by_kunya(p: Prepared, rows: np.ndarray) -> np.ndarray:
    return p.tokens[GIVEN_KUNYA][rows]


def _kunyas_aside(p: Prepared, rows: np.ndarray) -> np.ndarray:
    return p.tokens[KUNYAS_ASIDE][rows]


# A name part's token ids, for rows of one side: called with a Prepared and row numbers, or (by
# Pairs) with a chunk's `_Rows` and every row, which holds the same fields gathered once.
Tokens = Callable[..., np.ndarray]


class Pairs:
    """One chunk of aligned pairs (left row li[k], right row ri[k]) and the work several
    comparisons share: the token ids of each name part, gathered once per side, and the
    similarities of token pairs, which `Comparer` looks up for every comparison at once
    (`similarity`, keyed as the comparisons asked)."""

    def __init__(self, left: Prepared, right: Prepared, li: np.ndarray, ri: np.ndarray,
                 value_similarity: TextSimilarity):
        self.left, self.right, self.li, self.ri = left, right, li, ri
        self.value_similarity = value_similarity  # of field values (Fuzzy), looked up where they are read
        self.similarity: dict[str, np.ndarray] = {}
        self._tokens: dict[Tokens, tuple[np.ndarray, np.ndarray]] = {}
        self._sides = _Rows(left, li), _Rows(right, ri)

    def tokens(self, part: Tokens) -> tuple[np.ndarray, np.ndarray]:
        """`part`'s token ids on the left and on the right of each pair, worked out once, from
        each side's name fields gathered once (`_Rows`)."""
        if part not in self._tokens:
            self._tokens[part] = tuple(part(side, slice(None)) for side in self._sides)
        return self._tokens[part]


class _Rows:
    """What the name parts (`Tokens`) read of one side's records, in the order of a chunk's
    pairs, each array gathered from the records on first use. A dozen name parts read the given
    names, the family name or the father's: gathered for each, a chunk's 500,000 rows picked from
    all over the records, the gathers took a fifth of comparing's main thread."""

    def __init__(self, p: Prepared, rows: np.ndarray):
        self.tokens = _Gathered(p.tokens, rows)
        self._whole = _Gathered({"all": p.all_tokens}, rows)

    @property
    def all_tokens(self) -> np.ndarray:
        return self._whole["all"]


class _Gathered(dict):
    """`arrays[key][rows]` for each key asked, gathered once."""

    def __init__(self, arrays: dict[str, np.ndarray], rows: np.ndarray):
        super().__init__()
        self._arrays, self._rows = arrays, rows

    def __missing__(self, key: str) -> np.ndarray:
        """Read-only: the name parts hand out views of it (one column of the family names is
        the first family name), so a write to one would change the others."""
        self[key] = gathered = self._arrays[key][self._rows]
        gathered.flags.writeable = False
        return gathered


class Comparator:
    """One comparison whole: the levels it declares to the model (`comparison`: name, labels
    strongest last, which are also the words a pair's explanation shows, and tf, needs,
    covered_by, alike_from, rare, monotone), how it computes them for aligned pairs, the token
    whose commonness adjusts its top level (where it has tf), and whether it compares names.

    `levels` gets a `Pairs` whose `similarity` holds what `similarities` asked for: the
    comparer gathers the requests of every comparison of a chunk into one lookup, so pairs of
    tokens that several comparisons score are found once."""

    comparison: Comparison
    is_name = False  # compares names: EM learns its m among pairs chosen by birth date alone

    @property
    def name(self) -> str:
        return self.comparison.name

    @property
    def labels(self) -> tuple[str, ...]:
        return self.comparison.labels

    def similarities(self, pairs: Pairs) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Token-id arrays whose similarity `levels` reads, by a key unique to this comparison."""
        return {}

    def levels(self, pairs: Pairs) -> np.ndarray:
        """The int8 level of each pair, MISSING where a side is blank."""
        raise NotImplementedError

    def tf_share(self, side: Prepared, rows: np.ndarray, index, populations: np.ndarray) -> np.ndarray:
        """How common the value of `rows` of `side` is among the records of `index` of each
        population (tf only): what weighs agreement at the top level."""
        raise NotImplementedError(f"{self.name} has no term-frequency adjustment")

    def single(self, side: Prepared, rows: np.ndarray) -> np.ndarray:
        """Whether `tf_share` reads the value the pair agrees on: true where a side holds one
        value; a part of several names (a family field of two) is read by its first."""
        return np.ones(len(rows), dtype=bool)


class FirstName(Comparator):
    """The person's own first name, and names written in each other's fields (swapped given and
    family names, one copied across, a name chain read as given + family)."""

    LABELS = FIRST_NAME_LABELS
    is_name = True

    def __init__(self):
        self.comparison = Comparison("first_name", self.LABELS, tf=True, alike_from=self.LABELS.index("loosely alike"),
                                     monotone=((0, LOOSE_FIRST, LOOSE_FIRST + 1, LOOSE_FIRST + 2),))

    def similarities(self, pairs: Pairs) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        given_a, given_b = pairs.tokens(_given)
        family_a, family_b = pairs.tokens(_first_family)
        father_a, father_b = pairs.tokens(_father_token)
        last_a, last_b = pairs.tokens(_chain_last)
        return {"first_name": pairs.tokens(_own_first), "first_name:given-family": (given_a[:, 0], family_b),
                "first_name:family-given": (family_a, given_b[:, 0]),
                "first_name:last-given": (last_a, given_b[:, 0]), "first_name:given-last": (given_a[:, 0], last_b),
                "first_name:given-father": (given_a[:, 0], father_b), "first_name:father-given": (father_a, given_b[:, 0]),
                # each side's second given name against the other's later given names
                "first_name:second-later": (given_a[:, 1:2], given_b[:, 1:]),
                "first_name:later-second": (given_a[:, 1:], given_b[:, 1:2])}

    def levels(self, pairs: Pairs) -> np.ndarray:
        first = pairs.similarity["first_name"]
        given_family = pairs.similarity["first_name:given-family"]
        family_given = pairs.similarity["first_name:family-given"]
        fa, fb = pairs.tokens(_own_first)
        fam_a, fam_b = pairs.tokens(_first_family)
        level = np.select([first >= STRONG, first >= GOOD, first >= LOOSE],
                          [LOOSE_FIRST + 2, LOOSE_FIRST + 1, LOOSE_FIRST], 0).astype(np.int8)
        # Given and family written in each other's fields: each agrees with the other's opposite.
        # Where names form a chain with no family name, a swap may just as well be a son named
        # after his grandfather and his father, so it is a level of its own and the data weighs it.
        # Where one side has no family name, only the other's family name can be its given name.
        swapped = _swapped(pairs)
        half = ((given_family >= GOOD) & (fam_a < 0)) | ((family_given >= GOOD) & (fam_b < 0))
        chain = pairs.left.chain[pairs.li] | pairs.right.chain[pairs.ri]
        unlike = level < LOOSE_FIRST
        # Officers also copy one name into the other's field and leave the rest as it was: one
        # side's given name is the other's family name, while both give a family name. Not where
        # that given name is its own record's family name too (Ahmad Al-Ahmad): it meets the
        # other's family name as every brother's would, so the first names stay different (a
        # brother scored 0.99 against Mohammed Al-Ahmad on the family's evidence; at 100,000 x
        # 500,000, 13 of the 8,562 such candidate pairs were one person).
        given_a, given_b = (given[:, 0] for given in pairs.tokens(_given))
        own_a, own_b = (given_a >= 0) & (given_a == fam_a), (given_b >= 0) & (given_b == fam_b)
        level[unlike & (((given_family >= GOOD) & ~own_a) | ((family_given >= GOOD) & ~own_b))] = ONE_WAY
        level[unlike & half] = HALF_SWAP
        level[swapped] = np.where(chain, CHAIN_SWAP, SWAP)[swapped]
        # A record with no family name gives it last in its chain (Nabil Ahmad Salem al-Hasi),
        # the other wrote the family name as given name and the given name as family name (given
        # al-Hasi, family Nabil): swapped as in a chain, where the last link may be a grandfather.
        s = pairs.similarity
        swapped_in_chain = unlike & ~swapped & (((given_family >= GOOD) & (s["first_name:last-given"] >= GOOD))
                                                | ((family_given >= GOOD) & (s["first_name:given-last"] >= GOOD)))
        level[swapped_in_chain] = CHAIN_SWAP
        # One record wrote the person's own name as family name and the father's as given name
        # (Abdi son of Mohamed, registered Mohamed Abdi): its given name is the other's father's.
        crossed = (((given_family >= GOOD) & (s["first_name:father-given"] >= GOOD))
                   | ((family_given >= GOOD) & (s["first_name:given-father"] >= GOOD)))
        level[unlike & ~swapped & ~swapped_in_chain & crossed] = FATHER_GIVEN
        # First given names alike, second ones different names that neither side holds later:
        # Gul Mohammad and his brother Gul Ahmad, Mohammad Reza and Mohammad Ali, Ali son of
        # Hassan and Ali son of Omar written as one chain: the first names are different. Of
        # 2,000,000 candidate pairs at 100,000 x 500,000 this turns 15,632 first names alike into
        # different, one of them of a true pair (a typo, Maxame Dcali). A brother sharing the
        # first part of a compound scored 0.99 (`match`) beside the person himself.
        all_a, all_b = pairs.tokens(_given)
        renamed = ((all_a[:, 1] >= 0) & (all_b[:, 1] >= 0) & (pairs.similarity["first_name:second-later"].max(axis=1) < LOOSE)
                   & (pairs.similarity["first_name:later-second"].max(axis=1) < LOOSE))
        level[renamed & (level >= LOOSE_FIRST)] = 0
        level[(fa < 0) | (fb < 0)] = MISSING
        # A record known by a kunya alone (given name Abu Mohammed) does not write its own name:
        # against Umar, also Abu Mohammed, it read as a different first name (-6.1 bits). The
        # whole name weighs the kunya.
        kunya_a, kunya_b = pairs.tokens(_known_by_kunya)
        level[kunya_a | kunya_b] = MISSING
        return level

    def tf_share(self, side: Prepared, rows: np.ndarray, index, populations: np.ndarray) -> np.ndarray:
        return index.name_share(_own_first(side, rows), populations)


class WholeName(Comparator):
    """All name parts of each side (given, family, father, and aliases that do not restate them,
    `prepare._aliases_once`) aligned in any order: how large a share of the smaller set finds an
    alike part on the other side."""

    is_name = True
    LABELS = ("few parts agree", "half the parts agree", "most parts agree", "all parts agree")

    def __init__(self):
        self.comparison = Comparison("whole_name", self.LABELS, covered_by="first_name",
                                     monotone=(ordered(self.LABELS),))

    def similarities(self, pairs: Pairs) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        a, b = pairs.tokens(_all_names)
        return {"whole_name": (a[:, :, None], b[:, None, :])}

    def levels(self, pairs: Pairs) -> np.ndarray:
        s, (a, b) = pairs.similarity["whole_name"], pairs.tokens(_all_names)
        share = _aligned_share(s, a, b)
        # A kunya among the other names (Abu Ahmad) counts where it meets a name, and is left
        # out where it does not: the better of the two shares (prepare._without_kunyas).
        aside_a, aside_b = pairs.tokens(_kunyas_aside)
        rows = np.flatnonzero(aside_a | aside_b)
        if len(rows):
            plain_a = pairs.left.tokens[WHOLE_WITHOUT_KUNYAS][pairs.li[rows]]
            plain_b = pairs.right.tokens[WHOLE_WITHOUT_KUNYAS][pairs.ri[rows]]
            kept = (plain_a >= 0)[:, :, None] & (plain_b >= 0)[:, None, :]
            without = _aligned_share(np.where(kept, s[rows], 0.0), plain_a, plain_b)
            share[rows] = np.fmax(share[rows], without)
        level = np.select([share >= STRONG, share >= LOOSE, share >= 0.5], [3, 2, 1], 0).astype(np.int8)
        level[np.isnan(share)] = MISSING
        return level


class NamePart(Comparator):
    """One name part (`part`: one token id per row, or a row of them, the best alike pair
    counting), in four levels from different to the same name or a variant; blank where a
    side's (first) token is."""

    is_name = True

    def __init__(self, name: str, part: Tokens, tf: bool = False, needs: str | None = None,
                 labels: tuple[str, ...] = NAME_LABELS, monotone: tuple[tuple[int, ...], ...] | None = None,
                 among_mothers: bool = False):
        self.comparison = Comparison(name, labels, tf=tf, needs=needs, monotone=monotone or (ordered(labels),))
        self.part, self.among_mothers = part, among_mothers

    def similarities(self, pairs: Pairs) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        a, b = pairs.tokens(self.part)
        return {self.name: (a, b) if a.ndim == 1 else (a[:, :, None], b[:, None, :])}

    def levels(self, pairs: Pairs) -> np.ndarray:
        sim = pairs.similarity[self.name]
        a, b = pairs.tokens(self.part)
        if a.ndim > 1:
            sim, a, b = sim.max(axis=(1, 2)), a[:, 0], b[:, 0]
        level = np.select([sim >= STRONG, sim >= GOOD, sim >= LOOSE], [3, 2, 1], 0).astype(np.int8)
        level[(a < 0) | (b < 0)] = MISSING
        return level

    def tf_share(self, side: Prepared, rows: np.ndarray, index, populations: np.ndarray) -> np.ndarray:
        token = self.part(side, rows)
        return index.name_share(token if token.ndim == 1 else token[:, 0], populations, self.among_mothers)

    def single(self, side: Prepared, rows: np.ndarray) -> np.ndarray:
        token = self.part(side, rows)
        return np.ones(len(rows), dtype=bool) if token.ndim == 1 else token[:, 1] < 0


class FatherName(NamePart):
    """The father's name (`_father_token`: the father field, else the second link of a given-name
    chain). A second given name read as the father, in a record that also writes a family name,
    where the other record names its father apart and holds that same second given name, is part
    of a compound given name (Gul Ahmad, Mohammad Reza), not a father: where it differs from the
    father named, it is not compared.
    Compared, Gul Ahmad with no father field met Gul Ahmad son of Abdul Rahim as a different
    father (-5.5 bits) and the person scored 0.01. Where it agrees with the father named (Maxamed
    Cali against Maxamed Cali son of Cali Xasan), the chain reading stands."""

    def __init__(self):
        super().__init__("father_name", _father_token, tf=True, needs="first_name")

    def levels(self, pairs: Pairs) -> np.ndarray:
        level = super().levels(pairs)
        sides = ((pairs.left, pairs.li), (pairs.right, pairs.ri))
        named_a, named_b = (p.tokens["father"][rows, 0] >= 0 for p, rows in sides)
        family_a, family_b = (p.tokens["family"][rows, 0] >= 0 for p, rows in sides)
        second_a = pairs.tokens(_given)[0][:, 1]
        shared_second = (second_a >= 0) & (pairs.similarity["first_name:second-later"][:, 0] >= GOOD)
        # the side read as a chain writes a family name: its given names are given names alone
        compound = np.where(named_a, ~named_b & family_b, named_b & family_a)
        level[shared_second & compound & (level == 0)] = MISSING  # agreeing, it may be a chain
        return level


def _swapped(pairs: Pairs) -> np.ndarray:
    """Where the given and family names are written in each other's fields: each record's first
    given name agrees with the other's family name, both ways, and not with the other's own."""
    s = pairs.similarity
    return (s["first_name"] < LOOSE) & (s["first_name:given-family"] >= GOOD) & (s["first_name:family-given"] >= GOOD)


class FamilyName(NamePart):
    """The family name in NamePart's levels, "different" split in two, and a level where one
    record's family name is the other's father's name, or, where the other has no family name,
    its grandfather's (the third link of its chain). Where either record carries an inherited
    surname (East Slavic naming), a different family name is another family; where the family
    field may hold a father's or grandfather's name, or a tribe's, a different one says much
    less. One m for both let Russian and Ukrainian namesakes of another family score as the
    person and Iraqi or Syrian people as strangers (benchmarks/RESULTS.md); EM learns each."""

    def __init__(self):
        super().__init__("family_name", _family, tf=True, needs="first_name", labels=FAMILY_LABELS,
                         monotone=((0, 3, 4, 5), (1, 3, 4, 5), (1, FATHERS_NAME, 5)))

    def similarities(self, pairs: Pairs) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        family_a, family_b = pairs.tokens(_first_family)
        father_a, father_b = pairs.tokens(_father_token)
        grand_a, grand_b = pairs.tokens(_grandfather)
        return {**super().similarities(pairs), "family_name:family-father": (family_a, father_b),
                "family_name:father-family": (father_a, family_b),
                "family_name:family-grandfather": (family_a, grand_b),
                "family_name:grandfather-family": (grand_a, family_b)}

    def levels(self, pairs: Pairs) -> np.ndarray:
        level = super().levels(pairs)
        inherited = pairs.left.surname[pairs.li] | pairs.right.surname[pairs.ri]
        known = level != MISSING
        level[known] += 1
        level[known & (level >= FATHERS_NAME)] += 1
        level[known & (level == 1) & inherited] = 0
        # A family name that is the father's name written again (Tesfay, father Tesfay: a habit
        # wherever the family field holds a father's or grandfather's name) is compared by
        # father_name wherever the other record names a father: counted again here, a rare
        # father's name weighed twice (+6.5 and +7.2 bits for one Tesfay), and a family field
        # holding the grandfather's name (Kidane) read as a contradiction. Not where surnames are
        # inherited: Ivan Roman, son of Roman, has a surname that happens to be his father's name.
        left, right = pairs.tokens(_fathers)
        restated = (left == RESTATED) & (right != NO_FATHER) | (right == RESTATED) & (left != NO_FATHER)
        level[restated & ~inherited] = MISSING
        # One record's family field holds the father's name the other gives as his father's (or,
        # blank, leaves to the father field): among big2's candidate pairs with different family
        # names, one person 9.1 % of the time where so, 1.5 % where not; with one family name blank
        # and so, 11.9 % against 3.8 %. Or the grandfather's, the third link of a chain that has no
        # family name (Yohannes Tesfay Goytom against Yohannes Goytom): at the independent 100,000,
        # 2,426 true pairs write it so, and with no level of its own it weighed nothing. Not where
        # surnames are inherited, nor where a family name restating its own record's father is
        # compared by father_name already.
        s = pairs.similarity
        fathers = ((s["family_name:family-father"] >= GOOD) | (s["family_name:father-family"] >= GOOD)
                   | (s["family_name:family-grandfather"] >= GOOD) | (s["family_name:grandfather-family"] >= GOOD))
        level[fathers & ~inherited & ~restated & ((level == 1) | (level == MISSING))] = FATHERS_NAME
        # Given and family swapped where surnames are inherited: the family names are the first
        # names' evidence (first_name's swapped levels); compared again here they differed
        # (Kazakov Bogdan against Bogdan Kazakov: "different, surnames inherited", -2.4 bits
        # beside the swap's +3.4). Not where the family field may hold a father's name: there
        # Ali Hassan against Hassan Ali may be a son and his father.
        level[_swapped(pairs) & inherited] = MISSING
        return level


NO_FATHER, FATHER, RESTATED = range(3)


def _fathers(p: Prepared, rows: np.ndarray) -> np.ndarray:
    """Whether each record names a father (`_father_token`), and whether its family name is that
    name again (RESTATED)."""
    family, father = p.tokens["family"][rows], _father_token(p, rows)
    restated = (family[:, 0] == father) & (family[:, 1] < 0)
    return np.where(father < 0, NO_FATHER, np.where(restated, RESTATED, FATHER)).astype(np.int8)


BIRTH_DATE = "birth_date"  # the comparison's name


class BirthDate(Comparator):
    """Birth dates as recording habits differ (matching.dates): from the same day to far apart."""

    def __init__(self):
        self.comparison = Comparison(BIRTH_DATE, tuple(dates.LEVELS[k] for k in sorted(dates.LEVELS)),
                                     rare=(dates.OTHER, dates.FEW), monotone=dates.ORDER)

    def levels(self, pairs: Pairs) -> np.ndarray:
        left, right, li, ri = pairs.left, pairs.right, pairs.li, pairs.ri
        return dates.compare({k: v[li] for k, v in left.dates.items()}, {k: v[ri] for k, v in right.dates.items()},
                             left.calendar[li] | right.calendar[ri])


class AfterContact(Comparator):
    """The day a found record was made against the enquiry's last contact with the person (the
    day of separation), as far as a date read to its first possible day tells (matching.dates):
    the record of someone the family heard from a year and more after it was made is likelier a
    namesake's. In the generated sets a true pair's found record was made a year or more before
    the last contact in 0-0.2 % of pairs, a random pair's in 28-32 % (benchmarks/RESULTS.md,
    session 40); EM weighs the levels as the files show them."""

    def __init__(self):
        self.comparison = Comparison("last_contact", dates.CONTACT_LEVELS, monotone=(ordered(dates.CONTACT_LEVELS),))

    def levels(self, pairs: Pairs) -> np.ndarray:
        return dates.after_contact(pairs.left.dates[LAST_CONTACT][pairs.li], pairs.right.dates[RECORDED][pairs.ri])


class Exact(Comparator):
    """A column compared for equality (sex, nationality), by the codes of its values
    (`Prepared.codes`, column `at`): two integers per pair, not two Python strings."""

    def __init__(self, column: str, at: int):
        labels = ("different", "same")
        self.comparison = Comparison(column, labels, monotone=(ordered(labels),))
        self.column, self.at = column, at

    def levels(self, pairs: Pairs) -> np.ndarray:
        a, b = pairs.left.codes[pairs.li, self.at], pairs.right.codes[pairs.ri, self.at]
        return np.where((a == 0) | (b == 0), MISSING, a == b).astype(np.int8)


class Fuzzy(Comparator):
    """A column compared as romanised strings by Jaro-Winkler (addresses, ids), a birth place
    also as names are (`TextSimilarity`).
    `family`: a whole family shares it (a birth place), so like the parents' names it counts
    only once the person's own first name is not different."""

    def __init__(self, column: str, family: bool = False):
        labels = ("different", "alike", "same")
        self.comparison = Comparison(column, labels, needs="first_name" if family else None, tf=family,
                                     monotone=(ordered(labels),))
        self.column = column
        self.few_values = family  # a birth place: its similarities are remembered (TextSimilarity)

    def levels(self, pairs: Pairs) -> np.ndarray:
        """A family field compares both the cities its values name (matching.places) and the
        values as written, the closer counting: two records giving one text always agree, and a
        spelling the gazetteer reads on one side only is still alike as written."""
        def ids(column: str) -> tuple[np.ndarray, np.ndarray]:  # of the values in Vocab.texts
            return pairs.left.fuzzy[column][pairs.li], pairs.right.fuzzy[column][pairs.ri]

        similarity = pairs.value_similarity if self.few_values else pairs.value_similarity.afresh
        a, b = ids(self.column)
        s = similarity(a, b)
        if self.column + WRITTEN in pairs.left.fuzzy:
            s = np.maximum(s, similarity(*ids(self.column + WRITTEN)))
        level = np.select([s >= 0.999, s >= 0.85], [2, 1], 0).astype(np.int8)
        level[(a < 0) | (b < 0)] = MISSING
        return level

    def tf_share(self, side: Prepared, rows: np.ndarray, index, populations: np.ndarray) -> np.ndarray:
        """A family's field (the birth place: Prepared.place): agreeing on a village says more
        than agreeing on a capital most of the population comes from."""
        return index.place_share(side.place[rows], populations)


def comparators(exact: tuple[str, ...] = (), fuzzy: tuple[str, ...] = (),
                family_fields: tuple[str, ...] = (), contact: bool = False) -> tuple[Comparator, ...]:
    """The comparisons a linker makes, in the model's order: names, birth date, with `contact`
    the found record's date against the last contact, then the `exact` and `fuzzy` columns of
    its fields."""
    return (
        FirstName(),
        WholeName(),
        FamilyName(),
        FatherName(),
        # Where both records write the father's second name (his father's, in a chain), its
        # differing says another father: at 100,000 x 500,000, of 3,507 pairs among enquiries' ten
        # best whose fathers' first names agreed and second names differed, 4 were one person; of
        # 1,490 that agreed on both, 691
        NamePart("father_second_name", _father_second, tf=True, needs="first_name"),
        NamePart("mother_name", _mother, tf=True, needs="first_name", among_mothers=True),
        # Where both records write the mother's second name, its differing says another mother:
        # at 100,000 x 500,000, of the 10,458 pairs among enquiries' ten best whose mothers' first
        # names agreed and whose second names differed, 3 were one person; of 2,462 that agreed
        # on both, 1,780 (the first name alone counted, so the first were 51 of them above 0.5)
        NamePart("mother_second_name", _mother_second, tf=True, needs="first_name"),
        BirthDate(),
        *((AfterContact(),) if contact else ()),
        *(Exact(c, at) for at, c in enumerate(exact)),
        *(Fuzzy(c, family=c in family_fields) for c in fuzzy),
    )


def different_names(levels: dict[str, np.ndarray]) -> np.ndarray:
    """Pairs whose own first names are different names, not spellings of one: only loosely
    alike (sisters Elena and Iryna of one family, whose other names all agree, so that even the
    whole name aligns), or different where not every name part aligns (given names in another
    order leave the first names different and the whole name alike)."""
    first = levels["first_name"]
    return (first == LOOSE_FIRST) | ((first == 0) & (levels["whole_name"] < len(WholeName.LABELS) - 1))


class Comparer:
    """Computes every comparison's level for candidate pairs (row index arrays into two sides)."""

    def __init__(self, vocab: Vocab, exact: tuple[str, ...], fuzzy: tuple[str, ...],
                 family_fields: tuple[str, ...] = (), contact: bool = False):
        """`family_fields`: fuzzy fields a whole family shares (a birth place), which like the
        parents' names count for a pair only once the person's own first name is not different;
        `contact`: the records give a last contact and the day they were made (AfterContact)."""
        self.sim = TokenSimilarity(vocab)
        self.values = TextSimilarity(vocab.texts)  # of field values, as `sim` of name tokens
        self.exact, self.fuzzy = exact, fuzzy
        self.comparators = comparators(exact, fuzzy, family_fields, contact)
        self.comparisons = tuple(c.comparison for c in self.comparators)  # what the model learns weights for
        self.names = tuple(c.name for c in self.comparators if c.is_name)  # the name comparisons

    @classmethod
    def of(cls, vocab: Vocab, fields: Fields) -> Comparer:
        """The comparisons a linker of `fields` makes."""
        return cls(vocab, fields.exact, fields.fuzzy, fields.family_fields,
                   contact=fields.last_contact is not None and fields.recorded_on is not None)

    def levels(self, left: Prepared, right: Prepared, li: np.ndarray, ri: np.ndarray) -> dict[str, np.ndarray]:
        """Level arrays keyed by comparison name, aligned with the pairs (li[k], ri[k]).

        Works through the pairs a slice at a time: the token matrices of a slice are ~45 ids
        per pair, so millions of pairs at once would need gigabytes for a moment. A slice's levels
        are worked out in a second thread while the next slice's token similarities are looked up
        (each similarity memory is used by one thread: the names' by this one, the field values'
        by the worker, which compares the fields): much of either is numpy or compiled code
        that lets the other run, and comparing 6,000,000 pairs took 11.6 s instead of 12.9-14.7 s
        (benchmarks/RESULTS.md, session 13). At most two slices are held at once."""
        if len(li) <= CHUNK:  # one slice (a search): nothing to overlap
            pairs = Pairs(left, right, li, ri, self.values)
            self._similarities(pairs)
            return self._levels(pairs)
        parts, pending = [], None
        with ThreadPoolExecutor(1) as worker:
            for i in range(0, len(li), CHUNK):
                pairs = Pairs(left, right, li[i:i + CHUNK], ri[i:i + CHUNK], self.values)
                self._similarities(pairs)
                if pending is not None:
                    parts.append(pending.result())
                pending = worker.submit(self._levels, pairs)
            parts.append(pending.result())
        return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}

    def _similarities(self, pairs: Pairs) -> None:
        requests = {key: tokens for c in self.comparators for key, tokens in c.similarities(pairs).items()}
        pairs.similarity = dict(zip(requests, self.sim.many(*requests.values()))) if requests else {}

    def _levels(self, pairs: Pairs) -> dict[str, np.ndarray]:
        return {c.name: c.levels(pairs) for c in self.comparators}

    def tf_shares(self, left: Prepared, index, li: np.ndarray, ri: np.ndarray,
                  levels: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Term frequencies: for each term-frequency-adjusted comparison, how common each pair's
        agreeing name or place is among the records of `index` (a matching.index.Index: the people a
        namesake could be among) of the pair's population: the left record's, else the right's
        (matching.frequency). Only agreement at the top level is weighed by frequency, so only
        there is it looked up (NaN elsewhere). The two sides agree on one name, perhaps in two
        spellings, and the name is as common as the commoner spelling (where a side's part holds
        several names, Mohammed Zubaidi against Zubaidi, the side of one name says which): the
        left one alone made a rare spelling of a common name rare (Somali Cali for Ali, "name
        less common than most, +4.3" bits; Tesfaje for Tesfaye), since a spelling is counted by
        its sound key."""
        own, other = left.population[li], index.data.population[ri]
        population = np.where(own != 0, own, other)
        out = {}
        for c in self.comparators:
            if c.comparison.tf:
                top = np.flatnonzero(levels[c.name] == len(c.labels) - 1)
                out[c.name] = np.full(len(li), np.nan)
                a = c.tf_share(left, li[top], index, population[top])
                b = c.tf_share(index.data, ri[top], index, population[top])
                one_a, one_b = c.single(left, li[top]), c.single(index.data, ri[top])
                # a side of one name holds the name agreed on; of two, its first may not be it
                out[c.name][top] = np.where(one_a & one_b, np.fmax(a, b), np.where(one_b, b, a))
        return out
