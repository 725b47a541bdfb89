"""Every real reply in shared/data/miner_responses parses; real values per family."""

from __future__ import annotations

import json
from typing import Any

import pytest
from miner_fakes import CORPUS

from hashinsight_desktop.core.miners import identify as ident
from hashinsight_desktop.core.miners.client import reading_from_replies
from hashinsight_desktop.core.miners.json_repair import loads_tolerant
from hashinsight_desktop.core.miners.parsers.avalon import parse_mm_id
from hashinsight_desktop.core.miners.reading import PROBE_KEYS, STATUSES

FILES = sorted(CORPUS.glob("*.json"))
NON_RPC = ("web-", "grpc-", "graphql-")  # HTTP / gRPC / GraphQL APIs, not the 4028 socket

# Corpus file prefix -> firmware family (what identification decides on the real miner).
FAMILY_BY_PREFIX = {
    "antminer-luxos": ident.LUXOS,
    "antminer-s19kpro-luxos": ident.LUXOS,
    "antminer-s19-88nopic-mskminer": ident.ANTMINER_STOCK,
    "antminer-s19pro-stock": ident.ANTMINER_STOCK,
    "antminer-s19x88-hiveon": ident.ANTMINER_STOCK,
    "antminer-s21xp-hyd-stock": ident.ANTMINER_STOCK,
    "antminer-s23-hyd-stock": ident.ANTMINER_STOCK,
    "auradine": ident.AURADINE,
    "avalon": ident.AVALON,
    "braiins": ident.BRAIINS,
    "hammer": ident.CGMINER,
    "sealminer": ident.SEALMINER,
    "synthetic-template": ident.CGMINER,
    "whatsminer-apiv3": ident.WHATSMINER_V3,
    "whatsminer-m60s-vk40-apiv3": ident.WHATSMINER_V3,
    "whatsminer": ident.WHATSMINER_V2,
}
# Whatsminer v3 / web-style command names in file names -> names the client stores.
COMMAND_ALIASES = {
    "get-device-info": "get.device.info",
    "get-device-info-with-errors": "get.device.info",
    "get-miner-status-summary": "summary",
    "get-miner-status-edevs": "edevs",
    "get-miner-status-pools": "pools",
    "summary-with-errors": "summary",
    "get-version": "get_version",
}


def family_of(prefix: str) -> str | None:
    """The family, or None for web-only devices (identification then decides)."""
    matches = [p for p in FAMILY_BY_PREFIX if prefix.startswith(p)]
    return FAMILY_BY_PREFIX[max(matches, key=len)] if matches else None


def split_name(path: Any) -> tuple[str, str]:
    prefix, command = path.stem.rsplit("_", 1)
    return prefix, COMMAND_ALIASES.get(command, command)


