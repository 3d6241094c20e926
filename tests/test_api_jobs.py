"""Reconciliation jobs and research exports through HTTP: background progress, downloads as
JSON Lines or Parquet, and the same disclosure rules as a search."""

from __future__ import annotations

import io
import json
import warnings

import polars as pl
import pytest

from rfl_api_harness import count_rows, enquiry, found, last_audit, wait_for_job, world_at


@pytest.fixture
def world(database):
    with world_at(database) as w:
        w.call("POST", "/enquiries", "deu", json=enquiry())
        w.call("POST", "/found", "pol", json=found())
        w.call("POST", "/found", "pol", json=found("F2", tracing_consent="no"))
        yield w


def start(world, body: dict, who: str = "deu_jobs"):
    return world.call("POST", "/reconciliations", who, purpose="reconciliation", json=body)


def test_open_enquiries_job_runs_in_background_and_downloads_as_jsonl_and_parquet(world):
    answer = start(world, {})
    assert answer.status_code == 202 and answer.json()["state"] in ("queued", "running", "done")
    job = wait_for_job(world, answer.json()["id"])
    assert (job["state"], job["done"], job["total"]) == ("done", 1, 1)
    lines = world.call("GET", f"/reconciliations/{job['id']}/results", "deu_jobs", purpose="reconciliation")
    assert lines.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in lines.text.splitlines()]
    assert [(r["enquiry_id"], r["found_id"], r["rank"]) for r in rows] == [("DEU:E1", "POL:F1", 1)]
    assert set(rows[0]) == {"enquiry_id", "found_id", "society", "probability", "rank", "decision", "evidence"}
    for value in ("Szewczenko", "Przemysl", "Oleksandr"):  # evidence only, never the found record (R6)
        assert value not in lines.text
    table = world.call("GET", f"/reconciliations/{job['id']}/results?format=parquet", "deu_jobs", purpose="reconciliation")
    frame = pl.read_parquet(io.BytesIO(table.content))
    assert frame["found_id"].to_list() == ["POL:F1"] and json.loads(frame["evidence"][0])
    entry = last_audit(world.db, "reconcile.read")
    assert entry["target"] == f"job:{job['id']}" and entry["reason"] == "rows:1"


def test_uploaded_batch_follows_the_same_rules_and_is_not_stored(world):
    batch = [enquiry("B1"), enquiry("B2", family_name="Nowak", given_names="Anna", sex="F", birth_date="1950")]
    job = wait_for_job(world, start(world, {"enquiries": batch, "k": 5}).json()["id"])
    assert (job["state"], job["source"], job["done"]) == ("done", "batch", 2)
    assert count_rows(world.db, "records") == 3  # the batch itself is not kept
    no_basis = enquiry("B3")
    del no_basis["legal_basis"]
    refused = start(world, {"enquiries": [no_basis]})
    assert refused.status_code == 422 and refused.json()["error"] == "legal_basis_missing"
    assert last_audit(world.db)["reason"] == "legal_basis_missing"
    refused = start(world, {"enquiries": [enquiry("B4", society="POL")]})
    assert refused.status_code == 403 and refused.json()["error"] == "other_society"
    refused = start(world, {"enquiries": [enquiry("B5", birth_date="2015")]})
    assert refused.status_code == 422 and refused.json()["error"] == "minor_without_safeguard"


def test_jobs_belong_to_their_society_and_role(world):
    job = wait_for_job(world, start(world, {}).json()["id"])
    other = world.call("GET", f"/reconciliations/{job['id']}", "pol", purpose="reconciliation")
    assert other.status_code == 403 and other.json()["error"] == "role_not_permitted"
    assert start(world, {}, who="deu").status_code == 403
    assert last_audit(world.db)["reason"] == "role_not_permitted"


