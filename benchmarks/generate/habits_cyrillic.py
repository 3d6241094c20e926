"""How officers of different societies write a Ukrainian or Russian name from Cyrillic.

One letter table per habit and source language: Шевченко is Shevchenko (English, passport),
Chevtchenko (French), Schewtschenko (German), Szewczenko (Polish), Şevçenko (Turkish), Ševčenko
(scholarly). Ukrainian г is h in Ukrainian-aware habits and g in Russian-trained ones; и is y in
Ukrainian and i in Russian; є ї ю я and е ё have one spelling at the start of a word or after a
vowel (ye, yi, yu, ya) and another after a consonant (ie, i, iu, ia in the Ukrainian passport
system). Where writers of one habit disagree (Yuliya / Yulia / Julia), the options carry weights.
"""

from __future__ import annotations

import random

from benchmarks.generate.habits_latin import Options, pick

_CYR_VOWELS = set("аеєиіїоуюяыэё")

# Letters common to all Latin habits unless a table overrides them.
_COMMON = {c: ((l, 1),) for c, l in zip("абдклмнопрстф", "abdklmnoprstf")}
_COMMON.update({"ь": (("", 1),), "ъ": (("", 1),), "'": (("", 1),), "’": (("", 1),), "-": (("-", 1),)})


def _t(**letters: Options | str) -> dict[str, Options]:
    return {k: ((v, 1),) if isinstance(v, str) else v for k, v in letters.items()}


# (source language, habit) -> letter table; `_initial` entries apply at a word start or after
# a vowel, a soft sign or an apostrophe.
_TABLES: dict[tuple[str, str], dict[str, Options]] = {}
_INITIAL: dict[tuple[str, str], dict[str, Options]] = {}

_uk_passport = _t(в="v", г="h", ґ="g", е="e", є="ie", ж="zh", з="z", и="y", і="i", ї="i", й="i",
                  у="u", х="kh", ц="ts", ч="ch", ш="sh", щ="shch", ю="iu", я="ia")
_uk_passport_initial = _t(є="ye", ї="yi", й="y", ю="yu", я="ya")
_ru_bgn = _t(в="v", г="g", е="e", ё=(("ë", 0.2), ("e", 0.4), ("yo", 0.4)), ж="zh", з="z", и="i",
             й="y", у="u", х="kh", ц="ts", ч="ch", ш="sh", щ="shch", ы="y", э="e",
             ю="yu", я="ya")
_ru_bgn_initial = _t(е="ye", ё="yo")
_ru_icao = _t(в="v", г="g", е="e", ё="e", ж="zh", з="z", и="i", й="i", у="u", х="kh", ц="ts",
              ч="ch", ш="sh", щ="shch", ы="y", э="e", ю="iu", я="ia", ъ="ie")

_german = _t(в="w", г=(("g", 1),), ґ="g", е="e", є="je", ё="jo", ж="sch", з="s", и="i", і="i", ї="ji",
             й="i", у="u", х="ch", ц="z", ч="tsch", ш="sch", щ="schtsch", ы="y", э="e", ю="ju", я="ja")
_german_initial = _t(е="je", й="j")
_french = _t(в="v", г="g", ґ="g", е="e", є="ie", ё="io", ж="j", з="z", и="i", і="i", ї="ï", й="ï",
             у="ou", х="kh", ц="ts", ч="tch", ш="ch", щ="chtch", ы="y", э="e", ю="iou", я="ia")
_french_initial = _t(е="ie", є="ie", ю="iou", я="ia", й="i")
_polish = _t(в="w", г="g", ґ="g", е="ie", є="je", ё="io", ж="ż", з="z", и="i", і="i", ї="ji", й="j",
             у="u", х="ch", ц="c", ч="cz", ш="sz", щ="szcz", ы="y", э="e", ю="iu", я="ia", л="ł")
_polish_initial = _t(е="je", ё="jo", ю="ju", я="ja")
_turkish = _t(в="v", г="g", ґ="g", е="e", є="ye", ё="yo", ж="j", з="z", и="i", і="i", ї="yi", й="y",
              у="u", х="h", ц="ts", ч="ç", ш="ş", щ="şç", ы="ı", э="e", ю="yu", я="ya")
_turkish_initial = _t(е="ye")
_scholarly = _t(в="v", г="g", ґ="g", е="e", є="je", ё="ë", ж="ž", з="z", и="i", і="i", ї="ï", й="j",
                у="u", х="ch", ц="c", ч="č", ш="š", щ="šč", ы="y", э="è", ю="ju", я="ja",
                ь="ʹ", ъ="ʺ")
