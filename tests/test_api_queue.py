"""GET /enquiries: the society's work queue, by state, searched by id, paged, audited."""

from __future__ import annotations

import pytest

from rfl_api_harness import enquiry, found, last_audit, world_at


@pytest.fixture
def world(database):
    with world_at(database) as w:
        yield w


def _queue(world, who="deu", **params):
    answer = world.call("GET", "/enquiries", who, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_states_follow_candidates_decisions_retention_and_withdrawal(world):
    world.linked_pair()  # E1 has a potential candidate
    for record_id in ("E2", "E3", "E4"):
        assert world.call("POST", "/enquiries", "deu", json=enquiry(record_id, family_name="Nowak")).status_code == 201
    world.call("POST", "/enquiries", "deu", json=enquiry("E5", retention_until="2001-01-01"))
    world.call("POST", "/enquiries/E4/withdrawal", "deu", json={})
    states = {row["record_id"]: row["state"] for row in _queue(world)["enquiries"]}
    assert states == {"E1": "review", "E2": "new", "E3": "new", "E4": "withdrawn", "E5": "closed"}

    world.call("POST", "/enquiries/E1/decisions", "deu", json={"found_id": "POL:F1", "decision": "confirmed"})
    listed = _queue(world, state="confirmed")
    assert [r["record_id"] for r in listed["enquiries"]] == ["E1"]
    assert listed["enquiries"][0]["confirmed"] == 1 and listed["total"] == 1
    assert listed["counts"] == {"new": 2, "review": 0, "confirmed": 1, "closed": 1, "withdrawn": 1}
    entry = last_audit(world.db, "record.read")
    assert (entry["outcome"], entry["reason"]) == ("ok", "rows:1;state:confirmed")


def test_rows_hold_no_names_and_other_societies_see_nothing(world):
    world.linked_pair()
    answer = world.call("GET", "/enquiries", "deu")
    assert "Schewtschenko" not in answer.text and "1984" not in answer.text
    assert _queue(world, "pol")["total"] == 0  # POL has found records, no enquiries
    assert _queue(world, "pol")["counts"]["review"] == 0


def test_search_by_id_and_paging(world):
    for n in range(1, 8):
        world.call("POST", "/enquiries", "deu", json=enquiry(f"E{n}"))
    world.call("POST", "/enquiries", "deu", json=enquiry("X-77"))
    assert [r["record_id"] for r in _queue(world, record_id="x-7")["enquiries"]] == ["X-77"]
    first, last = _queue(world, per_page=3), _queue(world, per_page=3, page=3)
    assert first["total"] == 8 and len(first["enquiries"]) == 3 and len(last["enquiries"]) == 2
    seen = {r["record_id"] for p in (1, 2, 3) for r in _queue(world, per_page=3, page=p)["enquiries"]}
    assert len(seen) == 8


def test_refusals_are_the_api_s(world):
    assert world.call("GET", "/enquiries", "deu", params={"state": "lost"}).status_code == 422
    answer = world.call("GET", "/enquiries", "researcher", purpose="research")
    assert answer.status_code == 403 and answer.json()["error"] == "role_not_permitted"
    assert last_audit(world.db)["action"] == "record.read"
    assert world.call("POST", "/found", "pol", json=found()).status_code == 201


def test_a_decision_may_say_why_as_a_code_kept_in_the_audit_trail(world):
    world.linked_pair()
    answer = world.call("POST", "/enquiries/E1/decisions", "deu",
                        json={"found_id": "POL:F1", "decision": "rejected", "why": "identity_verified"})
    assert answer.status_code == 422 and last_audit(world.db, "match.decide")["reason"] == "invalid:why:literal_error"
    answer = world.call("POST", "/enquiries/E1/decisions", "deu",
                        json={"found_id": "POL:F1", "decision": "rejected", "why": "dates_conflict"})
    assert answer.status_code == 200 and answer.json()["state"] == "rejected"
    assert last_audit(world.db, "match.decide")["reason"] == "rejected:POL:F1;why:dates_conflict"
    assert _queue(world)["enquiries"][0]["rejected"] == 1
