"""Attested spellings of names, read from data that ships in installed packages.

* ``arabic-name-romanizer`` (CC0 data) holds Arabic-script name units with the
  Latin spellings people actually used for them and how often (محمد: Mohamed
  4,558, Muhammad 3,711 ...). It tells us the usual Latin form of an
  Arabic-script word, and which Latin spellings belong to one Arabic name.
* ``habesha-names`` (MIT) holds Ethiopian and Eritrean given names with their
  Latin variants.

Both are read lazily on first use and cached for the process; nothing is
copied into this repository.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections import defaultdict
from functools import cache
from importlib import resources

_ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640\u06d6-\u06ed\s]")
ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي",
                              "ی": "ي", "ک": "ك", "ۀ": "ه", "ؤ": "و", "ئ": "ي"})


def arabic_key(word: str, merge_long_a: bool = True) -> str:
    """Spelling-insensitive key of an Arabic-script name unit.

    Folds hamza seats, ta marbuta, alef maqsura, Persian yeh/keheh, spaces, a
    leading article and, in longer words, medial alef (a long vowel that writers
    add or omit: رحمان / رحمن), so that one name written two ways is one unit.
    """
    word = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", word)).translate(ARABIC_FOLD)
    if word.startswith("ال") and len(word) > 3:
        word = word[2:]
    if not merge_long_a or len(word) < 3:
        return word
    merged = word[0] + word[1:-1].replace("ا", "") + word[-1]
    # short words keep it: راشد Rashid and رشاد Rashad are two names
    return merged if len(merged) >= 4 else word


@cache
def _arabic_rows() -> tuple[dict[str, str], list[tuple[str, str, int]]]:
    """(best Latin spelling per Arabic key, all (key, latin, count) rows)."""
    path = resources.files("arabic_name_romanizer") / "resources" / "names.sqlite3"
    with resources.as_file(path) as db_path:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            raw = con.execute(
                "SELECT arabic_key, latin, SUM(count) FROM units GROUP BY arabic_key, latin"
            ).fetchall()
        finally:
            con.close()
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for key, latin, count in raw:
        latin = latin.strip()
        if latin and not any(ch.isdigit() for ch in latin):
            totals[(arabic_key(key), latin.lower())] += count
    # The usual spelling is chosen per written form (عابد Abid is not عبد Abd) ...
    best: dict[str, tuple[int, str]] = {}
    for key, latin, count in raw:
        key, latin = arabic_key(key, merge_long_a=False), latin.strip().lower()
        if latin and not any(ch.isdigit() for ch in latin) and count > best.get(key, (0, ""))[0]:
            best[key] = (count, latin)
    # ... while units merge the forms that differ only in a written long a.
    rows = [(key, latin, count) for (key, latin), count in totals.items()]
    return {key: latin for key, (_, latin) in best.items()}, rows


def best_latin(arabic_word: str) -> str | None:
    """Most frequent attested Latin spelling of an Arabic-script name unit, if any."""
    return _arabic_rows()[0].get(arabic_key(arabic_word, merge_long_a=False))


def arabic_spellings() -> list[tuple[str, str, int]]:
    """(Arabic unit key, Latin spelling lowercased, count) for every attested spelling."""
    return _arabic_rows()[1]


@cache
def habesha_spellings() -> list[tuple[str, ...]]:
    """Latin spellings of each Ethiopian/Eritrean given name, one tuple per name."""
    text = (resources.files("habesha_names") / "data" / "given_names.json").read_text("utf-8")
    return [
        tuple(dict.fromkeys([entry["canonical"], *entry.get("variants", [])]))
        for entry in json.loads(text)["entries"]
    ]


@cache
def habesha_second_elements() -> frozenset[str]:
    """Latin spellings of the saint/God names that follow Gebre-, Wolde-, Haile- ..."""
    text = (resources.files("habesha_names") / "data" / "compounds.json").read_text("utf-8")
    out = set()
    for entry in json.loads(text)["second_elements"]:
        out.update(s.lower() for s in [entry["latin"], *entry.get("variants", [])])
    return frozenset(out)
