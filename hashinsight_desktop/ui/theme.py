"""Dark (brand) and light palettes plus a small style sheet."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

BRAND_BACKGROUND = "#1a1d2e"
BRAND_ACCENT = "#f7931a"

_DARK = {
    QPalette.ColorRole.Window: "#1a1d2e",
    QPalette.ColorRole.WindowText: "#e6e8f0",
    QPalette.ColorRole.Base: "#141726",
    QPalette.ColorRole.AlternateBase: "#1f2336",
    QPalette.ColorRole.Text: "#e6e8f0",
    QPalette.ColorRole.Button: "#252a40",
    QPalette.ColorRole.ButtonText: "#e6e8f0",
    QPalette.ColorRole.Highlight: BRAND_ACCENT,
    QPalette.ColorRole.HighlightedText: "#1a1d2e",
    QPalette.ColorRole.ToolTipBase: "#252a40",
    QPalette.ColorRole.ToolTipText: "#e6e8f0",
    QPalette.ColorRole.PlaceholderText: "#8a90a8",
    QPalette.ColorRole.Link: BRAND_ACCENT,
}

_LIGHT = {
    QPalette.ColorRole.Window: "#f4f5f9",
    QPalette.ColorRole.WindowText: "#1a1d2e",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#eef0f6",
    QPalette.ColorRole.Text: "#1a1d2e",
    QPalette.ColorRole.Button: "#e6e8f0",
    QPalette.ColorRole.ButtonText: "#1a1d2e",
    QPalette.ColorRole.Highlight: BRAND_ACCENT,
    QPalette.ColorRole.HighlightedText: "#1a1d2e",
    QPalette.ColorRole.ToolTipBase: "#ffffff",
    QPalette.ColorRole.ToolTipText: "#1a1d2e",
    QPalette.ColorRole.PlaceholderText: "#6b7088",
    QPalette.ColorRole.Link: "#c56a00",
}

_STYLE = """
QMainWindow::separator { background: %(sep)s; width: 3px; height: 3px; }
QDockWidget::title { background: %(title)s; padding: 4px 8px; font-weight: 600; }
QStatusBar QLabel { padding: 0 8px; }
QHeaderView::section { background: %(title)s; padding: 4px 6px; border: 0;
                       border-right: 1px solid %(sep)s; font-weight: 600; }
QTableView { gridline-color: %(sep)s; }
QLabel#kpiValue { font-size: 20px; font-weight: 700; color: %(accent)s; }
QLabel#kpiLabel { color: %(muted)s; }
"""


def apply_theme(app: QApplication, name: str) -> None:
    colours = _DARK if name == "dark" else _LIGHT
    app.setStyle("Fusion")
    palette = QPalette()
    for role, value in colours.items():
        palette.setColor(role, QColor(value))
    app.setPalette(palette)
    app.setStyleSheet(_STYLE % {
        "sep": "#2c3150" if name == "dark" else "#d5d8e3",
        "title": "#232842" if name == "dark" else "#e6e8f0",
        "accent": BRAND_ACCENT,
        "muted": "#8a90a8" if name == "dark" else "#6b7088",
    })
