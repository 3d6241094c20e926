"""The door every call passes before its body is read: one key, one purpose, a role and purpose
that may take the route (R5, R15), and the audit entry that says how the call ended (R14).

Why an ASGI middleware rather than a FastAPI dependency alone: FastAPI reads and parses a body
before it runs any dependency, so a caller with no key could make the server take in 32 MiB
before being told no. Here the headers decide; a refused call's body is never received.

Every call that passes is given its audit entry here, and the gate stores it when the answer's
status is sent (unless the service already stored it with the change it made), with the outcome
that status means: below 400 `ok`, otherwise `refused`. So the trail always says what the caller
got, a crash included: the gate answers it with a 500 and logs the exception's type and where it
happened, never its message (a message may quote a date or a name).

Callers with no valid key are not one audit row each, or a flood of them would bury the trail
and cost a synchronous disk write per request: see `Tally`.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from dataclasses import dataclass

import anyio
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.routing import Match

from api.errors import refusal_response
from api.keys import authenticate
from rfl import policy
from rfl.audit import Actor, AuditEntry
from rfl.policy import Refusal

KEY_HEADER, PURPOSE_HEADER = "X-RFL-Key", "X-RFL-Purpose"
ADMITTED = "rfl_admitted"  # the key under which an admitted call waits in scope["state"]
UNROUTED = "unknown_route"  # the action of a keyless call to a path the service does not have

access_log = logging.getLogger("api.access")  # method, route template, status: never a path's ids
log = logging.getLogger("api.errors")


@dataclass
class Admitted:
    """A call the gate let through: who, what, and the entry the route adds its target to."""

    actor: Actor
    action: str
    entry: AuditEntry


def action_of(route: APIRoute) -> str | None:
    """The action a route's `authorised(...)` dependency names (see api/deps.py)."""
    return next((d.call.action for d in route.dependant.dependencies if hasattr(d.call, "action")), None)


def _loggable_purpose(purpose: str | None) -> str | None:
    """The purpose as the audit trail may hold it: a known word, never a caller's free text."""
    if purpose is None or purpose in policy.PURPOSES or purpose in policy.OUTSIDE_RFL:
        return purpose
    return "unrecognised"


def _failure_reason(status: int) -> str:
    """The reason of a call that failed without saying why (no refusal code reached the entry)."""
    return {413: "body_too_large", 422: "invalid_request"}.get(status, "internal_error" if status >= 500 else "http_error")


class Tally:
    """Refusals of callers without a valid key, accounted for without flooding the trail (R14).

    The first such refusal of a route for a reason in a window (`window` seconds) is stored at
    once, as any refusal is; the others in that window are counted in memory, and when the window
    has passed (checked at the next call, and when the service stops) one more entry holds their
    number: reason `<code>;more:<n>`. A flood of any size leaves at most two entries per route
    and reason a window. The trade-off: a crash loses the count of an unfinished window, never
    its first entry.
    """

    def __init__(self, window: float = 60.0, clock=time.monotonic):
        self.window, self._clock = window, clock
        self._lock = threading.Lock()
        self._open: dict[tuple[str, int, str], list] = {}  # (action, status, code) -> [opened, more]

    def count(self, action: str, status: int, code: str) -> list[AuditEntry]:
        """Count one refusal; the entries to store now (a first one, windows that closed)."""
        now = self._clock()
        with self._lock:
            due = self._close(now)
            bucket = self._open.get((action, status, code))
            if bucket is None:
                self._open[(action, status, code)] = [now, 0]
                due.append(self._entry(action, status, code))
            else:
                bucket[1] += 1
        return due

    def due(self, everything: bool = False) -> list[AuditEntry]:
        """Entries for the windows that have closed (all of them when the service stops)."""
        with self._lock:
            return self._close(float("inf") if everything else self._clock())

    def _close(self, now: float) -> list[AuditEntry]:
        closed = [key for key, (opened, _) in self._open.items() if now - opened >= self.window]
        due = []
        for action, status, code in closed:
            more = self._open.pop((action, status, code))[1]
            if more:
                due.append(self._entry(action, status, f"{code};more:{more}"))
        return due

    @staticmethod
    def _entry(action: str, status: int, reason: str) -> AuditEntry:
        entry = AuditEntry(action=action)
        entry.refuse(status, reason)
        return entry


