"""The linker facade: one person per enquiry, and the same answer every run."""

import numpy as np
import polars as pl
import pytest

from benchmarks.generate import generate
from matching import training
from matching.absence import exclusive
from matching.linker import GROUP_SORTED_IN_PLACE, Linker, competing, exclusive_within, one_person, ranked
from matching.model import Model
from matching.prepare import Fields, prepare
from rfl.search import FoundIndex


def test_two_sure_candidates_share_the_probability_unless_they_are_one_person():
    left = np.array([0, 0, 1])
    right = np.array([10, 11, 12])
    probability = np.array([0.99, 0.99, 0.99])
    never_same = exclusive(*competing(left, right, probability, lambda a, b: np.zeros(len(a), dtype=bool)))
    assert np.allclose(never_same[:2], 99 / 199) and never_same[2] > 0.98
    # Registered twice: candidates 10 and 11 are the same person, so both keep their probability.
    same = exclusive(*competing(left, right, probability, lambda a, b: np.ones(len(a), dtype=bool)))
    assert np.all(same > 0.98)


@pytest.mark.parametrize("copies", [6, 7, 20])
def test_one_person_registered_many_times_keeps_every_registration(copies):
    """More strong candidates than COMPETITORS, all one person: each further one is that person
    as the strongest is, so none competes with the rest (seven copies once shared the probability
    at 0.14 each). Namesakes who are not one person still share it."""
    left, right = np.zeros(copies, dtype=np.int64), np.arange(1, copies + 1)
    probability = np.full(copies, 0.99)
    same = exclusive(*competing(left, right, probability, lambda a, b: np.ones(len(a), dtype=bool)))
    assert np.all(same > 0.98)
    apart = exclusive(*competing(left, right, probability, lambda a, b: np.zeros(len(a), dtype=bool)))
    assert np.all(apart < 1 / copies)


def test_candidates_alike_get_the_same_probability_to_the_last_bit_whatever_order_kin_come_in():
    """Forty candidates of two kinds, all one person: each one's rivals are summed from its kin
    in a fixed order, so that equal candidates are equal exactly and only the id's hash ranks
    them (a search once ordered them otherwise than a batch by the last bit)."""
    from matching.linker import rivals
    rng = np.random.default_rng(7)
    n = 40
    left, odds = np.zeros(n, dtype=np.int64), np.where(np.arange(n) % 2, 54.1, 0.3)
    a, b = np.array([(i, j) for i in range(n) for j in range(n) if i != j]).T
    results = []
    for _ in range(3):
        order = rng.permutation(len(a))
        results.append(exclusive(odds, rivals(left, odds, (a[order], b[order], np.full(len(a), 0.9)))))
    assert all(np.array_equal(results[0], r) for r in results[1:])
    assert len(set(results[0][1::2].tolist())) == 1 and len(set(results[0][::2].tolist())) == 1


def test_a_weak_competitor_barely_matters():
    p = exclusive(*competing(np.array([0, 0]), np.array([1, 2]), np.array([0.95, 0.02]),
                             lambda a, b: np.zeros(len(a), dtype=bool)))
    assert 0.94 < p[0] < 0.95 and p[1] < 0.02


def test_term_frequency_is_the_share_of_indexed_records_holding_the_name_by_phonetic_key():
    fields = Fields(id="id", given="given", family="family")
    left = pl.DataFrame({"id": ["a", "b"], "given": ["Mohammed", "Samir"], "family": ["Ali", None]})
    right = pl.DataFrame({"id": ["x", "y", "z", "w"], "given": ["Muhammad", "Mohammed", "Yusuf", "Samir"],
                          "family": ["Ali", "Ali", "Ali", "Haddad"]})
    linker = Linker(fields)
    index = linker.index(right)
    lp = prepare(left, fields, linker.vocab)
    def shares(li, ri):
        return linker._shares(lp, index, li, ri, linker.comparer.levels(lp, index.data, li, ri))

    tf = shares(np.array([0, 0, 1]), np.array([0, 1, 3]))
    assert np.allclose(tf["first_name"], [2 / 4, 2 / 4, 1 / 4])  # the spellings of Mohammed pool
    assert np.allclose(tf["family_name"][:2], 3 / 4) and np.isnan(tf["family_name"][2])
    index.remove(["x"])  # counts follow removals
    assert np.allclose(shares(np.array([0]), np.array([1]))["first_name"], 1 / 3)


