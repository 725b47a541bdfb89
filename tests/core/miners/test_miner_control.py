"""Control actions against fake miners: the exact commands and bytes sent."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from miner_fakes import FakeMiner, by_command, load_reply

from hashinsight_desktop.core.miners.control import (
    SUPPORTED,
    ControlAction,
    MinerCredentials,
    PoolConfig,
    build_worker_name,
    send_control,
)
from hashinsight_desktop.core.miners.control.whatsminer_crypto import (
    decrypt_payload,
    make_token,
    md5_crypt,
)

OK = {"STATUS": [{"STATUS": "S", "Code": 1, "Msg": "ok"}], "id": 1}
DENIED = {"STATUS": [{"STATUS": "E", "Code": 45, "Msg": "Access denied to 'restart' command"}]}


def control(table_or_responder, action, family, **kwargs):
    responder = table_or_responder if callable(table_or_responder) else by_command(
        table_or_responder)

    async def scenario():
        async with FakeMiner(responder) as miner:
            result = await send_control("127.0.0.1", miner.port, action, family=family, **kwargs)
            return result, miner.requests

    return asyncio.run(scenario())


def test_antminer_restart_sends_exactly_restart() -> None:
    result, requests = control({"restart": {"STATUS": "RESTART"}}, ControlAction.restart(),
                               "antminer_stock")
    assert result.status == "done"
    assert requests == [b'{"command": "restart"}']


def test_antminer_restart_refused_is_failed_with_the_firmware_message() -> None:
    result, _ = control({"restart": DENIED}, ControlAction.restart(), "antminer_stock")
    assert result.status == "failed" and "Access denied" in result.detail


@pytest.mark.parametrize("action", [ControlAction.curtail(), ControlAction.resume(),
                                    ControlAction.power_target(3000)])
def test_antminer_stock_cannot_curtail(action) -> None:
    result, requests = control({}, action, "antminer_stock")
    assert result.status == "unsupported" and "unsupported on this firmware" in result.detail
    assert requests == []


def test_unsupported_families_say_why() -> None:
    result, requests = control({}, ControlAction.restart(), "braiins")
    assert result.status == "unsupported" and "gRPC" in result.detail and requests == []


def test_switch_pool() -> None:
    result, requests = control({"switchpool": OK}, ControlAction.switch_pool(1), "antminer_stock")
    assert result.status == "done"
    assert requests == [b'{"command": "switchpool", "parameter": "1"}']


def test_set_pools_adds_switches_then_removes_old() -> None:
    pools = {"STATUS": [{"STATUS": "S"}], "POOLS": [{"POOL": 0}, {"POOL": 1}]}
    pools_after = {"STATUS": [{"STATUS": "S"}],
                   "POOLS": [{"POOL": 0}, {"POOL": 1}, {"POOL": 2}, {"POOL": 3}]}
    calls = {"pools": 0}

    def respond(request):
        if request["command"] == "pools":
            calls["pools"] += 1
            return pools if calls["pools"] == 1 else pools_after
        return OK

    action = ControlAction.set_pools([PoolConfig("stratum+tcp://a.pool:3333", "acct.w1", "x"),
                                      PoolConfig("stratum+tcp://b.pool:3333", "acct.w1", "p,1")])
    result, requests = control(respond, action, "antminer_stock")
    assert result.status == "done"
    sent = [json.loads(r) for r in requests]
    assert sent == [
        {"command": "pools"},
        {"command": "addpool", "parameter": "stratum+tcp://a.pool:3333,acct.w1,x"},
        {"command": "addpool", "parameter": "stratum+tcp://b.pool:3333,acct.w1,p\\,1"},
        {"command": "pools"},
        {"command": "switchpool", "parameter": "2"},
        {"command": "removepool", "parameter": "1"},
        {"command": "removepool", "parameter": "0"},
    ]
    assert "p,1" not in " ".join(result.commands)  # passwords are not logged


def test_luxos_curtail_uses_a_session() -> None:
    table = {"logon": {"STATUS": [{"STATUS": "S"}], "SESSION": [{"SessionID": "s3ss"}]},
             "curtail": OK, "logoff": OK}
    result, requests = control(table, ControlAction.curtail(), "luxos")
    assert result.status == "done"
    assert [json.loads(r) for r in requests] == [
        {"command": "logon"},
        {"command": "curtail", "parameter": "s3ss,sleep"},
        {"command": "logoff", "parameter": "s3ss"},
    ]


def test_luxos_power_target_picks_the_profile_under_the_target() -> None:
    table = {"logon": {"STATUS": [{"STATUS": "S"}], "SESSION": [{"SessionID": "s"}]},
             "profiles": load_reply("antminer-s19kpro-luxos2025.4.8_profiles.json"),
             "profileset": OK, "logoff": OK}
    result, requests = control(table, ControlAction.power_target(1100), "luxos")
    assert result.status == "done" and "265MHz" in result.detail  # 1080 W <= 1100 W
    assert json.loads(requests[2]) == {"command": "profileset", "parameter": "s,265MHz"}


def test_avalon_softoff_and_softon() -> None:
    table = {"ascset": load_reply("avalon-q-cgminer4.11.1_ascset-softoff.json")}
    result, requests = control(table, ControlAction.curtail(), "avalon")
    assert result.status == "done" and "softoff" in result.detail
    request = json.loads(requests[0])
    assert request["command"] == "ascset"
    assert re.fullmatch(r"0,softoff,1:\d{10}", request["parameter"])
    table = {"ascset": load_reply("avalon-q-cgminer4.11.1_ascset-softon.json")}
    result, requests = control(table, ControlAction.resume(), "avalon")
    assert result.status == "done" and json.loads(requests[0])["parameter"].startswith("0,softon,1:")


def test_avalon_power_target_maps_to_a_work_mode() -> None:
    table = {"ascset": load_reply("avalon-q-cgminer4.11.1_ascset-workmode.json")}
    result, requests = control(table, ControlAction.power_target(2600), "avalon",
                               catalog_model="AvalonMiner A1566")
    assert result.status == "done"
    assert json.loads(requests[0]) == {"command": "ascset", "parameter": "0,workmode,0"}


def test_whatsminer_privileged_power_off_is_encrypted_with_the_token() -> None:
    token_msg = {"time": "1234", "salt": "BQ5hoXV9", "newsalt": "jW4nmQXe"}
    token = make_token("s3cret", token_msg)
    seen: list[dict] = []

    def respond(request):
        if request.get("command") == "get_token":
            return {"STATUS": "S", "When": 1, "Code": 134, "Msg": token_msg, "Description": ""}
        assert request["enc"] == 1
        seen.append(decrypt_payload(token, request["data"]))
        inner = {"STATUS": "S", "Code": 131, "Msg": "power off", "Description": ""}
        return {"enc": _encrypt_reply(token, inner)}

    result, requests = control(respond, ControlAction.curtail(), "whatsminer_v2",
                               credentials=MinerCredentials("s3cret"))
    assert result.status == "done", result.detail
    assert requests[0] == b'{"command": "get_token"}'
    assert seen == [{"cmd": "power_off", "respbefore": "true", "token": token.sign}]
    assert result.commands == ["get_token", "enc:power_off"]


def _encrypt_reply(token, inner: dict) -> str:
    import base64

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    plain = json.dumps(inner).encode()
    plain += b"\x00" * (-len(plain) % 16)
    enc = Cipher(algorithms.AES(token.aes_key), modes.ECB()).encryptor()
    return base64.b64encode(enc.update(plain) + enc.finalize()).decode()


def test_whatsminer_without_password_fails_before_sending() -> None:
    result, requests = control({}, ControlAction.restart(), "whatsminer_v2")
    assert result.status == "failed" and "password" in result.detail and requests == []


def test_md5_crypt_matches_the_reference() -> None:
    # reference values from `openssl passwd -1 -salt <salt> <password>`
    assert md5_crypt("password", "saltsalt") == "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/"
    assert md5_crypt("admin", "BQ5hoXV9") == "$1$BQ5hoXV9$RxmaDUO33TS7O26yeMHZ81"


def test_family_detected_when_not_given() -> None:
    table = {"version": load_reply("antminer-s19pro-stock49.0.1.3_version.json"),
             "restart": {"STATUS": "RESTART"}}
    result, requests = control(table, ControlAction.restart(), None)
    assert result.family == "antminer_stock" and result.status == "done"
    assert requests == [b'{"command": "version"}', b'{"command": "restart"}']


def test_unreachable_is_failed_not_raised() -> None:
    result = asyncio.run(send_control("127.0.0.1", 1, ControlAction.restart(),
                                      family="antminer_stock"))
    assert result.status == "failed" and "refused" in result.detail


def test_support_matrix_covers_every_family() -> None:
    from hashinsight_desktop.core.miners.identify import FAMILIES

    assert set(SUPPORTED) == set(FAMILIES)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "explode"}, "action must be one of"),
        ({"kind": "power_target", "watts": 5}, "watts between"),
        ({"kind": "set_pools", "pools": ()}, "1 to 3 pools"),
        ({"kind": "switch_pool", "pool_index": -1}, "pool index"),
    ],
)
def test_bad_actions_name_the_problem(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        ControlAction(**kwargs)


def test_build_worker_name() -> None:
    assert build_worker_name("{site}.{rack}x{position}", site="TX1", rack=12, position=3) == (
        "TX1.12x3")
    assert build_worker_name("acct.{ip}", ip="10.0.1.5") == "acct.10x0x1x5"
    assert build_worker_name("acct.{site}", site="tx.north 2") == "acct.tx_north_2"
    with pytest.raises(ValueError, match="rack"):
        build_worker_name("{site}.{rack}", site="a")
