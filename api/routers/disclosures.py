"""Releasing a candidate's record to the verifying officer: a logged transfer (R3, R6, R13)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Call, authorised
from api.errors import refusals
from api.models import DisclosureIn, DisclosureOut
from api.routers.records import RecordIdPath
from rfl.policy import WHEREABOUTS_MEANING

router = APIRouter(prefix="/enquiries", tags=["disclosures"])


@router.post("/{record_id}/disclosures", response_model=DisclosureOut,
             responses=refusals("not_found", "erased", "retention_expired", "objected", "not_a_candidate",
                                "rejected_match", "not_available", "recipient_not_adherent", "consent_scope"))
def disclose(body: DisclosureIn, record_id: str = RecordIdPath,
             call: Call = authorised("match.disclose")) -> DisclosureOut:
    """Identity fields of a candidate, for verification; every call is recorded as a transfer.

    Another society sees a found person's location and contact only once an officer confirmed
    the match and the person agreed to share them (`consent_to_share = yes`); otherwise
    `whereabouts` says only that the person was located. Sensitive fields are never released.
    """
    view = call.service.disclosures.disclose(call.actor, call.entry, record_id, body.found_id)
    return DisclosureOut(**view, whereabouts_meaning=WHEREABOUTS_MEANING[view["whereabouts"]])
