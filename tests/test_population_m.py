"""Each population's own m of the birth place: how often one person's records name it
differently depends on where they are from, learnt from the data and used on every path."""

import json

import numpy as np
import polars as pl
import pytest

from benchmarks.engine import engine_inputs
from benchmarks.generate import generate
from matching import training
from matching.linker import Linker
from matching.model import Model, ModelInvalid
from rfl.link import explain
from rfl.schema import FIELDS, with_domain_flags
from rfl.search import default_model

DIFFERENT = 0  # the birth place's first level: places that are not alike at all


@pytest.fixture(scope="module")
def learnt():
    """A generated file where every Syrian enquiry names another Syrian enquiry's birth place
    (their people name it wrongly, or a gazetteer this file's writers do not share), linked by a
    linker that learns its model. Returns (linker, pairs, enquiries, found, fields)."""
    data = generate(600, seed=5)
    fields, left, right = engine_inputs(data.enquiries, data.found)
    syrian = np.flatnonzero((left["nationality"] == "SYR").fill_null(False).to_numpy())
    places = left["birth_place"].to_numpy()
    places[syrian] = places[np.roll(syrian, 7)]  # each takes the place of another
    left = left.with_columns(pl.Series("birth_place", places, dtype=pl.Utf8))
    linker = Linker(fields)
    pairs = linker.link(left, right)
    return linker, pairs, left, right, fields


def test_a_population_whose_places_disagree_learns_that_a_different_place_says_less(learnt):
    """Syrian enquiries' places are another's: their m of "different" is far above the one for
    all, every other population's near it or below (Ukrainian: below), so a Syrian pair born
    "elsewhere" is weighed less against than a Ukrainian one, by the bits between their m."""
    linker, pairs, left, *_ = learnt
    model = linker.model
    assert training.BY_POPULATION == ("birth_place",)
    overall = model.m["birth_place"][DIFFERENT]
    syrian, ukrainian = (model.population_m[p]["birth_place"][DIFFERENT] for p in ("SYR", "UKR"))
    others = [by["birth_place"][DIFFERENT] for p, by in model.population_m.items() if p != "SYR"]
    assert syrian > overall + 0.2 and ukrainian < overall and max(others) < overall + 0.02
    assert set(model.population_m) >= {"SYR", "UKR", ""} and all(set(by) == {"birth_place"}
                                                                   for by in model.population_m.values())
    different = pairs.filter(pl.col("l_birth_place") == "different")
    nationality = different.join(left.select(pl.col("record_id").alias("left_id"), "nationality"), on="left_id")
    weight = dict(nationality.group_by("nationality").agg(pl.col("w_birth_place").mean()).drop_nulls().iter_rows())
    assert np.isclose(weight["SYR"] - weight["UKR"], np.log2(syrian / ukrainian)) and weight["SYR"] > weight["UKR"] + 1


def test_a_saved_model_scores_each_population_by_its_own_m_in_a_batch_and_a_search(learnt, tmp_path):
    """The learnt m per population is saved with the model; linked again with it, the file
    scores as when it was learnt, and an enquiry searched alone scores as in the batch."""
    linker, pairs, left, right, fields = learnt
    path = tmp_path / "model.json"
    linker.model.to_json(path)
    again = Model.from_json(path)
    assert json.loads(path.read_text())["population_m"]["SYR"]["birth_place"][DIFFERENT] > 0.3
    given = Linker(fields, model=again).link(left, right)
    assert np.allclose(given["w_birth_place"].to_numpy(), pairs["w_birth_place"].to_numpy(), equal_nan=True)
    assert np.allclose(given["probability"].to_numpy(), pairs["probability"].to_numpy())
    syrian = pairs.join(left.select(pl.col("record_id").alias("left_id"), "nationality"), on="left_id") \
        .filter((pl.col("nationality") == "SYR") & (pl.col("l_birth_place") == "different"))["left_id"][0]
    searcher = Linker(fields, model=again)
    found = searcher.search(left.filter(pl.col("record_id") == syrian), searcher.index(right))
    batch = pairs.filter(pl.col("left_id") == syrian)
    assert np.allclose(found.sort("right_id")["w_birth_place"].to_numpy(),
                       batch.sort("right_id")["w_birth_place"].to_numpy(), equal_nan=True)


