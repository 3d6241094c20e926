"""The `rfl` command: the help a tracing officer or analyst sees first, and the dispatch to commands."""

from __future__ import annotations

import argparse
import ast
import importlib.machinery
import importlib.util
import signal
import sys
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

from rfl.errors import InputError
from rfl.stopping import STOP_REQUESTED

ABOUT = """\
rfl finds the records that may be one person: an enquiry about a missing relative and a record
of someone found (alive, detained, in hospital, deceased, or a child alone), across countries,
spellings and scripts. It proposes candidates, best first, each with a probability and the
evidence for it; nothing is final until an officer has verified it."""

START = """\
where to start:
  rfl demo                                   a small made-up data set, linked and measured
  rfl link ENQUIRIES FOUND -o matches.csv    candidates for your own files (CSV, Parquet, JSON Lines)
  rfl COMMAND --help                         what a command does and its options"""


# For developers: one sub-command per module, each offering `add_arguments(parser)` and
# `run(args)`, declared in pyproject.toml's `rfl.commands` entry-point group, so that rfl names
# none of the packages built on it (the synthetic data and quality suites, the API) and imports
# run one way. A module is imported only when its command runs, and the command list in
# `rfl --help` reads each module's first docstring line from its source, so help stays instant.
# Bad input anywhere surfaces as `InputError`: one line on stderr and exit code 2.


def _commands() -> dict[str, EntryPoint]:
    """The commands installed in the `rfl.commands` entry-point group, by name."""
    return {ep.name: ep for ep in sorted(entry_points(group="rfl.commands"), key=lambda ep: ep.name)}


def _summary(module: str) -> str:
    """The first line of a module's docstring, read from its source without importing it
    (importing the commands takes over a second: polars, the matching core, FastAPI)."""
    top, *rest = module.split(".")
    spec = importlib.util.find_spec(top)  # a top-level name is found, not imported
    for part in rest:
        spec = importlib.machinery.PathFinder.find_spec(f"{spec.name}.{part}", spec.submodule_search_locations)
    doc = ast.get_docstring(ast.parse(Path(spec.origin).read_text(encoding="utf-8"))) or ""
    return doc.splitlines()[0] if doc else ""


def _overview(commands: dict[str, EntryPoint]) -> argparse.ArgumentParser:
    listing = "\n".join(f"  {name:<10}{_summary(ep.value)}" for name, ep in commands.items())
    parser = argparse.ArgumentParser(prog="rfl", usage="rfl COMMAND [options]", description=ABOUT,
                                     epilog=f"commands:\n{listing}\n\n{START}",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", help=argparse.SUPPRESS)  # listed in the epilog
    return parser


def main(argv: list[str] | None = None) -> int:
    if argv is None:  # the command line itself, not a caller in its own process
        _stop_as_interrupted(signal.SIGTERM, signal.SIGHUP)
    argv = sys.argv[1:] if argv is None else argv
    commands = _commands()
    if not argv or argv[0] not in commands:
        overview = _overview(commands)
        given = overview.parse_args(argv).command  # --help prints the overview and exits
        if given is not None:
            overview.error(f"unknown command {given!r}; choose from {', '.join(commands)}")
        overview.print_help()
        return 2
    name = argv[0]
    module = commands[name].load()
    cmd = argparse.ArgumentParser(prog=f"rfl {name}", description=module.__doc__.splitlines()[0])
    module.add_arguments(cmd)
    try:  # files may come after options too: rfl link enquiries.csv -o out.csv found.csv
        args = cmd.parse_intermixed_args(argv[1:])
    except TypeError:  # a parser argparse cannot intermix (a group of an option and a positional: bench)
        args = cmd.parse_args(argv[1:])
    try:
        code = module.run(args) or 0
    except InputError as err:
        print(f"rfl {name}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return _interrupted(name)
    except Exception:
        if not STOP_REQUESTED.is_set():
            raise
        # the stop's KeyboardInterrupt, raised while native code (polars) had called back into
        # Python, came out as another error
        return _interrupted(name)
    # a stop whose KeyboardInterrupt Python dropped (raised in a finaliser) ended no output early
    return _interrupted(name) if STOP_REQUESTED.is_set() else code


def _interrupted(name: str) -> int:
    print(f"rfl {name}: interrupted", file=sys.stderr)
    return 130


def _stop_as_interrupted(*signals: signal.Signals) -> None:
    """`timeout`, `docker stop`, systemd and a closed terminal stop a command with SIGTERM or
    SIGHUP: stopped so, it ends as Ctrl-C ends it, deleting the temporary files of the outputs
    it was writing (they hold candidate pairs), where by default it would die with them left
    behind. A server (rfl serve) sets its own handlers when it starts."""
    def interrupted(signum, frame):
        STOP_REQUESTED.set()
        raise KeyboardInterrupt
    for stop in signals:
        signal.signal(stop, interrupted)


if __name__ == "__main__":
    sys.exit(main())
