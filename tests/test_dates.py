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
    # a year given alone (often reckoned from an age) one off: a level of its own
    ({"birth_date": "1990-05-17"}, {"birth_date": "1991"}, dates.YEAR_NEAR),
    ({"birth_date": "1990-05-17"}, {"birth_date": "1991-01-01"}, dates.YEAR_NEAR),  # a placeholder day
    ({"birth_date": "1990"}, {"birth_date": "1989"}, dates.YEAR_NEAR),
    ({"birth_date": "1990-05-17"}, {"birth_date": "1986"}, dates.FEW),
    # Estimated age 33 on 2024-03-01: born 1990 or 1991.
    ({"birth_date": "1990-05-17"}, {"age": "33", "recorded_on": "2024-03-01"}, dates.AGE),
    ({"birth_date": "1990-05-17"}, {"age": "30-40", "recorded_on": "2024-03-01"}, dates.AGE),
    ({"birth_date": "1990-05-17"}, {"age": "50", "recorded_on": "2024-03-01"}, dates.OTHER),
    # a range too wide to say anything gives no year at all
    ({"birth_date": "1990-05-17"}, {"age": "0-999", "recorded_on": "2024-03-01"}, dates.MISSING),
    ({"birth_date": "1990-05-17"}, {"age": "10-40", "recorded_on": "2024-03-01"}, dates.AGE),
    # ... 30 on 2024-03-01: born 1993 or 1994, three years after a stated 1990; 25-28: 1995-1999
    ({"birth_date": "1990-05-17"}, {"age": "30", "recorded_on": "2024-03-01"}, dates.AGE_FEW),
    ({"birth_date": "1990"}, {"age": "25-28", "recorded_on": "2024-03-01"}, dates.AGE_FEW),
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


def test_the_last_years_in_the_ethiopian_calendar_are_the_latest_day_there_is():
    """9999 read in the Ethiopian calendar runs past the Gregorian year 9999: it overflowed, and
    the service answered 500 and rfl link a traceback. The latest day there is proves no adult."""
    from datetime import date

    from rfl.policy import is_minor

    assert dates.latest_day("9999", ethiopian=True) == dates.latest_day("9999-09-11", ethiopian=True) == date.max
    assert is_minor({"birth_date": "9999", "nationality": "ETH"}, date(2026, 12, 6))


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