def test_records_alike_only_in_their_birth_day_get_finite_probabilities(monkeypatch):
    # No first names alike: the u of the birth date has no name-proposed strangers to learn from.
    from matching import training
    from matching.linker import Linker

    monkeypatch.setattr(training, "MIN_RECORDS_TO_LEARN", 1)  # learn from eight, for the maths alone
    monkeypatch.setattr(training, "MIN_PAIRS_TO_LEARN", 1)

    names = ["Amir", "Bilal", "Chadi", "Dawud", "Emad", "Fadi", "Ghaith", "Hadi"]
    frame = pl.DataFrame({"id": [str(i) for i in range(8)], "given": names, "birth": ["1980-05-17"] * 8})
    pairs = Linker(Fields(id="id", given="given", birth_date="birth")).link(frame)
    assert pairs.height and np.isfinite(pairs["probability"].to_numpy()).all()


def test_files_too_small_to_learn_from_are_refused_or_scored_with_the_prior(monkeypatch):
    from matching import training
    from matching.linker import Linker

    fields = Fields(id="id", given="given", birth_date="birth")
    frame = pl.DataFrame({"id": ["1", "2", "3"], "given": ["Amir", "Amir", "Bilal"], "birth": ["1980-05-17"] * 3})
    with pytest.raises(training.TooLittleToLearn):
        Linker(fields).link(frame)
    with monkeypatch.context() as m:  # a model to fall back on, learnt from a larger file
        m.setattr(training, "MIN_RECORDS_TO_LEARN", 1)
        m.setattr(training, "MIN_PAIRS_TO_LEARN", 1)
        teacher = Linker(fields)
        teacher.link(pl.DataFrame({"id": [str(i) for i in range(300)], "given": [f"N{i % 120}" for i in range(300)],
                                   "birth": [f"19{50 + i % 40}-0{1 + i % 9}-1{i % 9}" for i in range(300)]}))
    small = Linker(fields, prior=teacher.model)
    pairs = small.link(frame)
    assert small.fell_back and pairs.height
    # the prior's weights, with the birthdays the small file was read with (matching.dates.overused_days)
    def weights(model):
        return {k: v for k, v in model.document().items() if k != "placeholder_days"}
    assert weights(small.model) == weights(teacher.model) and small.model.placeholder_days == small.fields.placeholder_days


def test_within_one_file_a_record_s_namesakes_share_it_and_a_lone_pair_keeps_its_probability():
    # Record 0 looks like six others (namesakes, none like another); records 7 and 8 like each other only.
    left, right = np.array([0, 0, 0, 0, 0, 0, 7]), np.array([1, 2, 3, 4, 5, 6, 8])
    probability = np.full(7, 0.938)
    never_same = exclusive_within(left, right, probability, lambda a, b: np.zeros(len(a), dtype=bool))
    assert np.all(never_same[:6] < 0.2) and np.isclose(never_same[6], 0.938)
    # Record 0 registered three times: 1 and 2 are one person too, and lend each other their odds.
    triple = exclusive_within(np.array([0, 0, 1]), np.array([1, 2, 2]), np.full(3, 0.99),
                              lambda a, b: np.ones(len(a), dtype=bool))
    assert np.all(triple > 0.95)


