"""Read a fleet for planning from CSV: ``id,ip,hashrate_ths,power_w[,site,group,client,pinned]``.

Optional columns: ``online`` and ``running`` (booleans, default true), and any
``group_<dimension>`` column for more group dimensions (``group_breaker``); the
plain ``group`` column is the dimension "group".  Every problem is reported with
its line number, the first few together, so a file can be fixed in one pass.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import math
import re
from collections.abc import Iterable
from pathlib import Path

from hashinsight_desktop.core.curtailment.fleet import Fleet

REQUIRED = ("id", "ip", "hashrate_ths", "power_w")
_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off", ""}
_MAX_REPORTED = 5
_OCTET = r"(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = re.compile(rf"{_OCTET}(\.{_OCTET}){{3}}\Z")


class FleetFileError(ValueError):
    """The fleet file is unusable; the message names the lines and fields at fault."""


def _number(text: str, field: str, line: int, errors: list[str]) -> float:
    try:
        value = float(text)
    except ValueError:
        errors.append(f"line {line}: {field} {text!r} is not a number")
        return 0.0
    if not math.isfinite(value) or value < 0:
        errors.append(f"line {line}: {field} {text!r} must be a finite number >= 0")
        return 0.0
    return value


def _flag(text: str, field: str, line: int, errors: list[str], default: bool) -> bool:
    if not text:
        return default
    word = text.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    errors.append(f"line {line}: {field} {text!r} must be true/false, yes/no or 1/0")
    return default


def _valid_ip(text: str) -> bool:
    if _IPV4.match(text):  # the common case, ~10x cheaper than ipaddress
        return True
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def parse_fleet_csv(lines: Iterable[str], source: str = "fleet file") -> Fleet:
    reader = csv.reader(lines)
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FleetFileError(f"{source}: header lacks column(s) {', '.join(missing)} "
                             f"(expected {','.join(REQUIRED)}[,site,group,client,pinned])")
    at = {name: k for k, name in enumerate(header)}
    dims = {"group": "group"} if "group" in at else {}
    dims.update({h: h.removeprefix("group_") for h in header if h.startswith("group_")})
    width = len(header)
    errors: list[str] = []
    first_line: dict[str, int] = {}
    cols: dict[str, list] = {k: [] for k in ("id", "ip", "hr", "pw", "site", "client",
                                              "pinned", "online", "running")}
    groups: dict[str, list[str]] = {dim: [] for dim in dims.values()}
    optional = {name: at.get(name) for name in ("site", "client", "pinned", "online",
                                                 "running")}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue  # blank line
        if len(row) > width:
            errors.append(f"line {line}: more fields than the header has")
        cells = [c.strip() for c in row] + [""] * (width - len(row))

        def cell(name: str, cells: list[str] = cells) -> str:
            k = optional[name]
            return cells[k] if k is not None else ""

        miner_id = cells[at["id"]]
        if not miner_id:
            errors.append(f"line {line}: id is empty")
        elif miner_id in first_line:
            errors.append(f"line {line}: id {miner_id!r} repeats line {first_line[miner_id]}")
        else:
            first_line[miner_id] = line
        ip = cells[at["ip"]]
        if ip and not _valid_ip(ip):
            errors.append(f"line {line}: ip {ip!r} is not an IP address")
        if len(errors) > _MAX_REPORTED * 20:
            break  # a wrong file: enough evidence
        cols["id"].append(miner_id or f"<line {line}>")
        cols["ip"].append(ip)
        cols["hr"].append(_number(cells[at["hashrate_ths"]], "hashrate_ths", line, errors))
        cols["pw"].append(_number(cells[at["power_w"]], "power_w", line, errors))
        cols["site"].append(cell("site"))
        cols["client"].append(cell("client"))
        cols["pinned"].append(_flag(cell("pinned"), "pinned", line, errors, False))
        cols["online"].append(_flag(cell("online"), "online", line, errors, True))
        cols["running"].append(_flag(cell("running"), "running", line, errors, True))
        for column, dim in dims.items():
            groups[dim].append(cells[at[column]])
    if errors:
        more = f" (and {len(errors) - _MAX_REPORTED} more)" if len(errors) > _MAX_REPORTED else ""
        raise FleetFileError(f"{source}: " + "; ".join(errors[:_MAX_REPORTED]) + more)
    if not cols["id"]:
        raise FleetFileError(f"{source}: no miners (only a header?)")
    return Fleet.build(cols["id"], cols["hr"], cols["pw"], ips=cols["ip"], site=cols["site"],
                       client=cols["client"], pinned=cols["pinned"], online=cols["online"],
                       running=cols["running"], groups=groups)


def read_fleet_csv(path: str | Path) -> Fleet:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise FleetFileError(f"cannot read fleet file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise FleetFileError(f"fleet file {path} is not UTF-8 text") from exc
    return parse_fleet_csv(io.StringIO(text, newline=""), source=str(path))
