"""Offline name data shipped in installed packages, read once per process.

- `arabic-name-romanizer`: a SQLite file of Arabic-script name units with their attested Latin
  spellings and counts by country. It gives how common each Arabic, Afghan and Somali unit is,
  rare family names beyond the hand-written lists, and spellings actually seen in the world
  (Abderrahmane in Algeria, Abdirahman in Somalia) for officers who copy a document.
- `habesha-names`: Ethiopian and Eritrean given names with Ge'ez spelling, Latin variants,
  sex and a frequency tier, and the Gebre-/Wolde- compound parts.
- Faker's `uk_UA` and `ru_RU` person providers: Cyrillic given names and surnames.
"""

from __future__ import annotations

import importlib
import json
import re
import sqlite3
from functools import lru_cache
from importlib import resources

# ISO 3166-1 alpha-2 codes the romanizer data uses, grouped by where officers learnt to write:
# Maghreb and Lebanon spellings are French-shaped, the Gulf and Levant ones English-shaped.
ARAB_COUNTRIES = ("SY", "IQ", "LY", "SD", "EG", "JO", "PS", "LB", "SA", "YE", "KW", "AE", "QA",
                  "BH", "OM", "DZ", "MA", "TN", "MR")
ENGLISH_SHAPED = ("SY", "IQ", "SD", "EG", "JO", "PS", "SA", "YE", "KW", "AE", "QA", "BH", "OM")
AFGHAN_COUNTRIES = ("AF", "IR", "PK")
SURNAME_COUNTRIES = {"SYR": ("SY", "LB", "JO", "PS"), "IRQ": ("IQ", "KW"), "LBY": ("LY", "TN"),
                     "SDN": ("SD", "EG")}


def _romanizer_db() -> sqlite3.Connection:
    path = resources.files("arabic_name_romanizer") / "resources" / "names.sqlite3"
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _placeholders(items) -> str:
    return ",".join("?" * len(items))


@lru_cache(maxsize=None)
def unit_counts(role: str, countries: tuple[str, ...]) -> dict[str, int]:
    """Attested count of each Arabic-script unit in `role` ('given' or 'surname')."""
    with _romanizer_db() as db:
        rows = db.execute(
            f"SELECT arabic_key, SUM(count) FROM units WHERE role = ? AND country IN ({_placeholders(countries)}) "
            "GROUP BY arabic_key", (role, *countries)).fetchall()
    return dict(rows)


_PLAIN = re.compile(r"^[A-Z][a-z]{2,14}$")


@lru_cache(maxsize=None)
def attested_spellings(countries: tuple[str, ...]) -> dict[str, tuple[tuple[str, float], ...]]:
    """Arabic-script unit -> Latin spellings seen in `countries`, with their counts.

    Only single plain words seen at least twice: the data has some noise (full names in the
    unit column, one-off typos), which a generator must not copy into every record.
    """
    with _romanizer_db() as db:
        rows = db.execute(
            f"SELECT arabic_key, latin, SUM(count) AS n FROM units WHERE country IN ({_placeholders(countries)}) "
            "GROUP BY arabic_key, latin HAVING n >= 2 ORDER BY arabic_key, n DESC, latin", countries).fetchall()
    out: dict[str, list[tuple[str, float]]] = {}
    for key, latin, n in rows:
        if _PLAIN.match(latin):
            out.setdefault(key, []).append((latin, float(n)))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def rare_surnames(countries: tuple[str, ...], limit: int = 600) -> tuple[tuple[str, str, int], ...]:
    """(usual Latin spelling, Arabic script, count) for surnames seen in `countries`."""
    with _romanizer_db() as db:
        rows = db.execute(
            f"SELECT arabic_key, latin, SUM(count) AS n FROM units WHERE role = 'surname' "
            f"AND country IN ({_placeholders(countries)}) GROUP BY arabic_key, latin "
            "ORDER BY n DESC, arabic_key, latin", countries).fetchall()
    seen, out = set(), []
    for key, latin, n in rows:
        if key in seen or " " in key or not _PLAIN.match(latin):
            continue
        seen.add(key)
        out.append((latin.lower(), key, int(n)))
        if len(out) == limit:
            break
    return tuple(out)


@lru_cache(maxsize=None)
def habesha() -> dict:
    """The habesha-names lexicon: `given` entries and compound `prefixes`/`second_elements`."""
    data = resources.files("habesha_names") / "data"
    given = json.loads((data / "given_names.json").read_text(encoding="utf-8"))["entries"]
    compounds = json.loads((data / "compounds.json").read_text(encoding="utf-8"))
    return {"given": given, "prefixes": compounds["prefixes"], "second_elements": compounds["second_elements"]}


@lru_cache(maxsize=None)
def faker_names(locale: str) -> dict[str, tuple[str, ...]]:
    """Cyrillic name lists of a Faker person provider ('uk_UA' or 'ru_RU')."""
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    return {name: tuple(getattr(provider, name)) for name in
            ("first_names_male", "first_names_female", "last_names_male", "last_names_female")}