def test_within_one_file_the_probability_does_not_depend_on_which_record_is_left():
    left, right, p = np.array([0, 0, 1]), np.array([1, 2, 3]), np.array([0.9, 0.6, 0.7])
    never = lambda a, b: np.zeros(len(a), dtype=bool)  # noqa: E731
    swapped = exclusive_within(right, left, p, never)
    assert np.allclose(exclusive_within(left, right, p, never), swapped)
    # pair (0, 1) competes with 0's other candidate (odds 1.5) and with 1's (odds 2.33)
    assert np.isclose(swapped[0], 9 / (1 + 9 + 1.5 + 0.7 / 0.3))


def test_files_without_any_name_link_on_their_other_fields():
    # Nothing for the vocabulary to hold: ordering the found side by name sound must still work.
    from benchmarks.engine import engine_inputs
    from benchmarks.generate import generate

    data = generate(300, seed=5)
    fields, left, right = engine_inputs(data.enquiries, data.found)
    roles = [getattr(fields, r) for r in ("given", "family", "father", "mother", "aliases")]
    blank = [pl.lit(None, pl.Utf8).alias(c) for c in roles if c is not None]
    pairs = Linker(fields).link(left.with_columns(blank), right.with_columns(blank))
    assert pairs.height and pairs["l_first_name"].null_count() == pairs.height


def test_a_found_record_given_twice_is_linked_as_its_last_version():
    fields = Fields(id="id", given="given", family="family", birth_date="birth")
    left = pl.DataFrame({"id": ["e"], "given": ["Ahmed"], "family": ["Karimi"], "birth": ["1980-05-17"]})
    # one id twice, its first version a name that sorts elsewhere: the file's last version stands
    right = pl.DataFrame({"id": ["f", "g", "f"], "given": ["Zainab", "Yusuf", "Ahmed"],
                          "family": ["Tesfaye", "Haddad", "Karimi"], "birth": ["1960-01-01", "1970-01-01", "1980-05-17"]})
    linker = Linker(fields)
    lp = prepare(left, fields, linker.vocab)
    index = linker.index()
    index.add(prepare(right, fields, linker.vocab).grouped_by_name(linker.vocab))
    li, ri = linker._candidates(lp, index, False)
    found = dict(zip(index.data.ids[ri], linker.comparer.levels(lp, index.data, li, ri)["first_name"]))
    assert found["f"] == len(linker.comparer.comparisons[0].labels) - 1  # Ahmed, not Zainab


def test_a_candidate_that_may_be_the_other_s_copy_keeps_its_due_in_either_case():
    """Two sure candidates, one person with probability 0.6: each is the enquiry's person as
    likely as the mixture of the two cases (0.6 of 0.99, 0.4 of an even share), not as likely
    as if the other lent 0.6 of its odds (0.71), which put copies below their due."""
    left, right = np.array([0, 0]), np.array([10, 11])
    p = exclusive(*competing(left, right, np.array([0.99, 0.99]), lambda a, b: np.full(len(a), 0.6)))
    assert np.allclose(p, 0.6 * 99 / 100 + 0.4 * 99 / 199)
    assert np.all(p > 99 / (1 + 99 + 0.4 * 99))


def test_within_one_file_two_records_are_one_person_or_not():
    """Copies are the common case in one file (FEBRL 2 and 3: up to nine, names mistyped), so a
    pair of records is one person at 0.5 or more and lends its whole odds, or none below."""
    left, right, p = np.array([0, 0]), np.array([1, 2]), np.full(2, 0.99)
    at = {q: exclusive_within(left, right, p, lambda a, b, q=q: np.full(len(a), q)) for q in (0.0, 0.4, 0.6, 1.0)}
    assert np.array_equal(at[0.6], at[1.0]) and np.array_equal(at[0.4], at[0.0]) and at[1.0][0] > at[0.0][0]


