"""recordlinkage (index → compare → classify), set up as its documentation teaches.

- Index: a union of blocks on the same phonetic keys the Splink setup uses (Soundex of first
  given name + family name, Metaphone + birth year, given/family swapped, full birth day,
  FEBRL's social security number), plus a sorted neighbourhood (window 5) on the family name.
- Compare: Jaro-Winkler ≥ 0.85 on names, birth place and address text; exact birth day (not
  a 1 January placeholder); birth years within one; exact sex, nationality, state and codes. All binary, as its
  unsupervised classifier requires; a missing value counts as disagreement (its default).
- Classify: the ECM classifier (Fellegi–Sunter with EM, no training labels); its match
  probability ≥ 0.5 is a match, which is what its `predict` does.
"""

from __future__ import annotations

import polars as pl

from benchmarks.linkers import PAIR_SCHEMA, LinkResult
from benchmarks.peers.features import (
    CATEGORY_FIELDS, EXTRA_CATEGORIES, EXTRA_CODES, EXTRA_TEXT, NAME_FIELDS, PLACE_FIELDS, prepare, present,
)

JARO_WINKLER = 0.85
WINDOW = 5
THRESHOLD = 0.5


def _indexer(rl, frames):
    from recordlinkage.index import Block, SortedNeighbourhood

    indexer = rl.Index()
    indexer.add(Block(["given_sdx", "family_sdx"]))
    indexer.add(Block(["family_mtp", "birth_year"]))
    indexer.add(Block(["given_mtp", "birth_year"]))
    indexer.add(Block(left_on=["given_sdx", "family_sdx"], right_on=["family_sdx", "given_sdx"]))
    indexer.add(Block("birth_day"))
    if present(frames, ("soc_sec_id",)):
        indexer.add(Block("soc_sec_id"))
    indexer.add(SortedNeighbourhood("family_name", window=WINDOW))
    return indexer


def _comparer(rl, frames):
    compare = rl.Compare()
    for column in present(frames, (*NAME_FIELDS, *PLACE_FIELDS, *EXTRA_TEXT)):
        compare.string(column, column, method="jarowinkler", threshold=JARO_WINKLER, label=column)
    if present(frames, ("birth_day",)):
        compare.exact("birth_day", "birth_day", label="birth_day")
    if present(frames, ("birth_year",)):
        compare.numeric("birth_year", "birth_year", method="step", offset=1, label="birth_year")
    for column in present(frames, (*CATEGORY_FIELDS, *EXTRA_CATEGORIES, *EXTRA_CODES)):
        compare.exact(column, column, label=column)
    return compare


class RecordLinkageLinker:
    name = "recordlinkage"

    def __init__(self):
        import recordlinkage  # noqa: F401  (import cost belongs to set-up, not to the timed run)

    def link(self, left: pl.DataFrame, right: pl.DataFrame | None) -> LinkResult:
        import recordlinkage as rl

        sides = [prepare(left)] if right is None else [prepare(left), prepare(right)]
        tables = [f.with_columns(pl.col("birth_year").cast(pl.Float64)).to_pandas().set_index("record_id")
                  for f in sides]
        candidates = _indexer(rl, sides).index(*tables)
        if len(candidates) == 0:
            return LinkResult(pl.DataFrame(schema=PAIR_SCHEMA), THRESHOLD)
        features = _comparer(rl, sides).compute(candidates, *tables)
        classifier = rl.ECMClassifier(binarize=None)
        classifier.fit(features)
        probability = classifier.prob(features)
        pairs = pl.DataFrame({
            "left_id": probability.index.get_level_values(0).astype(str),
            "right_id": probability.index.get_level_values(1).astype(str),
            "probability": probability.to_numpy(),
        })
        return LinkResult(pairs=pairs.cast(PAIR_SCHEMA), threshold=THRESHOLD)
