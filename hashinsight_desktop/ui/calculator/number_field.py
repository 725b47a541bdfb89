"""A numeric line edit with its own error line, as the calculator's form rows use it.

Plain QLineEdit rather than QDoubleSpinBox: a spin box silently clamps or refuses
what the user types, and the calculator must instead say *why* a value is wrong
("pool_fee_pct: must be <= 100") next to the field while keeping the typed text.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from hashinsight_desktop.ui.calculator.form_inputs import parse_number


class NumberField(QWidget):
    """Line edit + red message underneath; ``edited`` fires on every keystroke."""

    edited = Signal()

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(placeholderText=placeholder)
        self.error = QLabel(objectName="fieldError")
        self.error.setStyleSheet("color: #ff6b6b;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        self.edit.textEdited.connect(self.edited)

    def text(self) -> str:
        return self.edit.text()

    def set_value(self, value: float, significant: int | None = None) -> None:
        """Programmatic fill (no ``edited``): whole numbers without a trailing '.0'."""
        if significant is not None:
            text = f"{value:.{significant}g}"
        elif float(value).is_integer() and abs(value) < 1e15:
            text = f"{int(value)}"
        else:
            text = f"{value:.10g}"
        self.edit.setText(text)

    def value(self, *, optional_default: float | None = None) -> float:
        """The typed number; empty gives ``optional_default`` when there is one."""
        if optional_default is not None and not self.edit.text().strip():
            return optional_default
        return parse_number(self.edit.text())

    def show_error(self, message: str | None) -> None:
        """Show (or with None clear) the message naming what is wrong with this field."""
        if message:
            self.error.setText(message)
            self.error.show()
            self.edit.setStyleSheet("border: 1px solid #ff6b6b;")
        elif self.error.isVisible() or self.error.text():
            self.error.clear()
            self.error.hide()
            self.edit.setStyleSheet("")

    @property
    def error_text(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""
