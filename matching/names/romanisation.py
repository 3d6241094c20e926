"""Romanisation of names written in any script into lowercase ASCII.

Officers type the same name in Arabic, Persian, Pashto, Cyrillic, Ge'ez, Greek or
Latin with the diacritics of their own language. Everything downstream (keys,
similarity) works on plain ASCII, so this module decides how each script reaches
it:

* Latin letters whose diacritic marks a *different sound* (háček, cedilla,
  Turkish dotless i, Polish ł/ż, scholarly ḥ ṯ ḏ ġ ǧ) are expanded first
  (č -> ch, ş -> sh); stripping the accent first would turn Шевченко via
  Şevçenko into "sevcenko". Remaining accents are folded by anyascii.
* Turkish text (recognised by ı ğ ş) writes /dʒ/ as c: Cemal is Jamal.
* Cyrillic goes through a letter table: the Ukrainian national system when the
  text carries a Ukrainian-only letter (і ї є ґ), where г is h and и is y;
  the common Russian system otherwise.
* Arabic-script words carry no short vowels, so a letter-by-letter rendering is
  only a consonant skeleton (mhmd). When the word is an attested name unit we
  use its most frequent attested Latin spelling (محمد -> mohamed), which puts
  both sides of a cross-script pair in the same alphabet *with* vowels;
  otherwise a letter table that turns long-vowel letters into vowels.
* Everything else (Ge'ez, Greek, ...) goes through anyascii; a Ge'ez word's first letter in
  the sixth order (no vowel) gets the i that Latin spellings give it (ግርማ Girma).
* Digits inside a Latin word are the Arabic chat alphabet (Arabizi), as relatives type names
  in online forms: 7 is ḥ, 5 kh, 3 ʿayn (3' ghayn), 2 hamza, 6 ṭ, 9 ṣ, 8 q (Mo7amed, 3ali).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from matching.names import attested

# Latin letters whose diacritic changes the sound: expand before folding accents.
_LATIN_EXPANSIONS = {
    "č": "ch", "ć": "ch", "ĉ": "ch", "ç": "ch",
    "š": "sh", "ś": "sh", "ş": "sh", "ș": "sh", "ŝ": "sh",
    "ž": "zh", "ż": "zh", "ź": "zh",
    "ř": "rzh", "ł": "l", "ı": "i", "ğ": "g",
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "dj", "ð": "dh", "þ": "th",
    # scholarly (ALA-LC, DIN 31635) letters for Arabic sounds
    "ḥ": "h", "ḫ": "kh", "ẖ": "kh", "ṯ": "th", "ḏ": "dh", "ġ": "gh",
    "ǧ": "j", "ǰ": "j", "ṣ": "s", "ḍ": "d", "ṭ": "t", "ẓ": "z",
}
# Marks for ʿayn and hamza, and apostrophes used for them, vanish.
_GLOTTALS = "ʿʾʼʻ’‘`´'ʹʺ"
_TURKISH_MARKERS = set("ığş")  # letters that only Turkish uses among our sources

_CYRILLIC_COMMON = {
    "а": "a", "б": "b", "в": "v", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "ў": "w",
}
_CYRILLIC_RUSSIAN = {**_CYRILLIC_COMMON, "г": "g", "и": "i"}
_CYRILLIC_UKRAINIAN = {
    **_CYRILLIC_COMMON,
    "г": "h", "ґ": "g", "и": "y", "і": "i", "ї": "yi", "є": "ye",
}
_UKRAINIAN_MARKERS = set("іїєґ")

# Arabic-script letters, for words not in the attested table. Long-vowel letters
# become vowels (they are vowels in most Latin spellings), the rest consonants.
_ARABIC_LETTERS = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ب": "b", "ت": "t",
    "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ک": "k", "ل": "l",
    "م": "m", "ن": "n", "ه": "h", "ة": "a", "و": "w", "ي": "y", "ی": "y",
    "ى": "a", "ء": "", "ؤ": "u", "ئ": "i",
    # Persian and Pashto letters
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ټ": "t", "ډ": "d", "ړ": "r",
    "ږ": "zh", "ښ": "sh", "ځ": "z", "څ": "s", "ې": "e", "ۍ": "ay", "ڼ": "n",
    "ے": "e", "ں": "n", "ہ": "h", "ھ": "h", "ڈ": "d", "ٹ": "t", "ڑ": "r",
}
# Words that build compounds and chains; spelled so that ``name_tokens`` knows them.
_ARABIC_PARTICLES = {"عبد": "abd", "ابو": "abu", "أبو": "abu", "بن": "bin", "ابن": "ibn",
                     "بنت": "bint", "ود": "wad", "ال": "al"}
_ARABIC_VOWEL_LETTERS = {"و": "u", "ي": "i", "ی": "i"}
_OPENS_WITH_VOWEL = frozenset("اآأإع")  # after an opening ʿayn: its vowel written already (or another ʿayn)
_ARABIC_RANGE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")  # harakat, tatweel
_CYRILLIC_RANGE = re.compile(r"[\u0400-\u04ff]")
# The letter tables as str.translate tables: one pass in C instead of a Python loop per letter.
_RUSSIAN_TABLE = str.maketrans(_CYRILLIC_RUSSIAN)
_UKRAINIAN_TABLE = str.maketrans(_CYRILLIC_UKRAINIAN)
_LATIN_TABLE = str.maketrans({**_LATIN_EXPANSIONS, **dict.fromkeys(_GLOTTALS)})  # glottals vanish
_NON_LETTERS = re.compile(r"[^a-z]+")
# A chat-alphabet digit (with its ' for the dotted letter) next to a Latin letter.
_ARABIZI = re.compile(r"(?<=[A-Za-z])[2356789]'?|[2356789]'?(?=[A-Za-z])")
_ARABIZI_LETTERS = {"2": "", "3": "", "3'": "gh", "5": "kh", "6": "t", "6'": "z", "7": "h", "7'": "kh",
                    "8": "q", "9": "s", "9'": "d", "2'": "", "5'": "kh", "8'": "q"}


@lru_cache(maxsize=200_000)
def romanise(text: str) -> str:
    """Lowercase ASCII letters and single spaces for a name in any script."""
    text = str(text or "")
    if _ARABIZI.search(text):
        text = _ARABIZI.sub(lambda m: _ARABIZI_LETTERS[m.group(0)], text)
    if text.isascii():  # the steps below then reduce to these (anyascii keeps ASCII as it is)
        return _NON_LETTERS.sub(" ", text.lower().replace("'", "").replace("`", "")).strip()
    text = unicodedata.normalize("NFC", text).lower()
    if _ARABIC_RANGE.search(text):
        text = _ARABIC_RANGE_WORDS.sub(lambda m: " " + _arabic_word(m.group(0)) + " ", text)
    if _CYRILLIC_RANGE.search(text):
        text = text.translate(_UKRAINIAN_TABLE if _UKRAINIAN_MARKERS & set(text) else _RUSSIAN_TABLE)
    if _TURKISH_MARKERS & set(text):
        text = text.replace("c", "j")
    text = text.translate(_LATIN_TABLE)
    if not text.isascii():  # pictographs are no letters: anyascii reads 😀 as "grinning", a name
        text = "".join(" " if unicodedata.category(c) == "So" else c for c in text)
    if _GEEZ_RANGE.search(text):
        text = _GEEZ_FIRST.sub(_geez_first, text)
    # anyascii marks glottal stops (Ge'ez አ, Arabic ئ) with apostrophes: not word breaks
    text = anyascii(text).lower().replace("'", "").replace("`", "")
    return _NON_LETTERS.sub(" ", text).strip()


_GEEZ_RANGE = re.compile(r"[\u1200-\u137f]")
# A Ge'ez word's first letter (syllables only: not its punctuation, such as the word separator ፡,
# nor its numerals), where another follows it; no letter of any script before it.
_GEEZ_FIRST = re.compile(r"(?<![^\W\d_])[\u1200-\u135a](?=[\u1200-\u135a])")


def _geez_first(match: re.Match) -> str:
    """A word's first Ge'ez letter in the sixth order (a consonant with no vowel or a short ə,
    which anyascii writes bare) reads with an i, as Latin spellings of Ethiopian and Eritrean
    names write it: ግርማ Girma, ክብሮም Kibrom, ብርሃነ Birhane, not grma, kbrom or brhane. Not the
    glottal and pharyngeal letters (እ, ዕ), whose vowel Latin writes as the next one sounds
    (ዕቁባይ Okbay)."""
    letter = anyascii(match.group(0))
    consonant = letter.strip("'`")
    return letter + "i" if consonant and not set(letter) & set("aeiou") else match.group(0)


_ARABIC_RANGE_WORDS = re.compile(
    r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+"
)


@lru_cache(maxsize=100_000)
def _arabic_word(word: str) -> str:
    """One Arabic-script word: the attested spelling if known, else letter rules. Remembered,
    since cells are mostly distinct but are made of a few thousand distinct words."""
    word = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", word))
    if not word:
        return ""
    word = _arabic_persian(word)
    if word in _ARABIC_PARTICLES:
        return _ARABIC_PARTICLES[word]
    if word.startswith("عبدال") and len(word) > 5:
        return "abd al " + _arabic_word(word[5:])
    best = _attested(word)
    if best:
        return best
    if word.startswith("ال") and len(word) > 3:
        rest = _attested(word[2:])
        return "al " + (rest or _arabic_letters(word[2:]))
    return _arabic_letters(word)


# Pashto's gaf (ګ) is Persian's (گ); Urdu's heh (ہ, ۂ, ھ) and Pashto's yehs (ۍ, ې) are Arabic's ه
# and ي in all but a two-letter word (مہ, Mah, is no مه of the table). Urdu's final ے is e or ay.
_GAF = {"ګ": "گ"}
_PASHTO_GAF = str.maketrans(_GAF)
_URDU_PASHTO = str.maketrans({**_GAF, "ہ": "ه", "ۂ": "ه", "ھ": "ه", "ۍ": "ي", "ې": "ي"})


def _arabic_persian(word: str) -> str:
    """`word` with Urdu and Pashto letters written as Arabic and Persian write the same ones
    (عبداللہ is عبدالله, ګل is گل) where the attested table holds it so and not as written: the
    table holds few Urdu and Pashto spellings (it does hold نکھت, Nikhat, with its aspirate, as
    written). A word it holds neither way keeps its letters (Pashto ې is e)."""
    respelt = word.translate(_URDU_PASHTO if len(word) > 2 else _PASHTO_GAF)
    if respelt == word or attested.best_latin(word) or not attested.best_latin(respelt):
        return word  # most words hold none of these letters: no look-up for them
    return respelt


# A final long a is written with alif, alif maqsura or ta marbuta, and a final hamza sits alone or
# on a yeh: writers differ (مصطفى and مصطفا, رشا and رشة, حواء and حوائ), the attested table
# mostly holds one.
_FINAL_RESPELLINGS = {"ا": "ةى", "ى": "ا", "ة": "ا", "ئ": "ء"}


def _attested(word: str) -> str | None:
    """The attested spelling of a word, or of the word with its last letter written as others
    write it (`_FINAL_RESPELLINGS`) where that spelling ends as a final long a sounds: the table
    reads alif maqsura as yeh, so نادا looked up as نادى would be Nadi, not Nada."""
    best = attested.best_latin(word)
    for other in "" if best or len(word) < 3 else _FINAL_RESPELLINGS.get(word[-1], ""):
        respelt = attested.best_latin(word[:-1] + other)
        if respelt and not respelt.endswith(("i", "y")):
            return respelt
    return best


def _arabic_letters(word: str) -> str:
    """Letter-by-letter rendering; waw and yeh between consonants are long vowels, and an ʿayn
    that opens a word before a consonant is written a, the commonest vowel Latin spellings give
    it (ʿAli Ali, ʿAbd Abd, ʿAlemu Alemu): left out, عبدلاه read bdlah and علمو lmu, and met no
    Abdallah or Alemu. Where the vowel is u or o the a costs a little (عثمانزی athmanzi against
    Usmanzai 0.88, was 0.92), less than it gains where it is a."""
    out = ["a"] if word.startswith("ع") and len(word) > 1 and word[1] not in _OPENS_WITH_VOWEL else []
    for i, ch in enumerate(word):
        if ch in _ARABIC_VOWEL_LETTERS and 0 < i:
            out.append(_ARABIC_VOWEL_LETTERS[ch])
        else:
            out.append(_ARABIC_LETTERS.get(ch, anyascii(ch)))
    return "".join(out)
