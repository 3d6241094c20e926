"""The way one record is written, and each name in it written that way.

Each record gets its own context: the script (Latin, Arabic, Persian, Ge'ez, Cyrillic), for
Latin the society's language or a scholarly or Somali orthography and an officer's habit in
it, for East Slavic names the Ukrainian or Russian form and a transliteration scheme. Two
records of one person, made by two societies (or two officers), so spell the same names
differently, which is the variation the matcher has to see through.
"""

from .cyrillic import SCHEMES, cyr_latin, fem_surname, patronymic
from .pools import choose
from .populations import ARABIC_SOC, LATIN_SYS, PERSIAN_SOC
from .romanise_arabic import arab_habit, render_arab_name
from .romanise_habesha import hab_habit, render_hab_name
from .scripts import render_arabic_script, render_geez


class Ctx:
    """script ('lat', 'ar', 'fa', 'geez', 'cyr'); sys, the Latin system; habit, an officer's
    spelling choices; lang, 'uk' or 'ru' form of a Slavic name; form, which of a Somali name's
    forms is written; scheme and sv, the Cyrillic table and its variant; joined, spaced: how
    compounds are written in Arabic and Ge'ez script."""

    __slots__ = ("script", "sys", "habit", "lang", "form", "scheme", "joined", "spaced", "sv")


def pick_ctx(p, soc, r, phen):
    """The context of a record of person p made by society soc; names it in phen (the script,
    or translit_<system>, and the Russian form of a Ukrainian name or the reverse)."""
    c = Ctx()
    c.sys = LATIN_SYS.get(soc, "en")
    c.script = "lat"
    c.habit = None
    c.lang = "uk"
    c.form = 0
    c.scheme = None
    c.joined = r.random() < .35
    c.spaced = r.random() < .3
    kind = p.kind
    x = r.random()
    if kind in ("arab", "somali", "afghan"):
        if soc in ARABIC_SOC and x < (.55 if kind == "arab" else .3):
            c.script = "ar"
        elif soc in PERSIAN_SOC and x < (.55 if kind == "afghan" else .3):
            c.script = "fa"
        elif soc == "ICRC" and x < .05:
            c.sys = "ala"
        elif kind == "somali" and (soc in ("SOM", "KEN", "ETH", "DJI") and x < .65 or x < .2):
            c.sys = "so"
    elif kind == "habesha":
        if soc in ("ETH", "ERI") and x < .5:
            c.script = "geez"
        elif soc in ("SDN", "EGY", "LBY", "YEM") and x < .15:
            c.script = "ar"
    else:
        if soc in ("UKR", "RUS") and x < .8 or soc == "ICRC" and x < .3:
            c.script = "cyr"
        if p.pop == "Ukrainian":
            ru = (soc == "RUS" and r.random() < .9) or (soc not in ("UKR", "RUS", "POL") and r.random() < .2) \
                or (p.selfru and r.random() < .5)
        else:
            ru = not (soc == "UKR" and r.random() < .5)
        c.lang = "ru" if ru else "uk"
        if p.pop == "Ukrainian" and ru:
            phen.append("russian_form")
        if p.pop == "Russian" and not ru:
            phen.append("ukrainian_form")
        if c.script == "lat":
            s = c.sys
            if s == "en" or s == "it":
                c.scheme = ("uknat" if r.random() < .8 else "bgn") if c.lang == "uk" else choose(r, "bgn:5 icao:5")
            else:
                c.scheme = s if s in SCHEMES else "uknat"
            if r.random() < .06:
                c.scheme = "iso"
            c.sv = 1 if r.random() < .3 else 0
    if c.script == "lat" and kind != "slav":
        if kind == "habesha":
            c.habit = hab_habit(c.sys, p.pop, soc, r)
        else:
            c.habit = arab_habit(c.sys, p.pop, r)
        if kind == "somali":
            c.form = 0 if c.sys == "so" else (0 if r.random() < .4 else 1)
    if c.script == "lat" and kind == "slav":
        phen.append("translit_" + c.scheme)
    elif c.script == "lat":
        phen.append("somali_orthography" if c.sys == "so" else
                    ("scholarly_diacritics" if c.sys == "ala" else "translit_" + c.sys))
    else:
        phen.append({"ar": "script_arabic", "fa": "script_persian", "geez": "script_geez",
                     "cyr": "script_cyrillic"}[c.script])
    return c


def unit(world, p, pool, idx, c, sex=None):
    """One name (pool 'M' or 'F': a given name; 'fam': a family name, feminine if sex is 'F')
    of p's population written in context c; None for no name (idx -1)."""
    if idx < 0:
        return None
    item = world.P[p.pop][pool].items[idx]
    kind = p.kind
    if kind == "slav":
        s = item[1] if c.lang == "ru" else item[0]
        if pool == "fam" and sex == "F":
            s = fem_surname(s)
        return s if c.script == "cyr" else cyr_latin(s, c.scheme, c.lang, c.sv)
    if kind == "habesha":
        f = item[0]
        if c.script == "geez":
            return render_geez(f, c.spaced)
        if c.script == "ar":
            return render_arabic_script(f, False, c.joined, True)
        return render_hab_name(f, c.habit)
    if c.script in ("ar", "fa"):  # the Arabic form of a Somali name
        return render_arabic_script(item[-1], c.script == "fa", c.joined)
    f = item[c.form] if c.form < len(item) else item[0]
    return render_arab_name(f, c.habit)


def slav_patr(world, p, c):
    """p's patronymic, from their father's name, in context c."""
    item = world.P[p.pop]["M"].items[p.fa]
    s = patronymic(item[1] if c.lang == "ru" else item[0], c.lang, p.sex)
    return s if c.script == "cyr" else cyr_latin(s, c.scheme, c.lang, c.sv)


def join_names(*xs):
    """The names given, in order, as one field; None if there are none."""
    xs = [x for x in xs if x]
    return " ".join(xs) if xs else None
