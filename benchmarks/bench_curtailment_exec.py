"""Executing a 1,500-miner curtailment plan against the simulator (commands + verification).

The target is "within two collection cycles" (2 x 60 s).  The fleet is 1,680 miners
of the three families that can curtail over their API (560 each of LuxOS, Whatsminer
and Avalon); the plan sheds 90 % of its load, about 1,500 "off" actions, each a
command and a verification poll.  (Sleeping miners still draw 10-30 W, so shedding
~100 % is physically impossible; execution measures it and says so.)  Planning and the
recovery between runs are not timed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import case
from hashinsight_desktop.collector.cycle import CycleSettings, run_cycle_once
from hashinsight_desktop.core.miners.control import MinerCredentials
from hashinsight_desktop.services import curtailment as svc
from hashinsight_desktop.services.accounts import Session
from hashinsight_desktop.services.fleet_populate import populate
from hashinsight_desktop.simulator import SimulatedFleet, build_fleet
from hashinsight_desktop.store.admin import open_for_use
from hashinsight_desktop.store.database import resolve
from hashinsight_desktop.store.schema.accounts import users

PER_FAMILY = 560  # 1,680 miners: a 90 % shed is a ~1,500-miner plan


def _credentials(target: svc.MinerTarget) -> MinerCredentials | None:
    return MinerCredentials("admin") if target.family == "whatsminer_v2" else None


def _specs() -> list[Any]:
    specs = []
    for k, family in enumerate(("luxos", "whatsminer_v2", "avalon")):
        part = build_fleet(PER_FAMILY, seed=9, profile=family, bind=f"127.{120 + k}.0.0/16")
        specs += [dataclasses.replace(s, miner_id=f"{family}-{i}", rack=f"{family}-{s.rack}")
                  for i, s in enumerate(part)]
    return specs


def _setup() -> dict[str, Any]:
    tmp = tempfile.TemporaryDirectory()
    engine = open_for_use(resolve(f"sqlite:///{Path(tmp.name) / 'bench.db'}"))
    specs = _specs()
    populate(engine, specs)
    fleet = SimulatedFleet(specs, seed=9).start()
    run_cycle_once(engine, CycleSettings())
    with engine.begin() as conn:
        uid = conn.execute(users.insert().values(
            username="bench", role="owner", password_hash="x", version=1,
            created_at=dt.datetime.now(dt.UTC))).inserted_primary_key[0]
    load_kw = float(svc.fleet_from_engine(engine).power_w.sum()) / 1000.0
    return {"tmp": tmp, "engine": engine, "fleet": fleet, "load_kw": load_kw,
            "session": Session(int(uid), "bench", "owner")}


def _teardown(ctx: dict[str, Any]) -> None:
    ctx["fleet"].stop()
    ctx["engine"].dispose()
    ctx["tmp"].cleanup()


@case("execute a 1,500-miner plan: all commands sent and verified", unit="s",
      target="<= 120", repeat=3, setup=_setup, teardown=_teardown)
def execute_1500(ctx: dict[str, Any]) -> float:
    engine, session = ctx["engine"], ctx["session"]
    plan_id = svc.create_plan(engine, session, "shed", ctx["load_kw"] * 0.90,
                              strategy="greedy")
    svc.approve_plan(engine, session, plan_id)
    actions = len(svc.get_plan(engine, plan_id).actions)
    t0 = time.perf_counter()
    report = svc.execute_plan(engine, plan_id, batch_size=200, credentials_for=_credentials)
    elapsed = time.perf_counter() - t0
    if actions < 1500 or report.verified < actions or report.status != "active":
        raise RuntimeError(f"{actions} actions, {report.verified} verified: {report.message}")
    svc.recover_plan(engine, plan_id, batch_size=1500, interval_s=0.0,
                     credentials_for=_credentials)
    ctx["fleet"].advance(240)
    return elapsed
