"""A candidate's evidence as an officer reads it: per comparison, the enquiry's own value, the
outcome, a bar for or against, and the same in words.

R6: the other society's values are not shown before a disclosure; what the officer sees of the
candidate is the evidence alone (agree / partial / disagree / blank and its weight in bits), so
"side by side" puts the enquiry's values beside each candidate's evidence. Texts here are
msgids marked with N_ and translated in the templates.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.web.i18n import N_

STRONG = 0.5  # the linker's `match` decision: verify these first (docs/link-output.md)

COMPARISONS = {
    "first_name": N_("First name"),
    "whole_name": N_("All names together"),
    "family_name": N_("Family name"),
    "father_name": N_("Father's name"),
    "father_second_name": N_("Father's second name"),
    "mother_name": N_("Mother's name"),
    "mother_second_name": N_("Mother's second name"),
    "birth_date": N_("Birth date"),
    "last_contact": N_("Recorded after the last contact"),
    "sex": N_("Sex"),
    "nationality": N_("Nationality"),
    "birth_place": N_("Birth place"),
}
OUTCOMES = {
    "agree": N_("agrees"),
    "partial": N_("partly agrees"),
    "disagree": N_("differs"),
    "blank": N_("blank on one side"),
}
# Contradictions that do not remove a candidate: records are often wrong on these.
KEPT_DESPITE = ("sex", "nationality")


@dataclass
class FieldEvidence:
    name: str
    label: str
    enquiry_value: str | None
    outcome: str
    outcome_text: str
    weight: float
    side: str  # for | against | none (no weight either way, e.g. blank)
    width: int  # bar length in 5 % steps of the longest possible bar
    words: str


def enquiry_value(name: str, fields: dict) -> str | None:
    """What the enquiry itself says for a comparison, as its officer typed it."""
    if name == "first_name":
        given = (fields.get("given_names") or "").split()
        return given[0] if given else None
    if name == "whole_name":
        parts = [fields.get(f) for f in ("given_names", "family_name", "father_name", "other_names")]
        return " ".join(p for p in parts if p) or None
    if name in ("father_second_name", "mother_second_name"):  # as matching.compare reads them
        words = (fields.get(name.replace("_second", "")) or "").split()
        if name == "father_second_name" and not words:  # the third link of a given-name chain
            words = (fields.get("given_names") or "").split()[1:]
        return words[1] if len(words) > 1 else None
    if name == "birth_date":
        if fields.get("birth_date"):
            return fields["birth_date"]
        return f"~{fields['age']}" if fields.get("age") else None
    if name == "last_contact":  # matching.compare.AfterContact: the enquiry's side is its last contact
        return fields.get("last_seen_date")
    return fields.get(name)


def _words(weight: float, outcome: str) -> str:
    size = abs(weight)
    if outcome == "agree" and weight <= 0:
        # term frequency: agreeing on a name most records share says little, or even less than nothing
        return N_("agrees, but on a common value: it proves little")
    if weight == 0:
        return N_("no evidence either way")
    if weight > 0:
        return (N_("strong evidence for") if size >= 4 else N_("some evidence for") if size >= 1.5
                else N_("weak evidence for"))
    return (N_("strong evidence against") if size >= 4 else N_("some evidence against") if size >= 1.5
            else N_("weak evidence against"))


def fields_of(evidence: dict, fields: dict) -> list[FieldEvidence]:
    """The rows of one candidate, in the model's order of comparisons; bars share one scale
    (at least 8 bits) so lengths compare across fields and candidates."""
    scale = max([8.0, *(abs(e["weight"]) for e in evidence.values())])
    rows = []
    for name, item in evidence.items():
        weight, outcome = float(item["weight"]), item["outcome"]
        side = "for" if weight > 0 else "against" if weight < 0 else "none"
        width = 0 if side == "none" else max(1, round(abs(weight) / scale * 20)) * 5
        rows.append(FieldEvidence(name, COMPARISONS.get(name, name), enquiry_value(name, fields), outcome,
                                  OUTCOMES.get(outcome, outcome), weight, side, width, _words(weight, outcome)))
    return rows


def band(probability: float) -> str:
    return N_("strong — verify first") if probability >= STRONG else N_("possible")


def contradictions(evidence: dict) -> list[str]:
    """The comparisons among sex and nationality on which the candidate disagrees."""
    return [COMPARISONS[n] for n in KEPT_DESPITE if evidence.get(n, {}).get("outcome") == "disagree"]
