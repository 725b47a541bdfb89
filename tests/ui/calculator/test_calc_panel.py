"""CalculatorPanel: live results, field messages, empty and prefilled cache, quotes."""

from __future__ import annotations

import math

import pytest
from calc_market_seed import MARKET, NOW, fetch_at
from PySide6.QtCore import Qt

from hashinsight_desktop.core.economics.inputs import (
    Fleet,
    MarketState,
    OperatingTerms,
    ProfitInputs,
)
from hashinsight_desktop.core.economics.profitability import compute_profitability
from hashinsight_desktop.ui.calculator.results_view import money


def _retype(qtbot, panel, field: str, text: str) -> None:
    """Clear a field and type ``text`` key by key, as a user would."""
    edit = panel.fields[field].edit
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def _expected_profit_per_day(hashrate: float, power: float, quantity: int) -> float:
    inputs = ProfitInputs(
        Fleet(hashrate_ths=hashrate, power_w=power, quantity=quantity),
        OperatingTerms(electricity_usd_per_kwh=0.06, pool_fee_pct=2, uptime_pct=98),
        MarketState(btc_price_usd=MARKET["btc_price_usd"], difficulty=MARKET["difficulty"],
                    block_height=int(MARKET["block_height"]),
                    fees_btc_per_block=MARKET["fees_btc_per_block"]))
    return compute_profitability(inputs).totals().profit_usd_per_day


def test_typing_updates_results_without_a_button(qtbot, make_panel, full_cache) -> None:
    panel = make_panel(full_cache)
    model = panel.picker.current_model()
    assert model is not None
    before = panel.results.value_text("profit_usd_per_day")
    assert before == money(_expected_profit_per_day(model.hashrate_ths, model.power_w, 1))

    with qtbot.waitSignal(panel.results_changed, timeout=2000):
        _retype(qtbot, panel, "quantity", "25")
    figures = panel.figures
    assert figures["miners"] == 25
    expected = _expected_profit_per_day(model.hashrate_ths, model.power_w, 25)
    assert figures["profit_usd_per_day"] == pytest.approx(expected)
    assert panel.results.value_text("profit_usd_per_day") == money(expected)
    assert panel.results.value_text("profit_usd_per_day") != before
    assert panel.results.value_text("efficiency_j_per_th") == (
        f"{model.power_w / model.hashrate_ths:.1f} J/TH")


@pytest.mark.parametrize(("field", "text", "label", "reason"), [
    ("btc_price_usd", "-1", "BTC price", "must be > 0, got -1"),
    ("pool_fee_pct", "150", "Pool fee", "must be <= 100, got 150"),
    ("quantity", "2.5", "Quantity", "whole number"),
    ("difficulty", "abc", "Difficulty", "must be a number"),
])
def test_bad_value_names_the_field_and_greys_last_results(
        qtbot, make_panel, full_cache, field, text, label, reason) -> None:
    panel = make_panel(full_cache)
    _retype(qtbot, panel, field, text[:-1])  # may still be valid ("15" on the way to "150")
    good = panel.results.value_text("revenue_usd_per_day")
    with qtbot.waitSignal(panel.inputs_invalid, timeout=2000):
        qtbot.keyClicks(panel.fields[field].edit, text[-1])
    message = panel.fields[field].error_text
    assert message.startswith(f"{label}:") and reason in message
    assert panel.fields[field].error.isVisible()
    others = [k for k, w in panel.fields.items() if k != field and w.error_text]
    assert others == []
    assert panel.results.is_stale
    assert panel.results.value_text("revenue_usd_per_day") == good  # kept, greyed
    assert not panel.quote_button.isEnabled()

    # Fixing the field clears its message and brings the results back.
    with qtbot.waitSignal(panel.results_changed, timeout=2000):
        _retype(qtbot, panel, field, {"btc_price_usd": "97000", "pool_fee_pct": "2",
                                      "quantity": "1", "difficulty": "1.27e14"}[field])
    assert panel.fields[field].error_text == ""
    assert not panel.results.is_stale


def test_empty_cache_asks_for_manual_values(qtbot, make_panel, cache_engine) -> None:
    panel = make_panel(cache_engine)
    assert panel.cache_is_empty
    assert panel.cache_banner.isVisible()
    assert "No cached market data" in panel.cache_banner.text()
    for field in ("btc_price_usd", "difficulty", "block_height"):
        assert panel.fields[field].error_text.endswith("required")
        assert panel.market_notes[field].text() == "not cached: type a value"
    assert panel.fields["fees_btc_per_block"].error_text == ""  # optional, empty means 0
    assert panel.results.value_text("profit_usd_per_day") == "—"
    assert not panel.results.is_stale  # nothing to grey yet

    # Typing the three values by hand is enough: no network involved.
    _retype(qtbot, panel, "btc_price_usd", "97,000")
    _retype(qtbot, panel, "difficulty", "1.27e14")
    with qtbot.waitSignal(panel.results_changed, timeout=2000):
        _retype(qtbot, panel, "block_height", "905000")
    assert panel.figures["btc_per_day"] > 0
    assert panel.quote_button.isEnabled()


def test_no_database_and_unmigrated_file_work_like_an_empty_cache(
        make_panel, sqlite_url) -> None:
    from sqlalchemy import create_engine

    assert make_panel(None).cache_is_empty
    bare = create_engine(sqlite_url)  # a file without the market table
    try:
        panel = make_panel(bare)
        assert panel.cache_is_empty and panel.cache_banner.isVisible()
    finally:
        bare.dispose()