class Gate:
    """ASGI middleware in front of the routes (and of the body limit): see the module's doc."""

    def __init__(self, app, tally: Tally):
        self.app, self.tally = app, tally

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, app = time.perf_counter(), scope["app"]
        public = next((r for r in app.state.public if r.matches(scope)[0] is Match.FULL), None)
        if public is not None:  # the OpenAPI document and its pages
            return await self._pass(scope, receive, send, public.path, started)
        route, action = next(((r, a) for r, a in app.state.routes if r.matches(scope)[0] is Match.FULL), (None, UNROUTED))
        template = route.path if route is not None else "-"
        store = app.state.service.store
        await self._store(store, self.tally.due())
        keys = [v for k, v in scope["headers"] if k == b"x-rfl-key"]
        purposes = [v.decode("latin-1") for k, v in scope["headers"] if k == b"x-rfl-purpose"]
        purpose = purposes[0] if len(purposes) == 1 else None
        actor = None
        if len(keys) == 1:
            presented = keys[0].decode("latin-1")
            actor = await run_in_threadpool(authenticate, store, presented) if presented.startswith("rfl_") else None
        try:
            if len(keys) > 1 or len(purposes) > 1:
                raise Refusal(400, "header_repeated", f"send {KEY_HEADER} and {PURPOSE_HEADER} once each")
            if actor is None:
                raise Refusal(403, "not_a_movement_component",
                              "only Movement components with a valid API key are served")
            if route is None:  # a path or method the service does not have: 404 or 405 from the router
                return await self._pass(scope, receive, send, template, started)
            policy.authorise(actor.role, purpose, action)
        except Refusal as refusal:
            if actor is None:
                await self._store(store, self.tally.count(action, refusal.status, refusal.code))
            else:
                entry = AuditEntry.for_actor(actor, action, "repeated" if len(purposes) > 1 else _loggable_purpose(purpose))
                entry.refuse(refusal.status, refusal.code)
                await self._store(store, [entry])
            self._log(scope, template, refusal.status, started)
            return await refusal_response(refusal.status, refusal.code, refusal.message)(scope, receive, send)
        admitted = Admitted(actor, action, AuditEntry.for_actor(actor, action, _loggable_purpose(purpose)))
        admitted.entry.status = route.status_code or 200  # what a served call answers
        scope.setdefault("state", {})[ADMITTED] = admitted
        await self._serve(scope, receive, send, store, admitted, template, started)

    async def _pass(self, scope, receive, send, template: str, started: float) -> None:
        status = []

        async def sending(message):
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        await self.app(scope, receive, sending)
        self._log(scope, template, status[0] if status else 0, started)

    async def _serve(self, scope, receive, send, store, admitted: Admitted, template: str, started: float) -> None:
        """Run the route; store the call's entry with the status as it is sent, before the caller
        sees it; answer a crash with 500 (and an entry saying so)."""
        sent = []

        async def sending(message):
            if message["type"] == "http.response.start":  # no answer leaves before its entry is stored
                await self._close(store, admitted, message["status"])
                sent.append(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except BaseException as err:
            if isinstance(err, (anyio.get_cancelled_exc_class(), KeyboardInterrupt, SystemExit, GeneratorExit)):
                raise
            where = "; ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
                              for f in traceback.extract_tb(err.__traceback__)[-4:])
            log.error("%s %s failed: %s at %s", scope["method"], template, type(err).__name__, where)
            if not sent:
                await refusal_response(500, "internal_error", "the service failed; the call is in the audit trail")(
                    scope, receive, sending)
        self._log(scope, template, sent[0] if sent else 500, started)

    async def _close(self, store, admitted: Admitted, status: int) -> None:
        entry = admitted.entry
        if entry.seq is None:  # not stored with a change: store it now, with what the caller gets
            if status >= 400 and entry.outcome == "ok":
                entry.reason = _failure_reason(status)
            entry.status, entry.outcome = status, "ok" if status < 400 else "refused"
            await self._store(store, [entry])
        elif status != entry.status:  # stored with its change, then the answer failed: say so too
            late = AuditEntry.for_actor(admitted.actor, entry.action, entry.purpose)
            late.target = entry.target
            late.refuse(status, _failure_reason(status))
            await self._store(store, [late])

    @staticmethod
    async def _store(store, entries: list[AuditEntry]) -> None:
        for entry in entries:
            await run_in_threadpool(store.append_audit, entry)

    @staticmethod
    def _log(scope, template: str, status: int, started: float) -> None:
        client = scope.get("client")
        access_log.info('%s - "%s %s" %d %.0f ms', client[0] if client else "-", scope["method"], template,
                        status, (time.perf_counter() - started) * 1000)
