"""`rfl link` end to end on real files: outputs, duplicates, saved models, labels, bad input."""

import json

import polars as pl
import pytest

from benchmarks.generate import generate, write_dataset
from rfl.cli import main


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    dataset = generate(300, seed=5)
    write_dataset(dataset, folder)
    return folder, dataset


def test_links_two_files_and_explains(data, tmp_path):
    folder, dataset = data
    out = tmp_path / "matches.csv"
    assert main(["link", str(folder / "enquiries.csv"), str(folder / "found.csv"), "-o", str(out), "-q"]) == 0
    pairs = pl.read_csv(out)
    assert pairs.columns[:5] == ["enquiry_id", "found_id", "probability", "rank", "decision"]
    assert "why_first_name" in pairs.columns and "explanation" in pairs.columns
    # The summary says what was seen, field by field, e.g. "first_name +3.2 (same name or variant)",
    # and how a name's frequency moved the weight: "(same name or variant; name more common than most, -1.7)".
    seen = r"first_name [+-]\d+\.\d \(same name or variant(; name (more|less) common than most, [+-]\d+\.\d)?\)"
    assert pairs["explanation"].str.contains(seen).any()
    assert pairs["explanation"].str.contains(r"; name more common than most, -\d+\.\d\)").any()
    assert set(pairs["decision"]) <= {"match", "review"}
    # to a millionth, as written in the text file, and never 0 or 1, which would read as certainty
    text = out.read_text().splitlines()[1:]
    assert all(len(line.split(",")[2].partition(".")[2]) <= 6 for line in text)
    assert pairs["probability"].is_between(1e-5, 1 - 1e-6).all() and (pairs["probability"] > 0.999).any()
    # Ranks run 1.. per enquiry, best first.
    firsts = pairs.filter(pl.col("rank") == 1)
    assert firsts["enquiry_id"].n_unique() == firsts.height == pairs["enquiry_id"].n_unique()
    # Most true pairs are found as the top candidate.
    truth = dataset.truth.rename({"found_id": "true_id"})
    top = firsts.join(truth, on="enquiry_id").filter(pl.col("found_id") == pl.col("true_id"))
    assert top.height >= 0.8 * truth["enquiry_id"].n_unique()


def test_duplicates_within_one_file_are_clustered(data, tmp_path):
    folder, _ = data
    out = tmp_path / "dups.parquet"
    assert main(["link", str(folder / "found.csv"), "-o", str(out), "-q"]) == 0
    pairs = pl.read_parquet(out)
    assert {"record_id", "other_id", "cluster"} <= set(pairs.columns)
    assert (pairs["record_id"] != pairs["other_id"]).all()
    matched = pairs.filter(pl.col("decision") == "match")
    # A match pair's records are clustered, unless clustering held them apart as two people.
    assert matched.height and matched["cluster"].null_count() <= 0.1 * matched.height
    # A record is in one cluster.
    per_record = pairs.drop_nulls("cluster").group_by("record_id").agg(pl.col("cluster").n_unique())
    assert (per_record["cluster"] == 1).all()


def test_a_run_stopped_while_saving_its_model_leaves_the_earlier_outputs(data, tmp_path, monkeypatch):
    """Stopped (Ctrl-C) after its pairs were written but before its model was, a run leaves the
    earlier run's pairs and model as they were, never new pairs beside an old model."""
    from matching.model import Model

    folder, _ = data
    files = [str(folder / "enquiries.csv"), str(folder / "found.csv")]
    out, model = tmp_path / "pairs.csv", tmp_path / "model.json"
    out.write_text("earlier pairs\n")
    model.write_text("earlier model\n")

    def stopped(self, path):
        raise KeyboardInterrupt

    monkeypatch.setattr(Model, "to_json", stopped)
    assert main(["link", *files, "-o", str(out), "--save-model", str(model), "-q"]) != 0  # "interrupted"
    assert out.read_text() == "earlier pairs\n" and model.read_text() == "earlier model\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "pairs.csv"]


