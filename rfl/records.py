"""The interchange record (shared/docs/record-schema.md): columns, reading, checking, writing.

Every column is read as text: a birth date of `1990-01` or an age of `30-35` is information, and
guessing types would destroy it. Checking is vectorised and names each bad cell by file, line
(or row) and column without quoting the value; `rfl.errors.InputError` says how lines are counted.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import glob
import io
import json
import os
import re
import socket
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq
from polars.exceptions import PanicException

from rfl.errors import InputError
from rfl.stopping import unless_stopped

REQUIRED = ("record_id", "society")
# Columns of an interchange file that carry the data-protection facts of its records
# (rfl.policy). A file with any of them is held to every rule they serve; a file with none is
# matched as it is, so a misspelt one must be refused, never ignored.
CONDUCT_COLUMNS = ("legal_basis", "consent_purposes", "tracing_consent", "retention_until",
                   "guardian_consent", "best_interests", "objection", "objection_override")
AGE_RANGE_RULE = "a range a-b must run from the lower age to the higher (30-35, not 35-30)"
AGE_COLUMNS = ("birth_date", "age", "recorded_on")  # what tells whether a person may be a child
COLUMNS = (
    "record_id", "society", "family_name", "given_names", "father_name", "mother_name",
    "other_names", "sex", "birth_date", "age", "recorded_on", "birth_place", "nationality",
    "last_seen_place", "last_seen_date", "status", "location", "consent_to_share",
)
READ_COLUMNS = frozenset(COLUMNS + CONDUCT_COLUMNS)  # the columns rfl reads by name: a file's others may be anything

# The longest cell, in characters, for files and the API alike (api/models.py builds its Text
# and LongText on these): a name, place or code longer than this is not one, and a huge cell
# only slows every comparison down. Lists of names (other_names) get the longer limit.
TEXT_LIMIT = 200
# Characters no name, date or id holds (tab and line breaks may sit in free text): PostgreSQL
# cannot store NUL, and the service refuses such ids, so a batch refuses them too.
CONTROL = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]"
LONG_TEXT_LIMIT = 1000
LONG_COLUMNS = ("other_names",)

# [0-9], not \d: the regex engines of polars and pydantic take \d for any Unicode digit (١٩٨٠, 𝟏𝟗𝟖𝟎),
# which would then be read as a year by int() and refused by date().
_DATE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
DAY = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"  # a day, as retention dates are compared too
# Pattern a non-empty cell must match, with the reason given when it does not.
_FORMATS = {
    # a spreadsheet runs a cell that begins so as a formula (=HYPERLINK, -2+3), and ids are written back out
    "record_id": (r"^[^=+\-@]", "must not begin with =, +, - or @, which a spreadsheet runs as a formula"),
    "society": (r"^([A-Z]{3}|ICRC)$", "must be an ISO 3166-1 alpha-3 code in capitals (e.g. DEU) or ICRC"),
    "sex": (r"^[MFX]$", "must be M, F or X"),
    "birth_date": (_DATE, "must be YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1985-03-12)"),
    "age": (r"^[0-9]{1,3}(-[0-9]{1,3})?$", "must be whole years or a range a-b"),
    "recorded_on": (DAY, "must be YYYY-MM-DD (e.g. 2024-03-01)"),
    "last_seen_date": (_DATE, "must be YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2023-11-05)"),
    "nationality": (r"^[A-Z]{3}$", "must be an ISO 3166-1 alpha-3 code in capitals (e.g. SOM)"),
    "status": (r"^(alive|detained|hospitalised|deceased|unknown)$",
               "must be alive, detained, hospitalised, deceased or unknown"),
    "consent_to_share": (r"^(yes|no|unknown)$", "must be yes, no or unknown"),
}
SUFFIXES = (".csv", ".parquet", ".jsonl", ".ndjson")
# What to do with a bad cell: stop at the first, empty it (a row without a valid record_id or
# society, or repeating an earlier record_id, is dropped all the same), or drop its whole row.
ON_INVALID = ("strict", "blank", "skip")
_DUPLICATE = "record_id repeats an earlier row"


def format_of(path: str | Path) -> str:
    """The file's type by its extension, or an InputError naming the types there are."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        sheet = "; from a spreadsheet, Save As CSV UTF-8" if suffix in (".xlsx", ".xls", ".ods", ".numbers") else ""
        raise InputError(path, f"unknown file type {suffix or '(none)'}; use one of {', '.join(SUFFIXES)}{sheet}")
    return suffix


