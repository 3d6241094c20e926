"""Request and answer shapes of the tracing API: strict, closed, and the OpenAPI contract.

Every model forbids unknown fields and refuses type coercion (a number where a name belongs is
an error, not a name), and every string has a length limit, so hostile or careless input is
turned away before it reaches the service.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from rfl import policy
from rfl.records import _FORMATS as FORMATS  # the interchange schema's cell formats
from rfl.records import CONTROL, LONG_TEXT_LIMIT, TEXT_LIMIT  # the same cell limits as `rfl link`

# A record id is a case number, opaque: letters, digits, _ and -, no dots or spaces, so that an
# id cannot spell out `Haddad.Yusuf.1985-04-12`. Ids still reach the audit trail and tombstones
# (that is what they are for), but never the service's logs, which name routes, not paths.
_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
RECORD_ID_PATTERN = _ID
GLOBAL_ID_PATTERN = r"^([A-Z]{3}|ICRC):" + _ID[1:]


def _pattern(column: str) -> type:
    return Annotated[str, StringConstraints(pattern=FORMATS[column][0])]


def _on_calendar(value: str) -> str:
    """A date of the right shape may still not exist (2023-02-30, year 0000); such a date
    would crash whatever reads it later (the minor check), so it is refused here, naming the
    field. Partial dates stand for their first day."""
    parts = [int(p) for p in value.split("-")]
    date(*parts, *[1] * (3 - len(parts)))  # ValueError: pydantic answers 422 for the field
    return value


def _date(column: str) -> type:
    return Annotated[_pattern(column), AfterValidator(_on_calendar)]


_NO_CONTROL = f"^[^{CONTROL[1:]}*$"  # no NUL, escape and the like, as `rfl link` refuses them
Text = Annotated[str, StringConstraints(min_length=1, max_length=TEXT_LIMIT, pattern=_NO_CONTROL)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=LONG_TEXT_LIMIT, pattern=_NO_CONTROL)]
RecordId = Annotated[str, StringConstraints(pattern=_ID)]
GlobalId = Annotated[str, StringConstraints(pattern=GLOBAL_ID_PATTERN)]
Society = Annotated[str, StringConstraints(pattern=policy.SOCIETY_PATTERN)]
Day = _date("recorded_on")
LegalBasis = Literal["consent", "vital_interest", "public_interest", "legitimate_interest"]
Consent = Literal["yes", "no", "unknown"]
Purpose = Literal["tracing", "reconciliation", "access_request", "research", "oversight"]
Status = Literal["alive", "detained", "hospitalised", "deceased", "unknown"]
Whereabouts = Literal["disclosed", "withheld_until_confirmed", "located_not_shared", "withheld_minor"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Sensitive(Strict):
    """R11 special categories: sealed at rest, returned only by an access export."""

    ethnicity: Text | None = None
    clan: Text | None = None
    religion: Text | None = None
    health: LongText | None = None
    detention_place: Text | None = None
    armed_group: Text | None = None


class PersonFields(Strict):
    """The interchange fields of record-schema.md (record_id and society aside), plus contact."""

    family_name: Text | None = None
    given_names: Text | None = None
    father_name: Text | None = None
    mother_name: Text | None = None
    other_names: LongText | None = None
    sex: Literal["M", "F", "X"] | None = None
    birth_date: _date("birth_date") | None = None
    age: _pattern("age") | None = None
    recorded_on: Day | None = None
    birth_place: Text | None = None
    nationality: _pattern("nationality") | None = None
    last_seen_place: Text | None = None
    last_seen_date: _date("last_seen_date") | None = None
    status: Status | None = None
    location: Text | None = None
    consent_to_share: Consent | None = None
    contact: Text | None = None


class Protection(Strict):
    """The data-protection facts a record carries (R1, R2, R7, R12)."""

    legal_basis: LegalBasis | None = Field(None, description="R1: required; a record without one is refused (422)")
    consent_purposes: list[Purpose] = Field(default_factory=list, max_length=5,
                                            description="R2: required to include tracing when legal_basis is consent")
    retention_until: Day | None = Field(None, description="R7: defaults to three years from submission")
    guardian_consent: bool = Field(False, description="R12: a guardian consented for a person under 18")
    best_interests: Text | None = Field(None, description="R12: reference of a recorded best-interests decision")
    sensitive: Sensitive | None = None


class EnquiryIn(PersonFields, Protection):
    record_id: RecordId
    society: Society | None = Field(None, description="defaults to, and must equal, the caller's society")


class FoundIn(EnquiryIn):
    tracing_consent: Consent | None = Field(
        None, description="R4: required. `no` keeps the record out of matching for good; `unknown` "
                          "is matched only under vital_interest")


class EnquiryCorrection(PersonFields, Protection):
    """R9: only the fields sent are changed; send null to clear one."""


class FoundCorrection(EnquiryCorrection):
    tracing_consent: Consent | None = None


class RecordOut(Strict):
    """A record as its own society sees it by default: sensitive fields are never included."""

    record_id: str
    society: str
    kind: Literal["enquiry", "found"]
    fields: PersonFields
    legal_basis: LegalBasis
    consent_purposes: list[str]
    tracing_consent: Consent | None
    retention_until: str
    minor: bool
    in_matching: bool = Field(description="a found record: whether it is in the candidate pool now; "
                                          "an enquiry: whether it may be searched and reconciled now")
    objection: bool
    objection_overridden: bool
    holds_sensitive: bool
    created_at: str
    updated_at: str
    version: int


class WithdrawalIn(Strict):
    keep_on_basis: Literal["vital_interest", "public_interest", "legitimate_interest"] | None = Field(
        None, description="R8: without it the record is erased; with it, kept on that basis instead")


class WithdrawalOut(Strict):
    erased: bool
    record: RecordOut | None = None


class OverrideIn(Strict):
    reason: LongText = Field(description="R10: why matching goes on despite the objection (sealed, not audited)")


class FieldEvidence(Strict):
    outcome: Literal["agree", "partial", "disagree", "blank"]
    weight: float


class Candidate(Strict):
    found_id: str = Field(description="global id SOCIETY:record_id of the found record")
    society: str
    probability: float = Field(description="calibrated probability that both describe one person")
    rank: int
    decision: Literal["match", "review"] = Field(description="match: verify this first; review: possible")
    evidence: dict[str, FieldEvidence]


class CandidatesOut(Strict):
    enquiry_id: str
    candidates: list[Candidate]
    note: str = "potential matches only: nothing is final until an officer confirms it, and nobody is notified"


class DecisionIn(Strict):
    found_id: GlobalId
    decision: Literal["confirmed", "rejected"]
    why: Literal["identity_verified", "family_recognised", "documents_match",
                 "different_person", "dates_conflict", "family_not_recognised"] | None = Field(
        None, description="why, as a code recorded in the audit trail: identity_verified, family_recognised or "
                          "documents_match to confirm; different_person, dates_conflict or "
                          "family_not_recognised to reject")


class DecisionOut(Strict):
    enquiry_id: str
    found_id: str
    state: Literal["potential", "confirmed", "rejected"]
    decided_at: str | None


class DisclosureIn(Strict):
    found_id: GlobalId


class DisclosureOut(Strict):
    found_id: str
    society: str
    match_state: Literal["potential", "confirmed"]
    whereabouts: Whereabouts
    whereabouts_meaning: str
    family_name: str | None = None
    given_names: str | None = None
    father_name: str | None = None
    mother_name: str | None = None
    other_names: str | None = None
    sex: str | None = None
    birth_date: str | None = None
    age: str | None = None
    birth_place: str | None = None
    nationality: str | None = None
    recorded_on: str | None = None
    status: str | None = None
    location: str | None = None
    contact: str | None = None


class AccessMatch(Strict):
    counterpart: Literal["redacted"]
    state: str
    proposed_at: str
    decided_at: str | None


class AccessTransfer(Strict):
    to_society: str
    at: str
    basis: str
    released: str


class AccessExportOut(Strict):
    """R9: everything held about the person, other people's records redacted."""

    record: RecordOut
    sensitive: Sensitive
    matches: list[AccessMatch]
    transfers: list[AccessTransfer]


