"""Fuzzing the API from its own OpenAPI document (schemathesis, on Hypothesis): for every route,
requests made from its schema, valid and invalid ones, sent over real HTTP to a running
service, each under the key of every role. No answer may be a server error, and every answer
must be one the document describes: its status, content type and body schema.

The run is bounded and the same on every run (derandomized): `EXAMPLES` cases a route and
schemathesis' own explicit and boundary cases, each sent four times, one per role: with
schemathesis 4.32 about 13,000 requests in about a minute on two cores (at least 3,000 are
checked for at the end). A record id in a path is, every other case, one that exists, so that calls reach the
service's rules and not only its 404s.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from api.app import create_app
from api.keys import create_key
from rfl import policy
from rfl.store import cipher_for, open_store
from rfl_api_harness import enquiry, found, serving

EXAMPLES = 30
ROLES = ("officer", "reconciler", "researcher", "admin")
_APP = create_app(Path("never-opened.sqlite"))  # for its OpenAPI document and the action of each route
SCHEMA = schemathesis.openapi.from_dict(_APP.openapi())
ACTIONS = {f"{next(iter(route.methods))} {route.path}": action for route, action in _APP.state.routes}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
sent = []


def purpose(role: str, action: str) -> str:
    """A purpose under which the role may take the action, if any: the call then reaches the
    route; otherwise the purpose of the role's own work."""
    roles, purposes = policy.PERMISSIONS[action]
    own = {"officer": "tracing", "reconciler": "reconciliation", "researcher": "research", "admin": "oversight"}[role]
    return own if own in purposes or role not in roles else sorted(purposes)[0]


@pytest.fixture(scope="module")
def service(module_database):
    db = module_database
    store = open_store(db, cipher_for(db))
    keys = {role: create_key(store, "DEU", role) for role in ROLES}
    pol = create_key(store, "POL", "officer")
    store.close()
    with serving(db) as (host, port):
        base = f"http://{host}:{port}"
        with httpx.Client(base_url=base) as client:
            tracing = {"X-RFL-Key": keys["officer"], "X-RFL-Purpose": "tracing"}
            for n in range(1, 6):
                assert client.post("/enquiries", json=enquiry(f"E{n}"), headers=tracing).status_code == 201
                assert client.post("/found", json=found(f"F{n}"), headers=tracing).status_code == 201
            assert client.post("/found", json=found("F1"), headers={**tracing, "X-RFL-Key": pol}).status_code == 201
            assert client.post("/enquiries/E1/candidates", headers=tracing).status_code == 200
            job = client.post("/reconciliations", json={}, headers={"X-RFL-Key": keys["reconciler"],
                                                                    "X-RFL-Purpose": "reconciliation"})
        yield base, keys, job.json()["id"]
    assert len(sent) >= 3000, f"only {len(sent)} requests were sent"


@SCHEMA.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_every_answer_as_documented(case, service):
    base, keys, job = service
    action = ACTIONS[f"{case.operation.method.upper()} {case.operation.path}"]
    known = int(hashlib.sha256(repr(case.path_parameters).encode()).hexdigest(), 16) % 2
    if known and "record_id" in (case.path_parameters or {}):
        case.path_parameters["record_id"] = f"{'F' if case.operation.path.startswith('/found') else 'E'}{known + 1}"
    if known and "job_id" in (case.path_parameters or {}):
        case.path_parameters["job_id"] = job
    for role in ROLES:
        headers = {"X-RFL-Key": keys[role], "X-RFL-Purpose": purpose(role, action)}
        response = case.call(base_url=base, headers=headers, timeout=30)
        sent.append(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)