def linked_again(files: list[str], tmp_path, *options: str) -> tuple[dict, pl.DataFrame]:
    """Link, saving the model; link again with it: the same pairs and probabilities. Returns the
    saved model's document and the first output."""
    model = tmp_path / "model.json"
    assert main(["link", *files, "-o", str(tmp_path / "a.csv"), "--save-model", str(model), "-q", *options]) == 0
    assert main(["link", *files, "-o", str(tmp_path / "b.csv"), "--model", str(model), "-q", *options]) == 0
    a, b = pl.read_csv(tmp_path / "a.csv"), pl.read_csv(tmp_path / "b.csv")
    assert a.select("enquiry_id", "found_id").equals(b.select("enquiry_id", "found_id"))
    assert (a["probability"] - b["probability"]).abs().max() < 1e-9
    return json.loads(model.read_text()), a


def test_saved_model_reproduces_scores(data, tmp_path):
    folder, _ = data
    doc, _ = linked_again([str(folder / "enquiries.csv"), str(folder / "found.csv")], tmp_path)
    assert {c["name"] for c in doc["comparisons"]} >= {"first_name", "father_name", "birth_date"}


def test_labels_replace_em(data, tmp_path):
    folder, _ = data
    out = tmp_path / "labelled.csv"
    args = ["link", str(folder / "enquiries.csv"), str(folder / "found.csv"), "-o", str(out), "-q"]
    assert main([*args, "--labels", str(folder / "truth.csv")]) == 0
    assert pl.read_csv(out).height > 0


@pytest.mark.parametrize("make, message", [
    (lambda d, t: [str(t / "nope.csv"), str(d / "found.csv")], "nope.csv: no such file"),
    (lambda d, t: [str(d / "truth.csv"), str(d / "found.csv")], "missing required column(s)"),
    (lambda d, t: [str(d / "enquiries.csv"), str(d / "found.csv"), str(d / "truth.csv")], "give one file"),
])
def test_bad_input_is_one_line_exit_2(data, tmp_path, capsys, make, message):
    folder, _ = data
    code = main(["link", *make(folder, tmp_path), "-o", str(tmp_path / "x.csv"), "-q"])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1


def test_unreadable_model_is_refused(data, tmp_path, capsys):
    folder, _ = data
    bad = tmp_path / "model.json"
    bad.write_text("{not json")
    code = main(["link", str(folder / "found.csv"), "-o", str(tmp_path / "x.csv"), "--model", str(bad), "-q"])
    assert code == 2 and "is not a readable model" in capsys.readouterr().err


def test_model_learnt_for_other_fields_is_refused(data, tmp_path, capsys):
    folder, _ = data
    saved = tmp_path / "model.json"
    assert main(["link", str(folder / "enquiries.csv"), str(folder / "found.csv"), "-o", str(tmp_path / "a.csv"),
                 "--save-model", str(saved), "-q"]) == 0
    code = main(["link", str(folder / "enquiries.csv"), str(folder / "found.csv"), "-o", str(tmp_path / "b.csv"),
                 "--model", str(saved), "--compare", "last_seen_place", "-q"])
    err = capsys.readouterr().err
    assert code == 2 and str(saved) in err and "last_seen_place" in err and err.count("\n") == 1


def test_a_learnt_model_says_it_was_shrunk_toward_the_shipped_one_unless_other_columns_are_compared(data, tmp_path):
    from rfl.search import default_model

    folder, _ = data
    trained = {}
    for name, extra in (("plain", []), ("compared", ["--compare", "last_seen_place"])):
        saved = tmp_path / f"{name}.json"
        assert main(["link", str(folder / "enquiries.csv"), str(folder / "found.csv"), "-o",
                     str(tmp_path / f"{name}.csv"), "--save-model", str(saved), *extra, "-q"]) == 0
        trained[name] = json.loads(saved.read_text())["training"]
    assert trained["plain"]["m_shrunk_toward"]["model_sha256"] == default_model().identity()["sha256"]
    assert "m_shrunk_toward" not in trained["compared"]  # the shipped model compares no such column


