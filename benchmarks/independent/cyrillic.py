"""Ukrainian and Russian names: Latin transliteration, feminine surnames, patronymics.

The same Cyrillic name reaches Latin through many tables: Ukraine's national system, BGN/PCGN,
the passports' ICAO table, and the spelling habits of German, French, Polish, Turkish, Swedish
and Dutch offices (Шевченко: Shevchenko, Schewtschenko, Chevtchenko, Szewczenko). The tables
here are this package's own approximations of them, each a scheme a record is written in.
"""

from functools import lru_cache

CYR_VOW = set("аеєиіїоуюяыэё")
SCHEMES = {
    # letter: str | (initial/after vowel, after consonant)
    "uknat": {"в": "v", "ж": "zh", "й": ("y", "i"), "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
              "щ": "shch", "ю": ("yu", "iu"), "я": ("ya", "ia"), "є": ("ye", "ie"), "ї": ("yi", "i"),
              "е": "e", "ё": ("yo", "io"), "ы": "y", "э": "e"},
    "bgn": {"в": "v", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
            "ю": "yu", "я": "ya", "є": "ye", "ї": "yi", "е": ("ye", "e"), "ё": ("yo", "yo"), "ы": "y", "э": "e"},
    "icao": {"в": "v", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
             "ю": "iu", "я": "ia", "є": "ie", "ї": "i", "е": "e", "ё": "e", "ы": "y", "э": "e", "ъ": "ie"},
    "de": {"в": "w", "ж": "sch", "з": "s", "й": "j", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
           "щ": "schtsch", "ю": "ju", "я": "ja", "є": "je", "ї": "ji", "е": ("je", "e"), "ё": "jo",
           "ы": "y", "э": "e", "с": "s"},
    "fr": {"в": "v", "ж": "j", "й": "ï", "х": "kh", "ц": "ts", "ч": "tch", "ш": "ch", "щ": "chtch",
           "у": "ou", "ю": "iou", "я": "ia", "є": "ie", "ї": "ï", "е": "e", "ё": "io", "ы": "y", "э": "e"},
    "pl": {"в": "w", "ж": "ż", "й": "j", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz",
           "ю": ("ju", "iu"), "я": ("ja", "ia"), "є": ("je", "ie"), "ї": "ji", "е": ("je", "e"),
           "ё": ("jo", "io"), "ы": "y", "э": "e"},
    "tr": {"в": "v", "ж": "j", "й": "y", "х": "h", "ц": "ts", "ч": "ç", "ш": "ş", "щ": "şç", "ю": "yu",
           "я": "ya", "є": "ye", "ї": "yi", "е": "e", "ё": "yo", "ы": "ı", "э": "e"},
    "sv": {"в": "v", "ж": "zj", "й": "j", "х": "ch", "ц": "ts", "ч": "tj", "ш": "sj", "щ": "sjtj",
           "ю": "ju", "я": "ja", "є": "je", "ї": "ji", "е": ("je", "e"), "ё": "jo", "ы": "y", "э": "e"},
    "nl": {"в": "v", "ж": "zj", "й": "j", "х": "ch", "ц": "ts", "ч": "tsj", "ш": "sj", "щ": "sjtsj",
           "у": "oe", "ю": "joe", "я": "ja", "є": "je", "ї": "ji", "е": "e", "ё": "jo", "ы": "y", "э": "e"},
    "iso": {"в": "v", "ж": "ž", "й": "j", "х": "ch", "ц": "c", "ч": "č", "ш": "š", "щ": "šč",
            "ю": "ju", "я": "ja", "є": "je", "ї": "ji", "е": "e", "ё": "ë", "ы": "y", "э": "ė", "ь": "ʹ"},
}
CYR_BASE = dict(zip("абдзклмнопрстуфіґ", "abdzklmnoprstufig"))
CYR_BASE.update({"ь": "", "ъ": "", "'": "", "’": ""})


