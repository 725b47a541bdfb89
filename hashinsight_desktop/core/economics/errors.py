"""The one exception the economics core raises for bad input."""

from __future__ import annotations


class InputError(ValueError):
    """An input value is missing, not a number, out of range or absurd.

    ``field`` names the input (``"difficulty"``, ``"pool_fee_pct"``...) so a form can
    highlight it and a command line can name the flag.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotEnoughHistoryError(InputError):
    """A forecast or backtest was given fewer days than it needs."""

    def __init__(self, field: str, needed_days: int, got_days: int, purpose: str) -> None:
        super().__init__(
            field,
            f"{purpose} needs at least {needed_days} days of history, got {got_days}",
        )
        self.needed_days = needed_days
        self.got_days = got_days


class CancelledError(Exception):
    """A long computation (backtest) stopped because its cancel flag was set."""
