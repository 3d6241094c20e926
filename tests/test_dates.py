"""Birth-date evidence: each phenomenon of domain.md gets the level it deserves."""

import numpy as np
import polars as pl
import pytest

from matching import dates


def level(a: dict, b: dict) -> int:
    frame = pl.DataFrame([a, b], schema={"birth_date": pl.Utf8, "age": pl.Utf8, "recorded_on": pl.Utf8})
    parsed = frame.select(dates.parse(pl.col("birth_date"), pl.col("age"), pl.col("recorded_on")))
    arrays = {c: parsed[c].cast(pl.Float64).fill_null(np.nan).to_numpy() for c in parsed.columns}
    return int(dates.compare({k: v[:1] for k, v in arrays.items()}, {k: v[1:] for k, v in arrays.items()})[0])


@pytest.mark.parametrize("a, b, expected", [
    ({"birth_date": "1990-05-17"}, {"birth_date": "1990-05-17"}, dates.EXACT),
    ({"birth_date": "1990-05-17"}, {"birth_date": "1990-05"}, dates.MONTH),
    ({"birth_date": "1990-05-07"}, {"birth_date": "1990-07-05"}, dates.SWAP),
    ({"birth_date": "1990-05-17"}, {"birth_date": "1990"}, dates.YEAR),
    # 1 January is a placeholder for "year only", not evidence of a different day.
    ({"birth_date": "1990-05-17"}, {"birth_date": "1990-01-01"}, dates.YEAR),
    ({"birth_date": "1990-05-17"}, {"birth_date": "1990-09-02"}, dates.YEAR_ONLY),
    ({"birth_date": "1990-05-17"}, {"birth_date": "1991-05-18"}, dates.NEAR),
    # the same day and month under a year miscounted
    ({"birth_date": "1990-05-17"}, {"birth_date": "1991-05-17"}, dates.ONE_OFF),
    ({"birth_date": "1969-05-17"}, {"birth_date": "1970-05-17"}, dates.ONE_OFF),
    ({"birth_date": "1990-05-17"}, {"birth_date": "1992-05-17"}, dates.FEW),
    ({"birth_date": "1975-05-17"}, {"birth_date": "1985-05-17"}, dates.OTHER),
    ({"birth_date": "1990-05-17"}, {"birth_date": "1991-05"}, dates.NEAR),
    ({"birth_date": "1990-05-17"}, {"birth_date": "1991"}, dates.NEAR),
    ({"birth_date": "1990-05-17"}, {"birth_date": "1991-01-01"}, dates.NEAR),  # a placeholder day
    ({"birth_date": "1990-05-17"}, {"birth_date": "1986"}, dates.FEW),
    # Estimated age 33 on 2024-03-01: born 1990 or 1991.
    ({"birth_date": "1990-05-17"}, {"age": "33", "recorded_on": "2024-03-01"}, dates.AGE),
    ({"birth_date": "1990-05-17"}, {"age": "30-40", "recorded_on": "2024-03-01"}, dates.AGE),
    ({"birth_date": "1990-05-17"}, {"age": "50", "recorded_on": "2024-03-01"}, dates.OTHER),
    ({"birth_date": "1990-05-17"}, {"birth_date": "1982"}, dates.OTHER),
    ({"birth_date": "1990-05-17"}, {"birth_date": "1975-05-17"}, dates.OTHER),
    ({"birth_date": "1990-05-17"}, {}, dates.MISSING),
    ({"age": "33"}, {"birth_date": "1990"}, dates.MISSING),  # an age without its date is no evidence
])
def test_levels(a, b, expected):
    assert level(a, b) == expected
    assert level(b, a) == expected  # symmetric


def test_ethiopian_offset_only_where_the_calendar_may_apply():
    a = {"birth_year_lo": np.array([1990.0, 1990.0]), "birth_year_hi": np.array([1990.0, 1990.0]),
         "birth_month": np.array([np.nan, np.nan]), "birth_day": np.array([np.nan, np.nan])}
    b = {**a, "birth_year_lo": np.array([1982.0, 1982.0]), "birth_year_hi": np.array([1982.0, 1982.0])}
    levels = dates.compare(a, b, calendar_offset=np.array([True, False]))
    assert levels.tolist() == [dates.ETHIOPIAN, dates.OTHER]


def test_full_days_need_year_month_and_day():
    d = {"birth_year_lo": np.array([1990.0, 1990.0, 1990.0, 1990.0]),
         "birth_year_hi": np.array([1990.0, 1990.0, 1991.0, 1990.0]),
         "birth_month": np.array([5.0, np.nan, 5.0, 5.0]),
         "birth_day": np.array([17.0, 17.0, 17.0, np.nan])}
    rows, day = dates.full_days(d)
    assert rows.tolist() == [0] and day.tolist() == [19900517]  # no day number made of a missing month


@pytest.mark.parametrize("written, latest", [
    ("2008", "2008-12-31"), ("2008-01-01", "2008-12-31"),  # the placeholder is read as the year alone
    ("2008-01", "2008-01-31"), ("2008-02", "2008-02-29"), ("2008-12", "2008-12-31"),
    ("2008-01-02", "2008-01-02"), ("2008-07-15", "2008-07-15"),
])
def test_latest_day_a_birth_date_may_stand_for(written, latest):
    assert dates.latest_day(written).isoformat() == latest


def test_latest_day_of_a_day_that_cannot_exist_is_an_error():
    with pytest.raises(ValueError):
        dates.latest_day("2001-02-30")


def test_far_apart_is_what_compare_calls_other():
    rng = np.random.default_rng(4)
    n = 5000
    def side():
        lo = rng.integers(1940, 2020, n).astype(float)
        hi = lo + rng.integers(0, 3, n)
        lo[rng.random(n) < 0.1] = np.nan
        hi[np.isnan(lo)] = np.nan
        month, day = rng.integers(1, 13, n).astype(float), rng.integers(1, 29, n).astype(float)
        return {"birth_year_lo": lo, "birth_year_hi": hi, "birth_month": month, "birth_day": day}
    a, b = side(), side()
    calendar = rng.random(n) < 0.3
    want = dates.compare(a, b, calendar) == dates.OTHER
    with np.errstate(invalid="ignore"):  # the compiled loop may compare NaN lanes it then discards
        got = dates.far_apart(a["birth_year_lo"], a["birth_year_hi"], b["birth_year_lo"], b["birth_year_hi"], calendar)
    assert want.any() and (got == want).all()
