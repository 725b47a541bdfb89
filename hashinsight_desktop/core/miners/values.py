"""Coercing firmware values: numbers as strings, units inside strings, sentinels, rates.

Every helper returns ``None`` for "unknown" (absent, empty, ``-273``, non-finite, wrong
type) and never raises, so a parser can be written as a straight list of look-ups.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

# Leading number of a string like "245.00V", "4052.00 RPM", "'20210322.22.REL'", "49%".
_LEADING_NUMBER = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")

# Hash-rate units to TH/s.  Keys are lower-case, without "/s" and spaces.
_RATE_TO_THS = {
    "h": 1e-12,
    "kh": 1e-9,
    "mh": 1e-6,
    "gh": 1e-3,
    "th": 1.0,
    "ph": 1e3,
}

_SENTINELS = (-273.0, -1.0)


def num(value: Any) -> float | None:
    """A finite float from a number or a numeric string (units after it are ignored)."""
    kind = type(value)  # exact-type fast paths first: this runs ~100 times per reading
    if kind is float or kind is int:
        result = float(value)
    elif kind is str:
        try:  # the common case: a plain numeric string
            result = float(value)
        except ValueError:
            result = _number_prefix(value)
        if result is None:
            return None
    elif isinstance(value, bool) or value is None:
        return None
    elif isinstance(value, int | float):
        result = float(value)
    elif isinstance(value, str):
        try:
            result = float(value)
        except ValueError:
            result = _number_prefix(value)
        if result is None:
            return None
    else:
        return None
    return result if _isfinite(result) else None


_isfinite = math.isfinite


def _number_prefix(value: str) -> float | None:
    """``"245.00V"`` -> 245.0; ``"'20210322.22.REL'"`` -> 20210322.22; else None."""
    match = _LEADING_NUMBER.match(value.strip().strip("'\""))
    if not match:
        return None
    try:
        return float(match.group(1))
    except ValueError:
        return None


def integer(value: Any) -> int | None:
    result = num(value)
    return int(result) if result is not None else None


def positive(value: Any) -> float | None:
    """A number > 0, else None: for fields where 0 means "not present" (empty slots)."""
    result = num(value)
    return result if result is not None and result > 0 else None


def temperature(value: Any) -> float | None:
    """Degrees C; drops ``-273`` / ``0`` sentinels and converts milli-degrees ("47125")."""
    result = num(value)
    if result is None or result <= 0 or result in _SENTINELS:
        return None
    if result > 1000:  # milli-degrees, as Elphapex and some stats.cgi report
        result /= 1000.0
    return result if result < 200 else None


def packed_temps(value: Any) -> list[float]:
    """``"45-42-45-42"`` -> [45, 42, 45, 42]; zeros and garbage dropped."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        parts: Iterable[Any] = value
    elif isinstance(value, str):
        parts = value.split("-")
    else:
        single = temperature(value)
        return [single] if single is not None else []
    temps = [temperature(p) for p in parts]
    return [t for t in temps if t is not None]


def text(value: Any) -> str | None:
    """A trimmed string without stray quotes, or None when empty / not a string."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        return None
    cleaned = value.strip().strip("'\"").strip()
    return cleaned or None


def truthy(value: Any) -> bool | None:
    """JSON bools and the strings firmwares use for them ("true", "Y", "on", "1")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "y", "yes", "on", "1"):
            return True
        if lowered in ("false", "n", "no", "off", "0", ""):
            return False
    return None


def rate_ths(value: Any, unit: str) -> float | None:
    """Convert a hash rate in ``unit`` ("GH", "GH/s", "MHS", "TH") to TH/s.

    The unit always comes from the firmware (field name or ``rate_unit``): never from the
    magnitude of the number.
    """
    amount = num(value)
    if amount is None or amount < 0:
        return None
    factor = unit_factor(unit)
    return amount * factor if factor is not None else None


def unit_factor(unit: str | None) -> float | None:
    if not unit:
        return None
    key = unit.strip().lower().replace("/s", "").replace(" ", "")
    if key.endswith("s") and key[:-1] in _RATE_TO_THS:  # "MHS", "GHS"
        key = key[:-1]
    return _RATE_TO_THS.get(key)


def first(mapping: Mapping[str, Any], *keys: str) -> Any:
    """The value of the first key present with a non-empty value."""
    for key in keys:
        value = mapping.get(key)
        if value not in (None, ""):
            return value
    return None


def section(reply: Any, key: str) -> list[dict[str, Any]]:
    """``reply[key]`` as a list of dicts (cgminer wraps sections in lists; some don't)."""
    if not isinstance(reply, Mapping):
        return []
    value = reply.get(key)
    if isinstance(value, Mapping):
        return [dict(value)]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def first_section(reply: Any, key: str) -> dict[str, Any]:
    items = section(reply, key)
    return items[0] if items else {}


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def maximum(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None
