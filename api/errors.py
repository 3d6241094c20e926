"""Refusals as HTTP answers, and the catalogue that documents each one in OpenAPI.

A refusal answers `{"error": code, "message": reason}`; the code is stable and the catalogue
below says what it means, so a caller's software can act on it and a reader of the OpenAPI
document learns which rule stands behind each answer.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from api.models import RefusalOut
from rfl.policy import Refusal

# code -> (HTTP status, what it means)
REFUSALS = {
    "not_a_movement_component": (403, "R5: no valid, unrevoked API key of a Movement component (X-RFL-Key)"),
    "header_repeated": (400, "R5: X-RFL-Key or X-RFL-Purpose was sent more than once; one call has one caller and one purpose"),
    "purpose_missing": (403, "R5: the call named no purpose (X-RFL-Purpose)"),
    "purpose_outside_rfl": (403, "R5: enforcement, prosecution, migration control and the like are never served"),
    "purpose_unknown": (403, "R5: only tracing, reconciliation, access_request, research and oversight are served"),
    "role_not_permitted": (403, "R15: the caller's role may not do this"),
    "purpose_not_for_action": (403, "R5: this call is not served for the purpose named"),
    "other_society": (403, "R15: a society submits only its own records"),
    "deceased_needs_admin": (403, "R16: only an admin may set or change the status deceased"),
    "recipient_not_adherent": (403, "R13: the caller's society does not adhere to the Code of Conduct"),
    "consent_scope": (403, "R2: the consent the record rests on does not cover this transfer"),
    "not_found": (404, "R15: no such record (or job) in the caller's society"),
    "not_a_candidate": (404, "R6: the found record was never proposed for this enquiry"),
    "not_available": (404, "R4/R7/R8/R10: the found record left the candidate pool"),
    "already_exists": (409, "a record with this record_id exists; correct it with PATCH"),
    "changed_meanwhile": (409, "the record changed while the call ran; read it again and retry"),
    "rejected_match": (409, "R16: an officer rejected this candidate; nothing is disclosed"),
    "retention_expired": (409, "R7: the record is past retention_until and awaits review"),
    "no_objection": (409, "R10: there is no objection to override"),
    "objected": (409, "R10: the person objected to this enquiry being matched; an admin may override"),
    "id_retired": (409, "R8: the record_id belonged to an erased record and is never used again"),
    "job_not_done": (409, "the reconciliation job has not finished"),
    "erased": (410, "R7/R8: the record was erased; only its tombstone (ids and dates) remains"),
    "legal_basis_missing": (422, "R1: the record names no legal basis"),
    "consent_scope_missing": (422, "R2: consent must name the purposes consented to, including tracing"),
    "reason_required": (422, "R10: an override needs a reason that says something"),
    "tracing_consent_missing": (422, "R4: a found record must state tracing_consent"),
    "age_range_reversed": (422, "R12: an age range a-b must run from the lower age to the higher"),
    "minor_without_safeguard": (422, "R12: a possible minor needs guardian consent or a best-interests decision"),
    "basis_not_other": (422, "R8: a withdrawn consent can only be replaced by another basis"),
    "invalid_file": (422, "an uploaded file cannot be read, or a row breaks the enquiry schema (row and column named)"),
    "invalid_request": (422, "the body or a parameter has a wrong type, format, size or an unknown field"),
    "body_too_large": (413, "the request body exceeds the limit for this endpoint"),
    "too_many_rows": (413, "a batch holds more enquiries than the deployment allows (50,000 unless set otherwise)"),
    "no_such_route": (404, "no route has this path"),
    "method_not_allowed": (405, "the route does not take this method"),
    "internal_error": (500, "the service failed; the call is in the audit trail with this status"),
}


def refusals(*codes: str) -> dict:
    """OpenAPI `responses` for a route: each status with the refusal codes it can carry (any
    route can be sent too large a body)."""
    by_status: dict[int, list[str]] = {}
    for code in ("header_repeated", "not_a_movement_component", "purpose_missing", "purpose_outside_rfl", "purpose_unknown",
                 "role_not_permitted", "purpose_not_for_action", "invalid_request", "body_too_large", *codes):
        by_status.setdefault(REFUSALS[code][0], []).append(code)
    return {
        status: {"model": RefusalOut,
                 "description": "; ".join(f"`{c}`: {REFUSALS[c][1]}" for c in found)}
        for status, found in sorted(by_status.items())
    }


def refusal_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


async def on_refusal(request: Request, exc: Refusal) -> JSONResponse:
    return refusal_response(exc.status, exc.code, exc.message)


async def on_http_error(request: Request, exc: HTTPException) -> JSONResponse:
    """The framework's own errors in the same shape as every refusal. A body that cannot be
    parsed at all (FastAPI's 400) is an invalid request, as malformed JSON is (422)."""
    if exc.status_code == 400:
        return refusal_response(422, "invalid_request", "the body cannot be parsed")
    code = {404: "no_such_route", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return refusal_response(exc.status_code, code, str(exc.detail))


def problems(exc: RequestValidationError) -> list[dict]:
    """Where and why validation failed, without echoing the offending input."""
    return [{"field": ".".join(str(p) for p in err["loc"]), "problem": err["type"], "message": err["msg"]}
            for err in exc.errors()]


async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    return JSONResponse({"error": "invalid_request", "message": "the request does not match the schema",
                         "problems": problems(exc)}, status_code=422)
