"""The phonemic notation names are kept in, and how it is cut into sounds.

Names are stored as sounds, not as one spelling, so that each record can spell them afresh the
way its registering society would. Arabic, Somali and Afghan names: ASCII with H = ḥ, c = ʿayn,
' = hamza, T D S Z the emphatics, A I U E O long vowels, '-' joins the parts of a compound
(zabIH-ullAh), 'al-' is the article, '|' keeps two letters from being read as a digraph.
Habesha (Tigrinya, Amharic) names: e = ä (first order), @ = ə (sixth), E = ē, x = ኸ, q = ቀ,
H = ሐ, c = ዐ, ts = ጸ, T = ጠ, C = ጨ.
"""

from functools import lru_cache

DIGRAPHS = ("th", "kh", "dh", "sh", "gh", "ch", "zh")
HAB_DIG = ("sh", "ch", "ny", "ts", "zh")
SHORT = set("aiueo@")
LONG = set("AIUEO")
# letters the Arabic article assimilates to (al-nUr -> an-nUr)
SUN = {"t", "th", "d", "dh", "r", "z", "s", "sh", "S", "D", "T", "Z", "l", "n"}


@lru_cache(maxsize=None)
def tokenize(word, digraphs=DIGRAPHS):
    """The sounds of one word, digraphs as one."""
    out, i = [], 0
    while i < len(word):
        if word[i] == "|":
            i += 1
            continue
        two = word[i:i + 2]
        if two in digraphs:
            out.append(two)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return tuple(out)


def capitalise(w):
    """Upper-case the first letter, skipping the ʿayn and hamza signs (ʿAbd, not ʿabd)."""
    for k, ch in enumerate(w):
        if ch.isalpha() and ch not in "ʿʾ":
            return w[:k] + ch.upper() + w[k + 1:]
    return w
