"""A row of farm KPIs above the grid, computed from the fleet table's arrays."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from hashinsight_desktop.core.fleet.codes import MinerStatus
from hashinsight_desktop.core.fleet.table import FleetTable


def fleet_kpis(table: FleetTable) -> dict[str, float]:
    a = table.arrays
    online = np.isin(a.status, (MinerStatus.OK, MinerStatus.DEGRADED, MinerStatus.CURTAILED))
    hashrate = float(np.nansum(a.hashrate_ths))
    nominal = float(np.nansum(np.where(online, a.nominal_ths, 0.0)))
    power_kw = float(np.nansum(a.power_w)) / 1000.0
    return {
        "miners": float(len(a.miner_id)),
        "online": float(online.sum()),
        "problems": float(np.isin(a.status, (MinerStatus.DEGRADED, MinerStatus.ERROR,
                                             MinerStatus.OFFLINE)).sum()),
        "hashrate_phs": hashrate / 1000.0,
        "pct_nominal": 100.0 * hashrate / nominal if nominal > 0 else float("nan"),
        "power_mw": power_kw / 1000.0,
        "efficiency_j_th": power_kw * 1000.0 / hashrate if hashrate > 0 else float("nan"),
        "alerts": float((a.alert_count > 0).sum()),
    }


class KpiStrip(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels = {
            "online": self.tr("Miners online"),
            "problems": self.tr("Need attention"),
            "hashrate_phs": self.tr("Hashrate (PH/s)"),
            "pct_nominal": self.tr("% of nominal"),
            "power_mw": self.tr("Power (MW)"),
            "efficiency_j_th": self.tr("Efficiency (J/TH)"),
            "alerts": self.tr("Miners with alerts"),
        }
        self.values: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 4, 8, 4)
        grid.setHorizontalSpacing(28)
        for column, (key, text) in enumerate(self._labels.items()):
            value = QLabel("—", objectName="kpiValue")
            grid.addWidget(value, 0, column)
            grid.addWidget(QLabel(text, objectName="kpiLabel"), 1, column)
            self.values[key] = value
        grid.setColumnStretch(len(self._labels), 1)

    def update_from(self, table: FleetTable) -> dict[str, float]:
        k = fleet_kpis(table)

        def fmt(value: float, pattern: str) -> str:
            return "—" if not np.isfinite(value) else pattern.format(value)

        self.values["online"].setText(f"{int(k['online']):,} / {int(k['miners']):,}")
        self.values["problems"].setText(f"{int(k['problems']):,}")
        self.values["hashrate_phs"].setText(fmt(k["hashrate_phs"], "{:,.2f}"))
        self.values["pct_nominal"].setText(fmt(k["pct_nominal"], "{:.1f} %"))
        self.values["power_mw"].setText(fmt(k["power_mw"], "{:,.2f}"))
        self.values["efficiency_j_th"].setText(fmt(k["efficiency_j_th"], "{:.1f}"))
        self.values["alerts"].setText(f"{int(k['alerts']):,}")
        return k
