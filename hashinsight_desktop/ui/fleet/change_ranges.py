"""Turn changed cells into a few rectangles for ``dataChanged``.

One signal per changed cell costs ~10 µs each in PySide: 6,000 miners x 11
columns would take most of a second.  One signal for the whole table makes
every view repaint everything.  In between: per column, contiguous runs of
changed view rows; when there are more than ``max_ranges`` runs, the runs
separated by the smallest gaps are merged (a few unchanged cells repainted is
cheap, Qt clips updates to the viewport); finally, adjacent columns with
identical runs are merged into one rectangle (hashrate, % and J/TH usually
change together).
"""

from __future__ import annotations

import dataclasses

import numpy as np

#: Upper bound of ranges per column; measured: beyond ~100 the signal cost dominates.
DEFAULT_MAX_RANGES = 48


@dataclasses.dataclass(frozen=True, slots=True)
class CellRange:
    first_row: int
    last_row: int
    first_column: int
    last_column: int


def row_runs(view_rows: np.ndarray, max_ranges: int = DEFAULT_MAX_RANGES) -> np.ndarray:
    """Distinct rows (any order) -> (k, 2) array of inclusive [start, end] runs, k <= max_ranges."""
    if len(view_rows) == 0:
        return np.empty((0, 2), dtype=np.int64)
    rows = np.sort(view_rows)  # rows are distinct already: a sort is cheaper than np.unique
    breaks = np.flatnonzero(np.diff(rows) > 1)
    starts = np.concatenate(([rows[0]], rows[breaks + 1]))
    ends = np.concatenate((rows[breaks], [rows[-1]]))
    if len(starts) > max_ranges:
        gaps = starts[1:] - ends[:-1]
        # keep the (max_ranges - 1) widest gaps as split points, merge across the rest
        keep = np.sort(np.argpartition(gaps, -(max_ranges - 1))[-(max_ranges - 1):])
        starts = np.concatenate(([starts[0]], starts[keep + 1]))
        ends = np.concatenate((ends[keep], [ends[-1]]))
    return np.stack([starts, ends], axis=1)


def cell_ranges(
    rows_by_column: dict[int, np.ndarray], max_ranges: int = DEFAULT_MAX_RANGES
) -> list[CellRange]:
    """Rectangles covering every changed cell; ``rows_by_column`` maps view column -> view rows."""
    out: list[CellRange] = []
    # a block: the runs shared by the columns first_col..last_col
    block_runs: np.ndarray | None = None
    first_col = last_col = -2

    def close_block() -> None:
        if block_runs is not None:
            out.extend(CellRange(s, e, first_col, last_col) for s, e in block_runs.tolist())

    for column in sorted(rows_by_column):
        runs = row_runs(rows_by_column[column], max_ranges)
        if len(runs) == 0:
            continue
        if block_runs is not None and column == last_col + 1 and np.array_equal(runs, block_runs):
            last_col = column
            continue
        close_block()
        block_runs, first_col, last_col = runs, column, column
    close_block()
    return out
