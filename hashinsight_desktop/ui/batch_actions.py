"""Batch operations on the grid's selection: confirm, run in a worker, show per-miner results."""

from __future__ import annotations

import threading
from collections import Counter
from typing import ClassVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import Engine

from hashinsight_desktop.services import batch_ops
from hashinsight_desktop.services.accounts import Session


class PoolsDialog(QDialog):
    """Up to three pools; the worker name comes from a pattern such as {site}.{rack}x{position}."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Set pools"))
        grid = QGridLayout()
        for column, text in enumerate((self.tr("Pool URL"), self.tr("Worker pattern"),
                                       self.tr("Password"))):
            grid.addWidget(QLabel(text), 0, column)
        self.rows: list[tuple[QLineEdit, QLineEdit, QLineEdit]] = []
        for r in range(3):
            url = QLineEdit(placeholderText="stratum+tcp://pool.example.com:3333")
            pattern = QLineEdit("account.{site}x{rack}x{position}" if r == 0 else "")
            password = QLineEdit("x")
            for column, widget in enumerate((url, pattern, password)):
                grid.addWidget(widget, r + 1, column)
            self.rows.append((url, pattern, password))
        hint = QLabel(self.tr("Fields: {site} {rack} {position} {ip}"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(760, 200)

    def pools(self) -> list[dict[str, str]]:
        return [{"url": u.text().strip(), "worker_pattern": p.text().strip(),
                 "password": w.text() or "x"}
                for u, p, w in self.rows if u.text().strip()]


class BatchActions(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)  # BatchReport or an error text
    changed_fleet = Signal()

    LABELS: ClassVar[dict[str, str]] = {
        "restart": "Restart", "curtail": "Pause mining (curtail)", "resume": "Resume mining",
        "power_target": "Power target…", "set_pools": "Set pools…", "tag": "Add tag…",
        "untag": "Remove tag…", "remove": "Remove from fleet",
    }

    def __init__(self, engine: Engine, session: Session | None, parent: QWidget) -> None:
        super().__init__(parent)
        self._engine = engine
        self._session = session
        self._parent = parent
        self._cancel = threading.Event()
        self._progress: QProgressDialog | None = None
        self.progressed.connect(self._on_progress)
        self.finished.connect(self._on_finished)

    def allowed(self) -> bool:
        return self._session is not None and self._session.role in batch_ops.CONTROL_ROLES

    def build_menu(self, menu: QMenu, selected) -> None:
        """Fill ``menu`` with operations on ``selected()`` (a callable giving miner ids)."""
        for kind, text in self.LABELS.items():
            action = QAction(self.tr(text), menu)
            action.setEnabled(self.allowed())
            action.triggered.connect(lambda _=False, k=kind: self.run(k, selected()))
            menu.addAction(action)
            if kind in ("resume", "set_pools"):
                menu.addSeparator()

    def run(self, kind: str, miner_ids: list[int]) -> None:
        if not miner_ids:
            QMessageBox.information(self._parent, self.tr("Batch operation"),
                                    self.tr("Select one or more miners first."))
            return
        params: dict = {}
        if kind == "power_target":
            watts, ok = QInputDialog.getInt(self._parent, self.tr("Power target"),
                                            self.tr("Watts per miner"), 3000, 100, 20000, 50)
            if not ok:
                return
            params = {"watts": watts}
        elif kind == "set_pools":
            dialog = PoolsDialog(self._parent)
            if not dialog.exec() or not dialog.pools():
                return
            params = {"pools": dialog.pools()}
        elif kind in ("tag", "untag"):
            tag, ok = QInputDialog.getText(self._parent, self.tr("Tag"), self.tr("Tag"))
            if not ok or not tag.strip():
                return
            params = {"tag": tag.strip()}
        answer = QMessageBox.question(
            self._parent, self.tr("Confirm"),
            self.tr("{action} on {n} miners?").format(action=self.tr(self.LABELS[kind]).rstrip("…"),
                                                       n=f"{len(miner_ids):,}"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._start(kind, miner_ids, params)

    def _start(self, kind: str, miner_ids: list[int], params: dict) -> None:
        self._cancel.clear()
        self._progress = QProgressDialog(self.tr("Sending to the miners…"), self.tr("Cancel"),
                                         0, len(miner_ids), self._parent)
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.canceled.connect(self._cancel.set)
        self._progress.show()

        def work() -> None:
            try:
                if kind in batch_ops.CONTROL_KINDS:
                    report = batch_ops.run_control_batch(
                        self._engine, self._session, kind, miner_ids, params,
                        progress=self.progressed.emit, cancel=self._cancel)
                else:
                    report = batch_ops.run_edit_batch(self._engine, self._session, kind,
                                                      miner_ids, params)
                self.finished.emit(report)
            except (PermissionError, ValueError) as exc:
                self.finished.emit(str(exc))

        threading.Thread(target=work, name=f"batch-{kind}", daemon=True).start()

    def _on_progress(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress.setValue(done)

    def _on_finished(self, outcome: object) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress = None
        if isinstance(outcome, str):
            QMessageBox.warning(self._parent, self.tr("Batch operation"), outcome)
            return
        report: batch_ops.BatchReport = outcome
        reasons = Counter(detail.split(":")[0][:60] for status, detail in report.results.values()
                          if status != "done")
        lines = [self.tr("{done} done, {failed} failed, {unsupported} not supported by the "
                         "firmware").format(done=report.done, failed=report.failed,
                                            unsupported=report.unsupported)]
        if report.cancelled:
            lines.append(self.tr("Cancelled: {n} miners were not sent the command").format(
                n=report.total - len(report.results)))
        lines += [f"• {reason} ({count})" for reason, count in reasons.most_common(8)]
        lines.append(self.tr("Batch #{id} is kept with every miner's result.").format(
            id=report.batch_id))
        QMessageBox.information(self._parent, self.tr("Batch operation"), "\n".join(lines))
        if report.kind in batch_ops.EDIT_KINDS:
            self.changed_fleet.emit()
