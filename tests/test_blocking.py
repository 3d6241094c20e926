"""The blocking graph's cut: candidates that contradict a record on sex or nationality come after
those that do not, and are kept where places remain (no field vetoes a pair)."""

import numpy as np
import polars as pl

from matching import blocking
from matching.prepare import Fields, Vocab, prepare
from rfl.search import FoundIndex

FIELDS = Fields(id="id", given="given", family="family", exact=("sex", "nationality"))


def _linked(left: pl.DataFrame, right: pl.DataFrame, per_record: int) -> set[tuple[str, str]]:
    vocab = Vocab()
    lp, rp = prepare(left, FIELDS, vocab), prepare(right, FIELDS, vocab)
    cand = blocking.candidates(blocking.record_keys(lp, vocab), blocking.record_keys(rp, vocab), False,
                               per_record=per_record, codes=blocking.exact_codes(lp.exact, rp.exact))
    return {(lp.ids[l], rp.ids[r]) for l, r in zip(cand["l"].to_list(), cand["r"].to_list())}


def test_contradicting_candidates_give_way_to_agreeing_ones():
    left = pl.DataFrame({"id": ["e"], "given": ["Samir Hassan"], "family": ["Haddad"], "sex": ["M"], "nationality": ["SYR"]})
    # Two women of another nationality share all three names (the most keys); one man shares
    # two and says nothing of his nationality; one man of another nationality shares all three.
    right = pl.DataFrame({"id": ["w1", "w2", "m", "n"], "given": ["Samir Hassan", "Samir Hassan", "Samir", "Samir Hassan"],
                          "family": ["Haddad", "Haddad", "Haddad", "Haddad"], "sex": ["F", "F", "M", "M"],
                          "nationality": ["IRQ", "IRQ", None, "IRQ"]})
    assert _linked(left, right, per_record=1) == {("e", "m")}
    assert _linked(left, right, per_record=2) == {("e", "m"), ("e", "n")}
    assert _linked(left, right, per_record=4) == {("e", "m"), ("e", "n"), ("e", "w1"), ("e", "w2")}


def test_without_known_values_the_score_alone_ranks():
    left = pl.DataFrame({"id": ["e"], "given": ["Samir Hassan"], "family": ["Haddad"], "sex": [None], "nationality": [None]})
    right = pl.DataFrame({"id": ["all", "some"], "given": ["Samir Hassan", "Samir"], "family": ["Haddad", "Haddad"],
                          "sex": ["F", "M"], "nationality": ["SYR", "IRQ"]})
    assert _linked(left, right, per_record=1) == {("e", "all")}


def test_codes_are_shared_by_both_sides_and_unknown_is_no_conflict():
    a, b = blocking.exact_codes({"sex": np.array(["M", None, "F"], dtype=object)},
                                {"sex": np.array(["F", "M", None], dtype=object)})
    assert a[0, 0] == b[1, 0] and a[2, 0] == b[0, 0] and a[1, 0] == -1 and b[2, 0] == -1
    assert blocking.conflicts(a, b, np.array([0, 0, 1, 2]), np.array([0, 1, 0, 2])).tolist() == [1, 0, 0, 0]


def test_the_search_shortlist_ranks_as_batch_blocking_does(monkeypatch):
    from rfl import search
    from rfl.schema import FIELDS

    monkeypatch.setattr(search, "SHORTLIST", 1)
    others = [{"record_id": f"o{i}", "society": "DEU", "given_names": name, "family_name": family, "sex": "M"}
              for i, (name, family) in enumerate((n, f) for n in ("Omar", "Yusuf", "Karim", "Tariq", "Nabil")
                                                 for f in ("Aziz", "Bakri", "Darwish", "Farouk", "Ghanem"))]
    found = [{"record_id": "w", "society": "DEU", "given_names": "Samir Hassan", "family_name": "Haddad", "sex": "F"},
             {"record_id": "m", "society": "DEU", "given_names": "Samir", "family_name": "Haddad", "sex": "M"}, *others]
    query = {"record_id": "q", "society": "DEU", "given_names": "Samir Hassan", "family_name": "Haddad", "sex": "M"}
    index = FoundIndex()
    index.upsert(found)
    got = index.search(query, k=5)
    # Batch blocking of the same records keeps the same one candidate in its one place.
    vocab = Vocab()
    lp, rp = prepare(pl.DataFrame([query]), FIELDS, vocab), prepare(pl.DataFrame(found), FIELDS, vocab)
    batch = blocking.candidates(blocking.record_keys(lp, vocab), blocking.record_keys(rp, vocab), False,
                                per_record=1, codes=blocking.exact_codes(lp.exact, rp.exact))
    assert [c.found_id for c in got] == [rp.ids[r] for r in batch["r"].to_list()] == ["m"]


def test_one_record_codes_give_the_conflicts_exact_codes_give():
    rng = np.random.default_rng(8)
    values = np.array(["M", "F", None], dtype=object)
    others = {"sex": values[rng.integers(0, 3, 50)], "nationality": np.array(["SYR", "IRQ", None], dtype=object)[rng.integers(0, 3, 50)]}
    for sex in ("M", None):
        one = {"sex": np.array([sex], dtype=object), "nationality": np.array(["IRQ"], dtype=object)}
        rows = np.arange(50)
        want = blocking.conflicts(*blocking.exact_codes(one, others), np.zeros(50, dtype=np.int64), rows)
        got = blocking.conflicts(*blocking.one_record_codes(one, others), np.zeros(50, dtype=np.int64), rows)
        assert got.tolist() == want.tolist()
