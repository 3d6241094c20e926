"""The Fellegi–Sunter model learns m by EM without labels, scores, and round-trips through JSON."""

import json

import numpy as np
import pytest

from matching.model import MISSING, RARE_AMONG_MATCHES, Comparison, Model, ModelMismatch, level_patterns

COMPARISONS = [Comparison("name", ("different", "similar", "same"), tf=True),
               Comparison("year", ("different", "same"))]
TRUE_M = {"name": [0.05, 0.15, 0.8], "year": [0.1, 0.9]}
TRUE_U = {"name": [0.9, 0.08, 0.02], "year": [0.95, 0.05]}


def simulate(n: int, share: float, rng) -> tuple[dict, np.ndarray]:
    is_match = rng.random(n) < share
    levels = {}
    for name, m in TRUE_M.items():
        levels[name] = np.where(is_match, rng.choice(len(m), n, p=m), rng.choice(len(m), n, p=TRUE_U[name]))
        levels[name] = levels[name].astype(np.int8)
    levels["name"][rng.random(n) < 0.1] = MISSING  # blanks are no evidence
    return levels, is_match


def test_em_recovers_m_and_prior():
    rng = np.random.default_rng(1)
    model = Model(COMPARISONS)
    model.estimate_u(simulate(50_000, 0.0, rng)[0])
    levels, is_match = simulate(50_000, 0.2, rng)
    model.prior = model.estimate_m_em(levels, prior=0.5)
    assert abs(model.prior - 0.2) < 0.02
    for name, m in TRUE_M.items():
        assert np.allclose(model.m[name], m, atol=0.03)
    probability, _ = model.predict(levels)
    # Calibrated: among pairs scored above 0.9, about nine in ten or more are true.
    assert is_match[probability > 0.9].mean() > 0.88


def test_labels_replace_em():
    rng = np.random.default_rng(2)
    model = Model(COMPARISONS)
    model.estimate_u(simulate(20_000, 0.0, rng)[0])
    levels, is_match = simulate(20_000, 0.3, rng)
    model.estimate_from_labels(levels, is_match)
    assert abs(model.prior - is_match.mean()) < 1e-9
    assert np.allclose(model.m["year"], TRUE_M["year"], atol=0.02)


def test_rare_name_counts_more_than_common_one():
    model = Model(COMPARISONS, m={k: np.array(v) for k, v in TRUE_M.items()},
                  u={k: np.array(v) for k, v in TRUE_U.items()}, prior=0.1, tf_base={"name": TRUE_U["name"][-1]})
    levels = {"name": np.array([2, 2], dtype=np.int8), "year": np.array([1, 1], dtype=np.int8)}
    weights = model.weights(levels, tf={"name": np.array([0.2, 0.001])})
    assert weights["name"][1] > weights["name"][0]
    assert weights["year"][0] == weights["year"][1]


def test_json_round_trip(tmp_path):
    model = Model(COMPARISONS, m={k: np.array(v) for k, v in TRUE_M.items()},
                  u={k: np.array(v) for k, v in TRUE_U.items()}, prior=0.07)
    path = tmp_path / "model.json"
    model.to_json(path)
    doc = json.loads(path.read_text())
    assert doc["comparisons"][0]["levels"][2]["label"] == "same"
    again = Model.from_json(path)
    levels = {"name": np.array([2, 0, MISSING], dtype=np.int8), "year": np.array([1, 0, 1], dtype=np.int8)}
    assert np.allclose(again.predict(levels)[0], model.predict(levels)[0])


def test_declared_dependencies_keep_correlated_evidence_from_adding_up():
    comparisons = [Comparison("first", ("different", "same")),
                   Comparison("whole", ("different", "same"), covered_by="first"),
                   Comparison("father", ("different", "same"), needs="first")]
    table = {"m": np.array([0.1, 0.9]), "u": np.array([0.9, 0.1])}
    model = Model(comparisons, m={c.name: table["m"] for c in comparisons},
                  u={c.name: table["u"] for c in comparisons}, prior=0.1)
    levels = {"first": np.array([1, 0, 0], dtype=np.int8), "whole": np.array([1, 1, 0], dtype=np.int8),
              "father": np.array([1, 1, 0], dtype=np.int8)}
    w = model.weights(levels)
    # First name agrees: the whole name repeats it, so only its disagreement could count.
    assert w["whole"][0] == 0 and w["whole"][1] > 0 and w["whole"][2] < 0
    # First name differs: the father's name (shared by siblings) cannot pull the pair up.
    assert w["father"][0] > 0 and w["father"][1] == 0 and w["father"][2] < 0


