"""First run: on an empty database, the ways to get a farm into the console."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class _Choice(QFrame):
    def __init__(self, title: str, text: str, button: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("welcomeChoice")
        heading = QLabel(title, objectName="kpiValue")
        body = QLabel(text, wordWrap=True)
        self.button = QPushButton(button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(body, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)


class WelcomePanel(QWidget):
    demo_requested = Signal()
    scan_requested = Signal()
    postgres_requested = Signal()
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(self.tr("Welcome to HashInsight Desktop"), objectName="kpiValue")
        intro = QLabel(self.tr(
            "This database has no miners yet. Choose how to start; you can add more "
            "miners later from the command line or this screen."), wordWrap=True)
        self.demo = _Choice(
            self.tr("Demo farm"),
            self.tr("6,000 simulated miners on this computer, speaking the real Antminer, "
                    "Whatsminer, Avalon and LuxOS protocols, collected live. The console "
                    "fills within seconds."),
            self.tr("Start the demo farm"))
        self.scan = _Choice(
            self.tr("Scan a network"),
            self.tr("Find the miners on an IP range (for example 10.20.0.0/22) and add "
                    "them to the fleet."),
            self.tr("Scan a range…"))
        self.importing = _Choice(
            self.tr("Import a list"),
            self.tr("Add miners from a CSV or Excel file (IP, model, site, rack, position, "
                    "client); every row is checked before anything is written."),
            self.tr("Import a file…"))
        self.postgres = _Choice(
            self.tr("Shared PostgreSQL"),
            self.tr("Several workstations share one farm database; the password is kept "
                    "in the system keyring."),
            self.tr("Connect…"))
        self.demo.button.clicked.connect(self.demo_requested)
        self.scan.button.clicked.connect(self.scan_requested)
        self.postgres.button.clicked.connect(self.postgres_requested)
        self.importing.button.clicked.connect(self.import_requested)
        self.progress = QLabel(wordWrap=True)
        choices = QHBoxLayout()
        for choice in (self.demo, self.scan, self.importing, self.postgres):
            choices.addWidget(choice)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(12)
        layout.addLayout(choices)
        layout.addWidget(self.progress)
        layout.addStretch(1)

    def show_progress(self, text: str) -> None:
        self.progress.setText(text)
