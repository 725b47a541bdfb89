"""``hashinsight curtail create/list/show/approve/run/recover`` and ``plan`` from the database."""

from __future__ import annotations

import json

import pytest

from hashinsight_desktop.cli.main import main
from hashinsight_desktop.collector.cycle import CycleSettings, run_cycle_once
from hashinsight_desktop.services import secrets
from hashinsight_desktop.services.fleet_populate import populate
from hashinsight_desktop.simulator import SimulatedFleet, build_fleet
from hashinsight_desktop.store.admin import open_for_use
from hashinsight_desktop.store.database import resolve


def _json(capsys: pytest.CaptureFixture[str], argv: list[str], expect: int = 0) -> dict:
    code = main(argv)
    out = capsys.readouterr()
    assert code == expect, out.err
    return json.loads(out.out)


@pytest.fixture
def farm_db(sqlite_url: str):
    specs = build_fleet(120, seed=4, bind="127.92.0.0/16")
    engine = open_for_use(resolve(sqlite_url))
    populate(engine, specs)
    yield engine, specs
    engine.dispose()


def test_cli_lifecycle_against_simulator(farm_db, sqlite_url, add_user, capsys) -> None:
    engine, specs = farm_db
    add_user(engine, "boss", "owner")
    secrets.set_secret("miner-family:whatsminer_v2", "admin", "admin")  # simulator default
    db = ["--db", sqlite_url, "--json"]
    with SimulatedFleet(specs, seed=4) as fleet:
        run_cycle_once(engine, CycleSettings())
        created = _json(capsys, ["curtail", "create", "--target-kw", "60", *db])
        plan_id = created["id"]
        assert created["status"] == "draft" and created["created_by"] == "boss"
        assert created["client_impact"] and created["actions"]
        listed = _json(capsys, ["curtail", "list", *db])
        assert [p["id"] for p in listed["plans"]] == [plan_id]
        approved = _json(capsys, ["curtail", "approve", str(plan_id), *db])
        assert approved["by"] == "boss"
        before = fleet.total_power_w()
        ran = _json(capsys, ["curtail", "run", str(plan_id), "--batch", "50", *db])
        assert ran["status"] == "active", ran["message"]
        assert before - fleet.total_power_w() >= 60_000 * 0.98
        shown = _json(capsys, ["curtail", "show", str(plan_id), *db])
        assert shown["status"] == "active" and shown["result"]["shed_kw"] >= 60
        assert shown["action_counts"].get("verified", 0) == ran["verified"]
        recovered = _json(capsys, ["curtail", "recover", str(plan_id), "--batch", "1000",
                                   "--interval", "0", *db])
        assert recovered["status"] == "completed" and recovered["batches"] == 1
    assert main(["curtail", "show", str(plan_id), "--db", sqlite_url]) == 0
    assert "completed" in capsys.readouterr().out


def test_cli_refusals_are_one_line(farm_db, sqlite_url, add_user, capsys) -> None:
    engine, _specs = farm_db
    db = ["--db", sqlite_url]
    assert main(["curtail", "create", "--target-kw", "30", *db]) == 1
    assert "no owner or admin user" in capsys.readouterr().err
    add_user(engine, "boss", "owner")
    add_user(engine, "seller", "sales")
    assert main(["curtail", "create", "--target-kw", "30", "--user", "nobody", *db]) == 1
    assert "--user 'nobody'" in capsys.readouterr().err
    assert main(["curtail", "create", "--target-kw", "30", "--site", "XX9", *db]) == 1
    assert "unknown site 'XX9'" in capsys.readouterr().err
    assert main(["curtail", "create", "--target-kw", "30", *db]) == 0
    capsys.readouterr()
    assert main(["curtail", "approve", "1", "--user", "seller", *db]) == 1
    assert "may not approve" in capsys.readouterr().err
    assert main(["curtail", "run", "1", *db]) == 1
    assert "cannot execute plan 1: its status is 'draft'" in capsys.readouterr().err
    assert main(["curtail", "recover", "1", "--batch", "0", *db]) == 1
    assert "--batch must be at least 1" in capsys.readouterr().err
    assert main(["curtail", "show", "99", *db]) == 1
    assert "no curtailment plan with id 99" in capsys.readouterr().err


def test_plan_command_reads_the_database_fleet(farm_db, sqlite_url, capsys) -> None:
    payload = _json(capsys, ["curtail", "plan", "--target-kw", "40", "--site", "TX1",
                             "--db", sqlite_url, "--json"])
    assert payload["site"] == "TX1" and payload["shed_kw"] >= 40
    assert payload["load_before_kw"] > 0
