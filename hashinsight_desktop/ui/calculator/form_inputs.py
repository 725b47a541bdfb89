"""Form text -> validated :class:`ProfitInputs`, or a message per offending field.

Kept free of Qt so the rules are testable on their own: the panel hands over the
texts of its fields and shows whatever messages come back next to those fields.
Each of fleet, terms and market is validated separately, so an error in the power
price and one in the BTC price are both shown at once (the core stops at the first
error of each dataclass).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Mapping
from typing import TypeVar

from hashinsight_desktop.core.economics.errors import InputError
from hashinsight_desktop.core.economics.inputs import (
    Fleet,
    MarketState,
    OperatingTerms,
    ProfitInputs,
)

T = TypeVar("T")
MAX_QUANTITY = 1_000_000

# Field ids used by the form; also the keys of the quote payload's "inputs".
HASHRATE = "hashrate_ths"
POWER = "power_w"
QUANTITY = "quantity"
ELECTRICITY = "electricity_usd_per_kwh"
POOL_FEE = "pool_fee_pct"
HOSTING = "hosting_fee"
UPTIME = "uptime_pct"
HARDWARE = "hardware_cost_usd"
BTC_PRICE = "btc_price_usd"
DIFFICULTY = "difficulty"
FEES = "fees_btc_per_block"
HEIGHT = "block_height"

HOSTING_PER_KWH = "usd_per_kwh"
HOSTING_PER_MONTH = "usd_per_miner_month"

FIELD_LABELS: dict[str, str] = {
    HASHRATE: "Hashrate",
    POWER: "Power",
    QUANTITY: "Quantity",
    ELECTRICITY: "Electricity price",
    POOL_FEE: "Pool fee",
    HOSTING: "Hosting fee",
    UPTIME: "Uptime",
    HARDWARE: "Hardware cost",
    BTC_PRICE: "BTC price",
    DIFFICULTY: "Difficulty",
    FEES: "Fees per block",
    HEIGHT: "Block height",
}

# Core field names that are shown on a differently named form field.
_CORE_TO_FORM = {"hosting_usd_per_kwh": HOSTING, "hosting_usd_per_month": HOSTING}
# Fields that may be left empty, and the value empty means.
_OPTIONAL = {FEES: 0.0, HOSTING: 0.0, HARDWARE: 0.0}


class FieldValueError(ValueError):
    """The text of a field is empty or not a number (the core checks ranges)."""


def parse_number(text: str) -> float:
    """``"1,234.5"``, ``" 97000 "``, ``"1.2e14"`` -> float; raises FieldValueError."""
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    if not cleaned:
        raise FieldValueError("required")
    try:
        value = float(cleaned)
    except ValueError:
        raise FieldValueError(f"must be a number, got {text.strip()!r}") from None
    if not math.isfinite(value):
        raise FieldValueError("must be a finite number")
    return value


@dataclasses.dataclass(frozen=True)
class FormOutcome:
    """Either ``inputs`` (all valid) or ``errors`` (form field -> message), never both."""

    inputs: ProfitInputs | None
    values: dict[str, float]
    errors: dict[str, str]

    @property
    def ok(self) -> bool:
        return self.inputs is not None


def field_message(field: str, message: str) -> str:
    """'BTC price: must be > 0, got -1': the label, then the core's reason."""
    # One row per form: the core's "value #0"/"miner #0" index means nothing here.
    message = re.sub(r"^value #0 ", "", message).replace("miner #0 works", "this miner works")
    return f"{FIELD_LABELS.get(field, field)}: {message}"


def build_inputs(texts: Mapping[str, str], hosting_unit: str = HOSTING_PER_KWH) -> FormOutcome:
    """Validate the form's texts; ``hosting_unit`` says how the hosting fee is charged."""
    values: dict[str, float] = {}
    errors: dict[str, str] = {}
    for field in FIELD_LABELS:
        text = texts.get(field, "")
        if field in _OPTIONAL and not text.strip():
            values[field] = _OPTIONAL[field]
            continue
        try:
            values[field] = parse_number(text)
        except FieldValueError as exc:
            errors[field] = field_message(field, str(exc))
    quantity = values.get(QUANTITY)
    if quantity is not None and (quantity < 1 or quantity != int(quantity)
                                 or quantity > MAX_QUANTITY):
        errors[QUANTITY] = field_message(
            QUANTITY, f"must be a whole number from 1 to {MAX_QUANTITY:,}, got {quantity:g}")

    per_kwh = hosting_unit == HOSTING_PER_KWH
    fleet = _attempt(errors, lambda: Fleet(
        hashrate_ths=values[HASHRATE], power_w=values[POWER], quantity=values[QUANTITY],
        hardware_cost_usd=values[HARDWARE],
        hosting_usd_per_month=0.0 if per_kwh else values[HOSTING]),
        needs=(HASHRATE, POWER, QUANTITY, HARDWARE, HOSTING))
    terms = _attempt(errors, lambda: OperatingTerms(
        electricity_usd_per_kwh=values[ELECTRICITY], pool_fee_pct=values[POOL_FEE],
        hosting_usd_per_kwh=values[HOSTING] if per_kwh else 0.0, uptime_pct=values[UPTIME]),
        needs=(ELECTRICITY, POOL_FEE, HOSTING, UPTIME))
    market = _attempt(errors, lambda: MarketState(
        btc_price_usd=values[BTC_PRICE], difficulty=values[DIFFICULTY],
        block_height=values[HEIGHT], fees_btc_per_block=values[FEES]),  # type: ignore[arg-type]
        needs=(BTC_PRICE, DIFFICULTY, HEIGHT, FEES))
    if errors or fleet is None or terms is None or market is None:
        return FormOutcome(None, values, errors)
    return FormOutcome(ProfitInputs(fleet, terms, market), values, {})


def _attempt(errors: dict[str, str], build: Callable[[], T], needs: tuple[str, ...]) -> T | None:
    """Build one dataclass unless a field it needs already failed; record its error."""
    if any(field in errors for field in needs):
        return None
    try:
        return build()
    except InputError as exc:
        field = _CORE_TO_FORM.get(exc.field, exc.field)
        errors[field] = field_message(field, exc.message)
        return None
