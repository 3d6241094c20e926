"""Records as officers write them: one side's records from the people they describe.

Everything random is drawn up front as numpy columns (society, habit, which spelling variant,
which distortion applies); the loop over records then only assembles strings from cached
renderings. Each distortion is recorded per record, so the `phenomena` table says exactly
what was done to which record.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from benchmarks.generate import lexicon_places as lp
from benchmarks.generate import societies as soc
from benchmarks.generate.dates import iso, written_birth_dates
from benchmarks.generate.habits_latin import HABITS
from benchmarks.generate.people import DAY, FIRST_RECORD, LAST_RECORD, Plan
from benchmarks.generate.pools import ARABIC_POPS, NO_FAMILY, POPULATIONS, SLAVIC, Unit, patronymic, population
from benchmarks.generate.render import (ABBREVIABLE, ABBREVIATED, ATTESTED, EXONYM, JOINED, NO_ARTICLE, RUSSIAN,
                                        VARIANTS, Renderer)

_POP = {c: i for i, c in enumerate(POPULATIONS)}
_ARABIC_KIND = [_POP[c] for c in (*ARABIC_POPS, "AFG", "SOM")]
_CHAINED = [_POP[c] for c in (*ARABIC_POPS, "AFG", "SOM", "ERI", "ETH")]
_HORN = [_POP[c] for c in NO_FAMILY]
_HABESHA = [_POP["ERI"], _POP["ETH"]]
_SCRIPT = [i for c, i in _POP.items() if c != "SOM"]  # Somali is written in Latin letters
_UNOFFICIAL = (HABITS.index("scholarly"), HABITS.index("somali"))
_ROUTE = [p.strip() for p in lp.ROUTE_PLACES.replace("\n", "").split(";") if p.strip()]
_LOCATIONS = [p.strip() for p in lp.LOCATIONS.replace("\n", "").split(";") if p.strip()]
# Titles officers copy into the given names (names.md: Haji, Sayed, Ato ...), by population group.
_TITLES = {"arabic": (("Haji", "Sayed", "Sheikh"), ("Hajja",)),
           "afghan": (("Haji", "Sayed", "Mullah", "Khan"), ("Bibi",)),
           "horn": (("Ato", "Abba", "Kes"), ("W/ro", "Weizero", "W/t"))}
# Everyday forms of common Slavic given names (Sasha for Oleksandr), for other_names, in the
# language of the name.
_DIMINUTIVES = dict(pair.split(":") for pair in """
Олександр:Саша Сергій:Сергійко Дмитро:Дмитрик Михайло:Михась Володимир:Володя Микола:Миколка
Іван:Івась Андрій:Андрійко Олексій:Олекса Євген:Женя Павло:Павлусь Юрій:Юрко Олена:Оленка
Наталія:Наталка Тетяна:Таня Ольга:Оля Катерина:Катруся Анастасія:Настя Марія:Марічка Юлія:Юля
Ірина:Іра Світлана:Світланка Александр:Саша Сергей:Серёжа Дмитрий:Дима Михаил:Миша Владимир:Вова
Николай:Коля Иван:Ваня Андрей:Андрюша Алексей:Лёша Евгений:Женя Павел:Паша Юрий:Юра Елена:Лена
Наталья:Наташа Татьяна:Таня Екатерина:Катя Анастасия:Настя Мария:Маша Юлия:Юля Ирина:Ира
Светлана:Света
""".split())
_STATUS = (("alive", "detained", "hospitalised", "deceased", "unknown"), (0.6, 0.15, 0.08, 0.07, 0.10))
_CONSENT = (("yes", "no", "unknown"), (0.6, 0.2, 0.2))


@lru_cache(maxsize=None)
def _patronymic(father: Unit, female: bool) -> Unit:
    """The patronymic a Slavic person bears, with its Russian form for Russian-speaking officers."""
    text = patronymic(father.text, father.lang, female)
    russian = patronymic(father.russian, "ru", female) if father.russian else ""
    return Unit(text, text, "cyrillic", lang=father.lang, russian=russian)


def _group(code: str) -> str:
    """Which title list a population's records draw from ('' for none)."""
    if code in ARABIC_POPS or code == "SOM":
        return "arabic"
    return {"AFG": "afghan", "ERI": "horn", "ETH": "horn"}.get(code, "")


