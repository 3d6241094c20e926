"""People, their families, and the relatives and namesakes that make matching hard.

A person is a set of indexes into their population's pools (own name, father, grandfather,
family name, mother, mother's father and family, birth town) plus a birth date and the date of
the event that separated them. Families share those indexes, so a sibling has the same father's
and grandfather's names and family name, which is exactly why siblings, cousins, parents and
namesakes are the decoys a matcher must not take for the person sought.
"""

import bisect
import datetime as dt
import itertools

from .pools import build_pools
from .populations import POPS

# last day any record can be made on
TODAY = dt.date(2025, 6, 30).toordinal()


class Person:
    """pid, population (pop) and its kind, sex, pool indexes (own, fa, gf, fam, mo, mofa, mofam,
    place; -1 for none), birth and event (ev) as date ordinals, nationality (nat), selfru (a
    Ukrainian who gives the Russian form of their name), and for a decoy, its relation and
    decoy_of (the pid of the person it resembles)."""

    __slots__ = ("pid", "pop", "kind", "sex", "own", "fa", "gf", "fam", "mo", "mofa", "mofam",
                 "birth", "place", "nat", "ev", "selfru", "relation", "decoy_of")


def _nat(pop, r):
    p = POPS[pop]
    if r.random() < .05:
        return r.choice(p.other_nationalities.split())
    return p.nationality


def _event(pop, r):
    """The day of separation: the war in Ukraine since February 2022, or migration since 2015."""
    if POPS[pop].kind == "slav":
        a, b = dt.date(2022, 2, 24).toordinal(), dt.date(2024, 12, 31).toordinal()
    else:
        a, b = dt.date(2015, 1, 1).toordinal(), dt.date(2024, 10, 31).toordinal()
    return r.randint(a, b)


def _age(pop, sex, r):
    """Age at the event: Ukrainian and Russian men of fighting age, women and older people
    displaced; migrants young, with some children travelling alone."""
    if POPS[pop].kind == "slav":
        return int(r.triangular(19, 60, 30)) if sex == "M" else int(r.triangular(15, 75, 40))
    x = r.random()
    if x < .17:
        return r.randint(6, 17)
    if x < .85:
        return int(r.triangular(18, 42, 24))
    return r.randint(43, 70)


