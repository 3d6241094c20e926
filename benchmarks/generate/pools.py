"""Name pools per population: which units exist, in which script, and how common each is.

A `Unit` is one name as its bearers know it: `text` is what the habits render (a phonemic
spelling for Arabic-script names, Cyrillic for Slavic ones, the usual Latin spelling for
Ethiopian ones), `native` its original script, `kind` which renderer applies. A `Pool` is an
array of units with sampling probabilities, so that a million names are drawn with one numpy
call. Frequencies come from the package data in `sources.py` (attested counts of Arabic-script
names) or, where the data has only an order or a tier (Habesha, Slavic), from a Zipf law by
rank: the head names (Mohammed, Ahmed, Ali; Haile, Yohannes) take a large share, as they do in
real registers. `python -m benchmarks.name_frequency DIR` measures the result.
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


# Given names are Zipf-distributed by rank: the k-th commonest is borne by about 1/k as many
# people as the commonest. That is the rank-frequency shape of personal names wherever they are
# counted, and the romanizer's own counts for Somalia (sources.py) show it for a Horn
# population: Maxamed 229, Ahmed 104, Ali 102, Abdallah 70, Abdi 57 of 1,565 given-name units,
# about k^-0.9, the five commonest a third of all. Habesha names have no counts, only a
# tier (common or not) and a list order, so rank is taken from those.
HABESHA_ZIPF = 1.0
COMPOUND_SHARE = 0.25  # of men's given names: Gebremedhin, Woldemariam, Haileselassie ...


def _habesha_pools(code: str) -> tuple[Pool, Pool]:
    """Men's and women's given names of Eritrea or Ethiopia, Zipf-weighted by rank: common-tier
    names of the population's own origins (Tigrinya, biblical, Ge'ez for Eritrea) first, in the
    lexicon's order, then the other common ones, then the rest."""
    data = sources.habesha()
    prefer = ("tigrinya", "biblical", "geez") if code == "ERI" else ("amharic", "oromo", "biblical", "geez")
    ranked = sorted(enumerate(data["given"]),
                    key=lambda item: (item[1]["freq_tier"], item[1]["origin"] not in prefer, item[0]))
    male, female = [], []
    for _, entry in ranked:
        unit = Unit(entry["canonical"].lower(), entry["fidel"], "habesha", variants=tuple(entry["variants"]))
        for sex, bucket in (("m", male), ("f", female)):
            if entry["gender"].get(sex, 0.0) >= 0.5:
                bucket.append(unit)
    # Compound names (Gebremedhin, Woldemariam): a prefix and a second element, each Zipf-ranked
    # in the lexicon's order, so Gebre- and -Mariam compounds are the commonest.
    firsts = [p for p in data["prefixes"] if p["gender"] in ("m", None)]
    compounds, compound_w = [], []
    for i, prefix in enumerate(firsts, start=1):
        for j, second in enumerate(data["second_elements"], start=1):
            text = f"{prefix['latin'].lower()}+{second['latin'].lower()}"
            variants = tuple(f"{a.lower()}+{b.lower()}" for a in [prefix["latin"], *prefix["variants"]]
                             for b in [second["latin"], *second["variants"]])
            compounds.append(Unit(text, prefix["fidel"] + second["fidel"], "habesha", variants=variants))
            compound_w.append(1.0 / (i * j) ** HABESHA_ZIPF)
    single = _zipf(len(male), HABESHA_ZIPF)
    single = single / single.sum() * (1 - COMPOUND_SHARE)
    compound = np.asarray(compound_w) / sum(compound_w) * COMPOUND_SHARE
    men = Pool(male + compounds, np.concatenate([single, compound]))
    return men, _pool(female, _zipf(len(female), HABESHA_ZIPF))


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
