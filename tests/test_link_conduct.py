"""`rfl link` on files that carry the conduct columns: the records the code of conduct keeps out
of matching are left out, by the functions the tracing API asks, and stderr says how many and
why without naming anyone."""

import polars as pl
import pytest

from benchmarks.generate import generate, write_dataset
from rfl.cli import main


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("conduct")
    dataset = generate(120, seed=11)
    write_dataset(dataset, folder)
    return folder, dataset


def with_conduct(found: pl.DataFrame, changes: dict[str, dict]) -> pl.DataFrame:
    """Every found record on vital interest with tracing consent (and a guardian's consent, for
    the generated children), except the changes by id."""
    rows = []
    for row in found.iter_rows(named=True):
        rows.append({**row, "legal_basis": "vital_interest", "tracing_consent": "yes", "retention_until": None,
                     "objection": "no", "guardian_consent": "yes", **changes.get(row["record_id"], {})})
    return pl.DataFrame(rows, schema={c: pl.Utf8 for c in rows[0]})


def test_records_the_rules_exclude_are_not_matched_and_stderr_says_why_without_names(data, tmp_path, capsys):
    folder, dataset = data
    truth = dataset.truth["found_id"].unique(maintain_order=True).to_list()
    excluded = {truth[0]: {"tracing_consent": "no"}, truth[1]: {"objection": "yes"},
                truth[2]: {"retention_until": "2020-01-01"}, truth[3]: {"legal_basis": None},
                truth[4]: {"legal_basis": "consent", "consent_purposes": "research"}}
    found = with_conduct(dataset.found, excluded)
    found.write_csv(tmp_path / "found.csv")
    out = tmp_path / "matches.csv"

    assert main(["link", str(folder / "enquiries.csv"), str(tmp_path / "found.csv"), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    pairs = pl.read_csv(out, infer_schema=False)
    assert not set(pairs["found_id"]) & set(excluded)
    assert set(pairs["found_id"]) & set(truth[5:])  # the others are matched as before
    said = f"5 records of {found.height:,} in {tmp_path / 'found.csv'} left out under the code of conduct ("
    assert said in err
    for reason in ("tracing_refused 1", "objection 1", "retention_expired 1", "legal_basis_missing 1",
                   "consent_scope_missing 1"):
        assert reason in err
    assert f"{folder / 'enquiries.csv'} carries no conduct columns: no rule of the code of conduct was applied" in err
    people = dataset.found.filter(pl.col("record_id").is_in(list(excluded)))
    for value in [*people["family_name"].drop_nulls(), *people["given_names"].drop_nulls(), *excluded]:
        assert value not in err

    # --quiet keeps the count (records were left out) and drops the note
    assert main(["link", str(folder / "enquiries.csv"), str(tmp_path / "found.csv"), "-o", str(out), "-q"]) == 0
    err = capsys.readouterr().err
    assert said in err and err.count("\n") == 1


def test_a_file_with_nothing_the_rules_let_be_matched_stops_the_run(data, tmp_path, capsys):
    folder, dataset = data
    every = {record_id: {"tracing_consent": "no"} for record_id in dataset.found["record_id"]}
    with_conduct(dataset.found, every).write_csv(tmp_path / "found.csv")
    code = main(["link", str(folder / "enquiries.csv"), str(tmp_path / "found.csv"), "-o", str(tmp_path / "m.csv"),
                 "-q"])
    err = capsys.readouterr().err
    assert code == 2 and "has no records left that the code of conduct lets be matched" in err
    assert not (tmp_path / "m.csv").exists()


@pytest.mark.parametrize("header, meant", [("Tracing_Consent", "tracing_consent"),
                                           # camelCase, dots and a missing underscore let every refusal through once
                                           ("TracingConsent", "tracing_consent"), ("legal.basis", "legal_basis"),
                                           ("LegalBasis", "legal_basis"), ("guardianconsent", "guardian_consent")])
def test_a_near_miss_conduct_header_is_refused_not_ignored(data, tmp_path, capsys, header, meant):
    folder, dataset = data
    found = with_conduct(dataset.found, {}).rename({meant: header})
    if header == "Tracing_Consent":  # beside the column itself too: it may say otherwise, unread
        found = found.with_columns(pl.lit("yes").alias("tracing_consent"))
    found.write_csv(tmp_path / "found.csv")
    code = main(["link", str(folder / "enquiries.csv"), str(tmp_path / "found.csv"), "-o", str(tmp_path / "m.csv")])
    err = capsys.readouterr().err
    assert code == 2 and f"{header!r} that looks like the conduct column {meant}; name it exactly {meant} so " in err


@pytest.mark.parametrize("changes, reason", [
    # invisible characters are no decision (R12, R10)
    ({"birth_date": "2015-03-01", "guardian_consent": "no", "best_interests": "\u200b"}, "minor_without_safeguard"),
    ({"objection": "yes", "objection_override": "\u2060 "}, "objection"),
    ({"objection": "yes", "objection_override": "no"}, "objection"),  # a flag's answer, not a reason
    # a retention date in another ISO form is no day to compare (R7)
    ({"retention_until": "20260115"}, "retention_until_invalid"),
    ({"retention_until": "2026-W02-1"}, "retention_until_invalid"),
])
def test_a_safeguard_or_date_that_says_nothing_keeps_the_record_out(data, tmp_path, capsys, changes, reason):
    folder, dataset = data
    first = dataset.truth["found_id"][0]
    with_conduct(dataset.found, {first: changes}).write_csv(tmp_path / "found.csv")
    out = tmp_path / "m.csv"
    assert main(["link", str(folder / "enquiries.csv"), str(tmp_path / "found.csv"), "-o", str(out), "-q"]) == 0
    assert f"{reason} 1" in capsys.readouterr().err
    assert first not in set(pl.read_csv(out, infer_schema=False)["found_id"])


def test_with_conduct_columns_a_bad_birth_date_drops_its_row_even_when_blanking(data, tmp_path, capsys):
    folder, dataset = data
    truth = dataset.truth["found_id"].unique(maintain_order=True).to_list()
    found = with_conduct(dataset.found, {truth[0]: {"birth_date": "12/05/2015", "guardian_consent": "no"},
                                         truth[1]: {"age": "12 yrs", "guardian_consent": "no"}})
    found.write_csv(tmp_path / "found.csv")
    out = tmp_path / "m.csv"
    assert main(["link", str(folder / "enquiries.csv"), str(tmp_path / "found.csv"), "-o", str(out),
                 "--on-invalid", "blank"]) == 0
    assert "2 rows with 2 invalid cells skipped" in capsys.readouterr().err
    assert not set(pl.read_csv(out, infer_schema=False)["found_id"]) & set(truth[:2])
