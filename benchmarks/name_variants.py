"""How well the name knowledge separates spellings of one name from different names.

    .venv/bin/python -m benchmarks.name_variants

Three sources of spellings known to be one name:

* attested: the Latin spellings recorded for one Arabic name unit in the
  arabic-name-romanizer data (the six most used of each unit, 3+ uses each);
* habits: the repository generator's officer habits (English, French, German,
  Polish, Turkish, passport, scholarly, Somali) applied to its Arabic-script
  lexicon, with the native-script spelling beside them;
* slavic: Ukrainian and Russian given names in both language forms and Faker's
  surnames, through the generator's Cyrillic habits, with the Cyrillic beside;
* independent tables: Faker's Russian and Ukrainian names through the
  transliteration tables of two packages written elsewhere, `iuliia` (15 Russian
  systems: GOST, ICAO, MVD passports, BGN/PCGN, ALA-LC, scientific, Telegram ...)
  and `translitua` (every Ukrainian table it ships): tables other than the
  generator's, as the data this engine meets in the field is written with.

For each: the share of variant pairs that share a blocking key and that score
at least VARIANT_THRESHOLD, and the same shares for pairs of spellings of
*different* names (three spellings of each against three of every other, or a
random 300,000 such pairs where there are more). Only figures are printed,
never a name.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

import numpy as np
from faker import Faker

from benchmarks.generate import habits_cyrillic, habits_latin, lexicon_arabic, lexicon_slavic
from matching.names import attested
from matching.names import VARIANT_THRESHOLD, keys, name_tokens, similarity

ARABIC_LISTS = ("ARABIC_MALE", "ARABIC_FEMALE", "ARABIC_FAMILY", "AFGHAN_MALE", "AFGHAN_FEMALE",
                "AFGHAN_FAMILY", "SOMALI_MALE", "SOMALI_FEMALE")


def _single(text: str) -> list[str]:
    tokens = name_tokens(text)
    return list(tokens) if len(tokens) == 1 else []


def attested_groups() -> dict[str, set[str]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for unit, latin, count in attested.arabic_spellings():
        if count >= 3:
            for token in _single(latin):
                counts[unit][token] += count
    return {u: set(sorted(c, key=c.get, reverse=True)[:6]) for u, c in counts.items()}


def habit_groups(rng: random.Random) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for listname in ARABIC_LISTS:
        for phonemic, native in _lexicon_entries(getattr(lexicon_arabic, listname)):
            groups[phonemic].update(_single(native))
            for habit in habits_latin.HABITS:
                for _ in range(3):
                    style = rng.choice(("joined", "split", "hyphen"))
                    groups[phonemic].update(_single(habits_latin.render_name(phonemic, habit, rng, style=style)))
    return groups


def _lexicon_entries(text: str) -> list[tuple[str, str]]:
    """(phonemic, native) entries of a lexicon list: `phonemic|native` separated by spaces,
    where the native part may itself hold spaces up to the next entry's phonemic part."""
    entries = []
    parts = text.split()
    i = 0
    while i < len(parts):
        if "|" not in parts[i]:
            i += 1
            continue
        phonemic, native = parts[i].split("|", 1)
        i += 1
        while i < len(parts) and "|" not in parts[i]:
            native += " " + parts[i]
            i += 1
        entries.append((phonemic.replace("_", " "), native))
    return entries


def slavic_groups(rng: random.Random) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    habits = {lang: [h for (code, h) in habits_cyrillic._TABLES if code == lang] for lang in ("uk", "ru")}
    given: dict[str, set[str]] = defaultdict(set)
    for listname in ("UKRAINIAN_MALE", "UKRAINIAN_FEMALE"):
        for item in getattr(lexicon_slavic, listname).split():
            uk, ru = item.split("|")
            for lang, form in (("uk", uk), ("ru", ru)):
                given[uk].update(_single(form))
                for habit in habits[lang]:
                    for _ in range(2):
                        given[uk].update(_single(habits_cyrillic.transliterate(form, lang, habit, rng)))
    surnames: dict[str, set[str]] = defaultdict(set)
    for locale, lang in (("uk_UA", "uk"), ("ru_RU", "ru")):
        fake = Faker(locale)
        fake.seed_instance(3)
        for _ in range(150):
            name = fake.last_name_male()
            surnames[name].update(_single(name))
            for habit in habits[lang]:
                surnames[name].update(_single(habits_cyrillic.transliterate(name, lang, habit, rng)))
    return given, surnames


