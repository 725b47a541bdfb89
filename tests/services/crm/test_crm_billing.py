"""Hosting invoices against an independent computation from the raw samples.

The test invents one-minute power samples for a month, writes the 5-minute rollup
rows the collector would write, and checks every invoice against plain-Python sums
over the raw samples (never the rollups).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import random

import pytest
from sqlalchemy import insert, select

from hashinsight_desktop.cli.main import main
from hashinsight_desktop.core.billing.money import parse_month
from hashinsight_desktop.services.crm import audit, customers
from hashinsight_desktop.services.crm.billing import (
    customer_statement,
    issue_invoices,
    mark_paid,
    preview_invoices,
)
from hashinsight_desktop.services.crm.errors import CrmError, NotFoundError
from hashinsight_desktop.store.schema.crm import (
    contract_miners,
    hosting_contracts,
    invoice_lines,
    invoices,
)
from hashinsight_desktop.store.schema.fleet import miners
from hashinsight_desktop.store.schema.telemetry import telemetry_5m

OCT = parse_month("2026-10")
T0 = calendar.timegm(OCT[0].timetuple())
BUCKETS = 31 * 288
RATE_KWH = 65_000  # $0.065 per kWh in micro-dollars
RATE_MONTH = 45_000_000  # $45 per miner-month


@functools.cache
def _samples(seed: int, *, curtail_every: int = 0, gap_hours: range = range(0),
             short_every: int = 0, estimated_day: int | None = None) -> dict[int, dict]:
    """bucket -> {"power": [W per sample], "curtailed": n, "estimated": n}; absent buckets
    are gaps.  Powers are multiples of 60 W so each bucket's Wh is a whole number."""
    rnd = random.Random(seed)
    out = {}
    for b in range(BUCKETS):
        ts = T0 + b * 300
        if (ts - T0) // 3600 in gap_hours:
            continue
        n = 3 if short_every and b % short_every == 0 else 5
        curtailed = 2 if curtail_every and b % curtail_every == 1 else 0
        power = [0] * curtailed + [60 * rnd.randint(50, 60) for _ in range(n - curtailed)]
        estimated = n if estimated_day is not None and (ts - T0) // 86400 == estimated_day else 0
        out[ts] = {"power": power, "curtailed": curtailed, "estimated": estimated}
    return out


def _rollup_rows(miner_id: int, samples: dict[int, dict]) -> list[dict]:
    return [{"bucket": ts, "miner_id": miner_id, "samples": len(s["power"]),
             "ok_samples": len(s["power"]) - s["curtailed"],
             "curtailed_samples": s["curtailed"], "estimated_samples": s["estimated"],
             "status_worst": 1 if s["curtailed"] else 0, "hashrate_ghs": 200_000,
             "power_w": sum(s["power"]) // len(s["power"]),
             "energy_wh": sum(s["power"]) * 60 // 3600}
            for ts, s in samples.items()]


def _expected_kwh_line(samples: dict[int, dict], first_day: int, last_day: int):
    """Independent: measured kWh from raw samples, missing hours at the average draw of
    un-curtailed buckets, curtailed hours valued the same way."""
    lo, hi = T0 + first_day * 86400, T0 + (last_day + 1) * 86400
    window = {ts: s for ts, s in samples.items() if lo <= ts < hi}
    measured_wh = sum(p * 60 / 3600 for s in window.values() for p in s["power"])
    clean = [s for s in window.values() if s["curtailed"] == 0]
    running_kw = (sum(p for s in clean for p in s["power"]) / 1000
                  / sum(len(s["power"]) for s in clean))
    missing_h = ((hi - lo) / 60 - sum(len(s["power"]) for s in window.values())) / 60
    curtailed_h = sum(s["curtailed"] for s in window.values()) / 60
    return measured_wh / 1000 + missing_h * running_kw, curtailed_h * running_kw, missing_h


def _cents(kwh: float, rate_micros: int) -> int:
    return int(round(kwh, 3) * rate_micros / 10_000 + 0.5)


@pytest.fixture
def farm(engine, owner):
    """Customer A: per-kWh with curtailment credit (3 miners); B: per miner-month."""
    a = customers.create_customer(engine, owner, "Alpha Hash", email="ap@alpha.io")
    b = customers.create_customer(engine, owner, "Beta Mining")
    raw = {
        1: _samples(1, curtail_every=7),  # full month, curtailed now and then
        2: _samples(2, gap_hours=range(216, 221), short_every=50, estimated_day=3),
        3: _samples(3),  # joins customer A's contract on the 16th
        4: _samples(4), 5: _samples(5),
    }
    with engine.begin() as conn:
        conn.execute(insert(miners), [{"id": i, "name": f"m{i}", "ip": f"10.0.0.{i}"}
                                      for i in raw])
        ka = conn.execute(insert(hosting_contracts).values(
            customer_id=a, name="Alpha colocation", rate_kind="per_kwh",
            rate_micros=RATE_KWH, start_date=dt.date(2026, 1, 1),
            curtailment_credited=True)).inserted_primary_key[0]
        kb = conn.execute(insert(hosting_contracts).values(
            customer_id=b, name="Beta racks", rate_kind="per_miner_month",
            rate_micros=RATE_MONTH, start_date=dt.date(2026, 9, 1))).inserted_primary_key[0]
        # every dict names every column: executemany compiles from the first one
        conn.execute(insert(contract_miners), [
            {"contract_id": k, "miner_id": m, "from_date": low, "to_date": high}
            for k, m, low, high in ((ka, 1, None, None), (ka, 2, None, None),
                                    (ka, 3, dt.date(2026, 10, 16), None),
                                    (kb, 4, None, None), (kb, 5, None, dt.date(2026, 10, 10)))
        ])
        _bulk_insert_rollups(conn, [row for miner_id, samples in raw.items()
                                    for row in _rollup_rows(miner_id, samples)])
    return {"a": a, "b": b, "raw": raw}


def _bulk_insert_rollups(conn, rows: list[dict]) -> None:
    """45,000 rows: COPY on PostgreSQL, executemany on SQLite (seconds saved per test)."""
    columns = [c.name for c in telemetry_5m.columns]
    tuples = [tuple(row.get(c) for c in columns) for row in rows]
    if conn.dialect.name == "postgresql":
        with conn.connection.driver_connection.cursor() as cur, cur.copy(
                f"COPY telemetry_5m ({', '.join(columns)}) FROM STDIN") as copy:
            for row in tuples:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(columns))
        conn.exec_driver_sql(f"INSERT INTO telemetry_5m VALUES ({marks})", tuples)


