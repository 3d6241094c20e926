"""Arabic, Somali and Afghan names in Latin letters, in the habit of the officer writing them.

There is no one romanisation of Arabic in tracing files: each society, and each officer, writes
what the name sounds like in their own language's spelling (Mohammed, Muhammad, Mouhamed,
Muhammet), drops or keeps the article and the ʿayn, joins compounds (Abdulrahman, Abd al-Rahman,
Abderrahmane). A habit is one officer's set of such choices, drawn once per record from the
society's language ('en', 'de', 'fr', 'it', 'sv', 'pl', 'tr', 'nl', Somali orthography 'so',
scholarly 'ala'), so that two records of one person differ the way two offices' records do.
"""

from collections import namedtuple
from functools import lru_cache

from .notation import LONG, SHORT, SUN, capitalise, tokenize
from .pools import choose

# One officer's spelling choices: the letters for each sound, and switches (a_e: a -> e in a
# closed last syllable; gem: double consonants kept; emph: dots under emphatics; final_t: Turkish
# final d -> t; fr_e: French final -ne after a long vowel).
AH = namedtuple("AH", "u i a_e gem lA lI lU ayn H kh sh j q th dh gh w y diph emph art cabd join "
                      "final_t taa ch fr_e bin")


ARAB_HABIT_SPECS = {
    # field: {sys: spec}; '_' = the empty string
    "u": {"en": "u:5 o:5", "fr": "ou:6 o:3 u:1", "de": "u:5 o:5", "it": "u:4 o:6", "sv": "u:6 o:4",
          "pl": "u:5 o:5", "tr": "u:9 o:1", "nl": "oe:5 o:3 u:2", "so": "u:1", "ala": "u:1"},
    "i": {"en": "i:6 e:4", "fr": "i:5 e:5", "de": "i:6 e:4", "it": "i:6 e:4", "sv": "i:6 e:4",
          "pl": "i:6 e:4", "tr": "i:7 e:3", "nl": "i:6 e:4", "so": "i:1", "ala": "i:1"},
    "lA": {"so": "aa:1", "ala": "ā:1", "en": "a:95 aa:5"},
    "lI": {"so": "ii:1", "ala": "ī:1", "en": "i:7 ee:3", "de": "i:8 ie:2", "nl": "ie:6 i:4", "fr": "i:1"},
    "lU": {"so": "uu:1", "ala": "ū:1", "en": "u:6 oo:3 ou:1", "fr": "ou:1", "de": "u:9 uh:1",
           "nl": "oe:7 u:3", "tr": "u:1", "sv": "u:8 o:2", "pl": "u:1", "it": "u:1"},
    "ayn": {"so": "c:1", "ala": "ʿ:1", "en": "_:8 ':2", "tr": "_:1", "fr": "_:1", "de": "_:9 ':1"},
    "H": {"so": "x:1", "ala": "ḥ:1", "en": "h:1"},
    "kh": {"so": "kh:1", "ala": "kh:7 ḫ:3", "en": "kh:9 h:1", "de": "ch:6 kh:4", "fr": "kh:8 h:2",
           "tr": "h:1", "pl": "ch:6 kh:4", "sv": "kh:6 ch:4", "nl": "ch:5 kh:5", "it": "kh:7 h:3"},
    "sh": {"en": "sh:1", "de": "sch:7 sh:3", "fr": "ch:7 sh:3", "tr": "ş:8 sh:2", "pl": "sz:6 sh:4",
           "sv": "sh:6 sj:4", "nl": "sj:5 sh:5", "it": "sc:3 sh:7", "ala": "sh:6 š:4", "so": "sh:1"},
    "j": {"en": "j:9 g:1", "de": "dsch:4 dj:3 j:3", "fr": "dj:7 j:3", "tr": "c:9 j:1", "pl": "dż:4 dż:1 dz:2 j:3",
          "sv": "dj:5 j:5", "nl": "dj:6 j:4", "it": "g:5 j:5", "so": "j:1", "ala": "j:1"},
    "q": {"en": "q:6 k:3 g:1", "fr": "k:7 q:3", "de": "k:6 q:4", "tr": "k:1", "pl": "k:7 q:3",
          "sv": "k:6 q:4", "nl": "k:6 q:4", "it": "q:5 k:5", "so": "q:1", "ala": "q:1"},
    "th": {"en": "th:7 t:3", "tr": "s:7 t:3", "fr": "th:6 t:4", "de": "th:6 t:4", "ala": "th:6 ṯ:4"},
    "dh": {"en": "dh:6 d:2 z:2", "tr": "z:7 d:3", "fr": "dh:5 d:3 z:2", "ala": "dh:6 ḏ:4"},
    "gh": {"en": "gh:1", "tr": "ğ:3 g:7", "fr": "gh:9 r:1", "ala": "gh:6 ġ:4", "so": "g:1"},
    "w": {"en": "w:1", "fr": "ou:5 w:5", "tr": "v:9 w:1", "de": "w:8 u:2", "pl": "w:1", "nl": "w:1"},
    "y": {"en": "y:1", "de": "j:6 y:4", "sv": "j:6 y:4", "pl": "j:8 y:2", "nl": "j:7 y:3", "fr": "y:1",
          "tr": "y:1", "it": "i:3 y:7"},
    "diph": {"en": "y:5 i:5", "fr": "i:7 y:3", "de": "i:6 j:2 y:2", "tr": "y:1", "so": "y:1", "ala": "y:1",
             "it": "i:8 y:2", "sv": "j:4 i:4 y:2"},
    "art": {"en": "al-:4|al :2|el-:2|Al:1|_:2", "fr": "el-:3|al-:2|el :1|_:2|assim:2", "de": "al-:4|el-:2|Al :1|_:3",
            "tr": "el-:2|_:6|assim:2", "so": "_:6|al-:2|assim:2", "ala": "al-:1", "it": "el :3|al-:3|_:4",
            "sv": "al-:4|_:4|Al :2", "pl": "al-:5|_:5"},
    "cabd": {"en": "Abdul:4|Abdel:2|Abd al-:2|Abdal:1|Abdur:1", "fr": "Abdel:5|Abd el-:2|Abdoul:1|Abdassim:2",
             "de": "Abdul:5|Abdel:2|Abd al-:3", "tr": "Abdul:4|Abdassim:6", "so": "Abdi:8|Abdul:2",
             "ala": "Abd al-:1|Abd al-:0", "it": "Abdel:5|Abdul:5", "sv": "Abdul:6|Abdel:2|Abdi:2", "pl": "Abdul:6|Abd al-:4",
             "nl": "Abdel:5|Abdul:5"},
    "join": {"en": "_:4| :4|-:2", "so": "_:9| :1", "tr": "_:8| :2", "fr": "_:3| :4|-:3", "de": "_:3| :4|-:3"},
    "taa": {"en": "a:8 ah:2", "tr": "e:7 a:3", "fr": "a:9 ah:1", "so": "o:5 a:5", "ala": "a:6 ah:4"},
    "ch": {"de": "tsch:1", "fr": "tch:1", "tr": "ç:1", "pl": "cz:1", "sv": "tj:5 ch:5", "nl": "tsj:5 ch:5", "en": "ch:1"},
    "bin": {"fr": "Ben:8 Bin:2", "it": "Ben:8 Bin:2", "en": "Bin:5 Ben:4 Ibn:1", "tr": "Bin:5 İbn:5", "ala": "bin:1"},
}


