"""FleetTableModel: Qt model contract, roles, sort, filter and in-place cycles."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableView

from hashinsight_desktop.core.fleet import CycleUpdate, FleetColumn, FleetQuery, MinerStatus
from hashinsight_desktop.core.fleet.synthetic import synthetic_cycle
from hashinsight_desktop.core.fleet.table import FleetTable
from hashinsight_desktop.ui.fleet import palette
from hashinsight_desktop.ui.fleet.model import MINER_ID_ROLE, SORT_ROLE, FleetTableModel

DISPLAY = Qt.ItemDataRole.DisplayRole


def test_qtmodeltester_empty(qtmodeltester) -> None:
    model = FleetTableModel(FleetTable([]))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 0 and model.columnCount() == len(FleetColumn)


def _sorted(model: FleetTableModel) -> None:
    model.sort(model.column_index(FleetColumn.HASHRATE), Qt.SortOrder.DescendingOrder)


def _filtered(model: FleetTableModel) -> None:
    model.set_query(FleetQuery(search_text="s1", sort_column=FleetColumn.NAME))


def _cycled(model: FleetTableModel) -> None:
    _sorted(model)
    model.apply_cycle(synthetic_cycle(model.records, 7))


@pytest.mark.parametrize("stage", [lambda m: None, _sorted, _filtered, _cycled],
                         ids=["rows", "sorted", "filtered", "cycled"])
def test_qtmodeltester_with_rows(qtmodeltester, make_model, stage) -> None:
    model = make_model(200)
    stage(model)
    qtmodeltester.check(model, force_py=True)


def test_qtmodeltester_watches_live_changes(qtmodeltester, make_model) -> None:
    """Connected first, the tester checks every signal the operations emit.

    Small on purpose: the tester re-walks the whole model after every signal."""
    model = make_model(40)
    qtmodeltester.check(model, force_py=True)
    _sorted(model)
    model.apply_cycle(synthetic_cycle(model.records, 7))
    model.refresh()
    _filtered(model)
    model.apply_cycle(synthetic_cycle(model.records, 8))
    assert model.rowCount() > 0


def test_display_and_roles(make_model) -> None:
    model = make_model(50)
    a = model.table.arrays
    a.hashrate_ths[0], a.temp_max_c[0], a.temp_max_c[1], a.temp_max_c[2] = 192.04, 81.0, 95.0, np.nan
    a.power_w[0], a.power_estimated[0] = 3250.0, True
    col = model.column_index
    idx = model.index
    assert idx(0, col(FleetColumn.HASHRATE)).data() == "192.0 TH/s"
    assert idx(0, col(FleetColumn.POWER)).data() == "~3,250 W"
    assert idx(2, col(FleetColumn.TEMP_MAX)).data() == "—"
    assert idx(2, col(FleetColumn.TEMP_MAX)).data(SORT_ROLE) is None  # missing, not 0
    assert idx(0, col(FleetColumn.TEMP_MAX)).data(SORT_ROLE) == 81.0
    fg = Qt.ItemDataRole.ForegroundRole
    assert QColor(idx(0, col(FleetColumn.TEMP_MAX)).data(fg)) == palette.AMBER  # hot
    assert QColor(idx(1, col(FleetColumn.TEMP_MAX)).data(fg)) == palette.RED  # critical
    assert idx(2, col(FleetColumn.TEMP_MAX)).data(fg) is None
    align = Qt.ItemDataRole.TextAlignmentRole
    assert Qt.AlignmentFlag(idx(0, col(FleetColumn.POWER)).data(align)) & Qt.AlignmentFlag.AlignRight
    assert Qt.AlignmentFlag(idx(0, col(FleetColumn.NAME)).data(align)) & Qt.AlignmentFlag.AlignLeft
    assert idx(3, 0).data(MINER_ID_ROLE) == int(a.miner_id[3])
    assert model.headerData(col(FleetColumn.TEMP_MAX), Qt.Orientation.Horizontal) == "Max temp"
    assert "80 °C" in model.headerData(col(FleetColumn.TEMP_MAX), Qt.Orientation.Horizontal,
                                       Qt.ItemDataRole.ToolTipRole)


def test_sort_keeps_selection_on_the_same_miners(qtbot, make_model) -> None:
    model = make_model(300)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    sel = view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (3, 4, 150):
        sel.select(model.index(row, 0), flags)
    chosen = set(model.miner_ids_at([3, 4, 150]).tolist())
    model.sort(model.column_index(FleetColumn.TEMP_MAX), Qt.SortOrder.DescendingOrder)
    rows = sorted({i.row() for i in sel.selectedRows()})
    assert set(model.miner_ids_at(rows).tolist()) == chosen
    temps = [model.index(r, model.column_index(FleetColumn.TEMP_MAX)).data(SORT_ROLE)
             for r in range(model.rowCount())]
    present = [t for t in temps if t is not None]
    assert present == sorted(present, reverse=True)
    assert temps[len(present):] == [None] * (len(temps) - len(present))


def _capture_data_changed(model: FleetTableModel) -> list[tuple[int, int, int, int]]:
    ranges: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda tl, br, _roles=(): ranges.append((tl.row(), br.row(), tl.column(), br.column()))
    )
    return ranges


def test_apply_cycle_signals_only_the_changed_cells(make_model) -> None:
    model = make_model(100)
    model.sort(model.column_index(FleetColumn.NAME))
    ranges = _capture_data_changed(model)
    a = model.table.arrays
    ids = a.miner_id[[5, 40]]
    update = CycleUpdate(
        miner_ids=ids,
        temp_max_c=np.array([a.temp_max_c[5] + 1.0, a.temp_max_c[40]]),  # only row 5 changes
        uptime_s=a.uptime_s[[5, 40]] + 60.0,
    )
    changes = model.apply_cycle(update)
    expected = set()
    for column, rows in changes.by_column.items():
        for view_row in model.view_rows_of(a.miner_id[rows]):
            expected.add((int(view_row), model.column_index(column)))
    signalled = {(r, c) for r0, r1, c0, c1 in ranges for r in range(r0, r1 + 1)
                 for c in range(c0, c1 + 1)}
    assert signalled == expected
    assert len(expected) == 3  # temp of one miner, uptime of two


def test_big_cycle_is_covered_with_few_signals(make_model) -> None:
    model = make_model(3000)
    model.sort(model.column_index(FleetColumn.NAME))
    ranges = _capture_data_changed(model)
    changes = model.apply_cycle(synthetic_cycle(model.records, 9, fraction=0.3))
    a = model.table.arrays
    signalled = {(r, c) for r0, r1, c0, c1 in ranges for r in range(r0, r1 + 1)
                 for c in range(c0, c1 + 1)}
    for column, rows in changes.by_column.items():
        for view_row in model.view_rows_of(a.miner_id[rows]):
            assert (int(view_row), model.column_index(column)) in signalled
    assert len(ranges) <= model.max_ranges_per_column * len(changes.by_column)
    assert len(ranges) < changes.cell_count / 10


def test_cycle_keeps_order_and_flags_it_stale(qtbot, make_model) -> None:
    model = make_model(200)
    model.sort(model.column_index(FleetColumn.HASHRATE))
    before = model.view_order.copy()
    with qtbot.waitSignal(model.order_stale_changed) as blocker:
        model.apply_cycle(synthetic_cycle(model.records, 5))
    assert blocker.args == [True]
    assert np.array_equal(model.view_order, before)  # rows did not jump under the user
    model.refresh()
    assert not model.order_stale
    key = [model.index(r, model.column_index(FleetColumn.HASHRATE)).data(SORT_ROLE)
           for r in range(model.rowCount())]
    present = [k for k in key if k is not None]
    assert present == sorted(present)


def test_live_resort_re_sorts_after_each_cycle(make_model) -> None:
    model = make_model(200)
    model.live_resort = True
    model.sort(model.column_index(FleetColumn.HASHRATE))
    model.apply_cycle(synthetic_cycle(model.records, 5))
    assert not model.order_stale
    key = model.table.arrays.hashrate_ths[model.view_order]
    present = key[~np.isnan(key)]
    assert (np.diff(present) >= 0).all()


def test_status_filter_membership_change_marks_stale(make_model) -> None:
    model = make_model(100)
    model.set_query(FleetQuery(statuses={MinerStatus.OK}))
    shown = model.rowCount()
    first = int(model.view_order[0])
    miner = int(model.table.arrays.miner_id[first])
    model.apply_cycle(CycleUpdate(miner_ids=[miner], status=[MinerStatus.OFFLINE]))
    assert model.order_stale and model.rowCount() == shown
    model.refresh()
    assert model.rowCount() == shown - 1 and model.view_row_of(miner) is None


def test_add_and_remove_miners(make_model) -> None:
    model = make_model(10)
    from hashinsight_desktop.core.fleet import MinerRecord

    model.add_miners([MinerRecord(miner_id=1, name="late")])
    assert model.rowCount() == 11 and model.view_row_of(1) is not None
    model.remove_miners([1, int(model.table.miner_ids[0])])
    assert model.rowCount() == 9


def test_mutation_from_a_worker_thread_is_refused(make_model) -> None:
    model = make_model(10)
    errors: list[Exception] = []

    def work() -> None:
        try:
            model.apply_cycle(synthetic_cycle(model.records, 2))
        except RuntimeError as exc:
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert errors and "GUI thread" in str(errors[0])


@pytest.mark.parametrize("column", list(FleetColumn))
def test_every_column_sorts_through_the_model(make_model, column: FleetColumn) -> None:
    model = make_model(120)
    index = model.column_index(column)
    model.sort(index, Qt.SortOrder.DescendingOrder)
    assert model.query.sort_column == column and model.query.descending
    assert sorted(model.view_order.tolist()) == list(range(120))
    assert isinstance(model.index(0, index).data(DISPLAY), str)
