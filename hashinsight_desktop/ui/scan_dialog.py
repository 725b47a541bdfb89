"""Scan a network range for miners (in a worker thread) and add what was found."""

from __future__ import annotations

import asyncio
import threading

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import Engine

from hashinsight_desktop.core.miners.scanner import ScanHit, scan_addresses, scan_network
from hashinsight_desktop.services.fleet_registry import add_scanned_miners


class ScanDialog(QDialog):
    progressed = Signal(str, int, int)
    finished_scan = Signal(object)  # list[ScanHit] or an error text

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self.hits: list[ScanHit] = []
        self.setWindowTitle(self.tr("Scan a network for miners"))
        self.network = QLineEdit(placeholderText="10.20.0.0/22")
        self.port = QSpinBox(minimum=1, maximum=65535, value=4028)
        self.start_button = QPushButton(self.tr("Scan"))
        self.bar = QProgressBar()
        self.result = QLabel(wordWrap=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton(self.tr("Add to the fleet"),
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setEnabled(False)
        form = QFormLayout()
        form.addRow(self.tr("Network (CIDR)"), self.network)
        form.addRow(self.tr("API port"), self.port)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.start_button)
        layout.addWidget(self.bar)
        layout.addWidget(self.result)
        layout.addWidget(self.buttons)
        self.start_button.clicked.connect(self.start)
        self.buttons.accepted.connect(self.add)
        self.buttons.rejected.connect(self.reject)
        self.progressed.connect(self._on_progress)
        self.finished_scan.connect(self._on_finished)
        self.setMinimumWidth(460)

    def start(self) -> None:
        cidr, port = self.network.text().strip(), self.port.value()
        try:
            scan_addresses(cidr)
        except ValueError as exc:
            self.result.setText(str(exc))
            return
        self.start_button.setEnabled(False)
        self.result.setText(self.tr("Scanning…"))

        def work() -> None:
            try:
                hits = asyncio.run(scan_network(
                    cidr, port=port,
                    progress=lambda stage, done, total: self.progressed.emit(stage, done, total)))
                self.finished_scan.emit(hits)
            except Exception as exc:  # shown to the user, never lost in a thread
                self.finished_scan.emit(f"{type(exc).__name__}: {exc}")

        threading.Thread(target=work, name="scan", daemon=True).start()

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)
        self.bar.setFormat(f"{stage} %v / %m")

    def _on_finished(self, outcome: object) -> None:
        self.start_button.setEnabled(True)
        if isinstance(outcome, str):
            self.result.setText(self.tr("The scan failed: {error}").format(error=outcome))
            return
        self.hits = list(outcome)
        models = sorted({h.model or "?" for h in self.hits})
        self.result.setText(self.tr("{n} miners found ({models}).").format(
            n=len(self.hits), models=", ".join(models[:6]) or "—"))
        self.add_button.setEnabled(bool(self.hits))

    def add(self) -> None:
        counts = add_scanned_miners(self._engine, self.hits)
        self.result.setText(self.tr("{added} added, {known} already known").format(
            added=counts["added"], known=counts["already_known"]))
        self.accept()
