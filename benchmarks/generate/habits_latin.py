"""How officers of different societies write a name heard in Arabic, Dari, Pashto or Somali.

A name unit arrives in the phonemic spelling of `lexicon_arabic.py` (or as a plain Latin
spelling, for Ethiopian names and rare family names). Each habit is a table from a sound to the
letters its writers use for it, with weights: an English officer writes ق as q most of the time
and as k or g sometimes; a French one writes ش as ch and و as ou; a German one writes خ as ch
and ج as dsch; a Turkish one writes ج as c and a final d as t. Short vowels, which Arabic script
does not write, drift (a/e, i/e, u/o) at rates that differ by habit. The scholarly habit keeps
ALA-LC diacritics and never drifts; the Somali habit writes ḥ as x and ʿayn as c.

Rendering is deterministic for a given (text, habit, variant number), so a data set can cache
a few variants per unit and pick among them with its own seeded generator.
"""

from __future__ import annotations

import random
import re

HABITS = ("english", "french", "german", "polish", "turkish", "passport", "scholarly", "somali")

Options = tuple[tuple[str, float], ...]

_VOWELS = "aeiouāīūēō"

# What an English-speaking officer writes; the other habits override parts of it.
_ENGLISH: dict[str, Options] = {
    "ḥ": (("h", 1),), "ṣ": (("s", 1),), "ḍ": (("d", 1),), "ṭ": (("t", 1),),
    "ẓ": (("z", 0.8), ("dh", 0.2)), "ʿ": (("", 0.9), ("'", 0.1)), "ʾ": (("", 1),),
    "ā": (("a", 0.95), ("aa", 0.05)), "ī": (("i", 0.85), ("ee", 0.1), ("ie", 0.05)),
    "ū": (("u", 0.75), ("oo", 0.15), ("ou", 0.1)), "ē": (("e", 1),), "ō": (("o", 1),),
    "kh": (("kh", 0.9), ("k", 0.05), ("h", 0.05)), "sh": (("sh", 1),),
    "th": (("th", 0.7), ("t", 0.2), ("s", 0.1)), "dh": (("dh", 0.6), ("z", 0.2), ("d", 0.2)),
    "gh": (("gh", 0.9), ("g", 0.1)), "ch": (("ch", 1),), "zh": (("zh", 1),), "ts": (("ts", 1),),
    "j": (("j", 0.9), ("g", 0.1)), "q": (("q", 0.6), ("k", 0.3), ("g", 0.1)),
    "w": (("w", 1),), "y": (("y", 1),), "x": (("x", 1),),
    "a": (("a", 0.88), ("e", 0.12)), "i": (("i", 0.75), ("e", 0.25)), "u": (("u", 0.6), ("o", 0.4)),
    "e": (("e", 0.8), ("a", 0.2)), "o": (("o", 0.7), ("u", 0.3)),
    "ay": (("ay", 0.4), ("ai", 0.3), ("ei", 0.2), ("ey", 0.1)), "aw": (("aw", 0.7), ("ou", 0.3)),
    "ou": (("ou", 0.7), ("u", 0.3)),  # in plain Latin spellings of rare names (Khaddour)
    "ī$": (("i", 0.85), ("y", 0.15)), "double": (("double", 0.75), ("single", 0.25)),
}

