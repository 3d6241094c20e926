"""The blocking graph: records are linked by shared keys, and only linked pairs are compared.

Each record emits several kinds of key: the phonetic keys of each name token, pairs of name
tokens (any order, so swapped fields and chains still meet), each of those with a birth year
(used only where the key alone is too common: at 500,000 records even a pair of names is), a
full birth date, and the exact value of each other compared field.
A key shared by too many pairs (Mohammed alone) is dropped, so common names only propose
candidates together with a second token or a year; rare names propose on their own. Each left
record keeps its best-connected candidates, scored by how many rare keys it shares.
"""

from __future__ import annotations


import numpy as np
import polars as pl

from matching import dates
from matching.prepare import Prepared, Unusual, Vocab

MAX_BLOCK_PAIRS = 4_000  # a key proposing more pairs than this is too common to use alone
PER_RECORD = 60  # candidates kept per left record, best connected first


def _name_keys(uniq: np.ndarray, vocab: Vocab) -> pl.DataFrame:
    """(name, key) for each distinct whole name: token keys and unordered token-pair keys."""
    name, pos = np.nonzero(uniq >= 0)
    tokens = pl.DataFrame({"name": name.astype(np.int64), "pos": pos.astype(np.int8),
                           "tid": uniq[name, pos].astype(np.int64)})
    used = np.unique(tokens["tid"].to_numpy())
    key_table = pl.DataFrame(
        [(int(t), k, i) for t in used for i, k in enumerate(vocab.keys[t])],
        schema={"tid": pl.Int64, "key": pl.Utf8, "alt": pl.Int8}, orient="row")
    keyed = tokens.join(key_table, on="tid")
    single = keyed.select("name", ("t" + pl.col("key")).alias("key"))
    # Pairs among the first four tokens, primary and first alternative keys, in sorted order.
    head = keyed.filter((pl.col("pos") < 4) & (pl.col("alt") < 2)).select("name", "pos", "key")
    pairs = (
        head.join(head, on="name", suffix="_b")
        .filter(pl.col("pos") < pl.col("pos_b"))
        .select("name", ("p" + pl.min_horizontal("key", "key_b") + "|" + pl.max_horizontal("key", "key_b"))
                .alias("key"))
    )
    return pl.concat([single, pairs]).unique()


def record_keys(p: Prepared, vocab: Vocab) -> pl.DataFrame:
    """(row, key) for every blocking key of every record, deduplicated."""
    # Keys are built once per distinct whole name, since many records share one.
    uniq, inverse = np.unique(p.all_tokens, axis=0, return_inverse=True)
    name_keys = _name_keys(uniq, vocab)
    records = pl.DataFrame({
        "row": np.arange(len(p), dtype=np.uint32), "name": inverse.ravel().astype(np.int64),
        "lo": p.dates["birth_year_lo"], "hi": p.dates["birth_year_hi"],
    }, nan_to_null=True).with_columns(pl.col("lo", "hi").cast(pl.Int32))
    with_year = (
        records.filter(pl.col("hi") - pl.col("lo") <= 4)
        .with_columns(pl.int_ranges("lo", pl.col("hi") + 1).alias("year")).explode("year")
        .join(name_keys, on="name")
        .select("row", ("y" + pl.col("year").cast(pl.Utf8).str.zfill(4) + pl.col("key")).alias("key"))
    )
    plain = records.join(name_keys, on="name").select("row", "key")
    # Other fields agreeing exactly (an identity number, a full birth date, an address).
    other = [pl.DataFrame({"row": records["row"], "key": pl.Series(values.tolist(), dtype=pl.Utf8)})
             .drop_nulls().select("row", (f"f{i}:" + pl.col("key")).alias("key"))
             for i, values in enumerate(p.fuzzy.values())]
    rows, day = dates.full_days(p.dates)
    other.append(pl.DataFrame({"row": rows.astype(np.uint32), "key": "d" + pl.Series(day).cast(pl.Utf8)}))
    return pl.concat([plain, with_year, *other]).unique()


