"""Fleet layout: which virtual miner sits where, on which address, running what.

A realistic farm is built in blocks: sites hold containers of about 300 miners,
containers hold racks of 30-40 positions, each rack runs one model, and hosting
clients rent whole blocks of racks.  Everything is drawn from one seeded generator,
so the same ``seed`` (and ``n``, ``profile``) always yields the same fleet.
"""

from __future__ import annotations

import dataclasses
import functools
import ipaddress

import numpy as np

from hashinsight_desktop.core.catalog import AsicModel, lookup_model

FAMILIES = ("antminer_stock", "whatsminer_v2", "avalon", "luxos")

# Models each simulated firmware family runs (catalog names), with relative weights.
# LuxOS is aftermarket firmware for Antminers; hydro/immersion models are rarer.
FAMILY_MODELS: dict[str, tuple[tuple[str, float], ...]] = {
    "antminer_stock": (
        ("Antminer S19 Pro", 3), ("Antminer S19j Pro", 3), ("Antminer S19k Pro", 2),
        ("Antminer S19 XP", 2), ("Antminer S21", 3), ("Antminer S21 Pro", 1),
        ("Antminer S21 Hyd", 1), ("Antminer S21 XP Hyd", 1),
    ),
    "whatsminer_v2": (
        ("Whatsminer M30S", 2), ("Whatsminer M30S+", 2), ("Whatsminer M30S++", 2),
        ("Whatsminer M50S", 2), ("Whatsminer M60S", 2), ("Whatsminer M53S", 1),
        ("Whatsminer M56S", 1),
    ),
    "avalon": (
        ("AvalonMiner 1246", 2), ("AvalonMiner A1366", 1), ("AvalonMiner A1466", 2),
        ("AvalonMiner A1566", 2),
    ),
    "luxos": (
        ("Antminer S19", 1), ("Antminer S19j Pro", 2), ("Antminer S19k Pro", 3),
        ("Antminer S19 XP", 2), ("Antminer S21", 2),
    ),
}

FIRMWARE = {
    "antminer_stock": "bmminer 49.0.1.3",
    "whatsminer_v2": "btminer 20240624.18.REL (API 2.0.5)",
    "avalon": "cgminer 4.11.1 (24102401_25462b2_9ddf522)",
    "luxos": "LuxOS 2025.4.8",
}

# Rack family order for the "mixed" profile: weights ~45/25/20/10 %, and every family
# shows up within the first five racks so even a 200-miner test fleet has all four.
_MIXED_CYCLE = (
    "antminer_stock", "whatsminer_v2", "luxos", "avalon", "antminer_stock",
    "whatsminer_v2", "antminer_stock", "luxos", "antminer_stock", "whatsminer_v2",
    "antminer_stock", "luxos", "antminer_stock", "avalon", "whatsminer_v2",
    "antminer_stock", "luxos", "antminer_stock", "whatsminer_v2", "antminer_stock",
)
PROFILES = ("mixed", *FAMILIES)

SITES = (("TX1", "Rockdale TX"), ("ND1", "Jamestown ND"), ("PY1", "Hernandarias PY"))
CLIENTS = (
    "Northwind Hash", "Blue Ridge Mining", "Kestrel Digital", "Aurora Compute",
    "Ironclad Hosting Client", "Satoshi Street Capital", "Polar Hash Fund",
    "Cedar Block Partners", "Helios Mining Co", "Granite Peak Digital",
)
CONTAINER_SIZE = 300
BREAKER_POSITIONS = 12  # miners per breaker (one 3-phase breaker feeds ~40 kW)
RPC_PORT = 4028


@dataclasses.dataclass(frozen=True, slots=True)
class SimMinerSpec:
    miner_id: str
    ip: str
    port: int
    family: str
    model: str
    firmware: str
    serial: str
    mac: str
    hostname: str
    site: str
    container: str
    rack: str
    position: int
    breaker_group: str
    client: str | None

    @property
    def address(self) -> str:
        return f"{self.ip}:{self.port}"

    @property
    def catalog_model(self) -> AsicModel:
        return _catalog(self.model)


@functools.cache
def _catalog(name: str) -> AsicModel:
    model = lookup_model(name)
    assert model is not None, name  # layout only picks catalog names
    return model


def usable_hosts(bind: str, n: int) -> list[str]:
    """The first ``n`` loopback addresses in ``bind``, skipping .0 and .255 host bytes."""
    try:
        net = ipaddress.ip_network(bind, strict=False)
    except ValueError as exc:
        raise ValueError(f"bind {bind!r} is not a network like 127.1.0.0/16") from exc
    if not (isinstance(net, ipaddress.IPv4Network) and net.subnet_of(
            ipaddress.ip_network("127.0.0.0/8"))):
        raise ValueError(f"bind {bind!r} must lie inside 127.0.0.0/8 (loopback only)")
    hosts: list[str] = []
    start = int(net.network_address)
    for value in range(start, start + net.num_addresses):
        if value & 0xFF in (0, 255):
            continue
        hosts.append(f"{value >> 24}.{(value >> 16) & 0xFF}.{(value >> 8) & 0xFF}.{value & 0xFF}")
        if len(hosts) == n:
            return hosts
    raise ValueError(f"bind {bind!r} holds only {len(hosts)} usable addresses, {n} needed")


