"""`rfl bench` end to end through the CLI: real FEBRL data, subprocess linkers, JSON, exit codes."""

import json

import polars as pl
import pytest

from benchmarks import linkers
from benchmarks.datasets import febrl
from benchmarks.linkers import BaselineLinker, LinkerSpec, LinkResult
from benchmarks.metrics import evaluate
from rfl.cli import main


class Exploding:
    """A linker that fails the way outside code does, quoting record content in its message."""

    name = "exploding"

    def link(self, left, right):
        raise ValueError(f"cannot handle {left['given_names'][0]}")


class Hungry:
    """Holds 300 MB for a moment, then links nothing."""

    name = "hungry"

    def link(self, left, right):
        import numpy as np

        block = np.ones(300 * 2**20, dtype=np.uint8)  # written, so resident
        assert block.sum() > 0
        return LinkResult(pl.DataFrame(schema=linkers.PAIR_SCHEMA), 0.5)


@pytest.fixture(scope="module")
def febrl4_sample():
    return febrl(4).sample(200, seed=3)


def test_febrl4_with_baseline_table_and_json(tmp_path, capsys):
    out = tmp_path / "figures" / "bench.json"
    code = main(["bench", "--febrl", "4", "--sample", "200", "--seed", "3", "--linker", "baseline",
                 "--json", str(out)])
    assert code == 0
    printed = capsys.readouterr()
    assert "FEBRL4 (sample 200): link, 200 x 200 records, 200 true pairs" in printed.out
    assert printed.out.splitlines()[2].split()[:3] == ["linker", "candidates", "PC"]
    assert "running baseline" in printed.err  # progress on stderr, not mixed into the table

    report = json.loads(out.read_text())
    assert report["command"] == "rfl bench --febrl 4 --sample 200 --seed 3 --linker baseline"
    assert report["machine"]["cpus"] >= 1 and report["data"]["true_pairs"] == 200
    (result,) = report["results"]
    # the figures are the metrics of the baseline's own output on the same sample
    data = febrl(4).sample(200, seed=3)
    direct = BaselineLinker().link(data.left, data.right)
    expected = evaluate(direct.pairs, direct.threshold, data.truth, 200, 200)
    for key in ("candidate_pairs", "pairs_completeness", "precision", "recall", "f1", "best_f1", "recall_at_5"):
        assert result[key] == pytest.approx(expected[key])
    assert 0 < result["recall"] < 1 and result["precision"] > 0.9  # exact names miss FEBRL's typos
    assert result["seconds"] >= 0 and result["peak_rss_mb"] >= result["rss_before_link_mb"] > 0


def test_quiet_output_names_no_person(febrl4_sample, capsys):
    assert main(["bench", "--febrl", "4", "--sample", "200", "--seed", "3", "--linker", "baseline", "-q"]) == 0
    printed = capsys.readouterr()
    assert printed.err == ""
    words = set(printed.out.lower().split())
    names = set(febrl4_sample.left["given_names"].drop_nulls()) | set(febrl4_sample.left["family_name"].drop_nulls())
    assert not words & {n.lower() for n in names}


def test_dedupe_set_runs(capsys):
    assert main(["bench", "--febrl", "1", "--sample", "300", "--linker", "baseline", "-q"]) == 0
    out = capsys.readouterr().out
    assert "FEBRL1 (sample 300): dedupe, 300 records" in out and "baseline" in out


