"""Who did what, for which purpose: the audit entry every call leaves behind (R14).

An entry holds identifiers, codes and times only: never a name, date of birth, place or free
text typed by a caller, so the trail itself can be shown to an auditor without becoming a
second copy of the people it describes. Entries are chained by hash when stored, so a removed
or edited entry is detectable even by someone holding a copy of the database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Actor:
    """An authenticated caller: one API key of one Movement component, with a role."""

    key_id: str
    society: str
    role: str


@dataclass
class AuditEntry:
    """One call. `target` is a record's global id or a job id; `reason` a refusal code, or what a
    served call did in ids and counts (`rows:3`, `confirmed:POL:F1`, `model:<sha256>` for the
    model a search or job scored with)."""

    action: str
    key_id: str | None = None
    society: str | None = None
    role: str | None = None
    purpose: str | None = None
    target: str | None = None
    outcome: str = "ok"
    status: int = 200
    reason: str | None = None
    at: str = field(default_factory=utc_now)
    seq: int | None = None  # set by the store once the entry is written

    STORED = ("at", "key_id", "society", "role", "purpose", "action", "target", "outcome", "status", "reason")

    @classmethod
    def for_actor(cls, actor: Actor | None, action: str, purpose: str | None) -> "AuditEntry":
        if actor is None:
            return cls(action=action, purpose=purpose)
        return cls(action=action, key_id=actor.key_id, society=actor.society, role=actor.role,
                   purpose=purpose)

    def refuse(self, status: int, reason: str) -> None:
        self.outcome, self.status, self.reason = "refused", status, reason

    def chained_hash(self, previous: str) -> str:
        """Hash of this entry and its predecessor's hash: the link of the tamper-evident chain."""
        body = json.dumps([getattr(self, c) for c in self.STORED], separators=(",", ":"))
        return hashlib.sha256((previous + body).encode("utf-8")).hexdigest()
