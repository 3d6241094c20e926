"""Name knowledge of the matcher: tokens, blocking keys and token similarity.

``name_tokens`` turns one name field in any script into canonical romanised
tokens (titles, connectors and articles dropped, compounds joined);
``keys`` gives each token a few phonetic blocking keys; ``similarity`` and
``known_different`` score aligned arrays of token pairs, computing only on the
distinct pairs, with rapidfuzz.

Why these pieces (see docs/names.md): plain Jaro-Winkler ranks real variants
(shevchenko/szewczenko 0.82) below different names (samir/samira 0.97), so a
score is the best of several views: the romanised tokens, their phonetic
foldings under each transliteration convention (``matching.phonetic``), and
membership of one attested variant class (``matching.variants``). Compounds
that share a prefix (Abd-, Abu-, Gebre-) or a suffix (-ullah, -uddin) are
compared on the part that differs, so Abdulrahman / Abdulrahim is judged as
Rahman / Rahim. Attested different names and gendered pairs are capped low.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import polars as pl
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cpdist

from matching import phonetic, variants
from matching.attested import habesha_second_elements
from matching.scripts import romanise

__all__ = ["romanise", "name_tokens", "keys", "similarity", "known_different",
           "VARIANT_THRESHOLD"]

#: Scores at or above this mean "spellings of one name" (tests hold it to that).
VARIANT_THRESHOLD = 0.88
CLASS_SCORE = 0.96          # both tokens are attested spellings of one name
GENDER_CAP = 0.78           # Samir / Samira, Ivanov / Ivanova
KNOWN_DIFFERENT_CAP = 0.6   # Mohammed / Mahmoud, Hassan / Hussein

TITLES = frozenset("""
haji hajji hadji hadj hajj alhaji alhaj elhadj elhaj hajja hajjah
sayed sayyid sayyed sayid seyed seyyed syed sayeda sayyida seyyedeh
sheikh shaikh sheikha shaykh cheikh sheik mullah mulla molla mawlana maulana
ato weizero woizero weizerit woizerit wro wrt kegnazmach fitawrari
mme mlle madame monsieur mr mrs ms miss dr doctor prof professor eng engr herr frau
""".split())
CONNECTORS = frozenset("bin ben ibn bint binti ibnu ould wuld bn".split())
ARTICLES = frozenset("al el ul il ol".split())
# Sun-letter articles: the l of al- assimilates (ar-Rahman, as-Sayed, ech-Chami).
SUN_ARTICLES = frozenset("ar as ash ad at az an ad er es esh ed et ez en ech ur us ud un ut uz".split())
ABD_FORMS = frozenset("abd abdul abdel abdal abdol abdoul abdur abder abdor abdar abdus abdes "
                      "abdas abdoel abdil".split())
ABU_FORMS = frozenset("abu abou abo aboo ebu".split())
ALLAH_FORMS = frozenset("allah ullah ollah ulla olla alla ullahi illah".split())
DIN_FORMS = frozenset("din dine deen eddine eddin uddin uddeen addin iddin eddin".split())
# Ethiopian/Eritrean compound prefixes (servant of, son of, power of, plant of ...).
GEEZ_PREFIXES = {
    "gebre": "gebre", "gabre": "gebre", "ghebre": "gebre", "gebra": "gebre", "gabra": "gebre",
    "gebri": "gebre", "gebire": "gebre", "gibre": "gebre", "g": "gebre",
    "wolde": "wolde", "welde": "wolde", "walda": "wolde", "wold": "wolde", "weld": "wolde",
    "w": "wolde",
    "haile": "haile", "hayle": "haile", "haila": "haile", "h": "haile",
    "tekle": "tekle", "tekla": "tekle", "t": "tekle",
    "habte": "habte", "habta": "habte", "kidane": "kidane", "fikre": "fikre",
    "berhane": "berhane", "zera": "zera", "zere": "zera", "amde": "amde",
    "welete": "welete", "woleta": "welete", "walatta": "welete",
}
_GEEZ_JOINED = re.compile(
    r"^(ghebre|gebire|gebre|gabre|gebra|gabra|gebri|gibre|wolde|welde|walda|haile|hayle"
    r"|tekle|tekla|habte|kidane|fikre|berhane|welete|woleta)([a-z]{4,})$"
)
_SECOND_ELEMENTS_EXTRA = frozenset("""
mariam maryam miriam michael mikael mikael medhin medhn medihin giorgis giyorgis georgis
selassie silase sellassie selasie slassie iyesus yesus eyesus kristos krestos egziabher
egziabeher igziabher hiwot haimanot haymanot ab amlak tsadik tsadiq kidan gabriel hanna
yohannes meskel mesqel libanos tensae amanuel emmanuel estifanos
""".split())
# "G/Medhin", "W/Mariam": Ge'ez abbreviation with a slash; W/ro and W/rt are titles.
_SLASH_TITLE = re.compile(r"\b[wW]\s*/\s*r[ot]\b\.?|ወ/ሮ|ወ/ሪት|ዶ/ር")
_SLASH_PREFIX = re.compile(r"\b([GgWwHhTt])\s*[/.]\s*(?=[^\W\d_])")
_GEEZ_SLASH = {"ገ/": "ገብረ", "ወ/": "ወልደ", "ኃ/": "ኃይለ", "ሃ/": "ሃይለ", "ተ/": "ተክለ"}
_SLASH_LETTER = {"g": "gebre", "w": "wolde", "h": "haile", "t": "tekle"}

_ABD_JOINED = re.compile(r"^abd(?:ou|oe|[aeiou])?(.*)$")
_ABU_JOINED = re.compile(r"^(?:abu|abou|aboo|ebu)([b-df-hj-np-tv-z][a-z]{2,})$")
_ALLAH_JOINED = re.compile(r"^([a-z]{2,}?)(?:[uoa]llah?i?|[uoa]lah)$")
_DIN_JOINED = re.compile(r"^([a-z]{2,}?)[aeiou]l?dd?(?:in|ine|een|eene|iin)$")
_ALLAH_CORES = frozenset("lah llah la lla allah ullah ellah lahi llahi ilah".split())
_SPLIT = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def name_tokens(text: str) -> tuple[str, ...]:
    """Canonical romanised tokens of one name field, in order."""
    text = str(text or "")
    if not text.strip():
        return ()
    text = _SLASH_TITLE.sub(" ", text)
    for abbrev, full in _GEEZ_SLASH.items():
        text = text.replace(abbrev, full)
    text = _SLASH_PREFIX.sub(lambda m: _SLASH_LETTER[m.group(1).lower()] + " ", text)
    words = [w for w in _SPLIT.split(romanise(text)) if w]
    words = _drop_function_words(words)
    return tuple(_join_compounds(words))


def _drop_function_words(words: list[str]) -> list[str]:
    """Drop titles, connectors (bin, ould) and articles (al-, ar-) between names."""
    if len(words) > 1:
        kept = [w for w in words if w not in TITLES]
        words = kept or words
    out: list[str] = []
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if nxt and out and word in CONNECTORS:
            continue
        if nxt and word in ARTICLES:
            continue
        if nxt and word in SUN_ARTICLES and nxt.startswith(word[1:]):
            continue
        out.append(word)
    return out


def _second_elements() -> frozenset[str]:
    return _SECOND_ELEMENTS_EXTRA | habesha_second_elements()


def _join_compounds(words: list[str]) -> list[str]:
    """Canonical tokens, joining split compounds: Abd al-Rahman, Abu Bakr, Rahmat Ullah,
    Salah ad-Din, Gebre Medhin; single words go through ``_canonical``."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if nxt and word in ABD_FORMS:
            core = "allah" if nxt in ALLAH_FORMS else nxt
            out.append("abd" + core)
            i += 2
            continue
        if nxt and word in ABU_FORMS:
            out.append("abu" + nxt)
            i += 2
            continue
        if nxt and word in GEEZ_PREFIXES and (len(word) == 1 or nxt in _second_elements()):
            out.append(GEEZ_PREFIXES[word] + nxt)
            i += 2
            continue
        if out and (word in ALLAH_FORMS or word in DIN_FORMS):
            out[-1] = out[-1] + ("ullah" if word in ALLAH_FORMS else "uddin")
            i += 1
            continue
        out.append(_canonical(word))
        i += 1
    return out


