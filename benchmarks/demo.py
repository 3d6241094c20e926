"""Show the whole job on built-in sample data: generate, link, and measure against the truth.

Writes a small synthetic cross-border data set (enquiries, found records, the true pairs) to a
folder, links it exactly as `rfl link` would, and prints the quality figures a researcher
would ask for first. Only counts and ids are printed, never a person's details.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from benchmarks.generate import generate, write_dataset
from benchmarks.metrics import RANK_K, evaluate
from matching.linker import MATCH, REVIEW
from rfl import memory
from rfl.link import link_files, shortlist
from rfl.records import write_table
from rfl.search import SHIPPED_SCORED


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--enquiries", type=int, default=1000, help="enquiries to generate (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("-o", "--output", default="demo-output", help="folder for data and matches")


def run(args: argparse.Namespace) -> int:
    memory.for_a_batch()
    out = Path(args.output)
    data = generate(args.enquiries, seed=args.seed)
    write_dataset(data, out)
    print(f"generated {data.enquiries.height:,} enquiries, {data.found.height:,} found records, "
          f"{data.truth.height:,} true pairs in {out}/")
    start = time.perf_counter()
    pairs, linker = link_files([str(out / "enquiries.csv"), str(out / "found.csv")])
    seconds = time.perf_counter() - start
    truth = data.truth.rename({"enquiry_id": "left_id", "found_id": "right_id"})
    figures = evaluate(pairs.select("left_id", "right_id", "probability"), MATCH, truth,
                       data.enquiries.height, data.found.height)
    written = shortlist(pairs, dedupe=False)
    write_table(written, out / "matches.csv")  # what `rfl link` would write
    rows = [
        ("linked in", f"{seconds:.1f} s", "the first run also compiles the matcher's loops once"),
        ("candidate pairs", f"{figures['candidate_pairs']:,}", "pairs compared and scored"),
        ("pairs completeness", _pct(figures["pairs_completeness"]), "share of the true pairs among them"),
        ("precision", _pct(figures["precision"]), f"share of the pairs at {MATCH} or above that are true"),
        ("recall", _pct(figures["recall"]), f"share of the true pairs at {MATCH} or above"),
        ("F1", _pct(figures["f1"]), "the two together"),
        (f"recall@{RANK_K}", _pct(figures[f"recall_at_{RANK_K}"]),
         f"share of the true pairs among their enquiry's {RANK_K} best, of every candidate scored"),
    ]
    print(f"{written.height:,} candidates written to {out / 'matches.csv'} (each enquiry's candidates, "
          f"up to ten, best first, probability {REVIEW} or above, as rfl link writes them)")
    for name, value, meaning in rows:
        print(f"  {name:<20} {value:<8} {meaning}".rstrip())
    if linker.fell_back:
        print(f"  {SHIPPED_SCORED}: too few enquiries to learn a better one from them")
    print(f"next: {_command()} link ENQUIRIES FOUND -o matches.csv with your own files, as it linked "
          f"{out / 'enquiries.csv'} and {out / 'found.csv'} here; how to read the output: docs/link-output.md")
    return 0


def _command() -> str:
    """rfl as this run was started (`make demo`: .venv/bin/rfl, which is not on the PATH)."""
    started = Path(sys.argv[0])
    return str(started) if started.name == "rfl" else "rfl"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
