"""Search one enquiry against the found records a service holds, without relinking everything.

`FoundIndex` keeps the found records in a `matching.index.Index`, current on every write, and
answers a query with `Linker.search`: the same stages, model and candidate ranking as `rfl link`,
so an enquiry gets the same candidates and probabilities from the service as from a batch.
The caller decides which records are eligible (code of conduct R4, R7, R8, R10); the index
answers with evidence only, never with the other record's values (R6).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import polars as pl

from matching.linker import REVIEW, Linker, shown
from matching.model import Model, ModelInvalid, ModelMismatch
from matching.prepare import Fields, prepare
from rfl.errors import InputError
from rfl.records import _FORMATS, COLUMNS
from rfl.schema import FIELDS, with_domain_flags


@dataclass(frozen=True)
class Candidate:
    found_id: str
    probability: float
    rank: int
    decision: str  # "match" (verify this first) or "review"
    evidence: dict[str, dict]  # comparison -> {"outcome": agree|partial|disagree|blank, "weight": bits}


# What rfl link, rfl bench and rfl demo say where files too small to learn from were scored with it.
SHIPPED_SCORED = "scored with the model shipped with rfl, learnt on synthetic data"


def default_model() -> Model:
    """The model shipped with the package, learnt by EM on synthetic cross-border data."""
    return Model.from_json(resources.files("rfl").joinpath("default_model.json"))


def prior_model(fields: Fields) -> Model | None:
    """The model a link that learns its own leans on (`Linker`'s prior: it scores files too small
    to learn from, and the m learnt are shrunk toward its m): the shipped one, which compares the
    schema's fields alone, so none where `fields` has more (`rfl link --compare`)."""
    return default_model() if fields == FIELDS else None


def load_model(path, fields: Fields = FIELDS) -> Model:
    """The model saved in `path`, once it is known to be one and to score exactly the
    comparisons of `fields`: one check for `rfl link --model` and `rfl serve --model`, so a
    wrong file is one line and exit 2 before any work, never misread weights."""
    try:
        model = Model.from_json(path)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder; give the model's JSON file") from None
    except OSError as err:
        raise InputError(path, f"cannot be read ({err.strerror or type(err).__name__})") from None
    except ValueError as err:  # ModelInvalid, or text that is not JSON
        detail = str(err) if isinstance(err, ModelInvalid) else "not JSON"
        raise InputError(path, f"is not a readable model ({detail})") from None
    pattern, rule = _FORMATS["nationality"]
    for key, by_population in (("population_name_weight", model.name_weight), ("population_lift_bits", model.lift_bits),
                               ("population_m", model.population_m)):
        stray = [k for k in by_population if k and not re.fullmatch(pattern, k)]
        if stray:  # a weight no record's nationality can ever meet would silently weigh nothing
            raise InputError(path, f"is not a readable model ({key}: {stray[0][:40]!r} is no "
                                   f"nationality: it {rule}, or \"\" for records without one)")
    try:
        Linker(fields, model)  # checks the model against the comparisons these fields give
    except ModelMismatch as err:
        raise InputError(path, str(err)) from None
    return model


class FoundIndex:
    def __init__(self, model: Model | None = None):
        self.linker = Linker(FIELDS, model or default_model())
        self.model = self.linker.model
        self.index = self.linker.index()

    def __len__(self) -> int:
        return len(self.index)

    def upsert(self, records: list[dict]) -> None:
        """Add records, replacing any with the same record_id."""
        if records:
            self.index.add(prepare(_frame(records), self.linker.fields, self.linker.vocab))

    def remove(self, record_ids: Iterable[str]) -> None:
        """Take records out of the pool."""
        self.index.remove(record_ids)

    def search(self, enquiry: dict, k: int = 10) -> list[Candidate]:
        """The enquiry's best candidates (at least `REVIEW` likely) with calibrated probability
        and per-field evidence."""
        if not len(self.index):
            return []
        pairs = self.linker.search(_frame([enquiry]), self.index, top=k, min_probability=REVIEW)
        pairs = pairs.with_columns(shown(pl.col("probability")))
        outcomes = {c.name: _outcomes(pairs["l_" + c.name], c.labels) for c in self.model.comparisons}
        return [
            Candidate(row["right_id"], row["probability"], row["rank"], row["decision"],
                      {c.name: {"outcome": outcomes[c.name][i], "weight": round(row["w_" + c.name], 2)}
                       for c in self.model.comparisons})
            for i, row in enumerate(pairs.iter_rows(named=True))
        ]


def _outcomes(labels: pl.Series, names: tuple[str, ...]) -> list[str]:
    """Each level as the officer reads it: blank (a side said nothing), agree (the top level),
    disagree (the bottom one, or any other kind of "different": a family name differs whether or
    not surnames are inherited) or partial."""
    levels = labels.to_physical().to_list()
    return ["blank" if v is None else "agree" if v == len(names) - 1
            else "disagree" if v == 0 or names[v].startswith("different") else "partial" for v in levels]


def _frame(records: list[dict]) -> pl.DataFrame:
    """Records as the interchange table with RFL's domain flags, every value as text."""
    return with_domain_flags(pl.DataFrame([{c: r.get(c) for c in COLUMNS} for r in records],
                                          schema={c: pl.Utf8 for c in COLUMNS}))