@lru_cache(maxsize=None)
def _slavic_unit(text: str, lang: str) -> Unit:
    return Unit(text, text, "cyrillic", lang=lang)


def _alias(given: Unit, pools, female: bool, habit: int, r: np.ndarray, render: Renderer) -> str:
    """A name the person is also known by: Abu/Umm and a son's name for Arabic-script names,
    the everyday form (Sasha) of a Slavic given name; '' where the population has neither."""
    if given.kind == "cyrillic":
        nickname = _DIMINUTIVES.get(given.text)
        return render(_slavic_unit(nickname, given.lang), habit, int(r[1] * 4)) if nickname else ""
    if given.kind != "arabic":
        return ""
    son = pools.male.units[int(r[0] * len(pools.male.units))]
    return ("Umm " if female else "Abu ") + render(son, habit, int(r[1] * 4))


def _typo(text: str, r: np.ndarray) -> str:
    """One slip of the keyboard: a letter dropped, doubled, swapped with the next, or replaced."""
    if len(text) < 3:
        return text
    i = 1 + int(r[1] * (len(text) - 2))
    kind = int(r[0] * 4)
    if kind == 0:
        return text[:i] + text[i + 1:]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:] if text[i + 1] != text[i] else text[:i] + text[i + 1:]
    letter = "aeioulnrstmhkd"[int(r[2] * 14)]
    return text[:i] + (letter if letter != text[i].lower() else "y") + text[i + 1:]