def test_a_level_never_seen_among_matches_is_strong_evidence_not_a_veto():
    # Matches never differ on the name and three other fields tell them apart well, so EM alone
    # drives the m of "different" to nothing: one alias or misfiled field would then sink any
    # pair. The pseudo-pairs keep its weight large and finite.
    rng = np.random.default_rng(3)
    others = [Comparison(f"field{i}", ("different", "same")) for i in range(3)]
    model = Model([COMPARISONS[0], *others])
    n = 20_000
    is_match = rng.random(n) < 0.2
    levels = {"name": np.where(is_match, 2, rng.choice(3, n, p=TRUE_U["name"])).astype(np.int8)}
    for c in others:
        levels[c.name] = np.where(is_match, rng.random(n) < 0.95, rng.random(n) < 0.1).astype(np.int8)
    model.estimate_u({k: np.where(is_match, rng.permutation(v), v) for k, v in levels.items()})
    model.prior = model.estimate_m_em(levels, prior=0.5, max_iterations=100)
    weight = np.log2(model.m["name"][0] / model.u["name"][0])
    assert -16 < weight < -8


def test_term_frequency_is_centred_on_the_names_that_agree():
    model = Model(COMPARISONS, m={k: np.array(v) for k, v in TRUE_M.items()},
                  u={k: np.array(v) for k, v in TRUE_U.items()}, prior=0.1)
    levels = {"name": np.array([2, 2, 2, 1], dtype=np.int8), "year": np.array([1, 1, 1, 1], dtype=np.int8)}
    tf = {"name": np.array([0.01, 0.015, 0.005, 0.5])}
    model.center_tf(levels, tf)
    assert np.isclose(model.tf_base["name"], 0.01)  # mean share of the agreeing names
    w = model.weights(levels, tf)["name"]
    level_weight = np.log2(TRUE_M["name"][2] / TRUE_U["name"][2])
    assert np.isclose(w[0], level_weight) and w[1] < level_weight < w[2]


def test_a_model_for_other_comparisons_is_refused():
    model = Model(COMPARISONS)
    model.check_fits(COMPARISONS)
    with pytest.raises(ModelMismatch, match="year"):
        model.check_fits([COMPARISONS[0], Comparison("year", ("different", "near", "same"))])
    with pytest.raises(ModelMismatch, match="place"):
        model.check_fits([*COMPARISONS, Comparison("place", ("different", "same"))])


def _em_over_pairs(model: Model, levels: dict, prior: float, learn_u: tuple[str, ...], iterations: int) -> float:
    """EM as written per pair, before pairs were grouped into patterns: the reference."""
    for c in model.comparisons:
        model.m.setdefault(c.name, np.r_[np.full(len(c.labels) - 1, 0.1 / (len(c.labels) - 1)), 0.9])
    for _ in range(iterations):
        total = np.log2(prior / (1 - prior)) + sum(model.weights(levels).values())
        weight = 1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60)))
        prior = float(np.clip(weight.mean(), 1e-6, 0.5))
        for c in model.comparisons:
            lv = levels[c.name]
            seen = lv != MISSING
            m = np.bincount(lv[seen], weights=weight[seen], minlength=len(c.labels)) + 3.0 * model.u[c.name]
            model.m[c.name] = m / m.sum()
            if c.name in learn_u:
                u = np.bincount(lv[seen], weights=1 - weight[seen], minlength=len(c.labels)) + 1e-4 * (1 - weight).sum()
                model.u[c.name] = u / u.sum()
    return prior


def test_em_over_patterns_of_levels_equals_em_over_pairs():
    rng = np.random.default_rng(4)
    u_levels = simulate(5_000, 0.0, rng)[0]
    levels = simulate(20_000, 0.2, rng)[0]
    grouped, reference = Model(COMPARISONS), Model(COMPARISONS)
    grouped.estimate_u(u_levels)
    reference.estimate_u(u_levels)
    prior = grouped.estimate_m_em(levels, prior=0.5, learn_u=("year",), max_iterations=10, tolerance=0.0)
    assert abs(prior - _em_over_pairs(reference, levels, 0.5, ("year",), 10)) < 1e-12
    for name in TRUE_M:
        assert np.allclose(grouped.m[name], reference.m[name], rtol=0, atol=1e-12)
        assert np.allclose(grouped.u[name], reference.u[name], rtol=0, atol=1e-12)


