"""The one-person rule's weights learnt from the data: how often an enquiry's person is not in
the file, and how far a population's pairwise odds overstate the evidence."""

import json

import numpy as np
import polars as pl
import pytest

from matching import absence
from matching.linker import exclusive
from matching.model import Comparison, Model, ModelInvalid
from matching.prepare import exact_codes

PRIOR = 0.02  # share of matches among candidate pairs, where a test does not say


def pairs(odds_per_record: list[list[float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(left, odds, rivals) for left records 0.. with their candidates' odds, none the same person."""
    left = np.concatenate([np.full(len(o), i) for i, o in enumerate(odds_per_record)]).astype(np.int64)
    odds = np.concatenate([np.asarray(o, dtype=float) for o in odds_per_record])
    total = np.bincount(left, weights=odds)
    return left, odds, total[left] - odds


def weight(found, candidates, prior):
    return absence.absent_weights(np.asarray(candidates), prior, found)


def test_when_every_enquiry_is_found_a_lone_candidate_is_taken():
    # One clear candidate (pairwise 0.75) and a stranger for each: nearly every person is found,
    # so "not in the file" weighs little and the candidate rises well above its pairwise 0.75.
    left, odds, rivals = pairs([[3.0, 0.001]] * 500)
    found, scale = absence.learn(left, odds, rivals, np.zeros(500, np.uint64), {0: ""}, prior=0.5)
    assert found == absence.KEPT_RANGE[1] and scale == {}  # never taken for everyone
    assert exclusive(odds, rivals, weight(found, 2, 0.5))[0] > 0.95


def test_when_half_the_enquiries_have_nothing_to_find_absence_weighs_more():
    records = [[3.0, 0.001]] * 250 + [[0.001, 0.001]] * 250
    left, odds, rivals = pairs(records)
    found, _ = absence.learn(left, odds, rivals, np.zeros(500, np.uint64), {0: ""}, prior=0.25)
    assert 0.2 < found < 0.7
    p = exclusive(odds, rivals, weight(found, 2, 0.25))
    assert p[0] < 0.9  # half the enquiries are found: a candidate of pairwise 0.75 stays short of sure


def test_enquiries_without_candidates_do_not_count_as_not_found():
    left, odds, rivals = pairs([[3.0, 0.001]] * 500)
    alone = absence.learn(left, odds, rivals, np.zeros(500, np.uint64), {0: ""}, prior=0.5)[0]
    among_many = absence.learn(left, odds, rivals, np.zeros(5000, np.uint64), {0: ""}, prior=0.5)[0]
    assert among_many == alone


def test_labels_give_the_share_found_directly():
    # Every enquiry has a clear candidate, but the labels say only half of them are true.
    left, odds, rivals = pairs([[3.0, 0.001]] * 500)
    known = np.zeros(len(left), dtype=bool)
    known[0:500:2] = True  # the first candidate of records 0, 2, 4, ...
    found, _ = absence.learn(left, odds, rivals, np.zeros(500, np.uint64), {0: ""}, prior=0.5, known=known)
    assert found == 0.5


def test_an_enquiry_with_more_candidates_leaves_each_less_room():
    assert weight(0.6, 60, 0.01) == pytest.approx(20 * weight(0.6, 3, 0.01))


def test_nothing_to_learn_from_leaves_the_rule_as_it_was():
    left, odds, rivals = pairs([[1e-9, 1e-9]] * 10)
    assert absence.learn(left, odds, rivals, np.zeros(10, np.uint64), {0: ""}, PRIOR) == (None, {})


def test_a_population_whose_enquiries_each_have_many_strong_namesakes_is_scaled_down():
    # Population A: one strong candidate each. Population B: five candidates at pairwise 0.9
    # each, so its pairwise probabilities expect 4.5 people where one at most can be.
    n = absence.MIN_RECORDS
    records = [[9.0]] * n + [[9.0] * 5] * n
    left, odds, rivals = pairs(records)
    population = np.r_[np.full(n, 11), np.full(n, 22)].astype(np.uint64)
    found, scale = absence.learn(left, odds, rivals, population, {0: "", 11: "AAA", 22: "BBB"}, PRIOR)
    assert set(scale) == {"BBB"} and scale["BBB"] < -2
    factor = absence.factors(scale, exact_codes(pl.Series(["AAA"] * n + ["BBB"] * n)))[left]
    p = exclusive(odds, rivals, weight(found, np.bincount(left)[left], PRIOR), factor)
    a, b = p[left < n], p[left >= n]
    assert a.min() > 0.9 and b.max() < 0.2  # B's five namesakes share little, A's lone person keeps much


def test_a_small_population_is_not_scaled():
    n = absence.MIN_RECORDS - 1
    left, odds, rivals = pairs([[9.0] * 5] * n)
    _, scale = absence.learn(left, odds, rivals, np.full(n, 22, np.uint64), {0: "", 22: "BBB"}, PRIOR)
    assert scale == {}


def test_factors_read_populations_by_their_written_code_and_none_by_the_empty_name():
    scale = {"SOM": -1.0, "": -2.0}
    codes = exact_codes(pl.Series([" som ", "SYR", None]))
    assert np.allclose(absence.factors(scale, codes), [0.5, 1.0, 0.25])
    assert np.allclose(absence.factors({}, codes), 1.0)


COMPARISONS = [Comparison("year", ("different", "same"))]


def model(**given) -> Model:
    return Model(COMPARISONS, m={"year": np.array([0.1, 0.9])}, u={"year": np.array([0.9, 0.1])}, **given)


def test_what_the_rule_learnt_is_saved_with_the_model(tmp_path):
    path = tmp_path / "model.json"
    model(found=0.61, scale={"SOM": -1.25}).to_json(path)
    again = Model.from_json(path)
    assert again.found == 0.61 and again.scale == {"SOM": -1.25}


def test_a_model_saved_without_it_weighs_absence_1(tmp_path):
    path = tmp_path / "model.json"
    model().to_json(path)
    doc = json.loads(path.read_text())
    del doc["found_share"], doc["population_scale_bits"]
    path.write_text(json.dumps(doc))
    again = Model.from_json(path)
    assert again.found is None and again.scale == {}


@pytest.mark.parametrize("field, value", [
    ("found_share", 0), ("found_share", 1), ("found_share", "nan"), ("found_share", [0.5]), ("found_share", True),
    ("found_share", "0.5"), ("found_share", 10 ** 400), ("population_scale_bits", {"SOM": 1.0}),
    ("population_scale_bits", {"SOM": "x"}), ("population_scale_bits", {"SOM": False}),
    ("population_scale_bits", [["SOM", -1]]), ("population_scale_bits", 0), ("population_scale_bits", {"som": -1}),
    ("population_scale_bits", {" SOM": -1}), ("population_scale_bits", {"SOM": -(10 ** 400)})])
def test_a_model_with_impossible_rule_figures_is_refused(tmp_path, field, value):
    path = tmp_path / "model.json"
    model().to_json(path)
    doc = json.loads(path.read_text())
    doc[field] = value
    path.write_text(json.dumps(doc))
    with pytest.raises(ModelInvalid, match=field):
        Model.from_json(path)


def test_a_prior_too_large_for_a_number_is_refused_in_one_line(tmp_path):
    path = tmp_path / "model.json"
    model().to_json(path)
    path.write_text(path.read_text().replace('"prior": 0.01', '"prior": ' + "9" * 400))
    with pytest.raises(ModelInvalid):
        Model.from_json(path)
