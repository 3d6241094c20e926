"""The blocking graph: records are linked by shared keys, and only linked pairs are compared.

Each record emits several kinds of key: the phonetic keys of each name token, pairs of name
tokens (any order, so swapped fields and chains still meet), each of those with a birth year
(used only where the key alone is too common: at 500,000 records even a pair of names is), a
full birth date, and the exact value of each other compared field.
A key held by too many records (Mohammed alone) is dropped, so common names only propose
candidates together with a second token or a year; rare names propose on their own. Each left
record keeps its best-connected candidates, scored by how many rare keys it shares, those that
contradict it on sex or nationality (`conflicts`) after those that do not.

Keys are 64-bit hashes: each distinct key text (a token's phonetic key, a field's value) is
hashed once, and pairs, years and birth days are mixed in as integers, so millions of records
never build key strings.

What a left record is offered depends only on its own keys and the indexed side (`Index`), so
a batch of a million enquiries and one enquiry searched alone meet the same candidates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import polars as pl
from scipy import sparse

from matching import dates
from matching.prepare import Prepared, Vocab

if TYPE_CHECKING:
    from matching.index import Index

BUDGET = 2_000  # rows a left record may reach through its keys, rarest keys first
PER_RECORD = 60  # candidates kept per left record, best connected first
MAX_CONFLICTS = 3  # conflicts told apart in the ranking (two bits of its sort code)
# Tags mixed into integer-made keys, so a pair, a year or a day never hashes like a text.
_PAIR, _YEAR, _DAY = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9)


def text_hashes(texts) -> np.ndarray:
    """uint64 hash of each key text."""
    return pl.Series(texts, dtype=pl.Utf8).hash(seed=1).to_numpy()


def mix(a: np.ndarray, b: np.ndarray, tag: np.uint64) -> np.ndarray:
    """A well-spread uint64 from two uint64 arrays (splitmix64's finaliser), for the key made of
    both: a token pair, a key with a birth year."""
    with np.errstate(over="ignore"):
        x = (np.asarray(a, dtype=np.uint64) ^ tag) * np.uint64(0xBF58476D1CE4E5B9) + np.asarray(b, dtype=np.uint64)
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _token_key_table(tids: np.ndarray, vocab: Vocab) -> pl.DataFrame:
    """(tid, alt, h): the hash of each phonetic key (alternative `alt`) of each token."""
    rows = [(int(t), i, k) for t in tids for i, k in enumerate(vocab.keys[t])]
    return pl.DataFrame({"tid": [r[0] for r in rows], "alt": [r[1] for r in rows],
                         "h": text_hashes(["t" + r[2] for r in rows])},
                        schema={"tid": pl.Int64, "alt": pl.Int8, "h": pl.UInt64})


def _name_keys(uniq: np.ndarray, vocab: Vocab) -> pl.DataFrame:
    """(name, key) for each distinct whole name: token keys and unordered token-pair keys."""
    name, pos = np.nonzero(uniq >= 0)
    tokens = pl.DataFrame({"name": name.astype(np.int64), "pos": pos.astype(np.int8),
                           "tid": uniq[name, pos].astype(np.int64)})
    keyed = tokens.join(_token_key_table(np.unique(tokens["tid"].to_numpy()), vocab), on="tid")
    # Pairs among the first four tokens, primary and first alternative keys, in either order.
    head = keyed.filter((pl.col("pos") < 4) & (pl.col("alt") < 4)).select("name", "pos", "h")
    pairs = head.join(head, on="name", suffix="_b").filter(pl.col("pos") < pl.col("pos_b"))
    a, b = pairs["h"].to_numpy(), pairs["h_b"].to_numpy()
    return pl.concat([
        keyed.select("name", pl.col("h").alias("key")),
        pl.DataFrame({"name": pairs["name"], "key": mix(np.minimum(a, b), np.maximum(a, b), _PAIR)}),
    ]).unique()


def record_keys(p: Prepared, vocab: Vocab) -> pl.DataFrame:
    """(row, key, base, year) for every blocking key of every record, deduplicated: `key` is the
    hash to join on; year keys also carry their name key (`base`) and `year`, else null."""
    # Keys are built once per distinct whole name, since many records share one.
    uniq, inverse = np.unique(p.all_tokens, axis=0, return_inverse=True)
    name_keys = _name_keys(uniq, vocab)
    records = pl.DataFrame({
        "row": np.arange(len(p), dtype=np.uint32), "name": inverse.ravel().astype(np.int64),
        "lo": p.dates["birth_year_lo"], "hi": p.dates["birth_year_hi"],
    }, nan_to_null=True).with_columns(pl.col("lo", "hi").cast(pl.Int32))
    with_year = (
        records.filter(pl.col("hi") - pl.col("lo") <= 4)
        .with_columns(pl.int_ranges("lo", pl.col("hi") + 1, dtype=pl.Int32).alias("year")).explode("year")
        .join(name_keys, on="name").select("row", pl.col("key").alias("base"), "year")
    )
    plain = [records.join(name_keys, on="name").select("row", "key")]
    # Other fields agreeing exactly (an identity number, a full birth date, an address).
    for i, values in enumerate(p.fuzzy.values()):
        known = np.nonzero(values != None)[0]  # noqa: E711 - elementwise on object arrays
        plain.append(pl.DataFrame({"row": known.astype(np.uint32),
                                   "key": text_hashes([f"f{i}:{v}" for v in values[known]])}))
    rows, day = dates.full_days(p.dates)
    plain.append(pl.DataFrame({"row": rows.astype(np.uint32), "key": mix(day.astype(np.uint64), 0, _DAY)}))
    nulls = [pl.lit(None, pl.UInt64).alias("base"), pl.lit(None, pl.Int32).alias("year")]
    return pl.concat([
        pl.concat(plain).with_columns(*nulls),
        _year_keys(with_year),
    ]).unique()


def _year_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """(row, key, base, year) from (row, base, year): the hash of each name key with a year."""
    key = mix(frame["base"].to_numpy(), frame["year"].to_numpy().astype(np.uint64), _YEAR)
    return frame.select("row", pl.Series("key", key, dtype=pl.UInt64), "base", "year")


def near_years(keys: pl.DataFrame) -> pl.DataFrame:
    """Add year ±1 copies of year keys on one side, so birth years one apart still meet."""
    year_keys = keys.filter(pl.col("year").is_not_null())
    shifted = [_year_keys(year_keys.select("row", "base", pl.col("year") + d)) for d in (-1, 1)]
    return pl.concat([keys, *shifted]).unique()


def conflicts(left: np.ndarray, right: np.ndarray, li: np.ndarray, ri: np.ndarray) -> np.ndarray:
    """How many exactly compared fields (`Prepared.codes`: sex, nationality) both records of
    each pair give, and give differently (MAX_CONFLICTS at most: the candidate ranking has room
    for no more)."""
    out = np.zeros(len(li), dtype=np.uint8)
    for j in range(left.shape[1]):  # a field at a time: tens of millions of pairs before the cut
        a, b = left[li, j], right[ri, j]
        out += (a != b) & (a != 0) & (b != 0)
    return np.minimum(out, MAX_CONFLICTS)


def contradictions(lp: Prepared, rp: Prepared, li: np.ndarray, ri: np.ndarray) -> np.ndarray:
    """How plainly each pair are two people: fields both give differently (`conflicts`), and
    birth years further apart than any recording habit explains (`dates.OTHER`), at most
    MAX_CONFLICTS. A pair of namesakes born decades apart then gives way to one whose dates
    fit, as one of another sex does."""
    out = conflicts(lp.codes, rp.codes, li, ri)
    lo, hi = "birth_year_lo", "birth_year_hi"
    far = dates.far_apart(lp.dates[lo][li], lp.dates[hi][li], rp.dates[lo][ri], rp.dates[hi][ri],
                          lp.calendar[li] | rp.calendar[ri])
    return np.minimum(out + far, MAX_CONFLICTS)


def candidates(left: pl.DataFrame, lp: Prepared, index: Index, dedupe: bool = False,
               budget: int = BUDGET, per_record: int = PER_RECORD) -> pl.DataFrame:
    """Candidate pairs (l, r, score) of left records (`left` their `record_keys`, `lp` the
    records) with the rows of `index`; all-pairs comparison never happens.

    What a left record is offered depends on that record and the index alone, never on the
    other left records, so one enquiry searched alone gets the candidates it gets in a batch.
    A key held by more than `max_holders` rows is too common to propose pairs alone; a name
    key with a birth year is used only where the name alone is that common. Rarer keys weigh
    more in a candidate's score. A left record's candidates that contradict it on sex or
    nationality come after those that do not, however many keys they share: among candidates
    of a common name a third differ in sex, and they took the places of true pairs (at
    100,000 x 500,000, 0.83 of the true pairs kept in the 60 places, 0.87 so ranked). They
    are still kept where places remain, so no single field vetoes a pair."""
    left = near_years(left)
    keys = np.unique(left["key"].to_numpy())
    held = index.holders(keys)
    known = held > 0
    left = budgeted(left.join(pl.DataFrame({"key": keys[known], "n": held[known]}), on="key"), budget)
    uniq, key_of = np.unique(left["key"].to_numpy(), return_inverse=True)
    owner, rows = index.postings(uniq)  # sorted by key
    # every (left row, key) entry with every row holding that key
    starts = np.searchsorted(owner, np.arange(len(uniq)), "left")
    ends = np.searchsorted(owner, np.arange(len(uniq)), "right")
    position, entry = runs(starts[key_of], (ends - starts)[key_of])
    l, r = left["row"].to_numpy()[entry].astype(np.int64), rows[position]
    w = left["w"].to_numpy()[entry]
    if dedupe:  # one file: each pair once, never a record with itself
        l, r, w = l[l < r], r[l < r], w[l < r]
    return best_per_record(l, r, w, per_record, lambda a, b: contradictions(lp, index.data, a, b),
                            index.data.id_hash)


def budgeted(keys: pl.DataFrame, budget: int = BUDGET) -> pl.DataFrame:
    """The keys each left record spends its budget on, with their weights: from (row, key, n),
    `n` the rows of the searched side holding the key, the rarest keys first while their
    postings add up to `budget`, each weighing 1 / (1 + log2 n). One function, so the local
    engine and the Spark engine (rfl.spark), which counts holders by a join, rank alike."""
    return (
        # rarest first; equal counts in key order, so a record's choice never depends on row order
        keys.sort("row", "n", "key")
        .filter(pl.col("n").cum_sum().over("row") <= budget)
        .with_columns((1.0 / (1.0 + pl.col("n").cast(pl.Float64).log(2))).alias("w"))
    )


def _by_code_then(code: np.ndarray, full: np.ndarray) -> np.ndarray:
    """The order of `code`, entries with equal codes (the same 16 bits of two ids' hashes) in
    the order of `full`, the whole hash: the order never falls back on where a row sits."""
    order = np.argsort(code, kind="stable")
    ordered = code[order]
    tied = np.zeros(len(order), dtype=bool)
    tied[1:] = ordered[1:] == ordered[:-1]
    tied[:-1] |= tied[1:].copy()
    if tied.any():
        where = np.nonzero(tied)[0]  # runs of equal codes stay in place; sort within them
        order[where] = order[where][np.lexsort((full[order[where]], ordered[where]))]
    return order


def runs(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For items i with a run starts[i] .. starts[i] + counts[i]: every position of every run,
    and the item it belongs to."""
    item = np.repeat(np.arange(len(starts)), counts)
    position = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(len(item))
    return position, item


def best_per_record(left: np.ndarray, right: np.ndarray, weight: np.ndarray, per_record: int,
                     contradicted: Callable[[np.ndarray, np.ndarray], np.ndarray],
                     tiebreak: np.ndarray) -> pl.DataFrame:
    """Sum the weights of each (left, right) pair and keep each left record's best pairs: fewest
    `contradicted(left rows, right rows)` first, then highest score, then by the right record's
    `tiebreak` (a hash of its id), so a cut between equal scores never depends on where a
    record sits.

    A sparse matrix sums the tens of millions of (pair, weight) rows a large run joins, row by
    row (several times faster than sorting them); one sort of a packed integer then ranks each
    row's pairs. Scores are rounded so that summation order cannot reorder ties."""
    if len(left) == 0:
        return pl.DataFrame({"l": [], "r": [], "score": []}, schema={"l": pl.UInt32, "r": pl.UInt32, "score": pl.Float64})
    matrix = sparse.csr_matrix((weight, (left, right)), shape=(int(left.max()) + 1, int(right.max()) + 1))
    per_row = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(matrix.shape[0], dtype=np.uint64), per_row)
    score = np.round(matrix.data, 4)
    if matrix.shape[0] >= 1 << 24:
        raise ValueError("too many records for one blocking run")
    # (row, conflicts, descending score, tiebreak) as one integer: 24 bits of row, 2 of
    # conflicts, 22 of the score in ten-thousandths (capped at 419), 16 of the tiebreak.
    units = np.minimum(np.round(score * 1e4), (1 << 22) - 1).astype(np.uint64)
    code = (rows << np.uint64(40)) | ((np.uint64((1 << 22) - 1) - units) << np.uint64(16))
    code |= contradicted(rows, matrix.indices).astype(np.uint64) << np.uint64(38)
    code |= tiebreak[matrix.indices] >> np.uint64(48)
    order = _by_code_then(code, tiebreak[matrix.indices])
    position = np.arange(len(order)) - np.repeat(matrix.indptr[:-1], per_row)
    keep = order[position < per_record]
    return pl.DataFrame({"l": rows[keep].astype(np.uint32), "r": matrix.indices[keep].astype(np.uint32),
                         "score": score[keep]})
