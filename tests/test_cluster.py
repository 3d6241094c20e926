"""Clusters within one file: records joined by strong pairs, never two plainly different people
in one group (issue 9: a man, his brother and a namesake joined through `match` edges)."""

import numpy as np
import polars as pl

from benchmarks.metrics import cluster_figures
from matching.cluster import clusters
from matching.compare import Comparer, different_names
from matching.prepare import Vocab, prepare
from rfl.schema import FIELDS, with_domain_flags



def _apart(*pairs: tuple[int, int]):
    known = {frozenset(p) for p in pairs}
    return lambda a, b: np.array([frozenset((int(x), int(y))) in known for x, y in zip(a, b)], dtype=bool)


def test_a_chain_is_cut_where_its_ends_are_two_people():
    a, b, p = np.array([0, 1, 3]), np.array([1, 2, 4]), np.array([0.99, 0.95, 0.9])
    assert clusters(a, b, p, 0.5, lambda x, y: np.zeros(len(x), dtype=bool)).tolist() == [0, 0, 0, 1, 1]
    # 0 and 2 are two people: the stronger pair (0, 1) holds, 2 stays out
    assert clusters(a, b, p, 0.5, _apart((0, 2))).tolist() == [0, 0, -1, 1, 1]


def test_a_strong_pair_that_is_itself_two_people_forms_no_cluster_and_weak_pairs_none_at_all():
    a, b = np.array([0, 2]), np.array([1, 3])
    assert clusters(a, b, np.array([0.99, 0.4]), 0.5, _apart((0, 1))).tolist() == [-1, -1, -1, -1]


def test_groups_are_checked_as_wholes_not_only_along_their_links():
    # 0-1 and 2-3 are strong pairs, 1-2 joins them; 0 and 3 contradict each other, so the join fails
    a, b, p = np.array([0, 2, 1]), np.array([1, 3, 2]), np.array([0.99, 0.98, 0.9])
    assert clusters(a, b, p, 0.5, _apart((0, 3))).tolist() == [0, 0, 1, 1]


def _levels(rows: list[dict]) -> dict[str, np.ndarray]:
    frame = with_domain_flags(pl.DataFrame(rows))
    comparer = Comparer.of(Vocab(), FIELDS)
    p = prepare(frame, FIELDS, comparer.sim.vocab)
    return comparer.levels(p, p, np.zeros(len(rows) - 1, dtype=np.int64), np.arange(1, len(rows)))


def test_sisters_have_different_names_and_one_woman_registered_twice_has_not():
    base = {"society": "UKR", "family_name": "Kovalenko", "father_name": "Petro", "mother_name": "Svitlana",
            "sex": "F", "birth_place": "Kharkiv", "nationality": "UKR"}
    rows = [{**base, "record_id": "a", "given_names": "Elena"},
            {**base, "record_id": "b", "given_names": "Iryna"},  # her sister
            {**base, "record_id": "c", "given_names": "Olena"},  # Elena in the Ukrainian spelling
            {**base, "record_id": "d", "given_names": "Kovalenko", "family_name": "Elena"}]  # fields swapped
    assert different_names(_levels(rows)).tolist() == [True, False, False]


def test_cluster_figures_count_groups_holding_two_people():
    groups = pl.DataFrame({"record_id": ["a", "b", "c", "d", "e", "f", "g"], "cluster": [0, 0, 1, 1, 1, 2, 2]})
    truth = pl.DataFrame({"left_id": ["b", "c", "f", "x"], "right_id": ["a", "d", "g", "y"]})
    figures = cluster_figures(groups, truth)
    assert figures["clusters"] == 3 and figures["mixed_clusters"] == 1
    assert figures["mixed_clusters_of_3_or_more"] == 1 and figures["largest_cluster"] == 3
    # implied pairs: a-b, c-d, c-e, d-e, f-g; true among them a-b, c-d, f-g of 4 true pairs
    assert figures["cluster_precision"] == 3 / 5 and figures["cluster_recall"] == 3 / 4
