"""The code of conduct (shared/docs/code-of-conduct.md) as code, for the API and batch tools.

Every decision that protects a person is made here and nowhere else: which purposes are served
(R5), which role may do what, what a record must carry before it is stored (R1, R2, R12, R16),
which found records may be matched (R4, R7, R10), what another society may be told about a
found person (R3, R6, R11, R13) and what researchers may see. Functions raise `Refusal`, which
the API turns into an HTTP answer and an audit entry; batch tools can catch it the same way.
Refusal messages never quote a record's values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

LEGAL_BASES = ("consent", "vital_interest", "public_interest", "legitimate_interest")
ROLES = ("officer", "reconciler", "researcher", "admin")
CONSENT_ANSWERS = ("yes", "no", "unknown")

# Purposes served, each a part of Restoring Family Links (R5).
PURPOSES = {
    "tracing": "searching for a sought person, verifying candidates and restoring contact",
    "reconciliation": "matching whole lists of enquiries and found records between societies",
    "access_request": "answering a person's request for their own data (R9)",
    "research": "measuring match quality on pseudonymised data",
    "oversight": "audit, retention review and administration of the service",
}
# Purposes that are named and refused outright: they would turn tracing data against the
# people it describes. Any other purpose not in PURPOSES is refused as unknown.
OUTSIDE_RFL = ("law_enforcement", "prosecution", "migration_control", "immigration_enforcement",
               "border_control", "asylum_determination", "intelligence", "military", "commercial")

# action -> (roles allowed, purposes under which it is served)
PERMISSIONS = {
    "record.submit": ({"officer", "admin"}, {"tracing"}),
    "record.read": ({"officer", "admin"}, {"tracing", "oversight"}),
    "record.correct": ({"officer", "admin"}, {"tracing"}),
    "record.withdraw": ({"officer", "admin"}, {"tracing"}),
    "record.erase": ({"officer", "admin"}, {"tracing", "oversight"}),
    "record.object": ({"officer", "admin"}, {"tracing"}),
    "record.override_objection": ({"admin"}, {"oversight"}),
    "record.access_export": ({"officer", "admin"}, {"access_request"}),
    "match.search": ({"officer"}, {"tracing"}),
    "match.decide": ({"officer"}, {"tracing"}),
    "match.disclose": ({"officer"}, {"tracing"}),
    "reconcile.run": ({"reconciler"}, {"reconciliation"}),
    "reconcile.read": ({"reconciler"}, {"reconciliation"}),
    "research.export": ({"researcher"}, {"research"}),
    "audit.read": ({"admin"}, {"oversight"}),
    "retention.review": ({"admin"}, {"oversight"}),
    # Which model scores candidates holds no personal data: anyone served may ask, for any purpose.
    "model.read": (set(ROLES), set(PURPOSES)),
}

# R3: what says where a found person is.
WHEREABOUTS_FIELDS = ("location", "contact")
# R6: what a verifying officer of another society may see of a candidate, on a logged call.
IDENTITY_FIELDS = ("family_name", "given_names", "father_name", "mother_name", "other_names", "sex",
                   "birth_date", "age", "birth_place", "nationality", "recorded_on")
ALIVE_STATUSES = ("alive", "detained", "hospitalised")

ADULT_AGE = 18
DEFAULT_RETENTION = timedelta(days=3 * 365)  # when a record states no retention_until (R7)

SOCIETY_PATTERN = r"^([A-Z]{3}|ICRC)$"


class Refusal(Exception):
    """A request the code of conduct does not allow: an HTTP status, a stable code, a reason."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


# ---- who may do what, for which purpose (R5, R15) ---------------------------------------

def check_purpose(purpose: str | None) -> str:
    if not purpose:
        raise Refusal(403, "purpose_missing", "every call must name its purpose in the X-RFL-Purpose header")
    if purpose in OUTSIDE_RFL:
        raise Refusal(403, "purpose_outside_rfl",
                      "this purpose is outside Restoring Family Links and is never served")
    if purpose not in PURPOSES:
        raise Refusal(403, "purpose_unknown", f"only these purposes are served: {', '.join(PURPOSES)}")
    return purpose


def authorise(role: str, purpose: str | None, action: str) -> None:
    """Refuse unless `role` may perform `action` for `purpose`."""
    check_purpose(purpose)
    roles, purposes = PERMISSIONS[action]
    if role not in roles:
        raise Refusal(403, "role_not_permitted", f"the {role} role may not do this ({action})")
    if purpose not in purposes:
        raise Refusal(403, "purpose_not_for_action",
                      f"{action} is served only for: {', '.join(sorted(purposes))}")


def check_same_society(caller_society: str, record_society: str) -> None:
    """R15: a society reads and changes only its own records."""
    if caller_society != record_society:
        raise Refusal(404, "not_found", "no such record in your society")


# ---- what a record must carry (R1, R2, R12, R16) ------------------------------------------

