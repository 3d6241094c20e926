"""Weighted draws: the name and place pools of each population, and choices by weight.

Names in real files are Zipf-like: a few are shared by many people, which is what makes
namesakes and wrong candidates common. A pool draws item i with weight 1/(i+1)^s, and each
population gets its own order of the shared Arabic lists (its favourite names first, the rest
lightly shuffled by a fixed seed), so that Iraqi and Sudanese men do not share a top ten.
"""

import bisect
import itertools
import random

from .name_lists import (AFG_FAMILY, AFG_FEMALE, AFG_MALE, ARAB_BOOST, ARAB_FEMALE, ARAB_MALE, ERI_MALE,
                         ETH_MALE, HAB_FEMALE, IRQ_FAMILY, LBY_FAMILY, RUS_MALE_ORDER, RUS_SURNAMES, SLAV_FEMALE,
                         SLAV_MALE, SOM_FEMALE, SOM_MALE, SYR_FAMILY, UKR_SURNAMES)
from .places import PLACES
from .populations import POP_PLACES, POPS


def choose(r, spec):
    """One option by weight, from 'opt:w opt:w' (options separated by '|' when they hold
    spaces) or a list of (option, weight)."""
    if isinstance(spec, str):
        spec = [(o.rsplit(":", 1)[0], float(o.rsplit(":", 1)[1])) for o in (spec.split("|") if "|" in spec else spec.split())]
    tot = sum(w for _, w in spec)
    x = r.random() * tot
    for o, w in spec:
        x -= w
        if x <= 0:
            return o
    return spec[-1][0]


class Pool:
    """Zipf-like pool: weight 1/rank^s."""

    def __init__(self, items, s=1.0):
        self.items = items
        self.cum = list(itertools.accumulate(1.0 / (i + 1) ** s for i in range(len(items))))
        self.total = self.cum[-1]

    def draw(self, r, exclude=-1):
        while True:
            i = bisect.bisect(self.cum, r.random() * self.total)
            if i != exclude:
                return i


def _pool_order(base, boost, seed):
    """Per-population order: boosted names first, the tail lightly shuffled (fixed seed)."""
    seen, out = set(), []
    for x in list(boost) + list(base):
        if x not in seen:
            seen.add(x)
            out.append(x)
    rr = random.Random(seed)
    head, tail = out[:len(boost) or 12], out[len(boost) or 12:]
    for i in range(len(tail) - 1):
        if rr.random() < .5:
            j = min(len(tail) - 1, i + rr.randint(1, 6))
            tail[i], tail[j] = tail[j], tail[i]
    return head + tail


def build_pools():
    """Population -> {'M', 'F', 'fam', 'place'} pools; the items are tuples of the forms a
    name has (one, or phonemic and Arabic, or Ukrainian and Russian). Fixed, not seeded: the
    same pools for every data set."""
    P = {}
    for k, pop in enumerate(POPS):
        kind = POPS[pop].kind
        d = {}
        if kind == "arab":
            male = _pool_order(ARAB_MALE, ARAB_BOOST.get(pop, []), 11 + k)
            d["M"] = Pool([(x.replace("_", " "),) for x in male], 1.05)
            d["F"] = Pool([(x.replace("_", " "),) for x in _pool_order(ARAB_FEMALE, [], 31 + k)], 1.0)
            fam = {"Syrian": SYR_FAMILY, "Iraqi": IRQ_FAMILY, "Libyan": LBY_FAMILY,
                   "Sudanese": SYR_FAMILY[:12] + ["al-mahdI", "al-mIrghanI", "cuthmAn", "bAbikir"]}[pop]
            d["fam"] = Pool([(x.replace("_", " ").strip(),) for x in _pool_order(fam, [], 51 + k)], .8)
        elif kind == "somali":
            d["M"] = Pool([tuple(f.replace("_", " ") for f in x) for x in SOM_MALE], 1.1)
            d["F"] = Pool([tuple(f.replace("_", " ") for f in x) for x in SOM_FEMALE], 1.0)
        elif kind == "afghan":
            d["M"] = Pool([(x.replace("_", " "),) for x in AFG_MALE], 1.05)
            d["F"] = Pool([(x.replace("_", " "),) for x in AFG_FEMALE], 1.0)
            d["fam"] = Pool([(x.replace("_", " ").strip(),) for x in AFG_FAMILY], .8)
        elif kind == "habesha":
            src = ERI_MALE if pop == "Eritrean" else ETH_MALE
            d["M"] = Pool([tuple(f.replace("_", "") for f in x) for x in src], 1.0)
            fem = _pool_order([x[0] for x in HAB_FEMALE], [], 71 + k)
            d["F"] = Pool([(x.replace("_", ""),) for x in fem], .95)
        else:
            if pop == "Russian":
                ru2 = {m[1]: m for m in SLAV_MALE}
                d["M"] = Pool([tuple(ru2[x]) for x in RUS_MALE_ORDER if x in ru2], .9)
                surn = [(ru_to_uk(s), s) for s in RUS_SURNAMES] + [
                    (x[0], x[1] if len(x) > 1 else x[0]) for x in UKR_SURNAMES[:15]]
            else:
                d["M"] = Pool([tuple(x) for x in SLAV_MALE], .9)
                surn = [(x[0], x[1] if len(x) > 1 else x[0]) for x in UKR_SURNAMES]
                rr = random.Random(5)
                for s in RUS_SURNAMES[:30]:  # Russian-type surnames are common in Ukraine
                    surn.insert(rr.randint(5, len(surn)), (ru_to_uk(s), s))
            d["F"] = Pool([tuple(x) for x in SLAV_FEMALE], .9)
            d["fam"] = Pool(surn, .6)
        d["place"] = Pool(PLACES[POP_PLACES[pop]], .9)
        P[pop] = d
    return P


def ru_to_uk(s):
    """The Ukrainian spelling of a Russian surname, as Ukrainian registers write Russian-type
    surnames of Ukrainian citizens (Иванов -> Іванов, Соловьёв -> Соловйов)."""
    out = []
    for i, ch in enumerate(s):
        m = {"и": "і", "ы": "и", "э": "е", "ъ": "'", "И": "І", "Э": "Е"}.get(ch, ch)
        if ch == "ё":
            m = "ьо" if i > 0 and s[i - 1] not in "аеиоуяюьъ" else "йо"
            if s[i - 1] in "жчшщ":
                m = "о"
            if s[i - 1] == "ь":
                out[-1] = ""
                m = "йо"
        elif ch == "е" and i > 0 and s[i - 1] in "аоуиеяю":
            m = "є"
        out.append(m)
    r = "".join(out)
    return r.replace("іі", "ії")
