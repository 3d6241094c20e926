"""Decoy enquiries: made of real ones, never holding their own record's fields, and the share of
enquiries found told from how weak their best candidates are."""

import numpy as np
import polars as pl
import pytest

from benchmarks.engine import engine_inputs
from benchmarks.generate import generate
from matching import absence, decoys
from matching.linker import Linker
from rfl.schema import FIELDS

def enquiries(n: int, strata: int = 2) -> pl.DataFrame:
    """`n` records whose every field value names its record (so a value's origin can be read
    off it), in `strata` sexes and nationalities."""
    i = np.arange(n)
    return pl.DataFrame({
        "record_id": [f"E{k}" for k in i],
        "given_names": [f"given{k}" for k in i], "family_name": [f"family{k}" for k in i],
        "father_name": [f"father{k}" for k in i], "mother_name": [f"mother{k}" for k in i],
        "other_names": [f"alias{k}" for k in i],
        "birth_date": [f"19{k % 90 + 10}-01-{k % 28 + 1:02d}" for k in i], "age": [str(k) for k in i],
        "recorded_on": [f"record{k}" for k in i], "birth_place": [f"place{k}" for k in i],
        "sex": ["M" if k % strata == 0 else "F" for k in i],
        "nationality": ["SOM" if k % (2 * strata) < strata else "AFG" for k in i],
        "society": ["X"] * n,
    })


def origin(value: str) -> int:
    return int("".join(ch for ch in value if ch.isdigit()))


def test_a_decoy_holds_no_field_of_its_own_record_and_no_two_fields_of_one_other():
    frame = enquiries(400)
    made = decoys.decoys(frame, FIELDS, seed=3)
    assert made.height == 400 and made["record_id"].str.starts_with(decoys.PREFIX).all()
    by_id = {r["record_id"]: r for r in frame.iter_rows(named=True)}
    for row in made.iter_rows(named=True):
        own = by_id[row["record_id"].removeprefix(decoys.PREFIX)]
        sources = [origin(row[c]) for c in ("given_names", "family_name", "father_name", "mother_name", "birth_place")]
        sources.append(origin(row["recorded_on"]))  # the date travels with what dates it
        assert origin(own["record_id"]) not in sources
        assert len(set(sources)) == len(sources)
        donor = frame.row(origin(row["recorded_on"]), named=True)
        assert (row["birth_date"], row["age"]) == (donor["birth_date"], donor["age"])
        # each field comes from a record of the same sex and nationality, and those stay its own
        for c in ("given_names", "family_name", "father_name", "mother_name", "birth_place"):
            other = frame.row(origin(row[c]), named=True)
            assert (other["sex"], other["nationality"]) == (own["sex"], own["nationality"])
        assert (row["sex"], row["nationality"]) == (own["sex"], own["nationality"])
        assert row["other_names"] is None  # a whole other name would bring its person back


def test_decoys_are_the_same_for_one_seed_and_at_most_as_many_as_asked():
    frame = enquiries(300)
    assert decoys.decoys(frame, FIELDS, seed=1).equals(decoys.decoys(frame, FIELDS, seed=1))
    assert not decoys.decoys(frame, FIELDS, seed=1).equals(decoys.decoys(frame, FIELDS, seed=2))
    assert decoys.decoys(frame, FIELDS, seed=1, most=50).height == 50


def test_a_stratum_too_small_to_deal_from_makes_no_decoys():
    # six groups of fields need seven records in a stratum: four per stratum make none
    assert decoys.decoys(enquiries(16, strata=2), FIELDS, seed=0).height == 0
    lone = enquiries(40).with_columns(pl.when(pl.col("record_id") == "E0").then(pl.lit("LBY"))
                                      .otherwise(pl.col("nationality")).alias("nationality"))
    assert "decoy:E0" not in decoys.decoys(lone, FIELDS, seed=0)["record_id"].to_list()


