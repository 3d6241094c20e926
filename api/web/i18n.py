"""Languages of the workspace: gettext catalogues compiled when first used, one template
environment per language.

A translator adds a language by adding `locales/<code>/LC_MESSAGES/messages.po` (made from
`locales/messages.pot`, see locales/README.md): no code changes, no build step. Catalogues are
compiled from the .po files in memory the first time a language is asked for, so there are no
.mo files to forget. The text direction comes from the language's CLDR data (Arabic is written
right to left), not from a list kept here.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES = Path(__file__).parent / "locales"
DEFAULT = "en"  # the language the templates are written in


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; it is translated where it is shown."""
    return message


@cache
def languages() -> tuple[str, ...]:
    """English, then every language with a catalogue, by code."""
    found = sorted(p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/messages.po"))
    return (DEFAULT, *[code for code in found if code != DEFAULT])


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue of `lang` (no translation for English, the source language)."""
    if lang == DEFAULT or lang not in languages():
        return NullTranslations()
    with open(LOCALES / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


@cache
def direction(lang: str) -> str:
    """`rtl` or `ltr`, as the HTML `dir` attribute takes it."""
    try:
        return "rtl" if Locale.parse(lang).character_order == "right-to-left" else "ltr"
    except (UnknownLocaleError, ValueError):
        return "ltr"


@cache
def autonym(lang: str) -> str:
    """The language's name in itself (Français, العربية), as a language switcher shows it."""
    try:
        name = Locale.parse(lang).get_display_name(lang) or lang
    except (UnknownLocaleError, ValueError):
        return lang
    return name[:1].upper() + name[1:]


def choose(asked: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The language for a request: asked for in the URL, else the remembered one, else the
    browser's preference, else English."""
    for candidate in (asked, cookie):
        if candidate in languages():
            return candidate
    preferred = []
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().replace("-", "_")
        if code:
            preferred.append(code)
    return negotiate_locale(preferred, list(languages()), sep="_") or DEFAULT
