"""One error type for bad input, so every command reports it the same way and exits 2."""


class InputError(Exception):
    """Bad input a person can fix: names the file, and where known the row and column.

    The message never quotes cell values: they may be names or places of people at risk.
    """

    def __init__(self, path, problem: str, row: int | None = None, column: str | None = None):
        self.path, self.problem, self.row, self.column = str(path), problem, row, column
        where = [self.path]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{': '.join([', '.join(where), problem])}")