_OVERRIDES: dict[str, dict[str, Options]] = {
    "english": {},
    "passport": {
        "ou": (("ou", 0.8), ("u", 0.2)), "ʿ": (("", 1),), "ī": (("i", 1),),
        "ū": (("u", 0.85), ("ou", 0.15)), "ā": (("a", 1),),
        "q": (("q", 0.7), ("k", 0.3)), "a": (("a", 0.8), ("e", 0.2)), "u": (("o", 0.6), ("u", 0.4)),
        "ī$": (("i", 1),), "double": (("double", 0.7), ("single", 0.3)),
    },
    "french": {
        "kh": (("kh", 0.8), ("h", 0.2)), "sh": (("ch", 1),), "ch": (("tch", 1),), "zh": (("j", 1),),
        "j": (("dj", 0.6), ("j", 0.4)), "q": (("k", 0.6), ("q", 0.3), ("g", 0.1)),
        "w": (("ou", 0.7), ("w", 0.3)), "u": (("ou", 0.5), ("o", 0.4), ("u", 0.1)),
        "ū": (("ou", 0.9), ("u", 0.1)), "ī": (("i", 1),), "ʿ": (("", 1),), "ou": (("ou", 1),),
        "th": (("t", 0.6), ("th", 0.4)), "dh": (("d", 0.7), ("dh", 0.3)), "gh": (("gh", 0.7), ("r", 0.3)),
        "ay": (("aï", 0.3), ("ai", 0.3), ("ei", 0.3), ("ay", 0.1)), "aw": (("aou", 0.6), ("ao", 0.4)),
        "ān$": (("ane", 0.6), ("an", 0.4)), "īn$": (("ine", 0.6), ("in", 0.4)),
        "īm$": (("ime", 0.4), ("im", 0.6)), "ī$": (("i", 1),),
    },
    "german": {
        "kh": (("ch", 0.7), ("kh", 0.3)), "sh": (("sch", 1),), "ch": (("tsch", 1),), "zh": (("sch", 1),),
        "j": (("dsch", 0.5), ("dj", 0.2), ("j", 0.3)), "y": (("j", 0.7), ("y", 0.3)),
        "q": (("k", 0.7), ("q", 0.3)), "z": (("s", 0.4), ("z", 0.6)), "ts": (("z", 1),),
        "ī": (("i", 0.8), ("ie", 0.2)), "ū": (("u", 1),), "ʿ": (("", 1),), "ou": (("u", 1),),
        "th": (("t", 0.6), ("th", 0.4)), "dh": (("d", 0.6), ("dh", 0.4)),
        "ay": (("ai", 0.5), ("ei", 0.5)), "aw": (("au", 1),), "u": (("u", 0.8), ("o", 0.2)),
        "ī$": (("i", 1),), "double": (("double", 0.85), ("single", 0.15)),
    },
    "polish": {
        "kh": (("ch", 0.8), ("h", 0.2)), "sh": (("sz", 1),), "ch": (("cz", 1),), "zh": (("ż", 1),),
        "j": (("dż", 0.6), ("dj", 0.4)), "y": (("j", 1),), "ts": (("c", 1),),
        "q": (("k", 1),), "w": (("w", 1),), "ʿ": (("", 1),), "ī": (("i", 1),), "ū": (("u", 1),), "ou": (("u", 1),),
        "th": (("t", 0.7), ("s", 0.3)), "dh": (("d", 0.7), ("z", 0.3)), "gh": (("g", 0.6), ("gh", 0.4)),
        "ay": (("aj", 1),), "aw": (("au", 1),), "ī$": (("i", 0.8), ("y", 0.2)),
    },
    "turkish": {
        "kh": (("h", 1),), "sh": (("ş", 1),), "ch": (("ç", 1),), "zh": (("j", 1),), "j": (("c", 1),),
        "q": (("k", 1),), "gh": (("ğ", 0.5), ("g", 0.5)), "th": (("s", 1),), "dh": (("z", 1),),
        "ḍ": (("d", 0.7), ("z", 0.3)), "w": (("v", 1),), "ʿ": (("", 1),), "ī": (("i", 1),),
        "ū": (("u", 0.8), ("ü", 0.2)), "u": (("u", 0.5), ("ü", 0.2), ("o", 0.2), ("ö", 0.1)), "ou": (("u", 1),),
        "a": (("a", 0.8), ("e", 0.2)), "i": (("i", 0.6), ("e", 0.3), ("ı", 0.1)),
        "ay": (("ey", 0.7), ("ay", 0.3)), "aw": (("ev", 1),), "ts": (("ts", 1),), "x": (("h", 1),),
        "d$": (("t", 0.6), ("d", 0.4)), "b$": (("p", 0.5), ("b", 0.5)), "ī$": (("i", 1),),
        "double": (("double", 0.7), ("single", 0.3)),
    },
    "scholarly": {
        "ḥ": (("ḥ", 1),), "ṣ": (("ṣ", 1),), "ḍ": (("ḍ", 1),), "ṭ": (("ṭ", 1),), "ẓ": (("ẓ", 1),),
        "ʿ": (("ʿ", 1),), "ʾ": (("ʾ", 1),), "ā": (("ā", 1),), "ī": (("ī", 1),), "ū": (("ū", 1),),
        "ē": (("ē", 1),), "ō": (("ō", 1),), "kh": (("kh", 1),), "th": (("th", 1),), "dh": (("dh", 1),),
        "gh": (("gh", 1),), "j": (("j", 1),), "q": (("q", 1),), "a": (("a", 1),), "i": (("i", 1),),
        "u": (("u", 1),), "e": (("e", 1),), "o": (("o", 1),), "ay": (("ay", 1),), "aw": (("aw", 1),),
        "ī$": (("ī", 1),), "double": (("double", 1),), "ou": (("ou", 1),),
    },
    "somali": {
        "ḥ": (("x", 1),), "ʿ": (("c", 1),), "ʾ": (("", 1),), "ā": (("aa", 1),), "ī": (("ii", 1),),
        "ū": (("uu", 1),), "ē": (("ee", 1),), "ō": (("oo", 1),), "ḍ": (("dh", 1),), "ẓ": (("dh", 1),),
        "th": (("t", 1),), "dh": (("dh", 1),), "gh": (("g", 1),), "q": (("q", 1),), "j": (("j", 1),),
        "kh": (("kh", 1),), "a": (("a", 1),), "i": (("i", 1),), "u": (("u", 1),), "e": (("e", 1),),
        "o": (("o", 1),), "ay": (("ay", 1),), "aw": (("aw", 1),), "ī$": (("i", 1),),
        "double": (("double", 1),), "ou": (("uu", 1),),
    },
}

