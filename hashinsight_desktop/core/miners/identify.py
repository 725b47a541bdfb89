"""Which firmware family, make, model and firmware version a miner runs.

Decided from the ``version`` reply first (its keys name the miner software:
``LUXminer``, ``BOSer``, ``BDMiner``, ``GCMiner``, ``BMMiner``, Avalon's ``PROD``), then
from ``devdetails`` (Whatsminer's ``Driver: bitmicro`` and ``Model``) and the shapes of
other replies (Whatsminer's string ``STATUS`` with ``Msg.fw_ver``, API v3's
``get.device.info``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from hashinsight_desktop.core.miners import values as v

ANTMINER_STOCK = "antminer_stock"
LUXOS = "luxos"
BRAIINS = "braiins"
WHATSMINER_V2 = "whatsminer_v2"  # API v1 and v2 on TCP 4028
WHATSMINER_V3 = "whatsminer_v3"  # API v3 on TCP 4433
AVALON = "avalon"
AURADINE = "auradine"
SEALMINER = "sealminer"
CGMINER = "cgminer"  # any other cgminer-family firmware: best effort

FAMILIES = (
    ANTMINER_STOCK,
    LUXOS,
    BRAIINS,
    WHATSMINER_V2,
    WHATSMINER_V3,
    AVALON,
    AURADINE,
    SEALMINER,
    CGMINER,
)

MAKES = {
    ANTMINER_STOCK: "Bitmain",
    LUXOS: "Bitmain",
    BRAIINS: "Bitmain",
    WHATSMINER_V2: "MicroBT",
    WHATSMINER_V3: "MicroBT",
    AVALON: "Canaan",
    AURADINE: "Auradine",
    SEALMINER: "Bitdeer",
}


@dataclasses.dataclass(slots=True)
class Identity:
    family: str
    make: str | None = None
    model: str | None = None  # as the firmware names it, cleaned
    firmware: str | None = None
    mac: str | None = None
    serial: str | None = None
    hostname: str | None = None


def clean_model(name: str | None) -> str | None:
    """``"Antminer S21 XP Hyd."`` -> ``"S21 XP Hyd"``; ``"S19-88 v.2.6.0.39 "`` -> ``"S19-88"``;
    ``"M60S_VK40"`` -> ``"M60S VK40"``; ``"M30S+VE40"`` -> ``"M30S+ VE40"``."""
    text = v.text(name)
    if not text:
        return None
    text = re.sub(r"^(Antminer|AntMiner|Bitmain|WhatsMiner|Whatsminer)\s+", "", text)
    text = re.sub(r"\s+v\.?\d[\w.]*$", "", text)  # a firmware version glued to the type
    text = text.replace("_", " ").rstrip(". ")
    text = re.sub(r"([A-Za-z0-9+])(V[A-Z]\d{2})$", r"\1 \2", text)  # Whatsminer bin suffix
    return text or None


def _version_block(reply: Any) -> dict[str, Any]:
    return v.first_section(reply, "VERSION")


def _description(reply: Any) -> str:
    status = reply.get("STATUS") if isinstance(reply, Mapping) else None
    if isinstance(status, list) and status and isinstance(status[0], Mapping):
        return str(status[0].get("Description", ""))
    if isinstance(reply, Mapping):
        return str(reply.get("Description", ""))
    return ""


def _stats_info_block(reply: Any) -> dict[str, Any]:
    """The version-like first block of Bitmain-style ``stats`` (Type, Miner, BMMiner)."""
    for block in v.section(reply, "STATS"):
        if "Type" in block:
            return block
    return {}


def needs_devdetails(version_reply: Any) -> bool:
    """True when ``version`` alone cannot tell the family (plain cgminer, Whatsminer)."""
    identity = identify({"version": version_reply})
    return identity.family == CGMINER and identity.model is None


def identify(replies: Mapping[str, Any]) -> Identity:
    """Identify from whatever replies are available (``version``, ``devdetails``, ...)."""
    info = replies.get("get.device.info")
    if isinstance(info, Mapping) and isinstance(info.get("msg"), Mapping):
        return _whatsminer_v3(info["msg"])
    version_reply = replies.get("version")
    ver = _version_block(version_reply) or _stats_info_block(replies.get("stats"))
    description = _description(version_reply).lower()
    keys = {k.lower() for k in ver}
    if "luxminer" in keys or "luxminer" in description:
        return Identity(LUXOS, MAKES[LUXOS], clean_model(ver.get("Type")),
                        v.text(ver.get("LUXminer")))
    if keys & {"boser", "bosminer"} or "bos" in description.split(" ")[0:1]:
        firmware = v.text(ver.get("BOSer") or ver.get("BOSminer"))
        return Identity(BRAIINS, MAKES[BRAIINS], clean_model(ver.get("Type")), firmware)
    if "bdminer" in keys or description.startswith("bdminer"):
        stats = v.first_section(replies.get("stats"), "STATS")
        model = v.text(stats.get("Model"))
        return Identity(SEALMINER, MAKES[SEALMINER],
                        f"SealMiner {model}" if model else None,
                        v.text(stats.get("Firmware")) or v.text(ver.get("BDMiner")))
    if "gcminer" in keys or "gcminer" in description or "fluxos" in description:
        return _auradine(ver, version_reply, replies.get("ipreport"))
    if "prod" in keys or "Avalon" in str(ver.get("PROD", "")):
        return _avalon(ver)
    whatsminer = _whatsminer_v2(replies, ver, description)
    if whatsminer is not None:
        return whatsminer
    type_name = v.text(ver.get("Type"))
    if "bmminer" in keys or (type_name and "antminer" in type_name.lower()):
        firmware = v.text(ver.get("Miner")) or v.text(ver.get("BMMiner"))
        return Identity(ANTMINER_STOCK, MAKES[ANTMINER_STOCK], clean_model(type_name), firmware)
    devdetails = v.first_section(replies.get("devdetails"), "DEVDETAILS")
    if str(devdetails.get("Driver", "")).lower() == "avalon":
        return Identity(AVALON, MAKES[AVALON])
    make = type_name.split()[0] if type_name else None
    firmware = v.text(ver.get("Miner")) or v.text(ver.get("CGMiner"))
    return Identity(CGMINER, make, type_name, firmware)


def _whatsminer_v2(replies: Mapping[str, Any], ver: Mapping[str, Any], description: str
                   ) -> Identity | None:
    devdetails = v.first_section(replies.get("devdetails"), "DEVDETAILS")
    get_version = replies.get("get_version")
    msg = get_version.get("Msg") if isinstance(get_version, Mapping) else None
    version_msg = replies.get("version")
    if not isinstance(msg, Mapping) and isinstance(version_msg, Mapping):
        msg = version_msg.get("Msg")  # some btminer builds answer `version` like get_version
    is_whatsminer = (
        str(devdetails.get("Driver", "")).lower() == "bitmicro"
        or "whatsminer" in description
        or (isinstance(msg, Mapping) and ("fw_ver" in msg or "api_ver" in msg))
    )
    if not is_whatsminer:
        return None
    firmware = v.text(msg.get("fw_ver")) if isinstance(msg, Mapping) else None
    return Identity(WHATSMINER_V2, MAKES[WHATSMINER_V2], clean_model(devdetails.get("Model")),
                    firmware)


def _whatsminer_v3(msg: Mapping[str, Any]) -> Identity:
    miner = msg.get("miner") if isinstance(msg.get("miner"), Mapping) else {}
    network = msg.get("network") if isinstance(msg.get("network"), Mapping) else {}
    system = msg.get("system") if isinstance(msg.get("system"), Mapping) else {}
    assert isinstance(miner, Mapping) and isinstance(network, Mapping)
    assert isinstance(system, Mapping)
    return Identity(
        WHATSMINER_V3,
        MAKES[WHATSMINER_V3],
        clean_model(miner.get("type")),
        v.text(system.get("fwversion")),
        mac=v.text(network.get("mac")),
        serial=v.text(miner.get("miner-sn")),
        hostname=v.text(network.get("hostname")),
    )


def _avalon(ver: Mapping[str, Any]) -> Identity:
    prod = v.text(ver.get("PROD"))
    model = v.text(ver.get("MODEL"))
    name = prod or (f"Avalon {model}" if model else None)
    firmware = v.text(v.first(ver, "VERSION", "LVERSION", "CGVERSION"))
    return Identity(AVALON, MAKES[AVALON], name, firmware, mac=v.text(ver.get("MAC")),
                    serial=v.text(ver.get("DNA")))


def _auradine(ver: Mapping[str, Any], version_reply: Any, ipreport: Any) -> Identity:
    report = v.first_section(ipreport, "IPReport")
    model = v.text(report.get("model"))
    description = _description(version_reply)
    firmware = v.text(report.get("version")) or description or v.text(ver.get("GCMiner"))
    return Identity(
        AURADINE,
        MAKES[AURADINE],
        f"Teraflux {model}" if model else None,
        firmware,
        mac=v.text(report.get("mac")),
        serial=v.text(report.get("SerialNo")),
        hostname=v.text(report.get("hostname")),
    )
