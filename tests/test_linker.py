"""The linker facade: one person per enquiry, and the same answer every run."""

import numpy as np

from matching.linker import exclusive


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
