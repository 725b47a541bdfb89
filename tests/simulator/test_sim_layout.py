"""Fleet layout: realistic blocks, stable ids and addresses, seeded."""

from __future__ import annotations

import collections
import dataclasses
import ipaddress

import pytest

from hashinsight_desktop.core.catalog import lookup_model
from hashinsight_desktop.simulator import FAMILIES, build_fleet


def test_same_seed_same_fleet_and_other_seed_differs() -> None:
    a = build_fleet(500, seed=4)
    assert a == build_fleet(500, seed=4)
    b = build_fleet(500, seed=5)
    assert [s.model for s in a] != [s.model for s in b] or [s.serial for s in a] != [
        s.serial for s in b]


def test_small_mixed_fleet_has_every_family_and_catalog_models() -> None:
    specs = build_fleet(200, seed=1)
    assert {s.family for s in specs} == set(FAMILIES)
    for spec in specs:
        assert lookup_model(spec.model) is not None, spec.model
    ids = [s.miner_id for s in specs]
    assert len(set(ids)) == len(ids) == 200
    assert len({s.serial for s in specs}) == 200
    assert len({s.mac for s in specs}) == 200


def test_bind_gives_each_miner_its_own_loopback_address_without_0_or_255() -> None:
    specs = build_fleet(700, seed=2, bind="127.9.0.0/16")
    addresses = [ipaddress.IPv4Address(s.ip) for s in specs]
    assert len(set(addresses)) == 700
    assert all(s.port == 4028 for s in specs)
    assert all(int(a) & 0xFF not in (0, 255) for a in addresses)
    assert all(a in ipaddress.ip_network("127.9.0.0/16") for a in addresses)


def test_base_port_puts_everyone_on_localhost() -> None:
    specs = build_fleet(30, seed=2, base_port=23100)
    assert {s.ip for s in specs} == {"127.0.0.1"}
    assert [s.port for s in specs] == list(range(23100, 23130))


def test_farm_structure_sites_containers_racks_clients() -> None:
    specs = build_fleet(6000, seed=3)
    assert {s.site for s in specs} == {"TX1", "ND1", "PY1"}
    per_container = collections.Counter(s.container for s in specs)
    assert all(count <= 360 for count in per_container.values())
    assert max(per_container.values()) >= 250
    per_rack = collections.Counter(s.rack for s in specs)
    full_racks = list(per_rack.values())[:-1]  # the last rack may be partly filled
    assert all(30 <= count <= 40 for count in full_racks)
    models_per_rack = collections.defaultdict(set)
    for spec in specs:
        models_per_rack[spec.rack].add(spec.model)
    assert all(len(models) == 1 for models in models_per_rack.values())
    clients = {s.client for s in specs}
    assert None in clients and 8 <= len(clients - {None}) <= 10
    assert len({s.breaker_group for s in specs}) > len(per_rack)


def test_spec_is_frozen() -> None:
    spec = build_fleet(1)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.ip = "127.0.0.2"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"bind": "10.0.0.0/16"}, "127.0.0.0/8"),
        ({"bind": "not-a-net"}, "not a network"),
        ({"bind": "127.5.0.0/30"}, "usable addresses"),
        ({"profile": "braiins"}, "profile"),
        ({"bind": None}, "bind"),
        ({"base_port": 65530}, "base_port"),
    ],
)
def test_bad_arguments_name_the_problem(kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        build_fleet(10, **kwargs)  # type: ignore[arg-type]


def test_single_family_profile() -> None:
    assert {s.family for s in build_fleet(100, profile="luxos")} == {"luxos"}