def single_record_keys(p: Prepared, vocab: Vocab, near: bool = False) -> set[str]:
    """`record_keys` of a one-record `p` (with `near_years` applied if `near`), in plain Python.

    A query needs only its own few dozen keys; building them as tables costs more than the
    search. Raises `Unusual` where the year interval is reversed (the tables make a null key of
    it), so callers fall back to them. Years are written with four digits (0990) on every path."""
    row = p.all_tokens[0].tolist()
    single, head = set(), []
    for pos, tid in enumerate(row):
        if tid < 0:
            continue
        for alt, key in enumerate(vocab.keys[tid]):
            single.add("t" + key)
            if pos < 4 and alt < 2:
                head.append((pos, key))
    keys = single | {"p" + min(a, b) + "|" + max(a, b) for pa, a in head for pb, b in head if pa < pb}
    d = {k: float(v[0]) for k, v in p.dates.items()}
    lo, hi = d["birth_year_lo"], d["birth_year_hi"]
    if not (np.isnan(lo) or np.isnan(hi)) and hi - lo <= 4:
        if lo > hi:
            raise Unusual("year")
        shifts = (-1, 0, 1) if near else (0,)
        keys |= {f"y{year + s:04d}{key}" for year in range(int(lo), int(hi) + 1) for s in shifts for key in set(keys)}
    for i, values in enumerate(p.fuzzy.values()):
        if values[0] is not None:
            keys.add(f"f{i}:{values[0]}")
    if not np.isnan(d["birth_day"]) and lo == hi:
        if np.isnan(d["birth_month"]):
            raise Unusual("month")
        keys.add("d" + str(int(lo * 10000 + d["birth_month"] * 100 + d["birth_day"])))
    return keys


def near_years(keys: pl.DataFrame) -> pl.DataFrame:
    """Add year ±1 copies of year keys on one side, so birth years one apart still meet."""
    year_keys = keys.filter(pl.col("key").str.starts_with("y"))
    shifted = [
        year_keys.with_columns(
            ("y" + (pl.col("key").str.slice(1, 4).cast(pl.Int32) + d).cast(pl.Utf8).str.zfill(4)
             + pl.col("key").str.slice(5)).alias("key"))
        for d in (-1, 1)
    ]
    return pl.concat([keys, *shifted]).unique()


def candidates(left: pl.DataFrame, right: pl.DataFrame, dedupe: bool,
               max_block_pairs: int = MAX_BLOCK_PAIRS, per_record: int = PER_RECORD) -> pl.DataFrame:
    """Candidate pairs (l, r, score) from the keys of both sides; all-pairs comparison never happens."""
    left = near_years(left)
    sizes = (
        left.group_by("key").len("nl")
        .join(right.group_by("key").len("nr"), on="key")
        .with_columns((pl.col("nl").cast(pl.Int64) * pl.col("nr")).alias("pairs"))
        .filter(pl.col("pairs") <= max_block_pairs)
    )
    # A name (or pair of names) with a year only matters where it was too common alone.
    usable_names = sizes.filter(pl.col("key").str.contains("^[tp]"))["key"]
    sizes = sizes.filter(~(pl.col("key").str.starts_with("y") & pl.col("key").str.slice(5).is_in(usable_names.implode())))
    # Rarer keys are stronger evidence that two records belong together.
    weights = sizes.select(
        pl.col("key").hash(seed=1).alias("h"),
        (1.0 / (1.0 + pl.col("pairs").cast(pl.Float64).log(2))).alias("w"))
    hashed = [side.select(pl.col("row"), pl.col("key").hash(seed=1).alias("h")) for side in (left, right)]
    pairs = (
        hashed[0].join(weights, on="h").rename({"row": "l"})
        .join(hashed[1].rename({"row": "r"}), on="h")
    )
    if dedupe:
        pairs = pairs.filter(pl.col("l") < pl.col("r"))
    return _best_per_record(pairs["l"].to_numpy(), pairs["r"].to_numpy(), pairs["w"].to_numpy(), per_record)


def _best_per_record(left: np.ndarray, right: np.ndarray, weight: np.ndarray, per_record: int) -> pl.DataFrame:
    """Sum the weights of each (left, right) pair and keep each left record's best pairs.

    Scores are rounded so that summation order cannot reorder ties."""
    span = np.uint64(int(right.max(initial=0)) + 1)
    pair, inverse = np.unique(left.astype(np.uint64) * span + right.astype(np.uint64), return_inverse=True)
    score = np.round(np.bincount(inverse.ravel(), weights=weight), 6)
    l, r = (pair // span).astype(np.uint32), (pair % span).astype(np.uint32)
    order = np.lexsort((r, -score, l))
    l, r, score = l[order], r[order], score[order]
    starts = np.r_[0, np.flatnonzero(np.diff(l)) + 1]
    position = np.arange(len(l)) - np.repeat(starts, np.diff(np.r_[starts, len(l)]))
    keep = position < per_record
    return pl.DataFrame({"l": l[keep], "r": r[keep], "score": score[keep]})
