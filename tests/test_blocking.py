"""The blocking graph's cut: candidates that contradict a record on sex or nationality come after
those that do not, and are kept where places remain (no field vetoes a pair)."""

import numpy as np
import polars as pl

from matching import blocking, shortlist
from matching.index import Index
from matching.prepare import Fields, Vocab, prepare

FIELDS = Fields(id="id", given="given", family="family", exact=("sex", "nationality"))


def _linked(left: pl.DataFrame, right: pl.DataFrame, per_record: int, fields: Fields = FIELDS,
            **options) -> set[tuple[str, str]]:
    vocab = Vocab()
    lp, index = prepare(left, fields, vocab), Index(vocab)
    index.add(prepare(right, fields, vocab))
    cand = blocking.candidates(blocking.record_keys(lp, vocab), lp, index, shortlist.contradiction_bits(fields),
                               per_record=per_record, **options)
    return {(lp.ids[l], index.data.ids[r]) for l, r in zip(cand["l"].to_list(), cand["r"].to_list())}


def test_contradicting_candidates_give_way_to_agreeing_ones():
    left = pl.DataFrame({"id": ["e"], "given": ["Samir Hassan"], "family": ["Haddad"], "sex": ["M"], "nationality": ["SYR"]})
    # Two women of another nationality share all three names (the most keys); one man shares
    # two and says nothing of his nationality; one man of another nationality shares all three.
    right = pl.DataFrame({"id": ["w1", "w2", "m", "n"], "given": ["Samir Hassan", "Samir Hassan", "Samir", "Samir Hassan"],
                          "family": ["Haddad", "Haddad", "Haddad", "Haddad"], "sex": ["F", "F", "M", "M"],
                          "nationality": ["IRQ", "IRQ", None, "IRQ"]})
    assert _linked(left, right, per_record=1) == {("e", "m")}
    assert _linked(left, right, per_record=2) == {("e", "m"), ("e", "n")}
    assert _linked(left, right, per_record=4) == {("e", "m"), ("e", "n"), ("e", "w1"), ("e", "w2")}


def test_a_nationality_given_differently_costs_less_than_a_sex_given_differently():
    """One person is often recorded under two nationalities across borders (an Afghan
    registered in Iran): sharing a rare family name and a first name, he stays ahead of the
    namesakes of his own nationality who share the first name alone. A record of the other sex
    sharing as much does not."""
    fields = Fields(id="id", given="given", family="family", exact=("sex", "nationality"), population="nationality")
    syllables = ["ba", "ko", "mi", "tu", "re", "sa", "lo", "ne", "di", "fa"]
    strangers = [f"{a}{b}{c}{d}".capitalize() for a in syllables for b in syllables for c in syllables
                 for d in syllables][:3000]
    right = pl.DataFrame({
        "id": ["person", "other_sex"] + [f"n{i}" for i in range(40)] + [f"s{i}" for i in range(len(strangers))],
        "given": ["Zabiullah", "Zabiullah"] + ["Zabiullah"] * 40 + strangers,
        "family": ["Sultani", "Sultani"] + strangers[:40] + strangers[::-1],
        "sex": ["M", "F"] + ["M"] * 40 + ["M"] * len(strangers),
        "nationality": ["IRN", "AFG"] + ["AFG"] * 40 + ["AFG"] * len(strangers)})
    left = pl.DataFrame({"id": ["e"], "given": ["Zabiullah"], "family": ["Sultani"], "sex": ["M"], "nationality": ["AFG"]})
    assert _linked(left, right, per_record=1, fields=fields) == {("e", "person")}
    assert ("e", "other_sex") not in _linked(left, right, per_record=20, fields=fields)


def test_records_made_long_before_the_last_contact_give_way_to_those_made_after_it():
    """Of two namesakes alike in all else, whichever way their ids would order them, the found
    record made a year or more before the enquiry's last contact comes after the one made since
    (or shortly before: a year remembered loosely), and stays where places remain."""
    fields = Fields(id="id", given="given", family="family", recorded_on="recorded", last_contact="seen")
    left = pl.DataFrame({"id": ["e"], "given": ["Samir"], "family": ["Haddad"], "recorded": ["2024-01-10"],
                         "seen": ["2022-06"]})
    for later in ("2023-02-01", "2021-06-02"):
        for first, second in (("a", "b"), ("b", "a")):
            right = pl.DataFrame({"id": [first, second], "given": ["Samir"] * 2, "family": ["Haddad"] * 2,
                                  "recorded": ["2021-05-31", later], "seen": [None, None]})
            assert _linked(left, right, per_record=1, fields=fields) == {("e", second)}
            assert _linked(left, right, per_record=2, fields=fields) == {("e", "a"), ("e", "b")}


