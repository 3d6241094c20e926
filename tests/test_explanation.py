"""Explanations say when a name's frequency moved its weight (issue 9): agreeing on a common
name is down-weighted, and the officer reads that it was, and by how much."""

import dataclasses

import numpy as np
import polars as pl

from matching.linker import Linker
from matching.compare import Comparer
from matching.prepare import Vocab
from rfl.link import explain, is_name
from rfl.schema import FIELDS, with_domain_flags
from rfl.search import default_model

FAMILIES = ["Haddad", "Khoury", "Nassar", "Saleh", "Aziz", "Mansour", "Darwish", "Hamdan", "Jaber", "Qasim",
            "Rahal", "Sabbagh", "Tamer", "Wahbi", "Zaher", "Barakat", "Fares", "Ghanem", "Halabi", "Issa"]


def _records(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    return with_domain_flags(pl.DataFrame(
        {"record_id": [r[0] for r in rows], "society": ["SYR"] * len(rows), "given_names": [r[1] for r in rows],
         "family_name": [r[2] for r in rows], "birth_date": ["1980-04-02"] * len(rows), "sex": ["M"] * len(rows)}))


def test_a_common_first_name_is_down_weighted_and_the_explanation_says_so():
    found = _records([(f"F{i}", "Mohammed", family) for i, family in enumerate(FAMILIES)]
                     + [("R1", "Tesfamariam", "Haddad")])
    enquiries = _records([("E1", "Mohammed", "Haddad"), ("E2", "Tesfamariam", "Haddad")])
    # no population's share of its name weights: only the frequency moves a weight from its level's
    model = dataclasses.replace(default_model(), name_weight={})
    linker = Linker(FIELDS, model=model)
    pairs = linker.link(enquiries, found)
    common = pairs.filter((pl.col("left_id") == "E1") & (pl.col("right_id") == "F0")).row(0, named=True)
    rare = pairs.filter((pl.col("left_id") == "E2") & (pl.col("right_id") == "R1")).row(0, named=True)
    level = model.comparisons[0].labels.index("same name or variant")
    same = float(np.log2(model.m["first_name"][level] / model.u["first_name"][level]))
    assert common["f_first_name"] < -0.5 < 0.5 < rare["f_first_name"]
    for row in (common, rare):  # the frequency's bits are what separates the weight from the level's
        assert abs(row["w_first_name"] - row["f_first_name"] - same) < 0.02
    explained = explain(pairs)
    text = {(a, b): e for a, b, e in explained.select("left_id", "right_id", "explanation").iter_rows()}
    shown = pl.DataFrame({"w": [common["w_first_name"]], "f": [common["f_first_name"]]}).select(
        pl.all().round(2).round(1)).row(0)  # as explain rounds: the bits shown (two decimals), then one
    assert f"first_name {shown[0]:+.1f} (same name or variant; name more common than most, {shown[1]:.1f})" \
        in text["E1", "F0"]
    assert "name less common than most, +" in text["E2", "R1"] and "more common" not in text["E2", "R1"].split("family_name")[0]
    assert not any(c.startswith(("f_", "l_")) for c in explained.columns)


def test_a_birth_place_few_come_from_counts_more_and_the_explanation_says_so():
    """Twenty records from Damascus and one from a village: agreeing on the village is the rarer
    coincidence, and the officer reads `place less common than most`."""
    def records(rows):
        return with_domain_flags(pl.DataFrame(
            {"record_id": [r[0] for r in rows], "society": "SYR", "nationality": "SYR", "given_names": "Omar",
             "family_name": [r[1] for r in rows], "birth_place": [r[2] for r in rows], "sex": "M"}))

    found = records([(f"F{i}", family, "Damascus") for i, family in enumerate(FAMILIES)] + [("R1", "Haddad", "Maaloula")])
    enquiries = records([("E1", "Haddad", "Damascus"), ("E2", "Haddad", "Maaloula")])
    pairs = Linker(FIELDS, model=default_model()).link(enquiries, found)
    city = pairs.filter((pl.col("left_id") == "E1") & (pl.col("right_id") == "F0")).row(0, named=True)
    village = pairs.filter((pl.col("left_id") == "E2") & (pl.col("right_id") == "R1")).row(0, named=True)
    assert village["w_birth_place"] > city["w_birth_place"] and village["f_birth_place"] > 0.5
    text = {(a, b): e for a, b, e in explain(pairs).select("left_id", "right_id", "explanation").iter_rows()}
    assert "birth_place" in text["E2", "R1"] and "place less common than most, +" in text["E2", "R1"]


def test_a_frequency_too_small_to_show_is_not_said():
    """Bits that round to 0.0 at one decimal are not announced as a name less or more common than most."""
    pairs = pl.DataFrame({"left_id": ["a", "b", "c"], "right_id": ["x", "y", "z"],
                          "w_mother_name": [3.6, 3.6, 3.6], "f_mother_name": [0.049, 0.0501, -0.26],
                          "l_mother_name": ["same name or variant"] * 3})
    text = explain(pairs)["explanation"].to_list()
    assert text[0] == "mother_name +3.6 (same name or variant)"
    assert text[1] in ("mother_name +3.6 (same name or variant)", "mother_name +3.6 (same name or variant; name less common than most, +0.1)")
    assert text[2] == "mother_name +3.6 (same name or variant; name more common than most, -0.3)"


def test_the_output_tells_name_comparisons_by_the_name_the_engine_gives_them():
    """rfl reads which comparisons compare names off their names (output columns, model files):
    that reading must pick out exactly the comparisons the engine treats as names, with any
    extra compared column (an address is not a name)."""
    comparer = Comparer(Vocab(), FIELDS.exact, (*FIELDS.fuzzy, "address", "last_seen_place"), FIELDS.family_fields)
    engine = {c.name for c in comparer.comparators if c.is_name}
    assert engine and {c.name for c in comparer.comparators if is_name(c.name)} == engine
