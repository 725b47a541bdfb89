"""Pixel layout of a site's racks: cell size, wrapping, hit-testing (numpy, no Qt).

Each rack is a column of cells with its name above; racks fill a row left to
right and wrap into more rows.  ``fit_geometry`` tries every racks-per-row count
and keeps the one with the largest cells, so a 30-rack site gets fat cells on a
single row while a 150-rack, 6,000-miner site still fits ~900x700 in a few rows
of 4-5 px cells.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from hashinsight_desktop.ui.rackmap.site_racks import SiteRacks

MARGIN = 6
RACK_GAP = 3
ROW_GAP = 8
#: Never smaller than this: below 2 px a cell cannot be hovered reliably.
MIN_CELL = 2
#: Miners are wide boxes; cells may be up to 3x wider than tall, and not huge.
MAX_ASPECT = 3
MAX_CELL_W = 48
MAX_CELL_H = 20


@dataclasses.dataclass(frozen=True, slots=True)
class RackGeometry:
    """Where every rack and cell is drawn; all values are integer pixels."""

    cell_w: int
    cell_h: int
    racks_per_row: int
    label_h: int
    vertical_labels: bool
    rack_x: np.ndarray  # left edge of each rack
    rack_y: np.ndarray  # top edge of each rack's first cell (its label is above)
    cell_x: np.ndarray  # left edge of each cell (SiteRacks order)
    cell_y: np.ndarray  # top edge of each cell
    width: int  # total size the layout needs
    height: int
    cell_at: np.ndarray  # (racks, max_slots) -> cell index, -1 for an empty slot
    origin_x: int = MARGIN  # left edge of the first rack (the layout is centred)

    @property
    def row_pitch(self) -> int:
        slots = self.cell_at.shape[1]
        return self.label_h + slots * self.cell_h + ROW_GAP

    def hit(self, x: float, y: float) -> int:
        """Index of the cell under pixel (x, y), or -1 (label, gap, empty slot)."""
        if x < self.origin_x or y < MARGIN or self.cell_at.size == 0:
            return -1
        col, x_in = divmod(int(x) - self.origin_x, self.cell_w + RACK_GAP)
        row, y_in = divmod(int(y) - MARGIN, self.row_pitch)
        if col >= self.racks_per_row or x_in >= self.cell_w:
            return -1
        slot, _ = divmod(y_in - self.label_h, self.cell_h)
        rack = row * self.racks_per_row + col
        if y_in < self.label_h or rack >= self.cell_at.shape[0] or slot >= self.cell_at.shape[1]:
            return -1
        return int(self.cell_at[rack, slot])


def fit_geometry(
    racks: SiteRacks, width: int, height: int, label_w: int, label_h: int
) -> RackGeometry:
    """The layout with the largest cells that fits ``width`` x ``height``.

    ``label_w``/``label_h`` are the pixel size of the widest rack name; when a
    cell is narrower than a name the names are drawn vertically.  When even
    ``MIN_CELL`` cells do not fit, the layout keeps the width and grows taller
    than ``height`` (the caller scrolls).
    """
    n_racks, slots = len(racks.rack_names), max(racks.max_slots, 1)
    best: tuple[tuple[int, int], int, int, int, bool] | None = None
    for per_row in range(1, max(n_racks, 1) + 1):
        rows = math.ceil(n_racks / per_row) if n_racks else 1
        width_cell = (width - 2 * MARGIN - (per_row - 1) * RACK_GAP) // per_row
        for vertical in (False, True):
            lab_h = (label_w if vertical else label_h) + 2
            cell_h = (height - 2 * MARGIN - rows * (lab_h + ROW_GAP)) // (rows * slots)
            cell_h = min(cell_h, MAX_CELL_H)
            cell_w = min(width_cell, MAX_ASPECT * cell_h, MAX_CELL_W)
            if cell_h < MIN_CELL or cell_w < MIN_CELL or (not vertical and cell_w < label_w):
                continue
            # Prefer area, then fewer rows (racks side by side read like the floor).
            score = (cell_w * cell_h, -rows)
            if best is None or score > best[0]:
                best = (score, per_row, cell_w, cell_h, vertical)
    if best is None:
        per_row = max(1, (width - 2 * MARGIN + RACK_GAP) // (MIN_CELL + RACK_GAP))
        vertical = True
        cell_w = cell_h = MIN_CELL
    else:
        _, per_row, cell_w, cell_h, vertical = best
    lab_h = (label_w if vertical else label_h) + 2
    return _build(racks, per_row, cell_w, cell_h, lab_h, vertical, width)


def _build(
    racks: SiteRacks,
    per_row: int,
    cell_w: int,
    cell_h: int,
    label_h: int,
    vertical: bool,
    available_w: int,
) -> RackGeometry:
    n_racks, slots = len(racks.rack_names), max(racks.max_slots, 1)
    per_row = max(1, min(per_row, max(n_racks, 1)))
    rows = math.ceil(n_racks / per_row) if n_racks else 0
    row_pitch = label_h + slots * cell_h + ROW_GAP
    width = 2 * MARGIN + per_row * (cell_w + RACK_GAP) - RACK_GAP
    origin_x = MARGIN + max(0, (available_w - width) // 2)
    index = np.arange(n_racks, dtype=np.int64)
    rack_x = origin_x + (index % per_row) * (cell_w + RACK_GAP)
    rack_y = MARGIN + (index // per_row) * row_pitch + label_h
    cell_at = np.full((n_racks, slots), -1, dtype=np.int64)
    cell_at[racks.rack_index, racks.slot] = np.arange(len(racks), dtype=np.int64)
    return RackGeometry(
        cell_w=cell_w,
        cell_h=cell_h,
        racks_per_row=per_row,
        label_h=label_h,
        vertical_labels=vertical,
        rack_x=rack_x,
        rack_y=rack_y,
        cell_x=rack_x[racks.rack_index],
        cell_y=rack_y[racks.rack_index] + racks.slot * cell_h,
        width=width,
        height=2 * MARGIN + rows * row_pitch - (ROW_GAP if rows else 0),
        cell_at=cell_at,
        origin_x=origin_x,
    )
