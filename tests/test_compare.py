"""Comparison helpers (fast paths give exactly what the plain computation gives) and levels."""

import numpy as np
import polars as pl
from rapidfuzz.distance import JaroWinkler

from matching import names
from matching.compare import LOOSE, TextSimilarity, TokenSimilarity, _aligned_share
from matching.index import Index
from matching.prepare import Texts, Vocab


def test_token_similarity_remembers_what_it_would_compute_afresh():
    """The hash table answers every pair as scoring it afresh would, in either order, across the
    doublings of the table, and 0 where a side has no token."""
    vocab = Vocab()
    words = [f"{a}{b}{c}" for a in ("mo", "ha", "ab", "is", "fa", "ku", "se", "yo")
             for b in ("ham", "med", "san", "di", "rah", "lul", "tef", "gin") for c in "aeiou"]
    vocab.extend(words)
    rng = np.random.default_rng(3)
    memory = TokenSimilarity(vocab)
    first_size = len(memory.keys)
    for size in (10, 5_000, 60_000):  # the last holds more distinct pairs than half the first table
        a, b = rng.integers(-1, len(words), size), rng.integers(-1, len(words), size)
        afresh = TokenSimilarity(vocab)(a, b)
        assert np.array_equal(memory(a, b), afresh) and np.array_equal(memory(b, a), afresh)
        assert not afresh[(a < 0) | (b < 0)].any()
    assert len(memory.keys) > first_size
    a, b = rng.integers(0, len(words), 2_000), rng.integers(0, len(words), 2_000)
    remembered = memory(a, b)
    scored = names.similarity([words[i] for i in a], [words[j] for j in b]).astype(np.float32)
    assert np.array_equal(remembered[remembered > 0], scored[remembered > 0])
    assert memory(np.array([[0, -1]]), np.array([[-1, 0]])).tolist() == [[0.0, 0.0]]


def test_field_values_are_numbered_once_and_their_similarity_remembered():
    """A value keeps its id on both sides and in later batches (-1 unknown); the remembered
    similarity of two values (birth places) is the same in either order, 0 where one is unknown,
    their Jaro-Winkler, or 1 where they sound alike said as one word and the name scorer reads
    them as one name: Kendahar is Kandahar and Umm Dorman Omdurman, while Homs and Hama, two
    camps numbered apart and two villages named for different titles stay as Jaro-Winkler has
    them. Values compared afresh (addresses) are Jaro-Winkler alone."""
    texts = Texts()
    values = ["aleppo", "halab", "damascus", "homs", "hama", "kharkiv", "kharkov", "odesa", "mosul",
              "kendahar", "kandahar", "umm dorman", "omdurman", "kakuma 1", "kakuma 4", "sayed abad", "haji abad"]
    first = texts.numbers(pl.Series(["halab", None, "aleppo", "halab"]))
    assert first.tolist() == [0, -1, 1, 0]
    assert texts.numbers(pl.Series(values)).tolist() == [1, 0, *range(2, len(values))]
    rng = np.random.default_rng(5)
    a, b = rng.integers(-1, len(values), 3_000), rng.integers(-1, len(values), 3_000)
    memory = TextSimilarity(texts)
    remembered = memory(a, b)
    assert np.array_equal(memory(b, a), remembered) and np.array_equal(memory(a, b), remembered)
    known = (a >= 0) & (b >= 0)
    assert not remembered[~known].any()
    plain = np.array([JaroWinkler.normalized_similarity(texts.values[i], texts.values[j])
                      for i, j in zip(a[known], b[known])], dtype=np.float32)
    one_place = {frozenset(p) for p in (("kendahar", "kandahar"), ("umm dorman", "omdurman"))}
    lifted = np.array([frozenset((texts.values[i], texts.values[j])) in one_place for i, j in zip(a[known], b[known])])
    assert lifted.any() and np.array_equal(remembered[known], np.where(lifted, np.float32(1), plain))
    held = memory._held
    assert np.array_equal(memory.afresh(a[known], b[known]), plain) and memory._held == held  # plain, not remembered
    for x, y in (("homs", "hama"), ("kakuma 1", "kakuma 4"), ("sayed abad", "haji abad")):
        ids = np.array([texts.ids[x]]), np.array([texts.ids[y]])
        assert memory(*ids)[0] == np.float32(JaroWinkler.normalized_similarity(x, y)) < 1