def test_two_candidates_are_one_person_as_their_names_weigh_in_the_enquiry_s_population():
    """Where a population's names keep only a share of their weight (they agree among strangers
    far more than chance), two of its candidates agreeing on them are one person less surely."""
    idx = FoundIndex()
    namesake = {"society": "DEU", "sex": "F", "nationality": "SOM", "given_names": "Faadumo",
                "family_name": "Maxamed", "father_name": "Cabdi"}
    idx.upsert(generate(60, seed=4).found.to_dicts()
               + [{**namesake, "record_id": "a"}, {**namesake, "record_id": "b", "birth_date": "1990"}])
    same = one_person(idx.model, idx.linker.comparer, idx.index)
    ids = list(idx.index.data.ids)
    rows = np.array([ids.index("a")]), np.array([ids.index("b")])
    full, half = same(*rows), same(*rows, np.array([0.5]))
    assert np.array_equal(same(*rows, np.array([1.0])), full)
    assert 0 < half[0] < full[0]



def test_a_further_copy_of_the_strongest_never_makes_sisters_one_person():
    """Six strong candidates; 1 and 2 are each the strongest's person with 0.9, but have
    different first names (scored 0 against each other). A sixth that is the strongest's copy
    joins its group; the pair 1-2 stays as scored (it once became 0.81 through the group)."""
    from matching.linker import kinship
    q = {(0, 1): 0.9, (0, 2): 0.9, (0, 5): 0.9}

    def same(a, b):
        return np.array([q.get((min(x, y), max(x, y)), 0.0) for x, y in zip(a, b)])
    left, right = np.zeros(6, dtype=np.int64), np.arange(6)
    probability = np.linspace(0.99, 0.9, 6)
    a, b, got = kinship(left, right, probability, probability >= 0.5, same)
    pairs = dict(zip(zip(a.tolist(), b.tolist()), got.tolist()))
    assert (1, 2) not in pairs and (2, 1) not in pairs
    assert pairs[(0, 5)] == pairs[(5, 0)] == 0.9 and np.isclose(pairs[(1, 5)], 0.81)


def test_which_candidates_may_lend_does_not_depend_on_the_share_of_matches():
    """A candidate contends (may be told for a copy of another) where, alone against "not in the
    file" at even odds of being found, it would be a match: its Bayes factor at least its
    enquiry's candidates. The same factors under a share of matches four times smaller (EM's, as
    files grow) contend alike, where the pairwise probability at MATCH kept fewer."""
    from matching.absence import absent_weights
    from matching.linker import contending

    factor = np.array([3.0, 10.0, 40.5, 400.0, 41.0, 39.5])
    n = np.array([40, 40, 40, 40, 40, 40])
    picked = []
    for prior in (0.01, 0.0025):
        odds = prior / (1 - prior) * factor
        picked.append(contending(odds / (1 + odds), absent_weights(n, prior)))
    assert picked[0].tolist() == picked[1].tolist() == [False, False, True, True, True, False]
    odds = 0.0025 / (1 - 0.0025) * factor
    assert (odds / (1 + odds) >= 0.5).sum() == 1  # pairwise at MATCH: the factor of 400 alone


def test_two_copies_each_weaker_than_a_match_alone_lend_each_other_in_a_search(monkeypatch):
    """One person registered twice (identical records) among sixty others, sought by an enquiry
    giving her names and birth year. Against a share of matches as small as EM learns in large
    files, each copy's pairwise probability stays below MATCH (0.46); they still contend, are
    told to be one person, and do not split the probability between them. Told apart by the
    pairwise probability, as before, each kept about half."""
    import dataclasses

    import matching.linker as linker
    from rfl.search import default_model

    person = {"society": "DEU", "sex": "F", "nationality": "SOM", "given_names": "Faadumo",
              "family_name": "Warsame", "father_name": "Cabdi", "mother_name": "Hodan",
              "birth_date": "1990-03-14", "birth_place": "Baidoa"}
    enquiry = {"given_names": "Faadumo", "family_name": "Warsame", "sex": "F", "nationality": "SOM",
               "birth_date": "1990"}

    def search() -> dict:
        idx = FoundIndex(dataclasses.replace(default_model(), prior=1e-4))
        idx.upsert(generate(60, seed=4).found.to_dicts() + [{**person, "record_id": "a"}, {**person, "record_id": "b"}])
        return {c.found_id: c.probability for c in idx.search(enquiry)}

    got = search()
    assert got["a"] == got["b"] > 0.9
    monkeypatch.setattr(linker, "contending", lambda probability, half: probability >= linker.MATCH)
    before = search()
    assert before["a"] == before["b"] < 0.55


