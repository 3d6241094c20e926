"""Issue #10: every rule asked on every path. Each test is a way a rule of the code of conduct
was forgotten on one path (a search, a reconciliation job and its stored results, a research
export, a disclosure, an access export), reproduced through real HTTP on a real SQLite file."""

from __future__ import annotations

import json
import threading
import time
from datetime import date

import pytest

from api.keys import create_key
from rfl.cli import main
from rfl_api_harness import audit_rows, count_rows, enquiry, found, last_audit, query, wait_for_job, world_at

TODAY = date(2026, 12, 3)
RESEARCH = ["tracing", "research"]  # consent that covers research as well as tracing


@pytest.fixture
def world(database):
    with world_at(database) as w:
        w.service.context.today = lambda: TODAY
        yield w


def lines(answer) -> list[dict]:
    assert answer.status_code == 200, answer.text
    return [json.loads(line) for line in answer.text.splitlines()]


def run_job(world, who: str = "deu_jobs", body: dict | None = None) -> str:
    """Start a job as `who` and poll it, as that society's reconciler would, until it is done."""
    job = world.call("POST", "/reconciliations", who, purpose="reconciliation", json=body or {})
    assert job.status_code == 202, job.text
    deadline = time.monotonic() + 30
    while (state := world.call("GET", f"/reconciliations/{job.json()['id']}", who,
                               purpose="reconciliation").json()["state"]) in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert state == "done"
    return job.json()["id"]


def job_results(world, job_id: str, who: str = "deu_jobs") -> list[dict]:
    return lines(world.call("GET", f"/reconciliations/{job_id}/results", who, purpose="reconciliation"))


def research_records(world, who: str = "researcher") -> list[dict]:
    return lines(world.call("GET", "/research/records", who, purpose="research"))


# ---- R13: a non-adherent society learns nothing of other societies' records --------------

def test_r13_a_non_adherent_society_gets_only_its_own_records_on_every_path(world):
    for name, role in (("eth", "officer"), ("eth_jobs", "reconciler"), ("eth_research", "researcher")):
        world.keys[name] = create_key(world.service.store, "ETH", role)
    assert world.call("POST", "/enquiries", "eth", json=enquiry("E1", legal_basis="consent",
                                                                consent_purposes=RESEARCH)).status_code == 201
    assert world.call("POST", "/found", "deu", json=found("F1", consent_purposes=RESEARCH)).status_code == 201
    assert world.call("POST", "/found", "eth", json=found("F9", consent_purposes=RESEARCH)).status_code == 201
    before = world.call("POST", "/enquiries/E1/candidates", "eth").json()["candidates"]
    assert {c["found_id"] for c in before} == {"DEU:F1", "ETH:F9"}
    earlier_job = run_job(world, "eth_jobs")  # run while ETH adhered, read after

    assert main(["keys", "adherence", "--society", "ETH", "--adheres", "no", "--db", str(world.db)]) == 0

    answer = world.call("POST", "/enquiries/E1/candidates", "eth")
    assert [c["found_id"] for c in answer.json()["candidates"]] == ["ETH:F9"]
    assert "DEU" not in answer.text and answer.json()["candidates"][0]["rank"] == 1
    assert {r["found_id"] for r in job_results(world, run_job(world, "eth_jobs"), "eth_jobs")} == {"ETH:F9"}
    assert {r["found_id"] for r in job_results(world, earlier_job, "eth_jobs")} == {"ETH:F9"}
    assert {r["society"] for r in research_records(world, "eth_research")} == {"ETH"}
    # nothing more can be had of the candidate proposed before: no decision, no disclosure
    for path in ("decisions", "disclosures"):
        body = {"found_id": "DEU:F1", **({"decision": "confirmed"} if path == "decisions" else {})}
        refused = world.call("POST", f"/enquiries/E1/{path}", "eth", json=body)
        assert refused.status_code == 403 and refused.json()["error"] == "recipient_not_adherent", path
    # adherent societies are served as before, ETH's own record included
    assert len(research_records(world)) == 3
    assert world.call("POST", "/enquiries", "deu", json=enquiry("E2")).status_code == 201
    shown = world.call("POST", "/enquiries/E2/candidates", "deu").json()["candidates"]
    assert {c["found_id"] for c in shown} == {"DEU:F1", "ETH:F9"}


# ---- R12: the minors check cannot be bypassed ---------------------------------------------

def test_r12_a_reversed_age_range_is_refused_naming_the_field(world):
    answer = world.call("POST", "/found", "pol", json=found("C1", birth_date=None, age="40-9",
                                                            recorded_on="2026-01-10"))
    assert answer.status_code == 422 and answer.json()["error"] == "age_range_reversed"
    assert "age" in answer.json()["message"] and "40" not in answer.json()["message"]
    assert count_rows(world.db, "records") == 0
    assert last_audit(world.db, "record.submit")["reason"] == "age_range_reversed"
    assert world.call("POST", "/found", "pol", json=found("C1", birth_date=None, age="30-40")).status_code == 201
    corrected = world.call("PATCH", "/found/C1", "pol", json={"age": "40-9"})
    assert corrected.status_code == 422 and corrected.json()["error"] == "age_range_reversed"
    batch = world.call("POST", "/reconciliations", "deu_jobs", purpose="reconciliation",
                       json={"enquiries": [enquiry("B1", birth_date=None, age="40-9")]})
    assert batch.status_code == 422 and batch.json()["error"] == "age_range_reversed"


