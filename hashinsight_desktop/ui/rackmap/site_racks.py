"""Which cell of which rack each miner of one site occupies (no geometry, no Qt).

Racks are ordered naturally (R1, R2, ..., R10) with miners without a rack last.
Inside a rack a miner's slot is its position when the positions are small
unique integers, so an empty slot shows as a gap, as on the floor; otherwise
(text positions, duplicates, missing values) miners are packed in natural
position order, which still gives every miner its own cell.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from hashinsight_desktop.core.fleet.arrays import FleetArrays
from hashinsight_desktop.core.fleet.natural import natural_key

#: A rack whose positions go beyond this many slots per miner is packed instead:
#: one miner at "position 900" must not make a 900-cell column.
_MAX_SLOTS_PER_MINER = 4
_SLACK_SLOTS = 8


@dataclasses.dataclass(frozen=True, slots=True)
class SiteRacks:
    """The cells of one site: parallel arrays with one element per miner (cell)."""

    rows: np.ndarray  # int64 table rows, racks in order, slots ascending inside a rack
    rack_index: np.ndarray  # int64 index into rack_names
    slot: np.ndarray  # int64 slot inside the rack, 0 at the top
    rack_names: tuple[str | None, ...]  # None: miners without a rack
    rack_slots: np.ndarray  # int64 number of slots (height) of each rack

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def max_slots(self) -> int:
        return int(self.rack_slots.max()) if len(self.rack_slots) else 0


def site_racks(arrays: FleetArrays, site_code: int) -> SiteRacks:
    """Group the miners whose site code is ``site_code`` into racks and slots."""
    site_rows = np.flatnonzero(arrays.site == site_code)
    by_rack: dict[str | None, list[int]] = {}
    for row, rack in zip(site_rows.tolist(), arrays.rack[site_rows].tolist(), strict=True):
        by_rack.setdefault(rack or None, []).append(row)
    names = sorted((n for n in by_rack if n is not None), key=natural_key)
    if None in by_rack:
        names.append(None)

    rows, rack_index, slots, heights = [], [], [], []
    for index, name in enumerate(names):
        rack_rows = np.asarray(by_rack[name], dtype=np.int64)
        rack_slots = _slots(arrays, rack_rows)
        order = np.argsort(rack_slots, kind="stable")
        rows.append(rack_rows[order])
        slots.append(rack_slots[order])
        rack_index.append(np.full(len(rack_rows), index, dtype=np.int64))
        heights.append(int(rack_slots.max()) + 1)
    if not names:
        empty = np.empty(0, dtype=np.int64)
        return SiteRacks(empty, empty, empty, (), empty)
    return SiteRacks(
        rows=np.concatenate(rows),
        rack_index=np.concatenate(rack_index),
        slot=np.concatenate(slots),
        rack_names=tuple(names),
        rack_slots=np.asarray(heights, dtype=np.int64),
    )


def _slots(arrays: FleetArrays, rack_rows: np.ndarray) -> np.ndarray:
    positions = [_as_int(p) for p in arrays.position[rack_rows].tolist()]
    count = len(positions)
    if all(p is not None for p in positions):
        numbers = np.asarray(positions, dtype=np.int64)
        fits = numbers.min() >= 1 and numbers.max() <= _MAX_SLOTS_PER_MINER * count + _SLACK_SLOTS
        if fits and len(np.unique(numbers)) == count:
            return numbers - 1
    # Packed: natural order of the position text, then the name, then the row.
    keys = [
        (p is None, natural_key("" if p is None else str(p)), natural_key(str(name)), row)
        for p, name, row in zip(
            arrays.position[rack_rows].tolist(),
            arrays.name[rack_rows].tolist(),
            rack_rows.tolist(),
            strict=True,
        )
    ]
    order = sorted(range(count), key=keys.__getitem__)
    packed = np.empty(count, dtype=np.int64)
    packed[np.asarray(order, dtype=np.int64)] = np.arange(count, dtype=np.int64)
    return packed


def _as_int(position: object) -> int | None:
    if isinstance(position, bool):
        return None
    if isinstance(position, (int, np.integer)):
        return int(position)
    if isinstance(position, str) and position.strip().isdigit():
        return int(position.strip())
    return None