TABLES: dict[str, dict[str, Options]] = {h: {**_ENGLISH, **_OVERRIDES[h]} for h in HABITS}

# Units in the order the scanner must try them: positional endings, diphthongs, geminates,
# digraphs, then any single character.
_UNIT = re.compile(
    rf"(?:ān|īn|īm|ī|d|b)$|a[yw](?![{_VOWELS}yw])|([^\W\d_])\1|kh|sh|th|dh|gh|ch|zh|ts|ou|.",
)


def pick(options: Options, rng: random.Random) -> str:
    if len(options) == 1:
        return options[0][0]
    total = sum(w for _, w in options)
    x = rng.random() * total
    for text, weight in options:
        x -= weight
        if x < 0:
            return text
    return options[-1][0]


def _unit(text: str, table: dict[str, Options], rng: random.Random) -> str:
    options = table.get(text)
    return text if options is None else pick(options, rng)


# Spellings a habit has settled on for particular names, beyond what its letter rules give
# (Mehmet, Hüseyin, Ömer in Turkish; Mouhamed in French).
CONVENTIONS: dict[str, dict[str, Options]] = {
    "turkish": {"muḥammad": (("Mehmet", 0.4), ("Muhammet", 0.4), ("Muhammed", 0.2)),
                "ḥusayn": (("Hüseyin", 0.8), ("Hüseyn", 0.2)), "ʿumar": (("Ömer", 0.9), ("Omer", 0.1)),
                "ʿuthmān": (("Osman", 1),), "ḥasan": (("Hasan", 1),), "aḥmad": (("Ahmet", 0.8), ("Ahmed", 0.2)),
                "maḥmūd": (("Mahmut", 0.7), ("Mahmud", 0.3)), "yūsuf": (("Yusuf", 1),)},
    "french": {"muḥammad": (("Mohamed", 0.5), ("Mouhamed", 0.2), ("Mohammed", 0.2), ("Mouhammad", 0.1)),
               "ḥusayn": (("Houcine", 0.3), ("Hocine", 0.3), ("Hussein", 0.4)),
               "yūsuf": (("Youssef", 0.5), ("Youcef", 0.3), ("Youssouf", 0.2)),
               "qāsim": (("Kacem", 0.5), ("Kassem", 0.5))},
    "english": {"muḥammad": (("Mohammed", 0.35), ("Muhammad", 0.3), ("Mohamed", 0.2), ("Mohammad", 0.15)),
                "yūsuf": (("Yousef", 0.3), ("Yusuf", 0.4), ("Youssef", 0.3))},
    "german": {"yūsuf": (("Jusuf", 0.6), ("Yusuf", 0.4))},
}


