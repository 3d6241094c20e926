"""The caller, the purpose and the audit entry of every call, as one FastAPI dependency.

A route declares `call: Call = authorised("match.search")` and cannot forget any of the three.
The gate in front of the routes (api/gate.py) has already authenticated the key (R5, R15),
checked role and purpose against the code of conduct and opened the audit entry, before the
body was read; this dependency hands the route that call, and writes onto its entry why it was
refused when the route or the service refuses it. The gate stores the entry with the status the
caller is answered with (R14).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import APIKeyHeader

from api import models
from api.gate import ADMITTED, KEY_HEADER, PURPOSE_HEADER
from rfl import policy
from rfl.audit import Actor, AuditEntry
from rfl.policy import Refusal
from rfl.tracing import TracingService

# Declared for the OpenAPI document (which headers a call sends); the gate reads them.
_key = APIKeyHeader(name=KEY_HEADER, auto_error=False, description="an API key made by `rfl keys create`")
_purpose = APIKeyHeader(name=PURPOSE_HEADER, auto_error=False, scheme_name="Purpose",
                        description=f"the purpose of the call, one of: {', '.join(policy.PURPOSES)}")
# Every field name of the API's schemas: the only names an audit entry may repeat from a body.
_KNOWN_FIELDS = {name for value in vars(models).values()
                 if isinstance(value, type) and issubclass(value, models.Strict) for name in value.model_fields}


@dataclass
class Call:
    actor: Actor
    entry: AuditEntry
    service: TracingService


def _invalid_reason(exc: RequestValidationError) -> str:
    """Which fields failed and how, naming only fields of the schema (an unknown field's name
    may itself be a person's name)."""
    parts = []
    for err in exc.errors():
        path = ".".join(str(p) if isinstance(p, int) or p in _KNOWN_FIELDS else "?" for p in err["loc"][1:])
        parts.append(f"{path or '-'}:{err['type']}")
    return ("invalid:" + ";".join(parts))[:300]


def authorised(action: str):
    """Dependency for a route performing `action` (a key of rfl.policy.PERMISSIONS); the gate
    finds the action of a route through it."""
    if action not in policy.PERMISSIONS:
        raise ValueError(f"unknown action {action}")

    def dependency(request: Request, key: str | None = Depends(_key), purpose: str | None = Depends(_purpose)):
        admitted = request.scope.get("state", {}).get(ADMITTED)
        if admitted is None or admitted.action != action:  # not through the gate: refuse, never serve
            raise Refusal(403, "not_a_movement_component", "only Movement components with a valid API key are served")
        entry: AuditEntry = admitted.entry
        try:
            yield Call(actor=admitted.actor, entry=entry, service=request.app.state.service)
        except BaseException as exc:
            if entry.seq is None:  # an entry stored with a change stays as stored; the gate adds to it
                entry.refuse(*_refusal_of(exc))
            raise

    dependency.action = action
    return Depends(dependency, scope="function")


def _refusal_of(exc: BaseException) -> tuple[int, str]:
    """The status and the audit reason of a call that ended in `exc`."""
    if isinstance(exc, Refusal):
        return exc.status, exc.code
    if isinstance(exc, RequestValidationError):
        return 422, _invalid_reason(exc)
    if isinstance(exc, HTTPException):
        return exc.status_code, "http_error"
    return 500, "internal_error"
