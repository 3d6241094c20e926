"""The linker interface the bench measures, the registry of linkers, and the baseline.

A linker takes interchange frames (rfl.records.COLUMNS, extra columns allowed) and returns every
candidate pair it scored with a probability, plus its own decision threshold. The registry
names each linker by a `module:attribute` path rather than importing it, so `rfl bench` starts
fast, a missing optional peer is reported instead of crashing, and a fresh subprocess can
build the linker from its name alone.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Protocol

import polars as pl

PAIR_SCHEMA = {"left_id": pl.Utf8, "right_id": pl.Utf8, "probability": pl.Float64}


@dataclass
class LinkResult:
    pairs: pl.DataFrame  # every candidate pair the linker scored: left_id, right_id, probability (Float64)
    threshold: float  # the linker's own decision threshold: probability >= threshold means "match"
    # within one file, the linker's groups of records it takes for one person (record_id, cluster),
    # where it forms groups
    clusters: pl.DataFrame | None = None


class Linker(Protocol):
    name: str

    def link(self, left: pl.DataFrame, right: pl.DataFrame | None) -> LinkResult:
        """Score candidate pairs; `right` None means deduplicate `left` (pairs with left_id < right_id)."""
        ...


@dataclass(frozen=True)
class LinkerSpec:
    name: str
    target: str  # "module:attribute", a class or factory taking no arguments
    summary: str
    requires: tuple[str, ...] = ()  # importable modules the linker needs (optional extras)
    extra: str = "peers"  # the optional extra that installs them

    def missing(self) -> list[str]:
        """The required modules that are not installed."""
        return [module for module in self.requires if importlib.util.find_spec(module) is None]

    def build(self) -> Linker:
        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module), attribute)()


REGISTRY: dict[str, LinkerSpec] = {
    spec.name: spec
    for spec in (
        LinkerSpec("rfl", "benchmarks.engine:RflLinker",
                   "the rfl engine: transliteration-aware keys, blocking graph, Fellegi-Sunter with EM"),
        LinkerSpec("rfl-spark", "benchmarks.engine:SparkLinker",
                   "the rfl engine on Apache Spark (rfl link --engine spark; master from RFL_SPARK_MASTER)",
                   requires=("pyspark",), extra="spark"),
        LinkerSpec("baseline", "benchmarks.linkers:BaselineLinker",
                   "exact normalised given + family name + birth year"),
        LinkerSpec("splink", "benchmarks.peers.splink_linker:SplinkLinker",
                   "Splink 5 (DuckDB): phonetic blocking, Jaro-Winkler, u by sampling, m by EM",
                   requires=("splink", "duckdb")),
        LinkerSpec("recordlinkage", "benchmarks.peers.recordlinkage_linker:RecordLinkageLinker",
                   "recordlinkage: phonetic blocks + sorted neighbourhood, string comparisons, ECM",
                   requires=("recordlinkage", "pandas")),
    )
}

# `rfl bench --peers` runs these, in this order, whichever are registered.
PEERS = ("rfl", "splink", "recordlinkage", "baseline")


def normalised_name(column: str) -> pl.Expr:
    """Lower case, accents stripped, only letters kept: 'Mc Kenzie-Ávila' -> 'mckenzieavila'."""
    return (
        pl.col(column).str.normalize("NFKD").str.replace_all(r"\p{M}", "")
        .str.to_lowercase().str.replace_all(r"[^\p{L}]", "")
        .replace("", None)
    )


class BaselineLinker:
    """Exact agreement of normalised given names, family name and birth year, probability 1.

    Deliberately naive: it shows the harness works end to end, and what a spreadsheet lookup
    would find. Records missing any of the three fields are never candidates.
    """

    name = "baseline"

    def link(self, left: pl.DataFrame, right: pl.DataFrame | None) -> LinkResult:
        def keyed(frame: pl.DataFrame) -> pl.DataFrame:
            return frame.select(
                pl.col("record_id").cast(pl.Utf8),
                pl.concat_str(normalised_name("given_names"), normalised_name("family_name"),
                              pl.col("birth_date").str.slice(0, 4), separator="|").alias("key"),
            ).drop_nulls("key")

        a = keyed(left)
        b = a if right is None else keyed(right)
        pairs = a.join(b, on="key", suffix="_r").select(
            pl.col("record_id").alias("left_id"), pl.col("record_id_r").alias("right_id"),
            pl.lit(1.0).alias("probability"),
        )
        if right is None:
            pairs = pairs.filter(pl.col("left_id") < pl.col("right_id"))
        return LinkResult(pairs=pairs, threshold=0.5)
