"""Create, list and revoke API keys for a society's staff and jobs; mark societies' adherence.

A key is printed once, when it is created, and stored only as a hash: whoever reads the
database cannot call the API. `rfl keys create --society DEU --role officer --db PATH`.
A society is taken to adhere to the Code of Conduct when its first key is made; `rfl keys
adherence --society XYZ --adheres no` records otherwise, and it then learns of its own records
only (R13).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import re
import secrets
import sys

from rfl.audit import Actor
from rfl.errors import InputError
from rfl.policy import ROLES, SOCIETY_PATTERN
from rfl.store import Store, cipher_for, location, open_store

_KEY = re.compile(r"^rfl_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def create_key(store: Store, society: str, role: str) -> str:
    """Make a key for one society and role; return it (the only time it is ever visible)."""
    if not re.match(SOCIETY_PATTERN, society):
        raise InputError("--society", "must be an ISO 3166-1 alpha-3 code in capitals (e.g. DEU) or ICRC")
    if role not in ROLES:
        raise InputError("--role", f"must be one of {', '.join(ROLES)}")
    key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    store.add_key(key_id, society, role, _hash(secret))
    return f"rfl_{key_id}_{secret}"


def authenticate(store: Store, presented: str | None) -> Actor | None:
    """The caller a presented key belongs to, or None for a missing, unknown or revoked key."""
    match = _KEY.match(presented or "")
    if match is None:
        return None
    row = store.get_key(match.group(1))
    if row is None or row["revoked_at"] is not None:
        return None
    if not hmac.compare_digest(row["secret_hash"], _hash(match.group(2))):
        return None
    return Actor(key_id=row["key_id"], society=row["society"], role=row["role"])


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    create = sub.add_parser("create", help="make a key and print it once")
    create.add_argument("--society", required=True, help="ISO 3166-1 alpha-3 code or ICRC")
    create.add_argument("--role", required=True, choices=ROLES)
    revoke = sub.add_parser("revoke", help="revoke a key by its id (the part after rfl_)")
    revoke.add_argument("--key-id", required=True)
    sub.add_parser("list", help="list key ids, societies, roles and dates (never the keys)")
    adherence = sub.add_parser("adherence", help="record whether a society adheres to the Code of Conduct")
    adherence.add_argument("--society", required=True)
    adherence.add_argument("--adheres", required=True, choices=("yes", "no"))
    for command in (create, revoke, sub.choices["list"], adherence):
        command.add_argument("--db", required=True, type=location,
                             help="the service's SQLite file or PostgreSQL URL (postgresql://user@host/db)")


def run(args: argparse.Namespace) -> int:
    store = open_store(args.db, cipher_for(args.db))
    try:
        if args.action == "create":
            key = create_key(store, args.society, args.role)
            # The key alone on stdout, so a script can capture it; the advice for a person on stderr.
            print(key)
            print("rfl keys: this key is shown once — store it now; it cannot be shown again", file=sys.stderr)
        elif args.action == "revoke":
            if not store.revoke_key(args.key_id):
                raise InputError("--key-id", "no such active key")
            print(f"revoked {args.key_id}")
        elif args.action == "list":
            print("key_id\tsociety\trole\tcreated\tstate")
            for row in store.list_keys():
                print(f"{row['key_id']}\t{row['society']}\t{row['role']}\t{row['created_at']}\t"
                      f"{'revoked ' + row['revoked_at'] if row['revoked_at'] else 'active'}")
        else:
            if not re.match(SOCIETY_PATTERN, args.society):
                raise InputError("--society", "must be an ISO 3166-1 alpha-3 code in capitals (e.g. DEU) or ICRC")
            store.set_adherence(args.society, args.adheres == "yes")
            print(f"{args.society} adheres: {args.adheres}")
    finally:
        store.close()
    return 0