def arab_habit(system, pop, r):
    """One officer's habit for a language; Afghan names are heard through Dari and Pashto
    (o, e), and Sudanese, Libyan and Iraqi speech turns q (and Sudanese j) into g."""
    g = {}
    for f, d in ARAB_HABIT_SPECS.items():
        spec = d.get(system) or d.get("en") or next(iter(d.values()))
        v = choose(r, spec)
        g[f] = "" if v == "_" else v
    if pop == "Afghan" and system not in ("so", "ala"):
        g["j"] = "j" if g["j"] == "g" else g["j"]
        g["u"] = choose(r, "o:7 u:3")
        g["i"] = choose(r, "e:6 i:4")
        g["cabd"] = choose(r, "Abdul:8|Abdel:1|Abd al-:1")
        g["lU"] = choose(r, "u:5 oo:5") if system == "en" else g["lU"]
    if pop in ("Sudanese", "Libyan", "Iraqi") and g["q"] == "q" and r.random() < .35:
        g["q"] = "g"
    if pop == "Sudanese" and g["j"] == "j" and r.random() < .2:
        g["j"] = "g"
    a_e = system in ("en", "de", "fr", "it", "sv", "pl", "nl", "tr") and r.random() < (.7 if system == "tr" else .45)
    gem = system in ("ala", "so") or r.random() < .6
    emph = system == "ala"
    return AH(g["u"], g["i"], a_e, gem, g["lA"], g["lI"], g["lU"], g["ayn"], g["H"], g["kh"], g["sh"],
              g["j"], g["q"], g["th"], g["dh"], g["gh"], g["w"], g["y"], g["diph"], emph, g["art"],
              g["cabd"], g["join"], system == "tr" and r.random() < .7, g["taa"], g["ch"],
              system == "fr" and r.random() < .6, g["bin"])


EMPH = {"S": ("s", "ṣ"), "D": ("d", "ḍ"), "T": ("t", "ṭ"), "Z": ("z", "ẓ")}


