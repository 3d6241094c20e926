"""Birth dates as they reach tracing files: exact, partial, placeholder, guessed or wrong.

Many of the people traced have no documents, or documents with 1 January for an unknown day;
officers write a year, an estimated age or an age range; day and month get swapped, a year is
off by one; Ethiopian and Eritrean offices may give a date in the Ethiopian calendar, seven or
eight years behind. Slavic records, from a state with registers, are far more often exact.
"""

import datetime as dt

from .pools import choose


def iso(o):
    return dt.date.fromordinal(o).isoformat()


def dates(p, rec_on, soc, r, phen):
    """(birth_date, age) as written in a record of p made on day rec_on by society soc."""
    b = dt.date.fromordinal(p.birth)
    rec = dt.date.fromordinal(rec_on)
    true_age = rec.year - b.year - ((rec.month, rec.day) < (b.month, b.day))
    chain = p.kind in ("somali", "habesha", "afghan")
    slav = p.kind == "slav"
    x = r.random()
    bd = age = None
    probs = [("missing", .05), ("exact", .72 if slav else .38), ("jan1", .03 if slav else (.22 if chain else .12)),
             ("year", .04 if slav else .12), ("month", .02 if slav else .05),
             ("age", .03 if slav else .11), ("swap", .04), ("off1", .04), ("typo", .02)]
    if p.kind == "habesha" and soc in ("ETH", "ERI"):
        probs.append(("ethcal", .12))
    kind = choose(r, probs)
    if kind == "swap" and (b.day > 12 or b.day == b.month):
        kind = "exact"
    if kind == "missing":
        phen.append("date_missing")
    elif kind == "exact":
        bd = b.isoformat()
    elif kind == "jan1":
        bd = "%04d-01-01" % b.year
        phen.append("date_jan1")
    elif kind == "year":
        bd = "%04d" % (b.year + (r.choice([-1, 1]) if r.random() < .15 else 0))
        phen.append("date_partial_year")
    elif kind == "month":
        bd = "%04d-%02d" % (b.year, b.month)
        phen.append("date_partial_month")
    elif kind == "age":
        a = max(1, true_age + int(round(r.gauss(0, 1.5 if true_age > 15 else .8))))
        if r.random() < .25:
            lo = max(0, a - r.randint(1, 4))
            age = "%d-%d" % (lo, lo + 5)
            phen.append("date_age_range")
        else:
            age = str(a)
            phen.append("date_age_only")
    elif kind == "swap":
        bd = "%04d-%02d-%02d" % (b.year, b.day, b.month)
        phen.append("date_swap_dm")
    elif kind == "off1":
        y = b.year + r.choice([-1, 1])
        d = min(b.day, 28)
        bd = "%04d-%02d-%02d" % (y, b.month, d)
        phen.append("date_off_year")
    elif kind == "typo":
        d = b.day
        nd = max(1, min(28, d + r.choice([-10, 10, -1, 1, 9, -9])))
        bd = "%04d-%02d-%02d" % (b.year, b.month, nd)
        phen.append("date_typo")
    elif kind == "ethcal":
        y = b.year - (8 if b.month < 9 else 7)
        bd = "%04d-%02d-%02d" % (y, r.randint(1, 12), r.randint(1, 28)) if r.random() < .6 else "%04d" % y
        phen.append("date_ethiopian_calendar")
    if bd and age is None and r.random() < .12 and true_age >= 0:
        age = str(true_age)
    return bd, age