def test_research_exports_are_pseudonymised(world):
    studied = {"legal_basis": "consent", "consent_purposes": ["tracing", "research"]}  # consent covers research
    world.call("POST", "/enquiries", "deu", json=enquiry("E5", **studied))
    world.call("POST", "/found", "pol", json=found("F5", **studied))
    records = world.call("GET", "/research/records", "researcher", purpose="research")
    rows = [json.loads(line) for line in records.text.splitlines()]
    assert len(rows) == 2 and {r["kind"] for r in rows} == {"enquiry", "found"}
    assert all(set(r) == {"pid", "kind", "society", "sex", "birth_years", "nationality", "status"} for r in rows)
    for value in ("Schewtschenko", "Szewczenko", "1984-03-12", "Charkiw", "Przemysl", "E5", "F5"):
        assert value not in records.text
    world.call("POST", "/enquiries/E5/candidates", "deu")
    world.call("POST", "/enquiries/E5/decisions", "deu", json={"found_id": "POL:F5", "decision": "confirmed"})
    pairs = world.call("GET", "/research/pairs?format=parquet", "researcher", purpose="research")
    frame = pl.read_parquet(io.BytesIO(pairs.content))
    assert frame["state"].to_list() == ["confirmed"]
    assert set(frame["enquiry_pid"]) <= {r["pid"] for r in rows}
    refused = world.call("GET", "/research/records", "deu", purpose="research")
    assert refused.status_code == 403 and last_audit(world.db)["reason"] == "role_not_permitted"


def _upload(world, content: bytes, fmt: str):
    return world.call("POST", f"/reconciliations/files?format={fmt}&k=5", "deu_jobs", purpose="reconciliation",
                      content=content, headers={"Content-Type": "application/octet-stream"})


def test_uploaded_interchange_files_run_like_json_batches(world):
    rows = [enquiry("U1", society="DEU", consent_purposes="tracing;research", legal_basis="consent", guardian_consent="no"),
            enquiry("U2", society="DEU", family_name="Nowak", given_names="Anna", sex="F", birth_date="1950")]
    frame = pl.DataFrame(rows)
    for fmt, content in (("csv", frame.write_csv().encode()), ("parquet", _parquet(frame)),
                         ("jsonl", "".join(json.dumps(r) + "\n" for r in rows).encode())):
        answer = _upload(world, content, fmt)
        assert answer.status_code == 202, (fmt, answer.text)
        job = wait_for_job(world, answer.json()["id"])
        assert (job["state"], job["source"], job["done"]) == ("done", "batch", 2), fmt
        results = world.call("GET", f"/reconciliations/{job['id']}/results", "deu_jobs", purpose="reconciliation")
        assert "DEU:U1" in results.text and "POL:F1" in results.text
    assert count_rows(world.db, "records") == 3


def test_an_upload_is_read_as_rfl_link_reads_a_file(world):
    """Uploads once had a reader of their own: a Parquet birth date typed as a timestamp became
    "1984-03-12 00:00:00.000000" and was refused, where `rfl link` reads it as 1984-03-12; a
    broken JSON Lines upload was "cannot be read", where `rfl link` names the line."""
    typed = pl.DataFrame([enquiry("U1", society="DEU")]).with_columns(pl.col("birth_date").str.to_datetime("%Y-%m-%d"))
    answer = _upload(world, _parquet(typed), "parquet")
    assert answer.status_code == 202, answer.text
    assert wait_for_job(world, answer.json()["id"])["state"] == "done"
    broken = (json.dumps(enquiry("U2", society="DEU")) + "\n" + '{"record_id": "U3", "society": \n').encode()
    answer = _upload(world, broken, "jsonl")
    assert answer.status_code == 422 and answer.json()["message"].startswith("upload, line 2: "), answer.text
    deep = (json.dumps(enquiry("U4", society="DEU"))[:-1] + ', "notes": ' + "[" * 1_100 + "]" * 1_100 + "}\n").encode()
    answer = _upload(world, deep, "jsonl")  # Python's RecursionError escaped the reader: a 500
    assert answer.status_code == 422 and answer.json()["message"].startswith("upload, line 1: "), answer.text
    named = pl.DataFrame([enquiry("U5", society="DEU")]).with_columns(pl.struct(pl.lit("x").alias("Zzyzxname")).alias("kin"))
    answer = _upload(world, _parquet(named), "parquet")  # a struct's type named its keys
    assert answer.status_code == 422 and "Zzyzxname" not in answer.text and "kin" not in answer.text, answer.text