def _decode(path: Path, data: bytes, suffix: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        how = " (in a spreadsheet: Save As, CSV UTF-8)" if suffix == ".csv" else ""
        raise InputError(path, f"is not valid UTF-8; save the file as UTF-8{how} and try again",
                         line=data.count(b"\n", 0, err.start) + 1) from None


def _csv_lines(data: bytes) -> np.ndarray:
    """The line on which each data row starts. Rows end at line breaks outside quotes, as the
    CSV reader splits them (a quoted cell may hold line breaks); blank lines before the header
    are skipped, as the reader skips them."""
    raw = np.frombuffer(data, np.uint8)
    breaks = np.flatnonzero(raw == ord("\n"))
    quotes = np.flatnonzero(raw == ord('"'))
    ends = np.flatnonzero(np.searchsorted(quotes, breaks) % 2 == 0)  # index of the break = its line - 1
    starts = np.concatenate([[1], ends + 2])
    leading = data[:len(data) - len(data.lstrip(b"\r\n"))].count(b"\n")
    return starts[leading + 1:]


_BLANK = b" \t\r"  # what a blank JSON Lines line holds, as polars skips it (a no-break space it refuses)


def _jsonl_lines(data: bytes) -> np.ndarray:
    """The line of each record: the reader skips blank lines."""
    return np.array([n for n, line in enumerate(data.split(b"\n"), 1) if line.strip(_BLANK)])


def _first_records(data: bytes, rows: int) -> bytes:
    """The lines of JSON Lines `data` up to its `rows`-th record (`rows` at least 1): what is
    read where at most `rows` rows are, so a line past them is never decoded or parsed (an
    upload past the service's limit is refused for its size, not for a line it would not have
    read)."""
    at = _jsonl_lines(data)
    return data if len(at) <= rows else b"\n".join(data.split(b"\n")[: at[rows - 1]])


def _csv_fault(path: Path, text: str) -> InputError | None:
    """The first line a CSV reader cannot take, when it can be named: an unclosed quote, or
    more cells than the header has names."""
    if text.count('"') % 2:
        return InputError(path, 'opens a quote (") that is never closed',
                          line=text.count("\n", 0, text.rfind('"')) + 1)
    reader, width, end = csv.reader(io.StringIO(text, newline="")), None, 0
    try:
        for record in reader:
            if width is None:
                width = len(record) or None
            elif len(record) > width:
                return InputError(path, f"has {len(record)} cells but the header names {width}", line=end + 1)
            end = reader.line_num
    except csv.Error:  # e.g. a cell beyond the csv module's size limit: say no more than polars
        return None
    return None


def jsonl_fault(path: Path, text: str) -> InputError | None:
    """The first line that is not one JSON object of text, numbers, booleans or nulls, or the
    file's fault where its objects' keys together pass MAX_COLUMNS. Read before the parser, in
    one pass over the lines (about 2 s per 100 MB): polars grows a struct for every object nested in
    a cell, past the memory there is (10,000 lines of one new key each: abort), and infers the
    keys of many lines in time that grows with their square (100,000 lines of one new key
    each: 226 s). A line nested deeper than Python reads is not valid JSON here. A nested
    value's column is named only where it is one rfl reads: a key can be a person's name."""
    keys: set[str] = set()
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip(_BLANK.decode()):
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            return InputError(path, "is not valid JSON (one record per line)", line=number)
        if not isinstance(record, dict):
            return InputError(path, "is not a JSON object (one record per line, {\"column\": value, ...})",
                              line=number)
        nested = next((k for k, v in record.items() if isinstance(v, (dict, list))), None)
        if nested is not None:
            return InputError(path, "must be text, a number or empty, not a list or object",
                              line=number, column=nested if nested in READ_COLUMNS else None)
        keys.update(record)
        if len(keys) > MAX_COLUMNS:
            return too_wide(path)
    return None


MAX_COLUMNS = 1_000  # columns a file may have: the interchange's, the conduct's and a registry's own, many times over
HEADER_BYTES = 64 << 20  # what `columns_of` reads of a CSV file for its header


def too_wide(path: str | Path) -> InputError:
    return InputError(path, f"has more than {MAX_COLUMNS:,} columns; keep the columns rfl reads")


def columns_of(data: bytes, suffix: str) -> int:
    """How many columns a CSV or Parquet file announces, read before the file is parsed: a CSV
    of a million empty columns took a parser past 12 GB. CSV: its header, the first record that
    is not blank, as a CSV reader reads it (a quoted line break inside a header is no end; blank
    lines before it are skipped, as the parser skips them); Parquet: its schema. (JSON Lines:
    `jsonl_fault` counts the keys of every line.)"""
    if suffix == ".parquet":
        return len(pl.read_parquet_schema(io.BytesIO(data)))
    text = data[:HEADER_BYTES].decode("utf-8", errors="replace")
    try:
        return next((len(row) for row in csv.reader(io.StringIO(text, newline="")) if any(map(str.strip, row))), 0)
    except csv.Error:  # a header cell beyond the csv module's limit: no columns made, the reader reads on
        return 0


def parse(data: bytes, suffix: str, path: str | Path, rows: int | None = None
          ) -> tuple[pl.DataFrame, Callable[[], np.ndarray | None]]:
    """A file's bytes (`suffix` its format) as text columns, blank cells null, and a function
    giving each data row's line (None for Parquet), worked out only when a problem must be
    located; at most `rows` data rows where given (the service stops one past its limit). The
    one reader of `rfl link` and the service's uploads, so both read a file alike. Anything
    that cannot be read is an InputError naming `path` (and the line where it can), never the
    contents."""
    lines: Callable[[], np.ndarray | None] = lambda: None  # noqa: E731
    text = ""
    try:
        if suffix not in (".parquet", ".csv"):  # JSON Lines
            data = data.removeprefix(codecs.BOM_UTF8)  # as Notepad saves; the CSV reader skips it itself
            if rows is not None:  # polars parses every line, even where it returns fewer rows
                data = _first_records(data, rows)
        if suffix != ".parquet":
            text = _decode(path, data, suffix)
            if not text.strip():
                raise InputError(path, "file is empty")
        if suffix in (".parquet", ".csv"):
            if columns_of(data, suffix) > MAX_COLUMNS:
                raise too_wide(path)
        elif fault := jsonl_fault(path, text):
            raise fault
        if suffix == ".parquet":
            df = pl.read_parquet(data, n_rows=rows)
        elif suffix == ".csv":
            df = pl.read_csv(data, infer_schema=False, n_rows=rows)
            lines = lambda: _csv_lines(data)  # noqa: E731
        else:  # every line one flat object (jsonl_fault), so no cell is an object read as its JSON
            df = pl.read_ndjson(data, infer_schema_length=None, n_rows=rows)
            lines = lambda: _jsonl_lines(data)  # noqa: E731
        if not df.width:
            raise InputError(path, "has no columns")
        df = _as_text(df, path)
    except InputError:
        raise
    except (Exception, PanicException) as err:  # parse errors (a damaged Parquet file may panic): say where if we can, never the contents
        fault = _csv_fault(path, text) if suffix == ".csv" else None  # JSON Lines: every line was read already
        raise (fault or InputError(path, f"cannot be read as {suffix[1:]}: {type(err).__name__}")) from None
    return df.with_columns(pl.when(pl.col(c).str.strip_chars() == "").then(None).otherwise(pl.col(c)).alias(c)
                           for c in df.columns), lines


def _load(path: str | Path) -> tuple[pl.DataFrame, np.ndarray, Callable[[], np.ndarray | None]]:
    """Read a file as text columns, blank cells null and blank rows dropped. Returns the frame,
    each kept row's 0-based position among the file's data rows, and a function giving each
    data row's line (None for Parquet), worked out only when a problem must be located."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "is a folder; give a file")
    if not path.exists():
        raise InputError(path, "no such file")
    suffix = format_of(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(path, f"cannot be read ({err.strerror})") from None
    if not data:
        raise InputError(path, "file is empty")
    df, lines = parse(data, suffix, path)
    blank = pl.all_horizontal(pl.all().is_null())
    rows = df.select(pl.int_range(pl.len(), dtype=pl.UInt32).filter(~blank)).to_series().to_numpy()
    return df.filter(~blank), rows, lines


def _as_text(df: pl.DataFrame, path: str | Path) -> pl.DataFrame:
    """Every column as text. A Parquet file may type its columns: dates and timestamps become
    YYYY-MM-DD (an export from a spreadsheet or a database types a birth date so), a list or a
    record in a cell is refused by its column, never cast to a text no one wrote. (JSON Lines
    reaches here flat: `jsonl_fault` names the line of a nested value.)"""
    for column, dtype in df.schema.items():
        if dtype.is_nested():  # a record would be cast to its JSON text, read as a name
            raise InputError(path, f"holds {dtype.base_type()} values, not text",  # a struct's type names its keys
                             column=column if column in READ_COLUMNS else None)
    return df.with_columns(pl.col(c).dt.strftime("%Y-%m-%d") if dtype == pl.Date or isinstance(dtype, pl.Datetime)
                           else pl.col(c).cast(pl.Utf8) for c, dtype in df.schema.items())


def read_table(path: str | Path) -> pl.DataFrame:
    """Read a CSV, Parquet or JSON Lines file with every column as text (empty cells as null,
    blank rows dropped)."""
    return _load(path)[0]


def _cell_problems(df: pl.DataFrame) -> pl.DataFrame:
    """Every bad cell as (row, column, reason), by row and then column; a cell too long is not
    also checked for its format."""
    def reason(column: str) -> pl.Expr:
        cells = pl.col(column)
        limit = LONG_TEXT_LIMIT if column in LONG_COLUMNS else TEXT_LIMIT
        check = pl.when(cells.str.len_chars() > limit).then(pl.lit(f"is longer than {limit} characters"))
        if column in COLUMNS:  # the schema's columns; what else a file carries is not read
            check = check.when(cells.str.contains(CONTROL)).then(pl.lit("holds a control character (such as NUL)"))
        if column in REQUIRED:
            check = check.when(cells.is_null()).then(pl.lit("is empty but required"))
        if column in _FORMATS:
            pattern, why = _FORMATS[column]
            check = check.when(~cells.str.strip_chars().str.contains(pattern)).then(pl.lit(why))
        if column == "age":  # 45-40 read as an age would place the person wrongly; the service refuses it too
            low, high = (cells.str.strip_chars().str.extract(at, 1).cast(pl.Int32) for at in (r"^(\d+)-", r"-(\d+)$"))
            check = check.when(low > high).then(pl.lit(AGE_RANGE_RULE))
        return check.otherwise(None).alias(column)

    # Worked on under names no file's column can have (a header with NUL is refused), so a
    # file's own columns called row, column or reason are checked like any other.
    at, named = "\x00row", {f"\x00{i}": column for i, column in enumerate(df.columns)}
    return (df.with_row_index(at).select(at, *(reason(column).alias(key) for key, column in named.items()))
            .filter(pl.any_horizontal(pl.exclude(at).is_not_null()))
            .unpivot(index=at, variable_name="column", value_name="reason")
            .drop_nulls("reason").rename({at: "row"}).with_columns(pl.col("column").replace_strict(named))
            .sort("row", maintain_order=True))


def meant_column(header: str) -> str:
    """The column a header names, case, spaces, hyphens, dots and camelCase aside (Birth-Date,
    birth.date, BirthDate: birth_date)."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", header.strip())
    return re.sub(r"[ .\-]+", "_", words).lower()