@lru_cache(maxsize=200_000)
def _canonical(word: str) -> str:
    """Canonical spelling of a word written as a joined compound; other words unchanged.

    Abdulrahman, Abderrahmane, Abdirahman -> abdrahman; Rahmatollah -> rahmatullah;
    Salaheddine -> salahuddin; Ghebremedhin -> gebremedhin. Somali Abdi stays abdi.
    """
    if word.startswith("abd") and len(word) > 5:
        rest = _ABD_JOINED.match(word).group(1)
        if rest in _ALLAH_CORES:
            return "abdallah"
        if rest.startswith("l") and not rest.startswith("lat"):
            rest = rest[1:]
        elif len(rest) > 1 and rest[0] == rest[1]:
            rest = rest[1:]
        return "abd" + rest if len(rest) >= 3 else word
    m = _ABU_JOINED.match(word)
    if m:
        return "abu" + m.group(1)
    m = _GEEZ_JOINED.match(word)
    if m:
        return GEEZ_PREFIXES[m.group(1)] + m.group(2)
    m = _ALLAH_JOINED.match(word)
    if m:
        return m.group(1) + "ullah"
    m = _DIN_JOINED.match(word)
    if m:
        return m.group(1) + "uddin"
    return word


_CANONICAL_PREFIXES = ("abd", "abu", *sorted(set(GEEZ_PREFIXES.values()), key=len, reverse=True))


