"""The code of conduct as code: the decisions batch tools and the API share."""

from __future__ import annotations

import dataclasses
from datetime import date

import polars as pl
import pytest

from matching import dates
from rfl import policy
from rfl.policy import Refusal
from rfl.store import StoredRecord

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize("fields,minor", [
    ({"birth_date": "2008-11-30"}, True),    # 18 tomorrow
    ({"birth_date": "2008-11-29"}, False),   # 18 today
    ({"birth_date": "2008"}, True),          # could be born in December
    ({"birth_date": "2008-01-01"}, True),    # the placeholder for "2008", as the matcher reads it
    ({"birth_date": "2008-01-02"}, False),   # a real day in January
    ({"birth_date": "2008-10"}, False),
    ({"age": "17"}, True),
    ({"age": "16-25", "recorded_on": "2024-01-01"}, False),  # at least 18 by now
    ({"age": "15-25", "recorded_on": "2024-01-01"}, True),
    ({"birth_date": "1990", "age": "12"}, True),  # conflicting evidence: treat as a child
    ({"birth_date": "2001-02-30"}, True),    # a day that cannot exist proves no adulthood
    ({"age": "40-9"}, True),                 # reversed: its lower bound is 9 (refused on storing)
    ({"age": "20", "recorded_on": "2001-02-30"}, False),  # unreadable day: as if estimated today
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
    shown = policy.disclosure(_found(), "DEU", "confirmed", settings, TODAY)
    assert shown["location"] == "Tripoli" and "health" not in shown and "diabetic" not in str(shown)
    assert policy.disclosure(_found(), "DEU", "potential", settings, TODAY)["whereabouts"] == "withheld_until_confirmed"
    refused = _found(fields={"location": "Tripoli", "consent_to_share": "unknown", "status": "detained"})
    shown = policy.disclosure(refused, "DEU", "confirmed", settings, TODAY)
    assert shown["whereabouts"] == "located_not_shared" and "location" not in shown and "status" not in shown
    say_alive = policy.DisclosureSettings(say_alive=True)
    assert policy.disclosure(refused, "DEU", "confirmed", say_alive, TODAY)["status"] == "alive"
    assert policy.disclosure(refused, "LBY", "potential", settings, TODAY)["location"] == "Tripoli"  # its own society


def test_transfers_need_an_adherent_recipient_and_consent_that_covers_them():
    with pytest.raises(Refusal, match="adhere"):
        policy.check_transfer(_found(), "XYZ", recipient_adheres=False)
    with pytest.raises(Refusal) as refused:
        policy.check_transfer(_found(consent_purposes=["research"]), "DEU", recipient_adheres=True)
    assert refused.value.code == "consent_scope"
    policy.check_transfer(_found(), "DEU", recipient_adheres=True)


def test_research_rows_hold_no_names_dates_places_or_sensitive_statuses_and_no_children():
    studied = _found(consent_purposes=["tracing", "research"],
                     fields={"family_name": "Ali", "birth_date": "1987-04-02", "location": "Tripoli", "sex": "M",
                             "status": "detained"})
    row = policy.research_row(studied, "p1", TODAY)
    assert row["birth_years"] == "1985-1989" and "Ali" not in str(row) and "Tripoli" not in str(row)
    assert "1987" not in str(row) and row["status"] == "alive"  # detention is a special category (R11)
    assert policy.research_row(_found(minor=True, consent_purposes=["research"]), "p2", TODAY) is None


@pytest.mark.parametrize("overrides,reason", [
    ({"consent_purposes": ["tracing", "research"]}, None),
    ({}, "no_research_consent"),                                    # consent to tracing only
    ({"legal_basis": "vital_interest", "consent_purposes": []}, "no_research_consent"),
    ({"legal_basis": "public_interest", "consent_purposes": ["research"]}, None),  # consent recorded all the same
    ({"consent_purposes": ["research"], "tracing_consent": "no"}, "tracing_refused"),
    ({"consent_purposes": ["research"], "retention_until": "2026-11-28"}, "retention_expired"),
    ({"consent_purposes": ["research"], "objection": True}, "objection"),
    ({"consent_purposes": ["research"], "objection": True, "objection_override": "court"}, "objection"),
    ({"consent_purposes": ["research"], "fields": {"birth_date": "2009-01-01"}}, "minor"),  # flag not yet set
])
def test_research_needs_consent_to_it_and_no_refusal_objection_expiry_or_child(overrides, reason):
    assert policy.research_ineligibility(_found(**overrides), TODAY) == reason


@pytest.mark.parametrize("overrides,reason", [
    ({}, None), ({"retention_until": "2026-11-28"}, "retention_expired"), ({"objection": True}, "objection"),
    ({"objection": True, "objection_override": "renewed"}, None), ({"kind": "found"}, "not_an_enquiry"),
])
def test_an_enquiry_is_searched_only_within_retention_and_without_objection(overrides, reason):
    enquiry = _found(**{"kind": "enquiry", "tracing_consent": None, **overrides})
    assert policy.search_ineligibility(enquiry, TODAY) == reason
    if reason in ("retention_expired", "objection"):
        with pytest.raises(Refusal) as refused:
            policy.check_searchable(enquiry, TODAY)
        assert refused.value.code == {"objection": "objected"}.get(reason, reason)


def test_a_non_adherent_society_learns_of_its_own_records_only():
    assert policy.may_learn_of("ETH", False, "ETH") and not policy.may_learn_of("ETH", False, "DEU")
    assert policy.may_learn_of("DEU", True, "ETH")


def test_a_minors_safeguard_is_a_real_decision_and_an_age_range_runs_upwards():
    for blank in (None, "", " ", "\t"):
        with pytest.raises(Refusal, match="under 18"):
            policy.check_holdable(_found(fields={"birth_date": "2015"}, best_interests=blank), TODAY)
    assert policy.check_holdable(_found(fields={"birth_date": "2015"}, best_interests="BI-2026-7"), TODAY) is True
    assert policy.check_holdable(_found(fields={"birth_date": "2015"}, guardian_consent=True), TODAY) is True
    with pytest.raises(Refusal) as refused:
        policy.check_holdable(_found(fields={"age": "40-9"}), TODAY)
    assert (refused.value.status, refused.value.code) == (422, "age_range_reversed")
    assert "age" in refused.value.message and "40" not in refused.value.message


def test_an_erased_id_is_retired():
    policy.check_id_free(None)
    with pytest.raises(Refusal) as refused:
        policy.check_id_free({"key": "LBY:F1", "kind": "found"})
    assert (refused.value.status, refused.value.code) == (409, "id_retired")


def _rows(**columns) -> pl.DataFrame:
    return pl.DataFrame(columns, schema={c: pl.Utf8 for c in columns})


def test_a_batch_file_without_conduct_columns_is_left_as_it_is():
    frame = _rows(record_id=["F1", "F2"], society=["LBY", "LBY"], birth_date=["2015", None])
    kept, excluded = policy.exclude_from_batch(frame, "found", TODAY)
    assert kept.equals(frame) and excluded == {}


def test_a_batch_file_with_conduct_columns_keeps_only_what_the_rules_allow():
    rows = [  # record_id, legal_basis, consent_purposes, tracing_consent, retention_until, objection, birth_date, ...
        ("F1", "consent", "tracing;research", "yes", None, None, "1980", None, None),
        ("F2", None, None, "yes", None, None, "1980", None, None),                 # no basis (R1)
        ("F3", "consent", "research", "yes", None, None, "1980", None, None),     # consent not to tracing (R2)
        ("F4", "vital_interest", None, "no", None, None, "1980", None, None),     # refused tracing (R4)
        ("F5", "vital_interest", None, None, None, None, "1980", None, None),     # did not say (R4)
        ("F6", "vital_interest", None, "yes", "2026-01-01", None, "1980", None, None),  # expired (R7)
        ("F7", "vital_interest", None, "yes", "soon", None, "1980", None, None),        # not a day (R7)
        ("F8", "vital_interest", None, "yes", None, "yes", "1980", None, None),         # objected (R10)
        ("F9", "vital_interest", None, "yes", None, "ja", "1980", None, None),          # not a clear no: objected
        ("F10", "vital_interest", None, "yes", None, "no", "2015", None, " "),          # a child, no safeguard (R12)
        ("F11", "vital_interest", None, "yes", None, "no", "2015", "yes", None),        # a child, guardian agreed
        ("F12", "vital_interest", None, "yes", None, "no", None, None, None),
    ]
    names = ("record_id", "legal_basis", "consent_purposes", "tracing_consent", "retention_until", "objection",
             "birth_date", "guardian_consent", "best_interests")
    frame = _rows(**{n: [r[i] for r in rows] for i, n in enumerate(names)})
    kept, excluded = policy.exclude_from_batch(frame, "found", TODAY)
    assert kept["record_id"].to_list() == ["F1", "F11", "F12"]
    assert excluded == {"legal_basis_missing": 1, "consent_scope_missing": 1, "tracing_refused": 1,
                        "tracing_consent_missing": 1, "retention_expired": 1, "retention_until_invalid": 1,
                        "objection": 2, "minor_without_safeguard": 1}
    # enquiries need no tracing consent; an overridden objection lets matching go on
    enquiries = _rows(record_id=["E1", "E2"], legal_basis=["vital_interest"] * 2, objection=["yes", "yes"],
                      objection_override=["court order 17", " "])
    kept, excluded = policy.exclude_from_batch(enquiries, "enquiry", TODAY)
    assert kept["record_id"].to_list() == ["E1"] and excluded == {"objection": 1}


@pytest.mark.parametrize("stand_ins, kept", [(0, True), (40, False)])
def test_a_birthday_a_batch_file_over_uses_counts_as_the_year_alone_for_minors(stand_ins, kept):
    # born 2008-07-01 is 18 on TODAY; in a file writing 1 July for every unknown birthday it means
    # "born in 2008", possibly in December: a possible minor, left out without a safeguard
    born = ["2008-07-01"] + [f"{1960 + i}-07-01" for i in range(stand_ins)] + [f"19{50 + i % 40}-03-{1 + i % 28:02d}"
                                                                             for i in range(60)]
    frame = _rows(record_id=[f"F{i}" for i in range(len(born))], legal_basis=["vital_interest"] * len(born),
                  tracing_consent=["yes"] * len(born), objection=["no"] * len(born), birth_date=born)
    out, excluded = policy.exclude_from_batch(frame, "found", TODAY, dates.overused_days([frame["birth_date"]]))
    assert ("F0" in out["record_id"].to_list()) is kept
    assert excluded == ({} if kept else {"minor_without_safeguard": 1})
    assert out["birth_date"].to_list() == [b for b, i in zip(born, frame["record_id"]) if i in out["record_id"]]



def test_a_birthday_the_other_file_or_the_model_over_uses_counts_as_the_year_alone_too():
    from rfl.link import held_to_conduct
    from rfl.search import default_model

    def rows(ids, born):
        return _rows(record_id=ids, legal_basis=["vital_interest"] * len(ids), tracing_consent=["yes"] * len(ids),
                     objection=["no"] * len(ids), birth_date=born)
    # the enquiries' registry writes 1 July for every unknown birthday; the found file does not
    enquiries = rows([f"E{i}" for i in range(41)], [f"{1960 + i}-07-01" for i in range(40)] + ["1985-05-05"])
    found = rows(["F0", "F1"], ["2008-07-01", "1970-03-03"])
    held, excluded = held_to_conduct([("e.csv", enquiries), ("f.csv", found)], TODAY)
    assert held[1][1]["record_id"].to_list() == ["F1"] and excluded[1] == {"minor_without_safeguard": 1}
    # alone, the found file keeps its 2008-07-01 as an adult; a model reading 1 July so does not
    assert held_to_conduct([("f.csv", found)], TODAY)[0][0][1].height == 2
    model = dataclasses.replace(default_model(), placeholder_days=("01-01", "07-01"))
    assert held_to_conduct([("f.csv", found)], TODAY, model)[0][0][1]["record_id"].to_list() == ["F1"]


def test_a_date_that_may_be_written_in_the_ethiopian_calendar_counts_at_its_later_reading_for_minors():
    # 10 Tir 2003 in the Ethiopian calendar is 18 January 2011: 15 on TODAY, not 23
    assert policy.is_minor({"birth_date": "2003-05-10", "nationality": "ERI"}, TODAY)
    assert policy.is_minor({"birth_date": "2003-05-10", "given_names": "ሰላም"}, TODAY)
    assert policy.is_minor({"birth_date": "2003", "society": "ETH"}, TODAY)  # 2003 EC may end in September 2011
    assert not policy.is_minor({"birth_date": "2003-05-10", "nationality": "SYR"}, TODAY)
    frame = _rows(record_id=["X1", "X2"], society=["ETH", "SYR"], legal_basis=["vital_interest"] * 2,
                  tracing_consent=["yes"] * 2, objection=["no"] * 2, birth_date=["2003-05-10"] * 2)
    kept, excluded = policy.exclude_from_batch(frame, "found", TODAY)
    assert kept["record_id"].to_list() == ["X2"] and excluded == {"minor_without_safeguard": 1}
