"""The caller, the purpose and the audit entry of every call, as one FastAPI dependency.

A route declares `call: Call = authorised("match.search")` and cannot forget any of the three:
the dependency authenticates the key (R5, R15), checks role and purpose against the code of
conduct, opens the audit entry, and after the route, whatever happened, makes sure the entry is
stored with its outcome (R14). Refusals are logged too, including calls with no valid key.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import APIKeyHeader

from api import models
from api.keys import authenticate
from rfl import policy
from rfl.audit import Actor, AuditEntry
from rfl.policy import Refusal
from rfl.tracing import TracingService

KEY_HEADER, PURPOSE_HEADER = "X-RFL-Key", "X-RFL-Purpose"
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


def _loggable_purpose(purpose: str | None) -> str | None:
    """The purpose as the audit trail may hold it: a known word, never a caller's free text."""
    if purpose is None or purpose in policy.PURPOSES or purpose in policy.OUTSIDE_RFL:
        return purpose
    return "unrecognised"


def _invalid_reason(exc: RequestValidationError) -> str:
    """Which fields failed and how, naming only fields of the schema (an unknown field's name
    may itself be a person's name)."""
    parts = []
    for err in exc.errors():
        path = ".".join(str(p) if isinstance(p, int) or p in _KNOWN_FIELDS else "?" for p in err["loc"][1:])
        parts.append(f"{path or '-'}:{err['type']}")
    return ("invalid:" + ";".join(parts))[:300]


def authorised(action: str):
    """Dependency for a route performing `action` (a key of rfl.policy.PERMISSIONS)."""
    if action not in policy.PERMISSIONS:
        raise ValueError(f"unknown action {action}")

    def dependency(request: Request, key: str | None = Depends(_key), purpose: str | None = Depends(_purpose)):
        service: TracingService = request.app.state.service
        actor = authenticate(service.store, key)
        entry = AuditEntry.for_actor(actor, action, _loggable_purpose(purpose))
        try:
            if actor is None:
                raise Refusal(403, "not_a_movement_component",
                              "only Movement components with a valid API key are served")
            policy.authorise(actor.role, purpose, action)
            route = request.scope.get("route")
            entry.status = getattr(route, "status_code", None) or 200  # the answer a served call gets
            yield Call(actor=actor, entry=entry, service=service)
        except Refusal as refusal:
            entry.refuse(refusal.status, refusal.code)
            raise
        except RequestValidationError as exc:
            entry.refuse(422, _invalid_reason(exc))
            raise
        except HTTPException as exc:
            entry.refuse(exc.status_code, "http_error")
            raise
        except Exception:
            entry.refuse(500, "internal_error")
            raise
        finally:
            if entry.seq is None:
                service.store.append_audit(entry)

    return Depends(dependency, scope="function")
