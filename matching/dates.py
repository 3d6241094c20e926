"""Birth dates as evidence: partial dates, estimated ages, placeholders, swaps, the Ethiopian calendar.

A record's birth information becomes a year interval plus, where truly known, month and day.
A `YYYY-01-01` date is treated as year-only (two thirds of one camp was registered on 1 January),
and so is any other day and month the linked files use far more than birthdays fall on one day
(`overused_days`: a registry that writes unknown birthdays as 1 July); an age `a` or `a-b`
estimated on `recorded_on` becomes the interval of years it allows.
Comparison yields ordered levels so the model learns how much each kind of agreement is worth.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

import numba
import numpy as np
import polars as pl

# Comparison levels, strongest last; MISSING means no evidence either way.
EXACT, MONTH, ETHIOPIAN_DAY, SWAP, ONE_OFF, YEAR, YEAR_ONLY, YEAR_NEAR, NEAR, AGE, AGE_FEW, FEW, ETHIOPIAN, \
    ETHIOPIAN_OFF, OTHER = 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0
MISSING = -1
LEVELS = {
    EXACT: "same full date", MONTH: "same year and month",
    ETHIOPIAN_DAY: "the same day, one side in the Ethiopian calendar", SWAP: "day and month swapped",
    ONE_OFF: "same day and month, years one apart",
    YEAR: "same year, a year given alone", YEAR_ONLY: "same year, month differs",
    YEAR_NEAR: "years one apart, a year given alone",
    NEAR: "years one apart", AGE: "within the years an estimated age allows",
    AGE_FEW: "2-5 years outside the years an estimated age allows", FEW: "2-5 years apart",
    ETHIOPIAN: "7-8 years apart where the Ethiopian calendar may apply",
    ETHIOPIAN_OFF: "6-9 years apart where the Ethiopian calendar may apply, not as it counts", OTHER: "far apart",
}
ETHIOPIAN_EPOCH = 2796.0  # the proleptic Gregorian ordinal of 1 Meskerem, year 1 (Calendrical Calculations)
# Chains of levels whose weights may only rise (weakest first): a year further off is never
# better evidence than a nearer one, an estimated age or a year alone never better than a stated
# one, and nothing better than the same full date. "Same year, month differs" is on no chain
# below the same month: both give a month and they differ, which namesakes born in one year do
# far more often than one person's records (m20k: -7.1 bits, against -2.4 one year apart;
# held above "one year apart", the two pooled at -2.8 and namesakes gained 4 bits). The same
# day and month one year apart is never weaker evidence than years one apart alone; an estimated
# age a few years off is never better than one that allows the year; a year given alone one off
# is never better than the same year, nor worse than a few years off. Years 7-8 apart where the
# Ethiopian calendar may apply are at best the same year read in the other calendar, so never
# better than the same year: where an enquiry's namesakes far outnumber its person (Eritrean and
# Ethiopian records at 100,000 x 400,000, independent), EM took the many namesakes 7-8 years
# apart for matches and weighed them +3.0 bits, against "same year" +0.7 (-0.1 and +1.5 with
# labels).
ORDER = ((OTHER, FEW, NEAR, MONTH, EXACT), (YEAR_ONLY, MONTH), (FEW, AGE, YEAR, EXACT), (OTHER, AGE_FEW, AGE, YEAR, EXACT),
         (FEW, YEAR_NEAR, YEAR, EXACT),
         (ETHIOPIAN_OFF, ETHIOPIAN, ETHIOPIAN_DAY, EXACT), (ETHIOPIAN, YEAR),
         (SWAP, EXACT), (NEAR, ONE_OFF, EXACT))


PLACEHOLDER_DAYS = ("01-01",)  # read as "the year only" in every file
WIDEST_AGE_RANGE = 30  # years between an age range's ends beyond which it says nothing
# A day and month is a placeholder in a file where it holds OVERUSED times the birthdays of the
# file's median day, and at least OVERUSED_MIN of them. Real birthdays vary by season within a
# fifth or so; a registry's stand-in for "unknown" holds several per cent of its records (on
# 1 January, two thirds of one camp), so the rule needs no tuning between the two.
OVERUSED, OVERUSED_MIN = 5, 20
_FULL_DATE = r"^\d{4}-\d{2}-\d{2}$"


def overused_days(birth_dates: Iterable[pl.Series]) -> tuple[str, ...]:
    """The days and months ("MM-DD") to read as placeholders in these files' birth dates (one
    column per file, text as the interchange writes it): PLACEHOLDER_DAYS, and each day any one
    file gives far more often than birthdays fall on one day. A file is counted on its own,
    since each registry has its own habit."""
    days = set(PLACEHOLDER_DAYS)
    for column in birth_dates:
        text = column.cast(pl.Utf8).drop_nulls()
        counts = text.filter(text.str.contains(_FULL_DATE)).str.slice(5, 5).value_counts()
        if counts.height == 0:
            continue
        per_day = counts["count"].to_numpy()
        # the median day of the 366 a birthday may fall on, days no one was born on counted as 0
        typical = float(sorted(per_day.tolist() + [0] * max(366 - len(per_day), 0))[183])
        floor = max(OVERUSED * typical, OVERUSED_MIN)
        days.update(d for d, n in counts.iter_rows() if n >= floor and _real_day(d))
    return tuple(sorted(days))


def _real_day(day: str) -> bool:
    """Whether "MM-DD" names a day of some year (29 February counts)."""
    try:
        date(2000, int(day[:2]), int(day[3:]))
    except ValueError:
        return False
    return True


def placeholder_days_valid(days) -> bool:
    """Whether `days` (read from a saved model) is a list of real "MM-DD" days holding 01-01."""
    return (isinstance(days, (list, tuple)) and all(isinstance(d, str) and re.fullmatch(r"[0-9]{2}-[0-9]{2}", d)
                                                   and _real_day(d) for d in days)
            and set(PLACEHOLDER_DAYS) <= set(days))


def is_placeholder(birth_date: pl.Expr, placeholders: Iterable[str] = PLACEHOLDER_DAYS) -> pl.Expr:
    """Whether each birth date (text) is a full date whose day and month ("MM-DD") is one of
    `placeholders`: what `parse` reads as the year alone, and the code of conduct's check of
    minors too (rfl.policy)."""
    return birth_date.str.contains(_FULL_DATE).fill_null(False) & birth_date.str.slice(5, 5).is_in(list(placeholders))


def parse(birth_date: pl.Expr, age: pl.Expr | None = None, recorded_on: pl.Expr | None = None,
          placeholders: Iterable[str] = PLACEHOLDER_DAYS) -> list[pl.Expr]:
    """Expressions for birth_year_lo/hi, birth_month, birth_day (nullable Int16); a full date
    whose day and month is one of `placeholders` ("MM-DD") gives its year only."""
    year = birth_date.str.slice(0, 4).cast(pl.Int16, strict=False)
    month = birth_date.str.slice(5, 2).cast(pl.Int16, strict=False)
    day = birth_date.str.slice(8, 2).cast(pl.Int16, strict=False)
    placeholder = is_placeholder(birth_date, placeholders)
    month = pl.when(placeholder).then(None).otherwise(month)
    day = pl.when(placeholder).then(None).otherwise(day)
    lo, hi = year, year
    if age is not None and recorded_on is not None:
        seen = recorded_on.str.slice(0, 4).cast(pl.Int16, strict=False)
        age_lo = age.str.extract(r"^(\d+)", 1).cast(pl.Int16, strict=False)
        age_hi = pl.coalesce(age.str.extract(r"-(\d+)$", 1).cast(pl.Int16, strict=False), age_lo)
        # Someone aged a on day d was born in year(d) - a or year(d) - a - 1. A range wider than
        # WIDEST_AGE_RANGE years (0-999) says nothing: no birth year, not one every date agrees with.
        age_hi = pl.when(age_hi - age_lo <= WIDEST_AGE_RANGE).then(age_hi)
        lo = pl.coalesce(year, seen - age_hi - 1)
        hi = pl.coalesce(year, seen - pl.when(age_hi.is_not_null()).then(age_lo))
    return [lo.alias("birth_year_lo"), hi.alias("birth_year_hi"),
            month.alias("birth_month"), day.alias("birth_day")]


# Days from 1970 of 1900-01-01 and 2079-06-05: the span a day is read in (from 1900, below 0xFFFF)
FIRST_DAY, LAST_DAY = -25_567, 39_967


def first_day(text: pl.Expr) -> pl.Expr:
    """Days since 1970-01-01 (Float64, null where unreadable) of the first day a `YYYY`,
    `YYYY-MM` or `YYYY-MM-DD` date may stand for: 2018 is 1 January 2018, 2018-05 1 May. A day
    before 1900 or after 2079 is null: no record of the people traced was made then, and the
    blocking shortlist holds days from 1900 in 16 bits (matching.prepare.pack)."""
    text = text.str.strip_chars()
    padded = pl.when(text.str.len_chars() == 4).then(text + "-01-01").when(text.str.len_chars() == 7).then(
        text + "-01").otherwise(text)
    day = padded.str.to_date("%Y-%m-%d", strict=False).cast(pl.Int32)
    return pl.when(day.is_between(FIRST_DAY, LAST_DAY)).then(day).cast(pl.Float64)


# Levels of a found record's date against an enquiry's last contact (`after_contact`), strongest last.
LONG_BEFORE, SHORTLY_BEFORE, AFTER_CONTACT = 0, 1, 2
CONTACT_LEVELS = ("made a year or more before", "made within a year before", "made after")
# A last contact remembered to the year is easily a year off; further before, the found record
# describes someone the family still heard from after it was made.
CONTACT_SLACK_DAYS = 365


def after_contact(last_contact: np.ndarray, recorded: np.ndarray) -> np.ndarray:
    """Level per aligned pair of an enquiry's last contact (the first day its date may stand for)
    and the day a found record was made, both in days since 1970 (NaN unknown: MISSING)."""
    gap = recorded - last_contact
    level = np.select([gap >= 0, gap > -CONTACT_SLACK_DAYS], [AFTER_CONTACT, SHORTLY_BEFORE], LONG_BEFORE)
    return np.where(np.isnan(gap), MISSING, level).astype(np.int8)


def latest_day(birth_date: str, ethiopian: bool = False) -> date:
    """The last day a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` birth date may stand for, read as `parse`
    reads every file: `YYYY-01-01` is the year-only placeholder, so `2008-01-01` may be 31 December
    2008 (a file's other over-used days are learnt only when files are linked). With `ethiopian`
    (a record that may count in the Ethiopian calendar) the later of that and the Gregorian day
    it stands for read in the Ethiopian calendar: `2003-05-10` is 18 January 2011, `2003` may be
    10 September 2011. For a caller that must assume the youngest the person could be; raises
    ValueError for a day that cannot exist in the Gregorian calendar (`2001-02-30`)."""
    year, month, day = ([int(p) for p in birth_date.split("-")] + [None, None])[:3]
    if month is None or (month, day) == (1, 1):
        latest, (month, day) = date(year, 12, 31), (13, 6 if year % 4 == 3 else 5)
    elif day is None:
        latest, day = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1), 30
    else:
        latest = date(year, month, day)
    if not ethiopian:
        return latest
    days = ethiopian_day(float(year), float(month), float(day))
    try:
        return latest if np.isnan(days) else max(latest, date(1970, 1, 1) + timedelta(days=int(days)))
    except OverflowError:  # the year 9999 read in the Ethiopian calendar: beyond any date, so no adult
        return date.max


def full_days(d: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose birth day is fully known (year, month and day), and that day as YYYYMMDD."""
    known = ~np.isnan(d["birth_day"]) & ~np.isnan(d["birth_month"]) & (d["birth_year_lo"] == d["birth_year_hi"])
    rows = np.nonzero(known)[0]
    day = d["birth_year_lo"][rows] * 10000 + d["birth_month"][rows] * 100 + d["birth_day"][rows]
    return rows, day.astype(np.int64)


def _gap(alo: np.ndarray, ahi: np.ndarray, blo: np.ndarray, bhi: np.ndarray) -> np.ndarray:
    """Years between two year intervals, 0 where they overlap (NaN where one is unknown)."""
    with np.errstate(invalid="ignore"):
        return np.maximum(np.maximum(alo - bhi, blo - ahi), 0)


@numba.njit(cache=True)
def far_apart_one(alo: float, ahi: float, blo: float, bhi: float, calendar_offset: bool) -> bool:
    """`far_apart` of one pair, for compiled loops (blocking asks it of every row a record's
    keys reach)."""
    if np.isnan(alo) or np.isnan(ahi) or np.isnan(blo) or np.isnan(bhi):
        return False
    gap = max(alo - bhi, blo - ahi, 0.0)
    return gap > 5 and not (calendar_offset and gap <= 9)


@numba.vectorize(["b1(f8, f8, f8, f8, b1)"], cache=True)
def far_apart(alo, ahi, blo, bhi, calendar_offset):
    """The pairs `compare` puts at OTHER (both years known, further apart than any habit
    explains), from the year intervals alone, element by element."""
    return far_apart_one(alo, ahi, blo, bhi, calendar_offset)


def compare(a: dict[str, np.ndarray], b: dict[str, np.ndarray], calendar_offset: np.ndarray | None = None) -> np.ndarray:
    """Level per aligned pair from arrays of birth_year_lo/hi, birth_month, birth_day (NaN = unknown).

    `calendar_offset` marks pairs where one side may count years in the Ethiopian calendar;
    elsewhere a 7-8 year gap is just a different person. There, two full dates that are one day
    read in the two calendars (7 July 1991, 30 Hamle 1983) are a level of their own: at 100,000 x
    500,000 generated, 1,094 true pairs, weighed as "7-8 years apart" before."""
    alo, ahi, am, ad = (a[k] for k in ("birth_year_lo", "birth_year_hi", "birth_month", "birth_day"))
    blo, bhi, bm, bd = (b[k] for k in ("birth_year_lo", "birth_year_hi", "birth_month", "birth_day"))
    level = np.full(len(alo), OTHER, dtype=np.int8)
    gap = _gap(alo, ahi, blo, bhi)
    with np.errstate(invalid="ignore"):
        stated = (alo == ahi) & (blo == bhi)
        if calendar_offset is not None:
            ethiopian = (gap >= 6) & (gap <= 9) & calendar_offset
            level[ethiopian] = ETHIOPIAN
            level[ethiopian & stated & ~_as_calendars_count(gap, alo < blo, am, bm)] = ETHIOPIAN_OFF
        # An estimated age is often a few years off (ages are rounded, guessed for the old and
        # for children): among candidate pairs 2-5 years apart, one person in 0.5 % where one
        # side gives an age, in 0.004 % where both state a year (100,000 x 500,000 generated;
        # 0.46 % and 0.006 % on an independently generated 20,000 x 80,000). One level, the
        # stated years' millions of namesakes set its weight and the age's true pairs lost 2 bits.
        level[gap <= 5] = np.where(stated, FEW, AGE_FEW)[gap <= 5]
        # An estimated age allows a span of years, so falling inside it says less than two
        # stated years one apart: a level of its own, weighed by the data.
        level[gap <= 1] = np.where(stated, NEAR, AGE)[gap <= 1]
        # A year given alone (a placeholder day, a year written without its day) is often a year
        # reckoned from an age, and so one off more often than two full dates are: its own level.
        level[stated & (gap == 1) & (np.isnan(am) | np.isnan(bm))] = YEAR_NEAR
        exact_years = stated & (alo == blo)
        level[exact_years] = YEAR
        both_months = ~np.isnan(am) & ~np.isnan(bm)
        level[exact_years & both_months] = YEAR_ONLY
        same_month = exact_years & (am == bm)
        level[same_month] = MONTH
        level[exact_years & (am == bd) & (ad == bm) & (am != ad)] = SWAP
        level[same_month & (ad == bd)] = EXACT
        # The same day and month one year apart: a year miscounted (from an age, or across the
        # new year). At 100,000 x 500,000 generated records, 1,566 of the 2,979 candidate pairs
        # one year apart with the same day and month were one person, 78 of the 521,554
        # without; read as years one apart, they all weighed -4 bits. Years further apart
        # under the same day and month (a digit mistyped) were one person in 26 of 1,937 pairs:
        # those stay with their gap.
        level[stated & (gap == 1) & both_months & (am == bm) & (ad == bd)] = ONE_OFF
        if calendar_offset is not None:
            # One side's full date written in the Ethiopian calendar, the other's in the
            # Gregorian: the year alone is 7-8 apart, the day converted is the same day.
            full = stated & ethiopian & both_months & ~np.isnan(ad) & ~np.isnan(bd)
            a_day, b_day = gregorian_day(alo, am, ad), gregorian_day(blo, bm, bd)
            level[full & ((ethiopian_day(alo, am, ad) == b_day) | (ethiopian_day(blo, bm, bd) == a_day))] = ETHIOPIAN_DAY
    level[np.isnan(alo) | np.isnan(blo)] = MISSING
    return level


def _as_calendars_count(gap: np.ndarray, a_first: np.ndarray, am: np.ndarray, bm: np.ndarray) -> np.ndarray:
    """Whether two stated birth years `gap` apart (6-9; `a_first` where the first is the earlier,
    months `am`, `bm`, NaN unknown) are as far apart as one year counted in the Ethiopian
    calendar and the Gregorian: 7 or 8 years, and, where a month is given, the one its month says.
    An Ethiopian year begins on 11 September: its months 1-3 fall 7 years later in the Gregorian
    count, 5-13 eight (month 4, Tahsas, straddles the new year); a Gregorian date from January to
    August is 8 years after its Ethiopian year, October to December 7 (September straddles).
    Either side may be the Ethiopian one, so the earlier year is read as Ethiopian and the later as
    Gregorian; estimated years (ranges) are not judged (`compare` asks of stated years only). At
    100,000 x 500,000 generated, among candidate pairs 6-9 years apart where the calendar may
    apply, 3.7 % of those so apart were one person, 0.6 % of those whose months said another gap,
    0.13-0.4 % of those 6 or 9 apart."""
    early_month, late_month = np.where(a_first, am, bm), np.where(a_first, bm, am)
    by_late = np.where(late_month <= 8, 8.0, np.where(late_month >= 10, 7.0, np.nan))  # NaN: either
    by_early = np.where(early_month <= 3, 7.0, np.where(early_month >= 5, 8.0, np.nan))

    def allows(expected: np.ndarray, month: np.ndarray) -> np.ndarray:
        return ~np.isnan(month) & ((expected == gap) | (np.isnan(expected) & ((gap == 7) | (gap == 8))))

    no_month = np.isnan(am) & np.isnan(bm)
    return ((gap == 7) | (gap == 8)) & (no_month | allows(by_late, late_month) | allows(by_early, early_month))


@numba.njit(cache=True)
def _month_days(year: float, month: float) -> float:
    """Days of a Gregorian month (1-12)."""
    if month == 2.0:
        leap = (year % 4.0 == 0.0 and year % 100.0 != 0.0) or year % 400.0 == 0.0
        return 29.0 if leap else 28.0
    return 30.0 if month in (4.0, 6.0, 9.0, 11.0) else 31.0


@numba.vectorize(["f8(f8, f8, f8)"], cache=True)
def gregorian_day(year, month, day):
    """Days since 1970-01-01 of a Gregorian date (NaN where any part is), by the days-from-civil
    arithmetic: March-based years, so a leap day falls at a year's end. Element by element, and
    callable from compiled loops (blocking's shortlist)."""
    if not (1.0 <= month <= 12.0 and 1.0 <= day <= _month_days(year, month)):
        return np.nan  # a day no Gregorian year has (30 February) meets no day
    y = year - 1.0 if month <= 2.0 else year
    era = np.floor(y / 400.0)
    of_era = y - era * 400.0
    of_year = np.floor((153.0 * ((month + 9.0) % 12.0) + 2.0) / 5.0) + day - 1.0
    return era * 146097.0 + of_era * 365.0 + np.floor(of_era / 4.0) - np.floor(of_era / 100.0) + of_year - 719468.0


@numba.vectorize(["f8(f8, f8, f8)"], cache=True)
def ethiopian_day(year, month, day):
    """Days since 1970-01-01 of a date in the Ethiopian calendar: twelve months of 30 days and a
    thirteenth of 5 (6 before a year divisible by 4), the year beginning on 11 or 12 September.
    NaN for a day the calendar does not have (a 31st, a 7th of the thirteenth month)."""
    last = 30.0 if month <= 12.0 else 6.0 if year % 4.0 == 3.0 else 5.0
    if not (1.0 <= month <= 13.0 and 1.0 <= day <= last):
        return np.nan
    return ETHIOPIAN_EPOCH - 1.0 + 365.0 * (year - 1.0) + np.floor(year / 4.0) + 30.0 * (month - 1.0) + day - 719163.0
