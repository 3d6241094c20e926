"""The found-record index: the one-record fast paths answer exactly as the table paths do, and
the growing buffers keep every write findable and every removal unanswered across doublings."""

import numpy as np
import pytest

from benchmarks.generate import generate
from matching import blocking
from matching.prepare import Unusual, Vocab, prepare, prepare_record
from rfl import search
from rfl.schema import FIELDS, with_domain_flags
from rfl.search import FIRST_CAPACITY, FoundIndex

# Values the fast path must read as the table path does, or hand back to it (Unusual).
ODD = [
    {"given_names": "Abd al-Rahman", "family_name": "G/Medhin", "birth_date": "1990-01-01"},
    {"given_names": "Олександр", "family_name": "Шевченко", "age": "40-30", "recorded_on": "2024-02-01"},
    {"given_names": "محمد", "father_name": "ገብረ", "age": "99999", "recorded_on": "2024"},
    {"given_names": "Samir", "birth_date": "0990", "nationality": " syr\t"},
    {"given_names": "Samir", "birth_date": "1990-xx-05", "sex": "m"},
    {"given_names": "Samir", "birth_date": "1990-5-17", "birth_place": "  Ḥalab  "},
    {"given_names": "Samir", "birth_date": "١٩٩٠", "society": "ETH"},
    {"given_names": "", "family_name": "  ", "other_names": "Sami;سمير;", "age": "-5", "recorded_on": "2020"},
    {"given_names": "Sami", "birth_date": "1990-03-04\n", "sex": "ﬀ"},
    {"given_names": "Sami", "age": 30},
]


@pytest.fixture(scope="module")
def data():
    generated = generate(enquiries=60, found=400, seed=5)
    odd = [{"record_id": f"odd-{i}", "society": "DEU", **r} for i, r in enumerate(ODD)]
    return generated.found.to_dicts(), generated.enquiries.to_dicts() + odd


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and all(
        x == y or (x != x and y != y) for x, y in zip(a.ravel().tolist(), b.ravel().tolist()))


def test_one_record_is_prepared_and_keyed_as_by_the_tables(data):
    found, enquiries = data
    vocab, fast = Vocab(), 0
    for record in found[:150] + enquiries:
        try:
            table = prepare(with_domain_flags(search._frame([record])), FIELDS, vocab)
        except Exception:  # a value the tables refuse (an int): the fast path must refuse it too
            with pytest.raises(Unusual):
                prepare_record(search._with_domain_flags(record), FIELDS, vocab)
            continue
        table_keys = blocking.record_keys(table, vocab)
        try:
            one = prepare_record(search._with_domain_flags(record), FIELDS, vocab)
            assert set(blocking.single_record_keys(one, vocab).tolist()) == set(table_keys["key"].to_list())
            keys = set(blocking.single_record_keys(one, vocab, near=True).tolist())
        except Unusual:
            continue
        if record.get("birth_date") == "0990":  # a year before 1000 still has its neighbours
            assert {989, 991} <= set(blocking.near_years(table_keys)["year"].drop_nulls().to_list())
        table_keys = set(blocking.near_years(table_keys)["key"].to_list())
        fast += 1
        arrays, expected = search._flat(one), search._flat(table)
        assert arrays.keys() == expected.keys()
        for name in arrays:
            assert _same(arrays[name], expected[name]), (name, record["record_id"])
        assert keys == table_keys, record["record_id"]
    assert fast >= 150 + 60 + 3  # the fast path serves generated records and some odd ones


def test_search_answers_the_same_through_either_path(data):
    found, enquiries = data
    index = FoundIndex()
    copies = enquiries[:30] + enquiries[-len(ODD):-1]  # the last odd one holds an int
    index.upsert(found + [{**e, "record_id": f"copy-{e['record_id']}"} for e in copies])
    fast = [index.search(e) for e in enquiries]
    assert sum(1 for answer in fast if answer) >= 30
    assert fast[-len(ODD) + 3][0].found_id == "copy-odd-3"  # birth year 0990, found by the fast path
    index._query = index._query_by_table
    assert [index.search(e) for e in enquiries] == fast


def test_writes_one_by_one_across_doublings_stay_findable_and_removals_vanish(data):
    found, _ = data
    index = FoundIndex()
    index.upsert(found[:300])  # a batch, then single writes past the first capacities
    person = {**found[0], "record_id": "person"}
    filler = [{**found[i % 300], "record_id": f"fill-{i}"} for i in range(FIRST_CAPACITY + 10)]
    for i, record in enumerate(filler):
        index.upsert([record])
        if i == FIRST_CAPACITY - 301:  # lands in the last free row of the first buffers
            index.upsert([person])
    assert len(index) == 300 + len(filler) + 1 and len(index._alive) >= len(index)
    assert "person" in {c.found_id for c in index.search(found[0], k=len(filler))}

    index.remove(["person"])
    assert "person" not in {c.found_id for c in index.search(found[0], k=len(filler))}
    index.upsert([{**found[1], "record_id": "person"}])  # same id, now another person's values
    ids = {c.found_id for c in index.search(found[1], k=len(filler))}
    assert "person" in ids and index._row_of["person"] == index._size - 1

    index.remove([r["record_id"] for r in found[:300] + filler] + ["person"])
    assert len(index) == 0 and index.search(found[1]) == []
    index.upsert([found[2]])
    assert [c.found_id for c in index.search(found[2])] == [found[2]["record_id"]]
