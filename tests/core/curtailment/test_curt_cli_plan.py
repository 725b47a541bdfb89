"""``hashinsight curtail plan`` end to end through the real dispatcher."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from hashinsight_desktop.cli.main import main

FLEET = """id,ip,hashrate_ths,power_w,site,group,client,pinned
a1,10.0.0.1,100,3250,s1,c1,acme,
a2,10.0.0.2,95,3250,s1,c1,acme,no
a3,10.0.0.3,110,3250,s1,c2,beta,yes
a4,10.0.0.4,200,3500,s1,c2,beta,0
a5,10.0.0.5,140,3000,s2,c3,acme,0
"""

KEYS = ("strategy", "solver", "status", "target_kw", "shed_kw", "hashrate_lost_ths",
        "lp_bound_ths", "gap_pct", "greedy_hashrate_lost_ths", "solve_ms", "actions")


@pytest.fixture
def fleet_file(tmp_path: Path) -> Path:
    path = tmp_path / "fleet.csv"
    path.write_text(FLEET, encoding="utf-8")
    return path


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, dict]:
    code = main(argv)
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_plan_json_has_the_documented_keys(capsys, fleet_file: Path) -> None:
    code, doc = _json(capsys, ["curtail", "plan", "--target-kw", "5", "--fleet-file",
                               str(fleet_file), "--json"])
    assert code == 0
    for key in KEYS:
        assert key in doc, key
    assert doc["status"] == "optimal"
    assert doc["solver"] == "highs"
    assert doc["shed_kw"] >= 5
    assert {a["miner_id"] for a in doc["actions"]} == {"a1", "a2"}
    assert set(doc["actions"][0]) >= {"miner_id", "ip", "action", "power_saved_w",
                                      "hashrate_lost_ths"}


def test_plan_with_modes_on_a_site_under_a_cap(capsys, fleet_file: Path) -> None:
    code, doc = _json(capsys, ["curtail", "plan", "--cap-kw", "9", "--site", "s1", "--modes",
                               "--fleet-file", str(fleet_file), "--json"])
    assert code == 0
    assert doc["load_after_kw"] <= 9
    assert all(a["miner_id"] != "a3" for a in doc["actions"])  # pinned
    assert any(a["action"].startswith("mode:") for a in doc["actions"])
    assert doc["hashrate_lost_ths"] <= doc["greedy_hashrate_lost_ths"]


def test_plan_greedy_and_group_limits(capsys, fleet_file: Path) -> None:
    code, doc = _json(capsys, ["curtail", "plan", "--target-kw", "6", "--strategy", "greedy",
                               "--group-max-off", "1", "--fleet-file", str(fleet_file),
                               "--json"])
    assert code == 0
    assert doc["solver"] == "greedy"
    groups = {"a1": "c1", "a2": "c1", "a4": "c2", "a5": "c3"}
    off = [groups[a["miner_id"]] for a in doc["actions"]]
    assert len(off) == len(set(off))


def test_plan_revenue_objective(capsys, fleet_file: Path) -> None:
    code, doc = _json(capsys, ["curtail", "plan", "--target-kw", "3", "--objective", "revenue",
                               "--hashprice", "0.05", "--power-price", "0.05",
                               "--client-rate", "beta=0.02", "--fleet-file", str(fleet_file),
                               "--json"])
    assert code == 0
    assert doc["revenue_lost_usd_per_h"] is not None
    assert doc["lp_bound_usd_per_h"] is not None


def test_plan_human_output(capsys, fleet_file: Path) -> None:
    assert main(["curtail", "plan", "--target-kw", "5", "--fleet-file", str(fleet_file)]) == 0
    out = capsys.readouterr().out
    assert "Curtailment plan: shed 5.0 kW" in out
    assert "a1" in out and "off" in out


def test_infeasible_goal_exits_3_and_says_why(capsys, fleet_file: Path) -> None:
    code, doc = _json(capsys, ["curtail", "plan", "--target-kw", "50", "--fleet-file",
                               str(fleet_file), "--json"])
    assert code == 3
    assert doc["status"] == "infeasible"
    assert "at most 13.0 kW can be shed" in doc["messages"][0]


def test_bad_fleet_file_is_one_line_error(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,ip,hashrate_ths,power_w\na,10.0.0.1,x,1\n", encoding="utf-8")
    assert main(["curtail", "plan", "--target-kw", "1", "--fleet-file", str(path)]) == 1
    err = capsys.readouterr().err
    assert "line 2: hashrate_ths 'x' is not a number" in err


def test_revenue_without_hashprice(capsys, fleet_file: Path) -> None:
    assert main(["curtail", "plan", "--target-kw", "1", "--objective", "revenue",
                 "--fleet-file", str(fleet_file)]) == 1
    assert "--hashprice" in capsys.readouterr().err


def test_without_fleet_file_needs_the_service(capsys, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "hashinsight_desktop.services.curtailment", None)
    assert main(["curtail", "plan", "--target-kw", "1"]) == 1
    assert "pass --fleet-file" in capsys.readouterr().err


def test_economic_command(capsys, fleet_file: Path, tmp_path: Path) -> None:
    prices = tmp_path / "prices.csv"
    prices.write_text("timestamp,usd_per_mwh\n2024-07-01T00:00:00,30\n"
                      "2024-07-01T01:00:00,200\n2024-07-01T03:00:00,60\n", encoding="utf-8")
    code, doc = _json(capsys, ["curtail", "economic", "--prices", str(prices), "--hashprice",
                               "0.05", "--fleet-file", str(fleet_file), "--json"])
    assert code == 0
    assert [len(h["curtailed"]) for h in doc["hours"]] == [0, len(doc["classes"]), 0]
    assert doc["gaps"][0]["missing_hours"] == 1
    assert doc["net_benefit_usd"] == pytest.approx(doc["savings_usd"] - doc["lost_revenue_usd"])
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp,usd_per_mwh\nnoon,3\n", encoding="utf-8")
    assert main(["curtail", "economic", "--prices", str(bad), "--hashprice", "0.05",
                 "--fleet-file", str(fleet_file)]) == 1
    assert "line 2: timestamp 'noon'" in capsys.readouterr().err
