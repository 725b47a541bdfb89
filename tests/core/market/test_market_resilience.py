"""Fallback chains, circuit breakers, coalescing, retries: against fake APIs, no network."""

from __future__ import annotations

import random
import threading

import httpx
import market_fakes as fakes
import pytest

from hashinsight_desktop.core.market import Resilience, fetch_market, make_client
from hashinsight_desktop.core.market.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker
from hashinsight_desktop.core.market.coalesce import Coalescer
from hashinsight_desktop.core.market.resilience import fetch_metric
from hashinsight_desktop.core.market.retry import RetryPolicy, call_with_retries

COINGECKO = "api.coingecko.com/api/v3/simple/price"
MEMPOOL_PRICES = "mempool.space/api/v1/prices"
MEMPOOL_HASHRATE = "mempool.space/api/v1/mining/hashrate/3d"


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class RecordingSleep:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def quick(**kwargs: object) -> Resilience:
    """A Resilience that never really sleeps and has its own breakers."""
    kwargs.setdefault("sleep", RecordingSleep())
    kwargs.setdefault("rng", random.Random(7))
    return Resilience(**kwargs)  # type: ignore[arg-type]


def test_all_primaries_healthy() -> None:
    apis = fakes.FakeApis()
    with apis.client() as client:
        fetch = fetch_market(client, resilience=quick(), now=lambda: 1_733_900_000.0)
    assert fetch.errors == ()
    assert fetch.missing == ()
    assert fetch.value("btc_price_usd") == 97123.0
    assert fetch.values["btc_price_usd"].source == "coingecko"
    assert fetch.value("difficulty") == pytest.approx(103919634711492.2)
    assert fetch.value("network_hashrate_ths") == pytest.approx(7.82e8)
    assert fetch.value("block_height") == 874321
    assert fetch.value("fees_btc_per_block") == pytest.approx(0.15)
    assert {v.fetched_at for v in fetch.values.values()} == {1_733_900_000.0}
    assert fetch.as_dict()["missing"] == []


def test_primary_down_uses_fallback_and_records_why() -> None:
    apis = fakes.FakeApis()
    apis.set(COINGECKO, fakes.status(503))
    sleep = RecordingSleep()
    with apis.client() as client:
        fetch = fetch_market(client, resilience=quick(sleep=sleep), metrics=["btc_price_usd"])
    assert fetch.values["btc_price_usd"].source == "mempool.space"
    assert fetch.value("btc_price_usd") == 97050.0
    [error] = fetch.errors
    assert (error.provider, error.metric, error.reason) == ("coingecko", "btc_price_usd",
                                                            "HTTP 503")
    assert apis.calls[COINGECKO] == 3  # 503 is transient: retried up to the policy
    assert len(sleep.delays) == 2


def test_nonsense_value_from_primary_falls_through() -> None:
    apis = fakes.FakeApis()
    # A buggy server may write NaN into JSON; Python's parser accepts it, we must not.
    apis.set(COINGECKO, lambda request: httpx.Response(
        200, text='{"bitcoin": {"usd": NaN}}', headers={"content-type": "application/json"}))
    apis.set(MEMPOOL_PRICES, {"time": 1, "USD": -3})
    with apis.client() as client:
        fetch = fetch_market(client, resilience=quick(), metrics=["btc_price_usd"])
    assert fetch.values["btc_price_usd"].source == "blockchain.info"
    reasons = [e.reason for e in fetch.errors]
    assert reasons == ["btc_price_usd: not a finite number: nan",
                       "btc_price_usd: must be > 0, got -3"]
    assert apis.calls[COINGECKO] == 1  # a bad value is not retried


def test_every_source_dead_leaves_the_metric_missing_without_raising() -> None:
    apis = fakes.FakeApis()
    for key in list(apis.routes):
        apis.set(key, fakes.status(502))
    with apis.client() as client:
        fetch = fetch_market(client, resilience=quick(retry=RetryPolicy(attempts=1)))
    assert fetch.values == {}
    assert set(fetch.missing) == {"btc_price_usd", "difficulty", "network_hashrate_ths",
                                  "fees_btc_per_block", "block_height"}
    assert all(e.reason in ("HTTP 502",) or "circuit open" in e.reason for e in fetch.errors)


