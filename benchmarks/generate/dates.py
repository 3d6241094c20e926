"""Dates as officers record them: partial, estimated, placeholders, swapped, off by one, Ethiopian.

All work is on numpy arrays of days (datetime64[D]) and integer year/month/day columns, so a
million dates take milliseconds. `written_birth_dates` returns the text of the `birth_date` and
`age` columns and, per record, which distortion was applied.
"""

from __future__ import annotations

import numpy as np

DAY = np.timedelta64(1, "D")


def ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split datetime64[D] into integer year, month, day arrays."""
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    return (years.astype(int) + 1970, (months - years).astype(int) + 1, (days - months).astype(int) + 1)


def from_ymd(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    months = (np.asarray(y) - 1970) * 12 + np.asarray(m) - 1
    return months.astype("datetime64[M]").astype("datetime64[D]") + (np.asarray(d) - 1) * DAY


def to_ethiopian(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gregorian → Ethiopian (year, month 1–13, day). The Ethiopian year starts on 11 September
    (12 September before a Gregorian leap year) and runs 7–8 years behind; months have 30 days
    and the 13th (Pagume) 5 or 6."""
    days = from_ymd(y, m, d)

    def new_year(year):
        day = np.where((year + 1) % 4 == 0, 12, 11)
        return from_ymd(year, np.full_like(year, 9), day)

    this = new_year(y)
    after = days >= this
    start = np.where(after, this, new_year(y - 1))
    offset = (days - start).astype(int)
    return np.where(after, y - 7, y - 8), offset // 30 + 1, offset % 30 + 1


def _pad(values: np.ndarray, width: int) -> np.ndarray:
    return np.char.zfill(values.astype(str), width)


def written_birth_dates(rng: np.random.Generator, birth: np.ndarray, recorded: np.ndarray,
                        ethiopian_eligible: np.ndarray, rates) -> tuple[np.ndarray, np.ndarray, dict]:
    """Text of `birth_date` and `age` per record, and the records each distortion touched."""
    n = len(birth)
    y, m, d = ymd(birth)
    u = rng.random(n)
    cuts = np.cumsum([rates.date_missing, rates.age_only, rates.partial_date, rates.placeholder_jan1])
    missing, age_only = u < cuts[0], (u >= cuts[0]) & (u < cuts[1])
    partial, placeholder = (u >= cuts[1]) & (u < cuts[2]), (u >= cuts[2]) & (u < cuts[3])
    full = u >= cuts[3]
    dated = ~(missing | age_only)

    off = dated & (rng.random(n) < rates.year_off_by_one)
    y = y + np.where(off, rng.choice([-1, 1], size=n), 0)
    d = np.where(off & (m == 2) & (d == 29), 28, d)

    ethiopian = dated & ethiopian_eligible & (rng.random(n) < rates.ethiopian_calendar)
    ey, em, ed = to_ethiopian(y, m, d)
    y, m, d = np.where(ethiopian, ey, y), np.where(ethiopian, em, m), np.where(ethiopian, ed, d)
    pagume = ethiopian & (m == 13)  # the 13th month has no YYYY-MM form: year only

    swap = full & ~pagume & (d <= 12) & (d != m) & (rng.random(n) < rates.day_month_swap)
    m, d = np.where(swap, d, m), np.where(swap, m, d)

    year_only = partial & (rng.random(n) < 0.7)
    ys, ms, ds = _pad(y, 4), _pad(m, 2), _pad(d, 2)
    text = np.where(full & ~pagume, np.char.add(np.char.add(np.char.add(ys, "-"), np.char.add(ms, "-")), ds), "")
    text = np.where(placeholder, np.char.add(ys, "-01-01"), text)
    text = np.where(partial & ~year_only & ~pagume, np.char.add(np.char.add(ys, "-"), ms), text)
    text = np.where((partial & year_only) | (pagume & (full | partial)), ys, text)
    text = np.where(dated, text, "")

    age = _estimated_ages(rng, birth, recorded, age_only)
    labels = {"date_missing": missing, "age_only": age_only, "partial_date": partial,
              "placeholder_jan1": placeholder, "year_off_by_one": off, "ethiopian_calendar": ethiopian,
              "day_month_swap": swap}
    return text.astype(object), age, labels


def _estimated_ages(rng, birth, recorded, chosen) -> np.ndarray:
    """Ages as officers estimate them: often exact, else a year or three out, sometimes a range."""
    n = len(birth)
    true_age = ((recorded - birth).astype(int) / 365.2425).astype(int)
    error = np.where(rng.random(n) < 0.5, 0, rng.integers(-3, 4, size=n))
    guess = np.maximum(true_age + error, 0)
    low = np.maximum((guess // 5) * 5, 0)
    as_range = rng.random(n) < 0.25
    text = np.where(as_range, np.char.add(np.char.add(low.astype(str), "-"), (low + 5).astype(str)), guess.astype(str))
    return np.where(chosen, text, "").astype(object)


def iso(days: np.ndarray) -> np.ndarray:
    """datetime64[D] as YYYY-MM-DD text."""
    return np.datetime_as_string(days, unit="D").astype(object)
