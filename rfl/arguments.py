"""Types for command-line options that argparse checks as it reads them, naming the option."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def _at_least(least: int) -> Callable[[str], int]:
    """An argparse type: a whole number of `least` or more."""
    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{value} is less than {least}; give {least} or more")
        return value
    return whole


# a count (--top, --enquiries); 0 or less once ran and wrote nothing
at_least_one = _at_least(1)
# a seed (rfl generate --seed); numpy refused -1 with a traceback
at_least_zero = _at_least(0)


def probability(text: str) -> float:
    """A number from 0 to 1 (--min-probability 2 once wrote an empty file without a word)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not a probability: give a number from 0 to 1")
    return value
