"""Search one enquiry against the found records a service holds, without relinking everything.

`FoundIndex` keeps the found records as prepared arrays plus an inverted index from blocking
key to rows, so a query computes only its own keys, gathers the rows that share a rare enough
key, and scores those few candidates with the same comparisons and model as `rfl link`.
Writes are cheap (append, or mark a row dead), so the index stays current on every write.
The caller decides which records are eligible (code of conduct R4, R7, R8, R10); the index
answers with evidence only, never with the other record's values (R6).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import numpy as np
import polars as pl

from matching import blocking
from matching.compare import Comparer
from matching.model import MISSING
from matching.linker import MATCH, REVIEW, exclusive, one_person
from matching.model import Model
from matching.prepare import Prepared, Unusual, Vocab, prepare, prepare_record
from rfl.schema import CALENDAR, CHAIN, ETHIOPIC, FIELDS, NAME_COLUMNS, with_domain_flags
from rfl.records import COLUMNS

SHORTLIST = 200  # best-connected rows scored in full per query
MERGE_EVERY = 20_000  # postings added since the last merge before they are folded in
FIRST_CAPACITY = 1024  # rows the arrays hold before their first doubling


@dataclass(frozen=True)
class Candidate:
    found_id: str
    probability: float
    rank: int
    decision: str  # "match" (verify this first) or "review"
    evidence: dict[str, dict]  # comparison -> {"outcome": agree|partial|disagree|blank, "weight": bits}


def default_model() -> Model:
    """The model shipped with the package, learnt by EM on synthetic cross-border data."""
    return Model.from_json(resources.files("rfl").joinpath("default_model.json"))


class FoundIndex:
    def __init__(self, model: Model | None = None):
        self.model = model or default_model()
        self.vocab = Vocab()
        self.comparer = Comparer(self.vocab, FIELDS.exact, FIELDS.fuzzy, FIELDS.family_fields)
        self.model.check_fits(self.comparer.comparisons)
        self._data: Prepared | None = None  # views of the first _size rows of _buffers
        self._buffers: dict[tuple[str, str | None], np.ndarray] = {}
        self._size = 0
        self._alive = np.zeros(0, dtype=bool)  # as long as the buffers; False past _size
        self._row_of: dict[str, int] = {}
        self._keys = np.zeros(0, dtype=np.uint64)  # sorted key hashes ...
        self._rows = np.zeros(0, dtype=np.uint32)  # ... and the row holding each
        self._recent: dict[int, list[int]] = {}  # postings not yet merged into the sorted arrays
        self._recent_size = 0
        self._key_count: dict[str, int] = {}  # records per phonetic name key, for term frequency

    def __len__(self) -> int:
        return len(self._row_of)

    def upsert(self, records: list[dict]) -> None:
        """Add records, replacing any with the same record_id."""
        if not records:
            return
        self.remove([r["record_id"] for r in records])
        new, hashes, rows = self._prepared(records)
        start = self._size
        self._append(new)
        for offset, rid in enumerate(new.ids):
            self._row_of[rid] = start + offset
        self._count_keys(new.all_tokens, +1)
        rows = rows.astype(np.uint32) + start
        if len(new) > MERGE_EVERY or self._recent_size + len(rows) > MERGE_EVERY * 30:
            self._merge(hashes, rows)
        else:
            for h, r in zip(hashes.tolist(), rows.tolist()):
                self._recent.setdefault(h, []).append(r)
            self._recent_size += len(rows)

    def remove(self, record_ids: Iterable[str]) -> None:
        """Take records out of the pool (their rows stay behind as dead slots, never answered)."""
        for rid in record_ids:
            row = self._row_of.pop(rid, None)
            if row is not None:
                self._alive[row] = False
                self._count_keys(self._data.all_tokens[row : row + 1], -1)

    def search(self, enquiry: dict, k: int = 10) -> list[Candidate]:
        """The enquiry's best candidates with calibrated probability and per-field evidence."""
        if not self._row_of:
            return []
        query, hashes = self._query(enquiry)
        rows, weights = self._gather(query, hashes)
        if len(rows) == 0:
            return []
        zeros = np.zeros(len(rows), dtype=np.int64)
        levels = self.comparer.levels(query, self._data, zeros, rows)
        tf = {name: self._share(tokens) for name, tokens in self.comparer.tf_tokens(query, self._data, zeros, rows).items()}
        probability, contributions = self.model.predict(levels, tf)
        # As in batch linking: the enquiry seeks one person, unless candidates are one person.
        probability = exclusive(zeros, rows, probability, one_person(self.model, self.comparer, self._data))
        order = np.argsort(-probability, kind="stable")[:k]
        out = []
        for rank, i in enumerate(order, 1):
            if probability[i] < REVIEW:
                break
            evidence = {
                c.name: {"outcome": _outcome(int(levels[c.name][i]), len(c.labels)),
                         "weight": round(float(contributions[c.name][i]), 2)}
                for c in self.model.comparisons
            }
            out.append(Candidate(str(self._data.ids[rows[i]]), float(probability[i]), rank,
                                 "match" if probability[i] >= MATCH else "review", evidence))
        return out

    # --- internals ------------------------------------------------------------------------
    def _query(self, enquiry: dict) -> tuple[Prepared, np.ndarray]:
        """The enquiry prepared, and its key hashes (years ±1): in plain Python, or through the
        tables where a value is unusual (both give the same arrays and keys)."""
        try:
            query = prepare_record(_with_domain_flags(enquiry), FIELDS, self.vocab)
            keys = blocking.single_record_keys(query, self.vocab, near=True)
        except Unusual:
            return self._query_by_table(enquiry)
        return query, keys

    def _query_by_table(self, enquiry: dict) -> tuple[Prepared, np.ndarray]:
        query = prepare(with_domain_flags(_frame([enquiry])), FIELDS, self.vocab)
        return query, np.unique(blocking.near_years(blocking.record_keys(query, self.vocab))["key"].to_numpy())

    def _prepared(self, records: list[dict]) -> tuple[Prepared, np.ndarray, np.ndarray]:
        """New records prepared, with the hash and row (from 0) of each of their keys."""
        if len(records) == 1:
            try:
                new = prepare_record(_with_domain_flags(records[0]), FIELDS, self.vocab)
                keys = blocking.single_record_keys(new, self.vocab)
                return new, keys, np.zeros(len(keys), dtype=np.uint32)
            except Unusual:
                pass
        new = prepare(with_domain_flags(_frame(records)), FIELDS, self.vocab)
        keys = blocking.record_keys(new, self.vocab)
        return new, keys["key"].to_numpy(), keys["row"].to_numpy()

    def _append(self, new: Prepared) -> None:
        """Write `new` after the last row; the buffers double when full, so a write of one
        record costs O(1) amortised instead of copying the whole index."""
        arrays, end = _flat(new), self._size + len(new)
        if not self._buffers or end > len(self._alive):
            capacity = max(2 * len(self._alive), end, FIRST_CAPACITY)
            self._buffers = {key: _resized(self._buffers.get(key, a)[: self._size], a, capacity)
                             for key, a in arrays.items()}
            self._alive = _resized(self._alive[: self._size], self._alive, capacity)
        for key, a in arrays.items():
            self._buffers[key][self._size : end] = a
        self._alive[self._size : end] = True
        self._size = end
        self._data = _unflat({key: b[:end] for key, b in self._buffers.items()})

    def _gather(self, query: Prepared, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows sharing a usable key with the query, fewest conflicts on sex and nationality
        first, then best connected (the order batch blocking uses), at most SHORTLIST."""
        found, weight = [], []
        lo, hi = np.searchsorted(self._keys, hashes, "left"), np.searchsorted(self._keys, hashes, "right")
        for h, a, b in zip(hashes.tolist(), lo.tolist(), hi.tolist()):
            rows = self._rows[a:b]
            recent = self._recent.get(h)
            if recent:
                rows = np.r_[rows, np.array(recent, dtype=np.uint32)]
            if 0 < len(rows) <= blocking.MAX_BLOCK_PAIRS:
                found.append(rows)
                weight.append(np.full(len(rows), 1.0 / (1.0 + np.log2(len(rows)))))
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        rows, weight = np.concatenate(found).astype(np.int64), np.concatenate(weight)
        uniq, inverse = np.unique(rows, return_inverse=True)
        score = np.bincount(inverse, weights=weight)
        keep = self._alive[uniq]
        uniq, score = uniq[keep], score[keep]
        mine, theirs = blocking.one_record_codes(query.exact, {c: v[uniq] for c, v in self._data.exact.items()})
        clash = blocking.conflicts(mine, theirs, np.zeros(len(uniq), dtype=np.int64), np.arange(len(uniq)))
        best = np.lexsort((-score, clash))[:SHORTLIST]
        return uniq[best], score[best]

    def _merge(self, hashes: np.ndarray, rows: np.ndarray) -> None:
        pending_h = np.fromiter((h for h, rs in self._recent.items() for _ in rs), np.uint64)
        pending_r = np.fromiter((r for rs in self._recent.values() for r in rs), np.uint32)
        keys = np.concatenate([self._keys, pending_h, hashes])
        rows = np.concatenate([self._rows, pending_r, rows])
        order = np.argsort(keys, kind="stable")
        self._keys, self._rows = keys[order], rows[order]
        self._recent, self._recent_size = {}, 0

    def _count_keys(self, tokens: np.ndarray, delta: int) -> None:
        for t in tokens[tokens >= 0].tolist():
            key = self.vocab.keys[t][0] if self.vocab.keys[t] else ""
            self._key_count[key] = self._key_count.get(key, 0) + delta

    def _share(self, tokens: np.ndarray) -> np.ndarray:
        """Share of indexed records holding each token's name (by phonetic key)."""
        n = max(len(self._row_of), 1)
        return np.array([self._key_count.get(self.vocab.keys[t][0] if self.vocab.keys[t] else "", 0) / n
                         if t >= 0 else np.nan for t in tokens.tolist()])


def _outcome(level: int, n_levels: int) -> str:
    if level == MISSING:
        return "blank"
    return "agree" if level == n_levels - 1 else ("disagree" if level == 0 else "partial")


def _frame(records: list[dict]) -> pl.DataFrame:
    return pl.DataFrame([{c: r.get(c) for c in COLUMNS} for r in records], schema={c: pl.Utf8 for c in COLUMNS})


def _with_domain_flags(record: dict) -> dict:
    """`rfl.link.with_domain_flags` for one record (flags as the "true"/"false" it writes)."""
    out = {c: record.get(c) for c in COLUMNS}
    if any(v is not None and not isinstance(v, str) for v in out.values()):
        raise Unusual("value")
    ethiopic = any(out[c] is not None and re.search(ETHIOPIC, out[c]) for c in NAME_COLUMNS)
    for flag, countries in ((CALENDAR, ("ETH", "ERI")), (CHAIN, ("ETH", "ERI", "SOM"))):
        out[flag] = "true" if ethiopic or out["nationality"] in countries or out["society"] in countries else "false"
    return out


_GROUPS = ("tokens", "dates", "exact", "fuzzy")  # Prepared fields that map names to arrays


def _flat(p: Prepared) -> dict[tuple[str, str | None], np.ndarray]:
    """Every array of `p`, keyed by (field, name within the field or None)."""
    out = {(f, None): getattr(p, f) for f in ("ids", "all_tokens", "calendar", "chain")}
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
