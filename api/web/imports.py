"""Enquiries from a file (CSV, JSON Lines or Parquet): every row checked, every problem named by
row and column, never by value.

The file is read in memory and never written to disk (it holds people's names). Each row is
held to exactly the schema of `POST /enquiries` (`EnquiryIn`), in two passes: first every row
is checked and, if any is wrong, the officer gets the whole list and nothing is stored; then
each row is submitted through the service like any enquiry, so each leaves its own audited
`record.submit` and the code of conduct (R1, R2, R12) refuses rows on its own terms.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import polars as pl
from pydantic import ValidationError

from api.models import EnquiryIn
from api.web import forms
from api.web.i18n import N_

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
MAX_ROWS = 5000
MAX_BYTES = 1000 * 1000  # below the multipart parser's 1 MiB spool: never on disk
COLUMNS = tuple(name for name in EnquiryIn.model_fields if name != "sensitive")


@dataclass
class Checked:
    """A file's rows as enquiry bodies, or its problems: (row, column, msgid), rows from 1."""

    bodies: list[tuple[int, dict]] = field(default_factory=list)
    problems: list[tuple[int | None, str | None, str]] = field(default_factory=list)


def _frame(data: bytes, fmt: str) -> pl.DataFrame:
    if fmt == "parquet":
        frame = pl.read_parquet(io.BytesIO(data))
    elif fmt == "csv":
        frame = pl.read_csv(data, infer_schema=False)
    else:
        frame = pl.read_ndjson(data, infer_schema_length=None)
    return frame.with_columns(pl.all().cast(pl.Utf8).str.strip_chars())


def _row(values: dict) -> dict:
    """A row as a JSON enquiry: blank cells absent, purposes a `;` list, the guardian's consent yes/no."""
    body = {k: v for k, v in values.items() if v not in (None, "")}
    if "consent_purposes" in body:
        body["consent_purposes"] = [p.strip() for p in body["consent_purposes"].split(";") if p.strip()]
    if "guardian_consent" in body:
        body["guardian_consent"] = body["guardian_consent"].lower() in ("yes", "true", "1")
    return body


def check(filename: str, data: bytes) -> Checked:
    """Every row of the file against the enquiry schema; problems name rows and columns only."""
    out = Checked()
    fmt = next((f for suffix, f in FORMATS.items() if filename.lower().endswith(suffix)), None)
    if fmt is None:
        out.problems.append((None, None, N_("Give a .csv, .jsonl or .parquet file.")))
        return out
    if not data.strip():
        out.problems.append((None, None, N_("The file is empty.")))
        return out
    try:
        if fmt != "parquet":
            data.decode("utf-8")
        frame = _frame(data, fmt)
    except UnicodeDecodeError:
        out.problems.append((None, None, N_("The file is not UTF-8 text: save it as CSV UTF-8.")))
        return out
    except Exception:  # a parser's message may quote a cell: say only that it cannot be read
        out.problems.append((None, None, N_("The file cannot be read in this format.")))
        return out
    unknown = [c for c in frame.columns if c not in COLUMNS]
    if unknown:  # not named: without a header row, a "column name" is somebody's name
        out.problems.append((None, None, N_("Some columns are not enquiry fields; see the list of columns below.")))
    if "record_id" not in frame.columns:
        out.problems.append((None, "record_id", N_("Fill in this field.")))
    if frame.height > MAX_ROWS:
        out.problems.append((None, None, N_("At most 5000 rows per file.")))
    if out.problems:
        return out
    for number, values in enumerate(frame.iter_rows(named=True), start=1):
        body = _row(values)
        try:
            out.bodies.append((number, EnquiryIn.model_validate(body).model_dump()))
        except ValidationError as err:
            for error in err.errors():
                name = str(error["loc"][0]) if error["loc"] else None
                out.problems.append((number, name if name in COLUMNS else None,
                                     forms.problem_of(error, {name: body.get(name)} if name else {})))
        if not body.get("legal_basis"):
            out.problems.append((number, "legal_basis", N_("Every record needs a legal basis.")))
    seen: dict[str, int] = {}
    for number, body in out.bodies:
        if body["record_id"] in seen:
            out.problems.append((number, "record_id", N_("This record id repeats an earlier row.")))
        seen.setdefault(body["record_id"], number)
    out.problems.sort(key=lambda p: (p[0] or 0, p[1] or ""))
    return out
