"""The main window: the fleet grid in the centre, docked panels around it.

The window wires panels together (selection in one shows the miner in the others) and
to the live feed; each panel owns its own logic.  Layout and geometry are saved per
user in QSettings and restored; "Reset layout" returns to the default arrangement.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import Engine

from hashinsight_desktop import __version__
from hashinsight_desktop.core.fleet.table import FleetTable
from hashinsight_desktop.services.accounts import Session
from hashinsight_desktop.store.database import DatabaseTarget
from hashinsight_desktop.ui.alerts_panel import AlertsPanel
from hashinsight_desktop.ui.catalog_panel import CatalogPanel
from hashinsight_desktop.ui.detail.panel import MinerDetailPanel
from hashinsight_desktop.ui.fleet.model import FleetTableModel
from hashinsight_desktop.ui.fleet.widget import FleetGridWidget
from hashinsight_desktop.ui.kpi_strip import KpiStrip
from hashinsight_desktop.ui.live_feed import FeedStatus, LiveFeed
from hashinsight_desktop.ui.rackmap import RackMapWidget
from hashinsight_desktop.ui.status_bar import ConsoleStatusBar
from hashinsight_desktop.ui.telemetry.panel import TelemetryPanel
from hashinsight_desktop.ui.welcome_panel import WelcomePanel
from hashinsight_desktop.ui.window_state import restore_window, save_window

SHORTCUTS = (
    ("Ctrl+F", "Search the fleet grid"),
    ("Ctrl+L", "Reset the panel layout"),
    ("Enter", "Open the selected miner's detail"),
    ("Delete", "Remove the selected miners (asks first)"),
    ("Ctrl+I", "Import miners from CSV or Excel"),
    ("Ctrl+E", "Export the view or selection"),
    ("F5", "Refresh from the database"),
    ("Ctrl+Q", "Quit"),
    ("F1", "This list"),
)


class MainWindow(QMainWindow):
    demo_progress = Signal(str)
    demo_failed = Signal(str)

    def __init__(self, engine: Engine, target: DatabaseTarget, *,
                 session: Session | None = None, feed_interval_ms: int = 2000,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.target = target
        self.session = session
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("HashInsight Desktop {version}").format(version=__version__))
        self.resize(1600, 950)
        self.setDockNestingEnabled(True)

        self.table = FleetTable()
        self.fleet_model = FleetTableModel(self.table, self)
        self.grid = FleetGridWidget(self.fleet_model)
        self.kpis = KpiStrip()
        fleet_page = QWidget()
        layout = QVBoxLayout(fleet_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.kpis)
        layout.addWidget(self.grid, 1)
        self.welcome = WelcomePanel()
        self.pages = QStackedWidget()
        self.pages.addWidget(fleet_page)
        self.pages.addWidget(self.welcome)
        self.setCentralWidget(self.pages)
        self.demo = None

        self.docks: dict[str, QDockWidget] = {}
        self.alerts = AlertsPanel(engine)
        self.alerts.user_id = session.user_id if session else None
        self.alerts.ack_button.setEnabled(session is not None and session.role != "client")
        self.catalog = CatalogPanel(engine)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.rackmap = RackMapWidget(self.table)
        self.detail = MinerDetailPanel(engine)
        self.telemetry = TelemetryPanel(engine)
        right, bottom = Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea
        self._add_dock("rackmap", self.tr("Rack map"), self.rackmap, right)
        self._add_dock("alerts", self.tr("Alerts"), self.alerts, right)
        self.splitDockWidget(self.docks["rackmap"], self.docks["alerts"], Qt.Orientation.Vertical)
        self._add_dock("detail", self.tr("Miner detail"), self.detail, right)
        self.tabifyDockWidget(self.docks["rackmap"], self.docks["detail"])
        self._add_dock("catalog", self.tr("ASIC catalog"), self.catalog, right)
        self.tabifyDockWidget(self.docks["rackmap"], self.docks["catalog"])
        self._add_dock("telemetry", self.tr("Telemetry"), self.telemetry, bottom)
        from hashinsight_desktop.ui.calculator import CalculatorPanel

        self.calculator = CalculatorPanel(engine)
        self._add_dock("calculator", self.tr("Calculator"), self.calculator, bottom)
        self.tabifyDockWidget(self.docks["telemetry"], self.docks["calculator"])
        from hashinsight_desktop.ui.curtailment_panel import CurtailmentPanel

        self.curtailment = CurtailmentPanel(engine, session)
        self._add_dock("curtailment", self.tr("Curtailment"), self.curtailment, bottom)
        self.tabifyDockWidget(self.docks["telemetry"], self.docks["curtailment"])
        self.docks["telemetry"].raise_()
        self.docks["rackmap"].raise_()
        self.resizeDocks([self.docks["rackmap"]], [600], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["telemetry"], self.docks["rackmap"], self.docks["alerts"]],
                         [430, 560, 330], Qt.Orientation.Vertical)

        self.status = ConsoleStatusBar(self.statusBar(), target, self)
        if session is not None:
            self.statusBar().showMessage(self.tr("Signed in as {user} ({role})").format(
                user=session.username, role=session.role), 10000)
        self.feed = LiveFeed(engine, interval_ms=feed_interval_ms, parent=self)
        self.tray: QSystemTrayIcon | None = None
        from hashinsight_desktop.ui.batch_actions import BatchActions

        self.batch = BatchActions(engine, session, self)
        self.batch.changed_fleet.connect(self.feed.reload_records)
        self.grid.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.view.customContextMenuRequested.connect(self._grid_menu)
        self._build_menus()
        self._connect()
        self._default_state = self.saveState()
        restore_window(self)
        self.feed.start()

    # ------------------------------------------------------------------ layout
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
        import_action = QAction(self.tr("&Import miners…"), self, shortcut=QKeySequence("Ctrl+I"))
        import_action.triggered.connect(self.import_miners)
        file_menu.addAction(import_action)
        export_action = QAction(self.tr("&Export view or selection…"), self,
                                shortcut=QKeySequence("Ctrl+E"))
        export_action.triggered.connect(self.export_view)
        file_menu.addAction(export_action)
        scan_action = QAction(self.tr("&Scan a network…"), self)
        scan_action.triggered.connect(self.scan_network)
        file_menu.addAction(scan_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.view_menu = self.menuBar().addMenu(self.tr("&View"))
        for dock in self.docks.values():
            self.view_menu.addAction(dock.toggleViewAction())
        self.view_menu.addSeparator()
        reset = QAction(self.tr("Reset layout"), self, shortcut=QKeySequence("Ctrl+L"))
        reset.triggered.connect(self.reset_layout)
        self.view_menu.addAction(reset)
        theme_menu = self.view_menu.addMenu(self.tr("Theme"))
        for name, label in (("dark", self.tr("Dark")), ("light", self.tr("Light"))):
            action = QAction(label, self)
            action.triggered.connect(lambda _=False, n=name: self.set_theme(n))
            theme_menu.addAction(action)
        refresh = QAction(self.tr("Refresh"), self, shortcut=QKeySequence("F5"))
        refresh.triggered.connect(self.feed.reload_records)
        self.view_menu.addAction(refresh)
        operations = self.menuBar().addMenu(self.tr("&Operations"))
        self.batch.build_menu(operations, self.grid.selected_miner_ids)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        delete = QAction(self.tr("Remove selected miners"), self,
                         shortcut=QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        delete.triggered.connect(lambda: self.batch.run("remove", self.grid.selected_miner_ids()))
        self.grid.addAction(delete)
        keys = QAction(self.tr("Keyboard shortcuts"), self, shortcut=QKeySequence("F1"))
        keys.triggered.connect(self.show_shortcuts)
        help_menu.addAction(keys)

    def _connect(self) -> None:
        self.feed.records_ready.connect(self.on_records)
        self.feed.cycle_ready.connect(self.on_cycle)
        self.feed.status_changed.connect(self.on_status)
        self.alerts.miner_activated.connect(self.show_miner)
        self.alerts.new_critical.connect(self._notify_critical)
        self.grid.miner_activated.connect(self.show_miner)
        self.rackmap.miner_clicked.connect(self.show_miner)
        self.grid.selection_changed.connect(self._on_selection)
        self.welcome.demo_requested.connect(self.start_demo)
        self.welcome.scan_requested.connect(self.scan_network)
        self.welcome.postgres_requested.connect(self.connect_postgres)
        self.welcome.import_requested.connect(self.import_miners)
        self.demo_progress.connect(self.welcome.show_progress)
        self.demo_progress.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.demo_failed.connect(self._demo_failed)

    def _grid_menu(self, pos) -> None:
        from PySide6.QtWidgets import QMenu

        menu = QMenu(self)
        self.batch.build_menu(menu, self.grid.selected_miner_ids)
        menu.exec(self.grid.view.viewport().mapToGlobal(pos))

    def set_theme(self, name: str) -> None:
        from hashinsight_desktop.config.registry import SettingsError, load_settings
        from hashinsight_desktop.ui.theme import apply_theme

        apply_theme(QApplication.instance(), name)
        for panel in (self.telemetry, self.detail):
            charts = getattr(panel, "charts", None)
            if charts is not None:
                charts.apply_palette()
        try:
            settings = load_settings()
            settings.set("ui.theme", name)
            settings.save()
        except (SettingsError, OSError) as exc:
            self.statusBar().showMessage(self.tr("Theme not saved: {error}").format(error=exc))

    def reset_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in self.docks.values():
            dock.setFloating(False)
            dock.show()

    def show_shortcuts(self) -> None:
        lines = "\n".join(f"{keys}\t{self.tr(text)}" for keys, text in SHORTCUTS)
        QMessageBox.information(self, self.tr("Keyboard shortcuts"), lines)

    # -------------------------------------------------------------- live data
    def on_records(self, records: list) -> None:
        known = set(self.table.miner_ids.tolist())
        wanted = {r.miner_id for r in records}
        gone = sorted(known - wanted)
        if gone:
            self.fleet_model.remove_miners(gone)
        new = [r for r in records if r.miner_id not in known]
        if new:
            self.fleet_model.add_miners(new)
        self.grid.refresh_filter_options()
        self.alerts.names = {r.miner_id: r.name for r in records}
        self.kpis.update_from(self.table)
        self.rackmap.refresh()

    def on_cycle(self, cycle) -> None:
        self.fleet_model.apply_cycle(cycle.update)
        self.kpis.update_from(self.table)
        self.rackmap.refresh()
        self.telemetry.on_new_cycle(cycle.info.ts)
        self.alerts.refresh()

    def on_status(self, status: FeedStatus) -> None:
        self.status.show(status)
        if status.database_ok:
            empty = status.miners == 0 and self.demo is None
            self.pages.setCurrentWidget(self.welcome if empty else self.pages.widget(0))

    def _on_selection(self, miner_ids: list) -> None:
        self.telemetry.set_overlay_miners(miner_ids[:50])
        if miner_ids:
            self.detail.show_miner(miner_ids[0])

    # ------------------------------------------------------------- first run
    def start_demo(self, miners: int = 6000) -> None:
        from hashinsight_desktop.services.demo_farm import DemoError, DemoFarm, DemoOptions

        if self.demo is not None:
            return
        self.demo = DemoFarm(self.target, DemoOptions(miners=miners),
                             on_progress=self.demo_progress.emit)
        self.welcome.demo.button.setEnabled(False)

        def run() -> None:
            try:
                self.demo.start()
                self.demo_progress.emit(self.tr("Demo farm running: miners are being collected"))
                self.feed.reload_records()
            except (DemoError, OSError) as exc:
                self.demo_failed.emit(str(exc))

        threading.Thread(target=run, name="demo-start", daemon=True).start()

    def _demo_failed(self, message: str) -> None:
        self.demo = None
        self.welcome.demo.button.setEnabled(True)
        QMessageBox.warning(self, self.tr("Demo farm"),
                            self.tr("The demo farm could not start: {error}").format(error=message))

    def scan_network(self) -> None:
        from hashinsight_desktop.ui.scan_dialog import ScanDialog

        dialog = ScanDialog(self.engine, self)
        if dialog.exec():
            self.feed.reload_records()

    def import_miners(self) -> None:
        from hashinsight_desktop.ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.engine, self)
        if dialog.exec():
            self.statusBar().showMessage(
                self.tr("{n} miners imported").format(n=dialog.imported), 10000)
            self.feed.reload_records()

    def export_view(self) -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        from hashinsight_desktop.ui.view_export import export_rows

        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export the fleet view"),
                                              "fleet.xlsx", self.tr("Excel (*.xlsx);;CSV (*.csv)"))
        if not name:
            return
        selected = self.grid.selected_miner_ids()
        model = self.fleet_model
        if selected:
            rows = sorted(r for r in (model.view_row_of(m) for m in selected) if r is not None)
        else:
            rows = list(range(model.rowCount()))
        header = self.grid.view.horizontalHeader()
        columns = [header.logicalIndex(v) for v in range(header.count())
                   if not header.isSectionHidden(header.logicalIndex(v))]
        try:
            count = export_rows(model, rows, columns, Path(name))
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Export"), self.tr("Cannot write {file}: {error}")
                                .format(file=name, error=exc.strerror or exc))
            return
        self.statusBar().showMessage(self.tr("{n} rows exported to {file}").format(
            n=count, file=name), 10000)

    def connect_postgres(self) -> None:
        from hashinsight_desktop.ui.postgres_dialog import PostgresDialog

        PostgresDialog(self).exec()

    def show_miner(self, miner_id: int) -> None:
        self.grid.select_miner(miner_id)
        self.rackmap.select_miner(miner_id)
        self.detail.show_miner(miner_id)

    def _notify_critical(self, alerts: list) -> None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self.tray is None:
            self.tray = QSystemTrayIcon(QApplication.windowIcon(), self)
            self.tray.show()
        first = alerts[0]
        more = f" (+{len(alerts) - 1})" if len(alerts) > 1 else ""
        self.tray.showMessage(self.tr("Critical alert"), f"{first.message}{more}",
                              QSystemTrayIcon.MessageIcon.Critical, 8000)

    def closeEvent(self, event: QCloseEvent) -> None:
        save_window(self)
        for signal in (self.feed.records_ready, self.feed.cycle_ready, self.feed.status_changed):
            signal.disconnect()
        self.feed.stop()
        self.alerts.shutdown()
        self.telemetry.shutdown()
        self.detail.shutdown()
        if self.demo is not None:
            self.demo.stop()
        super().closeEvent(event)
