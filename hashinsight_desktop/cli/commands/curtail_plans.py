"""Stored curtailment plans from the command line: create, approve, run, recover.

    hashinsight curtail create --target-kw 500 --site TX1       # a draft plan
    hashinsight curtail list
    hashinsight curtail show 7
    hashinsight curtail approve 7
    hashinsight curtail run 7 --json                            # switch the miners
    hashinsight curtail recover 7 --batch 100 --interval 30     # staggered resume
    hashinsight curtail cancel 7

There is no CLI login yet: the acting user is ``--user NAME`` or else the first owner
(then admin) in the database; the role rules of the service still apply (sales and
client users may not create, approve or cancel).  Miner passwords come from the OS
keyring (``miner:<credentials_ref>``, then ``miner-family:<family>``, user "admin").
Exit status of ``run``: 0 when the goal is met, 4 when it is missed (plan ``failed``);
``recover``: 0 when every miner resumed, 4 when some did not.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from hashinsight_desktop.cli.errors import CliError
from hashinsight_desktop.cli.output import emit

_SHOWN_ACTIONS = 20
EXIT_GOAL_MISSED = 4


def add_plan_lifecycle_parsers(actions: argparse._SubParsersAction,
                               common: argparse.ArgumentParser) -> None:
    """Add create/list/show/approve/cancel/run/recover to the ``curtail`` sub-parsers."""
    p = actions.add_parser("create", parents=[common], help="store a draft curtailment plan")
    goal = p.add_mutually_exclusive_group(required=True)
    goal.add_argument("--target-kw", type=float, metavar="N", help="shed at least N kW")
    goal.add_argument("--cap-kw", type=float, metavar="N", help="keep the load at or under N kW")
    p.add_argument("--site", help="only this site (default: the whole farm)")
    p.add_argument("--strategy", choices=("optimal", "greedy"), default="optimal")
    p.add_argument("--modes", action="store_true",
                   help="allow reduced power modes (85%% and 70%% power) besides switching off")
    p.add_argument("--name", help="a name for the plan (default: from the goal)")
    _user_option(p)
    p.set_defaults(handler=_run_create)

    p = actions.add_parser("list", parents=[common], help="stored curtailment plans, newest first")
    p.add_argument("--status", help="only plans with this status")
    p.add_argument("--limit", type=int, default=50, metavar="N")
    p.set_defaults(handler=_run_list)

    p = actions.add_parser("show", parents=[common], help="a plan, its actions and client impact")
    p.add_argument("plan_id", type=int, metavar="PLAN_ID")
    p.set_defaults(handler=_run_show)

    for name, verb in (("approve", "approve a draft plan"),
                       ("cancel", "cancel a plan not yet executed")):
        p = actions.add_parser(name, parents=[common], help=verb)
        p.add_argument("plan_id", type=int, metavar="PLAN_ID")
        _user_option(p)
        p.set_defaults(handler=_run_approve if name == "approve" else _run_cancel)

    p = actions.add_parser("run", parents=[common], help="execute an approved plan on the miners")
    p.add_argument("plan_id", type=int, metavar="PLAN_ID")
    p.add_argument("--batch", type=int, default=200, metavar="N",
                   help="miners commanded at once (default 200)")
    p.add_argument("--no-verify", action="store_true",
                   help="do not poll the miners to check the command took effect")
    p.set_defaults(handler=_run_execute)

    p = actions.add_parser("recover", parents=[common],
                           help="resume a plan's miners in staggered batches")
    p.add_argument("plan_id", type=int, metavar="PLAN_ID")
    p.add_argument("--batch", type=int, default=100, metavar="N",
                   help="miners resumed per batch (default 100)")
    p.add_argument("--interval", type=float, default=30.0, metavar="S",
                   help="seconds between batches (default 30)")
    p.set_defaults(handler=_run_recover)


def _user_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", metavar="NAME",
                   help="act as this user (default: the first owner, else admin)")


def _with_engine(args: argparse.Namespace, work: Callable[[Engine], int]) -> int:
    from hashinsight_desktop.services import curtailment as svc
    from hashinsight_desktop.store.admin import open_for_use
    from hashinsight_desktop.store.database import resolve

    engine = open_for_use(resolve(args.db))
    try:
        return work(engine)
    except (svc.PlanNotFound, ValueError, PermissionError) as exc:
        # PlanStateError and PlanningError are ValueErrors; every message names the problem
        raise CliError(str(exc)) from exc
    finally:
        engine.dispose()


def _acting_user(engine: Engine, username: str | None) -> Any:
    from hashinsight_desktop.services.accounts import Session
    from hashinsight_desktop.store.schema.accounts import users

    query = select(users.c.id, users.c.username, users.c.role, users.c.customer_id).where(
        users.c.disabled.is_(False))
    with engine.connect() as conn:
        if username:
            row = conn.execute(query.where(users.c.username == username)).first()
            if row is None:
                raise CliError(f"--user {username!r}: no such active user")
        else:
            rows = conn.execute(query.where(users.c.role.in_(("owner", "admin")))
                                .order_by(users.c.id)).all()
            row = next((r for r in rows if r.role == "owner"), rows[0] if rows else None)
            if row is None:
                raise CliError("no owner or admin user in the database: create one first "
                               "(hashinsight users) or pass --user NAME")
    return Session(int(row.id), row.username, row.role, row.customer_id)


def _run_create(args: argparse.Namespace) -> int:
    from hashinsight_desktop.services import curtailment as svc

    def work(engine: Engine) -> int:
        session = _acting_user(engine, args.user)
        kind, kw = ("shed", args.target_kw) if args.target_kw is not None else ("cap", args.cap_kw)
        plan_id = svc.create_plan(engine, session, kind, kw, site=args.site,
                                  strategy=args.strategy, use_modes=args.modes, name=args.name)
        plan = svc.get_plan(engine, plan_id)
        emit(args, plan.to_dict(), lambda: _plan_text(plan)
             + f"\n  approve with: hashinsight curtail approve {plan_id}")
        return 0
    return _with_engine(args, work)


def _run_list(args: argparse.Namespace) -> int:
    import dataclasses

    from hashinsight_desktop.services import curtailment as svc

    def work(engine: Engine) -> int:
        plans = svc.list_plans(engine, status=args.status, limit=args.limit)
        lines = [f"{p.id:>5}  {p.status:<11} {p.goal_kind} {p.goal_kw:>10,.1f} kW  "
                 f"{p.site or 'farm':<8} {p.name}" for p in plans] or ["no curtailment plans"]
        emit(args, {"plans": [dataclasses.asdict(p) for p in plans]}, "\n".join(lines))
        return 0
    return _with_engine(args, work)


def _plan_text(plan: Any) -> str:
    s, r = plan.summary, plan.result
    lines = [f"Plan {s.id} '{s.name}': {s.status}" + (f" ({s.status_detail})"
                                                       if s.status_detail else ""),
             f"  goal      {s.goal_kind} {s.goal_kw:,.1f} kW in {s.site or 'the farm'}, "
             f"{s.strategy}{', modes' if s.use_modes else ''}",
             f"  planned   {r.get('shed_kw', 0):,.1f} kW shed, "
             f"{r.get('hashrate_lost_ths', 0):,.1f} TH/s lost, {len(plan.actions)} actions",
             f"  by        {plan.created_by or '?'}; approved by {plan.approved_by or '—'}",
             "  actions   " + ", ".join(f"{k} {v}" for k, v in sorted(plan.action_counts.items()))]
    for c in plan.client_impact:
        lines.append(f"  client    {c.client or '(farm)':<24} {c.miners:>5} miners "
                     f"{c.power_kw:>9,.1f} kW {c.hashrate_ths:>9,.1f} TH/s")
    for a in plan.actions[:_SHOWN_ACTIONS]:
        lines.append(f"    {a.miner_name or a.miner_id!s:<20} {a.ip:<16} {a.action:<9} "
                     f"{a.power_saved_w:>8,.0f} W  {a.status:<11} {a.detail or ''}"[:160])
    if len(plan.actions) > _SHOWN_ACTIONS:
        lines.append(f"    ... {len(plan.actions) - _SHOWN_ACTIONS} more (use --json)")
    return "\n".join(lines)


def _run_show(args: argparse.Namespace) -> int:
    from hashinsight_desktop.services import curtailment as svc

    def work(engine: Engine) -> int:
        plan = svc.get_plan(engine, args.plan_id)
        emit(args, plan.to_dict(with_result=True), lambda: _plan_text(plan))
        return 0
    return _with_engine(args, work)


def _run_approve(args: argparse.Namespace) -> int:
    from hashinsight_desktop.services import curtailment as svc

    def work(engine: Engine) -> int:
        session = _acting_user(engine, args.user)
        svc.approve_plan(engine, session, args.plan_id)
        emit(args, {"plan_id": args.plan_id, "status": "approved", "by": session.username},
             f"plan {args.plan_id} approved by {session.username}")
        return 0
    return _with_engine(args, work)


def _run_cancel(args: argparse.Namespace) -> int:
    from hashinsight_desktop.services import curtailment as svc

    def work(engine: Engine) -> int:
        session = _acting_user(engine, args.user)
        svc.cancel_plan(engine, session, args.plan_id)
        emit(args, {"plan_id": args.plan_id, "status": "cancelled", "by": session.username},
             f"plan {args.plan_id} cancelled by {session.username}")
        return 0
    return _with_engine(args, work)


def _check_batch(value: int) -> None:
    if value < 1:
        raise CliError(f"--batch must be at least 1, got {value}")


def _run_execute(args: argparse.Namespace) -> int:
    from hashinsight_desktop.services import curtailment as svc
    from hashinsight_desktop.services.miner_credentials import keyring_credentials

    _check_batch(args.batch)

    def work(engine: Engine) -> int:
        report = svc.execute_plan(engine, args.plan_id, batch_size=args.batch,
                                  verify=not args.no_verify,
                                  credentials_for=keyring_credentials)
        emit(args, report.to_dict(), f"plan {report.plan_id}: {report.status}: "
                                     f"{report.message} ({report.elapsed_s:,.1f} s)")
        return 0 if report.status == "active" else EXIT_GOAL_MISSED
    return _with_engine(args, work)


def _run_recover(args: argparse.Namespace) -> int:
    from hashinsight_desktop.services import curtailment as svc
    from hashinsight_desktop.services.miner_credentials import keyring_credentials

    _check_batch(args.batch)
    if args.interval < 0:
        raise CliError(f"--interval must be >= 0 seconds, got {args.interval}")

    def work(engine: Engine) -> int:
        report = svc.recover_plan(engine, args.plan_id, batch_size=args.batch,
                                  interval_s=args.interval, credentials_for=keyring_credentials)
        emit(args, report.to_dict(), f"plan {report.plan_id}: {report.status}: "
                                     f"{report.message} ({report.elapsed_s:,.1f} s)")
        return 0 if report.status == "completed" else EXIT_GOAL_MISSED
    return _with_engine(args, work)
