"""CRM and hosting: customers, contacts, leads, deals, activities, contracts, invoices."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Table,
    Text,
    false,
)

from hashinsight_desktop.store.schema.base import (
    IdType,
    created_at,
    id_column,
    metadata,
    updated_at,
    version_column,
)

customers = Table(
    "customers", metadata,
    id_column(),
    Column("name", String(200), nullable=False),
    Column("name_key", String(200), nullable=False, unique=True),  # casefolded, for duplicates
    Column("email", String(254), unique=True),
    Column("phone", String(64)),
    Column("address", Text),
    Column("country", String(2)),
    Column("tax_id", String(64)),
    Column("notes", Text),
    created_at(), updated_at(), version_column(),
)

contacts = Table(
    "contacts", metadata,
    id_column(),
    Column("customer_id", IdType, ForeignKey("customers.id", ondelete="CASCADE"),
           nullable=False),
    Column("name", String(200), nullable=False),
    Column("email", String(254)),
    Column("phone", String(64)),
    Column("role", String(120)),
    created_at(),
    Index("ix_contacts_customer", "customer_id"),
)

leads = Table(
    "leads", metadata,
    id_column(),
    Column("name", String(200), nullable=False),
    Column("company", String(200)),
    Column("email", String(254)),
    Column("phone", String(64)),
    Column("source", String(64)),
    Column("status", String(16), nullable=False, server_default="new"),
    Column("owner_user_id", IdType, ForeignKey("users.id", ondelete="SET NULL")),
    Column("converted_deal_id", IdType),
    Column("notes", Text),
    created_at(), updated_at(), version_column(),
)

deals = Table(
    "deals", metadata,
    id_column(),
    Column("customer_id", IdType, ForeignKey("customers.id", ondelete="RESTRICT"),
           nullable=False),
    Column("lead_id", IdType, ForeignKey("leads.id", ondelete="SET NULL")),
    Column("title", String(200), nullable=False),
    Column("stage", String(24), nullable=False, server_default="qualification"),
    Column("probability_pct", SmallInteger, nullable=False, server_default="10"),
    Column("value_cents", BigInteger, nullable=False, server_default="0"),
    Column("currency", String(3), nullable=False, server_default="USD"),
    Column("expected_close", Date),
    Column("owner_user_id", IdType, ForeignKey("users.id", ondelete="SET NULL")),
    Column("closed_at", DateTime(timezone=True)),
    created_at(), updated_at(), version_column(),
    CheckConstraint("value_cents >= 0", name="value_not_negative"),
    CheckConstraint("probability_pct BETWEEN 0 AND 100", name="probability_range"),
)

activities = Table(
    "activities", metadata,
    id_column(),
    Column("kind", String(16), nullable=False),  # call, meeting, email, note, task
    Column("subject", String(200), nullable=False),
    Column("body", Text),
    Column("due_at", DateTime(timezone=True)),
    Column("done", Boolean, nullable=False, server_default=false()),
    Column("customer_id", IdType, ForeignKey("customers.id", ondelete="CASCADE")),
    Column("lead_id", IdType, ForeignKey("leads.id", ondelete="CASCADE")),
    Column("deal_id", IdType, ForeignKey("deals.id", ondelete="CASCADE")),
    Column("user_id", IdType, ForeignKey("users.id", ondelete="SET NULL")),
    created_at(),
    Index("ix_activities_due", "done", "due_at"),
)

hosting_contracts = Table(
    "hosting_contracts", metadata,
    id_column(),
    Column("customer_id", IdType, ForeignKey("customers.id", ondelete="RESTRICT"),
           nullable=False),
    Column("name", String(200), nullable=False),
    Column("rate_kind", String(24), nullable=False),  # per_kwh | per_miner_month
    Column("rate_micros", BigInteger, nullable=False),  # currency micro-units
    Column("currency", String(3), nullable=False, server_default="USD"),
    Column("sla_uptime_pct", Float),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),
    Column("curtailment_credited", Boolean, nullable=False, server_default=false()),
    Column("notes", Text),
    created_at(), updated_at(), version_column(),
    CheckConstraint("rate_micros >= 0", name="rate_not_negative"),
)

contract_miners = Table(
    "contract_miners", metadata,
    Column("contract_id", IdType, ForeignKey("hosting_contracts.id", ondelete="CASCADE"),
           primary_key=True),
    Column("miner_id", IdType, ForeignKey("miners.id", ondelete="CASCADE"), primary_key=True),
    Column("from_date", Date),
    Column("to_date", Date),
)

invoices = Table(
    "invoices", metadata,
    id_column(),
    Column("number", String(32), nullable=False, unique=True),
    Column("customer_id", IdType, ForeignKey("customers.id", ondelete="RESTRICT"),
           nullable=False),
    Column("contract_id", IdType, ForeignKey("hosting_contracts.id", ondelete="SET NULL")),
    Column("period_start", Date),
    Column("period_end", Date),
    Column("status", String(16), nullable=False, server_default="draft"),
    Column("currency", String(3), nullable=False, server_default="USD"),
    Column("subtotal_cents", BigInteger, nullable=False, server_default="0"),
    Column("tax_cents", BigInteger, nullable=False, server_default="0"),
    Column("total_cents", BigInteger, nullable=False, server_default="0"),
    Column("issued_at", DateTime(timezone=True)),
    Column("due_at", DateTime(timezone=True)),
    Column("paid_at", DateTime(timezone=True)),
    Column("notes", Text),
    created_at(), updated_at(), version_column(),
    Index("ix_invoices_customer_period", "customer_id", "period_start"),
)

invoice_lines = Table(
    "invoice_lines", metadata,
    id_column(),
    Column("invoice_id", IdType, ForeignKey("invoices.id", ondelete="CASCADE"), nullable=False),
    Column("position", SmallInteger, nullable=False),
    Column("description", Text, nullable=False),
    Column("miner_id", IdType, ForeignKey("miners.id", ondelete="SET NULL")),
    Column("quantity", Float, nullable=False),
    Column("unit", String(16), nullable=False),  # kWh, miner-month, h
    Column("unit_price_micros", BigInteger, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("estimated", Boolean, nullable=False, server_default=false()),
    Column("details_json", Text),  # missing hours, credits applied
)

payments = Table(
    "payments", metadata,
    id_column(),
    Column("invoice_id", IdType, ForeignKey("invoices.id", ondelete="CASCADE"), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("paid_at", DateTime(timezone=True), nullable=False),
    Column("method", String(32)),
    Column("reference", String(120)),
    created_at(),
    CheckConstraint("amount_cents > 0", name="amount_positive"),
)