def _family_sequence(profile: str) -> tuple[str, ...]:
    if profile == "mixed":
        return _MIXED_CYCLE
    if profile in FAMILIES:
        return (profile,)
    raise ValueError(f"profile {profile!r} is unknown; use one of {', '.join(PROFILES)}")


def _pick_model(rng: np.random.Generator, family: str) -> str:
    names = [name for name, _ in FAMILY_MODELS[family]]
    weights = np.array([w for _, w in FAMILY_MODELS[family]], dtype=float)
    return names[int(rng.choice(len(names), p=weights / weights.sum()))]


_ALPHABET = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"))


def _serials(rng: np.random.Generator, family: str, count: int) -> list[str]:
    if family == "avalon":  # Avalon reports a 16-hex-digit DNA
        raw = rng.integers(0, 256, (count, 8))
        return ["".join(f"{b:02x}" for b in row) for row in raw.tolist()]
    bodies = ["".join(row) for row in _ALPHABET[rng.integers(0, len(_ALPHABET), (count, 14))]]
    if family == "whatsminer_v2":
        return ["HTM" + b[:3] + "S" + b[3:14] for b in bodies]
    return ["JYZZ" + b[:13] for b in bodies]


def _macs(rng: np.random.Generator, count: int) -> list[str]:
    # Locally administered unicast: never collides with a real vendor's address.
    raw = rng.integers(0, 256, (count, 5))
    return ["02:" + ":".join(f"{b:02X}" for b in row) for row in raw.tolist()]


def _client_blocks(rng: np.random.Generator, n_racks: int) -> list[str | None]:
    """Hosting clients rent runs of consecutive racks; ~20 % of racks stay self-mined."""
    owners: list[str | None] = []
    while len(owners) < n_racks:
        block = int(rng.integers(2, 9))
        owner = None if rng.random() < 0.2 else CLIENTS[int(rng.integers(0, len(CLIENTS)))]
        owners.extend([owner] * block)
    return owners[:n_racks]


def build_fleet(
    n: int,
    *,
    seed: int = 1,
    profile: str = "mixed",
    bind: str | None = "127.1.0.0/16",
    base_port: int | None = None,
) -> list[SimMinerSpec]:
    """Lay out ``n`` simulated miners; same arguments, same fleet."""
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if base_port is not None:
        if not (base_port >= 1024 and base_port + n - 1 <= 65535):
            raise ValueError(f"base_port {base_port} + {n} miners does not fit below 65536")
        addresses = [("127.0.0.1", base_port + i) for i in range(n)]
    elif bind is not None:
        addresses = [(ip, RPC_PORT) for ip in usable_hosts(bind, n)]
    else:
        raise ValueError("give either bind (a 127.x network) or base_port")
    families = _family_sequence(profile)
    rng = np.random.default_rng([seed, 0x5EED])

    specs: list[SimMinerSpec] = []
    rack_sizes: list[int] = []
    while sum(rack_sizes) < n:
        rack_sizes.append(int(rng.integers(30, 41)))
    owners = _client_blocks(rng, len(rack_sizes))
    racks_per_container = max(1, round(CONTAINER_SIZE / 35))
    index = 0
    for rack_no, size in enumerate(rack_sizes):
        container_no = rack_no // racks_per_container
        site_code, _site_name = SITES[container_no % len(SITES)]
        container = f"{site_code}-C{container_no // len(SITES) + 1:02d}"
        rack = f"{container}-R{rack_no % racks_per_container + 1:02d}"
        family = families[rack_no % len(families)]
        model = _pick_model(rng, family)
        serials = _serials(rng, family, size)
        macs = _macs(rng, size)
        for position in range(1, size + 1):
            if index == n:
                break
            ip, port = addresses[index]
            specs.append(SimMinerSpec(
                miner_id=f"sim-{index:06d}",
                ip=ip,
                port=port,
                family=family,
                model=model,
                firmware=FIRMWARE[family],
                serial=serials[position - 1],
                mac=macs[position - 1],
                hostname=f"{rack.lower()}-p{position:02d}",
                site=site_code,
                container=container,
                rack=rack,
                position=position,
                breaker_group=f"{rack}-B{(position - 1) // BREAKER_POSITIONS + 1}",
                client=owners[rack_no],
            ))
            index += 1
    return specs
