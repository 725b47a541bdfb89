"""Rack grouping and pixel layout: every miner gets its own cell, hits map back to it."""

from __future__ import annotations

import numpy as np

from hashinsight_desktop.core.fleet.records import MinerRecord
from hashinsight_desktop.core.fleet.synthetic import synthetic_records
from hashinsight_desktop.core.fleet.table import FleetTable
from hashinsight_desktop.ui.rackmap.geometry import fit_geometry
from hashinsight_desktop.ui.rackmap.site_racks import site_racks


def _table(specs: list[tuple[str | None, str | None, object]]) -> FleetTable:
    """Miners from (site, rack, position) triples, ids 1.."""
    return FleetTable([
        MinerRecord(miner_id=i + 1, name=f"m{i + 1}", site=site, rack=rack, position=pos)
        for i, (site, rack, pos) in enumerate(specs)
    ])


def _assert_unique_cells(racks, expected_rows: np.ndarray) -> None:
    assert sorted(racks.rows.tolist()) == sorted(expected_rows.tolist())
    pairs = set(zip(racks.rack_index.tolist(), racks.slot.tolist(), strict=True))
    assert len(pairs) == len(racks.rows)
    assert (racks.slot < racks.rack_slots[racks.rack_index]).all()


def test_racks_are_ordered_naturally_with_missing_rack_last() -> None:
    table = _table([("A", "R10", 1), ("A", "R2", 1), (("A", None, 1)), ("A", "R1", 1),
                    ("B", "R3", 1)])
    racks = site_racks(table.arrays, table.sites.code("A"))
    assert racks.rack_names == ("R1", "R2", "R10", None)
    _assert_unique_cells(racks, np.array([0, 1, 2, 3]))


def test_integer_positions_keep_their_slot_and_leave_gaps() -> None:
    table = _table([("A", "R1", 3), ("A", "R1", "1"), ("A", "R1", 6)])
    racks = site_racks(table.arrays, table.sites.code("A"))
    slot_of_row = dict(zip(racks.rows.tolist(), racks.slot.tolist(), strict=True))
    assert slot_of_row == {0: 2, 1: 0, 2: 5}
    assert racks.rack_slots.tolist() == [6]


def test_duplicate_text_and_missing_positions_are_packed_into_unique_cells() -> None:
    table = _table([("A", "R1", 2), ("A", "R1", 2), ("A", "R1", "top"), ("A", "R1", None),
                    ("A", "R2", 1), ("A", "R2", 5000)])
    racks = site_racks(table.arrays, table.sites.code("A"))
    _assert_unique_cells(racks, np.arange(6))
    # R1: two "2"s then "top" then the missing one; R2's outlier position is packed.
    assert racks.rack_slots.tolist() == [4, 2]
    r2 = racks.rows[racks.rack_index == 1].tolist()
    assert r2 == [4, 5]


def test_missing_site_is_its_own_group() -> None:
    table = _table([("A", "R1", 1), (None, "R1", 1), (None, "R1", 2)])
    racks = site_racks(table.arrays, -1)
    _assert_unique_cells(racks, np.array([1, 2]))


def test_six_thousand_miners_fit_900x700_and_every_cell_hits_back() -> None:
    table = FleetTable(synthetic_records(6000, sites=1))
    racks = site_racks(table.arrays, 0)
    _assert_unique_cells(racks, np.arange(6000))
    g = fit_geometry(racks, 900, 700, label_w=30, label_h=12)
    assert g.width <= 900 and g.height <= 700
    assert g.cell_w >= 3 and g.cell_h >= 3
    corners = set(zip(g.cell_x.tolist(), g.cell_y.tolist(), strict=True))
    assert len(corners) == 6000  # no two cells drawn at the same place
    cx = g.cell_x + g.cell_w // 2
    cy = g.cell_y + g.cell_h // 2
    hits = [g.hit(x, y) for x, y in zip(cx.tolist(), cy.tolist(), strict=True)]
    assert hits == list(range(6000))


def test_hits_outside_cells_find_nothing() -> None:
    table = _table([("A", "R1", 1), ("A", "R1", 3), ("A", "R2", 1)])
    racks = site_racks(table.arrays, 0)
    g = fit_geometry(racks, 300, 200, label_w=20, label_h=12)
    assert g.hit(0, 0) == -1  # margin
    assert g.hit(int(g.rack_x[0]) + 1, int(g.rack_y[0]) - 2) == -1  # rack label
    empty_slot_y = int(g.rack_y[0]) + g.cell_h + g.cell_h // 2  # R1 position 2 is empty
    assert g.hit(int(g.rack_x[0]) + 1, empty_slot_y) == -1
    below_r2 = int(g.rack_y[1]) + 2 * g.cell_h + 1  # under R2, which has 1 slot
    assert g.hit(int(g.rack_x[1]) + 1, below_r2) == -1
    assert g.hit(int(g.rack_x[1]) + g.cell_w + 1, int(g.rack_y[1]) + 1) == -1  # rack gap
    assert g.hit(10_000, 10_000) == -1


def test_a_site_too_big_for_the_panel_keeps_minimum_cells_and_grows_taller() -> None:
    table = _table([("A", f"R{r}", p) for r in range(1, 301) for p in range(1, 41)])
    racks = site_racks(table.arrays, 0)
    g = fit_geometry(racks, 300, 200, label_w=30, label_h=12)
    assert g.cell_w == g.cell_h == 2
    assert g.width <= 300 and g.height > 200
    assert g.hit(int(g.cell_x[-1]) + 1, int(g.cell_y[-1]) + 1) == len(racks) - 1
