"""Reading interchange files: every format, and a one-line error naming file, row and column."""

import pytest

from rfl.errors import InputError
from rfl.records import AGE_RANGE_RULE, read_records, write_table

HEADER = "record_id,society,given_names,family_name,birth_date,sex\n"


def write(tmp_path, text: str | bytes, name: str = "in.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def error(path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_records(path)
    return caught.value


def test_reads_csv_as_text_with_blanks_as_null(tmp_path):
    df = read_records(write(tmp_path, HEADER + "1,DEU,Ahmed,Ali,1990-01,M\n2,FRA,,Ali,,\n"))
    assert df["birth_date"].to_list() == ["1990-01", None]  # a partial date stays as written
    assert df["given_names"].to_list() == ["Ahmed", None]
    assert "location" in df.columns  # absent schema columns are present and empty


def test_a_code_with_spaces_around_it_is_read_as_the_code(tmp_path):
    """" SOM " passes the check as SOM, so every rule reads SOM: the Somali name chain (and the
    code of conduct's statuses) must not see a different value than the check did."""
    from rfl.schema import with_domain_flags

    df = read_records(write(tmp_path, "record_id,society,given_names,nationality,sex,status\n"
                                      '1, DEU ,Cali," SOM ", F ," deceased"\n2,DEU,Cali,SOM,F,deceased\n'))
    assert df.select("society", "nationality", "sex", "status").rows() == [("DEU", "SOM", "F", "deceased")] * 2
    assert with_domain_flags(df)["_name_chain"].to_list() == ["true", "true"]
    assert df["given_names"].to_list() == ["Cali", "Cali"]  # names are not codes: kept as written


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_same_records_in_every_format(tmp_path, suffix):
    csv = read_records(write(tmp_path, HEADER + "1,DEU,Ахмед,Алі,1990,M\n"))
    path = tmp_path / f"in{suffix}"
    write_table(csv, path)
    assert read_records(path).select(csv.columns).equals(csv)


def test_a_byte_order_mark_is_no_reason_to_refuse_json_lines_as_it_is_none_for_csv(tmp_path):
    """Notepad saves UTF-8 with a byte-order mark; the CSV reader skipped it, JSON Lines read
    line 1 as not JSON."""
    csv = read_records(write(tmp_path, "\ufeff" + HEADER + "1,DEU,Ахмед,Алі,1990,M\n"))
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + csv.write_ndjson().encode())
    assert read_records(path).select(csv.columns).equals(csv)


@pytest.mark.parametrize("content, problem, row, column", [
    ("given_names\nAhmed\n", "missing required column(s): record_id, society", None, None),
    (HEADER + "1,DEU,A,B,1990,M\n1,DEU,C,D,1991,F\n", "record_id repeats an earlier row", 2, "record_id"),
    (HEADER + "1,DEU,A,B,1990,M\n2,,C,D,1991,F\n", "is empty but required", 2, "society"),
    (HEADER + "1,DEU,A,B,1990,M\n2,DEU,C,D,17/03/1991,F\n", "must be YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1985-03-12)", 2, "birth_date"),
    (HEADER + "1,DEU,A,B,1990-13-01,M\n", "must be YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1985-03-12)", 1, "birth_date"),
    (HEADER + "1,DEU,A,B,1990,male\n", "must be M, F or X", 1, "sex"),
    (HEADER + "1,Germany,A,B,1990,M\n", "must be an ISO 3166-1 alpha-3 code in capitals (e.g. DEU) or ICRC", 1, "society"),
    (HEADER + "1,DEU,A,B,١٩٩٠,M\n", "must be YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1985-03-12)", 1, "birth_date"),  # digits are ASCII
    (HEADER + "1,DEU,A,B,𝟏𝟗𝟗𝟎-01,M\n", "must be YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1985-03-12)", 1, "birth_date"),
    ("record_id,society,age\n1,DEU,40-45\n2,DEU,45-40\n", AGE_RANGE_RULE, 2, "age"),  # as the service refuses it
])
def test_bad_content_is_located(tmp_path, content, problem, row, column):
    err = error(write(tmp_path, content))
    assert (err.problem, err.row, err.column) == (problem, row, column)
    assert str(err).startswith(str(tmp_path / "in.csv"))
    assert "\n" not in str(err)


def test_error_never_quotes_the_bad_value(tmp_path):
    err = error(write(tmp_path, HEADER + "1,DEU,Secret,Name,born in Aleppo,M\n"))
    assert "Aleppo" not in str(err) and "Secret" not in str(err)


def test_non_utf8_names_the_line(tmp_path):
    err = error(write(tmp_path, HEADER.encode() + b"1,DEU,Ahmed,Al\xe9,1990,M\n"))
    assert str(err).endswith("in.csv, line 2: is not valid UTF-8; save the file as UTF-8 (in a spreadsheet: "
                             "Save As, CSV UTF-8) and try again")


