"""Search one enquiry against the found records a service holds, without relinking everything.

`FoundIndex` keeps the found records as prepared arrays plus an inverted index from blocking
key to rows, so a query computes only its own keys, gathers the rows that share a rare enough
key, and scores those few candidates with the same comparisons and model as `rfl link`.
Writes are cheap (append, or mark a row dead), so the index stays current on every write.
The caller decides which records are eligible (code of conduct R4, R7, R8, R10); the index
answers with evidence only, never with the other record's values (R6).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import numpy as np
import polars as pl

from matching import blocking
from matching.compare import Comparer
from matching.model import MISSING
from matching.linker import MATCH, REVIEW
from matching.model import Model
from matching.prepare import Prepared, Vocab, prepare
from rfl.link import FIELDS, with_domain_flags
from rfl.records import COLUMNS

SHORTLIST = 200  # best-connected rows scored in full per query
MERGE_EVERY = 20_000  # postings added since the last merge before they are folded in


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


def _hash(keys: pl.Series) -> np.ndarray:
    return keys.hash(seed=7).to_numpy()


class FoundIndex:
    def __init__(self, model: Model | None = None):
        self.model = model or default_model()
        self.vocab = Vocab()
        self.comparer = Comparer(self.vocab, FIELDS.exact, FIELDS.fuzzy, FIELDS.family_fields)
        self._data: Prepared | None = None
        self._alive = np.zeros(0, dtype=bool)
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
        frame = pl.DataFrame([{c: r.get(c) for c in COLUMNS} for r in records],
                             schema={c: pl.Utf8 for c in COLUMNS})
        new = prepare(with_domain_flags(frame), FIELDS, self.vocab)
        start = 0 if self._data is None else len(self._data)
        self._data = new if self._data is None else _concat(self._data, new)
        self._alive = np.r_[self._alive, np.ones(len(new), dtype=bool)]
        for offset, rid in enumerate(new.ids):
            self._row_of[rid] = start + offset
        self._count_keys(new.all_tokens, +1)
        keys = blocking.record_keys(new, self.vocab)
        hashes, rows = _hash(keys["key"]), keys["row"].to_numpy().astype(np.uint32) + start
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
        frame = pl.DataFrame([{c: enquiry.get(c) for c in COLUMNS}], schema={c: pl.Utf8 for c in COLUMNS})
        query = prepare(with_domain_flags(frame), FIELDS, self.vocab)
        keys = blocking.near_years(blocking.record_keys(query, self.vocab))["key"]
        rows, weights = self._gather(_hash(keys))
        if len(rows) == 0:
            return []
        zeros = np.zeros(len(rows), dtype=np.int64)
        levels = self.comparer.levels(query, self._data, zeros, rows)
        tf = {name: self._share(tokens) for name, tokens in self.comparer.tf_tokens(query, self._data, zeros, rows).items()}
        probability, contributions = self.model.predict(levels, tf)
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
    def _gather(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows sharing a usable key with the query, best connected first (at most SHORTLIST)."""
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
        best = np.argsort(-score, kind="stable")[:SHORTLIST]
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


def _concat(a: Prepared, b: Prepared) -> Prepared:
    return Prepared(
        ids=np.concatenate([a.ids, b.ids]),
        tokens={k: np.concatenate([a.tokens[k], b.tokens[k]]) for k in a.tokens},
        all_tokens=np.concatenate([a.all_tokens, b.all_tokens]),
        dates={k: np.concatenate([a.dates[k], b.dates[k]]) for k in a.dates},
        calendar=np.concatenate([a.calendar, b.calendar]),
        chain=np.concatenate([a.chain, b.chain]),
        exact={k: np.concatenate([a.exact[k], b.exact[k]]) for k in a.exact},
        fuzzy={k: np.concatenate([a.fuzzy[k], b.fuzzy[k]]) for k in a.fuzzy},
    )
