"""Who may call what: every route of the app, for each of the four roles (and a caller with no
key), under every purpose, on a target of the caller's own society and of another, answered as
ONE table below says. The requests are made from the app's list of routes, so a route added
without a line in the table fails this test until someone decides who may call it."""

from __future__ import annotations

import time

import polars as pl
import pytest

from api.keys import create_key
from rfl.store import cipher_for, open_store
from rfl_api_harness import enquiry, found, running

ALL_ROLES = "officer reconciler researcher admin"
ALL_PURPOSES = "tracing reconciliation access_request research oversight"

# route: (roles served, purposes served, status on the caller's own society's target, status on
# another society's; None where a route has no target in a society). Every other role or purpose
# is answered 403, and so is a call with no key, no purpose or a purpose outside RFL.
ACCESS = {
    "POST /enquiries":                                ("officer admin", "tracing", 201, 403),
    "GET /enquiries":                                 ("officer admin", "tracing oversight", 200, None),  # own society's queue
    "GET /enquiries/{record_id}":                     ("officer admin", "tracing oversight", 200, 404),
    "PATCH /enquiries/{record_id}":                   ("officer admin", "tracing", 200, 404),
    "DELETE /enquiries/{record_id}":                  ("officer admin", "tracing oversight", 204, 404),
    "POST /enquiries/{record_id}/withdrawal":         ("officer admin", "tracing", 200, 404),
    "POST /enquiries/{record_id}/objection":          ("officer admin", "tracing", 200, 404),
    "POST /enquiries/{record_id}/objection-override": ("admin", "oversight", 200, 404),
    "GET /enquiries/{record_id}/access-export":       ("officer admin", "access_request", 200, 404),
    "POST /found":                                    ("officer admin", "tracing", 201, 403),
    "GET /found/{record_id}":                         ("officer admin", "tracing oversight", 200, 404),
    "PATCH /found/{record_id}":                       ("officer admin", "tracing", 200, 404),
    "DELETE /found/{record_id}":                      ("officer admin", "tracing oversight", 204, 404),
    "POST /found/{record_id}/withdrawal":             ("officer admin", "tracing", 200, 404),
    "POST /found/{record_id}/objection":              ("officer admin", "tracing", 200, 404),
    "POST /found/{record_id}/objection-override":     ("admin", "oversight", 200, 404),
    "GET /found/{record_id}/access-export":           ("officer admin", "access_request", 200, 404),
    "POST /enquiries/{record_id}/candidates":         ("officer", "tracing", 200, 404),
    "POST /enquiries/{record_id}/decisions":          ("officer", "tracing", 200, 404),
    "POST /enquiries/{record_id}/disclosures":        ("officer", "tracing", 200, 404),
    "POST /reconciliations":                          ("reconciler", "reconciliation", 202, 403),
    "POST /reconciliations/files":                    ("reconciler", "reconciliation", 202, 403),
    "GET /reconciliations/{job_id}":                  ("reconciler", "reconciliation", 200, 404),
    "GET /reconciliations/{job_id}/results":          ("reconciler", "reconciliation", 200, 404),
    "GET /research/records":                          ("researcher", "research", 200, None),
    "GET /research/pairs":                            ("researcher", "research", 200, None),
    "GET /audit":                                     ("admin", "oversight", 200, None),
    "GET /retention/expired":                         ("admin", "oversight", 200, None),
    "POST /retention/purge":                          ("admin", "oversight", 200, 200),  # others' ids are skipped
    "GET /model":                                     (ALL_ROLES, ALL_PURPOSES, 200, None),
}
PURPOSES = [*ALL_PURPOSES.split(), "law_enforcement", None]


def expected(route: str, role: str | None, purpose: str | None, own: bool) -> int:
    roles, purposes, own_status, other_status = ACCESS[route]
    if role is None or role not in roles.split() or purpose not in purposes.split():
        return 403
    return own_status if own else other_status