def test_level_patterns_count_each_distinct_combination():
    levels = {"a": np.array([1, 0, 1, MISSING, 1], dtype=np.int8), "b": np.array([2, 2, 2, 0, 1], dtype=np.int8)}
    patterns, count = level_patterns(levels)
    assert list(zip(patterns["a"], patterns["b"], count)) == [(MISSING, 0, 1), (0, 2, 1), (1, 1, 1), (1, 2, 2)]


def test_the_whole_name_speaks_only_where_the_first_name_is_not_alike():
    comparisons = [Comparison("first", ("different", "loosely alike", "same"), alike_from=1),
                   Comparison("whole", ("different", "same"), covered_by="first")]
    table = {"first": (np.array([0.1, 0.2, 0.7]), np.array([0.8, 0.1, 0.1])),
             "whole": (np.array([0.1, 0.9]), np.array([0.9, 0.1]))}
    model = Model(comparisons, m={k: v[0] for k, v in table.items()}, u={k: v[1] for k, v in table.items()})
    levels = {"first": np.array([0, 1, 2, 2], dtype=np.int8), "whole": np.array([1, 1, 1, 0], dtype=np.int8)}
    w = model.weights(levels)["whole"]
    assert w[0] > 0 and w[1] == 0 and w[2] == 0 and w[3] < 0


def test_a_level_declared_rare_among_matches_stays_rare():
    # Namesakes agree on the name as matches do and differ in the birth year. With the name's
    # m and u learnt elsewhere (random pairs: agreement is rare), EM over these pairs counts
    # the namesakes as matches whose years are far apart; a declared rare level stays rare.
    rng = np.random.default_rng(4)
    n = 20_000
    kind = rng.choice(3, n, p=[0.2, 0.1, 0.7])  # match, namesake, unrelated
    levels = {"name": np.where(kind < 2, 1, rng.random(n) < 0.05).astype(np.int8),
              "year": np.where(kind == 0, rng.choice(3, n, p=[0.001, 0.3, 0.699]),
                               rng.choice(3, n, p=[0.9, 0.08, 0.02])).astype(np.int8)}
    learnt = {}
    for rare in ((), (0,)):
        model = Model([Comparison("name", ("different", "same")), Comparison("year", ("far", "near", "same"), rare=rare)],
                      m={"name": np.array([0.01, 0.99])}, u={"name": np.array([0.95, 0.05]),
                                                              "year": np.array([0.8, 0.1, 0.1])})
        model.estimate_m_em(levels, prior=0.5, learn=["year"], evidence=["name", "year"])
        learnt[rare] = model.m["year"]
    assert learnt[()][0] > 0.1  # EM alone: the namesakes' share
    assert np.isclose(learnt[(0,)][0], RARE_AMONG_MATCHES) and np.isclose(learnt[(0,)].sum(), 1)


def test_a_rare_level_capped_below_a_weaker_one_is_pooled_with_it():
    # Blocking leaves few pairs far apart among the candidates (u 0.01) and many a few years
    # apart (u 0.3); namesakes give "a few years apart" an m of 0.05. Capped at the rare share,
    # it would weigh less than "far apart"; held in order, the two are pooled.
    c = Comparison("year", ("far", "few", "near"), rare=(0, 1), monotone=((0, 1, 2),))
    model = Model([c], m={"year": np.array([0.001, 0.05, 0.949])}, u={"year": np.array([0.01, 0.3, 0.69])})
    m = model._ordered_m(c, model.m["year"])
    w = np.log2(m / model.u["year"])
    assert w[0] <= w[1] + 1e-9 and w[1] < np.log2(0.05 / 0.3) and np.isclose(m.sum(), 1)
    assert m[1] <= RARE_AMONG_MATCHES * 1.1  # pooling lifts it only by what "far apart" held


def test_stated_birth_years_a_few_apart_stay_rare_among_matches_whatever_namesakes_teach():
    # No recording habit the domain knows (a year off by one, an estimated age, the Ethiopian
    # calendar) puts one person's stated birth years 2-5 apart. Pairs counted as matches where a
    # tenth of them are namesakes a few years apart still leave that level near the rare share.
    from matching import dates
    from matching.compare import BirthDate
    c = BirthDate().comparison
    u = np.full(len(c.labels), 1.0 / len(c.labels))
    model = Model([c], m={c.name: u.copy()}, u={c.name: u})
    levels = np.array([dates.EXACT] * 900 + [dates.FEW] * 100, dtype=np.int8)
    model.estimate_m_counted(c.name, model.level_counts({c.name: levels}, np.ones(len(levels)), c.name))
    assert model.m[c.name][dates.FEW] <= RARE_AMONG_MATCHES * 1.1  # 0.1 counted, held near 0.01