def candidate_pairs(best: list[float], namesakes: int, namesake_bits: float) -> tuple[np.ndarray, np.ndarray]:
    """(left, bits): each record one candidate at `best[i]` bits (None: no such candidate) and
    `namesakes` more at `namesake_bits`."""
    left, bits = [], []
    for i, b in enumerate(best):
        row = ([b] if b is not None else []) + [namesake_bits] * namesakes
        left += [i] * len(row)
        bits += row
    return np.array(left), np.array(bits, dtype=float)


def test_the_share_found_is_the_real_enquiries_weak_best_candidates_against_the_decoys():
    # 600 of 1,000 enquiries have their person at +20 bits; all have five namesakes, whose best
    # is weak nine times in ten (the decoys say so), so 400 absent give 360 weak.
    rng = np.random.default_rng(0)
    namesake = lambda n: rng.choice([-12.0, 5.0], size=n, p=[0.9, 0.1])  # noqa: E731
    real = [20.0] * 600 + list(namesake(400))
    left, bits = candidate_pairs(real, 5, -12.0)
    decoy_left, decoy_bits = candidate_pairs(list(namesake(2000)), 5, -12.0)
    found = decoys.share_found(left, bits, decoy_left, decoy_bits, prior=0.02)
    assert found == pytest.approx(0.6, abs=0.03)


def test_too_few_weak_decoys_say_nothing():
    left, bits = candidate_pairs([20.0] * 100, 2, -12.0)
    strong_decoys = candidate_pairs([20.0] * 100, 2, -12.0)
    assert decoys.share_found(left, bits, *strong_decoys, prior=0.02) is None
    weak_decoys = candidate_pairs([-12.0] * (decoys.MIN_WEAK - 1), 2, -12.0)
    assert decoys.share_found(left, bits, *weak_decoys, prior=0.02) is None


def test_absence_takes_a_given_share_found_in_place_of_its_fixed_point():
    # Half the enquiries have a clear candidate: the fixed point finds about half; a share told
    # otherwise is taken as told, within the range a model keeps.
    left, bits = candidate_pairs([3.0] * 250 + [-10.0] * 250, 1, -10.0)
    odds_rivals = lambda odds: absence.Rivals(np.bincount(left, weights=odds)[left] - odds,  # noqa: E731
                                             np.zeros_like(odds), np.zeros_like(odds))
    population = np.zeros(500, np.uint64)
    learn = lambda **given: absence.learn(left, np.zeros_like(bits), bits, odds_rivals, population,  # noqa: E731
                                          {0: ""}, 0.25, **given)[0]
    fixed_point = learn()
    assert 0.3 < fixed_point < 0.7
    assert learn(found=0.2) == 0.2 and learn(found=0.9) == 0.9
    assert learn(found=1.0) == absence.KEPT_RANGE[1]


@pytest.fixture(scope="module")
def generated():
    data = generate(1_500, 5_000, seed=5)
    truth = data.truth.select(pl.col("enquiry_id").alias("left_id"), pl.col("found_id").alias("right_id"))
    return engine_inputs(data.enquiries, data.found), truth


def test_a_learnt_model_says_its_share_found_came_from_decoys_and_it_is_near_the_truth(generated):
    (fields, left, right), truth = generated
    linker = Linker(fields)
    linker.link(left, right, evidence=False)
    assert linker.model.training["share_found_from"] == "decoys"
    true_share = truth["left_id"].n_unique() / left.height
    assert abs(linker.model.found - true_share) < 0.05


def test_labels_give_the_share_found_and_no_decoys_are_made(generated, monkeypatch):
    (fields, left, right), truth = generated
    monkeypatch.setattr(decoys, "decoys", lambda *a, **k: pytest.fail("decoys made where labels were given"))
    linker = Linker(fields)
    linker.link(left, right, labels=truth, evidence=False)
    assert linker.model.training["share_found_from"] == "labels"


