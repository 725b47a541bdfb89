"""The main window: docked panels, status bar naming the database, saved layout."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QWidget
from sqlalchemy.engine import Engine

from hashinsight_desktop import __version__
from hashinsight_desktop.store.database import DatabaseTarget
from hashinsight_desktop.ui.catalog_panel import CatalogPanel
from hashinsight_desktop.ui.overview_panel import OverviewPanel
from hashinsight_desktop.ui.window_state import restore_window, save_window


class MainWindow(QMainWindow):
    def __init__(self, engine: Engine, target: DatabaseTarget,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.target = target
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("HashInsight Desktop {version}").format(version=__version__))
        self.resize(1400, 860)
        self.overview = OverviewPanel(engine)
        self.setCentralWidget(self.overview)
        self.docks: dict[str, QDockWidget] = {}
        self._add_dock("catalog", self.tr("ASIC catalog"), CatalogPanel(engine),
                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.resizeDocks([self.docks["catalog"]], [620], Qt.Orientation.Horizontal)
        self._build_menus()
        self.database_label = QLabel(self.tr("Database: {db}").format(db=target.describe()))
        self.database_label.setObjectName("databaseLabel")
        self.statusBar().addPermanentWidget(self.database_label)
        self._default_state = self.saveState()
        restore_window(self)

    def _add_dock(self, key: str, title: str, widget: QWidget,
                  area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{key}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.docks[key] = dock
        return dock

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        reset = QAction(self.tr("Reset layout"), self)
        reset.setShortcut(QKeySequence("Ctrl+L"))
        reset.triggered.connect(self.reset_layout)
        view_menu.addAction(reset)
        refresh = QAction(self.tr("Refresh"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.overview.refresh)
        view_menu.addAction(refresh)

    def reset_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in self.docks.values():
            dock.show()
            dock.setFloating(False)

    def closeEvent(self, event: QCloseEvent) -> None:
        save_window(self)
        super().closeEvent(event)