def _latest_birth(birth_date: str) -> date:
    parts = [int(p) for p in birth_date.split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return following - timedelta(days=1)
    return date(*parts)


def _years_between(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def is_minor(fields: dict, today: date) -> bool:
    """R12: could this person be under 18 today? Estimated ages count, at their lower bound.

    Partial birth dates take their latest possible day, and an age estimated on `recorded_on`
    is carried forward to today, so a doubtful case is treated as a child.
    """
    birth_date, age = fields.get("birth_date"), fields.get("age")
    if birth_date:
        try:
            if _years_between(_latest_birth(birth_date), today) < ADULT_AGE:
                return True
        except ValueError:
            return True  # an impossible date cannot prove adulthood
    if age:
        lowest = int(age.split("-")[0])
        recorded = fields.get("recorded_on")
        elapsed = _years_between(date.fromisoformat(recorded), today) if recorded else 0
        if lowest + max(elapsed, 0) < ADULT_AGE:
            return True
    return False


def check_record(*, kind: str, fields: dict, legal_basis: str | None, consent_purposes: list,
                 tracing_consent: str | None, guardian_consent: bool, best_interests: str | None,
                 role: str, previous_status: str | None, today: date) -> bool:
    """Refuse a record the code of conduct does not let us hold; return whether it is a minor."""
    if legal_basis not in LEGAL_BASES:
        raise Refusal(422, "legal_basis_missing", f"every record needs legal_basis: one of {', '.join(LEGAL_BASES)}")
    if legal_basis == "consent" and "tracing" not in consent_purposes:
        raise Refusal(422, "consent_scope_missing",
                      "a record resting on consent must list the purposes consented to, including tracing")
    if kind == "found" and tracing_consent not in CONSENT_ANSWERS:
        raise Refusal(422, "tracing_consent_missing", "a found record must state tracing_consent: yes, no or unknown")
    status = fields.get("status")
    if (status == "deceased" or previous_status == "deceased") and status != previous_status and role != "admin":
        raise Refusal(403, "deceased_needs_admin", "only an admin may set or change the status deceased")
    minor = is_minor(fields, today)
    if minor and not guardian_consent and not best_interests:
        raise Refusal(422, "minor_without_safeguard",
                      "a person who may be under 18 needs guardian_consent or a best_interests decision reference")
    return minor


def retention_or_default(retention_until: str | None, today: date) -> str:
    return retention_until or (today + DEFAULT_RETENTION).isoformat()


# ---- who may be matched (R4, R7, R10) -----------------------------------------------------

def ineligibility(record, today: date) -> str | None:
    """Why a record may not be a candidate, or None if it may (found records only)."""
    if record.kind != "found":
        return "not_a_found_record"
    if record.tracing_consent == "no":
        return "tracing_refused"
    if record.tracing_consent != "yes" and record.legal_basis != "vital_interest":
        return "tracing_consent_unknown"
    if record.retention_until < today.isoformat():
        return "retention_expired"
    if record.objection and not record.objection_override:
        return "objection"
    return None


# ---- what another society may be told (R3, R6, R11, R12, R13) ------------------------------

@dataclass(frozen=True)
class DisclosureSettings:
    """Per-deployment choices the code of conduct leaves open."""

    say_alive: bool = False  # may an answer that withholds whereabouts still say "alive"?


def check_transfer(record, recipient: str, recipient_adheres: bool) -> None:
    """R13 and R2: refuse a transfer to a non-adherent, or one that consent does not cover."""
    if record.society == recipient:
        return
    if not recipient_adheres:
        raise Refusal(403, "recipient_not_adherent",
                      "transfers go only to Movement components that adhere to the Code of Conduct")
    if record.legal_basis == "consent" and "tracing" not in record.consent_purposes:
        raise Refusal(403, "consent_scope", "the consent this record rests on does not cover this transfer")


def disclosure(record, recipient: str, match_state: str, settings: DisclosureSettings) -> dict:
    """The view of a found record released to an officer verifying a candidate.

    Identity fields help verification; whereabouts go to another society only when the match is
    confirmed by an officer, the person agreed to share them, and, for a child, a best-interests
    decision is on record. Otherwise the answer says only that the person was located.
    Sensitive fields are never part of a disclosure.
    """
    view = {f: record.fields.get(f) for f in IDENTITY_FIELDS}
    consent = record.fields.get("consent_to_share") or "unknown"
    if record.society == recipient:
        whereabouts, released = "disclosed", True
    elif match_state != "confirmed":
        whereabouts, released = "withheld_until_confirmed", False
    elif consent != "yes":
        whereabouts, released = "located_not_shared", False
    elif record.minor and not record.best_interests:
        whereabouts, released = "withheld_minor", False
    else:
        whereabouts, released = "disclosed", True
    view["whereabouts"] = whereabouts
    if released:
        view.update({f: record.fields.get(f) for f in WHEREABOUTS_FIELDS})
        view["status"] = record.fields.get("status")
    elif settings.say_alive and record.fields.get("status") in ALIVE_STATUSES:
        view["status"] = "alive"
    return view


WHEREABOUTS_MEANING = {
    "disclosed": "whereabouts are included",
    "withheld_until_confirmed": "an officer must confirm the match before whereabouts can be released",
    "located_not_shared": "the person was located and does not wish details shared",
    "withheld_minor": "the person was located; a child's whereabouts need a best-interests decision",
}


# ---- research (pseudonymised: no names, no exact dates, no places) ------------------------

def research_row(record, pseudonym: str) -> dict | None:
    """A research view of one record, or None when it may not leave at all (children, R12)."""
    if record.minor:
        return None
    year = (record.fields.get("birth_date") or "")[:4]
    band = f"{int(year) // 5 * 5}-{int(year) // 5 * 5 + 4}" if year.isdigit() else None
    return {
        "pid": pseudonym, "kind": record.kind, "society": record.society,
        "sex": record.fields.get("sex"), "birth_years": band,
        "nationality": record.fields.get("nationality"),
        "status": record.fields.get("status") if record.kind == "found" else None,
    }
