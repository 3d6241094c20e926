"""Per-population figures in `rfl bench` and the blocking report before and after the per-record cut."""

import json

import polars as pl
import pytest

from benchmarks.blocking_report import blocking_report, check_consistent
from benchmarks.datasets import from_generated, generated
from benchmarks.generate import generate
from benchmarks.linkers import BaselineLinker
from benchmarks.metrics import by_group, calibration_chance, calibration_gap, evaluate
from rfl.cli import main

SUMMED = ("left_records", "true_pairs", "candidate_pairs", "predicted_matches", "true_positives")


@pytest.fixture(scope="module")
def dataset():
    return generate(300, seed=4)


@pytest.fixture(scope="module")
def data(dataset):
    return from_generated("g", dataset)


def _sums_match(rows: list[dict], total: dict, n_left: int) -> None:
    assert sum(r["left_records"] for r in rows) == n_left
    for key in SUMMED[1:]:
        assert sum(r[key] for r in rows) == total[key], key


def test_populations_come_from_the_people_of_the_enquiry_side(dataset, data):
    assert data.groups.height == data.left.height
    people = dataset.people.filter(pl.col("side") == "enquiry")
    assert set(data.groups["population"]) == set(people["population"])
    # the sample keeps only its own left records' populations
    part = data.sample(100, seed=2)
    assert part.groups.height == 100 and set(part.groups["record_id"]) == set(part.left["record_id"])


def test_per_population_figures_add_up_to_the_totals(data):
    result = BaselineLinker().link(data.left, data.right)
    total = evaluate(result.pairs, result.threshold, data.truth, data.left.height, data.right.height)
    rows = by_group(result.pairs, result.threshold, data.truth, data.groups_frame(), data.right.height)
    assert [r["population"] for r in rows] == sorted(r["population"] for r in rows)
    _sums_match(rows, total, data.left.height)
    for r in rows:
        assert sum(c["pairs"] for c in r["calibration"]) == r["candidate_pairs"]
        assert r["true_positives"] <= r["predicted_matches"] and r["true_positives"] <= r["true_pairs"]
        if r["true_pairs"]:
            assert r["recall"] == pytest.approx(r["true_positives"] / r["true_pairs"])
            assert r["recall"] <= r["pairs_completeness"] and r["recall"] <= r["recall_at_5"] + 1e-9


def test_per_population_figures_in_deduplication():
    data = generated(300, seed=4, duplicates=True)
    assert data.dedupe and data.groups.height == data.left.height
    result = BaselineLinker().link(data.left, None)
    total = evaluate(result.pairs, result.threshold, data.truth, data.left.height, None)
    rows = by_group(result.pairs, result.threshold, data.truth, data.groups_frame(), None)
    _sums_match(rows, total, data.left.height)


def test_blocking_report_is_consistent_and_matches_the_linker(data):
    from benchmarks.engine import RflLinker

    report = blocking_report(data, slice_size=70)  # several slices, one of them short
    check_consistent(report)
    assert report["true_pairs"] == data.truth.height
    assert report["pc_kept"] <= report["pc_reached"] <= 1
    # the cut keeps exactly the pairs the linker scores: same candidates, population by population
    linked = RflLinker().link(data.left, data.right)
    rows = by_group(linked.pairs, linked.threshold, data.truth, data.groups_frame(), data.right.height)
    assert {r["population"]: r["candidate_pairs"] for r in rows} == \
        {r["population"]: r["candidates_kept"] for r in report["by_population"]}
    total = evaluate(linked.pairs, linked.threshold, data.truth, data.left.height, data.right.height)
    assert report["pc_kept"] == pytest.approx(total["pairs_completeness"])
    # a tighter cut keeps fewer pairs, and no more of the true ones
    tight = blocking_report(data, per_record=3)
    check_consistent(tight)
    assert tight["candidates_reached"] == report["candidates_reached"]
    assert tight["candidates_kept"] < report["candidates_kept"] and tight["pc_kept"] <= report["pc_kept"]


def test_blocking_report_without_populations(data):
    from dataclasses import replace

    report = blocking_report(replace(data, groups=None))
    assert report["by_population"] is None and report["true_pairs"] == data.truth.height


def test_bench_prints_population_and_blocking_tables(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["bench", "--generate", "250", "--seed", "2", "--linker", "rfl", "--blocking",
                 "-q", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "per population, rfl" in printed and "blocking, rfl" in printed
    report = json.loads(out.read_text())
    assert report["command"].endswith("--linker rfl --blocking")
    (result,) = report["results"]
    rows, block = result["by_population"], result["blocking"]
    _sums_match(rows, result, 250)
    check_consistent(block)
    populations = [r["population"] for r in rows]
    assert populations == [r["population"] for r in block["by_population"]]
    table = printed.split("per population, rfl")[1].split("blocking, rfl")[0]
    for name in populations:
        assert f"\n{name} " in table
    assert "\nall " in table
    stages = result["stage_seconds"]  # where the time went, stage by stage, in the order run
    assert list(stages) == ["preparing records", "blocking", "comparing pairs", "weighing decoy enquiries",
                            "learning the model"]
    assert all(seconds >= 0 for seconds in stages.values()) and sum(stages.values()) <= result["seconds"] + 0.2
    assert "rfl by stage (the last runs to the end: learning, scoring, output): preparing records" in printed
    calibrated = printed.split("calibration per population, rfl")[1]
    for row in [*rows, {**result, "population": "all"}]:  # each population's worst gap, as computed
        line = next(x for x in calibrated.splitlines() if x.startswith(row["population"] + " "))
        gap, chance = calibration_gap(row["calibration"]), calibration_chance(row["calibration"])
        assert line.split()[-2:] == ["-" if x is None else f"{x:.3f}" for x in (gap, chance)]


def test_febrl_has_no_population_table(capsys, tmp_path):
    out = tmp_path / "bench.json"
    assert main(["bench", "--febrl", "4", "--sample", "100", "--linker", "baseline", "-q", "--json", str(out)]) == 0
    assert "per population" not in capsys.readouterr().out
    assert "by_population" not in json.loads(out.read_text())["results"][0]


def test_blocking_needs_the_rfl_linker(capsys):
    assert main(["bench", "--generate", "50", "--linker", "baseline", "--blocking", "-q"]) == 2
    assert "--blocking: reports the rfl engine's blocking" in capsys.readouterr().err
