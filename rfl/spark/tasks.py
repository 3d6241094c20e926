"""What Spark runs on a partition of records or a group of enquiries: Arrow in, Arrow out,
computed by the matching core's own functions, so the two engines cannot drift apart.

Blocking runs `matching.blocking.candidates` itself on each group of enquiries, against
`FoundSide`: an object answering what candidates asks of an Index (holders, postings, name
shares, the found records' prepared fields) from tables Spark built over the whole found side.

Spark has no unsigned integers, so 64-bit hashes (keys, codes, id hashes) cross it as int64 with
the same bits and are read back as uint64 before anything orders or compares them.

Columns: `l` and `r` are an enquiry's and a found record's row numbers (their places in the
files, as in the local engine); `key` a blocking key; `n` how many found records hold it;
`order` a candidate's place among its enquiry's candidates.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import polars as pl
import pyarrow as pa

from matching import blocking
from matching.linker import Linker
from matching.frequency import NameCounts
from matching.index import birth_years
from matching.model import Model
from matching.prepare import KEYS, RECORDED, Fields, Prepared, Vocab, pack, prepare, tokens_by_key
from matching.shortlist import contradiction_bits
from rfl.link import shortlist

ROW = "_row"  # a record's place in its file, added before the records go to Spark
LEFT, RIGHT = "L_", "R_"  # prefixes of an enquiry's and a found record's columns beside a pair
SLOTS = ("all_0", "all_1", "all_2", "all_3", "all_4", "all_5", "mother")  # a found record's name tokens
DATES = ("birth_year_lo", "birth_year_hi", "birth_month", "birth_day", RECORDED)

HELD = pa.schema([("l", pa.int64()), ("key", pa.int64()), ("n", pa.int64())])
CANDIDATES = pa.schema([("l", pa.int64()), ("r", pa.int64()), ("order", pa.int32())])


def key_schema(side: str) -> pa.Schema:
    """The schema of `record_keys` for side `l` (enquiries, with `blocks`) or `r` (found records)."""
    return pa.schema([(side, pa.int64()), ("key", pa.int64()), *((("blocks", pa.bool_()),) if side == "l" else ())])


def _frame(batch: pa.RecordBatch) -> pl.DataFrame:
    return pl.from_arrow(pa.Table.from_batches([batch]))


def record_keys(batches: Iterator[pa.RecordBatch], fields: Fields, side: str) -> Iterator[pa.RecordBatch]:
    """Each record's blocking keys (blocking.record_keys; an enquiry's with the year ±1 copies
    that blocking.candidates gives the left side). An enquiry also gets the keys of its
    mother's name (`blocks` false): blocking weighs agreeing on it by how many found records
    hold those keys, but reaches no record through them."""
    for batch in batches:
        frame = _frame(batch)
        vocab = Vocab()
        p = prepare(frame, fields, vocab)
        keys = blocking.record_keys(p, vocab)
        if side == "l":
            keys = blocking.near_years(keys, p)
            rows, _ = np.nonzero(p.tokens["mother"][:, :1] >= 0)
            hashes = key_hashes(vocab, all_keys=True)[p.tokens["mother"][rows, 0]]
            has = hashes != 0
            mother = pl.DataFrame({"row": np.repeat(rows, has.sum(axis=1)).astype(np.uint32), "key": hashes[has]})
            keys = pl.concat([keys.select("row", "key").unique().with_columns(blocks=pl.lit(True)),
                              mother.with_columns(blocks=pl.lit(False))])
        else:
            keys = keys.select("row", "key").unique()
        out = {side: frame[ROW].to_numpy()[keys["row"].to_numpy().astype(np.int64)],
               "key": keys["key"].to_numpy().view(np.int64)}
        if side == "l":
            out["blocks"] = keys["blocks"].to_numpy()
        yield from pa.table(out, schema=key_schema(side)).to_batches()


def found_schema(n_codes: int, n_fuzzy: int) -> pa.Schema:
    """The schema of `found_fields`."""
    return pa.schema([("r", pa.int64()), *((f"{s}_{x}", pa.int64()) for s in SLOTS for x in range(KEYS)),
                      ("present", pa.int32()), *((d, pa.float64()) for d in DATES), ("calendar", pa.bool_()),
                      *((f"code_{j}", pa.int64()) for j in range(n_codes)),
                      *((f"fuzzy_{j}", pa.int64()) for j in range(n_fuzzy)), ("place", pa.int64()),
                      ("population", pa.int64()), ("id_hash", pa.int64())])


def found_fields(batches: Iterator[pa.RecordBatch], fields: Fields) -> Iterator[pa.RecordBatch]:
    """What blocking asks of each found record, with its name tokens as the hashes of their
    phonetic keys (`key_hashes`; token numbers belong to one vocabulary, and each task has its
    own): `present` has bit j set where slot j of SLOTS holds a token."""
    for batch in batches:
        frame = _frame(batch)
        vocab = Vocab()
        p = prepare(frame, fields, vocab)
        table = np.r_[key_hashes(vocab), np.zeros((1, KEYS), dtype=np.uint64)]  # the last row: no token
        tokens = p.name_slots()
        out = {"r": frame[ROW].to_numpy()}
        for j, slot in enumerate(SLOTS):
            hashes = table[tokens[:, j]]
            for x in range(KEYS):
                out[f"{slot}_{x}"] = hashes[:, x].view(np.int64)
        out["present"] = ((tokens >= 0) << np.arange(len(SLOTS))).sum(axis=1).astype(np.int32)
        out.update({d: p.dates[d] for d in DATES})
        out["calendar"] = p.calendar
        out.update({f"code_{j}": p.codes[:, j].view(np.int64) for j in range(p.codes.shape[1])})
        out.update({f"fuzzy_{j}": p.fuzzy_codes[:, j].view(np.int64) for j in range(p.fuzzy_codes.shape[1])})
        out["place"] = p.place.view(np.int64)
        out["population"] = p.population.view(np.int64)
        out["id_hash"] = p.id_hash.view(np.int64)
        yield from pa.table(out, schema=found_schema(p.codes.shape[1], p.fuzzy_codes.shape[1])).to_batches()


def key_hashes(vocab: Vocab, all_keys: bool = False) -> np.ndarray:
    """(tokens, KEYS) uint64: the hash of each phonetic key of each token of `vocab`, 0 none, as
    blocking hashes a token's keys; with `all_keys`, every key a token has, not the first KEYS."""
    width = max([KEYS, *map(len, vocab.keys)]) if all_keys else KEYS
    texts = [(t, x, "t" + k) for t, keys in enumerate(vocab.keys) for x, k in enumerate(keys[:width])]
    out = np.zeros((len(vocab.keys), width), dtype=np.uint64)
    if texts:
        out[[t for t, _, _ in texts], [x for _, x, _ in texts]] = blocking.text_hashes([k for _, _, k in texts])
    return out


