"""Run every benchmark in benchmarks/bench_*.py and write RESULTS.md and results.json.

    python -m benchmarks.run [-k SUBSTRING] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import sys
import traceback
from pathlib import Path

from benchmarks.harness import REGISTRY, Result, run_case

HERE = Path(__file__).resolve().parent


def machine_description() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def load_all() -> None:
    for path in sorted(HERE.glob("bench_*.py")):
        importlib.import_module(f"benchmarks.{path.stem}")


def format_value(v: float | None) -> str:
    if v is None:
        return "—"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def write_markdown(results: list[Result], machine: str, when: str) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine}  ",
        f"Date: {when}  ",
        "Command: `.venv/bin/python -m benchmarks.run` (medians of the runs shown)",
        "",
        "| group | case | median | min | max | unit | target | met | runs | note |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        met = {True: "yes", False: "**no**", None: ""}[r.meets_target()]
        lines.append(
            f"| {r.group} | {r.name} | {format_value(r.median)} | {format_value(r.low)} | "
            f"{format_value(r.high)} | {r.unit} | {r.target} | {met} | {r.runs} | {r.note} |"
        )
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-k", default="", help="only cases whose group or name contains this")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    load_all()
    previous: dict[tuple[str, str], dict] = {}
    json_path = HERE / "results.json"
    if json_path.exists() and args.k:
        for row in json.loads(json_path.read_text())["results"]:
            previous[(row["group"], row["name"])] = row
    results: list[Result] = []
    for c in REGISTRY:
        if args.k and args.k not in c.name and args.k not in c.group:
            continue
        if c.needs == "pg" and not os.environ.get("HASHINSIGHT_TEST_PG_URL"):
            r = Result(c.group, c.name, c.unit, c.target, None, None, None, 0,
                       "skipped: set HASHINSIGHT_TEST_PG_URL")
        else:
            try:
                r = run_case(c)
            except Exception as exc:  # a failing case is reported, the others still run
                traceback.print_exc()
                r = Result(c.group, c.name, c.unit, c.target, None, None, None, 0,
                           f"error: {exc}")
        print(f"{r.group:14} {r.name:60} {format_value(r.median):>12} {r.unit}", flush=True)
        results.append(r)
        previous.pop((r.group, r.name), None)
    merged = [Result(**row) for row in previous.values()] + results
    merged.sort(key=lambda r: r.group)
    machine = machine_description()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    if not args.no_write:
        json_path.write_text(json.dumps(
            {"machine": machine, "date": when,
             "results": [r.__dict__ for r in merged]}, indent=2))
        write_markdown(merged, machine, when)
    return 0


if __name__ == "__main__":
    sys.exit(main())
