"""Names in the scripts of the populations' own societies: Arabic, Persian and Ge'ez.

A society at home (Syria, Iraq, Afghanistan, Ethiopia, Eritrea...) often registers a name in
its own script, and the matcher must find it against a Latin record of the same person. The
spelling is the plain one a clerk would write from the sound (short vowels unwritten, a final -a
as tāʾ marbūṭa); Persian differs in its letters for y, k and the final -a. Habesha names reach
Arabic script too, written by Sudanese, Egyptian, Libyan and Yemeni offices.
"""

from functools import lru_cache

from .notation import DIGRAPHS, HAB_DIG, LONG, SHORT, tokenize

AR_LET = {"b": "ب", "t": "ت", "T": "ط", "th": "ث", "j": "ج", "H": "ح", "kh": "خ", "d": "د", "D": "ض",
          "dh": "ذ", "r": "ر", "z": "ز", "Z": "ظ", "s": "س", "S": "ص", "sh": "ش", "c": "ع", "gh": "غ",
          "f": "ف", "q": "ق", "k": "ك", "l": "ل", "m": "م", "n": "ن", "h": "ه", "w": "و", "y": "ي",
          "'": "ء", "p": "پ", "ch": "چ", "zh": "ژ", "g": "غ", "v": "ف", "x": "خ", "ts": "تس", "C": "تش",
          "P": "ب", "ny": "ني"}


@lru_cache(maxsize=None)
def render_arabic_script(form, persian=False, joined=False, habesha=False):
    """A phonemic name in Arabic (or Persian) letters; `joined` writes compounds as one word."""
    dig = HAB_DIG if habesha else DIGRAPHS
    res = []
    for w in form.split(" "):
        art = ""
        if w.startswith("al-"):
            art, w = "ال", w[3:]
        parts = []
        for p in w.split("-"):
            if p in ("ullAh", "allAh"):
                parts.append("الله")
                continue
            toks = tokenize(p, dig)
            n = len(toks)
            o = []
            prev = None
            for k, t in enumerate(toks):
                if t in SHORT:
                    if k == 0:
                        o.append("إ" if t in "ie" else "أ")
                    elif k == n - 1:
                        o.append({"a": "ه" if persian else ("ا" if habesha else "ة"), "i": "ی" if persian else "ي",
                                  "e": "ه" if persian else "ي", "u": "و", "o": "و"}.get(t, ""))
                elif t in LONG:
                    if k == 0:
                        o.append("آ" if t == "A" else "ا" + {"I": "ي", "U": "و", "E": "ي", "O": "و"}.get(t, ""))
                    else:
                        o.append({"A": "ا", "I": "ي", "U": "و", "E": "ي", "O": "و"}[t])
                else:
                    if t == prev:
                        continue
                    if t == "'":
                        o.append("ئ" if prev in ("A", "I", "i") else ("ء" if k == n - 1 else "أ"))
                    else:
                        o.append(AR_LET.get(t, ""))
                prev = t
            parts.append("".join(o))
        word = art + ("".join(parts) if joined else " ".join(parts))
        if persian:
            word = word.replace("ي", "ی").replace("ك", "ک").replace("ة", "ه")
        res.append(word)
    s = " ".join(res)
    if joined:
        s = s.replace("عبد ال", "عبدال")
    return s


# Ge'ez: each consonant's syllable row starts at a code point; the vowel picks the order in it
# (the sixth order, +5, is the consonant with ə or no vowel)
GZ = {"h": 0x1200, "l": 0x1208, "H": 0x1210, "m": 0x1218, "r": 0x1228, "s": 0x1230, "sh": 0x1238,
      "q": 0x1240, "b": 0x1260, "v": 0x1268, "t": 0x1270, "ch": 0x1278, "n": 0x1290, "ny": 0x1298,
      "'": 0x12A0, "k": 0x12A8, "x": 0x12B8, "w": 0x12C8, "c": 0x12D0, "z": 0x12D8, "zh": 0x12E0,
      "y": 0x12E8, "d": 0x12F0, "j": 0x1300, "g": 0x1308, "T": 0x1320, "C": 0x1328, "P": 0x1330,
      "ts": 0x1338, "f": 0x1348, "p": 0x1350}
VORD = {"e": 0, "u": 1, "i": 2, "a": 3, "E": 4, "@": 5, "o": 6}


@lru_cache(maxsize=None)
def render_geez(form, spaced=False):
    """A Habesha phonemic name in Ge'ez syllables; `spaced` writes compound parts as words."""
    words = []
    for w in form.split(" "):
        parts = []
        for p in w.split("-"):
            toks = tokenize(p, HAB_DIG)
            o, k, n = [], 0, len(toks)
            while k < n:
                t = toks[k]
                if t in VORD:
                    o.append(chr(GZ["'"] + VORD[t]))
                    k += 1
                    continue
                if k + 1 < n and toks[k + 1] == t:
                    k += 1
                    continue
                base = GZ.get(t, GZ["'"])
                if k + 1 < n and toks[k + 1] in VORD:
                    o.append(chr(base + VORD[toks[k + 1]]))
                    k += 2
                else:
                    o.append(chr(base + 5))
                    k += 1
            parts.append("".join(o))
        words.append((" " if spaced else "").join(parts))
    return " ".join(words)