def test_bad_uploads_name_row_and_column_not_values(world):
    no_basis = pl.DataFrame([{k: v for k, v in enquiry("U1", society="DEU").items() if k != "legal_basis"}])
    no_basis = no_basis.write_csv().encode()
    answer = _upload(world, no_basis, "csv")
    assert answer.status_code == 422 and answer.json()["error"] == "legal_basis_missing"
    bad_date = pl.DataFrame([enquiry("U1", society="DEU", birth_date="12.03.1984")]).write_csv().encode()
    answer = _upload(world, bad_date, "csv")
    assert answer.status_code == 422 and answer.json()["error"] == "invalid_file"
    assert "row 1" in answer.json()["message"] and "birth_date" in answer.json()["message"]
    assert "12.03.1984" not in answer.text
    hostile = pl.DataFrame([{**enquiry("U1", society="DEU"), "Mohammed Ali": "x"}]).write_csv().encode()
    answer = _upload(world, hostile, "csv")
    assert answer.status_code == 422 and "Mohammed" not in answer.text
    mixed = (json.dumps(enquiry("U2", society="DEU")) + "\n"
             + json.dumps({**enquiry("U3", society="DEU"), "family_name": {"v": "Zzyzxname"}}) + "\n").encode()
    answer = _upload(world, mixed, "jsonl")  # an object among text, once read as the name {"v": ...}
    assert answer.status_code == 422 and "line 2" in answer.json()["message"] and "Zzyzxname" not in answer.text
    for content, fmt in ((b"\x00\x01garbage", "parquet"), (b" \n", "csv"), (b"\xff\xfe", "jsonl")):
        answer = _upload(world, content, fmt)
        assert answer.status_code == 422 and answer.json()["error"] == "invalid_file", fmt
    assert last_audit(world.db)["reason"] == "invalid_file"
    assert count_rows(world.db, "jobs") == 0


def _parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def test_damaged_parquet_uploads_are_422_naming_the_file_and_audited_as_refused(world):
    """Issue #10, item 9: polars panics on some damaged files (PanicException is a BaseException,
    so `except Exception` let it through): a 500, audited `ok, 202`. Every damaged file is now a
    422 (or, if it still reads as valid enquiries, a job), and the trail says what the caller got."""
    from polars.exceptions import PanicException

    from damaged import damaged_parquet

    files = damaged_parquet()
    panicking = 0
    for data in files:
        try:
            pl.read_parquet(io.BytesIO(data))
        except PanicException:
            panicking += 1
        except Exception:
            pass
    statuses = {}
    for data in files:
        answer = _upload(world, data, "parquet")
        entry = last_audit(world.db, "reconcile.run")
        assert answer.status_code in (202, 422), answer.text
        assert (entry["status"], entry["outcome"]) == (answer.status_code, "ok" if answer.status_code == 202 else "refused")
        if answer.status_code == 422:
            assert answer.json()["error"] == "invalid_file" and answer.json()["message"].startswith("upload")
            assert entry["reason"] == "invalid_file"
        statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
    assert statuses[422] >= 250
    if not panicking:  # 2 with the polars of this writing; the test then still checks every file
        warnings.warn("polars no longer panics on these damaged files: the panic is covered by the next test only")


