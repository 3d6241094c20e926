"""The command line: python -m benchmarks.independent OUTDIR [--enquiries N] [--found M] [--seed S] [-q].

Bad arguments stop before any work with one line naming the argument and exit code 2, as
argparse reports its own errors; progress goes to stderr, so stdout stays empty.
"""

import argparse
import os
import sys
import time

from rfl.arguments import at_least_one, at_least_zero

from . import generate, write

PROG = "python -m benchmarks.independent"


def parser():
    ap = argparse.ArgumentParser(
        prog=PROG,
        description="Write an independent synthetic RFL data set (enquiries, found, truth, phenomena, "
                    "people as Parquet) from a generator written without reference to benchmarks/generate, "
                    "to check that the matcher generalises. The same arguments give the same files.")
    ap.add_argument("outdir", metavar="OUTDIR",
                    help="directory to write the five .parquet files into (created if needed)")
    ap.add_argument("--enquiries", type=at_least_one, default=2000, metavar="N",
                    help="number of enquiry records (default 2000)")
    ap.add_argument("--found", type=at_least_one, default=None, metavar="M",
                    help="number of found records (default 4 x enquiries)")
    ap.add_argument("--seed", type=at_least_zero, default=0, metavar="S", help="random seed (default 0)")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")
    return ap


def _writable(outdir):
    """None if OUTDIR can be created and written to, else why not."""
    try:
        os.makedirs(outdir, exist_ok=True)
        probe = os.path.join(outdir, ".independent-write-test")
        with open(probe, "wb"):
            pass
        os.remove(probe)
    except OSError as err:
        return err.strerror or type(err).__name__
    return None


def main(argv=None):
    ap = parser()
    args = ap.parse_args(argv)
    problem = _writable(args.outdir)
    if problem:  # before the work, not after it
        ap.error(f"argument OUTDIR: cannot write to {args.outdir} ({problem})")
    start = time.perf_counter()

    def say(message):
        if not args.quiet:
            print(f"{PROG}: {message}", file=sys.stderr)

    tables = generate(args.enquiries, args.found, args.seed, progress=say)
    write(tables, args.outdir)
    say(f"wrote {', '.join(n + '.parquet' for n in tables)} to {args.outdir} "
        f"({time.perf_counter() - start:.1f} s in all)")
    return 0