def render_word(word: str, habit: str, rng: random.Random, final: bool = True) -> str:
    """One phonemic word (no spaces, no compound marks) in lower case as `habit` writes it.

    `final` is false for the head of a compound, whose last letter is not a word end.
    """
    table = TABLES[habit]
    out = []
    for m in _UNIT.finditer(word):
        unit = m.group(0)
        if m.end() == len(word) and unit in ("ān", "īn", "īm", "ī", "d", "b") and len(word) > 1:
            key = unit + "$"
            if key in table and final:
                out.append(pick(table[key], rng))
            else:
                out.extend(_unit(ch, table, rng) for ch in unit)
        elif m.group(1):  # a doubled consonant (shadda)
            single = _unit(m.group(1), table, rng)
            twice = len(single) == 1 and pick(table["double"], rng) == "double"
            out.append(single * 2 if twice else single)
        elif unit == "ʿ" and m.start() == 0 and habit not in ("scholarly", "somali"):
            out.append("")
        elif unit == "a" and m.start() <= 1 and word[:m.start()] in ("", "ʿ", "ʾ"):
            out.append("a")  # a first vowel holds: Ahmad and Ali, not Ehmad and Eli
        else:
            out.append(_unit(unit, table, rng))
    return "".join(out)


def _render_simple(word: str, habit: str, rng: random.Random) -> str:
    convention = CONVENTIONS.get(habit, {}).get(word)
    if convention is not None and rng.random() < 0.8:
        return pick(convention, rng)
    return capitalise(render_word(word, habit, rng))


def capitalise(text: str) -> str:
    """Upper-case the first cased letter (ʿAlī, not ʿalī), leave the rest as it is."""
    for i, ch in enumerate(text):
        if ch.upper() != ch.lower():
            return text[:i] + ch.upper() + text[i + 1:]
    return text


# How each habit writes the article of al-Shammari and the joint of ʿAbd al-Raḥmān.
_ARTICLE: dict[str, Options] = {
    "english": (("al", 0.6), ("el", 0.3), ("ul", 0.1)), "passport": (("al", 0.6), ("el", 0.4)),
    "french": (("el", 0.7), ("al", 0.3)), "german": (("al", 0.6), ("el", 0.4)),
    "polish": (("al", 0.7), ("el", 0.3)), "turkish": (("el", 0.7), ("al", 0.3)),
    "scholarly": (("al", 1),), "somali": (("al", 0.5), ("", 0.5)),
}
_ABD_JOINT: dict[str, Options] = {
    "english": (("al", 0.3), ("ul", 0.4), ("el", 0.2), ("u=", 0.1)),
    "passport": (("ul", 0.4), ("el", 0.3), ("al", 0.3)),
    "french": (("el", 0.5), ("al", 0.1), ("e=", 0.4)),
    "german": (("ul", 0.4), ("al", 0.3), ("el", 0.3)),
    "polish": (("ul", 0.5), ("al", 0.5)),
    "turkish": (("ül", 0.3), ("ul", 0.3), ("u=", 0.4)),
    "scholarly": (("al", 1),), "somali": (("i", 1),),
}
_ALLAH: dict[str, Options] = {
    "english": (("ullah", 0.6), ("allah", 0.3), ("ulla", 0.1)), "passport": (("ullah", 0.6), ("allah", 0.4)),
    "french": (("allah", 0.5), ("ellah", 0.3), ("oulaye", 0.2)), "german": (("ullah", 0.6), ("allah", 0.4)),
    "polish": (("ullah", 0.6), ("allah", 0.4)), "turkish": (("ullah", 1),),
    "scholarly": (("allāh", 1),), "somali": (("ullaahi", 0.6), ("illaahi", 0.4)),
}
_ULLAH: dict[str, Options] = {
    "english": (("ullah", 0.7), ("ulla", 0.1), ("ollah", 0.2)), "passport": (("ullah", 0.8), ("ollah", 0.2)),
    "french": (("oullah", 0.4), ("ullah", 0.4), ("ollah", 0.2)), "german": (("ullah", 0.8), ("ulla", 0.2)),
    "polish": (("ullah", 0.9), ("ulla", 0.1)), "turkish": (("ullah", 1),),
    "scholarly": (("ullāh", 1),), "somali": (("ullaahi", 1),),
}
_SUN = ("t", "th", "d", "dh", "r", "z", "s", "sh", "ṣ", "ḍ", "ṭ", "ẓ", "l", "n")


