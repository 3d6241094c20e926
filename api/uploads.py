"""An uploaded interchange file (CSV, JSON Lines or Parquet) as batch enquiries.

The file is parsed in memory, never written to disk (it holds people's names), checked like
any interchange file (`rfl.records.check_records`), and then each row is held to exactly the
schema of a JSON enquiry, with the protection columns `legal_basis`, `consent_purposes`
(`;`-separated), `guardian_consent` (yes/no), `best_interests` and `retention_until`.
Error messages name rows and columns, never values.
"""

from __future__ import annotations

import io
from typing import Literal

import polars as pl
from polars.exceptions import PanicException
from pydantic import ValidationError

from api.models import EnquiryIn
from rfl.errors import InputError
from rfl.policy import Refusal
from rfl.records import MAX_COLUMNS, check_records, columns_of, jsonl_fault, may_hold_objects

FileFormat = Literal["csv", "jsonl", "parquet"]
_NAME = "upload"


def _frame(data: bytes, fmt: FileFormat, max_rows: int) -> pl.DataFrame:
    """The upload as text columns, or a 422 naming it. Any failure to read it is the file's
    fault, not the service's: a damaged Parquet file can make polars panic (PanicException is a
    BaseException, beyond `except Exception`), and a nested column fails to become text.
    Reading stops one row past `max_rows`: a longer file is refused without being parsed whole."""
    try:
        if columns_of(data, f".{fmt}") > MAX_COLUMNS:
            raise Refusal(422, "invalid_file", f"{_NAME} has more than {MAX_COLUMNS:,} columns")
        if fmt == "parquet":
            frame = pl.read_parquet(io.BytesIO(data), n_rows=max_rows + 1)
        else:
            data.decode("utf-8")
            if fmt == "csv":
                frame = pl.read_csv(data, infer_schema=False, n_rows=max_rows + 1)
            else:
                frame = pl.read_ndjson(data, infer_schema_length=None, n_rows=max_rows + 1)
                if may_hold_objects(frame) and (fault := jsonl_fault(_NAME, data.decode("utf-8"))):
                    raise Refusal(422, "invalid_file", str(fault))  # an object among text, read as its JSON
        frame = frame.with_columns(pl.all().cast(pl.Utf8))
    except Refusal:
        raise
    except (Exception, PanicException) as err:  # parse errors name the problem, not the cells
        raise Refusal(422, "invalid_file", f"{_NAME} cannot be read as {fmt}: {type(err).__name__}") from None
    if frame.height > max_rows:
        raise too_many_rows(max_rows)
    return frame.with_columns(pl.when(pl.col(c).str.strip_chars() == "").then(None).otherwise(pl.col(c)).alias(c)
                              for c in frame.columns)


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
