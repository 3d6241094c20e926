"""What Spark runs on a partition of records or a group of enquiries: Arrow in, Arrow out,
computed by the matching core's own functions, so the two engines cannot drift apart.

Spark has no unsigned integers, so 64-bit hashes (keys, codes, id hashes) cross it as int64 with
the same bits and are read back as uint64 before anything orders or compares them: a key's
order breaks ties in the budget, and the id hash breaks ties in the ranking.

Columns: `l` and `r` are an enquiry's and a found record's row numbers (their places in the
files, as in the local engine); `key` a blocking key; `n` how many found records hold it; `w`
its weight (summed over a pair's keys); `t` the found record's id hash; `order` a candidate's
place among its enquiry's candidates.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import polars as pl
import pyarrow as pa

from matching import blocking
from matching.linker import Linker
from matching.model import Model
from matching.prepare import Fields, Prepared, Vocab, prepare
from rfl.link import shortlist

ROW = "_row"  # a record's place in its file, added before the records go to Spark
LEFT, RIGHT = "L_", "R_"  # prefixes of an enquiry's and a found record's columns beside a pair


def key_schema(side: str, n_codes: int) -> pa.Schema:
    """The schema of `record_keys` for side `l` (enquiries) or `r` (found records)."""
    own = [("r", pa.int64()), ("key", pa.int64()), ("t", pa.int64())] if side == "r" else [("l", pa.int64()), ("key", pa.int64())]
    return pa.schema(own + attribute_fields(side, n_codes))


def attribute_fields(side: str, n_codes: int) -> list[tuple[str, pa.DataType]]:
    """What the ranking asks of a side's record: exact fields' codes, birth years, calendar."""
    return [*((f"{side}_code_{j}", pa.int64()) for j in range(n_codes)), (f"{side}_lo", pa.float64()),
            (f"{side}_hi", pa.float64()), (f"{side}_cal", pa.bool_())]


def budget_schema(n_codes: int) -> pa.Schema:
    """The schema of `budget`: an enquiry's keys it spends its budget on, with their holders
    `n`, weights `w` and its attributes for the ranking."""
    return pa.schema([("l", pa.int64()), ("key", pa.int64()), ("n", pa.int64()), ("w", pa.float64()),
                      *attribute_fields("l", n_codes)])


def output_schema(comparisons: list[str]) -> pa.Schema:
    """The schema of what `rfl link` writes (rfl.link.shortlist of two files)."""
    return pa.schema([("enquiry_id", pa.string()), ("found_id", pa.string()), ("probability", pa.float64()),
                      ("rank", pa.int64()), ("decision", pa.string()),
                      *((f"why_{c}", pa.float64()) for c in comparisons), ("explanation", pa.string())])


def record_keys(batches: Iterator[pa.RecordBatch], fields: Fields, side: str) -> Iterator[pa.RecordBatch]:
    """Each record's blocking keys (blocking.record_keys; an enquiry's with the year ±1 copies
    the local engine gives the left side), each with what the ranking asks of its record: the
    exact fields' codes, birth years and calendar (blocking.contradictions), and for a found
    record its id hash (the ranking's tiebreak)."""
    for batch in batches:
        frame = pl.from_arrow(pa.Table.from_batches([batch]))
        vocab = Vocab()
        p = prepare(frame, fields, vocab)
        keys = blocking.record_keys(p, vocab)
        if side == "l":
            keys = blocking.near_years(keys)
        keys = keys.select("row", "key").unique()
        rows = keys["row"].to_numpy().astype(np.int64)
        out = {side: frame[ROW].to_numpy()[rows].astype(np.int64), "key": keys["key"].to_numpy().view(np.int64)}
        if side == "r":
            out["t"] = p.id_hash[rows].view(np.int64)
        for j in range(p.codes.shape[1]):
            out[f"{side}_code_{j}"] = p.codes[rows, j].view(np.int64)
        out[f"{side}_lo"] = p.dates["birth_year_lo"][rows]
        out[f"{side}_hi"] = p.dates["birth_year_hi"][rows]
        out[f"{side}_cal"] = p.calendar[rows]
        yield from pa.table(out, schema=key_schema(side, p.codes.shape[1])).to_batches()


def name_counts(batches: Iterator[pa.RecordBatch], fields: Fields) -> Iterator[pa.RecordBatch]:
    """How many found records of each batch hold each name, by its primary phonetic key ("" for
    a token without one), counted as matching.index.Index counts names for `name_share`."""
    for batch in batches:
        frame = pl.from_arrow(pa.Table.from_batches([batch]))
        vocab = Vocab()
        tokens = prepare(frame, fields, vocab).all_tokens
        primary = np.array([keys[0] if keys else "" for keys in vocab.keys], dtype=object)
        names = pl.Series("name", primary[tokens[tokens >= 0]], dtype=pl.Utf8)
        counts = names.value_counts(name="holders")
        yield from counts.with_columns(pl.col("holders").cast(pl.Int64)).to_arrow().cast(
            pa.schema([("name", pa.string()), ("holders", pa.int64())])).to_batches()


class Namesakes:
    """The found side as `Linker.score` asks it in a task: the task's found records (`data`), and
    how common each name is among all found records, counted over the whole side beforehand
    (`name_counts`), as matching.index.Index.name_share answers it."""

    def __init__(self, data: Prepared, vocab: Vocab, counts: dict[str, int], total: int):
        self.data, self.vocab, self.counts, self.total = data, vocab, counts, total

    def name_share(self, tokens: np.ndarray) -> np.ndarray:
        held = np.array([self.counts.get(keys[0] if keys else "", 0) for keys in self.vocab.keys] + [0])
        return np.where(tokens >= 0, held[np.where(tokens >= 0, tokens, -1)] / max(self.total, 1), np.nan)


def budget(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """The keys a group of enquiries spend their budget on, with weights (blocking.budgeted)."""
    frame = pl.from_arrow(table).with_columns(pl.col("key").reinterpret(signed=False)).rename({"l": "row"})
    kept = blocking.budgeted(frame).rename({"row": "l"}).with_columns(pl.col("key").reinterpret(signed=True))
    return kept.select(schema.names).to_arrow().cast(schema)


CANDIDATES = pa.schema([("l", pa.int64()), ("r", pa.int64()), ("order", pa.int32())])


def _attributes(frame: pl.DataFrame, side: str, n_codes: int) -> Prepared:
    """The fields blocking.contradictions reads (codes, birth years, calendar) of one side of
    each row, as a Prepared without names: the names have done their part (the keys)."""
    codes = np.column_stack([frame[f"{side}_code_{j}"].to_numpy().view(np.uint64) for j in range(n_codes)]
                            ) if n_codes else np.zeros((frame.height, 0), dtype=np.uint64)
    return Prepared(ids=np.zeros(0), tokens={}, all_tokens=np.zeros((0, 0)), chain=np.zeros(0), exact={},
                    fuzzy={}, id_hash=np.zeros(0), codes=codes, calendar=frame[f"{side}_cal"].to_numpy(),
                    dates={"birth_year_lo": frame[f"{side}_lo"].to_numpy(), "birth_year_hi": frame[f"{side}_hi"].to_numpy()})


def best(table: pa.Table, n_codes: int, per_record: int = blocking.PER_RECORD) -> pa.Table:
    """Each enquiry's best candidates among the pairs a group of enquiries' budgeted keys
    reached (blocking.best_per_record): one row a pair, its weights summed, with both records'
    attributes for blocking.contradictions and the found record's id hash for ties.

    Spark sums the weights, in an order of its own; the ranking rounds scores to 4 decimals, so
    the sums of the local engine and these differ (in the last bit) only at a rounding edge."""
    frame = pl.from_arrow(table).with_columns(pl.col("t").reinterpret(signed=False)).sort("l", "r")
    l_ids, l = np.unique(frame["l"].to_numpy(), return_inverse=True)
    r_ids, r = np.unique(frame["r"].to_numpy(), return_inverse=True)
    rows = np.arange(frame.height)
    c = blocking.contradictions(_attributes(frame, "l", n_codes), _attributes(frame, "r", n_codes), rows, rows)
    pair = l.astype(np.int64) * len(r_ids) + r  # ascending, as the frame is sorted
    tiebreak = np.zeros(len(r_ids), dtype=np.uint64)
    tiebreak[r] = frame["t"].to_numpy()

    def contradictions(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return c[np.searchsorted(pair, a.astype(np.int64) * len(r_ids) + b.astype(np.int64))]

    kept = blocking.best_per_record(l, r, frame["w"].to_numpy(), per_record, contradictions, tiebreak)
    rows = kept["l"].to_numpy()
    starts = np.searchsorted(rows, rows, "left")  # kept rows come grouped by enquiry, best first
    return pa.table({"l": l_ids[rows], "r": r_ids[kept["r"].to_numpy()],
                     "order": (np.arange(len(rows)) - starts).astype(np.int32)}, schema=CANDIDATES)


def scored(table: pa.Table, fields: Fields, model: Model, counts: dict[str, int], total: int, top: int,
           min_probability: float, schema: pa.Schema) -> pa.Table:
    """What `rfl link` writes for a group of enquiries: their candidate pairs compared, scored,
    held to one person per enquiry and ranked (Linker.score, with the names counted over all
    found records), then shortlisted and explained (rfl.link.shortlist)."""
    frame = pl.from_arrow(table).sort("l", "order")
    left = frame.unique("l", keep="first", maintain_order=True)
    right = frame.unique("r").sort("r")
    linker = Linker(fields, model=model)
    lp = prepare(_side(left, LEFT), fields, linker.vocab)
    rp = prepare(_side(right, RIGHT), fields, linker.vocab)
    li = np.searchsorted(left["l"].to_numpy(), frame["l"].to_numpy())
    ri = np.searchsorted(right["r"].to_numpy(), frame["r"].to_numpy())
    pairs = linker.score(lp, Namesakes(rp, linker.vocab, counts, total), li, ri)
    out = shortlist(pairs, False, top, min_probability)
    return out.with_columns(pl.col("rank").cast(pl.Int64)).to_arrow().cast(schema)


def _side(frame: pl.DataFrame, prefix: str) -> pl.DataFrame:
    """One side's record columns of the pair rows, under their own names."""
    return frame.select(pl.col(c).alias(c[len(prefix):]) for c in frame.columns if c.startswith(prefix))
