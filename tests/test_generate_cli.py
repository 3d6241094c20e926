"""`rfl generate` end to end: real CSV and Parquet files, read back and checked; same seed, same
bytes; bad arguments give one line and exit code 2."""

from __future__ import annotations

import hashlib

import polars as pl
import pytest

from benchmarks.generate import cli as generate_cli
from benchmarks.generate import read_dataset
from rfl.cli import main
from rfl.errors import InputError
from rfl.records import read_records

FILES = ("enquiries", "found", "truth", "phenomena", "people")


def _digests(directory, fmt):
    return {name: hashlib.sha256((directory / f"{name}.{fmt}").read_bytes()).hexdigest() for name in FILES}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_writes_files_that_read_back_as_checked_records(tmp_path, fmt, capsys):
    out = tmp_path / fmt
    assert main(["generate", "-o", str(out), "--enquiries", "120", "--found", "200", "--seed", "4",
                 "--format", fmt]) == 0
    assert "wrote 120 enquiries, 200 found records" in capsys.readouterr().err
    for name in FILES:
        assert (out / f"{name}.{fmt}").is_file()
    assert read_records(out / f"enquiries.{fmt}").height == 120
    ds = read_dataset(out)
    assert (ds.enquiries.height, ds.found.height) == (120, 200)
    assert ds.truth.height > 50
    assert set(ds.truth["enquiry_id"].to_list()) <= set(ds.enquiries["record_id"].to_list())
    assert set(ds.truth["found_id"].to_list()) <= set(ds.found["record_id"].to_list())
    assert set(ds.phenomena["side"].unique().to_list()) == {"enquiry", "found"}
    assert ds.people is not None and ds.people.height == 320


def test_csv_and_parquet_hold_the_same_data(tmp_path):
    for fmt in ("csv", "parquet"):
        assert main(["generate", "-q", "-o", str(tmp_path / fmt), "--enquiries", "100", "--seed", "8",
                     "--format", fmt]) == 0
    a, b = read_dataset(tmp_path / "csv"), read_dataset(tmp_path / "parquet")
    for table in ("enquiries", "found", "truth", "phenomena"):
        assert getattr(a, table).equals(getattr(b, table)), table


def test_found_defaults_to_twice_the_enquiries(tmp_path):
    assert main(["generate", "-q", "-o", str(tmp_path), "--enquiries", "60"]) == 0
    assert read_dataset(tmp_path).found.height == 120


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_seed_same_bytes_other_seed_other_data(tmp_path, fmt):
    runs = {}
    for name, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        assert main(["generate", "-q", "-o", str(tmp_path / name), "--enquiries", "150", "--seed", seed,
                     "--format", fmt]) == 0
        runs[name] = _digests(tmp_path / name, fmt)
    assert runs["a"] == runs["b"]
    assert runs["a"]["enquiries"] != runs["c"]["enquiries"]


def test_rates_change_the_data(tmp_path):
    assert main(["generate", "-q", "-o", str(tmp_path), "--enquiries", "200", "--rate", "upper_case=1",
                 "--rate", "script_in_name_fields=0"]) == 0
    names = read_dataset(tmp_path).enquiries["given_names"].drop_nulls()
    assert (names == names.str.to_uppercase()).all()


def test_progress_on_big_runs_unless_quiet(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(generate_cli, "_CHATTY", 10)
    assert main(["generate", "-o", str(tmp_path / "a"), "--enquiries", "20"]) == 0
    err = capsys.readouterr().err
    assert "sampling people" in err and "writing csv files" in err
    assert main(["generate", "-q", "-o", str(tmp_path / "b"), "--enquiries", "20"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("args, fragment", [
    (["--rate", "no_such_rate=0.1"], "unknown rate 'no_such_rate'"),
    (["--rate", "typo=lots"], "rate typo needs a number"),
    (["--rate", "typo=1.5"], "rate typo must be between 0 and 1"),
    (["--rate", "typo"], "expected NAME=VALUE"),
])
def test_bad_rates_give_one_line_and_exit_2(tmp_path, capsys, args, fragment):
    assert main(["generate", "-o", str(tmp_path / "out"), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err and err.startswith("rfl generate: error:")
    assert not (tmp_path / "out" / "enquiries.csv").exists()


@pytest.mark.parametrize("args, fragment", [
    (["--enquiries", "-5"], "argument --enquiries: -5 is less than 1; give 1 or more"),
    (["--enquiries", "10", "--found", "0"], "argument --found: 0 is less than 1; give 1 or more"),
    (["--enquiries", "many"], "argument --enquiries: 'many' is not a whole number"),
    (["--seed", "1.5"], "argument --seed: '1.5' is not a whole number"),
    (["--seed", "-1"], "argument --seed: -1 is less than 0; give 0 or more"),  # a numpy traceback once
])
def test_bad_numbers_are_refused_by_their_option_and_exit_2(tmp_path, capsys, args, fragment):
    with pytest.raises(SystemExit) as exit_:
        main(["generate", "-o", str(tmp_path / "out"), *args])
    assert exit_.value.code == 2
    assert f"rfl generate: error: {fragment}\n" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_unwritable_output_directory_is_refused_before_any_work(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    assert main(["generate", "-o", str(blocker / "out"), "--enquiries", "10"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write here" in err and str(blocker) in err


def test_a_folder_of_real_files_is_not_written_over_and_a_generated_set_is(tmp_path, capsys):
    """An existing enquiries.csv with no truth file beside it was once replaced without a word."""
    real = tmp_path / "society"
    real.mkdir()
    (real / "found.parquet").write_bytes(b"a society's records")
    assert main(["generate", "-o", str(real), "--enquiries", "5", "-q"]) == 2
    assert capsys.readouterr().err.strip() == (f"rfl generate: error: {real / 'found.parquet'}: is already there and "
                                               "was not written by rfl generate (no truth file beside it); give a new folder")
    assert (real / "found.parquet").read_bytes() == b"a society's records" and not (real / "enquiries.csv").exists()
    again = tmp_path / "generated"
    assert main(["generate", "-o", str(again), "--enquiries", "5", "-q"]) == 0
    assert main(["generate", "-o", str(again), "--enquiries", "6", "-q"]) == 0  # its own set, written anew
    assert read_dataset(again).enquiries.height == 6


def test_reading_a_broken_data_set_names_the_file_and_problem(tmp_path):
    assert main(["generate", "-q", "-o", str(tmp_path), "--enquiries", "30"]) == 0
    with pytest.raises(InputError, match="no enquiries.csv or enquiries.parquet"):
        read_dataset(tmp_path / "elsewhere")
    truth = pl.read_csv(tmp_path / "truth.csv")
    truth.with_columns(pl.lit("E999999").alias("enquiry_id")).write_csv(tmp_path / "truth.csv")
    with pytest.raises(InputError, match=r"truth.csv, line 2, column enquiry_id: names a record that is not"):
        read_dataset(tmp_path)
    (tmp_path / "found.csv").write_bytes(b"record_id,society\nF1,DEU\nF1,FRA\n")
    with pytest.raises(InputError, match=r"found.csv, line 3, column record_id"):
        read_dataset(tmp_path)
