"""Concrete pairs of domain.md and names.md that must match, and hard pairs that must not.

Each case is searched through `FoundIndex` (the shipped model, a background of synthetic found
records for realistic name frequencies), so these also test single-enquiry search.
"""

import pytest

from benchmarks.generate import generate
from rfl.search import FoundIndex

BASE = {"society": "DEU", "sex": "M", "nationality": "SYR"}

# (case, enquiry, found record that is the same person)
MATCHES = [
    # (Mohammed son of Ahmad al-Halabi, born 1990, would be a "review": the commonest names
    # and a year fit many people, and the model now says so.)
    ("Arabic script and year-only date",
     {"given_names": "خالد", "family_name": "الحلبي", "father_name": "أحمد", "birth_date": "1990-05-17"},
     {"given_names": "Khaled", "family_name": "Al-Halabi", "father_name": "Ahmad", "birth_date": "1990"}),
    ("Abd al- compound written apart and joined",
     {"given_names": "Abd al-Rahman", "family_name": "Haddad", "father_name": "Youssef", "birth_date": "1984-03-02"},
     {"given_names": "Abdulrahman", "family_name": "Hadad", "father_name": "Yusuf", "birth_date": "1984-03-02"}),
    ("Ukrainian Cyrillic against a German transliteration and an estimated age",
     {"given_names": "Олександр", "family_name": "Шевченко", "father_name": "Петро", "birth_date": "1979-11-04",
      "nationality": "UKR"},
     {"given_names": "Oleksandr", "family_name": "Schewtschenko", "father_name": "Petro", "age": "44",
      "recorded_on": "2024-02-01", "nationality": "UKR"}),
    ("Somali orthography and day/month swap",
     {"given_names": "Maxamed", "family_name": "Faarax", "father_name": "Cabdi", "birth_date": "1992-04-07",
      "nationality": "SOM"},
     {"given_names": "Mohamed", "family_name": "Farah", "father_name": "Abdi", "birth_date": "1992-07-04",
      "nationality": "SOM"}),
    ("Ethiopian calendar and G/ abbreviation",
     {"given_names": "Tesfaye", "family_name": "Gebremedhin", "father_name": "Gebremedhin", "birth_date": "1985",
      "nationality": "ETH"},
     {"given_names": "Tesfay", "family_name": "G/Medhin", "father_name": "G/Medhin", "birth_date": "1977",
      "nationality": "ETH"}),
    ("given and family swapped, upper case",
     {"given_names": "HASSAN", "family_name": "Karimi", "father_name": "Jawad", "birth_date": "2001-08-19"},
     {"given_names": "Karimi", "family_name": "Hassan", "father_name": "Jawad", "birth_date": "2001-08-19"}),
    ("Ethiopian given and father's name swapped, same birth day",
     {"given_names": "Aynalem", "family_name": "Teshome", "mother_name": "Hana", "birth_date": "1996-09-01",
      "nationality": "ETH", "sex": "F"},
     {"given_names": "Teshome", "family_name": "Aynalem", "mother_name": "Hanna", "birth_date": "1996-09-01",
      "nationality": "ETH", "sex": "F"}),
    ("family name written as the only name",
     {"given_names": "Huseyni", "family_name": "Zahra", "father_name": "Ali", "mother_name": "Rokhsana",
      "birth_date": "2010-08-14", "sex": "F"},
     {"given_names": "Zahraa", "father_name": "Ali", "mother_name": "Rukhsana", "birth_date": "2010-08-14",
      "sex": "F"}),
    ("nasab chain in the given names",
     {"given_names": "Khaled Omar Shami", "birth_date": "1975-06-30"},
     {"given_names": "Khalid", "father_name": "Omar", "family_name": "Al-Shami", "birth_date": "1975-06-30"}),
    ("own name copied into the other's family field, the rest left in place",
     {"given_names": "Belay", "family_name": "Firehiwet", "father_name": "Jonas Belay", "mother_name": "Mekdes",
      "birth_date": "1971-12-15", "nationality": "ERI", "sex": "F"},
     {"given_names": "Firehiwet Jonas Belai", "family_name": "Jonas", "father_name": "Jonas", "mother_name": "Meqdes",
      "birth_date": "1971-12-15", "nationality": "ERI", "sex": "F"}),
    ("1 January placeholder",
     {"given_names": "Qasim", "family_name": "Nouri", "father_name": "Jamal", "birth_date": "1968-01-01"},
     {"given_names": "Ghasem", "family_name": "Nuri", "father_name": "Djamel", "birth_date": "1968-09-23"}),
]

