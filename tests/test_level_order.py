"""Levels within a comparison stay ordered (issue 9): closer agreement never weighs less than
looser agreement, whatever EM, labels or a name's frequency would make of it."""

import numpy as np
import pytest

from benchmarks.datasets import febrl, generated
from benchmarks.engine import engine_inputs
from matching import dates
from matching.compare import Comparer
from matching.linker import Linker
from matching.model import Comparison, Model
from matching.prepare import Vocab
from rfl.schema import FIELDS
from rfl.search import default_model


def _held_in_order(model: Model) -> None:
    for c in model.comparisons:
        weight = np.log2(model.m[c.name] / model.u[c.name])
        for chain in c.monotone:
            w = weight[list(chain)]
            assert np.all(np.diff(w) >= -1e-9), (c.name, chain, w.round(2))


def test_every_comparison_holds_its_agreement_levels_in_one_chain():
    comparer = Comparer(Vocab(), ("sex", "nationality"), ("birth_place", "suburb"), ("birth_place",))
    by_name = {c.name: c for c in comparer.comparisons}
    for name, c in by_name.items():
        if name == "birth_date":
            continue
        plain = [i for i, label in enumerate(c.labels) if "swap" not in label and "other's" not in label
                 and "where the other" not in label and not label.startswith("different,")]
        assert any(list(chain) == plain for chain in c.monotone), name
        for i, label in enumerate(c.labels):  # a "different" of its own kind sits below every agreement too
            if label.startswith("different,"):
                assert any(list(chain) == [i, *plain[1:]] for chain in c.monotone), (name, label)
    family = by_name["family_name"]
    fathers = family.labels.index("one's family name is the other's father's or grandfather's name")
    assert any(chain[0] == family.labels.index("different") and fathers in chain and chain[-1] == len(family.labels) - 1
               for chain in family.monotone)
    chains = by_name["birth_date"].monotone
    for weaker in (dates.AGE, dates.AGE_FEW, dates.YEAR, dates.MONTH, dates.NEAR, dates.YEAR_NEAR, dates.SWAP, dates.ONE_OFF,
                   dates.ETHIOPIAN, dates.ETHIOPIAN_OFF, dates.OTHER):
        assert any(weaker in chain and chain[-1] == dates.EXACT for chain in chains), dates.LEVELS[weaker]
    assert any(chain.index(dates.AGE) < chain.index(dates.YEAR) for chain in chains if dates.AGE in chain
               and dates.YEAR in chain)
    assert any(chain.index(dates.AGE_FEW) < chain.index(dates.AGE) for chain in chains if dates.AGE_FEW in chain
               and dates.AGE in chain)
    assert any(chain.index(dates.NEAR) < chain.index(dates.ONE_OFF) for chain in chains if dates.NEAR in chain
               and dates.ONE_OFF in chain)
    assert any(chain.index(dates.FEW) < chain.index(dates.YEAR_NEAR) < chain.index(dates.YEAR) for chain in chains
               if dates.YEAR_NEAR in chain and dates.FEW in chain and dates.YEAR in chain)
    # a year that agrees only when one side is read in the other calendar is never better than the same year
    assert any(chain.index(dates.ETHIOPIAN) < chain.index(dates.YEAR) for chain in chains
               if dates.ETHIOPIAN in chain and dates.YEAR in chain)


@pytest.mark.parametrize("source", ["generated", "febrl4 with suburb"])
def test_models_learnt_by_em_keep_every_chain(source):
    data = generated(300, seed=4) if source == "generated" else febrl(4).sample(1500, seed=2).comparing(["suburb"])
    fields, left, right = engine_inputs(data.left, data.right)
    linker = Linker(fields)
    linker.link(left, right)
    _held_in_order(linker.model)


def test_a_model_from_labels_keeps_every_chain():
    # Labels count m as they fall: among few true pairs "alike" can outnumber "same" by chance.
    c = Comparison("place", ("different", "alike", "same"), monotone=((0, 1, 2),))
    model = Model([c])
    levels = {"place": np.array([2, 1, 1, 1, 0] + [0] * 95 + [1] * 3 + [2] * 2, dtype=np.int8)}
    is_match = np.r_[np.ones(5), np.zeros(100)].astype(bool)
    model.estimate_from_labels(levels, is_match)
    _held_in_order(model)


def test_the_shipped_model_keeps_every_chain():
    model = default_model()
    model.check_fits(Comparer.of(Vocab(), FIELDS).comparisons)
    _held_in_order(model)


def test_a_common_name_spelled_alike_weighs_no_less_than_a_looser_spelling():
    c = Comparison("name", ("different", "loosely alike", "similar", "same"), tf=True, monotone=((0, 1, 2, 3),))
    model = Model([c], m={"name": np.array([0.05, 0.05, 0.1, 0.8])}, u={"name": np.array([0.7, 0.15, 0.1, 0.05])},
                  tf_base={"name": 0.01})
    levels = {"name": np.array([3, 3, 3, 2], dtype=np.int8)}
    share = {"name": np.array([0.01, 0.0001, 0.3, 0.3])}  # typical, rare, very common; similar
    w = model.weights(levels, share)["name"]
    similar, same = np.log2(0.1 / 0.1), np.log2(0.8 / 0.05)
    assert np.isclose(w[0], same) and w[1] > same  # a rare name counts more
    assert w[2] == pytest.approx(similar) and w[3] == pytest.approx(similar)  # down-weighted to similar, no lower
