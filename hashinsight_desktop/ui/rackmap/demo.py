"""Look at the rack map: ``python -m hashinsight_desktop.ui.rackmap.demo``.

Builds a synthetic fleet (default: 6,000 miners on one site), applies one
cycle, saves an offscreen screenshot per metric (``--screenshot`` is the
temperature one; the others get the metric id appended) and prints the median
paint time of the map over ``--repaints`` repaints.  ``--show`` opens a window
instead.  Works with QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from hashinsight_desktop.core.fleet.synthetic import synthetic_cycle, synthetic_records
from hashinsight_desktop.core.fleet.table import FleetTable
from hashinsight_desktop.ui.rackmap.metrics import RackMetric
from hashinsight_desktop.ui.rackmap.widget import RackMapWidget
from hashinsight_desktop.ui.theme import apply_theme


def build_widget(miners: int, sites: int) -> tuple[RackMapWidget, FleetTable]:
    records = synthetic_records(miners, sites=sites)
    table = FleetTable(records)
    table.apply_cycle(synthetic_cycle(records, 1))
    widget = RackMapWidget(table)
    widget.setWindowTitle("HashInsight — rack map demo")
    widget.resize(900, 760)
    return widget, table


def median_paint_ms(widget: RackMapWidget, repaints: int) -> float:
    """Median of ``repaints`` synchronous full repaints of the map canvas."""
    times = []
    for _ in range(repaints):
        widget.canvas.repaint()
        times.append(widget.canvas.last_paint_ms)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--miners", type=int, default=6000)
    parser.add_argument("--sites", type=int, default=1)
    parser.add_argument("--theme", choices=("dark", "light"), default="dark")
    parser.add_argument("--screenshot", default="/tmp/rackmap.png")
    parser.add_argument("--repaints", type=int, default=30)
    parser.add_argument("--show", action="store_true", help="open a window instead")
    args = parser.parse_args(argv)
    if args.miners < 1 or args.sites < 1:
        parser.error("--miners and --sites must be at least 1")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_theme(app, args.theme)
    widget, table = build_widget(args.miners, args.sites)
    widget.miner_clicked.connect(lambda miner_id: print(f"clicked miner {miner_id}"))
    widget.show()
    if args.show:
        return app.exec()

    app.processEvents()
    widget.select_miner(int(table.miner_ids[len(table) // 3]))
    shot = Path(args.screenshot)
    for metric in RackMetric:
        widget.set_metric(metric)
        app.processEvents()
        paint = median_paint_ms(widget, args.repaints)
        path = shot if metric is RackMetric.TEMPERATURE else shot.with_stem(
            f"{shot.stem}_{metric.value}")
        widget.grab().save(str(path))
        geometry = widget.canvas.geometry_info
        cells = "" if geometry is None else f", cells {geometry.cell_w}x{geometry.cell_h} px"
        print(f"{metric.value}: {len(widget.canvas.racks or ())} cells{cells}, "
              f"median paint {paint:.2f} ms -> {path}")
    widget.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
