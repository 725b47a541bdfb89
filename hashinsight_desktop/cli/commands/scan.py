"""``hashinsight scan CIDR [--add]``: find the miners on a network range."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import time

from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.cli.output import emit
from hashinsight_desktop.core.miners.scanner import scan_network


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("scan", parents=[common], help="discover miners on an IP range",
                       description="Staged scan: a fast TCP probe of every address with "
                       "bounded concurrency, then identification of the hosts that answered.")
    p.add_argument("cidr", help="network to scan, e.g. 10.20.0.0/22 (at most a /16)")
    p.add_argument("--port", type=int, default=4028, help="miner API port (default 4028)")
    p.add_argument("--add", action="store_true", help="add the miners found to the fleet")
    p.add_argument("--concurrency", type=int, default=1024,
                   help="sockets open at once during the probe (default 1024)")
    p.add_argument("--probe-timeout", type=float, default=0.5, metavar="S",
                   help="TCP connect timeout per address (default 0.5 s)")
    p.add_argument("--identify-deadline", type=float, default=3.0, metavar="S",
                   help="deadline to identify one miner (default 3 s)")
    p.set_defaults(handler=_run)


def _progress(stage: str, done: int, total: int) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r{stage}: {done}/{total}   ")
        sys.stderr.flush()


def _run(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    try:
        hits = asyncio.run(scan_network(
            args.cidr, port=args.port, probe_timeout_s=args.probe_timeout,
            concurrency=args.concurrency, identify_deadline_s=args.identify_deadline,
            progress=_progress))
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if sys.stderr.isatty():
        sys.stderr.write("\r" + " " * 40 + "\r")
    elapsed = time.perf_counter() - t0
    added = None
    if args.add:
        from hashinsight_desktop.cli.context import open_engine
        from hashinsight_desktop.services.fleet_registry import add_scanned_miners

        engine = open_engine(args)
        try:
            added = add_scanned_miners(engine, hits)
        finally:
            engine.dispose()
    payload = {"network": args.cidr, "found": len(hits), "elapsed_s": round(elapsed, 2),
               "miners": [dataclasses.asdict(h) for h in hits], "added": added}

    def text() -> str:
        lines = [f"{len(hits)} miners found in {args.cidr} ({elapsed:.1f} s)"]
        for h in hits[:200]:
            rate = f"{h.hashrate_ths:.1f} TH/s" if h.hashrate_ths is not None else "?"
            lines.append(f"  {h.ip}:{h.port:<5} {h.make or '?':<10} {h.model or '?':<22} "
                         f"{h.firmware or '':<24} {rate}")
        if len(hits) > 200:
            lines.append(f"  ... and {len(hits) - 200} more (use --json for all)")
        if added is not None:
            lines.append(f"added {added['added']} to the fleet "
                         f"({added['already_known']} were already known)")
        return "\n".join(lines)

    emit(args, payload, text)
    return 0
