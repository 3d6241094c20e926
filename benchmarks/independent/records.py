"""One record of a person, as an office on one side would write it.

A record starts from the way it is written (habits.py) and the fields its names go into
(name_fields.py), then picks up what goes wrong in real files: a dropped middle name, family
and given names swapped, a family name in capitals, a typing slip, a date written loosely
(dates.py), fields left empty, a birth place given as another town, a second spelling of the
name in other_names. Each such thing done is named in the record's phenomena, so that a missed
pair can be explained.
"""

from .dates import dates, iso
from .habits import Ctx, join_names, pick_ctx, unit
from .name_fields import compose_names
from .places import LOCATIONS, TRANSIT
from .pools import choose
from .populations import POPS, SOC_CITY
from .romanise_arabic import arab_habit
from .romanise_habesha import hab_habit

COLUMNS = ["record_id", "society", "family_name", "given_names", "father_name", "mother_name",
           "other_names", "sex", "birth_date", "age", "recorded_on", "birth_place", "nationality",
           "last_seen_place", "last_seen_date", "status", "location", "consent_to_share"]

# letters beside each other on a QWERTY keyboard: the likeliest slip of a typing finger
KB = {}
for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm"):
    for i, ch in enumerate(row):
        KB[ch] = (row[i - 1] if i else "") + (row[i + 1] if i + 1 < len(row) else "")


def typo(s, r):
    """One slip in s (never its first letter): a neighbouring key, a letter lost, doubled, or
    two letters swapped. Names of fewer than four letters are left alone."""
    idx = [i for i, ch in enumerate(s) if ch.isalpha()]
    if len(idx) < 4:
        return s
    i = r.choice(idx[1:])
    op = r.random()
    ch = s[i]
    if op < .35:
        nb = KB.get(ch.lower())
        rep = r.choice(nb) if nb else s[r.choice(idx)]
        rep = rep.upper() if ch.isupper() else rep
        return s[:i] + rep + s[i + 1:]
    if op < .65:
        return s[:i] + s[i + 1:]
    if op < .8:
        return s[:i] + ch + s[i:]
    j = i - 1
    return s[:j] + s[i] + s[j] + s[i + 1:] if s[j].isalpha() else s


def place_name(world, p, idx, c, r):
    """Town idx of p's country, in the record's script if it has that form, else one of its
    Latin names (the usual one most often)."""
    item = world.P[p.pop]["place"].items[idx]
    native = {"habesha": ("geez",)}.get(p.kind, ("ar", "fa"))
    if c.script in native and len(item) == 2 and r.random() < .75:
        return item[1]
    if c.script == "cyr" and len(item) == 3 and r.random() < .85:
        return item[2] if c.lang == "ru" else item[1]
    v = item[0].split()
    w = [3.0] + [1.0] * (len(v) - 1)
    return choose(r, list(zip(v, w))).replace("_", " ")


def _distort_names(fam, given, father, mother, c, soc, r, phen):
    if given and r.random() < .08 and len(given.split()) >= 2:
        t = given.split()
        del t[r.randrange(1, len(t))]
        given = " ".join(t)
        phen.append("given_token_dropped")
    if fam and given and r.random() < .05:
        fam, given = given, fam
        phen.append("swap_given_family")
    if fam and c.script == "lat" and r.random() < (.45 if soc in ("DEU", "FRA", "ITA", "ICRC", "BEL", "CHE") else .12):
        fam = fam.upper()
        phen.append("upper_family")
    typo_p = .05 if c.script == "lat" else .02
    vals = []
    for v in (fam, given, father, mother):
        if v and r.random() < typo_p:
            v = typo(v, r)
            phen.append("typo")
        vals.append(v)
    return vals


