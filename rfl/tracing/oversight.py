"""An admin's oversight of the society's data: retention review and purge (R7), and the audit
trail (R14)."""

from __future__ import annotations

from rfl.audit import Actor, AuditEntry
from rfl.tracing.context import Context, global_key


class Oversight:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def expired(self, actor: Actor, entry: AuditEntry) -> list[dict]:
        """The caller's society's records past retention: out of the pool, awaiting review."""
        store = self.ctx.store
        keys = [k for k in store.expired_keys(self.ctx.today().isoformat()) if k.startswith(actor.society + ":")]
        self.ctx.unindex(keys)
        rows = []
        for key in keys:
            record = store.get_record(key)
            if record is not None:
                rows.append({"record_id": record.record_id, "kind": record.kind,
                             "retention_until": record.retention_until, "created_at": record.created_at})
        return rows

    def purge_expired(self, actor: Actor, entry: AuditEntry, record_ids: list[str]) -> list[str]:
        """After review: delete the named expired records with every copy, leaving tombstones."""
        today, erased = self.ctx.today().isoformat(), []
        for record_id in record_ids:
            key = global_key(actor.society, record_id)
            record = self.ctx.store.get_record(key)
            if record is None or record.retention_until >= today:
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
