"""Import miners from CSV/Excel with a preview that validates every row first."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import Engine

from hashinsight_desktop.services import fleet_import


class ImportDialog(QDialog):
    """A small, bounded error list (at most a few thousand rows) is fine in a QTableWidget."""

    MAX_SHOWN = 2000

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self.preview: fleet_import.ImportPreview | None = None
        self.path: Path | None = None
        self.imported = 0
        self.setWindowTitle(self.tr("Import miners"))
        self.choose = QPushButton(self.tr("Choose a CSV or Excel file…"))
        self.create_missing = QCheckBox(self.tr("Create sites and clients that do not exist"))
        self.summary = QLabel(wordWrap=True)
        self.errors = QTableWidget(0, 3)
        self.errors.setHorizontalHeaderLabels([self.tr("Line"), self.tr("Column"),
                                               self.tr("Problem")])
        self.errors.horizontalHeader().setStretchLastSection(True)
        self.errors.verticalHeader().hide()
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setEnabled(False)
        cancel = QPushButton(self.tr("Cancel"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.choose)
        layout.addWidget(self.create_missing)
        layout.addWidget(self.summary)
        layout.addWidget(self.errors, 1)
        layout.addLayout(buttons)
        self.choose.clicked.connect(self._choose)
        self.create_missing.toggled.connect(lambda _on: self.load(self.path) if self.path else None)
        self.import_button.clicked.connect(self.do_import)
        cancel.clicked.connect(self.reject)
        self.resize(720, 480)

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Import miners"), "",
                                              self.tr("Miner lists (*.csv *.xlsx)"))
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        self.path = path
        self.errors.setRowCount(0)
        try:
            raw, warnings = fleet_import.read_rows(path)
        except fleet_import.ImportFileError as exc:
            self.preview = None
            self.summary.setText(str(exc))
            self.import_button.setEnabled(False)
            return
        self.preview = fleet_import.validate(self._engine, raw,
                                             create_missing=self.create_missing.isChecked(),
                                             warnings=warnings)
        p = self.preview
        shown = p.errors[: self.MAX_SHOWN]
        self.errors.setRowCount(len(shown))
        for i, e in enumerate(shown):
            for j, value in enumerate((str(e.line), e.column, e.message)):
                self.errors.setItem(i, j, QTableWidgetItem(value))
        text = self.tr("{file}: {total} rows, {valid} valid, {bad} with errors.").format(
            file=path.name, total=p.total, valid=len(p.rows), bad=p.total - len(p.rows))
        if p.warnings:
            text += "\n" + "\n".join(p.warnings)
        self.summary.setText(text)
        if p.ok:
            self.import_button.setText(self.tr("Import {n} miners").format(n=len(p.rows)))
        else:
            self.import_button.setText(self.tr("Import the {n} valid rows only").format(
                n=len(p.rows)))
        self.import_button.setEnabled(bool(p.rows))

    def do_import(self) -> None:
        if self.preview is None:
            return
        self.imported = fleet_import.apply(self._engine, self.preview, skip_invalid=True)
        self.accept()
