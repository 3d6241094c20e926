"""Quality figures on small hand-made pairs whose answers are worked out by hand."""

import math

import numpy as np
import polars as pl
import pytest

from benchmarks.metrics import (calibration, calibration_chance, calibration_gap, canonical_pairs, canonical_truth,
                                evaluate, label, recall_at_k)


def pairs(*rows):
    return pl.DataFrame(rows, schema={"left_id": pl.Utf8, "right_id": pl.Utf8, "probability": pl.Float64},
                        orient="row")


def truth(*rows):
    return pl.DataFrame(rows, schema={"left_id": pl.Utf8, "right_id": pl.Utf8}, orient="row")


LINK_TRUTH = truth(("a1", "b1"), ("a2", "b2"), ("a3", "b3"))
LINK_PAIRS = pairs(("a1", "b1", 0.9), ("a1", "b2", 0.6), ("a2", "b2", 0.4), ("a4", "b1", 0.7))


def test_link_figures_match_a_hand_count():
    m = evaluate(LINK_PAIRS, 0.5, LINK_TRUTH, n_left=4, n_right=3)
    assert m["true_pairs"] == 3 and m["candidate_pairs"] == 4
    assert m["pairs_completeness"] == pytest.approx(2 / 3)
    assert m["reduction_ratio"] == pytest.approx(1 - 4 / 12)
    # at 0.5: a1-b1 (true), a1-b2, a4-b1 predicted
    assert (m["predicted_matches"], m["true_positives"]) == (3, 1)
    assert m["precision"] == pytest.approx(1 / 3) and m["recall"] == pytest.approx(1 / 3)
    assert m["f1"] == pytest.approx(1 / 3)
    # thresholds 0.9: 2/4, 0.7: 2/5, 0.6: 2/6, 0.4: 4/7 -> best is taking everything
    assert m["best_f1"] == pytest.approx(4 / 7) and m["best_threshold"] == 0.4
    # a1 and a2 find their partner at rank 1; a3 has no candidates at all
    assert m["recall_at_5"] == pytest.approx(2 / 3)


def test_calibration_bins_compare_predicted_and_observed():
    m = evaluate(LINK_PAIRS, 0.5, LINK_TRUTH, n_left=4, n_right=3)
    bins = {(c["low"], c["high"]): c for c in m["calibration"]}
    assert sorted(bins) == [(0.4, 0.5), (0.6, 0.7), (0.7, 0.8), (0.9, 1.0)]
    assert bins[(0.9, 1.0)]["pairs"] == 1 and bins[(0.9, 1.0)]["observed_rate"] == 1.0
    assert bins[(0.7, 0.8)]["mean_probability"] == pytest.approx(0.7) and bins[(0.7, 0.8)]["observed_rate"] == 0.0
    top = evaluate(pairs(("a1", "b1", 1.0)), 0.5, LINK_TRUTH, 4, 3)["calibration"]
    assert [(c["low"], c["high"]) for c in top] == [(0.9, 1.0)]  # probability 1.0 falls in the top bin


def test_recall_at_k_counts_ties_against_the_linker():
    tied = pairs(("a1", "b9", 0.8), ("a1", "b1", 0.8), ("a2", "b2", 0.8), ("a2", "b8", 0.3))
    t = canonical_truth(truth(("a1", "b1"), ("a2", "b2")), dedupe=False)
    labelled = label(canonical_pairs(tied, dedupe=False), t)
    # a1's partner shares the top score with a stranger: rank 2, so not within the top 1
    assert recall_at_k(labelled, t, dedupe=False, k=1) == 0.5
    assert recall_at_k(labelled, t, dedupe=False, k=2) == 1.0


def test_dedupe_pairs_are_unordered_and_counted_once():
    t = truth(("r2", "r1"), ("r3", "r4"))  # truth written in either order
    p = pairs(("r1", "r2", 0.2), ("r2", "r1", 0.9), ("r3", "r5", 0.8), ("r5", "r5", 1.0))
    m = evaluate(p, 0.5, t, n_left=5, n_right=None)
    # r1-r2 once, at its higher probability; the self-pair r5-r5 is dropped
    assert m["candidate_pairs"] == 2
    assert m["reduction_ratio"] == pytest.approx(1 - 2 / 10)
    assert (m["predicted_matches"], m["true_positives"]) == (2, 1)
    assert m["pairs_completeness"] == 0.5
    # sought records r1, r2, r3, r4: r1 and r2 find each other; r3's only candidate is wrong
    assert m["recall_at_5"] == 0.5


