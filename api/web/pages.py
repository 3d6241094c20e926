"""The tracing officer's workspace: server-rendered pages over the same service as the API.

Every page that reads or changes a record makes the same service call as the API route that
does the same thing (`service.records.submit`, `service.matching.search`, ...), under the same
action name, with the purpose the officer chose for the session, and leaves the same audit
entry (R5, R14). Nothing a person typed goes into a URL, so names never reach access logs:
forms that carry names are posted. Every form carries the session's CSRF token.
"""

from __future__ import annotations

import json
import re
import secrets
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import quote

from babel.numbers import format_decimal, format_percent
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.keys import authenticate
from api.models import GLOBAL_ID_PATTERN, RECORD_ID_PATTERN
from api.web import evidence, forms, i18n, imports
from api.web.i18n import N_
from api.web.sessions import COOKIE, LANG_COOKIE, SIGNIN_COOKIE, Session
from rfl import policy
from rfl.audit import AuditEntry
from rfl.policy import Refusal
from rfl.tracing.workqueue import STATES

TEMPLATES = Path(__file__).parent / "templates"
router = APIRouter(prefix="/web", include_in_schema=False)

# Purposes an officer can work under in the workspace (others have no page here).
WORK_PURPOSES = {
    "tracing": N_("Tracing: search, verify candidates, restore contact"),
    "access_request": N_("Access request: a person asks for their own data (R9)"),
    "oversight": N_("Oversight: audit and administration"),
}
ROLE_NAMES = {"officer": N_("tracing officer"), "admin": N_("admin")}
STATE_NAMES = {
    "new": N_("New"),
    "review": N_("Candidates to review"),
    "confirmed": N_("Confirmed"),
    "closed": N_("Closed"),
    "withdrawn": N_("Withdrawn"),
}
DECISION_REASONS = {  # the codes of rfl.tracing.matching.DECISION_REASONS, in words
    "confirmed": {
        "identity_verified": N_("Identity verified with the disclosed record"),
        "family_recognised": N_("The family recognised the person"),
        "documents_match": N_("Documents match"),
    },
    "rejected": {
        "different_person": N_("A different person"),
        "dates_conflict": N_("Dates or places rule it out"),
        "family_not_recognised": N_("The family did not recognise the person"),
    },
}
# What the officer reads when the service refuses: plain words per refusal code.
REFUSED = {
    "not_found": N_("There is no such record in your society."),
    "erased": N_("This record was erased. Only its tombstone (ids and dates) remains."),
    "not_a_movement_component": N_("This key is not valid, or it was revoked."),
    "role_not_permitted": N_("Your role may not do this."),
    "purpose_not_for_action": N_(
        "This is not allowed for the purpose of this session. Change the purpose in the header if your "
        "work calls for it."),
    "purpose_missing": N_("Choose the purpose of your work."),
    "purpose_outside_rfl": N_("This purpose is outside Restoring Family Links and is never served."),
    "purpose_unknown": N_("Choose one of the purposes offered."),
    "retention_expired": N_(
        "This enquiry is past its retention date and awaits an admin's review; it cannot be searched."),
    "not_a_candidate": N_("This found record was never proposed for this enquiry."),
    "not_available": N_(
        "This found record is no longer available for tracing (consent, retention, objection or erasure)."),
    "rejected_match": N_("This candidate was rejected: nothing is disclosed."),
    "recipient_not_adherent": N_(
        "Refused: your society is recorded as not adhering to the Code of Conduct, so no record may be "
        "transferred to it (R13)."),
    "consent_scope": N_("Refused: the consent this record rests on does not cover a transfer (R2)."),
    "changed_meanwhile": N_("The record changed while you were editing it. Open it again and redo your change."),
    "deceased_needs_admin": N_("Only an admin may set or change the status deceased."),
    "csrf_token_invalid": N_(
        "This form has expired or did not come from this workspace. Go back, reload the page and try "
        "again."),
    "legal_basis_missing": N_("Every record needs a legal basis."),
    "consent_scope_missing": N_("Consent must include tracing among the purposes."),
    "minor_without_safeguard": N_(
        "This person may be under 18: give a best-interests decision reference or record a guardian's "
        "consent."),
    "already_exists": N_("A record with this id exists already: correct it instead."),
    "other_society": N_("A society submits only its own records."),
}
WHEREABOUTS = {
    "disclosed": N_("Location and contact are shared: you may tell the family where the person is."),
    "withheld_until_confirmed": N_(
        "Identity fields only, for verification. Whereabouts are withheld until you confirm the match."),
    "located_not_shared": N_(
        "The person was located and does not wish their whereabouts shared. You may tell the family only "
        "that the person was found."),
    "withheld_minor": N_(
        "The person was located. A child's whereabouts are shared only after a best-interests decision is"
        " on record."),
}
_SAFE_NEXT = re.compile(r"^/web/[A-Za-z0-9/_.:?=&%-]*$")
_RECORD_ID = re.compile(RECORD_ID_PATTERN)
_GLOBAL_ID = re.compile(GLOBAL_ID_PATTERN)
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


