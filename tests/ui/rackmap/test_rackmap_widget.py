"""RackMapWidget driven like a user: click, hover, site and metric switching, refresh."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from hashinsight_desktop.core.fleet.codes import MinerStatus
from hashinsight_desktop.core.fleet.records import CycleUpdate, MinerRecord
from hashinsight_desktop.core.fleet.synthetic import synthetic_cycle, synthetic_records
from hashinsight_desktop.core.fleet.table import FleetTable
from hashinsight_desktop.ui.rackmap import RackMapWidget, RackMetric
from hashinsight_desktop.ui.rackmap.canvas import NAN_BASE, NAN_HATCH


@pytest.fixture
def fleet() -> tuple[FleetTable, list[MinerRecord]]:
    records = synthetic_records(600, sites=3)
    table = FleetTable(records)
    table.apply_cycle(synthetic_cycle(records, 1))
    return table, records


@pytest.fixture
def widget(qtbot, fleet) -> RackMapWidget:
    w = RackMapWidget(fleet[0])
    qtbot.addWidget(w)
    w.resize(900, 760)
    w.show()
    qtbot.waitExposed(w)
    return w


def _center(widget: RackMapWidget, miner_id: int) -> QPoint:
    rect = widget.canvas.cell_rect(miner_id)
    assert rect is not None, miner_id
    return rect.center()


def test_sites_are_listed_in_natural_order_and_the_first_is_shown(qtbot) -> None:
    table = FleetTable([
        MinerRecord(miner_id=i, name=f"m{i}", site=site, rack="R1", position=i)
        for i, site in enumerate(["Site 10", "Site 2", None, "Site 1"], start=1)
    ])
    w = RackMapWidget(table)
    qtbot.addWidget(w)
    items = [w.site_combo.itemText(i) for i in range(w.site_combo.count())]
    assert items == ["Site 1", "Site 2", "Site 10", "(no site)"]
    assert w.current_site() == "Site 1"
    assert w.set_site(None) and w.current_site_code() == -1
    assert len(w.canvas.racks) == 1
    assert not w.set_site("Nowhere")


def test_click_at_a_cell_centre_emits_that_miner(qtbot, widget, fleet) -> None:
    table, _ = fleet
    site_rows = np.flatnonzero(table.arrays.site == widget.current_site_code())
    for row in (site_rows[0], site_rows[77], site_rows[-1]):
        miner_id = int(table.miner_ids[row])
        with qtbot.waitSignal(widget.miner_clicked) as blocker:
            qtbot.mouseClick(widget.canvas, Qt.MouseButton.LeftButton,
                             pos=_center(widget, miner_id))
        assert blocker.args == [miner_id]
        assert widget.canvas.selected_miner() == miner_id


def test_click_outside_cells_emits_nothing(qtbot, widget) -> None:
    with qtbot.assertNotEmitted(widget.miner_clicked):
        qtbot.mouseClick(widget.canvas, Qt.MouseButton.LeftButton, pos=QPoint(1, 1))


def test_every_cell_centre_maps_back_to_its_miner(widget, fleet) -> None:
    table, _ = fleet
    ids = table.miner_ids[widget.canvas.racks.rows].tolist()
    assert [widget.canvas.miner_at(_center(widget, i)) for i in ids] == ids


def test_hover_tooltip_names_the_miner_rack_model_value_and_status(qtbot, widget, fleet) -> None:
    table, records = fleet
    row = int(widget.canvas.racks.rows[5])
    record = records[row]
    table.apply_cycle(CycleUpdate(miner_ids=np.array([record.miner_id]),
                                  temp_max_c=np.array([83.4]),
                                  status=np.array([MinerStatus.DEGRADED])))
    widget.refresh()
    pos = _center(widget, record.miner_id)
    text = widget.canvas.tooltip_text(pos)
    for part in (record.name, record.rack, str(record.position), record.model, "83.4 °C",
                 "Degraded"):
        assert part in text
    qtbot.mouseMove(widget.canvas, pos)
    event = QHelpEvent(QEvent.Type.ToolTip, pos, widget.canvas.mapToGlobal(pos))
    QApplication.sendEvent(widget.canvas, event)
    assert record.name in QToolTip.text()
    QToolTip.hideText()
    assert widget.canvas.tooltip_text(QPoint(1, 1)) is None


def test_select_miner_switches_site_and_highlights(widget, fleet) -> None:
    table, _ = fleet
    first_site = widget.current_site_code()
    other_row = int(np.flatnonzero(table.arrays.site != first_site)[3])
    other_id = int(table.miner_ids[other_row])
    assert widget.select_miner(other_id)
    assert widget.current_site_code() == int(table.arrays.site[other_row])
    assert widget.canvas.selected_miner() == other_id
    assert widget.canvas.cell_rect(other_id) is not None
    assert not widget.select_miner(-42)
    assert widget.canvas.selected_miner() is None


def test_switching_site_in_the_combo_shows_only_that_sites_miners(widget, fleet) -> None:
    table, _ = fleet
    for index in range(widget.site_combo.count()):
        widget.site_combo.setCurrentIndex(index)
        code = widget.current_site_code()
        shown = np.sort(widget.canvas.racks.rows)
        assert shown.tolist() == np.flatnonzero(table.arrays.site == code).tolist()
        assert len(widget.canvas.cell_buckets()) == len(shown)


def test_metric_switch_changes_scale_and_legend(widget) -> None:
    widget.set_metric(RackMetric.STATUS)
    assert widget.current_metric() is RackMetric.STATUS
    assert widget.canvas.scale.categorical
    entries = widget.legend.entries()
    total = sum(int(text.rsplit(" ", 1)[1].replace(",", "")) for _, text in entries)
    assert total == len(widget.canvas.racks)
    widget.set_metric(RackMetric.POWER)
    assert not widget.canvas.scale.categorical
    assert widget.metric_combo.currentText() == "Power"


def test_never_polled_miners_are_no_reading_and_paint(qtbot) -> None:
    table = FleetTable(synthetic_records(200, sites=1))  # no cycle: every value NaN/unknown
    w = RackMapWidget(table)
    qtbot.addWidget(w)
    w.resize(600, 500)
    for metric in (RackMetric.TEMPERATURE, RackMetric.PCT_NOMINAL, RackMetric.POWER):
        w.set_metric(metric)
        assert (w.canvas.cell_buckets() == w.canvas.scale.nan_bucket).all()
        assert w.legend.entries()[-1][1] == "No reading 200"
        assert not w.grab().isNull()
    w.set_metric(RackMetric.STATUS)  # status is known to be "unknown": grey, not hatched
    unknown = w.canvas.scale.categories.index(int(MinerStatus.UNKNOWN))
    assert (w.canvas.cell_buckets() == unknown).all()


def test_refresh_recolours_after_a_cycle(widget, fleet) -> None:
    table, _ = fleet
    widget.set_metric(RackMetric.TEMPERATURE)
    rows = widget.canvas.racks.rows
    ids = table.miner_ids[rows]
    table.apply_cycle(CycleUpdate(miner_ids=ids, temp_max_c=np.full(len(ids), 93.0)))
    before = widget.canvas.cell_buckets().copy()
    widget.refresh()
    after = widget.canvas.cell_buckets()
    assert (after == len(widget.canvas.scale.colors) - 1).all()
    assert not np.array_equal(before, after)


def test_refresh_relays_out_when_miners_are_added_or_removed(widget, fleet) -> None:
    table, _ = fleet
    site = widget.current_site()
    widget.select_miner(int(table.miner_ids[0]))
    selected = widget.canvas.selected_miner()
    count = len(widget.canvas.racks)
    table.add_miners([MinerRecord(miner_id=1, name="new-one", site=site, rack="R999",
                                  position=1)])
    widget.refresh()
    assert len(widget.canvas.racks) == count + 1
    assert widget.canvas.racks.rack_names[-1] == "R999"
    assert widget.canvas.selected_miner() == selected
    assert widget.canvas.cell_rect(1) is not None
    table.remove_miners([1])
    widget.refresh()
    assert len(widget.canvas.racks) == count


def test_empty_and_unbound_widgets_paint(qtbot) -> None:
    w = RackMapWidget()
    qtbot.addWidget(w)
    w.resize(400, 300)
    assert not w.grab().isNull()
    assert w.site_combo.count() == 0
    assert not w.select_miner(5)
    w.refresh()
    w.set_table(FleetTable())
    assert not w.grab().isNull()


def test_painted_pixels_carry_each_cells_bucket_colour(widget, fleet) -> None:
    table, _ = fleet
    canvas = widget.canvas
    image = canvas.grab().toImage()
    scale, buckets = canvas.scale, canvas.cell_buckets()
    ids = table.miner_ids[canvas.racks.rows].tolist()
    nan_seen = 0
    for miner_id, bucket in zip(ids, buckets.tolist(), strict=True):
        rect = canvas.cell_rect(miner_id)
        pixel = image.pixelColor(rect.left(), rect.top()).name()
        if bucket == scale.nan_bucket:
            nan_seen += 1
            assert pixel in (NAN_BASE.name(), NAN_HATCH.name())
        else:
            assert pixel == QColor(scale.colors[bucket]).name(), miner_id
    assert nan_seen > 0  # the synthetic cycle has offline miners without temperature


def test_select_miner_on_a_site_added_since_the_last_refresh(widget, fleet) -> None:
    table, _ = fleet
    table.add_miners([MinerRecord(miner_id=7, name="annex-1", site="Annex", rack="A1",
                                  position=1)])
    assert widget.select_miner(7)
    assert widget.current_site() == "Annex"
    assert widget.canvas.selected_miner() == 7
