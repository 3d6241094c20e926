"""Shared set-up for the API tests: a real SQLite file in a tmp dir, real keys, real HTTP
through the ASGI app, and helpers to read the audit trail and the raw database bytes."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi.testclient import TestClient

from api.app import create_app
from api.keys import create_key
from api.limits import Limits
from rfl.crypto import Cipher, load_or_create_key
from rfl.store import open_store
from rfl.tracing import Settings


def headers(key: str | None, purpose: str | None = "tracing") -> dict:
    out = {}
    if key is not None:
        out["X-RFL-Key"] = key
    if purpose is not None:
        out["X-RFL-Purpose"] = purpose
    return out


@contextmanager
def running(db: Path, settings: Settings | None = None, model=None, limits: Limits | None = None):
    """The app on `db` (scoring with `model`, default the shipped one), started and stopped as
    uvicorn would (lifespan)."""
    with TestClient(create_app(db, settings, model, limits=limits), raise_server_exceptions=True) as client:
        yield client


@contextmanager
def serving(db: Path, settings: Settings | None = None, model=None):
    """The app on `db` behind a real uvicorn on 127.0.0.1 (a free port), in a thread; yields
    (host, port). For what only a real HTTP server shows: when a body is read, what is logged."""
    config = uvicorn.Config(create_app(db, settings, model), host="127.0.0.1", port=0, log_config=None,
                            access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield server.servers[0].sockets[0].getsockname()[:2]
    finally:
        server.should_exit = True
        thread.join(30)


def audit_rows(db: Path) -> list[dict]:
    """The audit trail read straight from the file, as an auditor with the database would."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT * FROM audit ORDER BY seq")]
    finally:
        con.close()


def last_audit(db: Path, action: str | None = None) -> dict:
    rows = [r for r in audit_rows(db) if action is None or r["action"] == action]
    return rows[-1]


def count_rows(db: Path, table: str) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def raw_bytes(db: Path) -> bytes:
    """Every byte SQLite keeps for this database: the main file and its write-ahead log."""
    data = b""
    for suffix in ("", "-wal", "-shm"):
        path = Path(str(db) + suffix)
        if path.exists():
            data += path.read_bytes()
    return data


def enquiry(record_id: str = "E1", **extra) -> dict:
    """An enquiry by a German officer for a man sought by his family (Latin, German spelling)."""
    body = {
        "record_id": record_id, "family_name": "Schewtschenko", "given_names": "Olexandr",
        "father_name": "Petro", "sex": "M", "birth_date": "1984-03-12", "nationality": "UKR",
        "birth_place": "Charkiw", "legal_basis": "vital_interest",
    }
    body.update(extra)
    return body


def found(record_id: str = "F1", **extra) -> dict:
    """The same man registered by another society (Polish spelling), alive, with whereabouts."""
    body = {
        "record_id": record_id, "family_name": "Szewczenko", "given_names": "Oleksandr",
        "father_name": "Petro", "sex": "M", "birth_date": "1984-03-12", "nationality": "UKR",
        "birth_place": "Charkow", "status": "alive", "location": "Reception centre Przemysl",
        "contact": "+48 600 000 111", "consent_to_share": "yes", "tracing_consent": "yes",
        "legal_basis": "consent", "consent_purposes": ["tracing"],
    }
    body.update(extra)
    return body


_headers = headers


class World:
    """A running service with keys for two societies' staff: what most API tests start from."""

    def __init__(self, db: Path, client: TestClient, keys: dict[str, str]):
        self.db, self.client, self.keys = db, client, keys

    def call(self, method: str, path: str, who: str, purpose: str | None = "tracing", headers: dict | None = None,
             **kwargs):
        sent = {**_headers(self.keys.get(who, who), purpose), **(headers or {})}
        return self.client.request(method, path, headers=sent, **kwargs)

    @property
    def service(self):
        return self.client.app.state.service

    def linked_pair(self, found_extra: dict | None = None) -> None:
        """A German enquiry and a Polish found record of one man, and a search that pairs them."""
        assert self.call("POST", "/enquiries", "deu", json=enquiry()).status_code == 201
        assert self.call("POST", "/found", "pol", json=found(**(found_extra or {}))).status_code == 201
        answer = self.call("POST", "/enquiries/E1/candidates", "deu")
        assert answer.status_code == 200
        assert [c["found_id"] for c in answer.json()["candidates"]][:1] == ["POL:F1"]


ROLES = {"deu": ("DEU", "officer"), "pol": ("POL", "officer"), "deu_admin": ("DEU", "admin"),
         "pol_admin": ("POL", "admin"), "deu_jobs": ("DEU", "reconciler"), "pol_jobs": ("POL", "reconciler"),
         "researcher": ("ICRC", "researcher")}


def make_world(tmp_path: Path, settings: Settings | None = None):
    db = tmp_path / "data" / "rfl.sqlite"
    store = open_store(db, Cipher(load_or_create_key(db.parent)))
    try:
        return db, {name: create_key(store, society, role) for name, (society, role) in ROLES.items()}
    finally:
        store.close()


@contextmanager
def world_at(tmp_path: Path, settings: Settings | None = None, model=None, limits: Limits | None = None):
    db, keys = make_world(tmp_path)
    with running(db, settings, model, limits) as client:
        yield World(db, client, keys)


def wait_for_job(world: World, job_id: str, timeout: float = 30.0, who: str = "deu_jobs") -> dict:
    """Poll a reconciliation job's progress, as a client would, until it stops running."""
    deadline = time.monotonic() + timeout
    while True:
        job = world.call("GET", f"/reconciliations/{job_id}", who, purpose="reconciliation").json()
        if job["state"] not in ("queued", "running") or time.monotonic() > deadline:
            return job
        time.sleep(0.02)