# Other names registries give the interchange columns (headers as `meant_column` reads them).
OTHER_NAMES = {
    **dict.fromkeys(("surname", "last_name", "lastname", "family", "familyname"), "family_name"),
    **dict.fromkeys(("first_name", "firstname", "first_names", "forename", "forenames", "given", "givenname"),
                    "given_names"),
    **dict.fromkeys(("dob", "date_of_birth", "birthdate", "birthday", "year_of_birth", "birth_year", "yob",
                     "year_born"), "birth_date"),
    **dict.fromkeys(("age_range", "estimated_age", "age_estimate", "approximate_age", "approx_age"), "age"),
    **dict.fromkeys(("full_name", "fullname"), "given_names"),  # a whole name is a chain
    **dict.fromkeys(("gender",), "sex"),
    **dict.fromkeys(("father", "fathers_name", "father's_name", "fathername", "patronymic"), "father_name"),
    **dict.fromkeys(("mother", "mothers_name", "mother's_name", "mothername"), "mother_name"),
    **dict.fromkeys(("place_of_birth", "pob", "birthplace", "city_of_birth", "birth_city"), "birth_place"),
    **dict.fromkeys(("alias", "aliases", "other_name", "also_known_as", "aka"), "other_names"),
    **dict.fromkeys(("citizenship", "country_of_origin"), "nationality"),
    **dict.fromkeys(("last_contact", "last_contact_date", "last_seen", "date_last_seen", "last_seen_on",
                     "separation_date", "date_of_separation", "date_separated"), "last_seen_date"),
    **dict.fromkeys(("recorded", "date_recorded", "recorded_date", "record_date", "registered_on", "date_registered",
                     "registration_date"), "recorded_on"),
}


