"""The tracing service: where storage, the matching index and the code of conduct meet, without
any HTTP. The API translates requests into these calls; a batch tool could make the same calls.

One area per thing an officer (or admin, reconciler, researcher) does, each a small class over
one shared `Context` (store, index and its lock, settings, clock, pseudonym key, model identity):

    service.records        submit, read, correct, erase, withdraw, object, override, access export
    service.matching       search candidates, decide on one, name the scoring model
    service.disclosures    release a candidate's record as a logged transfer
    service.jobs           reconciliation jobs in the background, their progress and results
    service.research       pseudonymised exports
    service.oversight      retention review and purge, the audit trail
    service.queue          the society's enquiries by state: an officer's work queue

Every call takes the caller (`Actor`) and the `AuditEntry` of the call; it names the target on
the entry and stores the entry in the same transaction as the change it describes.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import date
from typing import Callable

from rfl import policy
from rfl.store import Store
from rfl.tracing.context import Context, Settings, global_key, index_view
from rfl.tracing.disclosure import Disclosures
from rfl.tracing.jobs import Reconciliations
from rfl.tracing.matching import Matching
from rfl.tracing.oversight import Oversight
from rfl.tracing.records import Records
from rfl.tracing.research import Research
from rfl.tracing.workqueue import WorkQueue

__all__ = ["Context", "Settings", "TracingService", "global_key"]

_INDEX_BATCH = 100_000  # records per index upsert when rebuilding at start
log = logging.getLogger(__name__)  # counts and durations only, never a person's details


class TracingService:
    """One running service: the shared context, the areas over it, and their life cycle."""

    def __init__(self, store: Store, index, pseudonym: Callable[[str], str], settings: Settings | None = None,
                 today: Callable[[], date] = date.today):
        """`index` is an `rfl.search.FoundIndex`. Its model does not change while the service
        runs, so the model's identity (a hash of its document) is computed once, here."""
        self.context = Context(store=store, index=index, pseudonym=pseudonym, settings=settings or Settings(),
                               today=today, model=index.model.identity())
        self.records = Records(self.context)
        self.matching = Matching(self.context)
        self.disclosures = Disclosures(self.context)
        self.jobs = Reconciliations(self.context)
        self.research = Research(self.context)
        self.oversight = Oversight(self.context)
        self.queue = WorkQueue(self.context)
        self._waiting_lock = threading.Lock()
        self._waiting: list[str | None] | None = None  # changes announced while the index is rebuilt

    @property
    def store(self) -> Store:
        """The store, for what sits around every call: authentication and the audit entry."""
        return self.context.store

    def start(self) -> int:
        """Follow other processes' writes, rebuild the index from the store, and mark jobs cut
        short by a stop interrupted. Changes announced while the index is rebuilt wait until it
        is done, then are read again from the store, so an older copy read by the rebuild never
        overwrites a newer one."""
        ctx = self.context
        interrupted = ctx.store.interrupt_unfinished_jobs()
        with self._waiting_lock:
            self._waiting = []
        ctx.store.follow(self._changed)
        started, total = time.perf_counter(), self._rebuild()
        with self._waiting_lock:
            waiting, self._waiting = self._waiting, None
        for key in waiting:
            self._apply(key)
        log.info("index rebuilt with %d eligible found records in %.1f s; %d unfinished jobs marked interrupted; "
                 "scoring with model sha256 %s", total, time.perf_counter() - started, interrupted, ctx.model["sha256"])
        return total

    def _rebuild(self) -> int:
        """Put every eligible found record of the store into the index."""
        ctx, today, batch, total = self.context, self.context.today(), [], 0
        for record in ctx.store.iter_records(kind="found"):
            if policy.ineligibility(record, today) is None:
                batch.append(index_view(record))
            if len(batch) >= _INDEX_BATCH:
                total += ctx.index_records(batch)
                batch = []
        return total + ctx.index_records(batch)

    def _changed(self, key: str | None) -> None:
        """Another process wrote or erased the found record `key` (None: changes were missed)."""
        with self._waiting_lock:
            if self._waiting is not None:
                self._waiting.append(key)
                return
        self._apply(key)

    def _apply(self, key: str | None) -> None:
        if key is None:
            log.info("index refreshed with %d eligible found records after missed changes", self._rebuild())
        else:
            self.context.refresh(key)

    def close(self) -> None:
        self.jobs.close()
        self.context.store.close()
