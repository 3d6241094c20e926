"""Token matrices built in one batch, shared out among processes, hold what tokenising each cell
on its own gives, and the vocabulary grows as adding its tokens one by one would."""

import numpy as np
import polars as pl
import pytest

from benchmarks.generate import generate
from matching import names, parallel, prepare
from matching.prepare import WIDTH, Vocab

ROLES = {"given": "given_names", "family": "family_name", "father": "father_name",
         "mother": "mother_name", "aliases": "other_names"}


@pytest.fixture(scope="module")
def columns():
    frame = generate(enquiries=200, found=1000, seed=3).found
    extra = pl.DataFrame({c: ["Abd al-Rahman;abd al rahman;Sami", "", None, ";", "G/Medhin W/ro Almaz"]
                          for c in ROLES.values()})
    frame = pl.concat([frame.select(list(ROLES.values())), extra])
    return {role: frame[column].cast(pl.Utf8) for role, column in ROLES.items()}


def _cell_by_cell(column: pl.Series, role: str) -> list[list[str]]:
    """Each cell's tokens, first WIDTH[role] of them, tokenised on its own (a patronymic in a
    given-name or father field read as the father's name), each once but in a name chain (given
    names), where a name written twice is two links."""
    once = (lambda cell: tuple(cell)) if role == "given" else (lambda cell: tuple(dict.fromkeys(cell)))
    out = []
    for value in column.to_list():
        parts = [] if value is None else value.split(";") if role == "aliases" else [value]
        cell = once(t for part in parts for t in names.name_tokens(part))
        if role in prepare.PATRONYMIC_ROLES:
            cell = once(prepare._fathers_named(cell, {t: names.patronymic_stem(t) for t in cell}))
        out.append(list(cell)[: WIDTH[role]])
    return out


def _as_tokens(matrix: np.ndarray, vocab: Vocab) -> list[list[str]]:
    return [[vocab.tokens[i] for i in row if i >= 0] for row in matrix.tolist()]


@pytest.mark.parametrize("parallel_from", [1, 10**9])
def test_token_matrices_equal_cell_by_cell_tokens(columns, monkeypatch, parallel_from):
    monkeypatch.setattr(parallel, "PARALLEL_FROM", parallel_from)
    vocab = Vocab()
    matrices = prepare._token_matrices(columns, vocab)
    for role, column in columns.items():
        assert matrices[role].shape == (len(column), WIDTH[role]) and matrices[role].dtype == np.int32
        assert _as_tokens(matrices[role], vocab) == _cell_by_cell(column, role)
    assert vocab.keys == [names.keys(t) for t in vocab.tokens]


def test_vocabulary_order_does_not_depend_on_sharing_out(columns, monkeypatch):
    vocabs = []
    for parallel_from in (1, 10**9):
        monkeypatch.setattr(parallel, "PARALLEL_FROM", parallel_from)
        vocabs.append(Vocab())
        prepare._token_matrices(columns, vocabs[-1])
    assert vocabs[0].tokens == vocabs[1].tokens and vocabs[0].ids == vocabs[1].ids


def test_a_column_of_nulls_has_no_tokens():
    nulls = pl.Series([None, None], dtype=pl.Utf8)
    matrices = prepare._token_matrices({"given": nulls, "aliases": nulls}, Vocab())
    assert (matrices["given"] == -1).all() and matrices["aliases"].shape == (2, WIDTH["aliases"])


def test_extend_adds_as_add_one_by_one_would():
    one, batch = Vocab(), Vocab()
    for vocab in (one, batch):
        vocab.add("samir")
    tokens = ["ahmed", "samir", "ahmed", "mohamed", "abdrahman"]
    for t in tokens:
        one.add(t)
    batch.extend(tokens)
    assert (batch.tokens, batch.ids, batch.keys) == (one.tokens, one.ids, one.keys)


@pytest.mark.parametrize("parallel_from", [1, 10**9])
def test_mapped_keeps_order(monkeypatch, parallel_from):
    monkeypatch.setattr(parallel, "PARALLEL_FROM", parallel_from)
    for items in ([f"name{i}" for i in range(101)], ["one"], []):
        assert parallel.mapped(str.upper, items) == [s.upper() for s in items]