class Targets:
    """What each call is made on: a fresh record of the caller's society (DEU) when the call
    would be served and may change it, fixed records otherwise; POL's records and job as
    another society's."""

    def __init__(self, client, keys):
        self.client, self.keys, self.made = client, keys, 0
        self.send("POL officer", "tracing", "POST", "/found", json=found("F0"), want=201)
        self.send("POL officer", "tracing", "POST", "/enquiries", json=enquiry("P0", given_names="Anna"), want=201)
        self.own = {"enquiries": self.record("enquiries"), "found": self.record("found")}
        self.other = {"enquiries": "P0", "found": "F0"}
        self.jobs = {own: self.job(own) for own in (True, False)}

    def send(self, who: str, purpose: str | None, method: str, path: str, want: int | None = None, **kwargs):
        headers = {} if who is None else {"X-RFL-Key": self.keys[who]}
        if purpose is not None:
            headers["X-RFL-Purpose"] = purpose
        answer = self.client.request(method, path, headers={**headers, **kwargs.pop("headers", {})}, **kwargs)
        assert want is None or answer.status_code == want, (method, path, answer.text)
        return answer

    def record(self, kind: str, **extra) -> str:
        self.made += 1
        record_id = f"M{self.made}"
        body = enquiry(record_id, **extra) if kind == "enquiries" else found(record_id, **extra)
        self.send("DEU admin", "tracing", "POST", f"/{kind}", json=body, want=201)
        return record_id

    def job(self, own: bool) -> str:
        who, society = ("DEU reconciler", "DEU") if own else ("POL reconciler", "POL")
        job = self.send(who, "reconciliation", "POST", "/reconciliations", want=202,
                        json={"enquiries": [enquiry("J1", society=society)]}).json()["id"]
        deadline = time.monotonic() + 30
        while self.send(who, "reconciliation", "GET", f"/reconciliations/{job}").json()["state"] != "done":
            assert time.monotonic() < deadline, "the job did not finish"
            time.sleep(0.02)
        return job

    def call(self, route: str, own: bool, served: bool) -> tuple[str, str, dict]:
        """The method, path and body of a call of `route` that would succeed if served."""
        method, path = route.split(" ")
        kind = path.split("/")[1]
        record_id = None
        if "{record_id}" in path:
            if not own:
                record_id = self.other[kind]
            elif served and route.endswith(("/decisions", "/disclosures")):
                record_id = self.record(kind)
                self.send("DEU officer", "tracing", "POST", f"/enquiries/{record_id}/candidates", want=200)
            elif served and route.endswith("/objection-override"):
                record_id = self.record(kind)
                self.send("DEU officer", "tracing", "POST", f"/{kind}/{record_id}/objection", want=200)
            else:
                record_id = self.record(kind) if served and method != "GET" else self.own[kind]
            path = path.replace("{record_id}", record_id)
        path = path.replace("{job_id}", self.jobs[own])
        society = "DEU" if own else "POL"
        bodies = {
            "POST /enquiries": {"json": enquiry(f"N{self.made}", society=society)},
            "POST /found": {"json": found(f"N{self.made}", society=society)},
            "PATCH": {"json": {"given_names": "Oleksandr"}},
            "withdrawal": {"json": {}},
            "objection-override": {"json": {"reason": "court order on file"}},
            "decisions": {"json": {"found_id": "POL:F0", "decision": "confirmed"}},
            "disclosures": {"json": {"found_id": "POL:F0"}},
            "POST /reconciliations": {"json": {"enquiries": [enquiry("B1", society=society)]}},
            "POST /reconciliations/files": {
                "params": {"format": "csv"}, "headers": {"Content-Type": "application/octet-stream"},
                "content": pl.DataFrame([enquiry("B1", society=society)]).write_csv().encode()},
            "POST /retention/purge": {"json": {"record_ids": [record_id or "M1"]}},
        }
        key = next((k for k in (route, method, path.rsplit("/", 1)[-1]) if k in bodies), None)
        self.made += 1
        return method, path, bodies.get(key, {})


@pytest.fixture(scope="module")
def service(module_database):
    db = module_database
    store = open_store(db, cipher_for(db))
    keys = {f"{society} {role}": create_key(store, society, role)
            for society in ("DEU", "POL") for role in ALL_ROLES.split()}
    store.close()
    with running(db) as client:
        yield client, Targets(client, keys)


def test_the_table_covers_every_route_of_the_app_and_of_its_openapi_document(service):
    client, _ = service
    routes = {f"{next(iter(route.methods))} {route.path}" for route, _ in client.app.state.routes}
    documented = {f"{method.upper()} {path}" for path, item in client.app.openapi()["paths"].items() for method in item}
    assert routes == documented
    assert set(ACCESS) == routes, f"routes without a line in ACCESS: {routes - set(ACCESS)}; " \
                                  f"lines without a route: {set(ACCESS) - routes}"


@pytest.mark.parametrize("role", [*ALL_ROLES.split(), None], ids=[*ALL_ROLES.split(), "no key"])
def test_every_route_answers_each_role_purpose_and_society_as_the_table_says(service, role):
    client, targets = service
    wrong = []
    for route_obj, _ in client.app.state.routes:
        route = f"{next(iter(route_obj.methods))} {route_obj.path}"
        for own in (True, False):
            if not own and ACCESS[route][3] is None:
                continue  # no other society's target for this route
            for purpose in PURPOSES:
                want = expected(route, role, purpose, own)
                method, path, kwargs = targets.call(route, own, served=want < 400)
                got = targets.send(None if role is None else f"DEU {role}", purpose, method, path, **kwargs).status_code
                if got != want:
                    wrong.append(f"{route} as {role} for {purpose} on {'own' if own else 'other'}: {got}, not {want}")
    assert not wrong, "\n".join(wrong)
