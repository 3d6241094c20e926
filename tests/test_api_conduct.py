"""Each rule of the code of conduct, enforced through real HTTP against the ASGI app on a real
SQLite file: every test checks the answer and what the audit trail recorded."""

from __future__ import annotations

import pytest

from rfl_api_harness import (DatabaseError, audit_rows, count_rows, enquiry, execute, found, last_audit, query, raw_bytes,
                              rewrite_audit, wait_for_job, world_at)
from rfl.policy import DisclosureSettings
from rfl.tracing import Settings

PEOPLE = ("Schewtschenko", "Szewczenko", "Olexandr", "Oleksandr", "Charkiw", "Charkow", "Przemysl",
          "600 000 111", "1984-03-12", "Orthodox", "Kozak")


@pytest.fixture
def world(database):
    with world_at(database) as w:
        yield w


def test_two_officers_find_confirm_and_disclose_across_spellings(world):
    """Done-when: DEU enquires in German spelling, POL registers in Polish; DEU sees the
    candidate with evidence, confirms it, and the disclosure obeys consent."""
    world.linked_pair()
    candidate = world.call("POST", "/enquiries/E1/candidates", "deu").json()["candidates"][0]
    assert candidate["society"] == "POL" and candidate["rank"] == 1
    assert 0.0 < candidate["probability"] <= 1.0 and candidate["decision"] in ("match", "review")
    assert candidate["evidence"] and all(set(e) == {"outcome", "weight"} for e in candidate["evidence"].values())

    decided = world.call("POST", "/enquiries/E1/decisions", "deu", json={"found_id": "POL:F1", "decision": "confirmed"})
    assert decided.status_code == 200 and decided.json()["state"] == "confirmed"
    shown = world.call("POST", "/enquiries/E1/disclosures", "deu", json={"found_id": "POL:F1"}).json()
    assert shown["whereabouts"] == "disclosed" and shown["location"] == "Reception centre Przemysl"
    actions = [(r["action"], r["outcome"]) for r in audit_rows(world.db)]
    assert ("match.decide", "ok") in actions and ("match.disclose", "ok") in actions


def test_r1_record_without_legal_basis_is_refused_and_not_stored(world):
    body = enquiry()
    del body["legal_basis"]
    answer = world.call("POST", "/enquiries", "deu", json=body)
    assert answer.status_code == 422 and answer.json()["error"] == "legal_basis_missing"
    assert world.call("GET", "/enquiries/E1", "deu").status_code == 404
    assert count_rows(world.db, "records") == 0
    entry = last_audit(world.db, "record.submit")
    assert (entry["outcome"], entry["status"], entry["reason"]) == ("refused", 422, "legal_basis_missing")
    # R2: consent with no purposes is no basis for tracing either
    answer = world.call("POST", "/found", "pol", json=found(consent_purposes=[]))
    assert answer.status_code == 422 and answer.json()["error"] == "consent_scope_missing"
    assert last_audit(world.db, "record.submit")["reason"] == "consent_scope_missing"


def test_r3_other_society_learns_only_that_the_person_was_located(world):
    world.linked_pair({"consent_to_share": "no"})
    before = world.call("POST", "/enquiries/E1/disclosures", "deu", json={"found_id": "POL:F1"}).json()
    assert before["whereabouts"] == "withheld_until_confirmed" and before["location"] is None
    world.call("POST", "/enquiries/E1/decisions", "deu", json={"found_id": "POL:F1", "decision": "confirmed"})
    answer = world.call("POST", "/enquiries/E1/disclosures", "deu", json={"found_id": "POL:F1"})
    shown = answer.json()
    assert answer.status_code == 200 and shown["whereabouts"] == "located_not_shared"
    assert "does not wish details shared" in shown["whereabouts_meaning"]
    assert shown["location"] is None and shown["contact"] is None and shown["status"] is None
    assert "Przemysl" not in answer.text and "600 000 111" not in answer.text
    entry = last_audit(world.db, "match.disclose")
    assert entry["outcome"] == "ok" and entry["reason"] == "POL:F1:located_not_shared"
    released = [r[0] for r in query(world.db, "SELECT released FROM transfers WHERE found_key = 'POL:F1' ORDER BY id")]
    assert released == ["withheld_until_confirmed", "located_not_shared"]
    # the holding society itself sees its own record in full
    own = world.call("GET", "/found/F1", "pol").json()
    assert own["fields"]["location"] == "Reception centre Przemysl"


