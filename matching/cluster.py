"""People registered more than once within one file, as groups of records.

Records joined by pairs at or above a threshold are grouped, strongest pairs first, but two
groups are joined only where no record of the one plainly is another person than a record of
the other (`apart`): a chain of strong pairs (a man and his brother, the brother and a namesake)
no longer makes one person of them all. Every pair of records within a group is checked, also
those blocking never proposed, so a group is what its members say of each other, not only what
its links say.

    labels = clusters(rows_a, rows_b, probability, threshold, apart)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components


def clusters(a: np.ndarray, b: np.ndarray, probability: np.ndarray, threshold: float,
             apart: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
    """A group number for every row up to the largest in `a` or `b` (-1 for a row in no group of
    two or more): rows joined by pairs (a[i], b[i]) with probability >= threshold, strongest
    first, unless `apart(rows_x, rows_y)` says of some pair across the two groups that they are
    two people. Groups are numbered from 0 in the order of their smallest row."""
    n = int(max(a.max(initial=-1), b.max(initial=-1))) + 1
    strong = probability >= threshold
    a, b, probability = a[strong], b[strong], probability[strong]
    label = np.full(n, -1, dtype=np.int64)
    if len(a) == 0:
        return label
    graph = sparse.coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    linked = np.unique(np.r_[a, b])
    conflicts = _conflicts(linked, component[linked], apart)
    parent = {int(r): int(r) for r in linked}
    members = {int(r): [int(r)] for r in linked}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i in np.argsort(-probability, kind="stable"):
        x, y = root(int(a[i])), root(int(b[i]))
        if x == y or any((p, q) in conflicts for p in members[x] for q in members[y]):
            continue
        if len(members[x]) < len(members[y]):
            x, y = y, x
        parent[y] = x
        members[x] += members.pop(y)
    groups = sorted(sorted(m) for m in members.values() if len(m) > 1)
    for number, group in enumerate(groups):
        label[group] = number
    return label


def _conflicts(rows: np.ndarray, component: np.ndarray, apart: Callable[[np.ndarray, np.ndarray], np.ndarray]
               ) -> set[tuple[int, int]]:
    """Every pair of `rows` within one component (both orders) that `apart` calls two people,
    asked in one call."""
    order = np.argsort(component, kind="stable")
    rows, component = rows[order], component[order]
    starts = np.flatnonzero(np.r_[True, component[1:] != component[:-1]])
    sizes = np.diff(np.r_[starts, len(rows)])
    x, y = [], []
    for start, size in zip(starts, sizes):
        if size > 1:
            i, j = np.triu_indices(size, 1)
            x.append(rows[start + i])
            y.append(rows[start + j])
    if not x:
        return set()
    x, y = np.concatenate(x), np.concatenate(y)
    hit = apart(x, y)
    return {(int(p), int(q)) for p, q in zip(x[hit], y[hit])} | {(int(q), int(p)) for p, q in zip(x[hit], y[hit])}