class Found:
    """The whole found side as blocking ranks against it, gathered on the driver from
    `found_fields` and sent once to every executor: names as rows of a table of phonetic-key
    hashes, how many records hold each name (by its primary key), and the other fields."""

    def __init__(self, table: pa.Table, n_codes: int, n_fuzzy: int):
        frame = pl.from_arrow(table).sort("r")
        n = frame.height
        hashes = np.stack([np.column_stack([frame[f"{s}_{x}"].to_numpy() for x in range(KEYS)]) for s in SLOTS],
                          axis=1).view(np.uint64)  # (n, slots, KEYS)
        present = (frame["present"].to_numpy()[:, None] >> np.arange(len(SLOTS))) & 1 == 1
        self.token_keys, number = blocking.distinct_rows(hashes[present])
        self.tokens = np.full((n, len(SLOTS)), -1, dtype=np.int32)
        self.tokens[present] = number.ravel()
        self.population = frame["population"].to_numpy().view(np.uint64)
        # Names and mothers' first names, as Index counts them: a name without a phonetic key
        # as key 1 (Index pools them too), 0 for no name.
        primary = np.where(present, np.maximum(hashes[:, :, 0], 1), 0)
        self.place = frame["place"].to_numpy().view(np.uint64)
        self.names, self.mothers, self.places = NameCounts(), NameCounts(), NameCounts()
        self.names.count(primary[:, :-1], self.population)
        self.mothers.count(primary[:, -1:], self.population)
        self.places.count(self.place, self.population)
        self.dates = {d: frame[d].to_numpy() for d in DATES}
        self.calendar = frame["calendar"].to_numpy()
        self.codes = _columns(frame, "code", n_codes)
        self.fuzzy_codes = _columns(frame, "fuzzy", n_fuzzy)
        self.id_hash = frame["id_hash"].to_numpy().view(np.uint64)
        self.years = birth_years(self.dates["birth_year_lo"], self.dates["birth_year_hi"], np.ones(n, dtype=bool))

    def __len__(self) -> int:
        return len(self.id_hash)


