"""Input checks shared by the CRM services: each failure names the field."""

from __future__ import annotations

import re

from hashinsight_desktop.services.accounts import Session
from hashinsight_desktop.services.crm.errors import CrmError, PermissionDenied

# Deliberately simple: one @, a dot in the domain, no spaces.  Deliverability is the
# mail server's business; this catches typos such as a missing @ or a comma.
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]{2,}$")

SALES_ROLES = ("owner", "admin", "sales")
BILLING_ROLES = ("owner", "admin")


def name_key(name: str) -> str:
    """The duplicate-detection key: case-folded, inner whitespace collapsed."""
    return " ".join(name.split()).casefold()


def clean_name(value: str | None, field: str, *, max_len: int = 200) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise CrmError(f"{field} is required")
    if len(text) > max_len:
        raise CrmError(f"{field} is longer than {max_len} characters")
    return text


def clean_email(value: str | None, field: str = "email") -> str | None:
    """Lower-cased address, or None when blank."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > 254 or not _EMAIL.match(text):
        raise CrmError(f"{field} {text!r} is not a valid e-mail address")
    return text.lower()


def non_negative_cents(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CrmError(f"{field} must be a whole number of cents")
    if value < 0:
        raise CrmError(f"{field} must not be negative (got {value})")
    return value


def require_role(session: Session | None, roles: tuple[str, ...], doing: str) -> None:
    """``None`` is the command line (direct database access): allowed."""
    if session is not None and session.role not in roles:
        raise PermissionDenied(f"the role {session.role!r} may not {doing}; "
                               f"ask someone with role {' or '.join(roles)}")
