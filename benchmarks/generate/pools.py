"""Name pools per population: which units exist, in which script, and how common each is.

A `Unit` is one name as its bearers know it: `text` is what the habits render (a phonemic
spelling for Arabic-script names, Cyrillic for Slavic ones, the usual Latin spelling for
Ethiopian ones), `native` its original script, `kind` which renderer applies. A `Pool` is an
array of units with sampling probabilities, so that a million names are drawn with one numpy
call. Frequencies come from the package data in `sources.py`: the head names (Mohammed,
Ahmed, Ali) take a large share, as they do in real registers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from arabic_name_romanizer.normalize import full_key

from benchmarks.generate import lexicon_arabic as la
from benchmarks.generate import lexicon_places as lp
from benchmarks.generate import lexicon_slavic as ls
from benchmarks.generate import sources


@dataclass(frozen=True)
class Unit:
    text: str
    native: str
    kind: str  # 'arabic' (phonemic Latin), 'cyrillic', 'habesha' (Latin with variants), 'place' (Latin)
    lang: str = ""  # 'uk' or 'ru' for Cyrillic units
    variants: tuple[str, ...] = ()  # habesha spellings, exonyms of places
    russian: str = ""  # Russian form of a Ukrainian given name
    attested_from: tuple[str, ...] = ()  # countries whose attested spellings apply


@dataclass
class Pool:
    units: list[Unit]
    p: np.ndarray = field(repr=False)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.choice(len(self.units), size=n, p=self.p)


POPULATIONS = ("SYR", "IRQ", "LBY", "SDN", "AFG", "SOM", "ERI", "ETH", "UKR", "RUS")
ARABIC_POPS = ("SYR", "IRQ", "LBY", "SDN")
# Populations without family names: a person is given + father + grandfather.
NO_FAMILY = ("SOM", "ERI", "ETH")
SLAVIC = ("UKR", "RUS")

_ENTRY = re.compile(r"\s+(?=[a-zʿʾāīūḥṣḍṭẓ][^\s|]*\|)")


def parse_entries(text: str) -> list[tuple[str, ...]]:
    """Split a lexicon block into `a|b|c` entries; the script parts may contain spaces."""
    return [tuple(e.split("|")) for e in _ENTRY.split(text.strip()) if e]


def _pool(units: list[Unit], weights) -> Pool:
    w = np.asarray(weights, dtype=float)
    return Pool(units, w / w.sum())


def _arabic_pool(block: str, role: str, countries: tuple[str, ...], attested: tuple[str, ...]) -> Pool:
    counts = sources.unit_counts(role, countries)
    units, weights, seen = [], [], set()
    for text, native in parse_entries(block):
        if text in seen:
            continue
        seen.add(text)
        units.append(Unit(text, native, "arabic", attested_from=attested))
        # Every listed name exists; the attested count says how common it is.
        weights.append(1.0 + counts.get(full_key(native), 0))
    return _pool(units, weights)


def _with_rare_surnames(pool: Pool, countries: tuple[str, ...], share: float) -> Pool:
    """Add rare family names from the romanizer data as a tail holding `share` of people."""
    rare = sources.rare_surnames(countries)
    known = {u.native for u in pool.units}
    tail = [(Unit(latin, native, "arabic"), n) for latin, native, n in rare if native not in known]
    tail_w = np.array([n for _, n in tail], dtype=float)
    units = pool.units + [u for u, _ in tail]
    p = np.concatenate([pool.p * (1 - share), tail_w / tail_w.sum() * share])
    return Pool(units, p)


def _zipf(n: int, s: float = 1.0) -> np.ndarray:
    return 1.0 / np.arange(1, n + 1) ** s


def _slavic_given(block: str, lang: str, faker: tuple[str, ...]) -> Pool:
    units, weights = [], []
    for rank, entry in enumerate(block.split(), start=1):
        forms = entry.split("|")
        russian = forms[1] if len(forms) > 1 else ""
        units.append(Unit(forms[0], forms[0], "cyrillic", lang=lang, russian=russian))
        weights.append(1.0 / rank ** 0.8)
    listed = {u.text for u in units}
    tail = [name for name in faker if name not in listed]
    head_mass = sum(weights)
    for name in tail:  # Faker's long lists: a thin tail (5 % of people)
        units.append(Unit(name, name, "cyrillic", lang=lang))
        weights.append(0.05 * head_mass / len(tail))
    return _pool(units, weights)


def feminine_surname(name: str, lang: str) -> str:
    """The form a woman of the family bears: Zhukov → Zhukova, Kovalskyi → Kovalska."""
    for male, female in (("ський", "ська"), ("цький", "цька"), ("ский", "ская"), ("цкий", "цкая"),
                         ("ий", "а" if lang == "uk" else "ая"), ("ой", "ая"), ("ый", "ая")):
        if name.endswith(male):
            return name[: -len(male)] + female
    if name.endswith(("ов", "ев", "ёв", "єв")) or (lang == "ru" and name.endswith(("ин", "ын"))):
        return name + "а"
    return name


def patronymic(father: str, lang: str, female: bool) -> str:
    """Patronymic from the father's given name: Mykola → Mykolaiovych / Mykolaivna."""
    stem, last = father[:-1], father[-1]
    if lang == "uk":
        if last == "й":  # Андрій → Андрійович / Андріївна
            return stem + ("ївна" if female else "йович")
        if last == "ь":  # Василь → Васильович / Василівна
            return stem + ("івна" if female else "ьович")
        if father.endswith("ла"):  # Микола → Миколайович / Миколаївна
            return stem + ("аївна" if female else "айович")
        if last in "оа":
            return stem + ("івна" if female else "ович")
        if last == "я":  # Ілля → Ілліч
            return stem + ("івна" if female else "іч")
        return father + ("івна" if female else "ович")
    if last in "йь":
        return stem + ("евна" if female else "евич")
    if last in "ая":
        return stem + ("ична" if female else "ич")
    return father + ("овна" if female else "ович")


