"""Window geometry and dock layout in QSettings (an INI file in the user's config dir)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

from hashinsight_desktop.config import paths

LAYOUT_VERSION = 2


def qsettings() -> QSettings:
    paths.config_dir().mkdir(parents=True, exist_ok=True)
    return QSettings(str(paths.config_dir() / "window.ini"), QSettings.Format.IniFormat)


def save_window(window: QMainWindow) -> None:
    s = qsettings()
    s.setValue("main/geometry", window.saveGeometry())
    s.setValue("main/state", window.saveState(LAYOUT_VERSION))
    s.sync()


def restore_window(window: QMainWindow) -> bool:
    """Restore geometry and dock layout; False when there is nothing (or nothing valid)."""
    s = qsettings()
    geometry = s.value("main/geometry")
    state = s.value("main/state")
    restored = False
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        restored = window.restoreGeometry(geometry)
    if isinstance(state, QByteArray) and not state.isEmpty():
        restored = window.restoreState(state, LAYOUT_VERSION) and restored
    return restored
