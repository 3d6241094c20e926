"""One error type for bad input, so every command reports it the same way and exits 2."""

from pathlib import PurePath

# Lines before a text file's first data row: a CSV's header is line 1, so its data row 1 is
# line 2; JSON Lines has no header. Other files (Parquet, an upload, an option) have no lines.
_HEADER_LINES = {".csv": 1, ".jsonl": 0, ".ndjson": 0}


class InputError(Exception):
    """Bad input a person can fix: names the file, and where known the line (or row) and column.

    `row` is the 1-based data row (header not counted), as the code that found the problem
    counts it. People look for a place in a text file by the line their editor shows, so the
    message names the line: given as `line` by a reader that knows it exactly (blank lines,
    cells that span lines), else worked out from `row` for CSV and JSON Lines. Parquet and
    anything not a text file are named by row: `enquiries.parquet, row 7, column sex: ...`.

    The message never quotes cell values: they may be names or places of people at risk.
    """

    def __init__(self, path, problem: str, row: int | None = None, column: str | None = None,
                 line: int | None = None):
        self.path, self.problem, self.row, self.column = str(path), problem, row, column
        header = _HEADER_LINES.get(PurePath(self.path).suffix.lower())
        self.line = line if line is not None or row is None or header is None else row + header
        where = [self.path]
        if self.line is not None:
            where.append(f"line {self.line}")
        elif row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {problem}")


def install_hint(extra: str) -> str:
    """How to install an optional extra, from the package index or in a clone of the repository
    (where `pip install 'rfl[...]'` would look for rfl on the index)."""
    return f"pip install 'rfl[{extra}]'; in a clone: .venv/bin/pip install -e '.[{extra}]'"
