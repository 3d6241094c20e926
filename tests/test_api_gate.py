"""The gate in front of every route (issue #10, items 6, 9 and 11): a call is refused on its
headers before its body is read, one key and one purpose per call, callers without a key are
counted rather than logged one by one, and the audit trail says what each caller was answered,
a crash included."""

from __future__ import annotations

import logging
import socket
import time

import pytest
from polars.exceptions import PanicException

from api.limits import Limits
from rfl_api_harness import audit_rows, count_rows, enquiry, last_audit, make_world, serving, world_at


@pytest.fixture
def world(database):
    with world_at(database) as w:
        yield w


def _answer_before_the_body(address, headers: dict, declared: int) -> bytes:
    """Send a POST's headers and a few bytes of a `declared`-byte body, never the rest; return
    the start of the answer, or fail if none comes (the server waits for a body never sent)."""
    head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": "localhost", "Content-Type": "application/json",
                                                  "Content-Length": str(declared), **headers}.items())
    with socket.create_connection(address, timeout=5) as sock:
        sock.sendall(f"POST /reconciliations HTTP/1.1\r\n{head}\r\n".encode() + b'{"enquiries": [')
        answer = b""
        try:
            while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < _length(answer):
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except TimeoutError:
            pytest.fail("no answer within 5 s: the server is waiting to read the body")
        return answer


def _length(answer: bytes) -> int:
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    return int(head.split(b"content-length: ", 1)[1].split(b"\r\n", 1)[0]) if b"content-length: " in head else 0


def test_calls_are_refused_on_their_headers_before_a_byte_of_the_body_is_read(database):
    db, keys = make_world(database)
    with serving(db) as address:
        started = time.monotonic()
        for headers, code in (
            ({"X-RFL-Purpose": "reconciliation"}, b"not_a_movement_component"),             # no key
            ({"X-RFL-Key": "rfl_0123456789abcdef_" + "A" * 43, "X-RFL-Purpose": "reconciliation"},
             b"not_a_movement_component"),                                                  # unknown key
            ({"X-RFL-Key": keys["deu"], "X-RFL-Purpose": "reconciliation"}, b"role_not_permitted"),
            ({"X-RFL-Key": keys["deu_jobs"], "X-RFL-Purpose": "law_enforcement"}, b"purpose_outside_rfl"),
            ({"X-RFL-Key": keys["deu_jobs"]}, b"purpose_missing"),
        ):
            answer = _answer_before_the_body(address, headers, 31 * 1024 * 1024)
            assert answer.startswith(b"HTTP/1.1 403") and code in answer, answer[:200]
        assert time.monotonic() - started < 5
    assert count_rows(db, "jobs") == 0


@pytest.mark.parametrize("sent", [
    [("X-RFL-Purpose", "tracing"), ("X-RFL-Purpose", "law_enforcement")],
    [("X-RFL-Purpose", "tracing"), ("X-RFL-Purpose", "tracing")],
    [("X-RFL-Purpose", "tracing, law_enforcement")],   # one header, two values: not a purpose
])
def test_a_call_names_one_purpose(world, sent):
    world.call("POST", "/enquiries", "deu", json=enquiry())
    answer = world.client.post("/enquiries/E1/candidates", headers=[("X-RFL-Key", world.keys["deu"]), *sent])
    assert answer.status_code in (400, 403), answer.text
    assert answer.json()["error"] in ("header_repeated", "purpose_unknown")
    entry = last_audit(world.db)
    assert (entry["action"], entry["outcome"], entry["status"]) == ("match.search", "refused", answer.status_code)
    assert entry["key_id"] == world.keys["deu"].split("_")[1] and entry["purpose"] in ("repeated", "unrecognised")
    assert count_rows(world.db, "matches") == 0


def test_a_call_sends_one_key(world):
    answer = world.client.get("/model", headers=[("X-RFL-Key", world.keys["deu"]), ("X-RFL-Key", world.keys["pol"]),
                                                 ("X-RFL-Purpose", "tracing")])
    assert answer.status_code == 400 and answer.json()["error"] == "header_repeated"
    entry = last_audit(world.db)
    assert (entry["action"], entry["key_id"], entry["reason"]) == ("model.read", None, "header_repeated")