@lru_cache(maxsize=200_000)
def split_affix(token: str) -> tuple[str, str]:
    """(compound affix, the part that names the person) of a canonical token.

    abdrahman -> ("abd", "rahman"), rahmatullah -> ("ullah", "rahmat"),
    gebremedhin -> ("gebre", "medhin"); plain tokens -> ("", token).
    """
    for prefix in _CANONICAL_PREFIXES:
        if token.startswith(prefix) and len(token) >= len(prefix) + 3:
            return prefix, token[len(prefix):]
    for suffix in ("ullah", "uddin"):
        if token.endswith(suffix) and len(token) >= len(suffix) + 2:
            return suffix, token[: -len(suffix)]
    return "", token


def keys(token: str) -> tuple[str, ...]:
    """Phonetic blocking keys of one token, primary first (2-4 keys, some tokens 1).

    The consonant skeleton under the usual convention, then the skeletons under
    the other transliteration conventions the token's letters allow, then the key
    of an attested variant class whose members do not share a skeleton
    (Mykola / Nikolai).
    """
    return _keys(str(token))


@lru_cache(maxsize=500_000)
def _keys(token: str) -> tuple[str, ...]:
    out = list(phonetic.variants(token)[0])
    class_key = variants.class_key(token)
    if class_key and class_key not in out:
        out.append(class_key)
    return tuple(out)


