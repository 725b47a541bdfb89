"""The audit hash chain: every CRM write appends; tampering is found at the row."""

from __future__ import annotations

from sqlalchemy import select, update

from hashinsight_desktop.services.crm import audit, customers
from hashinsight_desktop.store.schema.accounts import audit_log


def test_writes_append_a_verifiable_chain(engine, owner) -> None:
    first = customers.create_customer(engine, owner, "Acme Mining", email="ops@acme.io")
    customers.update_customer(engine, owner, first, 1, phone="+49 30 1234")
    customers.create_customer(engine, None, "Blockwerk GmbH")
    with engine.connect() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.id)).mappings().all()
    assert [r["action"] for r in rows] == ["customer.create", "customer.update",
                                           "customer.create"]
    assert rows[0]["prev_hash"] is None
    assert rows[1]["prev_hash"] == rows[0]["hash"] and rows[2]["prev_hash"] == rows[1]["hash"]
    assert rows[0]["username"] == "olga" and rows[2]["username"].startswith("cli:")
    assert '"phone":"+49 30 1234"' in rows[1]["after_json"]
    assert audit.verify_chain(engine) == (True, None)


def test_tampering_with_after_json_is_detected_at_that_row(engine, owner) -> None:
    ids = [customers.create_customer(engine, owner, f"Customer {i}") for i in range(4)]
    assert len(ids) == 4
    with engine.connect() as conn:
        target = conn.scalars(select(audit_log.c.id).order_by(audit_log.c.id)).all()[2]
    with engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.id == target)
                     .values(after_json='{"name":"Someone else"}'))
    assert audit.verify_chain(engine) == (False, target)


def test_deleting_a_row_breaks_the_chain_at_the_next(engine, owner) -> None:
    for i in range(3):
        customers.create_customer(engine, owner, f"Customer {i}")
    with engine.connect() as conn:
        ids = conn.scalars(select(audit_log.c.id).order_by(audit_log.c.id)).all()
    with engine.begin() as conn:
        conn.execute(audit_log.delete().where(audit_log.c.id == ids[1]))
    assert audit.verify_chain(engine) == (False, ids[2])


def test_empty_log_verifies(engine) -> None:
    assert audit.verify_chain(engine) == (True, None)


def test_concurrent_writers_keep_one_chain(engine, owner) -> None:
    """Four workstations creating customers at once: every write lands, chain intact."""
    from concurrent.futures import ThreadPoolExecutor

    def create(worker: int) -> list[int]:
        return [customers.create_customer(engine, owner, f"W{worker} customer {i}")
                for i in range(6)]

    with ThreadPoolExecutor(4) as pool:
        created = [cid for ids in pool.map(create, range(4)) for cid in ids]
    assert len(set(created)) == 24
    with engine.connect() as conn:
        assert len(conn.scalars(select(audit_log.c.id)).all()) == 24
    assert audit.verify_chain(engine) == (True, None)
