"""`rfl link --report` and `rfl bench --report`: one offline HTML file of figures and charts,
holding no record's content."""

from __future__ import annotations

import re

import polars as pl

from rfl.cli import main


def _personal(folder) -> set[str]:
    """Names, birth dates and ids of the generated people, any of which must stay out of a report."""
    values = set()
    for name in ("enquiries.csv", "found.csv"):
        frame = pl.read_csv(folder / name, infer_schema=False)
        for column in ("record_id", "family_name", "given_names", "birth_date", "birth_place"):
            values |= {v for v in frame[column].drop_nulls().to_list() if len(v) >= 5}
    return values


def _text_outside_charts(page: str) -> str:
    return re.sub(r"<svg.*?</svg>", "", page, flags=re.S)


def test_link_report_is_self_contained_and_holds_figures_only(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["generate", "-o", str(data), "--enquiries", "150", "--seed", "3"]) == 0
    report = tmp_path / "out" / "link.html"
    assert main(["link", str(data / "enquiries.csv"), str(data / "found.csv"), "-o", str(tmp_path / "m.csv"),
                 "--labels", str(data / "truth.csv"), "--report", str(report), "-q"]) == 0
    page = report.read_text(encoding="utf-8")
    assert page.count("<svg") == 4  # precision-recall, calibration, histogram, model weights
    assert "Per nationality of the enquiries" in page and "weight (bits)" in page
    assert "Share of enquiries whose person is among their candidates" in page  # the one-person rule's figure
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)  # nothing fetched when opened
    words = set(re.findall(r"[\w-]+", page))
    assert not (_personal(data) & words)


def test_bench_report_draws_every_linker(tmp_path, capsys):
    report = tmp_path / "bench.html"
    assert main(["bench", "--generate", "120", "--seed", "2", "--linker", "rfl", "baseline",
                 "--report", str(report), "--json", str(tmp_path / "b.json"), "-q"]) == 0
    page = report.read_text(encoding="utf-8")
    assert "Precision against recall" in page and "Calibration" in page
    assert "Linker rfl" in page and "Linker baseline" in page and "per nationality of the sought person" in page
    assert "m: share among true pairs" in page  # the rfl model's weights with m and u
    assert "series" not in (tmp_path / "b.json").read_text()  # the JSON figures stay as they were
    assert not re.search(r"\b[EF]\d{6}\b", _text_outside_charts(page))  # no record ids


def test_the_model_section_says_how_often_each_population_names_its_birth_place_differently():
    from rfl.report import weights_section
    from rfl.search import default_model

    document = default_model().document()
    document.pop("population_m", None)
    assert "name different birth places" not in weights_section(document)
    document["population_m"] = {"SYR": {"birth_place": [0.08, 0.06, 0.86]}, "": {"birth_place": [0.03, 0.06, 0.91]}}
    said = _text_outside_charts(weights_section(document))
    assert "name different birth places" in said and "SYR 0.080" in said and "no nationality 0.030" in said


def test_the_model_section_says_which_populations_keep_less_of_their_names_and_which_are_lifted():
    from rfl.report import weights_section
    from rfl.search import default_model

    document = default_model().document()
    document.update(population_name_weight={}, population_lift_bits={})  # every population as learnt
    plain = weights_section(document)
    assert "weight names agreeing keep" not in plain and "Bits every pair gains" not in plain
    document.update(population_name_weight={"SOM": 0.82}, population_lift_bits={"LBY": 1.25, "": 0.5})
    said = _text_outside_charts(weights_section(document))
    assert "SOM 0.82" in said and "LBY +1.25" in said and "no nationality +0.50" in said
