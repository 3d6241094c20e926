"""Start the tracing API (uvicorn) on a local SQLite store, created on first start.

The data key comes from RFL_DATA_KEY or from a 0600 key file next to the database. Bind to
127.0.0.1 unless a TLS-terminating proxy stands in front: keys travel in headers.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rfl.policy import DisclosureSettings
from rfl.tracing import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # The default lies outside any checkout, so the data and its key file never land in a repository.
    parser.add_argument("--db", type=Path, default=Path.home() / ".local/share/rfl/rfl.sqlite",
                        help="SQLite file, created on first start (default %(default)s)")
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


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app
    from api.web import WebSettings
    from rfl.search import load_model

    model = load_model(args.model) if args.model else None
    settings = Settings(disclosure=DisclosureSettings(say_alive=args.say_alive))
    # Access logs hold paths (record ids) and statuses only: bodies and headers are never logged.
    web = WebSettings(secure_cookies=args.secure_cookies, idle_minutes=args.session_idle)
    uvicorn.run(create_app(args.db, settings, model, web), host=args.host, port=args.port, log_level="info")
    return 0
