"""Each family answers with the real firmware's structure, filled with live values.

Every reply must parse with plain ``json`` once the trailing NUL is stripped; the
deliberate quirks (odd keys, numbers as strings, Avalon's packed ``MM ID0`` string and
boot-relative ``When``) are part of the structure checked here.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from hashinsight_desktop.simulator import SimulatedFleet
from hashinsight_desktop.simulator.templates import shared

COMMANDS = {
    "antminer_stock": ["summary", "stats", "pools", "version", "devs"],
    "whatsminer_v2": ["summary", "devs", "pools", "get_version", "get_miner_info", "get_psu",
                      "status", "devdetails"],
    "avalon": ["version", "summary", "devs", "estats", "stats", "pools"],
    "luxos": ["version", "summary", "stats", "pools", "temps", "fans", "power", "profiles",
              "config", "devs"],
}
TEMPLATE = {
    ("antminer_stock", "summary"): "antminer-s19pro-stock49.0.1.3_summary",
    ("antminer_stock", "stats"): "antminer-s19pro-stock49.0.1.3_stats",
    ("antminer_stock", "pools"): "antminer-s19pro-stock49.0.1.3_pools",
    ("whatsminer_v2", "summary"): "whatsminer-m3x-fw20210322-apiv1_summary",
    ("whatsminer_v2", "get_psu"): "whatsminer-apiv2.0.5_get-psu",
    ("whatsminer_v2", "status"): "whatsminer-fw20240624-apiv2_status",
    ("avalon", "estats"): "avalon-a1566-cgminer4.11.1_estats",
    ("avalon", "summary"): "avalon-q-cgminer4.11.1_summary",
    ("luxos", "pools"): "antminer-s19kpro-luxos2025.4.8_pools",
    ("luxos", "config"): "antminer-s19kpro-luxos2025.4.8_config",
}


def _shape(value: Any) -> Any:
    """Keys and value types, recursively (lists: the shape of their first item)."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__ if not isinstance(value, bool) else "bool"


@pytest.mark.parametrize("family", sorted(COMMANDS))
def test_every_command_parses_after_stripping_the_nul(
        mixed_fleet: SimulatedFleet, family: str, rpc, first_of) -> None:
    spec = first_of(mixed_fleet, family)
    for command in COMMANDS[family]:
        body = rpc(spec, command)
        assert body.endswith(b"\x00") and body.count(b"\x00") == 1, command
        reply = json.loads(body[:-1])
        status = reply["STATUS"]
        code = status if isinstance(status, str) else status[0]["STATUS"]
        assert code == "S", (command, reply)


@pytest.mark.parametrize(("family", "command"), sorted(TEMPLATE))
def test_reply_has_the_template_keys_types_and_order(
        mixed_fleet: SimulatedFleet, family: str, command: str, rpc_json, first_of) -> None:
    reply = rpc_json(first_of(mixed_fleet, family), command)
    template = shared(TEMPLATE[family, command])
    assert list(reply) == list(template) or set(reply) == set(template)
    got, want = _shape(reply), _shape(template)
    for section, body in want.items():
        if isinstance(body, list) and body and isinstance(body[0], dict):
            assert list(got[section][0]) == list(body[0]), section
            assert got[section][0] == body[0], section


def test_real_quirks_are_kept(mixed_fleet: SimulatedFleet, rpc_json, first_of) -> None:
    ant = first_of(mixed_fleet, "antminer_stock")
    stats = rpc_json(ant, "stats")["STATS"][1]
    assert "total rate" in stats and isinstance(stats["chain_rate1"], str)
    assert stats["chain_rate4"] == "" and re.fullmatch(r"\d+-\d+-\d+-\d+", stats["temp_chip1"])
    assert "Pool Stale%%" in rpc_json(ant, "pools")["POOLS"][0]
    assert "Getwork" in rpc_json(ant, "summary")["SUMMARY"][0]
    assert "Tenperature" in rpc_json(ant, "devs")["DEVS"][0]
    wm = first_of(mixed_fleet, "whatsminer_v2")
    assert rpc_json(wm, "summary")["SUMMARY"][0]["Firmware Version"].startswith("'")
    psu = rpc_json(wm, "get_psu")
    assert psu["STATUS"] == "S" and isinstance(psu["Msg"]["fan_speed"], str)
    assert rpc_json(wm, "pools")["POOLS"][0]["POOL"] == 1
    model = rpc_json(wm, "devdetails")["DEVDETAILS"][0]["Model"]
    assert model.split("_V")[0] == wm.model.removeprefix("Whatsminer ").replace(" ", "")
    lux = first_of(mixed_fleet, "luxos")
    assert "Long Pool" in rpc_json(lux, "pools")["POOLS"][0]
    assert isinstance(rpc_json(lux, "profiles")["PROFILES"][0]["Step"], str)
    ava = first_of(mixed_fleet, "avalon")
    devs = rpc_json(ava, "devs")
    assert devs["DEVS"][0]["Temperature"] == -273.0
    assert devs["STATUS"][0]["When"] < 10**8  # seconds since boot, not a Unix time