@pytest.mark.parametrize("option", ["--save-model", "--report"])
def test_a_file_to_write_that_is_an_input_or_the_output_is_refused_before_any_work(data, tmp_path, capsys, option):
    folder, _ = data
    found = folder / "found.csv"
    before = found.read_bytes()
    out = tmp_path / "x.csv"
    for target, said in ((found, "is a file this run reads"), (out, "is given to both -o and " + option)):
        assert main(["link", str(found), "-o", str(out), option, str(target), "-q"]) == 2
        assert said in capsys.readouterr().err
    assert found.read_bytes() == before and not out.exists()


@pytest.mark.parametrize("read, write", [("--labels", "-o"), ("--labels", "--invalid-report"), ("--model", "--report")])
def test_labels_and_a_model_are_never_overwritten_by_the_run_that_reads_them(data, tmp_path, capsys, read, write):
    """-o truth.csv --labels truth.csv once overwrote the labels; --report model.json the model."""
    folder, _ = data
    kept = tmp_path / ("truth.csv" if read == "--labels" else "model.json")
    kept.write_text("enquiry_id,found_id\n")
    before = kept.read_bytes()
    out = ["-o", str(tmp_path / "m.csv")] if write != "-o" else []
    args = ["link", str(folder / "enquiries.csv"), str(folder / "found.csv"), *out, read, str(kept), write, str(kept),
            "--on-invalid", "blank", "-q"]
    assert main(args) == 2
    assert f"{kept}: is a file this run reads; write the results elsewhere ({write})" in capsys.readouterr().err
    assert kept.read_bytes() == before


def test_a_model_with_numbers_that_are_not_probabilities_is_refused(data, tmp_path, capsys):
    folder, _ = data
    model = tmp_path / "model.json"
    assert main(["link", str(folder / "enquiries.csv"), str(folder / "found.csv"), "-o", str(tmp_path / "a.csv"),
                 "--save-model", str(model), "-q"]) == 0
    model.write_text(model.read_text().replace('"prior": 0.', '"prior": 1.'))
    code = main(["link", str(folder / "enquiries.csv"), str(folder / "found.csv"), "-o", str(tmp_path / "b.csv"),
                 "--model", str(model), "-q"])
    assert code == 2 and "has a prior that is not a probability" in capsys.readouterr().err


def test_a_model_whose_names_weigh_nothing_is_said_even_when_quiet(data, tmp_path, capsys):
    """1,200 enquiries and 3,000 found records drawn from five given and five fathers' names with
    a birth year only, the 700 found copies of enquiries with their names drawn anew: nothing in
    the files tells one person's names from strangers'. The names learnt weigh nothing, or (most
    of their m the shipped model's) what it lends them. The run says so, with or without a
    column the shipped model does not compare; on generated data it does not."""
    import csv
    import random

    rng = random.Random(1)
    columns = ["record_id", "society", "given_names", "father_name", "sex", "birth_date", "nationality", "camp"]

    def names():
        return {"given_names": rng.choice(["Mohamed", "Ahmed", "Abdi", "Hassan", "Ali"]),
                "father_name": rng.choice(["Mohamed", "Abdullahi", "Hussein", "Omar", "Yusuf"])}

    def person():
        return {**names(), "sex": "M", "birth_date": str(rng.randint(1950, 2010)), "nationality": "SOM",
                "camp": rng.choice(["Dadaab", "Kakuma"])}

    enquiries = [{"record_id": f"E{i}", "society": "SOM", **person()} for i in range(1200)]
    found = [{**e, **names(), "record_id": f"F{i}", "society": "KEN"} for i, e in enumerate(enquiries[:700])]
    found += [{"record_id": f"F{i}", "society": "KEN", **person()} for i in range(700, 3000)]
    for name, rows in (("enq.csv", enquiries), ("found.csv", found)):
        with open(tmp_path / name, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, columns)
            writer.writeheader()
            writer.writerows(rows)
    said = "gives names no weight of their own"
    link = ["link", str(tmp_path / "enq.csv"), str(tmp_path / "found.csv"), "-o", str(tmp_path / "a.csv"), "-q"]
    for extra in ([], ["--compare", "camp"]):
        assert main([*link, *extra]) == 0
        assert said in capsys.readouterr().err, extra
    folder, _ = data
    assert main(["link", str(folder / "enquiries.csv"), str(folder / "found.csv"), "-o", str(tmp_path / "b.csv"),
                 "-q"]) == 0
    assert said not in capsys.readouterr().err


