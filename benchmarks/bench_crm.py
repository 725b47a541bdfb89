"""CRM figures: a month of hosting invoices for 6,000 miners; customer search.

Invoices are computed from HOURLY rollups (``telemetry_1h``): a month of 5-minute
rows for 6,000 miners is 53.6 M rows (and 5-minute rows are kept only 7 days by
default), while the hourly table holds 4.46 M rows for the month.  The service reads
5-minute rows only when they still cover the whole month; both give per-day sums.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import shutil
import time

from sqlalchemy import delete, insert

from benchmarks.fixtures import drop_postgres, fresh_postgres, fresh_sqlite
from benchmarks.harness import case
from hashinsight_desktop.core.billing.money import parse_month
from hashinsight_desktop.services.crm.billing import issue_invoices, preview_invoices
from hashinsight_desktop.services.crm.billing_inputs import unix
from hashinsight_desktop.services.crm.customers import search_customers
from hashinsight_desktop.store.schema.accounts import audit_log
from hashinsight_desktop.store.schema.crm import (
    contract_miners,
    customers,
    hosting_contracts,
    invoices,
)
from hashinsight_desktop.store.schema.fleet import miners

MONTH = parse_month("2026-10")
CUSTOMERS = 100
MINERS = 6_000
SEARCH_CUSTOMERS = 50_000


def _populate_billing(engine) -> None:
    per = MINERS // CUSTOMERS
    with engine.begin() as conn:
        conn.execute(insert(customers), [{"id": c, "name": f"Customer {c:03d}",
                                          "name_key": f"customer {c:03d}"}
                                         for c in range(1, CUSTOMERS + 1)])
        conn.execute(insert(miners), [{"id": m, "name": f"m{m}", "customer_id": (m - 1) // per + 1,
                                       "ip": f"10.{m // 65536}.{m // 256 % 256}.{m % 256}"}
                                      for m in range(1, MINERS + 1)])
        conn.execute(insert(hosting_contracts), [{
            "id": c, "customer_id": c, "name": f"Hosting {c}",
            "rate_kind": "per_miner_month" if c % 5 == 0 else "per_kwh",
            "rate_micros": 45_000_000 if c % 5 == 0 else 65_000,
            "start_date": dt.date(2026, 1, 1), "curtailment_credited": c % 2 == 0,
        } for c in range(1, CUSTOMERS + 1)])
        conn.execute(insert(contract_miners), [
            {"contract_id": (m - 1) // per + 1, "miner_id": m} for m in range(1, MINERS + 1)])
        sql = _hourly_month_sql(unix(MONTH[0]), (MONTH[1] - MONTH[0]).days * 24)
        if engine.dialect.name == "postgresql":  # psycopg reads % as a placeholder
            sql = sql.replace("%", "%%")
        conn.exec_driver_sql(sql)


def _hourly_month_sql(t0: int, hours: int) -> str:
    """4.46 M hourly rows by one INSERT ... SELECT (both backends): gaps (45 of 60
    samples) every 97th miner-hour, every third miner curtailed half of 18:00 UTC,
    every 50th miner with estimated power."""
    samples = "(CASE WHEN (h * 7 + m.id) % 97 = 0 THEN 45 ELSE 60 END)"
    curtailed = "(CASE WHEN h % 24 = 18 AND m.id % 3 = 0 THEN 30 ELSE 0 END)"
    return f"""
        INSERT INTO telemetry_1h
        WITH RECURSIVE hrs(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM hrs WHERE h < {hours - 1})
        SELECT {t0} + h * 3600, m.id, {samples}, {samples} - {curtailed}, {curtailed},
               CASE WHEN m.id % 50 = 0 THEN {samples} ELSE 0 END,
               CASE WHEN {curtailed} > 0 THEN 1 ELSE 0 END, 200000, 3000 + m.id % 500,
               (3000 + m.id % 500) * ({samples} - {curtailed}) / 60, 700, 650, 5000
        FROM hrs CROSS JOIN miners m ORDER BY 1, 2"""


class _Db:
    def __init__(self, engine, cleanup) -> None:
        self.engine = engine
        self.cleanup = cleanup


def _billing_sqlite() -> _Db:
    engine, path = fresh_sqlite()
    _populate_billing(engine)
    return _Db(engine, lambda: shutil.rmtree(path.parent, ignore_errors=True))


def _billing_pg() -> _Db:
    engine, name = fresh_postgres()
    _populate_billing(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    return _Db(engine, lambda: drop_postgres(name))


def _teardown(ctx: _Db) -> None:
    ctx.engine.dispose()
    ctx.cleanup()


def _preview_ms(ctx: _Db) -> float:
    t0 = time.perf_counter()
    drafts = preview_invoices(ctx.engine, MONTH)
    elapsed = (time.perf_counter() - t0) * 1e3
    assert len(drafts) == CUSTOMERS and sum(len(d.lines) for d in drafts) >= MINERS
    return elapsed


def _issue_ms(ctx: _Db) -> float:
    with ctx.engine.begin() as conn:  # untimed: forget the previous run's invoices
        conn.execute(delete(invoices))
        conn.execute(delete(audit_log))
    t0 = time.perf_counter()
    issued = issue_invoices(ctx.engine, None, MONTH)
    elapsed = (time.perf_counter() - t0) * 1e3
    assert len(issued) == CUSTOMERS
    return elapsed


@case("hosting invoices preview, 100 customers / 6,000 miners, month of 1h rollups, SQLite",
      unit="ms", target="<= 5000", repeat=3, setup=_billing_sqlite, teardown=_teardown)
def invoices_preview_sqlite(ctx: _Db) -> float:
    return _preview_ms(ctx)


@case("hosting invoices issued (preview + write), 100 customers / 6,000 miners, SQLite",
      unit="ms", target="<= 5000", repeat=3, setup=_billing_sqlite, teardown=_teardown)
def invoices_issue_sqlite(ctx: _Db) -> float:
    return _issue_ms(ctx)


@case("hosting invoices preview, 100 customers / 6,000 miners, month of 1h rollups, PostgreSQL",
      unit="ms", target="<= 5000", repeat=3, setup=_billing_pg, teardown=_teardown, needs="pg")
def invoices_preview_pg(ctx: _Db) -> float:
    return _preview_ms(ctx)


@case("hosting invoices issued (preview + write), 100 customers / 6,000 miners, PostgreSQL",
      unit="ms", target="<= 5000", repeat=3, setup=_billing_pg, teardown=_teardown, needs="pg")
def invoices_issue_pg(ctx: _Db) -> float:
    return _issue_ms(ctx)


_WORDS = ["alpha", "beta", "block", "hash", "volt", "north", "grid", "peak", "solar", "hydro",
          "stone", "river", "delta", "core", "prime", "nova", "atlas", "orbit", "terra", "zen"]


def _populate_search(engine) -> list[str]:
    rnd = random.Random(11)
    rows = []
    for i in range(SEARCH_CUSTOMERS):
        name = f"{rnd.choice(_WORDS).title()} {rnd.choice(_WORDS).title()} {i:05d}"
        rows.append({"name": name, "name_key": name.casefold(),
                     "email": f"billing{i}@{rnd.choice(_WORDS)}.example"})
    with engine.begin() as conn:
        conn.execute(insert(customers), rows)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE customers")
    # prefixes, an e-mail prefix and substrings (which scan): what people type
    return ["hash", "volt n", "zen", "b", "billing123", "north grid 4", "rive", "ato", "stone",
            "prime nova 1"]


def _search_sqlite() -> _Db:
    engine, path = fresh_sqlite()
    db = _Db(engine, lambda: shutil.rmtree(path.parent, ignore_errors=True))
    db.terms = itertools.cycle(_populate_search(engine))  # type: ignore[attr-defined]
    return db


def _search_pg() -> _Db:
    engine, name = fresh_postgres()
    db = _Db(engine, lambda: drop_postgres(name))
    db.terms = itertools.cycle(_populate_search(engine))  # type: ignore[attr-defined]
    return db


def _search_ms(ctx: _Db) -> float:
    term = next(ctx.terms)  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    search_customers(ctx.engine, term, 20)
    return (time.perf_counter() - t0) * 1e3


@case("customer search, 50,000 customers, SQLite (median over 10 typical terms)", unit="ms",
      target="<= 50", repeat=21, setup=_search_sqlite, teardown=_teardown)
def search_sqlite(ctx: _Db) -> float:
    return _search_ms(ctx)


@case("customer search, 50,000 customers, PostgreSQL (median over 10 typical terms)",
      unit="ms", target="<= 50", repeat=21, setup=_search_pg, teardown=_teardown, needs="pg")
def search_pg(ctx: _Db) -> float:
    return _search_ms(ctx)