def _counting_the_date(monkeypatch) -> list:
    """The weights the real pairs are counted by for the birth date's m (`Model.level_counts`),
    each call's, as the link runs on (the decoys' are counted after them: every second call)."""
    counted = []
    count = Model.level_counts

    def recorded(self, levels, weight, name):
        counted.append(weight)
        return count(self, levels, weight, name)

    monkeypatch.setattr(Model, "level_counts", recorded)
    return counted


def test_too_few_singled_out_pairs_count_every_candidate_for_the_birth_date(monkeypatch):
    """Files whose other fields single out fewer than MIN_SINGLED_OUT dated pairs learn the date's
    m from every candidate under the rule, and the saved model says none were singled out."""
    from benchmarks.engine import engine_inputs

    data = generate(300, seed=5)
    fields, left, right = engine_inputs(data.enquiries, data.found)
    counted = _counting_the_date(monkeypatch)
    linker = Linker(fields)
    linker.link(left, right)
    assert linker.model.training["m_from_rule"] == ["birth_date"] and linker.model.training["singled_out"] == 0
    assert (counted[0] > 0).mean() > 0.5  # not only the few singled out
    assert len(counted) == 1 or (counted[1] > 0).mean() > 0.5  # the decoys' pairs alike


def test_the_birth_date_s_m_is_learnt_again_from_the_rule_only_where_em_learnt_two_files(monkeypatch):
    """Two files learnt by EM: the date's m are those the rule's probabilities give, counted over
    the pairs the other fields single out where at least MIN_SINGLED_OUT of them give a date, and
    the saved model says so. With labels (m counted from them), within one file, or with a model
    given, nothing is learnt again."""
    from benchmarks.engine import engine_inputs

    data = generate(1000, seed=5)
    fields, left, right = engine_inputs(data.enquiries, data.found)
    chosen, evidence, without_date = [], [], []
    singled_out, log_odds = training.singled_out, Model.log_odds

    def recorded_singled_out(left, bits):
        evidence.append(bits)
        chosen.append(singled_out(left, bits))
        return chosen[-1]

    def recorded_log_odds(self, weights, leaving_out=None, lift=0.0):
        if leaving_out == "birth_date":  # the odds of every pair from all but its birth date
            without_date.append(log_odds(self, {k: v for k, v in weights.items() if k != "birth_date"}))
        return log_odds(self, weights, leaving_out, lift)

    monkeypatch.setattr(training, "singled_out", recorded_singled_out)
    monkeypatch.setattr(Model, "log_odds", recorded_log_odds)
    counted = _counting_the_date(monkeypatch)
    learnt = Linker(fields)
    learnt.link(left, right)
    assert learnt.model.training["m_from_rule"] == ["birth_date"]
    assert learnt.model.training["singled_out"] >= training.MIN_SINGLED_OUT
    # the pairs are singled out by their evidence but the date's (the real pairs first, then the
    # decoys', whose namesakes are taken from the count: matching.decoys.less_namesakes; last, by
    # all but the birth place, for each population's m of it: training.learn_by_population) ...
    assert len(evidence) == 3 and np.array_equal(evidence[0], without_date[0])
    assert np.array_equal(evidence[1], without_date[1])
    # ... and only they count, each as far as the rule says
    assert (counted[0][~chosen[0]] == 0).all() and (counted[0][chosen[0]] > 0).any()
    monkeypatch.undo()
    em_only = Linker(fields)
    with monkeypatch.context() as as_em_left_them:
        as_em_left_them.setattr(Model, "estimate_m_counted", lambda self, *args: None)
        em_only.link(left, right)
    assert not np.allclose(learnt.model.m["birth_date"], em_only.model.m["birth_date"])
    labels = pl.DataFrame({"left_id": data.truth["enquiry_id"], "right_id": data.truth["found_id"]})
    with_labels, one_file = Linker(fields), Linker(fields)
    with_labels.link(left, right, labels=labels)
    one_file.link(right)
    assert "m_from_rule" not in with_labels.model.training and "m_from_rule" not in one_file.model.training
    before = learnt.model.m["birth_date"].copy()
    Linker(fields, model=learnt.model).link(left, right)
    assert np.array_equal(learnt.model.m["birth_date"], before)


