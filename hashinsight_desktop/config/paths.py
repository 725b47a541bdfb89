"""Where data, settings, logs and backups live (per user, via platformdirs).

``HASHINSIGHT_HOME`` overrides every location at once (tests, portable installs).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "HashInsight"
APP_AUTHOR = "HashInsight"


def _home_override() -> Path | None:
    value = os.environ.get("HASHINSIGHT_HOME")
    return Path(value) if value else None


def config_dir() -> Path:
    home = _home_override()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def data_dir() -> Path:
    home = _home_override()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    home = _home_override()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def settings_file() -> Path:
    return config_dir() / "settings.json"


def default_database_path() -> Path:
    return data_dir() / "hashinsight.db"


def backup_dir() -> Path:
    return data_dir() / "backups"
