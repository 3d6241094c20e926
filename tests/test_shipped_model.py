"""The model shipped with rfl is what its recipe (benchmarks/shipped_model.py) learns today: a
change to the comparisons or their weighing that forgot to learn it again fails here."""

import json
from importlib import resources

import pytest

from benchmarks.shipped_model import learn


def test_the_shipped_model_is_what_its_recipe_learns(tmp_path):
    shipped = json.loads(resources.files("rfl").joinpath("default_model.json").read_text("utf-8"))
    learn().to_json(tmp_path / "model.json")
    fresh = json.loads((tmp_path / "model.json").read_text("utf-8"))
    assert fresh["training"]["data"] == shipped["training"]["data"]
    assert fresh["prior"] == pytest.approx(shipped["prior"], rel=1e-4)
    assert fresh["tf_base"].keys() == shipped["tf_base"].keys()
    assert list(fresh["tf_base"].values()) == pytest.approx(list(shipped["tf_base"].values()), rel=1e-4)
    for new, old in zip(fresh["comparisons"], shipped["comparisons"], strict=True):
        assert {k: v for k, v in new.items() if k != "levels"} == {k: v for k, v in old.items() if k != "levels"}
        assert [level["label"] for level in new["levels"]] == [level["label"] for level in old["levels"]]
        for key in ("m", "u"):
            assert [level[key] for level in new["levels"]] == pytest.approx([level[key] for level in old["levels"]],
                                                                            rel=1e-4, abs=1e-9), (new["name"], key)
