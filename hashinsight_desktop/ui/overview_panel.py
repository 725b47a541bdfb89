"""Farm overview: counts straight from the database, refreshed on demand."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from hashinsight_desktop.store.schema.alerts import alerts
from hashinsight_desktop.store.schema.crm import customers
from hashinsight_desktop.store.schema.fleet import asic_models, miners, sites


def farm_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        def count(table, *where) -> int:
            return int(conn.scalar(select(func.count()).select_from(table).where(*where)) or 0)

        return {
            "sites": count(sites),
            "miners": count(miners),
            "customers": count(customers),
            "catalog_models": count(asic_models),
            "active_alerts": count(alerts, alerts.c.active.is_(True)),
        }


class OverviewPanel(QWidget):
    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._values: dict[str, QLabel] = {}
        grid = QGridLayout()
        labels = {
            "sites": self.tr("Sites"),
            "miners": self.tr("Miners"),
            "customers": self.tr("Hosting customers"),
            "catalog_models": self.tr("ASIC models in catalog"),
            "active_alerts": self.tr("Active alerts"),
        }
        for column, (key, text) in enumerate(labels.items()):
            value = QLabel("—", objectName="kpiValue")
            caption = QLabel(text, objectName="kpiLabel")
            grid.addWidget(value, 0, column)
            grid.addWidget(caption, 1, column)
            self._values[key] = value
        self.hint = QLabel(wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> dict[str, int]:
        counts = farm_counts(self._engine)
        for key, label in self._values.items():
            label.setText(f"{counts[key]:,}")
        if counts["miners"] == 0:
            self.hint.setText(self.tr(
                "This farm has no miners yet. Add them with 'hashinsight scan CIDR --add', "
                "or try the simulated demo farm with 'hashinsight simulate --miners 6000 "
                "--populate'."))
        else:
            self.hint.setText("")
        return counts
