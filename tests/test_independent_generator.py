"""The independent generator (benchmarks/independent): deterministic, valid interchange records,
a truth that agrees with who is behind each record, files `rfl bench` reads, and a command line
that refuses bad arguments in one line with exit code 2."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from benchmarks.datasets import from_directory
from benchmarks.independent import generate, write
from rfl.records import check_records

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("enquiries", "found", "truth", "phenomena", "people")
POPULATIONS = {"Syrian", "Iraqi", "Libyan", "Sudanese", "Afghan", "Somali", "Eritrean", "Ethiopian",
               "Ukrainian", "Russian"}


@pytest.fixture(scope="module")
def tables():
    return generate(300, 900, seed=5)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "benchmarks.independent", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_same_seed_same_tables_other_seed_other_tables(tables):
    again = generate(300, 900, seed=5)
    other = generate(300, 900, seed=6)
    for name in TABLES:
        assert tables[name].equals(again[name]), name
    assert not tables["enquiries"].equals(other["enquiries"])
    assert not tables["found"].equals(other["found"])


def test_what_is_generated_does_not_change():
    # Digests of the set the original script (gen.py, before it became this package) wrote for
    # --enquiries 40 --found 120 --seed 3: the measured independent sets must stay reproducible.
    want = {"enquiries": "c61b0e39be263cf5", "found": "e47d2200db5881c2", "truth": "03927a9663f15c65",
            "phenomena": "21ae4414b322d89c", "people": "6cb66dd4d6ec26de"}
    got = {name: hashlib.sha256(frame.write_csv().encode()).hexdigest()[:16]
           for name, frame in generate(40, 120, seed=3).items()}
    assert got == want


def test_sizes_are_as_asked_and_found_defaults_to_four_times(tables):
    assert (tables["enquiries"].height, tables["found"].height) == (300, 900)
    assert generate(25, seed=1)["found"].height == 100
    with pytest.raises(ValueError):
        generate(0)


@pytest.mark.parametrize("side", ["enquiries", "found"])
def test_records_pass_the_interchange_check(tables, side):
    frame = tables[side]
    checked = check_records(frame, f"{side}.parquet")
    assert checked.height == frame.height
    assert frame["record_id"].is_unique().all()
    # names in several scripts, as the generator promises
    names = " ".join(frame["given_names"].drop_nulls().to_list())
    assert any("\u0600" <= ch <= "\u06ff" for ch in names), "no Arabic or Persian script"
    assert any("\u0400" <= ch <= "\u04ff" for ch in names), "no Cyrillic"


def test_every_truth_id_exists_on_its_side(tables):
    truth = tables["truth"]
    assert truth.height > 50
    assert set(truth["enquiry_id"]) <= set(tables["enquiries"]["record_id"])
    assert set(truth["found_id"]) <= set(tables["found"]["record_id"])
    assert truth.is_duplicated().sum() == 0


def test_people_has_one_row_per_record_and_truth_is_exactly_the_shared_persons(tables):
    people = tables["people"]
    records = pl.concat([tables["enquiries"].select("record_id", side=pl.lit("enquiry")),
                         tables["found"].select("record_id", side=pl.lit("found"))])
    assert people.height == records.height
    assert people.select("record_id", "side").sort("record_id").equals(records.sort("record_id"))
    e = people.filter(pl.col("side") == "enquiry").select(pl.col("record_id").alias("enquiry_id"), "person_id")
    f = people.filter(pl.col("side") == "found").select(pl.col("record_id").alias("found_id"), "person_id")
    same_person = e.join(f, on="person_id").select("enquiry_id", "found_id").sort("enquiry_id", "found_id")
    assert same_person.equals(tables["truth"].sort("enquiry_id", "found_id"))
    # decoys are found records of other people, each naming the person it resembles
    decoys = people.filter(pl.col("relation") != "")
    assert set(decoys["relation"]) <= {"sibling", "cousin", "namesake", "parent", "child"}
    assert decoys.height > 0 and (decoys["side"] == "found").all()
    assert (decoys["decoy_of"] != decoys["person_id"]).all()
    assert set(decoys["decoy_of"]) <= set(e["person_id"])


def test_all_populations_are_present(tables):
    assert set(tables["people"]["population"]) == POPULATIONS
    sought = set(tables["people"].filter(pl.col("side") == "enquiry")["population"])
    assert len(sought) >= 8


def test_phenomena_name_existing_records(tables):
    phen = tables["phenomena"]
    ids = set(tables["enquiries"]["record_id"]) | set(tables["found"]["record_id"])
    assert set(phen["record_id"]) <= ids
    assert {"script_arabic", "script_cyrillic", "typo", "duplicate_registration"} <= set(phen["phenomenon"])


def test_command_line_writes_what_generate_gives_and_rfl_bench_reads_it(tmp_path):
    out = tmp_path / "indep"
    done = _cli(str(out), "--enquiries", "60", "--seed", "2")
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stderr and done.stdout == ""
    expected = generate(60, seed=2)
    for name in TABLES:
        assert pl.read_parquet(out / f"{name}.parquet").equals(expected[name]), name
    data = from_directory(out)
    assert (data.left.height, data.right.height) == (60, 240)
    assert data.truth.height == expected["truth"].height > 0
    assert data.groups is not None and set(data.groups["population"]) <= POPULATIONS


def test_quiet_writes_nothing_on_stderr(tmp_path):
    done = _cli(str(tmp_path), "--enquiries", "5", "--found", "5", "-q")
    assert done.returncode == 0 and done.stderr == ""
    assert (tmp_path / "people.parquet").is_file()


def test_write_then_read_gives_the_same_tables(tmp_path, tables):
    write(tables, tmp_path)
    for name in TABLES:
        assert pl.read_parquet(tmp_path / f"{name}.parquet").equals(tables[name]), name


@pytest.mark.parametrize("args, named", [
    (["--enquiries", "0"], "--enquiries"),
    (["--enquiries", "-5"], "--enquiries"),
    (["--found", "0"], "--found"),
    (["--found", "many"], "--found"),
    (["--seed", "x"], "--seed"),
])
def test_bad_sizes_and_seed_exit_2_naming_the_argument(tmp_path, args, named):
    out = tmp_path / "never"
    done = _cli(str(out), *args)
    assert done.returncode == 2
    assert f"argument {named}:" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_unwritable_outdir_exits_2_naming_it(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = _cli(str(blocker / "out"), "--enquiries", "5")
    assert done.returncode == 2
    assert "argument OUTDIR:" in done.stderr and str(blocker / "out") in done.stderr
    assert "Traceback" not in done.stderr
