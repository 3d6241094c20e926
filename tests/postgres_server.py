"""A throwaway PostgreSQL server for the tests: Debian's binaries, a cluster in a temporary
folder, a free port on 127.0.0.1, stopped and deleted at the end of the session.

PostgreSQL refuses to run as root, so as root (CI) the cluster belongs to `nobody`, in a folder
made outside pytest's private temporary root. Each test gets a schema of its own in the one
cluster (`schema_url`): cheaper than a database each, and dropped after it.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

BIN_ENV = "RFL_PG_BIN"  # a folder with initdb and pg_ctl, where Debian's are not


def binaries() -> Path | None:
    """The newest PostgreSQL server binaries on this machine, or None."""
    if os.environ.get(BIN_ENV):
        return Path(os.environ[BIN_ENV])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server() -> Iterator[str]:
    """Start a server; yield the URL of its `postgres` database as the superuser `rfl`."""
    bin_dir = binaries()
    if bin_dir is None:
        raise FileNotFoundError("no PostgreSQL server binaries (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="rfl-pg-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "nobody")
        as_owner = ["runuser", "-u", "nobody", "--"]
    data, port = folder / "data", _free_port()
    run = lambda *args: subprocess.run([*as_owner, *map(str, args)], check=True, capture_output=True)  # noqa: E731
    try:
        # Small WAL segments keep the folder small; fsync stays on, as the store insists. Segments
        # are never recycled (a recycled one keeps an older test's bytes): see schema_url.
        run(bin_dir / "initdb", "-D", data, "-U", "rfl", "--auth=trust", "-E", "UTF8", "--no-locale",
            "--no-sync", "--wal-segsize=1")
        options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c min_wal_size=4MB "
                   "-c max_wal_size=64MB -c max_connections=200 -c wal_recycle=off")
        run(bin_dir / "pg_ctl", "-D", data, "-o", options, "-l", folder / "log", "-w", "start")
        try:
            yield f"postgresql://rfl@127.0.0.1:{port}/postgres"
        finally:
            run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def schema_url(url: str) -> Iterator[str]:
    """A new empty schema on the server at `url`; yields a URL whose connections work in it.

    The write-ahead log is shared by the whole server, so the schema starts a new WAL segment and
    keeps its file name as its comment (`wal_since`): what a test reads of the log on disk is
    then what was written since its schema was made, not an earlier test's data."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
        conn.execute("SELECT pg_switch_wal()")
        segment = conn.execute("SELECT pg_walfile_name(pg_current_wal_insert_lsn())").fetchone()[0]
        conn.execute(f"COMMENT ON SCHEMA {name} IS '{segment}'")
    try:
        yield f"{url}?options={quote(f'-csearch_path={name}')}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")
