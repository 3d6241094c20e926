"""The fast paths of romanisation and tokenisation (translate tables, ASCII shortcut, slash-free
shortcut) give what the letter-by-letter rules give, on generated names of every script and on
hand-picked awkward strings."""

import re
import unicodedata

import pytest
from anyascii import anyascii

from benchmarks.generate import generate
from matching import parallel
from matching.names import romanisation, scoring, tokenisation

AWKWARD = [
    "", " ", "O'Brien", "d`Arc", "  Ma'ruf  al-Karkhi ", "Abd al-Rahman", "G/Medhin", "W/ro Almaz",
    "W.Mariam", "g / medhin", "ገ/ማርያም", "ወ/ሮ አልማዝ", "Dr. Samir", "Şevçenko", "Cemal Ağa", "Łukasz",
    "Олександр", "Шевченко Їжак", "Сергей", "محمد بن عبد الله", "عبدالرحمن", "ḥasan ṯābit", "a\x01b",
    "A\tB\nC", "x-y_z9", "Ǧamāl", "ß", "İsmail", "Abdi Qaadir", "Rahmat Ullah", "Salah ad-Din",
    "Ｓａｍｉｒ", "Mary-Jane O`Neil", "haji mohammed bin ali", "ጸጋዬ ገብረ መድህን", "ግርማ ክብሮም ዳ", "።ግርማ፡ክብሮም", "gግርማ ዕቁባይ", "Mo7amed 3'assan", "Ra2ed 9",
]


def _romanise_by_letters(text: str) -> str:
    """`romanisation.romanise` as first written: dictionary lookups letter by letter, no shortcut
    (after the chat-alphabet digits, which both read first)."""
    text = romanisation._ARABIZI.sub(lambda m: romanisation._ARABIZI_LETTERS[m.group(0)], str(text or ""))
    text = unicodedata.normalize("NFC", text).lower()
    if romanisation._ARABIC_RANGE.search(text):
        text = romanisation._ARABIC_RANGE_WORDS.sub(lambda m: " " + romanisation._arabic_word(m.group(0)) + " ", text)
    if romanisation._CYRILLIC_RANGE.search(text):
        table = (romanisation._CYRILLIC_UKRAINIAN if romanisation._UKRAINIAN_MARKERS & set(text)
                 else romanisation._CYRILLIC_RUSSIAN)
        text = "".join(table.get(ch, ch) for ch in text)
    if romanisation._TURKISH_MARKERS & set(text):
        text = text.replace("c", "j")
    text = "".join(romanisation._LATIN_EXPANSIONS.get(ch, ch) for ch in text if ch not in romanisation._GLOTTALS)
    text = "".join(_geez_letter(text, i) for i in range(len(text)))
    text = anyascii(text).lower().replace("'", "").replace("`", "")
    return re.sub(r"[^a-z]+", " ", text).strip()


def _geez_letter(text: str, i: int) -> str:
    """Letter i of `text`, a word's first Ge'ez syllable (after no letter of any script) followed
    by another, bare in anyascii (the sixth order) and no glottal, read with an i."""
    def geez(j: int) -> bool:
        return 0 <= j < len(text) and "\u1200" <= text[j] <= "\u135a"

    reading = anyascii(text[i])
    bare = not set(reading) & set("aeiou") and reading.strip("'`")
    after_letter = i > 0 and text[i - 1].isalpha()
    return reading + "i" if geez(i) and not after_letter and geez(i + 1) and bare else text[i]


def _name_tokens_always(text: str) -> tuple[str, ...]:
    """`tokenisation.name_tokens` running every rewrite whether or not the text holds a slash or dot."""
    text = str(text or "")
    if not text.strip():
        return ()
    text = tokenisation._SLASH_TITLE.sub(" ", text)
    for abbrev, full in tokenisation._GEEZ_SLASH.items():
        text = text.replace(abbrev, full)
    text = tokenisation._SLASH_PREFIX.sub(lambda m: tokenisation._SLASH_LETTER[m.group(1).lower()], text)
    words = [w for w in re.split(r"\s+", _romanise_by_letters(text)) if w]
    return tuple(tokenisation._join_compounds(tokenisation._drop_function_words(words)))


@pytest.fixture(scope="module")
def cells():
    data = generate(enquiries=300, found=1500, seed=8)
    values = set(AWKWARD)
    for frame in (data.found, data.enquiries):
        for column in ("given_names", "family_name", "father_name", "mother_name", "other_names"):
            for value in frame[column].drop_nulls().to_list():
                values.update(value.split(";"))
    return sorted(values)


def test_romanise_equals_the_letter_by_letter_rules(cells):
    assert len(cells) > 1000 and any(not c.isascii() for c in cells)
    different = [c for c in cells if romanisation.romanise(c) != _romanise_by_letters(c)]
    assert different == []


def test_name_tokens_equal_the_rules_run_in_full(cells):
    different = [c for c in cells if tokenisation.name_tokens(c) != _name_tokens_always(c)]
    assert different == []


def test_token_features_shared_out_among_processes_are_those_computed_here(monkeypatch):
    tokens = ["abdrahman", "mohammed", "gebremariam", "Ахмед", "faadumo", "abdulla", "mohammed"]
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    table = scoring._TokenTable()
    codes = table.codes(tokens)
    assert [table.tokens[c] for c in codes] == tokens
    assert [table._rows[c] for c in codes] == [scoring._Features.of(t) for t in tokens]
    assert {"rahman", "mariam"} <= set(table.tokens)  # compound cores came with them
