"""The blocking graph: records are linked by shared keys, and only linked pairs are compared.

Each record emits several kinds of key: the phonetic keys of each name token, pairs of name
tokens (any order, so swapped fields and chains still meet), the own first name with the
mother's first name (where every name of a chain is common, Ali son of Zahra is what sets a
person apart from thousands of Alis), each of those with a birth year (used only where the key
alone is too common: at 500,000 records even a pair of names is), a full birth date, and the
exact value of each other compared field (a birth place by its sound). The mother's name
never proposes alone. Each name key also comes joined with the place the record comes from (its
birth place, by its sound), so Mohammad son of Ahmad from Khost is found among thousands of Mohammad Ahmads
when one record gives a birth date and the other only an age range.
A left record reads its keys rarest first until BUDGET distinct rows are reached; a key held
by more rows than that (Mohammed alone) never proposes alone, so common names propose only
together with a second token or a year, rare names on their own. Of the rows reached, the
record keeps the PER_RECORD that share the rarest evidence with it (`shortlist`).

Keys are 64-bit hashes: each distinct key text (a token's phonetic key, a field's value) is
hashed once, and pairs, years and birth days are mixed in as integers, so millions of records
never build key strings.

What a left record is offered depends only on its own keys and the indexed side (`Index`), so
a batch of a million enquiries and one enquiry searched alone meet the same candidates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np
import polars as pl

from matching import dates, shortlist
from matching.prepare import Prepared, Vocab

if TYPE_CHECKING:
    from matching.index import Index

BUDGET = 2_000  # distinct rows a left record may reach through its keys, rarest keys first
POSTINGS = 4  # times the budget: postings read per left record at most (keys reach rows twice)
PER_RECORD = 60  # candidates kept per left record, the most telling first (`shortlist`)
# Tags mixed into integer-made keys, so a pair, a year or a day never hashes like a text.
_PAIR, _YEAR, _DAY = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9)
_FIELD, _MOTHER = np.uint64(0x27D4EB2F165667C5), np.uint64(0x85EBCA77C2B2AE63)
_PLACE = np.uint64(0xD6E8FEB86659FD93)


def text_hashes(texts) -> np.ndarray:
    """uint64 hash of each key text."""
    return pl.Series(texts, dtype=pl.Utf8).hash(seed=1).to_numpy()


def mix(a: np.ndarray, b: np.ndarray, tag: np.uint64) -> np.ndarray:
    """A well-spread uint64 from two uint64 arrays (broadcast), for the key made of both: a token
    pair, a key with a birth year."""
    return _splitmix(np.asarray(a, dtype=np.uint64), np.asarray(b, dtype=np.uint64), np.uint64(tag))


@numba.njit(cache=True, nogil=True)
def _mixed(a, b, tag):
    """splitmix64's finaliser of (a ^ tag) * M + b: the key made of a and b."""
    x = (a ^ tag) * np.uint64(0xBF58476D1CE4E5B9) + b
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@numba.vectorize(["uint64(uint64, uint64, uint64)"], cache=True)
def _splitmix(a, b, tag):
    """`_mixed` over arrays, compiled: one pass writing one new array, where numpy's six passes
    wrote five (tens of millions of keys; fresh memory is slow to touch on this machine)."""
    return _mixed(a, b, tag)


def _token_key_table(tids: np.ndarray, vocab: Vocab) -> pl.DataFrame:
    """(tid, alt, h): the hash of each phonetic key (alternative `alt`) of each token."""
    rows = [(int(t), i, k) for t in tids for i, k in enumerate(vocab.keys[t])]
    return pl.DataFrame({"tid": [r[0] for r in rows], "alt": [r[1] for r in rows],
                         "h": text_hashes(["t" + r[2] for r in rows])},
                        schema={"tid": pl.Int64, "alt": pl.Int8, "h": pl.UInt64})


