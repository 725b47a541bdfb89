"""Look at the fleet grid: ``python -m hashinsight_desktop.ui.fleet.demo [--miners N]``.

Synthetic miners updated every 2 s.  The cycle is built on a worker thread (as a
collector would) and applied on the GUI thread through a queued signal.
``--screenshot PATH`` saves one image after the first cycle and quits (works
with QT_QPA_PLATFORM=offscreen).
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from hashinsight_desktop.core.fleet.columns import FleetColumn
from hashinsight_desktop.core.fleet.records import CycleUpdate
from hashinsight_desktop.core.fleet.synthetic import synthetic_cycle, synthetic_records
from hashinsight_desktop.core.fleet.table import FleetTable
from hashinsight_desktop.ui.fleet.model import FleetTableModel
from hashinsight_desktop.ui.fleet.widget import FleetGridWidget


class _CycleBridge(QObject):
    """Carries a CycleUpdate from the worker thread to the GUI thread (queued)."""

    ready = Signal(object)


def dark_palette() -> QPalette:
    """Stand-in for the app theme (the lead owns the real one)."""
    p = QPalette()
    base, text = QColor("#1a1d2e"), QColor("#e6e6ef")
    for role, color in (
        (QPalette.ColorRole.Window, QColor("#22263a")), (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, QColor("#20243a")), (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.WindowText, text), (QPalette.ColorRole.Button, QColor("#2a2f47")),
        (QPalette.ColorRole.ButtonText, text), (QPalette.ColorRole.Highlight, QColor("#f7931a")),
        (QPalette.ColorRole.HighlightedText, QColor("#1a1d2e")),
        (QPalette.ColorRole.PlaceholderText, QColor("#8b8fa8")),
    ):
        p.setColor(role, color)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--miners", type=int, default=6000)
    parser.add_argument("--interval-ms", type=int, default=2000)
    parser.add_argument("--light", action="store_true", help="default (light) palette")
    parser.add_argument("--screenshot", help="save a PNG after the first cycle and quit")
    args = parser.parse_args(argv)
    if args.miners < 1:
        parser.error("--miners must be at least 1")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    if not args.light:
        app.setPalette(dark_palette())
    records = synthetic_records(args.miners)
    table = FleetTable(records)
    model = FleetTableModel(table)
    widget = FleetGridWidget(model)
    widget.setWindowTitle("HashInsight — fleet grid demo")
    widget.resize(1600, 900)

    bridge = _CycleBridge()
    bridge.ready.connect(model.apply_cycle)  # queued: emitted from the worker thread
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-collector")
    cycle = [0]

    def poll() -> None:
        cycle[0] += 1
        number = cycle[0]

        def work() -> None:
            update: CycleUpdate = synthetic_cycle(
                records, number, now=time.time(), fraction=0.5 if number > 1 else 1.0
            )
            bridge.ready.emit(update)

        pool.submit(work)

    timer = QTimer(widget)
    timer.timeout.connect(poll)
    timer.start(args.interval_ms)
    poll()
    widget.show()
    if args.screenshot:
        def shoot() -> None:
            # hottest first, so the screenshot shows the temperature colours
            widget.view.sortByColumn(
                model.column_index(FleetColumn.TEMP_MAX), Qt.SortOrder.DescendingOrder
            )
            widget.select_miner(model.miner_id_at(2))
            app.processEvents()
            widget.grab().save(args.screenshot)
            app.quit()

        model.cycle_applied.connect(lambda _c: QTimer.singleShot(50, shoot))
    code = app.exec()
    pool.shutdown(wait=True, cancel_futures=True)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
