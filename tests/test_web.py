"""The officers' workspace over HTTP, as a browser uses it (forms, cookies, redirects), without a
browser: sessions, CSRF, the pages' service calls and their audit entries. The browser tests
(test_web_browser.py) drive the same pages in Chromium."""

from __future__ import annotations

import io
import json
import re

import polars as pl
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.web import WebSettings
from matching.names import romanise
from rfl_api_harness import audit_rows, audit_text, count_rows, found, last_audit, make_world, world_at
from rfl_web_harness import csrf_of, enquiry_form, sign_in


@pytest.fixture
def world(database):
    with world_at(database) as w:
        yield w


def _actions(db, since=0):
    return [(r["action"], r["outcome"], r["reason"]) for r in audit_rows(db)[since:]]


def test_pages_need_a_session(world):
    for path in ("/web/", "/web/enquiries/new", "/web/enquiries/E1", "/web/enquiries/E1/review"):
        answer = world.client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/web/sign-in?next=")
    assert world.client.get("/", follow_redirects=False).headers["location"] == "/web/"


def test_sign_in_exchanges_the_key_for_a_strict_httponly_session_cookie(world):
    page = world.client.get("/web/sign-in")
    assert "SameSite=strict" in page.headers["set-cookie"] and "HttpOnly" in page.headers["set-cookie"]
    answer = world.client.post("/web/sign-in", data={"csrf": csrf_of(page.text), "key": world.keys["deu"],
                                                     "purpose": "tracing", "next": "/web/"}, follow_redirects=False)
    cookie = answer.headers.get_list("set-cookie")[0]
    assert cookie.startswith("rfl_session=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Path=/web" in cookie and "Secure" not in cookie  # plain http on 127.0.0.1
    assert world.keys["deu"] not in cookie
    queue = world.client.get("/web/")
    assert queue.status_code == 200 and "DEU" in queue.text and "Tracing" in queue.text  # society and purpose shown
    entry = last_audit(world.db, "web.sign_in")
    assert (entry["outcome"], entry["society"], entry["purpose"]) == ("ok", "DEU", "tracing")
    assert world.keys["deu"].split("_", 2)[2] not in str(audit_rows(world.db))


def test_cookies_are_secure_behind_tls_or_when_configured(database):
    db, keys = make_world(database)
    with TestClient(create_app(db), base_url="https://testserver") as client:
        page = client.get("/web/sign-in")
        assert "Secure" in page.headers["set-cookie"]
        answer = client.post("/web/sign-in", data={"csrf": csrf_of(page.text), "key": keys["deu"],
                                                   "purpose": "tracing"}, follow_redirects=False)
        assert "Secure" in answer.headers.get_list("set-cookie")[0]
    with TestClient(create_app(db, web=WebSettings(secure_cookies=True))) as client:
        assert "Secure" in client.get("/web/sign-in").headers["set-cookie"]


@pytest.mark.parametrize("who,code", [("not-a-key", "not_a_movement_component"), ("researcher", "role_not_permitted")])
def test_sign_in_refusals_are_pages_and_audited(world, who, code):
    page = world.client.get("/web/sign-in")
    answer = world.client.post("/web/sign-in", data={"csrf": csrf_of(page.text), "key": world.keys.get(who, who),
                                                     "purpose": "tracing"})
    assert answer.status_code == 403 and "rfl_session" not in answer.headers.get("set-cookie", "")
    entry = last_audit(world.db, "web.sign_in")
    assert (entry["outcome"], entry["reason"]) == ("refused", code)


def test_sign_in_form_needs_its_own_csrf_token(world):
    world.client.get("/web/sign-in")
    answer = world.client.post("/web/sign-in", data={"key": world.keys["deu"], "purpose": "tracing"})
    assert answer.status_code == 403 and "csrf_token_invalid" in answer.text


def test_a_form_posted_without_its_csrf_token_is_refused_and_audited(world):
    sign_in(world.client, world.keys["deu"])
    answer = world.client.post("/web/enquiries", data=enquiry_form())
    assert answer.status_code == 403 and "csrf_token_invalid" in answer.text
    answer = world.client.post("/web/enquiries", data={**enquiry_form(), "csrf": "forged"})
    assert answer.status_code == 403
    assert count_rows(world.db, "records") == 0
    entry = last_audit(world.db, "record.submit")
    assert (entry["outcome"], entry["status"], entry["reason"]) == ("refused", 403, "csrf_token_invalid")


def test_sign_out_revocation_and_idle_time_end_sessions(world):
    token = sign_in(world.client, world.keys["deu"])
    assert world.client.post("/web/sign-out", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert world.client.get("/web/", follow_redirects=False).status_code == 303
    assert last_audit(world.db, "web.sign_out")["outcome"] == "ok"

    sign_in(world.client, world.keys["deu"])
    world.service.store.revoke_key(world.keys["deu"].split("_")[1])
    answer = world.client.get("/web/", follow_redirects=False)
    assert answer.status_code == 303 and "reason=revoked" in answer.headers["location"]
    assert len(world.client.app.state.web.sessions) == 0

    sessions = world.client.app.state.web.sessions
    now = [1000.0]
    sessions.clock = lambda: now[0]
    sign_in(world.client, world.keys["pol"])
    now[0] += 14 * 60
    assert world.client.get("/web/", follow_redirects=False).status_code == 200
    now[0] += 16 * 60
    answer = world.client.get("/web/", follow_redirects=False)
    assert answer.status_code == 303 and "reason=expired" in answer.headers["location"]


def test_the_form_names_each_bad_field_and_shows_romanised_names(world):
    token = sign_in(world.client, world.keys["deu"])
    answer = world.client.post("/web/enquiries", data={"csrf": token, **enquiry_form(
        birth_date="12.03.1984", legal_basis="", given_names="محمد", family_name="الحسيني")})
    assert answer.status_code == 422
    assert 'href="#f-birth_date"' in answer.text and 'href="#f-legal_basis"' in answer.text
    assert 'id="f-birth_date"' in answer.text and 'aria-invalid="true"' in answer.text
    assert "محمد" in answer.text and f">{romanise('محمد')}</span>" in answer.text  # the matcher's own form
    assert romanise("محمد").isascii()
    entry = last_audit(world.db, "record.submit")
    assert entry["outcome"] == "refused" and entry["reason"].startswith("invalid:birth_date:")
    assert "1984" not in audit_text(world.db) and "محمد" not in audit_text(world.db)
    # the service's own refusal (R12) lands on its field
    answer = world.client.post("/web/enquiries", data={"csrf": token, **enquiry_form(birth_date="2015-01-01")})
    assert answer.status_code == 422 and 'href="#f-best_interests"' in answer.text
    assert last_audit(world.db, "record.submit")["reason"] == "minor_without_safeguard"


def test_romanised_preview_is_posted_never_in_a_url(world):
    token = sign_in(world.client, world.keys["deu"])
    answer = world.client.post("/web/romanise", data={"csrf": token, "field": "given_names",
                                                      "given_names": "Олександр"})
    assert answer.status_code == 200 and "oleksandr" in answer.text
    assert world.client.post("/web/romanise", data={"field": "given_names", "given_names": "x"}).status_code == 403


def test_review_confirm_and_disclose_make_the_api_s_calls(world):
    token = sign_in(world.client, world.keys["deu"])
    assert world.client.post("/web/enquiries", data={"csrf": token, **enquiry_form()},
                             follow_redirects=False).status_code == 303
    assert world.call("POST", "/found", "pol", json=found()).status_code == 201
    since = len(audit_rows(world.db))
    review = world.client.get("/web/enquiries/E1/review")
    assert review.status_code == 200 and "POL:F1" in review.text and "strong — verify first" in review.text
    for value in ("Szewczenko", "Oleksandr", "Charkow", "Przemysl", "600 000 111"):
        assert value not in review.text  # R6: evidence only, until a disclosure
    answer = world.client.post("/web/enquiries/E1/decisions", data={
        "csrf": token, "found_id": "POL:F1", "decision": "confirmed", "reason": "identity_verified"},
        follow_redirects=False)
    assert answer.status_code == 303
    shown = world.client.post("/web/enquiries/E1/disclosures", data={"csrf": token, "found_id": "POL:F1"})
    assert shown.status_code == 200 and "Przemysl" in shown.text and "Szewczenko" in shown.text
    assert _actions(world.db, since) == [
        ("record.read", "ok", None), ("match.search", "ok", last_audit(world.db, "match.search")["reason"]),
        ("match.decide", "ok", "confirmed:POL:F1;why:identity_verified"), ("match.disclose", "ok", "POL:F1:disclosed"),
        ("record.read", "ok", None)]
    assert count_rows(world.db, "transfers") == 1
    assert world.call("GET", "/enquiries", "deu", params={"state": "confirmed"}).json()["total"] == 1


def test_a_decision_needs_a_reason(world):
    world.linked_pair()
    token = sign_in(world.client, world.keys["deu"])
    answer = world.client.post("/web/enquiries/E1/decisions", data={
        "csrf": token, "found_id": "POL:F1", "decision": "confirmed"})
    assert answer.status_code == 200 and "Choose the reason" in answer.text
    assert world.service.store.get_match("DEU:E1", "POL:F1").state == "potential"


def test_another_society_cannot_open_the_enquiry_by_url(world):
    world.linked_pair()
    token = sign_in(world.client, world.keys["pol"])
    for path in ("/web/enquiries/E1", "/web/enquiries/E1/review", "/web/enquiries/E1/edit"):
        answer = world.client.get(path)
        assert answer.status_code == 404 and "Schewtschenko" not in answer.text
    answer = world.client.post("/web/enquiries/E1/disclosures", data={"csrf": token, "found_id": "POL:F1"})
    assert answer.status_code == 404
    entry = last_audit(world.db, "match.disclose")
    assert (entry["society"], entry["outcome"], entry["reason"]) == ("POL", "refused", "not_found")


def test_access_export_needs_its_purpose_and_correction_keeps_the_rest(world):
    token = sign_in(world.client, world.keys["deu"])
    world.client.post("/web/enquiries", data={"csrf": token, **enquiry_form()})
    refused = world.client.get("/web/enquiries/E1/access")
    assert refused.status_code == 403 and "purpose_not_for_action" in refused.text
    world.client.post("/web/purpose", data={"csrf": token, "purpose": "access_request", "next": "/web/"})
    assert last_audit(world.db, "web.purpose")["reason"] == "purpose:access_request"
    export = world.client.get("/web/enquiries/E1/access")
    assert export.status_code == 200 and "Schewtschenko" in export.text
    download = world.client.get("/web/enquiries/E1/access.json")
    assert download.json()["record"]["fields"]["family_name"] == "Schewtschenko"
    assert last_audit(world.db, "record.access_export")["outcome"] == "ok"

    world.client.post("/web/purpose", data={"csrf": token, "purpose": "tracing", "next": "/web/"})
    form = world.client.get("/web/enquiries/E1/edit").text
    assert 'value="Schewtschenko"' in form
    values = {**enquiry_form(family_name="Shevchenko"), "csrf": token, "version": "1"}
    answer = world.client.post("/web/enquiries/E1", data=values, follow_redirects=False)
    assert answer.status_code == 303
    record = world.service.store.get_record("DEU:E1")
    assert record.fields["family_name"] == "Shevchenko" and record.fields["birth_place"] == "Charkiw"
    stale = world.client.post("/web/enquiries/E1", data=values)  # the form of version 1 again
    assert stale.status_code == 409 and "changed_meanwhile" in stale.text


def test_queue_page_lists_states_and_searches_by_id(world):
    world.linked_pair()
    sign_in(world.client, world.keys["deu"])
    page = world.client.get("/web/?state=review")
    assert page.status_code == 200 and ">E1<" in page.text and "Schewtschenko" not in page.text
    assert ">E1<" not in world.client.get("/web/?state=new").text
    assert ">E1<" in world.client.get("/web/?q=e1").text


def test_pages_are_not_cached_and_allow_no_foreign_script(world):
    sign_in(world.client, world.keys["deu"])
    page = world.client.get("/web/")
    assert page.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_disclosure_to_a_non_adherent_society_is_refused_with_the_reason(world):
    world.linked_pair()
    world.service.store.set_adherence("DEU", False)
    token = sign_in(world.client, world.keys["deu"])
    answer = world.client.post("/web/enquiries/E1/disclosures", data={"csrf": token, "found_id": "POL:F1"})
    assert answer.status_code == 403
    assert "not adhering to the Code of Conduct" in answer.text and "Szewczenko" not in answer.text
    assert last_audit(world.db, "match.disclose")["reason"] == "recipient_not_adherent"
    assert count_rows(world.db, "transfers") == 0


def _upload(world, token, name, content, csrf=True):
    return world.client.post("/web/enquiries/import", data={"csrf": token} if csrf else {},
                             files={"file": (name, content, "application/octet-stream")})


def test_import_lists_every_bad_row_by_row_and_column_and_stores_nothing(world):
    token = sign_in(world.client, world.keys["deu"])
    csv = ("record_id,family_name,given_names,birth_date,legal_basis\n"
           "I1,Haddad,Rania,1990-04-02,vital_interest\n"
           "I2,Khoury,Samir,02/04/1990,vital_interest\n"
           "I3,Nasser,Lina,1985,\n"
           "I1,Haddad,Rania,1990,consent\n")
    answer = _upload(world, token, "people.csv", csv.encode())
    assert answer.status_code == 422
    rows = re.findall(r"<tr><td>(\d+)</td><td><code dir=\"ltr\">([\w—]+)</code></td>", answer.text)
    assert rows == [("2", "birth_date"), ("3", "legal_basis"), ("4", "record_id")]
    assert "02/04/1990" not in answer.text and "Khoury" not in answer.text  # problems, never values
    assert count_rows(world.db, "records") == 0


def test_import_submits_each_row_through_the_service(world):
    token = sign_in(world.client, world.keys["deu"])
    rows = [{"record_id": "J1", "given_names": "Олександр", "family_name": "Шевченко",
             "legal_basis": "vital_interest"},
            {"record_id": "J2", "family_name": "Haddad", "birth_date": "2016", "legal_basis": "vital_interest"},
            {"record_id": "J3", "family_name": "Nasser", "legal_basis": "consent",
             "consent_purposes": "tracing;research"}]
    answer = _upload(world, token, "batch.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode())
    assert answer.status_code == 200 and "2 enquiries stored" in answer.text
    assert "minor_without_safeguard" in answer.text  # J2 may be a child: refused by the code of conduct
    assert world.service.store.get_record("DEU:J3").consent_purposes == ["tracing", "research"]
    submits = [(r["target"], r["outcome"], r["reason"]) for r in audit_rows(world.db) if r["action"] == "record.submit"]
    assert submits == [("DEU:J1", "ok", None), ("DEU:J2", "refused", "minor_without_safeguard"), ("DEU:J3", "ok", None)]
    buffer = io.BytesIO()
    pl.DataFrame([{"record_id": "K1", "family_name": "Nowak", "legal_basis": "public_interest"}]).write_parquet(buffer)
    assert "1 enquiry stored" in _upload(world, token, "k.parquet", buffer.getvalue()).text
    refused = _upload(world, token, "k.csv", b"record_id,legal_basis\nK2,consent\n", csrf=False)
    assert refused.status_code == 403 and world.service.store.get_record("DEU:K2") is None