def test_tokens_by_key_lists_every_spelling_and_follows_the_vocabulary_as_it_grows():
    vocab = Vocab()
    vocab.extend(["mohamed", "ali"])

    def holders(token: str) -> set[str]:
        ptr, tokens = vocab.tokens_by_key()
        keys = [k for k in vocab.key_ids()[vocab.ids[token]] if k >= 0]
        return {vocab.tokens[t] for k in keys for t in tokens[ptr[k]:ptr[k + 1]]}

    assert holders("mohamed") == {"mohamed"} and holders("ali") == {"ali"}
    vocab.extend(["muhammad"])  # a search meets a new spelling: the listing is built again
    assert holders("mohamed") == {"mohamed", "muhammad"} and "muhammad" not in holders("ali")


def test_a_place_is_coded_by_its_sound_as_one_word_and_towns_sharing_a_first_word_stay_apart():
    from anyascii import anyascii

    from matching.prepare import place_codes

    places = ["Kabul", "Kabol", "Caboul", "Mazar-e Sharif", "Mazar-i-Sharif", "Deir ez-Zor", "Daraa", "Dire Dawa",
              "Tal Afar", "Tal Abyad", "Addis Ababa", "Odesa", "Umm Dorman", "Omdurman", "Qendahar", "Kandahar", "Kakuma 1", "Kakuma 4", None]
    code = dict(zip(places, place_codes(pl.Series([anyascii(p).lower() if p else None for p in places])).tolist()))
    assert code["Kabul"] == code["Kabol"] == code["Caboul"] and code["Mazar-e Sharif"] == code["Mazar-i-Sharif"]
    assert code["Umm Dorman"] == code["Omdurman"] and code["Qendahar"] == code["Kandahar"] != code["Kabul"]
    assert code["Kakuma 1"] != code["Kakuma 4"]  # two camps: a place with a digit keeps its own text
    assert len({code[p] for p in ("Deir ez-Zor", "Daraa", "Dire Dawa", "Tal Afar", "Tal Abyad", "Addis Ababa", "Odesa")}) == 7
    assert code[None] == 0


def test_an_alias_restating_a_name_the_record_holds_is_not_counted_again():
    """An alias token that is a spelling of a name the record already holds (in Arabic script,
    or Mohammed for Mohamed) is dropped from the whole name, leaving room for the names further
    down the chain; a name repeated within the given, family and father fields is another
    person's (Yusof, father of a Yousuf) and stays, and so does a different name that looks alike
    (Mahmoud beside Mohamed)."""
    fields = prepare.Fields(id="id", given="given", family="family", father="father", aliases="aliases")
    frame = pl.DataFrame({
        "id": ["a", "b", "c", "d"],
        "given": ["Yousuf", "Maryam", "Mohamed", "Ahmad Yusuf"],
        "family": ["Karimi", None, None, "Haji"],
        "father": ["Yusof", "Mahmud", "Mahmoud", None],
        "aliases": [None, "مریم محمود رحمت الله رحیمی", "Mohammed", "Ahmed Yousef Umar;Ali"],
    })
    wide = pl.DataFrame({"id": ["e", "f", "g"], "given": ["Mohamed Ahmed", "Mohamed Ali Hassan", "Mohamed Ali Hassan"],
                         "family": [None] * 3, "father": [None] * 3,
                         # restatements first, then a name: which names count does not depend on the order
                         "aliases": ["Mohammed Ahmad;Muhammad Ahmed;Yusuf",
                                     "Mohammed Aly Hasan;Muhammad Ali Hassan;Mohamad Alee Hasan;Khalid",
                                     "Khalid;Mohammed Aly Hasan;Muhammad Ali Hassan;Mohamad Alee Hasan"]})
    frame = pl.concat([frame, wide])
    vocab = Vocab()
    held = _as_tokens(prepare.prepare(frame, fields, vocab).all_tokens, vocab)
    # Maryam's other name is her whole name: its last, Rahimi, is read as her family name
    assert held == [["yousuf", "karimi", "yusof"], ["maryam", "rahimi", "mahmud", "rehmatullah"], ["mohamed", "mahmoud"],
                    ["ahmad", "yusuf", "haji", "umar", "ali"], ["mohamed", "ahmed", "yusuf"],
                    ["mohamed", "ali", "hassan", "khalid"], ["mohamed", "ali", "hassan", "khalid"]]


