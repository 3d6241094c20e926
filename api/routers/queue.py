"""The society's enquiries as a work queue: filtered by state, searched by id, paged.

The web workspace's queue page calls the same service method (`service.queue.enquiries`)."""

from __future__ import annotations

from fastapi import APIRouter, Query

from api.deps import Call, authorised
from api.errors import refusals
from api.models import EnquiryListOut, EnquiryState
from rfl.tracing.workqueue import PER_PAGE_MAX

router = APIRouter(prefix="/enquiries", tags=["enquiries"])


@router.get("", response_model=EnquiryListOut, responses=refusals())
def work_queue(state: EnquiryState | None = Query(None, description="only enquiries in this state"),
               record_id: str | None = Query(None, max_length=64, pattern=r"^[A-Za-z0-9._-]+$",
                                             description="only enquiries whose record_id contains this"),
               page: int = Query(1, ge=1, le=100_000), per_page: int = Query(25, ge=1, le=PER_PAGE_MAX),
               call: Call = authorised("record.read")) -> EnquiryListOut:
    """The caller's society's enquiries, newest first, with the count in each state. Rows hold
    ids, states, candidate counts and dates, never names: open a record to see who it is."""
    return EnquiryListOut(**call.service.queue.enquiries(call.actor, call.entry, state, record_id, page, per_page))
