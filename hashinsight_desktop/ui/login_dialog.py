"""Login at start; on an empty accounts table, creation of the first owner."""

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
from sqlalchemy.engine import Engine

from hashinsight_desktop.services import accounts


class LoginDialog(QDialog):
    def __init__(self, engine: Engine, database: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self.session: accounts.Session | None = None
        self.first_run = not accounts.users_exist(engine)
        self.setWindowTitle(self.tr("HashInsight Desktop: sign in"))
        self.username = QLineEdit()
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet("color: #e5484d;")
        intro = QLabel(wordWrap=True)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        if self.first_run:
            intro.setText(self.tr(
                "Welcome. This database has no accounts yet: create the owner account. "
                "The owner manages users and can do everything.\nDatabase: {db}"
            ).format(db=database))
            form.addRow(self.tr("Repeat password"), self.confirm)
        else:
            intro.setText(self.tr("Sign in to {db}").format(db=database))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def submit(self) -> None:
        username, password = self.username.text(), self.password.text()
        try:
            if self.first_run:
                if password != self.confirm.text():
                    raise accounts.AccountError(self.tr("the two passwords differ"))
                self.session = accounts.create_first_owner(self._engine, username, password)
            else:
                self.session = accounts.authenticate(self._engine, username, password)
        except accounts.AccountError as exc:
            self.error.setText(str(exc))
            self.password.clear()
            self.confirm.clear()
            self.password.setFocus()
            return
        self.accept()