def test_a_patronymic_in_a_given_name_or_father_field_names_the_father():
    """Andrey Romanovich's father is Roman, in the given names as in the father field and in any
    romanisation; a family name ending so (Abramovich) stays a surname, and so do South Slavic and
    Polish surnames written in a given-name field (Petrovic Marko, Mickiewicz). Ivan Ivanovich
    keeps his patronymic, or he would read as a man of one name; a name that merely ends alike
    (Ivan) or a stem too short to be a name (Ovich) stays as written."""
    fields = prepare.Fields(id="id", given="given", family="family", father="father")
    frame = pl.DataFrame({
        "id": ["a", "b", "c", "d", "e"],
        "given": ["Andrey Romanovich", "Олена", "Ivan Ivanovich", "Ovich", "Petrovic Marko"],
        "family": ["Abramovich", "Шевченко", "Petrenko", None, None],
        "father": [None, "Сергіївна", "Jurijowytsch Oleksandrovych", "Ryhoravich", "Mikolaj Mickiewicz"],
    })
    vocab = Vocab()
    p = prepare.prepare(frame, fields, vocab)
    read = {role: _as_tokens(p.tokens[role], vocab) for role in ("given", "family", "father")}
    assert read["given"] == [["andrey", "roman"], ["olena"], ["ivan", "ivanovich"], ["ovich"], ["petrovic", "marko"]]
    assert read["family"] == [["abramovich"], ["shevchenko"], ["petrenko"], [], []]
    assert read["father"] == [[], ["serhiy"], ["jurij", "oleksandr"], ["ryhor"], ["mikolaj", "mickiewicz"]]


def test_a_full_name_written_surname_first_reads_the_own_name_first():
    """Petrenko Alla Mykolaivna, the East Slavic official order, in a given-name or father field:
    the surname leaves the field, so Alla is her own name and Mykola her father, and from the
    given names it goes to an empty family name's place. Three words without a patronymic last,
    with one before it, or whose first has no East Slavic surname's ending, stay as written."""
    fields = prepare.Fields(id="id", given="given", family="family", father="father")
    frame = pl.DataFrame({
        "id": list("abcdefghi"),
        "given": ["Петренко Алла Миколаївна", "Алла Миколаївна Петренко", "Mohamed Ahmed Hassan",
                  "Ivan Ivanovich Petrov", "Alla Petrenko", "Mohammad Ali Karimovich", "Anna Maria Ivanovna",
                  "Иван Ильич Карпович", "Ivanova Olga Petrovna"],
        "family": [None, None, None, None, None, "Karimov", "Petrova", None, None],
        "father": ["Petrenko Mykola Ivanovych", *[None] * 8],
    })
    vocab = Vocab()
    p = prepare.prepare(frame, fields, vocab)
    assert _as_tokens(p.tokens["given"], vocab) == [
        ["alla", "mykolay"], ["alla", "mykolay", "petrenko"], ["mohamed", "ahmed", "hassan"],
        ["ivan", "ivanovich", "petrov"], ["alla", "petrenko"],
        # two given names and a patronymic; a name, an irregular patronymic and a surname
        ["mohammad", "ali", "karim"], ["anna", "maria", "ivan"], ["ivan", "ilich", "karp"],
        ["olga", "petr"]]
    # the surname written first goes to the family name's place where that is empty
    assert _as_tokens(p.tokens["family"], vocab) == [
        ["petrenko"], [], [], [], [], ["karimov"], ["petrova"], [], ["ivanova"]]
    assert _as_tokens(p.tokens["father"], vocab) == [["mykola", "ivan"], *[[]] * 8]


