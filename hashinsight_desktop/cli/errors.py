"""The one exception type commands raise for a user-facing failure."""


class CliError(Exception):
    """A problem the user can fix: printed as one line on stderr, exit status ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code
