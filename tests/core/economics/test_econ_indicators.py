import numpy as np
import pytest

from hashinsight_desktop.core.economics.errors import InputError
from hashinsight_desktop.core.economics.indicators import bollinger, ema, macd, rsi, sma

X = [10.0, 11.0, 12.0, 11.0, 10.0, 12.0, 14.0]
NAN = np.nan


def _same(got, expected):
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12, equal_nan=True)


def test_sma():
    _same(sma(X, 3), [NAN, NAN, 11.0, 34 / 3, 11.0, 11.0, 12.0])
    _same(sma(X[:2], 3), [NAN, NAN])


def test_ema_seeded_with_sma():
    # alpha = 2/(3+1) = 0.5: 11 (seed), 11, 10.5, 11.25, 12.625
    _same(ema(X, 3), [NAN, NAN, 11.0, 11.0, 10.5, 11.25, 12.625])


def test_rsi_wilder_by_hand():
    # changes +1 +1 -1 -1 +2 +2; seeds avg gain 2/3, avg loss 1/3 -> RS 2 -> 66.67
    gains = [2 / 3, 4 / 9, 26 / 27, 106 / 81]
    losses = [1 / 3, 5 / 9, 10 / 27, 20 / 81]
    expected = [NAN, NAN, NAN] + [100 - 100 / (1 + g / loss) for g, loss in zip(gains, losses, strict=True)]
    _same(rsi(X, 3), expected)
    assert rsi(X, 3)[3] == pytest.approx(200 / 3)


def test_rsi_extremes():
    assert rsi([1.0, 2.0, 3.0, 4.0, 5.0], 3)[-1] == 100.0
    assert rsi([5.0, 5.0, 5.0, 5.0], 3)[-1] == 50.0


def test_macd_small_periods_by_hand():
    fast = [NAN, 10.5, 11.5, 67 / 6, 187 / 18, 619 / 54, 2131 / 162]  # EMA(2), alpha 2/3
    slow = [NAN, NAN, 11.0, 11.0, 10.5, 11.25, 12.625]  # EMA(3)
    line = np.array(fast) - np.array(slow)
    sig3 = (line[2] + line[3]) / 2
    sig4 = 2 / 3 * line[4] + sig3 / 3
    sig5 = 2 / 3 * line[5] + sig4 / 3
    sig6 = 2 / 3 * line[6] + sig5 / 3
    m = macd(X, fast=2, slow=3, signal=2)
    _same(m.line, line)
    _same(m.signal, [NAN, NAN, NAN, sig3, sig4, sig5, sig6])
    _same(m.histogram, line - np.array(m.signal))


def test_macd_defaults_start_where_defined():
    prices = 100 + np.sin(np.arange(60) / 5) * 10
    m = macd(prices)
    assert np.isnan(m.line[24]) and not np.isnan(m.line[25])
    assert np.isnan(m.signal[32]) and not np.isnan(m.signal[33])


def test_bollinger_population_std():
    b = bollinger(X, 3, 2.0)
    sd = np.sqrt(2 / 3)  # of 10, 11, 12
    assert b.middle[2] == 11.0
    assert b.upper[2] == pytest.approx(11 + 2 * sd)
    assert b.lower[2] == pytest.approx(11 - 2 * sd)
    assert np.isnan(b.upper[1])
    default = bollinger(np.arange(40.0))
    assert default.middle[19] == pytest.approx(9.5)
    assert default.upper[19] - default.middle[19] == pytest.approx(2 * np.std(np.arange(20.0)))


def test_bad_windows():
    with pytest.raises(InputError):
        sma(X, 0)
    with pytest.raises(InputError):
        macd(X, fast=26, slow=12)