def _name_keys(uniq: np.ndarray, vocab: Vocab) -> pl.DataFrame:
    """(name, key) for each distinct name (its chain's tokens, then the mother's first name, -1
    where blank), sorted: the chain's token keys, unordered token-pair keys among its first
    PAIRED tokens, and the own first name with the mother's, each name's keys once (a chain name
    that is also a mother's name is another key; two tokens sharing a phonetic key give it once).
    Compiled (`_keys_of_names`): 10.8 million keys of 480,000 names at 500,000 found records, which
    joins, a sort and a filter in polars built in 1.6 s."""
    tids = np.unique(uniq[uniq >= 0])
    table = _token_key_table(tids, vocab)
    tid, alt = table["tid"].to_numpy(), table["alt"].to_numpy().astype(np.int64)
    hashes = np.zeros((int(tids.max(initial=-1)) + 1, int(alt.max(initial=0)) + 1), dtype=np.uint64)
    hashes[tid, alt] = table["h"].to_numpy()
    held = np.zeros(len(hashes), dtype=np.int64)  # each token's keys: alternatives 0 .. held - 1
    np.maximum.at(held, tid, alt + 1)
    name, key = _keys_of_names(uniq.astype(np.int64), hashes, held)
    return pl.DataFrame({"name": name, "key": key})


PAIRED, PAIRED_KEYS = 4, 4  # chain tokens paired with each other, and the phonetic keys of each paired


@numba.njit(cache=True, nogil=True)
def _keys_of_names(uniq, hashes, held):
    """`_name_keys` for names whose tokens' keys are hashes[t, :held[t]]: (name, key), by name,
    each name's keys sorted and distinct."""
    n, mother = uniq.shape[0], uniq.shape[1] - 1
    paired = min(PAIRED, mother)
    bound = 0  # keys before duplicates go: room enough
    for i in range(n):
        for p in range(mother):
            if uniq[i, p] >= 0:
                bound += held[uniq[i, p]]
        for p in range(paired):
            for q in range(p + 1, paired):
                if uniq[i, p] >= 0 and uniq[i, q] >= 0:
                    bound += min(held[uniq[i, p]], PAIRED_KEYS) * min(held[uniq[i, q]], PAIRED_KEYS)
        if uniq[i, 0] >= 0 and uniq[i, mother] >= 0:
            bound += min(held[uniq[i, 0]], PAIRED_KEYS) * min(held[uniq[i, mother]], PAIRED_KEYS)
    names = np.empty(bound, np.int64)
    keys = np.empty(bound, np.uint64)
    out = 0
    for i in range(n):
        start = out
        for p in range(mother):
            t = uniq[i, p]
            if t >= 0:
                for a in range(held[t]):
                    keys[out] = hashes[t, a]
                    out += 1
        for p in range(paired):
            for q in range(p + 1, paired):
                s, t = uniq[i, p], uniq[i, q]
                if s < 0 or t < 0:
                    continue
                for a in range(min(held[s], PAIRED_KEYS)):
                    for b in range(min(held[t], PAIRED_KEYS)):
                        x, y = hashes[s, a], hashes[t, b]
                        keys[out] = _mixed(min(x, y), max(x, y), _PAIR)
                        out += 1
        own, m = uniq[i, 0], uniq[i, mother]
        if own >= 0 and m >= 0:
            for a in range(min(held[own], PAIRED_KEYS)):
                for b in range(min(held[m], PAIRED_KEYS)):
                    keys[out] = _mixed(hashes[own, a], hashes[m, b], _MOTHER)
                    out += 1
        # sorted by insertion (a name has a few dozen keys), each kept once
        for x in range(start + 1, out):
            k = keys[x]
            y = x - 1
            while y >= start and keys[y] > k:
                keys[y + 1] = keys[y]
                y -= 1
            keys[y + 1] = k
        kept = start
        for x in range(start, out):
            if x == start or keys[x] != keys[kept - 1]:
                keys[kept] = keys[x]
                names[kept] = i
                kept += 1
        out = kept
    return names[:out], keys[:out]


