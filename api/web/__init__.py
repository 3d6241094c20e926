"""The tracing officer's workspace in the browser, served by `rfl serve` under /web.

Same process, same store, same code of conduct as the API: pages call the service layer the
API routers call, under the same action names, and leave the same audit entries. `install`
adds the pages, their static files and the handlers that turn a refusal into a page.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from api.web.pages import PageRefused, SignInNeeded, render, router, safe_next
from api.web.sessions import Sessions, WebSettings

__all__ = ["WebSettings", "install"]


class WebState:
    def __init__(self, settings: WebSettings):
        self.settings, self.sessions = settings, Sessions(settings)


def install(app: FastAPI, settings: WebSettings | None = None) -> list:
    """Serve the workspace from `app`; returns its routes, which sign officers in by session
    (the API's gate lets them through to do so)."""
    app.state.web = WebState(settings or WebSettings())
    app.include_router(router)
    app.mount("/web/static", StaticFiles(directory=Path(__file__).parent / "static"), name="web-static")
    static = app.routes[-1]

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/web/", status_code=303)

    home_route = app.routes[-1]

    @app.exception_handler(SignInNeeded)
    async def to_sign_in(request: Request, exc: SignInNeeded):
        from urllib.parse import urlencode

        query = {"next": safe_next(exc.next_path), **({"reason": exc.reason} if exc.reason else {})}
        return RedirectResponse("/web/sign-in?" + urlencode(query), status_code=303)

    @app.exception_handler(PageRefused)
    async def refused(request: Request, exc: PageRefused):
        return render(request, "refused.html", exc.session, status=exc.status, code=exc.code, back=exc.back)

    return [*router.routes, static, home_route]
