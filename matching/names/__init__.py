"""Name knowledge of the matcher: the interface the engine calls, in the order of the pipeline.

``romanise`` (any script to lowercase ASCII), ``name_tokens`` (one name field to
canonical tokens), ``keys`` (phonetic blocking keys of one token),
``similarity`` and ``known_different`` (vectorised over aligned token pairs).
All are pure and cached per distinct token or computed per distinct pair.

Why several views (docs/names.md): plain Jaro-Winkler ranks real variants
(shevchenko/szewczenko 0.82) below different names (samir/samira 0.97). The
modules of this package, one step each:

* ``romanisation``: any script to lowercase ASCII;
* ``tokenisation``: a name field to canonical tokens, compounds joined;
* ``folding``: sound classes of a token under each transliteration convention,
  giving blocking keys and folded spellings;
* ``variant_classes``: attested spellings of one name, cross-language forms and
  gender forms;
* ``scoring``: the vectorised score of aligned token pairs, combining the above;
* ``attested``: reads the attested spellings from the installed data packages.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from matching.names import folding, variant_classes
from matching.names.romanisation import romanise
from matching.names.scoring import ONE_NAME, VARIANT_THRESHOLD, known_different, similarity
from matching.names.tokenisation import name_tokens, patronymic_stem, split_affix

__all__ = ["romanise", "name_tokens", "is_kunya", "patronymic_stem", "keys", "similarity", "known_different",
           "split_affix", "VARIANT_THRESHOLD", "ONE_NAME"]


def keys(token: str) -> tuple[str, ...]:
    """Phonetic blocking keys of one token, primary first (1-6 keys, most tokens 1-2).

    The consonant skeleton under the usual convention, then the skeletons under
    the other transliteration conventions the token's letters allow, then the key
    of a cross-language class whose members share no skeleton (Mykola / Nikolai),
    then that of an Arabic name another of whose usual spellings shares none of
    these with it (Reza / Rida: `_name_keys`).
    """
    return _keys(str(token))


@lru_cache(maxsize=500_000)
def _keys(token: str) -> tuple[str, ...]:
    return (*_sounds(token), *_name_keys().get(token, ()))


@lru_cache(maxsize=500_000)
def _sounds(token: str) -> tuple[str, ...]:
    out = list(folding.fold(token)[0])
    class_key = variant_classes.class_key(token)
    if class_key and class_key not in out:
        out.append(class_key)
    return tuple(out)


@cache
def _name_keys() -> dict[str, tuple[str, ...]]:
    """Per usual spelling of an Arabic name (`variant_classes.spellings_by_unit`), the name's own
    key where another of its usual spellings shares no key of `_sounds` with it: Persian, Dari,
    Urdu and Turkish write ض as z where Arabic romanisation writes d (Reza / Rida, Ramazan /
    Ramadan, Qazi / Qadi), Maghrebi spellings drop a first vowel or keep the article (Smail /
    Ismail, Lamine / Amin). Without a key in common two spellings of one name never met in
    blocking. Stray spellings filed under a name take no part: they would have brought every
    spelling of it to their own (France was filed under يوسف)."""
    out: dict[str, list[str]] = {}
    for unit, spellings in variant_classes.spellings_by_unit().items():
        sounds = [set(_sounds(s)) for s in spellings]
        for spelling, own in zip(spellings, sounds):
            if any(not own & other for other in sounds):
                out.setdefault(spelling, []).append(f"#{unit}")
    return {spelling: tuple(k) for spelling, k in out.items()}


# An other name written as Abu or Umm and one more word; Abu Bakr, Abu Talib and Umm Kulthum,
# names of their own, aside.
_KUNYA = re.compile(r"^\s*(?:abu|abou|abo|ebu|umm|um|oum|omm|أبو|ابو|أم|ام)[\s\-]+(\S+)\s*$", re.IGNORECASE)
_NAMED_KUNYA = re.compile(r"^(?:b[aeiou]*k[aeiou]*r|t[aeo]l[iea]b|k[aeiou]l[ts]h?[aeiou]+m)")


def is_kunya(text: str) -> bool:
    """Whether a name as written is a kunya, Abu or Umm with a child's name as a word of its own
    (Abu Ahmad, أم علي): what a parent is called after a child, no link of the person's name
    chain. One word (Abukar, Ummara) is a name, and so are Abu Bakr and Umm Kulthum."""
    kunya = _KUNYA.match(text)
    return bool(kunya) and not _NAMED_KUNYA.match(romanise(kunya.group(1)))
