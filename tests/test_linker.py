"""The linker facade: one person per enquiry, and the same answer every run."""

import numpy as np
import polars as pl

from matching.compare import Comparer
from matching.linker import exclusive, term_frequencies
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


def test_term_frequency_is_the_share_of_records_holding_the_name_by_phonetic_key():
    fields = Fields(id="id", given="given", family="family")
    left = pl.DataFrame({"id": ["a", "b"], "given": ["Mohammed", "Samir"], "family": ["Ali", None]})
    right = pl.DataFrame({"id": ["x", "y", "z"], "given": ["Muhammad", "Mohammed", "Yusuf"],
                          "family": ["Ali", "Ali", "Ali"]})
    vocab = Vocab()
    lp, rp = prepare(left, fields, vocab), prepare(right, fields, vocab)
    comparer = Comparer(vocab, (), ())
    tf = term_frequencies(vocab, lp, rp, comparer, np.array([0, 0, 1]), np.array([0, 1, 2]), dedupe=False)
    assert np.allclose(tf["first_name"], [3 / 5, 3 / 5, 1 / 5])  # the three spellings of Mohammed pool
    assert np.allclose(tf["family_name"][:2], 4 / 5) and np.isnan(tf["family_name"][2])
