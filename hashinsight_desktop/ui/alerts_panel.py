"""Active alerts: severity, miner, since when; acknowledge, filter, jump to the miner."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import Engine

from hashinsight_desktop.services import alerts as alert_service
from hashinsight_desktop.ui.row_list_model import RowListModel

_Index = QModelIndex | QPersistentModelIndex
SEVERITY_ORDER = {"critical": 0, "warning": 1, "watch": 2, "info": 3}
SEVERITY_COLOURS = {"critical": "#e5484d", "warning": "#f5a524", "watch": "#4aa8ff",
                    "info": "#8a90a8"}


def _since(started: dt.datetime, now: dt.datetime) -> str:
    seconds = int((now - started).total_seconds())
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 86400} d {seconds % 86400 // 3600} h"


class AlertsModel(RowListModel):
    HEADERS = ("Severity", "Miner", "Alert", "Message", "Since", "Acknowledged")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([], parent)
        self._names: dict[int, str] = {}
        self._now = dt.datetime.now(dt.UTC)

    def set_alerts(self, rows: list[alert_service.AlertRecord], names: dict[int, str]) -> None:
        self._names = names
        self._now = dt.datetime.now(dt.UTC)
        self.set_rows(sorted(rows, key=lambda a: (SEVERITY_ORDER.get(a.severity, 9),
                                                  a.started_at)))

    def alert(self, row: int) -> alert_service.AlertRecord:
        return self.row_at(row)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        a = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self.tr(a.severity)
            if column == 1:
                return self._names.get(a.miner_id or -1, str(a.miner_id or ""))
            if column == 2:
                return a.kind.replace("_", " ")
            if column == 3:
                return a.message
            if column == 4:
                return _since(a.started_at, self._now)
            return self.tr("yes") if a.acknowledged_at else ""
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QColor(SEVERITY_COLOURS.get(a.severity, "#8a90a8"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{a.message}\n{a.started_at:%Y-%m-%d %H:%M UTC}"
        return None


class AlertsPanel(QWidget):
    miner_activated = Signal(int)
    new_critical = Signal(list)  # AlertRecord list, for tray notifications

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self._known_critical: set[int] | None = None
        self._closed = False
        self.user_id: int | None = None
        self.names: dict[int, str] = {}
        self.model = AlertsModel(self)
        self.severity = QComboBox()
        self.severity.addItem(self.tr("All severities"), None)
        for key in ("critical", "warning", "watch"):
            self.severity.addItem(self.tr(key.capitalize()), key)
        self.severity.currentIndexChanged.connect(self.refresh)
        self.ack_button = QPushButton(self.tr("Acknowledge"))
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.count_label = QLabel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(self._activated)
        bar = QHBoxLayout()
        bar.addWidget(self.severity)
        bar.addWidget(self.ack_button)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self._results = _ResultBridge(self)
        self._results.loaded.connect(self._show)

    def refresh(self) -> None:
        if self._closed:  # a queued cycle can arrive after the window closed
            return
        severity = self.severity.currentData()
        engine = self._engine

        def load() -> list[alert_service.AlertRecord]:
            return alert_service.list_active(engine, severities=[severity] if severity else None)

        future = self._executor.submit(load)
        future.add_done_callback(lambda f: self._results.deliver(f))

    def _show(self, rows: list[alert_service.AlertRecord]) -> None:
        self.model.set_alerts(rows, self.names)
        for column in (0, 1, 2, 4, 5):  # the message takes the rest of the width
            self.view.resizeColumnToContents(column)
        self.count_label.setText(self.tr("{n} active").format(n=len(rows)))
        critical = {a.id for a in rows if a.severity == "critical"}
        if self._known_critical is not None:
            fresh = [a for a in rows if a.id in critical - self._known_critical]
            if fresh:
                self.new_critical.emit(fresh)
        self._known_critical = critical if self._known_critical is None else (
            self._known_critical | critical)

    def acknowledge_selected(self) -> int:
        ids = [self.model.alert(i.row()).id for i in self.view.selectionModel().selectedRows()]
        if not ids or self.user_id is None:
            return 0
        count = alert_service.acknowledge(self._engine, ids, self.user_id)
        self.refresh()
        return count

    def _activated(self, index: QModelIndex) -> None:
        miner_id = self.model.alert(index.row()).miner_id
        if miner_id is not None:
            self.miner_activated.emit(miner_id)

    def shutdown(self) -> None:
        self._closed = True
        self._executor.shutdown(wait=True, cancel_futures=True)


class _ResultBridge(QObject):
    """Moves a worker's result onto the GUI thread through a queued signal."""

    loaded = Signal(object)

    def deliver(self, future: concurrent.futures.Future) -> None:
        if future.cancelled() or future.exception() is not None:
            return
        self.loaded.emit(future.result())