def test_r3_deployment_may_say_alive_without_whereabouts(database):
    with world_at(database, Settings(disclosure=DisclosureSettings(say_alive=True))) as world:
        world.linked_pair({"consent_to_share": "no"})
        world.call("POST", "/enquiries/E1/decisions", "deu", json={"found_id": "POL:F1", "decision": "confirmed"})
        shown = world.call("POST", "/enquiries/E1/disclosures", "deu", json={"found_id": "POL:F1"}).json()
        assert shown["status"] == "alive" and shown["location"] is None


@pytest.mark.parametrize("consent,basis", [("no", "vital_interest"), ("unknown", "public_interest")])
def test_r4_without_tracing_consent_never_a_candidate(world, consent, basis):
    world.call("POST", "/enquiries", "deu", json=enquiry())
    stored = world.call("POST", "/found", "pol", json=found(tracing_consent=consent, legal_basis=basis))
    assert stored.status_code == 201 and stored.json()["in_matching"] is False
    answer = world.call("POST", "/enquiries/E1/candidates", "deu")
    assert answer.status_code == 200 and answer.json()["candidates"] == []
    assert len(world.service.context.index) == 0
    assert world.call("POST", "/enquiries/E1/disclosures", "deu", json={"found_id": "POL:F1"}).json()["error"] == "not_a_candidate"
    assert last_audit(world.db, "match.disclose")["reason"] == "not_a_candidate"
    # a found record must say whether its subject agreed to be traced
    body = found("F2")
    del body["tracing_consent"]
    answer = world.call("POST", "/found", "pol", json=body)
    assert answer.status_code == 422 and last_audit(world.db, "record.submit")["reason"] == "tracing_consent_missing"


@pytest.mark.parametrize("purpose,code", [
    ("migration_control", "purpose_outside_rfl"), ("prosecution", "purpose_outside_rfl"),
    ("law_enforcement", "purpose_outside_rfl"), (None, "purpose_missing"),
    ("find Mohammed for the police", "purpose_unknown"), ("research", "purpose_not_for_action"),
])
def test_r5_purposes_outside_rfl_are_refused_and_logged(world, purpose, code):
    world.call("POST", "/enquiries", "deu", json=enquiry())
    answer = world.call("POST", "/enquiries/E1/candidates", "deu", purpose=purpose)
    assert answer.status_code == 403 and answer.json()["error"] == code
    entry = last_audit(world.db)
    assert (entry["action"], entry["outcome"], entry["status"], entry["reason"]) == ("match.search", "refused", 403, code)
    assert entry["society"] == "DEU" and entry["key_id"] is not None
    assert "Mohammed" not in str(audit_rows(world.db))  # the caller's free text is not logged


@pytest.mark.parametrize("key", [None, "rfl_0000000000000000_" + "A" * 43, "Bearer something", "' OR 1=1 --"])
def test_r5_callers_that_are_not_movement_components_are_refused_and_logged(world, key):
    answer = world.client.post("/enquiries", json=enquiry(), headers={"X-RFL-Purpose": "tracing",
                                                                      **({"X-RFL-Key": key} if key else {})})
    assert answer.status_code == 403 and answer.json()["error"] == "not_a_movement_component"
    entry = last_audit(world.db)
    assert (entry["outcome"], entry["reason"], entry["key_id"], entry["society"]) == \
        ("refused", "not_a_movement_component", None, None)
    assert count_rows(world.db, "records") == 0


def test_r5_revoked_key_is_refused(world):
    key_id = world.keys["deu"].split("_")[1]
    world.service.store.revoke_key(key_id)
    answer = world.call("POST", "/enquiries", "deu", json=enquiry())
    assert answer.status_code == 403 and last_audit(world.db)["reason"] == "not_a_movement_component"


def test_r6_search_answers_with_evidence_not_the_record_and_disclosure_is_logged(world):
    world.linked_pair()
    answer = world.call("POST", "/enquiries/E1/candidates", "deu")
    for value in ("Szewczenko", "Oleksandr", "Charkow", "Przemysl", "600 000 111", "alive"):
        assert value not in answer.text
    assert set(answer.json()["candidates"][0]) == {"found_id", "society", "probability", "rank", "decision", "evidence"}
    assert count_rows(world.db, "transfers") == 0
    disclosed = world.call("POST", "/enquiries/E1/disclosures", "deu", json={"found_id": "POL:F1"})
    assert disclosed.json()["family_name"] == "Szewczenko"
    entry = last_audit(world.db, "match.disclose")
    assert entry["outcome"] == "ok" and entry["society"] == "DEU" and entry["purpose"] == "tracing"
    assert count_rows(world.db, "transfers") == 1
    # a found record never proposed for this enquiry cannot be pulled by guessing its id
    world.call("POST", "/found", "pol", json=found("F9", family_name="Kowalski", given_names="Jan"))
    answer = world.call("POST", "/enquiries/E1/disclosures", "deu", json={"found_id": "POL:F9"})
    assert answer.status_code == 404 and answer.json()["error"] == "not_a_candidate"
    assert "Kowalski" not in answer.text and last_audit(world.db)["reason"] == "not_a_candidate"


