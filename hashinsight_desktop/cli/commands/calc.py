"""``hashinsight calc``: profitability of one miner model (or hashrate + power) x N.

Market inputs not given on the command line (price, difficulty, fees, block height)
come from the market cache the collectors fill; each input used is reported with its
source ("argument", "cache" or "default") and, for cached values, its age.
"""

from __future__ import annotations

import argparse
import difflib
import math
from typing import Any

from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.cli.output import emit
from hashinsight_desktop.core.catalog import builtin_models, lookup_model, normalise_name
from hashinsight_desktop.core.economics.errors import InputError
from hashinsight_desktop.core.economics.inputs import (
    Fleet,
    MarketState,
    OperatingTerms,
    ProfitInputs,
)
from hashinsight_desktop.core.economics.profitability import compute_profitability

# Market-cache keys (services.market_cache.latest_market_values) -> (flag, description).
MARKET_INPUTS = {
    "btc_price_usd": ("--price", "BTC price"),
    "difficulty": ("--difficulty", "difficulty"),
    "fees_btc_per_block": ("--fees-btc", "fees per block"),
    "block_height": ("--height", "block height"),
}
_ARG_OF = {"btc_price_usd": "price", "difficulty": "difficulty",
           "fees_btc_per_block": "fees_btc", "block_height": "height"}
_FLAG_OF_FIELD = {
    "hashrate_ths": "--hashrate-ths", "power_w": "--power-w", "quantity": "--qty",
    "electricity_usd_per_kwh": "--power-cost", "pool_fee_pct": "--pool-fee",
    "uptime_pct": "--uptime", "hardware_cost_usd": "--hardware-cost",
    "btc_price_usd": "--price", "difficulty": "--difficulty",
    "fees_btc_per_block": "--fees-btc", "block_height": "--height",
}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "calc", parents=[common],
        help="mining profitability of a miner model or a hashrate/power pair",
        description="Daily BTC, revenue, power cost and profit, hashprice, break-even "
        "power and BTC prices, payback. Market inputs you leave out come from the cache.",
    )
    machine = p.add_mutually_exclusive_group(required=True)
    machine.add_argument("--model", help='catalog model, e.g. "Antminer S21"')
    machine.add_argument("--hashrate-ths", type=float, metavar="TH/S", help="hashrate per miner")
    p.add_argument("--power-w", type=float, metavar="W", help="power per miner (with --hashrate-ths)")
    p.add_argument("--qty", type=int, default=1, metavar="N", help="number of miners (default 1)")
    p.add_argument("--power-cost", type=float, required=True, metavar="USD/KWH",
                   help="electricity price in $/kWh")
    p.add_argument("--price", type=float, metavar="USD", help="BTC price (default: cache)")
    p.add_argument("--difficulty", type=float, help="network difficulty (default: cache)")
    p.add_argument("--fees-btc", type=float, metavar="BTC",
                   help="transaction fees per block (default: cache)")
    p.add_argument("--height", type=int, help="block height, for the subsidy (default: cache)")
    p.add_argument("--pool-fee", type=float, default=None, metavar="PCT",
                   help="pool fee in %% (default 0)")
    p.add_argument("--hardware-cost", type=float, default=None, metavar="USD",
                   help="price of one miner, for payback")
    p.add_argument("--uptime", type=float, default=None, metavar="PCT",
                   help="expected uptime in %% (default 100)")
    p.set_defaults(handler=_run)


def _input(value: Any, source: str, age_s: float | None = None) -> dict[str, Any]:
    return {"value": value, "source": source, "age_s": age_s}


