"""Market inputs prefilled from the offline cache, with how old each value is.

The calculator never goes to the network: it reads the newest cached snapshot of each
metric (written by the market collector) and says where it came from and when, so a
salesperson offline knows whether "BTC price" is from this morning or from last month.
"""

from __future__ import annotations

import dataclasses
import logging

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine

from hashinsight_desktop.services.market_cache import latest_values
from hashinsight_desktop.ui.calculator.form_inputs import BTC_PRICE, DIFFICULTY, FEES, HEIGHT

log = logging.getLogger(__name__)

# The market fields the form prefills (network hashrate is implied by difficulty).
PREFILLED = (BTC_PRICE, DIFFICULTY, FEES, HEIGHT)


@dataclasses.dataclass(frozen=True)
class CachedValue:
    value: float
    source: str
    age_s: float

    def note(self) -> str:
        """'cached 3 h ago (mempool.space)'."""
        return f"cached {describe_age(self.age_s)} ({self.source})"


def describe_age(age_s: float) -> str:
    """A short, rounded-down age: 'just now', '12 min ago', '3 h ago', '5 days ago'."""
    seconds = max(age_s, 0.0)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86_400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86_400)
    return f"{days} day ago" if days == 1 else f"{days} days ago"


def read_cached_market(engine: Engine | None, now: float | None = None,
                       ) -> dict[str, CachedValue]:
    """The cached values of the prefilled fields; {} without a database or a cache."""
    if engine is None:
        return {}
    try:
        latest = latest_values(engine, now=now)
    except sa_exc.SQLAlchemyError as exc:
        # No market table yet (a fresh file) or a server gone away: ask the user instead.
        log.info("market cache unreadable: %s", exc.__class__.__name__)
        return {}
    return {metric: CachedValue(*latest[metric]) for metric in PREFILLED if metric in latest}
