"""Pseudonymised exports for researchers: only records that may be studied, and of them no
names, no exact dates, no places, no sensitive categories, no children."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import Call, authorised
from api.errors import refusals
from api.tables import Format, table_response

router = APIRouter(prefix="/research", tags=["research"])
_CONTENT = {200: {"content": {"application/x-ndjson": {}, "application/vnd.apache.parquet": {}}}}


@router.get("/records", responses={**refusals(), **_CONTENT})
def records(format: Format = Query("jsonl"), call: Call = authorised("research.export")) -> Response:
    """One row per record that may be studied: consent covers research (R2), tracing not
    refused (R4), not past retention (R7), never objected to (R10), not a possible child (R12),
    and, for a society that does not adhere, its own (R13). Columns: keyed pseudonym, kind,
    society, sex, five-year birth band, nationality, status (detained and hospitalised read as
    alive, R11). Built fresh on each call, so erased records are never in it (R8)."""
    return table_response(call.service.research.records(call.actor, call.entry), format, "research-records")


@router.get("/pairs", responses={**refusals(), **_CONTENT})
def pairs(format: Format = Query("jsonl"), call: Call = authorised("research.export")) -> Response:
    """Officers' confirmed and rejected decisions as pairs of pseudonyms with the probability,
    where both records may be studied (as for /research/records)."""
    return table_response(call.service.research.pairs(call.actor, call.entry), format, "research-pairs")
