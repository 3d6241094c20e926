"""Synthetic cross-border RFL data with ground truth (`rfl generate`).

`generate()` samples people of the populations RFL work meets (Syrian, Iraqi, Libyan, Sudanese,
Afghan, Somali, Eritrean, Ethiopian, Ukrainian, Russian), decides who is sought, who is found,
who is registered twice and who merely looks alike (siblings, namesakes), and writes each record
as an officer of the holding society would: in that society's transliteration habit, with the
name-structure and date errors of shared/docs/domain.md, each at a rate from `Rates`. The same
seed gives the same data, byte for byte.

It knows nothing of the matching engine: a measuring stick must not be cut to fit what it
measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import polars as pl

from benchmarks.generate.people import plan
from benchmarks.generate.rates import Rates, check
from benchmarks.generate.render import RENDER
from benchmarks.generate.writing import write_side
from rfl.errors import InputError
from rfl.records import COLUMNS, check_records, read_table, write_table

__all__ = ["Dataset", "Rates", "generate", "write_dataset", "read_dataset", "ensure_writable"]

FORMATS = ("csv", "parquet")
TRUTH_COLUMNS = ("enquiry_id", "found_id")
PHENOMENA_COLUMNS = ("record_id", "side", "phenomenon")


@dataclass
class Dataset:
    """One synthetic data set: both files, the true pairs, and what was done to which record."""

    enquiries: pl.DataFrame  # interchange schema, all text, nulls for empty cells
    found: pl.DataFrame      # interchange schema
    truth: pl.DataFrame      # enquiry_id, found_id: every pair describing one person
    phenomena: pl.DataFrame  # record_id, side ('enquiry'|'found'), phenomenon
    # What lies behind each record (person, population, habit, true names and birth date):
    # for tests and for researchers who want to know why a pair was missed. Not needed to
    # score a linker, so optional.
    people: pl.DataFrame | None = None


def _frame(columns: dict, ids: list[str], order: np.ndarray, schema: tuple[str, ...]) -> pl.DataFrame:
    data = {"record_id": ids}
    for c in schema[1:]:
        values = columns.get(c)
        data[c] = [None] * len(ids) if values is None else [v or None for v in np.asarray(values, dtype=object)[order]]
    return pl.DataFrame(data, schema={c: pl.Utf8 for c in schema})


def _ids(prefix: str, n: int) -> list[str]:
    width = max(6, len(str(n)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


def generate(enquiries: int = 2000, found: int | None = None, seed: int = 0, rates: Rates | None = None,
             progress: Callable[[str], None] | None = None) -> Dataset:
    """A data set of `enquiries` enquiry records and `found` found records (default twice as many)."""
    found = 2 * enquiries if found is None else found
    if enquiries < 1 or found < 1:
        raise InputError("--enquiries/--found", "sizes must be at least 1")
    rates = check(rates or Rates())
    say = progress or (lambda _msg: None)
    rng = np.random.default_rng(seed)
    say(f"sampling people for {enquiries} enquiries and {found} found records")
    p = plan(rng, enquiries, found, rates)
    frames, hidden, labels = {}, {}, []
    for side, prefix, n in (("enquiry", "E", enquiries), ("found", "F", found)):
        say(f"writing {n} {side} records")
        columns, flags, truth = write_side(rng, p, side, rates, RENDER)
        order = rng.permutation(n)  # record order and ids must not reveal who matches whom
        ids = _ids(prefix, n)
        frames[side] = _frame(columns, ids, order, COLUMNS)
        position = np.empty(n, dtype=np.int64)
        position[order] = np.arange(n)
        hidden[side] = pl.DataFrame({"record_id": ids, "side": side,
                                     **{k: np.asarray(v)[order] for k, v in truth.items()}})
        id_array = np.array(ids, dtype=object)
        for name, mask in flags.items():
            rows = np.sort(position[np.flatnonzero(mask)])
            labels.append(pl.DataFrame({"record_id": id_array[rows].tolist(), "side": side, "phenomenon": name},
                                       schema={c: pl.Utf8 for c in PHENOMENA_COLUMNS}))
    say("pairing the truth")
    e = hidden["enquiry"].select(pl.col("record_id").alias("enquiry_id"), "person_id")
    f = hidden["found"].select(pl.col("record_id").alias("found_id"), "person_id")
    truth = e.join(f, on="person_id").select(TRUTH_COLUMNS).sort(TRUTH_COLUMNS)
    people = pl.concat([hidden["enquiry"], hidden["found"]])
    phenomena = _with_population_labels(pl.concat(labels), people, truth)
    return Dataset(frames["enquiry"], frames["found"], truth, phenomena, people)


def _with_population_labels(phenomena: pl.DataFrame, people: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    """Add who-is-where labels: never_found, not_enquired, sibling, namesake."""
    matched_e = set(truth["enquiry_id"].to_list())
    matched_f = set(truth["found_id"].to_list())
    extra = [
        people.filter((pl.col("side") == "enquiry") & ~pl.col("record_id").is_in(list(matched_e)))
        .select("record_id", "side", pl.lit("never_found").alias("phenomenon")),
        people.filter((pl.col("side") == "found") & ~pl.col("record_id").is_in(list(matched_f)))
        .select("record_id", "side", pl.lit("not_enquired").alias("phenomenon")),
        people.filter((pl.col("side") == "found") & (pl.col("relation") != ""))
        .select("record_id", "side", pl.col("relation").alias("phenomenon")),
    ]
    return pl.concat([phenomena, *extra])


def ensure_writable(outdir) -> Path:
    """Create `outdir` if needed and prove a file can be written there."""
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        probe = outdir / ".rfl-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise InputError(outdir, f"cannot write here ({err.strerror or type(err).__name__})") from None
    return outdir


def write_dataset(ds: Dataset, outdir, fmt: str = "csv") -> None:
    """Write enquiries, found, truth, phenomena (and people) as `<name>.<fmt>` in `outdir`."""
    if fmt not in FORMATS:
        raise InputError("--format", f"unknown format {fmt!r}; use csv or parquet")
    outdir = ensure_writable(outdir)
    tables = {"enquiries": ds.enquiries, "found": ds.found, "truth": ds.truth, "phenomena": ds.phenomena}
    if ds.people is not None:
        tables["people"] = ds.people
    for name, frame in tables.items():
        write_table(frame, outdir / f"{name}.{fmt}")


def read_dataset(outdir) -> Dataset:
    """Read a data set written by `write_dataset` (CSV or Parquet), checking every table."""
    outdir = Path(outdir)
    fmt = next((f for f in FORMATS if (outdir / f"enquiries.{f}").is_file()), None)
    if fmt is None:
        raise InputError(outdir, "no enquiries.csv or enquiries.parquet here")
    path = {name: outdir / f"{name}.{fmt}" for name in ("enquiries", "found", "truth", "phenomena", "people")}
    enquiries = check_records(read_table(path["enquiries"]), path["enquiries"]).select(COLUMNS)
    found = check_records(read_table(path["found"]), path["found"]).select(COLUMNS)
    truth = _read_with(path["truth"], TRUTH_COLUMNS)
    phenomena = _read_with(path["phenomena"], PHENOMENA_COLUMNS)
    for column, ids in (("enquiry_id", enquiries), ("found_id", found)):
        unknown = truth.select((~pl.col(column).is_in(ids["record_id"].implode())).arg_true().first()).item()
        if unknown is not None:
            raise InputError(path["truth"], "names a record that is not in the data set",
                             row=unknown + 1, column=column)
    people = read_table(path["people"]) if path["people"].is_file() else None
    return Dataset(enquiries, found, truth, phenomena, people)


def _read_with(path: Path, columns: tuple[str, ...]) -> pl.DataFrame:
    frame = read_table(path)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(path, f"missing required column(s): {', '.join(missing)}")
    for column in columns:
        empty = frame.select(pl.col(column).is_null().arg_true().first()).item()
        if empty is not None:
            raise InputError(path, "is empty but required", row=empty + 1, column=column)
    return frame.select(columns)