def test_a_link_cut_to_each_record_s_best_is_the_full_link_filtered_and_ranked_alike():
    """`top` and `min_probability` build only the rows kept; those rows are the full link's,
    to the last bit, in its order: by left id whatever order the records came in, ranks
    counted before the cut, equal probabilities in an order the input's does not change; without
    evidence the same rows. In one file the same, and the cut changes no cluster."""
    from benchmarks.engine import engine_inputs

    data = generate(300, seed=5)
    fields, left, right = engine_inputs(data.enquiries, data.found)
    left, right = left.sample(fraction=1.0, shuffle=True, seed=1), right.sample(fraction=1.0, shuffle=True, seed=2)
    assert not left["record_id"].is_sorted()
    linker = Linker(fields)
    every = linker.link(left, right)
    assert every["rank"].min() == 1 and every.group_by("left_id").agg(pl.col("rank").max() == pl.len())["rank"].all()
    ordered = every.sort(["left_id", "rank"])
    assert every.equals(ordered) and ordered["left_id"].is_sorted()
    assert ordered.group_by("left_id", maintain_order=True).agg(pl.col("probability").diff().max() <= 0)[
        "probability"].fill_null(True).all()
    given = Linker(fields, model=linker.model)
    again = given.link(left.sample(fraction=1.0, shuffle=True, seed=3), right.sample(fraction=1.0, shuffle=True, seed=4))
    assert again.equals(every)  # ties broken by the right record, never by where it stood
    for top, floor in ((1, 0.0), (3, 0.01), (None, 0.5), (2, 1.1)):
        cut = given.link(left, right, top=top, min_probability=floor)
        expected = every.filter((pl.col("probability") >= floor) & ((pl.col("rank") <= top) if top else True))
        assert cut.equals(expected), (top, floor)
    assert given.link(left, right, top=2, min_probability=1.1).height == 0
    # without evidence: the same rows and probabilities, and no evidence column
    plain = given.link(left, right, evidence=False)
    assert plain.columns == ["left_id", "right_id", "probability", "rank", "decision"]
    assert plain.equals(every.select(plain.columns))
    one_file = Linker(fields, model=linker.model)
    within = one_file.link(right)
    clusters = one_file.clusters
    assert one_file.link(right, top=1).equals(within.filter(pl.col("rank") <= 1))
    assert one_file.clusters.equals(clusters)


def test_a_probability_shown_is_cut_down_never_past_its_decision_and_never_certain():
    """0.4999996 rounded read 0.5 beside the decision `review`; 1.0 and 0.0 read as certainty."""
    import polars as pl

    from matching.linker import MATCH, REVIEW, shown

    exact = pl.Series([0.4999996, 0.0099999, 0.9999999, 1.0, 0.0, 3e-9, 0.123456789])
    got = pl.select(shown(pl.lit(exact))).to_series().to_list()
    assert got == [0.499999, 0.009999, 0.999999, 0.999999, 0.00001, 0.00001, 0.123456]
    assert all((g >= MATCH) == (e >= MATCH) and (g >= REVIEW) == (e >= REVIEW) for g, e in zip(got[:3], exact[:3]))


