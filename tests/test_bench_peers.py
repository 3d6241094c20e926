"""The peer adapters (Splink, recordlinkage) on small real samples: they run, and they link well.

FEBRL is easy, Western-name data on which both libraries are known to reach F1 near 0.99, so a
much lower figure here means the adapter, not the library, is wrong.
"""

import polars as pl
import pytest

from benchmarks.datasets import febrl
from benchmarks.linkers import REGISTRY
from benchmarks.metrics import evaluate

PEERS = [pytest.param(name, marks=pytest.mark.skipif(bool(REGISTRY[name].missing()), reason=f"{name} not installed"))
         for name in ("splink", "recordlinkage")]


@pytest.fixture(scope="module")
def febrl4():
    return febrl(4).sample(400, seed=2)


@pytest.fixture(scope="module")
def febrl1():
    return febrl(1).sample(500, seed=2)


def _figures(result, data):
    n_right = None if data.right is None else data.right.height
    return evaluate(result.pairs, result.threshold, data.truth, data.left.height, n_right)


@pytest.mark.parametrize("name", PEERS)
def test_peer_links_febrl4_sample(name, febrl4):
    result = REGISTRY[name].build().link(febrl4.left, febrl4.right)
    assert result.threshold == 0.5
    assert result.pairs.schema == pl.Schema({"left_id": pl.Utf8, "right_id": pl.Utf8, "probability": pl.Float64})
    # the left file's ids stay on the left, whatever order the library keeps pairs in
    assert set(result.pairs["left_id"]) <= set(febrl4.left["record_id"])
    assert set(result.pairs["right_id"]) <= set(febrl4.right["record_id"])
    assert result.pairs["probability"].is_between(0, 1).all()
    figures = _figures(result, febrl4)
    assert figures["pairs_completeness"] > 0.97 and figures["f1"] > 0.95
    assert figures["candidate_pairs"] < 0.2 * 400 * 400  # blocking, not all pairs


@pytest.mark.parametrize("name", PEERS)
def test_peer_deduplicates_febrl1_sample(name, febrl1):
    result = REGISTRY[name].build().link(febrl1.left, None)
    ids = set(febrl1.left["record_id"])
    assert set(result.pairs["left_id"]) | set(result.pairs["right_id"]) <= ids
    assert (result.pairs["left_id"] != result.pairs["right_id"]).all()
    figures = _figures(result, febrl1)
    assert figures["true_pairs"] > 50 and figures["f1"] > 0.95


@pytest.fixture(scope="module")
def cross_border():
    from benchmarks.datasets import from_generated
    from benchmarks.generate import generate

    return from_generated("generated", generate(200, seed=4))


@pytest.mark.parametrize("name", PEERS)
def test_peer_survives_cross_border_records(name, cross_border):
    """Partial dates, estimated ages, missing family names and non-Latin scripts must not break
    the adapters; how well they link such data is for the bench to report, not for a test."""
    data = cross_border
    result = REGISTRY[name].build().link(data.left, data.right)
    assert set(result.pairs["left_id"]) <= set(data.left["record_id"])
    assert set(result.pairs["right_id"]) <= set(data.right["record_id"])
    assert result.pairs["probability"].is_between(0, 1).all()
    assert _figures(result, data)["pairs_completeness"] > 0.3
