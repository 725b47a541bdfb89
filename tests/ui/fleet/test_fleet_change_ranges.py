"""Changed cells -> dataChanged rectangles."""

from __future__ import annotations

import numpy as np

from hashinsight_desktop.ui.fleet.change_ranges import CellRange, cell_ranges, row_runs


def test_runs_are_exact_when_few() -> None:
    runs = row_runs(np.array([9, 1, 2, 3, 7, 8]))
    assert runs.tolist() == [[1, 3], [7, 9]]


def test_runs_merge_smallest_gaps_beyond_the_cap() -> None:
    rows = np.array([0, 2, 4, 100, 102, 1000])
    runs = row_runs(rows, max_ranges=3)
    assert runs.tolist() == [[0, 4], [100, 102], [1000, 1000]]
    covered = {r for s, e in runs.tolist() for r in range(s, e + 1)}
    assert set(rows.tolist()) <= covered


def test_adjacent_columns_with_the_same_runs_become_one_rectangle() -> None:
    rows = np.array([5, 6])
    ranges = cell_ranges({3: rows, 4: rows, 5: np.array([5]), 7: rows, 8: rows})
    assert ranges == [CellRange(5, 6, 3, 4), CellRange(5, 5, 5, 5), CellRange(5, 6, 7, 8)]


def test_no_rows_no_ranges() -> None:
    assert cell_ranges({1: np.array([], dtype=np.int64)}) == []