def _with_article(word: str, habit: str, rng: random.Random, drop: bool) -> str:
    stem = capitalise(render_word(word[3:], habit, rng))
    if drop:
        return stem
    article = pick(_ARTICLE[habit], rng)
    if not article:
        return stem
    joint = "-" if habit == "scholarly" else pick((("-", 0.5), (" ", 0.35), ("", 0.15)), rng)
    if joint == "":
        return capitalise(article) + stem.lower()
    return (article if rng.random() < 0.5 or habit == "scholarly" else capitalise(article)) + joint + stem


def render_name(text: str, habit: str, rng: random.Random, style: str = "split",
                drop_article: bool = False) -> str:
    """A whole name unit, capitalised: articles, compounds and their joints included.

    `style` says how the halves of a compound are put together: 'joined', 'split' (a space)
    or 'hyphen'.
    """
    words = text.split(" ")
    return " ".join(_render_unit(w, habit, rng, style, drop_article) for w in words)


def _render_unit(text: str, habit: str, rng: random.Random, style: str, drop_article: bool) -> str:
    if "+" not in text:
        if text.startswith("al-"):
            return _with_article(text, habit, rng, drop_article)
        return _render_simple(text, habit, rng)
    head, tail = text.split("+", 1)
    first = capitalise(render_word(head, habit, rng, final=False))
    if head in ("ʿabd", "ʿabdi") and tail.startswith("al-"):
        return _abd_compound(first, tail[3:], habit, rng, style)
    if tail in ("allāh", "ullāh"):
        ending = pick((_ALLAH if tail == "allāh" else _ULLAH)[habit], rng)
        if style == "joined":
            return first + ending
        second = "a" + ending[1:] if tail == "allāh" else ending  # Abd Allah, Rahmat Ullah
        return first + ("-" if style == "hyphen" else " ") + capitalise(second)
    if tail.startswith("al-"):
        second = _with_article(tail, habit, rng, drop_article)
    else:
        second = capitalise(render_word(tail, habit, rng))
    if style == "joined":
        return first + second.lower()
    return first + ("-" if style == "hyphen" else " ") + second


def _abd_compound(first: str, stem: str, habit: str, rng: random.Random, style: str) -> str:
    joint = pick(_ABD_JOINT[habit], rng)
    sun = next((s for s in sorted(_SUN, key=len, reverse=True) if stem.startswith(s)), None)
    if joint.endswith("=") and sun is None:
        joint = "ul" if joint == "u=" else "el"
    rest = render_word(stem, habit, rng)
    if joint.endswith("="):
        letter = render_word(sun, habit, rng)
        joint = joint[0] + letter
    if habit == "scholarly":
        return f"{first} {joint}-{capitalise(rest)}"
    if style == "joined":
        return first + joint + rest.lower()
    if joint == "al":
        return f"{first} al{rng.choice(('-', ' '))}{capitalise(rest)}"
    return first + joint + ("-" if style == "hyphen" else " ") + capitalise(rest)
