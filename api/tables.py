"""Answer rows as downloadable tables: JSON Lines or Parquet, chosen by the caller."""

from __future__ import annotations

import io
import json
from typing import Literal

import polars as pl
from fastapi.responses import Response

Format = Literal["jsonl", "parquet"]


def table_response(rows: list[dict], fmt: Format, name: str) -> Response:
    """Nested values (per-field evidence) become JSON text in Parquet, objects in JSON Lines."""
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    if fmt == "jsonl":
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        return Response(body, media_type="application/x-ndjson", headers=headers)
    flat = [{k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in r.items()} for r in rows]
    buffer = io.BytesIO()
    pl.DataFrame(flat, infer_schema_length=None).write_parquet(buffer)
    return Response(buffer.getvalue(), media_type="application/vnd.apache.parquet", headers=headers)
