"""Shared set-up for the API tests: a real store (a SQLite file in a tmp dir, or a schema on a
throwaway PostgreSQL server: the `database` fixture of conftest.py runs a test on each), real
keys, real HTTP through the ASGI app, and helpers that read the database as someone holding it
would: the audit trail, any table, the raw bytes on disk."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import uvicorn
from fastapi.testclient import TestClient

from api.app import create_app
from api.keys import create_key
from api.limits import Limits
from rfl.store import cipher_for, is_postgres, open_store
from rfl.audit import AuditEntry
from rfl.tracing import Settings


def headers(key: str | None, purpose: str | None = "tracing") -> dict:
    out = {}
    if key is not None:
        out["X-RFL-Key"] = key
    if purpose is not None:
        out["X-RFL-Purpose"] = purpose
    return out


@contextmanager
def running(db: Path | str, settings: Settings | None = None, model=None, limits: Limits | None = None):
    """The app on `db` (scoring with `model`, default the shipped one), started and stopped as
    uvicorn would (lifespan)."""
    with TestClient(create_app(db, settings, model, limits=limits), raise_server_exceptions=True) as client:
        yield client


@contextmanager
def serving(db: Path | str, settings: Settings | None = None, model=None):
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


DatabaseError = (sqlite3.DatabaseError, psycopg.DatabaseError)  # what either database raises


ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "rfl.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args: str) -> str:
    """`rfl ARGS` in a process of its own, as an operator runs it; its standard output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, check=True, env=env).stdout


@contextmanager
def rfl_serve(db: Path | str, *options: str):
    """`rfl serve --db DB` in a process of its own on a free port, until it answers; yields its
    base URL and the process, and at the end stops it (its log is then `process.log`)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    port = free_port()
    process = subprocess.Popen([*CLI, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port), *options],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 60
    try:
        while True:
            try:
                httpx.get(url + "/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        process.log = process.communicate(timeout=30)[0]


def query(db: Path | str, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows read straight from the database, as an auditor holding it would (`?` placeholders)."""
    if is_postgres(db):
        with psycopg.connect(db) as con:
            return con.execute(sql.replace("?", "%s"), params).fetchall()
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def execute(db: Path | str, sql: str) -> None:
    """One statement on the database outside the service, committed at once (autocommit)."""
    if is_postgres(db):
        with psycopg.connect(db, autocommit=True) as con:
            con.execute(sql)
        return
    con = sqlite3.connect(db, isolation_level=None)
    try:
        con.execute(sql)
    finally:
        con.close()


def rewrite_audit(db: Path | str, sql: str) -> None:
    """Someone holding the database drops the audit trail's append-only guard and runs `sql`."""
    guards = ["ALTER TABLE audit DISABLE TRIGGER audit_no_change"] if is_postgres(db) else \
        ["DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete"]
    for statement in (*guards, sql):
        execute(db, statement)


def audit_rows(db: Path | str) -> list[dict]:
    """The audit trail read straight from the database, as an auditor with the database would."""
    columns = ("seq", *AuditEntry.STORED, "prev_hash", "hash")
    return [dict(zip(columns, row)) for row in query(db, f"SELECT {', '.join(columns)} FROM audit ORDER BY seq")]


def audit_text(db: Path | str) -> str:
    """The audit trail as one text without its times and row hashes and with its other hex runs
    (key ids, model digests) blanked: a check that a typed year such as 1984 never reached the
    trail must not trip on a digest or a clock's microseconds."""
    rows = [{k: v for k, v in row.items() if k not in ("at", "hash", "prev_hash")} for row in audit_rows(db)]
    return re.sub(r"[0-9a-f]{12,}", "<hex>", str(rows))


def last_audit(db: Path | str, action: str | None = None) -> dict:
    rows = [r for r in audit_rows(db) if action is None or r["action"] == action]
    return rows[-1]


def count_rows(db: Path | str, table: str) -> int:
    return query(db, f"SELECT count(*) FROM {table}")[0][0]


def raw_bytes(db: Path | str) -> bytes:
    """Every byte the database keeps on disk for this store. SQLite: the main file and its
    write-ahead log. PostgreSQL, after a checkpoint: the files of the schema's tables, indexes
    and TOAST tables, and the write-ahead log from the segment the test's schema began
    (tests/postgres_server.py's schema_url), which other tests' data does not reach."""
    if is_postgres(db):
        execute(db, "CHECKPOINT")
        since = query(db, "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = current_schema()")
        rows = query(db, "SELECT current_setting('data_directory'), pg_relation_filepath(c.oid) FROM pg_class c "
                         "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                         "UNION SELECT current_setting('data_directory'), pg_relation_filepath(c.reltoastrelid) "
                         "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                         "WHERE n.nspname = current_schema() AND c.reltoastrelid <> 0")
        data = Path(rows[0][0])
        files = [data / path for _, path in rows if path] + \
            [f for f in sorted((data / "pg_wal").glob("0*")) if f.name >= since[0][0]]
        return b"".join(f.read_bytes() for f in files if f.exists())
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

    def __init__(self, db: Path | str, client: TestClient, keys: dict[str, str]):
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


def make_world(db: Path | str):
    """Keys for every role in ROLES, made in the store at `db` (a `database` fixture's value)."""
    store = open_store(db, cipher_for(db))
    try:
        return db, {name: create_key(store, society, role) for name, (society, role) in ROLES.items()}
    finally:
        store.close()


@contextmanager
def world_at(db: Path | str, settings: Settings | None = None, model=None, limits: Limits | None = None):
    db, keys = make_world(db)
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
