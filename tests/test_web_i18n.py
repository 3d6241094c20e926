"""The workspace's languages: complete catalogues, right-to-left Arabic, translated pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from api.web import i18n
from rfl_api_harness import world_at
from rfl_web_harness import sign_in

WEB = Path(i18n.__file__).parent
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _used() -> set[str]:
    """Every message the templates and Python files of the workspace use, as pybabel finds them."""
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    return {msg if isinstance(msg, str) else msg[0]
            for _, _, msg, _, _ in extract_from_dir(str(WEB), method_map, keywords=keywords)}


@pytest.mark.parametrize("lang", [code for code in i18n.languages() if code != i18n.DEFAULT])
def test_each_catalogue_translates_every_message_and_no_stale_one(lang):
    with open(WEB / "locales" / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    translated = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}
    used = _used()
    assert sorted(used - set(translated)) == []
    assert sorted(set(translated) - used) == []
    for message in translated.values():
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        texts = [message.string] if isinstance(message.string, str) else list(message.string)
        assert texts and all(texts), f"untranslated: {ids[0]}"
        wanted = set(_PLACEHOLDER.findall(ids[-1]))  # placeholders and literal % survive translation
        for text in texts:
            assert set(_PLACEHOLDER.findall(text)) == wanted and text.count("%%") == ids[0].count("%%"), ids[0]


def test_languages_come_from_the_catalogues_and_arabic_is_right_to_left():
    assert i18n.languages()[0] == "en" and {"fr", "ar"} <= set(i18n.languages())
    assert [i18n.direction(c) for c in ("en", "fr", "ar")] == ["ltr", "ltr", "rtl"]
    assert i18n.autonym("ar") == "العربية"
    assert i18n.choose(None, None, "ar-LB,ar;q=0.9,en;q=0.5") == "ar"
    assert i18n.choose(None, "fr", "ar") == "fr" and i18n.choose(None, "xx", "de-DE") == "en"


def test_pages_follow_the_chosen_language(database):
    with world_at(database) as world:
        sign_in(world.client, world.keys["deu"])
        assert world.client.get("/web/lang/ar?next=/web/", follow_redirects=False).status_code == 303
        page = world.client.get("/web/")
        assert '<html lang="ar" dir="rtl">' in page.text and "قائمة العمل" in page.text
        world.client.get("/web/lang/fr?next=/web/")
        assert "File de travail" in world.client.get("/web/").text
        answer = world.client.get("/web/lang/fr?next=https://elsewhere.example/", follow_redirects=False)
        assert answer.headers["location"] == "/web/"  # never a redirect off the workspace


def test_every_comparison_the_engine_makes_has_a_heading_and_the_enquiry_s_own_value():
    """An officer reads each comparison under a translated heading, beside what the enquiry
    itself says (the parents' second names as the engine reads them: a father's, where the father
    field gives one name only, is the third link of a given-name chain)."""
    from api.web.evidence import COMPARISONS, enquiry_value
    from matching.compare import Comparer
    from matching.prepare import Vocab
    from rfl.schema import FIELDS

    made = [c.name for c in Comparer.of(Vocab(), FIELDS).comparisons]
    assert set(made) <= set(COMPARISONS)
    enquiry = {"given_names": "Ali Ahmed Hasan", "mother_name": "Fatima Nazari", "father_name": None}
    assert enquiry_value("father_second_name", enquiry) == "Hasan"
    assert enquiry_value("mother_second_name", enquiry) == "Nazari"
    assert enquiry_value("father_second_name", {**enquiry, "father_name": "Ahmed Omar"}) == "Omar"
    assert enquiry_value("mother_second_name", {"mother_name": "Fatima"}) is None