def test_r7_expired_records_leave_the_pool_and_leave_tombstones(world):
    world.linked_pair({"retention_until": "2031-01-01"})
    world.service.context.today = lambda: __import__("datetime").date(2031, 6, 1)  # the clock passes retention
    world.call("PATCH", "/enquiries/E1", "deu", json={"retention_until": "2032-01-01"})
    answer = world.call("POST", "/enquiries/E1/candidates", "deu")
    assert answer.status_code == 200 and answer.json()["candidates"] == []
    assert len(world.service.context.index) == 0  # evicted, not just hidden
    expired = world.call("GET", "/retention/expired", "deu_admin", purpose="oversight")
    assert [r["record_id"] for r in expired.json()] == []  # the POL record is not DEU's to review
    expired = world.call("GET", "/retention/expired", "pol_admin", purpose="oversight").json()
    assert [r["record_id"] for r in expired] == ["F1"]
    purged = world.call("POST", "/retention/purge", "pol_admin", purpose="oversight", json={"record_ids": ["F1"]})
    assert purged.json()["erased"] == ["F1"]
    gone = world.call("GET", "/found/F1", "pol")
    assert gone.status_code == 410 and gone.json()["error"] == "erased"
    tomb = query(world.db, "SELECT * FROM tombstones")
    assert [(t[0], t[5]) for t in tomb] == [("POL:F1", "retention")]
    assert count_rows(world.db, "matches") == 0
    reasons = [(r["action"], r["target"], r["reason"]) for r in audit_rows(world.db)]
    assert ("retention.review", "POL:F1", "retention") in reasons


def test_r8_erasure_reaches_index_candidates_and_exports(world):
    world.linked_pair({"consent_purposes": ["tracing", "research"]})
    job = world.call("POST", "/reconciliations", "deu_jobs", purpose="reconciliation", json={}).json()
    assert wait_for_job(world, job["id"])["state"] == "done"
    results = world.call("GET", f"/reconciliations/{job['id']}/results", "deu_jobs", purpose="reconciliation")
    assert "POL:F1" in results.text
    research = world.call("GET", "/research/records", "researcher", purpose="research").text
    assert research.count("\n") == 1  # the found record: its consent covers research

    assert world.call("DELETE", "/found/F1", "pol").status_code == 204
    assert world.call("POST", "/enquiries/E1/candidates", "deu").json()["candidates"] == []
    assert len(world.service.context.index) == 0
    assert count_rows(world.db, "matches") == 0
    results = world.call("GET", f"/reconciliations/{job['id']}/results", "deu_jobs", purpose="reconciliation")
    assert results.status_code == 200 and "POL:F1" not in results.text
    assert world.call("GET", "/research/records", "researcher", purpose="research").text == ""
    assert world.call("GET", "/found/F1", "pol").status_code == 410
    entry = last_audit(world.db, "record.erase")
    assert (entry["target"], entry["outcome"]) == ("POL:F1", "ok")


def test_r8_withdrawn_consent_erases_unless_another_basis_applies(world):
    world.call("POST", "/found", "pol", json=found())
    world.call("POST", "/found", "pol", json=found("F2"))
    kept = world.call("POST", "/found/F2/withdrawal", "pol", json={"keep_on_basis": "vital_interest"})
    assert kept.json()["erased"] is False and kept.json()["record"]["legal_basis"] == "vital_interest"
    erased = world.call("POST", "/found/F1/withdrawal", "pol", json={})
    assert erased.json() == {"erased": True, "record": None}
    assert world.call("GET", "/found/F1", "pol").status_code == 410
    assert [r["target"] for r in audit_rows(world.db) if r["action"] == "record.withdraw"] == ["POL:F2", "POL:F1"]
    assert len(world.service.context.index) == 1


