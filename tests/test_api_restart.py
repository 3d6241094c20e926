"""An acknowledged write survives a restart: write, stop the app, start it on the same file."""

from __future__ import annotations

from rfl_api_harness import World, enquiry, found, make_world, running


def test_restart_keeps_records_matches_decisions_index_and_audit(database):
    db, keys = make_world(database)
    with running(db) as client:
        world = World(db, client, keys)
        assert world.call("POST", "/enquiries", "deu", json=enquiry()).status_code == 201
        assert world.call("POST", "/found", "pol", json=found()).status_code == 201
        assert world.call("POST", "/found", "pol", json=found("F2", tracing_consent="no")).status_code == 201
        world.call("POST", "/enquiries/E1/candidates", "deu")
        world.call("POST", "/enquiries/E1/decisions", "deu", json={"found_id": "POL:F1", "decision": "confirmed"})
        world.call("PATCH", "/enquiries/E1", "deu", json={"given_names": "Oleksandr"})
    with running(db) as client:
        world = World(db, client, keys)
        assert world.call("GET", "/enquiries/E1", "deu").json()["fields"]["given_names"] == "Oleksandr"
        assert len(world.service.context.index) == 1  # rebuilt from the store: eligible records only
        candidates = world.call("POST", "/enquiries/E1/candidates", "deu").json()["candidates"]
        assert candidates[0]["found_id"] == "POL:F1"
        shown = world.call("POST", "/enquiries/E1/disclosures", "deu", json={"found_id": "POL:F1"}).json()
        assert shown["match_state"] == "confirmed" and shown["whereabouts"] == "disclosed"
        trail = world.call("GET", "/audit", "deu_admin", purpose="oversight").json()
        assert trail["chain_intact"] and [e["action"] for e in trail["entries"]][:2] == ["record.submit", "match.search"]


def test_concurrent_writes_and_searches_keep_the_store_and_audit_consistent(database):
    """Threads of two societies submit and search at once: every write lands, the chain holds."""
    from concurrent.futures import ThreadPoolExecutor

    db, keys = make_world(database)
    with running(db) as client:
        world = World(db, client, keys)

        def work(n: int) -> tuple[int, int]:
            made = world.call("POST", "/found", "pol", json=found(f"F{n}", given_names=f"Oleksandr{n}")).status_code
            world.call("POST", "/enquiries", "deu", json=enquiry(f"E{n}"))
            return made, world.call("POST", f"/enquiries/E{n}/candidates", "deu").status_code

        with ThreadPoolExecutor(max_workers=4) as pool:
            assert set(pool.map(work, range(24))) == {(201, 200)}
        assert len(world.service.context.index) == 24
        trail = world.call("GET", "/audit", "deu_admin", purpose="oversight").json()
        assert trail["chain_intact"]
        assert sorted({e["status"] for e in trail["entries"]}) == [200, 201]
