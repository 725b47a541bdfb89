"""Property tests: mutated real replies never raise; they parse or give a reasoned error."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from miner_fakes import CORPUS

from hashinsight_desktop.core.miners import identify as ident
from hashinsight_desktop.core.miners.client import reading_from_replies
from hashinsight_desktop.core.miners.reading import STATUSES, MinerReading
from hashinsight_desktop.core.miners.transport import ProtocolError, decode_reply

# (file, command stored under, family) - one or more per parser.
SAMPLES = [
    ("antminer-s19pro-stock49.0.1.3_stats.json", "stats", ident.ANTMINER_STOCK),
    ("antminer-s19pro-stock49.0.1.3_summary.json", "summary", ident.ANTMINER_STOCK),
    ("antminer-s23-hyd-stock_web-stats.json", "stats", ident.ANTMINER_STOCK),
    ("antminer-s19kpro-luxos2025.4.8_config.json", "config", ident.LUXOS),
    ("whatsminer-m3x-fw20210322-apiv1_summary-with-errors.json", "summary", ident.WHATSMINER_V2),
    ("whatsminer-m3x-fw20210322-apiv1_devs.json", "devs", ident.WHATSMINER_V2),
    ("whatsminer-fw20220919-apiv1_status.json", "status", ident.WHATSMINER_V2),
    ("whatsminer-apiv3_get-miner-status-summary.json", "summary", ident.WHATSMINER_V3),
    ("whatsminer-m60s-vk40-apiv3_get-device-info.json", "get.device.info", ident.WHATSMINER_V3),
    ("avalon-a1566-cgminer4.11.1_estats.json", "estats", ident.AVALON),
    ("avalon-q-cgminer4.11.1_stats.json", "stats", ident.AVALON),
    ("sealminer-a2-bdminer4.11.1_stats.json", "stats", ident.SEALMINER),
    ("auradine-fluxos2.2.0_temperature.json", "temperature", ident.AURADINE),
    ("auradine-gcminer_psu.json", "psu", ident.AURADINE),
    ("hammer-d10-ccminer2.3.3_stats.json", "stats", ident.CGMINER),
    ("antminer-s19pro-stock49.0.1.3_version.json", "version", None),
]
BODIES = [json.dumps(json.loads((CORPUS / f).read_text()), separators=(",", ":")).encode()
          for f, _, _ in SAMPLES]

FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def read(index: int, body: bytes) -> MinerReading:
    """What the client does with one reply body: decode, parse, normalize."""
    _, command, family = SAMPLES[index]
    try:
        reply = decode_reply(body)
    except ProtocolError as exc:
        reading = MinerReading("10.0.0.1", 4028, status="error", error=str(exc))
    else:
        reading = reading_from_replies("10.0.0.1", 4028, {command: reply}, family=family)
    return reading


def check(reading: MinerReading) -> None:
    assert reading.status in STATUSES
    if reading.status != "ok":
        assert reading.error, "a non-ok reading must say why"
    probe = reading.as_probe_dict()
    for key in ("hashrate_ths", "power_w", "temp_max_c", "nominal_ths"):
        value = probe[key]
        assert value is None or (isinstance(value, float | int) and math.isfinite(value))
    assert "internal error" not in (reading.error or ""), reading.error


sample = st.integers(min_value=0, max_value=len(SAMPLES) - 1)


@FUZZ
@given(sample, st.data())
def test_truncation_at_any_byte(index: int, data: st.DataObject) -> None:
    body = BODIES[index]
    cut = data.draw(st.integers(min_value=0, max_value=len(body) - 1))
    reading = read(index, body[:cut])
    check(reading)
    # A strict prefix of one JSON object is never complete: no data may be invented.
    assert reading.status == "error"
    assert reading.hashrate_ths is None and reading.hashboards == []


@FUZZ
@given(sample, st.data())
def test_inserted_bytes_nuls_and_glitches(index: int, data: st.DataObject) -> None:
    body = bytearray(BODIES[index])
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        at = data.draw(st.integers(min_value=0, max_value=len(body)))
        junk = data.draw(st.sampled_from([b"\x00", b"}{", b",", b"[,", b"\n", b"\xff\xfe",
                                          b"inf", b'"', b"]", b"{"])
                         | st.binary(min_size=1, max_size=6))
        body[at:at] = junk
    check(read(index, bytes(body)))


@FUZZ
@given(sample, st.binary(max_size=300))
def test_random_bytes(index: int, body: bytes) -> None:
    check(read(index, body))


_WEIRD = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["", "0", "-273", "inf", "nan", "45-42-45-42", "245.00V", "'x'", "{}"]),
    st.just([]), st.just({}), st.just([1, "a", None]),
)


def _mutate(value: Any, data: st.DataObject, depth: int = 0) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            choice = data.draw(st.integers(min_value=0, max_value=9))
            if choice == 0:
                continue  # missing key
            if choice == 1:
                out[key] = data.draw(_WEIRD)  # wrong type
            elif choice == 2 and isinstance(item, int | float) and not isinstance(item, bool):
                out[key] = str(item)  # number as string
            else:
                out[key] = _mutate(item, data, depth + 1) if depth < 4 else item
        return out
    if isinstance(value, list):
        return [_mutate(item, data, depth + 1) for item in value[:20]]
    return value


@FUZZ
@given(sample, st.data())
def test_structural_mutations(index: int, data: st.DataObject) -> None:
    reply = json.loads(BODIES[index])
    mutated = _mutate(reply, data)
    body = json.dumps(mutated, separators=(",", ":"), allow_nan=True).encode()
    check(read(index, body))