def _other_names(world, p, c, soc, r, phen):
    """A second spelling of own and father's name, as officers note one: the Latin spelling
    beside a name in script, the script beside a Latin one, or a kunya (Abu ...)."""
    if c.script != "lat" and p.kind != "slav":
        cc = Ctx()
        cc.script, cc.sys, cc.form, cc.joined, cc.spaced = "lat", "en", 1, False, False
        cc.habit = hab_habit("en", p.pop, soc, r) if p.kind == "habesha" else arab_habit("en", p.pop, r)
        phen.append("other_names_latin")
        return join_names(unit(world, p, p.sex, p.own, cc), unit(world, p, "M", p.fa, cc))
    if c.script == "lat" and p.kind in ("arab", "afghan"):
        cc = Ctx()
        cc.script, cc.form, cc.joined, cc.spaced = ("fa" if p.kind == "afghan" else "ar"), 0, False, False
        phen.append("other_names_script")
        return join_names(unit(world, p, p.sex, p.own, cc), unit(world, p, "M", p.fa, cc))
    if p.kind in ("arab", "somali") and p.sex == "M":
        phen.append("other_names_kunya")
        return "Abu " + (unit(world, p, "M", world.P[p.pop]["M"].draw(r), c) or "")
    return None


def _enquiry_fields(row, p, r):
    """Where and when the enquirer last saw the person (a route, or the front)."""
    if r.random() < .6:
        row["last_seen_place"] = r.choice(TRANSIT["war" if p.kind == "slav" else "mig"])
    if r.random() < .5:
        ls = p.ev - r.randint(0, 60)
        y = r.random()
        row["last_seen_date"] = iso(ls) if y < .6 else (iso(ls)[:7] if y < .85 else iso(ls)[:4])


def _found_fields(row, p, soc, rec_on, r, phen):
    """The found person's status, where they are, and whether they agree to be traced."""
    war = p.kind == "slav"
    age_now = (rec_on - p.birth) // 365
    if age_now < 18 and not war and r.random() < .7:
        st = "alive"
        phen.append("unaccompanied_minor")
    else:
        st = choose(r, "alive:45 detained:25 hospitalised:10 deceased:10 unknown:5" if war else
                    "alive:55 detained:15 hospitalised:10 deceased:12 unknown:5")
    row["status"] = st if r.random() > .03 else None
    if r.random() < .7:
        tmpl = r.choice(LOCATIONS[st])
        row["location"] = tmpl.format(c=SOC_CITY.get(soc, "Geneva"), n=r.randint(1, 120))
    row["consent_to_share"] = "unknown" if st == "deceased" and r.random() < .7 else \
        choose(r, "yes:82 no:7 unknown:11")


def make_record(world, p, side, soc, rec_on, r):
    """(row, phenomena): a record of p made by society soc on day rec_on, on side 'enquiry' or
    'found'; record_id is left for the caller."""
    phen = []
    c = pick_ctx(p, soc, r, phen)
    fam, given, father, mother = compose_names(world, p, c, side, r, phen)
    fam, given, father, mother = _distort_names(fam, given, father, mother, c, soc, r, phen)
    bd, age = dates(p, rec_on, soc, r, phen)
    sparse = r.random() < (.12 if side == "enquiry" else .22)
    bp = place_name(world, p, p.place, c, r) if r.random() < (.55 if side == "enquiry" else .35) else None
    if r.random() < .03:  # birthplace recorded as another town of the country
        bp = place_name(world, p, world.P[p.pop]["place"].draw(r), c, r)
        phen.append("birthplace_other")
    if sparse:  # a short form: names, sex and little else
        phen.append("sparse")
        father = mother = bp = None
        if r.random() < .4:
            bd = None
    sex = p.sex if r.random() > (.04 if side == "enquiry" else .07) else None
    if sex is None:
        phen.append("sex_missing")
    nat = p.nat if r.random() < (.8 if side == "enquiry" else .7) else None
    if nat and nat != POPS[p.pop].nationality:
        phen.append("nationality_other")
    other = _other_names(world, p, c, soc, r, phen) if r.random() < .08 else None
    row = {"record_id": None, "society": soc, "family_name": fam, "given_names": given,
           "father_name": father, "mother_name": mother, "other_names": other, "sex": sex,
           "birth_date": bd, "age": age, "recorded_on": iso(rec_on), "birth_place": bp,
           "nationality": nat, "last_seen_place": None, "last_seen_date": None, "status": None,
           "location": None, "consent_to_share": None}
    if side == "enquiry":
        _enquiry_fields(row, p, r)
    else:
        _found_fields(row, p, soc, rec_on, r, phen)
    return row, phen
