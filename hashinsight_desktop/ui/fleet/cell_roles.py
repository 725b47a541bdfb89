"""What each cell of the fleet grid answers for each Qt item role.

``CellRoles.handlers`` maps a role to ``f(table_row, view_column)``; the model's
``data()`` is a dict lookup plus one call, which keeps a full repaint of a
1600x900 grid within a frame.  Roles absent from the dict answer None at once.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt

from hashinsight_desktop.core.fleet.codes import AlertSeverity, MinerStatus
from hashinsight_desktop.core.fleet.columns import FleetColumn
from hashinsight_desktop.core.fleet.table import FleetTable
from hashinsight_desktop.ui.fleet import palette
from hashinsight_desktop.ui.fleet.formatters import formatters_for
from hashinsight_desktop.ui.fleet.headers import status_title, tr, tr_n

SORT_ROLE = int(Qt.ItemDataRole.UserRole)

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

NUMERIC_COLUMNS = frozenset({
    FleetColumn.HASHRATE, FleetColumn.PCT_NOMINAL, FleetColumn.TEMP_MAX, FleetColumn.FANS,
    FleetColumn.POWER, FleetColumn.J_PER_TH, FleetColumn.UPTIME, FleetColumn.ALERTS,
})

Handler = Callable[[int, int], Any]


class CellRoles:
    """Role handlers for one table and column layout."""

    def __init__(self, table: FleetTable, columns: tuple[FleetColumn, ...]) -> None:
        self._table = table
        self._columns = columns
        formatters = formatters_for(table)
        self._format = [formatters[c] for c in columns]
        self._align = [self.alignment(c) for c in columns]
        self.right_aligned = [c in NUMERIC_COLUMNS for c in columns]
        self._status_col = columns.index(FleetColumn.STATUS)
        self._status_titles: list[str] = []
        self.retranslate()
        self._foreground = {
            columns.index(FleetColumn.STATUS): self._status_color,
            columns.index(FleetColumn.TEMP_MAX): lambda r: palette.temperature_color(self._a.temp_max_c[r]),
            columns.index(FleetColumn.PCT_NOMINAL): lambda r: palette.pct_color(self._a.pct_of_nominal[r]),
            columns.index(FleetColumn.ALERTS): lambda r: palette.SEVERITY_COLORS.get(int(self._a.alert_max_severity[r])),
        }
        self._tooltips = {
            columns.index(FleetColumn.NAME): self._name_tooltip,
            columns.index(FleetColumn.STATUS): self._status_tooltip,
            columns.index(FleetColumn.POWER): self._power_tooltip,
            columns.index(FleetColumn.POOL): lambda r: self._table.pools.label(int(self._a.pool[r])),
            columns.index(FleetColumn.LAST_SEEN): self._last_seen_tooltip,
            columns.index(FleetColumn.ALERTS): self._status_tooltip,
        }
        self.handlers: dict[int, Handler] = {
            int(Qt.ItemDataRole.DisplayRole): self.display,
            int(Qt.ItemDataRole.TextAlignmentRole): lambda _r, c: self._align[c],
            int(Qt.ItemDataRole.ForegroundRole): self.foreground,
            int(Qt.ItemDataRole.ToolTipRole): self.tooltip,
            SORT_ROLE: self.raw_value,
        }

    @property
    def _a(self):  # the table swaps its arrays on add/remove: always read the current ones
        return self._table.arrays

    @staticmethod
    def alignment(column: FleetColumn) -> Qt.AlignmentFlag:
        return _RIGHT if column in NUMERIC_COLUMNS else _LEFT

    def retranslate(self) -> None:
        self._status_titles = [status_title(s) for s in MinerStatus]

    # ------------------------------------------------------------- roles
    def display(self, row: int, col: int) -> str:
        if col == self._status_col:
            return self._status_titles[self._a.status[row]]
        return self._format[col](self._a, row)

    def foreground(self, row: int, col: int) -> Any:
        pick = self._foreground.get(col)
        return None if pick is None else pick(row)

    def tooltip(self, row: int, col: int) -> str | None:
        pick = self._tooltips.get(col)
        return None if pick is None else pick(row)

    def raw_value(self, row: int, col: int) -> Any:
        """Unformatted value: float (None when missing), label text, or status code."""
        column = self._columns[col]
        a = self._a
        floats = {
            FleetColumn.HASHRATE: a.hashrate_ths, FleetColumn.PCT_NOMINAL: a.pct_of_nominal,
            FleetColumn.TEMP_MAX: a.temp_max_c, FleetColumn.FANS: a.fan_min_rpm,
            FleetColumn.POWER: a.power_w, FleetColumn.J_PER_TH: a.j_per_th,
            FleetColumn.UPTIME: a.uptime_s, FleetColumn.LAST_SEEN: a.last_seen,
        }
        if column in floats:
            value = float(floats[column][row])
            return None if math.isnan(value) else value
        if column == FleetColumn.STATUS:
            return int(a.status[row])
        if column == FleetColumn.ALERTS:
            return int(a.alert_count[row])
        labels = {
            FleetColumn.SITE: (self._table.sites, a.site), FleetColumn.MODEL: (self._table.models, a.model),
            FleetColumn.FIRMWARE: (self._table.firmwares, a.firmware),
            FleetColumn.CLIENT: (self._table.clients, a.client), FleetColumn.POOL: (self._table.pools, a.pool),
        }
        if column in labels:
            codes_of, codes = labels[column]
            return codes_of.label(int(codes[row]))
        if column == FleetColumn.TAGS:
            return sorted(a.tags[row])
        if column == FleetColumn.RACK_POSITION:
            return a.rack[row], a.position[row]
        return getattr(a, column.value)[row]  # name, ip, serial

    # ----------------------------------------------------------- helpers
    def _status_color(self, row: int) -> Any:
        return palette.STATUS_COLORS[int(self._a.status[row])]

    def _status_tooltip(self, row: int) -> str:
        a = self._a
        text = self._status_titles[a.status[row]]
        count = int(a.alert_count[row])
        if count:
            severity = AlertSeverity(int(a.alert_max_severity[row])).name.lower()
            text += " — " + tr_n("%n active alert(s), highest: %1", count).replace("%1", severity)
        return text

    def _name_tooltip(self, row: int) -> str:
        a = self._a
        parts = [
            self._table.models.label(int(a.model[row])),
            a.serial[row],
            self._table.firmwares.label(int(a.firmware[row])),
        ]
        return " · ".join(p for p in parts if p)

    def _power_tooltip(self, row: int) -> str | None:
        if math.isnan(self._a.power_w[row]):
            return None
        if self._a.power_estimated[row]:
            return tr("Estimated from the model's nameplate power, not measured")
        return tr("Measured by the miner")

    def _last_seen_tooltip(self, row: int) -> str | None:
        seen = float(self._a.last_seen[row])
        if math.isnan(seen):
            return tr("Never answered")
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seen))
