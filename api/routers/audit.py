"""The audit trail, for a society's admins (R14)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from api.deps import Call, authorised
from api.errors import refusals
from api.models import AuditOut

router = APIRouter(prefix="/audit", tags=["audit"])
VERIFY = ("`new` (default): hash the entries added since the last verification, chained to the last "
          "verified one, which must be unchanged. `full`: hash the whole trail from its first entry, "
          "as the service does when it starts; only this finds an older entry deleted or edited "
          "since. It takes time in proportion to the trail.")
SQLITE_MAX_INT = 2**63 - 1  # a larger sequence number cannot even be asked of SQLite


@router.get("", response_model=AuditOut, responses=refusals())
def trail(after: int = Query(0, ge=0, le=SQLITE_MAX_INT), limit: int = Query(1000, ge=1, le=10000),
          verify: Literal["new", "full"] = Query("new", description=VERIFY),
          call: Call = authorised("audit.read")) -> AuditOut:
    """Entries made by the society's keys, touching its records, or by unauthenticated callers,
    oldest first, after sequence number `after`. `chain_intact` says whether the hash chain
    verifies (see `verify`). Callers without a valid key are counted per route and reason: the
    first refusal in a minute has an entry, and one more entry, `<code>;more:<n>`, counts the
    others of that minute."""
    entries, intact = call.service.oversight.audit_trail(call.actor, call.entry, after, limit, verify == "full")
    return AuditOut(entries=entries, chain_intact=intact)
