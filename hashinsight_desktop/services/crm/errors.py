"""Errors the CRM services raise; their messages are shown to the user as they are."""


class CrmError(ValueError):
    """Refused input: the message names the field or value and what to do."""


class NotFoundError(CrmError):
    """The record named does not exist (any more)."""


class ConflictError(CrmError):
    """Optimistic lock: the record changed since it was read."""


class PermissionDenied(CrmError):
    """The signed-in role may not do this."""