def test_without_known_values_the_score_alone_ranks():
    left = pl.DataFrame({"id": ["e"], "given": ["Samir Hassan"], "family": ["Haddad"], "sex": [None], "nationality": [None]})
    right = pl.DataFrame({"id": ["all", "some"], "given": ["Samir Hassan", "Samir"], "family": ["Haddad", "Haddad"],
                          "sex": ["F", "M"], "nationality": ["SYR", "IRQ"]})
    assert _linked(left, right, per_record=1) == {("e", "all")}


def test_codes_agree_for_equal_values_in_any_batch_and_unknown_is_no_conflict():
    fields = Fields(id="id", exact=("sex",))
    a = prepare(pl.DataFrame({"id": ["1", "2", "3"], "sex": ["M", None, " f"]}), fields, Vocab()).codes
    b = prepare(pl.DataFrame({"id": ["4", "5", "6"], "sex": ["F", "M", None]}), fields, Vocab()).codes
    assert a[0, 0] == b[1, 0] and a[2, 0] == b[0, 0] and a[1, 0] == 0 and b[2, 0] == 0 and a[0, 0] != a[2, 0]


def test_rarest_keys_come_first_within_the_budget():
    # 30 namesakes share the enquiry's common given name; one record shares its rare family name.
    right = pl.DataFrame({"id": [f"n{i}" for i in range(30)] + ["rare"],
                          "given": ["Samir"] * 30 + ["Omar"], "family": ["Aziz"] * 30 + ["Zebulonov"],
                          "sex": [None] * 31, "nationality": [None] * 31})
    left = pl.DataFrame({"id": ["e"], "given": ["Samir"], "family": ["Zebulonov"], "sex": [None], "nationality": [None]})
    assert _linked(left, right, per_record=100, budget=10) == {("e", "rare")}  # Samir is past the budget
    assert len(_linked(left, right, per_record=100, budget=1000)) == 31


def test_spellings_of_one_arabic_name_that_fold_apart_meet_through_the_name():
    # Reza (Dari, ض as z) is Rida (Arabic romanisation, ض as d): no sound class joins z and d,
    # so the name the attested spellings share is a key of its own. Hamda is another name.
    fields = Fields(id="id", given="given")
    right = pl.DataFrame({"id": ["rida", "hamda", "rami"], "given": ["Rida", "Hamda", "Rami"]})
    assert _linked(pl.DataFrame({"id": ["e"], "given": ["Reza"]}), right, 10, fields) == {("e", "rida")}
    assert _linked(pl.DataFrame({"id": ["e"], "given": ["Hamza"]}), right, 10, fields) == set()


def test_a_common_name_is_reached_through_the_mothers_name():
    # 30 Alis born in 2003 (past a budget of 10, with or without the year); only one has the
    # enquiry's mother. A mother's name shared without the first name reaches nobody.
    fields = Fields(id="id", given="given", family="family", mother="mother", birth_date="birth_date")
    right = pl.DataFrame({"id": [f"n{i}" for i in range(30)] + ["son", "other"],
                          "given": ["Ali"] * 31 + ["Omar"], "family": [None] * 32,
                          "mother": ["Maryam"] * 30 + ["Zahra", "Zahra"], "birth_date": ["2003"] * 32})
    left = pl.DataFrame({"id": ["e"], "given": ["Ali"], "family": [None], "mother": ["Zahra"], "birth_date": ["2003"]})
    assert _linked(left, right, 100, fields, budget=10) == {("e", "son")}
    assert _linked(left.with_columns(mother=pl.lit("Zaynab")), right, 100, fields, budget=10) == set()


