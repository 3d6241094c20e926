"""GET /audit verifies the hash chain incrementally (issue #10, item 6): a call hashes the
entries added since the last verification, not the whole trail; an older entry edited since is
found by a full verification, which the service runs when it starts and an admin can ask for."""

from __future__ import annotations


from rfl.audit import AuditEntry
from rfl_api_harness import enquiry, rewrite_audit, running, world_at


def _hashing(monkeypatch) -> list:
    hashed, real = [], AuditEntry.chained_hash
    monkeypatch.setattr(AuditEntry, "chained_hash", lambda self, previous: hashed.append(1) or real(self, previous))
    return hashed


def test_each_audit_call_hashes_only_the_entries_added_since_the_last(database, monkeypatch):
    with world_at(database) as world:
        for n in range(150):
            world.call("GET", "/model", "deu")
        trail = lambda query="": world.call("GET", f"/audit{query}", "deu_admin", purpose="oversight")  # noqa: E731
        assert trail().json()["chain_intact"] is True
        hashed = _hashing(monkeypatch)
        answer = trail()
        assert answer.json()["chain_intact"] is True
        assert len(hashed) <= 3  # the last call's entry, and this call's own as it is written; not 150 and more
        hashed.clear()
        full = trail("?verify=full")
        assert full.json()["chain_intact"] is True and len(hashed) > 150
        assert [e["reason"] for e in trail().json()["entries"] if e["action"] == "audit.read"][-1] == "verified:full"


def test_an_older_entry_edited_shows_to_a_full_verification_and_at_the_next_start(database):
    with world_at(database) as world:
        world.call("POST", "/enquiries", "deu", json=enquiry())
        world.call("GET", "/enquiries/E1", "deu")
        admin = lambda query="": world.call("GET", f"/audit{query}", "deu_admin", purpose="oversight")  # noqa: E731
        assert admin().json()["chain_intact"] is True
        rewrite_audit(world.db, "UPDATE audit SET purpose = 'oversight' WHERE seq = 2")  # the hash is left as it was
        assert admin().json()["chain_intact"] is True  # the trade-off: only new entries are hashed
        assert admin("?verify=full").json()["chain_intact"] is False
        assert admin().json()["chain_intact"] is False  # and from then on
        db, keys = world.db, world.keys
    with running(db) as client:  # the next start verifies the whole trail
        answer = client.get("/audit", headers={"X-RFL-Key": keys["deu_admin"], "X-RFL-Purpose": "oversight"})
        assert answer.json()["chain_intact"] is False
