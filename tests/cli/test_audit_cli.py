import json

from sqlalchemy import update

from hashinsight_desktop.cli.main import main
from hashinsight_desktop.services.accounts import create_first_owner
from hashinsight_desktop.services.crm.customers import create_customer
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve
from hashinsight_desktop.store.schema.accounts import audit_log


def test_export_and_verify(capsys, sqlite_url, tmp_path) -> None:
    target = resolve(sqlite_url)
    admin.upgrade(target)
    engine = create_db_engine(target)
    owner = create_first_owner(engine, "owner", "owner-password")
    for name in ("Acme Hosting", "Borealis Mining"):
        create_customer(engine, owner, name)
    out = tmp_path / "audit.jsonl"
    assert main(["audit", "export", "-o", str(out), "--db", sqlite_url]) == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == 2 and lines[1]["prev_hash"] == lines[0]["hash"]
    capsys.readouterr()
    assert main(["audit", "verify", "--db", sqlite_url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    with engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.id == lines[0]["id"])
                     .values(after_json='{"name": "Evil"}'))
    assert main(["audit", "verify", "--db", sqlite_url]) == 1
    assert "BROKEN at entry" in capsys.readouterr().out
    assert main(["audit", "export", "--format", "csv", "--db", sqlite_url]) == 0
    assert capsys.readouterr().out.startswith("id,at,user_id")
    engine.dispose()
