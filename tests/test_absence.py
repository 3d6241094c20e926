"""The one-person rule's weights learnt from the data: how often an enquiry's person is not in
the file, and how much of their weight a population's names keep."""

import json
import warnings

import numpy as np
import polars as pl
import pytest

from matching import absence
from matching.absence import Rivals, exclusive
from rfl.link import explain
from matching.model import Comparison, Model, ModelInvalid
from matching.prepare import exact_codes

PRIOR = 0.02  # share of matches among candidate pairs, where a test does not say


def pairs(odds_per_record: list[list[float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(left, odds, rivals) for left records 0.. with their candidates' odds, none the same person."""
    left = np.concatenate([np.full(len(o), i) for i, o in enumerate(odds_per_record)]).astype(np.int64)
    odds = np.concatenate([np.asarray(o, dtype=float) for o in odds_per_record])
    return left, odds, rivals_of(left)(odds)


def rivals_of(left):
    """Rivals as matching.linker.rivals gives them where no two candidates are one person."""
    return lambda odds: apart(np.bincount(left, weights=odds)[left] - odds)


def apart(others):
    """`others` as rivals, no kin among them."""
    return Rivals(others, np.zeros_like(others), np.zeros_like(others))


def learn(left, odds, population, names, prior, known=None, names_share=1.0):
    """absence.learn where `names_share` of each pair's log2 odds above 0 comes from names
    agreeing, the rest from the prior and other comparisons."""
    bits = np.log2(odds)
    name_bits = names_share * np.maximum(bits, 0.0)
    return absence.learn(left, name_bits, bits - name_bits, rivals_of(left), population, names, prior, known)


def weight(found, candidates, prior):
    return absence.absent_weights(np.asarray(candidates), prior, found)


def test_when_every_enquiry_is_found_a_lone_candidate_is_taken():
    # One clear candidate (pairwise 0.75) and a stranger for each: nearly every person is found,
    # so "not in the file" weighs little and the candidate rises well above its pairwise 0.75.
    left, odds, rivals = pairs([[3.0, 0.001]] * 500)
    found, kept, lifted = learn(left, odds, np.zeros(500, np.uint64), {0: ""}, prior=0.5)
    assert found == absence.KEPT_RANGE[1] and kept == {} == lifted  # never taken for everyone
    assert exclusive(odds, rivals, weight(found, 2, 0.5))[0] > 0.95


def test_when_half_the_enquiries_have_nothing_to_find_absence_weighs_more():
    records = [[3.0, 0.001]] * 250 + [[0.001, 0.001]] * 250
    left, odds, rivals = pairs(records)
    found, _, _ = learn(left, odds, np.zeros(500, np.uint64), {0: ""}, prior=0.25)
    assert 0.2 < found < 0.7
    p = exclusive(odds, rivals, weight(found, 2, 0.25))
    assert p[0] < 0.9  # half the enquiries are found: a candidate of pairwise 0.75 stays short of sure


def test_enquiries_without_candidates_do_not_count_as_not_found():
    left, odds, _ = pairs([[3.0, 0.001]] * 500)
    alone = learn(left, odds, np.zeros(500, np.uint64), {0: ""}, prior=0.5)[0]
    among_many = learn(left, odds, np.zeros(5000, np.uint64), {0: ""}, prior=0.5)[0]
    assert among_many == alone


def test_labels_give_the_share_found_directly():
    # Every enquiry has a clear candidate, but the labels say only half of them are true.
    left, odds, _ = pairs([[3.0, 0.001]] * 500)
    known = np.zeros(len(left), dtype=bool)
    known[0:500:2] = True  # the first candidate of records 0, 2, 4, ...
    found, _, _ = learn(left, odds, np.zeros(500, np.uint64), {0: ""}, prior=0.5, known=known)
    assert found == 0.5


def test_a_person_registered_twice_is_two_matches_and_does_not_lighten_the_names():
    # 1,000 enquiries of one population, two candidates each, as strong (names +12 bits, the rest
    # -10). Two copies of the enquiry's person (kin, not rivals) are two matches: the names are
    # not what overcounts, and keep their weight. Two namesakes (rivals), one of whom at most is
    # the person, expect more than there can be: the names are lightened. Against the share found
    # alone (at most one an enquiry) both were lightened alike.
    n = absence.MIN_RECORDS
    left, _, _ = pairs([[1.0, 1.0]] * n)
    name_bits, other_bits = np.full(len(left), 12.0), np.full(len(left), -10.0)
    population = np.full(n, 22, np.uint64)

    def kept(rivals) -> float:
        return absence.learn(left, name_bits, other_bits, rivals, population, {0: "", 22: "BBB"}, PRIOR)[1].get("BBB", 1.0)

    assert kept(rivals_of(left)) < 1 == kept(lambda odds: apart(np.zeros_like(odds)))


def test_an_enquiry_with_more_candidates_leaves_each_less_room():
    assert weight(0.6, 60, 0.01) == pytest.approx(20 * weight(0.6, 3, 0.01))


def test_nothing_to_learn_from_leaves_the_rule_as_it_was():
    left, odds, _ = pairs([[1e-9, 1e-9]] * 10)
    assert learn(left, odds, np.zeros(10, np.uint64), {0: ""}, PRIOR) == (None, {}, {})


def test_a_population_whose_enquiries_each_have_many_strong_namesakes_keeps_less_of_its_names():
    # Population A: one strong candidate each. Population B: five candidates each, as strong,
    # so its pairwise probabilities expect nearly five people where one at most can be. Every
    # pair has names agreeing for +12 bits, the prior and the rest -6.
    n = absence.MIN_RECORDS
    left, _, _ = pairs([[1.0]] * n + [[1.0] * 5] * n)
    name_bits, other_bits = np.full(len(left), 12.0), np.full(len(left), -6.0)
    population = np.r_[np.full(n, 11), np.full(n, 22)].astype(np.uint64)
    found, kept, lifted = absence.learn(left, name_bits, other_bits, rivals_of(left), population,
                                        {0: "", 11: "AAA", 22: "BBB"}, PRIOR)
    # A's lone candidates sum to its matches: its names keep their weight, and nothing is lifted
    assert set(kept) == {"BBB"} and 0 < kept["BBB"] < 1 and lifted == {}
    codes = exact_codes(pl.Series(["AAA"] * n + ["BBB"] * n))
    share, lift = absence.by_population(kept, codes, 1.0)[left], absence.by_population(lifted, codes, 0.0)[left]
    odds = np.exp2(other_bits + lift + share * name_bits)
    p = exclusive(odds, rivals_of(left)(odds), weight(found, np.bincount(left)[left], PRIOR))
    a, b = p[left < n], p[left >= n]
    assert a.min() > 0.9 and b.max() < 0.2  # B's five namesakes share little, A's lone person keeps much


def namesakes_everywhere(n: int, other: float) -> tuple:
    """Left records 0..n-1 of one population ("BBB"), five candidates each, names agreeing for
    +12 bits and the rest for `other` bits."""
    left, _, _ = pairs([[1.0] * 5] * n)
    return left, np.full(len(left), 12.0), np.full(len(left), other), np.full(n, 22, np.uint64)


def test_names_keep_at_least_the_least_share_where_the_other_evidence_overcounts_too():
    # Without names agreeing each pair is still at +3 bits (0.89): five per enquiry expect four
    # people. Names weighing nothing would not mend that, and would rank by dates alone.
    left, name_bits, other_bits, population = namesakes_everywhere(absence.MIN_RECORDS, 3.0)
    _, kept, lifted = absence.learn(left, name_bits, other_bits, rivals_of(left), population, {0: "", 22: "BBB"}, PRIOR)
    assert kept == {"BBB": absence.LEAST_NAME_WEIGHT} and lifted == {}


def test_a_population_whose_sum_falls_short_is_lifted_and_its_names_keep_their_weight():
    # Five candidates an enquiry, names agreeing for +12 bits and the rest for `other`: at -14
    # bits the five sum to 0.9 people an enquiry, above the share found, and the names are
    # lightened; at -16 and -22 (0.3 and 0.005) below it, and every pair is lifted by the bits
    # that bring the sum to the share found, the names kept at their weight; at -30 even
    # MOST_LIFT_BITS leave the sum short, and nothing is lifted.
    for other in (-14.0, -16.0, -22.0, -30.0):
        left, name_bits, other_bits, population = namesakes_everywhere(absence.MIN_RECORDS, other)
        known = np.zeros(len(left), dtype=bool)  # six enquiries in ten have their person among them
        known[np.flatnonzero(np.r_[True, left[1:] != left[:-1]] & (left < 0.6 * absence.MIN_RECORDS))] = True
        found, kept, lifted = absence.learn(left, name_bits, other_bits, rivals_of(left), population,
                                            {0: "", 22: "BBB"}, PRIOR, known=known)
        share, lift = kept.get("BBB", 1.0), lifted.get("BBB", 0.0)
        summed = 5 / (1 + 2.0 ** -(other + lift + share * 12))
        assert found == 0.6
        if other == -14.0:
            assert share < 1 and lift == 0 and abs(summed - found) < 1e-3
        elif other == -30.0:
            assert share == 1 and lift == 0 and summed < found
        else:
            assert share == 1 and 0 < lift <= absence.MOST_LIFT_BITS and abs(summed - found) < 1e-3, other


def test_each_population_s_names_are_held_to_its_own_matches():
    # Two populations alike in their pairs (three candidates an enquiry, names agreeing for +12
    # bits, the rest -16), but every enquiry of A has its person among them and one in five of
    # B's. Held to the matches of all enquiries (0.6 each), both would keep one share; held to
    # its own, A's three pairs sum to one person an enquiry and B's to a fifth, each lifted so.
    n = absence.MIN_RECORDS
    left, _, _ = pairs([[1.0] * 3] * (2 * n))
    name_bits, other_bits = np.full(len(left), 12.0), np.full(len(left), -16.0)
    population = np.r_[np.full(n, 11), np.full(n, 22)].astype(np.uint64)
    first = np.r_[True, left[1:] != left[:-1]]
    known = first & ((left < n) | (left % 5 == 0))
    _, kept, lifted = absence.learn(left, name_bits, other_bits, rivals_of(left), population,
                                    {0: "", 11: "AAA", 22: "BBB"}, PRIOR, known=known)
    for name, matches in (("AAA", 1.0), ("BBB", 0.2)):
        summed = 3 / (1 + 2.0 ** -(-16.0 + lifted.get(name, 0.0) + kept.get(name, 1.0) * 12))
        assert abs(summed - matches) < 1e-3, name
    assert kept == {} and lifted["AAA"] > lifted.get("BBB", 0.0)  # both short of their own matches


def test_a_small_population_keeps_its_names():
    # The same five strong namesakes per enquiry lighten the names of 1,000 enquiries (the first
    # case), never of fewer.
    for n, lightened in ((absence.MIN_RECORDS, True), (absence.MIN_RECORDS - 1, False)):
        left, name_bits, other_bits, population = namesakes_everywhere(n, -6.0)
        _, kept, _ = absence.learn(left, name_bits, other_bits, rivals_of(left), population, {0: "", 22: "BBB"}, PRIOR)
        assert (kept != {}) == lightened


def test_population_values_read_populations_by_their_written_code_and_none_by_the_empty_name():
    kept = {"SOM": 0.5, "": 0.25}
    codes = exact_codes(pl.Series([" som ", "SYR", None, "  "]))
    assert np.allclose(absence.by_population(kept, codes, 1.0), [0.5, 1.0, 0.25, 0.25])  # blank: no nationality
    assert np.allclose(absence.by_population({}, codes, 1.0), 1.0)
    assert np.allclose(absence.by_population({"SYR": 1.5}, codes, 0.0), [0.0, 1.5, 0.0, 0.0])


COMPARISONS = [Comparison("year", ("different", "same"))]


def model(**given) -> Model:
    return Model(COMPARISONS, m={"year": np.array([0.1, 0.9])}, u={"year": np.array([0.9, 0.1])}, **given)


def test_what_the_rule_learnt_is_saved_with_the_model(tmp_path):
    path = tmp_path / "model.json"
    model(found=0.61, name_weight={"SOM": 0.75}, lift_bits={"LBY": 1.25, "": 0.5},
          date_missing_bits=(-1.5, -2.25)).to_json(path)
    again = Model.from_json(path)
    assert again.found == 0.61 and again.name_weight == {"SOM": 0.75} and again.date_missing_bits == (-1.5, -2.25)
    assert again.lift_bits == {"LBY": 1.25, "": 0.5}


def test_a_model_saved_without_it_weighs_absence_1(tmp_path):
    path = tmp_path / "model.json"
    model().to_json(path)
    doc = json.loads(path.read_text())
    del doc["found_share"], doc["population_name_weight"], doc["placeholder_days"], doc["birth_date_missing_bits"]
    assert "population_lift_bits" not in doc  # written only where a population is lifted
    path.write_text(json.dumps(doc))
    again = Model.from_json(path)
    assert again.found is None and again.name_weight == {} and again.placeholder_days == ("01-01",)
    assert again.lift_bits == {}
    assert again.date_missing_bits == (0.0, 0.0)


@pytest.mark.parametrize("field, value", [
    ("found_share", 0), ("found_share", 1), ("found_share", "nan"), ("found_share", [0.5]), ("found_share", True),
    ("found_share", "0.5"), ("found_share", 10 ** 400), ("population_name_weight", {"SOM": 1.51}),
    ("population_name_weight", {"SOM": -0.1}), ("population_name_weight", {"SOM": "x"}),
    ("population_name_weight", {"SOM": False}), ("population_name_weight", [["SOM", 0.5]]),
    ("population_name_weight", 0), ("population_name_weight", {"som": 0.5}), ("population_name_weight", {" SOM": 0.5}),
    ("population_name_weight", {"SOM": 10 ** 400}), ("population_lift_bits", {"SOM": 0}),
    ("population_lift_bits", {"SOM": -0.5}), ("population_lift_bits", {"SOM": 8.5}), ("population_lift_bits", {"SOM": "1"}),
    ("population_lift_bits", {"SOM": True}), ("population_lift_bits", [["SOM", 1.0]]), ("population_lift_bits", {"som": 1.0}),
    ("population_lift_bits", {"SOM": float("nan")}), ("placeholder_days", ["07-01"]),
    ("placeholder_days", "01-01"), ("placeholder_days", ["01-01", "02-30"]), ("placeholder_days", ["01-01", 701]),
    ("placeholder_days", ["01-01", "7-1"]), ("placeholder_days", [["01-01"]]),
    ("placeholder_days", {"01-01": 1, "07-01": 1}), ("placeholder_days", ["01-01", "٠٧-٠١"]), ("birth_date_missing_bits", {"enquiry": 0.5, "found": 0}),
    ("birth_date_missing_bits", {"enquiry": -1}), ("birth_date_missing_bits", [-1, -1]),
    ("birth_date_missing_bits", {"enquiry": "-1", "found": -1}), ("birth_date_missing_bits", {"enquiry": -1, "found": None}),
    ("birth_date_missing_bits", {"enquiry": -59, "found": 0})])
def test_a_model_with_impossible_rule_figures_is_refused(tmp_path, field, value):
    path = tmp_path / "model.json"
    model().to_json(path)
    doc = json.loads(path.read_text())
    doc[field] = value
    path.write_text(json.dumps(doc))
    with pytest.raises(ModelInvalid, match=field):
        Model.from_json(path)


@pytest.mark.parametrize("prior", ["9" * 400, '"0.01"', "true"])
def test_a_prior_that_is_no_number_is_refused_in_one_line(tmp_path, prior):
    path = tmp_path / "model.json"
    model().to_json(path)
    path.write_text(path.read_text().replace('"prior": 0.01', '"prior": ' + prior))
    with pytest.raises(ModelInvalid):
        Model.from_json(path)


def test_a_typical_name_share_that_is_no_number_is_refused(tmp_path):
    path = tmp_path / "model.json"
    model(tf_base={"year": 0.5}).to_json(path)
    path.write_text(path.read_text().replace('"year": 0.5', '"year": true'))
    with pytest.raises(ModelInvalid, match="tf_base"):
        Model.from_json(path)


def test_a_model_saved_by_an_older_rfl_with_scaled_odds_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "model.json"
    model().to_json(path)
    doc = json.loads(path.read_text())
    doc["population_scale_bits"] = {"SOM": -1.25}
    path.write_text(json.dumps(doc))
    with pytest.raises(ModelInvalid, match="older rfl.*learn it again"):
        Model.from_json(path)
    doc["population_scale_bits"] = {}  # it scaled nothing: it scores now as it did then
    path.write_text(json.dumps(doc))
    assert Model.from_json(path).name_weight == {}


def _namesakes(nationality: str) -> pl.DataFrame:
    from rfl.schema import with_domain_flags
    return with_domain_flags(pl.DataFrame({
        "record_id": ["E1", "F1", "F2"], "society": "SOM", "nationality": nationality,
        "given_names": ["Faadumo", "Faadumo", "Hodan"], "father_name": "Maxamed", "family_name": "Cali",
        "birth_date": ["1990-03-04", "1990-03-04", "1971-11-02"], "sex": "F"}))


def test_a_population_s_name_weight_lightens_only_its_names_agreeing_and_the_scores_follow():
    """Given a model whose names agreeing keep half their weight among Somali enquiries: a Somali
    pair's names agreeing weigh half, its names differing and its birth date weigh as before, its
    frequency bits are the kept share's, and its probability is what the kept weights add up to.
    A Syrian pair keeps everything."""
    from matching.linker import Linker
    from rfl.schema import FIELDS
    from rfl.search import default_model

    def scored(name_weight: dict[str, float], nationality: str) -> pl.DataFrame:
        model = default_model()
        model.name_weight = name_weight
        frame = _namesakes(nationality)
        pairs = Linker(FIELDS, model=model).link(frame.filter(pl.col("record_id") == "E1"),
                                                 frame.filter(pl.col("record_id") != "E1"))
        return pairs.sort("right_id")

    full, half, other = scored({}, "SOM"), scored({"SOM": 0.5}, "SOM"), scored({"SOM": 0.5}, "SYR")
    assert "k_names" not in full.columns and other.equals(scored({}, "SYR"))
    names = [c for c in full.columns if c.startswith("w_") and c.endswith("_name")]
    for c in names:
        was, now = full[c].to_numpy(), half[c].to_numpy()
        assert np.allclose(now, np.where(was > 0, was / 2, was)), c
        if "f" + c[1:] in full.columns:
            assert np.allclose(half["f" + c[1:]], full["f" + c[1:]] / 2), c
    assert max(full[c][0] for c in names) > 1 and full["w_first_name"][1] < 0  # one agrees, one differs
    assert half["w_birth_date"].equals(full["w_birth_date"]) and half["k_names"].to_list() == [0.5, 0.5]
    assert half["probability"][0] < full["probability"][0]
    explained = explain(half)
    said = explained["explanation"].str.contains("names agreeing at 0.5 of their weight in this nationality")
    assert said.to_list() == [True, False]  # F2's first name differs, so no name counts for the pair
    assert not any(c.startswith("k_") for c in explained.columns)
    more = scored({"SOM": 1.25}, "SOM")  # a model saved by an earlier rfl, whose names could weigh more
    assert np.allclose(more["w_first_name"].to_numpy(), np.where(full["w_first_name"] > 0, full["w_first_name"] * 1.25,
                                                                 full["w_first_name"]))
    assert more["probability"][0] > full["probability"][0]
    assert explain(more)["explanation"].str.contains("names agreeing at 1.25 times their weight in this nationality") \
        .to_list() == [True, False]


def test_a_population_s_lift_raises_its_pairs_odds_and_leaves_their_evidence_alone():
    """Given a model that lifts Somali enquiries' pairs by 2 bits: a Somali pair's evidence is as
    before, its probability is what the rule gives its odds times four (F1 and F2 are no kin:
    their first names differ), a search gives what the batch gives, and the explanation says by
    how much; a Syrian pair is as without the lift."""
    from matching.linker import Linker
    from rfl.schema import FIELDS
    from rfl.search import default_model

    def scored(lift_bits: dict[str, float], nationality: str, search: bool = False) -> pl.DataFrame:
        model = default_model()
        model.lift_bits = lift_bits
        frame = _namesakes(nationality)
        linker = Linker(FIELDS, model=model)
        enquiry, found = frame.filter(pl.col("record_id") == "E1"), frame.filter(pl.col("record_id") != "E1")
        if search:
            return linker.search(enquiry, linker.index(found)).sort("right_id")
        return linker.link(enquiry, found).sort("right_id")

    plain, lifted = scored({}, "SOM"), scored({"SOM": 2.0}, "SOM")
    assert "k_lift" not in plain.columns and scored({"SOM": 2.0}, "SYR").equals(scored({}, "SYR"))
    assert lifted.drop("probability", "decision", "k_lift").equals(plain.drop("probability", "decision"))
    assert lifted["k_lift"].to_list() == [2.0, 2.0]
    prior = default_model().prior
    odds = 2.0 ** (np.log2(prior / (1 - prior)) + plain.select(pl.sum_horizontal("^w_.*$")).to_series().to_numpy())
    absent = odds[0] / plain["probability"][0] - odds.sum()  # P = odds / (absent + every candidate's odds)
    assert absent > 0 and np.allclose(lifted["probability"], 4 * odds / (absent + 4 * odds.sum()))
    assert np.allclose(scored({"SOM": 2.0}, "SOM", search=True)["probability"], lifted["probability"])
    assert explain(lifted)["explanation"].str.contains("this nationality's pairs \\+2.0 bits").all()
    assert not explain(plain)["explanation"].str.contains("bits").any()


def test_a_model_file_that_leaves_a_setting_open_is_refused(tmp_path):
    """Settings a reader would silently not apply are refused: a key repeated within an object
    (which one counts?), a key a model does not have (`population_name_weights`, misspelt), and
    a name weight outside what learning gives, named by its nationality. A byte-order mark, as
    Notepad writes, is no reason to refuse."""
    path = tmp_path / "model.json"
    model(name_weight={"SOM": 0.75}).to_json(path)
    text = path.read_text(encoding="utf-8")
    cases = {
        text.replace('"SOM": 0.75', '"SOM": 0.1, "SOM": 0.9'): "repeats a key",
        text.replace('"population_name_weight"', '"population_name_weights"'): "population_name_weights",
        text.replace('"SOM": 0.75', '"SOM": 0.75, "AFG": 0.2'): "between 0.5 and 1.5 for 'AFG'",
    }
    for doc, problem in cases.items():
        path.write_text(doc, encoding="utf-8")
        with pytest.raises(ModelInvalid, match=problem):
            Model.from_json(path)
    path.write_text("\ufeff" + text, encoding="utf-8")
    assert Model.from_json(path).name_weight == {"SOM": 0.75}


def test_a_name_weight_for_no_nationality_is_refused_by_the_tools(tmp_path):
    """`rfl link --model` and `rfl serve --model` read a model through one check: a key that no
    record's nationality can be (a country name, a code in Cyrillic letters that look Latin)
    would weigh nothing, silently."""
    from rfl.errors import InputError
    from rfl.search import default_model, load_model

    shipped = default_model()
    for key in ("AFGHANISTAN", "\u0410FG", "AFG\u200b"):
        for field, by_population in (("population_name_weight", {key: 0.75}), ("population_lift_bits", {key: 1.5})):
            shipped.name_weight, shipped.lift_bits = ({}, by_population) if "lift" in field else (by_population, {})
            path = tmp_path / "model.json"
            shipped.to_json(path)
            with pytest.raises(InputError, match=f"{field}: .* is no nationality"):
                load_model(path)
    shipped.lift_bits = {}
    shipped.name_weight = {"AFG": 0.75, "": 0.8}
    shipped.to_json(path)
    assert load_model(path).name_weight == {"AFG": 0.75, "": 0.8}


def blank_found_records(n: int, true_odds: float = 100.0):
    """n dated enquiries, each with three dated namesakes whose dates disagree (odds 0.05) and one
    found record giving no date (odds 1); every other enquiry also has its person (dated)."""
    records = [[0.05, 0.05, 0.05, 1.0] + ([true_odds] if i % 2 == 0 else []) for i in range(n)]
    left, odds, _ = pairs(records)
    right_blank = np.concatenate([[False, False, False, True] + ([False] if i % 2 == 0 else []) for i in range(n)])
    return left, odds, right_blank


def expected_matches(left, odds, absent, blank_bits, right_blank):
    o = odds * np.exp2(np.where(right_blank, blank_bits, 0.0))
    p = exclusive(o, rivals_of(left)(o), absent)
    return p[right_blank].sum(), p[~right_blank].sum()


def test_a_found_record_without_a_date_among_namesakes_whose_dates_disagree_is_weighed_down():
    # Of the found records 5 % give no date, so of the matches expected 5 % should lack one; at
    # 0 bits the lone undated record of each enquiry takes most of its probability.
    left, odds, right_blank = blank_found_records(absence.MIN_BLANK * 2)
    absent = weight(0.5, np.bincount(left)[left], PRIOR)
    no_left = np.zeros(len(left), dtype=bool)
    left_bits, right_bits = absence.missing_date_bits(left, odds, rivals_of(left), absent, no_left, right_blank,
                                                      0.0, 0.05)
    assert left_bits == 0.0 and absence.LEAST_MISSING_BITS < right_bits < -1
    before = expected_matches(left, odds, absent, 0.0, right_blank)
    blank, dated = expected_matches(left, odds, absent, right_bits, right_blank)
    assert before[0] > 0.3 * before[1]
    assert blank / (blank + dated) == pytest.approx(0.05, abs=0.002)


def test_blank_dates_that_take_no_more_than_their_share_keep_0_bits():
    left, odds, right_blank = blank_found_records(absence.MIN_BLANK * 2)
    absent = weight(0.5, np.bincount(left)[left], PRIOR)
    no_left = np.zeros(len(left), dtype=bool)
    assert absence.missing_date_bits(left, odds, rivals_of(left), absent, no_left, right_blank, 0.0, 0.9) == (0.0, 0.0)


def test_too_few_enquiries_with_blank_dates_learn_nothing():
    left, odds, right_blank = blank_found_records(absence.MIN_BLANK - 1)
    absent = weight(0.5, np.bincount(left)[left], PRIOR)
    no_left = np.zeros(len(left), dtype=bool)
    assert absence.missing_date_bits(left, odds, rivals_of(left), absent, no_left, right_blank, 0.0, 0.05) == (0.0, 0.0)


def test_an_enquiry_without_a_date_is_weighed_by_its_own_share_and_moves_no_other():
    # Enquiries giving no date (10 % of them): four candidates of odds 1 each, so each such
    # enquiry expects ~0.8 matches where a dated one expects ~0.5.
    n = absence.MIN_BLANK * 9
    left, odds, right_blank = blank_found_records(n)
    blank_left = [[1.0] * 4] * (n // 9)
    extra, extra_odds, _ = pairs(blank_left)
    left = np.r_[left, extra + n]
    odds = np.r_[odds, extra_odds]
    right_blank = np.r_[right_blank, np.zeros(len(extra), dtype=bool)]
    left_blank = np.r_[np.zeros(len(odds) - len(extra), dtype=bool), np.ones(len(extra), dtype=bool)]
    absent = weight(0.5, np.bincount(left)[left], PRIOR)
    left_share = (n // 9) / (n + n // 9)
    left_bits, right_bits = absence.missing_date_bits(left, odds, rivals_of(left), absent, left_blank, right_blank,
                                                      left_share, 0.05)
    assert left_bits < 0 and right_bits < 0
    # both shares hold at once: the left weight was learnt with the right one in place
    o = odds * np.exp2(np.where(left_blank, left_bits, np.where(right_blank, right_bits, 0.0)))
    p = exclusive(o, rivals_of(left)(o), absent)
    total = p.sum()
    assert p[left_blank].sum() / total == pytest.approx(left_share, abs=0.002)
    assert p[right_blank].sum() / total == pytest.approx((1 - left_share) * 0.05, abs=0.002)


def test_a_side_that_gives_no_dates_at_all_learns_no_weight():
    # every found record blank: no pair is dated on both sides to measure the blank ones against
    left, odds, _ = blank_found_records(absence.MIN_BLANK * 2)
    absent = weight(0.5, np.bincount(left)[left], PRIOR)
    every = np.ones(len(left), dtype=bool)
    assert absence.missing_date_bits(left, odds, rivals_of(left), absent, ~every, every, 0.0, 1.0) == (0.0, 0.0)
    assert absence.missing_date_bits(left, odds, rivals_of(left), absent, every, ~every, 1.0, 0.0) == (0.0, 0.0)


def test_the_compiled_rule_gives_what_its_formulas_give_to_the_last_bit():
    """rivals and exclusive run as compiled loops (learning asks for them dozens of times over
    millions of pairs); they must give exactly what the formulas written with numpy give: sums in
    the same order, each pair's largest loan kept apart, a scalar or per-pair absent weight."""
    from matching.linker import rivals

    def rivals_by_formula(left, odds, kin):
        a, b, q = kin
        lent = odds[b] * q
        order = np.lexsort((q, lent, a))
        relief = np.bincount(a[order], weights=lent[order], minlength=len(odds))
        kin_odds, kin_q = np.zeros(len(odds)), np.zeros(len(odds))
        last = order[np.r_[a[order][1:] != a[order][:-1], True]] if len(a) else order
        kin_odds[a[last]], kin_q[a[last]] = odds[b[last]], q[last]
        others = np.maximum(np.bincount(left, weights=odds)[left] - odds - relief - (1 - kin_q) * kin_odds, 0.0)
        return Rivals(others, kin_odds, kin_q)

    rng = np.random.default_rng(7)
    for n in (0, 1, 50, 2_000):
        left = np.sort(rng.integers(3, 3 + max(n // 4, 1), n)).astype(np.int32)  # rows need not start at 0
        odds = np.exp2(rng.normal(0, 8, n))
        same = np.flatnonzero(left[:, None] == left[None, :]) if n <= 50 else np.zeros(0, dtype=np.int64)
        a, b = same // max(n, 1), same % max(n, 1)
        keep = a != b
        kin = (a[keep], b[keep], rng.uniform(0, 1, keep.sum()).round(1))  # ties in q and in loans
        mine, expected = rivals(left, odds, kin), rivals_by_formula(left, odds, kin)
        assert all(np.array_equal(x, y) for x, y in zip(mine, expected))
        for absent in (1.0, rng.uniform(0.1, 5, n)):
            base = absent + odds + expected.others
            formula = expected.kin_q * odds / base + (1 - expected.kin_q) * odds / (base + expected.kin_odds)
            assert np.array_equal(exclusive(odds, mine, absent), formula)
    with pytest.raises(ValueError):
        exclusive(np.ones(3), apart(np.ones(2)))
    with pytest.raises(ValueError):
        rivals(np.zeros(3, dtype=np.int64), np.ones(3), (np.array([0]), np.array([5]), np.array([0.5])))


def test_rivalry_asked_again_answers_as_rivals_does_afresh():
    """Learning asks one Rivalry for rivals under odds after odds, writing into the same arrays:
    each answer must be what rivals gives afresh, with no loan or kin left over from the odds
    before (here the kin lending most changes from one call to the next)."""
    from matching.linker import Rivalry, rivals

    left = np.array([0, 0, 0, 1, 1, 2])
    kin = (np.array([0, 0, 1, 2, 3]), np.array([1, 2, 0, 0, 4]), np.array([0.9, 0.5, 0.9, 0.5, 0.3]))
    rivalry = Rivalry(left, kin)
    for odds in (np.array([1.0, 8.0, 2.0, 4.0, 0.5, 3.0]), np.array([1.0, 0.1, 30.0, 0.01, 9.0, 3.0]),
                 np.array([5.0, 5.0, 5.0, 5.0, 5.0, 5.0])):
        again, afresh = rivalry(odds), rivals(left, odds, kin)
        assert all(np.array_equal(x, y) for x, y in zip(again, afresh))
    assert not np.array_equal(rivals(left, np.array([1.0, 8.0, 2.0, 4.0, 0.5, 3.0]), kin).kin_odds,
                              rivals(left, np.array([1.0, 0.1, 30.0, 0.01, 9.0, 3.0]), kin).kin_odds)


def test_with_a_share_found_told_by_decoys_each_population_s_rule_sums_average_it():
    # Population 1's enquiries each have four strong namesakes: their sums under the rule run
    # near 1 where half are found, so its names are lightened. Population 2's candidates are
    # faint: its sums fall short, so its pairs are lifted. Each is held to the given share.
    per = absence.MIN_HELD  # the fewest enquiries held to it
    strong = [[16.0] * 4] * per
    faint = [[2 ** -10, 2 ** -10]] * per
    left, _, _ = pairs(strong + faint)
    name_bits = np.where(left < per, 10.0, 2.0)
    other_bits = np.full(len(left), -12.0)
    population = np.repeat(np.array([1, 2], np.uint64), per)
    found, kept, lifted = absence.learn(left, name_bits, other_bits, rivals_of(left), population,
                                        {1: "AAA", 2: "BBB"}, PRIOR, None, 0.5)
    assert found == 0.5 and set(kept) == {"AAA"} and set(lifted) == {"BBB"}
    assert absence.LEAST_NAME_WEIGHT <= kept["AAA"] < 1 and 0 < lifted["BBB"] <= absence.MOST_LIFT_BITS
    share = np.where(left < per, kept["AAA"], 1.0)
    odds = np.exp2(other_bits + np.where(left < per, 0.0, lifted["BBB"]) + share * name_bits)
    p = exclusive(odds, rivals_of(left)(odds), weight(0.5, np.bincount(left)[left], PRIOR))
    sums = np.minimum(np.bincount(left, weights=p), 1.0)
    assert sums[:per].mean() == pytest.approx(0.5, abs=2e-3) and sums[per:].mean() == pytest.approx(0.5, abs=2e-3)


def test_a_population_that_cannot_reach_the_share_keeps_the_nearest_end():
    # Every enquiry of population 1 has one candidate sure on its other fields alone: its mean
    # stays near 1 however light its names, so they keep the least share. Population 2's
    # candidates are too faint for any lift to bring its mean up to the share: the most lift.
    per = absence.MIN_HELD
    left, _, _ = pairs([[1.0]] * per + [[1.0]] * per)
    other_bits = np.where(left < per, 30.0, -60.0)
    population = np.repeat(np.array([1, 2], np.uint64), per)
    _, kept, lifted = absence.learn(left, np.full(len(left), 4.0), other_bits, rivals_of(left), population,
                                    {1: "AAA", 2: "BBB"}, PRIOR, None, 0.5)
    assert kept == {"AAA": absence.LEAST_NAME_WEIGHT} and lifted == {"BBB": absence.MOST_LIFT_BITS}


def test_a_population_that_cannot_move_beside_one_that_crosses_is_held_without_a_warning():
    # Population 1's mean crosses the share; population 2's is the same at both ends (no pair
    # with odds to speak of), where a secant over all populations divided 0 by 0 on stderr.
    of_left = np.repeat([0, 1], absence.MIN_HELD)
    sums = lambda kept, lift: (0.5, np.where(of_left == 0, np.minimum(kept + lift, 1.0) * 0.6, 0.0))  # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kept, lifted = absence._held_to_share(0.5, np.array([1, 2]), np.array([absence.MIN_HELD] * 2),
                                              of_left, of_left, sums)
    assert kept[1] == pytest.approx(0.5 / 0.6, abs=1e-3) and lifted == {1: 0.0, 2: absence.MOST_LIFT_BITS}


def test_a_population_too_small_to_hold_keeps_its_names_and_no_lift():
    per = absence.MIN_HELD - 1
    left, _, _ = pairs([[16.0] * 4] * per + [[16.0] * 4] * absence.MIN_HELD)
    population = np.repeat(np.array([1, 2], np.uint64), [per, absence.MIN_HELD])
    _, kept, lifted = absence.learn(left, np.full(len(left), 10.0), np.full(len(left), -12.0), rivals_of(left),
                                    population, {1: "AAA", 2: "BBB"}, PRIOR, None, 0.5)
    assert "AAA" not in kept and "AAA" not in lifted and "BBB" in kept
