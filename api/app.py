"""The tracing API: an application over one store and one matching index.

`create_app(db, settings, model)` opens (or creates) the store at `db` (a SQLite file, or a
PostgreSQL URL) and its encryption key, rebuilds the index of eligible found records (scored
with `model`, by default the one shipped with rfl), and serves the routers; stopping it
finishes or interrupts background jobs and checkpoints the store. Nothing lives only in memory:
a restart on the same database rebuilds everything.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.routing import Route

from api.errors import on_http_error, on_invalid, on_refusal
from api.gate import Gate, Tally, action_of
from api.limits import BodyLimit, Limits
from api.routers import (audit, candidates, decisions, disclosures, model as model_router, queue, reconciliations,
                         records, research, retention)
from api.web import install as install_workspace
from rfl.policy import Refusal
from rfl.store import cipher_for, is_postgres, open_store
from rfl.tracing import Settings, TracingService

log = logging.getLogger("api")

if TYPE_CHECKING:
    from api.web import WebSettings
    from matching.model import Model

MAX_IMPORT_BODY = 1024 * 1024  # the workspace's file import: kept in memory by the multipart parser
ROUTERS = (records.enquiries, records.found, queue.router, candidates.router, decisions.router, disclosures.router,
           reconciliations.router, research.router, audit.router, retention.router, model_router.router)

DESCRIPTION = """Restoring Family Links tracing service for Movement components.

Every call carries an API key (`X-RFL-Key`, made by `rfl keys create`) and names its purpose
(`X-RFL-Purpose`: tracing, reconciliation, access_request, research or oversight). Refusals
answer `{"error": code, "message": ...}`; each route lists the codes it can return and the rule
of the code of conduct behind each. Every call, served or refused, is in the audit trail.
"""


def create_app(db: str | Path, settings: Settings | None = None, model: Model | None = None,
               web: WebSettings | None = None, limits: Limits | None = None) -> FastAPI:
    """The app over the store at `db` (a SQLite file or a `postgresql://` URL); candidates are scored with `model`, or with the
    model shipped with rfl when none is given (`rfl serve --model` checks a file first).
    The officers' workspace (`api/web`, under /web) is served by the same app, with `web`'s
    session settings. `limits` bounds what one call may cost (api/limits.py)."""
    db = db if is_postgres(db) else Path(db)
    limits = limits or Limits()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from rfl.search import FoundIndex  # the matching engine loads when the app starts, not on import

        cipher = cipher_for(db)
        service = TracingService(open_store(db, cipher), FoundIndex(model), cipher.pseudonym, settings)
        service.start()
        if not service.store.verify_audit(full=True):  # the one full pass; calls then check what is new
            log.error("the audit trail's hash chain does not verify: entries were changed or removed")
        app.state.service = service
        try:
            yield
        finally:
            for entry in tally.due(everything=True):  # the counts of keyless refusals not yet stored
                service.store.append_audit(entry)
            service.close()

    app = FastAPI(title="rfl tracing API", version="1", description=DESCRIPTION, lifespan=lifespan)
    app.add_exception_handler(Refusal, on_refusal)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(HTTPException, on_http_error)
    tally = Tally(limits.refusal_window)
    app.state.limits = limits
    # The last added runs first: the gate decides on the headers before the body limit reads a byte.
    app.add_middleware(BodyLimit, default=limits.body, larger={"/reconciliations": limits.batch_body,
                                                               "/web/enquiries/import": MAX_IMPORT_BODY})
    app.add_middleware(Gate, tally=tally)
    for router in ROUTERS:
        app.include_router(router)
    workspace = install_workspace(app, web)
    # What the gate matches a request against: every API route with its action. The pages FastAPI
    # adds itself (the OpenAPI document) are public, and so, to the gate, is the workspace under
    # /web, whose pages sign an officer in by session and ask the same service (with its audit).
    app.state.routes = [(route, action_of(route)) for router in ROUTERS for route in router.routes]
    app.state.public = [route for route in app.routes if isinstance(route, Route) and not isinstance(route, APIRoute)]
    app.state.public += workspace
    unguarded = [route.path for route, action in app.state.routes if action is None]
    if unguarded:  # a route without authorised(...) would be served to anyone: refuse to start
        raise RuntimeError(f"routes without an authorised() dependency: {unguarded}")
    return app

