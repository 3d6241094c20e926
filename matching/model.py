"""Fellegi–Sunter model: match weights per comparison level, learnt from the data itself.

u (how often a level occurs between different people) starts from random pairs; m (how often it
occurs between records of one person) comes from EM over chosen sets of pairs, each run learning
only the comparisons its pairs were not selected on (as Splink does per blocking rule). Labelled
pairs, when a researcher has them, replace EM. Term-frequency adjustment makes agreement on a
rare name count more than agreement on Mohammed. Two declared dependencies keep correlated
evidence from being summed as if independent (`needs`, `covered_by`). The model is data:
`to_json`/`from_json` write and read a readable document."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from matching import dates
from matching.prepare import population_rows

MISSING = -1  # the level of a comparison where either side is blank: no evidence either way
SMOOTH = 1e-4  # floor on m and u so no level is ever "impossible"
# Each M-step adds this many pseudo-pairs spread as u ("no evidence either way"): a level EM
# never sees among matches (a different first name: aliases, misfiled fields) gets a large but
# finite negative weight, not a veto, and a level seen in few pairs stays near no evidence.
PRIOR_PAIRS = 3.0
# Where a model learnt elsewhere is at hand (the one shipped with rfl), every m learnt from the
# data is shrunk toward its m by this many pseudo-matches (`Model.m_prior`): at 2,000 enquiries
# (about 1,000 people found) EM had taken a rare level's matches for strangers and weighed it
# -11.1 bits where one true pair in a hundred sat (the chain read with the own name as family
# name, independent data); at 100,000 (60,000 people found) they move nothing.
PRIOR_MATCHES = 50.0
RARE_AMONG_MATCHES = 0.01  # the most m a `Comparison.rare` level may have
TF_CLIP = 4.0  # bits: at most this much extra or less weight from name frequency
MIN_STRANGERS = 10.0  # pairs' worth of non-matches needed to re-learn a u among them
MONOTONE_PASSES = 50  # rounds of pooling overlapping monotone chains (a few suffice)
# EM stops once no parameter it learns (m, the u it re-learns, the share of matches) moves by
# EM_TOLERANCE in a step, as Splink's em_convergence does, or after EM_MAX_ITERATIONS steps.
# Splink's 1e-4 is absolute, so it lets a small m (a rare level's) stop some percent short and
# moved probabilities by up to 0.004 against 30 full steps (generated data, 1,000-2,000
# enquiries); 1e-6 keeps them within 0.0001 and still stops after 8-20 steps.
EM_TOLERANCE = 1e-6
EM_MAX_ITERATIONS = 30
TF_COLUMN = "__tf_"  # prefix of the name-share columns among the level patterns EM groups
AMONG_COLUMN = "__among_"  # prefix of the u_among mask columns there
# The least share of their weight names agreeing keep in a population (Model.name_weight,
# matching.absence): a guard for data unlike any measured (the shares learnt are 0.71-0.96 at
# 20,000 and 100,000 generated enquiries). Where even this share leaves a population's summed
# probabilities above the share found, other evidence overcounts too, and names weighing nothing
# would rank its namesakes by their dates alone.
LEAST_NAME_WEIGHT = 0.5
# The most a model file may hold: models saved by an earlier rfl let names weigh more than
# their weight where a population's summed probabilities fell short; they still load and score
# as learnt. Learning now keeps names at most at their weight and lifts such a population's
# pairs instead (Model.lift_bits).
MOST_NAME_WEIGHT = 1.5
# The most a population's pairs may be lifted (Model.lift_bits, matching.absence): a guard as the
# least name weight is (the lifts learnt are 0.05-2.0 bits at 20,000 and 100,000 enquiries).
MOST_LIFT_BITS = 8.0
# The least a birth date given on one side only may weigh (matching.absence.missing_date_bits).
LEAST_MISSING_BITS = -8.0


@dataclass(frozen=True)
class Comparison:
    """A comparison's name and the labels of its levels, strongest last (index = level)."""

    name: str
    labels: tuple[str, ...]
    tf: bool = False  # adjust the strongest levels by how common the agreeing name is
    # Another comparison whose lowest level ("different") voids this one's positive weight:
    # parents' names and birth place identify a family, so they count only once the person's
    # own first name is not different (siblings share them all; independence would sum them).
    needs: str | None = None
    # Another comparison whose "alike" levels already carry this one's evidence, so that only
    # this one's negative weight still counts there: where the first name is alike, the whole
    # name only repeats it and the family fields; it speaks where the first name fails.
    covered_by: str | None = None
    # The lowest level that means "alike", for comparisons that cover another (default: the top).
    alike_from: int | None = None
    # Levels no known way of recording one person produces (birth years more than five apart
    # outside the Ethiopian calendar; stated years 2-5 apart, which the domain's habits (a year
    # off by one, an estimated age, the Ethiopian calendar) do not explain: 0.07-0.16 % of true
    # pairs on both generators, learnt at 4 % from an independent 20,000's namesakes): EM cannot
    # tell such pairs of one person from namesakes, who agree on every name and differ only
    # there, so their m is capped at RARE_AMONG_MATCHES instead of the namesakes' share (then
    # pooled along the chains, which can lift it by what a weaker level beside it holds).
    rare: tuple[int, ...] = ()
    # Chains of levels (weakest first) whose weights may only rise along the chain: a birth year
    # further off is never better evidence of one person than a nearer one.
    monotone: tuple[tuple[int, ...], ...] = ()

    @property
    def alike(self) -> int:
        return len(self.labels) - 1 if self.alike_from is None else self.alike_from