def test_a_reader_that_panics_is_a_422(world, monkeypatch):
    from polars.exceptions import PanicException

    def panic(*_, **__):
        raise PanicException("index out of bounds")

    monkeypatch.setattr(pl, "read_parquet", panic)
    monkeypatch.setattr(pl, "read_parquet_schema", panic)  # read first, for the width
    answer = _upload(world, b"PAR1 not really", "parquet")
    assert answer.status_code == 422 and answer.json()["error"] == "invalid_file"
    assert "upload" in answer.json()["message"] and "PanicException" in answer.json()["message"]
    assert (last_audit(world.db)["outcome"], last_audit(world.db)["reason"]) == ("refused", "invalid_file")


def test_a_small_job_of_one_society_finishes_while_a_large_one_of_another_runs(world):
    """Issue #10, item 7: one worker ran jobs one after the other, so another society's job of one
    enquiry stayed queued for the whole run of a large one. Jobs now run by slices, the worker
    taking turns between societies."""
    large = start(world, {"enquiries": [enquiry(f"B{n}", given_names=f"Olexandr{n}") for n in range(500)]})
    assert large.status_code == 202
    small = world.call("POST", "/reconciliations", "pol_jobs", purpose="reconciliation",
                       json={"enquiries": [enquiry("P1", society="POL")]})
    assert small.status_code == 202
    assert wait_for_job(world, small.json()["id"], who="pol_jobs")["state"] == "done"
    running = world.call("GET", f"/reconciliations/{large.json()['id']}", "deu_jobs", purpose="reconciliation").json()
    assert running["state"] == "running" and running["done"] < running["total"] == 500
    results = world.call("GET", f"/reconciliations/{small.json()['id']}/results", "pol_jobs", purpose="reconciliation")
    assert results.status_code == 200 and "POL:P1" in results.text


def test_batches_are_limited_in_rows(database):
    """Issue #10, item 7: a 1,000,000-row CSV was accepted (1.8 GB to parse). A batch now holds at
    most `Limits.batch_rows` enquiries (default 50,000), and a file is parsed no further."""
    from api.limits import Limits

    row = "U{},DEU,vital_interest,Ali\n"
    header = "record_id,society,legal_basis,family_name\n"
    with world_at(database) as world:
        huge = (header + "".join(row.format(n) for n in range(1_000_000))).encode()
        assert len(huge) < 32 * 1024 * 1024
        answer = _upload(world, huge, "csv")
        assert answer.status_code == 413 and answer.json()["error"] == "too_many_rows"
        assert "50000" in answer.json()["message"]
        assert (last_audit(world.db)["outcome"], last_audit(world.db)["reason"]) == ("refused", "too_many_rows")
    with world_at(database, limits=Limits(batch_rows=3)) as world:  # the same store, restarted
        four = header + "".join(row.format(n) for n in range(4))
        for fmt, content in (("csv", four.encode()), ("parquet", _parquet(pl.read_csv(four.encode()))),
                             ("jsonl", pl.read_csv(four.encode()).write_ndjson().encode())):
            assert _upload(world, content, fmt).json()["error"] == "too_many_rows", fmt
        # a broken line past the limit is never read: the file is refused for its size
        for tail in (b'{"record_id": "U9", \n', b'{"record_id": "\xff"}\n'):  # not JSON, not UTF-8
            answer = _upload(world, pl.read_csv(four.encode()).write_ndjson().encode() + tail, "jsonl")
            assert answer.status_code == 413 and answer.json()["error"] == "too_many_rows"
        # within the limit, the broken line is named
        three = pl.read_csv(four.encode()).head(2).write_ndjson() + '{"record_id": "U9", \n'
        answer = _upload(world, three.encode(), "jsonl")
        assert answer.status_code == 422 and "line 3" in answer.json()["message"]
        assert start(world, {"enquiries": [enquiry(f"J{n}") for n in range(4)]}).json()["error"] == "too_many_rows"
        assert start(world, {"enquiries": [enquiry(f"J{n}") for n in range(3)]}).status_code == 202
        assert _upload(world, (header + "".join(row.format(n) for n in range(3))).encode(), "csv").status_code == 202