def test_weights_along_a_monotone_chain_never_fall():
    # Namesakes differ from the person in birth year by a few years, seldom by one: EM over pairs
    # that hold them counts "a few years apart" as better evidence than "one year apart". Along a
    # declared chain the two are pooled instead; levels off the chain keep what EM learnt.
    rng = np.random.default_rng(5)
    n = 20_000
    kind = rng.choice(3, n, p=[0.2, 0.1, 0.7])  # match, namesake, unrelated
    year = np.where(kind == 0, rng.choice(4, n, p=[0.01, 0.02, 0.07, 0.9]),
                    np.where(kind == 1, rng.choice(4, n, p=[0.3, 0.7, 0.0, 0.0]), rng.choice(4, n, p=[0.7, 0.1, 0.15, 0.05])))
    levels = {"name": np.where(kind < 2, 1, rng.random(n) < 0.05).astype(np.int8), "year": year.astype(np.int8)}
    learnt = {}
    for chain in ((), ((0, 1, 2),)):
        model = Model([Comparison("name", ("different", "same")),
                       Comparison("year", ("far", "a few apart", "one apart", "same"), monotone=chain)],
                      m={"name": np.array([0.01, 0.99])}, u={"name": np.array([0.95, 0.05]),
                                                              "year": np.array([0.7, 0.1, 0.15, 0.05])})
        model.estimate_m_em(levels, prior=0.5, learn=["year"], evidence=["name", "year"])
        learnt[chain] = np.log2(model.m["year"] / model.u["year"])
    free, ordered = learnt[()], learnt[((0, 1, 2),)]
    assert free[1] > free[2]  # EM alone: the namesakes' years outweigh one year apart
    assert ordered[0] <= ordered[1] <= ordered[2] + 1e-9
    assert np.isclose(ordered[1], ordered[2])  # the two out of order are pooled into one weight
    assert abs(ordered[3] - free[3]) < 0.01 and abs(ordered[0] - free[0]) < 0.01  # off the pooled pair: as learnt


def test_monotone_chains_survive_saving(tmp_path):
    comparisons = [Comparison("year", ("far", "near", "same"), monotone=((0, 1, 2),))]
    model = Model(comparisons, m={"year": np.array([0.1, 0.2, 0.7])}, u={"year": np.array([0.8, 0.1, 0.1])})
    model.to_json(tmp_path / "m.json")
    Model.from_json(tmp_path / "m.json").check_fits(comparisons)


def test_em_weighs_a_common_name_by_its_frequency():
    # Pairs born in one year: 1% matches among strangers, of whom those with the commonest first
    # and father's names (a share of 0.3 of all people each) often share them. Weighed as any
    # agreement, those strangers count as matches and teach EM that matches name different
    # mothers; weighed by the names' share, as scoring does, they do not.
    rng = np.random.default_rng(6)
    n = 40_000
    match = rng.random(n) < 0.01
    levels, share = {}, {}
    for name in ("first", "father"):
        common = rng.random(n) < 0.3
        agree = match | (common & (rng.random(n) < 0.5)) | (~common & (rng.random(n) < 0.001))
        levels[name], share[name] = agree.astype(np.int8), np.where(common, 0.3, 0.001)
    levels["mother"] = np.where(match, rng.random(n) < 0.95, rng.random(n) < 0.05).astype(np.int8)
    learnt = {}
    for tf in (None, share):
        model = Model([Comparison("first", ("different", "same"), tf=True),
                       Comparison("father", ("different", "same"), tf=True), Comparison("mother", ("different", "same"))],
                      u={k: np.array([0.95, 0.05]) for k in levels}, tf_base={"first": 0.05, "father": 0.05})
        prior = model.estimate_m_em(levels, prior=0.01, tf=tf)
        learnt["plain" if tf is None else "tf"] = prior, model.m["mother"][0]
    assert learnt["plain"][0] > 0.2 and learnt["plain"][1] > 0.5  # the strangers taken for matches
    assert abs(learnt["tf"][0] - 0.01) < 0.003 and learnt["tf"][1] < 0.1


