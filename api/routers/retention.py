"""Retention review for admins: expired records leave matching, then are purged (R7)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Call, authorised
from api.errors import refusals
from api.models import ExpiredRow, PurgeIn, PurgeOut

router = APIRouter(prefix="/retention", tags=["retention"])


@router.get("/expired", response_model=list[ExpiredRow], responses=refusals())
def expired(call: Call = authorised("retention.review")) -> list[ExpiredRow]:
    """The society's records past `retention_until`: out of the candidate pool, awaiting review."""
    return [ExpiredRow(**row) for row in call.service.oversight.expired(call.actor, call.entry)]


@router.post("/purge", response_model=PurgeOut, responses=refusals())
def purge(body: PurgeIn, call: Call = authorised("retention.review")) -> PurgeOut:
    """Delete reviewed expired records with every copy, leaving tombstones (ids and dates).
    Ids that are not expired records of the society are skipped."""
    return PurgeOut(erased=call.service.oversight.purge_expired(call.actor, call.entry, body.record_ids))