def replies_for(prefix: str, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    out = {}
    for path in FILES:
        file_prefix, command = split_name(path)
        if file_prefix == prefix and not command.startswith(NON_RPC) and path.stem.split("_")[-1] not in skip:
            out[command] = json.loads(path.read_text(encoding="utf-8"))
    return out


def reading_for(prefix: str, **kwargs: Any):
    return reading_from_replies("10.0.0.9", 4028, replies_for(prefix, **kwargs),
                                family=family_of(prefix))


def test_corpus_is_present() -> None:
    assert len(FILES) == 109


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_file_parses_into_a_reading(path) -> None:
    body = path.read_bytes()
    parsed = loads_tolerant(body).value
    assert isinstance(parsed, dict)
    prefix, command = split_name(path)
    reading = reading_from_replies("10.0.0.9", 4028, {command: parsed}, family=family_of(prefix))
    assert reading.status in STATUSES
    assert set(reading.as_probe_dict()) == set(PROBE_KEYS)
    if command.startswith(NON_RPC):
        # Web / gRPC / GraphQL replies are not what the 4028 client reads: they must
        # come out as an explicit "no RPC data" error, never as invented numbers.
        assert reading.status == "error" and reading.error
        assert reading.hashrate_ths is None
    if reading.status != "ok":
        assert reading.error


def test_antminer_s19_pro_stock_real_values() -> None:
    r = reading_for("antminer-s19pro-stock49.0.1.3")
    assert (r.make, r.model, r.firmware, r.family) == (
        "Bitmain", "Antminer S19 Pro", "49.0.1.3", ident.ANTMINER_STOCK)
    assert r.hashrate_ths == pytest.approx(110.56689)  # GHS 5s 110566.89
    assert r.hashrate_avg_ths == pytest.approx(111.83485)
    assert r.nominal_ths == pytest.approx(110.0)  # total_rateideal in rate_unit GH
    assert [round(b.hashrate_ths, 2) for b in r.hashboards] == [37.6, 35.54, 37.43]
    assert [b.chips for b in r.hashboards] == [114, 114, 114]
    assert [b.temp_c for b in r.hashboards] == [78, 71, 69]  # hottest of temp_chipN
    assert r.fans_rpm == [6000, 5880, 5040, 5040]
    assert r.power_estimated and r.power_w == pytest.approx(3250 * 110.56689 / 110, rel=1e-3)
    assert r.pool_url == "stratum+tcp://btc.global.luxor.tech:700"
    assert (r.accepted, r.rejected, r.uptime_s) == (4057, 11, 50474)
    assert r.status == "ok" and r.error is None


def test_antminer_unused_slots_are_ignored_and_reported_power_used() -> None:
    r = reading_for("antminer-s19-88nopic-mskminer2.6.0.39")
    assert len(r.hashboards) == 3  # slots 4..16 hold garbage chain_rateideal values
    assert r.power_w == 3358 and not r.power_estimated
    assert r.model == "Antminer S19"  # 'S19-88 v.2.6.0.39 ' cleaned, then catalog


def test_hiveon_degraded_and_psu_flagged() -> None:
    r = reading_for("antminer-s19x88-hiveon")
    assert r.status == "degraded"
    assert "PSU power lost" in r.error and "of nominal" in r.error
    assert r.nominal_ths == pytest.approx(63.28882)


def test_hydro_zero_fans_are_not_a_failure() -> None:
    r = reading_for("antminer-s21xp-hyd-stock71.0.1.3")
    assert r.fans_rpm == [0, 0, 0, 0]
    assert r.status == "ok"


def test_luxos_power_and_config() -> None:
    r = reading_for("antminer-s19kpro-luxos2025.4.8")
    assert r.family == ident.LUXOS and r.model == "Antminer S19k Pro"
    assert r.power_w == 1051 and not r.power_estimated
    assert r.hostname == "UrlacherS19k" and r.mac == "62:f7:5e:b7:10:46"
    assert r.nominal_ths == pytest.approx(61.9542)  # the tuned profile's ideal, not nameplate
    assert r.status == "ok"


def test_whatsminer_v1_power_fans_units() -> None:
    r = reading_for("whatsminer-m3x-fw20210322-apiv1", skip=("summary-with-errors",))
    assert r.hashrate_ths == pytest.approx(67.43935249)  # MHS 1m in MH/s
    assert r.nominal_ths == pytest.approx(68.796)  # Factory GHS
    assert r.power_w == 3417 and not r.power_estimated
    assert r.fans_rpm == [6450, 6480]
    assert r.firmware == "20210322.22.REL"  # quotes stripped
    assert [b.chips for b in r.hashboards] == [105, 105, 105]
    assert r.status == "ok"


def test_whatsminer_error_codes_degrade() -> None:
    replies = replies_for("whatsminer-m3x-fw20210322-apiv1")
    replies["summary"] = json.loads(
        (CORPUS / "whatsminer-m3x-fw20210322-apiv1_summary-with-errors.json").read_text())
    r = reading_from_replies("10.0.0.9", 4028, replies, family=ident.WHATSMINER_V2)
    assert r.status == "degraded" and "110, 600" in r.error


def test_whatsminer_mineroff_is_curtailed() -> None:
    replies = replies_for("whatsminer-apiv2.0.5")
    status = json.loads((CORPUS / "whatsminer-fw20240624-apiv2_status.json").read_text())
    status["Msg"]["mineroff"] = "true"
    replies["status"] = status
    r = reading_from_replies("10.0.0.9", 4028, replies, family=ident.WHATSMINER_V2)
    assert r.status == "curtailed"


def test_whatsminer_v3_th_units_and_identity() -> None:
    replies = replies_for("whatsminer-apiv3", skip=("get-device-info-with-errors",))
    replies["get.device.info"] = json.loads(
        (CORPUS / "whatsminer-m60s-vk40-apiv3_get-device-info.json").read_text())
    r = reading_from_replies("10.0.0.9", 4433, replies)
    assert r.family == ident.WHATSMINER_V3
    assert r.model == "Whatsminer M60S" and r.make == "MicroBT"
    assert r.hashrate_ths == pytest.approx(171.259)
    assert r.power_w == 3156 and r.nominal_ths == pytest.approx(181.051)
    assert [b.chips for b in r.hashboards] == [75, 75, 75]
    assert r.mac == "CE:02:01:00:8C:36" and r.firmware == "20251209.16.Rel2"


def test_avalon_mm_id_parsing() -> None:
    text = ("Ver[15-194-24102401_25462b2_9ddf522] SYSTEMSTATU[Work: In Work, Hash Board: 3 ] "
            "MGHS[59459.52 61407.83 63139.66] PS[0 1209 1187 297 3526 1188 3731] Nonce Mask[25]")
    fields = parse_mm_id(text)
    assert fields["MGHS"] == "59459.52 61407.83 63139.66"
    assert fields["SYSTEMSTATU"].startswith("Work: In Work")
    assert fields["Nonce Mask"] == "25"
    r = reading_for("avalon-a1566-cgminer4.11.1")
    assert [round(b.hashrate_ths, 2) for b in r.hashboards] == [59.46, 61.41, 63.14]
    assert r.hashrate_ths == pytest.approx(197.26694416)  # devs MHS 1m, MH/s
    assert r.nominal_ths == pytest.approx(201.92042)  # GHSmm
    assert r.power_w == 3731  # WALLPOWER
    assert r.temp_max_c == 78 and r.fans_rpm == [4275, 4282]


def test_avalon_q_soft_off_is_curtailed() -> None:
    r = reading_for("avalon-q-cgminer4.11.1")
    assert r.status == "curtailed" and "Idle" in r.error
    assert r.model == "Avalon Q" and r.mac == "AA:BB:CC:DD:EE:FF"


def test_avalon_without_version_uses_mm_ver() -> None:
    r = reading_for("avalon-a1246-cgminer")
    assert r.model == "AvalonMiner 1246"  # from Ver[1246-83-...] via the catalog
    assert len(r.hashboards) == 3


def test_sealminer_boards_and_power() -> None:
    r = reading_for("sealminer-a2-bdminer4.11.1")
    assert (r.make, r.model) == ("Bitdeer", "SealMiner A2")
    assert r.hashrate_ths == pytest.approx(197.5997141)
    assert [b.chips for b in r.hashboards] == [153, 153, 153]
    assert r.power_w == 3504 and r.mac == "50:d4:48:4b:86:78"


def test_auradine_units_in_strings() -> None:
    r = reading_for("auradine-gcminer")
    assert r.power_w == pytest.approx(58.94)  # "PowerIn": "58.94W"
    assert r.fans_rpm == [7080, 7020, 7100, 7020]
    assert r.hashrate_ths == pytest.approx(10.25684454901739)


def test_auradine_sleep_is_curtailed() -> None:
    replies = replies_for("auradine-gcminer")
    replies["mode"] = {"STATUS": [{"STATUS": "S"}], "Mode": [{"Mode": "custom", "Sleep": "on"}]}
    r = reading_from_replies("10.0.0.9", 4028, replies, family=ident.AURADINE)
    assert r.status == "curtailed"


def test_hammer_mhs_strings_and_duplicate_keys() -> None:
    r = reading_for("hammer-d10-ccminer2.3.3")
    assert r.hashrate_ths == pytest.approx(4.8850813e-3)  # "MHS 5s": "4885.0813" (MH/s)
    assert (r.accepted, r.rejected) == (156, 156)


@pytest.mark.parametrize(
    ("version_file", "family"),
    [
        ("antminer-s19pro-stock49.0.1.3_version.json", ident.ANTMINER_STOCK),
        ("antminer-s19-88nopic-mskminer2.6.0.39_version.json", ident.ANTMINER_STOCK),
        ("antminer-s19kpro-luxos2025.4.8_version.json", ident.LUXOS),
        ("braiins-boser-rpc_version.json", ident.BRAIINS),
        ("sealminer-a2-bdminer4.11.1_version.json", ident.SEALMINER),
        ("auradine-gcminer_version.json", ident.AURADINE),
        ("avalon-a1566-cgminer4.11.1_version.json", ident.AVALON),
        ("avalon-q-cgminer4.11.1_version.json", ident.AVALON),
        ("hammer-d10-ccminer2.3.3_version.json", ident.CGMINER),
    ],
)
def test_identification_from_version(version_file: str, family: str) -> None:
    version = json.loads((CORPUS / version_file).read_text())
    assert ident.identify({"version": version}).family == family


def test_identification_of_whatsminer() -> None:
    get_version = json.loads((CORPUS / "whatsminer-apiv2.0.5_get-version.json").read_text())
    assert ident.identify({"get_version": get_version}).family == ident.WHATSMINER_V2
    devdetails = {"STATUS": [{"STATUS": "S"}], "DEVDETAILS": [
        {"DEVDETAILS": 0, "Name": "SM", "Driver": "bitmicro", "Model": "M30S+VE40"}]}
    identity = ident.identify({"version": {"STATUS": [{"STATUS": "S"}],
                                            "VERSION": [{"CGMiner": "4.9.2"}]},
                               "devdetails": devdetails})
    assert (identity.family, identity.model) == (ident.WHATSMINER_V2, "M30S+ VE40")


def test_probe_dict_has_exactly_the_21_keys() -> None:
    r = reading_for("antminer-s19pro-stock49.0.1.3")
    probe = r.as_probe_dict()
    assert list(probe) == list(PROBE_KEYS) and len(probe) == 21
    assert probe["hashboards"][0] == {"slot": 0, "hashrate_ths": pytest.approx(37.6033),
                                      "temp_c": 78.0, "chips": 114, "expected_chips": 114}
    json.dumps(probe)