def test_u_among_learns_a_comparison_s_u_only_where_the_mask_says():
    # Candidates of two kinds: proposed by names (the birth day agrees by chance, 1%) and
    # proposed by a shared birth day alone (the day always agrees, the name never). Over all of
    # them strangers seem to share a birth day often; among the first kind they seldom do.
    rng = np.random.default_rng(7)
    n = 40_000
    by_day = rng.random(n) < 0.3
    match = ~by_day & (rng.random(n) < 0.05)
    levels = {"name": np.where(by_day, 0, 1).astype(np.int8),
              "mother": np.where(match, rng.random(n) < 0.95, rng.random(n) < 0.05).astype(np.int8),
              "day": np.where(by_day, 1, np.where(match, rng.random(n) < 0.9, rng.random(n) < 0.01)).astype(np.int8)}
    learnt = {}
    for among in (None, {"day": ~by_day}):
        model = Model([Comparison(c, ("different", "same")) for c in levels],
                      m={"name": np.array([0.01, 0.99]), "mother": np.array([0.05, 0.95])},
                      u={"name": np.array([0.3, 0.7]), "mother": np.array([0.95, 0.05]), "day": np.array([0.99, 0.01])})
        model.estimate_m_em(levels, prior=0.1, learn=["day"], evidence=list(levels), learn_u=("day",), u_among=among)
        learnt["all" if among is None else "named"] = model.u["day"][1]
    assert learnt["all"] > 0.25
    assert abs(learnt["named"] - 0.01) < 0.004


def test_overlapping_chains_hold_together_and_off_chain_levels_keep_their_m():
    # The birth date's chains share a level (far < 2-5 apart < one apart; 2-5 apart < an
    # estimated age): pooling one chain must not undo the other.
    m, u = np.array([0.08, 0.0, 0.02, 0.001, 0.3, 0.599]), np.array([0.6, 0.1, 0.1, 0.1, 0.05, 0.05])
    chains = ((0, 2, 1), (2, 3))
    model = Model([Comparison("year", ("far", "one apart", "2-5 apart", "age", "same", "day"), monotone=chains)],
                  u={"year": u})
    out = model._ordered_m(model.comparisons[0], m)
    w = np.log2(np.maximum(out, 1e-300) / u)
    assert w[0] <= w[2] + 1e-6 and w[2] <= w[1] + 1e-6 and w[2] <= w[3] + 1e-6
    assert np.isclose(out.sum(), 1) and np.allclose(out[4:], m[4:])


def test_an_empty_u_among_mask_keeps_the_u_in_place():
    levels = {"name": np.array([0, 1, 0, 1] * 50, dtype=np.int8), "day": np.array([1, 1, 0, 1] * 50, dtype=np.int8)}
    model = Model([Comparison("name", ("different", "same")), Comparison("day", ("different", "same"))],
                  m={"name": np.array([0.05, 0.95])}, u={"name": np.array([0.7, 0.3]), "day": np.array([0.9, 0.1])})
    model.estimate_m_em(levels, prior=0.1, learn=["day"], evidence=["name", "day"], learn_u=("day",),
                        u_among={"day": np.zeros(200, dtype=bool)})
    assert np.allclose(model.u["day"], [0.9, 0.1]) and np.isfinite(model.m["day"]).all()


def _learnt_from(seed: int) -> tuple[Model, dict]:
    rng = np.random.default_rng(seed)
    model = Model(COMPARISONS)
    model.estimate_u(simulate(20_000, 0.0, rng)[0])
    return model, simulate(20_000, 0.2, rng)[0]


def test_each_em_run_records_its_steps_in_the_training_record():
    model, levels = _learnt_from(5)
    model.estimate_m_em(levels, prior=0.5, max_iterations=4, tolerance=0.0)
    model.estimate_m_em(levels, prior=0.2, learn=["year"], evidence=["name", "year"], learn_u=("year",))
    model.estimate_m_em({k: v[:0] for k, v in levels.items()}, prior=0.2)  # no pairs: nothing learnt
    first, second, empty = model.training["em"]
    assert first == {"iterations": 4, "max_change": first["max_change"], "converged": False,
                     "learnt": ["name", "year"]} and first["max_change"] > 0
    assert second["learnt"] == ["year"] and 1 <= second["iterations"] <= 30
    assert empty == {"iterations": 0, "max_change": None, "converged": False, "learnt": ["name", "year"]}


