"""CRM and hosting billing use cases: customers, leads, deals, activities, invoices.

Every write runs in one transaction together with its audit-log entry
(:mod:`hashinsight_desktop.services.crm.audit`).
"""
