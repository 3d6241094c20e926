"""Helpers for the workspace tests: sign in through the sign-in form, read a form's CSRF token,
as a browser would, over the ASGI app (no browser needed)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def sign_in(client: TestClient, key: str, purpose: str = "tracing") -> str:
    """Sign in through the form; returns the session's CSRF token (from the next page)."""
    page = client.get("/web/sign-in")
    answer = client.post("/web/sign-in", data={"csrf": csrf_of(page.text), "key": key, "purpose": purpose,
                                               "next": "/web/"}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return csrf_of(client.get("/web/enquiries/new").text)


def enquiry_form(record_id: str = "E1", **extra) -> dict:
    """The enquiry of rfl_api_harness.enquiry() as an officer types it into the form."""
    values = {"record_id": record_id, "family_name": "Schewtschenko", "given_names": "Olexandr",
              "father_name": "Petro", "sex": "M", "birth_date": "1984-03-12", "nationality": "UKR",
              "birth_place": "Charkiw", "legal_basis": "vital_interest"}
    values.update(extra)
    return values
