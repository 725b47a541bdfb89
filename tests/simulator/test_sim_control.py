"""Control through each firmware's real command flow changes the miner's state."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from hashinsight_desktop.simulator import SimulatedFleet, build_fleet
from hashinsight_desktop.simulator import btminer_crypto as bc


@pytest.fixture(scope="module")
def fleet() -> Iterator[SimulatedFleet]:
    specs = build_fleet(200, seed=31, bind="127.213.0.0/16")
    running = SimulatedFleet(specs, seed=31, realtime=False).start()
    try:
        yield running
    finally:
        running.stop()


def test_md5crypt_matches_the_reference_vectors() -> None:
    # Published glibc/FreeBSD $1$ outputs: crypt("password", "$1$saltsalt$").
    assert bc.md5crypt_hash("password", "saltsalt") == "qjXMvbEw8oaL.CzflDtaK/"
    assert bc.md5crypt_hash("admin", "BQ5hoXV9") == "RxmaDUO33TS7O26yeMHZ81"


def test_luxos_curtail_sleep_and_wakeup(fleet: SimulatedFleet, rpc_json, first_of) -> None:
    spec = first_of(fleet, "luxos")
    nominal = spec.catalog_model.power_w
    assert rpc_json(spec, "session")["SESSION"][0]["SessionID"] == ""
    sid = rpc_json(spec, "logon")["SESSION"][0]["SessionID"]
    assert sid and rpc_json(spec, "session")["SESSION"][0]["SessionID"] == sid
    assert rpc_json(spec, "logon")["STATUS"][0]["STATUS"] == "E"  # one session at a time
    denied = rpc_json(spec, "curtail", "wrong,sleep")
    assert denied["STATUS"][0]["STATUS"] == "E"
    assert not fleet.miner_state(spec.miner_id).curtailed

    assert rpc_json(spec, "curtail", f"{sid},sleep")["STATUS"][0]["STATUS"] == "S"
    state = fleet.miner_state(spec.miner_id)
    assert state.curtailed and 10 <= state.power_w <= 30 and state.hashrate_ths < 0.5
    assert rpc_json(spec, "summary")["SUMMARY"][0]["GHS 5s"] < 1
    assert rpc_json(spec, "power")["POWER"][0]["Watts"] <= 30
    assert rpc_json(spec, "config")["CONFIG"][0]["CurtailMode"] == "Sleep"

    assert rpc_json(spec, "curtail", f"{sid},wakeup")["STATUS"][0]["STATUS"] == "S"
    fleet.advance(600.0)
    state = fleet.miner_state(spec.miner_id)
    assert not state.curtailed and state.power_w == pytest.approx(nominal, rel=0.08)
    assert rpc_json(spec, "logoff", sid)["STATUS"][0]["STATUS"] == "S"


def test_luxos_profileset_scales_power_and_hashrate(fleet: SimulatedFleet, rpc_json,
                                                    first_of) -> None:
    spec = first_of(fleet, "luxos", start=100)
    before = fleet.miner_state(spec.miner_id)
    sid = rpc_json(spec, "logon")["SESSION"][0]["SessionID"]
    assert rpc_json(spec, "profileset", f"{sid},nonsense")["STATUS"][0]["STATUS"] == "E"
    assert rpc_json(spec, "profileset", f"{sid},415MHz")["STATUS"][0]["STATUS"] == "S"
    after = fleet.miner_state(spec.miner_id)
    assert after.power_target == pytest.approx(1785 / 2794)
    power_ratio = after.power_w / before.power_w
    hash_ratio = after.hashrate_ths / before.hashrate_ths
    assert power_ratio == pytest.approx(after.power_target, rel=0.03)
    assert power_ratio < hash_ratio < 1.0  # better J/TH when down-clocked
    assert rpc_json(spec, "config")["CONFIG"][0]["Profile"] == "415MHz"
    rpc_json(spec, "profileset", f"{sid},default")
    rpc_json(spec, "logoff", sid)


def test_avalon_softoff_softon_workmode(fleet: SimulatedFleet, rpc_json, first_of) -> None:
    spec = first_of(fleet, "avalon")
    off = rpc_json(spec, "ascset", "0,softoff")
    assert off["STATUS"][0]["STATUS"] == "I" and "success softoff" in off["STATUS"][0]["Msg"]
    state = fleet.miner_state(spec.miner_id)
    assert state.curtailed and state.power_w <= 30
    mm = rpc_json(spec, "estats")["STATS"][0]["MM ID0"]
    assert "Work: In Idle" in mm and "SoftOFF[0]" not in mm
    on = rpc_json(spec, "ascset", "0,softon")
    assert "success softon" in on["STATUS"][0]["Msg"]
    fleet.advance(600.0)
    assert not fleet.miner_state(spec.miner_id).curtailed
    assert rpc_json(spec, "ascset", "0,workmode,0")["STATUS"][0]["Msg"] == "ASC 0 set OK"
    assert fleet.miner_state(spec.miner_id).power_target == pytest.approx(0.8)
    assert "WORKMODE[0]" in rpc_json(spec, "estats")["STATS"][0]["MM ID0"]
    assert rpc_json(spec, "ascset", "0,workmode,9")["STATUS"][0]["STATUS"] == "E"
    rpc_json(spec, "ascset", "0,workmode,1")


def test_avalon_cgminer_pool_commands(fleet: SimulatedFleet, rpc_json, first_of) -> None:
    spec = first_of(fleet, "avalon", start=60)
    added = rpc_json(spec, "addpool", "stratum+tcp://new.pool.example:3333,acct.w1,x")
    assert added["STATUS"][0]["Code"] == 55
    assert len(rpc_json(spec, "pools")["POOLS"]) == 4
    assert rpc_json(spec, "switchpool", "3")["STATUS"][0]["Code"] == 27
    pools = rpc_json(spec, "pools")["POOLS"]
    assert pools[3]["Stratum Active"] is True and pools[0]["Stratum Active"] is False
    assert rpc_json(spec, "removepool", "3")["STATUS"][0]["Code"] == 67  # active pool
    assert rpc_json(spec, "removepool", "1")["STATUS"][0]["Code"] == 68
    assert rpc_json(spec, "enablepool", "9")["STATUS"][0]["Code"] == 26


def test_cgminer_restart_resets_uptime(fleet: SimulatedFleet, rpc, rpc_json,
                                       first_of) -> None:
    spec = first_of(fleet, "avalon", start=120)
    assert json.loads(rpc(spec, "restart").rstrip(b"\x00")) == {"STATUS": "RESTART"}
    assert rpc_json(spec, "summary")["SUMMARY"][0]["Elapsed"] <= 2


def test_stock_antminer_refuses_control(fleet: SimulatedFleet, rpc_json, first_of) -> None:
    spec = first_of(fleet, "antminer_stock")
    for command, param in (("restart", None), ("addpool", "u,w,p"), ("switchpool", "1")):
        reply = rpc_json(spec, command, param)
        assert reply["STATUS"][0]["Code"] == 45, command
    assert rpc_json(spec, "curtail", "sleep")["STATUS"][0]["Code"] == 14
    assert not fleet.miner_state(spec.miner_id).curtailed


def _whatsminer_command(spec, rpc_json, raw_request, cmd: str, password: str = "admin",
                        **params: str) -> dict:
    token = rpc_json(spec, "get_token")["Msg"]
    passwd_md5 = bc.host_passwd_md5(password, token["salt"])
    sign = bc.host_sign(passwd_md5, token["time"], token["newsalt"])
    data = bc.encrypt_json(passwd_md5, {"cmd": cmd, "token": sign, **params})
    body = raw_request(spec, json.dumps({"enc": 1, "data": data}).encode())
    reply = json.loads(body.rstrip(b"\x00"))
    if "enc" in reply:
        return bc.decrypt_json(passwd_md5, reply["enc"])
    return reply


def test_whatsminer_privileged_commands_need_the_token_scheme(
        fleet: SimulatedFleet, rpc_json, raw_request, first_of) -> None:
    spec = first_of(fleet, "whatsminer_v2")
    assert rpc_json(spec, "power_off")["Code"] == 45  # in clear: denied
    assert not fleet.miner_state(spec.miner_id).curtailed
    wrong = _whatsminer_command(spec, rpc_json, raw_request, "power_off", password="nope")
    assert wrong["STATUS"] == "E" and wrong["Code"] == 135

    reply = _whatsminer_command(spec, rpc_json, raw_request, "power_off", respbefore="true")
    assert reply["STATUS"] == "S" and reply["Code"] == 131
    state = fleet.miner_state(spec.miner_id)
    assert state.curtailed and state.power_w <= 30
    assert rpc_json(spec, "status")["Msg"]["mineroff"] == "true"
    assert rpc_json(spec, "summary")["SUMMARY"][0]["MHS 5s"] < 1e3

    _whatsminer_command(spec, rpc_json, raw_request, "power_on")
    fleet.advance(600.0)
    assert not fleet.miner_state(spec.miner_id).curtailed
    _whatsminer_command(spec, rpc_json, raw_request, "adjust_power_limit", power_limit="2500")
    state = fleet.miner_state(spec.miner_id)
    assert state.power_target == pytest.approx(2500 / spec.catalog_model.power_w)
    assert rpc_json(spec, "summary")["SUMMARY"][0]["Power Limit"] == 2500
    _whatsminer_command(spec, rpc_json, raw_request, "set_low_power")
    assert rpc_json(spec, "status")["Msg"]["power_mode"] == "low"
    _whatsminer_command(spec, rpc_json, raw_request, "update_pools",
                        pool1="stratum+tcp://x.example:1", worker1="a.b", passwd1="x")
    assert rpc_json(spec, "pools")["POOLS"][0]["URL"] == "stratum+tcp://x.example:1"


def test_total_power_drops_when_a_rack_is_curtailed(fleet: SimulatedFleet, rpc_json) -> None:
    rack = [s for s in fleet.specs if s.family == "avalon"][-10:]
    before = fleet.total_power_w()
    expected = sum(fleet.miner_state(s.miner_id).power_w for s in rack)
    for spec in rack:
        rpc_json(spec, "ascset", "0,softoff")
    after = fleet.total_power_w()
    assert before - after == pytest.approx(expected - sum(
        fleet.miner_state(s.miner_id).power_w for s in rack))
    assert before - after > 0.9 * expected
    for spec in rack:
        rpc_json(spec, "ascset", "0,softon")