def test_a_common_name_is_reached_through_the_birth_place_in_any_spelling():
    # 30 men named Mohammad son of Ahmad (past a budget of 10), none with a birth date; one was
    # born in Caboul, the others in Herat. The enquiry gives a birth date and Kabul. The name
    # with the place reaches him; with another place, or no place, nobody.
    fields = Fields(id="id", given="given", father="father", birth_date="birth_date", fuzzy=("birth_place",),
                    family_fields=("birth_place",))
    right = pl.DataFrame({"id": [f"n{i}" for i in range(30)] + ["person"], "given": ["Mohammad"] * 31,
                          "father": ["Ahmad"] * 31, "birth_date": [None] * 31,
                          "birth_place": ["Herat"] * 30 + ["Caboul"]})
    left = pl.DataFrame({"id": ["e"], "given": ["Muhammad"], "father": ["Ahmed"], "birth_date": ["1984-02-08"],
                         "birth_place": ["Kabul"]})
    assert _linked(left, right, 100, fields, budget=10) == {("e", "person")}
    assert _linked(left.with_columns(birth_place=pl.lit("Kandahar")), right, 100, fields, budget=10) == set()
    assert _linked(left.with_columns(birth_place=pl.lit(None, pl.Utf8)), right, 100, fields, budget=10) == set()


def test_spellings_of_one_place_rank_a_namesake_from_elsewhere_below_the_person():
    # Eleven Mohammad Ahmads born in 1984: the enquiry's Mazar-e Sharif is the person's
    # Mazar-i-Sharif, not the namesakes' Herat or Kabul.
    fields = Fields(id="id", given="given", father="father", birth_date="birth_date", fuzzy=("birth_place",),
                    family_fields=("birth_place",))
    right = pl.DataFrame({"id": [f"n{i}" for i in range(10)] + ["person"], "given": ["Mohammad"] * 11,
                          "father": ["Ahmad"] * 11, "birth_date": ["1984"] * 11,
                          "birth_place": ["Herat", "Kabul"] * 5 + ["Mazar-i-Sharif"]})
    left = pl.DataFrame({"id": ["e"], "given": ["Mohammad"], "father": ["Ahmad"], "birth_date": ["1984"],
                         "birth_place": ["Mazar-e Sharif"]})
    for order in (right, right.reverse()):
        assert _linked(left, order, 1, fields) == {("e", "person")}


def test_equal_scores_are_cut_the_same_wherever_records_sit():
    right = pl.DataFrame({"id": [f"n{i}" for i in range(20)], "given": ["Samir"] * 20, "family": ["Aziz"] * 20,
                          "sex": [None] * 20, "nationality": [None] * 20})
    left = pl.DataFrame({"id": ["e"], "given": ["Samir"], "family": ["Aziz"], "sex": [None], "nationality": [None]})
    kept = _linked(left, right, per_record=5)
    assert len(kept) == 5 and _linked(left, right.reverse(), per_record=5) == kept


def test_ids_whose_hashes_share_their_top_bits_are_still_cut_the_same_wherever_they_sit():
    # Two ids whose hashes share their top 40 bits, the bits the packed sort code holds (found
    # among four million ids), so their codes are equal and the whole hash must order them.
    pair = ["F113713", "F2430237"]
    top = (pl.Series(pair).hash(seed=3).to_numpy() >> np.uint64(24)).tolist()
    assert top[0] == top[1]
    right = pl.DataFrame({"id": pair, "given": ["Samir"] * 2, "family": ["Aziz"] * 2,
                          "sex": [None] * 2, "nationality": [None] * 2})
    left = pl.DataFrame({"id": ["e"], "given": ["Samir"], "family": ["Aziz"], "sex": [None], "nationality": [None]})
    kept = _linked(left, right, per_record=1)
    assert len(kept) == 1 and _linked(left, right.reverse(), per_record=1) == kept


def test_the_person_sharing_name_father_and_birth_year_outranks_namesakes_sharing_only_the_name():
    fields = Fields(id="id", given="given", family="family", father="father", birth_date="birth_date")
    # Twenty men named Mohamed Ahmed (spelt as the enquiry spells it), born in other decades;
    # the person is spelt otherwise (Muhammad, Ahmad; Somali x for the father's Hasan).
    names = [("Mohamed", "Ahmed", "Ali", f"{1940 + i}") for i in range(20)] + [("Muhammad", "Ahmad", "Xasan", "1978-11-29")]
    right = pl.DataFrame({"id": [f"n{i}" for i in range(20)] + ["person"], "given": [n[0] for n in names],
                          "family": [n[1] for n in names], "father": [n[2] for n in names],
                          "birth_date": [n[3] for n in names]})
    left = pl.DataFrame({"id": ["e"], "given": ["Mohamed"], "family": ["Ahmed"], "father": ["Hasan"], "birth_date": ["1978"]})
    assert _linked(left, right, 1, fields) == {("e", "person")}