def distinct_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(matrix, axis=0, return_inverse=True): the distinct rows in order and each row's
    place among them, ranked by polars on every core (500,000 names of 7 slots: 0.11 s against
    numpy's 0.44 s, which sorts a structured view on one)."""
    if not len(matrix):
        return matrix[:0], np.zeros(0, dtype=np.int64)
    frame = pl.DataFrame(matrix, schema=[f"c{i}" for i in range(matrix.shape[1])])
    inverse = frame.select(pl.struct(pl.all()).rank("dense")).to_series().to_numpy().astype(np.int64) - 1
    first = np.empty(inverse.max() + 1, dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(inverse) - 1, -1, -1)  # each distinct row's first holder
    return matrix[first], inverse


def record_keys(p: Prepared, vocab: Vocab) -> pl.DataFrame:
    """(row, key, base, year) for every blocking key of every record, deduplicated: `key` is the
    hash to join on; year keys also carry their name key (`base`) and `year`, else null."""
    # Keys are built once per distinct whole name, since many records share one.
    uniq, inverse = distinct_rows(p.name_slots())
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
    # Each name key with the place the record comes from.
    row = np.flatnonzero(p.place)
    placed = (pl.DataFrame({"row": row.astype(np.uint32), "place": p.place[row]})
              .join(records.select("row", "name"), on="row").join(name_keys, on="name"))
    plain.append(pl.DataFrame({"row": placed["row"],
                               "key": mix(placed["key"].to_numpy(), placed["place"].to_numpy(), _PLACE)}))
    # Other fields agreeing exactly (an identity number, a full birth date, an address).
    fields = _field_keys(p.fuzzy_codes)
    row, column = np.nonzero(fields)
    plain.append(pl.DataFrame({"row": row.astype(np.uint32), "key": fields[row, column]}))
    rows, day = dates.full_days(p.dates)
    plain.append(pl.DataFrame({"row": rows.astype(np.uint32), "key": _day_keys(day)}))
    nulls = [pl.lit(None, pl.UInt64).alias("base"), pl.lit(None, pl.Int32).alias("year")]
    # Distinct by construction (a name's keys are distinct, a record has one name, and each
    # kind of key mixes in its own tag), so no unique() over tens of millions of rows.
    return pl.concat([
        pl.concat(plain).with_columns(*nulls),
        _year_keys(with_year),
    ])


def _year_keys(frame: pl.DataFrame) -> pl.DataFrame:
    """(row, key, base, year) from (row, base, year): the hash of each name key with a year."""
    key = mix(frame["base"].to_numpy(), frame["year"].to_numpy().astype(np.uint64), _YEAR)
    return frame.select("row", pl.Series("key", key, dtype=pl.UInt64), "base", "year")


def near_years(keys: pl.DataFrame, p: Prepared) -> pl.DataFrame:
    """Add year ±1 copies of year keys on one side (`keys` of records `p`), so birth years one
    apart still meet. A record's year keys run through its years lo..hi, so the copies are
    those of lo - 1 and hi + 1 alone, new by construction: no unique pass over millions of keys."""
    year_keys = keys.filter(pl.col("year").is_not_null())
    row, year = year_keys["row"].to_numpy(), year_keys["year"].to_numpy()
    ends = [(p.dates["birth_year_lo"][row] == year, -1), (p.dates["birth_year_hi"][row] == year, 1)]
    shifted = [_year_keys(year_keys.filter(at).select("row", "base", pl.col("year") + d)) for at, d in ends]
    return pl.concat([keys, *shifted])


def candidates(left: pl.DataFrame, lp: Prepared, index: Index, contradictions: np.ndarray, dedupe: bool = False,
               budget: int = BUDGET, per_record: int = PER_RECORD) -> pl.DataFrame:
    """Candidate pairs (l, r, score) of left records (`left` their `record_keys`, `lp` the
    records) with the rows of `index`; all-pairs comparison never happens.

    Each left record reaches the rows holding its keys, rarest keys first, until `budget`
    distinct rows are reached (`budgeted`: a key held by more rows never proposes alone), and
    keeps its best `per_record` rows as `shortlist` ranks them: by the rarity of the evidence
    they share, less what each contradiction costs (`contradictions`: per exact field,
    `shortlist.contradiction_bits`). What a left record is offered depends on that
    record and the index alone, never on the other left records, so one enquiry searched alone
    gets the candidates it gets in a batch."""
    left = near_years(left, lp)
    # each key's number among the distinct keys in order (np.unique's inverse, sorted on every core)
    key_of = (left["key"].rank("dense") - 1).to_numpy().astype(np.int64)
    keys = np.zeros(key_of.max(initial=-1) + 1, dtype=np.uint64)
    keys[key_of] = left["key"].to_numpy()
    # each distinct key looked up once: where its postings lie, and so how many rows hold it
    starts, ends, posted = index.ranges(keys)
    held = (ends - starts)[key_of]
    left = budgeted(left.select("row", "key", n=held, at=key_of).filter(pl.col("n") > 0), budget)
    at = left["at"].to_numpy()
    rows, per_row = np.unique(left["row"].to_numpy(), return_counts=True)
    l, r, score = shortlist.shortlists(rows, np.r_[0, np.cumsum(per_row)], starts[at], ends[at], posted,
                                       lp, index, _evidence_counts(lp, index, rows), budget, per_record, dedupe,
                                       contradictions)
    return pl.DataFrame({"l": l.astype(np.uint32), "r": r.astype(np.uint32), "score": score})


def budgeted(keys: pl.DataFrame, budget: int = BUDGET) -> pl.DataFrame:
    """The keys whose postings each left record reads: from (row, key, n), `n` the indexed rows
    holding the key, those held by at most `budget` rows, rarest first while their postings add
    up to POSTINGS x `budget`. One function, so the Spark engine (rfl.spark), which counts
    holders by a join, reads the same postings."""
    return (
        keys.filter(pl.col("n") <= budget)
        # rarest first; equal counts in key order, so a record's choice never depends on row order
        .sort("row", "n", "key")
        .filter(pl.col("n").cum_sum().over("row") <= POSTINGS * budget)
    )


def _evidence_counts(lp: Prepared, index: Index, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How many indexed rows hold the name parts (its chain's and, last, its mother's first
    name), the full birth day and each other field value of each left record of `rows` (0 for
    the others, so a slice of a batch counts only its own): what agreeing on them is worth. A
    name part counts the rows holding its commonest phonetic key, since a rare spelling (Cumar)
    meets the common one (Omar) through it."""
    names = lp.name_slots()[rows]
    tids = np.unique(names[names >= 0])
    table = _token_key_table(tids, index.vocab)
    table = table.with_columns(pl.Series("n", index.holders(table["h"].to_numpy()))).group_by("tid").agg(pl.col("n").max())
    per_token = np.zeros(int(tids.max(initial=0)) + 1, dtype=np.int64)
    per_token[table["tid"].to_numpy()] = table["n"].to_numpy()
    days = np.zeros(len(rows), dtype=np.uint64)
    full, day = dates.full_days({k: v[rows] for k, v in lp.dates.items()})
    days[full] = _day_keys(day)
    count = lambda k: np.where(k != 0, index.holders(k.ravel()).reshape(k.shape), 0)  # noqa: E731
    counts = (np.where(names >= 0, per_token[np.maximum(names, 0)], 0), count(days),
              count(_field_keys(lp.fuzzy_codes[rows])))
    whole = [np.zeros((len(lp), *c.shape[1:]), dtype=np.int64) for c in counts]
    for w, c in zip(whole, counts):
        w[rows] = c
    return tuple(whole)


def _day_keys(day: np.ndarray) -> np.ndarray:
    return mix(day.astype(np.uint64), 0, _DAY)


def _field_keys(codes: np.ndarray) -> np.ndarray:
    """The key of each field value (0 where unknown), the field's number mixed in."""
    number = np.arange(codes.shape[1], dtype=np.uint64)[None, :]
    return np.where(codes != 0, mix(codes, np.broadcast_to(number, codes.shape), _FIELD), 0).astype(np.uint64)


def runs(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For items i with a run starts[i] .. starts[i] + counts[i]: every position of every run,
    and the item it belongs to."""
    item = np.repeat(np.arange(len(starts)), counts)
    position = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(len(item))
    return position, item
