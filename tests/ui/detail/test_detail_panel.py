"""MinerDetailPanel over a real SQLite miner: identity, reading, boards, charts, JSON, alerts."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QLabel

from hashinsight_desktop.ui.detail.rows_model import RowsTableModel
from hashinsight_desktop.ui.telemetry.time_ranges import DAY, HOUR


def _form_dict(form) -> dict[str, str]:
    out = {}
    for row in range(form.rowCount()):
        label = form.itemAt(row, form.ItemRole.LabelRole).widget()
        value = form.itemAt(row, form.ItemRole.FieldRole).widget()
        assert isinstance(label, QLabel) and isinstance(value, QLabel)
        out[label.text()] = value.text()
    return out


def _cells(model: RowsTableModel) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def _show(qtbot, panel, miner_id: int) -> None:
    with qtbot.waitSignals([panel.detail_loaded, panel.series_loaded], timeout=10_000):
        panel.show_miner(miner_id)
    qtbot.waitUntil(lambda: not panel.is_loading())


def test_identity_and_live_reading(qtbot, make_detail, miner_engine) -> None:
    panel = make_detail()
    _show(qtbot, panel, miner_engine.miner_id)
    assert panel.title.text() == "TX1-R07-12"
    identity = _form_dict(panel.identity_form)
    assert identity["Address"] == "10.1.2.3:4028"
    assert identity["Model"] == "Antminer S19 Pro"
    assert identity["Firmware"] == "BraiinsOS 23.03"
    assert identity["Site / rack / position"] == "Texas 1 / R07 / #12"
    assert identity["Client"] == "Acme Hosting"
    reading = _form_dict(panel.reading_form)
    assert reading["Status"] == "degraded: one hashboard missing"
    assert reading["Hashrate"] == "73.4 / 110.0 TH/s (67 %)"
    assert reading["Power"] == "2,210 W (estimated)"
    assert reading["Temperature max / avg"] == "81.5 °C / 70.2 °C"
    assert reading["Fans"] == "5,400, 5,520, 5,460, 5,380 rpm"
    assert reading["Pool"] == "stratum+tcp://pool.example:3333  (farm.rack7)"
    assert reading["Uptime"] == "3d 04h 05m"


def test_hashboards_table(qtbot, make_detail, miner_engine, qtmodeltester) -> None:
    panel = make_detail()
    _show(qtbot, panel, miner_engine.miner_id)
    assert _cells(panel.hashboards) == [
        ["0", "36.80 TH/s", "70.5 °C", "114/114"],
        ["1", "36.60 TH/s", "71.0 °C", "114/114"],
        ["2", "—", "—", "0/114"],
    ]
    qtmodeltester.check(panel.hashboards)


def test_raw_reading_is_pretty_read_only_json(qtbot, make_detail, miner_engine) -> None:
    panel = make_detail()
    _show(qtbot, panel, miner_engine.miner_id)
    text = panel.raw_json.toPlainText()
    assert panel.raw_json.isReadOnly()
    assert "\n  \"ip\": \"10.1.2.3\"," in text
    assert json.loads(text)["power_estimated"] is True
    assert QFontInfo(panel.raw_json.font()).fixedPitch()


def test_alerts_listed_newest_first_with_active_ones_coloured(qtbot, make_detail,
                                                              miner_engine) -> None:
    panel = make_detail()
    _show(qtbot, panel, miner_engine.miner_id)
    rows = _cells(panel.alerts)
    assert [r[2] for r in rows] == ["temp_high", "offline"]
    assert rows[0][4] == "active" and rows[1][4] == "cleared"
    assert panel.alerts.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert panel.alerts.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is None


def test_range_switch_changes_resolution(qtbot, make_detail, miner_engine) -> None:
    panel = make_detail()
    _show(qtbot, panel, miner_engine.miner_id)
    assert panel.range_s == DAY and panel.series.resolution_s == 300
    assert len(panel.series) == 24  # two hours of 5-minute rollups
    with qtbot.waitSignal(panel.series_loaded, timeout=10_000):
        panel.range_combo.setCurrentIndex(0)  # 1 h: raw samples
    assert panel.range_s == HOUR and panel.series.resolution_s == 60
    assert len(panel.series) == 60
    x, y = panel.charts.curves["temp_max_c"].getOriginalDataset()
    assert len(x) == 60 and y[0] == 81.5
    assert not panel.charts.showing_message
    with qtbot.waitSignal(panel.series_loaded, timeout=10_000):
        panel.set_range(30 * DAY)  # hourly rollups were never written here
    assert panel.series.resolution_s == 3600
    assert panel.charts.showing_message
    assert panel.charts.no_data_label.text() == "No data for this period"


def test_unknown_miner_says_so(qtbot, make_detail) -> None:
    panel = make_detail()
    _show(qtbot, panel, 9999)
    assert panel.detail is None
    assert panel.title.text() == "Miner 9999 does not exist"
    assert panel.hashboards.rowCount() == 0 and panel.alerts.rowCount() == 0