def test_r12_a_blank_best_interests_reference_is_no_decision(world):
    answer = world.call("POST", "/found", "pol", json=found("C2", birth_date="2014", best_interests=" "))
    assert answer.status_code == 422 and answer.json()["error"] == "minor_without_safeguard"
    assert count_rows(world.db, "records") == 0


def test_r12_a_1_january_birth_date_is_year_only_so_may_be_a_child(world):
    """2008-01-01 is how a camp registers 'born 2008': maybe on 31 December 2008, so 17 today."""
    child = found("C3", birth_date="2008-01-01")
    answer = world.call("POST", "/found", "pol", json=child)
    assert answer.status_code == 422 and answer.json()["error"] == "minor_without_safeguard"
    stored = world.call("POST", "/found", "pol", json={**child, "guardian_consent": True})
    assert stored.status_code == 201 and stored.json()["minor"] is True
    # a child's whereabouts wait for a best-interests decision, even once confirmed
    world.call("POST", "/enquiries", "deu", json=enquiry("E3", birth_date="2008", guardian_consent=True))
    assert [c["found_id"] for c in world.call("POST", "/enquiries/E3/candidates", "deu").json()["candidates"]] \
        == ["POL:C3"]
    world.call("POST", "/enquiries/E3/decisions", "deu", json={"found_id": "POL:C3", "decision": "confirmed"})
    shown = world.call("POST", "/enquiries/E3/disclosures", "deu", json={"found_id": "POL:C3"}).json()
    assert shown["whereabouts"] == "withheld_minor" and shown["location"] is None
    # and a child never leaves in a research export, whatever the consent says
    world.call("POST", "/found", "pol", json={**found("C4", birth_date="2008-01-01", consent_purposes=RESEARCH),
                                              "guardian_consent": True})
    assert research_records(world) == []


# ---- R10: an objection on an enquiry stops its matching -----------------------------------

def test_r10_an_objected_enquiry_is_neither_searched_nor_reconciled(world):
    world.linked_pair()
    assert world.call("POST", "/enquiries", "deu", json=enquiry("ER3")).status_code == 201
    objected = world.call("POST", "/enquiries/ER3/objection", "deu")
    assert objected.status_code == 200 and objected.json()["in_matching"] is False
    answer = world.call("POST", "/enquiries/ER3/candidates", "deu")
    assert answer.status_code == 409 and answer.json()["error"] == "objected"
    assert last_audit(world.db, "match.search")["reason"] == "objected"
    assert count_rows(world.db, "matches") == 1  # E1's, from before
    assert {r["enquiry_id"] for r in job_results(world, run_job(world))} == {"DEU:E1"}
    # an admin's override, with a reason, lets matching go on
    override = world.call("POST", "/enquiries/ER3/objection-override", "deu_admin", purpose="oversight",
                          json={"reason": "the family's enquiry was renewed in person"})
    assert override.json()["in_matching"] is True
    assert world.call("POST", "/enquiries/ER3/candidates", "deu").json()["candidates"][0]["found_id"] == "POL:F1"


# ---- R4, R8, R10: job results are checked again when read, and erasure wins a race ---------

def test_job_results_are_checked_again_when_read(world):
    world.linked_pair()
    for record_id in ("F2", "F3"):
        assert world.call("POST", "/found", "pol", json=found(record_id)).status_code == 201
    job_id = run_job(world)
    assert {r["found_id"] for r in job_results(world, job_id)} == {"POL:F1", "POL:F2", "POL:F3"}
    world.call("POST", "/found/F1/objection", "pol")
    world.call("PATCH", "/found/F2", "pol", json={"tracing_consent": "no"})
    rows = job_results(world, job_id)
    assert [(r["found_id"], r["rank"]) for r in rows] == [("POL:F3", 1)]  # ranked among what may be seen
    assert last_audit(world.db, "reconcile.read")["reason"] == "rows:1"
    world.call("POST", "/enquiries/E1/objection", "deu")  # the enquirer objects in turn
    assert job_results(world, job_id) == []


def test_erasure_wins_over_a_running_job_holding_rows_in_memory(world, monkeypatch):
    world.linked_pair()
    store = world.service.store
    reached, erased = threading.Event(), threading.Event()
    write = store.add_job_results

    def held(job_id, rows):  # the job has its rows in memory and is about to write them
        if rows and not reached.is_set():
            reached.set()
            erased.wait(10)
        write(job_id, rows)

    monkeypatch.setattr(store, "add_job_results", held)
    job = world.call("POST", "/reconciliations", "deu_jobs", purpose="reconciliation", json={}).json()
    assert reached.wait(10)
    assert world.call("DELETE", "/found/F1", "pol").status_code == 204
    erased.set()
    assert wait_for_job(world, job["id"])["state"] == "done"
    assert job_results(world, job["id"]) == []
    assert query(world.db, "SELECT count(*) FROM job_results WHERE found_key = 'POL:F1'") == [(0,)]