def _hashrate_ths(family: str, reply: dict[str, Any]) -> float:
    row = reply["SUMMARY"][0]
    if family in ("antminer_stock", "luxos"):
        return row["GHS 5s"] / 1000.0
    return row["MHS 5s"] / 1e6


def test_values_follow_the_models_nominal(mixed_fleet: SimulatedFleet, rpc_json) -> None:
    checked = set()
    for spec in mixed_fleet.specs:
        if spec.model in checked:
            continue
        checked.add(spec.model)
        model = spec.catalog_model
        hashrate = _hashrate_ths(spec.family, rpc_json(spec, "summary"))
        assert hashrate == pytest.approx(model.hashrate_ths, rel=0.09), spec.model
        state = mixed_fleet.miner_state(spec.miner_id)
        assert state.power_w == pytest.approx(model.power_w, rel=0.08), spec.model
        assert state.hashrate_ths == pytest.approx(hashrate, rel=0.001)
    assert len(checked) >= 5


def test_luxos_power_and_avalon_wallpower_match_the_state(
        mixed_fleet: SimulatedFleet, rpc_json, first_of) -> None:
    lux = first_of(mixed_fleet, "luxos")
    watts = rpc_json(lux, "power")["POWER"][0]["Watts"]
    assert watts == round(mixed_fleet.miner_state(lux.miner_id).power_w)
    ava = first_of(mixed_fleet, "avalon")
    mm = rpc_json(ava, "estats")["STATS"][0]["MM ID0"]
    wall = int(re.search(r"WALLPOWER\[(\d+)\]", mm).group(1))  # type: ignore[union-attr]
    assert wall == round(mixed_fleet.miner_state(ava.miner_id).power_w)
    assert "SYSTEMSTATU[Work: In Work, Hash Board: 3 ]" in mm


def test_counters_grow_with_time(mixed_fleet: SimulatedFleet, rpc_json, first_of) -> None:
    spec = first_of(mixed_fleet, "antminer_stock", start=40)
    before = rpc_json(spec, "summary")["SUMMARY"][0]
    mixed_fleet.advance(600.0)
    after = rpc_json(spec, "summary")["SUMMARY"][0]
    assert after["Elapsed"] == before["Elapsed"] + 600
    assert after["Accepted"] > before["Accepted"]


def test_multi_command_only_where_the_firmware_supports_it(
        mixed_fleet: SimulatedFleet, rpc_json, first_of) -> None:
    stock = rpc_json(first_of(mixed_fleet, "antminer_stock"), "summary+pools")
    assert stock["STATUS"][0]["STATUS"] == "E" and stock["STATUS"][0]["Code"] == 14
    for family in ("avalon", "luxos", "whatsminer_v2"):
        joined = rpc_json(first_of(mixed_fleet, family), "summary+pools")
        assert set(joined) == {"summary", "pools", "id"}, family
        assert len(joined["summary"]) == 1 and "SUMMARY" in joined["summary"][0]
    wm = rpc_json(first_of(mixed_fleet, "whatsminer_v2"), "summary+get_version")
    assert wm["STATUS"] == "E"


def test_unknown_command_bad_json_and_plain_text(
        mixed_fleet: SimulatedFleet, rpc_json, raw_request, first_of) -> None:
    spec = first_of(mixed_fleet, "avalon")
    unknown = rpc_json(spec, "frobnicate")
    assert unknown["STATUS"][0]["Code"] == 14
    bad = json.loads(raw_request(spec, b'{"command": "summ\x00').rstrip(b"\x00"))
    assert bad["STATUS"][0]["Code"] == 23
    plain = raw_request(spec, b"summary")
    assert plain.startswith(b"STATUS=S,") and b"|SUMMARY," in plain and plain.endswith(b"\x00")


def test_new_api_flag_is_ignored_by_stock_stats(mixed_fleet: SimulatedFleet, rpc_json,
                                                first_of) -> None:
    reply = rpc_json(first_of(mixed_fleet, "antminer_stock"), "stats", new_api=True)
    assert "chain_rate1" in reply["STATS"][1]
