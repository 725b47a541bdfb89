"""One collection cycle: poll every miner with bounded concurrency, hand the rows to the writer.

The cycle's ``ts`` is its scheduled time aligned to the interval (so every sample of a
cycle shares one key and rollup buckets line up); ``lag_ms`` says how late it really
started.  Polling runs on an asyncio loop; conversion to rows happens as readings
arrive; the whole batch is then submitted to the single :class:`DbWriter` thread and
the loop is free for the next cycle.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import os
import random
import socket
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from hashinsight_desktop.collector.backoff import Backoff
from hashinsight_desktop.collector.convert import (
    ONLINE_STATUSES,
    FleetMiner,
    failure_reason,
    offline_row,
    raw_row,
    site_aggregates,
    snapshot_row,
)
from hashinsight_desktop.collector.cycle_store import (
    CycleBatch,
    Fence,
    failures_json,
    load_fleet,
    write_cycle,
)
from hashinsight_desktop.collector.writer import DbWriter
from hashinsight_desktop.core.miners.client import PollTimeouts, poll_miner
from hashinsight_desktop.core.miners.reading import STATUS_OFFLINE, MinerReading

BACKOFF_REASON = "backoff"
_GUARD_S = 1.0  # extra time before a poll is cut even if the client overran its deadline


@dataclasses.dataclass(frozen=True)
class CycleSettings:
    interval_s: int = 60
    concurrency: int = 1024
    deadline_s: float = 3.0
    connect_s: float = 1.0
    jitter_s: float = 0.1  # spread connection starts so 6,000 SYNs do not leave at once

    def __post_init__(self) -> None:
        if self.interval_s < 1 or self.concurrency < 1 or self.deadline_s <= 0:
            raise ValueError("interval_s and concurrency must be >= 1 and deadline_s > 0")

    @classmethod
    def from_settings(cls, settings: Any) -> CycleSettings:
        """From the settings registry (``collector.*`` keys)."""
        deadline = float(settings.get("collector.miner_deadline_s"))
        return cls(interval_s=int(settings.get("collector.telemetry_interval_s")),
                   concurrency=int(settings.get("collector.concurrency")),
                   deadline_s=deadline, connect_s=min(1.0, deadline))


@dataclasses.dataclass
class CycleResult:
    ts: int
    started_at_ms: int
    duration_ms: int
    lag_ms: int
    polled: int
    ok: int
    failed: int
    failures: dict[str, int]
    statuses: dict[str, int]
    learned_families: int
    written_rows: int | None = None  # set once the writer has committed

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def aligned_ts(now_s: float, interval_s: int) -> int:
    return int(now_s // interval_s * interval_s)


def collector_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


async def _poll_one(miner: FleetMiner, sem: asyncio.Semaphore, timeouts: PollTimeouts,
                    jitter_s: float) -> MinerReading:
    if jitter_s > 0:
        await asyncio.sleep(random.uniform(0.0, jitter_s))
    async with sem:
        try:
            async with asyncio.timeout(timeouts.deadline_s + _GUARD_S):
                reading = await poll_miner(miner.ip, miner.port, timeouts=timeouts,
                                           family_hint=miner.family)
            # The parsed replies are only for one-off probes; a fleet cycle keeps the
            # normalized reading, not 6,000 reply trees (about half the collector's memory).
            reading.raw = {}
            return reading
        except TimeoutError:
            return MinerReading(ip=miner.ip, port=miner.port, status=STATUS_OFFLINE,
                                error=f"timeout: no answer within {timeouts.deadline_s:g} s")


async def poll_fleet(fleet: list[FleetMiner], settings: CycleSettings,
                     skip: set[int]) -> dict[int, MinerReading]:
    """Poll every miner not in ``skip``; returns miner id -> reading."""
    sem = asyncio.Semaphore(settings.concurrency)
    timeouts = PollTimeouts(connect_s=min(settings.connect_s, settings.deadline_s),
                            deadline_s=settings.deadline_s)
    todo = [m for m in fleet if m.miner_id not in skip]
    readings = await asyncio.gather(*(_poll_one(m, sem, timeouts, settings.jitter_s)
                                      for m in todo))
    return {m.miner_id: r for m, r in zip(todo, readings, strict=True)}


async def collect_cycle(
    engine: Engine,
    writer: DbWriter,
    *,
    settings: CycleSettings,
    backoff: Backoff | None = None,
    cycle_no: int = 0,
    ts: int | None = None,
    fence: Fence | None = None,
    name: str | None = None,
    after_poll: Callable[[list[FleetMiner], dict[int, MinerReading], int], None] | None = None,
) -> tuple[CycleResult, concurrent.futures.Future[int]]:
    """Poll the fleet once and submit the write; returns the statistics and the write's
    future (its result is the number of raw rows written)."""
    started = time.time()
    ts = aligned_ts(started, settings.interval_s) if ts is None else ts
    t0 = time.perf_counter()
    fleet = load_fleet(engine)
    skip = {m.miner_id for m in fleet if backoff and backoff.should_skip(m.miner_id, cycle_no)}
    readings = await poll_fleet(fleet, settings, skip)

    raw_rows, snapshots, joined = [], [], []
    failures: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    families: dict[int, str] = {}
    for miner in fleet:
        reading = readings.get(miner.miner_id)
        if reading is None:  # skipped by backoff: offline, not polled
            row = offline_row(ts, miner.miner_id)
            failures[BACKOFF_REASON] += 1
            statuses[STATUS_OFFLINE] += 1
            nominal = miner.nominal_ghs
        else:
            row = raw_row(ts, miner.miner_id, reading)
            snapshots.append(snapshot_row(ts, miner.miner_id, reading))
            statuses[reading.status] += 1
            online = reading.status in ONLINE_STATUSES
            if not online:
                failures[failure_reason(reading)] += 1
            elif reading.family and reading.family != miner.family:
                families[miner.miner_id] = reading.family
            if backoff is not None:
                backoff.record(miner.miner_id, cycle_no, offline=not online)
            nominal = (round(reading.nominal_ths * 1000) if reading.nominal_ths
                       else miner.nominal_ghs)
        raw_rows.append(row)
        joined.append((row, miner, nominal))
    duration_ms = int((time.perf_counter() - t0) * 1000)
    failed = sum(failures.values())
    result = CycleResult(
        ts=ts, started_at_ms=int(started * 1000), duration_ms=duration_ms,
        lag_ms=max(0, int((started - ts) * 1000)), polled=len(fleet),
        ok=len(fleet) - failed, failed=failed, failures=dict(sorted(failures.items())),
        statuses=dict(sorted(statuses.items())), learned_families=len(families))
    term = f"#{fence.term}" if fence else ""
    batch = CycleBatch(
        ts=ts, raw_rows=raw_rows, aggregates=site_aggregates(ts, joined), snapshots=snapshots,
        families=families, fence=fence,
        cycle={"ts": ts, "started_at_ms": result.started_at_ms,
               "finished_at_ms": result.started_at_ms + duration_ms,
               "duration_ms": duration_ms, "lag_ms": result.lag_ms, "polled": result.polled,
               "ok": result.ok, "failed": failed, "failures_json": failures_json(failures),
               "collector": f"{name or collector_name()}{term}"[:120]})
    written = writer.submit(lambda: write_cycle(engine, batch))
    if after_poll is not None:  # e.g. alert evaluation; its writes queue after the cycle's
        after_poll(fleet, readings, ts)
    return result, written


def run_cycle_once(engine: Engine, settings: CycleSettings, *, ts: int | None = None,
                   fence: Fence | None = None) -> CycleResult:
    """One cycle on a fresh loop, waiting for the write (``collect --once``, tests)."""
    with DbWriter() as writer:
        result, written = asyncio.run(collect_cycle(engine, writer, settings=settings, ts=ts,
                                                    fence=fence))
        result.written_rows = written.result()
    return result
