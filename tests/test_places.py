"""A birth place written in another script, transliteration or language is the same place."""

import numpy as np
import polars as pl

from matching import places
from matching.compare import Comparer
from matching.prepare import Vocab, prepare
from rfl.schema import FIELDS


def test_a_city_s_names_in_any_script_or_language_are_one_name():
    for names in (["Aleppo", "Alep", "Halab", "Ḥalab", "حلب"],
                  ["Kyiv", "Kiev", "Київ", "Киев", "Kijów"],
                  ["Kharkiv", "Kharkov", "Харків", "Харьков"],
                  ["Mogadishu", "Muqdisho", "Xamar", "مقديشو"],
                  ["Mosul", "al-Mawṣil", "Al Mawsil", "الموصل"],
                  ["Asmara", "Asmera", "ኣስመራ", "አስመራ"],
                  ["Deir ez-Zor", "Dayr az Zawr", "دير الزور"]):
        assert len({places.canonical(n) for n in names}) == 1, names
        assert places.canonical(names[0]) is not None
    assert places.canonical("Aleppo") != places.canonical("Homs")


def test_what_the_gazetteer_does_not_know_keeps_its_own_spelling():
    assert places.canonical("Kafr Nubl al-Gharbi camp block 7") is None  # a place too small or unlisted
    assert places.canonical("") is None and places.canonical("  -- ") is None
    assert places.canonical("Aleppo, Syria") == places.canonical("Aleppo")  # a country after a comma


def test_a_city_s_own_name_comes_before_another_city_s_other_name():
    """Véroia in Greece is Beroia, one of Aleppo's historical names: a record from Véroia is
    not born in Aleppo. Two records that say Tripoli agree, whichever Tripoli it is."""
    assert places.canonical("Veroia") != places.canonical("Aleppo")
    assert places.canonical("Tripoli") == places.canonical("طرابلس")


def test_birth_places_in_two_scripts_compare_as_the_same_place():
    records = pl.DataFrame({
        "record_id": ["a", "b", "c", "d"],
        "given_names": ["Khaled", "خالد", "Khaled", "Khaled"],
        "birth_place": ["Aleppo", "حلب", "Halab", "Homs"],
    })
    vocab = Vocab()
    side = prepare(records, FIELDS, vocab)
    comparer = Comparer(vocab, FIELDS.exact, FIELDS.fuzzy, FIELDS.family_fields)
    left, right = np.array([0, 0, 0]), np.array([1, 2, 3])
    same = comparer.comparators[[c.name for c in comparer.comparators].index("birth_place")].labels.index("same")
    assert comparer.levels(side, side, left, right)["birth_place"].tolist() == [same, same, 0]
    assert side.place[0] == side.place[1] == side.place[2] != side.place[3]  # one place code for blocking
