"""Start the tracing API (uvicorn) on a SQLite file or a PostgreSQL database.

The SQLite file is created on first start; a PostgreSQL database may be shared by several `rfl
serve` processes (docs/postgres.md).

The data key comes from RFL_DATA_KEY or, for SQLite only, from a 0600 key file next to the
database. Bind to 127.0.0.1 unless a TLS-terminating proxy stands in front: keys travel in
headers.
"""

from __future__ import annotations

import argparse
import copy
from pathlib import Path

from api.limits import Limits
from rfl.errors import InputError
from rfl.policy import DisclosureSettings
from rfl.store import location
from rfl.tracing import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # The default lies outside any checkout, so the data and its key file never land in a repository.
    parser.add_argument("--db", type=location, default=Path.home() / ".local/share/rfl/rfl.sqlite",
                        help="SQLite file, created on first start (default %(default)s), or a PostgreSQL URL "
                             "(postgresql://user@host/db; the data key then comes from RFL_DATA_KEY)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--model", type=Path, metavar="FILE",
                        help="score candidates with this model (JSON written by `rfl link --save-model`) "
                             "instead of the one shipped with rfl, learnt on synthetic data")
    parser.add_argument("--say-alive", action="store_true",
                        help="when whereabouts are withheld, still say that a located person is alive (R3)")
    parser.add_argument("--secure-cookies", action="store_true",
                        help="mark the workspace's cookies Secure even when the request does not look like "
                             "https (a TLS proxy that does not send X-Forwarded-Proto)")
    parser.add_argument("--session-idle", type=float, default=15.0, metavar="MINUTES",
                        help="sign an officer out of the workspace after this long without a request "
                             "(default %(default)s)")
    parser.add_argument("--max-batch-rows", type=int, default=Limits.batch_rows, metavar="N",
                        help="most enquiries in one reconciliation batch or uploaded file (default %(default)s)")


def uvicorn_options(host: str, port: int) -> dict:
    """How `rfl serve` runs uvicorn. Uvicorn's own access log is off: it prints the concrete path,
    and a path holds a record id, which a careless society may have made from a name. The gate
    (api/gate.py) logs each call instead with the route's template (`/enquiries/{record_id}`),
    its status and duration; the service logs counts and durations only."""
    from uvicorn.config import LOGGING_CONFIG

    logging = copy.deepcopy(LOGGING_CONFIG)
    for name in ("api", "rfl"):
        logging["loggers"][name] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return {"host": host, "port": port, "log_config": logging, "log_level": "info", "access_log": False}


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app
    from api.web import WebSettings
    from rfl.search import load_model
    from rfl.store import cipher_for, open_store

    model = load_model(args.model) if args.model else None
    settings = Settings(disclosure=DisclosureSettings(say_alive=args.say_alive))
    if args.max_batch_rows < 1:
        raise InputError("--max-batch-rows", "must be at least 1")
    web = WebSettings(secure_cookies=args.secure_cookies, idle_minutes=args.session_idle)
    # A missing or wrong data key is said in one line here, not as a traceback of the server's start.
    open_store(args.db, cipher_for(args.db)).close()
    app = create_app(args.db, settings, model, web, Limits(batch_rows=args.max_batch_rows))
    uvicorn.run(app, **uvicorn_options(args.host, args.port))
    return 0