@pytest.mark.parametrize("name, content, problem", [
    ("missing.csv", None, "no such file"),
    ("in.txt", "x", "unknown file type .txt"),
    ("empty.csv", "", "file is empty"),
    ("empty.parquet", "", "file is empty"),
    ("empty.jsonl", "", "file is empty"),
    ("broken.parquet", "not parquet", "cannot be read as parquet"),
    ("broken.jsonl", "{not json", "line 1: is not valid JSON"),
    ("space.jsonl", '{"record_id": "1"}\n\u00a0\n', "line 2: is not valid JSON"),  # no blank line to polars
])
def test_unreadable_files(tmp_path, name, content, problem):
    path = tmp_path / name if content is None else write(tmp_path, content, name)
    assert problem in str(error(path))


def test_damaged_parquet_files_are_input_errors_never_a_panic(tmp_path):
    """polars panics on some damaged Parquet files (a BaseException): rfl link says which file."""
    from damaged import damaged_parquet

    for n, data in enumerate(damaged_parquet()):
        path = write(tmp_path, data, f"in{n}.parquet")
        try:
            read_records(path)
        except InputError as err:
            assert str(err).startswith(str(path))


def test_an_output_is_written_whole_or_not_at_all_by_each_run(tmp_path):
    from rfl.records import atomic_file

    out = tmp_path / "out.csv"
    out.write_text("the last run's output\n")
    with pytest.raises(RuntimeError):
        with atomic_file(out) as tmp:
            tmp.write_text("half")
            raise RuntimeError("killed")
    assert out.read_text() == "the last run's output\n" and list(tmp_path.iterdir()) == [out]
    # two runs at once write to files of their own; the last to finish wins whole
    with atomic_file(out) as first, atomic_file(out) as second:
        assert first != second and first.parent == out.parent
        first.write_text("first\n")
        second.write_text("second\n")
    assert out.read_text() == "first\n" and list(tmp_path.iterdir()) == [out]
    assert out.stat().st_mode & 0o077 == 0  # records of people: readable by their owner only


def test_outputs_written_together_land_together_or_not_at_all(tmp_path):
    """A run writes its pairs, then its report and model: stopped in between, it must not leave
    new pairs beside an earlier run's model. Within `together`, none moves into place until all
    are written."""
    from rfl.records import atomic_file, together

    pairs, model = tmp_path / "pairs.csv", tmp_path / "model.json"
    pairs.write_text("old pairs\n")
    model.write_text("old model\n")
    with pytest.raises(RuntimeError):
        with together():
            with atomic_file(pairs) as tmp:
                tmp.write_text("new pairs\n")
            assert pairs.read_text() == "old pairs\n"  # held back while the block runs
            with atomic_file(model) as tmp:
                raise RuntimeError("killed while writing the model")
    assert pairs.read_text() == "old pairs\n" and model.read_text() == "old model\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "pairs.csv"]  # no temporary left
    with together():
        with atomic_file(pairs) as tmp:
            tmp.write_text("new pairs\n")
        with atomic_file(model) as tmp:
            tmp.write_text("new model\n")
    assert pairs.read_text() == "new pairs\n" and model.read_text() == "new model\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "pairs.csv"]
    with atomic_file(pairs) as tmp:  # outside the block a file lands as soon as it is written
        tmp.write_text("alone\n")
    assert pairs.read_text() == "alone\n"


def test_outputs_held_together_that_cannot_be_moved_into_place_are_refused_whole(tmp_path):
    """A target that became a folder while the run wrote: the error names it, and no temporary
    file is left; a block within another lands with the outer one."""
    from rfl.errors import InputError
    from rfl.records import atomic_file, together

    pairs, model = tmp_path / "pairs.csv", tmp_path / "model.json"
    with pytest.raises(InputError, match="model.json"):
        with together():
            with atomic_file(pairs) as tmp:
                tmp.write_text("new pairs\n")
            with atomic_file(model) as tmp:
                tmp.write_text("new model\n")
            model.mkdir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "pairs.csv"] and model.is_dir()
    model.rmdir()
    pairs.unlink()
    with together():
        with together():
            with atomic_file(pairs) as tmp:
                tmp.write_text("inner\n")
        assert not pairs.exists()  # held until the outer block ends
    assert pairs.read_text() == "inner\n"


def test_a_run_that_died_mid_write_leaves_nothing_behind_once_the_next_run_writes(tmp_path):
    """kill -9 mid-write left a hidden temporary file of candidate pairs that nothing removed.
    The next run writing the same output deletes those of dead processes on this machine, and
    leaves a live run's and another machine's alone."""
    import os
    import subprocess
    import sys

    from rfl.records import _HOST, atomic_file

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)
    out = tmp_path / "out.csv"
    dead = tmp_path / f".out.csv.{_HOST}-{dead_pid}.x1y2.part"
    live = tmp_path / f".out.csv.{_HOST}-{os.getpid()}.a1b2.part"
    elsewhere = tmp_path / f".out.csv.otherhost-{dead_pid}.c3d4.part"
    other_output = tmp_path / f".other.csv.{_HOST}-{dead_pid}.e5f6.part"
    for stray in (dead, live, elsewhere, other_output):
        stray.write_text("E1,F9,0.93\n")
    with atomic_file(out) as tmp:
        tmp.write_text("new\n")
    assert not dead.exists() and live.exists() and elsewhere.exists() and other_output.exists()
    assert out.read_text() == "new\n"
