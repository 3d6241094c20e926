"""`rfl keys` as an operator and a script meet it: the key alone on stdout, the advice on stderr."""

from rfl.cli import main


def test_create_prints_the_key_alone_and_warns_it_is_shown_once(tmp_path, capsys):
    db = tmp_path / "rfl.sqlite"
    assert main(["keys", "create", "--society", "DEU", "--role", "officer", "--db", str(db)]) == 0
    printed = capsys.readouterr()
    key = printed.out.removesuffix("\n")
    assert key.startswith("rfl_") and "\n" not in key and " " not in key  # `KEY=$(rfl keys create ...)` works
    assert printed.err == "rfl keys: this key is shown once — store it now; it cannot be shown again\n"


def test_list_has_a_header_row(tmp_path, capsys):
    db = tmp_path / "rfl.sqlite"
    assert main(["keys", "list", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "key_id\tsociety\trole\tcreated\tstate\n"
    assert main(["keys", "create", "--society", "FRA", "--role", "officer", "--db", str(db)]) == 0
    key_id = capsys.readouterr().out.split("_")[1]
    assert main(["keys", "list", "--db", str(db)]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split("\t") == ["key_id", "society", "role", "created", "state"]
    assert row.split("\t")[:3] == [key_id, "FRA", "officer"] and row.endswith("\tactive")
