"""Fleet import: line-numbered errors, all valid rows or nothing, CSV and Excel."""

import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, insert, select

from hashinsight_desktop.cli.main import main
from hashinsight_desktop.services import fleet_import
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve
from hashinsight_desktop.store.schema.fleet import miner_tags, miners, sites

GOOD = ("ip,port,name,model,site,rack,position,client,tags\n"
        "10.0.0.1,4028,a1,Antminer S19 Pro,North,R1,1,Acme,hot;row-a\n"
        "10.0.0.2,,a2,S21,North,R1,2,,\n")


@pytest.fixture
def engine(db_url):
    target = resolve(db_url)
    admin.upgrade(target)
    e = create_db_engine(target)
    with e.begin() as conn:
        conn.execute(insert(sites), [{"name": "North"}])
    yield e
    e.dispose()


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(miners))


def test_valid_csv_imports_everything(engine, tmp_path: Path) -> None:
    f = tmp_path / "m.csv"
    f.write_text(GOOD)
    raw, _ = fleet_import.read_rows(f)
    preview = fleet_import.validate(engine, raw, create_missing=True)
    assert preview.ok and len(preview.rows) == 2
    assert any("Acme" in w for w in preview.warnings)
    assert fleet_import.apply(engine, preview) == 2
    with engine.connect() as conn:
        assert sorted(conn.scalars(select(miner_tags.c.tag))) == ["hot", "row-a"]
        assert conn.scalar(select(miners.c.model_name).where(miners.c.ip == "10.0.0.2")) == \
            "Antminer S21"


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(engine, tmp_path: Path) -> None:
    with engine.begin() as conn:
        conn.execute(insert(miners), [{"ip": "10.0.0.9", "port": 4028}])
    f = tmp_path / "bad.csv"
    f.write_text("ip;model;site;mac\n"
                 "10.0.0.1;S19 Pro;North;aa:bb:cc:dd:ee:ff\n"
                 "10.0.0.300;S19 Pro;North;\n"
                 "10.0.0.1;S19 Pro;North;\n"
                 "10.0.0.9;Antminer Q9000;Moon;zz\n")
    raw, _ = fleet_import.read_rows(f)
    preview = fleet_import.validate(engine, raw)
    messages = [str(e) for e in preview.errors]
    assert "line 3, ip: '10.0.0.300' is not an IP address" in messages
    assert "line 4, ip: 10.0.0.1:4028 repeats line 2" in messages
    assert any(m.startswith("line 5, model: unknown model 'Antminer Q9000'") for m in messages)
    assert any(m.startswith("line 5, site: unknown site 'Moon'") for m in messages)
    assert any(m.startswith("line 5, mac:") for m in messages)
    assert any(m.startswith("line 5, ip: 10.0.0.9:4028 is already in the fleet") for m in messages)
    with pytest.raises(fleet_import.ImportFileError, match="nothing imported"):
        fleet_import.apply(engine, preview)
    assert _count(engine) == 1


def test_excel_with_formula_or_merged_cells_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ip", "name"])
    sheet.append(["10.0.0.1", "=UPPER(\"a\")"])
    path = tmp_path / "f.xlsx"
    book.save(path)
    with pytest.raises(fleet_import.ImportFileError, match="B2 holds a formula"):
        fleet_import.read_rows(path)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ip", "name"])
    sheet.append(["10.0.0.1", "x"])
    sheet.merge_cells("A2:B2")
    book.save(path)
    with pytest.raises(fleet_import.ImportFileError, match="merged cells"):
        fleet_import.read_rows(path)


def test_excel_numbers_and_encodings(engine, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["IP", "Port", "Position", "Site"])
    sheet.append(["10.0.1.1", 4029, 7, "North"])
    path = tmp_path / "ok.xlsx"
    book.save(path)
    raw, _ = fleet_import.read_rows(path)
    preview = fleet_import.validate(engine, raw)
    assert preview.ok and preview.rows[0]["port"] == 4029 and preview.rows[0]["position"] == 7
    latin = tmp_path / "latin.csv"
    latin.write_bytes("ip,name\n10.0.2.1,Caf\xe9\n".encode("cp1252"))
    raw, warnings = fleet_import.read_rows(latin)
    assert raw[0][1]["name"] == "Café" and "Windows-1252" in warnings[0]
    with pytest.raises(fleet_import.ImportFileError, match="no 'ip' column"):
        (tmp_path / "h.csv").write_text("address,name\n1.2.3.4,x\n")
        fleet_import.read_rows(tmp_path / "h.csv")


def test_cli_dry_run_and_import(capsys, sqlite_url: str, tmp_path: Path) -> None:
    f = tmp_path / "m.csv"
    f.write_text(GOOD)
    assert main(["fleet", "import", str(f), "--db", sqlite_url, "--dry-run",
                 "--create-missing", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["valid"] == 2 and doc["imported"] == 0
    assert main(["fleet", "import", str(f), "--db", sqlite_url, "--create-missing"]) == 0
    assert "imported 2 miners" in capsys.readouterr().out
    assert main(["fleet", "import", str(f), "--db", sqlite_url]) == 1
    out = capsys.readouterr().out
    assert "already in the fleet" in out and "nothing imported" in out
