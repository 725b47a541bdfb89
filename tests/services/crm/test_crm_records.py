"""Customers, deals, leads: validation, duplicates, optimistic locking, search, rights."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hashinsight_desktop.services.accounts import Session
from hashinsight_desktop.services.crm import activities, customers, deals, leads
from hashinsight_desktop.services.crm.errors import (
    ConflictError,
    CrmError,
    NotFoundError,
    PermissionDenied,
)
from hashinsight_desktop.store.schema.accounts import audit_log
from hashinsight_desktop.store.schema.crm import customers as customers_table
from hashinsight_desktop.store.schema.crm import deals as deals_table


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


def test_duplicate_customer_by_casefolded_name_or_email_is_refused(engine, owner) -> None:
    first = customers.create_customer(engine, owner, "Acme  Mining", email="Ops@Acme.io")
    with pytest.raises(CrmError, match=rf"named 'Acme Mining' exists already \(id {first}\)"):
        customers.create_customer(engine, owner, "ACME mining")
    with pytest.raises(CrmError, match=r"email 'ops@acme\.io' belongs to customer 'Acme Mining'"):
        customers.create_customer(engine, owner, "Other Ltd", email="OPS@acme.io")
    assert _count(engine, customers_table) == 1
    assert _count(engine, audit_log) == 1  # nothing half-saved, not even an audit entry


@pytest.mark.parametrize(("fields", "message"), [
    ({"name": "  "}, "customer name is required"),
    ({"name": "X", "email": "no-at-sign.example.com"}, "not a valid e-mail"),
    ({"name": "X", "email": "a@b,c.com"}, "not a valid e-mail"),
    ({"name": "X", "country": "Germany"}, "two-letter code"),
    ({"name": "X", "colour": "red"}, "unknown customer field"),
])
def test_invalid_customer_input_names_the_field(engine, fields, message) -> None:
    with pytest.raises(CrmError, match=message):
        customers.create_customer(engine, None, **fields)
    assert _count(engine, customers_table) == 0


def test_optimistic_lock_conflict(engine, owner) -> None:
    cid = customers.create_customer(engine, owner, "Acme")
    seen = customers.get_customer(engine, cid)["version"]
    assert customers.update_customer(engine, owner, cid, seen, phone="1") == seen + 1
    with pytest.raises(ConflictError, match="changed by someone else"):
        customers.update_customer(engine, owner, cid, seen, phone="2")  # stale version
    assert customers.get_customer(engine, cid)["phone"] == "1"
    with pytest.raises(NotFoundError):
        customers.update_customer(engine, owner, 9999, 1, phone="3")


def test_update_to_a_taken_name_is_refused(engine, owner) -> None:
    customers.create_customer(engine, owner, "Acme")
    other = customers.create_customer(engine, owner, "Blockwerk")
    with pytest.raises(CrmError, match="exists already"):
        customers.update_customer(engine, owner, other, 1, name="acme")


def test_deal_validation(engine, owner) -> None:
    cid = customers.create_customer(engine, owner, "Acme")
    with pytest.raises(CrmError, match="needs a customer"):
        deals.create_deal(engine, owner, None, "Hosting 2 MW")
    with pytest.raises(CrmError, match="customer 4242 does not exist"):
        deals.create_deal(engine, owner, 4242, "Hosting 2 MW")
    with pytest.raises(CrmError, match="must not be negative"):
        deals.create_deal(engine, owner, cid, "Hosting", value_cents=-1)
    with pytest.raises(CrmError, match="stage 'maybe' is unknown"):
        deals.create_deal(engine, owner, cid, "Hosting", stage="maybe")
    assert _count(engine, deals_table) == 0
    deal = deals.create_deal(engine, owner, cid, "Hosting", value_cents=125_000_00)
    assert deals.update_deal(engine, owner, deal, 1, stage="won") == 2
    with pytest.raises(ConflictError):
        deals.update_deal(engine, owner, deal, 1, stage="lost")


def test_client_role_may_not_write(engine) -> None:
    client = Session(7, "carl", "client", customer_id=1)
    with pytest.raises(PermissionDenied, match="role 'client' may not create customers"):
        customers.create_customer(engine, client, "Acme")


def test_convert_lead_creates_customer_deal_activity_in_one_go(engine, owner) -> None:
    lead = leads.create_lead(engine, owner, "Jane Roe", company="Roe Hash",
                             email="jane@roehash.com")
    result = leads.convert_lead(engine, owner, lead, title="Hosting 500 kW",
                                value_cents=90_000_00, stage="proposal")
    assert result.customer_created
    customer = customers.get_customer(engine, result.customer_id)
    assert (customer["name"], customer["email"]) == ("Roe Hash", "jane@roehash.com")
    with engine.connect() as conn:
        deal = conn.execute(select(deals_table).where(deals_table.c.id == result.deal_id)).first()
    assert (deal.lead_id, deal.stage, deal.probability_pct) == (lead, "proposal", 40)
    with pytest.raises(CrmError, match="converted already"):
        leads.convert_lead(engine, owner, lead, title="Again", value_cents=0)


def test_convert_lead_to_existing_customer(engine, owner) -> None:
    cid = customers.create_customer(engine, owner, "Acme")
    lead = leads.create_lead(engine, owner, "Sam", company="Acme")
    result = leads.convert_lead(engine, owner, lead, customer_id=cid, title="Expansion",
                                value_cents=1)
    assert (result.customer_id, result.customer_created) == (cid, False)


@pytest.mark.parametrize("failing_step", ["deal", "activity"])
def test_convert_lead_fault_leaves_nothing_behind(engine, owner, monkeypatch,
                                                  failing_step) -> None:
    lead = leads.create_lead(engine, owner, "Jane Roe", company="Roe Hash")
    before = {t.name: _count(engine, t) for t in (customers_table, deals_table, audit_log)}

    def boom(*args, **kwargs):
        raise RuntimeError("power cut")

    if failing_step == "deal":
        original = deals.insert_deal

        def deal_then_fail(*args, **kwargs):
            original(*args, **kwargs)  # the deal row is written, then the step fails
            boom()
        monkeypatch.setattr(deals, "insert_deal", deal_then_fail)
    else:
        monkeypatch.setattr(activities, "insert_activity", boom)
    with pytest.raises(RuntimeError, match="power cut"):
        leads.convert_lead(engine, owner, lead, title="Hosting", value_cents=5)
    after = {t.name: _count(engine, t) for t in (customers_table, deals_table, audit_log)}
    assert after == before
    with engine.connect() as conn:
        status = conn.scalar(select(leads.leads.c.status).where(leads.leads.c.id == lead))
    assert status == "new"


def test_search_by_prefix_email_and_substring(engine, owner) -> None:
    for name, email in [("Acme Mining", "ops@acme.io"), ("Acme Hosting", None),
                        ("Blockwerk", "billing@blockwerk.de"), ("Big Hash 50%", None)]:
        customers.create_customer(engine, None, name, email=email)
    assert [h.name for h in customers.search_customers(engine, "acme")] == [
        "Acme Hosting", "Acme Mining"]
    assert [h.name for h in customers.search_customers(engine, "BILLING@")] == ["Blockwerk"]
    assert [h.name for h in customers.search_customers(engine, "hash")] == ["Big Hash 50%"]
    assert [h.name for h in customers.search_customers(engine, "50%")] == ["Big Hash 50%"]
    assert customers.search_customers(engine, "zzz") == []
    assert len(customers.search_customers(engine, "", limit=3)) == 3
