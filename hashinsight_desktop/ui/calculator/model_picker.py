"""Catalog model picker with type-to-search, plus a "Custom" entry.

An editable combo box whose completer matches anywhere in the name ("s21" finds
"Antminer S21 XP Hyd"), so a salesperson finds one of dozens of models in two or
three keystrokes.  Choosing a model fills the hashrate and power fields; typing in
those fields switches the picker back to "Custom" (see the panel).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from hashinsight_desktop.core.catalog import AsicModel

CUSTOM_INDEX = 0


def model_label(model: AsicModel) -> str:
    return (f"{model.make} {model.model}  ·  {model.hashrate_ths:g} TH/s, "
            f"{model.power_w:,.0f} W, {model.efficiency_j_th:.1f} J/TH")


class ModelPicker(QComboBox):
    """Emits ``model_chosen(AsicModel | None)``: None means custom hashrate and power."""

    model_chosen = Signal(object)

    def __init__(self, models: Sequence[AsicModel], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Newest and fastest first: what prospects usually ask about.
        self._models = sorted(models, key=lambda m: (-m.release_year, -m.hashrate_ths))
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Long labels must not widen the form: the popup shows them in full.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(18)
        self.view().setMinimumWidth(420)
        self.addItem(self.tr("Custom hashrate and power"), None)
        for model in self._models:
            self.addItem(model_label(model), model)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.lineEdit().setPlaceholderText(self.tr("Search models…"))
        self.currentIndexChanged.connect(self._emit_choice)

    @property
    def models(self) -> tuple[AsicModel, ...]:
        return tuple(self._models)

    def current_model(self) -> AsicModel | None:
        data = self.currentData()
        return data if isinstance(data, AsicModel) else None

    def select_model(self, name: str) -> bool:
        """Select the first model whose name contains ``name`` (case-insensitive)."""
        needle = name.strip().lower()
        for index in range(1, self.count()):
            if needle in self.itemText(index).lower():
                self.setCurrentIndex(index)
                return True
        return False

    def set_custom(self) -> None:
        """Back to "Custom" without announcing it: the fields already hold the values."""
        if self.currentIndex() != CUSTOM_INDEX:
            self.blockSignals(True)
            self.setCurrentIndex(CUSTOM_INDEX)
            self.blockSignals(False)

    def _emit_choice(self, index: int) -> None:
        if index >= 0:
            self.lineEdit().setCursorPosition(0)  # show the make and model, not the tail
            self.model_chosen.emit(self.itemData(index))
