"""What the service leaves on disk: the database and its write-ahead log are its owner's alone
(issue #10, item 12), as the key file beside them already was."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from rfl_api_harness import enquiry, running, world_at


def modes(db: Path) -> dict[str, int]:
    files = [Path(str(db) + suffix) for suffix in ("", "-wal", "-shm")]
    return {f.name: stat.S_IMODE(f.stat().st_mode) for f in files if f.exists()}


@pytest.fixture
def loose_umask():
    """The usual umask 022, under which SQLite made every file readable by all (0644)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_database_and_its_log_are_created_0600(tmp_path, loose_umask):
    with world_at(tmp_path / "data" / "rfl.sqlite") as world:
        assert world.call("POST", "/enquiries", "deu", json=enquiry()).status_code == 201
        seen = modes(world.db)
        assert set(seen) == {"rfl.sqlite", "rfl.sqlite-wal", "rfl.sqlite-shm"}  # while running, WAL and all
        assert seen == dict.fromkeys(seen, 0o600)
        assert stat.S_IMODE(world.db.parent.stat().st_mode) == 0o700
    assert set(modes(world.db).values()) == {0o600}


def test_a_database_made_readable_before_is_made_private_when_opened(tmp_path, loose_umask):
    with world_at(tmp_path / "data" / "rfl.sqlite") as world:
        db = world.db
    os.chmod(db, 0o644)  # as an earlier version left it
    with running(db):
        assert set(modes(db).values()) == {0o600}
