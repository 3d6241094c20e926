"""An officer's verification decision on a candidate (R16)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.exceptions import RequestValidationError

from api.deps import Call, authorised
from api.errors import refusals
from api.models import DecisionIn, DecisionOut
from api.routers.records import RecordIdPath
from rfl.tracing.matching import DECISION_REASONS

router = APIRouter(prefix="/enquiries", tags=["decisions"])


@router.post("/{record_id}/decisions", response_model=DecisionOut,
             responses=refusals("not_found", "erased", "not_a_candidate", "recipient_not_adherent", "objected",
                                "retention_expired", "not_available"))
def decide(body: DecisionIn, record_id: str = RecordIdPath, call: Call = authorised("match.decide")) -> DecisionOut:
    """Confirm or reject a proposed candidate, optionally saying why (a code kept in the audit
    trail). Only an officer's decision makes a match final; confirming notifies nobody."""
    if body.why is not None and body.why not in DECISION_REASONS[body.decision]:
        raise RequestValidationError([{"loc": ("body", "why"), "type": "literal_error",
                                       "msg": "this reason does not go with this decision", "input": None}])
    match = call.service.matching.decide(call.actor, call.entry, record_id, body.found_id, body.decision, body.why)
    return DecisionOut(enquiry_id=record_id, found_id=match.found_key, state=match.state, decided_at=match.decided_at)
