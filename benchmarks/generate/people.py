"""The people behind the records: who is sought, who is found, and who only looks alike.

People are sampled as numpy columns (population, sex, indices into the population's name pools,
birth date, birthplace). The hard non-matches are built on purpose: a sibling copies father,
grandfather, family name, mother and birthplace and gets another given name and a birth date
years apart; a cousin (a child of the father's brother) copies grandfather, family name and
birthplace and has another father and mother, so a name chain written with the grandfather
(nasab in the given names, grandfather's name as family name, father + grandfather in the
father field) agrees in part; a namesake copies given, father's and family name and nothing
else. Then each
side's list of records is a list of person ids: every sought person once plus second enquiries,
and every found person once plus second registrations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from benchmarks.generate.pools import POPULATIONS, population

DAY = np.timedelta64(1, "D")
FIRST_RECORD, LAST_RECORD = np.datetime64("2016-01-01"), np.datetime64("2025-06-30")


@dataclass
class People:
    pop: np.ndarray          # index into POPULATIONS
    female: np.ndarray       # bool
    given: np.ndarray        # indices into the male or female pool of the population
    father: np.ndarray       # male pool
    grandfather: np.ndarray  # male pool
    family: np.ndarray       # family pool, -1 for populations without family names
    mother: np.ndarray       # female pool
    mother_family: np.ndarray
    birth: np.ndarray        # datetime64[D]
    place: np.ndarray        # places pool
    seen: np.ndarray         # datetime64[D]: around when records of this person are made
    related: np.ndarray      # person this one is a sibling, cousin or namesake of, -1 if none
    relation: np.ndarray     # '', 'sibling', 'cousin' or 'namesake'

    def __len__(self) -> int:
        return len(self.pop)

    @staticmethod
    def concat(parts: list["People"]) -> "People":
        return People(*(np.concatenate([getattr(p, f) for p in parts]) for f in People.__dataclass_fields__))


def _ages(rng: np.random.Generator, n: int) -> np.ndarray:
    """Age in days when recorded: children, adults and elders as in tracing caseloads."""
    group = rng.choice(3, size=n, p=[0.25, 0.65, 0.10])
    years = np.select([group == 0, group == 1], [rng.uniform(0, 18, n), rng.uniform(18, 60, n)],
                      rng.uniform(60, 85, n))
    return (years * 365.25).astype(int)


def _pool_sample(rng, pop, female, role) -> np.ndarray:
    """Indices into each record's population pool for `role` ('given', 'male', 'female', 'family',
    'place'); -1 where the population has no such pool."""
    out = np.full(len(pop), -1, dtype=np.int64)
    for i, code in enumerate(POPULATIONS):
        p = population(code)
        rows = np.flatnonzero(pop == i)
        if not len(rows):
            continue
        if role == "given":
            f = female[rows]
            out[rows[f]] = p.female.sample(rng, int(f.sum()))
            out[rows[~f]] = p.male.sample(rng, int((~f).sum()))
        else:
            pool = {"male": p.male, "female": p.female, "family": p.family, "place": p.places}[role]
            if pool is not None:
                out[rows] = pool.sample(rng, len(rows))
    return out


def fresh(rng: np.random.Generator, n: int, mix: dict[str, float]) -> People:
    """`n` unrelated people of the populations in `mix`."""
    pop = rng.choice(len(POPULATIONS), size=n, p=[mix[c] for c in POPULATIONS])
    female = rng.random(n) < 0.45
    seen = FIRST_RECORD + rng.integers(0, int((LAST_RECORD - FIRST_RECORD) / DAY), size=n) * DAY
    return People(pop=pop, female=female, given=_pool_sample(rng, pop, female, "given"),
                  father=_pool_sample(rng, pop, female, "male"), grandfather=_pool_sample(rng, pop, female, "male"),
                  family=_pool_sample(rng, pop, female, "family"), mother=_pool_sample(rng, pop, female, "female"),
                  mother_family=_pool_sample(rng, pop, female, "family"),
                  birth=seen - _ages(rng, n) * DAY, place=_pool_sample(rng, pop, female, "place"), seen=seen,
                  related=np.full(n, -1), relation=np.full(n, "", dtype=object))


def siblings(rng: np.random.Generator, of: People, ids: np.ndarray) -> People:
    """A brother or sister for each person in `ids`: same parents, family and birthplace."""
    n = len(ids)
    src = _take(of, ids)
    female = rng.random(n) < 0.45
    given = _pool_sample(rng, src.pop, female, "given")
    same = (female == src.female) & (given == src.given)
    while same.any():  # parents do not give two children one name
        given[same] = _pool_sample(rng, src.pop[same], female[same], "given")
        same = (female == src.female) & (given == src.given)
    gap = (rng.integers(1, 13, size=n) * 365.25 + rng.integers(-120, 121, size=n)).astype(int)
    birth = _apart(src.birth, gap * np.where(rng.random(n) < 0.5, -1, 1), src.seen)
    return People(pop=src.pop, female=female, given=given, father=src.father, grandfather=src.grandfather,
                  family=src.family, mother=src.mother, mother_family=src.mother_family, birth=birth,
                  place=src.place, seen=src.seen, related=ids, relation=np.full(n, "sibling", dtype=object))


def cousins(rng: np.random.Generator, of: People, ids: np.ndarray) -> People:
    """A paternal cousin for each person in `ids`: the same grandfather, family name and
    birthplace; a father who is another son of that grandfather, another mother, a given name
    drawn afresh (so often the same common one: cousins are named after one grandfather) and
    a birth date up to fifteen years apart."""
    n = len(ids)
    src = _take(of, ids)
    female = rng.random(n) < 0.45
    father = _pool_sample(rng, src.pop, female, "male")
    same = father == src.father
    while same.any():  # an uncle: brothers are not given one name
        father[same] = _pool_sample(rng, src.pop[same], female[same], "male")
        same = father == src.father
    gap = (rng.integers(0, 16, size=n) * 365.25 + rng.integers(-180, 181, size=n)).astype(int)
    birth = _apart(src.birth, gap * np.where(rng.random(n) < 0.5, -1, 1), src.seen)
    return People(pop=src.pop, female=female, given=_pool_sample(rng, src.pop, female, "given"), father=father,
                  grandfather=src.grandfather, family=src.family, mother=_pool_sample(rng, src.pop, female, "female"),
                  mother_family=_pool_sample(rng, src.pop, female, "family"), birth=birth, place=src.place,
                  seen=src.seen, related=ids, relation=np.full(n, "cousin", dtype=object))


def namesakes(rng: np.random.Generator, of: People, ids: np.ndarray) -> People:
    """Another person with the same given, father's and family name as each of `ids`."""
    n = len(ids)
    src = _take(of, ids)
    other = fresh(rng, n, {c: 1.0 / len(POPULATIONS) for c in POPULATIONS})
    other.pop, other.female = src.pop, src.female
    for role, pool in (("mother", "female"), ("mother_family", "family"), ("place", "place"),
                       ("grandfather", "male")):
        setattr(other, role, _pool_sample(rng, src.pop, src.female, pool))
    other.given, other.father, other.family = src.given, src.father, src.family
    # Born at least two years apart, so that a date can tell them apart.
    gap = (rng.integers(2, 25, size=n) * 365.25).astype(int)
    other.birth = _apart(src.birth, gap * np.where(rng.random(n) < 0.5, -1, 1), src.seen)
    other.related, other.relation = ids, np.full(n, "namesake", dtype=object)
    return other


