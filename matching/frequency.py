"""How common a name is among the people a namesake could be.

Agreement on a name says more the rarer the name is, but rare *where*? A Somali enquiry's
namesakes are other Somalis, among whom a handful of names cover a third of the people, while
over a whole file of many nationalities those names look only moderately common. Counting
names over the whole file overweighted agreement in populations with few common names and
underweighted it where names are diverse (benchmarks/RESULTS.md, session 9). So names are
counted within each population (the records' nationality) as well as overall, and a name's
share within a population is shrunk toward its overall share where the population holds few
records, so a handful of records never decides how common a name is.

The index of `rfl link` and of the service, and Spark's found side, all count with this class,
so a pair gets the same share on every path.
"""

from __future__ import annotations

import numpy as np
import polars as pl

PSEUDO = 100.0  # records: a population's own counts outweigh the overall share once it holds more
_MIX = np.uint64(0x9E3779B97F4A7C15)  # spreads a name key before a population code is xored in


def _within(names: np.ndarray, populations: np.ndarray) -> np.ndarray:
    """One uint64 key per (name, population): distinct pairs collide only by hash chance."""
    with np.errstate(over="ignore"):
        return (names.astype(np.uint64) * _MIX) ^ populations.astype(np.uint64)


class NameCounts:
    """Records holding each name (a uint64 key, 0 none), overall and within each population (a
    uint64 code, 0 unknown), kept current as records come and go."""

    def __init__(self) -> None:
        self.total = 0
        self._overall: dict[int, int] = {}
        self._within: dict[int, int] = {}
        self._sizes: dict[int, int] = {}
        self._tables: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame] | None = None  # until a write

    def count(self, names: np.ndarray, populations: np.ndarray, delta: int = 1) -> None:
        """Add (delta 1) or take away (-1) records: `names` (records, width) keys, each distinct
        within its row, 0 for none; `populations` one code a record, 0 unknown."""
        names = np.asarray(names, dtype=np.uint64).reshape(len(populations), -1)
        populations = np.asarray(populations, dtype=np.uint64)
        self.total += delta * len(populations)
        held = names != 0
        rows = np.broadcast_to(populations[:, None], names.shape)
        known = held & (rows != 0)
        _add(self._overall, names[held], delta)
        _add(self._within, _within(names[known], rows[known]), delta)
        _add(self._sizes, populations[populations != 0], delta)
        self._tables = None

    def share(self, names: np.ndarray, populations: np.ndarray) -> np.ndarray:
        """Share of records holding each name (NaN for key 0): within its population, shrunk
        toward the overall share by PSEUDO records; the overall share where the population is
        unknown (code 0)."""
        overall, within, sizes = self._frames()
        query = pl.DataFrame({"name": np.asarray(names, dtype=np.uint64),
                              "population": np.asarray(populations, dtype=np.uint64)})
        query = query.with_columns(pl.Series("pair", _within(query["name"].to_numpy(), query["population"].to_numpy())))
        got = (query.join(overall, on="name", how="left", maintain_order="left")
               .join(within, on="pair", how="left", maintain_order="left")
               .join(sizes, on="population", how="left", maintain_order="left").fill_null(0))
        base = got["overall"].to_numpy() / max(self.total, 1)
        own, size = got["within"].to_numpy(), got["size"].to_numpy()
        shrunk = (own + PSEUDO * base) / (size + PSEUDO)
        out = np.where(query["population"].to_numpy() == 0, base, shrunk)
        return np.where(query["name"].to_numpy() == 0, np.nan, out)

    def _frames(self) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
        if self._tables is None:
            def frame(counts: dict[int, int], key: str, value: str) -> pl.DataFrame:
                return pl.DataFrame({key: np.fromiter(counts.keys(), np.uint64, len(counts)),
                                     value: np.fromiter(counts.values(), np.int64, len(counts))})
            self._tables = (frame(self._overall, "name", "overall"), frame(self._within, "pair", "within"),
                            frame(self._sizes, "population", "size"))
        return self._tables


def _add(counts: dict[int, int], keys: np.ndarray, delta: int) -> None:
    """counts[k] += delta for each key (repeats counted), dropping keys that reach 0."""
    if len(keys) == 0:
        return
    distinct, n = np.unique(keys, return_counts=True)
    for key, k in zip(distinct.tolist(), (n * delta).tolist()):
        left = counts.get(key, 0) + k
        if left:
            counts[key] = left
        else:
            counts.pop(key, None)