def test_em_stops_once_no_parameter_moves_by_the_tolerance():
    model, levels = _learnt_from(6)
    prior = model.estimate_m_em(levels, prior=0.5, max_iterations=500, tolerance=1e-5)
    run = model.training["em"][0]
    assert run["converged"] and run["max_change"] < 1e-5 and run["iterations"] < 500
    # the same number of steps without a tolerance gives the same model: it stopped there
    fixed, _ = _learnt_from(6)
    assert fixed.estimate_m_em(levels, prior=0.5, max_iterations=run["iterations"], tolerance=0.0) == prior
    for name in TRUE_M:
        assert np.array_equal(fixed.m[name], model.m[name])


def test_the_em_record_survives_saving(tmp_path):
    model, levels = _learnt_from(7)
    model.prior = model.estimate_m_em(levels, prior=0.5)
    model.to_json(tmp_path / "m.json")
    assert Model.from_json(tmp_path / "m.json").training["em"] == model.training["em"]


def test_m_learnt_beside_a_model_from_elsewhere_is_shrunk_toward_its_m():
    """A level EM sees among no matches in a small file (independent 2,000: one true pair in a
    hundred, weighed -11.1 bits) keeps PRIOR_MATCHES pseudo-matches' worth of the prior model's
    m; with thousands of matches the counts speak for themselves."""
    from matching.model import PRIOR_MATCHES, PRIOR_PAIRS

    name = Comparison("name", ("chain read otherwise", "similar", "same"))
    u = np.array([0.01, 0.19, 0.8])
    elsewhere = Model([name], m={"name": np.array([0.02, 0.08, 0.9])}, u={"name": u})
    alone, leaning = Model([name], u={"name": u}), Model([name], u={"name": u})
    leaning.shrink_toward(elsewhere)
    assert leaning.training["m_shrunk_toward"] == {"model_sha256": elsewhere.identity()["sha256"],
                                                   "pseudo_matches": PRIOR_MATCHES}
    few = np.array([0.0, 100.0, 900.0])  # a thousand matches, none at "different"
    alone.estimate_m_counted("name", few)
    leaning.estimate_m_counted("name", few)
    expected = few + PRIOR_PAIRS * u + PRIOR_MATCHES * elsewhere.m["name"]
    assert np.allclose(leaning.m["name"], expected / expected.sum())
    assert np.log2(alone.m["name"][0] / u[0]) < -8 < -4 < np.log2(leaning.m["name"][0] / u[0])
    many = few * 1000
    alone.estimate_m_counted("name", many)
    leaning.estimate_m_counted("name", many)
    assert np.allclose(leaning.m["name"][1:], alone.m["name"][1:], rtol=1e-3)
    # a model for other levels lends nothing
    other = Model([Comparison("name", ("different", "same"))], m={"name": np.array([0.1, 0.9])},
                  u={"name": np.array([0.9, 0.1])})
    unlike = Model([name], u={"name": u})
    unlike.shrink_toward(other)
    assert unlike.m_prior == {} and "m_shrunk_toward" not in unlike.training


def test_m_from_pairs_weighed_by_their_probability_of_being_one_person():
    """The birth date's m learnt again from the one-person rule's probabilities: each pair counts
    as a match by its probability, blanks not at all, a few pseudo-pairs spread as u, and the
    levels pooled where a weaker one would otherwise weigh more."""
    date = Comparison("d", ("far", "near", "same"), monotone=((0, 1, 2),))
    model = Model([date], m={"d": np.array([0.1, 0.1, 0.8])}, u={"d": np.array([0.6, 0.3, 0.1])})
    levels = {"d": np.array([2, 2, 1, 0, MISSING, 2], dtype=np.int8)}
    weight = np.array([0.9, 0.5, 0.4, 0.01, 1.0, 0.0])
    assert np.allclose(model.level_counts(levels, weight, "d"), [0.01, 0.4, 1.4])
    model.estimate_m_counted("d", model.level_counts(levels, weight, "d"))
    counts = np.array([0.01, 0.4, 1.4]) + 3.0 * model.u["d"]
    assert np.allclose(model.m["d"], counts / counts.sum())
    # near weighing more than same is pooled away: m/u may only rise along the chain
    model.estimate_m_counted("d", np.array([0.0, 50.0, 5.0]))
    ratio = model.m["d"] / model.u["d"]
    assert ratio[0] <= ratio[1] <= ratio[2] + 1e-12
