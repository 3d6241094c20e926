"""`rfl store copy`: a service's SQLite store moved to PostgreSQL loses no row and no audit entry,
re-seals nothing it need not, and the service answers from the copy as it did from the file."""

from __future__ import annotations

import base64
import shutil

from rfl.cli import main
from rfl.crypto import KEY_ENV, KEY_FILE
from rfl_api_harness import (audit_rows, count_rows, enquiry, execute, found, query, rewrite_audit, running,
                             wait_for_job, world_at)

TABLES = ("records", "tombstones", "matches", "transfers", "api_keys", "societies", "jobs", "job_results")


def _served_sqlite(folder, monkeypatch):
    """A SQLite store with something in every table, made through the API with its own key file."""
    monkeypatch.delenv(KEY_ENV)
    db = folder / "data" / "rfl.sqlite"
    with world_at(db) as world:
        world.linked_pair()
        world.call("POST", "/found", "pol", json=found("F2", given_names="Andrii"))
        job = world.call("POST", "/reconciliations", "deu_jobs", purpose="reconciliation", json={}).json()
        assert wait_for_job(world, job["id"])["state"] == "done"
        world.call("POST", "/enquiries/E1/decisions", "deu", json={"found_id": "POL:F1", "decision": "confirmed"})
        world.call("POST", "/enquiries/E1/disclosures", "deu", json={"found_id": "POL:F1"})
        assert world.call("DELETE", "/found/F2", "pol").status_code == 204
        keys = world.keys
    return db, keys


def test_copy_to_postgresql_keeps_every_row_and_the_audit_chain(postgres_database, tmp_path, monkeypatch):
    target = postgres_database
    db, keys = _served_sqlite(tmp_path, monkeypatch)
    monkeypatch.setenv(KEY_ENV, (db.parent / KEY_FILE).read_text().strip())  # one key: nothing is re-sealed
    assert main(["store", "copy", "--from", str(db), "--to", target]) == 0
    for table in TABLES:
        assert count_rows(target, table) == count_rows(db, table) > 0, table
    assert query(target, "SELECT key, personal, sensitive FROM records ORDER BY key") == \
        query(db, "SELECT key, personal, sensitive FROM records ORDER BY key")  # the very bytes sealed
    before, after = audit_rows(db), audit_rows(target)
    assert after[:-1] == before and after[-1]["action"] == "store.copy" and after[-1]["prev_hash"] == before[-1]["hash"]
    with running(target) as client:  # the service on the copy: same records, candidates, trail
        def call(method, path, who, purpose="tracing", **kwargs):
            return client.request(method, path, headers={"X-RFL-Key": keys[who], "X-RFL-Purpose": purpose}, **kwargs)

        assert call("GET", "/enquiries/E1", "deu").json()["fields"]["given_names"] == "Olexandr"
        assert [c["found_id"] for c in call("POST", "/enquiries/E1/candidates", "deu").json()["candidates"]] == ["POL:F1"]
        assert call("GET", "/found/F2", "pol").status_code == 410  # the tombstone came along
        trail = call("GET", "/audit?verify=full", "deu_admin", purpose="oversight").json()
        assert trail["chain_intact"] is True
        assert call("POST", "/enquiries", "deu", json=enquiry("E2")).status_code == 201  # ids go on after the copied ones
    assert audit_rows(target)[-1]["seq"] > before[-1]["seq"]


def test_a_destination_under_another_key_gets_each_record_resealed(postgres_database, tmp_path, monkeypatch):
    target = postgres_database
    db, _ = _served_sqlite(tmp_path, monkeypatch)
    monkeypatch.setenv(KEY_ENV, base64.urlsafe_b64encode(b"k" * 32).decode())
    assert main(["store", "copy", "--from", str(db), "--to", target]) == 0
    copied = dict(query(target, "SELECT key, personal FROM records"))
    assert copied.keys() == dict(query(db, "SELECT key, personal FROM records")).keys()
    assert not set(copied.values()) & {p for _, p in query(db, "SELECT key, personal FROM records")}
    with running(target) as client:
        assert client.app.state.service.store.get_record("DEU:E1").fields["family_name"] == "Schewtschenko"


