"""One name unit as a given officer writes it, cached for the life of the process.

The spelling of a unit depends only on (unit, habit, variant number, how compounds are joined,
whether the article is dropped, Russian form, attested spelling): each such combination is
rendered once with its own deterministic generator and then looked up, so a million records
cost a million dictionary lookups rather than a million rule runs. The data set's seed decides
which variant number each record gets.
"""

from __future__ import annotations

import random
import re

from arabic_name_romanizer.normalize import full_key

from benchmarks.generate import sources
from benchmarks.generate.habits_cyrillic import transliterate
from benchmarks.generate.habits_latin import HABITS, pick, render_name
from benchmarks.generate.pools import Unit

VARIANTS = 4  # spellings per (unit, habit) an officer of that habit may produce

# Flags of a rendering, packed in one small int for the cache key.
JOINED, ABBREVIATED, NO_ARTICLE, RUSSIAN, ATTESTED, EXONYM = 1, 2, 4, 8, 16, 32


class Renderer:
    """Spellings by (unit, habit, variant, flags); the values do not depend on call order, so one
    renderer serves every data set a process generates."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, int, int, int], str] = {}
        self._keep: list[Unit] = []  # units whose id() the cache keys use stay alive
        self._relevant: dict[int, int] = {}

    def __call__(self, unit: Unit, habit: int, k: int, flags: int = 0) -> str:
        relevant = self._relevant.get(id(unit))
        if relevant is None:
            self._keep.append(unit)
            relevant = self._relevant[id(unit)] = _relevant_flags(unit)
        flags &= relevant  # a flag that cannot change this unit must not split the cache
        key = (id(unit), habit, k, flags)
        text = self._cache.get(key)
        if text is None:
            text = self._cache[key] = _render(unit, HABITS[habit], k, flags)
        return text


RENDER = Renderer()


def _relevant_flags(unit: Unit) -> int:
    flags = 0
    if "+" in unit.text:
        flags |= JOINED | ABBREVIATED
    if unit.text.startswith("al-"):
        flags |= NO_ARTICLE
    if unit.russian:
        flags |= RUSSIAN | EXONYM
    if unit.attested_from:
        flags |= ATTESTED
    if unit.variants:
        flags |= EXONYM
    return flags


def _style(flags: int, rng: random.Random) -> str:
    if flags & JOINED:
        return "joined"
    return "hyphen" if rng.random() < 0.2 else "split"


def _render(unit: Unit, habit: str, k: int, flags: int) -> str:
    rng = random.Random(f"{unit.kind}|{unit.text}|{habit}|{k}|{flags}")
    if unit.kind == "cyrillic":
        if flags & (RUSSIAN | EXONYM) and unit.russian:
            return transliterate(unit.russian, "ru", habit, rng)
        return transliterate(unit.text, unit.lang, habit, rng)
    if unit.kind == "habesha":
        return _render_habesha(unit, habit, rng, flags)
    if unit.kind == "place":
        return _render_place(unit, rng, flags)
    if flags & EXONYM and unit.variants:  # Aleppo for Ḥalab, Kharkov for Kharkiv
        return rng.choice(unit.variants)
    if flags & ATTESTED and unit.attested_from:
        spellings = sources.attested_spellings(unit.attested_from).get(full_key(unit.native))
        if spellings:
            return pick(spellings, rng)
    return render_name(unit.text, habit, rng, style=_style(flags, rng), drop_article=bool(flags & NO_ARTICLE))


# Ethiopian compound heads written abbreviated as G/Medhin, W/Mariam ...
ABBREVIABLE = {"gebre": "G", "wolde": "W", "welde": "W", "haile": "H", "tekle": "T", "kidane": "K"}

# Respellings of Ethiopian Latin names by officers trained in other conventions.
_HABESHA_RESPELL = {
    "german": (("sh", "sch"), ("ch", "tsch"), ("j", "dsch"), ("y", "j"), ("z", "s")),
    "french": (("sh", "ch"), ("ch", "tch"), ("u", "ou"), ("j", "dj"), ("w", "ou")),
    "polish": (("sh", "sz"), ("ch", "cz"), ("j", "dż"), ("y", "j"), ("ts", "c")),
    "turkish": (("sh", "ş"), ("ch", "ç"), ("j", "c"), ("w", "v")),
}

_RESPELL_PATTERNS = {habit: re.compile("|".join(sorted((old for old, _ in rules), key=len, reverse=True)))
                     for habit, rules in _HABESHA_RESPELL.items()}


def _render_habesha(unit: Unit, habit: str, rng: random.Random, flags: int) -> str:
    """Ethiopian and Eritrean names arrive as Latin spellings: the usual one or a known variant,
    respelt by officers of other conventions, compounds joined, split or abbreviated."""
    spelling = unit.text if not unit.variants or rng.random() < 0.5 else rng.choice(unit.variants).lower()
    raw = spelling.split("+")
    parts = [_respell(p, habit, rng).capitalize() for p in raw]
    if len(parts) == 1:
        return parts[0]
    head, tail = parts
    if flags & ABBREVIATED and raw[0] in ABBREVIABLE:
        return ABBREVIABLE[raw[0]] + rng.choice(("/", "/", ".")) + tail
    if flags & JOINED:
        return head + tail.lower()
    return head + rng.choice((" ", " ", "-")) + tail


def _respell(text: str, habit: str, rng: random.Random) -> str:
    """One left-to-right pass, so that French sh → ch is not then taken for ch → tch."""
    rules = _HABESHA_RESPELL.get(habit)
    if not rules:
        return text
    table = dict(rules)
    pattern = _RESPELL_PATTERNS[habit]
    return pattern.sub(lambda m: table[m.group(0)] if rng.random() < 0.7 else m.group(0), text)


def _render_place(unit: Unit, rng: random.Random, flags: int) -> str:
    """A Latin-written place: the usual spelling, or with EXONYM a variant seen in practice."""
    if flags & EXONYM and unit.variants:
        return rng.choice(unit.variants)
    return unit.text
