import csv

import numpy as np
import pytest
from econ_helpers import BTC_DAILY

from hashinsight_desktop.core.economics.inputs import Fleet, OperatingTerms
from hashinsight_desktop.core.economics.market_history import read_daily_csv
from hashinsight_desktop.core.economics.replay import replay


def _hashprices_by_hand(start: str, end: str) -> list[float]:
    """Daily hashprice straight from the CSV rows, with plain Python arithmetic."""
    out = []
    with BTC_DAILY.open(newline="") as fh:
        for row in csv.DictReader(fh):
            if start <= row["date"] <= end:
                blocks = float(row["blocks"])
                reward = (float(row["fees_btc"]) + float(row["subsidy_btc"])) / blocks
                out.append(1e12 * 86400 * reward / (float(row["difficulty"]) * 2**32)
                           * float(row["price_usd"]))
    return out


def test_100_ths_over_a_month_equals_sum_of_hashprices():
    history = read_daily_csv(BTC_DAILY).between("2024-04-01", "2024-04-30")  # spans a halving
    assert len(history) == 30
    result = replay(history, Fleet([100.0], [2000.0]), OperatingTerms(0.0))
    expected = sum(_hashprices_by_hand("2024-04-01", "2024-04-30")) * 100
    assert result.total_revenue_usd == pytest.approx(expected, rel=1e-3)


def test_csv_totals_are_per_day_totals_over_blocks():
    history = read_daily_csv(BTC_DAILY)
    per_block = history.subsidy_btc_per_block
    # Every day pays one of the real subsidies, or a mix on a halving day.
    assert np.isin(np.round(per_block, 6), [12.5, 6.25, 3.125]).mean() > 0.99


def test_replay_costs_and_profit():
    history = read_daily_csv(BTC_DAILY).between("2025-01-01", "2025-01-10")
    fleet = Fleet([200.0, 100.0], [3500.0, 3000.0], quantity=[10, 5])
    result = replay(history, fleet, OperatingTerms(0.05, pool_fee_pct=2.0))
    kwh = (10 * 3.5 + 5 * 3.0) * 24
    assert np.allclose(result.cost_usd, kwh * 0.05)
    assert result.total_profit_usd == pytest.approx(result.total_revenue_usd - 10 * kwh * 0.05)
    gross = np.asarray(_hashprices_by_hand("2025-01-01", "2025-01-10")) * 2500
    assert np.allclose(result.revenue_usd, gross * 0.98)