def test_a_broken_chain_or_a_used_destination_is_refused(postgres_database, tmp_path, monkeypatch, capsys):
    target = postgres_database
    db, _ = _served_sqlite(tmp_path, monkeypatch)
    monkeypatch.setenv(KEY_ENV, (db.parent / KEY_FILE).read_text().strip())
    rewrite_audit(db, "DELETE FROM audit WHERE seq = 2")  # someone removed an entry from the file
    assert main(["store", "copy", "--from", str(db), "--to", target]) == 1
    assert "do not serve from the destination" in capsys.readouterr().err
    # The failed copy stays marked: nothing serves it, and copying into it again says why not.
    assert main(["serve", "--db", target, "--port", "1"]) == 2
    assert main(["store", "copy", "--from", str(db), "--to", target]) == 2
    assert capsys.readouterr().err.count("was never checked") == 2
    execute(target, "DELETE FROM copy_unchecked")  # a destination holding rows, not from a copy
    assert main(["store", "copy", "--from", str(db), "--to", target]) == 2
    assert "already holds data" in capsys.readouterr().err


def test_a_copy_cut_short_after_its_rows_landed_is_never_served(tmp_path, monkeypatch, capsys):
    from rfl.store.sql import SQLStore

    monkeypatch.setenv(KEY_ENV, "")  # _served_sqlite takes it away: the source makes its own key file
    db, _ = _served_sqlite(tmp_path / "source", monkeypatch)
    monkeypatch.setenv(KEY_ENV, (db.parent / KEY_FILE).read_text().strip())
    target = tmp_path / "copy" / "rfl.sqlite"

    def killed(self, full=False):
        raise KeyboardInterrupt  # as a kill -9 between the rows landing and their checks

    with monkeypatch.context() as m:
        m.setattr(SQLStore, "verify_audit", killed)
        assert main(["store", "copy", "--from", str(db), "--to", str(target)]) != 0
    assert "interrupted" in capsys.readouterr().err
    assert count_rows(target, "records") == count_rows(db, "records") > 0  # the rows are there ...
    assert main(["serve", "--db", str(target), "--port", "1"]) == 2  # ... and nothing serves them
    assert main(["store", "copy", "--from", str(db), "--to", str(target)]) == 2
    assert capsys.readouterr().err.count("was never checked (rfl store copy was cut short") == 2
    shutil.rmtree(target.parent)  # drop it and copy again: served
    assert main(["store", "copy", "--from", str(db), "--to", str(target)]) == 0
    assert query(target, "SELECT COUNT(*) FROM copy_unchecked") == [(0,)]


def test_a_destination_written_by_another_process_during_the_copy_is_said_without_its_rows(
        tmp_path, monkeypatch, capsys):
    from rfl.store.sql import SQLStore

    monkeypatch.setenv(KEY_ENV, "")
    db, _ = _served_sqlite(tmp_path / "source", monkeypatch)
    monkeypatch.setenv(KEY_ENV, (db.parent / KEY_FILE).read_text().strip())
    target = tmp_path / "copy" / "rfl.sqlite"
    imported = SQLStore.import_tables

    def raced(self, pages):  # a second copy's rows land between the emptiness check and this import
        imported(self, iter([("records", [dict(zip(*row)) for row in _rows(db, "records")][:1])]))
        imported(self, pages)

    monkeypatch.setattr(SQLStore, "import_tables", raced)
    assert main(["store", "copy", "--from", str(db), "--to", str(target)]) == 1
    err = capsys.readouterr().err
    assert "another process wrote into the destination" in err and "rolled back" in err
    assert "Traceback" not in err and "DEU:" not in err
    assert count_rows(target, "records") == 1  # this copy rolled back: only the other writer's row


def _rows(db, table):
    import sqlite3

    with sqlite3.connect(db) as con:
        cursor = con.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cursor.description]
        return [(names, row) for row in cursor.fetchall()]
