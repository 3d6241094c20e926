"""A cap on request bodies, enforced before any parsing: an oversized body gets 413.

The cap is checked against Content-Length when given and against the bytes actually received
otherwise (chunked uploads), so a client cannot exhaust memory by not saying how much it sends.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """What one call may cost the service: set per deployment (`rfl serve` options), defaults here.

    `body` and `batch_body` cap request bodies in bytes (`batch_body` for /reconciliations);
    `batch_rows` caps the enquiries of one batch, JSON or uploaded file (a file is parsed no
    further than that); `refusal_window` is the window, in seconds, over which refusals of
    callers without a valid key are counted into one audit entry (api/gate.py, `Tally`).
    """

    body: int = 64 * 1024
    batch_body: int = 32 * 1024 * 1024
    batch_rows: int = 50_000
    refusal_window: float = 60.0


class BodyLimit:
    """ASGI middleware: `default` bytes for every path, larger caps for named path prefixes."""

    def __init__(self, app, default: int, larger: dict[str, int] | None = None):
        self.app, self.default, self.larger = app, default, larger or {}

    def _limit(self, path: str) -> int:
        return next((cap for prefix, cap in self.larger.items() if path.startswith(prefix)), self.default)

    async def _refuse(self, send, limit: int) -> None:
        body = json.dumps({"error": "body_too_large", "message": f"request bodies here are limited to {limit} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self._limit(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return await self._refuse(send, limit)
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return await self._refuse(send, limit)
            chunks.append(chunk)
            more = message.get("more_body", False)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)