def test_a_population_s_own_m_moves_only_its_pairs_place_weight_and_not_what_frequency_explains():
    """Given a model whose Somali records name their place differently half the time: a Somali
    pair born elsewhere weighs log2(m_own / m) more than before; one born in the same common
    place weighs no less than "alike" by the population's own m, and the bits its frequency
    explains are counted from "same" by that m; nothing else moves but the probability; a
    Syrian pair is as without it."""
    def scored(population_m: dict, nationality: str) -> pl.DataFrame:
        model = default_model()
        model.population_m = population_m
        frame = pl.DataFrame({
            "record_id": ["E1", "F1", "F2"], "society": "SOM", "nationality": nationality,
            "given_names": ["Faadumo", "Faadumo", "Hodan"], "father_name": "Maxamed", "family_name": "Cali",
            "birth_date": ["1990-03-04", "1990-03-04", "1971-11-02"], "sex": "F",
            "birth_place": ["Hargeysa", "Hargeysa", "Kismaayo"]})
        frame = with_domain_flags(frame)
        pairs = Linker(FIELDS, model=model).link(frame.filter(pl.col("record_id") == "E1"),
                                                 frame.filter(pl.col("record_id") != "E1"))
        return pairs.sort("right_id")

    model = default_model()
    m, u = model.m["birth_place"], model.u["birth_place"]
    own = np.array([0.5, 0.1, 0.4])
    plain, shifted = scored({}, "SOM"), scored({"SOM": {"birth_place": own}}, "SOM")
    assert scored({"SOM": {"birth_place": own}}, "SYR").equals(scored({}, "SYR"))
    assert plain["l_birth_place"].to_list() == ["same", "different"]
    assert np.isclose(shifted["w_birth_place"][1] - plain["w_birth_place"][1], np.log2(own[0] / m[0]))
    # the same place, common among Somalis: no less than "alike" by the population's own m, and
    # what its frequency explains is what it weighs beyond "same" by that m
    assert shifted["w_birth_place"][0] >= np.log2(own[1] / u[1])
    assert np.isclose(shifted["f_birth_place"][0], shifted["w_birth_place"][0] - np.log2(own[2] / u[2]))
    assert shifted.drop("probability", "decision", "w_birth_place", "f_birth_place").equals(
        plain.drop("probability", "decision", "w_birth_place", "f_birth_place"))
    assert shifted["probability"][1] > plain["probability"][1]  # Kismaayo: "different" says less now
    assert not explain(shifted)["explanation"].str.contains("nan").any()


@pytest.mark.parametrize("population_m, says", [
    ({"SOM": {"birth_place": [0.5, 0.5]}}, "'SOM' whose 'birth_place'"),  # one level short
    ({"SOM": {"birth_place": [0.5, 0.4, 0.4]}}, "'SOM' whose 'birth_place'"),  # sums to 1.3
    ({"SOM": {"birth_place": [0.0, 0.5, 0.5]}}, "'SOM' whose 'birth_place'"),  # a level impossible
    ({"SOM": {"street": [0.2, 0.3, 0.5]}}, "'SOM' whose 'street'"),  # no such comparison
    ({"som": {"birth_place": [0.2, 0.3, 0.5]}}, "population_m whose population"),  # not as read
    ({"SOM": [0.2, 0.3, 0.5]}, "not a model document"),
    ({"SOM": {"birth_place": ["a", "b", "c"]}}, "not a model document"),
    ({"SOM": {"birth_place": ["0.2", "0.3", "0.5"]}}, "not a model document"),  # text, though numpy reads it
    ({"SOM": {"birth_place": [True, 1e-9, 1e-9]}}, "not a model document"),  # true is no number
    ({"SOM": {}}, "'SOM' that names no comparison"),
])
def test_a_saved_population_m_that_is_not_one_is_refused(tmp_path, population_m, says):
    path = tmp_path / "model.json"
    default_model().to_json(path)
    doc = json.loads(path.read_text())
    doc["population_m"] = population_m
    path.write_text(json.dumps(doc))
    with pytest.raises(ModelInvalid, match=says):
        Model.from_json(path)


def test_a_model_without_population_m_saves_the_document_it_saved_before(tmp_path):
    """Nothing learnt per population: no key, so such a model's hash (`identity`) is unchanged."""
    model = default_model()
    model.population_m = {}
    assert "population_m" not in model.document()


def test_a_model_is_written_alike_whatever_order_it_met_its_populations_in(tmp_path):
    """One model learnt twice met its populations in other orders (the shipped model's
    population_m came out reordered at each learning): its file is the same text either way."""
    model = default_model()
    assert len(model.population_m) > 1 and len(model.name_weight) > 1
    model.to_json(tmp_path / "as_learnt.json")
    model.population_m = dict(reversed(model.population_m.items()))
    model.name_weight = dict(reversed(model.name_weight.items()))
    model.lift_bits = dict(reversed(model.lift_bits.items()))
    model.to_json(tmp_path / "reversed.json")
    assert (tmp_path / "reversed.json").read_text() == (tmp_path / "as_learnt.json").read_text()


def test_within_one_file_a_pair_scores_the_same_whatever_its_records_order_and_population_m():
    """Two records of one file from two populations: their pair is weighed by the overall m,
    so neither the file's order nor a model's population_m changes its probability."""
    frame = with_domain_flags(pl.DataFrame({
        "record_id": ["A", "B"], "society": "SOM", "nationality": ["UKR", "SYR"],
        "given_names": "Faadumo", "father_name": "Maxamed", "family_name": "Cali",
        "birth_date": "1990-03-04", "sex": "F", "birth_place": ["Hargeysa", "Kismaayo"]}))

    def probability(population_m: dict, order: list[int]) -> float:
        model = default_model()
        model.population_m = population_m
        return Linker(FIELDS, model=model).link(frame[order])["probability"][0]

    own = {"UKR": {"birth_place": np.array([0.001, 0.1, 0.899])}, "SYR": {"birth_place": np.array([0.5, 0.1, 0.4])}}
    assert probability(own, [0, 1]) == probability(own, [1, 0]) == probability({}, [0, 1])