def test_a_flood_of_keyless_calls_is_counted_not_written_one_by_one(database):
    calls = 600
    with world_at(database) as world:
        before = count_rows(world.db, "audit")
        for n in range(calls):
            path = ("/enquiries/E1", "/audit", "/nowhere")[n % 3]
            key = {} if n % 2 else {"X-RFL-Key": "rfl_0123456789abcdef_" + "A" * 43}
            assert world.client.get(path, headers={**key, "X-RFL-Purpose": "tracing"}).status_code == 403
        written = audit_rows(world.db)[before:]
        assert len(written) == 3  # the first refusal of each route; the rest are counted
        assert {(r["action"], r["reason"]) for r in written} == {
            ("record.read", "not_a_movement_component"), ("audit.read", "not_a_movement_component"),
            ("unknown_route", "not_a_movement_component")}
        trail = world.call("GET", "/audit", "deu_admin", purpose="oversight").json()["entries"]
        assert len(trail) <= 10  # an admin's view is not buried
    written = audit_rows(world.db)[before:]  # the service stopped: every window's count is stored
    counted = sum(int(r["reason"].split(";more:")[1]) if ";more:" in r["reason"] else 1
                  for r in written if r["key_id"] is None)
    assert counted == calls


def test_keyless_refusals_are_summed_per_window(database):
    # A window long enough that five refused calls fit in it on a loaded machine (0.3 s once did not,
    # with PostgreSQL writing the first entry), then a pause past it.
    with world_at(database, limits=Limits(refusal_window=2.0)) as world:
        before = count_rows(world.db, "audit")
        for _ in range(5):
            world.client.get("/model", headers={"X-RFL-Purpose": "tracing"})
        time.sleep(2.1)
        world.client.get("/model", headers={"X-RFL-Purpose": "tracing"})  # a new window; the last one closes
        reasons = [r["reason"] for r in audit_rows(world.db)[before:]]
        assert reasons == ["not_a_movement_component", "not_a_movement_component;more:4", "not_a_movement_component"]


def test_a_crash_is_a_500_audited_as_such_and_logged_without_its_message(world, monkeypatch, caplog):
    def crash(*_):
        raise ValueError("no model for Haddad Yusuf born 1985-04-12")

    monkeypatch.setattr(world.service.matching, "model", crash)
    with caplog.at_level(logging.INFO):
        answer = world.call("GET", "/model", "deu")
    assert answer.status_code == 500 and answer.json()["error"] == "internal_error"
    entry = last_audit(world.db)
    assert (entry["action"], entry["outcome"], entry["status"], entry["reason"]) == \
        ("model.read", "refused", 500, "internal_error")
    assert "ValueError" in caplog.text and "Haddad" not in caplog.text and "1985" not in caplog.text


def test_a_panic_is_a_500_audited_as_such(world, monkeypatch):
    def panic(*_):
        raise PanicException("called `Option::unwrap()` on a `None` value")  # a BaseException, not an Exception

    monkeypatch.setattr(world.service.matching, "model", panic)
    answer = world.call("GET", "/model", "deu")
    assert answer.status_code == 500
    assert (last_audit(world.db)["outcome"], last_audit(world.db)["status"]) == ("refused", 500)


def test_a_change_stored_with_its_entry_and_then_failing_to_answer_is_audited_twice(world, monkeypatch):
    import api.routers.records as records

    def broken(*_):
        raise RuntimeError("the answer could not be built")

    monkeypatch.setattr(records, "record_out", broken)
    answer = world.call("POST", "/enquiries", "deu", json=enquiry())
    assert answer.status_code == 500
    stored, failed = audit_rows(world.db)[-2:]
    assert (stored["action"], stored["outcome"], stored["status"], stored["target"]) == \
        ("record.submit", "ok", 201, "DEU:E1")  # the record was stored: the entry of its change stands
    assert (failed["action"], failed["outcome"], failed["status"], failed["target"]) == \
        ("record.submit", "refused", 500, "DEU:E1")


def test_every_answer_has_its_entry_with_its_status(world):
    """Malformed JSON never reached the route, and an oversized body was refused before it: both
    went unaudited. Now every call that has a route leaves one entry with the status it got."""
    for content, status in ((b'{"record_id": "E1", ', 422), (b"x" * 100_000, 413)):
        answer = world.call("POST", "/enquiries", "deu", content=content, headers={"Content-Type": "application/json"})
        assert answer.status_code == status
        entry = last_audit(world.db)
        assert (entry["action"], entry["outcome"], entry["status"]) == ("record.submit", "refused", status)


def test_no_answer_leaves_without_its_entry(world, monkeypatch):
    """If the audit trail cannot be written, the caller is not served: R14 before the answer."""
    import sqlite3

    from fastapi.testclient import TestClient

    def full_disk(entry):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(world.service.store, "append_audit", full_disk)
    client = TestClient(world.client.app, raise_server_exceptions=False)  # the running app, no second start
    answer = client.get("/model", headers={"X-RFL-Key": world.keys["deu"], "X-RFL-Purpose": "tracing"})
    assert answer.status_code == 500 and "sha256" not in answer.text
