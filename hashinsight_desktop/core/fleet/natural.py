"""Natural, case-insensitive ordering of names ("miner-9" before "miner-10")."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[str | int, ...]:
    """Sort key: text chunks casefolded, digit runs as ints.

    ``re.split`` with a capturing group always alternates text, digits, text...
    starting with text, so two keys compare str with str and int with int.
    """
    parts = _DIGITS.split(text.casefold())
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))
