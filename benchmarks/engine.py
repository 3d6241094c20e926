"""The rfl matching engine as a bench linker: the same engine and settings `rfl link` uses.

Columns both sides share beyond the interchange schema (FEBRL's addresses and identity numbers)
are compared too, as `rfl link --compare` would be told to.
"""

from __future__ import annotations

import polars as pl

from benchmarks.linkers import LinkResult
from matching.linker import MATCH, Linker
from matching.prepare import Fields
from rfl.records import COLUMNS
from rfl.schema import fields_with, with_domain_flags


def engine_inputs(left: pl.DataFrame, right: pl.DataFrame | None
                  ) -> tuple[Fields, pl.DataFrame, pl.DataFrame | None]:
    """The fields the engine compares and both sides as it reads them (with RFL's domain flags):
    what the bench's rfl linker links, and what its blocking report blocks."""
    shared = [c for c in left.columns
              if c not in COLUMNS and not c.startswith("_") and (right is None or c in right.columns)]
    left, right = with_domain_flags(left), None if right is None else with_domain_flags(right)
    return fields_with(tuple(shared)), left, right


class RflLinker:
    name = "rfl"

    def link(self, left: pl.DataFrame, right: pl.DataFrame | None) -> LinkResult:
        fields, left, right = engine_inputs(left, right)
        linker = Linker(fields)
        pairs = linker.link(left, right)
        self.model = linker.model  # the learnt model, for `rfl bench --report`'s weights
        return LinkResult(pairs=pairs.select("left_id", "right_id", "probability"), threshold=MATCH,
                          clusters=linker.clusters)
