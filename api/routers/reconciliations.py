"""Reconciliation jobs: a society's open enquiries, or an uploaded batch, against every
society's found records, in the background; results under the same rules as a search."""

from __future__ import annotations

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import Response

from api.deps import Call, authorised
from api.errors import refusals
from api.models import JobOut, ReconciliationIn
from api.tables import Format, table_response
from api.uploads import FileFormat, enquiries_from_file, too_many_rows
from rfl.store import Job

router = APIRouter(prefix="/reconciliations", tags=["reconciliations"])
JobIdPath = Path(pattern=r"^[0-9a-f]{32}$")


def job_out(job: Job) -> JobOut:
    return JobOut(id=job.id, source=job.source, state=job.state, total=job.total, done=job.done,
                  created_at=job.created_at, finished_at=job.finished_at, error=job.error)


@router.post("", status_code=202, response_model=JobOut,
             responses=refusals("other_society", "legal_basis_missing", "consent_scope_missing", "age_range_reversed",
                                "minor_without_safeguard", "retention_expired", "too_many_rows"))
def start(request: Request, body: ReconciliationIn, call: Call = authorised("reconcile.run")) -> JobOut:
    """Queue a job. Uploaded enquiries are held to the same rules as stored ones (R1, R2, R7,
    R12) and are not stored; a job over open enquiries leaves out those past retention or
    objected to (R7, R10). Results hold ids, probabilities and evidence only (R6). A batch
    holds at most as many enquiries as the deployment allows (50,000 unless set otherwise)."""
    batch = None if body.enquiries is None else [e.model_dump() for e in body.enquiries]
    max_rows = request.app.state.limits.batch_rows
    if batch is not None and len(batch) > max_rows:
        raise too_many_rows(max_rows)
    return job_out(call.service.jobs.start(call.actor, call.entry, batch, body.k))


@router.post("/files", status_code=202, response_model=JobOut,
             responses=refusals("invalid_file", "other_society", "legal_basis_missing", "consent_scope_missing",
                                "age_range_reversed", "minor_without_safeguard", "retention_expired",
                                "too_many_rows"))
def start_from_file(request: Request,
                    data: bytes = Body(..., media_type="application/octet-stream",
                                       description="an interchange file of enquiries with protection columns"),
                    format: FileFormat = Query(..., description="csv, jsonl or parquet"),
                    k: int = Query(10, ge=1, le=50), call: Call = authorised("reconcile.run")) -> JobOut:
    """Queue a job over an uploaded interchange file. Its rows need the same fields as JSON
    enquiries, `legal_basis` included (R1); the file is parsed in memory and not stored, and no
    further than the deployment's row limit (50,000 unless set otherwise)."""
    batch = enquiries_from_file(data, format, request.app.state.limits.batch_rows)
    return job_out(call.service.jobs.start(call.actor, call.entry, batch, k))


@router.get("/{job_id}", response_model=JobOut, responses=refusals("not_found"))
def progress(job_id: str = JobIdPath, call: Call = authorised("reconcile.read")) -> JobOut:
    """State and progress (`done` of `total` enquiries) of one of the society's jobs."""
    return job_out(call.service.jobs.job(call.actor, call.entry, job_id))


@router.get("/{job_id}/results", responses={**refusals("not_found", "job_not_done"),
                                             200: {"content": {"application/x-ndjson": {},
                                                               "application/vnd.apache.parquet": {}}}})
def results(job_id: str = JobIdPath, format: Format = Query("jsonl"),
            call: Call = authorised("reconcile.read")) -> Response:
    """Candidate pairs (enquiry_id, found_id, society, probability, rank, decision, evidence),
    as JSON Lines or Parquet. Each row is checked again when read: a found record objected to,
    withdrawn from tracing, expired or erased since the job ran, an enquiry objected to, expired
    or erased, and (for a society that no longer adheres, R13) another society's record are left
    out, and ranks count the rows shown (R4, R7, R8, R10)."""
    rows = call.service.jobs.results(call.actor, call.entry, job_id)
    return table_response(rows, format, f"reconciliation-{job_id}")