# ---- R2, R4, R7, R10, R11, R12: research takes only records eligible for research ----------

def test_research_exports_take_only_records_eligible_for_research(world):
    assert world.call("POST", "/enquiries", "deu", json=enquiry(legal_basis="consent",
                                                                consent_purposes=RESEARCH)).status_code == 201
    bodies = [
        found("R1", consent_purposes=RESEARCH),                                   # in
        found("R2"),                                                              # consent covers tracing only
        found("R3", consent_purposes=RESEARCH, tracing_consent="no"),             # refused tracing
        found("R4", consent_purposes=RESEARCH),                                   # objects, below
        found("R5", consent_purposes=RESEARCH, retention_until="2026-06-30"),     # past retention
        found("R6", consent_purposes=RESEARCH, status="detained"),                # in, status neutral
        found("R7", legal_basis="public_interest"),                               # no consent to research
    ]
    for body in bodies:
        assert world.call("POST", "/found", "pol", json=body).status_code == 201, body["record_id"]
    world.call("POST", "/found/R4/objection", "pol")
    world.call("POST", "/found/R4/objection-override", "pol_admin", purpose="oversight",
               json={"reason": "matching only"})  # an override lets matching go on, not research
    answer = world.call("GET", "/research/records", "researcher", purpose="research")
    rows = lines(answer)
    assert len(rows) == 3 and sorted(r["kind"] for r in rows) == ["enquiry", "found", "found"]
    assert {r["status"] for r in rows if r["kind"] == "found"} == {"alive"}
    assert "detained" not in answer.text
    pids = {r["pid"] for r in rows}
    # pairs: an officer's decisions, only where both sides may be studied
    world.call("POST", "/enquiries/E1/candidates", "deu")
    for record_id in ("R1", "R2"):
        decided = world.call("POST", "/enquiries/E1/decisions", "deu",
                             json={"found_id": f"POL:{record_id}", "decision": "confirmed"})
        assert decided.status_code == 200, record_id
    pairs = lines(world.call("GET", "/research/pairs", "researcher", purpose="research"))
    assert len(pairs) == 1 and {pairs[0]["enquiry_pid"], pairs[0]["found_pid"]} <= pids


# ---- R8, R9: an erased id stays retired -----------------------------------------------------

def test_r8_an_erased_id_stays_retired(world):
    world.linked_pair()
    world.call("POST", "/enquiries/E1/disclosures", "deu", json={"found_id": "POL:F1"})
    assert count_rows(world.db, "transfers") == 1
    assert world.call("DELETE", "/found/F1", "pol").status_code == 204
    someone_else = {"family_name": "Kowalski", "given_names": "Jan", "birth_date": "1962-07-01"}
    for path, body in (("/found", found("F1", **someone_else)), ("/enquiries", enquiry("F1", **someone_else))):
        answer = world.call("POST", path, "pol", json=body)
        assert answer.status_code == 409 and answer.json()["error"] == "id_retired", path
        assert "Kowalski" not in answer.text
    assert last_audit(world.db, "record.submit")["reason"] == "id_retired"
    tombstones = query(world.db, "SELECT key, reason FROM tombstones")
    assert tombstones == [("POL:F1", "erasure")]
    assert world.call("GET", "/found/F1", "pol").status_code == 410
    assert world.call("GET", "/found/F1/access-export", "pol", purpose="access_request").status_code == 410
    assert [r["target"] for r in audit_rows(world.db) if r["action"] == "record.submit"][-2:] == ["POL:F1"] * 2


# ---- R4, R10, R16: a decision asks the rules a search asks ---------------------------------

def test_a_candidate_who_refused_tracing_or_objected_since_the_search_cannot_be_confirmed(world):
    world.linked_pair()  # DEU's E1 was offered POL:F1
    world.call("PATCH", "/found/F1", "pol", json={"tracing_consent": "no"})
    answer = world.call("POST", "/enquiries/E1/decisions", "deu", json={"found_id": "POL:F1", "decision": "confirmed"})
    assert answer.status_code == 404 and answer.json()["error"] == "not_available"
    rejected = world.call("POST", "/enquiries/E1/decisions", "deu", json={"found_id": "POL:F1", "decision": "rejected"})
    assert rejected.status_code == 200  # saying no to a candidate takes nothing from anyone


def test_an_objected_enquiry_is_decided_on_no_more_nor_reconciled_by_upload(world):
    world.linked_pair()
    world.call("POST", "/enquiries/E1/objection", "deu")
    answer = world.call("POST", "/enquiries/E1/decisions", "deu", json={"found_id": "POL:F1", "decision": "confirmed"})
    assert answer.status_code == 409 and answer.json()["error"] == "objected"
    upload = world.call("POST", "/reconciliations", "deu_jobs", purpose="reconciliation",
                        json={"enquiries": [enquiry("E1")]})
    assert upload.status_code == 409 and upload.json()["error"] == "objected"