def _refuse_near_misses(columns: list[str], path: str | Path) -> None:
    """Refuse a header that looks like an interchange column the file lacks (given_name for
    given_names, Birth_Date), or is another common name for one (surname, DOB, gender): read
    as an unknown column it would be ignored, and a file whose names or dates are never
    compared links almost nothing, without a word (recall 0.94 -> 0.05 on generated data with
    two headers misspelt; a new user's surname, first_name and date_of_birth scored a sister
    as high as the person)."""
    for column in columns:  # a header written twice (polars names the second X_duplicated_0)
        twice = re.fullmatch(r"(.+)_duplicated_[0-9]+", column)
        if twice and twice.group(1) in columns:
            raise InputError(path, f"has the column {twice.group(1)} twice; keep one (the second would be "
                                   "ignored, whatever it says)")
    for column in columns:
        if column in READ_COLUMNS:
            continue
        meant = meant_column(column)
        close = [meant] if meant in READ_COLUMNS else [OTHER_NAMES[meant]] if meant in OTHER_NAMES else \
            difflib.get_close_matches(meant, READ_COLUMNS, n=1, cutoff=0.85)
        # a conduct column's near miss is refused even beside it: it may say otherwise, unread
        if close and (close[0] not in columns or close[0] in CONDUCT_COLUMNS):
            kind = "conduct column" if close[0] in CONDUCT_COLUMNS else "interchange column"
            why = "so the code of conduct applies" if close[0] in CONDUCT_COLUMNS else "(an unknown column is not read)"
            raise InputError(path, f"has a column {column!r} that looks like the {kind} {close[0]}; "
                                   f"name it exactly {close[0]} {why}")