def write_side(rng: np.random.Generator, plan: Plan, side: str, rates, render: Renderer) -> tuple[dict, dict, dict]:
    """The records of one side ('enquiry' or 'found') in person order.

    Returns (interchange columns, phenomenon → bool mask, hidden truth columns).
    """
    people = plan.people
    pid = plan.enquiry_person if side == "enquiry" else plan.found_person
    second = plan.enquiry_second if side == "enquiry" else plan.found_second
    n = len(pid)
    pop, female = people.pop[pid], people.female[pid]

    def flag(rate: float) -> np.ndarray:
        return rng.random(n) < rate

    jitter = rng.normal(0, 150, size=n).astype(int) * DAY
    recorded = np.clip(people.seen[pid] + jitter, FIRST_RECORD, LAST_RECORD)
    recorded = np.maximum(recorded, people.birth[pid] + DAY)
    society = soc.societies(rng, pop, POPULATIONS, soc.ENQUIRING if side == "enquiry" else soc.REGISTERING)
    habit, stray = soc.habits(rng, society, rates.habit_follows_society)
    variant = rng.integers(0, VARIANTS, size=(n, 8))

    in_ = np.isin
    home = society == np.array([soc.HOME[POPULATIONS[p]] for p in pop], dtype=object)
    script_fields = home & in_(pop, _SCRIPT) & flag(rates.script_in_name_fields)
    attested = in_(pop, _ARABIC_KIND) & ~in_(habit, _UNOFFICIAL) & ~script_fields & flag(rates.attested_spelling)
    original = in_(pop, _SCRIPT) & ~script_fields & flag(rates.original_script)
    nasab = in_(pop, _CHAINED) & flag(rates.nasab_in_given)
    father_chain = in_(pop, _CHAINED) & flag(rates.father_chain)
    single = (pop == _POP["AFG"]) & flag(rates.single_name)
    father_family = in_(pop, [*(_POP[c] for c in ARABIC_POPS), _POP["AFG"]]) & ~single & flag(rates.father_as_family)
    horn = in_(pop, _HORN)
    family_empty = horn & flag(rates.family_name_empty)
    grandfather_family = horn & ~family_empty & flag(rates.grandfather_as_family)
    swap = ~single & ~family_empty & flag(rates.swap_given_family)
    joined, abbreviated = flag(rates.compound_joined), flag(rates.compound_abbreviated)
    drop_article = flag(rates.article_dropped)
    russian = (pop == _POP["UKR"]) & flag(rates.russian_form)
    patronymic_given = in_(pop, [_POP[c] for c in SLAVIC]) & flag(rates.patronymic_in_given)
    typo, upper = flag(rates.typo), flag(rates.upper_case)
    exonym = flag(rates.place_exonym)
    missing = {c: flag(rates.field_missing) for c in ("father_name", "mother_name", "birth_place", "nationality")}
    no_sex = flag(rates.sex_missing)
    mother_family = in_(pop, [*(_POP[c] for c in ARABIC_POPS), _POP["AFG"]]) & flag(rates.mother_family_name)
    typo_draws = rng.random((n, 4))
    group = np.array([_group(c) for c in POPULATIONS], dtype=object)[pop]
    title = (group != "") & flag(rates.title)
    alias = flag(rates.alias)
    alias_draws = rng.random((n, 2))
    slavic_rows = in_(pop, [_POP[c] for c in SLAVIC])
    # Only Ethiopian and Eritrean compounds are written abbreviated (G/Medhin).
    abbreviated &= in_(pop, _HABESHA)

    birth_date, age, date_labels = written_birth_dates(
        rng, people.birth[pid], recorded, in_(pop, _HABESHA), rates)

    applied = {name: np.zeros(n, dtype=bool) for name in
               ("article_dropped", "compound_joined", "compound_split", "compound_abbreviated", "place_exonym",
                "alias")}
    cols = {c: [""] * n for c in ("given_names", "family_name", "father_name", "mother_name", "other_names",
                                  "birth_place")}
    truth = {c: [""] * n for c in ("given", "father", "grandfather", "family", "mother", "place")}
    pools = [population(c) for c in POPULATIONS]

    for i in range(n):
        person = pid[i]
        p = pools[pop[i]]
        fem = bool(female[i])
        given = (p.female if fem else p.male).units[people.given[person]]
        father = p.male.units[people.father[person]]
        grandfather = p.male.units[people.grandfather[person]]
        fam_idx = people.family[person]
        family = None if fam_idx < 0 else (p.female_family if fem and p.female_family else p.family).units[fam_idx]
        mother = p.female.units[people.mother[person]]
        place = p.places.units[people.place[person]]
        h, k = int(habit[i]), variant[i]
        base = (JOINED if joined[i] else 0) | (ABBREVIATED if abbreviated[i] else 0) | (ATTESTED if attested[i] else 0)
        slavic = slavic_rows[i]
        ru = RUSSIAN if russian[i] else 0

        # Which unit stands in which field, before any spelling.
        given_units = [given]
        if nasab[i]:
            given_units += [father, grandfather]
        if slavic and patronymic_given[i]:
            given_units.append(_patronymic(father, fem))
        if single[i] or family_empty[i]:
            family_unit = None
        elif horn[i]:
            family_unit = grandfather if grandfather_family[i] else father
        elif father_family[i]:
            family_unit = father
        else:
            family_unit = family
        father_units = [father, grandfather] if father_chain[i] else [father]
        mother_units = [mother]
        if mother_family[i]:
            mother_units.append(p.family.units[people.mother_family[person]])

        if script_fields[i]:
            g = " ".join(u.native for u in given_units)
            f = family_unit.native if family_unit else ""
            fa = " ".join(u.native for u in father_units)
            mo = " ".join(u.native for u in mother_units)
        else:
            g = " ".join(render(u, h, int(k[j]), base | ru) for j, u in enumerate(given_units))
            has_article = family_unit is not None and family_unit.text.startswith("al-")
            art = NO_ARTICLE if drop_article[i] and has_article else 0
            applied["article_dropped"][i] = bool(art)
            f = render(family_unit, h, int(k[4]), base | art) if family_unit else ""
            fa = " ".join(render(u, h, int(k[5 + j]), base | ru) for j, u in enumerate(father_units))
            mo = " ".join(render(u, h, int(k[7]), base) for u in mother_units)
            named = [*given_units, *father_units] + ([family_unit] if family_unit else [])
            compound = any("+" in u.text for u in named)
            if compound and not attested[i]:
                heads = [u for u in given_units + father_units
                         if u.kind == "habesha" and u.text.split("+")[0] in ABBREVIABLE]
                if abbreviated[i] and heads:
                    applied["compound_abbreviated"][i] = True
                elif joined[i]:
                    applied["compound_joined"][i] = True
                else:
                    applied["compound_split"][i] = True
        if title[i]:
            choices = _TITLES[group[i]][1 if fem else 0]
            g = choices[int(alias_draws[i, 0] * len(choices))] + " " + g
        if missing["father_name"][i]:
            fa = ""
        if missing["mother_name"][i]:
            mo = ""
        if swap[i]:
            g, f = f, g
        if typo[i]:
            r = typo_draws[i]
            target = int(r[3] * 3)
            if target == 0 or not (f if target == 1 else fa):
                g = _typo(g, r)
            elif target == 1:
                f = _typo(f, r)
            else:
                fa = _typo(fa, r)
        if upper[i]:
            g, f, fa, mo = g.upper(), f.upper(), fa.upper(), mo.upper()
        cols["given_names"][i], cols["family_name"][i] = g, f
        cols["father_name"][i], cols["mother_name"][i] = fa, mo
        others = []
        if original[i]:
            if slavic:
                others.append(" ".join(u.native for u in (family, given, _patronymic(father, fem))))
            else:
                chain = [given, father, grandfather] + ([family] if family is not None else [])
                others.append(" ".join(u.native for u in chain if u.native))
        if alias[i]:
            nickname = _alias(given, p, fem, h, alias_draws[i], render)
            applied["alias"][i] = bool(nickname)
            if nickname:
                others.append(nickname)
        cols["other_names"][i] = ";".join(others)
        if not missing["birth_place"][i]:
            applied["place_exonym"][i] = bool(exonym[i] and (place.variants or place.russian))
            cols["birth_place"][i] = render(place, h, int(k[0]), EXONYM if applied["place_exonym"][i] else 0)
        truth["given"][i], truth["father"][i], truth["grandfather"][i] = given.text, father.text, grandfather.text
        truth["family"][i] = family.text if family is not None else ""
        truth["mother"][i], truth["place"][i] = mother.text, place.text

    out = {
        "society": society, "sex": np.where(no_sex, "", np.where(female, "F", "M")),
        "birth_date": birth_date, "age": age, "recorded_on": iso(recorded),
        "nationality": np.where(missing["nationality"], "", np.array(POPULATIONS, dtype=object)[pop]),
        **{c: np.array(v, dtype=object) for c, v in cols.items()},
    }
    if side == "enquiry":
        out.update(_last_seen(rng, people.birth[pid], recorded))
    else:
        out.update(_whereabouts(rng, n))

    labels = {
        "enquired_twice" if side == "enquiry" else "registered_twice": second,
        "habit_stray": stray, "script_in_name_fields": script_fields, "attested_spelling": attested,
        "original_script": original, "nasab_in_given": nasab, "father_chain": father_chain,
        "father_as_family": father_family, "grandfather_as_family": grandfather_family,
        "family_name_empty": family_empty, "single_name": single, "swap_given_family": swap,
        "russian_form": russian, "patronymic_in_given": patronymic_given, "typo": typo, "upper_case": upper,
        "mother_family_name": mother_family, "title": title,
        **applied, **date_labels,
    }
    hidden = {
        "person_id": pid, "population": np.array(POPULATIONS, dtype=object)[pop],
        "habit": np.array(HABITS, dtype=object)[habit], "society": society,
        "sex": np.where(female, "F", "M"), **{k: np.array(v, dtype=object) for k, v in truth.items()},
        "birth_date": iso(people.birth[pid]), "relation": people.relation[pid],
        "related_person": people.related[pid],
    }
    return out, labels, hidden


