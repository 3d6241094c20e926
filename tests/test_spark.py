"""`rfl link --engine spark` writes what the local engine writes, on a generated set, with local[2].

One SparkSession serves the whole module (starting one costs seconds): the first test starts
it through the command, later ones find it running.
"""

import json
import os
import shutil

import polars as pl
import pytest

from benchmarks.generate import generate, write_dataset
from rfl.cli import main

if shutil.which("java") is None and not os.environ.get("CI"):  # in CI (.ci/run installs it) a failure
    pytest.skip("no Java runtime on this machine (Spark needs Java 17)", allow_module_level=True)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spark-data")
    dataset = generate(300, seed=11)
    write_dataset(dataset, folder, "parquet")
    return folder


@pytest.fixture(scope="module")
def local(data, tmp_path_factory):
    """The local engine's output and the model it learnt."""
    out = tmp_path_factory.mktemp("local")
    assert main(["link", str(data / "enquiries.parquet"), str(data / "found.parquet"), "-o", str(out / "m.parquet"),
                 "--save-model", str(out / "model.json"), "-q"]) == 0
    return pl.read_parquet(out / "m.parquet"), out / "model.json"


def spark_link(*args: str) -> int:
    return main(["link", *args, "--engine", "spark", "--master", "local[2]", "-q",
                 "--conf", "spark.sql.shuffle.partitions=4"])


def same_output(spark: pl.DataFrame, local: pl.DataFrame) -> None:
    """The same candidate pairs in the same order, probabilities within 1e-6, the rest equal."""
    assert local.height > 300 and (local["decision"] == "match").sum() > 100  # a real test, not empty files
    assert spark.columns == local.columns
    assert spark.select("enquiry_id", "found_id").equals(local.select("enquiry_id", "found_id"))
    assert (spark["probability"] - local["probability"]).abs().max() <= 1e-6
    assert spark.drop("probability").equals(local.drop("probability"))


def test_same_model_same_output(data, local, tmp_path):
    pairs, model = local
    out = tmp_path / "m.csv"
    assert spark_link(str(data / "enquiries.parquet"), str(data / "found.parquet"), "-o", str(out),
                      "--model", str(model)) == 0
    same_output(pl.read_csv(out, schema_overrides=pairs.schema), pairs)


def test_folders_in_and_out_and_the_model_learnt_from_whole_files(data, local, tmp_path):
    """Files this small are learnt from whole on the driver: the local engine's model, so its
    output. Enquiries come as a folder of Parquet parts, the output goes to one."""
    pairs, model = local
    parts = tmp_path / "enquiries"
    parts.mkdir()
    enquiries = pl.read_parquet(data / "enquiries.parquet")
    enquiries.head(100).write_parquet(parts / "part-0.parquet")
    enquiries.slice(100).write_parquet(parts / "part-1.parquet")
    (parts / "_SUCCESS").touch()
    out = tmp_path / "matches"
    assert spark_link(str(parts), str(data / "found.parquet"), "-o", str(out), "--save-model", str(tmp_path / "m.json")) == 0
    written = pl.read_parquet(out / "*.parquet").sort("enquiry_id", "rank")
    same_output(written, pairs)
    learnt, expected = (json.loads(p.read_text()) for p in (tmp_path / "m.json", model))
    for doc in (learnt, expected):
        del doc["training"]["learnt_at"]
    assert learnt == expected


@pytest.mark.parametrize("option, file", [("--labels", "truth.parquet"), ("--report", "report.html")])
def test_what_the_spark_engine_does_not_do_is_refused_before_any_work(data, tmp_path, capsys, option, file):
    code = spark_link(str(data / "enquiries.parquet"), str(data / "found.parquet"), "-o", str(tmp_path / "m.csv"),
                      option, str(data / file))
    assert code == 2 and f"{option}: is not offered with --engine spark" in capsys.readouterr().err
    assert not (tmp_path / "m.csv").exists()


def test_one_file_is_refused(data, tmp_path, capsys):
    assert spark_link(str(data / "found.parquet"), "-o", str(tmp_path / "m.csv")) == 2
    assert "--engine spark links two files" in capsys.readouterr().err


def test_spark_options_need_the_spark_engine(data, tmp_path, capsys):
    code = main(["link", str(data / "enquiries.parquet"), str(data / "found.parquet"), "-o", str(tmp_path / "m.csv"),
                 "--master", "local[2]", "-q"])
    assert code == 2 and "--master: goes with --engine spark" in capsys.readouterr().err


def test_an_existing_output_folder_is_refused(data, tmp_path, capsys):
    (tmp_path / "out").mkdir()
    assert spark_link(str(data / "enquiries.parquet"), str(data / "found.parquet"), "-o", str(tmp_path / "out")) == 2
    assert "exists (a folder of an earlier run, or of one cut short" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["out", "out.csv"])
def test_an_output_that_cannot_be_written_is_refused_before_spark_starts(data, tmp_path, capsys, name):
    (tmp_path / "a-file").write_text("")  # a file where a folder should be: refused even for root
    target = tmp_path / "a-file" / name
    assert spark_link(str(data / "enquiries.parquet"), str(data / "found.parquet"), "-o", str(target)) == 2
    assert capsys.readouterr().err.strip() == f"rfl link: error: {target}: cannot be written (Not a directory)"


def test_the_driver_heap_is_a_third_of_a_containers_memory_limit(tmp_path, monkeypatch):
    from rfl.spark import session

    machine = {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": 64 * 2**30 // 4096}  # a 64 GB machine
    monkeypatch.setattr(session.os, "sysconf", machine.__getitem__)
    assert session.driver_memory(()) == "21g"
    limit = tmp_path / "memory.max"
    limit.write_text(f"{18 * 2**30}\n")  # cgroup v2: an 18 GB container on a larger machine
    assert session.driver_memory((str(limit),)) == "6g"
    limit.write_text(f"{10 * 2**30}\n")
    assert session.driver_memory((str(limit),)) == "4g"  # never below 4 GB...
    limit.write_text(f"{6 * 2**30}\n")
    assert session.driver_memory((str(limit),)) == "3g"  # ...unless that is more than half the container
    limit.write_text("max\n")  # no limit: the machine's memory, as with no cgroup file at all
    assert session.driver_memory((str(limit), str(tmp_path / "absent"))) == session.driver_memory(())
