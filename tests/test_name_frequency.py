"""How concentrated the generator's given names are (`python -m benchmarks.name_frequency`), and
the concentration issue #9 asks for: a handful of names covering a third or more of Somalis
and Afghans, and concentrated Eritrean and Ethiopian pools."""

import json

import numpy as np
import polars as pl
import pytest

from benchmarks.generate import generate, write_dataset
from benchmarks.generate.pools import population
from benchmarks.name_frequency import main, name_frequency


@pytest.fixture(scope="module")
def dataset():
    return generate(3000, seed=2)


@pytest.fixture(scope="module")
def rows(dataset):
    return {r["population"]: r for r in name_frequency(dataset.people)}


def _top(pool, k: int) -> float:
    return float(np.sort(pool.p)[::-1][:k].sum())


@pytest.mark.parametrize("code, top5", [("SOM", 1 / 3), ("AFG", 1 / 3), ("ERI", 0.25), ("ETH", 0.25)])
def test_pools_put_a_large_share_on_their_commonest_names(code, top5):
    pools = population(code)
    for pool in (pools.male, pools.female):
        assert _top(pool, 5) >= top5
        assert pool.p.min() > 0 and pool.p.max() < 0.5  # every name borne by some, none by half


def test_figures_agree_with_a_direct_count(dataset, rows):
    persons = dataset.people.unique("person_id")
    assert set(rows) == set(persons["population"])
    assert sum(r["persons"] for r in rows.values()) == persons.height
    som = persons.filter(pl.col("population") == "SOM")
    counts = som["given"].value_counts(sort=True)["count"]
    assert rows["SOM"]["top5_share"] == pytest.approx(counts.head(5).sum() / som.height)
    assert rows["SOM"]["distinct_given"] == som["given"].n_unique()
    for r in rows.values():
        assert 0 < r["top5_share"] <= r["top10_share"] <= 1 and len(r["commonest"]) == 5
        assert 0 <= r["shared_chain_share"] <= 1


def test_generated_people_meet_the_issue(rows):
    for code in ("SOM", "AFG"):
        assert rows[code]["top5_share"] >= 1 / 3, code
    for code in ("ERI", "ETH"):
        assert rows[code]["top10_share"] >= 0.3, code
    assert rows["SOM"]["commonest"][0] == "maḥamed" and rows["AFG"]["commonest"][0] == "muḥammad"
    # cousins, siblings and namesakes all exist
    assert sum(r["cousins"] for r in rows.values()) > 100
    assert sum(r["siblings"] for r in rows.values()) > 100 and sum(r["namesakes"] for r in rows.values()) > 50


def test_command_line(dataset, tmp_path, capsys):
    write_dataset(dataset, tmp_path, fmt="parquet")
    assert main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["population", "persons", "given"] and "\nSOM " in out
    assert main([str(tmp_path), "--json"]) == 0
    assert {r["population"] for r in json.loads(capsys.readouterr().out)} >= {"SOM", "AFG", "ERI"}
    assert main([str(tmp_path / "nowhere")]) == 2
    assert "no people.parquet or people.csv" in capsys.readouterr().err
