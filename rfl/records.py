"""The interchange record (shared/docs/record-schema.md): columns, reading, checking, writing.

Every column is read as text: a birth date of `1990-01` or an age of `30-35` is information, and
guessing types would destroy it. Checking is vectorised and reports the first bad cell by file,
data row (1-based, header not counted) and column, without quoting the value.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from rfl.errors import InputError

REQUIRED = ("record_id", "society")
COLUMNS = (
    "record_id", "society", "family_name", "given_names", "father_name", "mother_name",
    "other_names", "sex", "birth_date", "age", "recorded_on", "birth_place", "nationality",
    "last_seen_place", "last_seen_date", "status", "location", "consent_to_share",
)

_DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
_DAY = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
# Pattern a non-empty cell must match, with the reason given when it does not.
_FORMATS = {
    "society": (r"^([A-Z]{3}|ICRC)$", "must be an ISO 3166-1 alpha-3 code or ICRC"),
    "sex": (r"^[MFX]$", "must be M, F or X"),
    "birth_date": (_DATE, "must be YYYY, YYYY-MM or YYYY-MM-DD"),
    "age": (r"^\d{1,3}(-\d{1,3})?$", "must be whole years or a range a-b"),
    "recorded_on": (_DAY, "must be YYYY-MM-DD"),
    "last_seen_date": (_DATE, "must be YYYY, YYYY-MM or YYYY-MM-DD"),
    "nationality": (r"^[A-Z]{3}$", "must be an ISO 3166-1 alpha-3 code"),
    "status": (r"^(alive|detained|hospitalised|deceased|unknown)$",
               "must be alive, detained, hospitalised, deceased or unknown"),
    "consent_to_share": (r"^(yes|no|unknown)$", "must be yes, no or unknown"),
}
SUFFIXES = (".csv", ".parquet", ".jsonl", ".ndjson")


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(path, f"unknown file type {suffix or '(none)'}; use one of {', '.join(SUFFIXES)}")
    return suffix


def _check_utf8(path: Path, data: bytes) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(path, f"line {line} is not valid UTF-8 (byte {err.start})") from None


def read_table(path: str | Path) -> pl.DataFrame:
    """Read a CSV, Parquet or JSON Lines file with every column as text (empty cells as null)."""
    path = Path(path)
    suffix = _format_of(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    try:
        if suffix == ".parquet":
            df = pl.read_parquet(path)
        else:
            data = path.read_bytes()
            _check_utf8(path, data)
            if not data.strip():
                raise InputError(path, "file is empty")
            if suffix == ".csv":
                df = pl.read_csv(data, infer_schema=False)
            else:
                df = pl.read_ndjson(data, infer_schema_length=None)
    except InputError:
        raise
    except Exception as err:  # polars/arrow parse errors: say which file, not the cell contents
        raise InputError(path, f"cannot be read as {suffix[1:]}: {type(err).__name__}") from None
    df = df.with_columns(pl.all().cast(pl.Utf8))
    return df.with_columns(
        pl.when(pl.col(c).str.strip_chars() == "").then(None).otherwise(pl.col(c)).alias(c)
        for c in df.columns
    )


def check_records(df: pl.DataFrame, path: str | Path) -> pl.DataFrame:
    """Check the interchange columns; return the frame with every schema column present."""
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise InputError(path, f"missing required column(s): {', '.join(missing)}")
    df = df.with_columns(pl.lit(None, pl.Utf8).alias(c) for c in COLUMNS if c not in df.columns)
    for column in REQUIRED:
        bad = df.select(pl.col(column).is_null().arg_true().first()).item()
        if bad is not None:
            raise InputError(path, "is empty but required", row=bad + 1, column=column)
    dup = df.select((~pl.col("record_id").is_first_distinct()).arg_true().first()).item()
    if dup is not None:
        raise InputError(path, "record_id repeats an earlier row", row=dup + 1, column="record_id")
    for column, (pattern, reason) in _FORMATS.items():
        cells = pl.col(column).str.strip_chars()
        bad = df.select((cells.is_not_null() & ~cells.str.contains(pattern)).arg_true().first()).item()
        if bad is not None:
            raise InputError(path, reason, row=bad + 1, column=column)
    return df


def read_records(path: str | Path) -> pl.DataFrame:
    """Read and check one file of interchange records."""
    return check_records(read_table(path), path)


def write_table(df: pl.DataFrame, path: str | Path) -> None:
    """Write a frame as CSV, Parquet or JSON Lines, chosen by the file's extension."""
    path = Path(path)
    suffix = _format_of(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")  # a crash never leaves a half-written output
    if suffix == ".csv":
        df.write_csv(tmp)
    elif suffix == ".parquet":
        df.write_parquet(tmp)
    else:
        df.write_ndjson(tmp)
    tmp.replace(path)
