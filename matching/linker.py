"""The whole flow in one place: prepare → block → compare → model → rank.

    pairs = Linker(fields).link(left, right)      # or .link(records) to find duplicates

Each stage lives in its own module and works on tables or arrays; this facade only arranges
them, learns the model when none is given (u from random pairs, m by EM), and returns every
candidate pair with its calibrated probability, rank, decision and per-comparison weights.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl

from matching import blocking
from matching.compare import Comparer
from matching.model import Model
from matching.prepare import Fields, Prepared, Vocab, prepare

U_SAMPLE = 200_000  # random pairs for estimating u
MATCH = 0.5  # a calibrated probability at or above this is a "match" worth verifying
REVIEW = 0.01  # below this a candidate is not worth an officer's time


class Linker:
    def __init__(self, fields: Fields, model: Model | None = None, seed: int = 0,
                 progress: Callable[[str], None] | None = None):
        self.fields, self.model, self.seed = fields, model, seed
        self.progress = progress or (lambda message: None)

    def link(self, left: pl.DataFrame, right: pl.DataFrame | None = None,
             labels: pl.DataFrame | None = None) -> pl.DataFrame:
        """Scored candidate pairs: left_id, right_id, probability, rank, decision, w_<comparison>.

        `labels` (left_id, right_id of known true pairs), when a researcher has them, replace EM:
        m is counted from the labelled matches among the candidates."""
        dedupe = right is None
        vocab = Vocab()
        comparer = Comparer(vocab, self.fields.exact, self.fields.fuzzy)
        self.progress(f"preparing {len(left):,} + {0 if dedupe else len(right):,} records")
        lp = prepare(left, self.fields, vocab)
        rp = lp if dedupe else prepare(right, self.fields, vocab)
        self.progress("blocking")
        lk = blocking.record_keys(lp, vocab)
        rk = lk if dedupe else blocking.record_keys(rp, vocab)
        cand = blocking.candidates(lk, rk, dedupe)
        li, ri = cand["l"].to_numpy(), cand["r"].to_numpy()
        self.progress(f"comparing {len(li):,} candidate pairs")
        levels = comparer.levels(lp, rp, li, ri)
        if self.model is None:
            self.progress("learning the model (u from random pairs, m by EM or from labels)")
            self.model = self._with_u(comparer, lp, rp, dedupe)
            if labels is None:
                self.model.estimate_m_em(levels, prior=min(0.5, len(lp) / max(len(li), 1)))
            else:
                self.model.estimate_from_labels(levels, _is_labelled(lp.ids[li], rp.ids[ri], labels))
        tf = term_frequencies(vocab, lp, rp, comparer, li, ri, dedupe)
        probability, weights = self.model.predict(levels, tf)
        return rank(pl.DataFrame({
            "left_id": lp.ids[li], "right_id": rp.ids[ri], "probability": probability,
            **{f"w_{k}": np.round(v, 2) for k, v in weights.items()},
        }))

    def _with_u(self, comparer: Comparer, lp: Prepared, rp: Prepared, dedupe: bool) -> Model:
        """A model with u from random pairs; m is learnt next, by EM or from labels."""
        rng = np.random.default_rng(self.seed)
        n = min(U_SAMPLE, len(lp) * len(rp))
        a, b = rng.integers(0, len(lp), n), rng.integers(0, len(rp), n)
        if dedupe:
            a, b = a[a != b], b[a != b]
        model = Model(list(comparer.comparisons))
        model.estimate_u(comparer.levels(lp, rp, a, b))
        return model


def _is_labelled(left_ids: np.ndarray, right_ids: np.ndarray, labels: pl.DataFrame) -> np.ndarray:
    pairs = pl.DataFrame({"left_id": left_ids.astype(str), "right_id": right_ids.astype(str)})
    known = labels.select(pl.col("left_id", "right_id").cast(pl.Utf8)).unique().with_columns(hit=pl.lit(True))
    return pairs.join(known, on=["left_id", "right_id"], how="left", maintain_order="left")["hit"].fill_null(False).to_numpy()


def term_frequencies(vocab: Vocab, lp: Prepared, rp: Prepared, comparer: Comparer,
                     li: np.ndarray, ri: np.ndarray, dedupe: bool) -> dict[str, np.ndarray]:
    """Share of records holding each pair's agreeing name, counted by phonetic key so that the
    spellings of one name pool their counts."""
    key_of = np.array([k[0] if k else "" for k in vocab.keys], dtype=object)
    sides = [lp] if dedupe else [lp, rp]
    held = np.concatenate([p.all_tokens.ravel() for p in sides])  # tokens are distinct per row
    held = held[held >= 0]
    keys, counts = np.unique(key_of[held].astype(str), return_counts=True)
    share = dict(zip(keys.tolist(), (counts / sum(len(p) for p in sides)).tolist()))
    token_share = np.array([share.get(k, 0.0) for k in key_of], dtype=float)
    out = {}
    for name, tokens in comparer.tf_tokens(lp, rp, li, ri).items():
        out[name] = np.where(tokens >= 0, token_share[np.maximum(tokens, 0)], np.nan)
    return out


def rank(pairs: pl.DataFrame) -> pl.DataFrame:
    """Rank each left record's candidates, best first, and label the decision."""
    return (
        pairs.sort(["left_id", "probability"], descending=[False, True])
        .with_columns(pl.col("probability").rank("ordinal", descending=True).over("left_id")
                      .cast(pl.UInt32).alias("rank"))
        .with_columns(pl.when(pl.col("probability") >= MATCH).then(pl.lit("match"))
                      .when(pl.col("probability") >= REVIEW).then(pl.lit("review"))
                      .otherwise(pl.lit("unlikely")).alias("decision"))
        .select("left_id", "right_id", "probability", "rank", "decision", pl.col("^w_.*$"))
    )