def test_r10_objection_removes_from_matching_until_an_admin_overrides(world):
    world.linked_pair()
    objected = world.call("POST", "/found/F1/objection", "pol")
    assert objected.json()["in_matching"] is False
    assert world.call("POST", "/enquiries/E1/candidates", "deu").json()["candidates"] == []
    refused = world.call("POST", "/found/F1/objection-override", "pol", purpose="oversight", json={"reason": "x"})
    assert refused.status_code == 403 and last_audit(world.db)["reason"] == "role_not_permitted"
    invisible = world.call("POST", "/found/F1/objection-override", "pol_admin", purpose="oversight",
                           json={"reason": "\u200b\u2060"})  # says nothing: once an override
    assert invisible.status_code == 422 and invisible.json()["error"] == "reason_required"
    assert world.call("GET", "/found/F1", "pol").json()["in_matching"] is False
    override = world.call("POST", "/found/F1/objection-override", "pol_admin", purpose="oversight",
                          json={"reason": "Court order 17: family reunification of a child"})
    assert override.json()["in_matching"] is True and override.json()["objection_overridden"] is True
    assert world.call("POST", "/enquiries/E1/candidates", "deu").json()["candidates"][0]["found_id"] == "POL:F1"
    assert "Court order" not in str(audit_rows(world.db))
    assert b"Court order" not in raw_bytes(world.db)


def test_r11_sensitive_fields_encrypted_at_rest_absent_from_answers_logs_and_audit(world, caplog):
    caplog.set_level("DEBUG")
    world.linked_pair({"sensitive": {"religion": "Orthodox", "ethnicity": "Kozak"}})
    world.call("POST", "/enquiries/E1/decisions", "deu", json={"found_id": "POL:F1", "decision": "confirmed"})
    disclosed = world.call("POST", "/enquiries/E1/disclosures", "deu", json={"found_id": "POL:F1"})
    own = world.call("GET", "/found/F1", "pol")
    assert own.json()["holds_sensitive"] is True
    for answer in (disclosed, own):
        assert "Orthodox" not in answer.text and "Kozak" not in answer.text
    export = world.call("GET", "/found/F1/access-export", "pol", purpose="access_request")
    assert export.json()["sensitive"]["religion"] == "Orthodox"  # the person's own data, on request
    assert export.json()["matches"][0]["counterpart"] == "redacted"
    raw = raw_bytes(world.db)
    assert b"POL:F1" in raw  # what is not sealed is there: these are the store's bytes
    for value in PEOPLE:
        assert value.encode() not in raw, value
    logged = caplog.text + str(audit_rows(world.db))
    for value in PEOPLE:
        assert value not in logged, value


def test_r12_minors_need_a_safeguard_and_are_never_published(world):
    child = found("C1", birth_date="2014", age=None, given_names="Mariia", consent_purposes=["tracing", "research"])
    answer = world.call("POST", "/found", "pol", json=child)
    assert answer.status_code == 422 and answer.json()["error"] == "minor_without_safeguard"
    assert last_audit(world.db, "record.submit")["reason"] == "minor_without_safeguard"
    estimated = found("C2", birth_date=None, age="15-25", recorded_on="2020-05-01", consent_purposes=["tracing", "research"])
    assert world.call("POST", "/found", "pol", json=estimated).status_code == 201  # 15 or more six years ago
    assert world.call("GET", "/found/C2", "pol").json()["minor"] is False  # 15 + 6 years: adult by now
    unseen = world.call("POST", "/found", "pol", json={**child, "best_interests": "\u200b"})
    assert unseen.status_code == 422 and unseen.json()["error"] == "minor_without_safeguard"  # no decision
    stored = world.call("POST", "/found", "pol", json={**child, "guardian_consent": True})
    assert stored.status_code == 201 and stored.json()["minor"] is True
    research = world.call("GET", "/research/records", "researcher", purpose="research").text
    assert research.count("\n") == 1  # the adult only
    # a confirmed child with consent to share still needs a best-interests decision for whereabouts
    world.call("POST", "/enquiries", "deu", json=enquiry("E7", given_names="Mariia", family_name="Schewtschenko",
                                                         birth_date="2014", guardian_consent=True))
    candidates = world.call("POST", "/enquiries/E7/candidates", "deu").json()["candidates"]
    assert "POL:C1" in [c["found_id"] for c in candidates]
    world.call("POST", "/enquiries/E7/decisions", "deu", json={"found_id": "POL:C1", "decision": "confirmed"})
    shown = world.call("POST", "/enquiries/E7/disclosures", "deu", json={"found_id": "POL:C1"}).json()
    assert shown["whereabouts"] == "withheld_minor" and shown["location"] is None


