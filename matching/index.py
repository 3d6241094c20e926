"""The side a link searches: prepared records, their blocking keys and name counts, kept
current as records come and go.

`rfl link` builds one from a whole file at once; the tracing service keeps one over its found
records and searches it one enquiry at a time. Blocking and scoring ask both the same
questions (which rows hold a key, how many living rows hold it, how common a name is), so a
pair gets the same candidates and the same probability whichever path asked.

Rows are never moved: a removed record leaves a dead slot that is no longer answered, and
arrays grow by doubling, so a write of one record costs O(1) amortised. Keys live in one
sorted array searched by binary search; a few recent keys wait in a small table until
enough have gathered to merge them in.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import polars as pl

from matching import blocking
from matching.frequency import NameCounts
from matching.prepare import Prepared, Vocab

MERGE_EVERY = 20_000  # keys waiting before they are merged into the sorted array
FIRST_CAPACITY = 1024  # rows the arrays hold before their first doubling
_GROUPS = ("tokens", "dates", "fuzzy")  # Prepared fields that map names to arrays


class Index:
    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self._buffers: dict[tuple[str, str | None], np.ndarray] = {}
        self._size = 0  # rows used, living or dead
        self.data: Prepared | None = None  # views of the first _size rows of the buffers
        self.alive = np.zeros(0, dtype=bool)  # as long as the buffers; False past _size
        self._row_of: dict[str, int] = {}
        self._dead = 0  # removed rows whose keys are still in the sorted array
        self._keys = np.zeros(0, dtype=np.uint64)  # sorted key hashes ...
        self._rows = np.zeros(0, dtype=np.uint32)  # ... and the row holding each
        self._recent: dict[int, list[int]] = {}  # keys not yet merged into the sorted arrays
        self._recent_size = 0
        self._names = NameCounts()  # living rows holding each name (`_name_numbers`), by population
        self._mothers = NameCounts()  # ... and each mother's first name
        self._places = NameCounts()  # ... and each place records come from (`Prepared.place`)
        self._years: tuple[int, np.ndarray, np.ndarray] | None = None  # birth_years(), until a write

    def __len__(self) -> int:
        return len(self._row_of)

    # --- writes ----------------------------------------------------------------------------
    def add(self, new: Prepared) -> None:
        """Add prepared records (prepared with this index's vocabulary), replacing any with the
        same id. A whole file at once is merged straight into the sorted keys."""
        if len(new) == 0:
            return
        new = new.last_per_id()  # one id twice in one batch: its last record stands
        self.remove(new.ids.tolist())
        self._years = None
        keys = blocking.record_keys(new, self.vocab)
        start = self._size
        self._append(new)
        self._row_of.update(zip(new.ids.tolist(), range(start, start + len(new))))
        self._count(new, slice(None), +1)
        hashes, rows = keys["key"].to_numpy(), keys["row"].to_numpy().astype(np.uint32) + np.uint32(start)
        if len(hashes) > MERGE_EVERY or self._recent_size + len(hashes) > MERGE_EVERY:
            self._merge(hashes, rows)
        else:
            for h, r in zip(hashes.tolist(), rows.tolist()):
                self._recent.setdefault(h, []).append(r)
            self._recent_size += len(hashes)

    def remove(self, ids: Iterable[str]) -> None:
        """Take records out (their rows stay as dead slots, never answered)."""
        rows = [row for row in (self._row_of.pop(i, None) for i in ids) if row is not None]
        if rows:
            rows = np.array(rows)
            self._years = None
            self.alive[rows] = False
            self._dead += len(rows)
            self._count(self.data, rows, -1)

    # --- what blocking and scoring ask ------------------------------------------------------
    def holders(self, keys: np.ndarray) -> np.ndarray:
        """How many living rows hold each key: read off the sorted array while no row has died
        and no key waits (a batch index, whose common keys hold 100,000 rows), else counted from
        `postings`."""
        if self._dead or self._recent:
            return np.bincount(self.postings(keys)[0], minlength=len(keys))
        return np.searchsorted(self._keys, keys, "right") - np.searchsorted(self._keys, keys, "left")

    def ranges(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(starts, ends, posted): the living rows holding keys[i] are posted[starts[i]:ends[i]],
        so ends - starts is how many hold it (`holders`). While no row has died and no key waits
        (a batch index), `posted` is the sorted array's own rows, read in place: listing every
        posting of a slice of enquiries (up to 8,000 each) cost more than ranking them."""
        if self._dead or self._recent:
            owner, posted = self.postings(keys)
            at = np.arange(len(keys))
            return np.searchsorted(owner, at, "left"), np.searchsorted(owner, at, "right"), posted
        return np.searchsorted(self._keys, keys, "left"), np.searchsorted(self._keys, keys, "right"), self._rows

    def postings(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(which key, row) for every living row holding one of `keys`, in the order of `keys`."""
        lo, hi = np.searchsorted(self._keys, keys, "left"), np.searchsorted(self._keys, keys, "right")
        rows, owner = _expand(lo, hi, self._rows)
        if self._recent:
            extra = [(i, r) for i, k in enumerate(keys.tolist()) for r in self._recent.get(k, ())]
            if extra:
                more = np.array(extra, dtype=np.int64)
                owner, rows = np.r_[owner, more[:, 0]], np.r_[rows, more[:, 1]]
            order = np.argsort(owner, kind="stable")
            owner, rows = owner[order], rows[order]
        keep = self.alive[rows]
        return owner[keep], rows[keep]

    def name_share(self, tokens: np.ndarray, populations: np.ndarray, mothers: bool = False) -> np.ndarray:
        """Share of living records holding each token's name (counted by its primary phonetic
        key, so the spellings of one name pool their counts) within the population of each code
        (matching.frequency; 0: over all records); NaN for no token. With `mothers`, the share
        whose mother bears it: a mother's name is as common as it is among mothers."""
        return (self._mothers if mothers else self._names).share(self._name_numbers(tokens), populations)

    def place_share(self, places: np.ndarray, populations: np.ndarray) -> np.ndarray:
        """Share of living records coming from each place (`Prepared.place` codes, 0 unknown:
        NaN), within the population of each code, as `name_share` counts names."""
        return self._places.share(places, populations)

    def birth_years(self) -> tuple[int, np.ndarray, np.ndarray]:
        """(first, stated, middle): living rows per birth year from year `first` on, those that
        state one year, and all by the middle of their year interval; counted once, then
        kept until the next write (a search asks at every enquiry)."""
        if self._years is None:
            d = self.data.dates if self.data is not None else {}
            lo, hi = d.get("birth_year_lo", np.zeros(0)), d.get("birth_year_hi", np.zeros(0))
            self._years = birth_years(lo, hi, self.alive[: len(lo)])
        return self._years

    # --- internals -------------------------------------------------------------------------
    def _name_numbers(self, tokens: np.ndarray) -> np.ndarray:
        """Primary phonetic key number of each token (-1: none), plus two: tokens without a key
        share 1, and no token is 0."""
        numbers = np.zeros(tokens.shape, dtype=np.int64)
        held = tokens >= 0
        numbers[held] = self.vocab.key_ids()[tokens[held], 0].astype(np.int64) + 2
        return numbers

    def _count(self, p: Prepared, rows, delta: int) -> None:
        self._names.count(self._name_numbers(p.all_tokens[rows]), p.population[rows], delta)
        self._mothers.count(self._name_numbers(p.tokens["mother"][rows, :1]), p.population[rows], delta)
        self._places.count(p.place[rows], p.population[rows], delta)

    def _append(self, new: Prepared) -> None:
        """Write `new` after the last row, doubling the buffers when full."""
        arrays, end = _flat(new), self._size + len(new)
        if not self._buffers or end > len(self.alive):
            capacity = max(2 * len(self.alive), end, FIRST_CAPACITY)
            self._buffers = {key: _resized(self._buffers.get(key, a)[: self._size], a, capacity)
                             for key, a in arrays.items()}
            self.alive = _resized(self.alive[: self._size], self.alive, capacity)
        for key, a in arrays.items():
            self._buffers[key][self._size : end] = a
        self.alive[self._size : end] = True
        self._size = end
        self.data = _unflat({key: b[:end] for key, b in self._buffers.items()})

    def _merge(self, hashes: np.ndarray, rows: np.ndarray) -> None:
        """Fold the waiting keys and these into the sorted arrays, dropping dead rows' keys."""
        waiting_h = np.fromiter((h for h, rs in self._recent.items() for _ in rs), np.uint64)
        waiting_r = np.fromiter((r for rs in self._recent.values() for r in rs), np.uint32)
        keys = np.concatenate([self._keys, waiting_h, hashes])
        rows = np.concatenate([self._rows, waiting_r, rows])
        if self._dead:
            keep = self.alive[rows]
            keys, rows = keys[keep], rows[keep]
            self._dead = 0
        # polars sorts on every core; stable, so a key's rows keep the order they came in and
        # two runs read them alike. Collected lazily, polars 2 sorts with its streaming engine:
        # big2's 30 million keys in 1.1-1.7 s where the eager sort took 2.2-2.4 s, to the same order.
        merged = pl.LazyFrame({"key": keys, "row": rows}).sort("key", maintain_order=True).collect()
        self._keys, self._rows = merged["key"].to_numpy(), merged["row"].to_numpy()
        self._recent, self._recent_size = {}, 0


def birth_years(lo: np.ndarray, hi: np.ndarray, alive: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """`Index.birth_years` of rows with birth year intervals lo..hi (NaN unknown), of which
    `alive` count; also what the Spark engine (rfl.spark) counts over a whole found side."""
    known = alive & ~np.isnan(lo) & ~np.isnan(hi)
    if not known.any():
        return 0, np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64)
    first = int(lo[known].min()) - 6
    size = int(hi[known].max()) - first + 7
    stated = known & (lo == hi)
    return (first, np.bincount((lo[stated] - first).astype(np.int64), minlength=size),
            np.bincount(((lo[known] + hi[known]) // 2 - first).astype(np.int64), minlength=size))


def _expand(lo: np.ndarray, hi: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """values[lo[i]:hi[i]] for every i, concatenated, with the i each came from."""
    position, owner = blocking.runs(lo, hi - lo)
    return values[position].astype(np.int64), owner


def _flat(p: Prepared) -> dict[tuple[str, str | None], np.ndarray]:
    """Every array of `p`, keyed by (field, name within the field or None)."""
    out = {(f, None): getattr(p, f) for f in ("ids", "id_hash", "all_tokens", "calendar", "chain", "surname", "codes",
                                              "fuzzy_codes", "place", "population", "packed")}
    out.update({(f, k): v for f in _GROUPS for k, v in getattr(p, f).items()})
    return out


def _unflat(arrays: dict[tuple[str, str | None], np.ndarray]) -> Prepared:
    parts: dict = {f: {} for f in _GROUPS}
    for (f, k), v in arrays.items():
        if k is None:
            parts[f] = v
        else:
            parts[f][k] = v
    return Prepared(**parts)


def _resized(rows: np.ndarray, like: np.ndarray, capacity: int) -> np.ndarray:
    """`rows` copied into a zeroed array of `capacity` rows, shaped and typed like `like`."""
    out = np.zeros((capacity, *like.shape[1:]), dtype=like.dtype)
    out[: len(rows)] = rows
    return out
