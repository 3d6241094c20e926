"""Which name goes into which field: the name chain and the family name.

Interchange records have family, given, father's and mother's name fields, but many of the
people traced do not carry a family name: Somali, Eritrean and Ethiopian names, and many Arabic
and Afghan ones, are a chain of own, father's and grandfather's names. Officers fit the chain to
the form as they can: the father's name as family name, the grandfather's, the whole chain in
one field, the father's and grandfather's names together as the father's name. East Slavic
records move the patronymic about instead. The two records of one person rarely make the same
choice; the choice made is named in phen.
"""

from .habits import join_names, slav_patr, unit


def compose_names(world, p, c, side, r, phen):
    """(family, given, father, mother) of p as written in context c by an office on `side`
    (an enquirer knows the mother's name more often than a finding office does)."""
    own = unit(world, p, p.sex, p.own, c)
    fam = given = father = mother = None
    if p.kind == "slav":
        fam = unit(world, p, "fam", p.fam, c, p.sex)
        given = own
        x = r.random()
        patr = slav_patr(world, p, c)
        if x < .1:
            given = join_names(own, patr)
            phen.append("patronymic_in_given")
        x = r.random()
        if x < .4:
            father = patr
        elif x < .65:
            father = unit(world, p, "M", p.fa, c)
        elif x < .72:
            father = join_names(unit(world, p, "M", p.fa, c), unit(world, p, "fam", p.fam, c, "M"))
        if r.random() < (.35 if side == "enquiry" else .15):
            mo = unit(world, p, "F", p.mo, c)
            y = r.random()
            if y < .5:
                mother = mo
            else:
                ms = unit(world, p, "fam", p.fam if y < .85 else p.mofam, c, "F")
                mother = join_names(ms, mo) if r.random() < .5 else join_names(mo, ms)
        return fam, given, father, mother
    fa = unit(world, p, "M", p.fa, c)
    gf = unit(world, p, "M", p.gf, c)
    fm = unit(world, p, "fam", p.fam, c) if p.fam >= 0 else None
    x = r.random()
    if fm and (r.random() < .85):
        if x < .36:
            fam, given, father = fm, own, fa
        elif x < .48:
            fam, given, father = fm, own, join_names(fa, gf)
            phen.append("chain_in_father")
        elif x < .62:
            fam, given, father = fm, join_names(own, fa), (fa if r.random() < .3 else None)
            phen.append("chain_in_given")
        elif x < .7:
            fam, given = fm, join_names(own, fa, gf)
            phen.append("chain_in_given")
        elif x < .76:
            given = join_names(own, fa, gf, fm)
            phen.append("full_name_one_field")
        elif x < .82:
            fam, given, father = gf, own, fa
            phen.append("family_is_grandfather")
        else:
            fam, given = fm, own
    else:
        single = p.kind == "afghan" and r.random() < .3
        if single:
            given, father = own, (fa if r.random() < .7 else None)
            phen.append("single_name")
        elif x < .22:
            fam, given, father = fa, own, (fa if r.random() < .6 else None)
            phen.append("family_is_father")
        elif x < .47:
            fam, given, father = gf, own, (fa if r.random() < .6 else join_names(fa, gf))
            phen.append("family_is_grandfather")
        elif x < .67:
            fam, given, father = gf, join_names(own, fa), (fa if r.random() < .25 else None)
            phen.append("chain_in_given")
        elif x < .79:
            given = join_names(own, fa, gf)
            phen.append("full_name_one_field")
        elif x < .88:
            given, father = own, join_names(fa, gf)
            phen.append("chain_in_father")
        elif x < .95:
            fam, given, father = fa, own, join_names(fa, gf)
            phen.append("family_is_father")
        else:
            fam, given = gf, own
            phen.append("family_is_grandfather")
    if r.random() < (.35 if side == "enquiry" else .15):
        mo = unit(world, p, "F", p.mo, c)
        if p.kind == "arab" and p.mofam >= 0 and r.random() < .3:
            mother = join_names(mo, unit(world, p, "fam", p.mofam, c))
        elif r.random() < .35:
            mother = join_names(mo, unit(world, p, "M", p.mofa, c))
        else:
            mother = mo
    return fam, given, father, mother
