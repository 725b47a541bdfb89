"""Economic curtailment: price files, strike prices, hourly decisions."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from hashinsight_desktop.core.curtailment.economic import (
    PriceFileError,
    efficiency_classes,
    parse_price_csv,
    plan_economic,
    strike_price_usd_per_mwh,
)

PRICES = """timestamp,usd_per_mwh
2024-07-01T00:00:00Z,35.0
2024-07-01T01:00:00Z,80.0
2024-07-01T02:00:00Z,150.0
2024-07-01T03:00:00Z,-5.0
"""


def _series(text: str, **kwargs):
    return parse_price_csv(io.StringIO(text), source="prices.csv", **kwargs)


def test_strike_price_formula() -> None:
    # hashprice 0.05 USD/TH/day at 25 J/TH: 0.05e6 / 600 = 83.33 USD/MWh.
    assert strike_price_usd_per_mwh(0.05, 25.0) == pytest.approx(83.3333, rel=1e-4)
    with pytest.raises(ValueError, match="efficiency"):
        strike_price_usd_per_mwh(0.05, 0)


def test_classes_bucket_the_fleet_by_efficiency() -> None:
    classes = efficiency_classes([100, 100, 200], [1800, 3000, 6000], edges=(20, 25))
    assert [c.name for c in classes] == ["0-20 J/TH", ">= 25 J/TH"]
    assert classes[1].efficiency_j_th == pytest.approx(9000 / 300)
    assert classes[1].miners == 2


def test_plan_curtails_classes_above_their_strike_and_in_peak_hours() -> None:
    series = _series(PRICES)
    classes = efficiency_classes([100, 100], [1800, 3000], edges=(20, 25))  # 18 and 30 J/TH
    peak = dt.datetime(2024, 7, 1, 3, tzinfo=dt.UTC)
    plan = plan_economic(series, 0.05, classes, peak_hours=[peak])
    # strikes: 0.05e6/(18*24) = 115.7 and 0.05e6/(30*24) = 69.4 USD/MWh
    assert plan.strike_usd_per_mwh == pytest.approx((115.74, 69.44), rel=1e-3)
    assert [h.curtailed for h in plan.hours] == [
        (), (">= 25 J/TH",), ("0-20 J/TH", ">= 25 J/TH"), ("0-20 J/TH", ">= 25 J/TH")]
    hour = plan.hours[1]
    assert hour.curtailed_kw == pytest.approx(3.0)
    assert hour.savings_usd == pytest.approx(3.0 / 1000 * 80)
    assert hour.lost_revenue_usd == pytest.approx(100 * 0.05 / 24)
    assert plan.hours[3].peak and plan.hours[3].savings_usd < 0  # dark even at a negative price
    assert plan.net_benefit_usd == pytest.approx(plan.savings_usd - plan.lost_revenue_usd)
    assert plan.curtailed_mwh == pytest.approx((3.0 + 4.8 + 4.8) / 1000)


def test_gaps_are_reported_or_rejected() -> None:
    text = "timestamp,usd_per_mwh\n2024-07-01T00:00:00,30\n2024-07-01T03:00:00,40\n"
    series = _series(text)
    assert len(series.gaps) == 1 and series.gaps[0].missing_hours == 2
    assert series.gaps[0].line == 3
    plan = plan_economic(series, 0.05, efficiency_classes([100], [3000]))
    assert any("misses 2 hour(s)" in m for m in plan.messages)
    with pytest.raises(PriceFileError, match="line 3: 2 hour"):
        _series(text, allow_gaps=False)


@pytest.mark.parametrize(("text", "fragment"), [
    ("time,price\n", "lacks column 'timestamp'"),
    ("timestamp,usd_per_mwh\nyesterday,30\n", "line 2: timestamp 'yesterday'"),
    ("timestamp,usd_per_mwh\n2024-07-01T00:30:00,30\n", "line 2: .* not on the hour"),
    ("timestamp,usd_per_mwh\n2024-07-01T00:00:00,cheap\n", "line 2: usd_per_mwh 'cheap'"),
    ("timestamp,usd_per_mwh\n2024-07-01T01:00:00,3\n2024-07-01T00:00:00,3\n",
     "line 3: .* not after"),
    ("timestamp,usd_per_mwh\n2024-07-01T01:00:00,3\n2024-07-01T01:00:00,3\n",
     "line 3: hour .* repeats line 2"),
    ("timestamp,usd_per_mwh\n2024-07-01T00:00:00Z,3\n2024-07-01T01:00:00,3\n", "time zone"),
    ("timestamp,usd_per_mwh\n", "no price rows"),
])
def test_bad_price_rows_name_the_line(text: str, fragment: str) -> None:
    with pytest.raises(PriceFileError, match=fragment):
        _series(text)
