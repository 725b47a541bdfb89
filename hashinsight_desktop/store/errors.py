"""Database problems a user can act on, each with a one-line message."""


class DatabaseError(Exception):
    """Base: the message names the problem and what to do."""


class BadDatabaseUrl(DatabaseError):
    pass


class DatabaseUnavailable(DatabaseError):
    """Unreachable server, wrong credentials, locked or corrupt file."""


class DatabaseTooNew(DatabaseError):
    """The database was upgraded by a newer HashInsight than this one."""


class DatabaseNeedsUpgrade(DatabaseError):
    pass