def _aligned_share_all_rows(s: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The greedy alignment stepping every row every time: the reference."""
    n, ka, kb = s.shape
    s = np.where(s < LOOSE, 0, s)
    total = np.zeros(n, dtype=np.float32)
    rows = np.arange(n)
    for _ in range(min(ka, kb)):
        flat = s.reshape(n, -1).argmax(1)
        i, j = flat // kb, flat % kb
        total += s[rows, i, j]
        s[rows, i, :] = 0
        s[rows, :, j] = 0
    size = np.minimum((a >= 0).sum(1), (b >= 0).sum(1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(size > 0, total / np.maximum(size, 1), np.nan)


def test_aligned_share_skips_finished_rows_without_changing_the_answer():
    rng = np.random.default_rng(6)
    n = 5_000
    a = np.where(rng.random((n, 4)) < 0.6, 1, -1)
    b = np.where(rng.random((n, 3)) < 0.6, 1, -1)
    s = rng.choice(np.array([0.0, 0.5, 0.8, 0.9, 1.0], dtype=np.float32), (n, 4, 3))  # ties too
    s *= (a[:, :, None] >= 0) & (b[:, None, :] >= 0)
    assert np.array_equal(_aligned_share(s.copy(), a, b), _aligned_share_all_rows(s, a, b), equal_nan=True)
    assert _aligned_share(np.zeros((0, 4, 3), dtype=np.float32), a[:0], b[:0]).shape == (0,)


def test_first_name_levels_for_names_moved_between_fields():
    import polars as pl

    from matching.compare import FIRST_NAME_LABELS, Comparer
    from matching.prepare import Fields, Vocab, prepare

    fields = Fields(id="id", given="given", family="family", father="father", chain="chain")
    left = pl.DataFrame({"id": ["a"] * 6, "given": ["Omar"] * 6, "family": ["Haddad"] * 5 + [None],
                         "father": [None] * 4 + ["Karim"] * 2, "chain": ["no", "no", "no", "yes", "no", "yes"]})
    # the last two: Omar son of Karim registered with his own name as family name, his father's
    # as given name (with or without a family name on the other side)
    right = pl.DataFrame({"id": list("uvwxyz"), "given": ["Haddad", "Haddad", "Bassel", "Haddad", "Kareem", "Kareem"],
                          "family": ["Nasser", "Omar", "Nasser", "Omar", "Omar", "Omar"], "father": [None] * 6,
                          "chain": ["no"] * 6})
    vocab = Vocab()
    lp, rp = prepare(left, fields, vocab), prepare(right, fields, vocab)
    comparer = Comparer(vocab, (), ())
    rows = np.arange(6)
    labels = [FIRST_NAME_LABELS[i] for i in comparer.levels(lp, rp, rows, rows)["first_name"]]
    assert labels == ["one's given name is the other's family name", "given and family swapped",
                      "different", "given and family swapped in a name chain (or father and son)",
                      *["the other's own name as family name, father's as given name"] * 2]


def test_a_family_name_given_last_in_a_chain_and_as_the_others_given_name_is_a_swap():
    """Nabil Ahmad Ahmad al-Hasi, no family name, against given al-Hasi, family Nabil: swapped, as
    in a chain (the last link may be a grandfather's name). Not where the chain has two links or
    its last repeats the father's name (then it is the father's: a level of its own), nor where
    the other's given name is another name."""
    import polars as pl

    from matching.compare import FIRST_NAME_LABELS, Comparer
    from matching.prepare import Fields, Vocab, prepare

    fields = Fields(id="id", given="given", family="family")
    left = pl.DataFrame({"id": list("abcd"), "given": ["نبيل أحمد أحمد الحاسي", "Nabil Ahmad", "Nabil Ahmad Salem",
                                                       "Nabil Ahmad Ahmad"], "family": [None] * 4})
    right = pl.DataFrame({"id": list("wxyz"), "given": ["Al-Hasi", "Ahmed", "Hasi", "Ahmad"], "family": ["Nabil"] * 4})
    vocab = Vocab()
    lp, rp = prepare(left, fields, vocab), prepare(right, fields, vocab)
    rows = np.arange(4)
    levels = Comparer(vocab, (), ()).levels(lp, rp, rows, rows)["first_name"]
    assert [FIRST_NAME_LABELS[i] for i in levels] == [
        "given and family swapped in a name chain (or father and son)",
        "the other's own name as family name, father's as given name",
        "given name is the family name where the other has none",
        # the last link repeats the father's name: read as the father's
        "the other's own name as family name, father's as given name"]


def test_a_kunya_among_the_other_names_counts_where_it_meets_a_name_and_nowhere_else():
    """Umar Muhammad, also Abu Ahmad: against Cumar son of Maxamed, grandson of Cali, every name
    agrees (the kunya, which the other never writes, is left out); against a record known as Abu
    Ahmad alone, the kunya is the name that agrees, and the first names are not compared (that
    record writes no own name). Abukar is a name, and counts as one."""
    import polars as pl

    from matching.compare import Comparer, WholeName
    from matching.model import MISSING
    from matching.prepare import Fields, Vocab, prepare

    fields = Fields(id="id", given="given", family="family", father="father", aliases="aliases")
    left = pl.DataFrame({"id": list("abc"), "given": ["ʿUmar", "ʿUmar", "Abdullahi"],
                         "family": ["Muḥammad", "Muḥammad", "Hassan"], "father": [None] * 3,
                         "aliases": ["Abu Aḥmad", "Abu Aḥmad", "Abukar"]})
    right = pl.DataFrame({"id": list("xyz"), "given": ["Cumar", "Abu Ahmad", "Cabdulaahi"],
                          "family": [None, None, None], "father": ["Maxamed Cali", None, "Xasan Cali"],
                          "aliases": [None] * 3})
    vocab = Vocab()
    lp, rp = prepare(left, fields, vocab), prepare(right, fields, vocab)
    rows = np.arange(3)
    levels = Comparer(vocab, (), ()).levels(lp, rp, rows, rows)
    assert [WholeName.LABELS[i] for i in levels["whole_name"]] == ["all parts agree", "all parts agree",
                                                                   "half the parts agree"]
    # the record known as Abu Ahmad alone writes no own name: its first name is not compared
    assert levels["first_name"][1] == MISSING and levels["first_name"][0] != MISSING


def test_first_given_names_alike_with_second_ones_different_are_different_names():
    """Brothers whose compound names share the first part, or two men of one name with another
    father's name in the chain; not a chain that repeats a name in another spelling first."""
    import polars as pl

    from matching.compare import FIRST_NAME_LABELS, Comparer
    from matching.prepare import Fields, Vocab, prepare

    fields = Fields(id="id", given="given", family="family")
    left = pl.DataFrame({"id": list("abcde"), "family": ["Ahmadzai"] * 5,
                         "given": ["Gul Mohammad", "Mohammad Reza", "Ali Hassan", "Muhammad Ahmad", "Gul Mohammad"]})
    right = pl.DataFrame({"id": list("vwxyz"), "family": ["Ahmadzai"] * 5,
                          "given": ["Gul Ahmad", "Mohammad Ali", "Ali Omar", "Muhammad Mohammed Ahmad", "Gul"]})
    vocab = Vocab()
    lp, rp = prepare(left, fields, vocab), prepare(right, fields, vocab)
    rows = np.arange(5)
    labels = [FIRST_NAME_LABELS[i] for i in Comparer(vocab, (), ()).levels(lp, rp, rows, rows)["first_name"]]
    assert labels == ["different"] * 3 + ["same name or variant"] * 2


def test_each_comparison_is_one_object_and_names_share_one_similarity_lookup():
    import polars as pl

    from matching.compare import Comparer
    from matching.model import MISSING
    from matching.prepare import Fields, Vocab, prepare

    fields = Fields(id="id", given="given", family="family", father="father", mother="mother", birth_date="born",
                    exact=("sex",), fuzzy=("place",), family_fields=("place",))
    left = pl.DataFrame({"id": ["a", "b"], "given": ["Omar", "Lina"], "family": ["Haddad", None],
                         "father": ["Karim", None], "mother": ["Huda", None], "born": ["1990-01-02", None],
                         "sex": ["M", "F"], "place": ["Homs", None]})
    right = left.with_columns(pl.Series("id", ["x", "y"]), pl.Series("given", ["Omer", "Leena"]))
    vocab = Vocab()
    lp, rp = prepare(left, fields, vocab), prepare(right, fields, vocab)
    comparer = Comparer.of(vocab, fields)
    lookups = []
    many = comparer.sim.many
    comparer.sim.many = lambda *requests: lookups.append(len(requests)) or many(*requests)
    rows = np.arange(2)
    levels = comparer.levels(lp, rp, rows, rows)
    assert lookups == [19]  # every name comparison's token pairs, in one lookup
    assert [c.name for c in comparer.comparators] == [c.name for c in comparer.comparisons] == list(levels)
    assert comparer.names == ("first_name", "whole_name", "family_name", "father_name", "father_second_name",
                              "mother_name", "mother_second_name")
    index = Index(vocab)
    index.add(rp)
    assert list(comparer.tf_shares(lp, index, rows, rows, levels)) == [c.name for c in comparer.comparisons if c.tf]
    for c in comparer.comparisons:
        assert levels[c.name].dtype == np.int8
        assert ((levels[c.name] == MISSING) | ((levels[c.name] >= 0) & (levels[c.name] < len(c.labels)))).all()
    assert comparer.comparisons[-1].needs == "first_name"  # a family's birth place needs the first name


def test_a_name_agreeing_in_a_rare_spelling_is_as_common_as_its_commoner_spelling():
    """Somali Cali is Ali: a pair agreeing on it, whichever side writes Cali, is weighed by how
    common Ali is among the indexed records, not by how rare the spelling Cali is."""
    from matching.compare import Comparer
    from matching.prepare import Fields, prepare

    fields = Fields(id="id", given="given", population="nationality")
    found = pl.DataFrame({"id": [f"f{i}" for i in range(40)], "given": ["Ali"] * 39 + ["Cali"],
                          "nationality": ["SOM"] * 40})
    enquiries = pl.DataFrame({"id": ["a", "b", "c"], "given": ["Cali", "Ali", "Cali"], "nationality": ["SOM"] * 3})
    vocab = Vocab()
    ep, fp = prepare(enquiries, fields, vocab), prepare(found, fields, vocab)
    index = Index(vocab)
    index.add(fp)
    comparer = Comparer.of(vocab, fields)
    li, ri = np.array([0, 1, 2]), np.array([0, 39, 39])  # Cali-Ali, Ali-Cali, Cali-Cali
    levels = comparer.levels(ep, fp, li, ri)
    assert (levels["first_name"] == len(comparer.comparisons[0].labels) - 1).all()
    share = comparer.tf_shares(ep, index, li, ri, levels)["first_name"]
    assert share[0] == share[1] > 10 * share[2]  # Cali against Cali is a rare name, as written


def test_a_family_field_of_two_names_is_weighed_by_the_name_the_pair_agrees_on():
    """Zubaidi against Mohammed Zubaidi agrees on Zubaidi: as rare as Zubaidi is, not as common
    as Mohammed, whichever side writes the two names."""
    from matching.compare import Comparer
    from matching.prepare import Fields, prepare

    fields = Fields(id="id", given="given", family="family", population="nationality")
    found = pl.DataFrame({"id": [f"f{i}" for i in range(32)], "given": ["Ali"] * 32,
                          "family": ["Mohammed"] * 30 + ["Mohammed Zubaidi", "Zubaidi"], "nationality": ["IRQ"] * 32})
    enquiries = pl.DataFrame({"id": ["a", "b"], "given": ["Ali", "Ali"], "family": ["Zubaidi", "Mohammed Zubaidi"],
                              "nationality": ["IRQ"] * 2})
    vocab = Vocab()
    ep, fp = prepare(enquiries, fields, vocab), prepare(found, fields, vocab)
    index = Index(vocab)
    index.add(fp)
    comparer = Comparer.of(vocab, fields)
    li, ri = np.array([0, 1, 0]), np.array([30, 31, 31])  # one name against two, two against one, one against one
    levels = comparer.levels(ep, fp, li, ri)
    assert (levels["family_name"] == len(comparer.comparisons[2].labels) - 1).all()
    share = comparer.tf_shares(ep, index, li, ri, levels)["family_name"]
    assert share[0] == share[1] == share[2]


def test_the_mother_s_second_name_is_compared_where_both_records_write_one():
    """Fatima Nazari and Fatima Husaini are two mothers; Fatima Nazari and Fatema Nazari one;
    where a record gives the mother's first name only, her second name is unknown, not different;
    and where it is the record's own family name, the family name has said it already."""
    import polars as pl

    from matching.compare import Comparer
    from matching.model import MISSING
    from matching.prepare import Fields, Vocab, prepare

    fields = Fields(id="id", given="given", family="family", mother="mother")
    left = pl.DataFrame({"id": ["a", "b", "c", "d"], "given": ["Sajed"] * 3 + ["Olena"],
                         "family": [None] * 3 + ["Kovalenko"], "mother": ["Fatima Nazari"] * 3 + ["Iryna Kovalenko"]})
    right = pl.DataFrame({"id": ["w", "x", "y", "z"], "given": ["Sayyed"] * 3 + ["Olena"],
                          "family": [None] * 3 + ["Kovalenko"],
                          "mother": ["Fatima Husaini", "Fatema Nazari", "Fatima", "Iryna Kovalenko"]})
    vocab = Vocab()
    lp, rp = prepare(left, fields, vocab), prepare(right, fields, vocab)
    comparer = Comparer(vocab, (), ())
    rows = np.arange(4)
    levels = comparer.levels(lp, rp, rows, rows)
    labels = comparer.comparisons[[c.name for c in comparer.comparisons].index("mother_second_name")].labels
    assert levels["mother_name"].tolist() == [len(labels) - 1] * 4  # the first names agree throughout
    assert [labels[x] if x != MISSING else None for x in levels["mother_second_name"]] == [
        "different", "same name or variant", None, None]


def test_the_father_s_second_name_is_read_where_the_chain_puts_it():
    """Ahmed son of Hasan written in the father field or as the second and third links of a
    given-name chain: the same father's second name; another grandfather differs; a father given
    alone leaves it unknown."""
    import polars as pl

    from matching.compare import Comparer
    from matching.model import MISSING
    from matching.prepare import Fields, Vocab, prepare

    fields = Fields(id="id", given="given", father="father")
    left = pl.DataFrame({"id": ["a", "b", "c"], "given": ["Ali"] * 3, "father": ["Ahmed Hasan"] * 3})
    right = pl.DataFrame({"id": ["x", "y", "z"], "given": ["Ali Ahmed Hassan", "Ali", "Ali"],
                          "father": [None, "Ahmad Omar", "Ahmed"]})
    vocab = Vocab()
    lp, rp = prepare(left, fields, vocab), prepare(right, fields, vocab)
    comparer = Comparer(vocab, (), ())
    levels = comparer.levels(lp, rp, np.arange(3), np.arange(3))
    labels = comparer.comparisons[[c.name for c in comparer.comparisons].index("father_second_name")].labels
    assert [labels[x] if x != MISSING else None for x in levels["father_second_name"]] == [
        "same name or variant", "different", None]


def test_a_compound_given_name_is_not_read_as_a_different_father():
    """Gul Ahmad with no father field, against Gul Ahmad son of Abdul Rahim: Ahmad is the second
    part of his given name, not a father who differs (-5.5 bits once). Against Gul son of
    Omar, Ahmad is still read as the father, and differs; Maxamed Cali against Maxamed Cali son
    of Cali Xasan keeps the chain's agreeing father."""
    from matching.compare import Comparer
    from matching.model import MISSING
    from matching.prepare import Fields, Vocab, prepare

    fields = Fields(id="id", given="given", father="father", family="family")
    left = pl.DataFrame({"id": ["a", "b", "c"], "given": ["Gul Ahmad", "Gul Ahmad", "Maxamed Cali"],
                         "father": [None, None, None], "family": ["Abdul Rahim", "Abdul Rahim", None]})
    right = pl.DataFrame({"id": ["x", "y", "z"], "given": ["Gul Ahmad", "Gul", "Maxamed Cali"],
                          "father": ["Abdul Rahim", "Omar", "Cali Xasan"], "family": [None, None, None]})
    vocab = Vocab()
    lp, rp = prepare(left, fields, vocab), prepare(right, fields, vocab)
    comparer = Comparer(vocab, (), ())
    levels = comparer.levels(lp, rp, np.arange(3), np.arange(3))
    father = [c for c in comparer.comparisons if c.name == "father_name"][0]
    assert [father.labels[x] if x != MISSING else None for x in levels["father_name"]] == [
        None, "different", "same name or variant"]
    # the other way round, the same
    swapped = comparer.levels(rp, lp, np.arange(3), np.arange(3))
    assert (swapped["father_name"] == levels["father_name"]).all()


def test_a_spelling_beyond_doubt_counts_as_the_same_part_of_the_whole_name():
    """Two parts, one spelled otherwise beyond doubt (Somali x for h, 0.97) and one different:
    half the parts agree, not a few (0.485 of them, counted at the spelling's score)."""
    s = names.similarity(["axmed", "axmed", "cai", "cai"], ["ahmed", "ali", "ahmed", "ali"]).reshape(1, 2, 2)
    assert s[0, 0, 0] >= names.ONE_NAME > s[0, 1, 1]
    a = np.array([[0, 1]])
    assert _aligned_share(s, a, a)[0] == 0.5


def test_a_name_written_twice_in_a_chain_is_son_and_father():
    """Abebe Abebe Telahun is Abebe son of Abebe, grandson of Telahun: read once, his father
    was Telahun and differed from a father field Abebe. Other fields still read a name once."""
    from matching.compare import Comparer
    from matching.model import MISSING
    from matching.prepare import Fields, prepare

    fields = Fields(id="id", given="given", father="father", family="family")
    left = pl.DataFrame({"id": ["a", "b"], "given": ["Abebe Abebe Telahun", "Abebe Abebe Telahun"],
                         "father": [None, None], "family": [None, "Telahun Telahun"]})
    right = pl.DataFrame({"id": ["x", "y"], "given": ["Abebe", "Abebe"], "father": ["Abebe Telahun", "Telahun"],
                          "family": [None, None]})
    vocab = Vocab()
    lp, rp = prepare(left, fields, vocab), prepare(right, fields, vocab)
    levels = Comparer(vocab, (), ()).levels(lp, rp, np.arange(2), np.arange(2))
    father = [c for c in Comparer(vocab, (), ()).comparisons if c.name == "father_name"][0]
    assert [father.labels[x] if x != MISSING else None for x in levels["father_name"]] == [
        "same name or variant", "different"]
    assert (lp.tokens["family"][1] >= 0).sum() == 1


def test_a_different_family_name_is_its_own_level_where_surnames_are_inherited():
    import polars as pl

    from matching.compare import FAMILY_LABELS, Comparer
    from matching.prepare import prepare
    from rfl.schema import FIELDS, with_domain_flags

    # Ukrainian by nationality, by Cyrillic script, by the found record's society; Iraqi; a
    # Ukrainian whose surname agrees; an Iraqi without a family name on one side.
    left = with_domain_flags(pl.DataFrame({
        "record_id": list("abcdef"), "society": ["DEU"] * 6,
        "given_names": ["Olena", "Олена", "Olena", "Omar", "Olena", "Omar"],
        "family_name": ["Kovalenko", "Коваленко", "Kovalenko", "Haddad", "Kovalenko", "Haddad"],
        "nationality": ["UKR", None, None, "IRQ", "UKR", "IRQ"]}))
    right = with_domain_flags(pl.DataFrame({
        "record_id": list("uvwxyz"), "society": ["POL", "POL", "UKR", "JOR", "POL", "JOR"],
        "given_names": ["Olena", "Olena", "Olena", "Omar", "Olena", "Omar"],
        "family_name": ["Bondar", "Bondar", "Bondar", "Nasser", "Kovalenko", None],
        "nationality": [None] * 6}))
    vocab = Vocab()
    lp, rp = prepare(left, FIELDS, vocab), prepare(right, FIELDS, vocab)
    comparer = Comparer.of(vocab, FIELDS)
    rows = np.arange(6)
    levels = comparer.levels(lp, rp, rows, rows)["family_name"]
    assert [FAMILY_LABELS[i] if i >= 0 else None for i in levels] == [
        "different, surnames inherited", "different, surnames inherited", "different, surnames inherited",
        "different", "same name or variant", None]


def test_given_and_family_swapped_are_compared_once_where_surnames_are_inherited():
    """Bogdan Kazakov written Kazakov Bogdan: the swap is first_name's evidence, and the family
    names are not compared again as different ones. Where the family field may hold a father's
    name (Ali Hassan against Hassan Ali: perhaps a son and his father) they still are."""
    from matching.compare import FAMILY_LABELS, Comparer
    from matching.prepare import prepare
    from rfl.schema import FIELDS, with_domain_flags

    left = with_domain_flags(pl.DataFrame({"record_id": ["a", "b"], "society": "DEU", "given_names": ["Богдан", "Ali"],
                                           "family_name": ["Казаков", "Hassan"], "nationality": ["RUS", "IRQ"]}))
    right = with_domain_flags(pl.DataFrame({"record_id": ["x", "y"], "society": "POL", "given_names": ["Kazakov", "Hassan"],
                                            "family_name": ["Bogdan", "Ali"], "nationality": ["RUS", "IRQ"]}))
    vocab = Vocab()
    lp, rp = prepare(left, FIELDS, vocab), prepare(right, FIELDS, vocab)
    comparer = Comparer.of(vocab, FIELDS)
    levels = comparer.levels(lp, rp, np.arange(2), np.arange(2))
    first = comparer.comparisons[0].labels
    assert [first[i] for i in levels["first_name"]] == ["given and family swapped"] * 2
    assert [FAMILY_LABELS[i] if i >= 0 else None for i in levels["family_name"]] == [None, "different"]


def test_a_family_name_that_is_the_other_s_father_s_name_is_a_level_of_its_own():
    """Hawo Hosain against Xawo Axmed, father Xusayn: one record's family field holds the father's
    name the other gives as his father's (or, blank, leaves to the father field), which among
    candidate pairs with different family names is one person six times as often. So does the
    grandfather's, the third link of a chain with no family name (Yohannes Tesfay Goytom against
    Yohannes Goytom). Not where surnames are inherited: Ivan, son of Petr, is not named Petrov
    after him."""
    from matching.compare import FAMILY_LABELS, FATHERS_NAME, Comparer
    from matching.prepare import prepare
    from rfl.schema import FIELDS, with_domain_flags

    left = with_domain_flags(pl.DataFrame({
        "record_id": ["a", "b", "c", "d", "e"], "society": "DEU",
        "given_names": ["Hawo", "Ali", "Ivan", "Hawo", "Yohannes Tesfay Goytom"],
        "family_name": ["Hosain", None, None, "Hosain", None], "father_name": [None, "Omar", "Petr", None, None],
        "nationality": ["SOM", "IRQ", "RUS", "SOM", "ERI"]}))
    right = with_domain_flags(pl.DataFrame({
        "record_id": ["w", "x", "y", "z", "v"], "society": "SOM",
        "given_names": ["Xawo", "Ali", "Ivan", "Xawo", "Yohannes"],
        "family_name": ["Axmed", "Omar", "Petrov", "Axmed", "Goytom"],
        "father_name": ["Xusayn", None, None, "Cumar", None], "nationality": ["SOM", "IRQ", "RUS", "SOM", "ERI"]}))
    vocab = Vocab()
    lp, rp = prepare(left, FIELDS, vocab), prepare(right, FIELDS, vocab)
    comparer = Comparer.of(vocab, FIELDS)
    levels = comparer.levels(lp, rp, np.arange(5), np.arange(5))["family_name"]
    fathers = FAMILY_LABELS[FATHERS_NAME]
    assert [FAMILY_LABELS[i] if i >= 0 else None for i in levels] == [fathers, fathers, None, "different", fathers]


def test_a_family_name_that_restates_the_father_s_is_compared_once():
    """Tesfay whose father is Tesfay: where the other record names a father (in the father field
    or as the second link of a given-name chain), father_name compares that name and the family
    name is not compared again, agreeing or not (a grandfather's Kidane is no contradiction);
    where the other names no father, or neither family name restates one, it is compared."""
    from matching.compare import FAMILY_LABELS, Comparer
    from matching.prepare import prepare
    from rfl.schema import FIELDS, with_domain_flags

    left = with_domain_flags(pl.DataFrame({
        "record_id": list("abcde"), "society": ["ERI"] * 5, "nationality": ["ERI"] * 5,
        "given_names": ["Girma"] * 5, "family_name": ["Tesfay", "Tesfay", "Tesfay", "Tesfay", "Kidane"],
        "father_name": ["Tesfay", "Tesfay", "Tesfay", "Tesfay", "Dawit"]}))
    right = with_domain_flags(pl.DataFrame({
        "record_id": list("vwxyz"), "society": ["ETH"] * 5, "nationality": ["ETH"] * 5,
        "given_names": ["Girma", "Girma Tesfay", "Girma", "Girma", "Girma"],
        "family_name": ["Tesfay", "Kidane", "Kidane", "Tesfay", "Tesfay"],
        "father_name": ["Tesfay", None, None, "Dawit", "Dawit"]}))
    vocab = Vocab()
    lp, rp = prepare(left, FIELDS, vocab), prepare(right, FIELDS, vocab)
    comparer = Comparer.of(vocab, FIELDS)
    rows = np.arange(5)
    levels = comparer.levels(lp, rp, rows, rows)
    assert [FAMILY_LABELS[i] if i >= 0 else None for i in levels["family_name"]] == [
        None, None, "different", None, "different"]
    assert (levels["father_name"][[0, 1]] == 3).all()  # the name is compared there, once
    # an inherited surname that happens to be the father's name is compared as a surname
    slavic = with_domain_flags(pl.DataFrame({"record_id": ["u", "v"], "society": ["UKR"] * 2, "nationality": ["UKR"] * 2,
                                             "given_names": ["Ivan"] * 2, "family_name": ["Roman", "Kovalenko"],
                                             "father_name": ["Roman"] * 2}))
    sp = prepare(slavic, FIELDS, vocab)
    slavic_level = comparer.levels(sp, sp, np.array([0]), np.array([1]))["family_name"]
    assert FAMILY_LABELS[slavic_level[0]] == "different, surnames inherited"


def test_blank_exact_values_are_unknown_and_never_agree():
    """A sex or nationality of spaces is no value: two such records do not agree on it (they
    did, as "same", while blank text was a value of its own)."""
    import polars as pl

    from matching.compare import Comparer
    from matching.model import MISSING
    from matching.prepare import Fields, Vocab, prepare

    fields = Fields(id="id", given="given", exact=("sex",))
    frame = pl.DataFrame({"id": ["a", "b", "c"], "given": ["Omar", "Omar", "Omar"], "sex": ["  ", " ", " m "]})
    vocab = Vocab()
    p = prepare(frame, fields, vocab)
    levels = Comparer(vocab, fields.exact, ()).levels(p, p, np.array([0, 2]), np.array([1, 2]))
    assert levels["sex"].tolist() == [MISSING, 1]


def test_levels_worked_out_a_slice_at_a_time_in_two_threads_are_those_of_one_slice(monkeypatch):
    """Above CHUNK pairs, a slice's levels are computed in a second thread while the next
    slice's similarities are looked up: the same levels as all the pairs at once."""
    from benchmarks.generate import generate
    from matching import compare
    from matching.compare import Comparer
    from matching.prepare import prepare
    from rfl.schema import FIELDS

    data = generate(150, seed=4)
    vocab = Vocab()
    lp, rp = prepare(data.enquiries, FIELDS, vocab), prepare(data.found, FIELDS, vocab)
    rng = np.random.default_rng(4)
    li, ri = rng.integers(0, len(lp), 5_000), rng.integers(0, len(rp), 5_000)
    whole = Comparer.of(vocab, FIELDS).levels(lp, rp, li, ri)
    monkeypatch.setattr(compare, "CHUNK", 333)  # 16 slices, the last one short
    sliced = Comparer.of(vocab, FIELDS).levels(lp, rp, li, ri)
    assert whole.keys() == sliced.keys()
    for name in whole:
        assert np.array_equal(whole[name], sliced[name]), name


def test_a_name_written_twice_in_one_record_counts_once_in_the_whole_name():
    """Yusuf Ahmad, also written Yousef, and Yusuf son of Ahmed Karimi: both of the first's names
    agree, so all its parts do. Counted as three parts, the second spelling found no partner
    and two of three read as "half the parts agree" (2 / 3 is below LOOSE)."""
    from matching.compare import Comparer, WholeName
    from matching.prepare import Fields, prepare

    fields = Fields(id="id", given="given", family="family", father="father", aliases="aliases")
    left = pl.DataFrame({"id": ["a", "b"], "given": ["Yusuf Ahmad", "Yusuf Ahmad"], "family": [None, None],
                         "father": [None, None], "aliases": ["Yousef", "Yousef"]})
    right = pl.DataFrame({"id": ["x", "y"], "given": ["Yusuf", "Yusuf"], "family": ["Karimi", "Karimi"],
                          "father": ["Ahmed Hassan", "Hassan Ali"], "aliases": [None, None]})
    vocab = Vocab()
    lp, rp = prepare(left, fields, vocab), prepare(right, fields, vocab)
    rows = np.arange(2)
    levels = Comparer(vocab, (), ()).levels(lp, rp, rows, rows)["whole_name"]
    assert [WholeName.LABELS[x] for x in levels] == ["all parts agree", "half the parts agree"]


def test_each_name_part_reads_the_same_from_a_chunk_s_gathered_fields():
    """Pairs gathers each side's name fields once per chunk (`_Rows`): every name part gives there
    what it gives from the records and row numbers, for rows in any order, repeated or none, and
    the gathered fields are read-only (the parts hand out views of them)."""
    import pytest

    from benchmarks.generate import generate
    from matching import compare
    from matching.prepare import prepare
    from rfl.schema import FIELDS

    data = generate(150, seed=4)
    p = prepare(data.found, FIELDS, Vocab())
    parts = [compare._own_first, compare._given, compare._first_family, compare._family, compare._father_token,
             compare._father_second, compare._chain_last, compare._grandfather, compare._mother,
             compare._mother_second, compare._all_names, compare._known_by_kunya, compare._kunyas_aside,
             compare._fathers]
    rng = np.random.default_rng(4)
    for rows in (rng.integers(0, len(p), 2_000), np.array([3, 3, 0]), np.zeros(0, dtype=np.int64), np.arange(len(p))):
        gathered = compare._Rows(p, rows)
        for part in parts:
            plain, read = part(p, rows), part(gathered, slice(None))
            assert plain.dtype == read.dtype and np.array_equal(plain, read), part.__name__
    with pytest.raises(ValueError):
        compare._Rows(p, np.arange(5)).tokens["given"][0, 0] = 7
