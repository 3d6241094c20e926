"""How concentrated the generator's given names are, per population, and which relatives it makes.

    python -m benchmarks.name_frequency DIR      # DIR written by `rfl generate`

Tracing is hard where a handful of given names covers a large share of a population (Mohamed,
Ahmed, Ali among Somalis) and the father's and grandfather's names are drawn from the same few:
then strangers share whole name chains. This reads the hidden `people` table of a generated data
set and prints, per population, over distinct persons (either side): how many there are, how
many distinct given names they bear, the share borne by the 5 and 10 commonest (over both sexes
and within each sex), the share of persons whose given + father's + grandfather's names another
person of the population also bears, and how many persons are siblings, cousins or namesakes
of a sought person. Names are the generator's own synthetic units (phonemic or native spelling);
no record's content is read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import polars as pl

TOP = (5, 10)
RELATIONS = ("sibling", "cousin", "namesake")


def _top_share(names: pl.Series, k: int) -> float | None:
    if names.len() == 0:
        return None
    counts = names.value_counts(sort=True, name="n")["n"]
    return float(counts.head(k).sum() / names.len())


def name_frequency(people: pl.DataFrame) -> list[dict]:
    """One dict per population (in name order): persons, distinct given names, top-k shares,
    the commonest names, chain sharing and relatives. `people` is the generator's people table."""
    persons = people.unique("person_id", keep="first").with_columns(
        pl.col("given", "father", "grandfather").fill_null(""))
    out = []
    for population in sorted(persons["population"].unique().to_list()):
        mine = persons.filter(pl.col("population") == population)
        given = mine["given"]
        chains = mine.group_by("given", "father", "grandfather").len()
        shared = int(chains.filter(pl.col("len") > 1)["len"].sum())
        relation = mine["relation"].fill_null("") if "relation" in mine.columns else pl.Series([""] * mine.height)
        row = {
            "population": population,
            "persons": mine.height,
            "distinct_given": given.n_unique(),
            **{f"top{k}_share": _top_share(given, k) for k in TOP},
            **{f"top5_share_{sex}": _top_share(mine.filter(pl.col("sex") == sex)["given"], 5) for sex in ("M", "F")},
            "commonest": given.value_counts(sort=True, name="n")["given"].head(5).to_list(),
            "shared_chain_share": shared / mine.height if mine.height else None,
            **{f"{r}s": int((relation == r).sum()) for r in RELATIONS},
        }
        out.append(row)
    return out


def read_people(folder: str | Path) -> pl.DataFrame:
    """The people table a generated data set's directory holds (people.parquet or people.csv)."""
    from rfl.errors import InputError
    from rfl.records import read_table

    folder = Path(folder)
    for name in ("people.parquet", "people.csv"):
        if (folder / name).is_file():
            return read_table(folder / name)
    raise InputError(folder, "no people.parquet or people.csv here (written by `rfl generate`)")


def render(rows: list[dict]) -> str:
    header = ["population", "persons", "given names", "top 5", "top 10", "top 5 M", "top 5 F",
              "chain shared", "siblings", "cousins", "namesakes", "commonest"]

    def pct(v):
        return "-" if v is None else f"{100 * v:.1f}%"

    body = [[r["population"], f"{r['persons']:,}", f"{r['distinct_given']:,}", pct(r["top5_share"]),
             pct(r["top10_share"]), pct(r["top5_share_M"]), pct(r["top5_share_F"]), pct(r["shared_chain_share"]),
             f"{r['siblings']:,}", f"{r['cousins']:,}", f"{r['namesakes']:,}", ", ".join(r["commonest"])]
            for r in rows]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i in (0, len(header) - 1) else c.rjust(w)
                       for i, (c, w) in enumerate(zip(line, widths))).rstrip() for line in [header, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.name_frequency", description=__doc__.split("\n\n")[0])
    parser.add_argument("data", help="a directory written by `rfl generate`")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    from rfl.errors import InputError

    try:
        rows = name_frequency(read_people(args.data))
    except InputError as err:
        print(f"name_frequency: error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(rows, indent=2, ensure_ascii=False) if args.json else render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