def _last_seen(rng: np.random.Generator, birth: np.ndarray, recorded: np.ndarray) -> dict:
    """Where and when the relative last had news: weeks to three years before the enquiry."""
    n = len(birth)
    seen = np.maximum(recorded - rng.integers(7, 3 * 365, size=n) * DAY, birth)
    text = iso(seen)
    month_only = rng.random(n) < 0.3
    text = np.where(month_only, np.array([t[:7] for t in text], dtype=object), text)
    place = np.array(_ROUTE, dtype=object)[rng.integers(0, len(_ROUTE), size=n)]
    unknown = rng.random(n) < 0.15
    return {"last_seen_place": np.where(unknown, "", place), "last_seen_date": np.where(unknown, "", text)}


def _whereabouts(rng: np.random.Generator, n: int) -> dict:
    """Status, current location and consent of found people (locations are synthetic)."""
    status = np.array(_STATUS[0], dtype=object)[rng.choice(5, size=n, p=_STATUS[1])]
    consent = np.array(_CONSENT[0], dtype=object)[rng.choice(3, size=n, p=_CONSENT[1])]
    template = rng.integers(0, len(_LOCATIONS), size=n)
    numbers = rng.integers(1, 400, size=(n, 2))
    location = np.array([_LOCATIONS[t].format(n=a, m=b) for t, (a, b) in zip(template, numbers)], dtype=object)
    return {"status": status, "location": location, "consent_to_share": consent}
