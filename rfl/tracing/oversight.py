"""An admin's oversight of the society's data: retention review and purge (R7), and the audit
trail (R14)."""

from __future__ import annotations

from rfl import policy
from rfl.audit import Actor, AuditEntry
from rfl.tracing.context import Context, global_key, society_of


class Oversight:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def expired(self, actor: Actor, entry: AuditEntry) -> list[dict]:
        """The caller's society's records past retention: out of the pool, awaiting review."""
        store, today = self.ctx.store, self.ctx.today()
        keys = [k for k in store.expired_keys(today.isoformat()) if policy.owns(actor.society, society_of(k))]
        records = [r for r in map(store.get_record, keys) if r is not None and policy.expired(r, today)]
        self.ctx.unindex([r.key for r in records])
        return [{"record_id": r.record_id, "kind": r.kind, "retention_until": r.retention_until,
                 "created_at": r.created_at} for r in records]

    def purge_expired(self, actor: Actor, entry: AuditEntry, record_ids: list[str]) -> list[str]:
        """After review: delete the named expired records with every copy, leaving tombstones."""
        today, erased = self.ctx.today(), []
        for record_id in record_ids:
            key = global_key(actor.society, record_id)
            record = self.ctx.store.get_record(key)
            if record is None or not policy.expired(record, today):
                continue
            self.ctx.unindex([key])
            item = AuditEntry(action=entry.action, key_id=entry.key_id, society=entry.society, role=entry.role,
                              purpose=entry.purpose, target=key, reason="retention")
            if self.ctx.store.erase_record(key, "retention", item):
                erased.append(record_id)
        entry.reason = f"purged:{len(erased)}"
        return erased

    def audit_trail(self, actor: Actor, entry: AuditEntry, after: int, limit: int,
                    full: bool = False) -> tuple[list[dict], bool]:
        """Entries made by the society's keys, touching its records, or by callers with no valid
        key; and whether the hash chain verifies: over the entries added since it was last
        verified, or over the whole trail when `full` (see `Store.verify_audit`)."""
        if full:
            entry.reason = "verified:full"
        return self.ctx.store.audit_entries(actor.society, after, limit), self.ctx.store.verify_audit(full)
