import json

from hashinsight_desktop.cli.main import main


def test_list_and_add_own_model(capsys, sqlite_url) -> None:
    assert main(["catalog", "list", "--json", "--db", sqlite_url]) == 0
    models = json.loads(capsys.readouterr().out)["models"]
    assert len(models) >= 30 and all(m["source"] for m in models)
    makes = {m["make"] for m in models}
    assert {"Bitmain", "MicroBT", "Canaan", "Bitdeer", "Auradine"} <= makes
    assert main(["catalog", "add", "--make", "Acme", "--model", "Hasher X1",
                 "--hashrate-ths", "250", "--power-w", "3500", "--db", sqlite_url]) == 0
    capsys.readouterr()
    assert main(["catalog", "list", "--json", "--db", sqlite_url]) == 0
    added = [m for m in json.loads(capsys.readouterr().out)["models"] if m["model"] == "Hasher X1"]
    assert added and added[0]["builtin"] is False and added[0]["efficiency_j_th"] == 14.0


def test_bad_models_are_refused(capsys, sqlite_url) -> None:
    args = ["catalog", "add", "--make", "Acme", "--db", sqlite_url]
    assert main([*args, "--model", "Y", "--hashrate-ths", "1", "--power-w", "3000"]) == 1
    assert "absurd" in capsys.readouterr().err
    assert main([*args, "--model", "Antminer S21", "--hashrate-ths", "200",
                 "--power-w", "3500"]) == 1
    assert "already has" in capsys.readouterr().err