def test_a_batch_blocked_a_few_slices_at_a_time_links_as_one_slice_and_tells_progress_in_order(monkeypatch):
    """Slices are blocked two at a time in threads (`Linker._candidates`): the pairs, their
    probabilities and their order are those of the whole batch blocked at once, learnt or with
    a model given, and progress counts up slice by slice whichever slice finished first; one
    file alike."""
    from benchmarks.engine import engine_inputs
    from matching import linker as linker_module

    data = generate(300, seed=5)
    fields, left, right = engine_inputs(data.enquiries, data.found)
    assert len(left) < linker_module.BLOCK_SLICE
    whole = Linker(fields)
    learnt = whole.link(left, right)
    given = Linker(fields, model=whole.model).link(left, right)
    within = Linker(fields, model=whole.model).link(right)
    told = []
    monkeypatch.setattr(linker_module, "BLOCK_SLICE", 7)  # 43 slices of enquiries, 171 of found records
    sliced = Linker(fields, model=whole.model, progress=lambda stage, done, total: told.append((stage, done, total)))
    assert sliced.link(left, right).equals(given)
    assert [done for stage, done, _ in told if stage == "blocking"] == [0, *range(7, len(left), 7), len(left)]
    assert Linker(fields, model=whole.model).link(right).equals(within)
    assert Linker(fields).link(left, right).equals(learnt)


@pytest.mark.parametrize("per_left", [1, 7, GROUP_SORTED_IN_PLACE, GROUP_SORTED_IN_PLACE + 1, 900])
def test_pairs_are_ranked_by_left_record_best_first_and_ties_by_the_right_record(per_left):
    """`ranked` against its definition, a sort on (left, probability descending, tie): records
    of few candidates (sorted in place) and of many (merge sort), probabilities tied often, left
    records in no order and some left without pairs."""
    rng = np.random.default_rng(per_left)
    left = rng.permutation(np.repeat(rng.choice(3 * 40, 40, replace=False), per_left))
    probability = rng.choice([0.0, 1e-9, 0.25, 0.5, 0.97], len(left))
    tie = rng.permutation(len(left)).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    expected = (pl.DataFrame({"left": left, "probability": probability, "tie": tie}).with_row_index("pair")
                .sort(["left", "probability", "tie"], descending=[False, True, False])
                .with_columns(rank=pl.int_range(pl.len(), dtype=pl.UInt32).over("left") + 1))
    assert ranked(left, probability, tie).equals(expected.select("pair", "probability", "rank"))
    assert ranked(left[:0], probability[:0], tie[:0]).height == 0


def test_within_one_file_the_last_contact_is_not_compared_so_order_does_not_matter():
    """Two enquiries of one person, filed years apart: read as left and right, one's last contact
    would be set against the other's day, and the pair would weigh -5 bits one way round and
    +0.4 the other. Within one file the comparison stays blank, whichever comes first."""
    from rfl.schema import FIELDS
    from rfl.search import default_model

    person = {"society": "DEU", "given_names": "Khaled", "family_name": "Haddad", "father_name": "Omar",
              "birth_date": "1990-05-17", "sex": "M", "nationality": "SYR"}
    early = {**person, "record_id": "early", "recorded_on": "2015-03-01", "last_seen_date": "2014"}
    late = {**person, "record_id": "late", "recorded_on": "2020-06-01", "last_seen_date": "2019-05"}
    scored = [Linker(FIELDS, model=default_model()).link(pl.DataFrame(rows)) for rows in ([early, late], [late, early])]
    assert all((pairs["l_last_contact"].is_null() | (pairs["w_last_contact"] == 0)).all() for pairs in scored)
    assert scored[0]["probability"].to_list() == pytest.approx(scored[1]["probability"].to_list())