_english_uk = _t(в="v", г="h", ґ="g", е="e", є="ie", ж="zh", з="z", и="y", і="i", ї="i", й="i",
                 у="u", х="kh", ц="ts", ч="ch", ш="sh", щ="shch",
                 ю=(("iu", 0.5), ("yu", 0.5)), я=(("ia", 0.4), ("ya", 0.6)))
_english_uk_initial = _t(є="ye", ї="yi", й="y", ю="yu", я="ya")

for habit, table, initial in (
    ("passport", _uk_passport, _uk_passport_initial), ("english", _english_uk, _english_uk_initial),
    ("german", _german | _t(г="h", и="y"), _german_initial | _t(є="je", ю="ju", я="ja")),
    ("french", _french | _t(г="h", и="y"), _french_initial),
    ("polish", _polish | _t(г="h", и="y", е="e"), _polish_initial | _t(є="je", ї="ji")),
    ("turkish", _turkish | _t(г="h", и="ı"), _turkish_initial),
    ("scholarly", _scholarly | _t(г="h", и="y"), {}),
):
    _TABLES["uk", habit] = _COMMON | table
    _INITIAL["uk", habit] = initial
for habit, table, initial in (
    ("passport", _ru_icao, {}), ("english", _ru_bgn, _ru_bgn_initial),
    ("german", _german, _german_initial), ("french", _french, _french_initial),
    ("polish", _polish, _polish_initial), ("turkish", _turkish, _turkish_initial),
    ("scholarly", _scholarly, {}),
):
    _TABLES["ru", habit] = _COMMON | table
    _INITIAL["ru", habit] = initial

# Somali officers writing a Slavic name do what English-trained ones do.
for lang in ("uk", "ru"):
    _TABLES[lang, "somali"], _INITIAL[lang, "somali"] = _TABLES[lang, "english"], _INITIAL[lang, "english"]

# Endings that habits write as a whole: Russian -ий as -iy (BGN), -ii (passport), -ij (German).
_ENDINGS: dict[str, dict[str, Options]] = {
    "english": {"ий": (("iy", 0.7), ("y", 0.2), ("ii", 0.1)), "ій": (("ii", 0.6), ("iy", 0.4))},
    "passport": {"ий": (("ii", 1),), "ій": (("ii", 1),)},
    "german": {"ий": (("ij", 1),), "ій": (("ij", 1),)},
    "french": {"ий": (("i", 0.6), ("ii", 0.4)), "ій": (("i", 0.6), ("ii", 0.4))},
    "polish": {"ий": (("ij", 1),), "ій": (("ij", 1),)},
    "turkish": {"ий": (("iy", 1),), "ій": (("iy", 1),)},
    "scholarly": {"ий": (("ij", 1),), "ій": (("ij", 1),)},
    "somali": {"ий": (("iy", 1),), "ій": (("ii", 1),)},
}


def transliterate(text: str, lang: str, habit: str, rng: random.Random) -> str:
    """`text` (Cyrillic, `lang` 'uk' or 'ru') as an officer of `habit` writes it."""
    table, initial, endings = _TABLES[lang, habit], _INITIAL[lang, habit], _ENDINGS[habit]
    out = []
    lower = text.lower()
    i = 0
    while i < len(lower):
        ch = lower[i]
        two = lower[i:i + 2]
        if two in endings and (i + 2 == len(lower) or not lower[i + 2].isalpha()):
            latin = pick(endings[two], rng)
            i += 2
        else:
            prev = lower[i - 1] if i else " "
            soft = not prev.isalpha() or prev in _CYR_VOWELS or prev in "ьъ'’"
            options = initial.get(ch) if soft and ch in initial else table.get(ch)
            if options is None:
                latin = ch
            elif ch == "л" and habit == "polish" and lower[i + 1:i + 2] in tuple("ьеиіюяєїё"):
                latin = "l"
            elif ch == "е" and habit == "polish" and prev in "жшцчщ":
                latin = "e"
            elif ch == "с" and habit in ("german", "french") and prev in _CYR_VOWELS \
                    and lower[i + 1:i + 2] in _CYR_VOWELS:
                latin = "ss"  # a single s between vowels would read as z
            else:
                latin = pick(options, rng)
            i += 1
        out.append(latin)
    result = "".join(out)
    return "-".join(part[:1].upper() + part[1:] if len(part) > 2 else part for part in result.split("-"))
