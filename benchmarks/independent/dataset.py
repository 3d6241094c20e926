"""Who is sought, who is found, who only looks alike: the whole data set, record by record.

Half of the people sought are found; around them the found side holds their relatives and
namesakes (the decoys a matcher must reject), some people registered twice, and people never
sought, in small families, up to the size asked for. Records are then made one by one and put
in a random order under sequential ids, so that neither order nor id reveals a pair.
"""

import random

from .people import TODAY, World
from .pools import choose
from .populations import POPS
from .records import make_record


def soc_for(p, side, r):
    """The society that registers p on this side."""
    pop = POPS[p.pop]
    return choose(r, pop.enquiry_societies if side == "enquiry" else pop.found_societies)


def draw(n_enq, n_found, seed, say=lambda message: None):
    """(E, Ephen, Epeople, F, Fphen, Fpeople, truth): the rows, phenomena and persons of each
    side in id order, and the true (enquiry id, found id) pairs."""
    r = random.Random(seed)
    W = World(r)
    enq_people, found_people = [], []
    # enquired persons; ~4% are a sibling of the previous enquired person
    for _ in range(n_enq):
        if enq_people and r.random() < .04:
            p = W.sibling(enq_people[-1])
        else:
            p = W.new_person(W.draw_pop())
        enq_people.append(p)
    # their found records and decoys
    decoys = []
    for p in enq_people:
        if r.random() < .5:
            found_people.append(p)
        r.random()  # drawn and not used: kept, so that every seed still gives the same data
        if r.random() < .30:
            decoys.append((W.sibling(p), "sibling", p))
        if r.random() < .10:
            decoys.append((W.cousin(p), "cousin", p))
        if r.random() < .25:
            decoys.append((W.namesake(p), "namesake", p))
        if r.random() < .05:
            d, rel = W.parent_or_child(p)
            decoys.append((d, rel, p))
    for d, rel, of in decoys:
        d.relation, d.decoy_of = rel, of.pid
        found_people.append(d)
    # registrations: ~7% of found persons twice
    regs = []
    for p in found_people:
        regs.append((p, False))
        if r.random() < .07:
            regs.append((p, True))
    # background found people (never enquired), in families of 1-3
    while len(regs) < n_found:
        pop = W.draw_pop()
        k = choose(r, "1:70 2:20 3:10")
        first = W.new_person(pop)
        members = [first] + [W.sibling(first) for _ in range(int(k) - 1)]
        for m in members:
            regs.append((m, False))
            if r.random() < .07:
                regs.append((m, True))
    # the last family may overshoot; a found side too small even for the people sought and
    # their decoys loses some of those too
    regs = regs[:n_found]
    say("people %d, enquiries %d, found registrations %d" % (len(W.people), len(enq_people), len(regs)))

    E, Ephen, Epeople = [], [], []
    for p in enq_people:
        rec_on = min(TODAY, p.ev + r.randint(0, 400))
        row, ph = make_record(W, p, "enquiry", soc_for(p, "enquiry", r), rec_on, r)
        E.append(row)
        Ephen.append(ph)
        Epeople.append(p)
    F, Fphen, Fpeople = [], [], []
    for p, dup in regs:
        rec_on = min(TODAY, max(p.ev - 30, p.ev + r.randint(-60, 700)))
        soc = soc_for(p, "found", r)
        row, ph = make_record(W, p, "found", soc, rec_on, r)
        if dup:
            ph.append("duplicate_registration")
        F.append(row)
        Fphen.append(ph)
        Fpeople.append(p)
    # ids in a shuffled order
    eo = list(range(len(E)))
    r.shuffle(eo)
    fo = list(range(len(F)))
    r.shuffle(fo)
    for k, i in enumerate(eo):
        E[i]["record_id"] = "E%07d" % (k + 1)
    for k, i in enumerate(fo):
        F[i]["record_id"] = "F%07d" % (k + 1)
    E, Ephen, Epeople = ([xs[i] for i in eo] for xs in (E, Ephen, Epeople))
    F, Fphen, Fpeople = ([xs[i] for i in fo] for xs in (F, Fphen, Fpeople))
    # every found record of a person sought pairs with that person's enquiry
    by_pid = {}
    for row, p in zip(F, Fpeople):
        by_pid.setdefault(p.pid, []).append(row["record_id"])
    truth = [(row["record_id"], fid) for row, p in zip(E, Epeople) for fid in by_pid.get(p.pid, [])]
    return E, Ephen, Epeople, F, Fphen, Fpeople, truth
