"""The code of conduct (docs/code-of-conduct.md) as code, for the API and batch tools.

Every decision that protects a person is made here and nowhere else, and every path asks the
same functions, so a rule enforced on one path is not forgotten on another: which purposes are
served (R5) and which society reaches which records (R15); what a record must carry before it
is held (R1, R2, R12, R16) and whether its id is free (R8); which records may be matched, as a
candidate or as a query (R4, R7, R10); what a society may learn of another's records (R13) and
what it is told of a found person (R3, R6, R11); what researchers may see; and which rows of a
batch file the rules keep out. The tracing service, the store and the API only ask.

Functions raise `Refusal`, which the API turns into an HTTP answer and an audit entry; batch
tools catch it the same way. Refusal messages never quote a record's values. A "record" here is
anything with the attributes of `rfl.store.StoredRecord`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

import polars as pl

from matching.dates import PLACEHOLDER_DAYS, is_placeholder, latest_day
from rfl.records import AGE_RANGE_RULE, CONDUCT_COLUMNS, DAY
from rfl.schema import NAME_COLUMNS, may_count_ethiopian

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
# R11: statuses that reveal a special category (detention, health). Where they may not be told
# (research exports, an answer that withholds whereabouts) they read as "alive".
SENSITIVE_STATUSES = ("detained", "hospitalised")

ADULT_AGE = 18
DEFAULT_RETENTION = timedelta(days=3 * 365)  # when a record states no retention_until (R7)

SOCIETY_PATTERN = r"^([A-Z]{3}|ICRC)$"


class Refusal(Exception):
    """A request the code of conduct does not allow: an HTTP status, a stable code, a reason."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


# ---- who may do what, for which purpose, on whose records (R5, R15) -----------------------

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


def owns(caller_society: str, holder: str) -> bool:
    """R15: a society reads, changes and reviews only the records (and jobs) it holds."""
    return caller_society == holder


def check_same_society(caller_society: str, holder: str, what: str = "record") -> None:
    """R15 for one record or job: another society's answer as 'not here', so that a guessed id
    does not learn that it exists."""
    if not owns(caller_society, holder):
        raise Refusal(404, "not_found", f"no such {what} in your society")


def check_submitter(caller_society: str, claimed: str | None) -> None:
    """R15: a society submits (or uploads) only its own records."""
    if (claimed or caller_society) != caller_society:
        raise Refusal(403, "other_society", "a society submits only its own records")


# ---- what a record must carry (R1, R2, R8, R12, R16) --------------------------------------

def consent_covers(record, purpose: str) -> bool:
    """R2: whether the basis of a record covers `purpose`.

    A record resting on consent covers the purposes the person agreed to. Vital, public or
    legitimate interest is invoked to trace (and to reconcile and answer access requests, which
    serve tracing); none of them reaches research, which only an explicit consent to it opens,
    whatever the record's basis (refuse by default: research is not what the data was given for).
    """
    if purpose == "research":
        return "research" in record.consent_purposes
    return record.legal_basis != "consent" or purpose in record.consent_purposes


def decided(reference: str | None) -> bool:
    """R12, R10: a best-interests reference or an override's reason counts only when it says
    something, a letter or a digit: blanks, punctuation alone and invisible characters are no
    decision (a zero-width space once passed as one and disclosed a child's whereabouts)."""
    return bool(reference) and any(ch.isalnum() for ch in reference)


def _age_range(age: str) -> tuple[int, int]:
    low, _, high = age.partition("-")
    return int(low), int(high or low)


def check_age(age: str | None) -> None:
    """R12: a reversed range (`40-9`) cannot be read as an age, so it cannot show an adult."""
    low, high = _age_range(age) if age else (0, 0)
    if low > high:
        raise Refusal(422, "age_range_reversed", f"age: {AGE_RANGE_RULE}")


