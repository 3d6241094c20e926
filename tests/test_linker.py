"""The linker facade: one person per enquiry, and the same answer every run."""

import numpy as np
import polars as pl

from matching.linker import Linker, exclusive
from matching.prepare import Fields, Vocab, prepare


def test_two_sure_candidates_share_the_probability_unless_they_are_one_person():
    left = np.array([0, 0, 1])
    right = np.array([10, 11, 12])
    probability = np.array([0.99, 0.99, 0.99])
    never_same = exclusive(left, right, probability, lambda a, b: np.zeros(len(a), dtype=bool))
    assert np.allclose(never_same[:2], 99 / 199) and never_same[2] > 0.98
    # Registered twice: candidates 10 and 11 are the same person, so both keep their probability.
    same = exclusive(left, right, probability, lambda a, b: np.ones(len(a), dtype=bool))
    assert np.all(same > 0.98)


def test_a_weak_competitor_barely_matters():
    p = exclusive(np.array([0, 0]), np.array([1, 2]), np.array([0.95, 0.02]),
                  lambda a, b: np.zeros(len(a), dtype=bool))
    assert 0.94 < p[0] < 0.95 and p[1] < 0.02


def test_term_frequency_is_the_share_of_indexed_records_holding_the_name_by_phonetic_key():
    fields = Fields(id="id", given="given", family="family")
    left = pl.DataFrame({"id": ["a", "b"], "given": ["Mohammed", "Samir"], "family": ["Ali", None]})
    right = pl.DataFrame({"id": ["x", "y", "z", "w"], "given": ["Muhammad", "Mohammed", "Yusuf", "Samir"],
                          "family": ["Ali", "Ali", "Ali", "Haddad"]})
    linker = Linker(fields)
    index = linker.index(right)
    lp = prepare(left, fields, linker.vocab)
    tf = linker._shares(lp, index, np.array([0, 0, 1]), np.array([0, 1, 3]))
    assert np.allclose(tf["first_name"], [2 / 4, 2 / 4, 1 / 4])  # the spellings of Mohammed pool
    assert np.allclose(tf["family_name"][:2], 3 / 4) and np.isnan(tf["family_name"][2])
    index.remove(["x"])  # counts follow removals
    assert np.allclose(linker._shares(lp, index, np.array([0]), np.array([1]))["first_name"], 1 / 3)


def _born(dates_of: list[str]):
    fields = Fields(id="id", given="given", birth_date="birth")
    frame = pl.DataFrame({"id": [str(i) for i in range(len(dates_of))], "given": ["x"] * len(dates_of), "birth": dates_of})
    return prepare(frame, fields, Vocab())


def test_em_training_pairs_take_the_finest_date_agreement_that_gives_enough(monkeypatch):
    from matching import linker
    # 4 born on one day, 6 more in that month, 4 in other months of that year, 10 more in that
    # year, 10 in other years.
    births = ["1990-05-17"] * 4 + [f"1990-05-{d:02d}" for d in range(1, 7)] + \
             [f"1990-{m:02d}-03" for m in (2, 3, 8, 11)] + ["1990"] * 10 + [str(1950 + i) for i in range(10)]
    side = _born(births)
    year = side.dates["birth_year_lo"]
    month = side.dates["birth_month"]
    monkeypatch.setattr(linker, "MIN_TRAINING_PAIRS", 5)  # 6 same-day pairs: enough alone
    pairs = linker._same_birth_pairs(side, side, True, seed=0)
    assert sorted(zip(pairs["l"], pairs["r"])) == [(a, b) for a in range(4) for b in range(a + 1, 4)]
    monkeypatch.setattr(linker, "MIN_TRAINING_PAIRS", 20)  # add pairs born in one month
    pairs = linker._same_birth_pairs(side, side, True, seed=0)
    l, r = pairs["l"].to_numpy(), pairs["r"].to_numpy()
    assert {(a, b) for a in range(4) for b in range(a + 1, 4)} <= set(zip(l.tolist(), r.tolist()))
    assert (month[l] == 5).all() and (month[r] == 5).all() and (l < r).all()
    monkeypatch.setattr(linker, "MIN_TRAINING_PAIRS", 100)  # and pairs born in one year
    pairs = linker._same_birth_pairs(side, side, True, seed=0)
    l, r = pairs["l"].to_numpy(), pairs["r"].to_numpy()
    assert (year[l] == year[r]).all() and np.isnan(month[np.r_[l, r]]).any()
    both = ~np.isnan(month[l]) & ~np.isnan(month[r])
    assert (month[l][both] == month[r][both]).all()  # never two known months that differ


def test_records_alike_only_in_their_birth_day_get_finite_probabilities():
    # No first names alike: the u of the birth date has no name-proposed strangers to learn from.
    from matching.linker import Linker

    names = ["Amir", "Bilal", "Chadi", "Dawud", "Emad", "Fadi", "Ghaith", "Hadi"]
    frame = pl.DataFrame({"id": [str(i) for i in range(8)], "given": names, "birth": ["1980-05-17"] * 8})
    pairs = Linker(Fields(id="id", given="given", birth_date="birth")).link(frame)
    assert pairs.height and np.isfinite(pairs["probability"].to_numpy()).all()


def test_em_training_pairs_across_two_files_share_the_birth_month(monkeypatch):
    from matching import linker
    left = _born(["1990-05-17", "1990-05-02", "1990-08-09", "1975", "1990"] * 4)
    right = _born(["1990-05-20", "1990-05-17", "1990-08-30", "1975-02-03", "1990"] * 6)
    monkeypatch.setattr(linker, "MIN_TRAINING_PAIRS", 30)  # 4 x 6 same-day pairs: too few alone
    pairs = linker._same_birth_pairs(left, right, False, seed=0)
    l, r = pairs["l"].to_numpy(), pairs["r"].to_numpy()
    assert pairs.height >= 30 and (l < len(left)).all() and (r < len(right)).all()
    ly, ry = left.dates["birth_year_lo"][l], right.dates["birth_year_lo"][r]
    lm, rm = left.dates["birth_month"][l], right.dates["birth_month"][r]
    assert (ly == ry).all() and (lm == rm).all()  # same day or same month: never only the year
