"""Signed-in officers: an API key exchanged once for a server-side session.

The key is typed once and never kept: the session holds the key's id, society and role, the
purpose the officer chose (R5), a CSRF token and two clocks. The browser holds only a random
token in an HttpOnly, SameSite=Strict cookie (Secure behind TLS); the server keeps its hash, so
a memory dump yields no usable cookie. Sessions live in memory only: a restart signs everyone
out, which is the safe direction. Every request checks the key again, so revoking a key ends its
sessions at their next click.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from rfl.audit import Actor

COOKIE = "rfl_session"
SIGNIN_COOKIE = "rfl_signin"  # the sign-in form's own CSRF token (double submit: no session yet)
LANG_COOKIE = "rfl_lang"


@dataclass
class WebSettings:
    """Per-deployment choices for the workspace (`rfl serve --secure-cookies --session-idle`)."""

    secure_cookies: bool = False  # always mark cookies Secure, e.g. behind a TLS proxy that hides the scheme
    idle_minutes: float = 15.0  # signed out after this long without a request
    lifetime_hours: float = 12.0  # and after this long in any case: one working day


@dataclass
class Session:
    key_id: str
    society: str
    role: str
    purpose: str
    csrf: str
    started: float
    seen: float
    flash: list[tuple[str, dict]] = field(default_factory=list)  # messages for the next page (msgid, values)

    @property
    def actor(self) -> Actor:
        return Actor(key_id=self.key_id, society=self.society, role=self.role)

    def csrf_ok(self, presented: str | None) -> bool:
        return bool(presented) and hmac.compare_digest(presented.encode(), self.csrf.encode())


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


class Sessions:
    """The open sessions of one running service, safe to use from the server's threads."""

    def __init__(self, settings: WebSettings, clock: Callable[[], float] = time.monotonic):
        self.settings, self.clock = settings, clock
        self._open: dict[str, Session] = {}
        self._lock = threading.Lock()

    def open(self, actor: Actor, purpose: str) -> str:
        """A new session for `actor`; returns the cookie token (shown to nobody else)."""
        token, now = secrets.token_urlsafe(32), self.clock()
        session = Session(actor.key_id, actor.society, actor.role, purpose, secrets.token_urlsafe(32), now, now)
        with self._lock:
            self._sweep(now)
            self._open[_digest(token)] = session
        return token

    def get(self, token: str | None) -> Session | None:
        """The live session of a cookie token, its idle clock reset; None if none or expired."""
        if not token:
            return None
        now, digest = self.clock(), _digest(token)
        with self._lock:
            session = self._open.get(digest)
            if session is None:
                return None
            if self._expired(session, now):
                del self._open[digest]
                return None
            session.seen = now
            return session

    def close(self, token: str | None) -> Session | None:
        with self._lock:
            return self._open.pop(_digest(token), None) if token else None

    def end_for_key(self, key_id: str) -> int:
        """End every session opened with one key (it was revoked)."""
        with self._lock:
            ended = [d for d, s in self._open.items() if s.key_id == key_id]
            for digest in ended:
                del self._open[digest]
        return len(ended)

    def __len__(self) -> int:
        return len(self._open)

    def _expired(self, session: Session, now: float) -> bool:
        return (now - session.seen > self.settings.idle_minutes * 60
                or now - session.started > self.settings.lifetime_hours * 3600)

    def _sweep(self, now: float) -> None:
        for digest in [d for d, s in self._open.items() if self._expired(s, now)]:
            del self._open[digest]
