"""Raw ingest, rollups and retention on both backends, checked against hand sums."""

from sqlalchemy import select

from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import create_db_engine, resolve
from hashinsight_desktop.store.schema.telemetry import telemetry_1h, telemetry_5m, telemetry_raw
from hashinsight_desktop.store.telemetry_writer import RetentionPolicy, prune, rollup, write_raw

T0 = 1_800_000_000 - 1_800_000_000 % 3600


def _rows(ts: int) -> list[tuple]:
    return [
        (ts, 1, 0, 0, 100_000, 3000, 700, 650, 5000, 100),
        (ts, 2, 0, 1, 90_000, 3300, 820, 760, 4800, 100),  # power estimated
        (ts, 3, 4, 0, None, None, None, None, None, None),  # offline: values unknown
    ]


def test_ingest_rollup_and_prune(db_url: str) -> None:
    target = resolve(db_url)
    admin.upgrade(target)
    engine = create_db_engine(target)
    for minute in range(60):
        assert write_raw(engine, _rows(T0 + 60 * minute)) == 3
    for b in range(12):
        rollup(engine, source="telemetry_raw", target="telemetry_5m", bucket_s=300,
               start=T0 + 300 * b, sample_s=60)
    rollup(engine, source="telemetry_5m", target="telemetry_1h", bucket_s=3600, start=T0,
           sample_s=300)
    with engine.connect() as conn:
        assert len(conn.execute(select(telemetry_raw)).all()) == 180
        five = conn.execute(select(telemetry_5m).where(telemetry_5m.c.miner_id == 1)).all()
        assert len(five) == 12
        assert five[0].samples == 5 and five[0].energy_wh == 3000 * 5 * 60 // 3600
        hour = {r.miner_id: r for r in conn.execute(select(telemetry_1h))}
    assert hour[1].energy_wh == 3000  # 3 kW for one hour = 3,000 Wh
    assert hour[1].hashrate_ghs == 100_000 and hour[1].temp_max_dc == 700
    assert hour[2].estimated_samples == 60
    assert hour[3].ok_samples == 0 and hour[3].hashrate_ghs is None
    assert hour[3].status_worst == 4 and hour[3].energy_wh is None
    # re-running a bucket replaces it rather than doubling it
    rollup(engine, source="telemetry_5m", target="telemetry_1h", bucket_s=3600, start=T0,
           sample_s=300)
    with engine.connect() as conn:
        assert len(conn.execute(select(telemetry_1h)).all()) == 3
    deleted = prune(engine, now=T0 + 48 * 3600 + 1800,
                    policy=RetentionPolicy(raw_hours=48, rollup_5m_days=7, hourly_days=0))
    assert deleted["telemetry_raw"] == 90  # the first 30 minutes fell out of 48 h
    engine.dispose()
