"""Fellegi–Sunter model: match weights per comparison level, learnt from the data itself.

u (how often a level occurs between different people) comes from random pairs; m (how often it
occurs between records of one person) and the share of matches among candidates come from EM
on the candidate pairs, so no labels are needed. Labelled pairs, when a researcher has them,
replace EM. Term-frequency adjustment makes agreement on a rare name count more than agreement
on Mohammed. The model is data: `to_json`/`from_json` write and read a readable document.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MISSING = -1  # the level of a comparison where either side is blank: no evidence either way
SMOOTH = 1e-4  # floor on m and u so no level is ever "impossible"
TF_CLIP = 4.0  # bits: at most this much extra or less weight from name frequency


@dataclass(frozen=True)
class Comparison:
    """A comparison's name and the labels of its levels, strongest last (index = level)."""

    name: str
    labels: tuple[str, ...]
    tf: bool = False  # adjust the strongest levels by how common the agreeing name is


@dataclass
class Model:
    comparisons: list[Comparison]
    m: dict[str, np.ndarray] = field(default_factory=dict)
    u: dict[str, np.ndarray] = field(default_factory=dict)
    prior: float = 0.01  # share of matches among candidate pairs

    # --- learning -------------------------------------------------------------------------
    def estimate_u(self, levels: dict[str, np.ndarray]) -> None:
        """u from the level frequencies among random pairs (almost all non-matches)."""
        for c in self.comparisons:
            self.u[c.name] = _frequencies(levels[c.name], len(c.labels))

    def estimate_m_em(self, levels: dict[str, np.ndarray], prior: float, iterations: int = 40,
                      fix_u: bool = True) -> None:
        """m and the prior by expectation–maximisation over candidate pairs, u held fixed.

        `prior` is the starting share of matches, e.g. one per left record among its candidates."""
        n = len(next(iter(levels.values())))
        if n == 0:
            return
        for c in self.comparisons:
            if c.name not in self.m:  # start: matches mostly agree, so EM climbs the right hill
                self.m[c.name] = _normalise(np.r_[np.full(len(c.labels) - 1, 0.1 / (len(c.labels) - 1)), 0.9])
        prior = self.prior
        for _ in range(iterations):
            weight = self._posterior(levels, prior)
            prior = float(np.clip(weight.mean(), 1e-6, 1 - 1e-6))
            for c in self.comparisons:
                lv = levels[c.name]
                seen = lv != MISSING
                k = len(c.labels)
                self.m[c.name] = _normalise(np.bincount(lv[seen], weights=weight[seen], minlength=k) + SMOOTH)
                if not fix_u:
                    self.u[c.name] = _normalise(
                        np.bincount(lv[seen], weights=1 - weight[seen], minlength=k) + SMOOTH)
        self.prior = prior

    def estimate_from_labels(self, levels: dict[str, np.ndarray], is_match: np.ndarray) -> None:
        """m from labelled matches among candidates, and the prior from the labels' share."""
        is_match = is_match.astype(bool)
        for c in self.comparisons:
            lv = levels[c.name]
            seen = (lv != MISSING) & is_match
            self.m[c.name] = _frequencies(lv[seen], len(c.labels))
        self.prior = float(np.clip(is_match.mean(), 1e-6, 1 - 1e-6))

    # --- scoring --------------------------------------------------------------------------
    def weights(self, levels: dict[str, np.ndarray], tf: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """Match weight in bits per comparison and pair (0 where blank)."""
        out = {}
        for c in self.comparisons:
            lv = levels[c.name]
            table = np.log2(self.m[c.name] / self.u[c.name])
            w = np.where(lv == MISSING, 0.0, table[np.maximum(lv, 0)])
            if tf is not None and c.tf and c.name in tf:
                # Strongest level: how common the agreeing name is, against the average agreement.
                top = lv == len(c.labels) - 1
                adjust = np.log2(self.u[c.name][-1] / np.maximum(tf[c.name], SMOOTH))
                w = np.where(top, w + np.clip(adjust, -TF_CLIP, TF_CLIP), w)
            out[c.name] = w
        return out

    def predict(self, levels: dict[str, np.ndarray], tf: dict[str, np.ndarray] | None = None):
        """(probability, per-comparison weights) for each pair."""
        weights = self.weights(levels, tf)
        total = np.log2(self.prior / (1 - self.prior)) + sum(weights.values())
        return 1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60))), weights

    def _posterior(self, levels: dict[str, np.ndarray], prior: float) -> np.ndarray:
        total = np.log2(prior / (1 - prior)) + sum(self.weights(levels).values())
        return 1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60)))

    # --- persistence ----------------------------------------------------------------------
    def to_json(self, path: str | Path) -> None:
        doc = {
            "model": "fellegi-sunter",
            "prior": self.prior,
            "comparisons": [
                {"name": c.name, "tf": c.tf, "levels": [
                    {"label": label, "m": float(self.m[c.name][i]), "u": float(self.u[c.name][i]),
                     "weight_bits": round(float(np.log2(self.m[c.name][i] / self.u[c.name][i])), 3)}
                    for i, label in enumerate(c.labels)]}
                for c in self.comparisons
            ],
        }
        Path(path).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, path: str | Path) -> Model:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        comparisons = [Comparison(c["name"], tuple(lv["label"] for lv in c["levels"]), c.get("tf", False))
                       for c in doc["comparisons"]]
        model = cls(comparisons, prior=float(doc["prior"]))
        for c in doc["comparisons"]:
            model.m[c["name"]] = np.array([lv["m"] for lv in c["levels"]])
            model.u[c["name"]] = np.array([lv["u"] for lv in c["levels"]])
        return model


def _normalise(x: np.ndarray) -> np.ndarray:
    return x / x.sum()


def _frequencies(levels: np.ndarray, k: int) -> np.ndarray:
    seen = levels[levels != MISSING]
    return _normalise(np.bincount(seen, minlength=k).astype(float) + SMOOTH * max(len(seen), 1))
