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


def test_when_every_enquiry_is_found_a_lone_candidate_is_taken():
    # One clear candidate (pairwise 0.75) and a stranger for each: nearly every person is found,
    # so "not in the file" weighs little and the candidate rises well above its pairwise 0.75.
    left, odds, rivals = pairs([[3.0, 0.001]] * 500)
    absent, scale = absence.learn(left, odds, rivals, np.zeros(500, np.uint64), {0: ""}, prior=0.5)
    assert absent < 0.05 and scale == {}
    assert exclusive(odds, rivals, absent)[0] > 0.95


def test_when_half_the_enquiries_have_no_candidate_absence_weighs_more():
    records = [[3.0, 0.001]] * 250 + [[0.001, 0.001]] * 250
    left, odds, rivals = pairs(records)
    found_all = absence.learn(*pairs([[3.0, 0.001]] * 500), np.zeros(500, np.uint64), {0: ""}, prior=0.25)[0]
    absent, _ = absence.learn(left, odds, rivals, np.zeros(500, np.uint64), {0: ""}, prior=0.25)
    assert absent > 10 * found_all
    p = exclusive(odds, rivals, absent)
    assert p[0] < 0.9  # half the enquiries are found: a candidate of pairwise 0.75 stays short of sure


def test_a_population_whose_enquiries_each_have_many_strong_namesakes_is_scaled_down():
    # Population A: one strong candidate each. Population B: five candidates at pairwise 0.9
    # each, so its pairwise probabilities expect 4.5 people where one at most can be.
    n = absence.MIN_RECORDS
    records = [[9.0]] * n + [[9.0] * 5] * n
    left, odds, rivals = pairs(records)
    population = np.r_[np.full(n, 11), np.full(n, 22)].astype(np.uint64)
    absent, scale = absence.learn(left, odds, rivals, population, {0: "", 11: "AAA", 22: "BBB"}, PRIOR)
    assert set(scale) == {"BBB"} and scale["BBB"] < -2
    factor = absence.factors(scale, exact_codes(pl.Series(["AAA"] * n + ["BBB"] * n)))[left]
    p = exclusive(odds, rivals, absent, factor)
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


def test_the_learnt_weights_are_saved_with_the_model(tmp_path):
    path = tmp_path / "model.json"
    model(absent=0.3, scale={"SOM": -1.25}).to_json(path)
    again = Model.from_json(path)
    assert again.absent == 0.3 and again.scale == {"SOM": -1.25}


def test_a_model_saved_without_them_weighs_absence_1(tmp_path):
    path = tmp_path / "model.json"
    model().to_json(path)
    doc = json.loads(path.read_text())
    del doc["absent_weight"], doc["population_scale_bits"]
    path.write_text(json.dumps(doc))
    again = Model.from_json(path)
    assert again.absent == 1.0 and again.scale == {}


@pytest.mark.parametrize("field, value", [("absent_weight", 0), ("absent_weight", "nan"), ("absent_weight", [1]),
                                          ("absent_weight", True), ("absent_weight", "0.3"),
                                          ("population_scale_bits", {"SOM": 1.0}),
                                          ("population_scale_bits", {"SOM": "x"})])
def test_a_model_with_impossible_weights_is_refused(tmp_path, field, value):
    path = tmp_path / "model.json"
    model().to_json(path)
    doc = json.loads(path.read_text())
    doc[field] = value
    path.write_text(json.dumps(doc))
    with pytest.raises(ModelInvalid, match=field):
        Model.from_json(path)
