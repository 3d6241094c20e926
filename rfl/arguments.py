"""Types for command-line options that argparse checks as it reads them, naming the option."""

from __future__ import annotations

import argparse


def at_least_one(text: str) -> int:
    """A whole number of 1 or more: a count (--top, --enquiries); 0 or less once ran and wrote nothing."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1; give 1 or more")
    return value


def probability(text: str) -> float:
    """A number from 0 to 1 (--min-probability 2 once wrote an empty file without a word)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not a probability: give a number from 0 to 1")
    return value
