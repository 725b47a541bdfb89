"""TelemetryPanel over a real SQLite farm: ranges, sites, overlays, crosshair, exports."""

from __future__ import annotations

import csv

import numpy as np
from telemetry_seed import AGG_MINUTES, END, MINERS

from hashinsight_desktop.ui.telemetry.time_ranges import DAY, HOUR


def _reload_and_wait(qtbot, panel, action) -> None:
    with qtbot.waitSignal(panel.series_loaded, timeout=10_000):
        action()
    qtbot.waitUntil(lambda: not panel.is_loading())


def test_first_load_draws_the_last_24_hours(make_panel) -> None:
    panel = make_panel()
    assert panel.range_s == DAY
    assert panel.fleet.resolution_s == 60 and len(panel.fleet) == 24 * 60
    assert not panel.charts.showing_message
    x, y = panel.charts.curves["hashrate_ths"].getOriginalDataset()
    assert len(x) == 24 * 60 and x[-1] == END - 60
    assert np.nanmax(y) > 10_000 * 1.04  # 10 PH/s fleet with a 5 % wave, drawn in TH/s
    x0, x1 = panel.charts.x_range()
    assert (x0, x1) == (END - DAY, END)


def test_range_switch_changes_resolution(qtbot, make_panel) -> None:
    panel = make_panel()
    _reload_and_wait(qtbot, panel, lambda: panel.set_range(7 * DAY))
    assert panel.fleet.resolution_s == 300
    assert len(panel.fleet) == AGG_MINUTES // 5
    _reload_and_wait(qtbot, panel, lambda: panel.range_combo.setCurrentIndex(4))  # 30 d
    assert panel.range_s == 30 * DAY and panel.fleet.resolution_s == 3600
    _reload_and_wait(qtbot, panel, lambda: panel.set_range(HOUR))
    assert panel.fleet.resolution_s == 60 and len(panel.fleet) == 60


def test_site_selector_lists_sites_and_empty_site_says_no_data(qtbot, make_panel) -> None:
    panel = make_panel()
    names = [panel.site_combo.itemText(i) for i in range(panel.site_combo.count())]
    assert names[1:] == ["Alpha", "Bravo"]
    alpha = panel.site_combo.itemData(1)
    _reload_and_wait(qtbot, panel, lambda: panel.site_combo.setCurrentIndex(1))
    assert panel.site_id == alpha
    assert np.nanmax(panel.fleet.values["hashrate_ths"]) < 6_000  # Alpha is half the fleet
    _reload_and_wait(qtbot, panel, lambda: panel.site_combo.setCurrentIndex(2))  # Bravo
    assert len(panel.fleet) == 0
    assert panel.charts.showing_message
    assert panel.charts.no_data_label.text() == "No data for this period"
    assert panel.charts.no_data_label.isVisible()


def test_period_before_any_data_shows_the_message(qtbot, farm_engine) -> None:
    from hashinsight_desktop.ui.telemetry.panel import TelemetryPanel

    panel = TelemetryPanel(farm_engine, clock=lambda: END - 10 * DAY)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.fleet is not None and not panel.is_loading())
    panel.shutdown()
    assert panel.charts.showing_message


def test_overlay_draws_one_series_per_miner(qtbot, make_panel, farm_engine) -> None:
    panel = make_panel()
    ids = farm_engine.miner_ids
    with qtbot.waitSignal(panel.overlays_loaded, timeout=10_000):
        panel.set_overlay_miners([*ids, ids[0]])  # duplicates count once
    assert panel.charts.overlay_count == MINERS
    with qtbot.waitSignal(panel.overlays_loaded, timeout=10_000):
        panel.set_overlay_miners(list(range(1, 200)))  # capped; unknown ids draw empty
    assert panel.charts.overlay_count == 50
    with qtbot.waitSignal(panel.overlays_loaded, timeout=10_000):
        panel.set_overlay_miners([])
    assert panel.charts.overlay_count == 0


def test_crosshair_readout_names_time_and_values(make_panel) -> None:
    panel = make_panel()
    text = panel.charts.move_crosshair(END - 3600 + 10)
    assert "Hashrate" in text and "TH/s" in text and "Online" in text
    assert panel.charts.readout.text() == text


def test_csv_export_has_the_visible_rows(qtbot, make_panel, farm_engine, tmp_path) -> None:
    panel = make_panel()
    with qtbot.waitSignal(panel.overlays_loaded, timeout=10_000):
        panel.set_overlay_miners(farm_engine.miner_ids[:1])
    panel.charts.set_x_range(END - 3600, END - 1)  # zoom to the last hour
    path = tmp_path / "fleet.csv"
    rows = panel.export_csv(path)
    with open(path, newline="", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    assert table[0][:3] == ["time_utc", "Hashrate (TH/s)", "Power (kW)"]
    assert table[0][-1] == "A-01"
    assert rows == len(table) - 1 == 60  # one row per minute; the miner's 5-min points align
    first = table[1]
    assert first[0].endswith("Z") and float(first[2]) == 300.0
    miner_cells = [r[-1] for r in table[1:] if r[-1]]
    assert len(miner_cells) == 12 and float(miner_cells[0]) == 100.0


def test_png_export_writes_an_image(make_panel, tmp_path) -> None:
    panel = make_panel()
    path = tmp_path / "fleet.png"
    assert panel.export_png(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_new_cycle_moves_the_window_and_follows_live(qtbot, make_panel, farm_engine) -> None:
    from sqlalchemy import insert

    from hashinsight_desktop.store.schema.telemetry import cycle_aggregates

    panel = make_panel()
    with farm_engine.begin() as conn:
        conn.execute(insert(cycle_aggregates).values(
            ts=END, site_id=0, miners=100, online=42, curtailed=0, hashrate_ghs=1,
            nominal_ghs=1, power_w=1, temp_avg_dc=1, temp_max_dc=1))
    _reload_and_wait(qtbot, panel, lambda: panel.on_new_cycle(END))
    assert panel.fleet.ts[-1] == END and panel.fleet.values["online"][-1] == 42
    x0, x1 = panel.charts.x_range()
    assert x1 == END + 1 and x0 == END + 1 - DAY


def test_new_cycle_keeps_a_view_zoomed_into_the_past(qtbot, make_panel) -> None:
    panel = make_panel()
    panel.charts.set_x_range(END - 5 * HOUR, END - 4 * HOUR)
    _reload_and_wait(qtbot, panel, lambda: panel.on_new_cycle(END))
    assert panel.charts.x_range() == (END - 5 * HOUR, END - 4 * HOUR)


def test_stale_answers_are_dropped(qtbot, make_panel) -> None:
    panel = make_panel()
    with qtbot.waitSignal(panel.series_loaded, timeout=10_000) as blocker:
        panel.set_range(30 * DAY)
        panel.set_range(HOUR)  # issued before the 30-day answer arrives
    qtbot.waitUntil(lambda: not panel.is_loading())
    assert blocker.signal_triggered
    assert panel.fleet.resolution_s == 60 and len(panel.fleet) == 60
