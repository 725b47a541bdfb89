"""A typed settings registry with defaults, validation and a schema version.

Each setting is declared once (key, type, default, bounds, help).  Values are stored
as JSON in the per-user config dir; unknown keys and wrong types are refused with a
message naming the key.  Secrets never go here: they live in the OS keyring
(``hashinsight_desktop.services.secrets``).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hashinsight_desktop.config import paths

SCHEMA_VERSION = 1


class SettingsError(ValueError):
    """A settings key or value the user must fix; the message names it."""


@dataclasses.dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    help: str
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    check: Callable[[Any], str | None] | None = None  # returns an error text or None

    def coerce(self, raw: Any) -> Any:
        """Turn a stored or typed-in value into this setting's type, or raise."""
        value = raw
        if isinstance(raw, str) and self.type is not str:
            value = _parse_text(self, raw)
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            raise SettingsError(
                f"setting {self.key!r} must be {self.type.__name__}, got {raw!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise SettingsError(f"setting {self.key!r} must be a finite number, got {raw!r}")
        if self.choices is not None and value not in self.choices:
            allowed = ", ".join(map(str, self.choices))
            raise SettingsError(f"setting {self.key!r} must be one of {allowed}; got {raw!r}")
        if self.minimum is not None and value < self.minimum:
            raise SettingsError(f"setting {self.key!r} must be >= {self.minimum}, got {raw!r}")
        if self.maximum is not None and value > self.maximum:
            raise SettingsError(f"setting {self.key!r} must be <= {self.maximum}, got {raw!r}")
        if self.check is not None and (problem := self.check(value)):
            raise SettingsError(f"setting {self.key!r}: {problem}")
        return value


def _parse_text(setting: Setting, text: str) -> Any:
    t = text.strip()
    try:
        if setting.type is bool:
            lowered = t.lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError
        if setting.type is int:
            return int(t)
        if setting.type is float:
            return float(t)
    except ValueError:
        raise SettingsError(
            f"setting {setting.key!r} must be {setting.type.__name__}, got {text!r}") from None
    return t


def _check_database_url(value: str) -> str | None:
    if value == "":
        return None  # the embedded SQLite file in the data dir
    if not (value.startswith("sqlite:") or value.startswith("postgresql")):
        return "must be empty (embedded SQLite), sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"
    if "@" in value and ":" in value.split("://", 1)[-1].split("@", 1)[0]:
        return "must not contain a password: it is kept in the OS keyring instead"
    return None


SETTINGS: tuple[Setting, ...] = (
    Setting("database.url", str, "", "Database URL; empty means the embedded SQLite file "
            "in the data directory. PostgreSQL: postgresql+psycopg://USER@HOST[:PORT]/DB "
            "(password in the keyring).", check=_check_database_url),
    Setting("collector.telemetry_interval_s", int, 60, "Seconds between miner polls.",
            minimum=5, maximum=3600),
    Setting("collector.market_interval_s", int, 900, "Seconds between market data fetches.",
            minimum=60, maximum=86400),
    Setting("collector.concurrency", int, 1024, "Miners polled at the same time.",
            minimum=1, maximum=8192),
    Setting("collector.miner_deadline_s", float, 3.0, "Overall time allowed per miner poll.",
            minimum=0.2, maximum=60.0),
    Setting("electricity.price_per_kwh", float, 0.06, "Electricity price per kWh.",
            minimum=0.0, maximum=10.0),
    Setting("electricity.currency", str, "USD", "Currency of prices and invoices.",
            choices=("USD", "EUR", "CNY", "CAD", "GBP", "KZT", "RUB", "BRL", "ARS", "PYG")),
    Setting("ui.language", str, "en", "Interface language.", choices=("en", "zh_CN")),
    Setting("ui.theme", str, "dark", "Interface theme.", choices=("dark", "light")),
    Setting("alerts.temp_max_c", float, 80.0, "Chip temperature alert threshold (°C).",
            minimum=30.0, maximum=130.0),
    Setting("alerts.hashrate_min_pct", float, 80.0,
            "Alert when hashrate stays under this % of nominal.", minimum=1.0, maximum=100.0),
    Setting("alerts.hashrate_window_min", int, 10,
            "Minutes under the hashrate threshold before alerting.", minimum=1, maximum=1440),
    Setting("alerts.offline_after_min", int, 5, "Minutes offline before alerting.",
            minimum=1, maximum=1440),
    Setting("retention.raw_hours", int, 48, "Hours of full-resolution telemetry kept.",
            minimum=1, maximum=24 * 90),
    Setting("retention.rollup_5m_days", int, 7, "Days of 5-minute rollups kept.",
            minimum=1, maximum=366),
    Setting("retention.hourly_days", int, 0, "Days of hourly rollups kept (0 = forever).",
            minimum=0, maximum=36500),
)

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def setting(key: str) -> Setting:
    try:
        return BY_KEY[key]
    except KeyError:
        close = [k for k in BY_KEY if key.split(".")[-1] in k or k.split(".")[-1] in key]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise SettingsError(f"unknown setting {key!r}{hint}; "
                            "'hashinsight config show' lists them") from None


class Settings:
    """The current values: defaults overlaid with what the user stored."""

    def __init__(self, values: dict[str, Any] | None = None, path: Path | None = None) -> None:
        self._values: dict[str, Any] = dict(values or {})
        self.path = path

    def get(self, key: str) -> Any:
        s = setting(key)
        return self._values.get(key, s.default)

    def set(self, key: str, raw: Any) -> Any:
        value = setting(key).coerce(raw)
        self._values[key] = value
        return value

    def as_dict(self) -> dict[str, Any]:
        return {s.key: self.get(s.key) for s in SETTINGS}

    def stored(self) -> dict[str, Any]:
        return dict(self._values)

    def save(self, path: Path | None = None) -> Path:
        """Write atomically (temporary file then rename): a crash never leaves half a file."""
        target = path or self.path or paths.settings_file()
        target.parent.mkdir(parents=True, exist_ok=True)
        document = {"schema_version": SCHEMA_VERSION, "values": self._values}
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(document, fh, indent=2, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.path = target
        return target


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file; a missing file means defaults. Bad content is refused."""
    target = path or paths.settings_file()
    if not target.exists():
        return Settings(path=target)
    try:
        document = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SettingsError(f"settings file {target} is unreadable ({exc}); fix or delete it "
                            "to return to the defaults") from None
    if not isinstance(document, dict) or not isinstance(document.get("values"), dict):
        raise SettingsError(f"settings file {target} is not a HashInsight settings file")
    version = document.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise SettingsError(f"settings file {target} has schema version {version!r}, newer than "
                            f"this version of HashInsight understands ({SCHEMA_VERSION})")
    values: dict[str, Any] = {}
    for key, raw in document["values"].items():
        if key not in BY_KEY:
            continue  # a setting retired in a newer schema: ignored, not fatal
        values[key] = BY_KEY[key].coerce(raw)
    return Settings(values, path=target)