# ---- what every page needs --------------------------------------------------------------

class SignInNeeded(Exception):
    def __init__(self, next_path: str, reason: str | None = None):
        self.next_path, self.reason = next_path, reason


class PageRefused(Exception):
    """A refusal shown as a page: the service's (R-coded) or the workspace's own (CSRF)."""

    def __init__(self, status: int, code: str, session: Session | None = None, back: str | None = None):
        self.status, self.code, self.session, self.back = status, code, session, back


def safe_next(path: str | None) -> str:
    """A path inside the workspace to return to, never another site."""
    return path if path and _SAFE_NEXT.match(path) and "//" not in path else "/web/"


def language(request: Request) -> str:
    return i18n.choose(None, request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


@cache
def environment(lang: str) -> Environment:
    """One template environment per language, its catalogue installed once (thread-safe)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)
    env.filters["percent"] = lambda p: format_percent(p, locale=lang)
    env.filters["bits"] = lambda w: format_decimal(w, "+0.0;-0.0", locale=lang)
    env.globals.update(lang=lang, dir=i18n.direction(lang), languages=[(c, i18n.autonym(c)) for c in i18n.languages()],
                       WORK_PURPOSES=WORK_PURPOSES, STATE_NAMES=STATE_NAMES, ROLE_NAMES=ROLE_NAMES, STATES=STATES,
                       LABELS=forms.LABELS,
                       HINTS=forms.HINTS, DECISION_REASONS=DECISION_REASONS, REFUSED=REFUSED,
                       WHEREABOUTS=WHEREABOUTS, quote=quote)
    return env


def secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.app.state.web.settings.secure_cookies


def render(request: Request, template: str, session: Session | None = None, status: int = 200,
           here: str | None = None, **context) -> HTMLResponse:
    """A page in the request's language, never cached (it holds people's data)."""
    lang = language(request)
    flash = []
    if session is not None:
        flash, session.flash = session.flash, []
    html = environment(lang).get_template(template).render(
        session=session, flash=flash, here=safe_next(here or str(request.url.path)), **context)
    response = HTMLResponse(html, status_code=status)
    response.headers.update({
        "Cache-Control": "no-store", "Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
    })
    return response


def signed_in(request: Request) -> Session:
    """The request's live session, whose key is still valid; otherwise off to sign in."""
    web = request.app.state.web
    token = request.cookies.get(COOKIE)
    session = web.sessions.get(token)
    next_path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if session is None:
        raise SignInNeeded(next_path, "expired" if token else None)
    row = request.app.state.service.store.get_key(session.key_id)
    if row is None or row["revoked_at"] is not None:
        web.sessions.end_for_key(session.key_id)
        raise SignInNeeded(next_path, "revoked")
    return session


async def posted_form(request: Request) -> dict[str, list[str]]:
    """The posted form as lists of text (files are never taken)."""
    form = await request.form()
    out: dict[str, list[str]] = {}
    for name, value in form.multi_items():
        if isinstance(value, str):
            out.setdefault(name, []).append(value)
    return out


def first(form: dict[str, list[str]], name: str) -> str:
    return (form.get(name) or [""])[0].strip()


def form_session(action: str):
    """Dependency of a form's route: the signed-in session and the form, once its CSRF token
    is the session's. A form without it is refused and the refusal audited under `action`."""

    def dependency(request: Request, form: dict = Depends(posted_form)) -> tuple[Session, dict]:
        session = signed_in(request)
        csrf_checked(request, session, first(form, "csrf") or request.headers.get("x-csrf-token", ""), action)
        return session, form

    return dependency