def test_breaker_opens_skips_dead_source_then_half_opens_after_cooldown() -> None:
    apis = fakes.FakeApis()
    apis.set(COINGECKO, fakes.status(500))
    clock = FakeClock()
    res = quick(retry=RetryPolicy(attempts=1), failure_threshold=2, cooldown_s=60, clock=clock)
    with apis.client() as client:
        for _ in range(2):
            fetch_market(client, resilience=res, metrics=["btc_price_usd"])
        assert res.breaker("coingecko").state == OPEN
        skipped = fetch_market(client, resilience=res, metrics=["btc_price_usd"])
        assert apis.calls[COINGECKO] == 2  # the third round never touched the dead API
        assert "circuit open for coingecko" in skipped.errors[0].reason
        assert skipped.values["btc_price_usd"].source == "mempool.space"

        clock.t += 61  # cool-down over: one trial call, which succeeds
        assert res.breaker("coingecko").state == HALF_OPEN
        apis.set(COINGECKO, fakes.COINGECKO_PRICE)
        healed = fetch_market(client, resilience=res, metrics=["btc_price_usd"])
    assert healed.values["btc_price_usd"].source == "coingecko"
    assert res.breaker("coingecko").state == CLOSED
    assert apis.calls[COINGECKO] == 3


def test_failed_half_open_trial_reopens_the_breaker() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker("x", failure_threshold=3, cooldown_s=10, clock=clock)
    for _ in range(3):
        breaker.before_call()
        breaker.record_failure()
    assert breaker.state == OPEN
    clock.t += 10
    breaker.before_call()  # the one trial
    with pytest.raises(Exception, match="circuit open for x"):
        breaker.before_call()  # a second caller while the trial runs
    breaker.record_failure()
    assert breaker.state == OPEN  # one failure is enough when half-open
    clock.t += 9
    assert breaker.state == OPEN


def test_breaker_counts_consecutive_failures_only() -> None:
    breaker = CircuitBreaker("x", failure_threshold=2, clock=FakeClock())
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state == CLOSED


def test_concurrent_callers_share_one_request() -> None:
    entered, release = threading.Event(), threading.Event()

    def slow_hashrate(request: httpx.Request) -> httpx.Response:
        entered.set()
        assert release.wait(10), "test never released the request"
        return httpx.Response(200, json=fakes.MEMPOOL_HASHRATE_3D)

    apis = fakes.FakeApis()
    apis.set(MEMPOOL_HASHRATE, slow_hashrate)
    res = quick()
    source_key = ("https://mempool.space/api/v1/mining/hashrate/3d", "json")
    results: dict[str, object] = {}
    with apis.client() as client:
        def run(metric: str) -> None:
            results[metric] = fetch_metric(client, metric, res)[0]

        first = threading.Thread(target=run, args=("difficulty",))
        second = threading.Thread(target=run, args=("network_hashrate_ths",))
        first.start()
        assert entered.wait(10)
        second.start()
        assert res.coalescer.wait_for_followers(source_key, 1, timeout_s=10)
        release.set()
        first.join(10)
        second.join(10)
    assert apis.calls[MEMPOOL_HASHRATE] == 1
    assert results["difficulty"].value == pytest.approx(103919634711492.2)  # type: ignore[attr-defined]
    assert results["network_hashrate_ths"].value == pytest.approx(7.82e8)  # type: ignore[attr-defined]