def test_a_run_stopped_by_sigterm_ends_as_interrupted_and_leaves_no_temporary_file(data, tmp_path):
    """`timeout`, `docker stop` and systemd send SIGTERM: the run ends as Ctrl-C ends it (exit
    130), not killed with its temporary outputs (candidate pairs) left beside them."""
    import signal
    import subprocess
    import sys

    folder, _ = data
    out = tmp_path / "pairs.csv"
    run = subprocess.Popen([sys.executable, "-m", "rfl.cli", "link", str(folder / "enquiries.csv"),
                            str(folder / "found.csv"), "-o", str(out), "--save-model", str(tmp_path / "m.json")],
                           stderr=subprocess.PIPE, text=True)
    run.stderr.readline()  # its first progress line: the command has started
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 130 and "interrupted" in err, err
    assert [p.name for p in tmp_path.iterdir()] == []


def test_a_stop_whose_interrupt_python_dropped_still_ends_the_run_without_its_outputs(data, tmp_path, capsys):
    """A SIGTERM landing while Python runs a finaliser has its KeyboardInterrupt printed and
    dropped, and the run goes on to the end (it did once in CI): the stop is remembered, and the
    run still ends as interrupted, with no output moved into place."""
    from rfl.stopping import STOP_REQUESTED

    folder, _ = data
    STOP_REQUESTED.set()  # the stop came; its interrupt was lost
    try:
        code = main(["link", str(folder / "enquiries.csv"), str(folder / "found.csv"), "-o",
                     str(tmp_path / "pairs.csv"), "--save-model", str(tmp_path / "m.json"), "-q"])
    finally:
        STOP_REQUESTED.clear()
    assert code == 130 and "rfl link: interrupted" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == []


def test_a_registry_s_stand_in_birthday_is_read_as_the_year_alone(data, tmp_path):
    """Files whose unknown birthdays are written as 1 July: the day is learnt as a placeholder,
    saved with the model, and read so again when the model is given."""
    folder, _ = data
    files = []
    for name in ("enquiries.csv", "found.csv"):
        frame = pl.read_csv(folder / name, infer_schema=False)
        frame.with_columns(pl.col("birth_date").str.replace(r"-01-01$", "-07-01")).write_csv(tmp_path / name)
        files.append(str(tmp_path / name))
    doc, first = linked_again(files, tmp_path, "--min-probability", "0")
    assert doc["placeholder_days"] == ["01-01", "07-01"]
    born = {side: pl.read_csv(path, infer_schema=False).select(pl.col("record_id").alias(f"{side}_id"),
                                                               pl.col("birth_date").alias(side))
            for side, path in zip(("enquiry", "found"), files)}
    pairs = first.join(born["enquiry"], on="enquiry_id").join(born["found"], on="found_id")
    both = pairs.filter(pl.col("enquiry").str.ends_with("-07-01") & (pl.col("enquiry") == pl.col("found")))
    assert both.height > 0
    assert not both["explanation"].str.contains("same full date").any()
    assert both["explanation"].str.contains(r"birth_date [+-]\d+\.\d \(same year").all()


