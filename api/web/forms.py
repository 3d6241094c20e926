"""The enquiry form: what the officer typed, held to exactly the API's schema (`EnquiryIn`,
`EnquiryCorrection`), with each problem named on its field.

A browser posts text; the schema is strict about types, so the few non-text fields (the
consent purposes' checkboxes, the guardian's consent) are turned into a list and a boolean
here and everything else is passed as typed, blank meaning absent. The same names, limits and
formats as the API then apply, and the service checks the code of conduct as for any call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from api.models import EnquiryCorrection, EnquiryIn
from api.web.i18n import N_
from matching.names import romanise

NAME_FIELDS = ("family_name", "given_names", "father_name", "mother_name", "other_names")
TEXT_FIELDS = (*NAME_FIELDS, "sex", "birth_date", "age", "recorded_on", "birth_place", "nationality",
               "last_seen_place", "last_seen_date", "legal_basis", "retention_until", "best_interests")

LABELS = {
    "record_id": N_("Record id"),
    "family_name": N_("Family name"),
    "given_names": N_("Given names"),
    "father_name": N_("Father's name"),
    "mother_name": N_("Mother's name"),
    "other_names": N_("Other names"),
    "sex": N_("Sex"),
    "birth_date": N_("Birth date"),
    "age": N_("Estimated age"),
    "recorded_on": N_("Recorded on"),
    "birth_place": N_("Birth place"),
    "nationality": N_("Nationality"),
    "last_seen_place": N_("Last seen at"),
    "last_seen_date": N_("Last seen on"),
    "legal_basis": N_("Legal basis"),
    "consent_purposes": N_("Purposes consented to"),
    "retention_until": N_("Keep until"),
    "guardian_consent": N_("A guardian consented"),
    "best_interests": N_("Best-interests decision reference"),
}
HINTS = {
    "record_id": N_("Letters, digits, dot, dash or underscore, as your society numbers its files (e.g. E-2024-117)."),
    "other_names": N_("Aliases, nicknames, the name in another script; separate several with ;"),
    "birth_date": N_("YYYY, YYYY-MM or YYYY-MM-DD, e.g. 1984 or 1984-03-12."),
    "age": N_("Whole years or a range, e.g. 34 or 30-35."),
    "recorded_on": N_("The day the age was estimated: YYYY-MM-DD."),
    "nationality": N_("Three capital letters (ISO 3166-1), e.g. SYR, UKR, ERI."),
    "last_seen_date": N_("YYYY, YYYY-MM or YYYY-MM-DD."),
    "retention_until": N_("Leave empty for three years from today."),
    "best_interests": N_("Needed, or a guardian's consent, when the person may be under 18."),
}
# The service's refusals that concern one field of the form: shown on that field.
REFUSAL_FIELDS = {
    "legal_basis_missing": "legal_basis",
    "consent_scope_missing": "consent_purposes",
    "minor_without_safeguard": "best_interests",
    "already_exists": "record_id",
    "other_society": "record_id",
}
_PROBLEMS = {
    "missing": N_("Fill in this field."),
    "string_too_long": N_("This is too long."),
    "string_too_short": N_("Fill in this field."),
    "literal_error": N_("Choose one of the options."),
}


@dataclass
class FormState:
    """What the form shows again: the values as typed, and a problem per field."""

    values: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # field -> msgid

    def romanised(self) -> dict[str, str]:
        """The romanised form the matcher uses, for each name field that is filled."""
        return {name: romanise(self.values[name]) for name in NAME_FIELDS if self.values.get(name)}


class FormInvalid(Exception):
    """The form breaks the schema; `reason` is what the audit trail may say (field names and
    problem types only, as the API logs an invalid body)."""

    def __init__(self, state: FormState, reason: str):
        super().__init__(reason)
        self.state, self.reason = state, reason


def values_of(form: dict[str, list[str]]) -> dict:
    """The posted values as the form shows them: text stripped, purposes a list."""
    values = {name: (form.get(name) or [""])[0].strip() for name in ("record_id", *TEXT_FIELDS)}
    values["consent_purposes"] = [p for p in form.get("consent_purposes", []) if p]
    values["guardian_consent"] = (form.get("guardian_consent") or [""])[0] == "yes"
    return values


def _body(values: dict, correction: bool) -> dict:
    body = {name: values[name] or None for name in TEXT_FIELDS}
    if not correction:
        body["record_id"] = values["record_id"]
    body["consent_purposes"] = values["consent_purposes"]
    body["guardian_consent"] = values["guardian_consent"]
    return body


def problem_of(error: dict, values: dict) -> str:
    """The msgid that tells an officer what is wrong with one field (never its value)."""
    name = str(error["loc"][0]) if error["loc"] else ""
    if error["type"] in _PROBLEMS:
        return _PROBLEMS[error["type"]]
    if name in values and not values[name]:
        return _PROBLEMS["missing"]
    return HINTS.get(name, N_("This value is not in the expected form."))


def checked(values: dict, correction: bool = False) -> dict:
    """The body the API would accept, or FormInvalid naming each bad field."""
    model = EnquiryCorrection if correction else EnquiryIn
    try:
        return model.model_validate(_body(values, correction)).model_dump(exclude_unset=correction)
    except ValidationError as err:
        state, parts = FormState(values), []
        for error in err.errors():
            name = str(error["loc"][0]) if error["loc"] else "-"
            known = name if name in LABELS else "?"
            state.errors.setdefault(known, problem_of(error, values))
            parts.append(f"{known}:{error['type']}")
        if not values.get("legal_basis") and not correction:
            # the service would refuse this next (R1): say so now, so one round fixes everything
            state.errors.setdefault("legal_basis", N_("Every record needs a legal basis."))
        raise FormInvalid(state, ("invalid:" + ";".join(parts))[:300]) from None


def changes(current: dict, body: dict) -> dict:
    """A correction: only the fields whose value differs from the stored record. A retention
    date left empty keeps the stored one (every record has one, R7)."""
    return {name: value for name, value in body.items()
            if current.get(name) != value and not (name == "retention_until" and value is None)}


def record_values(record) -> dict:
    """A stored record as the correction form shows it."""
    values = {name: record.fields.get(name) or "" for name in TEXT_FIELDS}
    values.update(record_id=record.record_id, legal_basis=record.legal_basis or "",
                  retention_until=record.retention_until or "", best_interests=record.best_interests or "",
                  consent_purposes=list(record.consent_purposes), guardian_consent=record.guardian_consent)
    return values


def current_body(record) -> dict:
    """A stored record in the shape of a correction body, to compare the posted one against."""
    return _body(record_values(record), correction=True)