def test_coalesced_followers_get_the_leaders_exception() -> None:
    coalescer = Coalescer()
    entered, release = threading.Event(), threading.Event()
    outcomes: list[str] = []

    def failing() -> None:
        entered.set()
        release.wait(10)
        raise RuntimeError("boom")

    def call(fn: object) -> None:
        try:
            coalescer.run("k", fn)  # type: ignore[arg-type]
        except RuntimeError as exc:
            outcomes.append(str(exc))

    leader = threading.Thread(target=call, args=(failing,))
    leader.start()
    assert entered.wait(10)
    follower = threading.Thread(target=call, args=(lambda: pytest.fail("must not run"),))
    follower.start()
    assert coalescer.wait_for_followers("k", 1, timeout_s=10)
    release.set()
    leader.join(10)
    follower.join(10)
    assert outcomes == ["boom", "boom"]
    assert coalescer.run("k", lambda: 5) == 5  # forgotten after completion: not a cache


def test_retries_back_off_exponentially_with_jitter() -> None:
    answers = iter([httpx.Response(503), httpx.Response(429),
                    httpx.Response(200, json=fakes.COINGECKO_PRICE)])
    apis = fakes.FakeApis()
    apis.set(COINGECKO, lambda request: next(answers))
    sleep = RecordingSleep()
    policy = RetryPolicy(attempts=3, base_delay_s=1.0, max_delay_s=30.0, jitter=0.5)
    with apis.client() as client:
        fetch = fetch_market(client, resilience=quick(retry=policy, sleep=sleep),
                             metrics=["btc_price_usd"])
    assert fetch.values["btc_price_usd"].source == "coingecko"
    assert fetch.errors == ()
    first, second = sleep.delays
    assert 0.5 <= first <= 1.0
    assert 1.0 <= second <= 2.0


def test_retry_delays_are_capped_and_jitter_varies_them() -> None:
    policy = RetryPolicy(base_delay_s=1.0, max_delay_s=4.0, jitter=0.5)
    rng = random.Random(1)
    delays = [policy.delay(i, rng) for i in range(8)]
    assert all(d <= 4.0 for d in delays)
    assert all(d >= 2.0 for d in delays[3:])
    assert len({round(d, 6) for d in delays[3:]}) > 1


def test_timeouts_are_retried_and_reported() -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    apis = fakes.FakeApis()
    apis.set(COINGECKO, timeout)
    with apis.client() as client:
        fetch = fetch_market(client, resilience=quick(), metrics=["btc_price_usd"])
    assert apis.calls[COINGECKO] == 3
    assert fetch.errors[0].reason == "timed out (ReadTimeout)"
    assert fetch.values["btc_price_usd"].source == "mempool.space"


def test_client_errors_are_not_retried() -> None:
    apis = fakes.FakeApis()
    apis.set(COINGECKO, fakes.status(404))
    sleep = RecordingSleep()
    with apis.client() as client:
        fetch_market(client, resilience=quick(sleep=sleep), metrics=["btc_price_usd"])
    assert apis.calls[COINGECKO] == 1
    assert sleep.delays == []


def test_non_json_body_is_reported() -> None:
    apis = fakes.FakeApis()
    apis.set(COINGECKO, lambda request: httpx.Response(200, text="<html>rate limited</html>"))
    with apis.client() as client:
        fetch = fetch_market(client, resilience=quick(), metrics=["btc_price_usd"])
    assert fetch.errors[0].reason == "response is not valid JSON"


def test_call_with_retries_gives_up_after_the_last_attempt() -> None:
    calls: list[int] = []

    def always() -> None:
        calls.append(1)
        raise ConnectionError("down")

    with pytest.raises(ConnectionError):
        call_with_retries(always, policy=RetryPolicy(attempts=4), is_transient=lambda e: True,
                          sleep=lambda s: None)
    assert len(calls) == 4


@pytest.mark.parametrize("kwargs", [{"attempts": 0}, {"jitter": 1.5}, {"base_delay_s": -1}])
def test_bad_retry_policy_is_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_unknown_metric_is_refused() -> None:
    with make_client() as client, pytest.raises(ValueError, match="unknown market metric"):
        fetch_market(client, metrics=["gold"])


def test_client_has_bounded_timeouts() -> None:
    with make_client() as client:
        assert client.timeout.connect == 5.0
        assert client.timeout.read == 10.0
        assert client.headers["User-Agent"].startswith("HashInsight-Desktop/")