class ReconciliationIn(Strict):
    enquiries: list[EnquiryIn] | None = Field(
        None, description="an uploaded batch (at most 50,000 enquiries unless the deployment sets "
                          "otherwise: 413 too_many_rows); omit to run the society's open enquiries")
    k: int = Field(10, ge=1, le=50, description="candidates per enquiry")


class JobOut(Strict):
    id: str
    source: Literal["open_enquiries", "batch"]
    state: Literal["queued", "running", "done", "failed", "interrupted"]
    total: int
    done: int
    created_at: str
    finished_at: str | None
    error: str | None


class AuditRow(Strict):
    seq: int
    at: str
    key_id: str | None
    society: str | None
    role: str | None
    purpose: str | None
    action: str
    target: str | None
    outcome: Literal["ok", "refused"]
    status: int
    reason: str | None


class AuditOut(Strict):
    entries: list[AuditRow]
    chain_intact: bool


class ModelOut(Strict):
    sha256: str = Field(description="hash of the model's JSON document; searches and jobs name it in the audit trail")
    training: dict = Field(description="the training record saved with the model (counts and dates); {} when none")
    shipped_default: bool = Field(description="whether this is the model shipped with rfl, learnt on synthetic data")
    description: str


class ExpiredRow(Strict):
    record_id: str
    kind: str
    retention_until: str
    created_at: str


class PurgeIn(Strict):
    record_ids: list[RecordId] = Field(max_length=10000)


class PurgeOut(Strict):
    erased: list[str]


class RefusalOut(Strict):
    error: str = Field(description="a stable code; the OpenAPI description of each answer lists them")
    message: str
    problems: list[dict] | None = Field(None, description="for invalid_request: field, problem type, message")


EnquiryState = Literal["new", "review", "confirmed", "closed", "withdrawn"]


class EnquiryRow(Strict):
    """An enquiry in a work queue: ids, state, counts and dates, never names."""

    record_id: str
    state: EnquiryState = Field(description="new, review (candidates await an officer), confirmed, "
                                            "closed (past retention or erased), withdrawn (consent withdrawn)")
    potential: int = Field(description="candidates awaiting a decision")
    confirmed: int
    rejected: int
    minor: bool
    created_at: str
    updated_at: str
    retention_until: str | None


class EnquiryListOut(Strict):
    enquiries: list[EnquiryRow]
    counts: dict[EnquiryState, int] = Field(description="enquiries in each state, whatever `state` filters")
    total: int = Field(description="enquiries matching the filters, over all pages")
    page: int
    per_page: int
