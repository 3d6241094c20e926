"""The code of conduct as code: the decisions batch tools and the API share."""

from __future__ import annotations

from datetime import date

import pytest

from rfl import policy
from rfl.policy import Refusal
from rfl.store import StoredRecord

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize("fields,minor", [
    ({"birth_date": "2008-11-30"}, True),    # 18 tomorrow
    ({"birth_date": "2008-11-29"}, False),   # 18 today
    ({"birth_date": "2008"}, True),          # could be born in December
    ({"birth_date": "2008-10"}, False),
    ({"age": "17"}, True),
    ({"age": "16-25", "recorded_on": "2024-01-01"}, False),  # at least 18 by now
    ({"age": "15-25", "recorded_on": "2024-01-01"}, True),
    ({"birth_date": "1990", "age": "12"}, True),  # conflicting evidence: treat as a child
    ({}, False),
])
def test_minors_include_estimated_and_partial_ages(fields, minor):
    assert policy.is_minor(fields, TODAY) is minor


@pytest.mark.parametrize("purpose,code", [
    (None, "purpose_missing"), ("", "purpose_missing"), ("migration_control", "purpose_outside_rfl"),
    ("prosecution", "purpose_outside_rfl"), ("TRACING", "purpose_unknown"),
])
def test_purposes_outside_rfl_are_refused(purpose, code):
    with pytest.raises(Refusal) as refused:
        policy.check_purpose(purpose)
    assert (refused.value.status, refused.value.code) == (403, code)


def test_every_action_is_served_for_some_role_and_rfl_purpose():
    for action, (roles, purposes) in policy.PERMISSIONS.items():
        assert roles <= set(policy.ROLES) and purposes <= set(policy.PURPOSES), action


def _found(**overrides) -> StoredRecord:
    values = dict(key="LBY:F1", society="LBY", record_id="F1", kind="found",
                  fields={"location": "Tripoli", "contact": "x", "status": "detained", "consent_to_share": "yes",
                          "family_name": "Ali"},
                  legal_basis="consent", consent_purposes=["tracing"], retention_until="2030-01-01",
                  tracing_consent="yes", sensitive={"health": "diabetic"})
    values.update(overrides)
    return StoredRecord(**values)


@pytest.mark.parametrize("overrides,reason", [
    ({}, None), ({"tracing_consent": "no"}, "tracing_refused"),
    ({"tracing_consent": "unknown"}, "tracing_consent_unknown"),
    ({"tracing_consent": "unknown", "legal_basis": "vital_interest"}, None),
    ({"retention_until": "2026-11-28"}, "retention_expired"),
    ({"objection": True}, "objection"), ({"objection": True, "objection_override": "court"}, None),
    ({"kind": "enquiry"}, "not_a_found_record"),
])
def test_eligibility_for_matching(overrides, reason):
    assert policy.ineligibility(_found(**overrides), TODAY) == reason


def test_disclosure_never_carries_sensitive_fields_and_whereabouts_need_consent_and_confirmation():
    settings = policy.DisclosureSettings()
    shown = policy.disclosure(_found(), "DEU", "confirmed", settings)
    assert shown["location"] == "Tripoli" and "health" not in shown and "diabetic" not in str(shown)
    assert policy.disclosure(_found(), "DEU", "potential", settings)["whereabouts"] == "withheld_until_confirmed"
    refused = _found(fields={"location": "Tripoli", "consent_to_share": "unknown", "status": "detained"})
    shown = policy.disclosure(refused, "DEU", "confirmed", settings)
    assert shown["whereabouts"] == "located_not_shared" and "location" not in shown and "status" not in shown
    assert policy.disclosure(refused, "DEU", "confirmed", policy.DisclosureSettings(say_alive=True))["status"] == "alive"
    assert policy.disclosure(refused, "LBY", "potential", settings)["location"] == "Tripoli"  # its own society


def test_transfers_need_an_adherent_recipient_and_consent_that_covers_them():
    with pytest.raises(Refusal, match="adhere"):
        policy.check_transfer(_found(), "XYZ", recipient_adheres=False)
    with pytest.raises(Refusal) as refused:
        policy.check_transfer(_found(consent_purposes=["research"]), "DEU", recipient_adheres=True)
    assert refused.value.code == "consent_scope"
    policy.check_transfer(_found(), "DEU", recipient_adheres=True)


def test_research_rows_hold_no_names_dates_or_places_and_no_children():
    row = policy.research_row(_found(fields={"family_name": "Ali", "birth_date": "1987-04-02", "location": "Tripoli",
                                             "sex": "M"}), "p1")
    assert row["birth_years"] == "1985-1989" and "Ali" not in str(row) and "Tripoli" not in str(row)
    assert "1987" not in str(row)
    assert policy.research_row(_found(minor=True), "p2") is None