def _apart(birth: np.ndarray, gap_days: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """A birth date `gap_days` from `birth`, but never after the person is recorded: a 'younger'
    relative of a small child becomes an older one."""
    moved = birth + gap_days * DAY
    return np.where(moved < seen - 30 * DAY, moved, birth - np.abs(gap_days) * DAY)


def _given_frequency(people: People) -> np.ndarray:
    """How common each person's given name is in their population (its sampling probability)."""
    out = np.empty(len(people))
    for i, code in enumerate(POPULATIONS):
        pools = population(code)
        for female, pool in ((False, pools.male), (True, pools.female)):
            rows = np.flatnonzero((people.pop == i) & (people.female == female))
            out[rows] = pool.p[people.given[rows]]
    return out


def _take(people: People, ids: np.ndarray) -> People:
    return People(*(getattr(people, f)[ids] for f in People.__dataclass_fields__))


@dataclass
class Plan:
    people: People
    enquiry_person: np.ndarray  # person id of each enquiry record
    found_person: np.ndarray    # person id of each found record
    enquiry_second: np.ndarray  # bool: a second enquiry for the person
    found_second: np.ndarray    # bool: a second registration of the person


def plan(rng: np.random.Generator, n_enquiries: int, n_found: int, rates) -> Plan:
    """Decide who is sought, who is found and who appears twice, to the exact record counts."""
    mix = rates.populations()
    # A second enquiry or registration needs a first: at most half of a file are seconds.
    second_e = min(int(round(n_enquiries * rates.enquired_twice)), n_enquiries // 2)
    sought_n = n_enquiries - second_e
    second_f = min(int(round(n_found * rates.registered_twice)), n_found // 2)
    found_n = n_found - second_f
    wanted = np.array([sought_n * rates.found_share, sought_n * rates.sibling, sought_n * rates.namesake,
                       sought_n * rates.cousin])
    if wanted.sum() > found_n:  # a short found list: scale the four groups down together
        wanted *= found_n / wanted.sum()
    n_found_sought, n_sib, n_ns, n_cousin = (int(x) for x in np.floor(wanted))

    # A family may seek two of its children: some sought persons are siblings of others.
    n_sib_sought = min(int(np.floor(sought_n * rates.sibling_sought)), sought_n // 2)
    first = fresh(rng, sought_n - n_sib_sought, mix)
    sought = People.concat([first, siblings(rng, first, rng.choice(len(first), size=n_sib_sought, replace=False))])
    found_sought = np.sort(rng.choice(sought_n, size=n_found_sought, replace=False))
    # Siblings, namesakes and cousins are of sought persons: hard non-matches for exactly those enquiries.
    # Namesakes are likelier for common names (a rare name is seldom shared).
    sib = siblings(rng, sought, rng.choice(sought_n, size=n_sib, replace=False))
    common = _given_frequency(sought)
    ns = namesakes(rng, sought, rng.choice(sought_n, size=n_ns, replace=False, p=common / common.sum()))
    cousin = cousins(rng, sought, rng.choice(sought_n, size=n_cousin, replace=False))
    others = fresh(rng, found_n - n_found_sought - n_sib - n_ns - n_cousin, mix)
    people = People.concat([sought, sib, ns, cousin, others])

    first_found = np.concatenate([found_sought, np.arange(sought_n, len(people))])
    enquiry_person = np.concatenate([np.arange(sought_n), rng.choice(sought_n, size=second_e,
                                                                     replace=second_e > sought_n)])
    found_person = np.concatenate([first_found, rng.choice(first_found, size=second_f,
                                                           replace=second_f > len(first_found))])
    return Plan(people, enquiry_person, found_person,
                np.arange(n_enquiries) >= sought_n, np.arange(n_found) >= found_n)

