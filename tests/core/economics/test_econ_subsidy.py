import numpy as np
import pytest

from hashinsight_desktop.core.economics.subsidy import (
    block_subsidy_btc,
    block_subsidy_btc_array,
    mean_subsidy_over_blocks,
    next_halving_height,
)


@pytest.mark.parametrize(("height", "subsidy"), [
    (0, 50.0), (209_999, 50.0), (210_000, 25.0), (420_000, 12.5), (630_000, 6.25),
    (839_999, 6.25), (840_000, 3.125), (1_049_999, 3.125), (1_050_000, 1.5625),
    (210_000 * 33, 0.0), (210_000 * 70, 0.0),
])
def test_subsidy_schedule(height, subsidy):
    assert block_subsidy_btc(height) == subsidy
    assert block_subsidy_btc_array([height])[0] == subsidy


def test_satoshi_rounding_matches_bitcoin_core():
    # 50 BTC >> 10 = 4882812.5 sat, truncated to 4882812 sat by the integer shift.
    assert block_subsidy_btc(2_100_000) == 0.04882812


def test_next_halving():
    assert next_halving_height(925_000) == 1_050_000
    assert next_halving_height(840_000) == 1_050_000


def test_a_day_straddling_a_halving_averages_by_block_count():
    # 44 blocks at 6.25 then 100 at 3.125.
    got = mean_subsidy_over_blocks([839_956], 144)[0]
    assert got == pytest.approx((44 * 6.25 + 100 * 3.125) / 144)
    assert np.allclose(mean_subsidy_over_blocks([0, 840_000], 144), [50.0, 3.125])
