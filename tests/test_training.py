"""The training schedule: which pairs EM learns the names from."""

import numpy as np
import polars as pl

from matching import training
from matching.prepare import Fields, Vocab, prepare


def _born(dates_of: list[str]):
    fields = Fields(id="id", given="given", birth_date="birth")
    frame = pl.DataFrame({"id": [str(i) for i in range(len(dates_of))], "given": ["x"] * len(dates_of), "birth": dates_of})
    return prepare(frame, fields, Vocab())


def test_em_training_pairs_take_the_finest_date_agreement_that_gives_enough(monkeypatch):
    # 4 born on one day, 6 more in that month, 4 in other months of that year, 10 more in that
    # year, 10 in other years.
    births = ["1990-05-17"] * 4 + [f"1990-05-{d:02d}" for d in range(1, 7)] + \
             [f"1990-{m:02d}-03" for m in (2, 3, 8, 11)] + ["1990"] * 10 + [str(1950 + i) for i in range(10)]
    side = _born(births)
    year = side.dates["birth_year_lo"]
    month = side.dates["birth_month"]
    monkeypatch.setattr(training, "MIN_TRAINING_PAIRS", 5)  # 6 same-day pairs: enough alone
    pairs = training._same_birth_pairs(side, side, True, seed=0)
    assert sorted(zip(pairs["l"], pairs["r"])) == [(a, b) for a in range(4) for b in range(a + 1, 4)]
    monkeypatch.setattr(training, "MIN_TRAINING_PAIRS", 20)  # add pairs born in one month
    pairs = training._same_birth_pairs(side, side, True, seed=0)
    l, r = pairs["l"].to_numpy(), pairs["r"].to_numpy()
    assert {(a, b) for a in range(4) for b in range(a + 1, 4)} <= set(zip(l.tolist(), r.tolist()))
    assert (month[l] == 5).all() and (month[r] == 5).all() and (l < r).all()
    monkeypatch.setattr(training, "MIN_TRAINING_PAIRS", 100)  # and pairs born in one year
    pairs = training._same_birth_pairs(side, side, True, seed=0)
    l, r = pairs["l"].to_numpy(), pairs["r"].to_numpy()
    assert (year[l] == year[r]).all() and np.isnan(month[np.r_[l, r]]).any()
    both = ~np.isnan(month[l]) & ~np.isnan(month[r])
    assert (month[l][both] == month[r][both]).all()  # never two known months that differ


def test_em_training_pairs_across_two_files_share_the_birth_month(monkeypatch):
    left = _born(["1990-05-17", "1990-05-02", "1990-08-09", "1975", "1990"] * 4)
    right = _born(["1990-05-20", "1990-05-17", "1990-08-30", "1975-02-03", "1990"] * 6)
    monkeypatch.setattr(training, "MIN_TRAINING_PAIRS", 30)  # 4 x 6 same-day pairs: too few alone
    pairs = training._same_birth_pairs(left, right, False, seed=0)
    l, r = pairs["l"].to_numpy(), pairs["r"].to_numpy()
    assert pairs.height >= 30 and (l < len(left)).all() and (r < len(right)).all()
    ly, ry = left.dates["birth_year_lo"][l], right.dates["birth_year_lo"][r]
    lm, rm = left.dates["birth_month"][l], right.dates["birth_month"][r]
    assert (ly == ry).all() and (lm == rm).all()  # same day or same month: never only the year


def test_the_candidates_teach_the_birth_date_alone_once_pairs_born_on_one_day_taught_the_rest(monkeypatch):
    """Pairs born on one day are chosen without names or places, so they teach every comparison
    but the birth date; the candidates, chosen by names, teach only the date. Re-learnt among
    candidates where namesakes outnumber the people (100,000 x 400,000 independent), EM took
    namesakes for matches and the birth place weighed nothing (m of "same" 0.50 against 0.95)."""
    from benchmarks.engine import engine_inputs
    from benchmarks.generate import generate
    from matching.linker import Linker

    monkeypatch.setattr(training, "MIN_TRAINING_PAIRS", 20)  # a small file's few pairs born on one day
    data = generate(300, seed=5)
    fields, left, right = engine_inputs(data.enquiries, data.found)
    linker = Linker(fields)
    linker.link(left, right)
    first, candidates = linker.model.training["em"]
    assert "birth_date" not in first["learnt"] and "birth_place" in first["learnt"]
    assert candidates["learnt"] == ["birth_date"]
    # too few pairs born on one day, month or year: every m is learnt among the candidates
    monkeypatch.setattr(training, "MIN_TRAINING_PAIRS", 10**9)
    linker = Linker(fields)
    linker.link(left, right)
    assert set(linker.model.training["em"][1]["learnt"]) == {"birth_date", "last_contact", "sex", "nationality",
                                                             "birth_place"}


def test_a_pair_is_singled_out_only_when_likely_and_far_ahead_of_its_records_next():
    """Left record 0: best at 9 bits, next at 3 (6 ahead): singled out. Record 1: best at 9, next
    at 5 (4 ahead): not. Record 2: its only candidate at 2 bits: singled out. Record 3: its only
    candidate at -1 bits, unlikely: not. Order of the pairs does not matter."""
    left = np.array([1, 0, 2, 0, 1, 3, 0])
    bits = np.array([5.0, 3.0, 2.0, 9.0, 9.0, -1.0, -4.0])
    chosen = training.singled_out(left, bits)
    assert chosen.tolist() == [False, False, True, True, False, False, False]
    shuffled = np.random.default_rng(0).permutation(len(left))
    assert training.singled_out(left[shuffled], bits[shuffled]).tolist() == chosen[shuffled].tolist()
    # exactly SINGLED_OUT_BITS ahead counts
    assert training.singled_out(np.array([0, 0]), np.array([1.0, 1.0 - training.SINGLED_OUT_BITS])).tolist() == [True, False]
    # two alike at the top: neither is singled out; no pairs, none
    assert training.singled_out(np.array([0, 0]), np.array([7.0, 7.0])).tolist() == [False, False]
    assert training.singled_out(np.zeros(0, dtype=np.int64), np.zeros(0)).tolist() == []