def test_a_name_chain_given_only_as_an_other_name_names_the_father():
    """Shabnam with the other name شبنم جاوید محمد کریمی gives her chain there: her father is
    Jawid. Not where the record names a father or a family name already, nor from an other name
    of two (Shabnam Karimi: a family name), nor one that opens with another name (a mother's
    kunya), nor where surnames are inherited (Olena, other name Olena Ivanivna Kovalenko)."""
    fields = prepare.Fields(id="id", given="given", family="family", father="father", aliases="aliases",
                            surname="surname")
    frame = pl.DataFrame({
        "id": list("abcdef"),
        "given": ["Shabnem", "Shabnam", "Shabnam", "Shabnam", "Shabnam", "Olena"],
        "family": [None, "Karimi", None, None, None, None],
        "father": [None, None, "Ahmad", None, None, None],
        "aliases": ["شبنم جاوید محمد کریمی", "Shabnam Jawid Mohammad", "Shabnam Jawid Mohammad", "Shabnam Karimi",
                    "Umm Jawid Mohammad", "Olena Ivanivna Kovalenko"],
        "surname": [False, False, False, False, False, True],
    })
    vocab = Vocab()
    p = prepare.prepare(frame, fields, vocab)
    assert _as_tokens(p.tokens["father"], vocab) == [["javed"], [], ["ahmad"], [], [], []]  # جاوید read as Javed


def test_a_whole_name_given_as_an_other_name_names_the_family():
    """Ali, father Ahmad, with the other name علي احمد نور جعفری: his family name is Jafari, the
    chain's last name, as a record writing it in its family field has it. Not where the record
    has a family name, nor from an other name of two, nor from one that opens with another name,
    nor where surnames are inherited; only the first other name is read (Abu Ataa Ullah after it
    is a kunya)."""
    fields = prepare.Fields(id="id", given="given", family="family", father="father", aliases="aliases",
                            surname="surname")
    frame = pl.DataFrame({
        "id": list("abcdefg"),
        "given": ["Ali", "Ali", "Ali", "Ali", "Olena", "Noor", "Ali"],
        "family": [None, "Karimi", None, None, None, None, None],
        "father": ["Ahmad"] * 4 + [None, None, None],
        "aliases": ["علي احمد نور جعفری", "Ali Ahmad Nour Jafari", "Ali Jafari", "Umm Ahmad Nour Jafari",
                    "Olena Ivanivna Kovalenko", "Noor Sayyid Mahmoud Husaini;Abu Ataa Ullah", "Abu Ali;Ali Ahmad Jafari"],
        "surname": [False, False, False, False, True, False, False],
    })
    vocab = Vocab()
    p = prepare.prepare(frame, fields, vocab)
    assert _as_tokens(p.tokens["family"], vocab) == [["jafari"], ["karimi"], [], [], [], ["husaini"], []]


def test_a_place_in_another_script_keeps_its_numbers_and_reads_its_words_as_names():
    """Two camps differ by their number in any script, and the words beside a number are
    romanised as a name is, not letter by letter (كاكوما was 'kkwm' beside a digit)."""
    from matching.prepare import _place_written

    assert _place_written("كاكوما ١") == _place_written("كاكوما 1") == _place_written("Kakuma 1") == "kakuma 1"
    assert _place_written("كاكوما 4") == "kakuma 4" and _place_written("ጅማ 2") == _place_written("ጅማ ፪") == "jima 2"
    assert _place_written("كاكوما ²") == "kakuma 2"  # a superscript is a number too
    assert _place_written("كاكوما، كينيا") == "kakuma"


def test_a_last_contact_after_the_day_its_record_was_made_is_read_as_unknown():
    """A family cannot report a contact that has not happened yet: 2031 on an enquiry made in
    2024 is a typing error, and would weigh every candidate down as made long before it."""
    from matching.prepare import LAST_CONTACT, RECORDED
    from rfl.schema import FIELDS

    frame = pl.DataFrame({"record_id": ["a", "b", "c"], "given_names": ["Ali"] * 3,
                          "recorded_on": ["2024-01-10", "2024-01-10", None], "last_seen_date": ["2022-06", "2031", "2031"]})
    dates = prepare.prepare(frame, FIELDS, Vocab()).dates
    assert dates[LAST_CONTACT][0] == dates[RECORDED][0] - 588  # 1 June 2022, 588 days before 10 January 2024
    assert np.isnan(dates[LAST_CONTACT][1]) and not np.isnan(dates[LAST_CONTACT][2])  # none to tell by: kept