def _days(n: int, seed: int = 1) -> list[str]:
    """n birth dates spread over 60 years, every day of the year alike."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("1950-01-01")
    return [str(start + int(d)) for d in rng.integers(0, 60 * 365, n)]


def test_a_file_of_real_birthdays_has_only_1_january_as_placeholder():
    assert dates.overused_days([pl.Series(_days(20_000))]) == ("01-01",)


def test_a_day_a_registry_writes_for_unknown_birthdays_is_learnt_from_its_file():
    # 8 % of one registry's records on 1 July; the other file has no such habit
    registry = pl.Series(_days(5_000) + [f"{1950 + i % 60}-07-01" for i in range(400)])
    assert dates.overused_days([pl.Series(_days(3_000, seed=2)), registry]) == ("01-01", "07-01")


@pytest.mark.parametrize("column", [
    ["1980-03-04"] * 19 + ["1981-05-05"],  # 19 twins of a small file: too few to call a habit
    ["1980", "1980-03", None, "garbage", "1980-02-30x"],  # no full date at all
    [],
])
def test_few_or_no_full_dates_add_no_placeholder(column):
    assert dates.overused_days([pl.Series(column, dtype=pl.Utf8)]) == ("01-01",)


def test_a_learnt_placeholder_is_read_as_the_year_alone():
    frame = pl.DataFrame({"b": ["1990-07-01", "1990-07-02"]})
    parsed = frame.select(dates.parse(pl.col("b"), placeholders=("01-01", "07-01")))
    assert parsed["birth_month"].to_list() == [None, 7] and parsed["birth_day"].to_list() == [None, 2]
    assert parsed["birth_year_lo"].to_list() == [1990, 1990]


@pytest.mark.parametrize("gregorian, ethiopian", [
    ("2023-09-13", "2016-01-02"),  # the year before a Gregorian leap year begins on 12 September
    ("2024-09-12", "2017-01-02"),
    ("1991-07-07", "1983-10-30"),
    ("2000-02-29", "1992-06-21"),
])
def test_a_day_written_in_the_ethiopian_calendar_is_the_same_day(gregorian, ethiopian):
    def parts(text):
        y, m, d = (np.array([float(x)]) for x in text.split("-"))
        return y, m, d
    assert dates.ethiopian_day(*parts(ethiopian))[0] == dates.gregorian_day(*parts(gregorian))[0]
    frame = pl.DataFrame({"b": [gregorian, ethiopian]})
    parsed = frame.select(dates.parse(pl.col("b")))
    arrays = {c: parsed[c].cast(pl.Float64).to_numpy() for c in parsed.columns}
    a, b = ({k: v[i:i + 1] for k, v in arrays.items()} for i in (0, 1))
    assert dates.compare(a, b, np.array([True]))[0] == dates.ETHIOPIAN_DAY
    assert dates.compare(b, a, np.array([True]))[0] == dates.ETHIOPIAN_DAY
    assert dates.compare(a, b, np.array([False]))[0] == dates.OTHER  # no calendar: eight years apart


@pytest.mark.parametrize("ethiopian, gregorian, expected", [
    ("1983", "1991-07-07", "ETHIOPIAN"),  # July is eight years after its Ethiopian year
    ("1983", "1990-11-20", "ETHIOPIAN"),  # ... November seven
    ("1983", "1990-07-07", "ETHIOPIAN_OFF"),  # seven years before a July
    ("1983-02", "1991", "ETHIOPIAN_OFF"),  # Tikimt falls seven years later, not eight
    ("1983-11", "1991", "ETHIOPIAN"),  # Hamle, eight
    ("1983-04", "1990", "ETHIOPIAN"),  # Tahsas straddles the Gregorian new year: either
    ("1983", "1991", "ETHIOPIAN"),  # no month: either
    ("1982", "1991", "ETHIOPIAN_OFF"),  # nine years: not as the calendars count
    ("1984", "1990", "ETHIOPIAN_OFF"),  # six
])
def test_years_apart_as_the_ethiopian_calendar_counts_or_not(ethiopian, gregorian, expected):
    frame = pl.DataFrame({"b": [ethiopian, gregorian]})
    parsed = frame.select(dates.parse(pl.col("b")))
    arrays = {c: parsed[c].cast(pl.Float64).to_numpy() for c in parsed.columns}
    a, b = ({k: v[i:i + 1] for k, v in arrays.items()} for i in (0, 1))
    for first, second in ((a, b), (b, a)):
        assert dates.compare(first, second, np.array([True]))[0] == getattr(dates, expected)
        assert dates.compare(first, second, np.array([False]))[0] == dates.OTHER


def test_a_day_off_in_the_ethiopian_calendar_is_only_the_years_offset():
    frame = pl.DataFrame({"b": ["1991-07-07", "1983-10-29"]})
    parsed = frame.select(dates.parse(pl.col("b")))
    arrays = {c: parsed[c].cast(pl.Float64).to_numpy() for c in parsed.columns}
    a, b = ({k: v[i:i + 1] for k, v in arrays.items()} for i in (0, 1))
    assert dates.compare(a, b, np.array([True]))[0] == dates.ETHIOPIAN



@pytest.mark.parametrize("gregorian, ethiopian", [
    ("1991-02-30", "1983-06-23"),  # no 30 February: it would convert to 2 March, which is 23 Yekatit
    ("1991-02-29", "1983-06-22"),  # 1991 is no leap year
])
def test_a_day_no_calendar_has_meets_no_day(gregorian, ethiopian):
    def parts(text):
        return tuple(np.array([float(x)]) for x in text.split("-"))
    assert np.isnan(dates.gregorian_day(*parts(gregorian))[0])
    assert np.isnan(dates.ethiopian_day(*parts("1982-13-06"))[0])  # 1982 EC's thirteenth month has 5 days
    assert dates.ethiopian_day(*parts("1983-13-06"))[0] == dates.gregorian_day(*parts("1991-09-11"))[0]
    frame = pl.DataFrame({"b": [gregorian, ethiopian]})
    parsed = frame.select(dates.parse(pl.col("b")))
    arrays = {c: parsed[c].cast(pl.Float64).to_numpy() for c in parsed.columns}
    a, b = ({k: v[i:i + 1] for k, v in arrays.items()} for i in (0, 1))
    assert dates.compare(a, b, np.array([True]))[0] == dates.ETHIOPIAN


def test_a_last_contact_date_stands_for_its_first_day():
    days = pl.select(dates.first_day(pl.Series(["2018", " 2018-05", "2018-05-17 ", "2018-13", "soon", None, "1899",
                                                "2080"]))).to_series()
    first = [(np.datetime64(d) - np.datetime64("1970-01-01")).astype(int)
             for d in ("2018-01-01", "2018-05-01", "2018-05-17")]
    assert days.to_list()[:3] == first and days.to_list()[3:] == [None] * 5  # no record was made before 1900


def test_a_found_record_is_placed_against_the_last_contact():
    """Made on or after the first day the last contact may have been: after; up to a year before
    (a last contact remembered to the year): shortly before; further: long before."""
    contact = np.array([100.0, 100.0, 100.0, 100.0, 100.0, np.nan, 100.0])
    recorded = np.array([100.0, 400.0, 99.0, 100.0 - dates.CONTACT_SLACK_DAYS, 101.0 - dates.CONTACT_SLACK_DAYS, 50.0,
                         np.nan])
    assert dates.after_contact(contact, recorded).tolist() == [
        dates.AFTER_CONTACT, dates.AFTER_CONTACT, dates.SHORTLY_BEFORE, dates.LONG_BEFORE, dates.SHORTLY_BEFORE,
        dates.MISSING, dates.MISSING]
