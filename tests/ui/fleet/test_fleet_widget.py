"""FleetGridWidget: search shortcut, filters, selection by miner_id, saved views."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from hashinsight_desktop.core.fleet import FleetColumn, FleetQuery, MinerStatus, SavedView
from hashinsight_desktop.core.fleet.synthetic import synthetic_cycle
from hashinsight_desktop.ui.fleet.saved_views import (
    InMemorySavedViewStorage,
    QSettingsSavedViewStorage,
)
from hashinsight_desktop.ui.fleet.widget import FleetGridWidget


@pytest.fixture
def grid(qtbot, make_model):
    model = make_model(400)
    widget = FleetGridWidget(model, InMemorySavedViewStorage())
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_ctrl_f_focuses_the_search_box(qtbot, grid) -> None:
    grid.view.setFocus()
    qtbot.waitUntil(grid.view.hasFocus)
    QTest.keyClick(grid.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(grid.search_box.hasFocus)


def test_search_and_status_filter_reduce_rows_and_count_label(qtbot, grid) -> None:
    model = grid.view.fleet_model()
    assert model.rowCount() == 400
    QTest.keyClicks(grid.search_box, "S2-")
    qtbot.waitUntil(lambda: model.rowCount() == 80)  # debounced: applied without Enter
    grid.status_filter.set_selected({MinerStatus.OK})
    ok = int((model.table.arrays.status[model.view_order] == MinerStatus.OK).sum())
    assert model.rowCount() == ok < 80
    assert grid.count_label.text() == f"400 miners, {ok} shown, 0 selected"
    grid.status_filter.clear()
    grid.search_box.clear()
    grid.apply_filters()
    assert model.rowCount() == 400


def test_selection_is_kept_by_miner_id_across_filter_sort_and_cycle(qtbot, grid) -> None:
    model = grid.view.fleet_model()
    site2 = model.table.sites.labels.index("Site 2")
    ids_site2 = model.table.arrays.miner_id[model.table.arrays.site == site2]
    wanted = [int(ids_site2[3]), int(ids_site2[10])]
    with qtbot.waitSignal(grid.selection_changed):
        grid.select_miners(wanted)
    assert grid.selected_miner_ids() == sorted(wanted)

    grid.site_filter.set_selected({"Site 3"})  # both hidden: remembered, not lost
    assert _selected_ids_in_view(grid) == []
    grid.site_filter.set_selected({"Site 2"})
    assert _selected_ids_in_view(grid) == sorted(wanted)

    grid.view.sortByColumn(model.column_index(FleetColumn.POWER), Qt.SortOrder.DescendingOrder)
    assert _selected_ids_in_view(grid) == sorted(wanted)
    model.apply_cycle(synthetic_cycle(model.records, 4))
    assert _selected_ids_in_view(grid) == sorted(wanted)
    assert grid.selected_miner_ids() == sorted(wanted)


def _selected_ids_in_view(grid: FleetGridWidget) -> list[int]:
    rows = sorted({i.row() for i in grid.view.selectionModel().selectedRows()})
    return sorted(grid.view.fleet_model().miner_ids_at(rows).tolist())


def test_select_miner_scrolls_to_it_and_enter_activates(qtbot, grid) -> None:
    model = grid.view.fleet_model()
    target = int(model.table.miner_ids[390])
    with qtbot.waitSignal(grid.selection_changed) as changed:
        assert grid.select_miner(target)
    assert changed.args == [[target]]
    row = model.view_row_of(target)
    rect = grid.view.visualRect(model.index(row, 0))
    assert grid.view.viewport().rect().intersects(rect)  # scrolled into view
    grid.view.setFocus()
    with qtbot.waitSignal(grid.miner_activated) as activated:
        QTest.keyClick(grid.view.viewport(), Qt.Key.Key_Return)
    assert activated.args == [target]
    grid.site_filter.set_selected({"Site 1"})
    other_site = int(model.table.miner_ids[391])  # Site 2
    assert grid.select_miner(other_site) is False


def test_saved_view_round_trip_through_the_widget(grid) -> None:
    model = grid.view.fleet_model()
    grid.search_box.setText("s1")
    grid.status_filter.set_selected({MinerStatus.OK, MinerStatus.DEGRADED})
    grid.view.sortByColumn(model.column_index(FleetColumn.TEMP_MAX), Qt.SortOrder.DescendingOrder)
    grid.view.setColumnHidden(model.column_index(FleetColumn.FIRMWARE), True)
    saved = grid.save_current_view("hot s1")
    assert FleetColumn.FIRMWARE not in saved.visible_columns
    assert saved.query.sort_column == FleetColumn.TEMP_MAX and saved.query.descending
    expected_order = model.view_order.copy()

    grid.apply_view(SavedView("plain"))
    assert model.rowCount() == 400 and not grid.view.isColumnHidden(
        model.column_index(FleetColumn.FIRMWARE))
    grid.apply_view(saved)
    assert np.array_equal(model.view_order, expected_order)
    assert grid.search_box.text() == "s1"
    assert grid.status_filter.selected() == {MinerStatus.OK, MinerStatus.DEGRADED}
    assert grid.view.isColumnHidden(model.column_index(FleetColumn.FIRMWARE))
    assert grid.views_combo.findText("hot s1") > 0
    grid.delete_view("hot s1")
    assert grid.views_combo.findText("hot s1") == -1


def test_qsettings_storage(tmp_path) -> None:
    settings = QSettings(str(tmp_path / "views.ini"), QSettings.Format.IniFormat)
    storage = QSettingsSavedViewStorage(settings)
    view = SavedView("Offline, site B", FleetQuery(statuses={MinerStatus.OFFLINE}, sites={"B"}))
    storage.save(view)
    storage.save(SavedView("a"))
    reopened = QSettingsSavedViewStorage(QSettings(str(tmp_path / "views.ini"),
                                                   QSettings.Format.IniFormat))
    assert [v.name for v in reopened.list()] == ["a", "Offline, site B"]
    assert reopened.list()[1] == view
    reopened.delete("a")
    assert [v.name for v in storage.list()] == ["Offline, site B"]


def test_column_chooser_hides_and_shows_columns(grid) -> None:
    menu = grid.view.column_menu()
    model = grid.view.fleet_model()
    pool = model.column_index(FleetColumn.POOL)
    action = menu.actions()[pool]
    assert action.isChecked()
    action.setChecked(False)
    assert grid.view.isColumnHidden(pool)
    serial = grid.view.column_menu().actions()[model.column_index(FleetColumn.SERIAL)]
    assert not serial.isChecked()  # hidden by default
    serial.setChecked(True)
    assert FleetColumn.SERIAL in grid.view.visible_columns()


def test_grid_paints_selected_and_coloured_rows(grid) -> None:
    grid.select_miner(int(grid.view.fleet_model().table.miner_ids[0]))
    image = grid.grab().toImage()
    QApplication.processEvents()
    assert image.width() == 1200
    colours = {image.pixelColor(x, y).name() for x in range(0, 1200, 7) for y in range(40, 400, 5)}
    assert len(colours) > 10  # text, highlight, status colours: not a blank widget


def test_cycle_keeps_scroll_position_and_shows_stale_order(qtbot, grid) -> None:
    model = grid.view.fleet_model()
    grid.view.sortByColumn(model.column_index(FleetColumn.HASHRATE), Qt.SortOrder.AscendingOrder)
    bar = grid.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    before = bar.value()
    model.apply_cycle(synthetic_cycle(model.records, 6))
    assert bar.value() == before
    assert grid.stale_button.isVisible()
    grid.stale_button.click()
    assert not grid.stale_button.isVisible()


def test_language_change_keeps_the_ui_consistent(grid) -> None:
    from PySide6.QtCore import QEvent

    grid.status_filter.set_selected({MinerStatus.OK})
    QApplication.sendEvent(grid, QEvent(QEvent.Type.LanguageChange))
    assert grid.status_filter.text() == "Status (1)"
    assert grid.count_label.text().startswith("400 miners")
