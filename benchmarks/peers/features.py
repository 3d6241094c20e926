"""The cleaning a competent user does before handing records to a peer library.

Both peers get the same prepared columns, built the way their documentation suggests: names
lower-cased with accents and punctuation removed, phonetic codes of the first given name and of
the family name for blocking, and a birth year (from the birth date, or estimated from age and
the day the record was made) and a birth day (a full date that is not the 1 January
placeholder the record schema warns about). No RFL-specific name knowledge goes in: the peers are measured as
a capable analyst would set them up, not as a copy of our engine.

Phonetic codes are computed once per distinct name, then joined back.
"""

from __future__ import annotations

import jellyfish
import polars as pl

# Interchange columns the peers compare, by kind.
NAME_FIELDS = ("given_names", "family_name", "father_name", "mother_name")
CATEGORY_FIELDS = ("sex", "nationality")
PLACE_FIELDS = ("birth_place",)
# Extra columns of FEBRL, by kind; other extra columns are ignored (their meaning is unknown).
EXTRA_TEXT = ("address_1", "address_2", "suburb")
EXTRA_CODES = ("soc_sec_id", "postcode", "street_number")
EXTRA_CATEGORIES = ("state",)


def clean_text(column: str) -> pl.Expr:
    """Lower case, accents stripped, anything but letters and digits turned into single spaces."""
    return (
        pl.col(column).cast(pl.Utf8).str.normalize("NFKD").str.replace_all(r"\p{M}", "")
        .str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}]+", " ").str.strip_chars()
        .replace("", None)
    )


def _phonetic(values: pl.Series, code) -> pl.Series:
    distinct = values.drop_nulls().unique()
    table = dict(zip(distinct.to_list(), (code(v) or None for v in distinct.to_list())))
    return values.replace_strict(table, default=None, return_dtype=pl.Utf8)


def _birth_year() -> pl.Expr:
    """Year of birth_date; else the year recorded_on minus the (midpoint of the) estimated age."""
    ages = pl.col("age").str.split("-").list.eval(pl.element().cast(pl.Int64, strict=False)).list.mean()
    estimated = pl.col("recorded_on").str.slice(0, 4).cast(pl.Int64, strict=False) - ages.round(0).cast(pl.Int64)
    return pl.coalesce(pl.col("birth_date").str.slice(0, 4).cast(pl.Int64, strict=False), estimated)


def _birth_day() -> pl.Expr:
    """A complete birth date that says more than the year: YYYY-01-01 is a placeholder for
    "year only" in the interchange schema, so it is not treated as a day."""
    date = pl.col("birth_date")
    return pl.when((date.str.len_chars() == 10) & ~date.str.ends_with("-01-01")).then(date).otherwise(None)


def present(frames: list[pl.DataFrame], columns) -> list[str]:
    """The columns that every frame has and every frame fills at least once."""
    return [c for c in columns if all(c in f.columns and f[c].null_count() < f.height for f in frames)]


def prepare(frame: pl.DataFrame) -> pl.DataFrame:
    """Prepared columns for the peers; record_id stays the key."""
    cleaned = frame.with_columns(
        *(clean_text(c).alias(c) for c in (*NAME_FIELDS, *PLACE_FIELDS, *EXTRA_TEXT) if c in frame.columns),
        *(pl.col(c).cast(pl.Utf8).str.replace_all(r"\s+", "").replace("", None).alias(c)
          for c in EXTRA_CODES if c in frame.columns),
        _birth_year().alias("birth_year"),
        _birth_day().alias("birth_day"),
    ).with_columns(
        pl.col("given_names").str.split(" ").list.first().alias("given_first"),
    )
    return cleaned.with_columns(
        _phonetic(cleaned["given_first"], jellyfish.soundex).alias("given_sdx"),
        _phonetic(cleaned["family_name"], jellyfish.soundex).alias("family_sdx"),
        _phonetic(cleaned["given_first"], jellyfish.metaphone).alias("given_mtp"),
        _phonetic(cleaned["family_name"], jellyfish.metaphone).alias("family_mtp"),
    )
