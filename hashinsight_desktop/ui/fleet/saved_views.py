"""Where saved grid views live: a small storage interface and two implementations.

The grid only needs list/save/delete; the lead may back it with the database
later (per user) by implementing the same Protocol.
"""

from __future__ import annotations

import json
from typing import Protocol

from PySide6.QtCore import QSettings

from hashinsight_desktop.core.fleet.saved_view import SavedView


class SavedViewStorage(Protocol):
    def list(self) -> list[SavedView]: ...

    def save(self, view: SavedView) -> None:
        """Insert, or replace the view with the same name."""

    def delete(self, name: str) -> None:
        """Remove by name; unknown names are ignored."""


class InMemorySavedViewStorage:
    """For tests and for a session without settings."""

    def __init__(self) -> None:
        self._views: dict[str, SavedView] = {}

    def list(self) -> list[SavedView]:
        return sorted(self._views.values(), key=lambda v: v.name.casefold())

    def save(self, view: SavedView) -> None:
        self._views[view.name] = view

    def delete(self, name: str) -> None:
        self._views.pop(name, None)


class QSettingsSavedViewStorage:
    """All views as one JSON list under one QSettings key.

    One JSON document rather than a QSettings group per view: QSettings keys are
    case-insensitive on some platforms, view names are free text.
    """

    def __init__(self, settings: QSettings, key: str = "fleet_grid/saved_views") -> None:
        self._settings = settings
        self._key = key

    def list(self) -> list[SavedView]:
        views = []
        for data in self._load():
            try:
                views.append(SavedView.from_dict(data))
            except (ValueError, TypeError, KeyError):
                continue  # one damaged entry must not hide the others
        return sorted(views, key=lambda v: v.name.casefold())

    def save(self, view: SavedView) -> None:
        data = [d for d in self._load() if d.get("name") != view.name]
        data.append(view.to_dict())
        self._store(data)

    def delete(self, name: str) -> None:
        self._store([d for d in self._load() if d.get("name") != name])

    def _load(self) -> list[dict]:
        raw = self._settings.value(self._key, "[]")
        try:
            data = json.loads(raw if isinstance(raw, str) else "[]")
        except json.JSONDecodeError:
            return []
        return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []

    def _store(self, data: list[dict]) -> None:
        self._settings.setValue(self._key, json.dumps(data))
        self._settings.sync()