def csrf_checked(request: Request, session: Session, presented: str, action: str) -> None:
    """Refuse, and audit under `action`, a form whose token is not the session's."""
    if not session.csrf_ok(presented):
        entry = AuditEntry.for_actor(session.actor, action, session.purpose)
        entry.refuse(403, "csrf_token_invalid")
        request.app.state.service.store.append_audit(entry)
        raise PageRefused(403, "csrf_token_invalid", session)


@contextmanager
def audited(request: Request, session: Session, action: str, status: int = 200):
    """One service call as the API makes it: authorised for the session's role and purpose,
    its audit entry stored whatever happens (as api/deps.py does for an API call)."""
    service = request.app.state.service
    entry = AuditEntry.for_actor(session.actor, action, session.purpose)
    try:
        policy.authorise(session.role, session.purpose, action)
        entry.status = status
        yield service, entry
    except Refusal as refusal:
        entry.refuse(refusal.status, refusal.code)
        raise PageRefused(refusal.status, refusal.code, session) from None
    except forms.FormInvalid as invalid:
        entry.refuse(422, invalid.reason)
        raise
    except Exception:
        entry.refuse(500, "internal_error")
        raise
    finally:
        if entry.seq is None:
            service.store.append_audit(entry)


def record_id_or_404(request: Request, session: Session, record_id: str) -> str:
    if not _RECORD_ID.match(record_id):
        raise PageRefused(404, "not_found", session)
    return record_id


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


# ---- signing in and out -----------------------------------------------------------------

@router.get("/sign-in")
def sign_in_page(request: Request, next: str = Query("/web/"), reason: str | None = Query(None)) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = render(request, "signin.html", next=safe_next(next), signin_csrf=token,
                      reason=reason if reason in ("expired", "revoked", "signed_out") else None)
    response.set_cookie(SIGNIN_COOKIE, token, httponly=True, samesite="strict", secure=secure(request), path="/web")
    return response


@router.post("/sign-in")
def sign_in(request: Request, form: dict = Depends(posted_form)) -> Response:
    """Exchange a key for a session. The key is checked as an API call checks it; the attempt,
    served or refused, is audited (`web.sign_in`), the key itself never."""
    service = request.app.state.service
    cookie = request.cookies.get(SIGNIN_COOKIE, "")
    purpose, next_path = first(form, "purpose"), safe_next(first(form, "next"))
    if not cookie or not secrets.compare_digest(cookie.encode(), (first(form, "csrf") or "").encode()):
        raise PageRefused(403, "csrf_token_invalid", back="/web/sign-in")
    actor = authenticate(service.store, first(form, "key"))
    entry = AuditEntry.for_actor(actor, "web.sign_in", purpose if purpose in policy.PURPOSES else None)
    error = None
    if actor is None:
        error = "not_a_movement_component"
    elif actor.role not in ("officer", "admin"):
        error = "role_not_permitted"
    elif purpose not in WORK_PURPOSES:
        error = "purpose_missing" if not purpose else "purpose_unknown"
    if error:
        entry.refuse(403, error)
        service.store.append_audit(entry)
        token = secrets.token_urlsafe(32)
        response = render(request, "signin.html", status=403, next=next_path, signin_csrf=token, error=error,
                          chosen=purpose)
        response.set_cookie(SIGNIN_COOKIE, token, httponly=True, samesite="strict", secure=secure(request),
                            path="/web")
        return response
    service.store.append_audit(entry)
    token = request.app.state.web.sessions.open(actor, purpose)
    response = see_other(next_path)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=secure(request), path="/web")
    response.delete_cookie(SIGNIN_COOKIE, path="/web", httponly=True, samesite="strict", secure=secure(request))
    return response


@router.post("/sign-out")
def sign_out(request: Request, posted: tuple = Depends(form_session("web.sign_out"))) -> Response:
    session, _ = posted
    request.app.state.web.sessions.close(request.cookies.get(COOKIE))
    request.app.state.service.store.append_audit(AuditEntry.for_actor(session.actor, "web.sign_out", session.purpose))
    response = see_other("/web/sign-in?reason=signed_out")
    response.delete_cookie(COOKIE, path="/web", httponly=True, samesite="strict", secure=secure(request))
    return response


@router.post("/purpose")
def change_purpose(request: Request, posted: tuple = Depends(form_session("web.purpose"))) -> Response:
    """The officer's work changes purpose (e.g. a person asks for their own data): audited."""
    session, form = posted
    purpose = first(form, "purpose")
    entry = AuditEntry.for_actor(session.actor, "web.purpose", session.purpose)
    if purpose not in WORK_PURPOSES:
        entry.refuse(403, "purpose_unknown")
        request.app.state.service.store.append_audit(entry)
        raise PageRefused(403, "purpose_unknown", session)
    entry.reason = f"purpose:{purpose}"
    request.app.state.service.store.append_audit(entry)
    session.purpose = purpose
    return see_other(safe_next(first(form, "next")))


