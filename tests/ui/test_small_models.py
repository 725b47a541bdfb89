"""The small list models pass Qt's model tester."""

import datetime as dt

from hashinsight_desktop.services.alerts import AlertRecord
from hashinsight_desktop.ui.alerts_panel import AlertsModel
from hashinsight_desktop.ui.catalog_panel import CatalogModel


def test_catalog_model(qtmodeltester) -> None:
    model = CatalogModel([("Antminer S21", "Bitmain", 200.0, 3500.0, "air", 2023)])
    qtmodeltester.check(model)
    assert model.index(0, 4).data() == "17.5"


def test_alerts_model(qtmodeltester) -> None:
    now = dt.datetime.now(dt.UTC)
    record = AlertRecord(1, 7, "temp_high", "critical", "Chip 91 °C", 91.0, True,
                         now - dt.timedelta(minutes=12), now, None, None, None)
    model = AlertsModel()
    model.set_alerts([record], {7: "rack1-p7"})
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "rack1-p7"
    assert model.index(0, 4).data() == "12 min"
