"""Fleet grid figures: repaint, sort, filter and one collector cycle, at 100,000 and 6,000 rows.

Everything runs offscreen (QT_QPA_PLATFORM=offscreen) on a 1600x900 FleetGridView,
so the model's signals reach a real view: the timings are end to end on the
GUI thread, not the numpy part alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import cache

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from benchmarks.harness import case
from hashinsight_desktop.core.fleet.codes import MinerStatus
from hashinsight_desktop.core.fleet.columns import FleetColumn
from hashinsight_desktop.core.fleet.query import FleetQuery
from hashinsight_desktop.core.fleet.records import CycleUpdate, MinerRecord
from hashinsight_desktop.core.fleet.synthetic import synthetic_cycle, synthetic_records
from hashinsight_desktop.core.fleet.table import FleetTable
from hashinsight_desktop.ui.fleet.grid_view import FleetGridView
from hashinsight_desktop.ui.fleet.model import FleetTableModel

CYCLE_MINERS = 6000


@dataclass
class Grid:
    records: list[MinerRecord]
    model: FleetTableModel
    view: FleetGridView
    cycles: list[CycleUpdate] = field(default_factory=list)
    runs: int = 0


def _app() -> QApplication:
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else QApplication([])


@cache
def _grid(n: int) -> Grid:
    """A shown 1600x900 grid over ``n`` miners after one full cycle (built once per size)."""
    app = _app()
    records = synthetic_records(n)
    table = FleetTable(records)
    table.apply_cycle(synthetic_cycle(records, 0))
    model = FleetTableModel(table)
    view = FleetGridView(model)
    view.resize(1600, 900)
    view.show()
    app.processEvents()
    # Partial cycles as collectors deliver them: 6,000 miners spread over the fleet.
    fraction = min(1.0, CYCLE_MINERS / n)
    cycles = [synthetic_cycle(records, c, fraction=fraction) for c in range(1, 16)]
    return Grid(records, model, view, cycles)


def _repaint_ms(grid: Grid) -> float:
    viewport = grid.view.viewport()
    t0 = time.perf_counter()
    viewport.repaint()
    return (time.perf_counter() - t0) * 1e3


def _sort_ms(grid: Grid) -> float:
    grid.runs += 1  # alternate direction so every run really reorders
    order = Qt.SortOrder.DescendingOrder if grid.runs % 2 else Qt.SortOrder.AscendingOrder
    column = grid.model.column_index(FleetColumn.HASHRATE)
    t0 = time.perf_counter()
    grid.view.sortByColumn(column, order)
    return (time.perf_counter() - t0) * 1e3


def _filter_ms(grid: Grid) -> float:
    grid.runs += 1  # alternate two queries so every run really re-filters
    text = "s2-r0" if grid.runs % 2 else "s3-r0"
    query = FleetQuery(search_text=text, statuses={MinerStatus.OK})
    t0 = time.perf_counter()
    grid.model.set_query(query)
    return (time.perf_counter() - t0) * 1e3


def _cycle_ms(grid: Grid) -> float:
    grid.runs += 1
    update = grid.cycles[grid.runs % len(grid.cycles)]
    t0 = time.perf_counter()
    grid.model.apply_cycle(update)
    return (time.perf_counter() - t0) * 1e3


def _setup_sorted_by_name(n: int) -> Grid:
    """Sorted by name so a cycle's miners are scattered over the view (worst case)."""
    grid = _grid(n)
    grid.model.set_query(FleetQuery(sort_column=FleetColumn.NAME))
    return grid


def _reset_query(grid: Grid) -> None:
    grid.model.set_query(FleetQuery())


for _n, _label in ((100_000, "100,000"), (6_000, "6,000")):

    @case(f"full repaint 1600x900, {_label} rows", unit="ms", target="<= 16", repeat=15,
          setup=lambda n=_n: _grid(n))
    def _repaint(ctx: Grid) -> float:
        return _repaint_ms(ctx)

    @case(f"sort by hashrate (model.sort end to end), {_label} rows", unit="ms",
          target="<= 100", repeat=9, setup=lambda n=_n: _grid(n), teardown=_reset_query)
    def _sort(ctx: Grid) -> float:
        return _sort_ms(ctx)

    @case(f"filter: search text + status, {_label} rows", unit="ms", target="<= 50",
          repeat=9, setup=lambda n=_n: _grid(n), teardown=_reset_query)
    def _filter(ctx: Grid) -> float:
        return _filter_ms(ctx)

    @case(f"apply one 6,000-miner cycle to the grid, {_label} rows", unit="ms",
          target="<= 20", repeat=9, setup=lambda n=_n: _setup_sorted_by_name(n),
          teardown=_reset_query)
    def _cycle(ctx: Grid) -> float:
        return _cycle_ms(ctx)


_RSS_SCRIPT = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
from hashinsight_desktop.core.fleet.synthetic import synthetic_cycle, synthetic_records
from hashinsight_desktop.core.fleet.table import FleetTable
from hashinsight_desktop.ui.fleet.grid_view import FleetGridView
from hashinsight_desktop.ui.fleet.model import FleetTableModel

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
app = QApplication([])
n = int(sys.argv[1])
records = synthetic_records(n)
before = rss_mb()
table = FleetTable(records)
table.apply_cycle(synthetic_cycle(records, 1))
model = FleetTableModel(table)
view = FleetGridView(model); view.resize(1600, 900); view.show(); app.processEvents()
del records
import gc; gc.collect()
print(rss_mb(), rss_mb() - before)
"""


def _rss(n: int) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", _RSS_SCRIPT, str(n)], capture_output=True, text=True, check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


@case("RSS of the whole process with a 100,000-row grid shown", unit="MB", repeat=1)
def rss_process_100k(_ctx: object) -> float:
    return _rss(100_000)[0]


@case("RSS added by the 100,000-row table + model + view", unit="MB", repeat=1)
def rss_table_100k(_ctx: object) -> float:
    return _rss(100_000)[1]

