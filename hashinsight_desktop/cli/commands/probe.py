"""``hashinsight probe HOST[:PORT]``: poll one miner once and show what it reports."""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import sys

from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.cli.output import emit
from hashinsight_desktop.core.miners.client import PollTimeouts, poll_miner
from hashinsight_desktop.core.miners.reading import STATUS_ERROR, STATUS_OFFLINE, MinerReading

DEFAULT_PORT = 4028

_EPILOG = """\
exit status: 0 when the miner answered (status ok, degraded or curtailed);
1 when it is offline/unreachable or its reply was unusable (status offline or error):
a one-line error on stderr, and with --json the reading is still printed on stdout.
"""


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "probe",
        parents=[common],
        help="poll one miner over its API and print the normalized reading",
        description="Poll one miner (CGMiner-family RPC on TCP 4028, Whatsminer API v3 "
        "on 4433) and print hash rate, temperatures, fans, boards, pool and status.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("target", metavar="HOST[:PORT]", help="miner address, e.g. 10.0.1.5 or "
                   "10.0.1.5:4028 ([v6addr]:port for IPv6)")
    p.add_argument("--timeout", metavar="S", type=float, default=3.0,
                   help="overall deadline in seconds (default 3)")
    p.set_defaults(handler=_run)


def parse_target(target: str) -> tuple[str, int]:
    """``"10.0.1.5:4029"`` -> ("10.0.1.5", 4029); a bare host gets port 4028."""
    text = target.strip()
    host, port_text = text, ""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":")
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    if not host:
        raise CliError(f"HOST[:PORT] {target!r} has no host")
    if port_text:
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise CliError(f"port {port_text!r} in {target!r} must be a number 1-65535")
        return host, int(port_text)
    return host, DEFAULT_PORT


def _run(args: argparse.Namespace) -> int:
    if not 0.1 <= args.timeout <= 120:
        raise CliError(f"--timeout {args.timeout:g} must be between 0.1 and 120 seconds")
    host, port = parse_target(args.target)
    if not _looks_like_host(host):
        raise CliError(f"HOST {host!r} is not an IP address or host name")
    timeouts = PollTimeouts(connect_s=min(1.0, args.timeout), deadline_s=args.timeout)
    reading = asyncio.run(poll_miner(host, port, timeouts=timeouts))
    failed = reading.status in (STATUS_OFFLINE, STATUS_ERROR)
    if failed and not args.json:
        raise CliError(f"{host}:{port} {reading.status}: {reading.error}")
    emit(args, reading.as_probe_dict(), lambda: format_reading(reading))
    if failed:
        print(f"hashinsight: error: {host}:{port} {reading.status}: {reading.error}",
              file=sys.stderr)
        return 1
    return 0


def _looks_like_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return all(part and part.replace("-", "").isalnum() for part in host.split("."))


def _fmt(value: float | None, unit: str, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f} {unit}"


def format_reading(r: MinerReading) -> str:
    """One screen of text for a person."""
    power = _fmt(r.power_w, "W", 0) + (" (estimated)" if r.power_estimated else "")
    lines = [
        f"{r.ip}:{r.port}  {r.make or '?'} {r.model or '?'}  firmware {r.firmware or '?'}"
        f"  [{r.family or '?'}]",
        f"status     {r.status}" + (f"  ({r.error})" if r.error else ""),
        f"hash rate  {_fmt(r.hashrate_ths, 'TH/s', 2)} now, {_fmt(r.hashrate_avg_ths, 'TH/s', 2)}"
        f" avg, nominal {_fmt(r.nominal_ths, 'TH/s', 2)}",
        f"power      {power}",
        f"temps      max {_fmt(r.temp_max_c, 'C')}, avg {_fmt(r.temp_avg_c, 'C')}",
        "fans       " + (", ".join(str(f) for f in r.fans_rpm) + " rpm" if r.fans_rpm else "-"),
        f"pool       {r.pool_url or '-'}  user {r.pool_user or '-'}",
        f"shares     accepted {r.accepted if r.accepted is not None else '-'}, rejected "
        f"{r.rejected if r.rejected is not None else '-'}",
        f"uptime     {r.uptime_s if r.uptime_s is not None else '-'} s"
        f"   (answered in {_fmt(r.elapsed_ms, 'ms', 0)})",
    ]
    if r.hashboards:
        lines.append("boards     slot  TH/s     temp C  chips")
        for b in r.hashboards:
            chips = "-" if b.chips is None else str(b.chips)
            if b.expected_chips:
                chips += f"/{b.expected_chips}"
            rate = "-" if b.hashrate_ths is None else f"{b.hashrate_ths:.2f}"
            temp = "-" if b.temp_c is None else f"{b.temp_c:.0f}"
            lines.append(f"           {b.slot:<5} {rate:<8} {temp:<7} {chips}")
    return "\n".join(lines)