class ModelInvalid(ValueError):
    """A saved model that cannot be read, or whose numbers are not probabilities."""


class ModelMismatch(ValueError):
    """A saved model learnt for other comparisons or levels than the linker computes."""


@dataclass
class Model:
    comparisons: list[Comparison]
    m: dict[str, np.ndarray] = field(default_factory=dict)
    u: dict[str, np.ndarray] = field(default_factory=dict)
    prior: float = 0.01  # share of matches among the candidate pairs scored
    tf_base: dict[str, float] = field(default_factory=dict)  # a typical agreeing name's share
    # The one-person rule (matching.absence.exclusive): the share of enquiries
    # whose person is among their candidates, from which each enquiry's weight of "not in the
    # file" follows, and per population (nationality, "" for none) the share of their weight for
    # agreeing the name comparisons keep there (LEAST_NAME_WEIGHT to 1 as learnt, up to
    # MOST_NAME_WEIGHT in a model saved by an earlier rfl; a population not named keeps all).
    # Learnt with the model; without them "not in the file" weighs 1.
    found: float | None = None
    name_weight: dict[str, float] = field(default_factory=dict)
    # Per population, the bits (above 0, at most MOST_LIFT_BITS) every candidate pair of its
    # enquiries gains where, its names at their full weight, the pairs' probabilities summed
    # still fall short of its matches (matching.absence); a population not named gains none.
    lift_bits: dict[str, float] = field(default_factory=dict)
    # Per population, the m of comparisons whose agreement among one person's records depends on
    # where they are from (a birth place is written alike in one script, in many ways in
    # another): learnt under the one-person rule, or from labels (training.learn_by_population);
    # a population or comparison not named scores with `m`, and so does every pair within one file.
    population_m: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    # The birthdays ("MM-DD") read as "year only" in the files it was learnt from
    # (matching.dates.overused_days): the files it scores are read the same way.
    placeholder_days: tuple[str, ...] = dates.PLACEHOLDER_DAYS
    # The weight (bits, never above 0) of a birth date given on one side only: the enquiry's
    # side blank, the found record's side blank (matching.absence.missing_date_bits). Learnt
    # with the one-person rule; 0 where not learnt.
    date_missing_bits: tuple[float, float] = (0.0, 0.0)
    # How and when it was learnt (records seen, EM runs), saved with it so a deployed model can
    # be traced back to the run that made it.
    training: dict = field(default_factory=dict)
    # While it is learnt: the m of a model learnt elsewhere, which every m learnt is shrunk
    # toward (PRIOR_MATCHES); comparisons not named have none. Not saved: `training` says so.
    m_prior: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def check_fits(self, comparisons: tuple[Comparison, ...] | list[Comparison]) -> None:
        """Raise ModelMismatch unless this model scores exactly these comparisons and levels
        (a model saved by an older version, or for other --compare fields, would misread them)."""
        want, have = list(comparisons), list(self.comparisons)
        if want != have:
            differ = sorted({c.name for c in want} ^ {c.name for c in have}) or [
                a.name for a, b in zip(want, have) if a != b]
            raise ModelMismatch(f"was learnt for other comparisons or levels ({', '.join(differ)}): saved by "
                                "another version of rfl or for other --compare columns; learn it again from "
                                "your files (rfl link without --model, with --save-model to keep it)")

    # --- learning -------------------------------------------------------------------------
    def estimate_u(self, levels: dict[str, np.ndarray]) -> None:
        """u from the level frequencies among random pairs (almost all non-matches)."""
        for c in self.comparisons:
            self.u[c.name] = _frequencies(levels[c.name], len(c.labels))
            if c.tf:
                self.tf_base[c.name] = float(self.u[c.name][-1])

    def estimate_m_em(self, levels: dict[str, np.ndarray], prior: float, learn: list[str] | None = None,
                      evidence: list[str] | None = None, learn_u: tuple[str, ...] = (),
                      max_iterations: int = EM_MAX_ITERATIONS, tolerance: float = EM_TOLERANCE,
                      tf: dict[str, np.ndarray] | None = None,
                      u_among: dict[str, np.ndarray] | None = None) -> float:
        """m of the comparisons in `learn` by expectation–maximisation, u held as it is unless
        named in `learn_u`.

        As in Splink, a run over pairs chosen by one kind of key learns only the comparisons that
        key did not select on: pairs that share a birth date teach how names agree among
        matches. (The linker's last run, over the candidates, keeps those m fixed and learns the
        birth date's, with every u, against their weight.) The E-step weighs the
        `evidence` comparisons (default: those learnt); `prior` starts the share of matches among
        the given pairs and is re-estimated each step. Returns that share. `learn_u` names
        comparisons whose u is re-estimated among these pairs' non-matches too. `tf` (each pair's
        agreeing name's share, as `predict` takes it) lets the E-step weigh agreement on Mohammed
        as little as scoring will. `u_among` maps comparisons in `learn_u` to a mask of the pairs
        whose non-matches alone teach their u.

        EM stops when the largest change of any parameter it learns in a step falls below
        `tolerance`, or after `max_iterations` steps. Each run appends to `training["em"]` how
        many steps it took, the last step's largest change and whether it converged, so that a
        saved model shows whether its weights settled (a run without pairs records 0 steps)."""
        learn = [c for c in self.comparisons if learn is None or c.name in learn]
        evidence = learn if evidence is None else [c for c in self.comparisons if c.name in evidence]
        run = {"iterations": 0, "max_change": None, "converged": False, "learnt": [c.name for c in learn]}
        self.training.setdefault("em", []).append(run)
        if len(next(iter(levels.values()))) == 0 or not evidence:
            return prior
        for c in learn:
            if c.name not in self.m:  # start: matches mostly agree, so EM climbs the right hill
                self.m[c.name] = _normalise(np.r_[np.full(len(c.labels) - 1, 0.1 / (len(c.labels) - 1)), 0.9])
        # A pair's posterior depends on its levels alone: EM over the distinct patterns of levels,
        # each weighted by its count of pairs, is EM over the pairs, in a tiny fraction of the time.
        # Name shares are rounded to an eighth of a bit so that they, too, form few patterns.
        shares = {k: np.round(np.log2(np.maximum(v, SMOOTH)) * 8) for k, v in (tf or {}).items()}
        masks = {k: v.astype(np.int8) for k, v in (u_among or {}).items()}
        levels, count = level_patterns({**levels, **{TF_COLUMN + k: v for k, v in shares.items()},
                                        **{AMONG_COLUMN + k: v for k, v in masks.items()}})
        tf = {k: np.exp2(levels.pop(TF_COLUMN + k) / 8) for k in shares}
        among = {k: levels.pop(AMONG_COLUMN + k) for k in masks}
        learnt_u = [c for c in evidence if c.name in learn_u]
        for step in range(1, max_iterations + 1):
            before = self._parameters(learn, learnt_u, prior)
            weight = self._posterior(levels, prior, evidence, tf)
            prior = float(np.clip(np.dot(count, weight) / count.sum(), 1e-6, 0.5))
            for c in learn:
                self.m[c.name] = self._m_of(c, _counts(levels[c.name], count * weight, len(c.labels)))
            for c in evidence:
                if c.name in learn_u:
                    strangers = count * (1 - weight) * among.get(c.name, 1)
                    if strangers.sum() >= MIN_STRANGERS:  # else the u in place stays
                        # SMOOTH of the pairs at least: a level no stranger shows among these
                        # pairs still happens by chance (FEBRL 3: no two strangers alike in
                        # name share a birth day, which with an absolute floor weighed 28 bits)
                        self.u[c.name] = _normalise(_counts(levels[c.name], strangers, len(c.labels))
                                                    + SMOOTH * strangers.sum())
            change = float(np.max(np.abs(self._parameters(learn, learnt_u, prior) - before)))
            run.update(iterations=step, max_change=float(f"{change:.3g}"), converged=change < tolerance)
            if run["converged"]:
                break
        # The last u update moved the weights, of the comparisons whose m stayed fixed too: order
        # them against it.
        for c in {c.name: c for c in [*learn, *learnt_u] if c.name in self.m}.values():
            self.m[c.name] = self._ordered_m(c, self.m[c.name])
        return prior

    def _parameters(self, learn: list[Comparison], learnt_u: list[Comparison], prior: float) -> np.ndarray:
        """What one EM step changes, in one array: the m being learnt, the u re-learnt, the prior."""
        return np.concatenate([*(self.m[c.name] for c in learn), *(self.u[c.name] for c in learnt_u), [prior]])

    def _m_of(self, c: Comparison, counts: np.ndarray) -> np.ndarray:
        """c's m from the matches counted at each of its levels, with PRIOR_PAIRS pseudo-pairs
        spread as u and PRIOR_MATCHES as `m_prior` (where it holds c), and the levels pooled along
        c's chains."""
        prior = self.m_prior.get(c.name)
        shrunk = 0.0
        if prior is not None:
            shrunk = PRIOR_MATCHES * prior
            # how much of this m is the other model's, for whoever reads the model (and rfl
            # link, which says where the files taught the names next to nothing)
            share = PRIOR_MATCHES / (float(counts.sum()) + PRIOR_PAIRS + PRIOR_MATCHES)
            self.training["m_shrunk_toward"].setdefault("its_share", {})[c.name] = round(share, 3)
        return self._ordered_m(c, _normalise(counts + PRIOR_PAIRS * self.u[c.name] + shrunk))

    def shrink_toward(self, other: Model) -> None:
        """Learn every m shrunk toward `other`'s (PRIOR_MATCHES), for the comparisons both score
        at the same levels, and say so in `training`."""
        mine = {c.name: c.labels for c in self.comparisons}
        self.m_prior = {c.name: other.m[c.name] for c in other.comparisons
                        if mine.get(c.name) == c.labels and c.name in other.m}
        if self.m_prior:
            self.training["m_shrunk_toward"] = {"model_sha256": other.identity()["sha256"],
                                                "pseudo_matches": PRIOR_MATCHES}

    def _ordered_m(self, c: Comparison, m: np.ndarray) -> np.ndarray:
        """m with its rare levels capped, then pooled along c's monotone chains: a rare level
        capped below a weaker one beside it (years 2-5 apart below far apart, where blocking
        left few far-apart pairs among the candidates) is pooled with it, so the order holds."""
        return _monotone(_capped(m, c.rare), self.u[c.name], c.monotone)

    def center_tf(self, levels: dict[str, np.ndarray], tf: dict[str, np.ndarray]) -> None:
        """Term-frequency adjustments relative to the names that agree among these pairs (their
        mean share), so a name as common as the average agreeing one gets the level's own weight,
        a rarer one more and a commoner one less. The level's u was learnt among the same pairs,
        where blocking has already made agreement on common names more frequent than at random."""
        for c in self.comparisons:
            if c.tf and c.name in tf:
                top = (levels[c.name] == len(c.labels) - 1) & ~np.isnan(tf[c.name])
                if top.any():
                    self.tf_base[c.name] = float(tf[c.name][top].mean())

    def level_counts(self, levels: dict[str, np.ndarray], weight: np.ndarray, name: str) -> np.ndarray:
        """How many of the pairs of `levels` are matches at each level of comparison `name`, each
        pair counted as one by its `weight` (a probability), as EM's M-step counts them."""
        return _counts(levels[name], weight, len(self.comparison(name).labels))

    def estimate_m_counted(self, name: str, counts: np.ndarray) -> None:
        """m of comparison `name` from `counts`, the matches counted at each of its levels
        (`level_counts`, or those less the namesakes decoys tell of:
        matching.decoys.less_namesakes), as EM's M-step makes them m."""
        self.m[name] = self._m_of(self.comparison(name), counts)

    def m_toward(self, name: str, counts: np.ndarray, pseudo: float) -> np.ndarray:
        """The m of comparison `name` that `counts` (the matches counted at each of its levels)
        make with `pseudo` more matches spread as its m is now, ordered as every m is: a
        population's own, which its few matches cannot move far."""
        return self._ordered_m(self.comparison(name), (counts + pseudo * self.m[name]) / (counts.sum() + pseudo))

    def comparison(self, name: str) -> Comparison:
        """The comparison called `name`."""
        for c in self.comparisons:
            if c.name == name:
                return c
        raise KeyError(f"the model has no comparison {name!r}")

    def estimate_from_labels(self, levels: dict[str, np.ndarray], is_match: np.ndarray) -> None:
        """m and u from labelled matches and non-matches among candidates, the prior from their share."""
        is_match = is_match.astype(bool)
        for c in self.comparisons:
            lv = levels[c.name]
            self.u[c.name] = _frequencies(lv[~is_match], len(c.labels))
            self.m[c.name] = self._ordered_m(c, _frequencies(lv[is_match], len(c.labels)))
        self.prior = float(np.clip(is_match.mean(), 1e-6, 1 - 1e-6))

    # --- scoring --------------------------------------------------------------------------
    def weights(self, levels: dict[str, np.ndarray], tf: dict[str, np.ndarray] | None = None,
                only: Iterable[str] | None = None, population: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Match weight in bits per comparison (those named in `only`, default all) and pair (0
        where blank); with `population` (each pair's population code, as `Prepared.population`
        holds it: its left record's) the comparisons with an m of its population's weigh by it."""
        out = {}
        wanted = None if only is None else set(only)
        own, row = self._population_tables(population)
        for c in self.comparisons if wanted is None else [c for c in self.comparisons if c.name in wanted]:
            lv = levels[c.name]
            # weights by level, in one row, or one per population where some have an m of their own
            table = own.get(c.name, np.log2(self.m[c.name] / self.u[c.name])[None, :])
            rows = row if c.name in own else 0  # each pair's row
            w = np.c_[table, np.zeros(len(table))][rows, lv]  # MISSING (-1) reads the 0 at the end
            if tf is not None and c.tf and c.name in tf:
                # Strongest level: how common the agreeing name is, against the average agreement;
                # a common name spelled alike still weighs no less than a looser spelling does.
                top = np.flatnonzero(lv == len(c.labels) - 1)
                adjust = np.log2(self.tf_base[c.name] / np.maximum(tf[c.name][top], SMOOTH))
                floor = _below_top(c, table)[row[top] if c.name in own else 0]  # by the pair's own row
                w[top] = np.maximum(w[top] + np.clip(adjust, -TF_CLIP, TF_CLIP), floor)
            held = self._held_back(c, levels)
            if held is not None:
                np.minimum(w, 0.0, out=w, where=held)
            out[c.name] = w
        return out

    def _population_tables(self, population: np.ndarray | None) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """({comparison: weights by population and level}, each pair's row in them) for the
        comparisons with an m of some population: row 0 weighs by the overall m, the others by a
        population's own (or the overall where it has none for that comparison)."""
        if population is None or not self.population_m:
            return {}, np.zeros(0, dtype=np.intp)
        names = list(self.population_m)
        tables = {}
        for c in self.comparisons:
            if any(c.name in self.population_m[n] for n in names):
                m = [self.m[c.name]] + [self.population_m[n].get(c.name, self.m[c.name]) for n in names]
                tables[c.name] = np.log2(np.array(m) / self.u[c.name])
        return tables, population_rows(names, population) + 1

    def _held_back(self, c: Comparison, levels: dict[str, np.ndarray]) -> np.ndarray | None:
        """Where c's weight may only count against the pair (`needs`: that comparison's lowest
        level; `covered_by`: that comparison alike), or None where nothing holds it back."""
        held = levels[c.needs] == 0 if c.needs is not None and c.needs in levels else None
        covering = next((x for x in self.comparisons if x.name == c.covered_by), None)
        if covering is not None:
            alike = levels[covering.name] >= covering.alike
            held = alike if held is None else held | alike
        return held

    def frequency_bits(self, levels: dict[str, np.ndarray], weights: dict[str, np.ndarray],
                       tf: dict[str, np.ndarray] | None,
                       kept: dict[str, np.ndarray] | None = None,
                       population: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """For each term-frequency-adjusted comparison, how many bits of its weight in `weights`
        (from `weights(levels, tf, population=population)`, a weight for agreeing times `kept[c]`
        per pair where `kept` names c: the share names keep in the pair's population,
        matching.absence) are due to how common or rare the agreeing name is: negative where a
        common name was down-weighted, 0 where frequency changed nothing (every level but the
        strongest, which is the only one frequency moves)."""
        if tf is None:
            return {}
        out = {}
        own, row = self._population_tables(population)
        for c in self.comparisons:
            if c.tf and c.name in tf:
                top = np.flatnonzero(levels[c.name] == len(c.labels) - 1)
                plain = np.full(len(top), float(np.log2(self.m[c.name][-1] / self.u[c.name][-1])))
                if c.name in own:  # a population's own m is no part of what frequency explains
                    plain = own[c.name][row[top], -1]
                held = self._held_back(c, levels)
                if held is not None:
                    np.minimum(plain, 0.0, out=plain, where=held[top])
                if kept and c.name in kept:
                    plain = np.where(plain > 0, plain * kept[c.name][top], plain)
                out[c.name] = np.zeros(len(levels[c.name]))
                out[c.name][top] = weights[c.name][top] - plain
        return out

    def predict(self, levels: dict[str, np.ndarray], tf: dict[str, np.ndarray] | None = None,
                population: np.ndarray | None = None):
        """(probability, per-comparison weights) for each pair (`weights`)."""
        weights = self.weights(levels, tf, population=population)
        return self.probability(weights), weights

    def log_odds(self, weights: dict[str, np.ndarray], leaving_out: str | None = None,
                 lift: np.ndarray | float = 0.0) -> np.ndarray:
        """Each pair's log2 odds of being one person: the prior's, its `weights`' but for the
        comparison `leaving_out` (the evidence of every other field, to learn that one's m from),
        and its population's `lift` (bits, `lift_bits`)."""
        return np.log2(self.prior / (1 - self.prior)) + lift + sum(w for name, w in weights.items() if name != leaving_out)

    def probability(self, weights: dict[str, np.ndarray], lift: np.ndarray | float = 0.0) -> np.ndarray:
        """Each pair's probability of being one person from its `weights` (per comparison, bits)
        and its population's `lift`."""
        return 1.0 / (1.0 + np.exp2(-np.clip(self.log_odds(weights, lift=lift), -60, 60)))

    def _posterior(self, levels: dict[str, np.ndarray], prior: float, only: list[Comparison] | None = None,
                   tf: dict[str, np.ndarray] | None = None) -> np.ndarray:
        model = Model(self.comparisons if only is None else only, self.m, self.u, prior, self.tf_base)
        return model.probability(model.weights(levels, tf))

    # --- persistence ----------------------------------------------------------------------
    def document(self) -> dict:
        """The model as the readable JSON document `to_json` writes."""
        return {
            "model": "fellegi-sunter",
            "prior": self.prior,
            "tf_base": self.tf_base,
            "found_share": self.found,
            # populations by name, so one model learnt twice is written alike whatever order the
            # files met them in (the shipped model's population_m came out in another each time)
            "population_name_weight": dict(sorted(self.name_weight.items())),
            # only where a population is lifted: a model without lifts keeps the document, and
            # so the hash (`identity`), it had before lifts were learnt
            **({"population_lift_bits": dict(sorted(self.lift_bits.items()))} if self.lift_bits else {}),
            **({"population_m": {p: {c: [float(x) for x in m] for c, m in by.items()}
                                 for p, by in sorted(self.population_m.items())}} if self.population_m else {}),
            "placeholder_days": list(self.placeholder_days),
            "birth_date_missing_bits": {"enquiry": self.date_missing_bits[0], "found": self.date_missing_bits[1]},
            "comparisons": [
                {"name": c.name, "tf": c.tf, "needs": c.needs, "covered_by": c.covered_by,
                 "alike_from": c.alike_from, "rare": list(c.rare), "monotone": [list(x) for x in c.monotone],
                 "levels": [
                    {"label": label, "m": float(self.m[c.name][i]), "u": float(self.u[c.name][i]),
                     "weight_bits": round(float(np.log2(self.m[c.name][i] / self.u[c.name][i])), 3)}
                    for i, label in enumerate(c.labels)]}
                for c in self.comparisons
            ],
            "training": self.training,
        }

    def identity(self) -> dict:
        """What names this model wherever it is used: a hash of its document, and its training
        record (what it learnt from, when)."""
        text = json.dumps(self.document(), sort_keys=True, ensure_ascii=False)
        return {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "training": self.training}

    def to_json(self, path: str | Path) -> None:
        text = json.dumps(self.document(), indent=2, ensure_ascii=False) + "\n"
        Path(path).write_text(text, encoding="utf-8")

    @classmethod
    def from_json(cls, path: str | Path) -> Model:
        """The model saved in `path`; ModelInvalid (a ValueError saying what is wrong) for a
        document that is not one, or whose numbers are not probabilities: a NaN weight would
        otherwise score every pair as NaN, and NaN sorts above every threshold."""
        try:  # utf-8-sig: a byte-order mark, as Notepad saves, is no reason to refuse a model
            doc = json.loads(Path(path).read_text(encoding="utf-8-sig"), object_pairs_hook=_unique_keys)
        except RecursionError:
            raise ModelInvalid("is nested too deeply to be a model") from None
        if isinstance(doc, dict) and doc.get("population_scale_bits"):  # {}: scores as it did
            raise ModelInvalid("was saved by an older rfl whose population_scale_bits this one no longer "
                               "reads; learn it again")
        known = set(cls([]).document()) | {"population_scale_bits", "population_lift_bits", "population_m"}
        unknown = sorted(str(k) for k in set(doc) - known) if isinstance(doc, dict) else []
        if unknown:  # a misspelt key would otherwise be a setting silently not applied
            raise ModelInvalid(f"has keys a model does not have: {', '.join(unknown)[:200]}")
        try:
            model = cls._from_document(doc)
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as err:
            raise ModelInvalid(f"is not a model document ({type(err).__name__})") from None
        model._check_numbers()
        return model

    @classmethod
    def _from_document(cls, doc: dict) -> Model:
        comparisons = [Comparison(c["name"], tuple(lv["label"] for lv in c["levels"]), c.get("tf", False),
                                  c.get("needs"), c.get("covered_by"), c.get("alike_from"), tuple(c.get("rare", ())),
                                  tuple(tuple(x) for x in c.get("monotone", ())))
                       for c in doc["comparisons"]]
        if not _number(doc["prior"]):  # float() would read the text "0.01", or true as 1
            raise ValueError("prior")
        model = cls(comparisons, prior=float(doc["prior"]), tf_base=dict(doc.get("tf_base", {})),
                    found=doc.get("found_share"), name_weight=doc.get("population_name_weight", {}),
                    lift_bits=doc.get("population_lift_bits", {}),
                    population_m={p: {c: _probabilities_of(m) for c, m in by.items()}
                                  for p, by in doc.get("population_m", {}).items()},
                    placeholder_days=_days(doc.get("placeholder_days", list(dates.PLACEHOLDER_DAYS))),
                    date_missing_bits=_sides(doc.get("birth_date_missing_bits", {"enquiry": 0.0, "found": 0.0})),
                    training=dict(doc.get("training") or {}))
        for c in doc["comparisons"]:
            model.m[c["name"]] = np.array([lv["m"] for lv in c["levels"]])
            model.u[c["name"]] = np.array([lv["u"] for lv in c["levels"]])
        return model

    def _check_numbers(self) -> None:
        if not 0 < self.prior < 1:
            raise ModelInvalid("has a prior that is not a probability between 0 and 1")
        for c in self.comparisons:
            for kind, values in (("m", self.m[c.name]), ("u", self.u[c.name])):
                if values.dtype.kind not in "fi" or not np.all((values > 0) & (values <= 1)):
                    raise ModelInvalid(f"has an {kind} of {c.name} that is not a probability above 0")
        if not all(_number(v) and 0 < v <= 1 for v in self.tf_base.values()):
            raise ModelInvalid("has a tf_base that is not a share between 0 and 1")
        if self.found is not None and not (_number(self.found) and 0 < self.found < 1):
            raise ModelInvalid("has a found_share that is not a share between 0 and 1")
        if not all(_number(b) and LEAST_MISSING_BITS <= b <= 0 for b in self.date_missing_bits):
            raise ModelInvalid(f"has birth_date_missing_bits that are not weights between {LEAST_MISSING_BITS:g} and 0 bits")
        if not dates.placeholder_days_valid(self.placeholder_days):
            raise ModelInvalid('has placeholder_days that are not days written "MM-DD" including "01-01"')
        kept = self.name_weight
        if not isinstance(kept, dict):
            raise ModelInvalid("has a population_name_weight that is not shares by population")
        wrong = [k for k, v in kept.items() if not (_number(v) and LEAST_NAME_WEIGHT <= v <= MOST_NAME_WEIGHT)]
        if wrong:
            raise ModelInvalid(f"has a population_name_weight that is not a share between {LEAST_NAME_WEIGHT} "
                               f"and {MOST_NAME_WEIGHT} for {str(wrong[0])[:40]!r}")
        lift = self.lift_bits
        if not isinstance(lift, dict):
            raise ModelInvalid("has a population_lift_bits that is not bits by population")
        wrong = [k for k, v in lift.items() if not (_number(v) and 0 < v <= MOST_LIFT_BITS)]
        if wrong:
            raise ModelInvalid(f"has a population_lift_bits that is not above 0 and at most {MOST_LIFT_BITS:g} "
                               f"bits for {str(wrong[0])[:40]!r}")
        own = {c.name: len(c.labels) for c in self.comparisons}
        for population, by in self.population_m.items():
            if not by:
                raise ModelInvalid(f"has a population_m of {str(population)[:40]!r} that names no comparison")
            for name, m in by.items():
                if name not in own or m.shape != (own[name],) or not np.all((m > 0) & (m <= 1)) \
                        or abs(m.sum() - 1) > 1e-6:
                    raise ModelInvalid(f"has a population_m of {str(population)[:40]!r} whose {str(name)[:40]!r} "
                                       "is not a probability above 0 for each level of a comparison it scores")
        for key, by_population in (("population_name_weight", kept), ("population_lift_bits", lift),
                                   ("population_m", self.population_m)):
            if not all(isinstance(k, str) and k == k.strip().upper() for k in by_population):
                raise ModelInvalid(f"has a {key} whose population is not written as the data's nationality "
                                   "is read (trimmed, in capitals)")


def _probabilities_of(values: list) -> np.ndarray:
    """A saved list of numbers as an array; ValueError for text or true/false, which numpy
    would read as numbers."""
    if not isinstance(values, list) or not all(_number(v) for v in values):
        raise ValueError("not a list of numbers")
    return np.array(values, dtype=np.float64)


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object as a dict, refused where a key repeats: which of two values a reader keeps
    is not for a model file to leave open."""
    doc = dict(pairs)
    if len(doc) < len(pairs):
        raise ModelInvalid("repeats a key within one object")
    return doc


def _number(value) -> bool:
    """A finite int or float that is not a boolean (JSON true is no number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return bool(np.isfinite(float(value)))
    except OverflowError:  # an integer of hundreds of digits
        return False


def _below_top(c: Comparison, table: np.ndarray) -> np.ndarray:
    """For each row of `table` (weights by level), the largest weight of a level below c's
    strongest on one of its monotone chains: the floor the strongest level keeps whatever its
    term frequency; -inf if none."""
    top = len(c.labels) - 1
    below = sorted({level for chain in c.monotone if top in chain for level in chain[:chain.index(top)]})
    return table[:, below].max(axis=1) if below else np.full(len(table), -np.inf)


def _normalise(x: np.ndarray) -> np.ndarray:
    return x / x.sum()


def level_patterns(levels: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The distinct combinations of levels among the pairs (as level arrays, one entry per
    combination, in sorted order) and how many pairs show each."""
    table = pl.DataFrame(levels).group_by(list(levels)).len(name="__pairs").sort(list(levels))
    return {name: table[name].to_numpy() for name in levels}, table["__pairs"].to_numpy().astype(float)


def _capped(m: np.ndarray, rare: tuple[int, ...]) -> np.ndarray:
    """m with each `rare` level at most RARE_AMONG_MATCHES, the other levels sharing the rest
    in their learnt proportions."""
    if not rare:
        return m
    fixed = np.zeros(len(m), dtype=bool)
    fixed[list(rare)] = m[list(rare)] > RARE_AMONG_MATCHES
    if not fixed.any():
        return m
    out = m.copy()
    out[fixed] = RARE_AMONG_MATCHES
    out[~fixed] *= (1 - out[fixed].sum()) / m[~fixed].sum()
    return out


def _monotone(m: np.ndarray, u: np.ndarray, chains: tuple[tuple[int, ...], ...]) -> np.ndarray:
    """m with the weights log(m/u) non-decreasing along each chain of levels: adjacent levels out
    of order are pooled (their m over their u, as one level; pooling keeps m's total). Chains
    that share a level are pooled in turn until all hold, as pooling one can undo another."""
    out = m.copy()
    for _ in range(MONOTONE_PASSES):
        if all(_ordered(out, u, chain) for chain in chains):
            break
        for chain in chains:
            blocks = []  # [levels, summed m, summed u]
            for level in chain:
                blocks.append([[level], out[level], u[level]])
                while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] > blocks[-1][1] / blocks[-1][2]:
                    last = blocks.pop()
                    blocks[-1] = [blocks[-1][0] + last[0], blocks[-1][1] + last[1], blocks[-1][2] + last[2]]
            for levels, m_sum, u_sum in blocks:
                out[levels] = m_sum * u[levels] / u_sum
    return out


def _ordered(m: np.ndarray, u: np.ndarray, chain: tuple[int, ...]) -> bool:
    ratio = m[list(chain)] / u[list(chain)]
    return bool(np.all(ratio[1:] >= ratio[:-1] * (1 - 1e-9)))


def _counts(levels: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Summed weight of the pairs at each level, blanks left out."""
    seen = levels != MISSING
    return np.bincount(levels[seen], weights=weights[seen], minlength=k)


def _frequencies(levels: np.ndarray, k: int) -> np.ndarray:
    seen = levels[levels != MISSING]
    return _normalise(np.bincount(seen, minlength=k).astype(float) + SMOOTH * max(len(seen), 1))


def _sides(doc) -> tuple:
    """(enquiry's, found record's) of a saved {"enquiry": x, "found": y}; (None, None) for
    anything else, which `_check_numbers` refuses."""
    return (doc["enquiry"], doc["found"]) if isinstance(doc, dict) and set(doc) == {"enquiry", "found"} else (None, None)


def _days(doc) -> tuple:
    """`placeholder_days` of a saved model: its list as a tuple; anything else as a value
    `_check_numbers` refuses."""
    return tuple(doc) if isinstance(doc, list) else (None,)