def test_no_candidates_at_all():
    empty = pl.DataFrame(schema={"left_id": pl.Utf8, "right_id": pl.Utf8, "probability": pl.Float64})
    m = evaluate(empty, 0.5, LINK_TRUTH, n_left=4, n_right=3)
    assert m["candidate_pairs"] == 0 and m["reduction_ratio"] == 1.0
    assert m["pairs_completeness"] == 0.0
    assert m["precision"] is None  # nothing predicted: precision is undefined, not 0 or 1
    assert m["recall"] == 0.0 and m["f1"] == 0.0
    assert m["best_f1"] == 0.0 and m["best_threshold"] is None
    assert m["recall_at_5"] == 0.0 and m["calibration"] == []


def test_no_true_pairs():
    m = evaluate(LINK_PAIRS, 0.5, truth(), n_left=4, n_right=3)
    assert m["true_pairs"] == 0
    assert m["pairs_completeness"] is None and m["recall"] is None
    assert m["precision"] == 0.0 and m["f1"] == 0.0
    assert m["best_f1"] is None and m["recall_at_5"] is None
    assert all(c["observed_rate"] == 0.0 for c in m["calibration"])


def test_integer_ids_and_missing_probabilities_are_tolerated():
    p = pl.DataFrame({"left_id": [1, 2], "right_id": [10, 20], "probability": [math.nan, 0.8]})
    m = evaluate(p, 0.5, truth(("1", "10"), ("2", "20")), n_left=2, n_right=2)
    assert m["pairs_completeness"] == 1.0 and m["true_positives"] == 1  # NaN scores as 0


def test_calibration_gap_counts_only_bins_with_enough_pairs():
    bins = [{"pairs": 60, "mean_probability": 0.55, "observed_rate": 0.40},
            {"pairs": 49, "mean_probability": 0.75, "observed_rate": 0.10},
            {"pairs": 500, "mean_probability": 0.95, "observed_rate": 0.97}]
    assert calibration_gap(bins) == pytest.approx(0.15)
    assert calibration_gap(bins, min_pairs=10) == pytest.approx(0.65)
    assert calibration_gap(bins[1:2]) is None


def test_chance_is_the_spread_of_a_calibrated_linker_s_bins():
    """A bin of 100 pairs at 0.5 strays sqrt(100 x 0.25) / 100 = 0.05 by chance; the worst of
    one such bin stays under 1.96 of that 19 times in 20, the worst of ten under more."""
    half = pl.DataFrame({"probability": [0.5] * 100, "is_match": [True, False] * 50})
    (one,) = calibration(half)
    assert one["chance_sd"] == pytest.approx(0.05)
    assert calibration_chance([one]) == pytest.approx(1.96 * 0.05, rel=0.05)
    assert calibration_chance([one] * 10) > 2.5 * 0.05
    assert calibration_chance([{**one, "pairs": 49}]) is None


def test_a_calibrated_linker_exceeds_its_chance_about_one_time_in_twenty():
    """Pairs true with exactly their probability: over 300 files of 2,000 pairs, the worst gap
    goes past the chance figure about 5 % of the time; a linker 0.1 too confident nearly always."""
    rng = np.random.default_rng(7)
    beyond = [0, 0]
    for _ in range(300):
        p = rng.uniform(0, 1, 2_000)
        truth = rng.uniform(0, 1, 2_000) < p
        for k, predicted in enumerate((p, np.clip(p + 0.1, 0, 1))):
            bins = calibration(pl.DataFrame({"probability": predicted, "is_match": truth}))
            beyond[k] += calibration_gap(bins) > calibration_chance(bins)
    assert 0.02 <= beyond[0] / 300 <= 0.09 and beyond[1] / 300 > 0.95
