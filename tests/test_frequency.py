"""How common a name is, within the population a namesake would come from (matching.frequency),
through the index that `rfl link` and the service share."""

import numpy as np
import polars as pl
import pytest

from matching.frequency import PSEUDO, NameCounts
from matching.index import Index
from matching.prepare import Vocab, prepare
from rfl.schema import FIELDS, with_domain_flags


def _records(rows: list[tuple[str, str, str | None]]) -> pl.DataFrame:
    return with_domain_flags(pl.DataFrame(
        {"record_id": [f"R{i}" for i in range(len(rows))], "given_names": [r[0] for r in rows],
         "family_name": [r[1] for r in rows], "nationality": [r[2] for r in rows], "society": "ICRC"}))


@pytest.fixture()
def index():
    """1,000 Somali records, 400 of them called Mohamed; 1,000 Ukrainian ones with one Mohamed;
    and 100 records of no stated nationality, none of them a Mohamed."""
    rows = ([("Mohamed", "Cali", "SOM")] * 400 + [("Faarax", "Cali", "SOM")] * 600
            + [("Mohamed", "Shevchenko", "UKR")] + [("Ivan", "Shevchenko", "UKR")] * 999
            + [("Anna", "Smith", None)] * 100)
    vocab = Vocab()
    idx = Index(vocab)
    idx.add(prepare(_records(rows), FIELDS, vocab))
    return idx, vocab


def _share(idx: Index, vocab: Vocab, name: str, nationality: str | None) -> float:
    probe = prepare(_records([(name, "X", nationality)]), FIELDS, vocab)
    return float(idx.name_share(probe.tokens["given"][:, 0], probe.population)[0])


def test_a_name_is_as_common_as_it_is_within_the_population(index):
    """Mohamed, Mohammed and Muhammad are one name (their spellings pool): held by 401 of 2,100
    records, but by 40 % of Somalis and one Ukrainian in a thousand."""
    idx, vocab = index
    overall = 401 / 2100
    assert _share(idx, vocab, "Mohamed", None) == pytest.approx(overall)
    assert _share(idx, vocab, "Mohammed", "SOM") == pytest.approx((400 + PSEUDO * overall) / (1000 + PSEUDO))
    assert _share(idx, vocab, "Muhammad", "UKR") == pytest.approx((1 + PSEUDO * overall) / (1000 + PSEUDO))
    assert _share(idx, vocab, "Mohamed", "SOM") > 0.35 > overall > 0.03 > _share(idx, vocab, "Mohamed", "UKR")


def test_a_population_the_index_barely_knows_leans_on_the_overall_share(index):
    """No record is Eritrean: an Eritrean's Mohamed is as common as over all records."""
    idx, vocab = index
    assert _share(idx, vocab, "Mohamed", "ERI") == pytest.approx(401 / 2100)


def test_removed_records_are_no_longer_counted(index):
    idx, vocab = index
    idx.remove([f"R{i}" for i in range(400)])  # every Somali Mohamed
    assert _share(idx, vocab, "Mohamed", "SOM") == pytest.approx((0 + PSEUDO * 1 / 1700) / (600 + PSEUDO))
    assert np.isnan(idx.name_share(np.array([-1]), np.array([0], dtype=np.uint64))[0])


def test_counts_come_back_to_nothing():
    counts = NameCounts()
    names = np.array([[5, 7], [5, 0]], dtype=np.uint64)
    populations = np.array([3, 0], dtype=np.uint64)
    counts.count(names, populations, +1)
    assert counts.share(np.array([5, 7], dtype=np.uint64), np.array([0, 3], dtype=np.uint64)).tolist() == \
        pytest.approx([1.0, (1 + PSEUDO * 0.5) / (1 + PSEUDO)])
    counts.count(names, populations, -1)
    assert counts.total == 0 and not (counts._overall or counts._within or counts._sizes)