def _years_between(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _with_society(record) -> dict:
    """A record's fields and the society holding it (which may count in the Ethiopian calendar)."""
    return {**record.fields, "society": getattr(record, "society", None) or record.fields.get("society")}


def is_minor(fields: dict, today: date) -> bool:
    """R12: could this person be under 18 today? Doubtful cases count as children.

    A birth date is taken at the latest day it may stand for, as the matcher reads it
    (`matching.dates.latest_day`: `2008` and the `2008-01-01` placeholder both may mean
    31 December 2008; in a batch, so does any other day the files over-use or the model reads
    so, `exclude_from_batch`; and where the record may count in the Ethiopian calendar, by its
    nationality, society or Ge'ez script, the later of its two readings); an impossible one
    proves nothing. An estimated age counts at its lower
    bound and is carried forward from `recorded_on` to today.
    """
    birth_date, age = fields.get("birth_date"), fields.get("age")
    if birth_date:
        try:
            if _years_between(latest_day(birth_date, may_count_ethiopian(fields)), today) < ADULT_AGE:
                return True
        except ValueError:
            return True  # an impossible date cannot prove adulthood
    if age:
        try:
            elapsed = max(_years_between(date.fromisoformat(fields["recorded_on"]), today), 0)
        except (KeyError, TypeError, ValueError):
            elapsed = 0  # no readable day it was estimated on: as if estimated today
        if min(_age_range(age)) + elapsed < ADULT_AGE:
            return True
    return False


def may_be_minor(record, today: date) -> bool:
    """R12 for a stored record: flagged when written, or a child by today's reading (a flag
    written under an older reading of dates may be stale)."""
    return bool(record.minor) or is_minor(_with_society(record), today)


def check_status_change(status: str | None, previous_status: str | None, role: str) -> None:
    """R16: only an admin may set the status deceased, or change it once set."""
    if (status == "deceased" or previous_status == "deceased") and status != previous_status and role != "admin":
        raise Refusal(403, "deceased_needs_admin", "only an admin may set or change the status deceased")


def check_holdable(record, today: date) -> bool:
    """Refuse a record the code of conduct does not let us hold (R1, R2, R4, R12); return
    whether it may describe a minor. Stored records, uploaded batches and batch files alike."""
    if record.legal_basis not in LEGAL_BASES:
        raise Refusal(422, "legal_basis_missing", f"every record needs legal_basis: one of {', '.join(LEGAL_BASES)}")
    if not consent_covers(record, "tracing"):
        raise Refusal(422, "consent_scope_missing",
                      "a record resting on consent must list the purposes consented to, including tracing")
    if record.kind == "found" and record.tracing_consent not in CONSENT_ANSWERS:
        raise Refusal(422, "tracing_consent_missing", "a found record must state tracing_consent: yes, no or unknown")
    check_age(record.fields.get("age"))
    minor = is_minor(_with_society(record), today)
    if minor and not record.guardian_consent and not decided(record.best_interests):
        raise Refusal(422, "minor_without_safeguard",
                      "a person who may be under 18 needs guardian_consent or a best_interests decision reference")
    return minor


def check_record(record, *, role: str, previous_status: str | None, today: date) -> bool:
    """Refuse a record a caller in `role` may not store (R1, R2, R4, R12, R16); return whether it
    is a minor."""
    check_status_change(record.fields.get("status"), previous_status, role)
    return check_holdable(record, today)


def check_id_free(tombstone: dict | None) -> None:
    """R8, R9: an erased record's id stays retired. A new record under it would inherit what
    still names the id (transfers, research pseudonyms) and delete the only trace of the erasure."""
    if tombstone is not None:
        raise Refusal(409, "id_retired", "this record_id belonged to an erased record and is never used again")


def check_basis_after_withdrawal(keep_on_basis: str) -> None:
    """R8: consent withdrawn, a record is kept only on another basis, never on consent again."""
    if keep_on_basis == "consent":
        raise Refusal(422, "basis_not_other", "keep_on_basis must be a basis other than consent")


def is_day(text: str) -> bool:
    """A day written YYYY-MM-DD, the only form retention dates are compared in (as text): ISO's
    other forms (20260115, 2026-W02-1) are days to date.fromisoformat, but sort before any
    YYYY-MM-DD and once kept expired records in matching (R7)."""
    if not re.fullmatch(DAY, text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def retention_or_default(retention_until: str | None, today: date) -> str:
    return retention_until or (today + DEFAULT_RETENTION).isoformat()


# ---- who may be matched (R4, R7, R10) -----------------------------------------------------

def expired(record, today: date) -> bool:
    """R7: past retention_until, the record leaves matching and awaits review."""
    return record.retention_until < today.isoformat()


def _held_out(record, today: date) -> str | None:
    """What holds any record out of matching, enquiry or found (R7, R10)."""
    if expired(record, today):
        return "retention_expired"
    if record.objection and not record.objection_override:
        return "objection"
    return None


def ineligibility(record, today: date) -> str | None:
    """Why a record may not be a candidate, or None if it may (found records only)."""
    if record.kind != "found":
        return "not_a_found_record"
    if record.tracing_consent == "no":
        return "tracing_refused"
    if record.tracing_consent != "yes" and record.legal_basis != "vital_interest":
        return "tracing_consent_unknown"
    return _held_out(record, today)


def search_ineligibility(record, today: date) -> str | None:
    """Why an enquiry may not be searched or reconciled now, or None if it may. An objection
    stops an enquiry's matching as it stops a found record's, until an admin overrides it."""
    if record.kind != "enquiry":
        return "not_an_enquiry"
    return _held_out(record, today)


def check_searchable(record, today: date) -> None:
    """Refuse to search or reconcile an enquiry `search_ineligibility` keeps out."""
    reason = search_ineligibility(record, today)
    if reason == "retention_expired":
        raise Refusal(409, "retention_expired", "this enquiry is past its retention date and awaits review")
    if reason == "objection":
        raise Refusal(409, "objected", "the person objected to this enquiry being matched; an admin may override")
    if reason is not None:
        raise Refusal(409, reason, "this record cannot be searched")


def in_matching(record, today: date) -> bool:
    """A found record in the candidate pool, or an enquiry that may be searched, now."""
    check = ineligibility if record.kind == "found" else search_ineligibility
    return check(record, today) is None


# ---- what another society may learn and be told (R2, R3, R6, R11, R12, R13) ---------------

def may_learn_of(recipient: str, recipient_adheres: bool, holder: str) -> bool:
    """R13: whether `recipient` may learn anything of a record `holder` holds: that it exists,
    its society, a probability, a research row. A society that does not adhere to the Code of
    Conduct gets its own records only, on every path (searches, jobs, research, disclosures)."""
    return recipient == holder or recipient_adheres


def check_may_learn_of(recipient: str, recipient_adheres: bool, holder: str) -> None:
    if not may_learn_of(recipient, recipient_adheres, holder):
        raise Refusal(403, "recipient_not_adherent",
                      "transfers go only to Movement components that adhere to the Code of Conduct")


@dataclass(frozen=True)
class DisclosureSettings:
    """Per-deployment choices the code of conduct leaves open."""

    say_alive: bool = False  # may an answer that withholds whereabouts still say "alive"?


def check_transfer(record, recipient: str, recipient_adheres: bool) -> None:
    """R13 and R2: refuse a transfer to a non-adherent, or one that consent does not cover."""
    if record.society == recipient:
        return
    check_may_learn_of(recipient, recipient_adheres, record.society)
    if not consent_covers(record, "tracing"):
        raise Refusal(403, "consent_scope", "the consent this record rests on does not cover this transfer")


def disclosure(record, recipient: str, match_state: str, settings: DisclosureSettings, today: date) -> dict:
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
    elif may_be_minor(record, today) and not decided(record.best_interests):
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

def research_ineligibility(record, today: date) -> str | None:
    """Why a record may not leave in a research export, or None if it may.

    Research is a purpose of its own (R2, R5): it needs consent to research. A person who
    refused tracing (R4) or objected (R10) is not studied either; an admin's override of an
    objection lets matching go on, not research. Expired records await deletion (R7), and
    children never leave (R12).
    """
    if may_be_minor(record, today):
        return "minor"
    if not consent_covers(record, "research"):
        return "no_research_consent"
    if record.tracing_consent == "no":
        return "tracing_refused"
    if expired(record, today):
        return "retention_expired"
    if record.objection:
        return "objection"
    return None


def research_row(record, pseudonym: str, today: date) -> dict | None:
    """A research view of one record, or None when it may not leave at all. Years are read as
    the matcher reads them; a sensitive status (R11) reads as alive."""
    if research_ineligibility(record, today) is not None:
        return None
    try:
        year = latest_day(record.fields.get("birth_date") or "").year
        band = f"{year // 5 * 5}-{year // 5 * 5 + 4}"
    except ValueError:
        band = None
    status = record.fields.get("status") if record.kind == "found" else None
    return {
        "pid": pseudonym, "kind": record.kind, "society": record.society,
        "sex": record.fields.get("sex"), "birth_years": band,
        "nationality": record.fields.get("nationality"),
        "status": "alive" if status in SENSITIVE_STATUSES else status,
    }


# ---- batch files (rfl link) ----------------------------------------------------------------

_YES = ("yes", "true", "1")
_NO = ("no", "false", "0")


def _batch_record(row: dict, kind: str) -> SimpleNamespace:
    """One row of a file as a record the functions above can judge. Cells are read cautiously:
    a guardian's consent only when it says yes, an objection whenever it does not say no."""
    objection = (row.get("objection") or "no").strip().lower()
    return SimpleNamespace(
        kind=kind, fields=row, legal_basis=row.get("legal_basis"), tracing_consent=row.get("tracing_consent"),
        consent_purposes=[p.strip() for p in (row.get("consent_purposes") or "").split(";") if p.strip()],
        retention_until=row.get("retention_until"), minor=False,
        guardian_consent=(row.get("guardian_consent") or "").strip().lower() in _YES,
        best_interests=row.get("best_interests"), objection=objection not in _NO,
        objection_override=override if decided(override := row.get("objection_override"))
        and override.strip().lower() not in (*_NO, "none") else None,  # a reason, not "no"
    )


def batch_exclusion(row: dict, kind: str, today: date) -> str | None:
    """Why the rules keep one row of a batch file (`kind` enquiry or found) out of matching, as
    the API would keep the record out: not holdable (R1, R2, R4, R12), or not matchable (R4,
    R7, R10). A retention date that is not a day cannot show the record is still kept."""
    record = _batch_record(row, kind)
    record.retention_until = retention_or_default(record.retention_until, today)
    if not is_day(record.retention_until):
        return "retention_until_invalid"
    try:
        check_holdable(record, today)
    except Refusal as refusal:
        return refusal.code
    return (ineligibility if kind == "found" else search_ineligibility)(record, today)


def exclude_from_batch(frame: pl.DataFrame, kind: str, today: date,
                       placeholders: tuple[str, ...] = PLACEHOLDER_DAYS) -> tuple[pl.DataFrame, dict[str, int]]:
    """The rows of a batch file the rules let be matched, and how many were left out, by
    reason. A frame without conduct columns is returned whole: nothing says what may be done
    with its records, and whoever prepared it answers for that (docs/code-of-conduct.md).
    A birth date on one of the `placeholders` days counts as its year alone for R12, as the
    matcher reads it (rfl.link.held_to_conduct settles them)."""
    if not any(c in frame.columns for c in CONDUCT_COLUMNS):
        return frame, {}
    asked = frame.select(c for c in frame.columns
                         if c in (*CONDUCT_COLUMNS, "birth_date", "age", "recorded_on", "nationality", "society", *NAME_COLUMNS))
    if "birth_date" in asked.columns:
        written = pl.col("birth_date").cast(pl.Utf8)
        asked = asked.with_columns(pl.when(is_placeholder(written, placeholders)).then(written.str.slice(0, 4))
                                   .otherwise(written).alias("birth_date"))
    reasons = [batch_exclusion(row, kind, today) for row in asked.iter_rows(named=True)]
    counts: dict[str, int] = {}
    for reason in filter(None, reasons):
        counts[reason] = counts.get(reason, 0) + 1
    return frame.filter(pl.Series([r is None for r in reasons], dtype=pl.Boolean)), counts
