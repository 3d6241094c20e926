"""Finding and verifying candidates: search one enquiry, decide on a candidate, and say which
model scores them (R6, R7, R10, R13, R16)."""

from __future__ import annotations

from functools import cache

from rfl import policy
from rfl.audit import Actor, AuditEntry
from rfl.policy import Refusal
from rfl.store import Match, StoredRecord
from rfl.tracing.context import Context, index_view


# Why an officer confirmed or rejected a candidate, as codes the audit trail may hold.
DECISION_REASONS = {
    "confirmed": ("identity_verified", "family_recognised", "documents_match"),
    "rejected": ("different_person", "dates_conflict", "family_not_recognised"),
}


@cache
def _shipped_sha256() -> str:
    from rfl.search import default_model
    return default_model().identity()["sha256"]


class Matching:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def _searchable(self, actor: Actor, record_id: str, entry: AuditEntry) -> StoredRecord:
        """The caller's enquiry, unless it is past retention (R7) or objected to (R10)."""
        enquiry = self.ctx.own(actor, "enquiry", record_id, entry)
        policy.check_searchable(enquiry, self.ctx.today())
        return enquiry

    def search(self, actor: Actor, entry: AuditEntry, record_id: str, k: int = 10) -> list[dict]:
        """R6: ranked candidates with per-field evidence, never the other society's record, and
        none at all of another society's to a society that does not adhere (R13).
        The audit entry names the model that scored them, so a ranking can be traced to it."""
        enquiry = self._searchable(actor, record_id, entry)
        candidates = self.ctx.candidates(index_view(enquiry), min(k, self.ctx.settings.max_candidates),
                                         actor.society)
        entry.reason = self.ctx.model_reason()
        self.ctx.store.save_matches(
            [Match(enquiry.key, c["found_id"], c["probability"], c["decision"], c["evidence"]) for c in candidates],
            entry,
        )
        return candidates

    def decide(self, actor: Actor, entry: AuditEntry, record_id: str, found_id: str, decision: str,
               why: str | None = None) -> Match:
        """R16: an officer's verification turns a potential match into confirmed or rejected.
        `why`, one of DECISION_REASONS[decision], goes into the audit entry: a code, never
        free text, so the trail says why without holding anything about the person."""
        if why is not None and why not in DECISION_REASONS.get(decision, ()):
            raise ValueError(f"unknown reason {why} for {decision}")
        enquiry = self.ctx.own(actor, "enquiry", record_id, entry)
        policy.check_searchable(enquiry, self.ctx.today())  # an objected or expired enquiry is decided on no more
        self.ctx.proposed(actor, enquiry, found_id)
        if decision == "confirmed" and found_id not in self.ctx.eligible([found_id]):
            # one who refused tracing, objected or expired since the search is confirmed as no one's (R4, R7, R10)
            raise Refusal(404, "not_available", "this found record is no longer available for tracing")
        entry.reason = f"{decision}:{found_id}" + (f";why:{why}" if why else "")
        return self.ctx.store.decide(enquiry.key, found_id, decision, actor.key_id, entry)

    def model(self, actor: Actor, entry: AuditEntry) -> dict:
        """Which model scores candidates: its sha256 (as searches and jobs name it in the audit
        trail), the training record saved with it (counts and dates of the run that learnt it,
        passed on as saved), and whether it is the shipped default, so an officer or auditor
        can tell what stands behind a probability."""
        sha256, training = self.ctx.model["sha256"], self.ctx.model["training"]
        shipped = sha256 == _shipped_sha256()
        if shipped:
            description = "the default model shipped with rfl, learnt on synthetic cross-border data"
        elif training:
            description = ("a model given with `rfl serve --model`; its training record says where and when "
                           "it was learnt")
        else:
            description = "a model given with `rfl serve --model`; it carries no training record"
        entry.reason = self.ctx.model_reason()
        return {"sha256": sha256, "training": training, "shipped_default": shipped, "description": description}