@dataclass
class Population:
    """Everything the sampler needs about one population."""
    code: str
    male: Pool
    female: Pool
    family: Pool | None  # None: no family names (Somali, Eritrean, Ethiopian)
    female_family: Pool | None = None  # gendered surnames (Slavic), index-aligned with family
    places: Pool | None = None


def _habesha_pools(code: str) -> tuple[Pool, Pool]:
    data = sources.habesha()
    prefer = ("tigrinya", "biblical", "geez") if code == "ERI" else ("amharic", "oromo", "biblical", "geez")
    male, female = ([], []), ([], [])
    for entry in data["given"]:
        weight = (4.0 if entry["freq_tier"] == 1 else 1.0) * (2.0 if entry["origin"] in prefer else 1.0)
        unit = Unit(entry["canonical"].lower(), entry["fidel"], "habesha", variants=tuple(entry["variants"]))
        for sex, bucket in (("m", male), ("f", female)):
            share = entry["gender"].get(sex, 0.0)
            if share >= 0.5:
                bucket[0].append(unit)
                bucket[1].append(weight * share)
    # Compound names (Gebremedhin, Woldemariam): a prefix and a second element.
    # They hold about a quarter of men's names, spread evenly over the combinations.
    firsts = [p for p in data["prefixes"] if p["gender"] in ("m", None)]
    compounds = []
    for prefix in firsts:
        for second in data["second_elements"]:
            text = f"{prefix['latin'].lower()}+{second['latin'].lower()}"
            variants = tuple(f"{a.lower()}+{b.lower()}" for a in [prefix["latin"], *prefix["variants"]]
                             for b in [second["latin"], *second["variants"]])
            compounds.append(Unit(text, prefix["fidel"] + second["fidel"], "habesha", variants=variants))
    each = sum(male[1]) / 3 / len(compounds)
    return _pool(male[0] + compounds, male[1] + [each] * len(compounds)), _pool(*female)


def _places(code: str) -> Pool:
    if code in lp.ARABIC_PLACES:
        units = [Unit(e[0], e[1], "arabic", variants=tuple(x for x in e[2].split(";") if x))
                 for e in parse_entries(lp.ARABIC_PLACES[code])]
    elif code in lp.CYRILLIC_PLACES:
        pairs = [e.split("|") for e in lp.CYRILLIC_PLACES[code].split()]
        if code == "UKR":
            units = [Unit(uk, uk, "cyrillic", lang="uk", russian=ru) for uk, ru in pairs]
        else:
            units = [Unit(ru, ru, "cyrillic", lang="ru") for _, ru in pairs]
    else:
        lines = [line.split(";") for line in lp.LATIN_PLACES[code].strip().splitlines()]
        units = [Unit(first, "", "place", variants=tuple(rest)) for first, *rest in lines]
    return _pool(units, _zipf(len(units), 0.7))


@lru_cache(maxsize=None)
def population(code: str) -> Population:
    """Build (once per process) the pools of one population."""
    if code in ARABIC_POPS:
        attested = sources.ENGLISH_SHAPED if code != "LBY" else ("LY", "TN", "DZ", "EG")
        fam = _arabic_pool(la.ARABIC_FAMILY, "surname", sources.ARAB_COUNTRIES, attested)
        return Population(code, _arabic_pool(la.ARABIC_MALE, "given", sources.ARAB_COUNTRIES, attested),
                          _arabic_pool(la.ARABIC_FEMALE, "given", sources.ARAB_COUNTRIES, attested),
                          _with_rare_surnames(fam, sources.SURNAME_COUNTRIES[code], 0.6), places=_places(code))
    if code == "AFG":
        c = sources.AFGHAN_COUNTRIES
        return Population(code, _arabic_pool(la.AFGHAN_MALE, "given", c, c),
                          _arabic_pool(la.AFGHAN_FEMALE, "given", c, c),
                          _arabic_pool(la.AFGHAN_FAMILY, "surname", c, ()), places=_places(code))
    if code == "SOM":
        return Population(code, _arabic_pool(la.SOMALI_MALE, "given", ("SO",), ("SO",)),
                          _arabic_pool(la.SOMALI_FEMALE, "given", ("SO",), ("SO",)), None, places=_places(code))
    if code in ("ERI", "ETH"):
        male, female = _habesha_pools(code)
        return Population(code, male, female, None, places=_places(code))
    lang, locale = ("uk", "uk_UA") if code == "UKR" else ("ru", "ru_RU")
    fk = sources.faker_names(locale)
    male = _slavic_given(ls.UKRAINIAN_MALE if lang == "uk" else ls.RUSSIAN_MALE, lang, fk["first_names_male"])
    female = _slavic_given(ls.UKRAINIAN_FEMALE if lang == "uk" else ls.RUSSIAN_FEMALE, lang, fk["first_names_female"])
    surnames = list(dict.fromkeys(fk["last_names_male"]))
    weights = _zipf(len(surnames), 0.6) if lang == "ru" else np.ones(len(surnames))
    family = _pool([Unit(s, s, "cyrillic", lang=lang) for s in surnames], weights)
    female_family = Pool([Unit(feminine_surname(s, lang), feminine_surname(s, lang), "cyrillic", lang=lang)
                          for s in surnames], family.p)
    return Population(code, male, female, family, female_family, places=_places(code))