def test_an_identity_number_and_an_address_outweigh_one_contradiction():
    extra = ("ssn", "street", "suburb", "postcode")
    fields = Fields(id="id", given="given", family="family", birth_date="birth_date", fuzzy=extra)
    # Among 3,000 other people, ten namesakes born in the enquiry's year; the person's birth
    # year was mistyped (1965 for 1956: 'far apart', a contradiction), but the identity number
    # and the whole address agree.
    n = 3000
    others = {"id": [f"o{i}" for i in range(n)], "given": [f"Given{i}" for i in range(n)],
              "family": [f"Family{i}" for i in range(n)], "birth_date": ["1970"] * n,
              **{c: [f"{c}{i}" for i in range(n)] for c in extra}}
    namesakes = {"id": [f"n{i}" for i in range(10)], "given": ["John"] * 10, "family": ["Smith"] * 10,
                 "birth_date": ["1956"] * 10, **{c: [f"{c}-n{i}" for i in range(10)] for c in extra}}
    person = {"id": ["person"], "given": ["John"], "family": ["Smith"], "birth_date": ["1965"],
              **{c: [f"{c}-p"] for c in extra}}
    right = pl.concat([pl.DataFrame(part) for part in (others, namesakes, person)])
    left = pl.DataFrame({"id": ["e"], "given": ["John"], "family": ["Smith"], "birth_date": ["1956"],
                         **{c: [f"{c}-p"] for c in extra}})
    assert _linked(left, right, 1, fields) == {("e", "person")}


def test_records_without_any_name_meet_by_birth_day_alone():
    fields = Fields(id="id", given="given", family="family", birth_date="birth_date")
    schema = {c: pl.Utf8 for c in ("id", "given", "family", "birth_date")}
    left = pl.DataFrame({"id": ["e"], "given": [None], "family": [None], "birth_date": ["1980-05-06"]}, schema=schema)
    right = pl.DataFrame({"id": ["a", "b"], "given": [None, None], "family": [None, None],
                          "birth_date": ["1980-05-06", "1990-01-02"]}, schema=schema)
    assert _linked(left, right, blocking.PER_RECORD, fields) == {("e", "a")}  # no name anywhere: an empty vocabulary


def test_a_record_emits_each_key_once_without_a_unique_pass():
    """record_keys no longer deduplicates (tens of millions of keys at 500,000 records): a name
    repeated in several fields, two spellings sharing a phonetic key, two fields holding one
    value and an uncertain birth year still give each (row, key) once."""
    fields = Fields(id="id", given="given", family="family", father="father", mother="mother",
                    birth_date="birth_date", fuzzy=("birth_place", "residence"))
    records = pl.DataFrame({
        "id": ["a", "b", "c"],
        "given": ["Mohamed Mohammed Ahmed", "Ahmed", None],
        "family": ["Ahmed", "Mohamed", None],
        "father": ["Mohamed Ahmed", "Ahmed Ahmed", None],
        "mother": ["Mohamed", "Amina", "Amina"],  # a mother's name that is also a chain name
        "birth_date": ["1980", "1979-05-06", None],
        "birth_place": ["Mogadishu", "Mogadishu", "Kismayo"],
        "residence": ["Mogadishu", None, "Kismayo"],
    })
    vocab = Vocab()
    keys = blocking.record_keys(prepare(records, fields, vocab), vocab)
    assert keys.height > 0 and keys.select("row", "key").is_duplicated().sum() == 0
    assert set(keys["row"].to_list()) == {0, 1, 2}


def test_the_person_whose_day_one_side_writes_in_the_ethiopian_calendar_outranks_namesakes_of_near_years():
    fields = Fields(id="id", given="given", family="family", birth_date="birth_date", calendar="cal")
    # 7 July 1991 is 30 Hamle 1983 in the Ethiopian calendar: eight years "apart", the same day.
    # Twelve namesakes born within three years of the enquiry; forty others, one born that day.
    near = [f"{1988 + i % 6}-0{1 + i % 9}-1{i % 10}" for i in range(12)]
    others = [f"{1950 + i}-03-04" for i in range(39)] + ["1991-07-07"]
    right = pl.DataFrame({"id": [f"n{i}" for i in range(12)] + ["person"] + [f"o{i}" for i in range(40)],
                          "given": ["Tesfay"] * 13 + ["Abebe"] * 40, "family": ["Gebremedhin"] * 13 + ["Kebede"] * 40,
                          "birth_date": near + ["1983-10-30"] + others, "cal": ["true"] * 53})
    left = pl.DataFrame({"id": ["e"], "given": ["Tesfay"], "family": ["Gebremedhin"], "birth_date": ["1991-07-07"],
                         "cal": ["true"]})
    assert _linked(left, right, 1, fields) == {("e", "person")}
    one_day_off = right.with_columns(pl.when(pl.col("id") == "person").then(pl.lit("1983-10-29"))
                                     .otherwise(pl.col("birth_date")).alias("birth_date"))
    assert _linked(left, one_day_off, 1, fields) != {("e", "person")}


