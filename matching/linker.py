"""The whole flow in one place: prepare → block → compare → learn → score → rank.

    pairs = Linker(fields).link(left, right)      # or .link(records) to find duplicates
    linker.search(enquiry, index)                  # one enquiry against a standing Index

Each stage lives in its own module and works on tables or arrays; this facade only arranges
them: it learns the model when none is given (matching.training: u from random pairs, m by EM)
and returns every candidate pair with its calibrated probability, rank, decision and
per-comparison weights.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
import polars as pl

from matching import absence, blocking, cluster, dates, decoys, shortlist, training
from matching.absence import Rivals, exclusive
from matching.compare import BIRTH_DATE, Comparer, different_names
from matching.index import Index
from matching.model import MISSING, Model
from matching.prepare import Fields, Prepared, Vocab, exact_codes, exact_text, prepare

BLOCK_SLICE = 20_000  # left records blocked at once
MATCH = 0.5  # a calibrated probability at or above this is a "match" worth verifying
REVIEW = 0.01  # below this a candidate is not worth an officer's time
SHOWN = 6  # decimals a probability is shown with: a millionth, finer than any calibration can vouch for
LEAST_SHOWN = 1e-5  # and the least shown: below, a CSV writer turns to exponents (1e-06), which readers misread


class Linker:
    """The pipeline with its vocabulary and comparisons, and the model once learnt or given.

    `link` learns the model (when none was given) and scores whole files; `search` scores a few
    records against a standing `Index` with the model in hand. Both run the same stages, and a
    left record's candidates and probabilities depend only on that record and the indexed side,
    so an enquiry searched alone gets what it gets in a batch. One linker serves one thread at a
    time: its similarity memory grows as it compares (the tracing service searches under its
    index's lock)."""

    def __init__(self, fields: Fields, model: Model | None = None, seed: int = 0,
                 progress: Callable[[str, int, int], None] | None = None, prior: Model | None = None):
        """`progress(stage, done, total)` is called as each stage starts and advances (`total`
        0 where it is not known), so a caller can show a bar with a rate and time left. `prior`,
        a model learnt elsewhere, scores files too small to learn from, and the m learnt from
        larger ones are shrunk toward its m (`training.learn`)."""
        self.fields, self.model, self.seed, self.prior = placeholders_read(fields, model, []), model, seed, prior
        self.fell_back = False  # scored with `prior` because the files were too small to learn from
        self.clusters: pl.DataFrame | None = None  # after linking one file: (record_id, cluster) of grouped records
        self.progress = progress or (lambda stage, done, total: None)
        self.vocab = Vocab()
        self.comparer = Comparer.of(self.vocab, fields)
        for given in (model, prior):
            if given is not None:
                given.check_fits(self.comparer.comparisons)

    def index(self, records: pl.DataFrame | None = None) -> Index:
        """An index of `records` (or an empty one to fill) for `search` to link others against."""
        index = Index(self.vocab)
        if records is not None:
            index.add(prepare(records, self.fields, self.vocab))
        return index

    def link(self, left: pl.DataFrame, right: pl.DataFrame | None = None,
             labels: pl.DataFrame | None = None, top: int | None = None, min_probability: float = 0.0,
             evidence: bool = True) -> pl.DataFrame:
        """Scored candidate pairs: left_id, right_id, probability, rank, decision, and with
        `evidence` per comparison its weight of evidence in bits (w_<comparison>) and level label
        (l_<comparison>), and for comparisons weighed by name frequency the bits of w_ due to it
        (f_<comparison>); where a population's names agreeing keep a share of their weight other
        than all of it, that share (k_names), and where its population lifts its pairs, the bits
        (k_lift, matching.absence). Without `evidence` (a benchmark,
        which reads every candidate's probability and nothing else) those columns are not built:
        for all 6,000,000 candidates at 100,000 x 500,000 they took 3.4 s of the output's 4.2 s.

        `labels` (left_id, right_id of known true pairs), when a researcher has them, replace EM:
        m is counted from the labelled matches among the candidates.

        `top` and `min_probability` keep each left record's best `top` candidates at that
        probability or above (`cut`); every candidate by default. Rows cut are never built: at
        100,000 x 500,000 the evidence columns of all 6,000,000 candidates took 1.9 GB, more than
        any stage before them."""
        dedupe = right is None
        n_records = len(left) + (0 if dedupe else len(right))
        self.progress("preparing records", 0, n_records)
        self.fields = placeholders_read(self.fields, self.model, [left] if dedupe else [left, right])
        # Within one file a pair would read one record's last contact against the other's day,
        # and score a pair by which of the two comes first: the comparison stays blank there.
        lp = prepare(left, dataclasses.replace(self.fields, last_contact=None) if dedupe else self.fields, self.vocab)
        index = Index(self.vocab)
        # One file keeps its order: there a record is offered only the rows after its own, so
        # reordering changes which pairs are proposed (m2k duplicates F1 0.8717 -> 0.8578 grouped).
        index.add(lp if dedupe else prepare(right, self.fields, self.vocab).grouped_by_name(self.vocab))
        self.progress("preparing records", n_records, n_records)
        li, ri = self._candidates(lp, index, dedupe)
        levels, tf = self._compare(lp, index, li, ri)
        learnt = self.model is None
        # which candidate pairs the labels say are true: m and the share found are counted from them
        known = None if labels is None or not learnt else training.is_labelled(lp.ids[li], index.data.ids[ri], labels)
        asked = (learnt and not dedupe and known is None
                 and training.enough_to_learn(len(lp), len(li), over_prior=self.prior is not None))
        decoy = self._decoys(left, index) if asked else None
        if learnt:
            self.progress("learning the model", 0, 0)
            try:
                self.model = training.learn(self.comparer, lp, index, li, ri, levels, tf, dedupe, self.seed, known,
                                            self.prior)
            except training.TooLittleToLearn:
                if self.prior is None:
                    raise
                self.model, self.fell_back, learnt = self.prior, True, False
            # the files were read with these days: the model saved reads them so again
            self.model = dataclasses.replace(self.model, placeholder_days=self.fields.placeholder_days)
        names = _population_names(left, self.fields.population) if learnt and not dedupe else None
        probability, weights, kept, lift, population = self._probabilities(
            lp, index, li, ri, levels, tf, dedupe, names, known, decoy if learnt else None)
        if dedupe:
            self.clusters = self._clusters(lp, index, li, ri, probability)
        return self._scored(lp, index, li, ri, levels, tf, probability, weights, kept, lift, population, top,
                            min_probability, evidence)

    def search(self, left: pl.DataFrame, index: Index, top: int | None = None,
               min_probability: float = 0.0) -> pl.DataFrame:
        """`link` of a few left records (an enquiry) against a standing index, with the model
        in hand: the same candidates, probabilities and ranks as in a batch, cut as `link` cuts
        them (`top`, `min_probability`)."""
        lp = prepare(left, self.fields, self.vocab)
        li, ri = self._candidates(lp, index, False)
        return self.score(lp, index, li, ri, top, min_probability)

    def score(self, lp: Prepared, index: Index, li: np.ndarray, ri: np.ndarray, top: int | None = None,
              min_probability: float = 0.0) -> pl.DataFrame:
        """Compare and score candidate pairs found elsewhere, the model in hand: what `search`
        does after blocking, and what the Spark engine (rfl.spark) does with the pairs its own
        blocking found. `index` is the side searched, or anything that answers `data` (its
        prepared records) and `name_share` as an Index does. Cut as `link` cuts (`top`,
        `min_probability`)."""
        levels, tf = self._compare(lp, index, li, ri)
        return self._scored(lp, index, li, ri, levels, tf, *self._probabilities(lp, index, li, ri, levels, tf, False),
                            top, min_probability)

    def _candidates(self, lp: Prepared, index: Index, dedupe: bool, stage: str | None = "blocking"
                    ) -> tuple[np.ndarray, np.ndarray]:
        """Blocking, a slice of left records at a time (two in flight): what a record is offered
        does not depend on the others, so slices bound the memory of the key joins without
        changing a pair. Progress is told as `stage` (None: not told)."""
        progress = self._told(stage)
        progress(stage, 0, len(lp))
        keys = blocking.record_keys(lp, self.vocab)
        contradictions = shortlist.contradiction_bits(self.fields)

        def block(start: int) -> pl.DataFrame:
            part = keys.filter(pl.col("row").is_between(start, start + BLOCK_SLICE - 1))
            return blocking.candidates(part, lp, index, contradictions, dedupe)

        starts = range(0, len(lp), BLOCK_SLICE)
        found = []
        # Two slices at once: a slice's keys are looked up and budgeted on one core (numpy and
        # polars, much of it holding the GIL) while the other's rows are ranked on both (the
        # shortlist kernel holds none), so neither core waits for the other's part.
        with ThreadPoolExecutor(min(2, len(starts)) or 1) as pool:
            for start, part in zip(starts, pool.map(block, starts)):
                found.append(part)
                progress(stage, min(start + BLOCK_SLICE, len(lp)), len(lp))
        cand = pl.concat(found)
        return cand["l"].to_numpy().astype(np.int64), cand["r"].to_numpy().astype(np.int64)

    def _decoys(self, left: pl.DataFrame, index: Index
                ) -> tuple[Prepared, np.ndarray, np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]] | None:
        """Decoy enquiries made of `left` (matching.decoys), blocked and compared with `index` as
        real ones are: (the decoys prepared, li, ri, levels, name shares); None where no stratum
        is large enough to make any."""
        made = decoys.decoys(left, self.fields, self.seed)
        if not len(made):
            return None
        self.progress("weighing decoy enquiries", 0, len(made))
        dp = prepare(made, self.fields, self.vocab)
        li, ri = self._candidates(dp, index, False, stage=None)
        levels, tf = self._compare(dp, index, li, ri, stage=None)
        self.progress("weighing decoy enquiries", len(made), len(made))
        return dp, li, ri, levels, tf

    def _compare(self, lp: Prepared, index: Index, li: np.ndarray, ri: np.ndarray,
                 stage: str | None = "comparing pairs"):
        """Comparison levels of the candidate pairs, and the share of indexed records holding
        each pair's agreeing name. Progress is told as `stage` (None: not told)."""
        progress = self._told(stage)
        progress(stage, 0, len(li))
        levels = self.comparer.levels(lp, index.data, li, ri)
        progress(stage, len(li), len(li))
        return levels, self._shares(lp, index, li, ri, levels)

    def _told(self, stage: str | None) -> Callable[[str, int, int], None]:
        """The progress callback for a stage, or one that tells nothing where `stage` is None (the
        decoys' blocking and comparing, told as one stage of their own)."""
        return self.progress if stage is not None else (lambda stage, done, total: None)

    def _shares(self, lp: Prepared, index: Index, li: np.ndarray, ri: np.ndarray,
                levels: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Term frequencies: for each comparison weighed by frequency, how common each pair's
        agreeing name or birth place is among the indexed records of the pair's nationality
        (the people a namesake could be among; Comparer.tf_shares)."""
        return self.comparer.tf_shares(lp, index, li, ri, levels)

    def _probabilities(self, lp: Prepared, index: Index, li: np.ndarray, ri: np.ndarray,
                       levels: dict[str, np.ndarray], tf: dict[str, np.ndarray], dedupe: bool,
                       names: dict[int, str] | None = None,
                       known: np.ndarray | None = None, decoy: tuple | None = None
                       ) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray | None,
                                  np.ndarray | None]:
        """Each pair's probability under the one-person rule, its weights per comparison, for
        the name comparisons the share of their weight for agreeing each pair's population
        keeps ({} where every pair keeps all; the weights are those kept), the bits each pair's
        population lifts it by (None where none lifts any), and the population code each pair was
        weighed as (`Model.weights`; None: all by the overall m). With `names` (each left
        population's code and name, when the model was learnt here) what the rule needs is learnt
        first: each population's own m of the birth place (training.learn_by_population), then
        the rule's weights (matching.absence), from `known` (which pairs are labelled true) where
        labels were given. Within one file the rule keeps its weight of 1 for "no other record",
        the names their full weight, no lift and the overall m (a record's duplicate is rare)."""
        # each pair's population, its left record's; within one file none: the m of whichever
        # record came first would make a pair's score depend on the file's order
        population = None if dedupe else lp.population[li]
        probability, weights = self.model.predict(levels, tf, population)
        same_person = one_person(self.model, self.comparer, index, sisters_apart=not dedupe)
        if dedupe:
            return exclusive_within(li, ri, probability, same_person), weights, {}, None, None
        candidates = np.bincount(li, minlength=len(lp))[li]  # of each pair's left record
        half = absence.absent_weights(candidates, self.model.prior)  # "not in the file" at found = 1/2
        if names is not None:  # while the rule's weights are learnt, copies are told with names at full weight
            kin = kinship(li, ri, probability, contending(probability, half), same_person)
            rivals_of = Rivalry(li, kin)

        if BIRTH_DATE in weights:  # first, so that the rule's own weights are learnt over the odds so weighed
            blank = left_blank, right_blank = _blank_dates(lp, index.data, li, ri)
            if names is not None:  # learnt over the pairs with odds to speak of (the rest add nothing)
                odds = _odds(probability)
                if known is None:
                    # The date's m learnt again, each candidate pair a match as far as the rule
                    # says: EM's posterior knows no rule, and among an enquiry's namesakes takes
                    # those whose dates agree best for its matches (100,000 x 500,000 generated:
                    # "same full date" 0.354 of the matches, 0.289 of the true pairs; counted
                    # under the rule over all candidates, 0.287). Only the pairs the other fields
                    # single out are counted (training.singled_out), where enough of them give a
                    # date: counted over all candidates, an enquiry's dozens of namesakes still
                    # taught their dates as a match's (100,000 x 400,000 independent: "7-8 years
                    # apart where the Ethiopian calendar may apply" +1.2 bits where the true pairs
                    # give -0.1, "years one apart, a year given alone" -4.5 against -1.3;
                    # benchmarks/RESULTS.md, session 25).
                    counts, singled = self._counted_dates(li, odds, rivals_of(odds), half, weights, levels)
                    if decoy is not None:  # the lone namesakes of absent people, told by the decoys'
                        counts, namesakes = decoys.less_namesakes(
                            counts, self._decoy_date_counts(decoy, same_person, singled > 0),
                            self.model.comparison(BIRTH_DATE).rare)
                        self.model.training["date_namesakes_removed"] = round(namesakes, 4)
                    self.model.estimate_m_counted(BIRTH_DATE, counts)
                    # the saved model says how it was learnt (0 pairs singled out: all candidates counted)
                    self.model.training["m_from_rule"] = [BIRTH_DATE]
                    self.model.training["singled_out"] = singled
                    weights[BIRTH_DATE] = self.model.weights(levels, tf, only=[BIRTH_DATE])[BIRTH_DATE]
                    odds = _odds(self.model.probability(weights))
                at = np.flatnonzero(odds > absence.USEFUL_ODDS)
                kin_at = _within(kin, at, len(li))
                self.model.date_missing_bits = absence.missing_date_bits(
                    li[at], odds[at], Rivalry(li[at], kin_at), half[at],
                    left_blank[at], right_blank[at], *_blank_shares(lp, index, li))
            weights[BIRTH_DATE] = weights[BIRTH_DATE] + _missing_date(self.model, blank)
            probability = self.model.probability(weights)
        if names is not None:
            # each population's m of its birth places, before the rule's weights are learnt over them
            odds = _odds(probability)
            counted = known.astype(np.float64) if known is not None else exclusive(odds, rivals_of(odds), half)
            learnt = training.learn_by_population(self.model, li, counted, weights, levels, population, names,
                                                  singled=known is None)
            weights.update(self.model.weights(levels, tf, only=learnt, population=population))
            probability = self.model.probability(weights)
            name_bits = sum(np.maximum(weights[c], 0.0) for c in self.comparer.names)  # names agreeing
            pairwise = self.model.log_odds(weights)
            other_bits = pairwise - name_bits
            found = None if decoy is None else self._found_by_decoys(decoy, index, li, pairwise)
            self.model.found, self.model.name_weight, self.model.lift_bits = absence.learn(
                li, name_bits, other_bits, rivals_of, lp.population, names, self.model.prior, known, found)
            if self.model.found is not None:
                origin = "labels" if known is not None else "fixed point" if found is None else "decoys"
                self.model.training["share_found_from"] = origin
        share = absence.by_population(self.model.name_weight, lp.population, 1.0)[li]
        kept = {c: share for c in self.comparer.names} if (share != 1).any() else {}
        if kept:
            weights = absence.names_kept(weights, self.comparer.names, share)
        lift = absence.by_population(self.model.lift_bits, lp.population, 0.0)[li]
        lifted = bool(lift.any())
        if kept or lifted:  # one pass over every pair for both
            probability = self.model.probability(weights, lift)
        odds = _odds(probability)
        absent = 1.0 if self.model.found is None else absence.absent_weights(candidates, self.model.prior, self.model.found)
        # two candidates are one person as likely as their names weigh in the enquiry's
        # population (the lift is the enquiry's, not the two candidates'); which of them contend
        # is asked of the lifted odds, as at the population's own share found: asked of the odds
        # before the lift, fewer copies were checked where lifts are large (independent 100,000 x
        # 400,000: F1 0.5215 against 0.5225, R@5 0.7575 against 0.7581)
        kin = kinship(li, ri, probability, contending(probability, half), same_person, share)
        return exclusive(odds, rivals(li, odds, kin), absent), weights, kept, lift if lifted else None, population

    def _decoy_date_counts(self, decoy: tuple, same_person: Callable[..., np.ndarray], singled: bool) -> np.ndarray:
        """The decoys' pairs counted at each birth date level as the real ones are when the
        date's m is learnt again: each as far as the one-person rule at a share found of one half
        makes it its decoy's person (its candidates' copies lending to each other, `same_person`),
        and with `singled` only those the other fields single out."""
        dp, dli, dri, levels, tf = decoy
        probability, weights = self.model.predict(levels, tf, dp.population[dli])
        odds = _odds(probability)
        half = absence.absent_weights(np.bincount(dli)[dli], self.model.prior)
        kin = kinship(dli, dri, probability, contending(probability, half), same_person)
        return self._counted_dates(dli, odds, rivals(dli, odds, kin), half, weights, levels, singled)[0]

    def _counted_dates(self, li: np.ndarray, odds: np.ndarray, rivals_now: Rivals, half: np.ndarray,
                       weights: dict[str, np.ndarray], levels: dict[str, np.ndarray], singled: bool | None = None
                       ) -> tuple[np.ndarray, int]:
        """The pairs' weight at each birth date level as the date's m is learnt again, real
        pairs and decoys' alike: each pair as far as the one-person rule makes it its enquiry's
        person (`rivals_now`, `half`), and only the pairs the other fields single out
        (training.singled_out) where `singled`, or, where it is None, where at least
        MIN_SINGLED_OUT of those give a date on both sides. With how many such pairs were
        counted (0: every pair was)."""
        counted = exclusive(odds, rivals_now, half)
        chosen = training.singled_out(li, self.model.log_odds(weights, leaving_out=BIRTH_DATE))
        dated = int((chosen & (levels[BIRTH_DATE] != MISSING)).sum())
        if singled is None:
            singled = dated >= training.MIN_SINGLED_OUT
        if singled:
            counted = counted * chosen
        return self.model.level_counts(levels, counted, BIRTH_DATE), dated if singled else 0

    def _found_by_decoys(self, decoy: tuple, index: Index, li: np.ndarray, pairwise: np.ndarray) -> float | None:
        """The share found told by the decoys (matching.decoys.share_found): their pairs weighed
        as the real ones' `pairwise` log2 odds are at this point (the names at full weight, no
        lift)."""
        dp, dli, dri, levels, tf = decoy
        theirs = self.model.weights(levels, tf, population=dp.population[dli])
        if BIRTH_DATE in theirs:
            theirs[BIRTH_DATE] = theirs[BIRTH_DATE] + _missing_date(self.model, _blank_dates(dp, index.data, dli, dri))
        return decoys.share_found(li, pairwise, dli, self.model.log_odds(theirs), self.model.prior)

    def _clusters(self, lp: Prepared, index: Index, li: np.ndarray, ri: np.ndarray,
                  probability: np.ndarray) -> pl.DataFrame:
        """(record_id, cluster) of the records within one file that `match` pairs group
        (matching.cluster), two records never in one group where the model scores them below
        REVIEW or their own first names are different names (sisters)."""
        def apart(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            levels = self.comparer.levels(lp, lp, a, b)
            alone = self.model.predict(levels, self._shares(lp, index, a, b, levels))[0]
            return (alone < REVIEW) | different_names(levels)

        label = cluster.clusters(li, ri, probability, MATCH, apart)
        rows = np.flatnonzero(label >= 0)
        return pl.DataFrame({"record_id": pl.Series(lp.ids[rows], dtype=pl.Utf8), "cluster": label[rows]})

    def _scored(self, lp: Prepared, index: Index, li: np.ndarray, ri: np.ndarray, levels: dict[str, np.ndarray],
                tf: dict[str, np.ndarray], probability: np.ndarray, weights: dict[str, np.ndarray],
                kept: dict[str, np.ndarray], lift: np.ndarray | None, population: np.ndarray | None,
                top: int | None, min_probability: float, evidence: bool = True) -> pl.DataFrame:
        """The pairs ranked (`ranked`), cut (`cut`), and only then given their ids and, with
        `evidence`, their evidence (`population`: what each pair was weighed as, `_probabilities`)."""
        # left records in the order of their ids (none first), so the output runs by left id
        left = pl.Series(lp.ids, dtype=pl.Utf8).rank("dense").fill_null(0).to_numpy()[li]
        pairs = cut(ranked(left, probability, index.data.id_hash[ri]), top, min_probability)
        at = pairs["pair"].to_numpy()
        li, ri = li[at], ri[at]
        scored = pairs.select(
            # ids gathered by polars: no Python string per candidate pair
            pl.Series("left_id", lp.ids, dtype=pl.Utf8).gather(li),
            pl.Series("right_id", index.data.ids, dtype=pl.Utf8).gather(ri),
            "probability", "rank",
            pl.when(pl.col("probability") >= MATCH).then(pl.lit("match"))
            .when(pl.col("probability") >= REVIEW).then(pl.lit("review"))
            .otherwise(pl.lit("unlikely")).alias("decision"),
        )
        if not evidence:
            return scored
        levels = {k: v[at] for k, v in levels.items()}
        weights = {k: v[at] for k, v in weights.items()}
        # every name comparison keeps one share (`names_kept`): gathered once
        share = next(iter(kept.values()))[at] if kept else None
        kept_share = dict.fromkeys(kept, share)
        frequency = self.model.frequency_bits(levels, weights, {k: v[at] for k, v in tf.items()}, kept_share,
                                              None if population is None else population[at])
        return scored.with_columns(
            # exact bits: what shows them rounds them (rfl.link.explain, rfl.search), on the few
            # rows it shows (rounding every candidate's cost 1.4 s at 100,000 x 500,000)
            *(pl.Series(f"w_{k}", v) for k, v in weights.items()),
            *(_labels(c, levels[c.name]).alias(f"l_{c.name}") for c in self.model.comparisons),
            *(pl.Series(f"f_{k}", v) for k, v in frequency.items()),
            # the share of their weight names agreeing keep in the pair's population, and the
            # bits it lifts the pair by (absence)
            *([pl.Series("k_names", share)] if kept else []),
            *([pl.Series("k_lift", lift[at])] if lift is not None else []),
        )


COMPETITORS = 5  # strong candidates per left record checked for being one person


def _blank_dates(lp: Prepared, right: Prepared, li: np.ndarray, ri: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pair, whether the left record gives no birth year, and whether the right one gives none
    where the left does."""
    left_blank, right_blank = np.isnan(lp.dates["birth_year_lo"])[li], np.isnan(right.dates["birth_year_lo"])[ri]
    return left_blank, right_blank & ~left_blank


def _missing_date(model: Model, blank: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Each pair's weight for a birth date given on one side only (`_blank_dates`: the left
    side blank, else the right), 0 where both or neither give one."""
    left_bits, right_bits = model.date_missing_bits
    return np.where(blank[0], left_bits, np.where(blank[1], right_bits, 0.0))


def _blank_shares(lp: Prepared, index: Index, li: np.ndarray) -> tuple[float, float]:
    """The shares of left records with candidates and of living indexed records that give no
    birth year: what `absence.missing_date_bits` expects of the matches."""
    left_blank, right_blank = np.isnan(lp.dates["birth_year_lo"]), np.isnan(index.data.dates["birth_year_lo"])
    sought, alive = np.bincount(li, minlength=len(lp)) > 0, index.alive[: len(right_blank)]
    return (float(left_blank[sought].mean()) if sought.any() else 0.0,
            float(right_blank[alive].mean()) if alive.any() else 0.0)


def _within(kin: tuple[np.ndarray, np.ndarray, np.ndarray], at: np.ndarray, n: int
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`kinship`'s pairs of pairs among pairs `at` (of `n`), numbered by their place in `at`."""
    place = np.full(n, -1, dtype=np.int64)
    place[at] = np.arange(len(at))
    a, b = place[kin[0]], place[kin[1]]
    both = (a >= 0) & (b >= 0)
    return a[both], b[both], kin[2][both]


def placeholders_read(fields: Fields, model: Model | None, frames: list[pl.DataFrame]) -> Fields:
    """`fields` with the birthdays read as placeholders (`Fields.placeholder_days`) settled: a
    model's own, since its weights were learnt reading dates so; else those already settled;
    else the days `frames` over-use (matching.dates.overused_days), none settled without frames.
    A batch and the searches a model serves then read every date alike."""
    if model is not None:
        return dataclasses.replace(fields, placeholder_days=model.placeholder_days)
    if fields.placeholder_days is not None or not frames:
        return fields
    column = fields.birth_date
    found = dates.overused_days(f[column] for f in frames if column is not None and column in f.columns)
    return dataclasses.replace(fields, placeholder_days=found)


def one_person(model: Model, comparer: Comparer, index: Index,
               sisters_apart: bool = True) -> Callable[..., np.ndarray]:
    """`same(a, b, share=None)`: the probability that rows a[i] and b[i] of the indexed side are
    the same person registered twice, as the model scores them (names weighed by how common they
    are among `index`'s records, as an enquiry's candidates are, but without any rule between
    candidates; agreeing names keep `share[i]` of their weight where given, the share the
    enquiry's population keeps, matching.absence; the birth place by the overall m, as two found
    records' places were written by the found side, not by the enquiry's population), and 0
    where, with `sisters_apart`, their own
    first names are different names. Two sisters of one family (Olena and Olga Kovalenko, same
    parents and place) once scored 0.5 as one person and so did not compete for an enquiry: the
    sister was `match` beside the enquiry's person at 0.99999. Within one file that check is not
    made: there a person registered many times (FEBRL 2 and 3: up to nine copies, first names
    mistyped) is the common case, and apart the copies shared their probability (F1 0.9997 ->
    0.8824); clusters keep sisters apart there (Linker._clusters). Without name frequencies a
    rare name weighed as an average one, and two registrations of one person (Khadija Attia,
    mother Latifa, of Sabha; one with her birth date, the other with her father) scored 0.4 and
    competed. With names at their full weight where the enquiry's population keeps less, two
    Afghan candidates scored 0.5-0.9 as one person were one 0.15-0.41 of the time (0.26-0.61
    with the population's share) at 100,000 x 500,000."""
    side = index.data

    def same(a: np.ndarray, b: np.ndarray, share: np.ndarray | None = None) -> np.ndarray:
        levels = comparer.levels(side, side, a, b)
        weights = model.weights(levels, comparer.tf_shares(side, index, a, b, levels))
        if share is not None:
            weights = absence.names_kept(weights, comparer.names, share)
        alike = model.probability(weights)
        return np.where(different_names(levels), 0.0, alike) if sisters_apart else alike
    return same


def exclusive_within(left: np.ndarray, right: np.ndarray, probability: np.ndarray,
                     same_person: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
    """`exclusive` (with "no other record" weighing 1) for pairs within one file (left[i] <
    right[i], rows of one side): a record is one person, so it is the same person as one other
    record at most, unless those others are the same person too (registered three times). A pair
    competes with the other candidates of both its records: P = odds / (1 + odds + rivals of the
    one + rivals of the other). Six namesakes of one record, each strong alone, share its
    probability instead of all being matches (issue 9: six women called Faadumo Mohamed, each
    `match` at 0.94)."""
    both = np.r_[left, right], np.r_[right, left]
    # one person or not, no chance between: copies of a record are the common case here, up to
    # nine (FEBRL 2 and 3), and weighed by their chance each lent too little (F1 0.9997 -> 0.9943)
    odds, rivals = competing(*both, np.r_[probability, probability], lambda a, b: same_person(a, b) >= MATCH)
    n = len(left)
    return exclusive(odds[:n], rivals.of(slice(0, n)).plus(rivals.of(slice(n, None))))


def competing(left: np.ndarray, right: np.ndarray, probability: np.ndarray,
              same_person: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> tuple[np.ndarray, Rivals]:
    """Each pair's odds, and its `rivals`: what `exclusive` weighs. `same_person(rows_a, rows_b)`
    says how likely pairs of right rows are one person (`kinship`)."""
    odds = _odds(probability)
    return odds, rivals(left, odds, kinship(left, right, probability, probability >= MATCH, same_person))


def contending(probability: np.ndarray, half: np.ndarray) -> np.ndarray:
    """Which candidate pairs are strong enough to lend (`kinship`): those whose candidate, alone
    against "not in the file" (`half`, its weight at a share found of 1/2: absence.absent_weights),
    would be a match: a Bayes factor at least the enquiry's number of candidates (times 2^-lift
    where `probability` carries its population's lift, absence.learn). The model's share of
    matches scales both sides alike, so the test does not move with it as files grow where the
    pairwise probability did: EM's share fell from 0.0052 at 20,000 enquiries to 0.0025 at
    100,000 (0.010 and 0.009 true), and of 4,538 people registered twice among one enquiry's
    candidates at 100,000 x 400,000, both copies had a pairwise probability of MATCH or more for
    1,000 only (benchmarks/RESULTS.md, session 27)."""
    return _odds(probability) >= MATCH / (1 - MATCH) * half


def kinship(left: np.ndarray, right: np.ndarray, probability: np.ndarray, strong: np.ndarray,
            same_person: Callable[..., np.ndarray], share: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, q): pairs a[k] and b[k] of one left record whose right records are one person with
    probability q[k] > 0 (`same_person(rows_a, rows_b)` for pairs of right rows, given `share`
    of pair a's, where given, as `one_person` takes it), in both orders. Only strong
    candidates (the pairs `strong` marks) can lend each other much: it is asked of every pair of
    a left record's COMPETITORS strongest strong ones, and of its strongest with each further
    strong one, never of every pair of candidates. A further one that is its strongest's person
    joins the strongest's group (one person registered seven times: checked among five only, the
    sixth and seventh competed with the rest, and seven copies in one file paired at 0.14 where
    six paired at 0.99); two of the group are one person as likely as both are the strongest's."""
    strong = np.flatnonzero(strong)
    by_strength = (pl.DataFrame({"i": strong, "l": left[strong], "p": probability[strong]})
                   .sort("p", descending=True, maintain_order=True)
                   .with_columns(pl.int_range(pl.len()).over("l").alias("rank")))
    frame = by_strength.filter(pl.col("rank") < COMPETITORS)
    pairs = frame.join(frame, on="l", suffix="_b").filter(pl.col("i") != pl.col("i_b"))
    none = np.zeros(0, dtype=np.int64)
    if not pairs.height:
        return none, none, np.zeros(0)
    a, b = pairs["i"].to_numpy(), pairs["i_b"].to_numpy()
    q = np.asarray(same_person(right[a], right[b], *([] if share is None else [share[a]])), dtype=np.float64)
    keep = q > 0
    a, b, q = a[keep], b[keep], q[keep]
    further = by_strength.filter(pl.col("rank") >= COMPETITORS).join(
        by_strength.filter(pl.col("rank") == 0).select("l", pl.col("i").alias("best")), on="l")
    if not further.height:
        return a, b, q
    j, best = further["i"].to_numpy(), further["best"].to_numpy()
    qj = np.asarray(same_person(right[best], right[j], *([] if share is None else [share[best]])), dtype=np.float64)
    joined = qj >= MATCH
    if not joined.any():
        return a, b, q
    # the strongest's group: itself, the five's members one with it, the further ones one with
    # it; pairs with a further one added (the five's own pairs were scored, and stand)
    kin_of_best = np.isin(a, best[joined])
    members = np.concatenate([best[joined], b[kin_of_best], j[joined]])
    to_best = np.concatenate([np.ones(joined.sum()), q[kin_of_best], qj[joined]])
    further_one = np.r_[np.zeros(joined.sum() + kin_of_best.sum(), dtype=bool), np.ones(joined.sum(), dtype=bool)]
    group = (pl.DataFrame({"l": left[members], "i": members, "q": to_best, "further": further_one})
             .group_by("l", "i").agg(pl.col("q").max(), pl.col("further").first()))
    grouped = (group.join(group, on="l", suffix="_b")
               .filter((pl.col("i") != pl.col("i_b")) & (pl.col("further") | pl.col("further_b"))))
    return (np.r_[a, grouped["i"].to_numpy()], np.r_[b, grouped["i_b"].to_numpy()],
            np.r_[q, (grouped["q"] * grouped["q_b"]).to_numpy()])


def rivals(left: np.ndarray, odds: np.ndarray, kin: tuple[np.ndarray, np.ndarray, np.ndarray]) -> Rivals:
    """Each pair's rivals (`absence.Rivals`): the odds of its left record's other candidates,
    each lent back as far as it is the same person as the pair's right record (`kin`, from
    `kinship`), the kin lending most (q x its odds) kept apart."""
    return Rivalry(left, kin)(odds)


class Rivalry:
    """`rivals` of pairs `left` with kin `kin` under odds given at each call: what learning the
    rule's weights asks for dozens of times over millions of pairs. The kin are grouped by pair
    once, and the answer is written into the same three arrays at every call, so each call is
    one pass over the pairs: fresh arrays at every call (four of 48 MB at 100,000 x 400,000)
    cost more in memory first touched than the pass itself (200 ms a call against 40). An
    answer therefore holds only until the next call."""

    def __init__(self, left: np.ndarray, kin: tuple[np.ndarray, np.ndarray, np.ndarray]):
        a, b, q = kin
        if not len(a) == len(b) == len(q) or (len(a) and max(a.max(), b.max()) >= len(left)):
            raise ValueError("rivals: pairs and kin do not fit together")  # the kernel would not check
        order = np.argsort(a, kind="stable")
        self.left, self.b, self.q = left, b[order], q[order]
        self.pairs, first = np.unique(a[order], return_index=True)  # pairs with kin, where their kin start
        self.starts = np.r_[first, len(a)].astype(np.int64)
        # written at each call; np.empty is not touched, so costs nothing until then
        self.out = Rivals(np.empty(len(left)), np.empty(len(left)), np.empty(len(left)))

    def __call__(self, odds: np.ndarray) -> Rivals:
        if len(odds) != len(self.left):
            raise ValueError("rivals: pairs and odds of different lengths")
        _rivals(self.left, odds, self.pairs, self.starts, self.b, self.q, *self.out)
        return self.out


@numba.njit(cache=True)
def _rivals(left, odds, pairs, starts, b, q, others, kin_odds, kin_q):
    """`Rivalry`'s arrays (others, kin_odds, kin_q) in one pass over the pairs and one over the
    kin. Pair pairs[g]'s kin are b[starts[g]:starts[g + 1]] (with q); they are summed smallest
    loan (q x odds) first, equal loans the surer last, so candidates alike get the same sum to
    the last bit whatever order the kin were found in (a search and a batch, one run and the
    next), and the largest loan comes last, the one kept apart."""
    n = len(odds)
    total = np.zeros(left.max() + 1 if n else 0)
    for i in range(n):
        total[left[i]] += odds[i]
    for i in range(n):
        others[i] = max(total[left[i]] - odds[i], 0.0)
        kin_odds[i], kin_q[i] = 0.0, 0.0
    order = np.arange(len(b))
    for g in range(len(pairs)):
        i, first, end = pairs[g], starts[g], starts[g + 1]
        for x in range(first + 1, end):  # insertion sort by (loan, q), stable: a pair has few kin
            k, y = order[x], x - 1
            loan = odds[b[k]] * q[k]
            while y >= first:
                other = odds[b[order[y]]] * q[order[y]]
                if other < loan or (other == loan and q[order[y]] <= q[k]):
                    break
                order[y + 1] = order[y]
                y -= 1
            order[y + 1] = k
        relief = 0.0
        for x in range(first, end):
            k = order[x]
            relief += odds[b[k]] * q[k]
            kin_odds[i], kin_q[i] = odds[b[k]], q[k]
        others[i] = max(total[left[i]] - odds[i] - relief - (1 - kin_q[i]) * kin_odds[i], 0.0)


def _odds(probability: np.ndarray) -> np.ndarray:
    return probability / np.maximum(1 - probability, 1e-12)


def _population_names(frame: pl.DataFrame, column: str | None) -> dict[int, str]:
    """The code (as `prepare` gives it) and name (as it reads it) of each population in `frame`,
    0 "" for none."""
    values = (exact_text(frame[column]).drop_nulls().unique()
              if column is not None and column in frame.columns else pl.Series([], dtype=pl.Utf8))
    return {0: "", **dict(zip(exact_codes(values).tolist(), values.to_list()))}


def _labels(comparison, levels: np.ndarray) -> pl.Series:
    """Level numbers as their labels (null where a side was blank), as an enum column."""
    labels = pl.Series(comparison.labels, dtype=pl.Enum(list(comparison.labels)))
    return labels.gather(pl.Series(levels).cast(pl.UInt32, strict=False))  # MISSING becomes null


def ranked(left: np.ndarray, probability: np.ndarray, tie: np.ndarray) -> pl.DataFrame:
    """(pair, probability, rank): the pairs (numbered in their input order) by `left` record,
    each record's best first and ranked so; equal probabilities by `tie` (a hash of each right
    record's identity), so two runs rank alike whatever order the pairs came in.

    Compiled (`_ranked`): a record has a few dozen candidates, so counting the pairs out by
    record and sorting each record's few in place took 0.28-0.35 s for 6,000,000 pairs, where
    polars' sort on three keys took 0.78-1.02 s."""
    left = np.asarray(left, dtype=np.int64)
    order, rank = _ranked(left, np.asarray(probability, dtype=np.float64), np.asarray(tie, dtype=np.uint64),
                          int(left.max(initial=-1)) + 1)
    return pl.DataFrame({"pair": order.astype(np.uint32), "probability": probability[order], "rank": rank})


GROUP_SORTED_IN_PLACE = 64  # a record's candidates up to this many are sorted by insertion, more by merge sort


@numba.njit(cache=True, nogil=True)
def _ranked(left, probability, tie, n_left):
    """`ranked`'s order of the pairs and each one's rank: counted out by left record (values
    0..n_left - 1), then each record's pairs by probability, highest first, then by tie."""
    start = np.zeros(n_left + 1, np.int64)
    for i in range(len(left)):
        start[left[i] + 1] += 1
    for g in range(n_left):
        start[g + 1] += start[g]
    order = np.empty(len(left), np.int64)
    at = start[:-1].copy()
    for i in range(len(left)):
        order[at[left[i]]] = i
        at[left[i]] += 1
    rank = np.empty(len(left), np.uint32)
    for g in range(n_left):
        a, e = start[g], start[g + 1]
        if e - a > GROUP_SORTED_IN_PLACE:
            group = order[a:e]
            group = group[np.argsort(tie[group], kind="mergesort")]
            order[a:e] = group[np.argsort(-probability[group], kind="mergesort")]
        else:
            for x in range(a + 1, e):
                k = order[x]
                y = x - 1
                while y >= a and (probability[order[y]] < probability[k]
                                  or (probability[order[y]] == probability[k] and tie[order[y]] > tie[k])):
                    order[y + 1] = order[y]
                    y -= 1
                order[y + 1] = k
        for x in range(a, e):
            rank[x] = x - a + 1
    return order, rank


def shown(probability: pl.Expr) -> pl.Expr:
    """A probability as files and the service give it to people: to SHOWN decimals, never below
    LEAST_SHOWN nor 1 (which would read as certainty). Pairs are ranked and decided on the exact
    figure first: rounded, candidates below LEAST_SHOWN tied and lost their order. Cut down, not
    rounded, so a figure shown is never past a threshold its pair's decision is not (0.4999996 is
    0.499999, `review`)."""
    scale = 10.0 ** SHOWN
    return ((probability * scale).floor() / scale).round(SHOWN).clip(LEAST_SHOWN, 1 - 1 / scale)


def cut(pairs: pl.DataFrame, top: int | None, min_probability: float) -> pl.DataFrame:
    """Each left record's best `top` pairs (all with None) at `min_probability` or above: what
    `rfl link` writes and a search shows."""
    keep = pl.col("probability") >= min_probability
    return pairs.filter(keep if top is None else keep & (pl.col("rank") <= top))
