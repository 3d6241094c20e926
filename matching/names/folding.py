"""Phonetic folding of romanised name tokens: blocking keys and folded spellings.

A romanised token is cut into sound units (``sch``, ``kh``, ``ou``, single
letters) and each unit is mapped to a class that merges the ways transliteration
habits write one sound:

====  =====================================================================
J     hushing sounds: sh sch sz ş ch tch tsch cz zh ž dj dzh dsch j, shh (Russian щ in GOST 7.79)
S     hissing sounds: s z ss ts tc tz, c before e/i/y (French Kacem, Youcef)
K     k q g gh ck, c elsewhere (Persian qaf = gh, Gulf qaf = g, Cyrillic г = g); gu before e/i (French Evguéni)
H     h kh (Russian х is kh; German ch and Somali x come in by convention)
KS    x (Alexander, Maxim)
V     v w, word-initial ou before a vowel (French Oualid); -off/-eff end as -ov
F     f ph
T/D   t d, th/dh (English ث ذ); a final d is devoiced to t (Turkish Ahmet), a final b to p (Zeynep)
====  =====================================================================

Vowels fold to two classes (a/e/i/y and o/u; a word-initial i stays apart) in
the *folded spelling* used for similarity, a glide i/y opening a vowel run is
dropped (Siergiej, Mariam), and vowels vanish in the *skeleton key* used for
blocking, except that an initial vowel leaves a marker (Ahmed ≠ Hamid,
Omar ~ Umar).

Some letters mean different sounds by convention, and no single mapping serves
all: German and Polish ch is kh and j is y (Chalid, Julija), Ukrainian h is
Russian g and the German and Polish Ukrainian tables write й as j (Hryhorij / Grigoriy),
scholarly Russian writes х as x, й as j and ц as c (Mixajlov / Mikhaylov), a j after a
vowel is often й beside an English ch (Chalij / Tchalyy), Egyptian g and Turkish c are Arabic j (Gamal,
Cemal), Somali c is ʿayn and x is ḥ (Cabdi, Maxamed) and a final o the feminine a (Nimco), French ou before a vowel
may be w (Faouaz) or u (Souad) and aw before a consonant may be a diphthong
(Tawfiq / Toufic), a joined article comes and goes (Albaghdadi, Essalhi), kh may be written k (Moctar),
th/dh are s/z in Persian and Turkish (Osman), an initial e may stand for i
(Emad, Efrah), a final h after a vowel may be silent (Fatimah), and so may the h before
-ullah (Zabiullah), Spanish j is kh or h (Jalid,
Jusein), Italian ch before e or i is k and u before a vowel w (Eritrean Chidane, Uoldemicael,
Teuolde), and so is the ch of Michael (Mikael, Gebremichael). French ch before e or i stays sh
as well (Chérif), and Dutch writes ш, ж and ч as sj, zj and tsj or tj (Sjevtsjenko, Zjoekov,
Basjir), and an opening ts before a consonant may be Arabic script's t and s read without
their vowel (تسفي, Tesfay), each reading a hypothesis of its own. Each such
*convention* is applied as a separate hypothesis and yields an extra variant, so
that two spellings written under different conventions meet in at least one.
"""

from __future__ import annotations

import re
from functools import lru_cache

_UNITS = re.compile(
    r"schtsch|shch|szcz|chtch|tsch|dsch|sch|tch|dzh|dj|zh|shh|sh|sz|cz|ch|kh|gh|th|dh|ph|ck"
    r"|ts|tc|tz|ou|oo|ee|[a-z]"
)
_VOWELS = set("aeiouy")
_BASE = {
    **{u: "J" for u in ("schtsch", "shch", "szcz", "chtch", "tsch", "dsch", "sch", "tch",
                         "dzh", "dj", "zh", "shh", "sh", "sz", "cz", "ch", "j")},
    **{u: "S" for u in ("s", "z", "ts", "tc", "tz")},
    **{u: "K" for u in ("k", "q", "g", "gh", "ck")},
    **{u: "H" for u in ("h", "kh")},
    **{u: "V" for u in ("v", "w")},
    **{u: "F" for u in ("f", "ph")},
    "th": "T", "dh": "D", "x": "KS",
    **{c: c.upper() for c in "bdlmnprt"},
}
_VOWEL_CLASS = {"a": "a", "e": "a", "i": "i", "y": "i", "ee": "i", "o": "u", "u": "u",
                "ou": "u", "oo": "u"}

# Arabic h closing the first part of an -ullah compound, which many spellings leave out
# (Zabihullah / Zabiullah, Ruhollah / Ruollah)
_H_BEFORE_ALLAH = re.compile(r"(?<=[aeiou])h(?=[aou]ll?ah?$)")

