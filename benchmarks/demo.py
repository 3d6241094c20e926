"""Show the whole job on built-in sample data: generate, link, and measure against the truth.

Writes a small synthetic cross-border data set (enquiries, found records, the true pairs) to a
folder, links it exactly as `rfl link` would, and prints the quality figures a researcher
would ask for first. Only counts and ids are printed, never a person's details.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks.generate import generate, write_dataset
from benchmarks.metrics import RANK_K, evaluate
from matching.linker import MATCH
from rfl.link import link_files, shortlist
from rfl.records import write_table


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--enquiries", type=int, default=1000, help="enquiries to generate (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("-o", "--output", default="demo-output", help="folder for data and matches")


def run(args: argparse.Namespace) -> int:
    out = Path(args.output)
    data = generate(args.enquiries, seed=args.seed)
    write_dataset(data, out)
    print(f"generated {data.enquiries.height:,} enquiries, {data.found.height:,} found records, "
          f"{data.truth.height:,} true pairs in {out}/")
    start = time.perf_counter()
    pairs, _ = link_files([str(out / "enquiries.csv"), str(out / "found.csv")])
    seconds = time.perf_counter() - start
    write_table(shortlist(pairs, dedupe=False), out / "matches.csv")  # what `rfl link` would write
    truth = data.truth.rename({"enquiry_id": "left_id", "found_id": "right_id"})
    figures = evaluate(pairs.select("left_id", "right_id", "probability"), MATCH, truth,
                       data.enquiries.height, data.found.height)
    rows = [
        ("linked in", f"{seconds:.1f} s"),
        ("candidate pairs", f"{figures['candidate_pairs']:,}"),
        ("pairs completeness", _pct(figures["pairs_completeness"])),
        ("precision", _pct(figures["precision"])),
        ("recall", _pct(figures["recall"])),
        ("F1", _pct(figures["f1"])),
        (f"recall@{RANK_K}", _pct(figures[f"recall_at_{RANK_K}"])),
    ]
    print(f"matches written to {out / 'matches.csv'}")
    for name, value in rows:
        print(f"  {name:<20} {value}")
    return 0


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
