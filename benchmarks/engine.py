"""The rfl matching engine as a bench linker: the same engine and settings `rfl link` uses.

Columns both sides share beyond the interchange schema (FEBRL's addresses and identity numbers)
are compared too, as `rfl link --compare` would be told to.
"""

from __future__ import annotations

import polars as pl

from benchmarks.linkers import LinkResult
from matching.linker import MATCH, Linker
from rfl.schema import fields_with, with_domain_flags
from rfl.records import COLUMNS


class RflLinker:
    name = "rfl"

    def link(self, left: pl.DataFrame, right: pl.DataFrame | None) -> LinkResult:
        shared = [c for c in left.columns if c not in COLUMNS and not c.startswith("_") and (right is None or c in right.columns)]
        left, right = with_domain_flags(left), None if right is None else with_domain_flags(right)
        linker = Linker(fields_with(tuple(shared)))
        pairs = linker.link(left, right)
        self.model = linker.model  # the learnt model, for `rfl bench --report`'s weights
        return LinkResult(pairs=pairs.select("left_id", "right_id", "probability"), threshold=MATCH)
