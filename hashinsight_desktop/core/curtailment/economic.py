"""Economic curtailment: switch efficiency classes off in the hours power costs more
than they earn.

A miner of efficiency E (J/TH) earns ``hashprice`` USD per TH/s per day and burns
``E * 24 / 1e6`` MWh per TH/s per day, so it loses money above the strike price
``hashprice * 1e6 / (E * 24)`` USD/MWh.  Given an hourly price file (day-ahead or
real time) each class is curtailed in the hours whose price exceeds its strike;
optional peak hours (monthly coincident-peak avoidance) keep every class dark.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

#: J/TH bucket edges for the default efficiency classes.
DEFAULT_CLASS_EDGES: tuple[float, ...] = (20.0, 25.0, 30.0, 35.0, 40.0)
_HOUR = dt.timedelta(hours=1)


class PriceFileError(ValueError):
    """The price file is unusable; the message names the line at fault."""


@dataclasses.dataclass(frozen=True)
class PriceGap:
    after: dt.datetime  # last hour present before the gap
    missing_hours: int
    line: int  # line of the first hour after the gap


@dataclasses.dataclass(frozen=True, eq=False)
class PriceSeries:
    timestamps: tuple[dt.datetime, ...]
    usd_per_mwh: np.ndarray
    gaps: tuple[PriceGap, ...]


def strike_price_usd_per_mwh(hashprice_usd_per_th_day: float, efficiency_j_th: float) -> float:
    """The power price above which a miner of this efficiency loses money."""
    if efficiency_j_th <= 0:
        raise ValueError(f"efficiency {efficiency_j_th!r} J/TH must be > 0")
    return hashprice_usd_per_th_day * 1e6 / (efficiency_j_th * 24.0)


def _timestamp(text: str, line: int, source: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise PriceFileError(f"{source}: line {line}: timestamp {text!r} is not ISO 8601 "
                             "(e.g. 2024-07-01T13:00:00Z)") from None
    if value.minute or value.second or value.microsecond:
        raise PriceFileError(f"{source}: line {line}: timestamp {text!r} is not on the hour")
    return value


def parse_price_csv(lines: Iterable[str], *, allow_gaps: bool = True,
                    source: str = "price file") -> PriceSeries:
    """Hourly prices from CSV ``timestamp,usd_per_mwh`` (extra columns ignored).

    Rows must be in time order, one per hour.  Negative prices are valid (real-time
    markets go negative).  Missing hours are reported in ``gaps``, or rejected when
    ``allow_gaps`` is false.
    """
    reader = csv.DictReader(lines)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    for column in ("timestamp", "usd_per_mwh"):
        if column not in header:
            raise PriceFileError(f"{source}: header lacks column {column!r} "
                                 "(expected timestamp,usd_per_mwh)")
    reader.fieldnames = header
    stamps: list[dt.datetime] = []
    prices: list[float] = []
    gaps: list[PriceGap] = []
    seen: dict[dt.datetime, int] = {}
    for row in reader:
        line = reader.line_num
        raw_ts, raw_price = (row.get("timestamp") or "").strip(), (row.get("usd_per_mwh") or "").strip()
        if not raw_ts and not raw_price:
            continue
        stamp = _timestamp(raw_ts, line, source)
        try:
            price = float(raw_price)
        except ValueError:
            raise PriceFileError(f"{source}: line {line}: usd_per_mwh {raw_price!r} is not a "
                                 "number") from None
        if not math.isfinite(price):
            raise PriceFileError(f"{source}: line {line}: usd_per_mwh {raw_price!r} is not finite")
        if stamp in seen:
            raise PriceFileError(f"{source}: line {line}: hour {raw_ts} repeats line {seen[stamp]}")
        if stamps:
            try:
                step = stamp - stamps[-1]
            except TypeError:
                raise PriceFileError(f"{source}: line {line}: mixes timestamps with and "
                                     "without a time zone") from None
            if step <= dt.timedelta(0):
                raise PriceFileError(f"{source}: line {line}: {raw_ts} is not after the "
                                     "previous row; sort the file by time")
            if step > _HOUR:
                gap = PriceGap(stamps[-1], int(step / _HOUR) - 1, line)
                if not allow_gaps:
                    raise PriceFileError(f"{source}: line {line}: {gap.missing_hours} hour(s) "
                                         f"missing after {gap.after.isoformat()}")
                gaps.append(gap)
        seen[stamp] = line
        stamps.append(stamp)
        prices.append(price)
    if not stamps:
        raise PriceFileError(f"{source}: no price rows")
    return PriceSeries(tuple(stamps), np.asarray(prices), tuple(gaps))


def read_price_csv(path: str | Path, *, allow_gaps: bool = True) -> PriceSeries:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise PriceFileError(f"cannot read price file {path}: {exc.strerror or exc}") from exc
    return parse_price_csv(io.StringIO(text, newline=""), allow_gaps=allow_gaps,
                           source=str(path))


@dataclasses.dataclass(frozen=True)
class EfficiencyClass:
    name: str  # "25-30 J/TH"
    efficiency_j_th: float  # the class as a whole: its power over its hashrate
    miners: int
    power_kw: float
    hashrate_ths: float


def efficiency_classes(hashrate_ths: Sequence[float] | np.ndarray,
                       power_w: Sequence[float] | np.ndarray,
                       edges: Sequence[float] = DEFAULT_CLASS_EDGES) -> tuple[EfficiencyClass, ...]:
    """Bucket a fleet by J/TH; empty buckets are left out."""
    hashrate = np.asarray(hashrate_ths, dtype=np.float64)
    power = np.asarray(power_w, dtype=np.float64)
    if hashrate.shape != power.shape:
        raise ValueError("hashrate_ths and power_w must have the same length")
    if list(edges) != sorted(edges):
        raise ValueError(f"class edges {list(edges)} must be increasing")
    usable = hashrate > 0
    eff = np.where(usable, power / np.where(usable, hashrate, 1.0), np.inf)
    bucket = np.searchsorted(np.asarray(edges, dtype=np.float64), eff, side="right")
    bounds = [0.0, *edges, math.inf]
    classes = []
    for b in range(len(bounds) - 1):
        members = usable & (bucket == b)
        if not members.any():
            continue
        low, high = bounds[b], bounds[b + 1]
        name = f">= {low:g} J/TH" if math.isinf(high) else f"{low:g}-{high:g} J/TH"
        h, p = float(hashrate[members].sum()), float(power[members].sum())
        classes.append(EfficiencyClass(name, p / h, int(members.sum()), p / 1000.0, h))
    return tuple(classes)


@dataclasses.dataclass(frozen=True)
class HourDecision:
    timestamp: dt.datetime
    usd_per_mwh: float
    curtailed: tuple[str, ...]  # class names switched off this hour
    curtailed_kw: float
    savings_usd: float  # power not bought
    lost_revenue_usd: float  # mining revenue given up
    peak: bool  # a peak hour: everything dark whatever the price


@dataclasses.dataclass(frozen=True)
class EconomicPlan:
    hashprice_usd_per_th_day: float
    classes: tuple[EfficiencyClass, ...]
    strike_usd_per_mwh: tuple[float, ...]  # one per class
    hours: tuple[HourDecision, ...]
    gaps: tuple[PriceGap, ...]
    messages: tuple[str, ...]

    @property
    def savings_usd(self) -> float:
        return sum(h.savings_usd for h in self.hours)

    @property
    def lost_revenue_usd(self) -> float:
        return sum(h.lost_revenue_usd for h in self.hours)

    @property
    def net_benefit_usd(self) -> float:
        return self.savings_usd - self.lost_revenue_usd

    @property
    def curtailed_mwh(self) -> float:
        return sum(h.curtailed_kw for h in self.hours) / 1000.0


def plan_economic(prices: PriceSeries, hashprice_usd_per_th_day: float,
                  classes: Sequence[EfficiencyClass],
                  peak_hours: Iterable[dt.datetime] = ()) -> EconomicPlan:
    """Per hour, the classes to curtail and what it saves and costs."""
    if not math.isfinite(hashprice_usd_per_th_day) or hashprice_usd_per_th_day < 0:
        raise ValueError(f"hashprice {hashprice_usd_per_th_day!r} must be a number >= 0")
    if not classes:
        raise ValueError("no efficiency classes: the fleet has no miner with hashrate")
    strikes = tuple(strike_price_usd_per_mwh(hashprice_usd_per_th_day, c.efficiency_j_th)
                    for c in classes)
    peaks = set(peak_hours)
    messages: list[str] = []
    unknown = peaks.difference(prices.timestamps)
    if unknown:
        messages.append(f"{len(unknown)} peak hour(s) are not in the price file: "
                        + ", ".join(sorted(p.isoformat() for p in unknown)[:5]))
    if prices.gaps:
        missing = sum(g.missing_hours for g in prices.gaps)
        messages.append(f"the price file misses {missing} hour(s) in {len(prices.gaps)} gap(s); "
                        "no decision is made for them")
    revenue_per_hour = [c.hashrate_ths * hashprice_usd_per_th_day / 24.0 for c in classes]
    hours = []
    for stamp, price in zip(prices.timestamps, prices.usd_per_mwh.tolist(), strict=True):
        peak = stamp in peaks
        off = [k for k, strike in enumerate(strikes) if peak or price > strike]
        kw = sum(classes[k].power_kw for k in off)
        hours.append(HourDecision(
            timestamp=stamp, usd_per_mwh=price,
            curtailed=tuple(classes[k].name for k in off), curtailed_kw=kw,
            savings_usd=kw / 1000.0 * price,
            lost_revenue_usd=sum(revenue_per_hour[k] for k in off), peak=peak,
        ))
    return EconomicPlan(hashprice_usd_per_th_day, tuple(classes), strikes, tuple(hours),
                        prices.gaps, tuple(messages))