def test_failing_linker_is_reported_without_its_message_and_others_still_run(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(linkers.REGISTRY, "exploding",
                        LinkerSpec("exploding", f"{__name__}:Exploding", "fails on purpose"))
    out = tmp_path / "bench.json"
    code = main(["bench", "--febrl", "4", "--sample", "50", "--linker", "exploding", "--linker", "baseline",
                 "-q", "--json", str(out)])
    assert code == 1
    printed = capsys.readouterr().out
    assert "exploding: failed, ValueError at test_bench_runner.py:" in printed
    assert "cannot handle" not in printed and "cannot handle" not in out.read_text()
    results = json.loads(out.read_text())["results"]
    assert [r["linker"] for r in results] == ["exploding", "baseline"] and "f1" in results[1]


def test_each_linker_has_its_own_peak_memory(monkeypatch, tmp_path):
    monkeypatch.setitem(linkers.REGISTRY, "hungry", LinkerSpec("hungry", f"{__name__}:Hungry", "uses memory"))
    out = tmp_path / "bench.json"
    assert main(["bench", "--febrl", "4", "--sample", "50", "--linker", "hungry", "baseline",
                 "-q", "--json", str(out)]) == 0
    hungry, baseline = json.loads(out.read_text())["results"]
    assert hungry["peak_rss_mb"] - hungry["rss_before_link_mb"] >= 290
    # the next linker's process starts clean: the first one's 300 MB do not show up in its figure
    assert baseline["peak_rss_mb"] < hungry["peak_rss_mb"] - 250


def test_missing_peer_is_skipped_not_fatal(monkeypatch, capsys):
    monkeypatch.setitem(linkers.REGISTRY, "splink",
                        LinkerSpec("splink", "nowhere:Nothing", "absent", requires=("no_such_module_xyz",)))
    assert main(["bench", "--febrl", "4", "--sample", "50", "--linker", "splink", "--linker", "baseline", "-q"]) == 0
    assert "splink: skipped, not installed: no_such_module_xyz" in capsys.readouterr().out


def test_linker_results_must_be_pairs_of_the_inputs():
    data = febrl(4).sample(50, seed=1)
    result = BaselineLinker().link(data.left, data.right)
    assert isinstance(result, LinkResult) and result.pairs.schema == pl.Schema(linkers.PAIR_SCHEMA)
    assert set(result.pairs["left_id"]) <= set(data.left["record_id"])
    assert set(result.pairs["right_id"]) <= set(data.right["record_id"])


@pytest.mark.parametrize("argv, problem", [
    (["bench", "/no/such/dir"], "/no/such/dir: no such directory"),
    (["bench", "--febrl", "4", "--linker", "baseline", "--json", "/proc/forbidden/out.json", "-q"], "/proc/forbidden/out.json: cannot be written"),
    (["bench", "--febrl", "4", "--sample", "0"], "--sample: needs a positive number of records"),
])
def test_bad_input_exits_2_with_one_line(argv, problem, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"rfl bench: error: {problem}" or err[-1].startswith(f"rfl bench: error: {problem}")
    assert not [line for line in err if line.startswith("rfl bench: error") and line != err[-1]]


@pytest.fixture(scope="module")
def generated_dir(tmp_path_factory):
    from benchmarks.generate import generate, write_dataset

    folder = tmp_path_factory.mktemp("generated")
    write_dataset(generate(120, seed=5), folder)
    return folder


def test_generated_directory_with_baseline(generated_dir, tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert main(["bench", str(generated_dir), "--linker", "baseline", "-q", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    truth = pl.read_csv(generated_dir / "truth.csv")
    assert report["data"] == {"name": generated_dir.name, "mode": "link", "left_records": 120,
                              "right_records": 240, "true_pairs": truth.height}
    (result,) = report["results"]
    assert result["true_pairs"] == truth.height and result["candidate_pairs"] >= result["true_positives"]
    assert f"{generated_dir.name}: link, 120 x 240 records" in capsys.readouterr().out


def test_generate_in_memory_matches_the_same_seed_on_disk(generated_dir, tmp_path):
    out = tmp_path / "bench.json"
    assert main(["bench", "--generate", "120", "--seed", "5", "--linker", "baseline", "-q", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["command"] == "rfl bench --generate 120 --seed 5 --linker baseline"
    assert report["data"]["true_pairs"] == pl.read_csv(generated_dir / "truth.csv").height


def test_duplicates_deduplicates_the_found_records_of_a_directory(generated_dir, tmp_path):
    out = tmp_path / "bench.json"
    assert main(["bench", str(generated_dir), "--duplicates", "--linker", "baseline", "-q", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    people = pl.read_csv(generated_dir / "people.csv").filter(pl.col("side") == "found")
    twice = people.group_by("person_id").len().filter(pl.col("len") > 1)
    expected = int((twice["len"] * (twice["len"] - 1) // 2).sum())
    assert report["data"]["mode"] == "dedupe" and report["data"]["left_records"] == 240
    assert report["data"]["true_pairs"] == expected > 0
    assert report["command"].endswith("--duplicates --linker baseline")


def test_duplicates_of_febrl_is_refused(capsys):
    assert main(["bench", "--febrl", "1", "--duplicates", "-q"]) == 2
    assert "--duplicates: needs generated data" in capsys.readouterr().err


def _broken_copy(generated_dir, tmp_path, name, change):
    import shutil

    folder = tmp_path / "broken"
    shutil.copytree(generated_dir, folder)
    path = folder / name
    if change is None:
        path.unlink()
    else:
        path.write_bytes(change(path.read_bytes()))
    return folder, path


@pytest.mark.parametrize("name, change, problem", [
    ("found.csv", None, "no such file"),
    ("enquiries.csv", lambda b: b.replace(b"record_id,society", b"id,society", 1),
     "missing required column(s): record_id"),
    ("found.csv", lambda b: b + b"F999999,DEU,Caf\xe9\n", "is not valid UTF-8"),
    ("truth.csv", lambda b: b.replace(b"enquiry_id", b"enquiry", 1), "missing required column(s): enquiry_id"),
])
def test_bad_generated_files_exit_2_naming_the_file(generated_dir, tmp_path, capsys, name, change, problem):
    folder, path = _broken_copy(generated_dir, tmp_path, name, change)
    assert main(["bench", str(folder), "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"rfl bench: error: {path}") and problem in err[0]


def test_directory_without_the_expected_files_exits_2(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("not a data set\n")
    assert main(["bench", str(tmp_path), "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"rfl bench: error: {tmp_path}") and "enquiries.csv" in err[0]


def test_sample_keeps_partners_and_the_share_of_unmatched_records(generated_dir):
    from benchmarks.datasets import from_directory

    full = from_directory(generated_dir)
    part = full.sample(60, seed=1)
    assert part.left.height == 60 and set(part.truth["left_id"]) <= set(part.left["record_id"])
    assert part.truth.height == full.truth.join(part.left.select(pl.col("record_id").alias("left_id")),
                                                on="left_id", how="semi").height
    assert set(part.truth["right_id"]) <= set(part.right["record_id"])

    def unmatched(data):
        return 1 - data.right["record_id"].is_in(data.truth["right_id"].implode()).mean()

    assert abs(unmatched(part) - unmatched(full)) < 0.1


def test_compare_keeps_only_the_named_extra_columns(tmp_path):
    data = febrl(4).sample(100, seed=3)
    assert "soc_sec_id" in data.extra_columns() and "suburb" in data.extra_columns()
    sparse = data.comparing(["suburb"])
    assert sparse.extra_columns() == ["suburb"] and sparse.right.columns == [
        c for c in data.right.columns if c not in set(data.extra_columns()) - {"suburb"}]
    assert sparse.truth.equals(data.truth) and data.comparing([]).extra_columns() == []
    out = tmp_path / "bench.json"
    assert main(["bench", "--febrl", "4", "--sample", "100", "--compare", "suburb", "--linker", "baseline",
                 "-q", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["data"]["name"] == "FEBRL4 comparing suburb (sample 100)"
    assert "--compare suburb" in report["command"]


def test_compare_with_a_column_the_data_lacks_exits_2(capsys):
    assert main(["bench", "--febrl", "4", "--compare", "passport", "--linker", "baseline", "-q"]) == 2
    assert "--compare" in capsys.readouterr().err