def _checked(df: pl.DataFrame, path: str | Path, on_invalid: str = "strict",
             conduct_columns: tuple[str, ...] = ()) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Check the interchange columns, handle bad cells as `on_invalid` says, and return the
    frame with every schema column present and the problems found (row, column, reason,
    action), by row. In strict mode the first problem is raised instead. A bad required cell
    drops its row even in blank mode, and so does a bad birth date, age or record date in a file
    that carries any of `conduct_columns`: the code of conduct must judge whether the person may
    be a child (R12), and an emptied date would pass a child as an adult."""
    _refuse_near_misses(df.columns, path)
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        # a spreadsheet's CSV in some locales (;), or a table saved as text (tabs)
        separator = next((name for mark, name in ((";", "';'"), ("\t", "tabs"))
                          if len(df.columns) == 1 and mark in df.columns[0]), None)
        hint = f"; the columns are separated by {separator}, where rfl reads commas: save the file with commas" if separator else ""
        raise InputError(path, f"missing required column(s): {', '.join(missing)}{hint}")
    if df.height == 0:
        raise InputError(path, "has no records, only a header")
    df = df.with_columns(pl.lit(None, pl.Utf8).alias(c) for c in COLUMNS if c not in df.columns)
    cells = _cell_problems(df)
    fixed = REQUIRED + (AGE_COLUMNS if any(c in df.columns for c in conduct_columns) else ())
    dropped = cells.filter(pl.lit(on_invalid == "skip") | pl.col("column").is_in(fixed))["row"].unique()
    index = pl.int_range(pl.len(), dtype=pl.UInt32)
    repeats = (df.select(row=index, record_id="record_id").filter(~pl.col("row").is_in(dropped.implode()))
               .filter(~pl.col("record_id").is_first_distinct())
               .select("row", column=pl.lit("record_id"), reason=pl.lit(_DUPLICATE)))
    problems = pl.concat([cells, repeats]).sort("row", maintain_order=True)
    if on_invalid == "strict" and problems.height:
        row, column, reason = problems.row(0)
        raise InputError(path, reason, row=row + 1, column=column)
    dropped = pl.concat([dropped, repeats["row"]]).implode()
    problems = problems.with_columns(
        action=pl.when(pl.col("row").is_in(dropped)).then(pl.lit("row skipped")).otherwise(pl.lit("blanked")))
    for (column,), group in problems.filter(pl.col("action") == "blanked").group_by("column"):
        df = df.with_columns(pl.when(index.is_in(group["row"].implode())).then(None)
                             .otherwise(pl.col(column)).alias(column))
    # A code is checked without the spaces around it, so it is kept so: " SOM " is Somali to
    # every rule that reads it (name chains, the code of conduct's statuses), not only to the check.
    # Not the record_id: its repeats were checked as written, and "E1 " stripped would be E1 twice.
    df = df.with_columns(pl.col(c).str.strip_chars() for c in _FORMATS if c != "record_id")
    return df.filter(~index.is_in(dropped)), problems


def check_records(df: pl.DataFrame, path: str | Path) -> pl.DataFrame:
    """Check the interchange columns; return the frame with every schema column present. The
    first bad cell is raised, by its row (1-based, header not counted)."""
    return _checked(df, path)[0]


def load_records(path: str | Path, on_invalid: str = "strict",
                 conduct_columns: tuple[str, ...] = ()) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read and check one file of interchange records. Bad cells stop the reading (`strict`),
    are emptied (`blank`) or drop their row (`skip`); returns the records and a report of every
    rejected cell: file, line (none in Parquet), row, column, reason and action (blanked or row
    skipped), never its value. A folder is read as the Parquet files in it (`_load_folder`)."""
    if Path(path).is_dir():
        return _load_folder(Path(path), on_invalid, conduct_columns)
    df, rows, lines = _load(path)
    try:
        df, problems = _checked(df, path, on_invalid, conduct_columns)
    except InputError as err:  # name the line exactly: blank lines and quoted line breaks count
        if err.row is None:
            raise
        row = int(rows[err.row - 1])
        at = lines()
        raise InputError(path, err.problem, row=row + 1, column=err.column,
                         line=None if at is None else int(at[row])) from None
    at = lines() if problems.height else None
    original = rows[problems["row"].to_numpy()]
    report = problems.select(
        pl.lit(str(path)).alias("file"),
        pl.Series("line", [None] * len(original) if at is None else at[original], dtype=pl.Int64),
        pl.Series("row", original + 1, dtype=pl.Int64),
        "column", "reason", "action")
    return df, report


