"""Copy the tracing service's whole store, audit trail included, into an empty database.

`rfl store copy --from rfl.db --to postgresql://user@host/db`, when one process on a SQLite
file is no longer enough.

Run it with the service stopped. Every table is copied row for row, in one transaction on the
destination, which must be empty: records, matches, transfers, tombstones, API key hashes, jobs
and their results, and the audit trail with its sequence numbers and hashes as they were, so
the chain verifies on the destination as it did on the source. Sealed fields are copied as they
are when both stores use one data key (set RFL_DATA_KEY to the SQLite file's rfl-data.key);
only when the destination's key differs is each record opened and sealed again under it.

The copy is then checked: each table's row count, the audit chain verified in full and ending
on the source's last entry, every record opened under the destination's key. Last, the copy is
itself an entry of the destination's trail (`store.copy`). Until then the destination is marked
as an unchecked copy, which no command opens: a copy killed halfway is refused, not served.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import suppress
from itertools import chain
from pathlib import Path
from typing import Iterator

from rfl.audit import AuditEntry, utc_now
from rfl.crypto import Cipher, key_file_secret
from rfl.errors import InputError
from rfl.store import is_postgres, location, open_store, secret_for
from rfl.store.sql import SENSITIVE, TABLES, SQLStore


class CopyFailed(RuntimeError):
    """The destination does not hold what the source held; it must not be put into service."""


class CopyRefused(RuntimeError):
    """The destination's database refused the copy's rows; nothing of the copy was kept."""


def copy_store(source: SQLStore, target: SQLStore, reseal: tuple[Cipher, Cipher] | None = None) -> dict[str, int]:
    """Copy every table of `source` into the empty `target` and check the copy; returns the rows
    copied per table. `reseal` (source cipher, target cipher) when the data keys differ."""
    if any(target.count(table) for table in TABLES):
        raise InputError("--to", "already holds data; copy into an empty database")
    # The rows land marked unchecked, in the same transaction: a copy cut short before its checks
    # pass is refused by every command that opens it (`open_store`), never served.
    try:
        target.import_tables(chain([("copy_unchecked", [{"since": utc_now()}])], _pages(source, reseal)))
    except _database_errors() as err:  # its text can quote a row (a record id): said in our words
        raced = isinstance(err, _database_errors(integrity=True))
        why = ("another process wrote into the destination during the copy (a second copy, or a running service)"
               if raced else f"the database refused the copy ({type(err).__name__})")
        raise CopyRefused(f"{why}; this copy was rolled back") from None
    copied = {table: source.count(table) for table in TABLES}
    differing = [table for table in TABLES if target.count(table) != copied[table]]
    if differing:
        raise CopyFailed(f"row counts differ in {', '.join(differing)}")
    if not target.verify_audit(full=True) or target.last_audit() != source.last_audit():
        raise CopyFailed("the audit trail does not verify on the destination as it ends on the source")
    if sum(1 for _ in target.iter_records()) != copied["records"]:  # each one opened under the target's key
        raise CopyFailed("records could not be read back")
    target.append_audit(AuditEntry(action="store.copy", reason=f"rows:{sum(copied.values())}"))
    target.mark_copy_checked()
    return copied


def _database_errors(integrity: bool = False) -> tuple[type[Exception], ...]:
    """The errors of the databases a store may be on (psycopg only where rfl[postgres] is
    installed); with `integrity`, only a unique key broken (the same ids written meanwhile)."""
    import sqlite3

    errors = [sqlite3.IntegrityError if integrity else sqlite3.Error]
    try:
        import psycopg
    except ImportError:
        return tuple(errors)
    return *errors, psycopg.IntegrityError if integrity else psycopg.Error


def _pages(source: SQLStore, reseal: tuple[Cipher, Cipher] | None) -> Iterator[tuple[str, list[dict]]]:
    for table in TABLES:
        for rows in source.table_rows(table):
            if reseal is not None and table == "records":
                rows = [_resealed(row, *reseal) for row in rows]
            yield table, rows


def _resealed(row: dict, old: Cipher, new: Cipher) -> dict:
    for column, context in (("personal", row["key"]), ("sensitive", row["key"] + SENSITIVE)):
        if row[column]:
            row[column] = new.seal(old.open(row[column], context), context)
    return row


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    copy = sub.add_parser("copy", help="copy the whole store into an empty database, audit trail included")
    copy.add_argument("--from", dest="source", required=True, type=location,
                      help="the store to copy: a SQLite file (its rfl-data.key beside it) or a PostgreSQL URL")
    copy.add_argument("--to", dest="target", required=True, type=location,
                      help="an empty database: a PostgreSQL URL (key from RFL_DATA_KEY) or a SQLite file")


def run(args: argparse.Namespace) -> int:
    if not is_postgres(args.source) and not Path(args.source).is_file():
        raise InputError("--from", "no such SQLite file")
    # A SQLite source was sealed with the key file beside it, whatever RFL_DATA_KEY now says.
    old = (None if is_postgres(args.source) else key_file_secret(Path(args.source).parent)) or secret_for(args.source)
    new = secret_for(args.target)
    source, target = open_store(args.source, Cipher(old)), open_store(args.target, Cipher(new))
    try:
        copied = copy_store(source, target, None if old == new else (Cipher(old), Cipher(new)))
    except CopyFailed as err:
        print(f"rfl store copy: the copy is not sound ({err}); do not serve from the destination", file=sys.stderr)
        return 1
    except CopyRefused as err:
        print(f"rfl store copy: {err}", file=sys.stderr)
        return 1
    except _database_errors() as err:  # reading the source, or checking the copy after it landed
        print(f"rfl store copy: a database error stopped the copy ({type(err).__name__}); if its rows had landed "
              "the destination is marked unchecked and nothing serves it: drop it, create it again and copy again",
              file=sys.stderr)
        return 1
    finally:
        with suppress(*_database_errors()):  # a reader's close can meet another reader's lock
            source.close()
        target.close()
    print("\n".join(f"{table}\t{rows}" for table, rows in copied.items()))
    print(f"rfl store copy: {'resealed under the destination key; ' if old != new else ''}"
          "audit chain verified on the destination", file=sys.stderr)
    return 0
