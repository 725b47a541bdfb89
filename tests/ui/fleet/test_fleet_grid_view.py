"""FleetGridView: the one-call painter draws exactly what the delegate path draws."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from hashinsight_desktop.core.fleet import FleetColumn
from hashinsight_desktop.ui.fleet.grid_view import FleetGridView


def _pixels(view: FleetGridView) -> np.ndarray:
    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    raw = np.frombuffer(image.constBits(), np.uint8)
    return raw.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width()].copy()


def test_fast_paint_matches_the_delegate_pixel_for_pixel(qtbot, make_model) -> None:
    model = make_model(300)
    view = FleetGridView(model)
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    view.selectRow(3)
    view.setColumnHidden(model.column_index(FleetColumn.SITE), True)
    header = view.horizontalHeader()
    header.moveSection(header.visualIndex(model.column_index(FleetColumn.TEMP_MAX)), 1)
    view.verticalScrollBar().setValue(37)  # a row cut in half at the top

    view.fast_paint = True
    fast = _pixels(view)
    view.fast_paint = False
    slow = _pixels(view)
    assert fast.shape == slow.shape
    different = (np.abs(fast.astype(int) - slow.astype(int)).sum(axis=2) > 30).mean()
    assert different < 0.001
    assert len(np.unique(fast.reshape(-1, 4), axis=0)) > 20  # really drew text and colours


def test_empty_model_paints_without_error(qtbot) -> None:
    from hashinsight_desktop.core.fleet import FleetTable
    from hashinsight_desktop.ui.fleet.model import FleetTableModel

    view = FleetGridView(FleetTableModel(FleetTable([])))
    qtbot.addWidget(view)
    view.resize(400, 200)
    view.show()
    qtbot.waitExposed(view)
    assert not view.grab().isNull()
