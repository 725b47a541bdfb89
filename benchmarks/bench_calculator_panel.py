"""Calculator panel: one keystroke's recompute and results update, offscreen.

A shown 1300x850 ``CalculatorPanel`` on a market cache written to SQLite.  Each run
types a new quantity (the line edit's ``textEdited``, as a key press delivers it),
which validates the form, recomputes the profitability, sets every results label and
then repaints the results grid synchronously: all that must fit in one 60 Hz frame.
Charts are excluded: they redraw after a pause in typing, not per keystroke.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from benchmarks.harness import case
from hashinsight_desktop.core.market import MarketFetch, MetricValue
from hashinsight_desktop.services.market_cache import store_fetch
from hashinsight_desktop.store.admin import open_for_use
from hashinsight_desktop.store.database import resolve
from hashinsight_desktop.ui.calculator import CalculatorPanel


@dataclass
class Ctx:
    app: QApplication
    panel: CalculatorPanel
    directory: tempfile.TemporaryDirectory
    runs: int = 0


def _setup() -> Ctx:
    app = QApplication.instance() or QApplication([])
    directory = tempfile.TemporaryDirectory()
    engine = open_for_use(resolve(f"sqlite:///{directory.name}/farm.db"))
    now = time.time()
    values = {"btc_price_usd": 97_000.0, "difficulty": 1.27e14, "fees_btc_per_block": 0.03,
              "block_height": 905_000.0}
    store_fetch(engine, MarketFetch({m: MetricValue(m, v, "mempool.space", now - 3600)
                                     for m, v in values.items()}, (), now))
    panel = CalculatorPanel(engine)
    engine.dispose()
    panel.resize(1300, 850)
    panel.show()
    for _ in range(3):
        app.processEvents()
    return Ctx(app, panel, directory)  # type: ignore[arg-type]


def _teardown(ctx: Ctx) -> None:
    ctx.panel.close()
    ctx.panel.deleteLater()
    ctx.app.processEvents()
    ctx.directory.cleanup()


@case("calculator: keystroke -> recompute + results labels repainted", unit="ms",
      target="<= 16", repeat=31, setup=_setup, teardown=_teardown)
def keystroke_to_results(ctx: Ctx) -> float:
    ctx.runs += 1
    edit = ctx.panel.fields["quantity"].edit
    text = str(10 + ctx.runs)
    edit.setText(text)
    t0 = time.perf_counter()
    edit.textEdited.emit(text)
    ctx.panel.results.repaint()
    elapsed = (time.perf_counter() - t0) * 1e3
    assert ctx.panel.figures is not None and ctx.panel.figures["miners"] == 10 + ctx.runs
    return elapsed
