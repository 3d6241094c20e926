"""One engine behind batch and search: an enquiry searched alone against the service's index
gets exactly the candidates, order and probabilities `rfl link` gives it in a batch, and the
index stays equal to a batch index of the same records across writes, removals and doublings."""

import dataclasses

import polars as pl
import pytest

from benchmarks.generate import Rates, generate
from matching.index import FIRST_CAPACITY
from matching.linker import REVIEW, Linker, shown
from rfl.schema import FIELDS, with_domain_flags
from rfl.search import FoundIndex, default_model

K = 10


@pytest.fixture(scope="module")
def data():
    """Generated records with every phenomenon, common names pushed up (Somali and Afghan
    populations, chains shifted into other fields), and the model shipped with rfl: EM on so
    few records with a sibling for every third person can take siblings for the person (it
    once weighed the same full birth date at -5 bits), and these tests are about the index."""
    rates = Rates(pop_somalia=0.3, pop_afghanistan=0.3, nasab_in_given=0.3, father_chain=0.3,
                  grandfather_as_family=0.5, sibling=0.3, namesake=0.2)
    return generate(enquiries=300, found=900, seed=11, rates=rates), default_model()


def _batch(enquiries: pl.DataFrame, found: pl.DataFrame, model) -> dict[str, list[tuple[str, float]]]:
    pairs = Linker(FIELDS, model).link(with_domain_flags(enquiries), with_domain_flags(found))
    pairs = pairs.filter((pl.col("rank") <= K) & (pl.col("probability") >= REVIEW))
    pairs = pairs.with_columns(shown(pl.col("probability")))  # as rfl link writes them
    out: dict[str, list[tuple[str, float]]] = {}
    for left, right, p in pairs.select("left_id", "right_id", "probability").iter_rows():
        out.setdefault(left, []).append((right, p))
    return out


def _searched(index: FoundIndex, enquiries: list[dict]) -> dict[str, list[tuple[str, float]]]:
    answers = {e["record_id"]: [(c.found_id, c.probability) for c in index.search(e, k=K)] for e in enquiries}
    return {k: v for k, v in answers.items() if v}


def _assert_same(got: dict, want: dict) -> None:
    assert got.keys() == want.keys()
    for enquiry, candidates in want.items():
        assert [c for c, _ in got[enquiry]] == [c for c, _ in candidates], enquiry
        assert [p for _, p in got[enquiry]] == pytest.approx([p for _, p in candidates], abs=1e-9), enquiry


def test_search_gives_each_enquiry_what_the_batch_gives_it(data):
    generated, model = data
    index = FoundIndex(model)
    index.upsert(generated.found.to_dicts())
    want = _batch(generated.enquiries, generated.found, model)
    assert sum(len(v) for v in want.values()) > 200  # enough candidates to mean something
    _assert_same(_searched(index, generated.enquiries.to_dicts()), want)


def test_an_index_written_one_record_at_a_time_answers_as_one_built_at_once(data):
    generated, model = data
    found = generated.found.to_dicts()
    index = FoundIndex(model)
    index.upsert(found[:400])
    for record in found[400:]:  # single writes wait as recent keys, then merge
        index.upsert([record])
    i = next(i for i, r in enumerate(found) if r["nationality"] and r["mother_name"])
    other = "UKR" if found[i]["nationality"] != "UKR" else "SOM"
    # replaced (its names then counted in another population, its mother's name gone) ...
    index.upsert([{**found[i], "given_names": "Zebulon", "nationality": other, "mother_name": None}])
    index.upsert([found[i]])  # ... and restored: a dead slot stays behind
    _assert_same(_searched(index, generated.enquiries.to_dicts()), _batch(generated.enquiries, generated.found, model))


def test_removed_records_are_neither_candidates_nor_counted(data):
    generated, model = data
    gone = set(generated.found["record_id"].to_list()[::3])
    index = FoundIndex(model)
    index.upsert(generated.found.to_dicts())
    index.remove(gone)
    rest = generated.found.filter(~pl.col("record_id").is_in(list(gone)))
    want = _batch(generated.enquiries, rest, model)
    _assert_same(_searched(index, generated.enquiries.to_dicts()), want)


