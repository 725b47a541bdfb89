import numpy as np
import pytest
from econ_helpers import inputs

from hashinsight_desktop.core.economics.errors import InputError
from hashinsight_desktop.core.economics.grouping import sum_by, totals_by
from hashinsight_desktop.core.economics.profitability import compute_profitability


def test_totals_by_site_match_manual_sums():
    rng = np.random.default_rng(3)
    n = 300
    hashrate = rng.uniform(90, 300, n)
    power = hashrate * rng.uniform(15, 30, n)
    qty = rng.integers(1, 4, n).astype(float)
    sites = rng.choice(np.array(["north", "south", "east"]), n)
    result = compute_profitability(inputs(hashrate, power, quantity=qty, hardware_cost_usd=2000.0))
    groups = totals_by(result, sites)
    assert list(groups.keys) == ["east", "north", "south"]
    for i, site in enumerate(groups.keys):
        mask = sites == site
        assert groups.miners[i] == qty[mask].sum()
        assert groups.profit_usd_per_day[i] == pytest.approx(
            (result.profit_usd_per_day[mask] * qty[mask]).sum())
        assert groups.efficiency_j_per_th[i] == pytest.approx(
            (power[mask] * qty[mask]).sum() / (hashrate[mask] * qty[mask]).sum())
        assert groups.hardware_cost_usd[i] == pytest.approx(2000.0 * qty[mask].sum())
    assert groups.profit_usd_per_day.sum() == pytest.approx(result.totals().profit_usd_per_day)
    rows = groups.rows()
    assert rows[0]["key"] == "east" and "payback_days" in rows[0]


def test_sum_by_integer_keys_and_mismatch():
    keys, sums = sum_by([3, 1, 3, 2], [1.0, 2.0, 3.0, 4.0])
    assert list(keys) == [1, 2, 3] and list(sums) == [2.0, 4.0, 4.0]
    with pytest.raises(InputError):
        sum_by([1, 2], [1.0])
    result = compute_profitability(inputs())
    with pytest.raises(InputError, match="one key per fleet row"):
        totals_by(result, ["a", "b"])
