"""The fleet as numpy columns: table, cycle updates, queries and saved views (headless)."""

from hashinsight_desktop.core.fleet.codes import AlertSeverity, MinerStatus
from hashinsight_desktop.core.fleet.columns import ALL_COLUMNS, HIDDEN_BY_DEFAULT, FleetColumn
from hashinsight_desktop.core.fleet.query import FleetQuery, filter_rows, run_query, sort_rows
from hashinsight_desktop.core.fleet.records import ChangedCells, CycleUpdate, MinerRecord
from hashinsight_desktop.core.fleet.saved_view import SavedView
from hashinsight_desktop.core.fleet.table import FleetTable

__all__ = [
    "ALL_COLUMNS",
    "HIDDEN_BY_DEFAULT",
    "AlertSeverity",
    "ChangedCells",
    "CycleUpdate",
    "FleetColumn",
    "FleetQuery",
    "FleetTable",
    "MinerRecord",
    "MinerStatus",
    "SavedView",
    "filter_rows",
    "run_query",
    "sort_rows",
]