def test_writes_across_doublings_stay_findable_and_removals_vanish(data):
    generated, model = data
    found = generated.found.to_dicts()
    index = FoundIndex(model)
    index.upsert(found[:300])
    person = {**found[0], "record_id": "person"}
    filler = [{**found[i % 300], "record_id": f"fill-{i}"} for i in range(FIRST_CAPACITY + 10)]
    for i, record in enumerate(filler):
        index.upsert([record])
        if i == FIRST_CAPACITY - 301:  # lands in the last free row of the first buffers
            index.upsert([person])
    assert len(index) == 300 + len(filler) + 1
    assert "person" in {c.found_id for c in index.search(found[0], k=len(filler))}
    index.remove(["person"])
    assert "person" not in {c.found_id for c in index.search(found[0], k=len(filler))}
    index.upsert([{**found[1], "record_id": "person"}])  # same id, now another person's values
    assert "person" in {c.found_id for c in index.search(found[1], k=len(filler))}
    index.remove([r["record_id"] for r in found[:300] + filler] + ["person"])
    assert len(index) == 0 and index.search(found[1]) == []
    index.upsert(found[2:60])  # rows after a full removal are found again
    assert index.search(found[2])[0].found_id == found[2]["record_id"]


def test_odd_values_are_read_as_the_batch_reads_them(data):
    generated, model = data
    odd = [
        {"given_names": "Abd al-Rahman", "family_name": "G/Medhin", "birth_date": "1990-01-01"},
        {"given_names": "Олександр", "family_name": "Шевченко", "age": "40-30", "recorded_on": "2024-02-01"},
        {"given_names": "Samir", "birth_date": "0990", "nationality": " syr\t"},
        {"given_names": "", "family_name": "  ", "other_names": "Sami;سمير;", "age": "-5", "recorded_on": "2020"},
        {"given_names": "محمد", "father_name": "ገብረ", "age": "99999", "recorded_on": "2024"},
        {"given_names": "Samir", "birth_date": "١٩٩٠", "society": "ETH"},
    ]
    records = pl.DataFrame([{"record_id": f"odd-{i}", "society": "DEU", **r} for i, r in enumerate(odd)],
                           schema={c: pl.Utf8 for c in generated.found.columns}).select(generated.found.columns)
    found = pl.concat([generated.found, records])
    index = FoundIndex(model)
    index.upsert(found.to_dicts())
    want = _batch(records, found, model)
    assert len(want) >= 3  # most odd records meet themselves
    _assert_same(_searched(index, records.to_dicts()), want)


def test_a_model_s_placeholder_days_are_read_in_search_as_in_the_batch(data):
    generated, shipped = data
    model = dataclasses.replace(shipped, placeholder_days=("01-01", "07-01"))
    moved = [pl.col("birth_date").str.replace(r"-01-01$", "-07-01")]
    enquiries, found = generated.enquiries.with_columns(moved), generated.found.with_columns(moved)
    index = FoundIndex(model)
    index.upsert(found.to_dicts())
    want = _batch(enquiries, found, model)
    _assert_same(_searched(index, enquiries.to_dicts()), want)
    # read as a full date, 1 July would give other probabilities: the model's days were applied
    assert _batch(enquiries, found, shipped) != want


def test_a_model_s_weights_for_blank_birth_dates_are_read_in_search_as_in_the_batch(data):
    generated, shipped = data
    model = dataclasses.replace(shipped, date_missing_bits=(-2.0, -3.0))
    index = FoundIndex(model)
    index.upsert(generated.found.to_dicts())
    want = _batch(generated.enquiries, generated.found, model)
    _assert_same(_searched(index, generated.enquiries.to_dicts()), want)
    assert _batch(generated.enquiries, generated.found, shipped) != want  # the weights were applied


def test_every_kind_of_different_reads_as_disagree_to_the_officer():
    from matching.compare import FAMILY_LABELS
    from rfl.search import _outcomes

    levels = pl.Series(["different", "different, surnames inherited", "same name or variant", None, "loosely alike"],
                       dtype=pl.Enum(list(FAMILY_LABELS)))
    assert _outcomes(levels, FAMILY_LABELS) == ["disagree", "disagree", "agree", "blank", "partial"]
