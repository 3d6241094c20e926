"""A file too small to learn from (issue #9's 5 x 10 case: Arabic script, Cyrillic, Somali and
Ge'ez spellings, a brother, a sister and namesakes) is scored with the model shipped with rfl,
says so, and ranks every true pair first without calling a sibling or a namesake a match."""

import polars as pl

from rfl.cli import main

COLUMNS = "record_id,society,given_names,family_name,father_name,sex,birth_date,age,recorded_on,birth_place,nationality"
ENQUIRIES = """E1,DEU,Mohammed,Hassan,Ahmed,M,1985-03-12,,,Aleppo,SYR
E2,POL,Oleksandr,Shevchenko,Petrovych,M,1979-06-02,,,Kharkiv,UKR
E3,SWE,Faadumo,Faarax,Cabdi,F,1990,,,Muqdisho,SOM
E4,ITA,Tesfaye,Gebremedhin,,M,1988,,,Asmara,ERI
E5,DEU,Zahra,Karimi,,F,1995-07-14,,,Herat,AFG"""
FOUND = """F1,LBN,محمد,حسن,أحمد,M,1985-03-12,,,حلب,SYR
F2,UKR,Олександр,Шевченко,Петрович,M,1979-06-02,,,Харків,UKR
F3,KEN,Fadumo,Farah,Abdi,F,,34,2024-05-01,Mogadishu,SOM
F4,ICRC,Tesfay,G/Medhin,,M,1988,,,Asmara,ERI
F5,TUR,Zehra,Kerimi,,F,1995-07-14,,,Herat,AFG
F6,LBN,Ali,Hassan,Ahmed,M,1988-01-20,,,Aleppo,SYR
F7,TUR,Maryam,Karimi,,F,1998-02-02,,,Herat,AFG
F8,EGY,Mohamed,Hassan,Mahmoud,M,1962,,,Cairo,EGY
F9,KEN,Fadumo,Abdi,,F,1960,,,Kismaayo,SOM
F10,UKR,Oleksandr,Shevchenko,Ivanovych,M,1955,,,Lviv,UKR"""
TRUE = {"E1": "F1", "E2": "F2", "E3": "F3", "E4": "F4", "E5": "F5"}


def test_a_five_by_ten_file_is_scored_with_the_shipped_model_and_ranked_right(tmp_path, capsys):
    (tmp_path / "enquiries.csv").write_text(f"{COLUMNS}\n{ENQUIRIES}\n", encoding="utf-8")
    (tmp_path / "found.csv").write_text(f"{COLUMNS}\n{FOUND}\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["link", str(tmp_path / "enquiries.csv"), str(tmp_path / "found.csv"), "-o", str(out),
                 "--min-probability", "0"]) == 0
    assert "scored with the model shipped with rfl" in capsys.readouterr().err
    pairs = pl.read_csv(out)
    best = {e: f for e, f in pairs.filter(pl.col("rank") == 1).select("enquiry_id", "found_id").iter_rows()}
    assert best == TRUE
    matched = set(pairs.filter(pl.col("decision") == "match")["found_id"])
    assert matched == set(TRUE.values())  # no brother, sister or namesake among the matches