def test_distinct_rows_are_numpy_s_in_its_order():
    """Names are keyed once per distinct row: the rows and each one's place must be np.unique's
    (lexicographic, -1 blanks first), or two runs would order candidates differently."""
    rng = np.random.default_rng(5)
    for shape, high in (((2_000, 7), 6), ((500, 3), 2_000_000_000), ((1, 4), 3)):
        matrix = rng.integers(-1, high, size=shape).astype(np.int32)
        matrix[::3] = matrix[1::3][: len(matrix[::3])] if len(matrix) > 1 else matrix[::3]  # rows repeated
        uniq, inverse = blocking.distinct_rows(matrix)
        want, want_inverse = np.unique(matrix, axis=0, return_inverse=True)
        assert np.array_equal(uniq, want) and np.array_equal(inverse, want_inverse.ravel())
    empty = np.zeros((0, 5), dtype=np.int32)
    assert blocking.distinct_rows(empty)[0].shape == (0, 5) and len(blocking.distinct_rows(empty)[1]) == 0


def test_each_name_s_keys_are_its_tokens_keys_its_token_pairs_and_its_own_name_with_its_mother_s():
    """`_name_keys` against its definition, key by key: every phonetic key of each chain token;
    for each two of the first PAIRED chain tokens, each of their first PAIRED_KEYS keys paired
    in either order; the own first name's with the mother's; each once, sorted, by name. Names of
    tokens with many keys (several conventions and a cross-language class), a blank slot, a
    token shared by chain and mother, two tokens of one key."""
    fields = Fields(id="id", given="given", family="family", father="father", mother="mother")
    records = pl.DataFrame({
        "id": ["a", "b", "c", "d"],
        "given": ["Hennadij Sergeevich", "Mohammed Cumar Ahmed", "Dzhafar", None],
        "family": ["Chernyshevskyi", "Ahmed", None, "Yusuf"],
        "father": ["Serhii", "Mohamed Ahmed Cabdi Ali", None, None],
        "mother": ["Khadeeja", "Mohamed", "Zeynab", "Amina"],
    })
    vocab = Vocab()
    slots = prepare(records, fields, vocab).name_slots()
    uniq, _ = blocking.distinct_rows(slots)
    got = blocking._name_keys(uniq, vocab)
    # tokens of more keys than are paired, first and later in a chain
    assert len(vocab.keys[uniq[0, 0]]) > blocking.PAIRED_KEYS
    assert any(len(vocab.keys[t]) > blocking.PAIRED_KEYS for t in uniq[:, 1:blocking.PAIRED].ravel() if t >= 0)
    hashed = {t: blocking.text_hashes(["t" + k for k in vocab.keys[t]]) for t in np.unique(uniq[uniq >= 0])}
    mother = uniq.shape[1] - 1
    expected = []
    for name, row in enumerate(uniq.tolist()):
        chain = [t for t in row[:mother] if t >= 0]
        keys = {int(h) for t in chain for h in hashed[t]}
        heads = [t for t in row[: blocking.PAIRED] if t >= 0]
        for i, s in enumerate(heads):
            for t in heads[i + 1:]:
                for x in hashed[s][: blocking.PAIRED_KEYS]:
                    for y in hashed[t][: blocking.PAIRED_KEYS]:
                        keys.add(int(blocking.mix(min(x, y), max(x, y), blocking._PAIR)))
        if row[0] >= 0 and row[mother] >= 0:
            keys |= {int(blocking.mix(x, y, blocking._MOTHER)) for x in hashed[row[0]][: blocking.PAIRED_KEYS]
                     for y in hashed[row[mother]][: blocking.PAIRED_KEYS]}
        expected += [(name, k) for k in sorted(keys)]
    assert list(zip(got["name"].to_list(), got["key"].to_list())) == expected