def test_r13_transfers_to_non_adherents_are_refused(world):
    world.linked_pair()
    world.service.store.set_adherence("DEU", False)
    answer = world.call("POST", "/enquiries/E1/disclosures", "deu", json={"found_id": "POL:F1"})
    assert answer.status_code == 403 and answer.json()["error"] == "recipient_not_adherent"
    assert "Szewczenko" not in answer.text
    assert last_audit(world.db, "match.disclose")["reason"] == "recipient_not_adherent"
    assert count_rows(world.db, "transfers") == 0


def test_r14_audit_is_append_only_chained_and_holds_no_names_or_places(world):
    world.linked_pair()
    world.call("POST", "/enquiries/E1/disclosures", "deu", json={"found_id": "POL:F1"})
    rows = audit_rows(world.db)
    assert [r["action"] for r in rows] == ["record.submit", "record.submit", "match.search", "match.disclose"]
    assert all(r["at"] and r["key_id"] and r["purpose"] == "tracing" for r in rows)
    for value in PEOPLE:
        assert value not in str(rows)
    with pytest.raises(DatabaseError, match="append-only"):  # each statement in autocommit: no lock held
        execute(world.db, "UPDATE audit SET reason = 'nothing happened' WHERE seq = 1")
    with pytest.raises(DatabaseError, match="append-only"):
        execute(world.db, "DELETE FROM audit WHERE seq = 4")
    trail = world.call("GET", "/audit", "deu_admin", purpose="oversight").json()
    assert trail["chain_intact"] is True
    assert [e["seq"] for e in trail["entries"]] == [1, 3, 4]  # POL's own submission is POL's business
    # someone with the file drops the guard and rewrites history: the chain shows it
    rewrite_audit(world.db, "UPDATE audit SET purpose = 'oversight' WHERE seq = 3")
    full = world.call("GET", "/audit?verify=full", "deu_admin", purpose="oversight").json()  # an older entry: a full pass
    assert full["chain_intact"] is False
    # officers do not read the trail
    refused = world.call("GET", "/audit", "deu", purpose="oversight")
    assert refused.status_code == 403 and last_audit(world.db)["reason"] == "role_not_permitted"


def test_r15_one_society_cannot_read_or_change_another_societys_records(world):
    world.call("POST", "/found", "pol", json=found())
    before = world.call("GET", "/found/F1", "pol").json()
    for method, path, body in [("GET", "/found/F1", None), ("PATCH", "/found/F1", {"location": "elsewhere"}),
                               ("DELETE", "/found/F1", None), ("POST", "/found/F1/objection", None),
                               ("POST", "/found/F1/withdrawal", {})]:
        answer = world.call(method, path, "deu", json=body)
        assert answer.status_code == 404 and answer.json()["error"] == "not_found", (method, path)
        entry = last_audit(world.db)
        assert (entry["society"], entry["target"], entry["reason"]) == ("DEU", "DEU:F1", "not_found")
    assert world.call("GET", "/found/F1", "pol").json() == before
    answer = world.call("POST", "/found", "deu", json=found("F5", society="POL"))
    assert answer.status_code == 403 and answer.json()["error"] == "other_society"
    assert count_rows(world.db, "records") == 1
    export = world.call("GET", "/found/F1/access-export", "deu", purpose="access_request")
    assert export.status_code == 404


def test_r16_nothing_final_without_an_officer_and_only_admins_set_deceased(world):
    world.linked_pair()
    assert query(world.db, "SELECT state FROM matches") == [("potential",)]
    refused = world.call("POST", "/enquiries/E1/decisions", "deu_jobs", purpose="tracing",
                         json={"found_id": "POL:F1", "decision": "confirmed"})
    assert refused.status_code == 403 and last_audit(world.db)["reason"] == "role_not_permitted"
    answer = world.call("PATCH", "/found/F1", "pol", json={"status": "deceased"})
    assert answer.status_code == 403 and answer.json()["error"] == "deceased_needs_admin"
    assert last_audit(world.db, "record.correct")["reason"] == "deceased_needs_admin"
    assert world.call("GET", "/found/F1", "pol").json()["fields"]["status"] == "alive"
    dead = world.call("POST", "/found", "pol", json=found("F2", status="deceased"))
    assert dead.status_code == 403
    assert world.call("PATCH", "/found/F1", "pol_admin", json={"status": "deceased"}).json()["fields"]["status"] == "deceased"
    rejected = world.call("POST", "/enquiries/E1/decisions", "deu", json={"found_id": "POL:F1", "decision": "rejected"})
    assert rejected.json()["state"] == "rejected"
    answer = world.call("POST", "/enquiries/E1/disclosures", "deu", json={"found_id": "POL:F1"})
    assert answer.status_code == 409 and last_audit(world.db)["reason"] == "rejected_match"
