"""Hosting billing, the API in one place: preview drafts, issue, record payments,
statements.  See :mod:`billing_drafts` for how amounts are computed."""

from hashinsight_desktop.services.crm.billing_drafts import (
    InvoiceDraft,
    InvoiceLineDraft,
    preview_invoices,
)
from hashinsight_desktop.services.crm.invoicing import (
    IssuedInvoice,
    Payment,
    issue_invoices,
    mark_paid,
)
from hashinsight_desktop.services.crm.statements import Statement, customer_statement

__all__ = ["InvoiceDraft", "InvoiceLineDraft", "IssuedInvoice", "Payment", "Statement",
           "customer_statement", "issue_invoices", "mark_paid", "preview_invoices"]
