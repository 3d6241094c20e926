"""`rfl --help` as a new user meets it, commands found through entry points, imports one way."""

import ast
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from rfl.cli import main

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {"bench", "demo", "generate", "keys", "link", "serve", "store"}


def overview(capsys, argv) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    return stopped.value.code, capsys.readouterr()


def test_help_speaks_to_an_officer_and_says_where_to_start(capsys):
    code, printed = overview(capsys, ["--help"])
    assert code == 0
    first = printed.out.split("\n\n")[1]  # after the usage line
    assert first.startswith("rfl finds the records that may be one person") and "officer" in first
    assert "add_arguments" not in printed.out and "module" not in printed.out
    listed = {line.split()[0] for line in printed.out.split("commands:\n")[1].split("\n\n")[0].splitlines()}
    assert listed == COMMANDS
    assert "Link enquiries to found records" in printed.out
    assert "where to start:\n  rfl demo " in printed.out


def test_no_command_prints_the_overview_and_an_unknown_one_is_named(capsys):
    assert main([]) == 2
    assert "where to start:" in capsys.readouterr().out
    code, printed = overview(capsys, ["lnk"])
    assert code == 2 and "unknown command 'lnk'; choose from bench, demo, generate, keys, link, serve, store" in printed.err


def test_help_imports_no_command():
    """Importing the commands takes over a second; the overview must not."""
    probe = ("import sys\nfrom rfl.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('polars', 'benchmarks', 'api', 'matching')"
             " or m == 'rfl.link'), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == "[]" and "link" in done.stdout


def test_every_declared_command_offers_add_arguments_and_run():
    commands = {ep.name: ep for ep in entry_points(group="rfl.commands")}
    assert set(commands) == COMMANDS
    for ep in commands.values():
        module = ep.load()
        assert callable(module.add_arguments) and callable(module.run) and module.__doc__.strip()


def test_rfl_imports_neither_benchmarks_nor_api():
    """Imports run one way: benchmarks and api build on rfl, never the reverse."""
    for source in ROOT.joinpath("rfl").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not [n for n in names if n.split(".")[0] in ("benchmarks", "api")], source
