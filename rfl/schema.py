"""The interchange record as the matcher sees it: which column plays which role, and what RFL
knows beyond the record (calendars, name chains).

The command line, the service's index and the quality measurements all take their field roles from
here, so a column means the same thing on every path.
"""

from __future__ import annotations

import re

import polars as pl

from matching.compare import Comparer
from matching.prepare import Fields, Vocab
from rfl.errors import InputError

CALENDAR, CHAIN, SURNAME, IDENTITY = "_ethiopian_calendar", "_name_chain", "_inherited_surname", "_identity"
FIELDS = Fields(
    id="record_id", identity=IDENTITY, given="given_names", family="family_name", father="father_name",
    mother="mother_name", aliases="other_names", birth_date="birth_date", age="age",
    recorded_on="recorded_on", last_contact="last_seen_date", calendar=CALENDAR, chain=CHAIN, surname=SURNAME,
    population="nationality",
    exact=("sex", "nationality"),
    fuzzy=("birth_place",), family_fields=("birth_place",),
)
ETHIOPIC = "[\u1200-\u137F]"
ETHIOPIAN_CALENDAR = ["ETH", "ERI"]  # whose records may count birth years in the Ethiopian calendar
CYRILLIC = "[\u0400-\u04FF]"
NAME_COLUMNS = ("given_names", "family_name", "father_name", "mother_name", "other_names")


def with_domain_flags(df: pl.DataFrame) -> pl.DataFrame:
    """Add what RFL knows beyond the record (domain.md): Ethiopian and Eritrean records (by
    nationality, society or Ge'ez script in a name) may count the birth year in the Ethiopian
    calendar; they and Somali records name people given + father + grandfather, no family name.
    East Slavic records (Russian, Ukrainian, Belarusian, or Cyrillic script in a name) carry an
    inherited surname, so a different one speaks of another family, where elsewhere the family
    field often holds a father's or grandfather's name."""
    def holds(countries: list[str], script: str = ETHIOPIC) -> pl.Expr:
        flag = pl.lit(False)
        for column in ("nationality", "society"):
            if column in df.columns:
                flag = flag | pl.col(column).is_in(countries).fill_null(False)
        for column in (c for c in NAME_COLUMNS if c in df.columns):
            flag = flag | pl.col(column).str.contains(script).fill_null(False)
        return flag.cast(pl.Utf8).str.to_lowercase()

    return df.with_columns(holds(ETHIOPIAN_CALENDAR).alias(CALENDAR), holds(["ETH", "ERI", "SOM"]).alias(CHAIN),
                           holds(["RUS", "UKR", "BLR"], CYRILLIC).alias(SURNAME), identity(df).alias(IDENTITY))


def may_count_ethiopian(record: dict) -> bool:
    """`with_domain_flags`' Ethiopian-calendar flag of one record (its fields, or a row of a
    file): for the code of conduct, which reads one record at a time."""
    return (any(record.get(c) in ETHIOPIAN_CALENDAR for c in ("nationality", "society"))
            or any(re.search(ETHIOPIC, record.get(c) or "") for c in NAME_COLUMNS))


def identity(df: pl.DataFrame) -> pl.Expr:
    """SOCIETY:record_id, the name a record has across the Movement: the service holds its
    records under it, a society's file holds record_id beside its society column. Equal
    candidates are ordered by it, so a batch and the service order them alike."""
    if "society" not in df.columns:
        return pl.col("record_id").cast(pl.Utf8)
    prefix = pl.col("society").cast(pl.Utf8) + ":"
    rid = pl.col("record_id").cast(pl.Utf8)
    return pl.when(pl.col("society").is_null() | rid.str.starts_with(prefix)).then(rid).otherwise(prefix + rid)


def fields_with(extra: tuple[str, ...] = ()) -> Fields:
    """The interchange fields plus extra columns compared as strings (e.g. FEBRL's addresses).
    Refused (InputError on `--compare`): a column the engine reads already, which would be
    compared twice under one name (father_name crashed the model), a column named twice, a
    name ending in `_name`, which reads as a name comparison (rfl.link.is_name), and names rfl
    gives its own columns (`_name_chain`, `birth_place:written`), which would replace the user's."""
    read = [c for c in FIELDS.columns() if not c.startswith("_")]  # rfl's own columns are refused below
    made = [c.name for c in Comparer.of(Vocab(), FIELDS).comparisons]  # a comparison's columns carry its name
    taken = {*read, *made}
    for at, column in enumerate(extra):
        if not column.strip() or column.startswith("_") or ":" in column:  # rfl's own columns: _identity, birth_place:written
            raise InputError("--compare", f"{column!r} cannot be compared: give a column's name, not empty, not "
                                          "starting with _ and without :, which rfl keeps for its own columns")
        if column in taken:
            raise InputError("--compare", f"{column} is read by rfl already (it reads {', '.join(sorted(taken))}); "
                                          "give only other columns")
        if column in extra[:at]:
            raise InputError("--compare", f"{column} is given twice")
        if column.endswith("_name"):
            raise InputError("--compare", f"{column}: rfl keeps column names ending in _name for its own name "
                                          "comparisons; rename the column in both files (e.g. without _name)")
    return Fields(**{**FIELDS.__dict__, "fuzzy": FIELDS.fuzzy + tuple(extra)})
