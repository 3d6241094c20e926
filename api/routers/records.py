"""Enquiries and found records: submit, read, correct, withdraw, object, erase, access export.

Both resources have the same life cycle, so one factory makes their two routers; the paths
address only the caller's own society's records (R15), by the society's own record_id.
"""


from datetime import date

from fastapi import APIRouter, Path, Response

from api.deps import Call, authorised
from api.errors import refusals
from api.models import (RECORD_ID_PATTERN, AccessExportOut, EnquiryCorrection, EnquiryIn, FoundCorrection,
                        FoundIn, OverrideIn, PersonFields, RecordOut, Sensitive, WithdrawalIn, WithdrawalOut)
from rfl import policy
from rfl.store import StoredRecord

RecordIdPath = Path(pattern=RECORD_ID_PATTERN, description="the record_id within the caller's society")


def record_out(record: StoredRecord, today: date) -> RecordOut:
    return RecordOut(
        record_id=record.record_id, society=record.society, kind=record.kind,
        fields=PersonFields(**record.fields), legal_basis=record.legal_basis,
        consent_purposes=record.consent_purposes, tracing_consent=record.tracing_consent,
        retention_until=record.retention_until, minor=record.minor,
        in_matching=policy.in_matching(record, today), objection=record.objection,
        objection_overridden=record.objection_override is not None, holds_sensitive=bool(record.sensitive),
        created_at=record.created_at, updated_at=record.updated_at, version=record.version,
    )


def records_router(kind: str, path: str, new_model: type, correction_model: type) -> APIRouter:
    router = APIRouter(prefix=f"/{path}", tags=[path])
    own = ("not_found", "erased")

    @router.post("", status_code=201, response_model=RecordOut,
                 responses=refusals("other_society", "already_exists", "id_retired", "deceased_needs_admin",
                                    "legal_basis_missing", "consent_scope_missing", "tracing_consent_missing",
                                    "age_range_reversed", "minor_without_safeguard"))
    def submit(body: new_model, call: Call = authorised("record.submit")) -> RecordOut:
        """Store a record of the caller's society. It needs a legal basis (R1); a found record
        states tracing consent (R4); a possible minor needs a safeguard (R12); the id of an
        erased record is never used again (R8)."""
        record = call.service.records.submit(call.actor, call.entry, kind, body.model_dump())
        return record_out(record, call.service.context.today())

    @router.get("/{record_id}", response_model=RecordOut, responses=refusals(*own))
    def read(record_id: str = RecordIdPath, call: Call = authorised("record.read")) -> RecordOut:
        """The record as its society sees it by default: without sensitive fields (R11)."""
        record = call.service.records.read(call.actor, call.entry, kind, record_id)
        return record_out(record, call.service.context.today())

    @router.patch("/{record_id}", response_model=RecordOut,
                  responses=refusals(*own, "changed_meanwhile", "deceased_needs_admin", "legal_basis_missing", "consent_scope_missing",
                                     "tracing_consent_missing", "age_range_reversed", "minor_without_safeguard"))
    def correct(body: correction_model, record_id: str = RecordIdPath,
                call: Call = authorised("record.correct")) -> RecordOut:
        """Correct fields (R9); the record is checked again and the index updated."""
        changes = body.model_dump(exclude_unset=True)
        record = call.service.records.correct(call.actor, call.entry, kind, record_id, changes)
        return record_out(record, call.service.context.today())

    @router.delete("/{record_id}", status_code=204, responses=refusals(*own))
    def erase(record_id: str = RecordIdPath, call: Call = authorised("record.erase")) -> Response:
        """Erase the record and everything derived from it: index, candidates, job results (R8).
        A tombstone with the id and dates remains."""
        call.service.records.erase(call.actor, call.entry, kind, record_id)
        return Response(status_code=204)

    @router.post("/{record_id}/withdrawal", response_model=WithdrawalOut, responses=refusals(*own, "basis_not_other"))
    def withdraw(body: WithdrawalIn, record_id: str = RecordIdPath,
                 call: Call = authorised("record.withdraw")) -> WithdrawalOut:
        """Consent withdrawn: the record is erased unless another legal basis is named (R8)."""
        record = call.service.records.withdraw(call.actor, call.entry, kind, record_id, body.keep_on_basis)
        if record is None:
            return WithdrawalOut(erased=True)
        return WithdrawalOut(erased=False, record=record_out(record, call.service.context.today()))

    @router.post("/{record_id}/objection", response_model=RecordOut, responses=refusals(*own))
    def object_(record_id: str = RecordIdPath, call: Call = authorised("record.object")) -> RecordOut:
        """The person objects: the record leaves matching at once (R10): a found record is no
        candidate, an enquiry is neither searched nor reconciled, and neither goes to research."""
        record = call.service.records.object(call.actor, call.entry, kind, record_id)
        return record_out(record, call.service.context.today())

    @router.post("/{record_id}/objection-override", response_model=RecordOut,
                 responses=refusals(*own, "no_objection", "reason_required"))
    def override(body: OverrideIn, record_id: str = RecordIdPath,
                 call: Call = authorised("record.override_objection")) -> RecordOut:
        """An admin records why matching continues despite an objection (R10)."""
        record = call.service.records.override_objection(call.actor, call.entry, kind, record_id, body.reason)
        return record_out(record, call.service.context.today())

    @router.get("/{record_id}/access-export", response_model=AccessExportOut, responses=refusals(*own))
    def access_export(record_id: str = RecordIdPath, call: Call = authorised("record.access_export")) -> AccessExportOut:
        """The person's own data, sensitive fields included, other people redacted (R9)."""
        export = call.service.records.access_export(call.actor, call.entry, kind, record_id)
        return AccessExportOut(record=record_out(export["record"], call.service.context.today()),
                               sensitive=Sensitive(**export["record"].sensitive),
                               matches=export["matches"], transfers=export["transfers"])

    return router


enquiries = records_router("enquiry", "enquiries", EnquiryIn, EnquiryCorrection)
found = records_router("found", "found", FoundIn, FoundCorrection)