def _columns(frame: pl.DataFrame, prefix: str, n: int) -> np.ndarray:
    return np.column_stack([frame[f"{prefix}_{j}"].to_numpy() for j in range(n)]).view(np.uint64) if n \
        else np.zeros((frame.height, 0), dtype=np.uint64)


class Names:
    """How common each name is among all found records (within a population, or among mothers'
    names), as Index.name_share answers it, for tokens of a task's own vocabulary: by the hash
    of the token's primary phonetic key; and each place, as Index.place_share."""

    def __init__(self, vocab: Vocab, found: Found):
        self.own, self.found = vocab, found

    def name_share(self, tokens: np.ndarray, populations: np.ndarray, mothers: bool = False) -> np.ndarray:
        primary = np.r_[np.maximum(key_hashes(self.own)[:, 0], 1), np.uint64(0)]  # as Found counts; the last: no token
        counts = self.found.mothers if mothers else self.found.names
        return counts.share(primary[np.where(tokens >= 0, tokens, -1)], populations)

    def place_share(self, places: np.ndarray, populations: np.ndarray) -> np.ndarray:
        return self.found.places.share(places, populations)


class FoundSide(Names):
    """What blocking.candidates asks of an Index, for one group of enquiries: the holders of
    their keys (rows of `reached` with `n`) and the found records holding the keys they spend
    their budget on (rows with `rows`), both from Spark's joins, and the found side's
    fields. Token numbers below the task's vocabulary size are its enquiries' tokens, those
    above the found side's names."""

    def __init__(self, vocab: Vocab, found: Found, reached: pl.DataFrame):
        super().__init__(vocab, found)
        # Each kind of row once per key (Spark made them distinct); the order of a key's postings
        # changes no candidate (they are read whole; the ranking orders by score and id hash).
        reached = reached.with_columns(pl.col("key").reinterpret(signed=False))
        held = reached.filter(pl.col("n").is_not_null()).sort("key")
        self._keys, self._held = held["key"].to_numpy(), held["n"].to_numpy()
        spent = reached.filter(pl.col("rows").is_not_null()).sort("key")
        self._posted_keys = np.repeat(spent["key"].to_numpy(), spent["rows"].list.len().to_numpy())
        self._posted_rows = spent["rows"].explode().to_numpy()
        self.alive = np.ones(len(found), dtype=bool)
        self.vocab = _Vocabularies(vocab, found.token_keys)
        offset = len(vocab.keys)
        shifted = np.where(found.tokens >= 0, found.tokens + offset, -1).astype(np.int32)
        # What the ranking reads; the blocking keys (and so the place and flags) came from the tasks.
        self.data = pack(Prepared(ids=np.zeros(len(found)), tokens={"mother": shifted[:, -1:]}, all_tokens=shifted[:, :-1],
                                  dates=found.dates, calendar=found.calendar, chain=np.zeros(0), surname=np.zeros(0),
                                  fuzzy={}, codes=found.codes, fuzzy_codes=found.fuzzy_codes,
                                  place=found.place, population=found.population, packed=np.zeros((0, 0)),
                                  id_hash=found.id_hash))
        self._years = found.years

    def __len__(self) -> int:
        return len(self.found)

    def birth_years(self) -> tuple[int, np.ndarray, np.ndarray]:
        return self._years

    def holders(self, keys: np.ndarray) -> np.ndarray:
        at = np.minimum(np.searchsorted(self._keys, keys), max(len(self._keys) - 1, 0))
        hit = self._keys[at] == keys if len(self._keys) else np.zeros(len(keys), dtype=bool)
        return np.where(hit, self._held[at] if len(self._keys) else 0, 0)

    def ranges(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Postings of the keys the group spends its budget on; every other key reads as held by
        no row. blocking.candidates then drops those and budgets the spent ones again, which
        keeps them all: they are each enquiry's rarest keys, cut where Spark's budget cut them
        (`budget`, the same blocking.budgeted over the true counts)."""
        return (np.searchsorted(self._posted_keys, keys, "left"), np.searchsorted(self._posted_keys, keys, "right"),
                self._posted_rows)


class _Vocabularies:
    """key_ids over a task's vocabulary followed by the found side's names: each phonetic key
    numbered by its hash, so a key of an enquiry's token and of a found record's name meet."""

    def __init__(self, vocab: Vocab, found_keys: np.ndarray):
        self.keys = vocab.keys  # the enquiries' tokens' keys, which blocking looks up by token
        both = np.r_[key_hashes(vocab), found_keys]
        known = np.unique(both[both != 0])
        self._ids = np.where(both != 0, np.searchsorted(known, both), -1).astype(np.int32)
        self._by_key = tokens_by_key(self._ids)

    def key_ids(self) -> np.ndarray:
        return self._ids

    def tokens_by_key(self) -> tuple[np.ndarray, np.ndarray]:
        return self._by_key


def budget(table: pa.Table) -> pa.Table:
    """The keys a group of enquiries spend their budget on (blocking.budgeted)."""
    frame = pl.from_arrow(table).with_columns(pl.col("key").reinterpret(signed=False)).rename({"l": "row"})
    kept = blocking.budgeted(frame).rename({"row": "l"}).with_columns(pl.col("key").reinterpret(signed=True))
    return kept.select(HELD.names).to_arrow().cast(HELD)


def shortlisted(reached: pa.Table, records: pa.Table, fields: Fields, found: Found) -> pa.Table:
    """Each enquiry's candidates of a group of enquiries (`records`), by blocking.candidates
    against the found side, `reached` holding their keys' holders and the found records the
    keys within their budget reach."""
    frame = pl.from_arrow(records).sort(ROW)
    vocab = Vocab()
    lp = prepare(frame, fields, vocab)
    side = FoundSide(vocab, found, pl.from_arrow(reached))
    kept = blocking.candidates(blocking.record_keys(lp, vocab), lp, side, contradiction_bits(fields))
    rows = kept["l"].to_numpy().astype(np.int64)
    starts = np.searchsorted(rows, rows, "left")  # kept rows come grouped by enquiry, best first
    return pa.table({"l": frame[ROW].to_numpy()[rows], "r": kept["r"].to_numpy().astype(np.int64),
                     "order": (np.arange(len(rows)) - starts).astype(np.int32)}, schema=CANDIDATES)


def output_schema(comparisons: list[str]) -> pa.Schema:
    """The schema of what `rfl link` writes (rfl.link.shortlist of two files)."""
    return pa.schema([("enquiry_id", pa.string()), ("found_id", pa.string()), ("probability", pa.float64()),
                      ("rank", pa.int64()), ("decision", pa.string()),
                      *((f"why_{c}", pa.float64()) for c in comparisons), ("explanation", pa.string())])


class _Scored(Names):
    """The found side as Linker.score asks it: the task's found records, names counted over all."""

    def __init__(self, data: Prepared, vocab: Vocab, found: Found):
        super().__init__(vocab, found)
        self.data = data


def scored(pairs: pa.Table, records: pa.Table, fields: Fields, model: Model, found: Found, top: int,
           min_probability: float, schema: pa.Schema) -> pa.Table:
    """What `rfl link` writes for a group of enquiries: their candidate pairs (`pairs`: l, r,
    order) compared, scored, held to one person per enquiry and ranked (Linker.score, with the
    names counted over all found records), then shortlisted and explained (rfl.link.shortlist).
    `records` holds the group's enquiries (`l` and LEFT columns) and the found records its
    pairs name (`r` and RIGHT columns)."""
    frame = pl.from_arrow(pairs).sort("l", "order")
    if frame.is_empty():  # a group whose enquiries have no candidates
        return schema.empty_table()
    records = pl.from_arrow(records)
    left = records.filter(pl.col("l").is_not_null()).sort("l")
    right = records.filter(pl.col("r").is_not_null()).sort("r")
    linker = Linker(fields, model=model)
    lp = prepare(_side(left, LEFT), fields, linker.vocab)
    rp = prepare(_side(right, RIGHT), fields, linker.vocab)
    li = np.searchsorted(left["l"].to_numpy(), frame["l"].to_numpy())
    ri = np.searchsorted(right["r"].to_numpy(), frame["r"].to_numpy())
    pairs = linker.score(lp, _Scored(rp, linker.vocab, found), li, ri, top, min_probability)
    out = shortlist(pairs, False, top, min_probability)
    return out.with_columns(pl.col("rank").cast(pl.Int64)).to_arrow().cast(schema)


def _side(frame: pl.DataFrame, prefix: str) -> pl.DataFrame:
    """One side's record columns of the pair rows, under their own names."""
    return frame.select(pl.col(c).alias(c[len(prefix):]) for c in frame.columns if c.startswith(prefix))
