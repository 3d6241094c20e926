"""An uploaded interchange file (CSV, JSON Lines or Parquet) as batch enquiries.

The file is parsed in memory, never written to disk (it holds people's names), checked like
any interchange file (`rfl.records.check_records`), and then each row is held to exactly the
schema of a JSON enquiry, with the protection columns `legal_basis`, `consent_purposes`
(`;`-separated), `guardian_consent` (yes/no), `best_interests` and `retention_until`.
Error messages name rows and columns, never values.
"""

from __future__ import annotations

from typing import Literal

import polars as pl
from pydantic import ValidationError

from api.models import EnquiryIn
from rfl.errors import InputError
from rfl.policy import Refusal
from rfl.records import check_records, parse

FileFormat = Literal["csv", "jsonl", "parquet"]
_NAME = "upload"


def _frame(data: bytes, fmt: FileFormat, max_rows: int) -> pl.DataFrame:
    """The upload as text columns (read as `rfl link` reads a file, rfl.records.parse), or a
    422 naming it and, where it can, the line. Reading stops one row past `max_rows`: a longer
    file is refused without being parsed whole."""
    try:
        frame, _ = parse(data, f".{fmt}", _NAME, rows=max_rows + 1)
    except InputError as err:
        raise Refusal(422, "invalid_file", str(err)) from None
    if frame.height > max_rows:
        raise too_many_rows(max_rows)
    return frame


def too_many_rows(max_rows: int) -> Refusal:
    return Refusal(413, "too_many_rows", f"a batch holds at most {max_rows} enquiries; split it into several jobs")


def enquiries_from_file(data: bytes, fmt: FileFormat, max_rows: int) -> list[dict]:
    """The upload's rows as enquiry dicts, or a refusal naming the first bad row and column."""
    if not data.strip():
        raise Refusal(422, "invalid_file", f"{_NAME} is empty")
    frame = _frame(data, fmt, max_rows)
    try:  # first: a header written twice or misspelt is named, not counted among the unknown
        frame = check_records(frame, _NAME)
    except InputError as err:
        raise Refusal(422, "invalid_file", str(err)) from None
    unknown = [c for c in frame.columns if c not in EnquiryIn.model_fields]
    if unknown:
        raise Refusal(422, "invalid_file", f"{_NAME}: {len(unknown)} column(s) are neither interchange nor protection fields")
    rows = []
    for number, row in enumerate(frame.iter_rows(named=True), start=1):
        values = {k: v for k, v in row.items() if v is not None}
        if "guardian_consent" in values:
            values["guardian_consent"] = values["guardian_consent"].strip().lower() in ("yes", "true", "1")
        if "consent_purposes" in values:
            values["consent_purposes"] = [p.strip() for p in values["consent_purposes"].split(";") if p.strip()]
        try:
            rows.append(EnquiryIn.model_validate(values).model_dump())
        except ValidationError as err:
            first = err.errors()[0]
            raise Refusal(422, "invalid_file",
                          f"{_NAME}, row {number}, column {'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    return rows