def test_prefilled_from_sqlite_cache_with_ages(make_panel, cache_engine) -> None:
    from hashinsight_desktop.services.market_cache import store_fetch

    store_fetch(cache_engine, fetch_at(NOW - 2 * 86_400 - 5, "coingecko",
                                       btc_price_usd=90_000.0, difficulty=1.1e14))
    store_fetch(cache_engine, fetch_at(NOW - 3 * 3600 - 60, "mempool.space",
                                       btc_price_usd=97_000.0, fees_btc_per_block=0.03))
    store_fetch(cache_engine, fetch_at(NOW - 12 * 60, "blockchain.info", block_height=905_001))
    panel = make_panel(cache_engine)
    assert panel.fields["btc_price_usd"].text() == "97000"
    assert panel.market_notes["btc_price_usd"].text() == "cached 3 h ago (mempool.space)"
    assert panel.fields["difficulty"].text() == "1.1e+14"
    assert panel.market_notes["difficulty"].text() == "cached 2 days ago (coingecko)"
    assert panel.market_notes["fees_btc_per_block"].text() == "cached 3 h ago (mempool.space)"
    assert panel.fields["block_height"].text() == "905001"
    assert panel.market_notes["block_height"].text() == "cached 12 min ago (blockchain.info)"
    assert not panel.cache_banner.isVisible()
    assert panel.current_inputs is not None
    assert panel.current_inputs.market.btc_price_usd == 97_000.0


def test_partial_cache_names_the_missing_values(make_panel, cache_engine) -> None:
    from hashinsight_desktop.services.market_cache import store_fetch

    store_fetch(cache_engine, fetch_at(NOW - 30, "coingecko", btc_price_usd=97_000.0,
                                       difficulty=1.27e14))
    panel = make_panel(cache_engine)
    assert panel.market_notes["btc_price_usd"].text() == "cached just now (coingecko)"
    assert panel.cache_banner.isVisible()
    assert panel.cache_banner.text().endswith("Fees per block, Block height")
    assert panel.fields["block_height"].error_text == "Block height: required"


def test_editing_a_cached_value_says_so(qtbot, make_panel, full_cache) -> None:
    panel = make_panel(full_cache)
    _retype(qtbot, panel, "btc_price_usd", "120000")
    assert panel.market_notes["btc_price_usd"].text() == (
        "typed in; cached 3 h ago (mempool.space)")
    assert panel.current_inputs.market.btc_price_usd == 120_000.0


def test_model_picker_fills_and_custom_values_switch_to_custom(qtbot, make_panel,
                                                               full_cache) -> None:
    panel = make_panel(full_cache)
    assert panel.picker.select_model("S19 Pro")
    model = panel.picker.current_model()
    assert model is not None and "S19 Pro" in model.model
    assert panel.fields["hashrate_ths"].text() == f"{model.hashrate_ths:g}"
    assert panel.fields["power_w"].text() == f"{model.power_w:g}"
    with qtbot.waitSignal(panel.results_changed, timeout=2000):
        _retype(qtbot, panel, "hashrate_ths", "150")
    assert panel.picker.current_model() is None  # "Custom"
    assert panel.figures["hashrate_ths"] == 150


def test_absurd_efficiency_points_at_power(qtbot, make_panel, full_cache) -> None:
    panel = make_panel(full_cache)
    with qtbot.waitSignal(panel.inputs_invalid, timeout=2000):
        _retype(qtbot, panel, "power_w", "3")  # 3 W for a 100+ TH/s miner: kW typed as W?
    assert panel.fields["power_w"].error_text.startswith("Power: this miner works out at")


def test_hosting_fee_per_month_lowers_profit(qtbot, make_panel, full_cache) -> None:
    panel = make_panel(full_cache)
    base = panel.quote_payload()["results"]["profit_usd_per_day"]
    panel.hosting_unit.setCurrentIndex(1)  # USD per miner per month
    with qtbot.waitSignal(panel.results_changed, timeout=2000):
        _retype(qtbot, panel, "hosting_fee", "304.375")
    assert panel.figures["profit_usd_per_day"] == pytest.approx(base - 10.0)


def test_quote_requested_carries_inputs_and_results(qtbot, make_panel, full_cache) -> None:
    panel = make_panel(full_cache)
    _retype(qtbot, panel, "hardware_cost_usd", "4200")
    with qtbot.waitSignal(panel.quote_requested, timeout=2000) as blocker:
        qtbot.mouseClick(panel.quote_button, Qt.MouseButton.LeftButton)
    quote = blocker.args[0]
    model = panel.picker.current_model()
    assert quote["model"] == f"{model.make} {model.model}"
    assert quote["inputs"]["hardware_cost_usd"] == 4200
    assert quote["inputs"]["btc_price_usd"] == MARKET["btc_price_usd"]
    assert quote["inputs"]["hosting_unit"] == "usd_per_kwh"
    assert quote["market_sources"]["difficulty"] == "cached 3 h ago (mempool.space)"
    results = quote["results"]
    assert results["payback_days"] == pytest.approx(4200 / results["profit_usd_per_day"])
    assert all(v is None or math.isfinite(v) for v in results.values())
