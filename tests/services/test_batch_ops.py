"""Batch operations against the simulator: per-miner results recorded, roles enforced."""

import pytest
from sqlalchemy import select

from hashinsight_desktop.services import accounts, batch_ops, secrets
from hashinsight_desktop.services.accounts import Session
from hashinsight_desktop.services.fleet_populate import populate
from hashinsight_desktop.simulator import SimulatedFleet, build_fleet
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve
from hashinsight_desktop.store.schema.fleet import miner_tags, miners
from hashinsight_desktop.store.schema.operations import batch_operations, batch_results

OPERATOR = Session(1, "op", "operator")  # the first user created in each test database


@pytest.fixture
def farm(sqlite_url):
    target = resolve(sqlite_url)
    admin.upgrade(target)
    engine = create_db_engine(target)
    assert accounts.create_user(engine, "op", "operator-pass", "operator").user_id == 1
    specs = build_fleet(60, seed=5, bind="127.231.0.0/16")
    populate(engine, specs)
    fleet = SimulatedFleet(specs, seed=5).start()
    yield engine, specs, fleet
    fleet.stop()
    engine.dispose()


def _ids(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {ip: i for i, ip in conn.execute(select(miners.c.id, miners.c.ip))}


def test_curtail_then_resume_with_per_miner_results(farm) -> None:
    engine, specs, fleet = farm
    secrets.set_secret("miner-family:whatsminer_v2", "admin", "admin")
    ids = _ids(engine)
    before = fleet.total_power_w()
    seen: list[tuple[int, int]] = []
    report = batch_ops.run_control_batch(engine, OPERATOR, "curtail", list(ids.values()),
                                         progress=lambda d, t: seen.append((d, t)))
    by_family = {s.family: [] for s in specs}
    for s in specs:
        by_family[s.family].append(report.results[ids[s.ip]][0])
    assert set(by_family["antminer_stock"]) == {"unsupported"}
    for family in ("luxos", "avalon", "whatsminer_v2"):
        if family in by_family:
            assert set(by_family[family]) == {"done"}, family
    assert report.done + report.unsupported + report.failed == len(specs)
    assert seen[-1] == (len(specs), len(specs))
    assert fleet.total_power_w() < before * 0.9
    with engine.connect() as conn:
        statuses = dict(conn.execute(select(batch_results.c.miner_id, batch_results.c.status)
                                     .where(batch_results.c.batch_id == report.batch_id)).all())
        batch = conn.execute(select(batch_operations)).first()
    assert "pending" not in statuses.values() and batch.status == "completed"
    resumed = batch_ops.run_control_batch(engine, OPERATOR, "resume", list(ids.values()))
    problems = {s.family: resumed.results[ids[s.ip]] for s in specs
                if resumed.results[ids[s.ip]][0] == "failed"}
    assert not problems
    # miners ramp back up over simulated minutes; none stays asleep
    assert not any(fleet.miner_state(s.miner_id).curtailed for s in specs)


def test_roles_and_bad_parameters(farm) -> None:
    engine, _specs, _fleet = farm
    ids = list(_ids(engine).values())
    with pytest.raises(PermissionError, match="sales role may not"):
        batch_ops.run_control_batch(engine, Session(2, "s", "sales"), "restart", ids)
    with pytest.raises(ValueError, match="power_target needs watts"):
        batch_ops.run_control_batch(engine, OPERATOR, "power_target", ids, {"watts": 5})
    with engine.connect() as conn:
        assert conn.execute(select(batch_operations)).first() is None  # nothing started


def test_edit_batches(farm) -> None:
    engine, _specs, _fleet = farm
    ids = list(_ids(engine).values())[:5]
    batch_ops.run_edit_batch(engine, OPERATOR, "tag", ids, {"tag": "row-7"})
    batch_ops.run_edit_batch(engine, OPERATOR, "tag", ids, {"tag": "row-7"})  # idempotent
    with engine.connect() as conn:
        assert len(conn.execute(select(miner_tags)).all()) == 5
    batch_ops.run_edit_batch(engine, OPERATOR, "remove", ids[:2])
    with engine.connect() as conn:
        assert len(conn.execute(select(miners)).all()) == 58
    with pytest.raises(PermissionError):
        batch_ops.run_edit_batch(engine, Session(3, "c", "client", 1), "remove", ids)