# (case, enquiry, found record of another person who looks alike)
NON_MATCHES = [
    ("siblings: same parents, family name and birthplace",
     {"given_names": "Rami", "family_name": "Darwish", "father_name": "Fadi", "mother_name": "Huda",
      "birth_place": "Homs", "birth_date": "1996-02-11"},
     {"given_names": "Bassel", "family_name": "Darwish", "father_name": "Fadi", "mother_name": "Huda",
      "birth_place": "Homs", "birth_date": "1999-10-03"}),
    ("son and father in one name chain",
     {"given_names": "Ahmed Mohammed Ali", "birth_date": "1995-04-12"},
     {"given_names": "Mohammed Ali Hassan", "birth_date": "1968"}),
    ("Ethiopian son and father",
     {"given_names": "Tesfaye", "family_name": "Gebremedhin", "birth_date": "1990", "nationality": "ETH"},
     {"given_names": "Gebremedhin", "family_name": "Tesfaye", "birth_date": "1962", "nationality": "ETH"}),
    ("namesakes with a common name",
     {"given_names": "Sergei", "family_name": "Ivanov", "father_name": "Nikolai", "birth_date": "1971-03-08",
      "nationality": "RUS"},
     {"given_names": "Sergei", "family_name": "Ivanov", "father_name": "Viktor", "birth_date": "1988-12-20",
      "nationality": "RUS"}),
    ("brothers whose joined compound names share their first part",
     {"given_names": "Gholamreza", "family_name": "Karimi", "father_name": "Hossein", "birth_date": "1984",
      "nationality": "IRN"},
     {"given_names": "Gholamali", "family_name": "Karimi", "father_name": "Hossein", "birth_date": "1986",
      "nationality": "IRN"}),
    ("brothers whose compound names share their first part, written apart",
     {"given_names": "Gul Mohammad", "family_name": "Ahmadzai", "father_name": "Abdul Rahim", "mother_name": "Bibi Gul",
      "birth_place": "Kabul", "birth_date": "1985-03-21", "nationality": "AFG"},
     {"given_names": "Gul Ahmad", "family_name": "Ahmadzai", "father_name": "Abdul Rahim", "mother_name": "Bibi Gul",
      "birth_place": "Kabul", "birth_date": "1988-07-01", "nationality": "AFG"}),
    ("Samir is not Samira",
     {"given_names": "Samir", "family_name": "Mansour", "birth_date": "1993", "sex": "M"},
     {"given_names": "Samira", "family_name": "Mansour", "birth_date": "1993", "sex": "F"}),
    ("Mohammed is not Mahmoud",
     {"given_names": "Mohammed", "family_name": "Saleh", "father_name": "Ibrahim", "birth_date": "1980"},
     {"given_names": "Mahmoud", "family_name": "Saleh", "father_name": "Ibrahim", "birth_date": "1986"}),
]


@pytest.fixture(scope="module")
def index():
    idx = FoundIndex()
    background = generate(200, seed=3).found
    idx.upsert(background.to_dicts())
    cases = [(f"match-{i}", found) for i, (_, _, found) in enumerate(MATCHES)]
    cases += [(f"other-{i}", found) for i, (_, _, found) in enumerate(NON_MATCHES)]
    idx.upsert([{**BASE, **found, "record_id": rid} for rid, found in cases])
    return idx


@pytest.mark.parametrize("i", range(len(MATCHES)), ids=[c[0] for c in MATCHES])
def test_same_person_is_the_top_candidate(index, i):
    _, enquiry, _ = MATCHES[i]
    found = index.search({**BASE, **enquiry, "record_id": "q"}, k=5)
    assert found and found[0].found_id == f"match-{i}"
    assert found[0].probability >= 0.5 and found[0].decision == "match"


@pytest.mark.parametrize("i", range(len(NON_MATCHES)), ids=[c[0] for c in NON_MATCHES])
def test_look_alike_is_not_called_a_match(index, i):
    _, enquiry, _ = NON_MATCHES[i]
    found = {c.found_id: c for c in index.search({**BASE, **enquiry, "record_id": "q"}, k=20)}
    other = found.get(f"other-{i}")
    assert other is None or other.probability < 0.5


def test_evidence_names_fields_not_values(index):
    _, enquiry, _ = MATCHES[1]
    best = index.search({**BASE, **enquiry, "record_id": "q"}, k=1)[0]
    assert best.evidence["first_name"]["outcome"] == "agree" and best.evidence["first_name"]["weight"] > 0
    assert "Hadad" not in repr(best.evidence) and "1984" not in repr(best.evidence)


def test_one_person_per_enquiry_unless_registered_twice():
    """Search applies the one-person rule too, and two records of one person both stay sure."""
    _, enquiry, found = MATCHES[1]
    idx = FoundIndex()
    idx.upsert(generate(100, seed=4).found.to_dicts())
    idx.upsert([{**BASE, **found, "record_id": "first"}, {**BASE, **found, "record_id": "again"}])
    sure = {c.found_id: c.probability for c in idx.search({**BASE, **enquiry, "record_id": "q"})}
    assert sure["first"] >= 0.5 and sure["again"] >= 0.5


def test_a_found_record_made_long_before_the_last_contact_is_likelier_another_person():
    """Two found records alike in every field but the day they were made: the one made years
    before the family last heard from the person ranks below the one made after, and the
    evidence says why."""
    _, enquiry, found = MATCHES[1]
    idx = FoundIndex()
    idx.upsert(generate(100, seed=4).found.to_dicts())
    idx.upsert([{**BASE, **found, "record_id": "before", "recorded_on": "2019-05-01"},
                {**BASE, **found, "record_id": "after", "recorded_on": "2023-01-10"}])
    ranked = idx.search({**BASE, **enquiry, "record_id": "q", "last_seen_date": "2022-03"}, k=2)
    assert [c.found_id for c in ranked] == ["after", "before"]
    assert ranked[0].probability > ranked[1].probability
    assert ranked[0].evidence["last_contact"]["weight"] > 0 > ranked[1].evidence["last_contact"]["weight"]