class World:
    """Every person drawn so far, and the pools and random stream they are drawn from."""

    def __init__(self, r):
        self.r = r
        self.P = build_pools()
        self.people = []
        pops = list(POPS)
        self.pop_cum = list(itertools.accumulate(POPS[p].weight for p in pops))
        self.pops = pops

    def draw_pop(self):
        return self.pops[bisect.bisect(self.pop_cum, self.r.random() * self.pop_cum[-1])]

    def new_person(self, pop, family=None, sex=None):
        """family: the traits shared with relatives (fa, gf, fam, mo, mofa, mofam, place, and ev
        when they were separated together); a new family if None."""
        r, P = self.r, self.P[pop]
        p = Person()
        p.pid = len(self.people)
        self.people.append(p)
        p.pop, p.kind = pop, POPS[pop].kind
        p.sex = sex or ("M" if r.random() < POPS[pop].male else "F")
        p.own = P[p.sex].draw(r)
        if family is None:
            family = self.new_family(pop)
        for k in ("fa", "gf", "fam", "mo", "mofa", "mofam", "place"):
            setattr(p, k, family[k])
        p.ev = family.get("ev") or _event(pop, r)
        p.birth = p.ev - _age(pop, p.sex, r) * 365 - r.randint(0, 364)
        p.nat = _nat(pop, r)
        p.selfru = p.kind == "slav" and (pop == "Russian" or r.random() < .2)
        p.relation, p.decoy_of = "", -1
        return p

    def new_family(self, pop):
        r, P = self.r, self.P[pop]
        fam = -1
        if "fam" in P and r.random() < POPS[pop].family_name:
            fam = P["fam"].draw(r)
        fa = P["M"].draw(r)
        gf = P["M"].draw(r)
        return {"fa": fa, "gf": gf, "fam": fam, "mo": P["F"].draw(r), "mofa": P["M"].draw(r),
                "mofam": P["fam"].draw(r) if "fam" in P else -1, "place": P["place"].draw(r),
                "ev": None}

    def family_of(self, p):
        return {"fa": p.fa, "gf": p.gf, "fam": p.fam, "mo": p.mo, "mofa": p.mofa, "mofam": p.mofam,
                "place": p.place, "ev": p.ev}

    def sibling(self, p):
        """Same parents, place and event; another given name, born 1 to 8 years apart."""
        r = self.r
        s = self.new_person(p.pop, self.family_of(p))
        while s.own == p.own and s.sex == p.sex:
            s.own = self.P[p.pop][s.sex].draw(r)
        s.birth = p.birth + r.choice([-1, 1]) * r.randint(300, 8 * 365)
        if s.birth > s.ev - 500:  # younger sibling must be born before the event
            s.birth = p.birth - r.randint(300, 8 * 365)
        s.nat = p.nat
        return s

    def cousin(self, p):
        """A father's brother's child: the same grandfather and family name, another father."""
        r, P = self.r, self.P[p.pop]
        f = self.family_of(p)
        f["fa"] = P["M"].draw(r, exclude=p.fa)
        f["mo"], f["mofa"] = P["F"].draw(r), P["M"].draw(r)
        if r.random() < .4:
            f["place"] = P["place"].draw(r)
        c = self.new_person(p.pop, f)
        if r.random() < .15 and c.sex == p.sex:
            c.own = p.own  # named after the same grandfather
        c.birth = min(p.birth + r.randint(-10 * 365, 10 * 365), c.ev - 500 - r.randint(0, 900))
        return c

    def namesake(self, p):
        """Another family's member with p's own name, often the same father's or family name
        too (the commonest names make such pairs common), displaced at about the same time."""
        r = self.r
        f = self.new_family(p.pop)
        if p.kind in ("somali", "habesha") or (p.kind in ("arab", "afghan") and p.fam < 0):
            if r.random() < .6:
                f["fa"] = p.fa
        else:
            if r.random() < .6:
                f["fam"] = p.fam
            if r.random() < .25:
                f["fa"] = p.fa
        f["ev"] = p.ev + r.randint(-200, 200)
        n = self.new_person(p.pop, f, sex=p.sex)
        n.own = p.own
        n.birth = p.birth + (0 if r.random() < .12 else r.randint(-8 * 365, 8 * 365))
        n.birth = min(n.birth, n.ev - 500 - r.randint(0, 900))
        return n

    def parent_or_child(self, p):
        """p's son or daughter (whose father's name is p's own), else p's father (whose own name
        is p's father's name): one generation along the same name chain."""
        r, P = self.r, self.P[p.pop]
        age = (p.ev - p.birth) // 365
        if p.sex == "M" and age >= 38 and r.random() < .5:
            f = {"fa": p.own, "gf": p.fa, "fam": p.fam, "mo": P["F"].draw(r), "mofa": P["M"].draw(r),
                 "mofam": P["fam"].draw(r) if "fam" in P else -1, "place": p.place, "ev": p.ev}
            c = self.new_person(p.pop, f)
            c.birth = p.birth + r.randint(18 * 365, min(age - 2, 40) * 365)
            c.birth = min(c.birth, c.ev - 500)
            return c, "child"
        f = {"fa": p.gf, "gf": P["M"].draw(r), "fam": p.fam, "mo": P["F"].draw(r), "mofa": P["M"].draw(r),
             "mofam": p.mofam, "place": p.place, "ev": p.ev}
        c = self.new_person(p.pop, f, sex="M")
        c.own = p.fa
        c.birth = p.birth - r.randint(20 * 365, 40 * 365)
        return c, "parent"
