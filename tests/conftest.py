"""Fixtures that run the API tests once per store: the embedded SQLite file and PostgreSQL.

A test that takes `database` (or a module fixture that takes `module_database`) runs twice,
`[sqlite]` and `[postgresql]`, and gets the store's location: a file path, or the URL of a
fresh schema on a throwaway PostgreSQL server started once per session
(`tests/postgres_server.py`). Without PostgreSQL's binaries the PostgreSQL runs are skipped,
except in CI, where they fail: a green CI must have run both.
"""

from __future__ import annotations

import base64
import os
from contextlib import contextmanager
from pathlib import Path

import pytest

import postgres_server
from rfl.crypto import KEY_ENV

STORES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_url():
    """The URL of the session's PostgreSQL server, started on first use."""
    if postgres_server.binaries() is None and not os.environ.get("CI"):
        pytest.skip("no PostgreSQL server binaries on this machine (apt-get install postgresql)")
    with postgres_server.server() as url:
        yield url


@contextmanager
def _store_location(request, kind: str, folder: Path):
    if kind == "sqlite":
        yield folder / "data" / "rfl.sqlite"
        return
    # Processes sharing a PostgreSQL database take the data key from the environment only.
    with pytest.MonkeyPatch.context() as env, postgres_server.schema_url(request.getfixturevalue("postgres_url")) as url:
        env.setenv(KEY_ENV, base64.urlsafe_b64encode(os.urandom(32)).decode("ascii"))
        yield url


@pytest.fixture(params=STORES)
def database(request, tmp_path):
    """Where a test's store lives: a SQLite file in tmp_path, or a PostgreSQL schema's URL."""
    with _store_location(request, request.param, tmp_path) as location:
        yield location


@pytest.fixture(scope="module", params=STORES)
def module_database(request, tmp_path_factory):
    """`database` for fixtures shared by a module's tests."""
    with _store_location(request, request.param, tmp_path_factory.mktemp("store")) as location:
        yield location


@pytest.fixture
def postgres_database(request, tmp_path):
    """A fresh PostgreSQL schema's URL, for what only PostgreSQL does (several processes)."""
    with _store_location(request, "postgresql", tmp_path) as location:
        yield location
