"""Pseudonymised exports for researchers: only records that may be studied (consent to research,
no refusal, objection or expiry, no children), none another society may not learn of, and no
names, exact dates, places or sensitive categories (R2, R4, R7, R10, R11, R12, R13)."""

from __future__ import annotations

from typing import Iterator

from rfl import policy
from rfl.audit import Actor, AuditEntry
from rfl.store import StoredRecord
from rfl.tracing.context import Context


class Research:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def _studied(self, actor: Actor) -> Iterator[StoredRecord]:
        """Records the caller's society may learn of (R13) and that may be studied, read afresh
        on each call, so erased, objected or expired ones are never in an export."""
        today, adheres = self.ctx.today(), self.ctx.store.adheres(actor.society)
        for record in self.ctx.store.iter_records():
            if policy.may_learn_of(actor.society, adheres, record.society) \
                    and policy.research_ineligibility(record, today) is None:
                yield record

    def records(self, actor: Actor, entry: AuditEntry) -> list[dict]:
        """One pseudonymised row per record that may be studied."""
        today = self.ctx.today()
        rows = [policy.research_row(record, self.ctx.pseudonym(record.key), today) for record in self._studied(actor)]
        entry.reason = f"rows:{len(rows)}"
        return rows

    def pairs(self, actor: Actor, entry: AuditEntry) -> list[dict]:
        """Officers' decisions as labelled pairs of pseudonyms, for match-quality measurement,
        where both records may be studied."""
        studied = {record.key for record in self._studied(actor)}
        rows = [{"enquiry_pid": self.ctx.pseudonym(m.enquiry_key), "found_pid": self.ctx.pseudonym(m.found_key),
                 "probability": m.probability, "state": m.state}
                for m in self.ctx.store.decided_matches()
                if m.enquiry_key in studied and m.found_key in studied]
        entry.reason = f"rows:{len(rows)}"
        return rows