@router.get("/lang/{code}")
def choose_language(request: Request, code: str, next: str = Query("/web/")) -> Response:
    response = see_other(safe_next(next))
    if code in i18n.languages():
        response.set_cookie(LANG_COOKIE, code, httponly=True, samesite="strict", secure=secure(request),
                            path="/web", max_age=365 * 24 * 3600)
    return response


# ---- the work queue -----------------------------------------------------------------------

@router.get("/")
def queue(request: Request, state: str | None = Query(None), q: str = Query("", max_length=64),
          page: int = Query(1, ge=1, le=100_000)) -> HTMLResponse:
    session = signed_in(request)
    state = state if state in STATES else None
    q = q.strip() if re.fullmatch(r"[A-Za-z0-9._-]*", q.strip()) else ""
    with audited(request, session, "record.read") as (service, entry):
        listed = service.queue.enquiries(session.actor, entry, state, q or None, page, 25)
    pages = max(1, -(-listed["total"] // listed["per_page"]))
    return render(request, "queue.html", session, listed=listed, state=state, q=q, pages=pages,
                  here=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""))


# ---- submitting and correcting an enquiry ----------------------------------------------

@router.get("/enquiries/new")
def new_enquiry(request: Request) -> HTMLResponse:
    session = signed_in(request)
    return render(request, "enquiry_form.html", session, form=forms.FormState({"consent_purposes": ["tracing"]}),
                  correction=False)


@router.post("/enquiries")
def submit_enquiry(request: Request, posted: tuple = Depends(form_session("record.submit"))) -> Response:
    """`POST /enquiries` from a form: the same schema, the same service call and audit entry."""
    session, form = posted
    values = forms.values_of(form)
    try:
        with audited(request, session, "record.submit", status=201) as (service, entry):
            body = forms.checked(values)
            service.records.submit(session.actor, entry, "enquiry", body)
    except forms.FormInvalid as invalid:
        return render(request, "enquiry_form.html", session, status=422, form=invalid.state, correction=False)
    except PageRefused as refused:
        if refused.code not in forms.REFUSAL_FIELDS:
            raise
        state = forms.FormState(values, {forms.REFUSAL_FIELDS[refused.code]: REFUSED[refused.code]})
        return render(request, "enquiry_form.html", session, status=refused.status, form=state, correction=False)
    session.flash.append((N_("Enquiry %(id)s saved."), {"id": body["record_id"]}))
    return see_other(f"/web/enquiries/{quote(body['record_id'])}")


@router.post("/romanise")
def romanised(request: Request, posted: tuple = Depends(form_session("web.romanise"))) -> HTMLResponse:
    """The romanised form of one name field as the officer types (htmx), posted so the name
    never appears in a URL. Reads nothing stored, so it leaves no audit entry."""
    _, form = posted
    name = first(form, "field")
    value = forms.romanise(first(form, name)) if name in forms.NAME_FIELDS else ""
    return render(request, "_romanised.html", value=value)


# ---- enquiries from a file (declared before /enquiries/{record_id}, which would take "import") --

async def posted_file(request: Request) -> tuple[str, str, bytes]:
    """The upload form: its CSRF token, the file's name and bytes. The body is capped below
    the size at which the multipart parser would spill to a temporary file, so the file (it
    holds people's names) stays in memory."""
    form = await request.form()
    upload = form.get("file")
    csrf = form.get("csrf") if isinstance(form.get("csrf"), str) else ""
    if upload is None or isinstance(upload, str):
        return csrf, "", b""
    return csrf, upload.filename or "", await upload.read(imports.MAX_BYTES + 1)


@router.get("/enquiries/import")
def import_page(request: Request) -> HTMLResponse:
    session = signed_in(request)
    return render(request, "import.html", session, columns=imports.COLUMNS)


@router.post("/enquiries/import")
def import_file(request: Request, upload: tuple = Depends(posted_file)) -> HTMLResponse:
    """Check every row; store nothing while any is wrong; then submit each row as
    `POST /enquiries` would, one audited `record.submit` per row, and report each outcome."""
    session = signed_in(request)
    csrf, filename, data = upload
    csrf_checked(request, session, csrf, "record.submit")
    checked = imports.check(filename, data)
    results = []
    if not checked.problems:
        for number, body in checked.bodies:
            try:
                with audited(request, session, "record.submit", status=201) as (service, entry):
                    service.records.submit(session.actor, entry, "enquiry", body)
                results.append((number, body["record_id"], None))
            except PageRefused as refused:
                results.append((number, body["record_id"], refused.code))
    stored = sum(code is None for _, _, code in results)
    return render(request, "import.html", session, status=422 if checked.problems else 200,
                  columns=imports.COLUMNS, problems=checked.problems, results=results, stored=stored)


@router.get("/enquiries/{record_id}")
def record_page(request: Request, record_id: str) -> HTMLResponse:
    session = signed_in(request)
    record_id_or_404(request, session, record_id)
    with audited(request, session, "record.read") as (service, entry):
        record, decisions = service.queue.with_decisions(session.actor, entry, record_id)
    return render(request, "record.html", session, record=record, decisions=decisions,
                  romanised=forms.FormState(forms.record_values(record)).romanised())


@router.get("/enquiries/{record_id}/edit")
def edit_page(request: Request, record_id: str) -> HTMLResponse:
    session = signed_in(request)
    record_id_or_404(request, session, record_id)
    with audited(request, session, "record.read") as (service, entry):
        record = service.records.read(session.actor, entry, "enquiry", record_id)
    return render(request, "enquiry_form.html", session, form=forms.FormState(forms.record_values(record)),
                  correction=True, version=record.version)


@router.post("/enquiries/{record_id}")
def correct_enquiry(request: Request, record_id: str,
                    posted: tuple = Depends(form_session("record.correct"))) -> Response:
    """R9: a correction, `PATCH /enquiries/{id}` from a form: only the changed fields are sent.
    The version the form was read at is checked, so a change made meanwhile is not lost."""
    session, form = posted
    record_id_or_404(request, session, record_id)
    values = {**forms.values_of(form), "record_id": record_id}
    try:
        with audited(request, session, "record.correct") as (service, entry):
            body = forms.checked(values, correction=True)
            current = service.records.read(session.actor, entry, "enquiry", record_id)
            if str(current.version) != first(form, "version"):
                raise Refusal(409, "changed_meanwhile", "the record changed while the form was open")
            changed = forms.changes(forms.current_body(current), body)
            service.records.correct(session.actor, entry, "enquiry", record_id, changed)
    except forms.FormInvalid as invalid:
        return render(request, "enquiry_form.html", session, status=422, form=invalid.state, correction=True,
                      version=first(form, "version"))
    except PageRefused as refused:
        if refused.code not in forms.REFUSAL_FIELDS:
            raise
        state = forms.FormState(values, {forms.REFUSAL_FIELDS[refused.code]: REFUSED[refused.code]})
        return render(request, "enquiry_form.html", session, status=refused.status, form=state, correction=True,
                      version=first(form, "version"))
    session.flash.append((N_("Enquiry %(id)s corrected."), {"id": record_id}))
    return see_other(f"/web/enquiries/{quote(record_id)}")


# ---- reviewing candidates ---------------------------------------------------------------

@router.get("/enquiries/{record_id}/review")
def review(request: Request, record_id: str, c: str | None = Query(None)) -> HTMLResponse:
    """The enquiry beside each candidate's evidence. Viewing candidates is a search
    (`match.search`, as `POST /enquiries/{id}/candidates`): candidates are checked against
    the store again each time, so one who objected or expired since is gone (R4, R7, R10)."""
    session = signed_in(request)
    record_id_or_404(request, session, record_id)
    with audited(request, session, "record.read") as (service, entry):
        record, decisions = service.queue.with_decisions(session.actor, entry, record_id)
    with audited(request, session, "match.search") as (service, entry):
        found = service.matching.search(session.actor, entry, record_id, 10)
    candidates = [{**cand, "state": decisions.get(cand["found_id"], {}).get("state", "potential"),
                   "band": evidence.band(cand["probability"]),
                   "rows": evidence.fields_of(cand["evidence"], record.fields),
                   "contradicts": evidence.contradictions(cand["evidence"])} for cand in found]
    ids = [cand["found_id"] for cand in candidates]
    current = ids.index(c) if c in ids else next((i for i, cand in enumerate(candidates)
                                                  if cand["state"] == "potential"), 0)
    # the candidate to show after a rejection: the next one still awaiting a decision
    waiting = [i for i, cand in enumerate(candidates) if cand["state"] == "potential" and i != current]
    following = next((i for i in waiting if i > current), waiting[0] if waiting else None)
    return render(request, "review.html", session, record=record, candidates=candidates, current=current,
                  next_undecided=ids[following] if following is not None else None,
                  here=f"/web/enquiries/{quote(record_id)}/review" + (f"?c={quote(c)}" if c in ids else ""))


@router.post("/enquiries/{record_id}/decisions")
def decide(request: Request, record_id: str, posted: tuple = Depends(form_session("match.decide"))) -> Response:
    """R16: an officer's decision, `POST /enquiries/{id}/decisions` from a form; then on to the
    next candidate awaiting one. Confirming notifies nobody."""
    session, form = posted
    record_id_or_404(request, session, record_id)
    found_id, decision, reason = first(form, "found_id"), first(form, "decision"), first(form, "reason")
    back = f"/web/enquiries/{quote(record_id)}/review"
    if not _GLOBAL_ID.match(found_id) or decision not in DECISION_REASONS:
        session.flash.append((N_("Choose confirm or reject."), {}))
        return see_other(back + (f"?c={quote(found_id)}" if _GLOBAL_ID.match(found_id) else ""))
    if reason not in DECISION_REASONS[decision]:
        session.flash.append((N_("Choose the reason for your decision."), {}))
        return see_other(back + f"?c={quote(found_id)}")
    with audited(request, session, "match.decide") as (service, entry):
        service.matching.decide(session.actor, entry, record_id, found_id, decision, reason)
    session.flash.append((N_("%(id)s confirmed. Nobody has been notified.") if decision == "confirmed"
                          else N_("%(id)s rejected."), {"id": found_id}))
    next_id = first(form, "next")
    target = next_id if decision == "rejected" and _GLOBAL_ID.match(next_id) else found_id
    return see_other(back + f"?c={quote(target)}")


@router.post("/enquiries/{record_id}/disclosures")
def disclose(request: Request, record_id: str, posted: tuple = Depends(form_session("match.disclose"))) -> Response:
    """R6/R3/R13: a candidate's record released to this officer, `POST /enquiries/{id}/
    disclosures` from a form: recorded as a transfer, exactly as the API records it."""
    session, form = posted
    record_id_or_404(request, session, record_id)
    found_id = first(form, "found_id")
    if not _GLOBAL_ID.match(found_id):
        raise PageRefused(404, "not_a_candidate", session)
    with audited(request, session, "match.disclose") as (service, entry):
        view = service.disclosures.disclose(session.actor, entry, record_id, found_id)
    with audited(request, session, "record.read") as (service, entry):  # the enquiry, to verify against
        record = service.records.read(session.actor, entry, "enquiry", record_id)
    return render(request, "disclosure.html", session, record=record, view=view,
                  identity=policy.IDENTITY_FIELDS, here=f"/web/enquiries/{quote(record_id)}/review?c={quote(found_id)}")


# ---- the person's own data (R9) ---------------------------------------------------------

@router.get("/enquiries/{record_id}/access")
def access_page(request: Request, record_id: str) -> HTMLResponse:
    session = signed_in(request)
    record_id_or_404(request, session, record_id)
    with audited(request, session, "record.access_export") as (service, entry):
        export = service.records.access_export(session.actor, entry, "enquiry", record_id)
    return render(request, "access.html", session, export=export, record=export["record"])


@router.get("/enquiries/{record_id}/access.json")
def access_download(request: Request, record_id: str) -> Response:
    """The same export as `GET /enquiries/{id}/access-export`, as a file to hand to the person."""
    from api.routers.records import record_out  # the API's own shape of a record
    from api.models import Sensitive

    session = signed_in(request)
    record_id_or_404(request, session, record_id)
    with audited(request, session, "record.access_export") as (service, entry):
        export = service.records.access_export(session.actor, entry, "enquiry", record_id)
        body = {"record": record_out(export["record"], service.context.today()).model_dump(),
                "sensitive": Sensitive(**export["record"].sensitive).model_dump(),
                "matches": export["matches"], "transfers": export["transfers"]}
    return Response(json.dumps(body, ensure_ascii=False, indent=2), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="access-export-{record_id}.json"',
                             "Cache-Control": "no-store"})