def _load_folder(path: Path, on_invalid: str, conduct_columns: tuple[str, ...]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One table written in parts, as Spark and other engines write a folder of Parquet files
    (their bookkeeping files start with _ or . and empty parts hold no records): each part is
    read and checked as a file is, its problems named by its own path and row. A record_id
    repeating one of another part is refused whatever `on_invalid` says: no part alone sees it,
    and which of the two is the record meant cannot be told."""
    if (path / "_temporary").exists():  # Spark moves finished parts out of it, then writes _SUCCESS
        raise InputError(path, "is a folder still being written, or left by a write cut short (it holds "
                               "_temporary): some of its records may be missing; write it again")
    parts = [part for part in sorted(path.glob("*.parquet")) if not part.name.startswith(("_", ".")) and _has_rows(part)]
    if not parts:
        raise InputError(path, "is a folder without Parquet files of records; give a file or such a folder")
    loaded = [load_records(part, on_invalid, conduct_columns) for part in parts]
    frame = pl.concat([records for records, _ in loaded], how="diagonal_relaxed")
    repeat = (~frame["record_id"].is_first_distinct()).arg_true()
    if len(repeat):  # name the part and its row where an id comes again
        sizes = np.cumsum([len(records) for records, _ in loaded])
        part = int(np.searchsorted(sizes, repeat[0], side="right"))
        row = int(repeat[0]) - (int(sizes[part - 1]) if part else 0)
        # Its row in the file is known only where no row of the part was dropped (blank or skipped).
        whole = len(loaded[part][0]) == pq.read_metadata(parts[part]).num_rows
        raise InputError(parts[part], f"{_DUPLICATE} in another file of the folder {path.name}",
                         row=row + 1 if whole else None, column="record_id")
    return frame, pl.concat([report for _, report in loaded])


def _has_rows(part: Path) -> bool:
    """False for a Parquet file of no rows; a file that cannot be read is left to the reader to name."""
    try:
        return pq.read_metadata(part).num_rows > 0
    except Exception:  # noqa: BLE001 - load_records says what is wrong with it
        return True


def read_records(path: str | Path) -> pl.DataFrame:
    """Read and check one file of interchange records, stopping at the first bad cell."""
    return load_records(path)[0]


# The outputs an open `together` block holds back: (temporary file, target) as written.
_HELD: ContextVar[list[tuple[Path, Path]] | None] = ContextVar("held_outputs", default=None)


@contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """A new temporary file beside `path` to write, moved onto `path` once the block ends
    without error (within a `together` block, once that ends): a crash never leaves a
    half-written output, and two runs writing to one path never mix their bytes (the last to
    finish wins). Like `path`'s folders, made if missing, the file is readable by its owner only,
    as records of people at risk should be."""
    path = Path(path)
    for folder in reversed([path.parent, *path.parent.parents]):
        if not folder.exists():
            folder.mkdir(mode=0o700, exist_ok=True)  # each one made, not only the last, is private
    _sweep_abandoned(path)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{_RUN}.", suffix=".part")
    os.close(handle)
    held = _HELD.get()
    try:
        yield Path(tmp)
        if held is None:
            unless_stopped()
            os.replace(tmp, path)
        else:
            held.append((Path(tmp), path))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def together() -> Iterator[None]:
    """Outputs written with `atomic_file` within this block (in this thread) are moved into
    place one after another as it ends, or none of them if it fails: a run stopped between
    writing its candidate pairs and its model never leaves the new pairs beside an earlier run's
    model or report. A block within another joins the outer one."""
    if _HELD.get() is not None:
        yield
        return
    held: list[tuple[Path, Path]] = []
    token = _HELD.set(held)
    try:
        yield
        unless_stopped()
    except BaseException:
        for tmp, _ in held:
            tmp.unlink(missing_ok=True)
        raise
    finally:
        _HELD.reset(token)
    for at, (tmp, path) in enumerate(held):
        try:
            os.replace(tmp, path)
        except OSError as err:  # e.g. the target became a folder: the rest are not moved either
            for rest, _ in held[at:]:
                rest.unlink(missing_ok=True)
            raise InputError(path, f"cannot be written ({err.strerror or err})") from None


# Who writes a temporary output: this machine and process, so a later run can tell the files of
# a run that died (kill -9, power loss) from those of one still writing, here or on another
# machine sharing the folder.
_HOST = socket.gethostname().replace(".", "-") or "host"
_RUN = f"{_HOST}-{os.getpid()}"


def _sweep_abandoned(path: Path) -> None:
    """Delete the temporary files beside `path` that a run on this machine left when it died
    mid-write: they hold candidate pairs and their evidence, and nothing would ever remove them.
    A file of a live process, or of another machine, is left alone."""
    for stray in path.parent.glob(f".{glob.escape(path.name)}.{glob.escape(_HOST)}-*.part"):
        pid = stray.name[len(f".{path.name}.{_HOST}-"):].split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            stray.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def write_table(df: pl.DataFrame, path: str | Path) -> None:
    """Write a frame as CSV, Parquet or JSON Lines, chosen by the file's extension."""
    path = Path(path)
    suffix = format_of(path)
    try:
        with atomic_file(path) as tmp:
            if suffix == ".csv":
                df.write_csv(tmp)
            elif suffix == ".parquet":
                df.write_parquet(tmp)
            else:
                df.write_ndjson(tmp)
    except OSError as err:
        raise InputError(path, f"cannot be written ({err.strerror or err})") from None