def _pair_frame(a: Sequence[str], b: Sequence[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(aligned pairs with a pair id, distinct pairs with that id)."""
    if len(a) != len(b):
        raise ValueError("token pairs need two sequences of equal length")
    pairs = pl.DataFrame({"a": pl.Series(list(a), dtype=pl.String),
                          "b": pl.Series(list(b), dtype=pl.String)}).fill_null("")
    distinct = pairs.unique(maintain_order=False).with_row_index("pair")
    return pairs, distinct


def _scatter(pairs: pl.DataFrame, distinct: pl.DataFrame, values: np.ndarray) -> np.ndarray:
    """Values of the distinct pairs, put back in the order of the aligned pairs."""
    table = distinct.select("a", "b").with_columns(pl.Series("v", values))
    return pairs.join(table, on=["a", "b"], how="left", maintain_order="left")["v"].to_numpy()


def similarity(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Score in [0, 1] of token a[i] against token b[i]; high for spellings of one name."""
    if len(a) == 0:
        return np.zeros(0, dtype=np.float64)
    pairs, distinct = _pair_frame(a, b)
    scores = _distinct_similarity(distinct["a"].to_list(), distinct["b"].to_list())
    return _scatter(pairs, distinct, scores)


def known_different(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """True where both tokens are attested spellings of different names and of no common one."""
    if len(a) == 0:
        return np.zeros(0, dtype=bool)
    pairs, distinct = _pair_frame(a, b)
    info = _TokenTable(distinct["a"].to_list() + distinct["b"].to_list())
    ia = info.index(distinct["a"].to_list())
    ib = info.index(distinct["b"].to_list())
    return _scatter(pairs, distinct, info.known_different(ia, ib)).astype(bool)


class _TokenTable:
    """Per-distinct-token features as arrays, so pair scoring is vectorised."""

    def __init__(self, tokens: list[str]):
        self.tokens = list(dict.fromkeys(tokens))
        self.position = {t: i for i, t in enumerate(self.tokens)}
        width = phonetic.MAX_VARIANTS
        n = len(self.tokens)
        self.folds = np.empty((n, width), dtype=object)
        self.classes = np.full((n, variants.MAX_CLASSES), -1, dtype=np.int64)
        self.unit_classes = np.full((n, variants.MAX_CLASSES), -1, dtype=np.int64)
        self.attested = np.zeros(n, dtype=bool)
        self.gender_base = np.full(n, -1, dtype=np.int64)
        self.gender = np.full(n, -1, dtype=np.int8)
        bases: dict[str, int] = {}
        for i, token in enumerate(self.tokens):
            folds = phonetic.variants(token)[1] or (token,)
            self.folds[i, :] = [folds[min(k, len(folds) - 1)] for k in range(width)]
            cls, units, attested = variants.classes(token)
            self.classes[i, : len(cls)] = cls
            self.unit_classes[i, : len(units)] = units
            self.attested[i] = attested
            base, fem = variants.gender_form(token)
            if base:
                self.gender_base[i] = bases.setdefault(base, len(bases))
                self.gender[i] = fem

    def index(self, tokens: list[str]) -> np.ndarray:
        return np.fromiter((self.position[t] for t in tokens), dtype=np.int64, count=len(tokens))

    def shared_class(self, ia: np.ndarray, ib: np.ndarray, units_only: bool = False) -> np.ndarray:
        table = self.unit_classes if units_only else self.classes
        ca, cb = table[ia], table[ib]
        hit = np.zeros(len(ia), dtype=bool)
        for i in range(ca.shape[1]):
            for j in range(cb.shape[1]):
                hit |= (ca[:, i] == cb[:, j]) & (ca[:, i] >= 0)
        return hit

    def known_different(self, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        both = self.attested[ia] & self.attested[ib]
        return both & ~self.shared_class(ia, ib, units_only=True) & (np.asarray(self.tokens, dtype=object)[ia]
                                                     != np.asarray(self.tokens, dtype=object)[ib])

    def gendered(self, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        ga, gb = self.gender[ia], self.gender[ib]
        return ((self.gender_base[ia] == self.gender_base[ib]) & (self.gender_base[ia] >= 0)
                & (ga >= 0) & (gb >= 0) & (ga != gb))


def _jw(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return cpdist(list(x), list(y), scorer=JaroWinkler.normalized_similarity, workers=-1,
                  dtype=np.float64)


def _distinct_similarity(a: list[str], b: list[str]) -> np.ndarray:
    """Similarity of distinct token pairs (the non-repeating core of ``similarity``)."""
    n = len(a)
    if n == 0:
        return np.zeros(0)
    split_a = [split_affix(t) for t in a]
    split_b = [split_affix(t) for t in b]
    same_affix = np.fromiter((sa[0] != "" and sa[0] == sb[0] for sa, sb in zip(split_a, split_b)),
                             dtype=bool, count=n)
    # Compounds that share a prefix or suffix are compared on the part that differs.
    a_eff = [sa[1] if s else t for t, sa, s in zip(a, split_a, same_affix)]
    b_eff = [sb[1] if s else t for t, sb, s in zip(b, split_b, same_affix)]
    table = _TokenTable(a_eff + b_eff)
    ia, ib = table.index(a_eff), table.index(b_eff)
    tok = np.asarray(table.tokens, dtype=object)
    score = _jw(tok[ia], tok[ib])
    folds_a, folds_b = table.folds[ia], table.folds[ib]
    width = folds_a.shape[1]
    for i in range(width):
        for j in range(width):
            if i and j:
                continue  # one side's convention against the other's usual one suffices
            np.maximum(score, _jw(folds_a[:, i], folds_b[:, j]), out=score)
    score[table.shared_class(ia, ib)] = np.maximum(score[table.shared_class(ia, ib)], CLASS_SCORE)
    score[table.gendered(ia, ib)] = np.minimum(score[table.gendered(ia, ib)], GENDER_CAP)
    different = table.known_different(ia, ib)
    score[different] = np.minimum(score[different], KNOWN_DIFFERENT_CAP)
    score[tok[ia] == tok[ib]] = 1.0
    return score
