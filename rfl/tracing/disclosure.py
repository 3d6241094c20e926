"""Releasing a candidate's record to the verifying officer: a logged transfer (R3, R6, R11, R13)."""

from __future__ import annotations

from rfl import policy
from rfl.audit import Actor, AuditEntry
from rfl.policy import Refusal
from rfl.tracing.context import Context


class Disclosures:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def disclose(self, actor: Actor, entry: AuditEntry, record_id: str, found_id: str) -> dict:
        """R6/R3/R13: release a candidate's record to the verifying officer, as a logged transfer.
        A release is the last step of matching, so an enquiry that may no longer be searched
        (past retention, objected to) releases nothing either."""
        enquiry = self.ctx.own(actor, "enquiry", record_id, entry)
        policy.check_searchable(enquiry, self.ctx.today())
        match = self.ctx.proposed(actor, enquiry, found_id)
        if match.state == "rejected":
            raise Refusal(409, "rejected_match", "this candidate was rejected; nothing is disclosed")
        found = self.ctx.eligible([found_id]).get(found_id)
        if found is None:
            raise Refusal(404, "not_available", "this found record is no longer available for tracing")
        adheres = self.ctx.store.adheres(actor.society)
        policy.check_transfer(found, actor.society, adheres)
        view = policy.disclosure(found, actor.society, match.state, self.ctx.settings.disclosure, self.ctx.today())
        entry.reason = f"{found_id}:{view['whereabouts']}"
        self.ctx.store.record_transfer({
            "found_key": found_id, "enquiry_key": enquiry.key, "from_society": found.society,
            "to_society": actor.society, "basis": found.legal_basis, "recipient_adheres": adheres,
            "released": view["whereabouts"],
        }, entry)
        return {"found_id": found_id, "society": found.society, "match_state": match.state, **view}
