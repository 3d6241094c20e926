"""The tracing API: an application over one store and one matching index.

`create_app(db_path, settings, model)` opens (or creates) the SQLite store and its encryption
key, rebuilds the index of eligible found records (scored with `model`, by default the one
shipped with rfl), and serves the routers; stopping it finishes or interrupts
background jobs and checkpoints the store. Nothing lives only in memory: a restart on the same
file rebuilds everything.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from api.errors import on_invalid, on_refusal
from api.limits import BodyLimit
from api.routers import (audit, candidates, decisions, disclosures, model as model_router, queue, reconciliations,
                         records, research, retention)
from api.web import install as install_workspace
from rfl.crypto import Cipher, load_or_create_key
from rfl.policy import Refusal
from rfl.store import open_store
from rfl.tracing import Settings, TracingService

if TYPE_CHECKING:
    from api.web import WebSettings
    from matching.model import Model

MAX_BODY = 64 * 1024
MAX_BATCH_BODY = 32 * 1024 * 1024
MAX_IMPORT_BODY = 1024 * 1024  # the workspace's file import: kept in memory by the multipart parser

DESCRIPTION = """Restoring Family Links tracing service for Movement components.

Every call carries an API key (`X-RFL-Key`, made by `rfl keys create`) and names its purpose
(`X-RFL-Purpose`: tracing, reconciliation, access_request, research or oversight). Refusals
answer `{"error": code, "message": ...}`; each route lists the codes it can return and the rule
of the code of conduct behind each. Every call, served or refused, is in the audit trail.
"""


def create_app(db_path: str | Path, settings: Settings | None = None, model: Model | None = None,
               web: WebSettings | None = None) -> FastAPI:
    """The app over the store at `db_path`; candidates are scored with `model`, or with the
    model shipped with rfl when none is given (`rfl serve --model` checks a file first).
    The officers' workspace (`api/web`, under /web) is served by the same app, with `web`'s
    session settings."""
    db_path = Path(db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from rfl.search import FoundIndex  # the matching engine loads when the app starts, not on import

        cipher = Cipher(load_or_create_key(db_path.parent))
        service = TracingService(open_store(db_path, cipher), FoundIndex(model), cipher.pseudonym, settings)
        service.start()
        app.state.service = service
        try:
            yield
        finally:
            service.close()

    app = FastAPI(title="rfl tracing API", version="1", description=DESCRIPTION, lifespan=lifespan)
    app.add_exception_handler(Refusal, on_refusal)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_middleware(BodyLimit, default=MAX_BODY, larger={"/reconciliations": MAX_BATCH_BODY,
                                                            "/web/enquiries/import": MAX_IMPORT_BODY})
    for router in (records.enquiries, records.found, candidates.router, decisions.router, disclosures.router,
                   reconciliations.router, research.router, audit.router, retention.router, model_router.router):
        app.include_router(router)
    app.include_router(queue.router)  # GET /enquiries: the work queue
    install_workspace(app, web)
    return app
