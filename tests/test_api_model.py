"""`rfl serve --model`: a model saved by `rfl link --save-model` scores the service's candidates;
a file that cannot be read or does not fit the service's comparisons stops `rfl serve` before
the server starts, with one line and exit code 2."""

from __future__ import annotations

import json

import pytest
import uvicorn
from fastapi.testclient import TestClient

from benchmarks.generate import generate, write_dataset
from matching.model import Model
from rfl.cli import main


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    """A model learnt by `rfl link --save-model` on a small synthetic data set."""
    folder = tmp_path_factory.mktemp("learnt")
    write_dataset(generate(150, seed=3), folder)
    path = folder / "model.json"
    args = ["link", str(folder / "enquiries.csv"), str(folder / "found.csv"), "-o", str(folder / "pairs.csv")]
    assert main([*args, "--save-model", str(path), "-q"]) == 0
    return path


@pytest.fixture
def served(monkeypatch):
    """What `rfl serve` hands to uvicorn, instead of starting a server."""
    apps = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: apps.append((app, options)))
    return apps


def test_serve_scores_with_the_given_model(saved_model, served, tmp_path):
    db = tmp_path / "data" / "rfl.sqlite"
    assert main(["serve", "--db", str(db), "--port", "8123", "--model", str(saved_model)]) == 0
    [(app, options)] = served
    assert options["port"] == 8123
    with TestClient(app) as client:
        scoring = client.app.state.service.context.index.model
        assert scoring.identity() == Model.from_json(saved_model).identity()


def _written(tmp_path, text: str) -> str:
    path = tmp_path / "broken.json"
    path.write_text(text)
    return str(path)


def _edited(saved_model, tmp_path, change) -> str:
    doc = json.loads(saved_model.read_text())
    change(doc)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc))
    return str(path)


def _drop_birth_date(doc):
    doc["comparisons"] = [c for c in doc["comparisons"] if c["name"] != "birth_date"]


def _relabel_a_level(doc):
    doc["comparisons"][0]["levels"][0]["label"] = "something else"


@pytest.mark.parametrize("make, problem", [
    (lambda m, t: str(t / "nowhere.json"), "is not a readable model: FileNotFoundError"),
    (lambda m, t: str(t), "is not a readable model: IsADirectoryError"),
    (lambda m, t: _written(t, "{not json"), "is not a readable model: JSONDecodeError"),
    (lambda m, t: _written(t, "[1, 2]"), "is not a readable model: TypeError"),
    (lambda m, t: _written(t, '{"comparisons": []}'), "is not a readable model: KeyError"),
    (lambda m, t: _edited(m, t, _drop_birth_date), "was learnt for other comparisons or levels (birth_date)"),
    (lambda m, t: _edited(m, t, _relabel_a_level), "was learnt for other comparisons or levels (first_name)"),
])
def test_serve_refuses_a_model_it_cannot_use_before_starting(saved_model, served, tmp_path, capsys, make, problem):
    path = make(saved_model, tmp_path)
    assert main(["serve", "--db", str(tmp_path / "rfl.sqlite"), "--model", path]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"rfl serve: error: {path}: {problem}") and err.count("\n") == 1
    assert served == [] and not (tmp_path / "rfl.sqlite").exists()  # nothing was started
