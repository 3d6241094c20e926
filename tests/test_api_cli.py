"""`rfl keys` and `rfl serve` as an operator runs them, and the OpenAPI contract."""

from __future__ import annotations

import re

import httpx

from api.errors import REFUSALS
from rfl.cli import main
from rfl_api_harness import ROOT, cli, enquiry, query, raw_bytes, rfl_serve, running


def test_keys_create_prints_the_key_once_and_stores_only_a_hash(database, capsys):
    db = database
    assert main(["keys", "create", "--society", "DEU", "--role", "officer", "--db", str(db)]) == 0
    key = capsys.readouterr().out.strip()
    assert re.fullmatch(r"rfl_[0-9a-f]{16}_[A-Za-z0-9_-]{43}", key)
    secret = key.split("_", 2)[2]
    assert secret.encode() not in raw_bytes(db)
    assert main(["keys", "list", "--db", str(db)]) == 0
    listed = capsys.readouterr().out
    assert "DEU\tofficer" in listed and secret not in listed
    key_id = key.split("_")[1]
    assert main(["keys", "revoke", "--key-id", key_id, "--db", str(db)]) == 0
    assert main(["keys", "create", "--society", "Germany", "--role", "officer", "--db", str(db)]) == 2
    assert main(["keys", "adherence", "--society", "XYZ", "--adheres", "no", "--db", str(db)]) == 0
    assert query(db, "SELECT adheres FROM societies WHERE code = 'XYZ'") == [(0,)]
    assert query(db, "SELECT revoked_at IS NOT NULL FROM api_keys") in ([(1,)], [(True,)])


def test_serve_runs_uvicorn_on_the_store(database):
    key = cli("keys", "create", "--society", "DEU", "--role", "officer", "--db", str(database)).strip()
    with rfl_serve(database) as (url, server):
        headers = {"X-RFL-Key": key, "X-RFL-Purpose": "tracing"}
        answer = httpx.post(url + "/enquiries", json=enquiry("SchewtschenkoO1984"), headers=headers)
        assert answer.status_code == 201
        shown = httpx.get(url + "/enquiries/SchewtschenkoO1984", headers=headers)
        assert shown.json()["fields"]["family_name"] == "Schewtschenko"
        dotted = httpx.get(url + "/enquiries/Schewtschenko.Olexandr.1984-03-12", headers=headers)
        assert dotted.status_code == 422  # ids are opaque: no dots, so no name-and-birth-date ids
    # Access logs name the route, not the path: a record id made of a name stays out of them too.
    assert '"GET /enquiries/{record_id}" 200' in server.log and '"GET /enquiries/{record_id}" 422' in server.log
    # the process id, port, model digest and timings are numbers of the server's own, which may hold 1984
    own = re.sub(r"process \[\d+\]|127\.0\.0\.1:\d+|sha256 [0-9a-f]+|\d+ ms", "", server.log)
    assert "Schewtschenko" not in own and "1984" not in own and key not in server.log


def test_openapi_documents_every_refusal_code(tmp_path):
    sources = "".join(p.read_text() for p in [*ROOT.joinpath("rfl").rglob("*.py"), *ROOT.joinpath("api").rglob("*.py")])
    raised = set(re.findall(r'Refusal\(\d{3}, "([a-z_]+)"', sources))
    assert raised and raised <= set(REFUSALS), raised - set(REFUSALS)
    with running(tmp_path / "rfl.sqlite") as client:
        document = client.get("/openapi.json").json()
    search = document["paths"]["/enquiries/{record_id}/candidates"]["post"]["responses"]
    assert "purpose_outside_rfl" in search["403"]["description"] and "not_found" in search["404"]["description"]
    disclose = document["paths"]["/enquiries/{record_id}/disclosures"]["post"]["responses"]
    assert "recipient_not_adherent" in disclose["403"]["description"]
    assert document["components"]["schemas"]["EnquiryIn"]["additionalProperties"] is False


def test_serve_with_another_data_key_says_so_in_one_line_before_starting(database, capsys, monkeypatch):
    import base64

    from rfl.crypto import KEY_ENV

    key = cli("keys", "create", "--society", "DEU", "--role", "officer", "--db", str(database)).strip()
    with rfl_serve(database) as (url, _server):
        headers = {"X-RFL-Key": key, "X-RFL-Purpose": "tracing"}
        assert httpx.post(url + "/enquiries", json=enquiry("E7"), headers=headers).status_code == 201
    capsys.readouterr()
    monkeypatch.setenv(KEY_ENV, base64.urlsafe_b64encode(b"another deployment's data key!!!").decode())
    assert main(["serve", "--db", str(database), "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "sealed with another data key" in err and "Traceback" not in err