@lru_cache(maxsize=None)
def cyr_latin(s, scheme, lang, variant=0):
    """A Cyrillic name in Latin by `scheme`; г is h in Ukrainian names. `variant` (0, 1, 2) is an
    officer's small deviations from the table (final й, soft sign in Polish)."""
    tab = SCHEMES[scheme]
    out = []
    low = s.lower()
    n = len(low)
    for i, ch in enumerate(low):
        prev = low[i - 1] if i > 0 else " "
        nxt = low[i + 1] if i + 1 < n else " "
        init = prev in " -" or (scheme != "uknat" and (prev in CYR_VOW or prev in "ьъ'’"))
        if ch in " -":
            out.append(ch)
            continue
        if ch == "г":
            m = "h" if lang == "uk" else ("gu" if scheme == "fr" and nxt in "еиіє" else "g")
        elif ch == "и":
            m = ("ı" if scheme == "tr" else "y") if lang == "uk" else "i"
            if scheme == "pl" and lang == "ru" and prev in "жшц":
                m = "y"
        elif ch == "л" and scheme == "pl":
            m = "l" if nxt in "еєіїьюяи" else "ł"
        elif ch == "с" and scheme in ("fr", "de") and prev in CYR_VOW and nxt in CYR_VOW:
            m = "ss"
        elif ch in tab:
            m = tab[ch]
            if isinstance(m, tuple):
                m = m[0] if init else m[1]
        else:
            m = CYR_BASE.get(ch, ch)
        if (ch == "й" and scheme in ("bgn", "uknat", "icao") and variant and nxt == " ") or (
                ch == "й" and i == n - 1 and variant == 2):
            m = {"bgn": "i", "uknat": "y", "icao": "y"}.get(scheme, m)
        if ch == "й" and scheme == "fr" and prev in "иіы":
            m = ""
        if ch == "ь" and scheme == "pl" and variant:
            m = "i" if nxt in CYR_VOW else ""
        out.append(m)
    r = "".join(out)
    if scheme == "fr":
        r = r.replace("iï", "ï")
    if scheme == "uknat" and variant == 1:
        r = r.replace("iy", "y") if r.endswith("iy") else r
    return "-".join(w[:1].upper() + w[1:] for w in r.split("-")) if "-" in r else " ".join(
        w[:1].upper() + w[1:] for w in r.split(" "))


def fem_surname(s):
    """A woman's form of an adjectival or possessive surname (Ковалёв -> Ковалёва)."""
    for a, b in (("ський", "ська"), ("цький", "цька"), ("ский", "ская"), ("цкий", "цкая"),
                 ("ов", "ова"), ("ев", "ева"), ("ёв", "ёва"), ("єв", "єва"), ("ьов", "ьова"),
                 ("ін", "іна"), ("ин", "ина"), ("ын", "ына")):
        if s.endswith(a):
            return s[: -len(a)] + b
    return s


# Russian first names whose patronymic is built on another stem (Пётр: Петрович, Павел: Павлович)
_RUSSIAN_STEMS = {"Пётр": "Петр", "Фёдор": "Федор", "Семён": "Семен", "Артём": "Артем", "Павел": "Павл",
                  "Лев": "Льв"}


def patronymic(father, lang, sex):
    """The patronymic from a father's given name, in Ukrainian or Russian."""
    f = father
    if lang == "uk":
        if f == "Ілля":
            return "Ілліч" if sex == "M" else "Іллівна"
        if f.endswith("й"):
            return f[:-1] + ("йович" if sex == "M" else "ївна")
        if f.endswith("о"):
            return f[:-1] + ("ович" if sex == "M" else "івна")
        if f.endswith("а"):
            return f[:-1] + ("айович" if sex == "M" else "аївна")
        if f.endswith("ь"):
            return f[:-1] + ("ьович" if sex == "M" else "івна")
        return f + ("ович" if sex == "M" else "івна")
    if f == "Илья":
        return "Ильич" if sex == "M" else "Ильинична"
    f = _RUSSIAN_STEMS.get(f, f)
    if f.endswith("ий"):
        return f[:-2] + ("ьевич" if sex == "M" else "ьевна")
    if f.endswith("й") or f.endswith("ь"):
        return f[:-1] + ("евич" if sex == "M" else "евна")
    return f + ("ович" if sex == "M" else "овна")
