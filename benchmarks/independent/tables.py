"""The five tables of a data set, under the file names and columns the project's reader of
generated sets expects, so that `rfl bench` reads an independent set as it reads its own.

enquiries and found hold interchange records (all text); truth the true pairs; phenomena what
was done to each record; people who is behind each record (population, person, and for a decoy
its relation to the person it resembles).
"""

import polars as pl

from .records import COLUMNS

NAMES = ("enquiries", "found", "truth", "phenomena", "people")


def frames(E, Ephen, Epeople, F, Fphen, Fpeople, truth):
    """{name: DataFrame} for the five tables, from dataset.draw's lists."""
    out = {}
    sch = {c: pl.Utf8 for c in COLUMNS}
    for name, rows in (("enquiries", E), ("found", F)):
        out[name] = pl.DataFrame({c: [row[c] for row in rows] for c in COLUMNS}, schema=sch)
    out["truth"] = pl.DataFrame({"enquiry_id": [a for a, _ in truth], "found_id": [b for _, b in truth]},
                                schema={"enquiry_id": pl.Utf8, "found_id": pl.Utf8})
    rid, side, ph = [], [], []
    for s, rows, phs in (("enquiry", E, Ephen), ("found", F, Fphen)):
        for row, pp in zip(rows, phs):
            for x in pp:
                rid.append(row["record_id"])
                side.append(s)
                ph.append(x)
    out["phenomena"] = pl.DataFrame({"record_id": rid, "side": side, "phenomenon": ph},
                                    schema={"record_id": pl.Utf8, "side": pl.Utf8, "phenomenon": pl.Utf8})
    rid, side, popl, pid, rel, of = [], [], [], [], [], []
    for s, rows, ppl in (("enquiry", E, Epeople), ("found", F, Fpeople)):
        for row, p in zip(rows, ppl):
            rid.append(row["record_id"])
            side.append(s)
            popl.append(p.pop)
            pid.append("P%07d" % p.pid)
            rel.append("" if s == "enquiry" else p.relation)
            of.append("P%07d" % p.decoy_of if (s == "found" and p.decoy_of >= 0) else "")
    out["people"] = pl.DataFrame({"record_id": rid, "side": side, "population": popl, "person_id": pid,
                                  "relation": rel, "decoy_of": of})
    return out
