"""Write synthetic RFL enquiries, found records, true pairs and applied distortions.

Example: rfl generate -o data/gen --enquiries 2000 --seed 7 --rate typo=0.1 --format parquet
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import fields
from pathlib import Path

from benchmarks.generate import FORMATS, ensure_writable, generate, write_dataset
from benchmarks.generate.rates import Rates, parse
from rfl.arguments import at_least_one, at_least_zero
from rfl.errors import InputError

# Above this many records in all, say what is happening on stderr (unless -q).
_CHATTY = 50_000


def _rate_help() -> str:
    defaults = Rates()
    return ("rates (NAME=VALUE, shares between 0 and 1; the pop_ rates are relative weights of the\n"
            "populations, scaled to sum to 1: pop_somalia=1 with the others at 0 gives Somali records only):\n"
            + "\n".join(f"  {f.name}={getattr(defaults, f.name):g}" for f in fields(Rates)))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _rate_help()
    parser.add_argument("-o", "--outdir", required=True, help="directory to write the files into")
    parser.add_argument("--enquiries", type=at_least_one, default=2000, help="number of enquiry records (default 2000)")
    parser.add_argument("--found", type=at_least_one, default=None,
                        help="number of found records (default 2 × enquiries)")
    parser.add_argument("--seed", type=at_least_zero, default=0, help="random seed: same seed, same files (default 0)")
    parser.add_argument("--format", choices=FORMATS, default="csv", help="file format (default csv)")
    parser.add_argument("--rate", action="append", default=[], metavar="NAME=VALUE",
                        help="change one rate; repeatable (list below)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress messages")


def _not_over_real_files(outdir: Path) -> None:
    """Refuse a folder holding enquiries or found records that no earlier run wrote (no
    truth file beside them): they may be a society's real files. A generated set is written over."""
    if any((outdir / f"truth.{fmt}").exists() for fmt in FORMATS):
        return
    for name in ("enquiries", "found"):
        for fmt in FORMATS:
            if (outdir / f"{name}.{fmt}").exists():
                raise InputError(outdir / f"{name}.{fmt}", "is already there and was not written by rfl generate "
                                                           "(no truth file beside it); give a new folder")


def run(args: argparse.Namespace) -> int:
    enquiries, seed = args.enquiries, args.seed
    found = 2 * enquiries if args.found is None else args.found
    rates = parse(args.rate)
    _not_over_real_files(ensure_writable(args.outdir))  # fail before minutes of work, not after
    chatty = not args.quiet and enquiries + found >= _CHATTY
    start = time.perf_counter()

    def say(message: str) -> None:
        if chatty:
            print(f"rfl generate: {message} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)

    ds = generate(enquiries, found, seed=seed, rates=rates, progress=say)
    say(f"writing {args.format} files")
    write_dataset(ds, args.outdir, args.format)
    if not args.quiet:
        print(f"wrote {ds.enquiries.height} enquiries, {ds.found.height} found records and "
              f"{ds.truth.height} true pairs to {args.outdir}", file=sys.stderr)
    return 0