def test_a_birth_date_given_on_one_side_only_weighs_what_the_model_learnt_and_says_so(data, tmp_path):
    folder, _ = data
    files = [str(folder / "enquiries.csv"), str(folder / "found.csv")]
    model = tmp_path / "model.json"
    assert main(["link", *files, "-o", str(tmp_path / "a.csv"), "--save-model", str(model), "-q"]) == 0
    doc = json.loads(model.read_text())
    doc["birth_date_missing_bits"] = {"enquiry": -2.0, "found": -3.0}
    model.write_text(json.dumps(doc))
    assert main(["link", *files, "-o", str(tmp_path / "b.csv"), "--model", str(model), "-q", "--min-probability", "0"]) == 0
    born = {side: pl.read_csv(folder / f"{side}.csv", infer_schema=False).select(
        pl.col("record_id").alias(f"{side}_id"), (pl.col("birth_date").is_null() & pl.col("age").is_null()).alias(side))
        for side in ("enquiries", "found")}
    pairs = (pl.read_csv(tmp_path / "b.csv").rename({"enquiry_id": "enquiries_id"})
             .join(born["enquiries"], on="enquiries_id").join(born["found"], on="found_id"))
    blank_found = pairs.filter(~pl.col("enquiries") & pl.col("found"))
    blank_enquiry = pairs.filter(pl.col("enquiries"))
    assert blank_found.height and blank_enquiry.height
    assert (blank_found["why_birth_date"] == -3.0).all() and (blank_enquiry["why_birth_date"] == -2.0).all()
    assert blank_found["explanation"].str.contains(r"birth_date -3\.0 \(not given\)").all()
    dated = pairs.filter(~pl.col("enquiries") & ~pl.col("found"))
    assert not dated["explanation"].str.contains("not given").any()


def test_files_too_small_to_learn_from_are_scored_as_they_were_read(tmp_path):
    """The shipped model scores files too small to learn from; the birthdays they over-use
    were read as placeholders, and the model saved says so, so that --model reads them so again."""
    enquiries = pl.DataFrame({"record_id": [f"E{i}" for i in range(30)], "society": ["SOM"] * 30,
                              "given_names": ["Maxamed", "Faadumo", "Cali"] * 10, "family_name": ["Xasan"] * 30,
                              "birth_date": [f"{1960 + i}-07-01" for i in range(30)]})
    found = enquiries.with_columns(pl.col("record_id").str.replace("E", "F"))
    files = [str(tmp_path / "e.csv"), str(tmp_path / "f.csv")]
    enquiries.write_csv(files[0])
    found.write_csv(files[1])
    doc, _ = linked_again(files, tmp_path)
    assert doc["placeholder_days"] == ["01-01", "07-01"] and doc["training"].get("data", "").startswith("synthetic")


def test_a_model_that_reads_a_files_stand_in_birthday_as_a_full_date_is_said(data, tmp_path, capsys):
    folder, _ = data
    files = [str(folder / "enquiries.csv"), str(folder / "found.csv")]
    model = tmp_path / "model.json"
    assert main(["link", *files, "-o", str(tmp_path / "a.csv"), "--save-model", str(model), "-q"]) == 0
    moved = tmp_path / "found.csv"
    pl.read_csv(files[1], infer_schema=False).with_columns(
        pl.col("birth_date").str.replace(r"-01-01$", "-07-01")).write_csv(moved)
    capsys.readouterr()
    assert main(["link", files[0], str(moved), "-o", str(tmp_path / "b.csv"), "--model", str(model), "-q"]) == 0
    err = capsys.readouterr().err
    assert f"{moved} gives 07-01 (MM-DD) as the birthday of far more records" in err and err.count("07-01") == 1
    assert main(["link", *files, "-o", str(tmp_path / "c.csv"), "--model", str(model), "-q"]) == 0
    assert "MM-DD" not in capsys.readouterr().err


def test_the_spark_engine_without_its_extra_is_refused_in_one_line(data, tmp_path, monkeypatch, capsys):
    """Without pyspark (the optional extra rfl[spark]) --engine spark says what to install and
    exits 2 before any file is read, instead of a traceback."""
    import importlib.util

    folder, _ = data
    found_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyspark" else found_spec(name, *a))
    out = tmp_path / "out"
    assert main(["link", str(folder / "enquiries.csv"), str(folder / "found.csv"), "-o", str(out),
                 "--engine", "spark", "-q"]) == 2
    err = capsys.readouterr().err
    assert "rfl[spark]" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
