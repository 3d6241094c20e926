"""Storage for the tracing service: the `Store` interface (`base`), written once in SQL (`sql`),
on an embedded SQLite file (`sqlite`, the default) or a PostgreSQL database several service
processes share (`postgres`).

A store is named by its location: a file path for SQLite, a `postgresql://` URL for
PostgreSQL. `open_store` and `cipher_for` are the only places that tell the two apart.
"""

from __future__ import annotations

from pathlib import Path

from rfl.crypto import KEY_ENV, Cipher, key_from_environment, load_or_create_key
from rfl.errors import InputError
from rfl.store.base import Conflict, Job, Match, Retired, Store, StoredRecord
from rfl.store.sqlite import SQLiteStore

__all__ = ["Conflict", "Job", "Match", "Retired", "SQLiteStore", "Store", "StoredRecord", "cipher_for",
           "is_postgres", "location", "open_store", "secret_for"]


def is_postgres(location: str | Path) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


def location(text: str) -> str | Path:
    """A `--db` value as a store location: a PostgreSQL URL as it was written, else a path."""
    return text if is_postgres(text) else Path(text)


def secret_for(location: str | Path) -> bytes:
    """The data key of the store at `location`. A SQLite file keeps its key next to it, created on
    first start (unless RFL_DATA_KEY gives one). Processes sharing a PostgreSQL database must seal
    with one key, so none is ever made up for one: it comes from RFL_DATA_KEY, or nothing starts."""
    if not is_postgres(location):
        return load_or_create_key(Path(location).parent)
    key = key_from_environment()
    if key is None:
        raise InputError(KEY_ENV, "must hold the data key (urlsafe base64 of 32 bytes) for a PostgreSQL store; "
                                  "make a new one with: python3 -c \"import base64, os; "
                                  "print(base64.urlsafe_b64encode(os.urandom(32)).decode())\" (docs/postgres.md)")
    return key


def cipher_for(location: str | Path) -> Cipher:
    return Cipher(secret_for(location))


def open_store(location: str | Path, cipher: Cipher) -> Store:
    """The store at `location`: PostgreSQL for a `postgresql://` URL, otherwise a SQLite file.
    Refused (InputError) when `cipher` cannot open the records already in it."""
    if is_postgres(location):
        from rfl.store.postgres import PostgresStore  # psycopg is an optional extra: rfl[postgres]

        store = PostgresStore(str(location), cipher)
    else:
        store = SQLiteStore(location, cipher)
    if store.copy_unchecked():
        store.close()
        raise InputError("--db", "holds a copy of another store that was never checked (rfl store copy was cut "
                                 "short or failed its checks): drop this database, create it again and copy again")
    if not store.opens_with_key():
        store.close()
        raise InputError("--db", f"its records were sealed with another data key than this one ({KEY_ENV}, or for "
                                 "a SQLite file the key file beside it); give the key the store was made with")
    return store
