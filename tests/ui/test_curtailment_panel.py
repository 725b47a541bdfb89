"""The curtailment panel plans, approves and executes against the simulator."""

import pytest
from PySide6.QtWidgets import QMessageBox

from hashinsight_desktop.services import accounts
from hashinsight_desktop.services.fleet_populate import populate
from hashinsight_desktop.simulator import SimulatedFleet, build_fleet
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import resolve
from hashinsight_desktop.ui.curtailment_panel import CurtailmentPanel


@pytest.fixture
def farm(sqlite_url):
    target = resolve(sqlite_url)
    admin.upgrade(target)
    engine = admin.open_for_use(target)
    session = accounts.create_user(engine, "op", "operator-pass", "operator")
    specs = [s for s in build_fleet(120, seed=9, bind="127.233.0.0/16")
             if s.family in ("luxos", "avalon")]
    populate(engine, specs)
    fleet = SimulatedFleet(specs, seed=9).start()
    yield engine, session, fleet
    fleet.stop()
    engine.dispose()


def test_plan_approve_execute(qtbot, farm, monkeypatch) -> None:
    engine, session, fleet = farm
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel = CurtailmentPanel(engine, session)
    qtbot.addWidget(panel)
    before = fleet.total_power_w()
    panel.goal_kw.setValue(round(before / 1000 * 0.2))
    with qtbot.waitSignal(panel.done, timeout=30_000):
        panel.plan()
    assert panel.plan_id is not None and "(draft)" in panel.summary.text()
    assert panel.actions.rowCount() > 0 and panel.approve_button.isEnabled()
    panel.approve()
    assert panel.run_button.isEnabled()
    with qtbot.waitSignal(panel.done, timeout=60_000):
        panel._background("execute")
    assert "(active)" in panel.summary.text(), panel.summary.text()
    assert fleet.total_power_w() <= before - panel.goal_kw.value() * 1000 * 0.95
    assert panel.history.rowCount() == 1


def test_sales_role_sees_but_cannot_plan(qtbot, sqlite_url) -> None:
    target = resolve(sqlite_url)
    admin.upgrade(target)
    engine = admin.open_for_use(target)
    panel = CurtailmentPanel(engine, accounts.Session(1, "s", "sales"))
    qtbot.addWidget(panel)
    assert not panel.plan_button.isEnabled()
    assert "cannot" in panel.summary.text() or "not create" in panel.summary.text()
    engine.dispose()