def _machine_inputs(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    if args.model is not None:
        model = lookup_model(args.model)
        if model is None:
            raise CliError(f"unknown model {args.model!r}; {_close_matches(args.model)}")
        return {
            "model": _input(model.model, "argument"),
            # Nameplate figures: defaults that come with the model.
            "hashrate_ths": _input(model.hashrate_ths, "default"),
            "power_w": _input(model.power_w, "default"),
        }
    if args.power_w is None:
        raise CliError("--hashrate-ths needs --power-w (watts per miner)")
    return {"hashrate_ths": _input(args.hashrate_ths, "argument"),
            "power_w": _input(args.power_w, "argument")}


def _close_matches(name: str) -> str:
    names = [m.model for m in builtin_models()]
    by_key = {normalise_name(n): n for n in names}
    close = difflib.get_close_matches(normalise_name(name), list(by_key), n=5, cutoff=0.5)
    if close:
        return "did you mean: " + ", ".join(by_key[c] for c in close) + "?"
    return "known models: " + ", ".join(names)


def _cached_market(db_url: str | None) -> dict[str, tuple[float, str, float]]:
    """Latest cached market values, or {} when no cache module or database exists yet."""
    try:
        from hashinsight_desktop.services.market_cache import latest_market_values
    except ImportError:
        return {}
    return latest_market_values(db_url) or {}


def _market_inputs(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    used: dict[str, dict[str, Any]] = {}
    missing = [key for key in MARKET_INPUTS if getattr(args, _ARG_OF[key]) is None]
    cache = _cached_market(args.db) if missing else {}
    for key in MARKET_INPUTS:
        given = getattr(args, _ARG_OF[key])
        if given is not None:
            used[key] = _input(given, "argument")
        elif key in cache and cache[key] is not None:
            value, _source, age_s = cache[key]
            used[key] = _input(value, "cache", age_s)
    absent = [key for key in MARKET_INPUTS if key not in used]
    if absent:
        what = ", ".join(f"no cached {MARKET_INPUTS[k][1]}: pass {MARKET_INPUTS[k][0]}"
                         for k in absent)
        raise CliError(what + " (or run the market collector to fill the cache)")
    return used


def _term_inputs(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    def given_or_default(value: float | None, default: float) -> dict[str, Any]:
        return _input(default, "default") if value is None else _input(value, "argument")

    used = {
        "quantity": _input(args.qty, "argument" if args.qty != 1 else "default"),
        "electricity_usd_per_kwh": _input(args.power_cost, "argument"),
        "pool_fee_pct": given_or_default(args.pool_fee, 0.0),
        "uptime_pct": given_or_default(args.uptime, 100.0),
    }
    if args.hardware_cost is not None:
        used["hardware_cost_usd"] = _input(args.hardware_cost, "argument")
    return used


def build_inputs(used: dict[str, dict[str, Any]]) -> ProfitInputs:
    value = {key: item["value"] for key, item in used.items()}
    if value["quantity"] < 1:
        raise CliError(f"--qty must be at least 1, got {value['quantity']}")
    try:
        return ProfitInputs(
            Fleet(hashrate_ths=[value["hashrate_ths"]], power_w=[value["power_w"]],
                  quantity=[value["quantity"]],
                  hardware_cost_usd=value.get("hardware_cost_usd", 0.0)),
            OperatingTerms(electricity_usd_per_kwh=value["electricity_usd_per_kwh"],
                           pool_fee_pct=value["pool_fee_pct"], uptime_pct=value["uptime_pct"]),
            MarketState(btc_price_usd=value["btc_price_usd"], difficulty=value["difficulty"],
                        block_height=value["block_height"],
                        fees_btc_per_block=value["fees_btc_per_block"]),
        )
    except InputError as exc:
        flag = _FLAG_OF_FIELD.get(exc.field, exc.field)
        source = used.get(exc.field, {}).get("source", "argument")
        origin = "cached value" if source == "cache" else flag
        raise CliError(f"{origin} ({exc.field}): {exc.message}") from None


def calculate(used: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The JSON payload: totals for all ``quantity`` miners plus a per-miner block."""
    inputs = build_inputs(used)
    result = compute_profitability(inputs)
    totals = result.totals()
    has_hardware = "hardware_cost_usd" in used
    payback = totals.payback_days if has_hardware else math.nan
    per_miner = {
        "btc_per_day": float(result.btc_per_day[0]),
        "revenue_usd_per_day": float(result.revenue_usd_per_day[0]),
        "power_cost_usd_per_day": float(result.power_cost_usd_per_day[0]),
        "profit_usd_per_day": float(result.profit_usd_per_day[0]),
    }
    return {
        "btc_per_day": totals.btc_per_day,
        "revenue_usd_per_day": totals.revenue_usd_per_day,
        "power_cost_usd_per_day": totals.power_cost_usd_per_day,
        "profit_usd_per_day": totals.profit_usd_per_day,
        "profit_usd_per_month": totals.profit_usd_per_month,
        "profit_usd_per_year": totals.profit_usd_per_year,
        "hashprice_usd_per_th_day": result.hashprice_usd_per_th_day,
        "hash_cost_usd_per_th_day": float(result.hash_cost_usd_per_th_day[0]),
        "breakeven_power_usd_per_kwh": totals.breakeven_power_usd_per_kwh,
        "breakeven_btc_price_usd": totals.breakeven_btc_price_usd,
        "payback_days": payback if math.isfinite(payback) else None,
        "efficiency_j_per_th": totals.efficiency_j_per_th,
        "quantity": int(totals.miners),
        "subsidy_btc": inputs.market.subsidy_btc,
        "per_miner": per_miner,
        "inputs": used,
    }


def format_text(payload: dict[str, Any]) -> str:
    inputs = payload["inputs"]
    machine = inputs.get("model", {}).get("value") or (
        f"{inputs['hashrate_ths']['value']:g} TH/s, {inputs['power_w']['value']:g} W")
    payback = payload["payback_days"]
    lines = [
        f"{payload['quantity']} x {machine}  ({payload['efficiency_j_per_th']:.2f} J/TH)",
        f"  BTC per day          {payload['btc_per_day']:.8f}",
        f"  revenue per day      ${payload['revenue_usd_per_day']:,.2f}",
        f"  power cost per day   ${payload['power_cost_usd_per_day']:,.2f}",
        f"  profit per day       ${payload['profit_usd_per_day']:,.2f}"
        f"   (month ${payload['profit_usd_per_month']:,.0f}, year ${payload['profit_usd_per_year']:,.0f})",
        f"  hashprice            ${payload['hashprice_usd_per_th_day']:.4f} per TH/s per day",
        f"  break-even power     ${payload['breakeven_power_usd_per_kwh']:.4f} per kWh",
        f"  break-even BTC price ${payload['breakeven_btc_price_usd']:,.0f}",
        "  payback              " + ("never at these inputs" if payback is None and
                                     "hardware_cost_usd" in inputs else
                                     "n/a (no --hardware-cost)" if payback is None else
                                     f"{payback:,.0f} days"),
        "inputs:",
    ]
    for key, item in inputs.items():
        age = item["age_s"]
        age_text = f", {age / 60:.0f} min old" if age is not None else ""
        lines.append(f"  {key:<24} {item['value']!s:<20} ({item['source']}{age_text})")
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    if args.power_w is not None and args.model is not None:
        raise CliError("--power-w goes with --hashrate-ths, not with --model")
    used = {**_machine_inputs(args), **_term_inputs(args), **_market_inputs(args)}
    payload = calculate(used)
    emit(args, payload, lambda: format_text(payload))
    return 0
