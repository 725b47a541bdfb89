"""Connect this workstation to a shared PostgreSQL: URL in settings, password in the keyring."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hashinsight_desktop.config.registry import SettingsError, load_settings
from hashinsight_desktop.services import secrets
from hashinsight_desktop.store import admin
from hashinsight_desktop.store.database import resolve
from hashinsight_desktop.store.errors import DatabaseError


class PostgresDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect to a shared PostgreSQL"))
        self.url = QLineEdit(placeholderText="postgresql+psycopg://ops@db-host:5432/farm")
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.message = QLabel(wordWrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.connect_database)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Database URL"), self.url)
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def connect_database(self) -> None:
        try:
            settings = load_settings()
            settings.set("database.url", self.url.text().strip())
            target = resolve(self.url.text())
            if target.is_sqlite:
                raise DatabaseError("this is a SQLite URL: give a postgresql+psycopg:// URL")
            status = secrets.set_secret(target.secret_name(), target.url.username or "",
                                        self.password.text())
            admin.upgrade(target)  # proves the connection and prepares the schema
            settings.save()
        except (SettingsError, DatabaseError) as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(self.tr(
            "Connected. {keyring} Restart HashInsight to use the shared database."
        ).format(keyring=status.message))
        self.accept()