def _by_customer(drafts):
    return {d.customer_id: d for d in drafts}


def test_per_kwh_invoice_matches_raw_samples(engine, farm) -> None:
    drafts = _by_customer(preview_invoices(engine, OCT))
    alpha = drafts[farm["a"]]
    assert alpha.rollup == "5m"
    expected = {m: _expected_kwh_line(farm["raw"][m], first, 30)
                for m, first in ((1, 0), (2, 0), (3, 15))}
    lines = {line.miner_id: line for line in alpha.lines}
    for m, (kwh, _, _) in expected.items():
        assert lines[m].quantity == pytest.approx(kwh, abs=0.0011), (m, lines[m].details)
        assert lines[m].amount_cents == pytest.approx(_cents(kwh, RATE_KWH), abs=1)
    credit_kwh = sum(c for _, c, _ in expected.values())
    credit = lines[None]
    assert credit.amount_cents == pytest.approx(-_cents(credit_kwh, RATE_KWH), abs=1)
    independent = sum(_cents(k, RATE_KWH) for k, _, _ in expected.values()) \
        - _cents(credit_kwh, RATE_KWH)
    assert alpha.total_cents == pytest.approx(independent, abs=len(alpha.lines))
    # Miner 1 has no gap: its line is exactly sum(power_w x 60 s) / 3600 x rate.
    m1_kwh = sum(p * 60 / 3600 for s in farm["raw"][1].values() for p in s["power"]) / 1000
    assert lines[1].quantity == pytest.approx(m1_kwh, abs=5e-4) and not lines[1].estimated


def test_missing_telemetry_is_explained_and_flagged(engine, farm) -> None:
    line = {ln.miner_id: ln for ln in _by_customer(preview_invoices(engine, OCT))[farm["a"]].lines}[2]
    assert line.estimated
    _, _, missing_h = _expected_kwh_line(farm["raw"][2], 0, 30)
    details = line.details
    assert details["missing_hours"] == pytest.approx(missing_h, abs=1e-3)
    by_day = {d["date"]: d["hours"] for d in details["missing_by_day"]}
    assert by_day[dt.date(2026, 10, 10)] >= 5.0  # hours 216-220 = Oct 10, 00:00-05:00
    assert "average running power" in details["missing_basis"]
    assert details["estimated_power_hours"] == pytest.approx(24.0 * 5 / 5, abs=1.0)


def test_per_miner_month_is_prorated_by_days(engine, farm) -> None:
    beta = _by_customer(preview_invoices(engine, OCT))[farm["b"]]
    amounts = {line.miner_id: line.amount_cents for line in beta.lines}
    assert amounts == {4: 4500, 5: round(4500 * 10 / 31)}
    assert beta.total_cents == 4500 + 1452


