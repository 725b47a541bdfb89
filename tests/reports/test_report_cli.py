"""``hashinsight report``: arguments, period parsing, one-line errors, --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_farm import Farm

from hashinsight_desktop.cli.main import main


def test_fleet_pdf_and_xlsx_from_the_cli(farm: Farm, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "nov.pdf"
    assert main(["report", "fleet", "-o", str(out), "--db", farm.url, "--from", "2026-11-01",
                 "--to", "2026-11-03"]) == 0
    assert out.is_file() and "wrote" in capsys.readouterr().out
    xlsx = tmp_path / "nov.xlsx"
    assert main(["--json", "report", "fleet", "-o", str(xlsx), "--db", farm.url,
                 "--month", "2026-11", "--lang", "zh_CN"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == "xlsx" and doc["rows"] == len(farm.miner_ids)
    assert doc["period"] == {"start": 1_793_491_200, "end": 1_793_491_200 + 30 * 86400}
    assert doc["has_data"] is True and doc["figures"]["cycles"] == 864


@pytest.mark.parametrize(("argv", "message"), [
    (["report", "site", "-o", "x.pdf"], "not available yet"),
    (["report", "bogus", "-o", "x.pdf"], "unknown report kind 'bogus'"),
    (["report", "fleet", "-o", "x.txt"], "cannot tell the format"),
    (["report", "fleet", "-o", "x.pdf", "--format", "xlsx"], "does not match"),
    (["report", "fleet", "-o", "x.pdf", "--month", "2026-13"], "--month '2026-13'"),
    (["report", "fleet", "-o", "x.pdf", "--from", "2026-11-01"], "--from and --to go together"),
    (["report", "fleet", "-o", "x.pdf", "--from", "2026-11-05", "--to", "2026-11-01"],
     "is before"),
    (["report", "fleet", "-o", "x.pdf", "--month", "2026-11", "--to", "2026-11-01"],
     "not both"),
    (["report", "fleet", "-o", "x.pdf", "--lang", "fr"], "language 'fr'"),
])
def test_bad_arguments_give_one_line(argv: list[str], message: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err


def test_unwritable_output_and_unknown_site(farm: Farm, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "fleet", "-o", str(tmp_path / "no" / "r.pdf"), "--db", farm.url]) == 1
    assert "folder" in capsys.readouterr().err
    assert main(["report", "fleet", "-o", str(tmp_path / "r.pdf"), "--db", farm.url,
                 "--site", "Mars"]) == 1
    assert "site 'Mars' not found" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()
