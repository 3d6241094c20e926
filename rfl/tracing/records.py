"""An officer's own records: submit, read, correct, erase, withdraw consent, object, override an
objection, and the person's access export (R1, R2, R8, R9, R10, R12, R15, R16)."""

from __future__ import annotations

from rfl import policy
from rfl.audit import Actor, AuditEntry
from rfl.policy import Refusal
from rfl.records import COLUMNS
from rfl.store import Conflict, Retired, StoredRecord
from rfl.tracing.context import Context, global_key


class Records:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def _put(self, record: StoredRecord, entry: AuditEntry) -> StoredRecord:
        """Write a record and bring the index in step with it."""
        try:
            stored = self.ctx.store.put_record(record, entry)
        except Retired:  # erased between the caller's check and this write: the id is retired all the same
            policy.check_id_free(self.ctx.store.get_tombstone(record.key))
            raise
        except Conflict:
            if record.version == 0:
                raise Refusal(409, "already_exists", "this record_id exists; correct it with PATCH") from None
            raise Refusal(409, "changed_meanwhile", "the record changed while this call ran; read it and retry") from None
        self.ctx.reindex(stored)
        return stored

    def submit(self, actor: Actor, entry: AuditEntry, kind: str, data: dict) -> StoredRecord:
        """Store a new record of the caller's society under an id never used by an erased one
        (R1, R2, R4, R8, R12, R16 checked first)."""
        data = dict(data)
        record_id = data.pop("record_id")
        key = global_key(actor.society, record_id)
        entry.target = key
        policy.check_submitter(actor.society, data.pop("society", None))
        policy.check_id_free(self.ctx.store.get_tombstone(key))
        record = StoredRecord(
            key=key, society=actor.society, record_id=record_id, kind=kind,
            fields={c: data.get(c) for c in (*COLUMNS[2:], "contact")},
            legal_basis=data.get("legal_basis"),
            retention_until=policy.retention_or_default(data.get("retention_until"), self.ctx.today()),
            consent_purposes=list(data.get("consent_purposes") or []),
            tracing_consent=data.get("tracing_consent"),
            sensitive={k: v for k, v in (data.get("sensitive") or {}).items() if v is not None},
            guardian_consent=bool(data.get("guardian_consent")), best_interests=data.get("best_interests"),
        )
        return self._put(self.ctx.checked(actor, record, None), entry)

    def read(self, actor: Actor, entry: AuditEntry, kind: str, record_id: str) -> StoredRecord:
        return self.ctx.own(actor, kind, record_id, entry)

    def correct(self, actor: Actor, entry: AuditEntry, kind: str, record_id: str, changes: dict) -> StoredRecord:
        """Apply corrections (R9: spelling, dates, consent) to the caller's own record."""
        record = self.ctx.own(actor, kind, record_id, entry)
        previous_status = record.fields.get("status")
        changes = dict(changes)
        for name in ("legal_basis", "tracing_consent", "retention_until", "best_interests"):
            if name in changes:
                setattr(record, name, changes.pop(name))
        if "consent_purposes" in changes:
            record.consent_purposes = list(changes.pop("consent_purposes") or [])
        if "guardian_consent" in changes:
            record.guardian_consent = bool(changes.pop("guardian_consent"))
        if "sensitive" in changes:
            merged = {**record.sensitive, **(changes.pop("sensitive") or {})}
            record.sensitive = {k: v for k, v in merged.items() if v is not None}
        record.fields.update(changes)
        return self._put(self.ctx.checked(actor, record, previous_status), entry)

    def erase(self, actor: Actor, entry: AuditEntry, kind: str, record_id: str, reason: str = "erasure") -> None:
        """R8: delete the record, its matches and job results, its index entry; keep a tombstone."""
        record = self.ctx.own(actor, kind, record_id, entry)
        self.ctx.unindex([record.key])
        self.ctx.store.erase_record(record.key, reason, entry)

    def withdraw(self, actor: Actor, entry: AuditEntry, kind: str, record_id: str,
                 keep_on_basis: str | None) -> StoredRecord | None:
        """Consent withdrawn: erase the record, unless another legal basis is named to keep it."""
        record = self.ctx.own(actor, kind, record_id, entry)
        if keep_on_basis is None:
            self.erase(actor, entry, kind, record_id, reason="consent_withdrawn")
            return None
        policy.check_basis_after_withdrawal(keep_on_basis)
        record.legal_basis, record.consent_purposes = keep_on_basis, []
        return self._put(self.ctx.checked(actor, record, record.fields.get("status")), entry)

    def object(self, actor: Actor, entry: AuditEntry, kind: str, record_id: str) -> StoredRecord:
        """R10: the person objects; the record leaves matching until an admin overrides."""
        record = self.ctx.own(actor, kind, record_id, entry)
        record.objection, record.objection_override = True, None
        return self._put(record, entry)

    def override_objection(self, actor: Actor, entry: AuditEntry, kind: str, record_id: str, reason: str) -> StoredRecord:
        record = self.ctx.own(actor, kind, record_id, entry)
        if not record.objection:
            raise Refusal(409, "no_objection", "this record has no objection to override")
        if not policy.decided(reason):
            raise Refusal(422, "reason_required", "an override needs a reason that says something")
        record.objection_override = reason  # sealed with the record, never in the audit trail
        return self._put(record, entry)

    def access_export(self, actor: Actor, entry: AuditEntry, kind: str, record_id: str) -> dict:
        """R9: everything held about this person, with other people's records redacted."""
        record = self.ctx.own(actor, kind, record_id, entry)
        matches = [{"counterpart": "redacted", "state": m.state, "proposed_at": m.proposed_at,
                    "decided_at": m.decided_at} for m in self.ctx.store.matches_of(record.key)]
        transfers = [{"to_society": t["to_society"], "at": t["at"], "basis": t["basis"], "released": t["released"]}
                     for t in self.ctx.store.transfers_of(record.key)]
        return {"record": record, "matches": matches, "transfers": transfers}
