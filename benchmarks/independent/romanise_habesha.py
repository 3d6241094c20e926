"""Tigrinya and Amharic names in Latin letters, in the habit of the officer writing them.

Ge'ez script has no agreed Latin form: the sixth-order vowel is written e, i or not at all
(Berhane, Birhane, Brhane), ä as e or a, ቀ as k or q, ጸ as ts, tz or z, Italian offices write
Ghebre and Chidane, Ethiopian ones abbreviate compounds (G/Medhin for Gebre-Medhin). As for
Arabic names (romanise_arabic.py), one record's officer draws one set of these choices.
"""

from collections import namedtuple
from functools import lru_cache

from .notation import HAB_DIG, capitalise, tokenize
from .pools import choose

# One officer's letters for the sounds, and switches: gh (g before front vowels as gh, Italian
# style), yj (initial yo- as jo-), gem (double consonants kept), wo (wel- as wol-), abbrev
# (compounds abbreviated, G/Medhin).
HB = namedtuple("HB", "schwa ae Elong q x k gh ts C H ch sh j yj final_ay gem wo abbrev join")

HAB_SPECS = {
    "schwa": {"en": "e:5 _:3 i:2", "it": "e:6 _:2 i:2", "de": "e:6 _:2 i:2", "so": "e:4 _:4 i:2"},
    "ae": {"en": "e:9 a:1"},
    "Elong": {"en": "e:8 ie:2", "fr": "é:5 e:5", "it": "é:3 e:5 ie:2"},
    "q": {"en": "k:7 q:3", "it": "k:5 ch:2 q:3"},
    "x": {"en": "k:6 kh:3 h:1"},
    "k": {"en": "k:1", "it": "c:6 k:4"},
    "ts": {"en": "ts:7 tz:1 s:1 ts':1", "it": "z:4 ts:4 tz:2", "de": "ts:6 z:2 tz:2"},
    "C": {"en": "ch:7 c:2 tch:1", "fr": "tch:1", "de": "tsch:5 ch:5"},
    "H": {"en": "h:9 _:1", "ala": "ḥ:1"},
    "ch": {"en": "ch:1", "fr": "tch:1", "de": "tsch:6 ch:4", "it": "c:5 ch:5"},
    "sh": {"en": "sh:1", "de": "sch:1", "fr": "ch:1", "it": "sc:5 sh:5", "sv": "sh:5 sj:5"},
    "j": {"en": "j:1", "it": "g:6 j:4", "fr": "dj:6 j:4", "de": "dsch:4 dj:3 j:3"},
    "final_ay": {"en": "ay:5 ai:4 aye:1", "it": "ai:7 ay:3", "fr": "aï:2 ai:6 ay:2", "de": "ai:6 ay:4"},
    "join": {"en": "_:6|-:2| :2"},
}


def hab_habit(system, pop, soc, r):
    """One officer's habit; abbreviation is an Ethiopian office's habit above all."""
    g = {}
    for f, d in HAB_SPECS.items():
        v = choose(r, d.get(system) or d["en"])
        g[f] = "" if v == "_" else v
    eri = pop == "Eritrean"
    gh = r.random() < ((.8 if system == "it" else .45) if eri else .1)
    yj = system in ("de", "sv", "nl", "pl") and r.random() < .6
    gem = r.random() < .5
    wo = r.random() < (.75 if not eri else .3)
    abbrev = r.random() < (.45 if soc == "ETH" else (.15 if pop == "Ethiopian" else .03))
    return HB(g["schwa"], g["ae"], g["Elong"], g["q"], g["x"], g["k"], gh, g["ts"], g["C"], g["H"],
              g["ch"], g["sh"], g["j"], yj, g["final_ay"], gem, wo, abbrev, g["join"])


ABBR = {"gebre": "G/", "welde": "W/", "haylE": "H/", "texle": "T/", "habte": "H/"}


@lru_cache(maxsize=None)
def render_hab_word(p, h):
    """One part of a Habesha name in habit h."""
    toks = tokenize(p, HAB_DIG)
    n = len(toks)
    o = []
    prev = None
    for k, t in enumerate(toks):
        nxt = toks[k + 1] if k + 1 < n else None
        if t == "@":
            o.append("" if k == n - 1 else ("e" if k == 0 else h.schwa))
        elif t == "e":
            o.append(h.ae if k > 0 else "e")
        elif t == "E":
            o.append(h.Elong if k > 0 else "e")
        elif t in "aiou":
            if t == "a" and nxt == "y" and k + 2 == n:
                o.append(h.final_ay)
                break
            o.append(t)
        else:
            if t == prev and not h.gem:
                prev = t
                continue
            if t == "g" and h.gh and nxt in ("e", "i", "E", "@"):
                s = "gh"
            elif t == "y" and k == 0 and h.yj and nxt == "o":
                s = "j"
            elif t in ("c", "'"):
                s = ""
            else:
                s = {"q": h.q, "x": h.x, "k": h.k, "ts": h.ts, "C": h.C, "H": h.H, "ch": h.ch,
                     "sh": h.sh, "j": h.j, "T": "t", "P": "p", "ny": "ny", "zh": "zh"}.get(t, t)
            o.append(s)
        prev = t
    w = "".join(o)
    if h.wo and w.startswith("wel"):
        w = "wol" + w[3:]
    return w


def render_hab_name(form, h):
    """A whole name, its compounds joined, spaced, hyphenated or abbreviated as h says."""
    out = []
    for w in form.split(" "):
        parts = w.split("-")
        if len(parts) > 1 and h.abbrev and ABBR.get(parts[0]):
            out.append(ABBR[parts[0]] + capitalise(render_hab_word(parts[1], h)))
            continue
        rp = [render_hab_word(p, h) for p in parts]
        if len(rp) == 1:
            out.append(capitalise(rp[0]))
        else:
            j = h.join
            out.append(j.join(capitalise(x) if (j or i == 0) else x for i, x in enumerate(rp)))
    return " ".join(out)
