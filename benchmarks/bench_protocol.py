"""Miner protocol: reply decoding + parsing throughput (no network).

Target rationale: 6,000 miners polled every 60 s need 100 readings/s of parsing; the
1,000/s target keeps a 10x margin for a busy collector thread.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from benchmarks.harness import case
from hashinsight_desktop.core.miners.client import reading_from_replies
from hashinsight_desktop.core.miners.json_repair import loads_tolerant
from hashinsight_desktop.core.miners.transport import decode_reply

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "miner_responses"
S19 = "antminer-s19pro-stock49.0.1.3"
ROUNDS = 1000


def _s19_bodies() -> dict[str, bytes]:
    """The three replies a stock S19 Pro poll reads, as wire bytes (compact JSON + NUL)."""
    out = {}
    for command in ("summary", "stats", "pools"):
        reply = json.loads((CORPUS / f"{S19}_{command}.json").read_text())
        out[command] = json.dumps(reply, separators=(",", ":")).encode()
    return out


def _quirky_body() -> bytes:
    """The 30 KB LuxOS healthchipget reply with trailing commas and '}{' glitches added."""
    text = (CORPUS / "antminer-s19kpro-luxos2025.4.8_healthchipget-0.json").read_text()
    compact = json.dumps(json.loads(text), separators=(",", ":"))
    return compact.replace("},{", "}{").replace("}]", "},]").encode()


@case("decode + parse + normalize, S19 Pro stock poll (3 replies)", unit="readings/s",
      target=">= 1000", repeat=5, setup=_s19_bodies)
def parse_s19_poll(bodies: dict[str, bytes]) -> float:
    t0 = time.perf_counter()
    for _ in range(ROUNDS):
        replies = {name: decode_reply(body) for name, body in bodies.items()}
        reading_from_replies("10.0.0.1", 4028, replies, family="antminer_stock")
    return ROUNDS / (time.perf_counter() - t0)


@case("tolerant JSON repair, 30 KB reply with '}{' and ',]' quirks", unit="ms",
      target="<= 50", repeat=7, setup=_quirky_body)
def repair_30kb(body: bytes) -> float:
    t0 = time.perf_counter()
    result = loads_tolerant(body)
    elapsed = (time.perf_counter() - t0) * 1e3
    assert result.repairs, "the quirks must have forced the repair path"
    return elapsed
