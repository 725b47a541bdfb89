"""``hashinsight curtail plan``: the least-loss way to shed power (or cap the load).

    hashinsight curtail plan --target-kw 5000 --site site5 --fleet-file fleet.csv --json
    hashinsight curtail plan --cap-kw 18000 --modes --fleet-file fleet.csv

``--modes`` lets every miner run at 85 % or 70 % power, keeping 88 % or 75 % of its
hashrate (typical underclocking profiles), besides switching off.  Without
``--fleet-file`` the fleet comes from the database.  Exit status 0 with a plan
(including a greedy fallback, flagged in ``status``), 3 when the goal is infeasible.
``register`` creates the ``curtail`` sub-parsers and adds ``plan``; execution actions
(``run``, ``recover``) can be added to the same ``curtail`` sub-parsers.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.cli.output import emit
from hashinsight_desktop.core.curtailment.economic import (
    DEFAULT_CLASS_EDGES,
    EconomicPlan,
    PriceFileError,
    efficiency_classes,
    plan_economic,
    read_price_csv,
)
from hashinsight_desktop.core.curtailment.fleet import DEFAULT_MODES, Fleet
from hashinsight_desktop.core.curtailment.fleet_csv import FleetFileError, read_fleet_csv
from hashinsight_desktop.core.curtailment.planner import plan_curtailment
from hashinsight_desktop.core.curtailment.request import (
    CurtailmentRequest,
    Economics,
    GroupLimit,
)
from hashinsight_desktop.core.curtailment.result import PlanResult

_SHOWN_ACTIONS = 20


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("curtail", parents=[common], help="plan power curtailment")
    actions = p.add_subparsers(dest="curtail_command", metavar="ACTION")
    add_plan_parser(actions, common)
    add_economic_parser(actions, common)
    from hashinsight_desktop.cli.commands.curtail_plans import add_plan_lifecycle_parsers

    add_plan_lifecycle_parsers(actions, common)
    p.set_defaults(handler=lambda args: _missing_action(p))


def _missing_action(parser: argparse.ArgumentParser) -> int:
    raise CliError(f"choose an action: {parser.prog} plan --target-kw N --fleet-file FILE")


def _assignment(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"{text!r} must look like NAME=NUMBER")
    try:
        return name, float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: {value!r} is not a number") from None


def add_plan_parser(actions: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = actions.add_parser("plan", parents=[common],
                           help="which miners to switch off or slow down to shed N kW")
    goal = p.add_mutually_exclusive_group(required=True)
    goal.add_argument("--target-kw", type=float, metavar="N", help="shed at least N kW")
    goal.add_argument("--cap-kw", type=float, metavar="N", help="keep the load at or under N kW")
    p.add_argument("--site", help="only this site (default: the whole farm)")
    p.add_argument("--strategy", choices=("optimal", "greedy"), default="optimal",
                   help="optimal: MILP with proven gap (default); greedy: worst J/TH first")
    p.add_argument("--solver", choices=("highs", "cbc"), default="highs",
                   help="MILP solver (default highs; cbc through PuLP)")
    p.add_argument("--modes", action="store_true",
                   help="allow reduced power modes: 85%% and 70%% power keeping 88%% and "
                        "75%% of the hashrate")
    p.add_argument("--objective", choices=("hashrate", "revenue"), default="hashrate",
                   help="minimise TH/s lost (default) or revenue lost net of power saved")
    p.add_argument("--time-limit", type=float, default=10.0, metavar="S",
                   help="solver time limit in seconds (default 10); greedy is used after it")
    p.add_argument("--gap", type=float, default=0.01, metavar="PCT",
                   help="stop when within PCT %% of the proven bound (default 0.01)")
    p.add_argument("--fleet-file", metavar="FILE",
                   help="CSV id,ip,hashrate_ths,power_w[,site,group,client,pinned] "
                        "(default: the database fleet)")
    p.add_argument("--group-max-kw", type=float, metavar="N",
                   help="shed at most N kW in any one group (the CSV 'group' column)")
    p.add_argument("--group-max-off", type=int, metavar="N",
                   help="switch off at most N miners in any one group")
    p.add_argument("--client-share", type=_assignment, action="append", default=[],
                   metavar="CLIENT=SHARE",
                   help="keep at least SHARE (0-1) of CLIENT's hashrate running; repeatable")
    p.add_argument("--hashprice", type=float, metavar="USD",
                   help="revenue objective: hashprice in USD per TH/s per day")
    p.add_argument("--power-price", type=float, default=0.0, metavar="USD_KWH",
                   help="revenue objective: value of a kWh saved (default 0)")
    p.add_argument("--client-rate", type=_assignment, action="append", default=[],
                   metavar="CLIENT=USD_KWH", help="revenue objective: a client's power rate")
    p.set_defaults(handler=_run_plan)


def _load_fleet(args: argparse.Namespace) -> Fleet:
    if args.fleet_file:
        try:
            return read_fleet_csv(args.fleet_file)
        except FleetFileError as exc:
            raise CliError(str(exc)) from exc
    try:
        from hashinsight_desktop.services.curtailment import load_fleet_for_planning
    except ImportError as exc:
        raise CliError("planning from the database needs the curtailment service "
                       f"(hashinsight_desktop.services.curtailment: {exc}); "
                       "pass --fleet-file") from exc
    return load_fleet_for_planning(args.db, args.site)


def _group_limits(args: argparse.Namespace, fleet: Fleet) -> tuple[GroupLimit, ...]:
    if args.group_max_kw is None and args.group_max_off is None:
        return ()
    if "group" not in fleet.groups:
        raise CliError("--group-max-kw/--group-max-off need a 'group' column in the fleet")
    labels = sorted({str(g) for g in fleet.groups["group"] if g})
    return tuple(GroupLimit("group", g, max_shed_kw=args.group_max_kw,
                            max_off=args.group_max_off) for g in labels)


def _request(args: argparse.Namespace, fleet: Fleet) -> CurtailmentRequest:
    economics = None
    if args.objective == "revenue" or args.hashprice is not None:
        if args.hashprice is None:
            raise CliError("--objective revenue needs --hashprice (USD per TH/s per day)")
        economics = Economics(args.hashprice / 24.0, args.power_price, dict(args.client_rate))
    goal, target = ("shed_kw", args.target_kw) if args.target_kw is not None else (
        "cap_kw", args.cap_kw)
    return CurtailmentRequest(
        goal=goal, target_kw=target, site=args.site, objective=args.objective,
        strategy=args.strategy, solver=args.solver, time_limit_s=args.time_limit,
        mip_rel_gap=args.gap / 100.0, group_limits=_group_limits(args, fleet),
        client_min_running_share=dict(args.client_share), economics=economics,
    )


def _text(result: PlanResult) -> str:
    def num(v: float | None, fmt: str = ",.1f") -> str:
        return "—" if v is None else format(v, fmt)

    goal = (f"shed {result.target_kw:,.1f} kW" if result.goal == "shed_kw"
            else f"cap at {result.target_kw:,.1f} kW")
    lines = [
        f"Curtailment plan: {goal} in {result.site or 'the farm'} "
        f"({result.strategy}, solver {result.solver}, status {result.status})",
        f"  shed           {num(result.shed_kw)} kW (load {num(result.load_before_kw)} -> "
        f"{num(result.load_after_kw)} kW)",
        f"  hashrate lost  {num(result.hashrate_lost_ths)} TH/s; greedy would lose "
        f"{num(result.greedy_hashrate_lost_ths)} TH/s",
        f"  proven bound   {num(result.lp_bound_ths)} TH/s, gap {num(result.gap_pct, '.4f')} %",
        f"  miners         {result.miners_off} off, {len(result.actions) - result.miners_off} in "
        f"a reduced mode, {len(result.excluded)} excluded; {result.solve_ms:,.0f} ms",
    ]
    if result.revenue_lost_usd_per_h is not None:
        lines.insert(3, f"  revenue lost   {result.revenue_lost_usd_per_h:,.2f} USD/h "
                        "(net of power saved)")
    lines += [f"  note: {m}" for m in result.messages]
    for a in result.actions[:_SHOWN_ACTIONS]:
        lines.append(f"    {a.miner_id:<16} {a.ip:<16} {a.action:<10} "
                     f"{a.power_saved_w:>9,.0f} W {a.hashrate_lost_ths:>9,.2f} TH/s")
    if len(result.actions) > _SHOWN_ACTIONS:
        lines.append(f"    ... {len(result.actions) - _SHOWN_ACTIONS} more (use --json)")
    return "\n".join(lines)


def _run_plan(args: argparse.Namespace) -> int:
    fleet = _load_fleet(args)
    if args.modes:
        fleet = fleet.with_modes(DEFAULT_MODES)
    try:
        request = _request(args, fleet)
        result = plan_curtailment(fleet, request)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    payload: dict[str, Any] = result.to_dict()
    emit(args, payload, lambda: _text(result))
    return 3 if result.status == "infeasible" else 0


def _hour(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 hour") from None


def add_economic_parser(actions: argparse._SubParsersAction,
                        common: argparse.ArgumentParser) -> None:
    p = actions.add_parser("economic", parents=[common],
                           help="per hour, which efficiency classes cost more than they earn")
    p.add_argument("--prices", required=True, metavar="FILE",
                   help="hourly CSV timestamp,usd_per_mwh (day-ahead or real time)")
    p.add_argument("--hashprice", required=True, type=float, metavar="USD",
                   help="hashprice in USD per TH/s per day")
    p.add_argument("--fleet-file", metavar="FILE", help="fleet CSV (default: the database fleet)")
    p.add_argument("--site", help="only this site")
    p.add_argument("--class-edges", default=",".join(f"{e:g}" for e in DEFAULT_CLASS_EDGES),
                   metavar="J_TH,...", help="efficiency class edges in J/TH (default %(default)s)")
    p.add_argument("--peak-hour", type=_hour, action="append", default=[], metavar="TIME",
                   help="an hour to stay dark whatever the price (peak avoidance); repeatable")
    p.add_argument("--strict", action="store_true", help="reject a price file with missing hours")
    p.set_defaults(handler=_run_economic)


def _economic_text(plan: EconomicPlan) -> str:
    lines = [f"Economic curtailment at hashprice {plan.hashprice_usd_per_th_day:g} USD/TH/day"]
    for c, strike in zip(plan.classes, plan.strike_usd_per_mwh, strict=True):
        dark = sum(1 for h in plan.hours if c.name in h.curtailed)
        lines.append(f"  {c.name:<14} {c.miners:>6} miners {c.power_kw:>10,.1f} kW  strike "
                     f"{strike:>8,.2f} USD/MWh  off {dark} of {len(plan.hours)} h")
    lines.append(f"  power not bought {plan.savings_usd:,.2f} USD, revenue given up "
                 f"{plan.lost_revenue_usd:,.2f} USD, net {plan.net_benefit_usd:,.2f} USD, "
                 f"{plan.curtailed_mwh:,.3f} MWh curtailed")
    lines += [f"  note: {m}" for m in plan.messages]
    return "\n".join(lines)


def _run_economic(args: argparse.Namespace) -> int:
    fleet = _load_fleet(args)
    drawing = fleet.online & fleet.running
    rows = drawing if args.site is None else drawing & (fleet.site == args.site)
    try:
        edges = tuple(float(e) for e in args.class_edges.split(",") if e.strip())
        prices = read_price_csv(args.prices, allow_gaps=not args.strict)
        classes = efficiency_classes(fleet.hashrate_ths[rows], fleet.power_w[rows], edges)
        plan = plan_economic(prices, args.hashprice, classes, args.peak_hour)
    except (PriceFileError, ValueError) as exc:
        raise CliError(str(exc)) from exc
    payload = {
        "hashprice_usd_per_th_day": plan.hashprice_usd_per_th_day,
        "classes": [{**c.__dict__, "strike_usd_per_mwh": s}
                    for c, s in zip(plan.classes, plan.strike_usd_per_mwh, strict=True)],
        "savings_usd": plan.savings_usd, "lost_revenue_usd": plan.lost_revenue_usd,
        "net_benefit_usd": plan.net_benefit_usd, "curtailed_mwh": plan.curtailed_mwh,
        "hours": [{**h.__dict__, "curtailed": list(h.curtailed)} for h in plan.hours],
        "gaps": [g.__dict__ for g in plan.gaps], "messages": list(plan.messages),
    }
    emit(args, payload, lambda: _economic_text(plan))
    return 0
