import json
import sys
import types

import pytest
from econ_helpers import BTC_DAILY

from hashinsight_desktop.cli.main import main

MARKET_ARGS = ["--price", "90000", "--difficulty", "1.48e14", "--fees-btc", "0.02",
               "--height", "925000"]


@pytest.fixture
def market_cache(monkeypatch):
    """Stand-in for services.market_cache: tests set ``values`` and ``history``."""
    module = types.ModuleType("hashinsight_desktop.services.market_cache")
    module.values = {}
    module.history = None
    module.latest_market_values = lambda db_url: module.values
    module.daily_history = lambda db_url: module.history
    monkeypatch.setitem(sys.modules, "hashinsight_desktop.services.market_cache", module)
    return module


def _json(capsys, argv):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_calc_all_arguments(capsys, market_cache):
    out = _json(capsys, ["calc", "--model", "Antminer S21", "--qty", "10", "--power-cost", "0.06",
                         "--pool-fee", "2", "--hardware-cost", "3500", *MARKET_ARGS])
    btc_one = 200e12 * 86400 * 3.145 / (1.48e14 * 2**32) * 0.98
    assert out["btc_per_day"] == pytest.approx(10 * btc_one)
    assert out["revenue_usd_per_day"] == pytest.approx(10 * btc_one * 90000)
    assert out["power_cost_usd_per_day"] == pytest.approx(10 * 3.5 * 24 * 0.06)
    assert out["profit_usd_per_day"] == pytest.approx(
        out["revenue_usd_per_day"] - out["power_cost_usd_per_day"])
    assert out["payback_days"] == pytest.approx(35000 / out["profit_usd_per_day"])
    assert out["efficiency_j_per_th"] == pytest.approx(17.5)
    for key in ("hashprice_usd_per_th_day", "breakeven_power_usd_per_kwh",
                "breakeven_btc_price_usd"):
        assert out[key] > 0
    inputs = out["inputs"]
    assert inputs["btc_price_usd"] == {"value": 90000.0, "source": "argument", "age_s": None}
    assert inputs["uptime_pct"]["source"] == "default"
    assert inputs["hashrate_ths"]["value"] == 200.0


def test_calc_takes_missing_market_inputs_from_the_cache(capsys, market_cache):
    market_cache.values = {"btc_price_usd": (95000.0, "coingecko", 120.0),
                           "difficulty": (1.5e14, "mempool.space", 600.0),
                           "fees_btc_per_block": (0.03, "mempool.space", 600.0),
                           "block_height": (926000, "mempool.space", 600.0)}
    out = _json(capsys, ["calc", "--hashrate-ths", "100", "--power-w", "2000",
                         "--power-cost", "0.05", "--price", "80000"])
    assert out["inputs"]["btc_price_usd"]["source"] == "argument"
    assert out["inputs"]["difficulty"] == {"value": 1.5e14, "source": "cache", "age_s": 600.0}
    assert out["inputs"]["block_height"]["source"] == "cache"
    assert out["payback_days"] is None  # no hardware cost given


def test_calc_names_every_missing_input(capsys, market_cache):
    market_cache.values = {"btc_price_usd": (95000.0, "coingecko", 120.0)}
    assert main(["calc", "--model", "S21", "--power-cost", "0.05"]) == 1
    err = capsys.readouterr().err
    assert "no cached difficulty: pass --difficulty" in err
    assert "pass --fees-btc" in err and "pass --height" in err
    assert "--price" not in err


def test_calc_never_pays_back_is_null(capsys, market_cache):
    out = _json(capsys, ["calc", "--model", "S19", "--power-cost", "0.2",
                         "--hardware-cost", "1000", *MARKET_ARGS])
    assert out["profit_usd_per_day"] < 0 and out["payback_days"] is None


@pytest.mark.parametrize(("argv", "message"), [
    (["--model", "Antminer S22"], "unknown model 'Antminer S22'; did you mean: Antminer S21"),
    (["--hashrate-ths", "100"], "--hashrate-ths needs --power-w"),
    (["--hashrate-ths", "100", "--power-w", "200000"], "--power-w (power_w)"),
    (["--model", "S21", "--pool-fee", "120"], "--pool-fee (pool_fee_pct): must be <= 100"),
    (["--model", "S21", "--qty", "0"], "--qty must be at least 1"),
])
def test_calc_bad_input(capsys, market_cache, argv, message):
    assert main(["calc", *argv, "--power-cost", "0.05", *MARKET_ARGS]) == 1
    assert message in capsys.readouterr().err


def test_calc_human_output(capsys, market_cache):
    assert main(["calc", "--model", "S21", "--power-cost", "0.05", *MARKET_ARGS]) == 0
    text = capsys.readouterr().out
    assert "1 x Antminer S21" in text and "break-even BTC price" in text


@pytest.fixture
def short_history(tmp_path):
    lines = BTC_DAILY.read_text().splitlines()
    path = tmp_path / "history.csv"
    path.write_text("\n".join([lines[0], *lines[-430:]]) + "\n")
    return path


def test_forecast_from_file_with_backtest(capsys, short_history):
    out = _json(capsys, ["forecast", "--series", "difficulty", "--horizon", "10",
                         "--history-file", str(short_history)])
    assert len(out["forecast"]) == 10
    assert out["forecast"][0]["date"] == "2025-12-30"
    row = out["forecast"][-1]
    assert row["lower95"] < row["lower80"] < row["point"] < row["upper80"] < row["upper95"]
    assert out["history_days"] == 430
    backtest = out["backtest"]
    assert backtest["origins"] == 2  # all that 430 days allow with a year of training
    assert [r["horizon_days"] for r in backtest["horizons"]] == [7, 30]
    assert backtest["naive"] == "random walk with drift"


def test_forecast_human_output_without_backtest(capsys, short_history):
    argv = ["forecast", "--series", "price", "--horizon", "3", "--history-file",
            str(short_history), "--no-backtest"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "ARIMA(" in text and "95% high" in text and "backtest" not in text


def test_forecast_history_from_the_database(capsys, market_cache):
    from hashinsight_desktop.core.economics.market_history import read_daily_csv

    market_cache.history = read_daily_csv(BTC_DAILY).tail(100)
    out = _json(capsys, ["forecast", "--series", "hashprice", "--horizon", "5"])
    assert out["backtest"]["skipped"].startswith("a backtest needs at least 395 days")


def test_forecast_errors(capsys, market_cache, tmp_path):
    assert main(["forecast", "--series", "price"]) == 1
    assert "no daily market history yet" in capsys.readouterr().err
    short = tmp_path / "short.csv"
    lines = BTC_DAILY.read_text().splitlines()
    short.write_text("\n".join(lines[:21]) + "\n")
    assert main(["forecast", "--series", "price", "--history-file", str(short)]) == 1
    assert "needs at least 60 days of history, got 20" in capsys.readouterr().err
    assert main(["forecast", "--series", "price", "--history-file", str(tmp_path / "nope.csv")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_without_a_market_cache_module_errors_name_the_flags(capsys, monkeypatch):
    # None in sys.modules makes the lazy import fail, as in a build without the module.
    monkeypatch.setitem(sys.modules, "hashinsight_desktop.services.market_cache", None)
    assert main(["calc", "--model", "S21", "--power-cost", "0.05", "--price", "1"]) == 1
    assert "no cached difficulty: pass --difficulty" in capsys.readouterr().err
    assert main(["forecast", "--series", "price"]) == 1
    assert "pass --history-file" in capsys.readouterr().err
