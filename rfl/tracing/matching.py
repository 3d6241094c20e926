"""Finding and verifying candidates: search one enquiry, decide on a candidate (R6, R7, R16)."""

from __future__ import annotations

from rfl.audit import Actor, AuditEntry
from rfl.policy import Refusal
from rfl.store import Match, StoredRecord
from rfl.tracing.context import Context, index_view


class Matching:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def _searchable(self, actor: Actor, record_id: str, entry: AuditEntry) -> StoredRecord:
        enquiry = self.ctx.own(actor, "enquiry", record_id, entry)
        if enquiry.retention_until < self.ctx.today().isoformat():
            raise Refusal(409, "retention_expired", "this enquiry is past its retention date and awaits review")
        return enquiry

    def search(self, actor: Actor, entry: AuditEntry, record_id: str, k: int = 10) -> list[dict]:
        """R6: ranked candidates with per-field evidence, never the other society's record."""
        enquiry = self._searchable(actor, record_id, entry)
        candidates = self.ctx.candidates(index_view(enquiry), min(k, self.ctx.settings.max_candidates))
        self.ctx.store.save_matches(
            [Match(enquiry.key, c["found_id"], c["probability"], c["decision"], c["evidence"]) for c in candidates],
            entry,
        )
        return candidates

    def decide(self, actor: Actor, entry: AuditEntry, record_id: str, found_id: str, decision: str) -> Match:
        """R16: an officer's verification turns a potential match into confirmed or rejected."""
        enquiry = self.ctx.own(actor, "enquiry", record_id, entry)
        self.ctx.proposed(enquiry, found_id)
        entry.reason = f"{decision}:{found_id}"
        return self.ctx.store.decide(enquiry.key, found_id, decision, actor.key_id, entry)
