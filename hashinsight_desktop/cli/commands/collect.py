"""``hashinsight collect --once``: one telemetry cycle now; ``hashinsight collector run``:
the headless collector until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import dataclasses
import signal
import threading
from typing import Any

from hashinsight_desktop.cli.context import database_target, open_engine, settings_or_fail
from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.cli.output import emit


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("collect", parents=[common],
                       help="poll every miner in the database once and store the telemetry")
    p.add_argument("--once", action="store_true", required=True,
                   help="run exactly one cycle (the long-running form is 'collector run')")
    p.add_argument("--concurrency", type=int, metavar="N",
                   help="miners polled at the same time (default: collector.concurrency)")
    p.add_argument("--deadline", type=float, metavar="S",
                   help="seconds allowed per miner (default: collector.miner_deadline_s)")
    p.set_defaults(handler=_run_once)

    c = sub.add_parser("collector", parents=[common], help="the long-running collector")
    c.add_argument("action", choices=("run",), help="run: collect until SIGINT/SIGTERM")
    c.add_argument("--interval", type=int, metavar="S",
                   help="seconds between cycles (default: collector.telemetry_interval_s)")
    c.add_argument("--no-market", action="store_true",
                   help="do not fetch market data (offline sites; HASHINSIGHT_OFFLINE=1 too)")
    c.set_defaults(handler=_run_collector)


def _cycle_settings(args: argparse.Namespace) -> Any:
    from hashinsight_desktop.collector.cycle import CycleSettings

    base = CycleSettings.from_settings(settings_or_fail())
    concurrency = getattr(args, "concurrency", None)
    deadline = getattr(args, "deadline", None)
    if concurrency is not None and not 1 <= concurrency <= 8192:
        raise CliError(f"--concurrency {concurrency} must be between 1 and 8192")
    if deadline is not None and not 0.2 <= deadline <= 60:
        raise CliError(f"--deadline {deadline} must be between 0.2 and 60 seconds")
    return CycleSettings(interval_s=base.interval_s,
                         concurrency=concurrency or base.concurrency,
                         deadline_s=deadline or base.deadline_s,
                         connect_s=min(1.0, deadline or base.deadline_s))


def _human(stats: dict[str, Any]) -> str:
    reasons = ", ".join(f"{k} {v}" for k, v in stats["failures"].items()) or "none"
    return (f"polled {stats['polled']}: ok {stats['ok']}, failed {stats['failed']} "
            f"({reasons}); {stats['duration_ms']} ms, lag {stats['lag_ms']} ms, "
            f"{stats['written_rows']} rows written")


def _run_once(args: argparse.Namespace) -> int:
    from hashinsight_desktop.collector.cycle import run_cycle_once
    from hashinsight_desktop.collector.leadership import CollectorBusy, exclusive_collector

    settings = _cycle_settings(args)
    target = database_target(args)
    engine = open_engine(args)
    try:
        with exclusive_collector(engine, target) as fence:
            result = run_cycle_once(engine, settings, fence=fence)
    except CollectorBusy as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()
    stats = result.as_dict()
    emit(args, stats, lambda: _human(stats))
    return 0


def _run_collector(args: argparse.Namespace) -> int:
    from hashinsight_desktop.collector.leadership import CollectorBusy
    from hashinsight_desktop.collector.runner import CollectorRunner, RunnerOptions

    settings = settings_or_fail()
    target = database_target(args)
    engine = open_engine(args)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set())
                for sig in (signal.SIGINT, signal.SIGTERM)}
    options = RunnerOptions.from_settings(settings)
    if getattr(args, "no_market", False):
        options = dataclasses.replace(options, market_interval_s=None)
    interval = getattr(args, "interval", None)
    if interval is not None:
        if not 5 <= interval <= 3600:
            raise CliError(f"--interval {interval} must be between 5 and 3600 seconds")
        options = dataclasses.replace(
            options, cycle=dataclasses.replace(options.cycle, interval_s=interval))
    try:
        runner = CollectorRunner(engine, target, options)
        runner.start()
        while not stop.wait(0.5) and runner.is_alive():
            pass
        runner.stop()
        if runner.error is not None:
            raise CliError(f"collector stopped: {runner.error}")
    except CollectorBusy as exc:
        raise CliError(str(exc)) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        engine.dispose()
    emit(args, {"cycles": runner.cycles_done}, f"collector stopped after {runner.cycles_done} cycles")
    return 0