def test_strata_read_sex_and_nationality_as_they_are_compared():
    # eight Somali men written four ways: one stratum of eight, enough to deal from
    frame = enquiries(8, strata=1).with_columns(
        pl.Series("nationality", ["SOM", " som", "Som ", "SOM"] * 2), pl.Series("sex", ["M", "m"] * 4))
    made = decoys.decoys(frame, FIELDS, seed=0)
    assert made.height == 8
    assert all(origin(row["given_names"]) != origin(row["record_id"]) for row in made.iter_rows(named=True))


def test_records_with_nothing_to_deal_make_no_decoys():
    assert decoys.decoys(enquiries(30).select("record_id", "sex", "nationality"), FIELDS, seed=0).height == 0


def test_the_namesakes_the_decoys_show_are_taken_from_the_matches_counted():
    # 1,000 matches never at the rare levels 0 and 1; 200 namesakes counted with them, spread
    # as the decoys' 40 are: scaled to all the count at the rare levels, exactly they go.
    true = np.array([0.0, 0.0, 50.0, 300.0, 650.0])
    shape = np.array([0.3, 0.3, 0.3, 0.1, 0.0])
    kept, share = decoys.less_namesakes(true + 200 * shape, 40 * shape, rare=(0, 1))
    assert np.allclose(kept, true) and share == pytest.approx(200 / 1200)
    # a level where the decoys show more than was counted keeps nothing, never less
    kept, _ = decoys.less_namesakes(np.array([10.0, 0.0, 5.0, 100.0]), np.array([10.0, 0.0, 50.0, 0.0]), rare=(0,))
    assert (kept == [0.0, 0.0, 0.0, 100.0]).all()


def test_too_few_decoys_at_the_rare_levels_leave_the_count_as_it_is():
    counts = np.array([30.0, 70.0, 900.0])
    few = np.array([decoys.MIN_RARE - 0.5, 40.0, 10.0])
    kept, share = decoys.less_namesakes(counts, few, rare=(0,))
    assert (kept == counts).all() and share == 0.0


def test_a_reading_that_most_of_the_count_were_namesakes_leaves_it_as_it_is():
    # all of the count at the rare level and the decoys' only there: everything would go
    counts = np.array([10.0, 0.0, 0.0])
    kept, share = decoys.less_namesakes(counts, np.array([10.0, 0.0, 0.0]), rare=(0,))
    assert (kept == counts).all() and share == 0.0
    # just over MAX_REMOVED of it would go: left as it is; just under: taken
    over = np.array([10.0, 40.0 + 1.0, 49.0])
    assert decoys.less_namesakes(over, np.array([10.0, 50.0, 0.0]), rare=(0,))[1] == 0.0
    under = np.array([10.0, 40.0 - 1.0, 51.0])
    assert 0 < decoys.less_namesakes(under, np.array([10.0, 39.0, 0.0]), rare=(0,))[1] <= decoys.MAX_REMOVED


def test_a_learnt_date_counts_the_decoys_namesakes_out(generated, monkeypatch):
    """A model learnt on two files says what share of the date's counted matches were
    namesakes, and without that the rare levels (years 2-5 apart and further) weigh more."""
    (fields, left, right), _ = generated
    learnt = Linker(fields)
    learnt.link(left, right, evidence=False)
    removed = learnt.model.training["date_namesakes_removed"]
    assert 0 < removed < decoys.MAX_REMOVED
    monkeypatch.setattr(decoys, "less_namesakes", lambda counts, decoy_counts, rare: (counts, 0.0))
    kept_all = Linker(fields)
    kept_all.link(left, right, evidence=False)
    assert kept_all.model.training["date_namesakes_removed"] == 0.0
    rare = list(learnt.model.comparison("birth_date").rare)
    ratio = lambda model: model.m["birth_date"][rare].sum() / model.u["birth_date"][rare].sum()  # noqa: E731
    assert ratio(learnt.model) < ratio(kept_all.model)
