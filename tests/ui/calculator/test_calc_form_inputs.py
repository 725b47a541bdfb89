"""The form rules without Qt: parsing, several messages at once, hosting units, ages."""

from __future__ import annotations

import pytest

from hashinsight_desktop.ui.calculator import form_inputs as f
from hashinsight_desktop.ui.calculator.market_prefill import describe_age

GOOD = {f.HASHRATE: "200", f.POWER: "3500", f.QUANTITY: "2", f.ELECTRICITY: "0.05",
        f.POOL_FEE: "2", f.UPTIME: "100", f.BTC_PRICE: "97,000", f.DIFFICULTY: "1.27e14",
        f.HEIGHT: "905000"}


def test_good_form_builds_inputs_with_optional_fields_defaulted() -> None:
    outcome = f.build_inputs(GOOD)
    assert outcome.ok and outcome.errors == {}
    assert outcome.inputs.market.btc_price_usd == 97_000.0
    assert outcome.inputs.market.fees_btc == 0.0
    assert outcome.values[f.HARDWARE] == 0.0


def test_errors_in_each_group_are_all_reported() -> None:
    outcome = f.build_inputs({**GOOD, f.POOL_FEE: "150", f.BTC_PRICE: "-1", f.POWER: ""})
    assert not outcome.ok
    assert outcome.errors == {
        f.POWER: "Power: required",
        f.POOL_FEE: "Pool fee: must be <= 100, got 150 (absurd value)",
        f.BTC_PRICE: "BTC price: must be > 0, got -1",
    }


@pytest.mark.parametrize(("unit", "core_field"), [(f.HOSTING_PER_KWH, "kwh"),
                                                  (f.HOSTING_PER_MONTH, "month")])
def test_hosting_fee_unit_and_its_error(unit: str, core_field: str) -> None:
    ok = f.build_inputs({**GOOD, f.HOSTING: "12"}, unit)
    if core_field == "kwh":
        assert ok.errors[f.HOSTING].startswith("Hosting fee: must be <= 10")
    else:
        assert ok.ok and float(ok.inputs.fleet.hosting_usd_per_month) == 12.0
    bad = f.build_inputs({**GOOD, f.HOSTING: "-1"}, unit)
    assert bad.errors[f.HOSTING] == "Hosting fee: must be >= 0, got -1"


def test_parse_number() -> None:
    assert f.parse_number(" 1,234.5 ") == 1234.5
    assert f.parse_number("1.2e14") == 1.2e14
    for text, reason in (("", "required"), ("12a", "must be a number"), ("inf", "finite")):
        with pytest.raises(f.FieldValueError, match=reason):
            f.parse_number(text)


@pytest.mark.parametrize(("age", "text"), [(5, "just now"), (59 * 60 + 59, "59 min ago"),
                                           (3 * 3600 + 60, "3 h ago"), (86_400, "1 day ago"),
                                           (9 * 86_400, "9 days ago"), (-3, "just now")])
def test_describe_age(age: float, text: str) -> None:
    assert describe_age(age) == text
