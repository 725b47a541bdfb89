"""Fetching market data reliably from free public APIs that fail often.

Every HTTP call goes through :class:`Resilience`: a timeout on the client, retries
with exponential backoff and jitter on transient errors (timeouts, connection errors,
HTTP 429 and 5xx), one circuit breaker per provider so a dead API is skipped instead
of costing a timeout every cycle, and request coalescing so concurrent callers of the
same URL share one request.  :func:`fetch_market` walks each metric's fallback chain
(:data:`sources.CHAINS`) and reports the value, its source and time, and every
failure met on the way.

Called from a worker thread (the collector), never from the GUI thread: it blocks.
"""

from __future__ import annotations

import dataclasses
import json
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from hashinsight_desktop import __version__
from hashinsight_desktop.core.market.breaker import CircuitBreaker, CircuitOpen
from hashinsight_desktop.core.market.coalesce import Coalescer
from hashinsight_desktop.core.market.metrics import METRICS, BadMarketValue
from hashinsight_desktop.core.market.retry import RetryPolicy, call_with_retries
from hashinsight_desktop.core.market.sources import CHAINS, Source

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 10.0


@dataclasses.dataclass(frozen=True)
class MetricValue:
    metric: str
    value: float
    source: str  # provider, e.g. "mempool.space"
    fetched_at: float  # Unix s


@dataclasses.dataclass(frozen=True)
class SourceFailure:
    provider: str
    metric: str
    url: str
    reason: str  # one line: "HTTP 503", "timed out", "btc_price_usd: must be > 0, got -1"


@dataclasses.dataclass(frozen=True)
class MarketFetch:
    """One collection round: a value per metric that some source delivered, and the failures."""

    values: Mapping[str, MetricValue]
    errors: tuple[SourceFailure, ...]
    started_at: float

    def value(self, metric: str) -> float | None:
        found = self.values.get(metric)
        return None if found is None else found.value

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(m for m in METRICS if m not in self.values)

    def as_dict(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at,
            "values": {m: dataclasses.asdict(v) for m, v in self.values.items()},
            "errors": [dataclasses.asdict(e) for e in self.errors],
            "missing": list(self.missing),
        }


def make_client(*, transport: httpx.BaseTransport | None = None,
                connect_timeout_s: float = CONNECT_TIMEOUT_S,
                read_timeout_s: float = READ_TIMEOUT_S) -> httpx.Client:
    """The HTTP client for market APIs: bounded timeouts, an honest User-Agent."""
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(read_timeout_s, connect=connect_timeout_s),
        headers={"User-Agent": f"HashInsight-Desktop/{__version__}",
                 "Accept": "application/json, text/plain"},
        follow_redirects=True,
    )


def is_transient(exc: BaseException) -> bool:
    """Worth retrying: the same request may well succeed in a moment."""
    if isinstance(exc, httpx.TransportError):  # includes timeouts and refused connections
        return True
    if isinstance(exc, httpx.HTTPStatusError):
        code = exc.response.status_code
        return code == 429 or code >= 500
    return False


def describe_failure(exc: BaseException) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    if isinstance(exc, httpx.TransportError):
        return f"network error: {type(exc).__name__}: {exc}"[:200]
    if isinstance(exc, (BadMarketValue, CircuitOpen)):
        return str(exc)
    if isinstance(exc, json.JSONDecodeError):
        return "response is not valid JSON"
    return f"{type(exc).__name__}: {exc}"[:200]


class Resilience:
    """Breakers, coalescing and retry settings shared by every fetch of one process.

    Keep one instance alive (the collector does) so breaker state carries from one
    15-minute round to the next.
    """

    def __init__(self, *, retry: RetryPolicy | None = None, failure_threshold: int = 3,
                 cooldown_s: float = 600.0, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None) -> None:
        self.retry = retry or RetryPolicy()
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.coalescer = Coalescer()
        self._breakers: dict[str, CircuitBreaker] = {}
        self._lock = threading.Lock()

    def breaker(self, provider: str) -> CircuitBreaker:
        with self._lock:
            found = self._breakers.get(provider)
            if found is None:
                found = CircuitBreaker(provider, failure_threshold=self.failure_threshold,
                                       cooldown_s=self.cooldown_s, clock=self.clock)
                self._breakers[provider] = found
            return found

    def fetch(self, client: httpx.Client, source: Source) -> float:
        """One source's value, or an exception saying why not (CircuitOpen included)."""
        breaker = self.breaker(source.provider)
        breaker.before_call()

        def request() -> Any:
            try:
                return call_with_retries(lambda: _get_body(client, source), policy=self.retry,
                                         is_transient=is_transient, sleep=self.sleep,
                                         rng=self.rng)
            except Exception:
                breaker.record_failure()  # once per shared request, not per waiting caller
                raise

        body = self.coalescer.run((source.url, source.body), request)
        try:
            value = source.parse(body)
        except BadMarketValue:
            breaker.record_failure()  # a provider serving nonsense is as bad as a dead one
            raise
        breaker.record_success()
        return value


def _get_body(client: httpx.Client, source: Source) -> Any:
    response = client.get(source.url)
    response.raise_for_status()
    return response.json() if source.body == "json" else response.text


def fetch_metric(client: httpx.Client, metric: str, resilience: Resilience, *,
                 chain: Sequence[Source] | None = None,
                 now: Callable[[], float] = time.time,
                 ) -> tuple[MetricValue | None, list[SourceFailure]]:
    """Try ``metric``'s sources in order; the first good value wins."""
    failures: list[SourceFailure] = []
    for source in chain if chain is not None else CHAINS[metric]:
        try:
            value = resilience.fetch(client, source)
        except Exception as exc:
            failures.append(SourceFailure(source.provider, metric, source.url,
                                          describe_failure(exc)))
            continue
        return MetricValue(metric, value, source.label, now()), failures
    return None, failures


_DEFAULT_RESILIENCE = Resilience()


def fetch_market(client: httpx.Client, *, resilience: Resilience | None = None,
                 metrics: Sequence[str] = METRICS,
                 now: Callable[[], float] = time.time) -> MarketFetch:
    """Fetch every metric (concurrently, one thread each) through its fallback chain.

    Never raises for network trouble: a metric no source could deliver is simply
    absent from ``values`` and its reasons are in ``errors``.
    """
    unknown = [m for m in metrics if m not in CHAINS]
    if unknown:
        raise ValueError(f"unknown market metric(s): {', '.join(unknown)}; "
                         f"known: {', '.join(CHAINS)}")
    resilience = resilience or _DEFAULT_RESILIENCE
    started = now()
    with ThreadPoolExecutor(max_workers=max(len(metrics), 1),
                            thread_name_prefix="market-fetch") as pool:
        results = list(pool.map(
            lambda m: fetch_metric(client, m, resilience, now=now), metrics))
    values = {value.metric: value for value, _ in results if value is not None}
    errors = tuple(f for _, failures in results for f in failures)
    return MarketFetch(values, errors, started)
