"""How common a name (or a birth place) is among the people a namesake could be.

Agreement on a name says more the rarer the name is, but rare *where*? A Somali enquiry's
namesakes are other Somalis, among whom a handful of names cover a third of the people, while
over a whole file of many nationalities those names look only moderately common. Counting
names over the whole file overweighted agreement in populations with few common names and
underweighted it where names are diverse (benchmarks/RESULTS.md, session 9: names counted
within the pair's population). So names are counted within each population (the records'
nationality) as well as overall, and a name's share within a population is shrunk toward its
overall share where the population holds few records, so a handful of records never decides
how common a name is. Where the records of a pair state no nationality, a name is as common as
it is within the population of the people who hold it.

The same holds for where people come from: most Afghan records name Kabul or Herat, while an
Iraqi village is held by few. The index of `rfl link` and of the service, and Spark's found
side, all count with this class (people's own names, their mothers' names, their birth places),
so a pair gets the same share on every path.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np

PSEUDO = 100.0  # records: a population's own counts outweigh the overall share once it holds more
_MIX = np.uint64(0x9E3779B97F4A7C15)  # spreads a name key before a population code is xored in


def _within(names: np.ndarray, populations: np.ndarray) -> np.ndarray:
    """One uint64 key per (name, population), to find the distinct ones: pairs collide only by
    hash chance."""
    with np.errstate(over="ignore"):
        return (names.astype(np.uint64) * _MIX) ^ populations.astype(np.uint64)


class NameCounts:
    """Records holding each name or place (a uint64 key, 0 none), overall and within each
    population (a uint64 code, 0 unknown), kept current as records come and go."""

    def __init__(self) -> None:
        self.total = 0
        self._overall: dict[int, int] = {}
        self._held_in: dict[int, dict[int, int]] = {}  # name: {population: records holding it there}
        self._sizes: dict[int, int] = {}

    def count(self, names: np.ndarray, populations: np.ndarray, delta: int = 1) -> None:
        """Add (delta 1) or take away (-1) records: `names` (records, width) keys, 0 for none; a
        name a record holds twice (two spellings of one) counts once. `populations` one code a
        record, 0 unknown."""
        if len(populations) == 0:
            return
        names = np.sort(np.asarray(names, dtype=np.uint64).reshape(len(populations), -1), axis=1)
        names[:, 1:][names[:, 1:] == names[:, :-1]] = 0
        populations = np.asarray(populations, dtype=np.uint64)
        self.total += delta * len(populations)
        held = names != 0
        rows = np.broadcast_to(populations[:, None], names.shape)
        known = held & (rows != 0)
        _add(self._overall, names[held], delta)
        _add_within(self._held_in, names[known], rows[known], delta)
        _add(self._sizes, populations[populations != 0], delta)

    def share(self, names: np.ndarray, populations: np.ndarray) -> np.ndarray:
        """Share of records holding each name (NaN for key 0): within its population, shrunk
        toward the overall share by PSEUDO records; where the population is unknown (code 0),
        as common as where its holders are from (`_where_held`). Each distinct (name,
        population) is looked up once, so a search's few names cost microseconds however large
        the counts, and a batch's millions a sort."""
        names, populations = np.asarray(names, dtype=np.uint64), np.asarray(populations, dtype=np.uint64)
        _, first, inverse = np.unique(_within(names, populations), return_index=True, return_inverse=True)
        name, population = names[first].tolist(), populations[first].tolist()
        holders = np.fromiter(map(self._overall.get, name, repeat(0)), np.float64, len(first))
        base = holders / max(self.total, 1)
        share = np.fromiter((self._where_held(n, h, b) if p == 0 else self._in_population(n, p, b)
                             for n, p, h, b in zip(name, population, holders.tolist(), base.tolist())),
                            np.float64, len(first))
        return np.where(names == 0, np.nan, share[inverse.ravel()])

    def _in_population(self, name: int, population: int, base: float) -> float:
        """The share of `population`'s records holding `name`, shrunk toward `base`."""
        own = self._held_in.get(name, {}).get(population, 0)
        return (own + PSEUDO * base) / (self._sizes.get(population, 0) + PSEUDO)

    def _where_held(self, name: int, holders: float, base: float) -> float:
        """A name's share within the population of a record holding it, on average over its
        `holders` (those of no stated population at `base`, the overall share): where the pair
        says nothing of where its people are from, a namesake is likeliest from where the name is
        held. Counted over all records instead, a name or place held in one population looked
        rare: Khost, over 500,000 records of ten nationalities, gave a pair of no stated
        nationality 4.0 bits where an Afghan pair got 1.3, and such namesakes outranked the
        person (benchmarks/RESULTS.md, session 21)."""
        if not holders:
            return base
        within = self._held_in.get(name, {})
        placed = sum(within.values())
        # populations in one order, so each sum is the same to the last bit
        return (sum(n * self._in_population(name, p, base) for p, n in sorted(within.items()))
                + (holders - placed) * base) / holders


def _add_within(held_in: dict[int, dict[int, int]], names: np.ndarray, populations: np.ndarray, delta: int) -> None:
    """held_in[name][population] += delta for each (name, population) (repeats counted),
    dropping those that reach 0."""
    if len(names) == 0:
        return
    _, first, n = np.unique(_within(names, populations), return_index=True, return_counts=True)
    for name, population, k in zip(names[first].tolist(), populations[first].tolist(), (n * delta).tolist()):
        within = held_in.setdefault(name, {})
        left = within.get(population, 0) + k
        if left:
            within[population] = left
        else:
            within.pop(population, None)
            if not within:
                held_in.pop(name)


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
