"""`rfl serve --model` and GET /model: a model saved by `rfl link --save-model` scores the
service's candidates and is named, by its sha256, in GET /model and in the audit entry of every
search and job; a file that cannot be read or does not fit the service's comparisons stops
`rfl serve` before the server starts, with one line and exit code 2."""

from __future__ import annotations

import json

import pytest
import uvicorn
from fastapi.testclient import TestClient

from benchmarks.generate import generate, write_dataset
from matching.model import Model
from rfl.cli import main
from rfl.search import default_model
from rfl_api_harness import enquiry, found, headers, last_audit, world_at


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    """A model learnt by `rfl link --save-model` on a small synthetic data set."""
    folder = tmp_path_factory.mktemp("learnt")
    write_dataset(generate(250, seed=3), folder)  # large enough to learn from
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


def _key(db, capsys, society: str, role: str) -> str:
    assert main(["keys", "create", "--society", society, "--role", role, "--db", str(db)]) == 0
    return capsys.readouterr().out.strip()


def test_serve_scores_with_the_given_model_and_names_it(saved_model, served, tmp_path, capsys):
    """The operator's path: keys, `rfl serve --model`, then GET /model and a search over HTTP."""
    db = tmp_path / "data" / "rfl.sqlite"
    deu, pol = _key(db, capsys, "DEU", "officer"), _key(db, capsys, "POL", "officer")
    assert main(["serve", "--db", str(db), "--port", "8123", "--model", str(saved_model)]) == 0
    [(app, options)] = served
    assert options["port"] == 8123
    sha256 = Model.from_json(saved_model).identity()["sha256"]
    assert sha256 != default_model().identity()["sha256"]
    with TestClient(app) as client:
        answer = client.get("/model", headers=headers(deu))
        assert answer.status_code == 200
        assert answer.json()["sha256"] == sha256 and answer.json()["shipped_default"] is False
        assert client.post("/enquiries", json=enquiry(), headers=headers(deu)).status_code == 201
        assert client.post("/found", json=found(), headers=headers(pol)).status_code == 201
        assert client.post("/enquiries/E1/candidates", headers=headers(deu)).status_code == 200
    search = last_audit(db, "match.search")
    assert (search["outcome"], search["target"], search["reason"]) == ("ok", "DEU:E1", f"model:{sha256}")


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
    (lambda m, t: str(t / "nowhere.json"), "no such file"),
    (lambda m, t: str(t), "is a folder"),
    (lambda m, t: _written(t, "{not json"), "is not a readable model (not JSON)"),
    (lambda m, t: _written(t, "[1, 2]"), "is not a readable model (is not a model document"),
    (lambda m, t: _written(t, '{"comparisons": []}'), "is not a readable model (is not a model document"),
    (lambda m, t: _written(t, m.read_text().replace('"prior": 0.', '"prior": 1.')),
     "is not a readable model (has a prior that is not a probability"),
    (lambda m, t: _written(t, m.read_text().replace('"m": 0.', '"m": NaN, "was": 0.', 1)),
     "is not a readable model (has an m of"),
    (lambda m, t: _edited(m, t, _drop_birth_date), "was learnt for other comparisons or levels (birth_date)"),
    (lambda m, t: _edited(m, t, _relabel_a_level), "was learnt for other comparisons or levels (first_name)"),
])
def test_serve_refuses_a_model_it_cannot_use_before_starting(saved_model, served, tmp_path, capsys, make, problem):
    path = make(saved_model, tmp_path)
    assert main(["serve", "--db", str(tmp_path / "rfl.sqlite"), "--model", path]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"rfl serve: error: {path}: {problem}") and err.count("\n") == 1
    assert served == [] and not (tmp_path / "rfl.sqlite").exists()  # nothing was started


def test_model_identity_is_for_every_role_and_names_the_model_of_searches_and_jobs(saved_model, database):
    model = Model.from_json(saved_model)
    identity = model.identity()
    with world_at(database, model=model) as world:
        for who, purpose in (("deu", "tracing"), ("deu_jobs", "reconciliation"), ("researcher", "research"),
                             ("deu_admin", "oversight"), ("pol", "access_request")):
            answer = world.call("GET", "/model", who, purpose=purpose)
            body = answer.json()
            assert answer.status_code == 200 and set(body) == {"sha256", "training", "shipped_default", "description"}
            assert body["sha256"] == identity["sha256"] and body["training"] == identity["training"]
            assert body["shipped_default"] is False
            entry = last_audit(world.db)
            assert (entry["action"], entry["outcome"]) == ("model.read", "ok")
            assert entry["reason"] == f"model:{identity['sha256']}"
        world.linked_pair()
        assert last_audit(world.db, "match.search")["reason"] == f"model:{identity['sha256']}"
        job = world.call("POST", "/reconciliations", "deu_jobs", purpose="reconciliation", json={})
        assert job.status_code == 202
        entry = last_audit(world.db, "reconcile.run")
        assert (entry["target"], entry["reason"]) == (f"job:{job.json()['id']}", f"model:{identity['sha256']}")
        assert world.call("GET", "/audit", "deu_admin", purpose="oversight").json()["chain_intact"] is True
        # a caller without a key, or for a purpose outside RFL, is refused like anywhere else
        assert world.client.get("/model", headers=headers(None)).json()["error"] == "not_a_movement_component"
        refused = world.call("GET", "/model", "deu", purpose="migration_control")
        assert refused.status_code == 403 and refused.json()["error"] == "purpose_outside_rfl"
        assert last_audit(world.db)["reason"] == "purpose_outside_rfl"


def test_model_identity_says_where_a_model_comes_from(saved_model, tmp_path):
    with world_at(tmp_path / "shipped" / "rfl.sqlite") as world:
        shipped = world.call("GET", "/model", "deu").json()
    assert shipped["sha256"] == default_model().identity()["sha256"] and shipped["shipped_default"] is True
    assert "shipped with rfl" in shipped["description"] and "synthetic" in shipped["description"]
    training = {"records": {"left": 150, "right": 300}, "learnt_at": "2026-12-03T14:00:00+00:00", "method": "em"}
    doc = json.loads(saved_model.read_text())
    doc["training"] = training
    recorded = tmp_path / "recorded.json"
    recorded.write_text(json.dumps(doc))
    with world_at(tmp_path / "recorded" / "rfl.sqlite", model=Model.from_json(recorded)) as world:
        answer = world.call("GET", "/model", "deu").json()
    assert answer["training"] == training and answer["shipped_default"] is False
    assert answer["sha256"] == Model.from_json(recorded).identity()["sha256"] != shipped["sha256"]
    assert "training record says where and when" in answer["description"]
    without = Model.from_json(saved_model)
    without.training = {}
    with world_at(tmp_path / "without" / "rfl.sqlite", model=without) as world:
        assert "no training record" in world.call("GET", "/model", "deu").json()["description"]
