"""CLI conventions: --version, --json documents, one-line errors, --db override."""

import json
import subprocess
import sys

import pytest

from hashinsight_desktop import __version__
from hashinsight_desktop.cli.main import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version_from_the_one_source(capsys) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"hashinsight {__version__}"


@pytest.mark.parametrize("argv", [
    ["--json", "config", "show"], ["config", "--json", "show"], ["config", "show", "--json"]])
def test_json_anywhere_on_the_line(capsys, argv: list[str]) -> None:
    assert main(argv) == 0
    assert "settings" in json.loads(capsys.readouterr().out)


def test_gui_version_without_a_display() -> None:
    out = subprocess.run([sys.executable, "-m", "hashinsight_desktop.ui.app", "--version"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == f"hashinsight-desktop {__version__}"


def test_config_show_json_is_one_document(capsys) -> None:
    code, out, _ = run(capsys, "config", "show", "--json")
    assert code == 0
    doc = json.loads(out)
    keys = {row["key"] for row in doc["settings"]}
    assert {"database.url", "collector.telemetry_interval_s", "ui.theme"} <= keys


def test_config_set_and_errors(capsys) -> None:
    code, out, _ = run(capsys, "config", "set", "ui.theme", "light", "--json")
    assert code == 0 and json.loads(out)["value"] == "light"
    code, out, err = run(capsys, "config", "set", "ui.colour", "light")
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and "unknown setting 'ui.colour'" in err
    code, _, err = run(capsys, "config", "set", "collector.telemetry_interval_s", "soon")
    assert code != 0 and "must be int" in err and "Traceback" not in err


def test_db_upgrade_and_current_with_db_override(capsys, db_url: str) -> None:
    code, out, _ = run(capsys, "db", "upgrade", "--db", db_url, "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["upgraded"] is True and doc["to_revision"]
    code, out, _ = run(capsys, "db", "current", "--db", db_url, "--json")
    assert json.loads(out)["state"] == "current"
    code, out, _ = run(capsys, "db", "check", "--db", db_url, "--json")
    assert code == 0 and json.loads(out)["ok"] is True


def test_db_errors_are_one_line(capsys, tmp_path) -> None:
    code, out, err = run(capsys, "db", "check", "--db", "mysql://x@y/z")
    assert code == 1 and out == "" and err.count("\n") == 1 and "unsupported database" in err
    missing = tmp_path / "nope.db"
    code, _, err = run(capsys, "db", "current", "--db", f"sqlite:///{missing}")
    assert code == 1 and "no database file" in err and not missing.exists()


def test_debug_shows_traceback(capsys) -> None:
    from hashinsight_desktop.cli.errors import CliError

    with pytest.raises(CliError):
        main(["db", "check", "--db", "mysql://x@y/z", "--debug"])


def test_db_backup_and_restore_cli(capsys, sqlite_url: str, tmp_path) -> None:
    assert run(capsys, "db", "upgrade", "--db", sqlite_url)[0] == 0
    backup = tmp_path / "farm-backup.db"
    code, out, _ = run(capsys, "db", "backup", str(backup), "--db", sqlite_url, "--json")
    assert code == 0 and json.loads(out)["bytes"] > 0 and backup.exists()
    code, out, _ = run(capsys, "db", "restore", str(backup), "--db", sqlite_url, "--yes",
                       "--json")
    assert code == 0 and json.loads(out)["restored_from"] == str(backup.resolve())
