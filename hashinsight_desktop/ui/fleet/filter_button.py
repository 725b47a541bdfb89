"""A tool button with a drop-down of checkable values: one multi-select filter.

Nothing checked means "no filter" (show all), like an empty set in FleetQuery.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QMouseEvent
from PySide6.QtWidgets import QMenu, QToolButton, QWidget


class _StickyMenu(QMenu):
    """Toggling a value does not close the menu, so several can be picked in one go."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        action = self.activeAction()
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().mouseReleaseEvent(event)


class MultiSelectFilterButton(QToolButton):
    """Drop-down filter; ``selection_changed`` carries the set of checked values."""

    selection_changed = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._menu = _StickyMenu(self)
        self._actions: dict[Hashable, QAction] = {}
        self.setMenu(self._menu)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._update_text()

    def set_title(self, title: str) -> None:
        self._title = title
        self._update_text()

    def set_options(self, options: Iterable[tuple[Hashable, str]]) -> None:
        """Replace the values offered; keeps the ones still offered checked."""
        keep = self.selected()
        self._menu.clear()
        self._actions.clear()
        clear = self._menu.addAction(self.tr("Show all"))
        clear.triggered.connect(self.clear)
        self._menu.addSeparator()
        for value, label in options:
            action = self._menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(value in keep)
            action.toggled.connect(self._on_toggled)
            self._actions[value] = action
        self._update_text()

    def selected(self) -> frozenset:
        return frozenset(v for v, a in self._actions.items() if a.isChecked())

    def set_selected(self, values: Iterable[Hashable]) -> None:
        wanted = set(values)
        changed = False
        for value, action in self._actions.items():
            if action.isChecked() != (value in wanted):
                action.blockSignals(True)
                action.setChecked(value in wanted)
                action.blockSignals(False)
                changed = True
        self._update_text()
        if changed:
            self.selection_changed.emit(self.selected())

    def clear(self) -> None:
        self.set_selected(())

    def _on_toggled(self, _checked: bool) -> None:
        self._update_text()
        self.selection_changed.emit(self.selected())

    def _update_text(self) -> None:
        count = len(self.selected())
        self.setText(self._title if count == 0 else f"{self._title} ({count})")
