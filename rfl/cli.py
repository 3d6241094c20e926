"""The `rfl` command line: one sub-command per module, each offering `add_arguments` and `run`.

Modules are imported only when their command runs, so `rfl --help` stays instant. Bad input
anywhere surfaces as `InputError`: one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from rfl.errors import InputError

# command name -> (module, one-line help)
COMMANDS = {
    "demo": ("rfl.demo", "generate a small cross-border data set, link it and print its quality"),
    "generate": ("benchmarks.generate.cli", "write synthetic enquiries, found records and true pairs"),
    "link": ("rfl.link", "link enquiries to found records, or find duplicates within one file"),
    "bench": ("benchmarks.runner", "measure linkers' match quality and speed on data with truth"),
    "serve": ("api.serve", "start the tracing API on a local SQLite store"),
    "keys": ("api.keys", "create or revoke API keys for a society's staff and jobs"),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="rfl", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    # Parse the command name first, then let only that module define its arguments.
    known, _ = parser.parse_known_args(argv[:1])
    if known.command is None:
        parser.print_help()
        return 2
    module = importlib.import_module(COMMANDS[known.command][0])
    cmd = argparse.ArgumentParser(prog=f"rfl {known.command}", description=module.__doc__.splitlines()[0])
    module.add_arguments(cmd)
    args = cmd.parse_args(argv[1:])
    try:
        return module.run(args) or 0
    except InputError as err:
        print(f"rfl {known.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"rfl {known.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
