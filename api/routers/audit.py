"""The audit trail, for a society's admins (R14)."""

from __future__ import annotations

from fastapi import APIRouter, Query

from api.deps import Call, authorised
from api.errors import refusals
from api.models import AuditOut

router = APIRouter(prefix="/audit", tags=["audit"])
SQLITE_MAX_INT = 2**63 - 1  # a larger sequence number cannot even be asked of SQLite


@router.get("", response_model=AuditOut, responses=refusals())
def trail(after: int = Query(0, ge=0, le=SQLITE_MAX_INT), limit: int = Query(1000, ge=1, le=10000),
          call: Call = authorised("audit.read")) -> AuditOut:
    """Entries made by the society's keys, touching its records, or by unauthenticated callers,
    oldest first, after sequence number `after`. `chain_intact` says whether the hash chain of
    the whole trail verifies."""
    entries, intact = call.service.oversight.audit_trail(call.actor, call.entry, after, limit)
    return AuditOut(entries=entries, chain_intact=intact)
