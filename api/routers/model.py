"""Which model scores candidates, so officers and auditors can trace a ranking to it."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Call, authorised
from api.errors import refusals
from api.models import ModelOut

router = APIRouter(prefix="/model", tags=["model"])


@router.get("", response_model=ModelOut, responses=refusals())
def identity(call: Call = authorised("model.read")) -> ModelOut:
    """The sha256 of the model the service scores with (each search's and each job's audit entry
    names it) and its training record: where and when it was learnt, in counts and dates only.
    Any role may ask, for any purpose the service serves."""
    return ModelOut(**call.service.matching.model(call.actor, call.entry))
