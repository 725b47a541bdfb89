"""Money rounding, month parsing, invoice numbers, proration."""

import datetime as dt

import pytest

from hashinsight_desktop.core.billing.money import (
    MonthError,
    amount_cents,
    format_cents,
    invoice_number,
    invoice_sequence,
    parse_month,
    round_half_away,
)
from hashinsight_desktop.core.billing.proration import active_span, month_fraction


def test_rounding_is_half_away_from_zero() -> None:
    assert [round_half_away(v) for v in (0.5, 1.5, 2.5, -0.5, -2.5, 2.4999)] == [1, 2, 3, -1, -3, 2]
    assert amount_cents(1000.0, 65_000) == 6500  # 1,000 kWh at $0.065
    assert amount_cents(0.001, 65_000) == 0
    assert amount_cents(1.5, 10_000) == 2  # 1.5 cents rounds up


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "26-10", "2026/10", "", "October"])
def test_bad_months_are_refused(text) -> None:
    with pytest.raises(MonthError, match="YYYY-MM"):
        parse_month(text)


def test_months_and_numbers() -> None:
    assert parse_month("2026-12") == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert invoice_number(dt.date(2026, 10, 1), 7) == "INV-202610-0007"
    assert invoice_sequence("INV-202610-12345") == 12345
    assert invoice_sequence("CUSTOM-1") is None
    assert format_cents(-123456) == "-1,234.56 USD"


def test_active_span_intersects_bounds_with_inclusive_end_dates() -> None:
    oct1, nov1 = parse_month("2026-10")
    span = active_span(oct1, nov1, (dt.date(2026, 1, 1), None), (None, dt.date(2026, 10, 10)))
    assert span == (oct1, dt.date(2026, 10, 11))
    assert month_fraction(span, oct1, nov1) == pytest.approx(10 / 31)
    empty = active_span(oct1, nov1, (dt.date(2026, 11, 5), None))
    assert month_fraction(empty, oct1, nov1) == 0.0
