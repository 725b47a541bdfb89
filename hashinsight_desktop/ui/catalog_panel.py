"""The ASIC catalog as a read-only table (name, make, hashrate, power, J/TH, cooling)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget
from sqlalchemy import select
from sqlalchemy.engine import Engine

from hashinsight_desktop.store.schema.fleet import asic_models
from hashinsight_desktop.ui.row_list_model import RowListModel

_Index = QModelIndex | QPersistentModelIndex


class CatalogModel(RowListModel):
    HEADERS = ("Model", "Make", "Hashrate (TH/s)", "Power (W)", "J/TH", "Cooling", "Year")

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        model, make, ths, watts, cooling, year = self.row_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (model, make, f"{ths:,.0f}", f"{watts:,.0f}", f"{watts / ths:.1f}",
                    cooling, str(year or ""))[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3, 4, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def load_catalog_rows(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        query = select(asic_models.c.model, asic_models.c.make, asic_models.c.hashrate_ths,
                       asic_models.c.power_w, asic_models.c.cooling,
                       asic_models.c.release_year).order_by(asic_models.c.make,
                                                            asic_models.c.hashrate_ths)
        return [tuple(r) for r in conn.execute(query)]


class CatalogPanel(QWidget):
    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CatalogModel(load_catalog_rows(engine))
        self.search = QLineEdit(placeholderText=self.tr("Filter models…"))
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setAlternatingRowColors(True)
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.resizeColumnsToContents()
        self.search.textChanged.connect(self._filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.view)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.model.rowCount()):
            name = str(self.model.index(row, 0).data()).lower()
            make = str(self.model.index(row, 1).data()).lower()
            self.view.setRowHidden(row, bool(needle) and needle not in name and needle not in make)
