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
    somali = (400 + PSEUDO * overall) / (1000 + PSEUDO)
    ukrainian = (1 + PSEUDO * overall) / (1000 + PSEUDO)
    assert _share(idx, vocab, "Mohammed", "SOM") == pytest.approx(somali)
    assert _share(idx, vocab, "Muhammad", "UKR") == pytest.approx(ukrainian)
    assert _share(idx, vocab, "Mohamed", "SOM") > 0.35 > overall > 0.03 > _share(idx, vocab, "Mohamed", "UKR")
    # of no stated nationality: as common as where its holders are from, 400 Somalis and a Ukrainian
    assert _share(idx, vocab, "Mohamed", None) == pytest.approx((400 * somali + ukrainian) / 401)


def test_a_name_of_no_stated_nationality_is_as_common_as_where_it_is_held(index):
    """Ivan, held by Ukrainians alone, is as common for a pair of no stated nationality as for a
    Ukrainian pair, not as rare as over all records (999 of 2,100); Anna, held only by records of
    no nationality, is as common as over all records."""
    idx, vocab = index
    assert _share(idx, vocab, "Ivan", None) == pytest.approx(_share(idx, vocab, "Ivan", "UKR"))
    assert _share(idx, vocab, "Ivan", None) > 999 / 2100
    assert _share(idx, vocab, "Anna", None) == pytest.approx(100 / 2100)


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
    assert counts.total == 0 and not (counts._overall or counts._held_in or counts._sizes)


def test_holders_of_no_stated_nationality_count_at_the_overall_share():
    """Name 7 held by 50 of 100,000 records, none stating a nationality: a pair of no stated
    nationality finds it as common as overall. One more holder from a large population, or from
    a population of one record, moves that little (it once set the share alone: 20 times rarer,
    or 20 times commoner). Taken away again, the share is as before."""
    counts = NameCounts()
    counts.count(np.full((50, 1), 7, dtype=np.uint64), np.zeros(50, dtype=np.uint64))
    counts.count(np.full((49_900, 1), 8, dtype=np.uint64), np.full(49_900, 1, dtype=np.uint64))
    counts.count(np.full((50_050, 1), 9, dtype=np.uint64), np.zeros(50_050, dtype=np.uint64))
    unknown = np.array([7], dtype=np.uint64), np.array([0], dtype=np.uint64)
    alone = counts.share(*unknown)[0]
    assert alone == pytest.approx(50 / 100_000)
    for population in (1, 9):
        counts.count(np.array([[7]], dtype=np.uint64), np.array([population], dtype=np.uint64))
        assert 0.5 < counts.share(*unknown)[0] / alone < 2
        counts.count(np.array([[7]], dtype=np.uint64), np.array([population], dtype=np.uint64), -1)
        assert counts.share(*unknown)[0] == alone


def test_a_mothers_name_is_as_common_as_it_is_among_mothers():
    """900 of 1,000 Afghan men have a mother called Bibi, and nobody bears it as his own name:
    agreeing on Bibi as a mother's name is agreeing on the commonest mother's name."""
    rows = with_domain_flags(pl.DataFrame({
        "record_id": [f"R{i}" for i in range(1000)], "given_names": "Ahmad", "nationality": "AFG",
        "mother_name": ["Bibi"] * 900 + ["Zarghuna"] * 100, "society": "ICRC"}))
    vocab = Vocab()
    idx = Index(vocab)
    idx.add(prepare(rows, FIELDS, vocab))
    mother = prepare(rows.head(1), FIELDS, vocab)
    token, population = mother.tokens["mother"][:, 0], mother.population
    assert idx.name_share(token, population, mothers=True)[0] == pytest.approx((900 + PSEUDO * 0.9) / (1000 + PSEUDO))
    assert idx.name_share(token, population)[0] == 0  # as a person's own name: nobody
    idx.remove(["R0"])
    assert idx.name_share(token, population, mothers=True)[0] == pytest.approx((899 + PSEUDO * 899 / 999) / (999 + PSEUDO))


def test_nothing_to_count_is_counted_as_nothing():
    counts = NameCounts()
    counts.count(np.zeros((0, 3), dtype=np.uint64), np.zeros(0, dtype=np.uint64))
    assert counts.total == 0
    assert np.isnan(counts.share(np.array([0], dtype=np.uint64), np.array([0], dtype=np.uint64))[0])
    assert counts.share(np.array([9], dtype=np.uint64), np.array([4], dtype=np.uint64))[0] == 0


def test_spark_reads_the_population_column_even_where_it_is_not_compared():
    """The Spark engine counts names by population on its executors: it must be sent the
    column even when no comparison reads it."""
    from matching.prepare import Fields
    from rfl.spark.pipeline import _to_spark

    class Spark:
        def createDataFrame(self, table):  # noqa: N802 - Spark's name
            return table

    frame = pl.DataFrame({"_row": [0], "id": ["a"], "given": ["Ali"], "country": ["SOM"]})
    sent = _to_spark(Spark(), frame, Fields(id="id", given="given", population="country"))
    assert sent.column_names == ["_row", "id", "given", "country"]


def test_an_id_twice_in_one_write_is_one_record_the_last():
    """As two writes of one id would leave it: the second record stands, and removing the id
    leaves nothing counted or findable."""
    vocab = Vocab()
    idx = Index(vocab)
    idx.add(prepare(_records([("Ahmad", "Karimi", "AFG"), ("Ivan", "Shevchenko", "UKR")]).with_columns(
        pl.Series("record_id", ["a", "a"])), FIELDS, vocab))
    assert len(idx) == 1 and _share(idx, vocab, "Ivan", None) == 1.0 and _share(idx, vocab, "Ahmad", None) == 0
    idx.remove(["a"])
    assert len(idx) == 0 and not idx.alive.any() and idx._names.total == 0


def test_a_place_is_as_common_as_it_is_within_the_population():
    """Kabul, however spelt, is where most Afghan records come from; a village few are from."""
    places = ["Kabul"] * 500 + ["Kabol"] * 300 + ["Paghman"] * 10 + [None] * 190
    rows = with_domain_flags(pl.DataFrame({"record_id": [f"R{i}" for i in range(1000)], "given_names": "Ahmad",
                                           "nationality": "AFG", "birth_place": places, "society": "ICRC"}))
    vocab = Vocab()
    idx = Index(vocab)
    idx.add(prepare(rows, FIELDS, vocab))
    probe = prepare(with_domain_flags(pl.DataFrame({"record_id": ["a", "b", "c"], "nationality": "AFG",
                                                    "birth_place": ["Caboul", "Paghmaan", None]})), FIELDS, vocab)
    shares = idx.place_share(probe.place, probe.population)
    assert shares[0] == pytest.approx((800 + PSEUDO * 0.8) / (1000 + PSEUDO))
    assert shares[1] == pytest.approx((10 + PSEUDO * 0.01) / (1000 + PSEUDO))
    assert np.isnan(shares[2])