RUSSIAN_SYSTEMS = ("ALA_LC", "BGN_PCGN", "BS_2979", "GOST_52535", "GOST_779", "ICAO_DOC_9303", "ISO_9_1968",
                   "MVD_310", "MVD_310_FR", "MVD_782", "SCIENTIFIC", "TELEGRAM", "UNGEGN_1987", "WIKIPEDIA",
                   "YANDEX_MAPS")


def independent_groups(language: str, n: int = 400, seed: int = 1) -> dict[str, set[str]]:
    """Faker's Russian (`ru`) or Ukrainian (`uk`) given names and surnames, each spelt by every
    table of `iuliia` or `translitua` and by the engine's own romanisation of the Cyrillic."""
    import iuliia
    import translitua

    from matching.names.romanisation import romanise

    fake = Faker("ru_RU" if language == "ru" else "uk_UA")
    fake.seed_instance(seed)
    names = sorted({draw() for _ in range(n) for draw in (fake.first_name_male, fake.first_name_female,
                                                           fake.last_name_male, fake.last_name_female)})
    if language == "ru":
        systems = [getattr(iuliia, s).translate for s in RUSSIAN_SYSTEMS]
    else:
        systems = [lambda text, table=table: translitua.translit(text, table) for table in translitua.ALL_UKRAINIAN]
    return {name: {t for spell in (*systems, romanise) for t in _single(spell(name))} for name in names}


def measure(groups: dict[str, set[str]], rng: random.Random, max_different: int = 300_000) -> dict:
    same = [(x, y) for spellings in groups.values() for x, y in itertools.combinations(sorted(spellings), 2)]
    reps = [sorted(s)[:3] for s in groups.values() if s]
    n_different = len(reps) * (len(reps) - 1) // 2 * 9
    if n_different <= max_different:
        different = [(x, y) for g1, g2 in itertools.combinations(reps, 2) for x in g1 for y in g2]
    else:  # a random sample of pairs of spellings of two different names
        different = []
        while len(different) < max_different:
            g1, g2 = rng.sample(range(len(reps)), 2)
            different.append((rng.choice(reps[g1]), rng.choice(reps[g2])))
    # one spelling may belong to two units (Hamed: حامد and حمد); such a pair is not "different"
    spelled = defaultdict(set)
    for name, spellings in groups.items():
        for token in spellings:
            spelled[token].add(name)
    different = [(x, y) for x, y in different if x != y and not spelled[x] & spelled[y]]

    def figures(pairs):
        a, b = [x for x, _ in pairs], [y for _, y in pairs]
        shared = np.mean([not set(keys(x)).isdisjoint(keys(y)) for x, y in pairs])
        return float(shared), float(np.mean(similarity(a, b) >= VARIANT_THRESHOLD))

    key_same, sim_same = figures(same)
    key_diff, sim_diff = figures(different)
    return {"names": len(groups), "variant pairs": len(same), "share a key": key_same,
            f">= {VARIANT_THRESHOLD}": sim_same, "different pairs": len(different),
            "different share a key": key_diff, f"different >= {VARIANT_THRESHOLD}": sim_diff}


def main() -> None:
    rng = random.Random(7)
    given, surnames = slavic_groups(rng)
    sets = {"attested Arabic units": attested_groups(), "habits, Arabic-script lexicon": habit_groups(rng),
            "Ukrainian/Russian given names": given, "Ukrainian/Russian surnames": surnames,
            "Russian names, iuliia's tables": independent_groups("ru"),
            "Ukrainian names, translitua's tables": independent_groups("uk")}
    for label, groups in sets.items():
        row = measure(groups, rng)
        print(label + ": " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                       for k, v in row.items()))


if __name__ == "__main__":
    main()