# An opening ts before a consonant: no Latin spelling writes a vowel-less t and s, but Arabic
# script read letter by letter does (تسفي, Tesfay), where ts is two letters, not one sound.
SPLIT_TS = re.compile(r"^ts(?![aeiouych])")  # not German tsch nor tsh

# Conventions: (name, trigger regex on the token, unit -> class overrides).
CONVENTIONS: tuple[tuple[str, re.Pattern, dict[str, str]], ...] = (
    ("joined_article", re.compile(r"^(?:[ae]l[b-df-hj-np-tv-z][a-z]{2}|[aeu]l[aeiou][a-z]{3}|e([stdznr])\1[a-z]{2})"),
     {"article": ""}),
    # first among the rest: few tables but the Dutch write sj, zj or tj, so where they stand it is
    # the likeliest reading, and a token has keys for only MAX_KEYS - 1 readings
    ("dutch", re.compile(r"[szt]j"), {"dutch_j": ""}),
    ("kh_as_k", re.compile(r"kh"), {"kh": "K"}),
    ("central_european", re.compile(r"(?<![st])ch|(?<!d)j|dj|c"),
     {"ch": "H", "j": "y", "dj": "D", "c": "S"}),
    ("ukrainian_h", re.compile(r"(?<![ksczdtgp])h"), {"h": "K", "j": "y"}),
    ("egyptian_turkish_j", re.compile(r"g|c"), {"g": "J", "c": "J"}),
    ("somali_kurdish", re.compile(r"x|c(?![hkz])"), {"c": "", "x": "H"}),
    # Somali writes the feminine -a of Arabic names as -o (Nimco, Xaliimo, Sacdiyo: Nima, Halima,
    # Saadia), so a token spelt the Somali way (c or x, a long vowel doubled) may end in -a read so.
    # Only there: Mario and Maria, Petro and Petra are two names.
    ("somali_feminine", re.compile(r"^(?=.*(?:x|c(?![hkz])|aa|ii|uu)).*[b-df-hj-np-tv-z]o$"),
     {"c": "", "x": "H", "final_o": "a"}),
    ("slavic_scholarly", re.compile(r"x"), {"x": "H", "j": "y", "c": "S"}),
    ("slavic_j", re.compile(r"[aeiouy]j"), {"j": "y"}),
    ("french_ou", re.compile(r".ou[aeiy]"), {"ou_w": "V"}),
    ("w_diphthong", re.compile(r"[aeiou][wv][b-df-hj-np-tv-z]"), {"w_vowel": "u"}),
    ("interdental", re.compile(r"th|dh"), {"th": "S", "dh": "S"}),
    ("initial_e_for_i", re.compile(r"^e[b-df-hj-np-tv-z]"), {"initial_e": "i"}),
    ("silent_final_h", re.compile(r"[aeiou]h$"), {"final_h": ""}),
    ("h_before_allah", _H_BEFORE_ALLAH, {"h_allah": ""}),
    ("spanish_j", re.compile(r"j"), {"j": "H"}),
    ("italian", re.compile(r"chae|^u[aeo]|[aeio]u[aeo]"), {"ch": "K", "u_w": "V"}),
    # Arabic script read letter by letter writes ت س as ts: Tesfay written تسفي is tsfi
    ("split_ts", SPLIT_TS, {"ts": "TS"}),
)
MAX_KEYS = 4      # blocking keys per token: the primary and up to three conventions
MAX_FOLDS = 6      # folded spellings per token, for similarity


