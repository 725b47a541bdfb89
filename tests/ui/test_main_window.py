"""The main window opens on the configured database, names it, and keeps its geometry."""

import pytest
from PySide6.QtCore import QRect

from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import resolve
from hashinsight_desktop.ui.main_window import MainWindow


@pytest.fixture
def engine_and_target(sqlite_url):
    target = resolve(sqlite_url)
    admin.upgrade(target)
    engine = admin.open_for_use(target)
    yield engine, target
    engine.dispose()


def test_status_bar_names_the_database(qtbot, engine_and_target) -> None:
    engine, target = engine_and_target
    window = MainWindow(engine, target)
    qtbot.addWidget(window)
    window.show()
    assert str(target.sqlite_path) in window.database_label.text()
    assert window.overview.refresh()["catalog_models"] >= 30
    assert window.docks["catalog"].widget().model.rowCount() >= 30


def test_geometry_is_saved_and_restored(qtbot, engine_and_target) -> None:
    engine, target = engine_and_target
    first = MainWindow(engine, target)
    qtbot.addWidget(first)
    first.show()
    first.setGeometry(QRect(40, 50, 711, 477))
    qtbot.waitUntil(lambda: first.width() == 711)
    first.docks["catalog"].hide()
    first.close()
    second = MainWindow(engine, target)
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (711, 477)
    assert not second.docks["catalog"].isVisible()
    second.reset_layout()
    assert second.docks["catalog"].isVisible()


def test_catalog_filter(qtbot, engine_and_target) -> None:
    engine, target = engine_and_target
    window = MainWindow(engine, target)
    qtbot.addWidget(window)
    panel = window.docks["catalog"].widget()
    panel.search.setText("whatsminer")
    visible = [r for r in range(panel.model.rowCount()) if not panel.view.isRowHidden(r)]
    assert visible and all("Whatsminer" in panel.model.index(r, 0).data() for r in visible)