def test_hourly_rollups_bill_the_same(engine, farm) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"INSERT INTO telemetry_1h SELECT {T0} + ((bucket - {T0}) / 3600) * 3600, miner_id,"
            " SUM(samples), SUM(ok_samples), SUM(curtailed_samples), SUM(estimated_samples),"
            " MAX(status_worst), MAX(hashrate_ghs), MAX(power_w), SUM(energy_wh),"
            " NULL, NULL, NULL FROM telemetry_5m GROUP BY (bucket - "
            f"{T0}) / 3600, miner_id")
    five = {d.contract_id: d.total_cents for d in preview_invoices(engine, OCT, rollup="5m")}
    hourly = {d.contract_id: d.total_cents for d in preview_invoices(engine, OCT, rollup="1h")}
    # Short 5-minute buckets hide inside full hours, so hourly sees fewer missing samples
    # only where an hour is complete in total; the gap-free contract must agree exactly.
    assert five.keys() == hourly.keys()
    assert all(abs(five[k] - hourly[k]) <= 0.01 * abs(five[k]) for k in five)


def test_issue_pay_and_statement(engine, owner, farm) -> None:
    issued = issue_invoices(engine, owner, OCT, now=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    assert [i.number for i in issued] == ["INV-202610-0001", "INV-202610-0002"]
    assert issue_invoices(engine, owner, OCT) == []  # nothing twice
    with engine.connect() as conn:
        rows = conn.execute(select(invoices.c.number, invoices.c.status,
                                   invoices.c.total_cents)).all()
        lines = conn.execute(select(invoice_lines.c.amount_cents, invoice_lines.c.details_json)
                             .where(invoice_lines.c.invoice_id == issued[0].id)).all()
    assert {r.status for r in rows} == {"issued"}
    assert sum(line.amount_cents for line in lines) == issued[0].draft.total_cents
    assert json.loads(lines[0].details_json)["span"]["days"] >= 1
    alpha = next(i for i in issued if i.draft.customer_id == farm["a"])
    total = alpha.draft.total_cents
    with pytest.raises(CrmError, match="exceeds the open balance"):
        mark_paid(engine, owner, alpha.id, total + 1)
    part = mark_paid(engine, owner, alpha.id, 1000,
                     paid_at=dt.datetime(2026, 11, 10, tzinfo=dt.UTC))
    assert (part.balance_cents, part.status) == (total - 1000, "issued")
    done = mark_paid(engine, owner, alpha.id, total - 1000,
                     paid_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC), method="wire")
    assert (done.balance_cents, done.status) == (0, "paid")
    with pytest.raises(CrmError, match="is paid"):
        mark_paid(engine, owner, alpha.id, 1)
    statement = customer_statement(engine, farm["a"], dt.date(2026, 11, 1),
                                   dt.date(2026, 11, 15))
    assert (statement.opening_balance_cents, statement.invoiced_cents,
            statement.paid_cents) == (0, total, 1000)
    assert statement.closing_balance_cents == total - 1000
    assert audit.verify_chain(engine) == (True, None)


def test_unknown_customer_is_refused(engine, farm) -> None:
    with pytest.raises(NotFoundError, match="customer 999 does not exist"):
        preview_invoices(engine, OCT, 999)


def _url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_cli_dry_run_then_issue(engine, farm, capsys) -> None:
    assert main(["invoices", "generate", "--month", "2026-10", "--dry-run", "--json",
                 "--db", _url(engine)]) == 0
    preview = json.loads(capsys.readouterr().out)
    expected = {d.contract_id: d.total_cents for d in preview_invoices(engine, OCT)}
    assert {r["contract_id"]: r["total_cents"] for r in preview["invoices"]} == expected
    with engine.connect() as conn:
        assert conn.scalar(select(invoices.c.id)) is None  # dry run wrote nothing
    assert main(["invoices", "generate", "--month", "2026-10", "--customer", str(farm["b"]),
                 "--db", _url(engine)]) == 0
    out = capsys.readouterr().out
    assert "INV-202610-0001" in out and "Beta Mining" in out and "59.52 USD" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["--month", "2026-13"], "--month: month '2026-13' is not valid"),
    (["--month", "Oct"], "use YYYY-MM"),
    (["--month", "2026-10", "--customer", "abc"], "--customer 'abc' is not a customer id"),
    (["--month", "2026-10", "--customer", "999", "--dry-run"], "customer 999 does not exist"),
    (["--month", "2999-01"], "has not ended yet"),
])
def test_cli_errors_are_one_line(engine, capsys, argv, message) -> None:
    assert main(["invoices", "generate", *argv, "--db", _url(engine)]) == 1
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err
