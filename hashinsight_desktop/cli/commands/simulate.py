"""``hashinsight simulate``: serve a simulated fleet on loopback until interrupted.

Prints ``ready N`` (or, with ``--json``, one object with ``ready`` and ``addresses``)
once every listener is open, then serves until SIGINT/SIGTERM and exits 0.
"""

from __future__ import annotations

import argparse
import math
import signal
import sys
import threading
from typing import Any

from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.cli.output import emit

MINERS_PER_WORKER = 15_000  # stays well inside a 20,000 open-files limit per process
_FAULT_FLAGS = ("offline", "refusing", "hanging", "slow", "garbage", "dead_board",
                "overheating", "fan_failure", "flapping")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("simulate", parents=[common],
                       help="serve N simulated miners on loopback (demo farm, tests)")
    p.add_argument("--miners", type=int, required=True, metavar="N", help="fleet size")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--bind", default=None, metavar="NET",
                       help="one 127.x address per miner on port 4028 (default 127.1.0.0/16)")
    where.add_argument("--base-port", type=int, default=None, metavar="P",
                       help="all miners on 127.0.0.1, ports P, P+1, ...")
    p.add_argument("--seed", type=int, default=1, help="layout, faults and noise seed")
    p.add_argument("--profile", default="mixed",
                   help="mixed, antminer_stock, whatsminer_v2, avalon or luxos")
    p.add_argument("--workers", type=int, default=None, metavar="K",
                   help=f"server processes (default: 0 up to {MINERS_PER_WORKER:,} miners, "
                        "then one per 15,000)")
    for name in _FAULT_FLAGS:
        p.add_argument(f"--{name.replace('_', '-')}", type=float, default=0.0, metavar="PCT",
                       dest=name, help=f"percent of miners with fault '{name}'")
    p.add_argument("--slow-delay", type=float, default=3.0, metavar="S",
                   help="reply delay of slow miners, seconds")
    p.add_argument("--populate", action="store_true",
                   help="also register the simulated miners in the database (--db)")
    p.set_defaults(handler=_run)


def _fault_profile(args: argparse.Namespace) -> Any:
    from hashinsight_desktop.simulator import FaultProfile

    rates = {}
    for name in _FAULT_FLAGS:
        pct = getattr(args, name)
        if not 0.0 <= pct <= 100.0:
            raise CliError(f"--{name.replace('_', '-')} {pct} must be a percent from 0 to 100")
        rates[name] = pct / 100.0
    try:
        return FaultProfile(**rates, slow_delay_s=args.slow_delay)
    except ValueError as exc:
        raise CliError(str(exc)) from exc


def _populate(db_url: str | None, specs: list[Any]) -> None:
    try:
        from hashinsight_desktop.services.fleet_populate import populate_from_specs
    except ImportError as exc:
        raise CliError("--populate needs the database layer "
                       "(hashinsight_desktop.services.fleet_populate), which is not "
                       "available in this build") from exc
    populate_from_specs(db_url, specs)


def _catch_stop_signals() -> tuple[threading.Event, dict]:
    """Install the handlers BEFORE announcing ready: a supervisor may signal at once."""
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    return stop, previous


def _run(args: argparse.Namespace) -> int:
    from hashinsight_desktop.simulator import SimulatedFleet, build_fleet

    if args.miners < 1:
        raise CliError(f"--miners {args.miners}: give at least 1 miner")
    workers = args.workers
    if workers is None:
        workers = 0 if args.miners <= MINERS_PER_WORKER else math.ceil(
            args.miners / MINERS_PER_WORKER)
    if workers < 0:
        raise CliError(f"--workers {workers} must be 0 (in-process) or more")
    faults = _fault_profile(args)
    try:
        specs = build_fleet(args.miners, seed=args.seed, profile=args.profile,
                            bind=args.bind or "127.1.0.0/16", base_port=args.base_port)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    if args.populate:
        _populate(args.db, specs)
    fleet = SimulatedFleet(specs, faults, seed=args.seed, workers=workers)
    try:
        fleet.start()
    except OSError as exc:
        raise CliError(f"cannot open the miners' listeners ({exc}); is another simulator "
                       "using these addresses? try another --bind network or --base-port"
                       ) from exc
    stop, previous = _catch_stop_signals()
    try:
        emit(args, {"ready": len(specs), "addresses": fleet.addresses()},
             f"ready {len(specs)}")
        sys.stdout.flush()
        while not stop.wait(1.0):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        fleet.stop()
    return 0