def _classes(token: str, overrides: dict[str, str]) -> list[str]:
    """Sound classes of a token: consonant class letters, vowel classes lowercase."""
    if "article" in overrides:  # Albaghdadi = al-Baghdadi
        token = token[2:]
    if "h_allah" in overrides:
        token = _H_BEFORE_ALLAH.sub("", token)
    if token.endswith(("off", "eff")):  # French and German Ivanoff = Ivanov
        token = token[:-2] + "v"
    units = _UNITS.findall(token)
    out: list[str] = []
    last = len(units) - 1
    for i, unit in enumerate(units):
        nxt = units[i + 1] if i < last else ""
        if i == 0 and unit == "e" and "initial_e" in overrides:
            cls = "i"
        elif unit == "j" and "dutch_j" in overrides and i > 0 and units[i - 1] in ("s", "z", "ts", "t"):
            out[-1], cls = "J", ""  # Dutch sj, zj, tsj, tj: one hushing sound (Sjevtsjenko, Sjevtjenko)
        elif unit in overrides:
            cls = overrides[unit]
            if cls == "y":
                cls = "y" if i == 0 and nxt[:1] in _VOWELS else "i"
        elif unit == "c":
            cls = "S" if nxt[:1] in ("e", "i", "y") else "K"
        elif unit == "u" and i > 0 and units[i - 1] == "g" and nxt[:1] in ("e", "i", "y"):
            cls = ""  # French and Spanish gu before e or i is a hard g: Evguéni, Sergueï, Guebre
        elif unit == "u" and "u_w" in overrides and nxt[:1] in _VOWELS and (i == 0 or out[-1] in ("a", "i", "u")):
            cls = "V"  # Italian u for w: Uoldemariam, Teuolde
        elif unit == "ou" and nxt[:1] in _VOWELS and (i == 0 or "ou_w" in overrides):
            cls = "V"  # French ou for w: Oualid, Ouassim; Faouaz, Chinouari
        elif (unit in ("w", "v") and "w_vowel" in overrides and out and out[-1] in ("a", "i", "u")
              and nxt and nxt[:1] not in _VOWELS):
            cls = "u"  # aw, ow before a consonant: Tawfiq = Toufic, Mawlood = Mouloud
        elif unit in ("y", "i") and (i == 0 and nxt[:1] in _VOWELS):
            cls = "y"
        elif unit in _VOWEL_CLASS:
            cls = _VOWEL_CLASS[unit]
        else:
            cls = _BASE.get(unit, "")
        if i == last:
            if unit == "h" and "final_h" in overrides and out and out[-1] in "aiu":
                cls = ""
            elif unit == "o" and "final_o" in overrides:
                cls = "a"
            elif cls == "D":
                cls = "T"
            elif cls == "B":
                cls = "P"
        out.append(cls)
    return out


def _skeleton(classes: list[str]) -> str:
    """Consonant classes with runs collapsed; a leading vowel leaves the marker A."""
    out = []
    for cls in classes:
        if not cls:
            continue
        if cls in ("a", "i", "u", "y"):
            if not out:
                out.append("A")
            continue
        for ch in cls:
            if not out or out[-1] != ch:
                out.append(ch)
    return "".join(out)


def _reduce_run(run: str) -> str:
    """One vowel class for a run of vowels.

    A run that opens with i/y before another vowel opens with a glide after a
    palatal consonant (Polish Siergiej, Mariam, Ziad, Yuliia): the glide goes.
    Then rounded vowels (o, u, ou) stay apart from the rest: Arabic short a and i
    both drift to e by habit (Adel / Adil, Khaled / Khalid, Gebre / Gabre), so
    a, e and i are one class (but for a word-initial i); Omar / Umar and
    Hussein / Hossein still agree, Omar / Amr and Hassan / Hussein do not.
    """
    if len(run) > 1 and run[0] == "i":
        run = run.lstrip("i") or "i"
    return "u" if "u" in run else "a"


def _folded(classes: list[str], token: str) -> str:
    """Folded spelling with vowel runs reduced to one class. A silent letter (Somali c for ʿayn, a
    final h) is no break in a run: Saciid is Said and Ismaaciil Ismail, as Arabic romanised
    without the ʿayn writes them."""
    out: list[str] = []
    run = ""
    for cls in classes + ["."]:
        if not cls:
            continue
        if cls in ("a", "i", "u"):
            run += cls
            continue
        if run:
            # a word-initial i keeps its class: Illia / Alla, Islam / Aslam, Irina / Arina
            out.append("i" if not out and run in ("i", "ii") else _reduce_run(run))
            run = ""
        if cls == ".":
            break
        for ch in cls.lower():
            if not out or out[-1] != ch:
                out.append(ch)
    # a final e after a consonant is mute in French spellings (Abderrahmane, Houcine)
    if len(out) > 3 and token.endswith("e") and not token.endswith(("ee", "ie", "ye")):
        if out[-1] == "a" and out[-2] not in "aiu":
            out.pop()
    return "".join(out)


@lru_cache(maxsize=500_000)
def fold(token: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(skeleton keys, folded spellings) of one token, primary convention first."""
    hypotheses = [{}] + [over for _, trig, over in CONVENTIONS if trig.search(token)]
    keys: list[str] = []
    folds: list[str] = []
    for over in hypotheses:
        classes = _classes(token, over)
        key, spelling = _skeleton(classes), _folded(classes, token)
        if key and key not in keys and len(keys) < MAX_KEYS:
            keys.append(key)
        if spelling and spelling not in folds and len(folds) < MAX_FOLDS:
            folds.append(spelling)
    return tuple(keys), tuple(folds)
