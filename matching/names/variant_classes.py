"""Variant classes: which spellings are attested forms of one name, and gender forms.

Three sources, built lazily at first use and cached for the process:

* Arabic name units (``arabic-name-romanizer``): every Latin spelling attested
  for a unit with a real share of that spelling's uses (so a stray "Hassan"
  filed under حسين does not join Hussein to Hassan). Two tokens that are both
  well attested and share no unit are *known different* (Hassan / Hussein).
* Ethiopian and Eritrean given names (``habesha-names``) with their variants.
* A small hand-written table of the same name in different languages, where no
  spelling rule leads from one form to the other (Mykola / Nikolai, Mehmet /
  Muhammad). Its members are matched through their phonetic foldings, so any
  transliteration of a member finds the class, not only the spellings listed.
  Two tokens on different lines of it are *known different* too: Oleksandr and
  Oleksiy, Mykola and Mykhailo, Galina and Yelena are brothers' and sisters'
  names that spelling similarity alone takes for one (Jaro-Winkler 0.89-0.94).
  So every form a line lists must read as that line alone: "Helena" once stood
  with Olena and, Г being H in Ukrainian, folded like Halyna.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache, lru_cache

from matching.names import attested, folding
from matching.names.tokenisation import ABD_FORMS, name_tokens

MAX_CLASSES = 3
MIN_SHARE = 0.1           # a unit must account for this share of a spelling's uses
MIN_UNIT_COUNT = 2        # ... and be seen at least this often with it
MIN_ATTESTED = 10         # uses needed before a spelling can prove two names different
MAX_READINGS = 6          # Arabic units kept per spelling, with their shares
USUAL_SHARE = 0.5         # of a spelling's uses a unit must account for to count it as its spelling
_HABESHA_OFFSET = 1_000_000
_LANGUAGE_OFFSET = 2_000_000

# One name across languages: Ukrainian, Russian (and other) forms; Turkish, Kurdish, Somali,
# West African and Chadian forms of Arabic names (Mamadou and Mahamat are Muhammad, Abdoulaye
# Abdullah, Fatoumata Fatima, Abakar Abu Bakr), Moroccan ones with the article's l (Lahcen is
# al-Hasan, Lhoussaine al-Husayn). Written in the languages' own scripts where they have one, so that
# romanisation decides their Latin forms exactly as it does for records. A name's feminine
# stands on its masculine's line (Євгенія with Євген): their spellings fold alike, and the
# gender cap (scoring.GENDER_CAP) keeps the two apart.
LANGUAGE_FORMS = """
Олександр Александр Alexander Oleksander
Олексій Алексей Alexei Oleksiy
Андрій Андрей Andrew
Анатолій Анатолий
Богдан Bogdan
Василь Василий Vasyl Wassili
Віктор Виктор
Володимир Владимир Wladimir
Геннадій Геннадий
Григорій Григорий Grigory Hryhoriy
Дмитро Дмитрий Dmitri Dmytro
Євген Евгений Yevgeny Ievgen Evgeni Eugene Євгенія Евгения Eugenia
Іван Иван
Ігор Игорь Igor Ihor
Йосип Иосиф Iosif Yosyp Joseph Josef Yusuf Youssef Youssouf يوسف
Юрій Юрий Yuri Yurii Iouri
Костянтин Константин Konstantin
Максим Maksym Maxim
Микола Николай Nikolai Mykola
Михайло Михаил Mikhail Mykhailo Michael Mikael
Олег Oleg Oleh
Павло Павел Pavel Pavlo
Петро Пётр Петр Pyotr Petro
Сергій Сергей Sergei Serhii Serhiy
Степан Stepan
Тарас Taras
Федір Фёдор Fyodor Fedir
Яків Яков Yakov Yakiv Jacob Yakup Yaqub Yacoub Yacouba يعقوب
Ілля Илья Ilya Illia
Тимофій Тимофей
Олена Елена Yelena Olena Jelena
Ольга Olga Olha
Тетяна Татьяна Tatiana Tetiana
Наталія Наталья Natalia Nataliia
Ірина Ирина Irina Iryna
Галина Galina Halyna
Ганна Анна Hanna Anna
Катерина Екатерина Kateryna Yekaterina Ekaterina
Людмила Liudmyla Lyudmila Ludmila
Світлана Светлана Svitlana Svetlana
Юлія Юлия Yuliia Yulia
Марія Мария Mariia Maria
Надія Надежда Nadiia Nadezhda
Любов Liubov Lyubov
Віра Вера Vera
Дарія Дарья
Софія София Софья Sophia Sophie
Анастасія Анастасия
Христина Кристина
Вікторія Виктория
Віталій Виталий
Артем Артём
Станіслав Станислав
Валерій Валерий
Леонід Леонид
Микита Никита Mykyta Nikita
Панас Афанасий Panas Afanasiy
Омелян Емельян Omelian Yemelyan
Пилип Филипп Pylyp Filipp Philip
Охрім Ефрем Okhrim Yefrem
Mehmet Muhammad Mohammed Maxamed Mihemed Mamadou Mahamadou Mouhamadou Mahamat محمد
Mahmut Mahmoud Maxamuud Mohamud محمود
Ahmet Ahmed Amadou Ahmadou Ahmat احمد
Hüseyin Hussein Hissein Hissène Ousseynou Lhoussaine Lahoucine حسين
Ebubekir Abubakr Boubacar Aboubacar Abakar
Osman Othman Uthman Ousmane عثمان
Ömer Omar Oumarou عمر
Recep Rajab
Eyüp Ayyub Ayoub ايوب
Yunus Younis Yunes Jonas يونس
İbrahim Ibrahim Brahim Ebrahim Ibrahima
Süleyman Sulaiman Soliman Silêman Souleymane سليمان
Abdi Evdî Ebdî
Halil Khalil خليل
Fadumo Faadumo Faduma Fatima Fatuma Fadima Fatma Fatoumata Fatimé فاطمة
Hatice Khadija Xadiija Kadija Kadiatou Khadidiatou Kadidia Khadidja خديجة
Ciise Isa Issa عيسى
Caasho Aisha Ayşe Aïssatou Aissata عائشة
Xaawo Hawa Havva Awa Haoua حواء
Musa Moussa موسى
Idris Idrissa Drissa إدريس
Dawud Daoud Daouda داود
Adam Adoum آدم
Hasan Hassan Alassane Lassana Lahcen Lhassan حسن
Zaynab Zeinab Zenaba زينب
Amina Aminata Amine آمنة
Maryam Mariam Maryan Meryem Mariama مريم
""".strip().splitlines()


@lru_cache(maxsize=500_000)
def classes(token: str) -> tuple[tuple[int, ...], tuple[tuple[int, float], ...]]:
    """(variant classes, (Arabic unit, share of the spelling's uses) pairs) of one token: its
    Arabic units and Ethiopian names. Its lines of the cross-language table are kept apart
    (`language_lines`), so that no reading crowds another out of MAX_CLASSES.

    Variant classes count a unit only when it accounts for a real share of the
    spelling's uses. The unit shares (given only for well attested spellings)
    include rarer readings, Nasir being mostly ناصر but also نصير: with them,
    the chance that two spellings name one unit can be weighed.
    """
    arabic_classes, shares = _arabic_classes().get(token, ((), ()))
    return (*arabic_classes, *_habesha_classes().get(token, ()))[:MAX_CLASSES], shares


@lru_cache(maxsize=500_000)
def language_lines(token: str) -> tuple[int, ...]:
    """The cross-language classes (lines of LANGUAGE_FORMS) of a token: those of the first of
    its foldings (its usual reading first) that is the usual folding of a listed form. Only the
    listed forms' usual readings count, and only the first that matches: Jelena reads as
    Yelena (Олена's line) before it reads, as Spanish would, like Halyna (Галина's line), and
    by Oleh's h-less reading ("ula") an ISO 9 Ûlija was once a form of Oleg. Readings other
    than the usual one still count: German, Polish and Czech -ij (Oleksij, Wassilij) reach
    their lines only by the reading that drops the j. (So an ISO 9 Ûlij, Юлій, by a Spanish
    reading of j, is Oleh's, and known different from Yulii: a rare table, a rare name.)

    A spelling the Arabic data knows joins a line only where it is listed there or spells an
    Arabic name listed there: folding drops the vowels and h/kh/g/j distinctions that set Jalal,
    Hilal and Khalil apart, so by folding alone all three were one name (the Halil line)."""
    line_units, lines_of = _listed()
    own = lines_of.get(token)
    if own:  # a listed form is on its line, however short its folding (Eyüp: "up")
        return own[:MAX_CLASSES]
    units = set(_arabic_classes().get(token, ((), ()))[0])
    for fold in folding.fold(token)[1]:
        found = [cls for cls in _language_classes().get(fold, ()) if not units or units & line_units[cls]]
        if len(found) > 1 and not units:  # a reading that two lines' forms share says neither
            continue
        if found:  # the token's likeliest reading that is a listed form's usual one decides
            return tuple(found[:MAX_CLASSES])
    return ()


def class_key(token: str) -> str | None:
    """Blocking key of the cross-language class of a token (Mykola and Nikolai share it)."""
    lines = language_lines(token)
    return f"={lines[0] - _LANGUAGE_OFFSET}" if lines else None


def spellings_by_unit() -> dict[int, list[str]]:
    """Per Arabic unit, its usual spellings: those attested MIN_ATTESTED times or more that it
    accounts for at least USUAL_SHARE of the uses of (a stray spelling filed under a name, as
    some are, is not one of its spellings)."""
    out: dict[int, list[str]] = defaultdict(list)
    for token, (_, shares) in _arabic_classes().items():
        for unit, share in shares:
            if share >= USUAL_SHARE:
                out[unit].append(token)
    return out


def _single_token(spelling: str) -> str | None:
    tokens = name_tokens(spelling)
    return tokens[0] if len(tokens) == 1 else None


@cache
def _arabic_classes() -> dict[str, tuple[tuple[int, ...], tuple[tuple[int, float], ...]]]:
    """Token -> (ids of the Arabic units it spells, (unit id, share) of its readings)."""
    unit_ids: dict[str, int] = {}
    per_token: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for unit, latin, count in attested.arabic_spellings():
        token = _single_token(latin)
        # Abd written alone spells an Abd-name only: its other rows are compounds cut short or
        # mislabelled (abd as محمد twice in 15 uses made Abd and Mohamed one name)
        if token and (token not in ABD_FORMS or unit.startswith("عبد")):
            per_token[token][unit_ids.setdefault(unit, len(unit_ids))] += count
    out = {}
    for token, units in per_token.items():
        total = sum(units.values())
        ranked = [u for c, u in sorted(((c, u) for u, c in units.items()), reverse=True)
                  if c >= MIN_UNIT_COUNT]
        main = tuple(u for u in ranked if units[u] >= MIN_SHARE * total)[:MAX_CLASSES]
        shares = tuple((u, units[u] / total) for u in ranked[:MAX_READINGS])
        out[token] = (main, shares if total >= MIN_ATTESTED else ())
    return out


# Italian writes k before e and i as ch: Eritrean names as Italian offices spell them (Chidane,
# Chiflom, Techeste) are read as the names the table lists. A spelling rule for all names would
# also read French ch (Bachir, Chérif: sh) as k, and Bachir as Baqir.
_ITALIAN_K = re.compile(r"k(?=[ei])")


@cache
def _habesha_classes() -> dict[str, tuple[int, ...]]:
    out: dict[str, list[int]] = defaultdict(list)
    for i, spellings in enumerate(attested.habesha_spellings()):
        for spelling in spellings:
            for token in {_single_token(spelling), _single_token(_ITALIAN_K.sub("ch", spelling.lower()))}:
                if token and _HABESHA_OFFSET + i not in out[token]:
                    out[token].append(_HABESHA_OFFSET + i)
    return {t: tuple(c) for t, c in out.items()}


@cache
def _language_classes() -> dict[str, tuple[int, ...]]:
    """Usual folding of each listed form -> the cross-language classes listing it."""
    out: dict[str, list[int]] = defaultdict(list)
    for i, line in enumerate(LANGUAGE_FORMS):
        for form in line.split():
            token = _single_token(form)
            folds = folding.fold(token)[1] if token else ()
            if folds and len(folds[0]) >= 3 and _LANGUAGE_OFFSET + i not in out[folds[0]]:
                out[folds[0]].append(_LANGUAGE_OFFSET + i)
    return {f: tuple(c) for f, c in out.items()}


@cache
def _listed() -> tuple[dict[int, set[int]], dict[str, tuple[int, ...]]]:
    """Per cross-language class, the Arabic units its listed tokens spell; per listed token, its
    lines in table order."""
    tokens = {_LANGUAGE_OFFSET + i: {t for t in map(_single_token, line.split()) if t}
              for i, line in enumerate(LANGUAGE_FORMS)}
    units = {cls: {u for t in listed for u in _arabic_classes().get(t, ((), ()))[0]} for cls, listed in tokens.items()}
    lines_of: dict[str, tuple[int, ...]] = {}
    for cls, listed in tokens.items():
        for token in listed:
            lines_of[token] = (*lines_of.get(token, ()), cls)
    return units, lines_of


# Feminine and masculine endings: Slavic surnames and given names, Arabic -a.
_FEMININE = (
    (re.compile(r"^(.+sk)(?:a|aya|aia|aja)$"), r"\1"),
    (re.compile(r"^(.+[^aeiouy])(?:iya|ija|iia|ia|ya)$"), r"\1"),
    (re.compile(r"^(.{2,}[^aeiouy])a$"), r"\1"),
)
_MASCULINE = (
    (re.compile(r"^(.+sk)(?:iy|ii|ij|yi|yj|y|i)$"), r"\1"),
    (re.compile(r"^(.+[^aeiouy])(?:iy|ii|ij|yi|yj|i|y)$"), r"\1"),
    (re.compile(r"^(.{2,}[^aeiouyh])$"), r"\1"),
)


# West African and Chadian forms of Arabic names that end in -a without being the feminine of
# the form without it: Ibrahima is Ibrahim, not his sister; Zenaba is Zaynab, Mariama Maryam.
_NOT_GENDERED_IN_A = frozenset("ibrahima idrissa yacouba yakouba zenaba mariama".split())


@lru_cache(maxsize=500_000)
def gender_form(token: str) -> tuple[str, int]:
    """(folded stem, 1 feminine / 0 masculine) of a gendered form, or ("", -1).

    Samira / Samir, Ivanova / Iwanow, Kovalska / Kovalskyi share a stem and
    differ in gender; the stem is folded so that spelling habits do not matter.
    """
    if token in _NOT_GENDERED_IN_A:
        return "", -1
    for gender, patterns in ((1, _FEMININE), (0, _MASCULINE)):
        for pattern, repl in patterns:
            if pattern.match(token):
                stem = pattern.sub(repl, token)
                folds = folding.fold(stem)[1]
                return (folds[0] if folds else stem), gender
    return "", -1
