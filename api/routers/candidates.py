"""Candidates for one enquiry, from every society's found records (R4, R6, R7, R10, R13)."""

from __future__ import annotations

from fastapi import APIRouter, Query

from api.deps import Call, authorised
from api.errors import refusals
from api.models import CandidatesOut
from api.routers.records import RecordIdPath

router = APIRouter(prefix="/enquiries", tags=["candidates"])


@router.post("/{record_id}/candidates", response_model=CandidatesOut,
             responses=refusals("not_found", "erased", "retention_expired", "objected"))
def search(record_id: str = RecordIdPath, k: int = Query(10, ge=1, le=50),
           call: Call = authorised("match.search")) -> CandidatesOut:
    """Rank found records against one of the caller's enquiries.

    The answer holds candidate ids, calibrated probabilities and per-field agree / partial /
    disagree / blank evidence, never the other society's record (R6); releasing a record is a
    separate, logged disclosure. Found records without tracing consent, past retention, under
    objection or erased are never candidates; an enquiry past retention or objected to is not
    searched; a society that does not adhere to the Code of Conduct gets its own found records
    only (R13). Every candidate stays potential until an officer decides (R16).
    """
    candidates = call.service.matching.search(call.actor, call.entry, record_id, k)
    return CandidatesOut(enquiry_id=record_id, candidates=candidates)
