"""Pseudonymised exports for researchers: no names, exact dates, places or children (R12)."""

from __future__ import annotations

from rfl import policy
from rfl.audit import Actor, AuditEntry
from rfl.tracing.context import Context


class Research:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def records(self, actor: Actor, entry: AuditEntry) -> list[dict]:
        """Pseudonymised records of every society, built per call so erased ones are never in it."""
        rows = []
        for record in self.ctx.store.iter_records():
            row = policy.research_row(record, self.ctx.pseudonym(record.key))
            if row is not None:
                rows.append(row)
        entry.reason = f"rows:{len(rows)}"
        return rows

    def pairs(self, actor: Actor, entry: AuditEntry) -> list[dict]:
        """Officers' decisions as labelled pairs of pseudonyms, for match-quality measurement."""
        minors = {r.key for r in self.ctx.store.iter_records() if r.minor}
        rows = [{"enquiry_pid": self.ctx.pseudonym(m.enquiry_key), "found_pid": self.ctx.pseudonym(m.found_key),
                 "probability": m.probability, "state": m.state}
                for m in self.ctx.store.decided_matches()
                if m.enquiry_key not in minors and m.found_key not in minors]
        entry.reason = f"rows:{len(rows)}"
        return rows
