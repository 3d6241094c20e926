"""`rfl demo`, the first command a new user runs: it writes what `rfl link` writes."""

import polars as pl

from matching.linker import REVIEW
from rfl.cli import main
from rfl.search import SHIPPED_SCORED


def test_demo_writes_what_rfl_link_writes(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--enquiries", "150", "--seed", "2", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "precision" in printed and "recall" in printed
    demo = pl.read_csv(out / "matches.csv")
    assert f"{demo.height:,} candidates written to {out / 'matches.csv'}" in printed  # the rows the file holds
    assert "next: rfl link" in printed
    assert SHIPPED_SCORED in printed  # 150 enquiries are too few to learn from
    assert set(demo["decision"]) <= {"match", "review"}
    assert demo["probability"].min() >= REVIEW and demo["rank"].max() <= 10
    assert main(["link", str(out / "enquiries.csv"), str(out / "found.csv"), "-o", str(tmp_path / "m.csv"), "-q"]) == 0
    linked = pl.read_csv(tmp_path / "m.csv")
    assert linked.columns == demo.columns
    assert linked.select("enquiry_id", "found_id").equals(demo.select("enquiry_id", "found_id"))