@lru_cache(maxsize=None)
def render_arab_word(word, h):
    """One phonemic word in habit h."""
    toks = tokenize(word)
    n = len(toks)
    vowel_idx = [k for k, t in enumerate(toks) if t in SHORT or t in LONG]
    last_v = vowel_idx[-1] if vowel_idx else -1
    out = []
    prev = None
    for k, t in enumerate(toks):
        nxt = toks[k + 1] if k + 1 < n else None
        if t in SHORT:
            if k == n - 1 and t == "a" and prev not in LONG:
                out.append(h.taa)
            elif t == "a":
                closed = nxt is not None and nxt not in SHORT and nxt not in LONG
                out.append("e" if h.a_e and k == last_v and closed and k > 0 else "a")
            elif t == "u":
                out.append("u" if k == n - 1 else h.u)
            elif t == "i":
                out.append("i" if k == n - 1 else h.i)
            else:
                out.append(t)
        elif t in LONG:
            out.append({"A": h.lA, "I": h.lI, "U": h.lU,
                        "E": "ee" if h.lA == "aa" else "e", "O": "oo" if h.lA == "aa" else "o"}[t])
        else:
            if prev == t and not h.gem:
                prev = t
                continue
            if t == "c":
                s = h.ayn if (h.ayn in ("c", "ʿ") or (k > 0 and nxt is not None)) else ""
            elif t == "'":
                s = "'" if h.ayn == "'" and 0 < k < n - 1 else ("ʾ" if h.emph else "")
            elif t == "H":
                s = h.H
            elif t in EMPH:
                s = EMPH[t][1 if h.emph else 0]
                if t == "D" and h.dh == "dh" and not h.emph:
                    s = "d"
            elif t in ("y", "w") and prev in SHORT and (nxt is None or (nxt not in SHORT and nxt not in LONG)):
                s = (h.diph if t == "y" else ("u" if h.diph == "i" else "w"))
                if t == "w" and h.w == "ou" and prev == "a":
                    s = "ou"
                    out[-1] = ""  # French 'aw' -> 'ou': the a goes
            else:
                s = {"kh": h.kh, "sh": h.sh, "j": h.j, "q": h.q, "th": h.th, "dh": h.dh, "gh": h.gh,
                     "w": h.w, "y": h.y, "ch": h.ch, "zh": "zh", "x": "kh"}.get(t, t)
                if t == "d" and h.final_t and k == n - 1:
                    s = "t"
                if t == "s" and h.sh == "ch" and prev in LONG | SHORT and nxt in LONG | SHORT:
                    s = "ss"  # French intervocalic s
            out.append(s)
        prev = t
    w = "".join(out)
    if h.fr_e and w.endswith("n") and len(toks) > 2 and toks[-2] in LONG:
        w += "e"
    return w


def render_arab_name(form, h):
    """A whole name (possibly several words, compounds, article) in Latin."""
    words = form.split(" ")
    out = []
    k = 0
    while k < len(words):
        w = words[k]
        if w == "cabd" and k + 1 < len(words) and words[k + 1].startswith("al-"):
            rest_ph = words[k + 1][3:]
            rest = render_arab_word(rest_ph, h)
            first = tokenize(rest_ph)[0]
            pre_ayn = h.ayn if h.ayn in ("c", "ʿ") else ""
            if h.cabd == "Abdassim" and first in SUN:
                sun = render_arab_word(first, h)
                out.append(capitalise(pre_ayn + "abd" + ("e" if h.u == "ou" else "u") + sun + rest))
            elif h.cabd in ("Abd al-", "Abd el-"):
                out.append(capitalise(pre_ayn + "abd") + " " + h.cabd.split()[1] + capitalise(rest))
            else:
                cabd = h.cabd.lower().replace("abdassim", "abdul")
                if cabd == "abdur" and first != "r":
                    cabd = "abdul"
                pre = capitalise(pre_ayn + cabd)
                out.append(pre + (rest if h.join == "" else h.join + capitalise(rest)))
            k += 2
            continue
        if w.startswith("al-"):
            rest_ph = w[3:]
            rest = render_arab_word(rest_ph, h)
            first = tokenize(rest_ph)[0]
            art = h.art
            if art == "assim":
                art = ("a" if h.i == "i" else "e") + (render_arab_word(first, h) if first in SUN else "l") + "-"
            if k > 0 and h.join == "" and art == "" and out:
                # joined compound: Nureddin, Nooruddin
                link = ("e" if h.i == "e" else "u") + (render_arab_word(first, h) if first in SUN else "l")
                out[-1] = out[-1] + link + rest.lower()
            elif art == "":
                out.append(capitalise(rest))
            elif art.endswith(" "):
                out.append(art.strip().capitalize() + " " + capitalise(rest))
            elif art == "Al":
                out.append("Al" + rest.lower())
            else:
                out.append((art if k > 0 else capitalise(art)) + capitalise(rest))
            k += 1
            continue
        if w == "bin":
            out.append(h.bin)
            k += 1
            continue
        if "-" in w:
            parts = [render_arab_word(p, h) for p in w.split("-")]
            j = h.join
            out.append(j.join(capitalise(p) if (j or i == 0) else p for i, p in enumerate(parts)))
            k += 1
            continue
        out.append(capitalise(render_arab_word(w, h)))
        k += 1
    return " ".join(out)
