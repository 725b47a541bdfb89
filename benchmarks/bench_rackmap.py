"""Rack map: one full paint of a 6,000-miner site (offscreen)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from benchmarks.harness import case
from hashinsight_desktop.ui.rackmap.demo import build_widget


def _setup():
    app = QApplication.instance() or QApplication([])
    widget, _ = build_widget(6000, 1)
    widget.resize(900, 760)
    widget.show()
    app.processEvents()
    return widget


@case("rack map paint, 6,000 miners on one site", unit="ms", target="<= 30", repeat=15,
      setup=_setup)
def rackmap_paint_6000(widget) -> float:
    widget.canvas.repaint()
    return widget.canvas.last_paint_ms
