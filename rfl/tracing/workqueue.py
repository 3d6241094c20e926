"""An officer's work queue: the society's enquiries by the state of their tracing.

The store keeps no "state" column for an enquiry; the state is read from what it does keep, so
it can never disagree with the records, candidates and tombstones it summarises:

    new         no candidate awaits review and none is confirmed (never searched, or every
                candidate was rejected)
    review      at least one candidate is still potential, none confirmed
    confirmed   an officer confirmed a candidate (R16)
    closed      past retention_until (out of matching, awaiting an admin's review, R7), or erased
    withdrawn   erased because consent was withdrawn (R8): only the tombstone remains

The queue answers ids, states, counts and dates, never names: a list is seen over a shoulder
more easily than a record, and an officer opens the record to see who it is (R6 spirit).
Both the web workspace and `GET /enquiries` call this one method.
"""

from __future__ import annotations

from rfl.audit import Actor, AuditEntry
from rfl.tracing.context import Context

STATES = ("new", "review", "confirmed", "closed", "withdrawn")
PER_PAGE_MAX = 200


class WorkQueue:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def _rows(self, actor: Actor) -> list[dict]:
        store, today = self.ctx.store, self.ctx.today().isoformat()
        rows = []
        for record in store.iter_records(kind="enquiry", society=actor.society):
            matches = store.matches_of(record.key)
            potential = sum(m.state == "potential" for m in matches)
            confirmed = sum(m.state == "confirmed" for m in matches)
            if record.retention_until < today:
                state = "closed"
            elif confirmed:
                state = "confirmed"
            elif potential:
                state = "review"
            else:
                state = "new"
            rows.append({"record_id": record.record_id, "state": state, "potential": potential,
                         "confirmed": confirmed, "rejected": len(matches) - potential - confirmed,
                         "minor": record.minor, "created_at": record.created_at,
                         "updated_at": record.updated_at, "retention_until": record.retention_until})
        for stone in store.tombstones(actor.society, "enquiry"):
            rows.append({"record_id": stone["key"].split(":", 1)[1],
                         "state": "withdrawn" if stone["reason"] == "consent_withdrawn" else "closed",
                         "potential": 0, "confirmed": 0, "rejected": 0, "minor": False,
                         "created_at": stone["created_at"], "updated_at": stone["erased_at"],
                         "retention_until": None})
        return rows

    def enquiries(self, actor: Actor, entry: AuditEntry, state: str | None = None, record_id: str | None = None,
                  page: int = 1, per_page: int = 25) -> dict:
        """One page of the society's enquiries, newest first, in `state` (all when None) and
        whose record_id contains `record_id`, with the count in every state (before paging and
        the state filter, after the id search), so the officer sees where the work is."""
        if state is not None and state not in STATES:
            raise ValueError(f"unknown state {state}")
        per_page = max(1, min(per_page, PER_PAGE_MAX))
        page = max(1, page)
        rows = self._rows(actor)
        if record_id:
            needle = record_id.casefold()
            rows = [r for r in rows if needle in r["record_id"].casefold()]
        counts = {s: 0 for s in STATES}
        for row in rows:
            counts[row["state"]] += 1
        if state is not None:
            rows = [r for r in rows if r["state"] == state]
        rows.sort(key=lambda r: (r["created_at"], r["record_id"]), reverse=True)
        shown = rows[(page - 1) * per_page: page * per_page]
        entry.reason = f"rows:{len(shown)}" + (f";state:{state}" if state else "")
        return {"enquiries": shown, "counts": counts, "total": len(rows), "page": page, "per_page": per_page}

    def with_decisions(self, actor: Actor, entry: AuditEntry, record_id: str):
        """One of the society's enquiries with what officers decided about its candidates
        (found id -> state and time), so a page can show which still await a decision."""
        record = self.ctx.own(actor, "enquiry", record_id, entry)
        decisions = {m.found_key: {"state": m.state, "decided_at": m.decided_at, "probability": m.probability}
                     for m in self.ctx.store.matches_of(record.key)}
        return record, decisions
